"""Bad input through the real CLI: one clear line naming the file (and line), non-zero exit, nothing lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.paths import REPO_ROOT
from pipeline.textnorm import MAX_SOURCE_BYTES

NEWS = "sources/cnsnews-zarif-book-not-closed-2020-09-22.txt"


def _run(raw: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "build"], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True)


@pytest.fixture()
def workspace(built, tmp_path: Path) -> tuple[Path, Path]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(built.paths.raw_dir, raw)
    shutil.copytree(built.paths.out_dir, out, symlinks=True)
    return raw, out


def _write_source(raw: Path, data: bytes) -> None:
    (raw / NEWS).write_bytes(data)


def _manifest_edit(raw: Path, old: str, new: str) -> None:
    path = raw / "manifest.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


CASES = {
    "empty file": (lambda raw: _write_source(raw, b""), ["empty", NEWS]),
    "binary file": (lambda raw: _write_source(raw, bytes(range(256)) * 4), ["binary", NEWS]),
    "non-UTF-8": (lambda raw: _write_source(raw, "Title\n\ncaf\u00e9 bar\n".encode("latin-1")),
                  ["not valid UTF-8", NEWS + ":3"]),
    "too large": (lambda raw: _write_source(raw, b"a" * (MAX_SOURCE_BYTES + 1)), ["over the limit", NEWS]),
    "missing file": (lambda raw: (raw / NEWS).unlink(), ["does not exist", "manifest.yaml:"]),
    "manifest syntax": (lambda raw: _manifest_edit(raw, "sources:\n", "sources: [\n"), ["YAML syntax error",
                                                                                        "manifest.yaml:"]),
    "duplicate id": (lambda raw: _manifest_edit(raw, "source_id: cnsnews-zarif-book-not-closed-2020-09-22",
                                                "source_id: wikipedia-assassination-of-qasem-soleimani"),
                     ["duplicate source_id", "manifest.yaml:"]),
    "unknown format": (lambda raw: _manifest_edit(raw, "format: news", "format: html"),
                       ["unknown format 'html'", "manifest.yaml:"]),
    "failed validation": (lambda raw: (raw / "curated" / "corrections.yaml").write_text(
        "corrections:\n  - table: events\n    source_id: wikipedia-assassination-of-qasem-soleimani\n"
        "    quote: Soleimani\n    set: {event_type: riot}\n"),
        ["ValidationFailed", "'events'", "'event_type'", "event_id=", "isin"]),
    "broken correction file": (lambda raw: (raw / "curated" / "corrections.yaml").write_text(
        "corrections:\n  - table: nowhere\n    source_id: x\n    quote: y\n    drop: true\n"),
        ["unknown table", "corrections.yaml:2"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_in_one_line_and_keeps_release(workspace, case: str) -> None:
    raw, out = workspace
    site = out / "publish" / "site"
    before_link = os.readlink(site)
    before_db = (site / "soleimani.db").read_bytes()
    break_it, needles = CASES[case]
    break_it(raw)
    proc = _run(raw, out)
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr[-2000:]
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert os.readlink(site) == before_link
    assert (site / "soleimani.db").read_bytes() == before_db


def test_odd_but_valid_sources_are_accepted(workspace) -> None:
    """BOM + CRLF (normalised), a source with no headings, one with no dates; a stale correction is reported."""
    raw, out = workspace
    (raw / "sources" / "bom-crlf.txt").write_bytes(
        "\ufeffStrike Report\r\n\r\nJane Roe | January 4, 2020 | 10:00am EST\r\n\r\n"
        "Thousands of mourners marched in Baghdad on Saturday for Qasem Soleimani.\r\n".encode())
    (raw / "sources" / "no-headings.txt").write_text(
        "= A Title =\nJust one paragraph without sections, mentioning Javad Zarif on 5 January 2020.\n")
    (raw / "sources" / "no-dates.txt").write_text("Opinion\n\nNothing here is dated. Javad Zarif spoke.\n")
    manifest = yaml.safe_load((raw / "manifest.yaml").read_text())
    for sid, fmt in (("bom-crlf", "news"), ("no-headings", "wikipedia"), ("no-dates", "news")):
        manifest["sources"].append({"source_id": sid, "file": f"sources/{sid}.txt", "title": sid, "format": fmt,
                                    "license": "CC-BY-SA-4.0", "full_text_public": True})
    (raw / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    (raw / "curated" / "corrections.yaml").write_text(
        "corrections:\n  - table: events\n    source_id: no-dates\n    quote: a sentence that is not there\n"
        "    drop: true\n")
    proc = _run(raw, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = (out / "warehouse" / "build_report.txt").read_text()
    assert "corrections.yaml:2" in report and "no longer" in report
    import pyarrow.parquet as pq

    sources = pq.read_table(out / "warehouse" / "parquet" / "sources.parquet").to_pylist()
    bom = next(s for s in sources if s["source_id"] == "bom-crlf")
    assert "\r" not in bom["text"] and not bom["text"].startswith("\ufeff")
    passages = pq.read_table(out / "warehouse" / "parquet" / "passages.parquet").to_pylist()
    assert {p["source_id"] for p in passages} >= {"bom-crlf", "no-headings", "no-dates"}
