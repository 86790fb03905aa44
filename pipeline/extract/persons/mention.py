"""The records detection produces: a ``Mention`` (one place a person is probably named), a
source's ``SourceMentions`` and a finder's candidate span (``_Cand``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.corpus import PassageRow
from pipeline.extract.names import (
    NameShape,
)
from pipeline.extract.organizations import OrgMention, StateMention


@dataclass
class Mention:
    """One place a person is (probably) named, before resolution."""

    source_id: str
    passage: PassageRow
    char_start: int
    char_end: int
    surface: str
    shape: NameShape
    via: str  # ner | title | gazetteer | surname
    titles: tuple[str, ...] = ()
    role: str | None = None
    ner: bool = False  # spaCy tagged it PERSON
    kin: bool = False  # introduced as a relative ("his daughter, Zeinab Soleimani")
    same_as: tuple[int, int] | None = None  # span of another name of the same person in this source


@dataclass
class SourceMentions:
    """What ``detect_mentions`` read from one source."""

    source_id: str
    persons: list[Mention]
    orgs: list[OrgMention]
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (surface, reason)
    states: list[StateMention] = field(default_factory=list)  # countries named (states as actors)
    ner_seconds: float = 0.0
    rule_seconds: float = 0.0
    chars: int = 0


@dataclass
class _Cand:
    start: int
    end: int
    via: str
    ner: bool = False
