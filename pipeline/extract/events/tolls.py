"""Events: what a clause states besides its type -- numbers killed and wounded, who reports it,
its summary and its distinctive words.

What belongs here: readers of one clause's text (``_killed``, ``_injured``, ``_toll``,
``_attribution``, ``_summary``, ``_stems``); places and actors come from the clause layer
(``pipeline.extract.event_frames``, ``pipeline.extract.places``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pipeline.extract.clauses import Clauses
from pipeline.extract.clauses.anchors import casualties
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityMention
from pipeline.extract.event_frames import word_token
from pipeline.extract.events.context_dates import KIND as CONTEXT
from pipeline.extract.events.mention import _inside_any
from pipeline.extract.events.rules import Rules
from pipeline.extract.events.triggers import _triggers
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
        # "three dozen", "two hundred": a multiplier word counts the number before it
        total = total * v if p in rules.multipliers and total else total + v
    return total or None


_TOLL_GATE = re.compile(r"kill|dead|death|died|slain|murder", re.IGNORECASE)

# A count read from a clause: the number, whether it is approximate ("nearly three dozen"), and
# where its number starts.
Count = tuple[int, bool, int]
# The counts of conjoined casualties of one verb by the parse, for a clause (start, end) and the
# offset of a number read in it (``pipeline.extract.clauses.anchors.casualties``); None if none.
Parts = Callable[[int, int, int], "list[int] | None"]


def _killed(text: str, cs: int, ce: int, rules: Rules, masked: Sequence[SpanSet]) -> int | None:
    """Number killed stated in the clause, if any."""
    found = _killed_count(text, cs, ce, rules, masked)
    return None if found is None else found[0]


def _count(text: str, start: int, n: str, rules: Rules) -> Count | None:
    v = 1 if n.lower() in ("a", "an") else _parse_number(n, rules)
    if v is None:
        return None
    return v, bool(rules.approx_re.search(text, max(0, start - 20), start)), start


def _killed_count(text: str, cs: int, ce: int, rules: Rules, masked: Sequence[SpanSet],
                  parts: Parts | None = None) -> Count | None:
    """Number killed stated in the clause, if any, with whether it is approximate. ``parts``: the
    parse's reading of the casualties the number counts, so that conjoined victims of the same verb
    add up ("killing five members of a militia and two guests" = 7)."""
    clause = text[cs:ce]
    if not _TOLL_GATE.search(clause):
        return None
    zero = rules.zero_killed_re.search(clause)
    if zero and not _inside_any(cs + zero.start(), masked):
        return 0, False, cs + zero.start()  # "No one was killed in the Jan. 8 attack"
    for k, rx in enumerate(rules.killed_res):
        for m in rx.finditer(clause):
            if _inside_any(cs + m.start(), masked):
                continue
            found = _count(text, cs + m.start("n"), m.group("n"), rules)
            if found is None:
                continue
            v, approx, at = found
            if k == 0:
                # "killed two American troops and a British soldier": the victims joined by "and".
                more = rules.and_count_re.match(clause, m.end())
                if more:
                    n2 = more.group("n")
                    v2 = 1 if n2.lower() in ("a", "an") else _parse_number(n2, rules)
                    v += v2 or 0
                elif parts is not None and (ps := parts(cs, ce, at)) is not None and len(ps) > 1 and ps[0] == v:
                    v = sum(ps)  # the parse joins victims the words' pattern cannot reach
            return v, approx, at
    # "two American troops and a British colleague were killed": add up the subject's numbers.
    for m in rules.subject_killed_re.finditer(clause):
        if _inside_any(cs + m.start(), masked):
            continue
        # the subject: after the last separator, read back a bounded way (a clause may be a run-on paragraph)
        lo = max(0, m.start() - _ATTR_REACH)
        cut = max(clause.rfind(",", lo, m.start()), clause.rfind(";", lo, m.start()),
                  clause.rfind(":", lo, m.start()), clause.rfind("—", lo, m.start()))
        subject = clause[(cut + 1 if cut >= 0 else lo) : m.start()]
        subject = rules.not_counts_re.sub(lambda x: " " * len(x.group(0)), subject)  # offsets kept
        nums = [n for n in rules.number_re.finditer(subject)]
        if not nums:
            continue
        values = [1 if n.group("n").lower() in ("a", "an") else _parse_number(n.group("n"), rules) for n in nums]
        if any(v is None for v in values):
            continue
        if all(n.group("n").lower() in ("a", "an") for n in nums) and "was" not in clause[m.start() : m.end()]:
            continue
        first = cs + (cut + 1 if cut >= 0 else lo) + nums[0].start("n")
        return sum(v for v in values if v is not None), bool(rules.approx_re.search(text, max(0, first - 20), first)), first
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


def parse_parts(cl: Clauses, kill_lemmas: frozenset[str], rules: Rules) -> Parts:
    """``Parts`` read from a sentence's parse: the number at an offset counts a patient of a verb of
    killing or dying, whose conjoined patients the clause layer counts (``casualties``)."""

    def parts(cs: int, ce: int, at: int) -> list[int] | None:
        tok = word_token(cl, at, at + 1)
        while tok is not None and tok.dep_ in ("quantmod", "advmod", "compound") and tok.head.i != tok.i:
            tok = tok.head
        if tok is None or tok.dep_ != "nummod":
            return None
        noun = tok.head
        verb = noun.head
        if (noun.dep_ not in ("dobj", "nsubjpass", "nsubj") or verb.lemma_.lower() not in kill_lemmas
                or not cs <= cl.base + verb.idx < ce):
            return None
        return casualties(verb, lambda w: _parse_number(w, rules))

    return parts


_Reader = Callable[[str, int, int, Rules, Sequence[SpanSet]], "Count | None"]

# Tellings and decisions count no dead: "said there were no deaths", "charged with killing three", a claim
# for bombings that killed 84 -- the toll is the occurrence's they are about.
NO_TOLL = ("statement", "legal_action", "political_action", "plot", "cyber_operation")
# "the attack", "this stampede": a definite word for an occurrence refers back to one told before
_DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)


def _toll(
    read: _Reader, text: str, cs: int, ce: int, etype: str, following: Sequence[tuple[int, int]],
    dates: Sequence[Sequence[DateMention]], rules: Rules, quotes: Sequence[SpanSet],
    masked: Sequence[SpanSet],
) -> tuple[int | None, tuple[int, int] | None]:
    """A number (killed, wounded) stated in the clause, with the span it was read from; None for a
    telling or a decision (``NO_TOLL``). Where the clause states none, or only an approximate one
    ("nearly three dozen"), the next sentence of the passage gives it when it continues this
    occurrence (``_continues``): "... another airstrike ... An Iraqi Army source told Reuters the
    attack killed six people"; "A stampede killed nearly three dozen. At least 35 people died,
    officials said." ``masked``: spans the clause's number is not read in (quotations, phrases telling
    of another occurrence)."""
    if etype in NO_TOLL:
        return None, None
    own = read(text, cs, ce, rules, masked)
    if own is not None and not own[1]:
        return own[0], (cs, ce)
    for (s2, e2), dated in zip(following, dates, strict=True):  # the dates of each following sentence
        if not _continues(text, s2, e2, dated, rules, quotes):
            break
        n = read(text, s2, e2, rules, quotes)
        if n is not None and (own is None or not n[1]):
            return n[0], (s2, e2)
    return (own[0], (cs, ce)) if own is not None else (None, None)


def _continues(text: str, s: int, e: int, dated: Sequence[DateMention], rules: Rules,
               quotes: Sequence[SpanSet]) -> bool:
    """Whether a sentence continues the occurrence told just before it rather than telling one of its
    own: it names no occurrence but by a definite word referring back ("the attack killed six") or a
    word of dying or saying ("At least 35 people died, officials said"); and it has no date of its own,
    or its date is that of a saying ("A day later, the president said there were no deaths")."""
    hits = _triggers(text, s, e, rules, quotes)
    said = False
    for h in hits:
        if h.trig.weak:
            continue
        if h.trig.type == "statement":
            said = True
            continue
        if not _DEFINITE_BEFORE.search(text, max(s, h.start - 40), h.start):
            return False  # an occurrence of its own
    own_dates = [d for d in dated if d.kind != CONTEXT]
    return not own_dates or (said and all(h.trig.type == "statement" or h.trig.weak for h in hits))


def _injured(text: str, cs: int, ce: int, rules: Rules, masked: Sequence[SpanSet]) -> int | None:
    """Number wounded stated in the clause, if any ("wounded twelve others", "12 people were injured")."""
    found = _injured_count(text, cs, ce, rules, masked)
    return None if found is None else found[0]


def _injured_count(text: str, cs: int, ce: int, rules: Rules, masked: Sequence[SpanSet]) -> Count | None:
    """Number wounded stated in the clause, if any, with whether it is approximate."""
    clause = text[cs:ce]
    for rx in rules.injured_res:
        for m in rx.finditer(clause):
            if _inside_any(cs + m.start(), masked):
                continue
            found = _count(text, cs + m.start("n"), m.group("n"), rules)
            if found is not None:
                # "no one was injured": none
                return (0, False, found[2]) if _NO_BEFORE.search(clause, max(0, m.start() - 4), m.start()) else found
    return None


_NO_BEFORE = re.compile(r"\bno[\s-]$", re.IGNORECASE)
