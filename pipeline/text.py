"""Sentence splitting with exact offsets, shared by every extractor; sets of spans.

Rule based: a sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes and
brackets) followed by whitespace and an upper-case letter, a digit or an
opening quote, unless the token before the full stop is a known abbreviation
(``raw/curated/abbreviations.yaml``) or a single capital initial, or an abbreviation that stands
before a number ("Art. 2(4)", "para. 12") and a number follows.

A sentence is at most ``MAX_SENTENCE_CHARS`` long: a longer run without a sentence end
(OCR output, a table, a scraped page) is cut at its last clause mark, else its last space,
before that length (``safe_pieces``). This one definition serves every extractor, the
statistical model (which is never handed more) and the validator alike.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pipeline import yamlload
from pipeline.errors import CuratedDataError

DEFAULT_CURATED = Path(__file__).resolve().parents[1] / "raw" / "curated"

# Linear time: a candidate starts only at the first mark of a run of marks (the lookbehind), and
# possessive quantifiers never give back what they took, so no run is scanned twice.
_BOUNDARY = r"[.!?]++[\"”’')\]]*+(?=\s++[\"“‘(]?[A-Z0-9])"
_BOUNDARY_RE = re.compile(rf"(?<![.!?]){_BOUNDARY}")
_BOUNDARY_AT_RE = re.compile(_BOUNDARY)  # for a range that starts inside a run of marks
_INITIAL_RE = re.compile(r"[A-Z]")
# Longer than any sentence of ordinary prose (the seeds' longest is under 800 characters), short
# enough for the parser and for per-sentence rules to stay fast.
MAX_SENTENCE_CHARS = 2000
# Where a too-long run is cut, best first: after a clause mark, else at any whitespace (a full stop
# inside the run is an abbreviation's: "Dr. Reyes" is not cut).
_CUT_MARKS = (re.compile(r"[;:,—][\"”’')\]]*\s"), re.compile(r"\s"))
_INITIALISM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
# What follows a boundary when it is a number ("Art. 2(4)"): the boundary's own whitespace, once.
_NUMBER_NEXT_RE = re.compile(r"\s++[\"“‘(]?\d")


def _token_before(text: str, pos: int, floor: int) -> str:
    """The run of word characters and dots ending at ``pos`` (not before ``floor``).

    Scanned backwards from ``pos``: a boundary is always followed by whitespace, so no
    character is scanned by two boundaries and the splitter stays linear in the text."""
    i = pos
    while i > floor and (text[i - 1].isalnum() or text[i - 1] in "._"):
        i -= 1
    return text[i:pos]


@lru_cache(maxsize=4)
def _abbreviations(curated_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The abbreviations, and those that are abbreviations only before a number ("Art. 2")."""
    data = yamlload.safe_load((curated_dir / "abbreviations.yaml").read_text(encoding="utf-8"))
    entries = data["abbreviations"]
    numbered = data.get("before_number") or []
    odd = [a for a in [*entries, *numbered] if not isinstance(a, str)]
    if odd:  # YAML reads a bare No as false: such entries must be quoted
        raise CuratedDataError(f"abbreviations must be strings, got {odd[0]!r} (quote it)", curated_dir / "abbreviations.yaml")
    return frozenset(entries), frozenset(numbered)


def sentence_spans(text: str, start: int = 0, end: int | None = None, curated_dir: Path | None = None,
                   *, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """[start, end) offsets (into ``text``) of the sentences of ``text[start:end]``, none longer than
    ``limit`` (a larger ``limit`` only for tools that look for the sentence ends themselves)."""
    end = len(text) if end is None else end
    abbrevs, numbered = _abbreviations(curated_dir or DEFAULT_CURATED)
    spans: list[tuple[int, int]] = []
    sent_start = start
    first = _BOUNDARY_AT_RE.match(text, start, end) if 0 < start < end and text[start - 1] in ".!?" else None
    for m in itertools.chain([first] if first else [], _BOUNDARY_RE.finditer(text, start, end)):
        if text[m.start()] == ".":
            token = _token_before(text, m.start(), sent_start)
            if token in abbrevs or _INITIAL_RE.fullmatch(token) or _INITIALISM_RE.fullmatch(token):
                continue
            if token in numbered and _NUMBER_NEXT_RE.match(text, m.end(), end):
                continue
        cut = m.end()
        spans.extend(safe_pieces(text, sent_start, cut, limit))
        sent_start = cut
        while sent_start < end and text[sent_start].isspace():
            sent_start += 1
    if sent_start < end and text[sent_start:end].strip():
        tail_end = end
        while tail_end > sent_start and text[tail_end - 1].isspace():
            tail_end -= 1
        spans.extend(safe_pieces(text, sent_start, tail_end, limit))
    return spans


def safe_pieces(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """[start, end) cut into pieces of at most ``limit`` characters, without whitespace at their
    edges: each cut after the last clause mark, else at the last whitespace, in the second half of
    the piece (a hard cut only in a run with no whitespace at all). Offsets stay exact."""
    out: list[tuple[int, int]] = []
    while end - start > limit:
        window_lo, window_hi = start + limit // 2, start + limit
        stop = -1
        for mark in _CUT_MARKS:
            last = None
            for m in mark.finditer(text, window_lo, window_hi):
                last = m
            if last is not None:
                stop = last.end() - 1  # the whitespace after the mark
                break
        piece_end = stop if stop > start else window_hi
        nxt = piece_end
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        while nxt < end and text[nxt].isspace():
            nxt += 1
        out.append((start, piece_end))
        start = nxt
    if end > start:
        out.append((start, end))
    return out


class SpanSet:
    """Spans (start, end) of a text, asked whether a position or a range touches one of them.

    Kept sorted by start, so a question looks only at the spans starting less than the longest
    span's length before it (a binary search, then a few neighbours): a long paragraph has many
    names, dates and quotations, and comparing each word with all of them would make reading the
    paragraph quadratic. Spans may overlap or nest; ``add`` keeps the order.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        pairs = sorted(spans)
        self._starts = [s for s, _ in pairs]
        self._ends = [e for _, e in pairs]
        self._longest = max((e - s for s, e in pairs), default=0)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        self._longest = max(self._longest, end - start)

    def _ends_after(self, i: int, pos: int) -> bool:
        """Whether a span among the first ``i`` (by start) ends after ``pos``; spans starting
        ``longest`` or more before ``pos`` cannot, so the walk back stops there."""
        floor = pos - self._longest
        while i > 0 and self._starts[i - 1] > floor:
            i -= 1
            if self._ends[i] > pos:
                return True
        return False

    def inside(self, pos: int) -> bool:
        """Whether start < pos < end for some span."""
        return self._ends_after(bisect.bisect_left(self._starts, pos), pos)

    def covers(self, pos: int) -> bool:
        """Whether start <= pos < end for some span."""
        return self._ends_after(bisect.bisect_right(self._starts, pos), pos)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span shares a character with [start, end) (start < its end, its start < end)."""
        return self._ends_after(bisect.bisect_left(self._starts, end), start)

    def encloses(self, start: int, end: int) -> bool:
        """Whether some span longer than [start, end) contains it (its start <= start, end <= its end)."""
        i = bisect.bisect_right(self._starts, start)
        floor = end - self._longest
        while i > 0 and self._starts[i - 1] >= floor:
            i -= 1
            if self._ends[i] >= end and self._ends[i] - self._starts[i] > end - start:
                return True
        return False

    def __bool__(self) -> bool:
        return bool(self._starts)
