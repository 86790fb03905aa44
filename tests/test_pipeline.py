"""End to end: a real Dagster build of the seeds into a temporary OUT_DIR, and what it leaves."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq

from pipeline.paths import REPO_ROOT
from schemas.dictionary import load_dictionary


def _cli(built, *args: str, raw=None):
    env = {**os.environ, "RAW_DIR": str(raw or built.paths.raw_dir), "OUT_DIR": str(built.paths.out_dir)}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], env=env, capture_output=True,
                          text=True, cwd=REPO_ROOT)


def test_warehouse_has_every_table_in_duckdb_and_parquet(built) -> None:
    con = duckdb.connect(str(built.paths.duckdb_path), read_only=True)
    for table in load_dictionary().tables:
        parquet = pq.read_table(built.paths.parquet_dir / f"{table}.parquet")
        assert parquet.column_names == load_dictionary().tables[table].column_names
        (count,) = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        assert count == parquet.num_rows
    con.close()


def test_sources_hash_and_licensed_text(built) -> None:
    sources = pq.read_table(built.paths.parquet_dir / "sources.parquet").to_pylist()
    assert len(sources) == 2
    for s in sources:
        entry_file = next(built.paths.raw_dir.glob(f"sources/{s['source_id']}.txt"))
        assert s["sha256"] == hashlib.sha256(entry_file.read_bytes()).hexdigest()
        assert (s["text"] is not None) == s["full_text_public"]


def test_published_passages_equal_source_text_at_offsets(built) -> None:
    sources = {s["source_id"]: s for s in pq.read_table(built.paths.parquet_dir / "sources.parquet").to_pylist()}
    passages = pq.read_table(built.paths.parquet_dir / "passages.parquet").to_pylist()
    assert len(passages) > 150
    sections = {p["section"] for p in passages}
    assert "Aftermath > Iranian response > Funeral" in sections and "Infobox" in sections
    for p in passages:
        text = sources[p["source_id"]]["text"]
        if text is None:
            assert p["text"] is None  # the news article's text is not republished
        else:
            assert text[p["char_start"] : p["char_end"]] == p["text"]


def test_every_quote_equals_source_text(built, seed_corpus) -> None:
    texts = seed_corpus.texts
    for table in load_dictionary().tables:
        for row in pq.read_table(built.paths.parquet_dir / f"{table}.parquet").to_pylist():
            if "quote" in row:
                assert texts[row["source_id"]][row["char_start"] : row["char_end"]] == row["quote"]


def test_release_is_current_and_rebuild_of_unchanged_sources_is_a_no_op(built) -> None:
    site = built.paths.site_dir
    assert site.is_symlink()
    release = json.loads((site / "release.json").read_text())
    before = {t: pq.read_table(built.paths.parquet_dir / f"{t}.parquet") for t in ("passages", "persons", "events")}
    proc = _cli(built, "build")
    assert proc.returncode == 0, proc.stderr
    assert "unchanged" in proc.stdout and "re-parsed: 0" in proc.stdout
    assert json.loads((site / "release.json").read_text())["version"] == release["version"]
    for t, table in before.items():
        assert pq.read_table(built.paths.parquet_dir / f"{t}.parquet").equals(table)


def test_broken_manifest_fails_in_one_line_and_keeps_release(built, tmp_path) -> None:
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(built.paths.raw_dir, raw)
    manifest = raw / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace("format: news", "format: pdf"))
    target_before = os.readlink(built.paths.site_dir)
    proc = _cli(built, "build", raw=raw)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "manifest.yaml:" in lines[0] and "unknown format 'pdf'" in lines[0]
    assert os.readlink(built.paths.site_dir) == target_before


def test_one_paragraph_edit_reparses_one_source_and_logs_only_its_rows(built, tmp_path) -> None:
    """Issue 6's bar: edit one paragraph, rebuild; only rows read from it change ID in the change log."""
    import shutil

    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(built.paths.raw_dir, raw)
    shutil.copytree(built.paths.out_dir, out, symlinks=True)
    wiki = raw / "sources" / "wikipedia-assassination-of-qasem-soleimani.txt"
    text = wiki.read_text()
    old_paragraph = next(line for line in text.splitlines() if "five days after the airstrike" in line)
    wiki.write_text(text.replace("five days after the airstrike", "five days after the air strike", 1))
    before = {t: pq.read_table(out / "warehouse" / "parquet" / f"{t}.parquet").to_pylist()
              for t in ("passages", "person_mentions", "events", "legal_positions")}
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "build"], env=env, capture_output=True,
                          text=True, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "re-parsed: 1" in proc.stdout
    # the cross-source extractors re-read the edited source only; the other comes from the cache
    report = (out / "warehouse" / "build_report.txt").read_text()
    for stage in ("events", "plots", "legal"):
        assert f"{stage}: 1 sources read, 1 unchanged sources from cache" in report, stage
    old_pid = next(p["passage_id"] for p in before["passages"] if p["text"] == old_paragraph)
    after_passages = pq.read_table(out / "warehouse" / "parquet" / "passages.parquet").to_pylist()
    new_pid = next(p["passage_id"] for p in after_passages if p["text"] and "the air strike" in p["text"])
    changes = json.loads((out / "publish" / "site" / "changes.json").read_text())["tables"]
    assert changes["passages"]["added"] == [new_pid] and changes["passages"]["deleted"] == [old_pid]
    for table in ("person_mentions", "events", "legal_positions"):
        pk = load_dictionary().tables[table].primary_key[0]
        old_rows = {r[pk]: r for r in before[table]}
        for rid in changes[table]["deleted"]:
            assert old_rows[rid]["passage_id"] == old_pid, (table, rid)
        new_rows = {r[pk]: r for r in pq.read_table(out / "warehouse" / "parquet" / f"{table}.parquet").to_pylist()}
        for rid in changes[table]["added"]:
            assert new_rows[rid]["passage_id"] == new_pid, (table, rid)
        assert not changes[table]["modified"] or table == "events", (table, changes[table]["modified"][:3])
