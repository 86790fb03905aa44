"""Anchors: the times, places and quantities the parse attaches to each frame.

What belongs here:
- ``attach``: dates (``DateMention``s found by ``pipeline.extract.dates.find_dates`` -- the one
  date reader) and the statistical model's GPE/LOC/FAC places and CARDINAL/QUANTITY numbers go
  to the frame whose subtree holds them most narrowly (the parse, not the nearest in characters);
- ``StoryLine``: the last dated occurrence of the story, so that an offset ("five days later",
  "the next day", "shortly afterward") counts from the occurrence it follows, never from the
  report's own date or the date a report was released; "in the days after X" takes X's date at
  month precision (all that is known). ``date_text`` keeps the words of the offset;
- ``counted``/``casualties``: the number a noun phrase counts by the parse ("five members", "nearly three
  dozen people": its number words, hedged or not), and the people a verb's patient counts, summed over
  conjoined patients of that same verb ("killing five members ... and two guests" = 7).
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from pipeline.extract.clauses.frames import Frame
from pipeline.extract.dates import DateContext, DateMention, find_dates
from pipeline.extract.token_offsets import overlapping

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NUMBER_LABELS = {"CARDINAL", "QUANTITY"}
# "in the days after", "in the weeks following": a vague span after an occurrence
_VAGUE_AFTER = re.compile(r"\b(?:in|during|over)\s+the\s+(?:days|weeks)\s+(?:after|following)\b", re.I)
# the noun phrase naming the occurrence: up to four words, ending at punctuation or a clause word
_NP_AFTER = re.compile(r"\s+((?:the|a|an|his|her|its|their)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+)(?=[,.;:]|\s+(?:and|but|when|as|,)|$)")


@dataclass
class Anchor:
    kind: str  # date | place | quantity
    text: str
    start: int  # absolute offsets
    end: int
    label: str = ""  # the model's entity label
    date: DateMention | None = None


def _owner(frames: list[Frame], doc: Doc, base: int, start: int, end: int) -> Frame | None:
    """The frame whose clause holds [start, end) most narrowly, by the parse."""
    toks = overlapping(doc, start - base, end - base)
    if not toks:
        return None
    inside = {t.i for t in toks}
    head = next((t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[0])
    by_head = {f.head: f for f in frames}
    for t in [head, *head.ancestors]:
        if t.i in by_head:
            return by_head[t.i]
    return None


def attach(frames: list[Frame], doc: Doc, base: int, dates: list[DateMention]) -> None:
    """Adds ``Anchor``s to the frames of one parsed sentence."""
    for d in dates:
        f = _owner(frames, doc, base, d.char_start, d.char_end)
        if f is not None:
            f.anchors.append(Anchor("date", d.date_text, d.char_start, d.char_end, "DATE", d))
    for ent in doc.ents:
        kind = "place" if ent.label_ in _PLACE_LABELS else "quantity" if ent.label_ in _NUMBER_LABELS else ""
        if not kind:
            continue
        s, e = base + ent.start_char, base + ent.end_char
        if any(a.start <= s < a.end for f in frames for a in f.anchors if a.kind == "date"):
            continue  # a number inside a date ("five days later")
        f = _owner(frames, doc, base, s, e)
        if f is not None:
            f.anchors.append(Anchor(kind, ent.text, s, e, ent.label_))


class StoryLine:
    """The dated occurrences told so far in a source, for offsets that count from them.

    ``observe`` each frame once its dates are final, saying whether its date is the telling's (a
    statement, a report's release): such dates anchor nothing."""

    def __init__(self) -> None:
        self.last: DateMention | None = None  # last dated occurrence
        self.last_any: DateMention | None = None  # last date read, occurrence or telling
        self.last_is_report = False

    def observe(self, frame: Frame, report_frame: bool) -> None:
        for a in frame.anchors:
            d = a.date
            if d is None or not d.resolved or d.date_precision is None:
                continue
            self.last_any, self.last_is_report = d, report_frame
            if not report_frame and d.kind != "publication":
                self.last = d

    def anchor(self, mention: DateMention, text: str) -> DateMention:
        """``mention`` re-read from the last dated occurrence when dates.py counted it from the
        report's own date or from the date a report was released; unresolved when no occurrence
        is dated. Dates that name their occurrence ("two days after the strike") stay as read."""
        if not mention.relative or mention.kind != "relative" or mention.resolved_by in ("reference", "clause"):
            return mention
        if not (mention.resolved_by == "published" or self.last_is_report):
            return mention
        if self.last is None or self.last.date_start is None:
            return dataclasses.replace(mention, date=None, date_start=None, date_end=None, date_precision=None)
        return reread(mention, text, self.last)


def reread(mention: DateMention, text: str, anchor: DateMention) -> DateMention:
    """``mention``'s words read again with ``anchor`` as the date the narrative is at."""
    ctx = DateContext.anchored_on(anchor)
    found = [m for m in find_dates(text, mention.char_start, mention.char_end, ctx)
             if m.char_start == mention.char_start and m.resolved]
    return dataclasses.replace(found[0], resolved_by="occurrence") if found else mention


def vague_after(text: str, start: int, end: int, ctx: DateContext) -> list[DateMention]:
    """ "in the days after the assassination": the named occurrence's month (no finer is known),
    for each such phrase in text[start:end) whose occurrence ``ctx`` has read dated."""
    out = []
    for m in _VAGUE_AFTER.finditer(text, start, end):
        np_m = _NP_AFTER.match(text, m.end(), end)
        if not np_m:
            continue
        ref = ctx.occurrence(np_m.group(1), need="month")
        if ref is None or ref.date_start is None:
            continue
        day = ref.date_start
        last = calendar.monthrange(day.year, day.month)[1]
        out.append(DateMention(m.start(), np_m.end(1), text[m.start() : np_m.end(1)], f"{day.year:04d}-{day.month:02d}",
                               day.replace(day=1), day.replace(day=last), "month", relative=True, kind="relative",
                               resolved_by="reference"))
    return out


# The patient of a verb: its object, or its subject when passive ("were killed") or intransitive ("died").
_PATIENT_DEPS = ("dobj", "nsubjpass")
_COUNT_DEPS = ("nummod", "quantmod")


def counted(noun: Token, number: Callable[[str], int | None]) -> int | None:
    """The number a noun phrase counts by the parse: its numeric modifier with the words the parse hangs
    on it ("three dozen people" -> 36, read by ``number``), 1 for an indefinite article ("a soldier"),
    None when nothing counts it."""
    mods = [c for c in noun.children if c.dep_ in _COUNT_DEPS]
    if not mods:
        det = [c for c in noun.children if c.dep_ == "det" and c.lower_ in ("a", "an")]
        return 1 if det else None
    words = sorted({t for m in mods for t in m.subtree if t.dep_ in _COUNT_DEPS or t is m}, key=lambda t: t.i)
    return number(" ".join(t.text for t in words))


def casualties(verb: Token, number: Callable[[str], int | None]) -> list[int] | None:
    """The counts of the people ``verb`` tells of as undergoing it: its patient (object, passive subject,
    or the subject of an intransitive "died") and the patients conjoined with it ("five members of a
    militia and two guests"), in text order; None unless every one of them is counted, so that
    "killed two soldiers and the commander" is no sum. Patients of a conjoined verb ("killed two and
    wounded three") are that verb's, not these."""
    patients = [c for c in verb.children if c.dep_ in _PATIENT_DEPS]
    if not patients and not any(c.dep_ in ("dobj", "auxpass") for c in verb.children):
        patients = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(patients) != 1:
        return None
    head = patients[0]
    nouns = [head, *(c for c in head.conjuncts if c.i > head.i)]
    counts = [counted(n, number) for n in nouns]
    if any(c is None for c in counts):
        return None
    return [c for c in counts if c is not None]
