"""Coreference by rule: he/she/they/it and titles resolved to an actor named just before.

What belongs here: the paragraph memory of actors and the rule that picks an antecedent. No
statistical coreference model installs offline for spaCy 3.8 (see RELATIONS-NOTES §5), so:
- he/she/him/her (and a definite title from ``coref_titles``: "the general") -> a person;
  it/its -> an organization, state or document; they/them/their -> an organization or state
  (or several persons);
- candidates are actors of earlier sentences of the same paragraph, and those before the
  pronoun in its own sentence; the nearest sentence with a candidate of the right type decides;
- in that sentence subjects (agents and attribution sources) are preferred; two different
  subjects of the right type, or no subject and two others, leave the pronoun unresolved.
Only role fillers and attribution sources are resolved, never every pronoun of the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.extract.clauses.lexicon import Lexicon
from pipeline.extract.clauses.roles import Actor

_PERSON = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
_THING = {"it", "its", "itself"}
_PLURAL = {"they", "them", "their", "themselves"}
_FIRST = {"i", "we", "me", "us", "my", "our"}


@dataclass
class _Seen:
    sentence: int
    actor: Actor
    subject: bool


def wanted_kinds(actor: Actor, lex: Lexicon) -> set[str] | None:
    """The actor kinds an anaphor may stand for; None when ``actor`` is no anaphor."""
    low = actor.text.lower()
    if actor.kind == "pronoun":
        if low in _PERSON:
            return {"person"}
        if low in _THING:
            return {"org", "state", "document"}
        if low in _PLURAL:
            return {"org", "state"}
        return None
    words = low.split()
    if actor.entity_id is None and actor.kind == "other" and len(words) >= 2 and words[0] == "the" \
            and " ".join(words[1:]) in lex.coref_titles:
        return {"person"}
    return None


class Coref:
    """Paragraph memory of actors; call ``new_paragraph`` at each paragraph start."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.seen: list[_Seen] = []
        self.sentence = 0

    def new_paragraph(self) -> None:
        self.seen = []

    def next_sentence(self) -> None:
        self.sentence += 1

    def observe(self, actor: Actor, subject: bool) -> None:
        """Remember a named actor of the current sentence (after resolving that sentence's anaphors)."""
        target = actor.named
        if target.kind in ("person", "org", "state", "document") and wanted_kinds(target, self.lex) is None:
            self.seen.append(_Seen(self.sentence, target, subject))

    def resolve(self, actor: Actor) -> Actor | None:
        """The antecedent of an anaphor (also stored in ``actor.resolved``), or None."""
        kinds = wanted_kinds(actor, self.lex)
        if kinds is None:
            return None
        pool = [s for s in self.seen if s.actor.kind in kinds and (
            s.sentence < self.sentence or s.actor.end <= actor.start)]
        if not pool:
            return None
        last = max(s.sentence for s in pool)
        here = [s for s in pool if s.sentence == last]
        for group in ([s for s in here if s.subject], here):
            distinct = {s.actor.entity_id or s.actor.text.lower(): s.actor for s in group}
            if len(distinct) == 1:
                actor.resolved = next(iter(distinct.values()))
                return actor.resolved
            if len(distinct) > 1:
                return None
        return None


def is_first_person(actor: Actor) -> bool:
    """ "we", "I": inside a quotation, its speaker."""
    return actor.kind == "pronoun" and actor.text.lower() in _FIRST
