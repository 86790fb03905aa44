"""Events: a sentence cut into one clause per date, and the trigger word that types each clause.

What belongs here: ``_clauses`` (where one dated clause ends and the next begins), ``_triggers``
(the curated trigger phrases of a clause) and ``_choose_trigger`` (the one the date belongs to: the
noun the date modifies, the verb of an opening date's sentence, the occurrence a reporting verb
announces).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.extract.dates import DateMention
from pipeline.extract.events.rules import Rules, Trigger
from pipeline.text import SpanSet

# Clause boundaries between two dates of a sentence, strongest first.
_STRONG_SEP = re.compile(r";|,\s+(?:while|whereas|but|and|then|as)\b|\s+(?:while|whereas)\b")
_THAT_SEP = re.compile(r"\bthat\b")
_FULL_STOP = re.compile(r"(?<=[\w)])\.\s+(?=[A-Z])")
_TOKEN_BEFORE = re.compile(r"[\w.]+$")


def _missed_end(text: str, lo: int, hi: int, abbrevs: frozenset[str]) -> int | None:
    """The last sentence end in [lo, hi) that the sentence splitter took for an initial:
    "... carried out by ISIS-K. On 5 January, ..." (a capital after a hyphen is no initial)."""
    found = None
    for m in _FULL_STOP.finditer(text, lo, hi):
        tok = _TOKEN_BEFORE.search(text, max(lo, m.start() - 30), m.start())
        token = tok.group(0) if tok else ""
        if token in abbrevs or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token):
            continue
        if len(token) == 1 and not (tok and tok.start() > 0 and text[tok.start() - 1] == "-"):
            continue  # "J. Smith", but not "ISIS-K."
        found = m.end()
    return found
# A date opening its clause: at most one word before it ("On 3 January", "In 2020").
_OPENING = re.compile(r"\W*(?:[A-Za-z]+\s+)?")
_PARTICIPLE_SEP = re.compile(r",\s+(?=[a-z]+ing\b)")
_AND_SEP = re.compile(r"\s+and\s+")


def _clauses(text: str, s: int, e: int, dates: Sequence[DateMention], rules: Rules) -> list[tuple[int, int]]:
    """Split sentence [s, e) into one span per date.

    Between two dates the boundary is the first strong separator (";", ", while", ", but",
    ", and" ...), else "that" (a reported clause), else the last comma, else the last "and",
    else where the second date's own words begin ("on 9January").
    """
    bounds = [s]
    for a, b in itertools.pairwise(dates):
        lo, hi = a.char_end, b.char_start
        # The words introducing the next date belong to it (", on 31 December").
        hi_intro = re.search(r"(?:,?\s*(?:on|in|at|by|during|of|since)?\s*)$", text[lo:hi])
        hi_eff = lo + (hi_intro.start() if hi_intro else hi - lo)
        cut = _missed_end(text, lo, hi, rules.abbreviations)
        m = _STRONG_SEP.search(text, lo, max(lo, hi_eff)) if cut is None else None
        if m:
            cut = m.start()
        if cut is None:
            m = _THAT_SEP.search(text, lo, max(lo, hi_eff))
            if m:
                cut = m.start()
        if cut is None:
            # "..., the armed group said two of its members detonated ... on Wednesday": the
            # reported clause begins after the reporting verb.
            m = rules.report_re.search(text, lo, max(lo, hi_eff))
            if m:
                cut = m.end()
        if cut is None:
            # Not the comma closing an opening date ("On 5 January 2020, the ..."), but the one
            # closing a date inside the sentence ("... a top Iranian general in January 2020, the
            # Justice Department said Wednesday").
            opens = bool(_OPENING.fullmatch(text, s, a.char_start))
            commas = [lo + c.start() for c in re.finditer(r",", text[lo:hi_eff]) if c.start() > 1 or not opens]
            if commas:
                cut = commas[-1]
        if cut is None:
            ands = [lo + c.start() for c in _AND_SEP.finditer(text[lo:hi_eff])]
            cut = ands[-1] if ands else hi_eff
        bounds.append(max(cut, lo))
    bounds.append(e)
    out = []
    for i in range(len(dates)):
        cs, ce = bounds[i], bounds[i + 1]
        m = rules.lead_junk_re.match(text, cs, ce)
        if m:
            cs = m.end()
        while ce > cs and text[ce - 1] in " ,;":
            ce -= 1
        out.append((min(cs, dates[i].char_start), max(ce, dates[i].char_end)))
    return out


@dataclass(frozen=True)
class _TrigHit:
    start: int
    end: int
    phrase: str
    trig: Trigger


_WORD = re.compile(r"[\w'’]+(?:-[\w'’]+)*")


def _triggers(text: str, cs: int, ce: int, rules: Rules, masked: Sequence[SpanSet]) -> list[_TrigHit]:
    """Trigger phrases of the clause (longest first at each word), outside masked spans."""
    low = text[cs:ce].lower()
    toks = [(cs + m.start(), cs + m.end(), m.group(0)) for m in _WORD.finditer(low)]
    out = []
    i = 0
    while i < len(toks):
        found = None
        for n in rules.lengths.get(toks[i][2], ()):
            if i + n > len(toks):
                continue
            t = rules.triggers.get(toks[i][2] if n == 1 else " ".join(tok[2] for tok in toks[i : i + n]))
            if t is not None:
                found = (n, t)
                break
        if found is None:
            i += 1
            continue
        n, t = found
        s0, e0 = toks[i][0], toks[i + n - 1][1]
        if not any(m.covers(s0) for m in masked):
            out.append(_TrigHit(s0, e0, text[s0:e0], t))
        i += n
    return out


# A trigger right after an auxiliary is the clause's finite verb ("was attacked", "were killed").
_FINITE_BEFORE = re.compile(r"\b(?:was|were|is|are|has\s+been|had\s+been|have\s+been)\s+(?:\w+ly\s+)?$")
_OF_NP_DATE = re.compile(r"\s+of\s+(?:[\w'’.-]+\s+){1,5}(?:on|in|during)\s+")
_RELATIVE = re.compile(r"\b(?:that|which|who|whom|whose)\b")
_ANAPHORIC = re.compile(r"\b(?:in|of|after|to|on|for|by|before|since|following|from|over|about|with|against)\s+"
                        r"the\s+(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)


def _choose_trigger(
    text: str, cs: int, ce: int, dm: DateMention, hits: Sequence[_TrigHit], rules: Rules, opening: bool
) -> _TrigHit | None:
    """The trigger the date belongs to (see module docstring)."""
    if not hits:
        return None

    def strength(h: _TrigHit) -> int:
        if h.trig.weak:
            return 0
        # "the figures killed in the strike arrived on 5January": before the date, a definite
        # "in the strike" refers to another occurrence, not this clause's predicate.
        if h.end <= dm.char_start and _ANAPHORIC.search(text[max(cs, h.start - 40) : h.start]):
            return 0
        return 1

    def predicate(h: _TrigHit) -> bool:
        return bool(_FINITE_BEFORE.search(text[max(cs, h.start - 25) : h.start]))

    # "attacks on 4January", "a speech broadcast on 8 January": the noun the date modifies;
    # "the U.S. killing of a top Iranian general in January 2020": the act, even a generic one.
    for h in hits:
        gap = text[h.end : dm.char_start]
        if not h.trig.weak and re.fullmatch(r"\s*(?:\w+\s+)?(?:on|in|of|during)\s*", gap) and len(gap) < 20:
            # "..., security sources said on Monday": the occurrence reported before the saying
            reported = _reported_before(text, cs, h, hits, rules, strength, predicate) if h.trig.type == "statement" else None
            return reported or h
        if (not h.trig.weak or not _verbish(h.phrase)) and _OF_NP_DATE.fullmatch(gap) and len(gap) < 50 and not any(
            # "had authorized the killing of Soleimani back in June 2019": the verb's date.
            x.end <= h.start and h.start - x.end <= 12 and strength(x) and _verbish(x.phrase) for x in hits
        ):
            return h
    # "a 27 December rocket attack": a date used as a modifier.
    if re.search(r"\b(?:a|an|the|its|his|her|their)\s+$", text[max(cs, dm.char_start - 8) : dm.char_start]):
        after = [h for h in hits if h.start >= dm.char_end and h.start - dm.char_end < 25 and not h.trig.weak]
        if after:
            return after[0]

    before = [h for h in hits if h.end <= dm.char_start]
    after = [h for h in hits if h.start >= dm.char_end]
    # "the death of 290 people in 1988 when a U.S. warship shot down ...": the when-clause tells it.
    when = re.match(r",?\s*when\b", text[dm.char_end : ce])
    if when:
        inside = [h for h in after if strength(h)]
        if inside:
            return inside[0]
    if opening:
        # Skip comma-delimited asides after an opening date ("On X, at an event ..., a bomb exploded").
        pos = dm.char_end
        m = re.match(r"\s*,", text[pos:ce])
        skip_to = pos
        while m:
            seg_start = pos + m.end()
            nxt = text.find(",", seg_start, ce)
            seg = text[seg_start : nxt if nxt != -1 else ce]
            if nxt == -1 or not rules.aside_re.match(seg) or rules.aside_not_re.match(seg):
                break
            skip_to = nxt
            pos = nxt
            m = re.match(r"\s*,", text[pos:ce])
        late = [h for h in after if h.start >= skip_to] or after
        # "On 3 January 2024, a ceremony marking the assassination ... was attacked": the verb
        # of the sentence, not a noun of its subject.
        # Not a verb of a relative clause ("a drone strike ... that was widely blamed on Israel").
        verbs = [h for h in late if strength(h) and predicate(h)
                 and not _RELATIVE.search(text, dm.char_end, h.start)]
        if verbs and not any(strength(h) and _verbish(h.phrase) for h in late if h.start < verbs[0].start):
            late = [verbs[0], *[h for h in late if h is not verbs[0]]]
        order = late + before[::-1]
    else:
        order = before[::-1] + after
        # "state media said that at least two explosions occurred Wednesday": the reported occurrence.
        said = next((h for h in order if strength(h)), None)
        if said is not None and said.trig.type == "statement" and said.end <= dm.char_start:
            that = re.search(r"\bthat\b", text[said.end : dm.char_start])
            if that:
                inner = [h for h in hits if said.end + that.end() <= h.start and strength(h)
                         and h.trig.type != "statement"]
                if inner:
                    order = [*inner, *order]
            else:
                # "Ukraine International Airlines said the Boeing ... went down at 6:12am": a bare
                # reported clause between the verb and the date.
                inner = [h for h in hits if said.end <= h.start and h.end <= dm.char_start and strength(h)
                         and h.trig.type != "statement"]
                if inner:
                    order = [inner[-1], *order]
                else:
                    reported = _reported_before(text, cs, said, hits, rules, strength, predicate)
                    if reported is not None:
                        order = [reported, *order]
    strong = [h for h in order if strength(h)]
    if not strong:
        return order[0] if order else None
    chosen = strong[0]
    if chosen.trig.type == "statement":
        # "reported that there had been another airstrike": the occurrence reported.
        there = re.match(r"\s+that\s+there\s+(?:was|were|had\s+been|has\s+been|have\s+been)\s+", text[chosen.end : ce])
        if there:
            told = [h for h in hits if h.start >= chosen.end + there.end() and h.start - chosen.end - there.end() < 30
                    and strength(h)]
            if told:
                return told[0]
    if chosen.trig.defer:
        # "announced the deployment of 3,500 members": the announced occurrence decides.
        follow = [h for h in hits if chosen.end <= h.start <= chosen.end + 30 and not h.trig.defer and strength(h)
                  and not re.search(r"\bthat\b", text[chosen.end : h.start])]
        if follow:
            return follow[0]
        # "The appointment was announced on Friday": the occurrence named as its subject.
        subject = [h for h in hits if h.end <= chosen.start and not h.trig.defer and strength(h)
                   and h.trig.type != "statement" and not re.search(r"[,;:]", text[h.end : chosen.start])]
        if subject and _FINITE_BEFORE.search(text[max(cs, chosen.start - 25) : chosen.start]):
            return subject[-1]
    return chosen


# "..., Iraqi security sources said": the reporting clause after its content, a short source between
# the comma and the verb.
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|his|her|their|this|that)\s+$", re.IGNORECASE)
_DETERMINER_AFTER = re.compile(r"\s+(?:the|a|an|its|his|her|their)\b", re.IGNORECASE)  # a verb and its object
_SOURCE_BEFORE = re.compile(r",\s*(?:[\w'’.-]+\s+){0,6}$")


def _reported_before(
    text: str, cs: int, said: _TrigHit, hits: Sequence[_TrigHit], rules: Rules,
    strength: Callable[[_TrigHit], int], predicate: Callable[[_TrigHit], bool],
) -> _TrigHit | None:
    """The occurrence a reporting verb reports when its content comes first ("Two drones were shot
    down near the airport, security sources said on Monday": the shoot-down, not the saying): the
    content's first finite occurrence verb, before the comma that opens the reporting clause."""
    if said.phrase.lower() not in rules.reporting:
        return None
    m = _SOURCE_BEFORE.search(text, max(cs, said.start - 80), said.start)
    if m is None:
        return None
    content = [h for h in hits if h.end <= m.start() and strength(h) and h.trig.type != "statement"
               and (predicate(h) or ((h.phrase.lower().endswith("ed") or _DETERMINER_AFTER.match(text, h.end))
                                     and not _DETERMINER_BEFORE.search(text, max(cs, h.start - 8), h.start)
                                     and not _RELATIVE.search(text, max(cs, h.start - 12), h.start)))]
    return content[0] if content else None


def _verbish(phrase: str) -> bool:
    """A past-tense verb ("asserted", "said", "told") rather than a noun ("assassination")."""
    return phrase.split()[-1].lower().endswith(("ed", "d"))
