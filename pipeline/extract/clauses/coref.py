"""Coreference by rule: he/she/they/it and titles resolved to an actor named just before.

What belongs here: the paragraph memory of actors and the rule that picks an antecedent. No
statistical coreference model installs offline for spaCy 3.8 (see RELATIONS-NOTES §5), so:
- he/she/him/her -> a person; a definite title from ``coref_titles``, with up to two modifiers ("the
  spokesperson", "the UN Rapporteur") -> the latest phrase of the paragraph holding that title with
  its modifiers, in its own words or in the title written before it ("An Interpol spokesperson",
  "Gen. X", "UN Rapporteur on executions Agnès X said"), else unresolved;
  it/its -> an organization, state or document; they/them/their -> an organization or state
  (or several persons); "the group" (``group_nouns``) -> a phrase so called, else an organization;
- candidates are actors of earlier sentences of the same paragraph (and, for a paragraph that
  continues its section, the previous paragraph's subjects), those before the pronoun in its own
  sentence, and names in apposition to them; the nearest sentence with a candidate decides;
- in its own sentence the nearest subject before it wins, else the nearest actor before it; in an
  earlier sentence subjects (agents and attribution sources) are preferred, and two different
  subjects of the right type, or no subject and two others, leave the pronoun unresolved.
Only role fillers and attribution sources are resolved, never every pronoun of the text.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc

from pipeline.extract.clauses.lexicon import Lexicon
from pipeline.extract.clauses.roles import Actor

_PERSON = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
_THING = {"it", "its", "itself"}
_PLURAL = {"they", "them", "their", "themselves"}
_FIRST = {"i", "we", "me", "us", "my", "our"}
_TITLE_WORDS = 4  # "the" and a title with at most two modifiers: "the UN special rapporteur"


@dataclass
class _Seen:
    sentence: int
    actor: Actor
    subject: bool
    source: bool = False  # the source of an attribution (a speaker)
    context: str = ""  # lower-case: the actor's words with the title before them in its clause


_TITLE_POS = {"PROPN", "NOUN", "ADJ", "ADP", "DET", "PUNCT"}  # words a title before a name is made of


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
    if (actor.entity_id is None and 2 <= len(words) <= 3 and words[0] == "the" and words[-1] in lex.group_nouns
            and actor.text.split()[1:-1] == words[1:-1]):
        return {"org"}  # "the group", "the militant group": the organization named before
    if actor.entity_id is None and actor.kind == "other" and 2 <= len(words) <= _TITLE_WORDS and words[0] == "the" \
            and (" ".join(words[1:]) in lex.coref_titles or words[-1] in lex.coref_titles):
        return {"person"}  # "the spokesman", "the UN Rapporteur", "the special envoy"
    return None


class Coref:
    """Paragraph memory of actors; call ``new_paragraph`` at each paragraph start."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.seen: list[_Seen] = []
        self.titled: list[_Seen] = []  # every named phrase of the paragraph, for titles
        self.sentence = 0
        self.doc: Doc | None = None  # the current sentence and its absolute offset, for titles before a name
        self.base = 0
        self.starts: list[int] = []

    def new_paragraph(self, carry: bool = False) -> None:
        """Forget the paragraph's actors; with ``carry`` keep its subjects (a paragraph continuing
        the same section often opens with "He said ...")."""
        self.seen = [s for s in self.seen if s.subject] if carry else []
        self.titled = [s for s in self.titled if s.subject] if carry else []

    def next_sentence(self, doc: Doc | None = None, base: int = 0) -> None:
        self.sentence += 1
        self.doc, self.base = doc, base
        self.starts = [base + t.idx for t in doc] if doc is not None else []  # (one bisect per actor, not a scan)

    def _context(self, actor: Actor) -> str:
        """A named person's words with the title written right before them ("UN Rapporteur on executions
        Agnès X tweeted": the name's phrase may stop before its title); the title's words run back from the
        name to a verb or a clause's punctuation."""
        if actor.kind != "person" or self.doc is None:
            return actor.text.lower()
        doc = self.doc
        first = bisect_left(self.starts, actor.start)
        if first >= len(doc):
            return actor.text.lower()
        i = first
        while i > 0 and doc[i - 1].pos_ in _TITLE_POS and (doc[i - 1].pos_ != "PUNCT" or doc[i - 1].text == "-"):
            i -= 1
        return (doc[i:first].text + " " + actor.text).strip().lower() if i < first else actor.text.lower()

    def observe(self, actor: Actor, subject: bool, source: bool = False) -> None:
        """Remember a named actor of the current sentence (after resolving that sentence's anaphors)."""
        target = actor.named
        if target.kind != "pronoun" and wanted_kinds(target, self.lex) is None:
            self.titled.append(_Seen(self.sentence, target, subject, source, self._context(target)))
        if target.kind in ("person", "org", "state", "document") and wanted_kinds(target, self.lex) is None:
            self.seen.append(_Seen(self.sentence, target, subject or source, source))
        for named in target.appositions:
            self.seen.append(_Seen(self.sentence, named, False))
        if not subject:
            # "detailed X's criminal history, noting he was deported": the owner of a phrase that is no subject
            # (the owner of a subject is not: in "X's deputy said he ...", "he" is the deputy)
            for owner in actor.possessors:
                self.seen.append(_Seen(self.sentence, owner, False))

    def _title(self, actor: Actor) -> Actor | None:
        """ "the spokesperson", "the general": the latest actor whose own words hold that title ("An
        Interpol spokesperson", "Gen. X"); never merely the nearest person."""
        title = " ".join(actor.text.lower().split()[1:])
        for s in reversed(self.titled):
            if s.actor is not actor and title in (s.context or s.actor.text.lower()) \
                    and s.actor.text.lower() != actor.text.lower():
                # (the name in apposition to a titled phrase: "the Special Rapporteur, Agnes X, ...")
                return next((a for a in s.actor.appositions if a.kind == "person"), s.actor)
        return None

    def resolve(self, actor: Actor, source: bool = False) -> Actor | None:
        """The antecedent of an anaphor (also stored in ``actor.resolved``), or None. ``source``: the
        anaphor is a speaker ("..., he said"), so it stands for a speaker, not for whoever the reported
        clause is about ("If Soleimani was directing attacks ..., he said")."""
        kinds = wanted_kinds(actor, self.lex)
        if kinds is None:
            return None
        if actor.kind != "pronoun" and kinds != {"org"}:
            actor.resolved = self._title(actor)
            return actor.resolved
        if actor.kind != "pronoun":
            # "the group": a phrase called so ("the Daesh terrorist group"), else an organization as for "it"
            named = self._title(actor)
            if named is not None and named.entity_kind == "org":
                actor.resolved = named
                return named
        pool = [s for s in self.seen if s.actor.kind in kinds and s.actor is not actor and (
            s.sentence < self.sentence or s.actor.end <= actor.start)]
        if source:
            # (subjects of the reported clauses of its own sentence are not candidates; names elsewhere are)
            here = [s for s in pool if s.sentence == self.sentence and s.subject and not s.source]
            pool = [s for s in pool if s not in here]
        if not pool:
            return None
        last = max(s.sentence for s in pool)
        here = [s for s in pool if s.sentence == last]
        if last == self.sentence:
            # in its own sentence: the nearest subject before it, else the nearest actor before it
            subjects = [s for s in here if s.subject]
            pick = max(subjects or here, key=lambda s: s.actor.start)
            actor.resolved = pick.actor
            return actor.resolved
        groups = [[s for s in here if s.source]] if source else []
        for group in [*groups, [s for s in here if s.subject], here]:
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
