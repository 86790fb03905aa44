"""The words and patterns the date reader (``pipeline/extract/dates.py``) matches.

What belongs here: the curated date vocabulary of ``raw/curated/date_words.yaml`` read into typed
sets and maps (``_load_words``: month and weekday names, number words, relative phrases, the words
naming occurrences that references point at), and the regular expressions compiled from it
(``_patterns``), both cached per curated directory; ``word_alternation``, the one way every reader
of a word list (dates, event rules, references, context dates) turns it into an alternation.
Nothing here resolves a date: that is ``dates.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline import yamlload
from pipeline.errors import CuratedDataError

DEFAULT_CURATED = Path(__file__).resolve().parents[2] / "raw" / "curated"


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Words:
    months: dict[str, int]
    month_needs_number: frozenset[str]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    modifiers: tuple[str, ...]
    seasons: tuple[str, ...]
    year_preps: frozenset[str]
    state_preps: frozenset[str]
    year_name_words: frozenset[str]
    poss_nouns: frozenset[str]
    indefinite_nouns: frozenset[str]
    indefinite_modifiers: frozenset[str]
    possessives: frozenset[str]
    approximators: tuple[str, ...]
    fixed: dict[str, tuple[str, int]]  # phrase -> (unit, offset) ; unit day|month|year
    pub_day: dict[str, int]
    pub_month: dict[str, int]
    pub_year: dict[str, int]
    units: dict[str, Any]
    ref_groups: dict[str, frozenset[str]]
    month_stems: tuple[str, ...]  # capitalised month prefixes for a quick substring test
    np_breaks: frozenset[str]
    pronouns: frozenset[str]
    determiners: frozenset[str]
    relative_gate: tuple[str, ...]
    month_year: dict[str, int]  # "last year" after a month: year offset from publication
    future_cues: tuple[str, ...]
    duration_words: frozenset[str]
    state_when: tuple[str, ...]
    subject_heads: frozenset[str]  # event nouns naming, as a definite subject, an occurrence told before


def word_alternation(words: Sequence[str]) -> str:
    """A regex alternation of curated words, longest first, spaces matching any whitespace
    (shared by every reader of a word list: dates, event rules, references, context dates)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def _cap_alt(words: Sequence[str]) -> str:
    """Alternation accepting the lower-case or capitalised first letter."""
    forms = set()
    for w in words:
        forms.add(w)
        forms.add(w[:1].upper() + w[1:])
    return word_alternation(sorted(forms))


def _initials(words: Sequence[str] | dict[str, Any]) -> str:
    """A character class body of the first letters (both cases) of the words."""
    return "".join(sorted({c for w in words for c in (w[0].lower(), w[0].upper())}))


@lru_cache(maxsize=4)
def _load_words(curated_dir: Path) -> _Words:
    path = curated_dir / "date_words.yaml"
    try:
        d = yamlload.safe_load(path.read_text(encoding="utf-8"))
        rel = d["relative"]
        fixed: dict[str, tuple[str, int]] = {}
        for key, unit, off in [
            ("same_day", "day", 0), ("next_day", "day", 1), ("prev_day", "day", -1),
            ("same_month", "month", 0), ("next_month", "month", 1), ("prev_month", "month", -1),
            ("same_year", "year", 0), ("next_year", "year", 1), ("prev_year", "year", -1),
        ]:
            for phrase in rel[key]:
                fixed[str(phrase).lower()] = (unit, off)
        return _Words(
            months={str(k).lower(): int(v) for k, v in d["months"].items()},
            month_needs_number=frozenset(str(x).lower() for x in d["month_needs_number"]),
            weekdays={str(k).lower(): int(v) for k, v in d["weekdays"].items()},
            numbers={str(k).lower(): int(v) for k, v in d["numbers"].items()},
            modifiers=tuple(str(x) for x in d["modifiers"]),
            seasons=tuple(str(x) for x in d["seasons"]),
            year_preps=frozenset(str(x).lower() for x in d["year_prepositions"]),
            state_preps=frozenset(str(x).lower() for x in d["state_prepositions"]),
            year_name_words=frozenset(str(x).lower() for x in d["year_name_words"]),
            poss_nouns=frozenset(str(x).lower() for x in d["possessive_event_nouns"]),
            indefinite_nouns=frozenset(str(x).lower() for x in d["indefinite_event_nouns"]),
            indefinite_modifiers=frozenset(str(x).lower() for x in d["indefinite_event_modifiers"]),
            possessives=frozenset(str(x).lower() for x in d["possessives"]),
            approximators=tuple(str(x).lower() for x in d["approximators"]),
            fixed=fixed,
            pub_day={str(k).lower(): int(v) for k, v in rel["pub_day"].items()},
            pub_month={str(k).lower(): int(v) for k, v in rel["pub_month"].items()},
            pub_year={str(k).lower(): int(v) for k, v in rel["pub_year"].items()},
            units={str(k).lower(): v for k, v in rel["units"].items()},
            ref_groups={str(k): frozenset(str(w).lower() for w in ws) for k, ws in d["reference_heads"].items()},
            month_stems=tuple(sorted({str(k)[:3].capitalize() for k in d["months"]})),
            np_breaks=frozenset(str(x).lower() for x in d["np_breaks"]),
            pronouns=frozenset(str(x).lower() for x in d["pronouns"]),
            determiners=frozenset(str(x).lower() for x in d["determiners"]),
            relative_gate=tuple(str(x) for x in d["relative_gate"]),
            month_year={str(k).lower(): int(v) for k, v in rel["month_year"].items()},
            future_cues=tuple(str(x).lower() for x in d["future_cues"]),
            duration_words=frozenset(str(x).lower() for x in d["duration_words"]),
            state_when=tuple(str(x).lower() for x in d["state_when"]),
            subject_heads=frozenset(str(x).lower() for x in d["reference_subjects"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CuratedDataError(f"cannot read date words: {exc}", path) from None


@dataclass(frozen=True)
class _Patterns:
    dmy: re.Pattern[str]
    mdy: re.Pattern[str]
    my: re.Pattern[str]
    dm: re.Pattern[str]
    md: re.Pattern[str]
    mon: re.Pattern[str]
    season: re.Pattern[str]
    year: re.Pattern[str]
    year_list: re.Pattern[str]
    mod_before: re.Pattern[str]
    prep_before: re.Pattern[str]
    poss_before: re.Pattern[str]
    noun_after: re.Pattern[str]
    words_after: re.Pattern[str]  # the (up to three) words after a year
    fixed: re.Pattern[str]
    ref: re.Pattern[str]
    offset: re.Pattern[str]
    pub: re.Pattern[str]
    weekday: re.Pattern[str]
    time: re.Pattern[str]
    time24: re.Pattern[str]
    np_stop: re.Pattern[str]
    implicit_ref: re.Pattern[str]
    # A cheap test run once per sentence so that the weekday pattern rarely runs.
    gate_weekday: re.Pattern[str]
    month_year: re.Pattern[str]
    gate_month: re.Pattern[str]
    gate_relative: re.Pattern[str]
    approx_before: re.Pattern[str]
    iso: re.Pattern[str]
    future: re.Pattern[str]
    state_before: re.Pattern[str]
    state_when: re.Pattern[str]
    duration_before: re.Pattern[str]
    restated: re.Pattern[str]
    apposition: re.Pattern[str]
    subject: re.Pattern[str]


@lru_cache(maxsize=4)
def _patterns(curated_dir: Path) -> _Patterns:
    w = _load_words(curated_dir)
    cap_months = [m[:1].upper() + m[1:] for m in w.months]
    full = [m for m in cap_months if m.lower() not in w.month_needs_number]
    abbr = [m for m in cap_months if m not in full]
    # Full names first; only abbreviations take a full stop ("Jan." but not the "." of "7January.").
    mon = rf"(?P<mon>(?:{word_alternation(full)})(?![a-z])|(?:{word_alternation(abbr)})\.?)"
    mon_full = rf"(?P<mon>{word_alternation(full)})"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>1[5-9]\d\d|2[01]\d\d)"
    initials = "".join(sorted({m[0] for m in cap_months}))
    range_tail = r"\s*[–—-]\s*\d"
    no_range = rf"(?!{range_tail})"
    not_num_before = r"(?<![\d,.$£€–—/-])"
    preps = _cap_alt(sorted(w.year_preps | w.state_preps))
    nums = _cap_alt(list(w.numbers))
    units = word_alternation(list(w.units))
    fixed = _cap_alt(list(w.fixed))
    pub_words = _cap_alt(list(w.pub_day) + list(w.pub_month) + list(w.pub_year))
    wd = word_alternation([x[:1].upper() + x[1:] for x in w.weekdays])
    seasons = _cap_alt(list(w.seasons))
    season_initials = "".join(sorted({c for x in w.seasons for c in (x[0], x[0].upper())}))
    return _Patterns(
        # Cores only: a modifier ("early"), a preposition ("in") is looked for just before them.
        dmy=re.compile(rf"(?=\d){not_num_before}\b{day}\s*(?:of\s+)?{mon},?\s+{year}\b{no_range}"),
        mdy=re.compile(rf"(?=[{initials}])\b{mon}\s+{day},?\s+{year}\b{no_range}"),
        my=re.compile(rf"(?=[{initials}])\b{mon}\s+(?:of\s+)?{year}\b{no_range}"),
        dm=re.compile(rf"(?=\d){not_num_before}\b{day}\s*(?:of\s+)?{mon}(?![a-z])(?!,?\s+\d)"),
        md=re.compile(rf"(?=[{initials}])\b{mon}\s+{day}\b(?![\d:]|[.,]\d|\s*[–—-]\s*\d|,?\s+\d{{4}})"),
        mon=re.compile(rf"(?=[{initials}])\b{mon_full}\b(?!\s*\d)"),
        season=re.compile(rf"(?=[{season_initials}])\b(?P<season>{seasons})\s+(?:of\s+)?{year}\b{no_range}"),
        year=re.compile(rf"(?=[12]){not_num_before}\b{year}\b(?!s\b|['’]s\b|{range_tail})"),
        year_list=re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+){year}\b(?!s\b|{range_tail})"),
        mod_before=re.compile(rf"\b(?P<mod>{_cap_alt(w.modifiers)})[\s-]*$"),
        prep_before=re.compile(
            rf"\b(?P<prep>{preps}|[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<the>the\s+)?(?:(?P<mod>{_cap_alt(w.modifiers)})[\s-]*)?$"
        ),
        poss_before=re.compile(r"\b(?P<poss>[A-Za-z][\w.-]*['’]s|[A-Za-z]+)\s+$"),
        noun_after=re.compile(r"\s+(?P<noun>[a-z]+)\b"),
        words_after=re.compile(r"\s+([\w.'’-]+)(?:\s+([\w.'’-]+))?(?:\s+([\w.'’-]+))?"),
        fixed=re.compile(rf"(?=[{_initials(w.fixed)}])\b(?P<phrase>{fixed})\b"),
        ref=re.compile(
            r"(?=[OoTt])\b(?:[Oo]n\s+)?(?P<phrase>[Tt]he\s+(?:very\s+)?(?:same\s+)?"
            r"(?P<unit>day|morning|evening|night|week|month|year)\s+(?P<dir>of|after|before|following|prior\s+to))\s+"
        ),
        offset=re.compile(
            rf"(?=[\d{_initials(w.numbers)}])\b(?P<num>\d{{1,3}}|{nums})\s+(?P<unit>{units})\s+"
            r"(?P<dir>after|before|later|earlier|afterwards?|following|prior\s+to|ago)\b"
        ),
        pub=re.compile(rf"(?=[{_initials([*w.pub_day, *w.pub_month, *w.pub_year])}])\b(?P<phrase>{pub_words})\b"),
        weekday=re.compile(
            rf"(?=[OoLlTtEeMFSW])\b(?:(?P<prep>[Oo]n|[Ll]ast|[Tt]his\s+past|[Ee]arly|[Ll]ate|[Tt]hat"
            rf"|[Tt]he\s+(?:following|next|previous|preceding))\s+)?(?P<wd>{wd})\b"
        ),
        time=re.compile(
            r"(?=\d)(?<![\d:.])(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[AaPp])(?:\.\s?[Mm]\.?|[Mm]\b)"
        ),
        time24=re.compile(r"(?=[Aa])\b(?:[Aa]t|[Aa]round|[Aa]bout)\s+(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)\b(?!\s*[AaPp]\.?[Mm])"),
        # A full stop ends the phrase, but not the one of an initial ("the U.S. embassy").
        np_stop=re.compile(r"[,;:!?()\[\]\"“”—]|(?<!\b[A-Z])\.|\s[–-]\s"),
        implicit_ref=re.compile(
            r"^\W*(?:(?:[Ss]hortly|[Ii]mmediately|[Jj]ust|[Ss]oon)\s+)?"
            r"(?:[Aa]fter|[Ff]ollowing|[Ii]n\s+the\s+(?:wake|aftermath)\s+of)\s+(?P<np>[Tt]he\s+[^,.;:]{2,80})"
        ),
        gate_weekday=re.compile(rf"\b(?:{wd})\b"),
        month_year=re.compile(rf"\s+(?:of\s+)?(?P<rel>{word_alternation(list(w.month_year))})\b"),
        gate_month=re.compile("|".join(re.escape(m) for m in w.month_stems)),
        gate_relative=re.compile("|".join(re.escape(g) for g in w.relative_gate), re.IGNORECASE),
        approx_before=re.compile(rf"\b(?:the|{word_alternation(list(w.approximators))})\s+$", re.IGNORECASE),
        iso=re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\d/-])"),
        future=re.compile(
            "|".join([rf"\b(?:{word_alternation([c for c in w.future_cues if c[:1].isalpha()])})\b",
                      *[re.escape(c) + r"\b" for c in w.future_cues if not c[:1].isalpha()]]),
            re.IGNORECASE,
        ),
        state_before=re.compile(rf"\b(?:{_cap_alt(sorted(w.state_preps))})\s+$"),
        state_when=re.compile(rf"\s*,?\s*(?:{word_alternation(list(w.state_when))})\b"),
        duration_before=re.compile(rf"\b(?:{word_alternation(sorted(w.duration_words))})\s+$", re.IGNORECASE),
        # "at about 1:30am on Wednesday (22:30 GMT on Tuesday)": the same moment told again.
        restated=re.compile(r"\s*\([^()]*$"),
        # "Earlier this year, in August, ...": a coarse date made precise right after it.
        apposition=re.compile(r"\s*,?\s*(?:(?:on|in|at|during)\s+)?", re.IGNORECASE),
        # "The vote comes ...", "The twin blasts ripped ...": a definite event noun as a sentence's subject
        # (at most two words before it; not "The vote of ...", "The attack that ...")
        subject=re.compile(
            rf"\W*(?:The|This|That|Its|Their|His|Her)\s+(?:[a-z][\w-]*\s+){{0,2}}?"
            rf"(?P<head>{word_alternation(sorted(w.subject_heads))})\b"
            r"(?![\w'’-])(?!\s+(?:of|that|which|who)\b)"),
    )


def prepare(curated_dir: Path | None = None) -> None:
    """Read the date words and compile the patterns now (they are cached), e.g. before timing a run."""
    _patterns(curated_dir or DEFAULT_CURATED)
