"""The in-memory corpus every extractor reads: sources, passages, provenance helpers.

``build_corpus`` turns manifest entries into ``SourceDoc`` and ``PassageRow``
objects; ``provenance`` builds the five provenance columns every extracted row
carries (source_id, passage_id, char_start, char_end, quote).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.ids import short_hash
from pipeline.manifest import ManifestEntry
from pipeline.parsers import parse
from pipeline.textnorm import read_source


@dataclass(frozen=True)
class SourceDoc:
    """One source document, its text normalised (all offsets point into ``text``)."""

    source_id: str
    format: str
    text: str
    title: str
    published_date: str | None  # ISO date, from the manifest or the byline
    published_time: str | None
    full_text_public: bool
    sha256: str
    entry: ManifestEntry | None = None
    warnings: tuple[str, ...] = ()  # what the parser read but did not understand (build report)


@dataclass(frozen=True)
class PassageRow:
    """One paragraph of a source: ``text == doc.text[char_start:char_end]``."""

    passage_id: str
    source_id: str
    section: str
    ordinal: int
    char_start: int
    char_end: int
    text: str
    kind: str = "paragraph"


def passage_ids(source_id: str, keys: list[tuple[str, str]]) -> list[str]:
    """IDs from (section, text): editing one paragraph changes only its own ID."""
    seen: Counter[str] = Counter()
    out = []
    for section, text in keys:
        base = short_hash(section, text, length=10)
        seen[base] += 1
        suffix = "" if seen[base] == 1 else f"-{seen[base]}"
        out.append(f"{source_id}:{base}{suffix}")
    return out


def load_source(entry: ManifestEntry, raw_dir: Path, curated_dir: Path) -> tuple[SourceDoc, list[PassageRow]]:
    """Read, normalise and parse one manifest entry."""
    path = raw_dir / entry.file
    text, sha = read_source(path)
    parsed = parse(entry.format, text, path=path, curated_dir=curated_dir)
    doc = SourceDoc(
        source_id=entry.source_id,
        format=entry.format,
        text=text,
        title=entry.title or parsed.title or entry.source_id,
        published_date=entry.published_date or parsed.published_date,
        published_time=parsed.published_time,
        full_text_public=entry.full_text_public,
        sha256=sha,
        entry=entry,
        warnings=tuple(parsed.warnings),
    )
    ids = passage_ids(entry.source_id, [(p.section, p.text) for p in parsed.passages])
    passages = [
        PassageRow(pid, entry.source_id, p.section, i, p.char_start, p.char_end, p.text, p.kind)
        for i, (pid, p) in enumerate(zip(ids, parsed.passages, strict=True))
    ]
    return doc, passages


def provenance(passage: PassageRow, char_start: int, char_end: int, doc_text: str) -> dict[str, Any]:
    """The provenance columns for a span [char_start, char_end) of ``passage``'s source."""
    assert passage.char_start <= char_start <= char_end <= passage.char_end, "span outside passage"
    return {
        "source_id": passage.source_id,
        "passage_id": passage.passage_id,
        "char_start": char_start,
        "char_end": char_end,
        "quote": doc_text[char_start:char_end],
    }


def local_key(passage: PassageRow, char_start: int, char_end: int) -> str:
    """A key for a span that survives edits elsewhere in the source (for row IDs)."""
    return f"{passage.passage_id}@{char_start - passage.char_start}+{char_end - char_start}"
