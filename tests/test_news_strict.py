"""News files read strictly: no headline + byline structure is a build-report warning naming the file
(and line); a file with nothing readable as an article is a one-line error naming it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.errors import ParseError
from pipeline.parsers.news import parse_news
from pipeline.paths import REPO_ROOT

NO_BYLINE = ("Council statement on the embassy attack\n\nThe council met on Monday and condemned the attack.\n"
             "A second paragraph tells what the ministers said.\n")


def test_missing_byline_is_a_warning_naming_file_and_line() -> None:
    parsed = parse_news(NO_BYLINE, path="sources/council.txt")
    assert [p.kind for p in parsed.passages] == ["headline", "paragraph", "paragraph"]
    assert any(w.startswith("sources/council.txt:3: expected a byline") for w in parsed.warnings)


def test_paragraph_in_place_of_a_headline_is_a_warning() -> None:
    text = "The council met on Monday and condemned the attack on the embassy in strong words.\n\nMore text.\n"
    parsed = parse_news(text, path="a.txt")
    assert any(w.startswith("a.txt:1: first line is not a headline") for w in parsed.warnings)


def test_well_formed_report_has_no_warning() -> None:
    text = "Embassy attacked\n\nJo Writer | January 2, 2020 | 9:15am EST\n\nRockets hit the embassy on Monday.\n"
    assert parse_news(text, path="b.txt").warnings == []


def test_nothing_but_a_headline_is_an_error_naming_the_file() -> None:
    with pytest.raises(ParseError, match=r"^ParseError: c\.txt:1: no article text"):
        parse_news("Embassy attacked\n\nJo Writer | January 2, 2020 | 9:15am EST\nText Audio\n", path="c.txt")


def _add(raw: Path, sid: str, text: str) -> None:
    (raw / "sources" / f"{sid}.txt").write_text(text)
    manifest = yaml.safe_load((raw / "manifest.yaml").read_text())
    manifest["sources"].append({"source_id": sid, "file": f"sources/{sid}.txt", "title": sid, "format": "news",
                                "license": "CC-BY-SA-4.0", "full_text_public": True})
    (raw / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))


def _cli(raw: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "build"], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=900)


def test_build_reports_the_warning_and_refuses_an_unreadable_file(built, tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(built.paths.raw_dir, raw)
    shutil.copytree(built.paths.out_dir, out, symlinks=True)
    _add(raw, "council-statement", NO_BYLINE)
    proc = _cli(raw, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = (out / "warehouse" / "build_report.txt").read_text()
    assert any(ln.startswith("[parse] ") and "sources/council-statement.txt:3: expected a byline" in ln
               for ln in report.splitlines()), report[:2000]
    site = out / "publish" / "site"
    before = os.readlink(site)
    _add(raw, "empty-article", "Embassy attacked\n\nJo Writer | January 2, 2020 | 9:15am EST\n")
    proc = _cli(raw, out)
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "empty-article.txt:1: no article text" in lines[0], proc.stderr[-2000:]
    assert os.readlink(site) == before
