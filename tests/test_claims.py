"""Claims and disputes: every value with the telling it was read from; tellings that disagree on a
toll are one occurrence with a range and a dispute, not two occurrences; plots keep their tellings.

The bar (issue 14) runs a real build of the seeds plus a short report, written for this test,
that gives the Baghdad airport strike a different toll (tests/fixtures/claims/)."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pyarrow.parquet as pq
import pytest

from pipeline.claims import TIME_ZONE_NOTE, dates_agree, description_claims, mark_disputes, number_range
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.events import _injured, extract_events, load_rules
from pipeline.paths import REPO_ROOT, Paths
from tests.test_events import CUR, make_doc

REPORT = REPO_ROOT / "tests" / "fixtures" / "claims" / "airport_strike_toll.txt"
REPORT_ID = "example-airport-strike-2020-01-03"
WIKI = "wikipedia-assassination-of-qasem-soleimani"


def _ent(doc_text: str, source_id: str, surface: str, entity_id: str) -> EntityMention:
    start = doc_text.index(surface)
    return EntityMention(source_id, start, start + len(surface), entity_id, "person", surface)


# --------------------------------------------------------------------------- reading and merging


@pytest.mark.parametrize(("clause", "n"), [
    ("the blast killed eight people and wounded twelve others", 12),
    ("a rocket struck the base, injuring 13 people", 13),
    ("25 militia members died and 55 were wounded", 55),
    ("at least 56 people were killed and 213 injured in a stampede", 213),
    ("two soldiers were hurt", 2),
    ("the wounded were taken to a hospital in 2020", None),
    ("no one was injured", 0),
])
def test_number_wounded(clause: str, n: int | None) -> None:
    assert _injured(clause, 0, len(clause), load_rules(CUR), []) == n


def _two_tellings(first: str, second: str, victims: tuple[str, str]):
    a_doc, a_ps = make_doc([("Lead", first)], source_id="a", fmt="wikipedia", published=None, title="An article")
    b_doc, b_ps = make_doc([("Body", second)], source_id="b", published="2020-01-03")
    ents = [_ent(a_doc.text, "a", victims[0], victims[0].lower().replace(" ", "-")),
            _ent(b_doc.text, "b", victims[1], victims[1].lower().replace(" ", "-"))]
    return extract_events([a_doc, b_doc], a_ps + b_ps, EntityIndex(ents), CUR)


def test_one_occurrence_told_with_two_tolls_is_one_disputed_event() -> None:
    res = _two_tellings(
        "On 3 January 2020, Qasem Soleimani was killed by a drone strike at Baghdad International Airport that "
        "killed ten people.",
        "A U.S. drone strike that killed Qasem Soleimani near Baghdad airport on 3 January left eight people dead "
        "and wounded twelve others, officials said.",
        ("Qasem Soleimani", "Qasem Soleimani"),
    )
    strikes = [e for e in res.tables["events"] if e["event_type"] == "strike"]
    assert len(strikes) == 1
    ev = strikes[0]
    assert {m["source_id"] for m in res.tables["event_mentions"] if m["event_id"] == ev["event_id"]} == {"a", "b"}
    assert (ev["killed"], ev["killed_low"], ev["killed_high"], ev["disputed"]) == (10, 8, 10, True)
    assert (ev["injured_low"], ev["injured_best"], ev["injured_high"]) == (12, 12, 12)
    tolls = {(c["source_id"], c["value"]) for c in res.tables["claims"]
             if c["row_id"] == ev["event_id"] and c["property"] == "killed"}
    assert tolls == {("a", "10"), ("b", "8")}


def test_different_occurrences_of_one_day_with_different_tolls_stay_apart() -> None:
    # same day, same city, different victims: two attacks
    res = _two_tellings(
        "On 3 January 2020, Qasem Soleimani was killed by a drone strike at Baghdad International Airport that "
        "killed ten people.",
        "A rocket attack that killed Ali Hassan near Baghdad airport on 3 January left two people dead, police said.",
        ("Qasem Soleimani", "Ali Hassan"),
    )
    assert len([e for e in res.tables["events"] if e["event_type"] in ("strike", "attack")]) == 2
    # same day, same victim named, another country: two strikes
    res = _two_tellings(
        "On 3 January 2020, Qasem Soleimani was killed by a drone strike at Baghdad International Airport that "
        "killed ten people.",
        "A U.S. strike that targeted Qasem Soleimani in Yemen on 3 January left two people dead, officials said.",
        ("Qasem Soleimani", "Qasem Soleimani"),
    )
    assert len([e for e in res.tables["events"] if e["event_type"] in ("strike", "attack")]) == 2
    assert not any(e["disputed"] for e in res.tables["events"])


# --------------------------------------------------------------------------- agreement rules


def test_dates_one_day_apart_are_one_value_with_a_note() -> None:
    assert dates_agree("2020-01-07", "2020-01-08") == (True, TIME_ZONE_NOTE)
    assert dates_agree("2020-01", "2020-01-08") == (True, None)
    assert dates_agree("2020-01-03", "2020-01-08") == (False, None)
    claims = [
        {"table": "events", "row_id": "e1", "property": "date", "value": v, "disputed": False, "note": None}
        for v in ("2020-01-07", "2020-01-08")
    ] + [
        {"table": "events", "row_id": "e1", "property": "killed", "value": v, "disputed": False, "note": None}
        for v in ("0", "0")
    ]
    assert mark_disputes(claims) == set()
    assert [c["note"] for c in claims] == [TIME_ZONE_NOTE, TIME_ZONE_NOTE, None, None]
    claims.append({"table": "events", "row_id": "e1", "property": "killed", "value": "2", "disputed": False,
                   "note": None})
    assert mark_disputes(claims) == {("e1", "killed")}
    assert [c["disputed"] for c in claims] == [False, False, True, True, True]


def test_range_best_is_the_most_told_value_then_the_earliest() -> None:
    claims = [{"row_id": "e", "property": "killed", "value": v} for v in ("10", "8", "8", "12")]
    r = number_range(claims, "e", "killed")
    assert (r.low, r.best, r.high) == (8, 8, 12)
    r = number_range(claims[:2], "e", "killed")
    assert (r.low, r.best, r.high) == (8, 10, 10)


def test_a_description_is_claimed_where_a_telling_gives_it() -> None:
    text = "Jane Roe, the Iranian Foreign Minister, spoke.\nJohn Doe spoke later."
    mentions = [{"mention_id": "m1", "person_id": "jane-roe", "source_id": "s", "passage_id": "p0", "char_start": 0,
                 "char_end": 8},
                {"mention_id": "m2", "person_id": "john-doe", "source_id": "s", "passage_id": "p1", "char_start": 47,
                 "char_end": 55}]
    persons = [{"person_id": "jane-roe", "description": "Iranian foreign minister"},
               {"person_id": "john-doe", "description": "President of a curated country"}]
    out = description_claims(persons, mentions, {"s": text}, {"p0": (0, 46), "p1": (47, len(text))})
    assert [(c["row_id"], c["value"], c["quote"]) for c in out] == [
        ("jane-roe", "Iranian foreign minister", "Iranian Foreign Minister")]
    assert text[out[0]["char_start"] : out[0]["char_end"]] == out[0]["quote"]


# --------------------------------------------------------------------------- the bar: a real build


@dataclass
class Build:
    paths: Paths
    texts: dict[str, str]


@pytest.fixture(scope="module")
def with_report(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The seeds plus the short report, built with the real CLI into a temporary OUT_DIR."""
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("out")
    shutil.copytree(REPO_ROOT / "raw", raw, dirs_exist_ok=True)
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    cli = [sys.executable, "-m", "pipeline.cli"]
    add = subprocess.run([*cli, "add-source", str(REPORT), "--source-id", REPORT_ID, "--title",
                          "Drone strike near Baghdad airport kills eight", "--format", "news", "--publisher",
                          "Example Wire", "--published-date", "2020-01-03", "--license", "All rights reserved"],
                         env=env, capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert add.returncode == 0, add.stderr
    proc = subprocess.run([*cli, "build"], env=env, capture_output=True, text=True, cwd=REPO_ROOT, timeout=280)
    assert proc.returncode == 0, proc.stderr[-3000:]
    paths = Paths(raw_dir=raw, out_dir=out)
    texts = {r["source_id"]: (raw / "sources" / f"{r['source_id']}.txt").read_text(encoding="utf-8")
             for r in pq.read_table(paths.parquet_dir / "sources.parquet").to_pylist()}
    return Build(paths, texts)


def _rows(b: Build, table: str) -> list[dict]:
    return pq.read_table(b.paths.parquet_dir / f"{table}.parquet").to_pylist()


def _strike(b: Build) -> dict:
    airport = [e for e in _rows(b, "events") if e["date"] == "2020-01-03" and e["event_type"] == "strike"
               and e["place_id"] == "baghdad-international-airport"]
    assert len(airport) == 1, [(e["event_id"], e["source_id"]) for e in airport]
    return airport[0]


def test_the_reports_strike_is_the_wikipedia_strike(with_report: Build) -> None:
    ev = _strike(with_report)
    sources = {m["source_id"] for m in _rows(with_report, "event_mentions") if m["event_id"] == ev["event_id"]}
    assert {WIKI, REPORT_ID} <= sources
    assert ev["source_id"] == WIKI


def test_claims_equal_the_source_text_and_tolls_disagree(with_report: Build) -> None:
    claims = _rows(with_report, "claims")
    assert {c["table"] for c in claims} >= {"events", "plots", "legal_positions", "persons"}
    public = {s["source_id"]: s["full_text_public"] for s in _rows(with_report, "sources")}
    for c in claims:
        if public[c["source_id"]]:
            assert with_report.texts[c["source_id"]][c["char_start"] : c["char_end"]] == c["quote"], c["claim_id"]
    ev = _strike(with_report)
    tolls = {(c["source_id"], c["value"]) for c in claims if c["row_id"] == ev["event_id"] and c["property"] == "killed"}
    assert (WIKI, "10") in tolls and (REPORT_ID, "8") in tolls
    assert all(c["disputed"] for c in claims if c["row_id"] == ev["event_id"] and c["property"] == "killed")
    assert (ev["killed"], ev["killed_low"], ev["killed_best"], ev["killed_high"]) == (10, 8, 10, 10)
    assert ev["injured_best"] == 12 and ev["disputed"] is True


def test_plot_mentions_tell_the_strike_plot_from_both_sources(with_report: Build) -> None:
    mentions = _rows(with_report, "plot_mentions")
    plots = {p["plot_id"]: p for p in _rows(with_report, "plots")}
    assert {m["plot_id"] for m in mentions} == set(plots)
    assert len({m["mention_id"] for m in mentions}) == len(mentions)
    told = {}
    for m in mentions:
        told.setdefault(m["plot_id"], set()).add(m["source_id"])
    executed = [pid for pid, p in plots.items() if p["status"] == "executed" and p["date"] == "2020-01-03"]
    assert any({WIKI, REPORT_ID} <= told[pid] for pid in executed)


def test_the_strike_page_shows_its_quote_in_its_passage(with_report: Build) -> None:
    """Served by Datasette (in process, the release's own plugins and templates)."""
    import asyncio

    from pipeline.serve import datasette_app

    ev = _strike(with_report)
    passage = next(p for p in _rows(with_report, "passages") if p["passage_id"] == ev["passage_id"])
    app = datasette_app(with_report.paths.site_dir)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(app.invoke_startup())
        page = loop.run_until_complete(app.client.get(f"/soleimani/events/{ev['event_id']}")).text
        disputes = loop.run_until_complete(app.client.get("/soleimani/disputes.json?_shape=objects")).json()["rows"]
    finally:
        loop.close()
    a, b = ev["char_start"] - passage["char_start"], ev["char_end"] - passage["char_start"]
    marked = html.escape(passage["text"][:a], quote=False) + "<mark>" + html.escape(ev["quote"], quote=False) + \
        "</mark>" + html.escape(passage["text"][b:], quote=False)
    assert marked.replace("'", "&#39;").replace('"', "&#34;") in page or marked in page
    assert "Drone strike near Baghdad airport kills eight" in page  # another telling, from the report
    tolls = {(r["row_id"], r["value"], r["source_id"]) for r in disputes if r["property"] == "killed"}
    assert {(ev["event_id"], "10", WIKI), (ev["event_id"], "8", REPORT_ID)} <= tolls
