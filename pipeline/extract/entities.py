"""Lookup of resolved person and organization mentions by span.

The person/organization extractor fills an ``EntityIndex``; later extractors
(events, plots, legal positions) ask it which persons and organizations are
named inside a sentence to link actors and holders.

States as actors: ``state_of(surface)`` gives the org_id of the published organizations row of
the state that words name ("Iran", "Iran's", "Iranian", "the United States", "U.S.", "the Iraqi
government", "the government of Iraq", "Tehran") or None; its forms are built by
``pipeline.extract.organizations`` for the states the sources name. Call it on the words of an
agent, subject or holder the parse says acts; a place named as a location is not an actor.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
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

    def __init__(self, mentions: Iterable[EntityMention] = (), states: Mapping[str, str] | None = None):
        # folded form naming a state ("iranian government") -> org_id of its row
        self.states: dict[str, str] = dict(states or {})
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

    def state_of(self, surface: str) -> str | None:
        """org_id of the state ``surface`` names (a country's name or adjective, with or without a
        state noun, article or possessive; a seat of government), None if it names no published one."""
        if not any(c.isupper() for c in surface):  # "us", "iran" in lower case: no name
            return None
        return self.states.get(_fold_state(surface))


def _fold_state(surface: str) -> str:
    """The form ``organizations.state_forms`` keys: lower-case ASCII, straight apostrophes dropped,
    no leading article, no trailing possessive."""
    s = unicodedata.normalize("NFKD", surface.replace("’", "'")).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"\s+", " ", s.lower()).strip()
    s = re.sub(r"^(?:the|a|an) ", "", s)
    s = re.sub(r"(?:'s|s'|')$", "", s).strip()
    return s.replace("'s ", " ").replace("'", "")
