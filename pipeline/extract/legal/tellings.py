"""One position told twice in one source is one row: a headline restating the body.

What belongs here: deciding which tellings of a source's positions are the same position, and which
telling the row keeps. A headline compresses what its body tells ("Killing most likely unlawful, UN
rep says" above "..., UN Rapporteur Agnès Callamard tweeted"): its holder is a shorthand and its
words are the body's, so the body's telling, with the full name and the sentence that states the
position, is the row; the headline's telling adds nothing a reader can check that the body does not.
A headline position is a restatement when the body of the same source states a position on the same
subject by
- the same holder (any stance: the headline drops the hedges and conditions the body keeps), or
- any holder of the same holder_type with the same stance, when the headline names its holder by no
  entity of the index of that kind ("UN rep", "UN investigator", "officials"), or
- any holder with the same stance, when the headline's holder states nothing in the body: the headline
  names the body's holder by an institution it speaks for or a document it wrote ("UN report calls the
  strike arbitrary" above "a UN investigator says ..."); a headline holder the body quotes on another
  matter is no such shorthand.
A headline position the body does not state stays a row of its own. Positions told twice in the body
are separate statements (a speaker judging the strike twice in different words) and are all kept.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from pipeline.corpus import PassageRow
from pipeline.extract.legal.holders import Holder
from pipeline.extract.sentences import Sentence


class _Telling(Protocol):
    holder: Holder
    stance: str
    subject: str
    sent: Sentence


T = TypeVar("T", bound=_Telling)


_LEAD_WORDS = 25  # a headline is short; a first line longer than this, ending in a full stop, is the lead


def is_headline(p: PassageRow) -> bool:
    """A headline passage; a report with no headline line has its lead read as one, but a full sentence of
    many words closed by a full stop is the body's first statement, not a shorthand of it."""
    if p.kind != "headline":
        return False
    text = p.text.rstrip()
    return not (text.endswith(".") and len(text.split()) > _LEAD_WORDS)


def restates(head: _Telling, body: _Telling, silent_in_body: bool = False) -> bool:
    """Whether the headline telling ``head`` restates the body telling ``body`` (same source);
    ``silent_in_body``: the headline's holder states no position in the body."""
    if head.subject != body.subject:
        return False
    if head.holder.key == body.holder.key:
        return True
    if head.stance != body.stance:
        return False
    return silent_in_body or (not named(head.holder) and head.holder.holder_type == body.holder.holder_type)


def named(h: Holder) -> bool:
    """Whether the holder is an entity of the index of its own kind: a person holder by a person, any other
    by an organization or state ("UN rep" names the UN, but the holder is a person it does not name)."""
    return (h.person_id if h.holder_type == "person" else h.person_id or h.org_id) is not None


def without_restatements(tellings: list[T], report: list[str]) -> list[T]:
    """``tellings`` of one source without the headline ones its body restates (order kept)."""
    body = [t for t in tellings if not is_headline(t.sent.passage)]
    speaking = {b.holder.key for b in body}
    out: list[T] = []
    for t in tellings:
        if is_headline(t.sent.passage):
            same = next((b for b in body if restates(t, b, t.holder.key not in speaking)), None)
            if same is not None:
                report.append(f"legal: headline position of {t.holder.name!r} is told in the body by "
                              f"{same.holder.name!r} ({same.sent.passage.passage_id}): one row")
                continue
        out.append(t)
    return out
