"""The manifest: metadata checks, one-line errors with file and line, adding a source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import ManifestError, SourceError
from pipeline.manifest import add_source, load_manifest
from pipeline.paths import REPO_ROOT


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    shutil.copytree(REPO_ROOT / "raw", tmp_path / "raw")
    return tmp_path / "raw"


def test_seed_manifest_loads() -> None:
    entries = load_manifest(REPO_ROOT / "raw")
    assert {e.format for e in entries} == {"wikipedia", "news"}
    wiki = next(e for e in entries if e.format == "wikipedia")
    assert wiki.full_text_public and wiki.license == "CC-BY-SA-4.0"


def _edit(raw: Path, old: str, new: str) -> None:
    path = raw / "manifest.yaml"
    path.write_text(path.read_text().replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("format: news", "format: pdf", "unknown format 'pdf'"),
        ("file: sources/cnsnews", "file: sources/missing", "does not exist"),
        ("source_id: cnsnews-zarif-book-not-closed-2020-09-22",
         "source_id: wikipedia-assassination-of-qasem-soleimani", "duplicate source_id"),
        ("title: Assassination", "title: [Assassination", "YAML syntax error"),
        ("published_date: '2020-09-22'", "published_date: 'Sept 22'", "not an ISO date"),
    ],
)
def test_bad_manifest_gives_one_line_with_file_and_line(raw: Path, old: str, new: str, needle: str) -> None:
    _edit(raw, old, new)
    with pytest.raises(ManifestError) as exc:
        load_manifest(raw)
    message = str(exc.value)
    assert needle in message
    assert "manifest.yaml:" in message  # names the file and the line
    assert "\n" not in message


def test_add_source_appends_entry_and_copies_file(raw: Path, tmp_path: Path) -> None:
    article = tmp_path / "new.txt"
    article.write_text("A Headline\n\nJohn Roe | January 8, 2020 | 1:00pm EST\n\nIran fired missiles.\n")
    add_source(raw, article, source_id="example-2020-01-08", title="A Headline", fmt="news",
               published_date="2020-01-08")
    entries = load_manifest(raw)
    assert entries[-1].source_id == "example-2020-01-08"
    assert (raw / entries[-1].file).read_text().startswith("A Headline")
    with pytest.raises(ManifestError, match="duplicate"):
        add_source(raw, article, source_id="example-2020-01-08", title="x", fmt="news")


def test_add_source_refuses_unreadable_file(raw: Path, tmp_path: Path) -> None:
    before = (raw / "manifest.yaml").read_text()
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(SourceError, match="binary"):
        add_source(raw, binary, source_id="bin", title="x", fmt="news")
    assert (raw / "manifest.yaml").read_text() == before
