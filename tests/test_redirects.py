"""Published IDs across releases, end to end: a revised source whose restored section brings a
telling that merges two published events (and comes first) keeps one published ID, redirects
the other, and the change log says merged; redirect chains collapse across three releases."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml

from pipeline import build, release
from pipeline.paths import REPO_ROOT, Paths
from schemas.dictionary import load_dictionary
from schemas.models import frame_from_rows

# Two tellings of one rocket attack that share nothing the merge can see (no place, actor or
# wording in common), and a restored section whose telling shares the place with one and the
# militia with the other, told before both.
WIKI = """= Reprisals in Iraq =

Reprisals in Iraq followed the killing of Qasem Soleimani in January 2020.

== Reactions ==

On 20 January 2020, Iraqi prime minister Adil Abdul-Mahdi condemned the violence in a televised address.

== Rocket fire ==

On 14 January 2020, rockets struck Camp Taji north of Baghdad, wounding two contractors.
"""
RESTORED = """== Claims ==

On 14 January 2020, the militia Kata'ib Hezbollah fired rockets at Camp Taji.

"""
NEWS = """Militia Fighters Launch Missiles

Jane Roe | January 15, 2020 | 9:00am EST

Kata'ib Hezbollah launched Katyusha missiles toward an American position on 14 January 2020.

The group's spokesman, Abu Ali al-Askari, warned of more attacks.
"""
ENTITIES = {"events": "event_id", "plots": "plot_id", "persons": "person_id", "organizations": "org_id"}


def _raw(raw: Path, wiki: str) -> None:
    (raw / "sources").mkdir(parents=True, exist_ok=True)
    if not (raw / "curated").exists():
        shutil.copytree(REPO_ROOT / "raw" / "curated", raw / "curated")
    (raw / "sources" / "wiki.txt").write_text(wiki, encoding="utf-8")
    (raw / "sources" / "news.txt").write_text(NEWS, encoding="utf-8")
    entries = [
        {"source_id": "wiki-reprisals", "file": "sources/wiki.txt", "title": "Reprisals in Iraq",
         "publisher": "Wikipedia", "license": "CC-BY-SA-4.0", "full_text_public": True, "format": "wikipedia"},
        {"source_id": "news-missiles", "file": "sources/news.txt", "title": "Militia Fighters Launch Missiles",
         "publisher": "Example News", "published_date": "2020-01-15", "license": "test fixture",
         "full_text_public": False, "format": "news"},
    ]
    (raw / "manifest.yaml").write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), encoding="utf-8")


def _cli_build(paths: Paths) -> str:
    env = {**os.environ, "RAW_DIR": str(paths.raw_dir), "OUT_DIR": str(paths.out_dir), "PIPELINE_WORKERS": "1"}
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "build"], env=env, capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=280)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _published(paths: Paths, table: str) -> list[dict[str, Any]]:
    return pq.read_table(paths.site_dir / "downloads" / f"{table}.parquet").to_pylist()


@pytest.mark.timeout(600)  # two real builds (Dagster, spaCy) on a shared machine
def test_restored_section_merging_two_published_events_keeps_every_id(tmp_path: Path) -> None:
    paths = Paths(raw_dir=tmp_path / "raw", out_dir=tmp_path / "out")
    _raw(paths.raw_dir, WIKI)
    _cli_build(paths)
    first = {t: {r[pk] for r in _published(paths, t)} for t, pk in ENTITIES.items()}
    taji = [e for e in _published(paths, "events") if e["date"] == "2020-01-14"]
    assert len(taji) == 2  # the two tellings are two events before the revision

    _raw(paths.raw_dir, WIKI.replace("== Reactions ==", RESTORED + "== Reactions =="))
    out = _cli_build(paths)
    assert "new release" in out
    report = (paths.warehouse_dir / "build_report.txt").read_text()
    assert "ids: events: 1 rows keep a published ID, 1 IDs merged away" in report
    redirects = _published(paths, "redirects")
    for table, pk in ENTITIES.items():
        now = {r[pk] for r in _published(paths, table)}
        moved = {r["old_id"]: r["new_id"] for r in redirects if r["table"] == table}
        for old in first[table]:  # nothing was removed: every published ID is a row or leads to one
            assert old in now or moved.get(old) in now, (table, old)
    events = {e["event_id"]: e for e in _published(paths, "events")}
    merged = [e for e in events.values() if e["date"] == "2020-01-14"]
    # (a precondition on the event merge: if it fails, the texts no longer make the merge happen)
    assert len(merged) == 1 and merged[0]["mention_count"] == 3, merged
    kept = merged[0]["event_id"]
    # the restored telling is the event's primary now, under a published ID
    assert "Kata'ib Hezbollah fired rockets" in merged[0]["quote"] and kept in first["events"]
    (gone,) = {e["event_id"] for e in taji} - {kept}
    version = json.loads((paths.site_dir / "release.json").read_text())["previous_version"]
    assert [r for r in redirects if r["table"] == "events"] == [
        {"old_id": gone, "new_id": kept, "table": "events", "release": version}]
    mentions = {m["event_id"] for m in _published(paths, "event_mentions") if m["quote"].startswith("On 14")}
    assert mentions == {kept}
    # claims follow their row to the kept ID ((table, row_id) references are rewritten too)
    claimed = {c["row_id"] for c in _published(paths, "claims") if c["table"] == "events"}
    assert kept in claimed and gone not in claimed and claimed <= set(events)

    changes = json.loads((paths.site_dir / "changes.json").read_text())["tables"]["events"]
    assert changes["merged"] == [gone] and changes["merged_into"] == {gone: kept}
    assert gone not in changes["deleted"] and changes["counts"]["merged"] == 1
    db = sqlite3.connect(paths.site_dir / "soleimani.db")
    got = db.execute("select change, new_id from changes where table_name = 'events' and row_id = ?", (gone,))
    assert got.fetchall() == [("merged", kept)]
    assert db.execute('select new_id from redirects where old_id = ? and "table" = ?', (gone, "events")).fetchall() == [
        (kept,)]
    with (paths.site_dir / "downloads" / "redirects.csv").open(encoding="utf-8-sig") as fh:
        assert {(r["old_id"], r["new_id"]) for r in csv.DictReader(fh)} == {(gone, kept)}
    package = json.loads((paths.site_dir / "downloads" / "datapackage.json").read_text())
    assert any(r["name"] == "redirects" for r in package["resources"])
    ledger = json.loads((paths.site_dir / "ids.json").read_text())
    assert ledger["ordinal"] == 2 and ledger["first_published"]["events"][kept] == 1


# ---------------------------------------------------------------- three releases, plain functions


def _tiny_release(paths: Paths, events: list[tuple[str, list[str]]]) -> dict[str, Any]:
    """Publish one release of a one-source corpus whose events are (fresh ID, mention IDs): every
    mention is a span of its own passage, so only the grouping changes between releases."""
    text = "".join(f"Telling {m}.\n\n" for _, ms in events for m in ms)
    passages, mentions, rows = [], [], []
    for eid, ms in events:
        for m in ms:
            start = text.index(f"Telling {m}.")
            pid = f"p-{m}"
            passages.append({"passage_id": pid, "source_id": "s", "section": "", "ordinal": len(passages),
                             "kind": "paragraph", "char_start": start, "char_end": start + len(m) + 9,
                             "text": text[start:start + len(m) + 9]})
            prov = {"source_id": "s", "passage_id": pid, "char_start": start, "char_end": start + len(m) + 9,
                    "quote": text[start:start + len(m) + 9]}
            mentions.append({"mention_id": f"m-{m}", "event_id": eid, "date_text": None, **prov})
        first = next(m for m in mentions if m["event_id"] == eid)
        rows.append({"event_id": eid, "event_type": "attack", "summary": eid, "mention_count": len(ms), "disputed": False,
                     **{k: first[k] for k in ("source_id", "passage_id", "char_start", "char_end", "quote")}})
    tables: dict[str, list[dict[str, Any]]] = {
        "sources": [{"source_id": "s", "title": "S", "full_text_public": True, "format": "news",
                     "sha256": "0" * 64, "char_count": len(text), "text": text}],
        "passages": passages, "events": rows, "event_mentions": mentions,
    }
    kept, _ = build.keep_published_ids(tables, paths)
    frames = {t: frame_from_rows(t, kept.get(t, [])) for t in load_dictionary().tables}
    build.write_warehouse(frames, paths)
    attribution = [{"source_id": "s", "title": "S", "publisher": None, "author": None, "url": None,
                    "license": "test", "full_text_public": True}]
    return release.publish(paths, attribution)


def test_redirect_chains_collapse_across_three_releases(tmp_path: Path) -> None:
    paths = Paths(raw_dir=tmp_path / "raw", out_dir=tmp_path / "out")
    _tiny_release(paths, [("a", ["1"]), ("b", ["2"]), ("c", ["3"])])
    first = paths.site_dir.resolve().name
    # release 2: a telling told before both joins a and b; b's telling comes first, so b stays
    _tiny_release(paths, [("x", ["0", "2", "1"]), ("c", ["3", "4"])])
    second = paths.site_dir.resolve().name
    assert {e["event_id"] for e in _published(paths, "events")} == {"b", "c"}
    assert [(r["old_id"], r["new_id"], r["release"]) for r in _published(paths, "redirects")] == [("a", "b", first)]
    # release 3: one row holds most of c's tellings and one of b's: b (and a with it) lead to c
    _tiny_release(paths, [("y", ["3", "4", "2"])])
    assert {e["event_id"] for e in _published(paths, "events")} == {"c"}
    got = sorted((r["old_id"], r["new_id"], r["release"]) for r in _published(paths, "redirects"))
    assert got == [("a", "c", first), ("b", "c", second)]
    changes = json.loads((paths.site_dir / "changes.json").read_text())["tables"]["events"]
    assert changes["merged_into"] == {"b": "c"} and changes["deleted"] == []
    # a rebuild of the same rows is the same release (redirects and ledger carried unchanged)
    again = _tiny_release(paths, [("y", ["3", "4", "2"])])
    assert again["changed"] is False
