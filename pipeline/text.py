"""Sentence splitting with exact offsets, shared by every extractor.

Rule based: a sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes and
brackets) followed by whitespace and an upper-case letter, a digit or an
opening quote, unless the token before the full stop is a known abbreviation
(``raw/curated/abbreviations.yaml``) or a single capital initial.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.errors import CuratedDataError

DEFAULT_CURATED = Path(__file__).resolve().parents[1] / "raw" / "curated"

# Linear time: a candidate starts only at the first mark of a run of marks (the lookbehind), and
# possessive quantifiers never give back what they took, so no run is scanned twice.
_BOUNDARY = r"[.!?]++[\"”’')\]]*+(?=\s++[\"“‘(]?[A-Z0-9])"
_BOUNDARY_RE = re.compile(rf"(?<![.!?]){_BOUNDARY}")
_BOUNDARY_AT_RE = re.compile(_BOUNDARY)  # for a range that starts inside a run of marks
_INITIAL_RE = re.compile(r"[A-Z]")
_INITIALISM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _token_before(text: str, pos: int, floor: int) -> str:
    """The run of word characters and dots ending at ``pos`` (not before ``floor``).

    Scanned backwards from ``pos``: a boundary is always followed by whitespace, so no
    character is scanned by two boundaries and the splitter stays linear in the text."""
    i = pos
    while i > floor and (text[i - 1].isalnum() or text[i - 1] in "._"):
        i -= 1
    return text[i:pos]


@lru_cache(maxsize=4)
def _abbreviations(curated_dir: Path) -> frozenset[str]:
    data = yaml.safe_load((curated_dir / "abbreviations.yaml").read_text(encoding="utf-8"))
    entries = data["abbreviations"]
    odd = [a for a in entries if not isinstance(a, str)]
    if odd:  # YAML reads a bare No as false: such entries must be quoted
        raise CuratedDataError(f"abbreviations must be strings, got {odd[0]!r} (quote it)", curated_dir / "abbreviations.yaml")
    return frozenset(entries)


def sentence_spans(text: str, start: int = 0, end: int | None = None, curated_dir: Path | None = None) -> list[tuple[int, int]]:
    """[start, end) offsets (into ``text``) of the sentences of ``text[start:end]``."""
    end = len(text) if end is None else end
    abbrevs = _abbreviations(curated_dir or DEFAULT_CURATED)
    spans: list[tuple[int, int]] = []
    sent_start = start
    first = _BOUNDARY_AT_RE.match(text, start, end) if 0 < start < end and text[start - 1] in ".!?" else None
    for m in itertools.chain([first] if first else [], _BOUNDARY_RE.finditer(text, start, end)):
        if text[m.start()] == ".":
            token = _token_before(text, m.start(), sent_start)
            if token in abbrevs or _INITIAL_RE.fullmatch(token) or _INITIALISM_RE.fullmatch(token):
                continue
        cut = m.end()
        spans.append((sent_start, cut))
        sent_start = cut
        while sent_start < end and text[sent_start].isspace():
            sent_start += 1
    if sent_start < end and text[sent_start:end].strip():
        tail_end = end
        while tail_end > sent_start and text[tail_end - 1].isspace():
            tail_end -= 1
        spans.append((sent_start, tail_end))
    return spans
