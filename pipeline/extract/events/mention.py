"""Events: one telling of a dated occurrence (``EventMention``) and the spans a clause is read around.

What belongs here: the mention record shared by reading, merging and rows, and the small span
helpers (quotations, masks) that several steps use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.corpus import PassageRow, local_key
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityMention
from pipeline.extract.places import PlaceHit
from pipeline.ids import short_hash
from pipeline.text import SpanSet


@dataclass
class EventMention:
    """One telling of a dated occurrence (a clause), before merging."""

    source_id: str
    passage: PassageRow
    char_start: int  # clause span (absolute)
    char_end: int
    date: DateMention
    event_type: str
    trigger: str | None
    group: str | None
    distinct: bool
    summary: str
    place: PlaceHit | None
    killed: int | None
    attributed_to: str | None
    actors: list[tuple[EntityMention, str]]  # (entity, role)
    words: frozenset[str]
    topic_date: str | None  # the date the source's lead gives its subject (articles only)
    order: tuple[int, int] = (0, 0)  # (source rank, offset) for stable "first mention"
    quote: str = ""
    # Groups of every (non-weak) trigger of the clause: "56 people were killed in a stampede during
    # Soleimani's burial" also tells of the burial.
    groups: frozenset[str] = frozenset()
    # Every locative place of the clause ("in the city of Ahvaz and the holy city of Mashhad").
    place_ids: frozenset[str] = frozenset()
    # Where the toll was read (the clause, or the next sentence: "... the attack killed six people"),
    # and the number wounded with its span: the claims of this telling (``pipeline.claims``).
    killed_span: tuple[int, int] | None = None
    injured: int | None = None
    injured_span: tuple[int, int] | None = None
    # The passage holding a toll's span when the next paragraph gave it (a one-sentence news paragraph
    # continued: "At least 35 people died, officials said"); None when it is ``passage``.
    toll_passage: PassageRow | None = None
    # The participants as ``pair_score`` compares them, for the actors list (and its length) they
    # were read from (see ``_participants``).
    _roles_memo: tuple[list[tuple[EntityMention, str]], int, _Roles] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        return local_key(self.passage, self.char_start, self.char_end)

    @property
    def mention_id(self) -> str:
        return short_hash(self.key, self.date.char_start - self.passage.char_start)


_QUOTE_RE = re.compile(r"“[^”]*”|\"[^\"]*\"|(?<![\w])‘[^’]*’(?![\w])")


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans inside quotation marks (curly or straight double, curly single at word edges)."""
    spans: list[tuple[int, int]] = []
    for m in _QUOTE_RE.finditer(text, start, end):
        spans.append((m.start(), m.end()))
    return spans


def _inside(pos: int, spans: SpanSet) -> bool:
    return spans.inside(pos)


def _inside_any(pos: int, masks: Sequence[SpanSet]) -> bool:
    return any(m.inside(pos) for m in masks)


@dataclass(frozen=True)
class _Roles:
    roles: frozenset[tuple[str, str]]  # (entity_id, role class)
    ids: frozenset[str]  # entity_id of every participant
    agents: frozenset[str]  # entity_id of the agents
