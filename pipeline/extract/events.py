"""Events: dated occurrences, their tellings, actors and places, read from the text of any source.

What belongs here: turning each dated clause of a source into an event mention
(``find_event_mentions``, one source at a time: date from ``pipeline.extract.dates``, type
from curated trigger words, summary, place, number killed, attribution, actors), and merging
the mentions of all sources into events (``merge_event_mentions``: the same occurrence told
twice -- in one source or two -- is one event with several ``event_mentions``).
``extract_events`` runs both and returns the ``events``, ``event_mentions``, ``event_actors``
and ``places`` tables.

Rules, in brief (curated words in ``raw/curated/event_types.yaml`` and ``places.yaml``):
- one event mention per dated occurrence: every resolvable date of a narrative sentence outside
  quotations, with the clause it belongs to (a sentence with two dates gives two mentions);
- the type comes from the trigger nearest the date (after an opening date, before a closing
  one), a reporting verb yielding to the event noun it announces;
- tellings merge when dates agree (a coarser date may join a finer one), types are compatible,
  nothing conflicts (place country, time, number killed) and enough is shared: participants in
  the same role, the place or a place containing it, the trigger group, distinctive words;
- then, on one day, tellings of one kind that nothing tells apart merge too (a telling that
  fits two occurrences told apart stays alone).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline import claims
from pipeline.corpus import PassageRow, SourceDoc, local_key, provenance
from pipeline.errors import CuratedDataError
from pipeline.extract import ExtractResult, Row, SourceMap, serial_map
from pipeline.extract.clauses.roles import dateline_end
from pipeline.extract.clauses.scope import inside
from pipeline.extract.dates import DateContext, DateMention, find_dates
from pipeline.extract.dates import prepare as prepare_dates
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.event_frames import (
    EventFrames,
    elsewhere,
    governing_noun,
    occurrence_actors,
    outside_date_clause,
    word_token,
)
from pipeline.extract.nlp import SourceParses
from pipeline.extract.places import (
    Gazetteer,
    Place,
    PlaceHit,
    find_places,
    load_gazetteer,
    main_place,
    place_rows,
)
from pipeline.extract.sentences import Parser
from pipeline.ids import short_hash
from pipeline.text import SpanSet, sentence_spans

EVENT_TYPES = ("strike", "attack", "protest", "funeral", "statement", "legal_action", "political_action",
               "military_deployment", "plot", "cyber_operation", "other")
# Types whose tellings may merge although labelled differently (a strike told as an attack).
_COMPATIBLE = {frozenset({"strike", "attack"})}
# Types whose subject is a perpetrator rather than a plain actor.
_VIOLENT = {"strike", "attack", "plot", "cyber_operation"}
SUMMARY_MAX = 220


# --------------------------------------------------------------------------- curated rules


@dataclass(frozen=True)
class Trigger:
    type: str
    group: str
    weak: bool
    defer: bool
    distinct: bool


@dataclass(frozen=True)
class Rules:
    triggers: dict[str, Trigger]  # normalised phrase -> trigger
    lengths: dict[str, tuple[int, ...]]  # first word -> phrase lengths in words, longest first
    skip_sections: frozenset[str]
    skip_kinds: frozenset[str]
    aside_re: re.Pattern[str]
    aside_not_re: re.Pattern[str]
    attr_lead_re: re.Pattern[str]
    attr_verb_re: re.Pattern[str]
    num_words: dict[str, int]
    killed_res: tuple[re.Pattern[str], ...]
    subject_killed_re: re.Pattern[str]
    not_counts_re: re.Pattern[str]
    number_re: re.Pattern[str]
    attr_gate: tuple[str, ...]  # lower-case words one of which every attribution contains
    not_names: frozenset[str]
    stopwords: frozenset[str]
    kill_re: re.Pattern[str]
    with_re: re.Pattern[str]
    kill_after_re: re.Pattern[str]
    object_break_re: re.Pattern[str]
    lead_junk_re: re.Pattern[str]
    and_count_re: re.Pattern[str]
    abbreviations: frozenset[str]
    report_re: re.Pattern[str]
    zero_killed_re: re.Pattern[str]
    injured_res: tuple[re.Pattern[str], ...] = ()


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=4)
def load_rules(curated_dir: Path) -> Rules:
    path = curated_dir / "event_types.yaml"
    try:
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers: dict[str, Trigger] = {}
        for entry in d["triggers"]:
            if entry["type"] not in EVENT_TYPES:
                raise ValueError(f"unknown event_type {entry['type']!r}")
            t = Trigger(entry["type"], str(entry["group"]), bool(entry.get("weak")), bool(entry.get("defer")),
                        bool(entry.get("distinct")))
            for w in entry["words"]:
                triggers.setdefault(_norm(str(w)), t)
        attr = d["attribution"]
        killed = d["killed"]
        asides = [str(x) for x in d["aside_openers"]]
        aside_units = [str(x) for x in d["aside_number_units"]]
        aside_not = [str(x) for x in d["aside_not"]]
        words_path = curated_dir / "date_words.yaml"
        num_words = {str(k).lower(): int(v) for k, v in yaml.safe_load(words_path.read_text("utf-8"))["numbers"].items()}
        skip_sections = frozenset(str(s) for s in d["skip_sections"])
        skip_kinds = frozenset(str(s) for s in d["skip_passage_kinds"])
        lead_ins = [str(x) for x in attr["lead_ins"]]
        verbs = [str(x) for x in attr["verbs"]]
        titles = [str(x) for x in attr["name_titles"]]
        tails = [str(x) for x in attr["name_tails"]]
        hedges = [str(x) for x in killed["hedges"]]
        not_counts = [str(x) for x in killed["not_counts"]]
        victims = [str(x) for x in killed["victim_nouns"]]
        zero_phrases = [str(x) for x in killed["zero"]]
        hurt_words = [str(x) for x in d["injured"]["words"]]
        not_reporting = frozenset(str(x) for x in d["grammar"]["not_reporting"])
        abbreviations = frozenset(
            str(a) for a in yaml.safe_load((curated_dir / "abbreviations.yaml").read_text("utf-8"))["abbreviations"]
        )
        gram = d["grammar"]
        not_names = frozenset(str(x) for x in gram["not_names"])
        stopwords = frozenset(str(x).lower() for x in gram["stopwords"])
        kill_words = [str(x) for x in gram["kill_words"]]
        with_words = [str(x) for x in gram["with_words"]]
        object_breaks = [str(x) for x in gram["object_breaks"]]
        openers = [str(x) for x in gram["clause_openers"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise CuratedDataError(f"cannot read event rules: {exc}", path) from None
    num_alt = _alt([w for w in num_words if w not in ("a", "an")])
    number = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{num_alt})(?:[- ](?:{num_alt}))?)"
    hedge = rf"(?:(?:{_alt(hedges)})\s+)?"
    name = r"(?:[A-Z][\w'’.&-]*|\d+)(?:\s+(?:(?:of|the|and|for|al)\b|[A-Z][\w'’.&-]*|\d+\b))*"
    tail = rf"(?:\s+(?:{_alt(tails)})\b)?"
    title = rf"(?:(?:{_alt(titles)})\s+)?"
    return Rules(
        triggers=triggers,
        lengths={
            first: tuple(sorted({len(k.split()) for k in triggers if k.split()[0] == first}, reverse=True))
            for first in {k.split()[0] for k in triggers}
        },
        skip_sections=skip_sections,
        skip_kinds=skip_kinds,
        aside_re=re.compile(rf"\s*(?:{_alt(asides)}|(?:{num_alt}|\d+)\s+(?:{_alt(aside_units)}))\b", re.IGNORECASE),
        aside_not_re=re.compile(rf"\s*(?:{_alt(aside_not)})\b", re.IGNORECASE),
        attr_lead_re=re.compile(
            rf"\b(?i:{_alt(lead_ins)})\s+(?:(?:the|a|an)\s+)?(?:[\w-]+-based\s+)?{title}(?P<name>{name}{tail})"
        ),
        attr_verb_re=re.compile(rf"(?P<name>{name}{tail})\s*(?:,[^,]{{3,60}},\s*)?(?:{_alt(verbs)})\b"),
        num_words=num_words,
        killed_res=(
            # "killing 10 people", "killed six people", "killing an American contractor"
            re.compile(rf"\bkill(?:ing|ed)\s+{hedge}(?P<n>{number}|an?(?=\s+[\w-]+))\b(?!\s*(?:%|percent))",
                       re.IGNORECASE),
            # "the killing of five American soldiers", "the death of 290 people", "deaths of 25"
            re.compile(rf"\b(?:killing|deaths?|murder)\s+of\s+{hedge}(?P<n>{number})\b", re.IGNORECASE),
            # "10 killed", "a stampede that left 56 dead"
            re.compile(rf"\b{hedge}(?P<n>{number})\s+(?:people\s+|persons\s+)?(?:killed|dead)\b", re.IGNORECASE),
        ),
        subject_killed_re=re.compile(r"\b(?:were|was|have\s+been|had\s+been|are)\s+(?:\w+\s+)?(?:killed|slain)\b|\bdied\b"),
        not_counts_re=re.compile(rf"\b(?:{_alt(not_counts)})\b", re.IGNORECASE),
        number_re=re.compile(rf"(?<![\w$€£.,])(?P<n>{number}|[Aa]n?)(?=\s+[\w-]+)", re.IGNORECASE),
        # Whole phrases: their last words ("to", "by") are in nearly every clause.
        attr_gate=tuple(sorted({re.sub(r"\s+", " ", w.lower()) for w in [*lead_ins, *verbs]})),
        not_names=not_names,
        stopwords=stopwords,
        kill_re=re.compile(rf"\b(?:{_alt(kill_words)})\b", re.IGNORECASE),
        with_re=re.compile(rf"\b(?:{_alt(with_words)})\s+(?:\w+\s+){{0,3}}$"),
        kill_after_re=re.compile(rf"\b(?:{_alt(kill_words)})\s+(?:(?:the|a|an|[A-Z][\w.-]*)\s+){{0,3}}$"),
        object_break_re=re.compile(rf"[,;:\"“”(]|\b(?:{_alt(object_breaks)})\b"),
        lead_junk_re=re.compile(rf"[\s,;:–—-]*(?:(?:{_alt(openers)})\b[\s,]*)*", re.IGNORECASE),
        abbreviations=abbreviations,
        # A reporting verb followed by its bare reported clause ("said two of its members ...").
        report_re=re.compile(
            rf"\b(?:{_alt([w for w, t in triggers.items() if t.type == 'statement' and t.group in ('statement', 'report') and ' ' not in w and w.endswith(('said', 'ed', 'says')) and w not in not_reporting])})"
            r"\b(?=\s+(?:that\s+)?(?!(?:on|in|at|by|during|of|since|to|with|for|from|after|before)\b)[a-z]+\s+[a-z])"
        ),
        zero_killed_re=re.compile(rf"\b(?:{_alt(zero_phrases)})\b", re.IGNORECASE),
        injured_res=(
            # "wounded twelve others", "injuring 13 people"
            re.compile(rf"\b(?:{_alt(hurt_words)})\s+{hedge}(?P<n>{number})\b(?!\s*(?:%|percent))", re.IGNORECASE),
            # "12 wounded", "twelve people were injured", "two Iraqi soldiers were hurt"
            re.compile(rf"\b{hedge}(?P<n>{number})\s+(?:(?:{_alt([*victims, 'others'])})\s+){{0,2}}"
                       rf"(?:(?:were|was)\s+)?(?:{_alt(hurt_words)})\b", re.IGNORECASE),
        ),
        and_count_re=re.compile(
            rf"(?:\s+[A-Za-z][\w.-]*){{1,3}}\s+and\s+(?P<n>{number}|an?)\s+(?:[A-Za-z][\w.-]*\s+)?"
            rf"(?:{_alt(victims)})\b"
        ),
    )


# --------------------------------------------------------------------------- mentions


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


# How far back from a clause an attribution ("According to X, ...") or a toll's subject is read:
# bounded, so that a run-on paragraph costs linear time.
_ATTR_REACH = 1000


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
            return h
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


def _verbish(phrase: str) -> bool:
    """A past-tense verb ("asserted", "said", "told") rather than a noun ("assassination")."""
    return phrase.split()[-1].lower().endswith(("ed", "d"))


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




def find_event_mentions(
    doc: SourceDoc,
    passages: Sequence[PassageRow],
    entities: EntityIndex,
    curated_dir: Path,
    report: list[str] | None = None,
    parser: Parser | None = None,
) -> tuple[list[EventMention], list[PlaceHit]]:
    """Event mentions and place mentions of one source (passages in document order); ``parser``
    gives the sentences' parses (default: parsed here)."""
    rules = load_rules(curated_dir)
    frames = EventFrames(doc, entities, curated_dir, _nominals(rules), parser)
    state_of = entities.state_of  # states act where the parse makes them agents
    gaz = load_gazetteer(curated_dir)
    text = doc.text
    ctx = DateContext.for_source(doc, passages, curated_dir)
    topic_date = ctx.topic.date if ctx.topic is not None else None
    out: list[EventMention] = []
    all_places: list[PlaceHit] = []
    # Dates are read in document order first; "two days after a US drone strike ..." may name an
    # occurrence the text dates only further on, so unresolved offsets get a second look at the end.
    read: list[tuple[PassageRow, list[tuple[int, int]], list[DateMention], list[PlaceHit]]] = []
    for p in passages:
        ctx.begin_passage(p.section)
        sentences = sentence_spans(text, p.char_start, p.char_end, curated_dir)
        dates = find_dates(text, p.char_start, p.char_end, ctx, sentences=sentences)
        ents_all = entities.in_span(p.source_id, p.char_start, p.char_end)
        passage_places = find_places(text, p.char_start, p.char_end, gaz, ents_all)
        all_places.extend(passage_places)
        read.append((p, sentences, dates, passage_places))
    frames.prefetch([(p, s, e) for p, sentences, dates, _ in read if not _skipped(p, rules)
                     for s, e in sentences if any(s <= d.char_start < e for d in dates)])
    for p, sentences, dates, passage_places in read:
        top = p.section.split(" > ")[0]
        if p.kind in rules.skip_kinds or top in rules.skip_sections or p.section.split(" > ")[-1] in rules.skip_sections:
            continue
        quote_list = _quote_spans(text, p.char_start, p.char_end)
        # "BAGHDAD (AP) — ...", "Geneva, July 10 (Reuters) -": the agency, city and date are the
        # report's, not an event's (the clause layer's reading of a dateline)
        dl = dateline_end(text[p.char_start : p.char_end])
        dateline = (p.char_start, p.char_start + dl) if dl else None
        if dateline:
            quote_list = [*quote_list, dateline]
        quotes = SpanSet(quote_list)
        usable: list[DateMention] = []
        for dm in dates:
            if _inside(dm.char_start, quotes):
                continue
            if not dm.resolved and dm.kind == "relative":
                dm = ctx.resolve_later(dm) or dm
            if not dm.resolved and dm.kind not in ("explicit", "implicit_year"):
                if report is not None:
                    report.append(f"events: unresolved relative date {dm.date_text!r} skipped "
                                  f"({p.passage_id} @{dm.char_start - p.char_start})")
                continue
            if not dm.resolved and report is not None:
                report.append(f"events: year of {dm.date_text!r} unresolved, event dated null "
                              f"({p.passage_id} @{dm.char_start - p.char_start})")
            usable.append(dm)
        if not usable:
            continue
        by_sentence = _dates_by_sentence(sentences, usable)
        places_at = [h.char_start for h in passage_places]
        for si, (s, e) in enumerate(sentences):
            sdates = by_sentence[si]
            if not sdates:
                continue
            prev_trig: _TrigHit | None = None
            prev_cs: int | None = None
            masked = (SpanSet((d.char_start, d.char_end) for d in sdates), quotes)
            for dm, (cs, ce) in zip(sdates, _clauses(text, s, e, sdates, rules), strict=True):
                hits = _triggers(text, cs, ce, rules, masked)
                opening = bool(_OPENING.fullmatch(text, cs, dm.char_start))
                trig = None if dm.in_list else _choose_trigger(text, cs, ce, dm, hits, rules, opening)
                if dm.resolved_by == "clause":
                    # "voted Sunday, two days after a drone strike killed X": the date is the named
                    # occurrence's (counted back from the clause's own date), so its type is read
                    # from the words that name it.
                    own = [h for h in _triggers(text, dm.char_start, dm.char_end, rules, (quotes,)) if not h.trig.weak]
                    trig = own[0] if own else trig
                if trig is None and prev_trig is not None and prev_cs is not None:
                    # "... Saddam Hussein in 1991, 1998, and 2003": a clause with no trigger of its
                    # own continues the one before (and its quote starts there).
                    trig, cs = prev_trig, prev_cs
                    ce = max(ce, dm.char_end)
                    hits = _triggers(text, cs, ce, rules, masked)
                prev_trig, prev_cs = trig, cs
                etype = trig.trig.type if trig else "other"
                # the parse: which occurrence the date's own clause tells, and what tells of something
                # else ("a warrant for those behind the strike that killed a general in Baghdad":
                # neither the toll nor the place is the warrant's)
                cl = frames.clauses(p, s, e, sdates)
                tok = word_token(cl, trig.start, trig.end) if trig is not None else None
                if tok is not None and trig is not None and outside_date_clause(cl, dm.char_start, dm.char_end, tok):
                    # the trigger names an occurrence of another clause: one inside the date's own, if any
                    own_hits = [(h, t) for h in hits if not h.trig.weak and h is not trig
                                and (t := word_token(cl, h.start, h.end)) is not None
                                and not outside_date_clause(cl, dm.char_start, dm.char_end, t)]
                    if own_hits:
                        trig, tok = min(own_hits, key=lambda ht: abs(ht[0].start - dm.char_start))
                        etype = trig.trig.type
                if tok is not None and trig is not None:
                    # "a resolution on drone strikes": the noun whose topic the trigger is tells the occurrence
                    by_tok = {t.i: h for h in hits if not h.trig.weak and (t := word_token(cl, h.start, h.end)) is not None}
                    up = governing_noun(tok, set(by_tok))
                    if up is not None:
                        trig, tok = by_tok[up.i], up
                        etype = trig.trig.type
                # Not inside quotations nor inside date words ("the day after the Baghdad airport attack").
                clause_places = [h for h in passage_places[bisect.bisect_left(places_at, cs):
                                                            bisect.bisect_left(places_at, ce)]
                                 if cs <= h.char_start and h.char_end <= ce
                                 and not _inside(h.char_start, quotes)
                                 and not dm.char_start <= h.char_start < dm.char_end]
                anchor = trig.start if trig else dm.char_start
                if etype == "statement" and trig is not None:
                    # Where a statement was made, not what it is about: before the verb or
                    # right after it ("said at the Munich Security Conference").
                    stop = re.search(r"\bthat\b|[\"“:]", text[trig.end : ce])
                    limit = trig.end + min(40, stop.start() if stop else 40)
                    clause_places = [h for h in clause_places if h.char_end <= trig.start or h.char_start < limit]
                other = elsewhere(cl, tok, frames.nominals)
                clause_places = [h for h in clause_places if not inside(h.char_start, other)]
                place = main_place(clause_places, anchor, gaz, sites_too=etype in ("strike", "attack", "protest"))
                # the toll of the clause, not of what tells of something else; the next sentence's
                # is read for a strike or attack that states none
                nxt, nxt_dates = sentences[si + 1 : si + 2], by_sentence[si + 1 : si + 2]
                masked_toll = (quotes, SpanSet(other))
                killed, killed_span = _toll(_killed, text, cs, ce, etype, nxt, nxt_dates, rules, (quotes,), masked_toll)
                injured, injured_span = _toll(_injured, text, cs, ce, etype, nxt, nxt_dates, rules, (quotes,),
                                              masked_toll)
                attributed = _attribution(text, cs, ce, s, rules)
                ents = [x for x in entities.in_span(p.source_id, cs, ce)
                        if not _inside(x.char_start, quotes)
                        # the words of a date name another occurrence, except when the date is
                        # that occurrence's own ("two days after a drone strike killed X")
                        and (dm.resolved_by == "clause" or not dm.char_start <= x.char_start < dm.char_end)
                        and not (attributed and x.surface in attributed)]
                actors = [] if tok is None else [
                    (x, role) for x, role in occurrence_actors(cl, tok, etype, p.source_id, state_of, frames.words,
                                                       ents)
                    if cs <= x.char_start < ce and not _inside(x.char_start, quotes)
                    and (dm.resolved_by == "clause" or not dm.char_start <= x.char_start < dm.char_end)
                    and not (attributed and x.surface in attributed)]
                out.append(EventMention(
                    source_id=p.source_id, passage=p, char_start=cs, char_end=ce, date=dm, event_type=etype,
                    trigger=trig.phrase if trig else None, group=trig.trig.group if trig else None,
                    distinct=bool(trig and trig.trig.distinct), summary=_summary(text, cs, ce, dm, dateline),
                    place=place, killed=killed, attributed_to=attributed, actors=actors,
                    words=_stems(_masked_text(text, cs, ce, ents), rules.stopwords), topic_date=topic_date, quote=text[cs:ce],
                    groups=frozenset(h.trig.group for h in hits if not h.trig.weak and h.trig.type != "statement"),
                    place_ids=frozenset(h.place.place_id for h in clause_places if h.locative),
                    killed_span=killed_span, injured=injured, injured_span=injured_span,
                ))
    return out, all_places


def _skipped(p: PassageRow, rules: Rules) -> bool:
    return (p.kind in rules.skip_kinds or p.section.split(" > ")[0] in rules.skip_sections
            or p.section.split(" > ")[-1] in rules.skip_sections)


def _nominals(rules: Rules) -> frozenset[str]:
    """The one-word event nouns and verbs of the curated triggers: predicates of the clause layer."""
    return frozenset(k for k in rules.triggers if " " not in k)


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


def _dates_by_sentence(sentences: Sequence[tuple[int, int]], dates: Sequence[DateMention]) -> list[list[DateMention]]:
    """The dates starting in each sentence (sentences sorted, disjoint), in the order given."""
    starts = [s for s, _ in sentences]
    out: list[list[DateMention]] = [[] for _ in sentences]
    for d in dates:
        i = bisect.bisect_right(starts, d.char_start) - 1
        if i >= 0 and d.char_start < sentences[i][1]:
            out[i].append(d)
    return out


# --------------------------------------------------------------------------- merging


@dataclass
class _Event:
    mentions: list[EventMention] = field(default_factory=list)

    @property
    def primary(self) -> EventMention:
        return self.mentions[0]


def _role_class(role: str) -> str:
    return "agent" if role in ("actor", "perpetrator", "sponsor") else "patient" if role in ("target", "victim") else "other"


def _types_compatible(a: EventMention, b: EventMention) -> bool:
    if a.event_type == b.event_type or frozenset({a.event_type, b.event_type}) in _COMPATIBLE:
        return True
    # "56 people were killed in a stampede during Soleimani's burial" (other) also tells the burial.
    return (a.event_type == "other" and b.group in a.groups) or (b.event_type == "other" and a.group in b.groups)


def _contains(coarse: DateMention, fine: DateMention) -> bool:
    assert coarse.date_start and coarse.date_end and fine.date_start and fine.date_end
    return coarse.date_start <= fine.date_start and fine.date_end <= coarse.date_end


TIME_SLACK = 60  # minutes


def _minutes_apart(a: str, b: str) -> int:
    ha, ma = (int(x) for x in a.split(":"))
    hb, mb = (int(x) for x in b.split(":"))
    return abs((ha * 60 + ma) - (hb * 60 + mb))


@dataclass(frozen=True)
class _Roles:
    roles: frozenset[tuple[str, str]]  # (entity_id, role class)
    ids: frozenset[str]  # entity_id of every participant
    agents: frozenset[str]  # entity_id of the agents


def _participants(m: EventMention) -> _Roles:
    """A telling's participants by role class, computed once (``pair_score`` asks for them often)."""
    memo = m._roles_memo
    if memo is not None and memo[0] is m.actors and memo[1] == len(m.actors):
        return memo[2]
    roles = frozenset((e.entity_id, _role_class(r)) for e, r in m.actors)
    found = _Roles(roles, frozenset(x[0] for x in roles), frozenset(x[0] for x in roles if x[1] == "agent"))
    m._roles_memo = (m.actors, len(m.actors), found)
    return found


def pair_score(a: EventMention, b: EventMention, gaz: Gazetteer, tolls_may_differ: bool = False) -> float | None:
    """Evidence that two tellings are one occurrence; None when something conflicts.
    ``tolls_may_differ``: the tellings are known to be one occurrence (``same_occurrence``), so
    different numbers killed are a dispute between sources, not two occurrences."""
    if not _types_compatible(a, b):
        return None
    if a.date.time_local and b.date.time_local and _minutes_apart(a.date.time_local, b.date.time_local) > TIME_SLACK:
        return None  # two sources time one occurrence a little apart (launch, impact); not an hour
    if a.killed is not None and b.killed is not None and a.killed != b.killed and not tolls_may_differ:
        return None
    score = 0.0
    if a.place and b.place:
        pa, pb = a.place.place, b.place.place
        if gaz.related(pa.place_id, pb.place_id) or pa.place_id in b.place_ids or pb.place_id in a.place_ids:
            score += 2
        elif pa.country and pb.country and pa.country != pb.country:
            return None
        elif gaz.specific(pa) and gaz.specific(pb) and not (a.place.vicinity or b.place.vicinity):
            return None  # two different cities or sites
        elif pa.country and pa.country == pb.country:
            score += 1
    ra, rb = _participants(a), _participants(b)
    same_role = {x for x in ra.roles & rb.roles if x[1] != "other"}
    if a.event_type == "statement" and b.event_type == "statement":
        speakers_a = ra.agents | ({a.attributed_to} if a.attributed_to else set())
        speakers_b = rb.agents | ({b.attributed_to} if b.attributed_to else set())
        if speakers_a and speakers_b and not speakers_a & speakers_b:
            return None
    shared = ra.ids & rb.ids
    statements = a.event_type == "statement"
    if statements:
        # The speaker counts most: two statements often name the same people.
        agents = {x for x in same_role if x[1] == "agent"}
        score += 2.0 * len(agents) + min(2.0, 1.0 * len(shared - {x[0] for x in agents}))
    else:
        score += min(4.0, 2.0 * len(same_role) + 1.0 * len(shared - {x[0] for x in same_role}))
    if a.group and a.group == b.group and (not statements or a.group == "report" or a.distinct):
        # A shootdown, a funeral, a hack: rarely two of a kind on one day.
        score += 3 if a.distinct else 1
    elif not statements and a.group and b.group and (a.group in b.groups or b.group in a.groups):
        score += 3 if (a.distinct and a.group in b.groups) or (b.distinct and b.group in a.groups) else 1
    common = len(a.words & b.words)
    score += 2 if common >= 5 else 1 if common >= 3 else 0
    # The subject of an article (the date its lead gives) told again as a strike/attack.
    for t in sorted({x for x in (a.topic_date, b.topic_date) if x is not None}):
        if a.event_type in ("strike", "attack") and all(
            m.date.date_start and m.date.date_start.isoformat() <= _end_iso(t) and _start_iso(t) <= str(m.date.date_end)
            for m in (a, b)
        ):
            score += 2
            break
    return score


def _start_iso(d: str) -> str:
    return d if len(d) == 10 else d + ("-01" if len(d) == 7 else "-01-01")


def _end_iso(d: str) -> str:
    return d if len(d) == 10 else d + ("-31" if len(d) == 7 else "-12-31")


MERGE_THRESHOLD = 3.0
# Statements are many and alike (one speaker, one day): two tellings are one statement only
# with the same speaker and more in common.
STATEMENT_THRESHOLD = 4.0
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def merge_event_mentions(mentions: Sequence[EventMention], gaz: Gazetteer) -> list[_Event]:
    """Group tellings into events: finest dates first, each joining the best-scoring event.

    A telling dated to the day looks only at the events of that day; one dated to a month or a
    year at the events of the same date and the finer-dated events inside its span, found from
    an index of events by the day their date starts (not by scanning every event so far).
    """
    dated = [m for m in mentions if m.date.date is not None]
    undated = [m for m in mentions if m.date.date is None]
    dated.sort(key=lambda m: (_PRECISION_RANK[m.date.date_precision or "year"], m.order))
    events: list[_Event] = []
    by_date: dict[str, list[_Event]] = {}
    index = _EventIndex()
    for m in dated:
        assert m.date.date is not None
        best: tuple[float, int] | None = None
        candidates = by_date.get(m.date.date, []) if m.date.date_precision == "day" else index.coarse_candidates(m)
        scores = []
        need = STATEMENT_THRESHOLD if m.event_type == "statement" else MERGE_THRESHOLD
        for i, ev in enumerate(candidates):
            sc = _event_score(m, ev, gaz)
            if sc is None:
                continue
            scores.append((sc, i))
            if sc >= need and (best is None or sc > best[0]):
                best = (sc, i)
        # A coarse date joins a finer event only when that event is the clear best.
        if best is not None and m.date.date_precision != "day":
            ties = [s for s, i in scores if s == best[0] and candidates[i].primary.date.date != m.date.date]
            if len(ties) > 1:
                best = None
        if best is not None:
            candidates[best[1]].mentions.append(m)
        else:
            ev = _Event([m])
            events.append(ev)
            by_date.setdefault(m.date.date, []).append(ev)
            index.add(ev)
    events = _merge_same_kind(events, gaz)
    for m in undated:
        events.append(_Event([m]))
    return events


def same_occurrence(m: EventMention, ev: _Event, gaz: Gazetteer) -> bool:
    """Whether a telling tells the occurrence an event's tellings tell, whatever its toll: a strike or
    attack of the same day, at the same place (or one containing the other), with a participant in
    the same role (the victim, the perpetrator) and no perpetrator the event's tellings do not name.
    Different occurrences of one day differ in place or participants; sources differ in tolls."""
    if m.event_type not in ("strike", "attack") or m.date.date_precision != "day" or m.place is None:
        return False
    tellings = [o for o in ev.mentions if o.date.date == m.date.date and _types_compatible(m, o)]
    if len(tellings) != len(ev.mentions):
        return False
    pid = m.place.place.place_id
    if not any(o.place is not None and (gaz.related(pid, o.place.place.place_id) or pid in o.place_ids
                                        or o.place.place.place_id in m.place_ids) for o in tellings):
        return False
    own = _participants(m)
    roles = frozenset().union(*(_participants(o).roles for o in tellings))
    agents = frozenset().union(*(_participants(o).agents for o in tellings))
    if own.agents and agents and not own.agents & agents:
        return False
    # A participant both tell of, never an agent in one and a victim or target in the other.
    shared = own.ids & frozenset(r[0] for r in roles)
    classes = {(e, c) for e, c in own.roles | roles if e in shared and c != "other"}
    return bool(shared) and all(not {(e, "agent"), (e, "patient")} <= classes for e in shared)


def _event_score(m: EventMention, ev: _Event, gaz: Gazetteer) -> float | None:
    """The best ``pair_score`` of a telling with the tellings of an event; None when one conflicts
    (scoring stops at the first conflict)."""
    best: float | None = None
    tolerant = (m.killed is not None and any(o.killed not in (None, m.killed) for o in ev.mentions)
                and same_occurrence(m, ev, gaz))
    for other in ev.mentions:
        v = pair_score(m, other, gaz, tolerant)
        if v is None:
            return None
        if best is None or v > best:
            best = v
    return best


def _is_candidate(m: EventMention, ev: _Event) -> bool:
    """Whether a telling dated to a month or year may join an event: the same date, or a finer
    date inside its span."""
    pd = ev.primary.date
    return pd.date == m.date.date or (
        _PRECISION_RANK[pd.date_precision or "year"] < _PRECISION_RANK[m.date.date_precision or "year"]
        and _contains(m.date, pd)
    )


class _EventIndex:
    """The events so far, by creation order, looked up by the date of their primary telling (which
    never changes: tellings are only appended to an event)."""

    def __init__(self) -> None:
        self.events: list[_Event] = []
        self.by_date: dict[str | None, list[int]] = {}
        self.starts: list[tuple[dt.date, int]] = []  # (primary date_start, creation order), sorted
        self.unstarted: list[int] = []  # events whose primary date has no day span

    def add(self, ev: _Event) -> None:
        k = len(self.events)
        self.events.append(ev)
        d = ev.primary.date
        self.by_date.setdefault(d.date, []).append(k)
        if d.date_start is None or d.date_end is None:
            self.unstarted.append(k)
        else:
            bisect.insort(self.starts, (d.date_start, k))

    def coarse_candidates(self, m: EventMention) -> list[_Event]:
        """The events ``m`` may join (``_is_candidate``), in creation order."""
        lo, hi = m.date.date_start, m.date.date_end
        if lo is None or hi is None:  # no span to look up: check every event
            return [ev for ev in self.events if _is_candidate(m, ev)]
        # A finer event inside [lo, hi] starts inside it; the others can only match by date.
        ks = set(self.by_date.get(m.date.date, ()))
        a = bisect.bisect_left(self.starts, (lo, -1))
        b = bisect.bisect_right(self.starts, (hi, len(self.events)))
        ks.update(k for _, k in self.starts[a:b])
        ks.update(self.unstarted)
        return [self.events[k] for k in sorted(ks) if _is_candidate(m, self.events[k])]


def _kind(m: EventMention) -> str | None:
    """What two tellings must share to be one occurrence by date alone (None: never by date alone --
    statements are many a day, "other" names no kind)."""
    if m.event_type in ("strike", "attack"):
        return "violent"
    if m.event_type in ("statement", "other") or m.group is None:
        return None
    return f"{m.event_type}:{m.group}"


def _merge_same_kind(events: list[_Event], gaz: Gazetteer) -> list[_Event]:
    """On one day, tellings of one kind that nothing tells apart are one occurrence: "Wednesday's
    attack on Taji", "a rocket attack a day earlier", "About 18 Katyusha rockets struck the base".

    Events of the same day and kind are linked when nothing conflicts (place, time, toll, speaker).
    Linked events merge when every two of them are linked and each shares something with another
    (a participant, the place, the wording); otherwise an event joins the one it shares most with
    only if that one fits nothing it does not fit itself (an event that fits two occurrences told
    apart -- "his killing" beside a strike in Baghdad and one in Yemen -- stays alone).
    """
    buckets: dict[tuple[str, str], list[_Event]] = {}
    for ev in events:
        d = ev.primary.date
        kind = _kind(ev.primary)
        if d.date is None or d.date_precision != "day" or kind is None:
            continue
        buckets.setdefault((d.date, kind), []).append(ev)
    absorbed: set[int] = set()
    for bucket in buckets.values():
        evs = sorted(bucket, key=lambda e: e.primary.order)
        while 2 <= len(evs) <= MAX_SAME_KIND:
            pair = _same_kind_pair(evs, gaz)
            if pair is None:
                break
            keep, gone = sorted(pair, key=lambda e: e.primary.order)
            keep.mentions.extend(gone.mentions)
            absorbed.add(id(gone))
            evs = [e for e in evs if e is not gone]
    return [e for e in events if id(e) not in absorbed]


# Larger same-day buckets are left to the scored merge (the pairwise check grows with the square).
MAX_SAME_KIND = 40


def _same_kind_pair(evs: list[_Event], gaz: Gazetteer) -> tuple[_Event, _Event] | None:
    """Two events of one day and kind to merge (see ``_merge_same_kind``), or None."""
    n = len(evs)
    linked = [[False] * n for _ in range(n)]
    best = [[0.0] * n for _ in range(n)]
    for i, j in itertools.combinations(range(n), 2):
        vals = [pair_score(a, b, gaz) for a in evs[i].mentions for b in evs[j].mentions]
        linked[i][j] = linked[j][i] = all(v is not None for v in vals)
        best[i][j] = best[j][i] = max((v for v in vals if v is not None), default=0.0)
    fits = [{j for j in range(n) if linked[i][j]} for i in range(n)]
    seen: set[int] = set()
    for i in range(n):
        if i in seen:
            continue
        comp, stack = [], [i]
        seen.add(i)
        while stack:
            k = stack.pop()
            comp.append(k)
            stack.extend(j for j in fits[k] if j not in seen)
            seen.update(fits[k])
        clique = len(comp) >= 2 and all(linked[a][b] for a, b in itertools.combinations(comp, 2))
        if clique and all(any(best[a][b] >= 1 for b in comp if b != a) for a in comp):
            a, b = sorted(comp)[:2]
            return evs[a], evs[b]
    for x in reversed(range(n)):
        if not fits[x]:
            continue
        top = max(best[x][y] for y in fits[x])
        tops = [y for y in fits[x] if best[x][y] == top]
        if top < 1 or len(tops) != 1:
            continue
        y = tops[0]
        if fits[y] - {x} <= fits[x]:
            return evs[x], evs[y]
    return None


def extract_events(
    docs: list[SourceDoc],
    passages: list[PassageRow],
    entities: EntityIndex,
    curated_dir: Path,
    source_map: SourceMap | None = None,
    preparsed: Mapping[str, SourceParses] | None = None,
) -> ExtractResult:
    """The events, event_mentions, event_actors and places tables of the corpus.
    ``source_map`` runs the per-source reading (default: in order, in this process); ``preparsed``:
    sentence parses made by the per-source step, by source_id (others are parsed here)."""
    # Curated words and patterns are compiled once (and cached) before the clock starts.
    parser = Parser(preparsed)
    gaz = load_gazetteer(curated_dir)
    load_rules(curated_dir)
    prepare_dates(curated_dir)
    t0 = time.perf_counter()
    report: list[str] = []
    mentions: list[EventMention] = []
    place_hits: list[PlaceHit] = []
    texts = {d.source_id: d.text for d in docs}

    def of_source(doc: SourceDoc, ps: list[PassageRow]) -> tuple[list[EventMention], list[PlaceHit], list[str]]:
        lines: list[str] = []
        ms, hits = find_event_mentions(doc, sorted(ps, key=lambda p: p.char_start), entities, curated_dir, lines,
                                       parser)
        return ms, hits, lines

    run = source_map or serial_map(docs, passages)
    for rank, (ms, hits, lines) in enumerate(run("events", of_source)):
        report.extend(lines)
        for m in ms:
            m.order = (rank, m.char_start)
        mentions.extend(ms)
        place_hits.extend(hits)
    events = merge_event_mentions(mentions, gaz)
    tables = build_tables(events, place_hits, texts, gaz)
    unknown = sorted({h.place.name for h in place_hits if not h.place.curated})
    for name in unknown:
        report.append(f"places: {name!r} is not in places.yaml (published without coordinates)")
    nbytes = sum(len(t) for t in texts.values())
    dt_s = time.perf_counter() - t0
    report.append(
        f"events: {len(tables['events'])} events from {len(tables['event_mentions'])} mentions, "
        f"{len(tables['event_actors'])} actors, {len(tables['places'])} places "
        f"in {dt_s:.2f}s ({nbytes / max(dt_s, 1e-9) / 1e6:.2f} MB/s)"
    )
    return ExtractResult(tables=tables, report=report)


def build_tables(
    events: Sequence[_Event], place_hits: Sequence[PlaceHit], texts: dict[str, str], gaz: Gazetteer | None = None,
) -> dict[str, list[Row]]:
    """Event rows from their tellings' claims: the values of the first telling, the toll's range over
    every telling and the dispute flag (``pipeline.claims``)."""
    ev_rows: list[Row] = []
    men_rows: list[Row] = []
    act_rows: list[Row] = []
    claim_rows: list[Row] = []
    places: list[Place] = [h.place for h in place_hits]
    seen_ids: set[str] = set()
    for ev in events:
        prim = ev.primary
        event_id = short_hash("event", prim.key, prim.date.char_start - prim.passage.char_start)
        if event_id in seen_ids:  # pragma: no cover - distinct keys give distinct ids
            continue
        seen_ids.add(event_id)
        d = prim.date
        time_local = next((m.date.time_local for m in ev.mentions if m.date.time_local), None)
        place_m = next((m for m in ev.mentions if m.place is not None), None)
        own_claims = claims.event_claims(event_id, ev.mentions, texts)
        disputed = claims.mark_disputes(own_claims, gaz.related if gaz is not None else None)
        claim_rows.extend(own_claims)
        attributed = next((m.attributed_to for m in ev.mentions if m.attributed_to), None)
        row: Row = {
            "event_id": event_id, "date": d.date, "date_start": d.date_start, "date_end": d.date_end,
            "date_precision": d.date_precision, "date_text": d.date_text, "time_local": time_local,
            "event_type": prim.event_type, "summary": prim.summary,
            "place_id": place_m.place.place.place_id if place_m and place_m.place else None,
            "location": place_m.place.surface if place_m and place_m.place else None,
            "country": place_m.place.place.country if place_m and place_m.place else None,
            **claims.event_ranges(own_claims, event_id, disputed),
            "attributed_to": attributed, "mention_count": len(ev.mentions),
        }
        text = texts[prim.source_id]
        row.update(provenance(prim.passage, prim.char_start, prim.char_end, text))
        ev_rows.append(row)
        if place_m and place_m.place:
            places.append(place_m.place.place)
        actors_seen: set[str] = set()
        for m in ev.mentions:
            mrow: Row = {"mention_id": m.mention_id, "event_id": event_id, "date_text": m.date.date_text}
            mrow.update(provenance(m.passage, m.char_start, m.char_end, texts[m.source_id]))
            men_rows.append(mrow)
            for ent, role in m.actors:
                if ent.entity_id in actors_seen:
                    continue
                actors_seen.add(ent.entity_id)
                act_rows.append({
                    "event_actor_id": short_hash(event_id, ent.kind, ent.entity_id),
                    "event_id": event_id,
                    "person_id": ent.entity_id if ent.kind == "person" else None,
                    "org_id": ent.entity_id if ent.kind == "org" else None,
                    "role": role,
                })
    return {"events": ev_rows, "event_mentions": men_rows, "event_actors": act_rows, "places": place_rows(places),
            "claims": claim_rows}
