"""Events: what a clause states besides its type -- numbers killed and wounded, who reports it,
its summary and its distinctive words.

What belongs here: readers of one clause's text (``_killed``, ``_injured``, ``_toll``,
``_attribution``, ``_summary``, ``_stems``); places and actors come from the clause layer
(``pipeline.extract.event_frames``, ``pipeline.extract.places``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityMention
from pipeline.extract.events.mention import _inside_any
from pipeline.extract.events.rules import Rules
from pipeline.text import SpanSet

SUMMARY_MAX = 220


# How far back from a clause an attribution ("According to X, ...") or a toll's subject is read:
# bounded, so that a run-on paragraph costs linear time.
_ATTR_REACH = 1000


def _parse_number(s: str, rules: Rules) -> int | None:
    s = s.lower().replace(",", "")
    if s.isdigit():
        return int(s)
    parts = re.split(r"[- ]", s)
    total = 0
    for p in parts:
        if p not in rules.num_words:
            return None
        v = rules.num_words[p]
        total = total * v if v == 100 and total else total + v
    return total or None


_TOLL_GATE = re.compile(r"kill|dead|death|died|slain|murder", re.IGNORECASE)


def _killed(text: str, cs: int, ce: int, rules: Rules, masked: Sequence[SpanSet]) -> int | None:
    """Number killed stated in the clause, if any."""
    clause = text[cs:ce]
    if not _TOLL_GATE.search(clause):
        return None
    zero = rules.zero_killed_re.search(clause)
    if zero and not _inside_any(cs + zero.start(), masked):
        return 0  # "No one was killed in the Jan. 8 attack"
    for k, rx in enumerate(rules.killed_res):
        for m in rx.finditer(clause):
            if _inside_any(cs + m.start(), masked):
                continue
            n = m.group("n")
            v = 1 if n.lower() in ("a", "an") else _parse_number(n, rules)
            if v is None:
                continue
            if k == 0:
                # "killed two American troops and a British soldier": the victims joined by "and".
                more = rules.and_count_re.match(clause, m.end())
                if more:
                    n2 = more.group("n")
                    v2 = 1 if n2.lower() in ("a", "an") else _parse_number(n2, rules)
                    v += v2 or 0
            return v
    # "two American troops and a British colleague were killed": add up the subject's numbers.
    for m in rules.subject_killed_re.finditer(clause):
        if _inside_any(cs + m.start(), masked):
            continue
        # the subject: after the last separator, read back a bounded way (a clause may be a run-on paragraph)
        lo = max(0, m.start() - _ATTR_REACH)
        cut = max(clause.rfind(",", lo, m.start()), clause.rfind(";", lo, m.start()),
                  clause.rfind(":", lo, m.start()), clause.rfind("—", lo, m.start()))
        subject = clause[(cut + 1 if cut >= 0 else lo) : m.start()]
        subject = rules.not_counts_re.sub(" ", subject)
        nums = [n.group("n") for n in rules.number_re.finditer(subject)]
        if not nums:
            continue
        values = [1 if n.lower() in ("a", "an") else _parse_number(n, rules) for n in nums]
        if any(v is None for v in values):
            continue
        if all(n.lower() in ("a", "an") for n in nums) and "was" not in clause[m.start() : m.end()]:
            continue
        return sum(v for v in values if v is not None)
    return None


def _attribution(text: str, cs: int, ce: int, s: int, rules: Rules) -> str | None:
    """Who reports the occurrence ("According to Saudi-based Arab News" -> "Arab News")."""
    s = max(s, cs - _ATTR_REACH)
    low = text[s:ce].lower()
    # Cheap tests first: most clauses name no source.
    if not any(w in low for w in rules.attr_gate):
        return None
    for lo, hi in ((cs, ce), (s, cs)):
        if hi <= lo:
            continue
        for m in rules.attr_lead_re.finditer(text, lo, hi):
            name = _clean_name(m.group("name"))
            if name:
                return name
    for m in rules.attr_verb_re.finditer(text, cs, ce):
        name = _clean_name(m.group("name"))
        # A pronoun or article opening a sentence is no name ("It was reported").
        if name and name.split()[0] not in rules.not_names:
            return name
    return None


def _clean_name(name: str) -> str | None:
    name = re.sub(r"['’]s$", "", name.strip())
    # "NBC News correspondents": the outlet.
    name = re.sub(r"\s+(?:correspondents?|reporters?|investigation|report)$", "", name)
    name = re.sub(r"\s+(?:of|the|and|for|al)$", "", name)
    words = name.split()
    # Drop a leading sentence word ("In", "On") or a date that the pattern swept in.
    while words and (words[0] in ("In", "On", "At", "By", "During", "After") or words[0].isdigit()):
        words = words[1:]
    return " ".join(words) or None


_COUNTED_FROM = re.compile(r"\s*(?:\w+\s+){1,2}?(?:days?|weeks?|months?|years?)\s+(?:after|before|following|prior\s+to)\s+",
                           re.IGNORECASE)


def _summary(text: str, cs: int, ce: int, dm: DateMention, dateline: tuple[int, int] | None) -> str:
    if dateline and dateline[0] <= cs < dateline[1] <= dm.char_start:
        cs = dateline[1]
    s = text[cs:ce]
    rel = dm.char_start - cs
    if dm.resolved_by == "clause":
        # "two days after an American drone strike killed X": the occurrence is what the date names
        named = text[dm.char_start : dm.char_end]
        counted = _COUNTED_FROM.match(named)
        s, rel = (named[counted.end() :] if counted else named), -1
    # Drop an opening date phrase ("On 3 January 2020, ") from the summary.
    if 0 <= rel <= 4 and re.fullmatch(r"\W*(?:\w+\s+)?", s[:rel]):
        rest = s[dm.char_end - cs :]
        m = re.match(r"\s*,\s*", rest)
        if m:
            s = rest[m.end() :]
    s = re.sub(r"\s+", " ", s).strip(" ,;:")
    if len(s) > SUMMARY_MAX:
        cut = s.rfind(" ", 0, SUMMARY_MAX - 1)
        s = s[: cut if cut > 40 else SUMMARY_MAX - 1].rstrip(" ,;:") + "…"
    return s[:1].upper() + s[1:] if s else s


def _masked_text(text: str, cs: int, ce: int, ents: Sequence[EntityMention]) -> str:
    """The clause without the names of its persons and organizations (scored apart when merging)."""
    parts = []
    pos = cs
    for e in ents:
        if e.char_start >= pos:
            parts.append(text[pos : e.char_start])
            pos = e.char_end
    parts.append(text[pos:ce])
    return " ".join(parts)


def _stems(text: str, stop: frozenset[str]) -> frozenset[str]:
    return frozenset(w[:5].lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text) if w.lower() not in stop)


_Reader = Callable[[str, int, int, Rules, Sequence[SpanSet]], "int | None"]


def _toll(
    read: _Reader, text: str, cs: int, ce: int, etype: str, following: Sequence[tuple[int, int]],
    dates: Sequence[Sequence[DateMention]], rules: Rules, quotes: Sequence[SpanSet],
    masked: Sequence[SpanSet],
) -> tuple[int | None, tuple[int, int] | None]:
    """A number (killed, wounded) stated in the clause, or for a strike or attack in the next,
    undated sentence of the same passage ("... another airstrike ... An Iraqi Army source told
    Reuters the attack killed six people"), with the span it was read from. ``masked``: spans the
    clause's number is not read in (quotations, phrases telling of another occurrence)."""
    n = read(text, cs, ce, rules, masked)
    if n is not None:
        return n, (cs, ce)
    if etype not in ("strike", "attack"):
        return None, None
    for (s2, e2), dated in zip(following, dates, strict=True):  # the dates of each following sentence
        if dated:
            return None, None
        n = read(text, s2, e2, rules, quotes)
        return (n, (s2, e2)) if n is not None else (None, None)
    return None, None


def _injured(text: str, cs: int, ce: int, rules: Rules, masked: Sequence[SpanSet]) -> int | None:
    """Number wounded stated in the clause, if any ("wounded twelve others", "12 people were injured")."""
    clause = text[cs:ce]
    for rx in rules.injured_res:
        for m in rx.finditer(clause):
            if _inside_any(cs + m.start(), masked):
                continue
            v = _parse_number(m.group("n"), rules)
            if v is not None:
                # "no one was injured": none
                return 0 if _NO_BEFORE.search(clause, max(0, m.start() - 4), m.start()) else v
    return None


_NO_BEFORE = re.compile(r"\bno[\s-]$", re.IGNORECASE)
