"""Curated vocabularies of legal positions, read once per curated directory.

What belongs here: ``LegalVocab`` and its loader -- stance cue groups
(``raw/curated/stance_cues.yaml``), legal bases (``legal_bases.yaml``), holder nouns, titles and
types (``legal_holders.yaml``) and subjects (``legal_subjects.yaml``). No text is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.errors import CuratedDataError
from pipeline.extract.literal_gate import GatedAny
from pipeline.extract.sentences import compile_any, load_yaml


@dataclass
class CueGroup:
    name: str
    stance: str
    regex: re.Pattern[str]
    negatable: bool = False
    weak: bool = False
    negated_only: bool = False  # counts only when negated ("cannot be read to authorize")
    faults_subject: bool = False  # faults its own clause's subject ("X failed to show"): X is no holder
    measure: bool = False  # names a measure ("arrest warrant"): what a holder who did not take it judges
    predicative: bool = False  # a crime's name: a cue only where the clause says the act is that crime


@dataclass
class LegalVocab:
    groups: list[CueGroup]
    negator: re.Pattern[str]
    negation_window: int
    rejection: re.Pattern[str]
    bases: list[tuple[str, re.Pattern[str], list[str]]]  # (id, regex, broader ids)
    weak_bases: set[str]
    holder_verbs: set[str]
    holder_nouns: dict[str, str]  # lowercase noun -> holder_type
    holder_type_order: list[str]
    title_types: list[tuple[str, re.Pattern[str]]]
    holder_phrases: list[tuple[str, re.Pattern[str]]]
    denial_verbs: set[str]
    government_names: re.Pattern[str]
    not_holders: set[str]
    subjects: list[tuple[str, re.Pattern[str], bool]]  # (subject, regex, skip)
    default_subject: str
    default_subject_re: re.Pattern[str]
    title_after: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    act_verbs: set[str] = field(default_factory=set)
    speech_verbs: set[str] = field(default_factory=set)
    document_nouns: set[str] = field(default_factory=set)
    non_positions: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    any_cue: GatedAny = field(default_factory=lambda: GatedAny([]))  # does any cue or basis occur
    act_nouns: set[str] = field(default_factory=set)
    other_act_words: set[str] = field(default_factory=set)
    accusation_nouns: set[str] = field(default_factory=set)  # "brought charges": an act of its own, judged
    response_nouns: set[str] = field(default_factory=set)  # "a response to the 'terrorist attack'": no position
    court_verbs: set[str] = field(default_factory=set)  # "a court ordered X to pay damages": the court's position
    measure_verbs: set[str] = field(default_factory=set)  # "sought to restrict his war powers": a measure's matter
    state_media_words: set[str] = field(default_factory=set)  # "state" in "the Iranian state news agency"
    rhetorical: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))  # "didn't the attack ..."
    accusation_verbs: set[str] = field(default_factory=set)  # "charged them with murder"
    constitutive_verbs: set[str] = field(default_factory=set)  # "committed murder", "constitutes aggression"


def _rhetorical_pattern(auxiliaries: list[str], path: Path) -> re.Pattern[str]:
    """The opening of a negative question: a clause's first words, then a negated auxiliary
    ("And didn't", "Isn't", "Was it not")."""
    if not auxiliaries:
        return re.compile(r"(?!x)x")
    try:
        return re.compile(r"\s*(?:(?:and|but|so|or|yet|then)\s+)?(?:" + "|".join(auxiliaries) + r")\b", re.IGNORECASE)
    except re.error as exc:
        raise CuratedDataError(f"bad rhetorical_question pattern: {exc}", path) from exc


@lru_cache(maxsize=4)
def load_legal_vocab(curated_dir: Path) -> LegalVocab:
    """Read stance cues, legal bases, holder and subject vocabularies from ``curated_dir``."""
    cues_path = curated_dir / "stance_cues.yaml"
    cues = load_yaml(cues_path)
    try:
        groups = [
            CueGroup(g["name"], g["stance"], compile_any(g["cues"], cues_path), bool(g.get("negatable")),
                     bool(g.get("weak")), bool(g.get("negated_only")), bool(g.get("faults_subject")),
                     bool(g.get("measure")), bool(g.get("predicative")))
            for g in cues["groups"]
        ]
        non_positions = compile_any(cues.get("non_positions", []), cues_path)
        # (a contracted "n't" is a negator at the end of its word: "didn't violate", "wasn’t lawful")
        negator = re.compile(r"\b" + cues["negators"] + r"\b|n['’]t\b", re.IGNORECASE)
        window = int(cues.get("negation_window_words", 3))
        rejection = compile_any(cues.get("rejection", []), cues_path)
    except (KeyError, TypeError) as exc:
        raise CuratedDataError(f"malformed stance cues ({exc})", cues_path) from exc
    for g in groups:
        if g.stance not in {"lawful", "unlawful", "questioned", "other"}:
            raise CuratedDataError(f"unknown stance {g.stance!r} in group {g.name}", cues_path)

    bases_path = curated_dir / "legal_bases.yaml"
    bases_doc = load_yaml(bases_path)
    try:
        bases = [
            (bid, compile_any(b["phrases"], bases_path), list(b.get("broader", [])))
            for bid, b in bases_doc["bases"].items()
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        raise CuratedDataError(f"malformed legal bases ({exc})", bases_path) from exc

    holders_path = curated_dir / "legal_holders.yaml"
    holders = load_yaml(holders_path)
    subj_path = curated_dir / "legal_subjects.yaml"
    subj = load_yaml(subj_path)
    try:
        order = list(holders["holder_nouns"].keys())
        nouns: dict[str, str] = {}
        for htype in order:
            for n in holders["holder_nouns"][htype]:
                nouns.setdefault(str(n).lower(), htype)
        title_types = [
            (htype, compile_any([re.escape(str(w)) for w in words], holders_path))
            for htype, words in holders.get("title_types", {}).items()
        ]
        gov = compile_any([re.escape(str(n)) for n in holders["government_names"]], holders_path)
        phrases = [(htype, compile_any(pats, holders_path)) for htype, pats in holders.get("holder_phrases", {}).items()]
        subjects = [
            (s["subject"], compile_any(s["phrases"], subj_path), bool(s.get("skip"))) for s in subj["subjects"]
        ]
        default_re = compile_any(subj.get("default_phrases", []), subj_path)
    except (KeyError, TypeError, AttributeError) as exc:
        raise CuratedDataError(f"malformed holder/subject vocabulary ({exc})", holders_path) from exc
    vocab = LegalVocab(
        groups=groups,
        negator=negator,
        negation_window=window,
        rejection=rejection,
        bases=bases,
        weak_bases=set(bases_doc.get("weak", ["self-defence", "imminent-threat"])),
        holder_verbs={str(v).lower() for v in holders["holder_verbs"]},
        holder_nouns=nouns,
        holder_type_order=order,
        title_types=title_types,
        holder_phrases=phrases,
        denial_verbs={str(v).lower() for v in cues.get("denial_verbs", [])},
        government_names=gov,
        not_holders={str(n).lower() for n in holders.get("not_holders", [])},
        subjects=subjects,
        act_nouns={str(w).lower() for w in subj.get("act_nouns", [])},
        other_act_words={str(w).lower() for w in subj.get("other_act_words", [])},
        accusation_nouns={str(w).lower() for w in subj.get("accusation_nouns", [])},
        default_subject=str(subj.get("default", "the strike")),
        default_subject_re=default_re,
        title_after=[(htype, re.compile(str(rx))) for htype, pats in holders.get("title_after", {}).items()
                     for rx in pats],
        act_verbs={str(v).lower() for v in holders.get("act_verbs", [])},
        speech_verbs={str(v).lower() for v in holders.get("speech_verbs", [])},
        document_nouns={str(v).lower() for v in holders.get("document_nouns", [])},
        state_media_words={str(v).lower() for v in holders.get("state_media_words", [])},
        measure_verbs={str(v).lower() for v in holders.get("measure_verbs", [])},
        court_verbs={str(v).lower() for v in holders.get("court_verbs", [])},
        non_positions=non_positions,
        response_nouns={str(w).lower() for w in cues.get("response_nouns", [])},
        rhetorical=_rhetorical_pattern(cues.get("rhetorical_question", []), cues_path),
        accusation_verbs={str(v).lower() for v in cues.get("accusation_verbs", [])},
        constitutive_verbs={str(v).lower() for v in cues.get("constitutive_verbs", [])},
    )
    # asked of every sentence: each pattern is tried only where a literal it requires occurs
    vocab.any_cue = GatedAny([re.compile(p.pattern, re.IGNORECASE)
                              for p in [*(g.regex for g in groups), rejection, *(b[1] for b in bases)]])
    return vocab
