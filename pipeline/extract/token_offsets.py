"""Tokens of a parsed sentence by character offsets, without walking the sentence.

What belongs here: the character offsets and text of a spaCy ``Doc``, kept for the few docs being
read (``doc_text``), and the tokens overlapping a character range found by bisection
(``overlapping``). The clause layer asks "which tokens cover these characters" several times per
sentence; a walk over the doc creates a Python ``Token`` for every token each time, and
``Doc.text`` joins every token's text each time: together ~1/4 of the events reading's CPU.
Tokens and their offsets never change once a doc is parsed (entity labels may; they are not kept
here), so the answers are the walk's own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Token

_KEEP = 32  # docs whose offsets are kept (the sentences a reader is on, and a few before)
_CACHE: dict[int, tuple[Doc, list[int], list[int], str]] = {}


def _offsets(doc: Doc) -> tuple[list[int], list[int], str]:
    hit = _CACHE.get(id(doc))
    # the entry holds the doc itself, so its id cannot be reused by another doc while it is kept
    if hit is not None and hit[0] is doc:
        return hit[1], hit[2], hit[3]
    arr = doc.to_array([IDX, LENGTH])
    starts = arr[:, 0].tolist()
    ends = (arr[:, 0] + arr[:, 1]).tolist()
    text = doc.text
    if len(_CACHE) >= _KEEP:
        del _CACHE[next(iter(_CACHE))]  # the oldest (dicts keep insertion order)
    _CACHE[id(doc)] = (doc, starts, ends, text)
    return starts, ends, text


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc."""
    return _offsets(doc)[2]


def overlapping(doc: Doc, start: int, end: int) -> list[Token]:
    """The tokens overlapping characters [start, end) of ``doc`` (offsets within the doc), in order:
    ``[t for t in doc if t.idx < end and t.idx + len(t.text) > start]``. Tokens are ordered and
    disjoint, so their starts and ends both increase and the answer is one run of tokens."""
    starts, ends, _ = _offsets(doc)
    lo = bisect_right(ends, start)  # first token ending after start
    hi = bisect_left(starts, end)  # first token starting at or after end
    return [doc[k] for k in range(lo, hi)]


def starting_in(doc: Doc, start: int, end: int) -> list[Token]:
    """The tokens starting in characters [start, end) of ``doc``: ``[t for t in doc if start <= t.idx < end]``."""
    starts, _, _ = _offsets(doc)
    return [doc[k] for k in range(bisect_left(starts, start), bisect_left(starts, end))]
