"""Lookup of resolved person and organization mentions by span.

The person/organization extractor fills an ``EntityIndex``; later extractors
(events, plots, legal positions) ask it which persons and organizations are
named inside a sentence to link actors and holders.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class EntityMention:
    source_id: str
    char_start: int
    char_end: int
    entity_id: str  # person_id or org_id
    kind: str  # "person" or "org"
    surface: str


class EntityIndex:
    """Mentions sorted per source for span queries."""

    def __init__(self, mentions: Iterable[EntityMention] = ()):
        by_source: dict[str, list[EntityMention]] = defaultdict(list)
        for m in mentions:
            by_source[m.source_id].append(m)
        self._mentions = {sid: sorted(ms, key=lambda m: (m.char_start, m.char_end)) for sid, ms in by_source.items()}
        self._starts = {sid: [m.char_start for m in ms] for sid, ms in self._mentions.items()}

    def in_span(self, source_id: str, start: int, end: int, kind: str | None = None) -> list[EntityMention]:
        """Mentions lying wholly inside [start, end), in text order."""
        ms = self._mentions.get(source_id, [])
        lo = bisect.bisect_left(self._starts.get(source_id, []), start)
        out = []
        for m in ms[lo:]:
            if m.char_start >= end:
                break
            if m.char_end <= end and (kind is None or m.kind == kind):
                out.append(m)
        return out

    def of_source(self, source_id: str) -> list[EntityMention]:
        """Every mention of one source, in text order."""
        return list(self._mentions.get(source_id, []))

    def all(self) -> list[EntityMention]:
        return [m for ms in self._mentions.values() for m in ms]
