"""Events: occurrences dated only by another they follow or answer.

What belongs here: ``reference_dates`` -- for a sentence with no date of its own, the time it takes
from the occurrence it names ("in retaliation for the assassination", "less than a week after the
attack", "Iran responded to the killing with ...") or, at the head of a sentence, from the one
told just before ("Shortly afterward, ..."). The named occurrence must be told dated earlier in
the source; the date is its month (or year) -- no finer is known -- and ``date_text`` is the
phrase naming it; a span of hours ("hours after the strike", ``same_day``) gives its day. "Ahead of
the anniversary", "shortly before the vote": a short, unknown span before the occurrence named, its month too. In a sentence with a date of its own, "to mark the
second anniversary of the bombing" dates the bombing that many years earlier and remembers it in
the source's context for later references ("five days after the bombing"); no row of its own.
Words: ``reference_only``, ``reference_heads`` and ``anniversary`` in ``raw/curated/date_words.yaml``.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline import yamlload
from pipeline.errors import CuratedDataError
from pipeline.extract.clauses.anchors import reread
from pipeline.extract.dates import DateContext, DateMention, word_alternation

# The noun phrase naming the occurrence: a determiner or a name, then up to five words, ending at
# punctuation or a clause word (bounded: never more than a few words are read).
# Definite only: "a spate of attacks" names no occurrence told before.
_NP = re.compile(r"\s+((?:the|his|her|its|their|this|that|[A-Z][\w'’.-]*['’]s)\s+(?:[\w'’-]+\s+){0,5}?"
                 r"[\w'’-]+)(?=[,.;:]|\s+(?:and|but|when|as|with|by|to|that|which|who|on|at|in|was|were|is|are|had|has)\b|$)")
_OF = re.compile(r"\s+of\s+")
# A sentence opening with a definite event noun: "The air strike, ...", "The attack killed ...".
_SUBJECT = r"\W*(?:The|This)\s+(?:[a-z][\w-]*\s+){{0,2}}?(?P<head>{heads})\b(?=\s*,|\s+(?!(?:that|which|of|on|in|against|at)\b)[a-z])"
_UNTIL = re.compile(r"\b(?:until|till|before)\s+$", re.IGNORECASE)
# How far (in years) the named occurrence may lie from the latest date the story has told.
MAX_YEARS_BACK = 5


@dataclass(frozen=True)
class _RefWords:
    lead_re: re.Pattern[str]
    alone_re: re.Pattern[str]
    heads: frozenset[str]  # event words an occurrence is named by
    subject_re: re.Pattern[str]  # a definite strike or attack noun opening a sentence
    anniversary_re: re.Pattern[str]  # "on the fourth anniversary of <NP>"
    ordinals: dict[str, int]
    same_day: frozenset[str]  # leads of a span of hours ("hours after"): the occurrence's own day


@lru_cache(maxsize=4)
def _words(curated_dir: Path) -> _RefWords:
    path = curated_dir / "date_words.yaml"
    try:
        d = yamlload.safe_load(path.read_text(encoding="utf-8"))
        ref = d["reference_only"]
        leads = [str(x) for x in [*ref["leads"], *ref["verbs"]]]
        same_day = frozenset(str(x).lower() for x in ref["same_day"])
        alone = [str(x) for x in ref["alone"]]
        heads = frozenset(str(w).lower() for ws in d["reference_heads"].values() for w in ws)
        strike_heads = frozenset(str(w).lower() for w in d["reference_heads"]["strike"])
        anniv = d["anniversary"]
        ordinals = {str(k).lower(): int(v) for k, v in anniv["ordinals"].items()}
        anniv_leads = [str(x) for x in anniv["leads"]]
        anniv_word = str(anniv["word"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise CuratedDataError(f"cannot read reference_only date words: {exc}", path) from None

    return _RefWords(
        lead_re=re.compile(rf"\b(?i:{word_alternation(leads)})(?=\s)"),
        alone_re=re.compile(rf"\W*(?:(?:[Aa]nd|[Bb]ut|[Tt]hen)\s+)?(?P<phrase>(?i:{word_alternation(alone)}))\b"
                            r"(?=\s*,|\s+(?!(?:to|for|of|against|with)\b)[A-Za-z])"),
        heads=heads,
        subject_re=re.compile(_SUBJECT.format(heads=word_alternation(sorted(strike_heads)))),
        anniversary_re=re.compile(
            rf"\b(?i:{word_alternation(anniv_leads)})\s+(?:the|its|his|her|their)\s+(?P<ord>(?i:{word_alternation(list(ordinals))})|\d{{1,2}}(?:st|nd|rd|th))"
            rf"\s+{re.escape(anniv_word)}\s+of(?=\s)"),
        ordinals=ordinals,
        same_day=same_day,
    )


def _span(ref: DateMention, start: int, end: int, text: str) -> DateMention | None:
    """A month (or year) date of the occurrence ``ref`` over text[start:end)."""
    d = ref.date_start
    if d is None or ref.date_precision is None:
        return None
    if ref.date_precision == "year":
        return DateMention(start, end, text[start:end], f"{d.year:04d}", d.replace(month=1, day=1),
                           d.replace(month=12, day=31), "year", relative=True, kind="reference",
                           resolved_by="reference")
    last = calendar.monthrange(d.year, d.month)[1]
    return DateMention(start, end, text[start:end], f"{d.year:04d}-{d.month:02d}", d.replace(day=1),
                       d.replace(day=last), "month", relative=True, kind="reference", resolved_by="reference")


def _np_head(np: str, words: _RefWords) -> str | None:
    """The event word of a phrase naming an occurrence ("the assassination of X": before "of")."""
    first = _OF.split(np, maxsplit=1)[0]
    return next((w for part in (first, np) for w in reversed(re.findall(r"[\w'’-]+", part))
                 if w.lower() in words.heads), None)


def _named(text: str, s: int, e: int, ctx: DateContext, words: _RefWords) -> DateMention | None:
    story = ctx.last_dated(s)
    for m in words.lead_re.finditer(text, s, e):
        if _UNTIL.search(text, max(s, m.start() - 8), m.start()):
            continue  # "might be halted until after the election": a time to come
        np_m = _NP.match(text, m.end(), e)
        if not np_m:
            continue
        np = np_m.group(1)
        head = _np_head(np, words)
        if head is None:
            continue
        ref = ctx.occurrence(np, need="month", before=s, head=head)
        # the occurrence a story answers is told in it, not many years before the point it has reached
        if ref is None or ref.date_start is None or (
                story is not None and story.date_start is not None
                and abs(story.date_start.year - ref.date_start.year) > MAX_YEARS_BACK):
            continue
        if " ".join(m.group(0).lower().split()) in words.same_day and ref.date_precision == "day":
            # "hours after the strike": the strike's day (a reader's reading, even near midnight)
            return DateMention(m.start(), np_m.end(1), text[m.start() : np_m.end(1)], ref.date, ref.date_start,
                               ref.date_end, "day", relative=True, kind="reference", resolved_by="reference",
                               anchor_start=None)
        return _span(ref, m.start(), np_m.end(1), text)
    return None


def _definite_subject(text: str, s: int, e: int, ctx: DateContext, words: _RefWords) -> DateMention | None:
    """"The air strike, ordered by ..., came ...": a sentence opening with a definite event noun tells
    the occurrence of that kind last told dated (at its date: it is that occurrence)."""
    m = words.subject_re.match(text, s, e)
    if m is None:
        return None
    ref = ctx.occurrence(f"the {m.group('head')}", need="day", before=s)  # the latest of its kind
    story = ctx.last_dated(s)
    if ref is None or ref.date_start is None or (story is not None and story.date_start is not None
                                                 and abs(story.date_start.year - ref.date_start.year) > MAX_YEARS_BACK):
        return None
    return DateMention(m.start(), m.end(), text[m.start() : m.end()], ref.date, ref.date_start, ref.date_end,
                       ref.date_precision, relative=True, kind="reference", resolved_by="subject",
                       anchor_start=ref.char_start)


def _anniversary(text: str, s: int, e: int, ctx: DateContext, words: _RefWords, lead: bool) -> list[DateMention]:
    """"..., on the fourth anniversary of his assassination, killing 95": the sentence's occurrence N
    years after the one named (its precision), and a telling of that one. With no dated anchor, the
    lead of a dated report tells the day's news: the anniversary is the report's day."""
    m = words.anniversary_re.search(text, s, e)
    if m is None:
        return []
    o = m.group("ord").lower()
    n = int(o[:-2]) if o[:1].isdigit() else words.ordinals.get(o, 0)
    np_m = _NP.match(text, m.end(), e)
    if n <= 0 or np_m is None:
        return []
    ref = ctx.occurrence(np_m.group(1), need="day", before=s)
    if ref is not None and ref.date_start is not None and ref.date_precision == "day":
        day = _years_later(ref.date_start, n)
    elif lead and ctx.pub_relative and ctx.published is not None:
        day = ctx.published
    else:
        return []
    then = _years_later(day, -n)
    return [DateMention(m.start(), m.end(), text[m.start() : m.end()], day.isoformat(), day, day, "day", relative=True,
                        kind="reference", resolved_by="anniversary"),
            DateMention(np_m.start(1), np_m.end(1), text[np_m.start(1) : np_m.end(1)], then.isoformat(), then, then,
                        "day", relative=True, kind="reference", resolved_by="anniversary_of")]


# "the second anniversary of top commander X's martyrdom": in a dated sentence, whatever words name the
# occurrence marked (at most eight, up to punctuation or a clause word)
_MARKED = re.compile(r"\s+((?:[\w'’.-]+\s+){0,7}?[\w'’.-]+)(?=[,;:]|\.(?:\s|$)|\s+(?:and|but|when|as|with|by|to|that|"
                     r"which|who|on|at|in|was|were|is|are|had|has)\b|$)")


def _marked(text: str, s: int, e: int, own: Sequence[DateMention], ctx: DateContext, words: _RefWords) -> None:
    """"On Monday, crowds gathered to mark the second anniversary of the bombing": the bombing is dated N
    years before the sentence's own date (at its precision) and remembered for later references ("five
    days after the bombing"); it is no row of its own here (the occurrence marked is told elsewhere)."""
    m = words.anniversary_re.search(text, s, e)
    date = next((d for d in own if d.resolved and not d.in_list and d.date_precision == "day"), None) or next(
        (d for d in own if d.resolved and not d.in_list), None)
    if m is None or date is None or date.date_start is None or date.date_end is None or date.date_precision is None:
        return
    o = m.group("ord").lower()
    n = int(o[:-2]) if o[:1].isdigit() else words.ordinals.get(o, 0)
    np_m = _MARKED.match(text, m.end(), e)
    if n <= 0 or np_m is None:
        return
    lo, hi = _years_later(date.date_start, -n), _years_later(date.date_end, -n)
    iso = {"day": lo.isoformat(), "month": lo.isoformat()[:7], "year": lo.isoformat()[:4]}[date.date_precision]
    phrase = np_m.group(1)
    ctx.remember(DateMention(np_m.start(1), np_m.end(1), phrase, iso, lo, hi, date.date_precision, relative=True,
                             kind="reference", resolved_by="anniversary_of"), phrase, (s, e))


def _years_later(d: dt.date, n: int) -> dt.date:
    return d.replace(year=d.year + n, day=28) if (d.month, d.day) == (2, 29) else d.replace(year=d.year + n)


# how an offset with no occurrence of its own was resolved: from the dates read before it
_COUNTED_FROM_CONTEXT = frozenset({"passage", "previous passage"})


def chained(text: str, dates: Sequence[DateMention]) -> list[DateMention]:
    """A passage's dates (in text order, reference-only dates included) with each offset naming no
    occurrence ("The next day", "two days later") that follows a reference-only date, with no other
    date between, counted from that one ("In the days after the bombing, the minister resigned. The
    next day, ...": the resignation's month, not the day after the bombing); unresolved where the
    offset is finer than what the reference date knows. An offset naming its own occurrence ("two
    days after a drone strike killed X") is left as read."""
    out: list[DateMention] = []
    last: DateMention | None = None  # the latest date told before, reference-only or not
    for d in dates:
        if (last is not None and last.kind == "reference" and last.resolved and d.kind == "relative"
                and d.resolved_by in _COUNTED_FROM_CONTEXT):
            again = reread(d, text, last)
            d = again if again is not d else dataclasses.replace(
                d, date=None, date_start=None, date_end=None, date_precision=None, resolved_by=None)
        out.append(d)
        last = d
    return out


def reference_dates(text: str, sentences: Sequence[tuple[int, int]], dates: Sequence[DateMention],
                    ctx: DateContext, curated_dir: Path, lead: bool = False) -> list[DateMention]:
    """The reference-only date of each sentence with no date of its own (at most one a sentence, or an
    anniversary and the occurrence it marks); ``lead``: the passage is a report's first."""
    words = _words(curated_dir)
    ordered = sorted(dates, key=lambda d: d.char_start)
    starts = [d.char_start for d in ordered]
    out: list[DateMention] = []
    j = 0
    for s, e in sentences:
        while j < len(starts) and starts[j] < s:
            j += 1
        if j < len(starts) and starts[j] < e:
            if "anniversar" in text[s:e]:
                _marked(text, s, e, ordered[j : bisect.bisect_left(starts, e, j)], ctx, words)
            continue  # the sentence dates itself
        anniv = _anniversary(text, s, e, ctx, words, lead)
        if anniv:
            out.extend(anniv)
            continue
        found = _named(text, s, e, ctx, words) or _definite_subject(text, s, e, ctx, words)
        if found is None:
            alone = words.alone_re.match(text, s, e)
            last = ctx.last_dated(s) if alone else None
            if alone is not None and last is not None:
                found = _span(last, alone.start("phrase"), alone.end("phrase"), text)
        if found is not None:
            out.append(found)
    return out
