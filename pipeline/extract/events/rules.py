"""Events' curated rules: the event types and the words, patterns and numbers of
``raw/curated/event_types.yaml`` (with ``date_words.yaml`` and ``abbreviations.yaml``), compiled once.

What belongs here: ``Rules`` and ``load_rules`` -- reading and compiling the curated data, nothing
that reads a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline import yamlload
from pipeline.errors import CuratedDataError
from pipeline.extract.dates import word_alternation

EVENT_TYPES = ("strike", "attack", "protest", "funeral", "statement", "legal_action", "political_action",
               "military_deployment", "plot", "cyber_operation", "other")


# Types whose subject is a perpetrator rather than a plain actor.
_VIOLENT = {"strike", "attack", "plot", "cyber_operation"}


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
    multipliers: frozenset[str]  # number words that multiply the one before them ("three dozen")
    approx_re: re.Pattern[str]  # an approximating hedge right before a count ("nearly", "about")
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
    # Reporting verbs ("said", "told"): after the content they report ("C, sources said on Monday"),
    # the occurrence is the content's.
    reporting: frozenset[str] = frozenset()
    legislatures: frozenset[str] = frozenset()  # their calls and demands are political acts
    telling_objects: frozenset[str] = frozenset()  # "rejected the accusations": what was said, a statement


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


@lru_cache(maxsize=4)
def load_rules(curated_dir: Path) -> Rules:
    path = curated_dir / "event_types.yaml"
    try:
        d = yamlload.safe_load(path.read_text(encoding="utf-8"))
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
        num_words = {str(k).lower(): int(v) for k, v in yamlload.safe_load(words_path.read_text("utf-8"))["numbers"].items()}
        skip_sections = frozenset(str(s) for s in d["skip_sections"])
        skip_kinds = frozenset(str(s) for s in d["skip_passage_kinds"])
        lead_ins = [str(x) for x in attr["lead_ins"]]
        verbs = [str(x) for x in attr["verbs"]]
        titles = [str(x) for x in attr["name_titles"]]
        tails = [str(x) for x in attr["name_tails"]]
        hedges = [str(x) for x in killed["hedges"]]
        approx = [str(x) for x in killed["approximate"]]
        multipliers = {str(k).lower(): int(v) for k, v in killed["multipliers"].items()}
        num_words = {**num_words, **multipliers}
        not_counts = [str(x) for x in killed["not_counts"]]
        victims = [str(x) for x in killed["victim_nouns"]]
        zero_phrases = [str(x) for x in killed["zero"]]
        hurt_words = [str(x) for x in d["injured"]["words"]]
        not_reporting = frozenset(str(x) for x in d["grammar"]["not_reporting"])
        abbreviations = frozenset(
            str(a) for a in yamlload.safe_load((curated_dir / "abbreviations.yaml").read_text("utf-8"))["abbreviations"]
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
    num_alt = word_alternation([w for w in num_words if w not in ("a", "an")])
    number = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{num_alt})(?:[- ](?:{num_alt}))?)"
    hedge = rf"(?:(?:{word_alternation(hedges)})\s+)?"
    name = r"(?:[A-Z][\w'’.&-]*|\d+)(?:\s+(?:(?:of|the|and|for|al)\b|[A-Z][\w'’.&-]*|\d+\b))*"
    tail = rf"(?:\s+(?:{word_alternation(tails)})\b)?"
    title = rf"(?:(?:{word_alternation(titles)})\s+)?"
    return Rules(
        triggers=triggers,
        lengths={
            first: tuple(sorted({len(k.split()) for k in triggers if k.split()[0] == first}, reverse=True))
            for first in {k.split()[0] for k in triggers}
        },
        skip_sections=skip_sections,
        skip_kinds=skip_kinds,
        aside_re=re.compile(rf"\s*(?:{word_alternation(asides)}|(?:{num_alt}|\d+)\s+(?:{word_alternation(aside_units)}))\b", re.IGNORECASE),
        aside_not_re=re.compile(rf"\s*(?:{word_alternation(aside_not)})\b", re.IGNORECASE),
        attr_lead_re=re.compile(
            rf"\b(?i:{word_alternation(lead_ins)})\s+(?:(?:the|a|an)\s+)?(?:[\w-]+-based\s+)?{title}(?P<name>{name}{tail})"
        ),
        attr_verb_re=re.compile(rf"(?P<name>{name}{tail})\s*(?:,[^,]{{3,60}},\s*)?(?:{word_alternation(verbs)})\b"),
        num_words=num_words,
        multipliers=frozenset(multipliers),
        approx_re=re.compile(rf"\b(?:{word_alternation(approx)})\s+$", re.IGNORECASE),
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
        not_counts_re=re.compile(rf"\b(?:{word_alternation(not_counts)})\b", re.IGNORECASE),
        number_re=re.compile(rf"(?<![\w$€£.,])(?P<n>{number}|[Aa]n?)(?=\s+[\w-]+)", re.IGNORECASE),
        # Whole phrases: their last words ("to", "by") are in nearly every clause.
        attr_gate=tuple(sorted({re.sub(r"\s+", " ", w.lower()) for w in [*lead_ins, *verbs]})),
        not_names=not_names,
        stopwords=stopwords,
        kill_re=re.compile(rf"\b(?:{word_alternation(kill_words)})\b", re.IGNORECASE),
        with_re=re.compile(rf"\b(?:{word_alternation(with_words)})\s+(?:\w+\s+){{0,3}}$"),
        kill_after_re=re.compile(rf"\b(?:{word_alternation(kill_words)})\s+(?:(?:the|a|an|[A-Z][\w.-]*)\s+){{0,3}}$"),
        object_break_re=re.compile(rf"[,;:\"“”(]|\b(?:{word_alternation(object_breaks)})\b"),
        lead_junk_re=re.compile(rf"[\s,;:–—-]*(?:(?:{word_alternation(openers)})\b[\s,]*)*", re.IGNORECASE),
        abbreviations=abbreviations,
        # A reporting verb followed by its bare reported clause ("said two of its members ...").
        report_re=re.compile(
            rf"\b(?:{word_alternation([w for w, t in triggers.items() if t.type == 'statement' and t.group in ('statement', 'report') and ' ' not in w and w.endswith(('said', 'ed', 'says')) and w not in not_reporting])})"
            r"\b(?=\s+(?:that\s+)?(?!(?:on|in|at|by|during|of|since|to|with|for|from|after|before)\b)[a-z]+\s+[a-z])"
        ),
        zero_killed_re=re.compile(rf"\b(?:{word_alternation(zero_phrases)})\b", re.IGNORECASE),
        legislatures=frozenset(str(x).lower() for x in gram["legislatures"]),
        telling_objects=frozenset(str(x).lower() for x in gram.get("telling_objects") or ()),
        reporting=frozenset(w for w, t in triggers.items() if t.type == "statement" and " " not in w
                            and w.endswith(("said", "ed", "says", "told")) and w not in not_reporting),
        injured_res=(
            # "wounded twelve others", "injuring 13 people"
            re.compile(rf"\b(?:{word_alternation(hurt_words)})\s+{hedge}(?P<n>{number})\b(?!\s*(?:%|percent))", re.IGNORECASE),
            # "12 wounded", "twelve people were injured", "two Iraqi soldiers were hurt"
            re.compile(rf"\b{hedge}(?P<n>{number})\s+(?:(?:{word_alternation([*victims, 'others'])})\s+){{0,2}}"
                       rf"(?:(?:were|was)\s+)?(?:{word_alternation(hurt_words)})\b", re.IGNORECASE),
        ),
        and_count_re=re.compile(
            rf"(?:\s+[A-Za-z][\w.-]*){{1,3}}\s+and\s+(?P<n>{number}|an?)\s+(?:[A-Za-z][\w.-]*\s+)?"
            rf"(?:{word_alternation(victims)})\b"
        ),
    )
