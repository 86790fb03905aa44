"""Legal positions on the strike and what followed, read from the text of any source.

What belongs here:
- ``extract_legal_positions``: one row per holder per stated position. A sentence is read
  when it holds a stance cue (``raw/curated/stance_cues.yaml``) or invokes a legal basis
  (``raw/curated/legal_bases.yaml``); its dependency parse finds who states the position
  (the subject of the reporting verb above the cue, a reporting clause set off by commas,
  "According to X", the speaker of an open quotation, the author of a document named as
  subject, or a pronoun resolved to the holder just before); the cue groups give the stance
  (with negation: "not lawful", "did not violate", "no imminent attack that could trigger the
  right of self-defense"); a holder who takes no position ("declined to say whether",
  "stopped short of calling") gives no row; the subject groups of
  ``raw/curated/legal_subjects.yaml`` (in the holder's clause, else its paragraph) say what the
  position is about.
- Sentence-analysis helpers shared with ``pipeline.extract.plots``: the cached spaCy
  loader, sentences of passages, alignment of ``EntityIndex`` mentions with tokens, noun
  phrase text, dates of a sentence and curated-file loading.

Per-source work (``positions_of_source``) is separate from the cross-source step, which
for legal positions is only concatenation: the same holder stating the same position in
two sources gives two rows, each checkable against its own quote.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Token

from pipeline.corpus import PassageRow, SourceDoc, local_key, provenance
from pipeline.errors import CuratedDataError
from pipeline.extract import ExtractResult, Row, SourceMap, serial_map
from pipeline.extract.dates import DateContext, DateMention, find_dates
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.nlp import NerSpan, SourceParses, parse_sentences, require_model
from pipeline.ids import short_hash
from pipeline.text import sentence_spans

# ---------------------------------------------------------------------------------------
# Shared helpers (also used by pipeline.extract.plots)
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def load_yaml(path: Path) -> Any:
    """A curated YAML file, parsed once; a missing or malformed file is a CuratedDataError."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CuratedDataError("curated file missing", path) from exc
    except yaml.YAMLError as exc:
        raise CuratedDataError(f"not valid YAML: {exc}", path) from exc


def compile_any(patterns: Iterable[str], path: Path | str = "") -> re.Pattern[str]:
    """One case-insensitive, word-bounded regex matching any of ``patterns``."""
    pats = [p for p in patterns if p]
    if not pats:
        return re.compile(r"(?!x)x")
    try:
        return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in pats) + r")(?![\w])", re.IGNORECASE)
    except re.error as exc:
        raise CuratedDataError(f"bad pattern: {exc}", path) from exc


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage; offsets are absolute in the source text."""

    source_id: str
    passage: PassageRow
    start: int
    end: int
    text: str
    index: int  # position within its passage


def passage_sentences(doc: SourceDoc, passage: PassageRow, curated_dir: Path) -> list[Sentence]:
    """The sentences of one passage, in order."""
    spans = sentence_spans(doc.text, passage.char_start, passage.char_end, curated_dir=curated_dir)
    return [
        Sentence(doc.source_id, passage, s, e, doc.text[s:e], i) for i, (s, e) in enumerate(spans) if e > s
    ]


def skipped_passage(passage: PassageRow, skip_sections: Iterable[str], skip_kinds: Iterable[str]) -> bool:
    """Whether a passage lies in a navigation/fiction section or is of a kind not read."""
    if passage.kind in set(skip_kinds):
        return True
    heads = {h.strip().lower() for h in passage.section.split(">")}
    return any(s.lower() in heads for s in skip_sections)


class Parser:
    """spaCy parses of sentences, one source at a time.

    Parses made by the per-source step (``preparsed``: source_id -> SourceParses) are reused;
    any other sentence is parsed here, with entity labels from an NER pass over its whole
    passage, exactly as the per-source step does, so a row never depends on which step parsed
    its sentence. ``prefetch`` parses a batch at once (much faster than one by one).
    """

    def __init__(self, preparsed: Mapping[str, SourceParses] | None = None) -> None:
        self._preparsed = preparsed or {}
        self._source: str | None = None
        self._docs: dict[tuple[int, int], Doc] = {}
        self._ner: dict[str, list[NerSpan]] = {}
        self.parsed_chars = 0

    def _switch(self, source_id: str) -> None:
        if source_id == self._source:
            return
        self._source = source_id
        pre = self._preparsed.get(source_id)
        self._docs = pre.docs(require_model()) if pre is not None else {}
        self._ner = dict(pre.ner) if pre is not None else {}

    def prefetch(self, sents: Iterable[Sentence]) -> None:
        by_source: dict[str, dict[tuple[int, int], Sentence]] = {}
        for s in sents:
            by_source.setdefault(s.source_id, {})[(s.start, s.end)] = s
        for source_id, todo in by_source.items():
            self._switch(source_id)
            missing = [s for k, s in todo.items() if k not in self._docs]
            if missing:
                self._docs.update(parse_sentences(missing, self._ner, require_model()))
                self.parsed_chars += sum(len(s.text) for s in missing)

    def __call__(self, sent: Sentence) -> Doc:
        self._switch(sent.source_id)
        doc = self._docs.get((sent.start, sent.end))
        if doc is None:
            self.prefetch([sent])
            doc = self._docs[(sent.start, sent.end)]
        return doc


def align_mentions(doc: Doc, sent: Sentence, index: EntityIndex, kind: str | None = None) -> dict[int, EntityMention]:
    """Token index -> the EntityIndex mention covering that token."""
    out: dict[int, EntityMention] = {}
    mentions = index.in_span(sent.source_id, sent.start, sent.end, kind)
    if not mentions:
        return out
    for tok in doc:
        a = sent.start + tok.idx
        for m in mentions:
            if m.char_start <= a < m.char_end:
                out[tok.i] = m
                break
    return out


_NP_DROP = {"appos", "relcl", "acl", "conj", "cc", "punct", "advcl", "parataxis", "ccomp", "xcomp", "advmod"}
_NP_PREPS = {"of", "for", "to", "on", "at"}


def np_bounds(tok: Token) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by ``tok`` without appositions and clauses."""
    keep = {tok.i}

    def add(t: Token) -> None:
        for c in t.children:
            if c.dep_ in _NP_DROP:
                continue
            if c.dep_ == "prep" and c.lower_ not in _NP_PREPS:
                continue
            keep.add(c.i)
            add(c)

    add(tok)
    i, j = min(keep), max(keep) + 1
    doc = tok.doc
    while i < j - 1 and (doc[i].is_punct or doc[i].is_space):
        i += 1
    while j - 1 > i and (doc[j - 1].is_punct or doc[j - 1].is_space or doc[j - 1].dep_ == "case"):
        j -= 1
    return i, j


def span_text(doc: Doc, i: int, j: int) -> str:
    """Text of tokens [i, j) as written."""
    if i >= j:
        return ""
    return doc.text[doc[i].idx : doc[j - 1].idx + len(doc[j - 1].text)]


def token_at(doc: Doc, offset: int) -> Token | None:
    """The token covering a character offset relative to the sentence."""
    for tok in doc:
        if tok.idx <= offset < tok.idx + max(len(tok.text), 1):
            return tok
        if tok.idx > offset:
            return tok
    return None


def syntactic_head(doc: Doc, start: int, end: int) -> Token | None:
    """The token of the char range [start, end) whose head lies outside the range."""
    toks = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not toks:
        return None
    inside = {t.i for t in toks}
    for t in toks:
        if t.head.i not in inside or t.head.i == t.i:
            return t
    return toks[0]


def ancestors_path(tok: Token) -> list[Token]:
    """``tok`` and its heads up to the root."""
    path = [tok]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def sentence_dates(doc: SourceDoc, sentences: list[Sentence]) -> dict[tuple[int, int], list[DateMention]]:
    """Dates of each sentence (read in order so that relative dates resolve), keyed by span.

    The context is the source's own (publication date for a report, the subject's date for
    an article) and follows paragraph boundaries, as the events extractor reads it.
    """
    passages = list({s.passage.passage_id: s.passage for s in sentences}.values())
    ctx = DateContext.for_source(doc, passages)
    out: dict[tuple[int, int], list[DateMention]] = {}
    current: str | None = None
    for s in sentences:
        if s.passage.passage_id != current:
            ctx.begin_passage(s.passage)
            current = s.passage.passage_id
        found = find_dates(doc.text, s.start, s.end, ctx)
        out[(s.start, s.end)] = [d for d in found if d.date]
    return out


def first_date(found: list[DateMention]) -> DateMention | None:
    """The first date of a sentence, preferring dates the text states over relative ones."""
    absolute = [d for d in found if not d.relative]
    pool = absolute or found
    return pool[0] if pool else None


def date_columns(mention: DateMention | None) -> dict[str, Any]:
    """The five date columns of a row (all null without a date)."""
    if mention is None:
        return {"date": None, "date_start": None, "date_end": None, "date_precision": None, "date_text": None}
    return {
        "date": mention.date,
        "date_start": mention.date_start,
        "date_end": mention.date_end,
        "date_precision": mention.date_precision,
        "date_text": mention.date_text,
    }


# ---------------------------------------------------------------------------------------
# Curated vocabularies of legal positions
# ---------------------------------------------------------------------------------------


@dataclass
class CueGroup:
    name: str
    stance: str
    regex: re.Pattern[str]
    negatable: bool = False
    weak: bool = False
    negated_only: bool = False  # counts only when negated ("cannot be read to authorize")
    faults_subject: bool = False  # faults its own clause's subject ("X failed to show"): X is no holder


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
    any_cue: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))


@lru_cache(maxsize=4)
def load_legal_vocab(curated_dir: Path) -> LegalVocab:
    """Read stance cues, legal bases, holder and subject vocabularies from ``curated_dir``."""
    cues_path = curated_dir / "stance_cues.yaml"
    cues = load_yaml(cues_path)
    try:
        groups = [
            CueGroup(g["name"], g["stance"], compile_any(g["cues"], cues_path), bool(g.get("negatable")),
                     bool(g.get("weak")), bool(g.get("negated_only")), bool(g.get("faults_subject")))
            for g in cues["groups"]
        ]
        non_positions = compile_any(cues.get("non_positions", []), cues_path)
        negator = re.compile(r"\b" + cues["negators"] + r"\b", re.IGNORECASE)
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
        default_subject=str(subj.get("default", "the strike")),
        default_subject_re=default_re,
        title_after=[(htype, re.compile(str(rx))) for htype, pats in holders.get("title_after", {}).items()
                     for rx in pats],
        act_verbs={str(v).lower() for v in holders.get("act_verbs", [])},
        speech_verbs={str(v).lower() for v in holders.get("speech_verbs", [])},
        document_nouns={str(v).lower() for v in holders.get("document_nouns", [])},
        non_positions=non_positions,
    )
    vocab.any_cue = re.compile(
        "|".join([g.regex.pattern for g in groups] + [rejection.pattern] + [b[1].pattern for b in bases]),
        re.IGNORECASE,
    )
    return vocab


# ---------------------------------------------------------------------------------------
# Holders
# ---------------------------------------------------------------------------------------

_PRONOUNS_PERSON = {"he", "she", "him", "her"}
_PRONOUNS_OTHER = {"it", "they"}
_PRONOUNS_FIRST = {"we", "i", "us", "me"}
_DEONTIC = {"must", "should", "ought"}
_RELATIVE = {"who", "which", "that", "whom"}


@dataclass
class Holder:
    name: str
    person_id: str | None
    org_id: str | None
    holder_type: str
    is_person: bool
    key: str  # identity within a sentence (entity id or lowercased name)


@dataclass
class SentenceView:
    """A parsed sentence with its entity alignment."""

    sent: Sentence
    doc: Doc
    mentions: dict[int, EntityMention]


def _subject_of(verb: Token) -> Token | None:
    """Subject of a verb: its own nsubj/agent, else the subject of the verb it is conjoined with."""
    cur: Token | None = verb
    for _ in range(4):
        if cur is None:
            return None
        passive = any(c.dep_ == "auxpass" or c.dep_ == "nsubjpass" for c in cur.children)
        for c in cur.children:
            if c.dep_ == "agent" and passive:
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        for c in cur.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c
        if passive:
            return None
        if cur.dep_ in ("conj", "xcomp", "advcl") and cur.head.i != cur.i:
            cur = cur.head
            continue
        return None
    return None


class HolderFinder:
    """Finds the holder of a cue in a parsed sentence, with paragraph memory for pronouns."""

    def __init__(self, vocab: LegalVocab, person_types: dict[str, str] | None = None):
        self.v = vocab
        self.recent: list[Holder] = []  # holders and speakers of the current paragraph, in order
        # the holder_type a person's title gives anywhere in the source ("Sen. Tim Kaine" ... "Kaine said")
        self.person_types = person_types or {}
        self.quote_speaker: Holder | None = None  # speaker of the quotation the sentence lies in
        self.last_reporter: Holder | None = None  # subject of the paragraph's last reporting verb

    def reset(self) -> None:
        self.recent = []
        self.last_reporter = None
        self.quote_speaker = None

    # -- judging a noun phrase -------------------------------------------------------
    def holder_from_np(self, sv: SentenceView, head: Token, allow_pronoun: bool = True) -> Holder | None:
        doc = sv.doc
        low = head.lower_
        if low in _PRONOUNS_FIRST:
            # "we"/"I" inside a quotation is its speaker; outside one it names nobody we can check
            return self.quote_speaker if allow_pronoun else None
        if head.tag_ in ("PRP", "PRP$") or low in _PRONOUNS_PERSON | _PRONOUNS_OTHER:
            return self.resolve_pronoun(sv, head) if allow_pronoun else None
        if low in self.v.document_nouns:
            author = self.document_author(sv, head)
            if author is not None or sv.mentions.get(head.i) is None:
                return author
        if (low in _RELATIVE and head.head.dep_ == "relcl") or (low in _RELATIVE and head.head.head.i != head.head.i):
            ante = head.head.head if head.head.dep_ == "relcl" else None
            return self.holder_from_np(sv, ante, allow_pronoun) if ante is not None else None
        i, j = np_bounds(head)
        mention, represented, j = self._np_mention(sv, head, i, j)
        text = span_text(doc, i, j)
        if low in self.v.not_holders and mention is None:
            return None
        ent_label = head.ent_type_
        is_gov_name = bool(self.v.government_names.fullmatch(text.strip().removesuffix("'s").strip()))
        noun_type = self.v.holder_nouns.get(low)
        if mention is None and noun_type is None and not is_gov_name and ent_label not in ("PERSON", "ORG", "NORP"):
            return None
        if low in self.v.not_holders:
            return None
        if represented and mention is not None and mention.kind == "person":
            # "a spokesman for Boris Johnson": the spokesman holds it, Johnson is not the holder
            mention = None
        person = (mention is not None and mention.kind == "person") or (
            mention is None and ent_label == "PERSON" and noun_type is None
        )
        htype = self._holder_type(text, head, person, noun_type, is_gov_name, doc)
        person_id = mention.entity_id if mention is not None and mention.kind == "person" else None
        if person and htype == "person" and person_id in self.person_types:
            htype = self.person_types[person_id]
        org_id = mention.entity_id if mention is not None and mention.kind == "org" else None
        key = (mention.entity_id if mention is not None else re.sub(r"\W+", " ", text.lower()).strip())
        return Holder(text, person_id, org_id, htype, person, key)

    def document_author(self, sv: SentenceView, doc_tok: Token) -> Holder | None:
        """Who wrote a document named as the subject ("A memo the White House sent ...", "a letter
        from Iran's envoy", "the ministry's statement", "a White House memo")."""
        for c in doc_tok.children:
            if c.dep_ == "relcl":
                subj = next((g for g in c.children if g.dep_ == "nsubj" and g.lower_ not in _RELATIVE), None)
                if subj is not None:
                    return self.holder_from_np(sv, subj)
            if c.dep_ == "acl":
                for g in c.children:
                    if g.dep_ == "agent":
                        pobj = next((x for x in g.children if x.dep_ == "pobj"), None)
                        if pobj is not None:
                            return self.holder_from_np(sv, pobj)
            if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None and pobj.lower_ not in self.v.not_holders:
                    h = self.holder_from_np(sv, pobj)
                    if h is not None:
                        return h
            if c.dep_ == "poss" or (c.dep_ == "compound" and c.i in sv.mentions):
                h = self.holder_from_np(sv, c)
                if h is not None:
                    return h
        return None

    def _np_mention(
        self, sv: SentenceView, head: Token, i: int, j: int
    ) -> tuple[EntityMention | None, bool, int]:
        """(mention naming the holder, whether it is only represented, new NP end)."""
        doc = sv.doc
        m = sv.mentions.get(head.i)
        if m is not None:
            return m, False, j
        for c in head.children:  # the name in apposition ("the U.S. ambassador, Lana Marks")
            if c.dep_ == "appos" and c.i in sv.mentions:
                return sv.mentions[c.i], False, j
        # a name right after a title ("Speaker of the Council of Representatives Mohamed al-Halbousi")
        k = j
        while k < len(doc) and doc[k].pos_ == "PROPN" and sv.mentions.get(doc[k].i) is not None:
            k += 1
        if k > j and sv.mentions[doc[j].i].kind == "person":
            return sv.mentions[doc[j].i], False, k
        persons = [sv.mentions[x] for x in range(i, j) if x in sv.mentions and sv.mentions[x].kind == "person"]
        orgs = [sv.mentions[x] for x in range(i, j) if x in sv.mentions and sv.mentions[x].kind == "org"]
        head_is_holder_noun = head.lower_ in self.v.holder_nouns
        for x in range(i, j):
            mm = sv.mentions.get(x)
            if mm is None or doc[x].dep_ == "poss" or any(t.dep_ == "poss" for t in doc[x].ancestors if i <= t.i < j):
                continue
            in_prep = any(t.dep_ == "prep" for t in doc[x].ancestors if i <= t.i < j)
            if in_prep:
                # "a spokesman for X", "the Chairman of the House Committee": represented
                return mm, True, j
        if persons and not head_is_holder_noun:
            return persons[0], False, j
        if orgs and not head_is_holder_noun:
            return orgs[0], False, j
        return None, False, j

    def _holder_type(self, text: str, head: Token, person: bool, noun_type: str | None, gov: bool, doc: Doc) -> str:
        # a named person's title (before the name or in apposition) decides court/legislature
        context = text
        for c in head.children:
            if c.dep_ == "appos":
                context += " " + span_text(doc, *np_bounds(c))
        for htype, rx in self.v.title_types:
            if htype == "government" and person:
                continue  # a named envoy speaks as a person; "Iraq's permanent representative" for a government
            if rx.search(context):
                return htype
        if person:
            return "person"
        for htype, rx in self.v.holder_phrases:
            if rx.search(text):
                return htype
        words = [w.lower() for w in re.findall(r"[\w.]+", text)]
        for htype in self.v.holder_type_order:
            if htype == "person":
                continue
            if any(self.v.holder_nouns.get(w) == htype for w in words):
                return htype
        if gov:
            return "government"
        if noun_type:
            return noun_type
        if head.ent_type_ in ("ORG",):
            return "organization"
        if head.ent_type_ in ("NORP", "GPE"):
            return "government"
        return "person"

    def resolve_pronoun(self, sv: SentenceView, pron: Token) -> Holder | None:
        """he/she -> the nearest person holder before; it/they -> the nearest non-person one."""
        want_person = pron.lower_ in _PRONOUNS_PERSON
        # a pronoun that reports ("..., he said") stands for a speaker, not for whoever the reported
        # clause is about ("If Soleimani was directing attacks ..., he said")
        reporting = pron.dep_ == "nsubj" and pron.head.lemma_.lower() in self.v.holder_verbs
        # earlier in the same sentence: subjects of verbs before the pronoun
        for tok in reversed(list(sv.doc[: pron.i])):
            if reporting and tok.head.lemma_.lower() not in self.v.holder_verbs:
                continue
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ not in _PRONOUNS_PERSON | _PRONOUNS_OTHER | _PRONOUNS_FIRST | _RELATIVE:
                h = self.holder_from_np(sv, tok, allow_pronoun=False)
                if h is not None and h.is_person == want_person:
                    return h
        if want_person:
            # else the nearest person named before the pronoun in the sentence (for a reporting
            # pronoun, not the subject of a reported clause)
            for tok in reversed(list(sv.doc[: pron.i])):
                m = sv.mentions.get(tok.i)
                head_verb = tok.head if tok.dep_ in ("nsubj", "nsubjpass") else None
                if reporting and head_verb is not None and head_verb.lemma_.lower() not in self.v.holder_verbs:
                    continue
                if m is not None and m.kind == "person":
                    h = self.holder_from_np(sv, tok, allow_pronoun=False)
                    if h is not None:
                        return h
        for h in reversed(self.recent):
            if h.is_person == want_person:
                return h
        return None

    # -- finding the holder of a cue -------------------------------------------------
    def holders_for(self, sv: SentenceView, tok: Token, faulted: Token | None = None
                    ) -> tuple[list[Holder], Token | None]:
        """Holders (conjoined subjects give several) of the position a cue token belongs to.

        ``faulted``: the subject a cue faults ("the administration failed to show ..."), who therefore
        cannot hold it."""
        passed = False
        path = ancestors_path(tok)
        for k, cur in enumerate(path):
            is_verb = cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT"
            if not is_verb:
                continue
            lemma = cur.lemma_.lower()
            passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in cur.children)
            if lemma in self.v.holder_verbs and (not passive or any(c.dep_ == "agent" for c in cur.children)):
                # (a passive without its agent, "the strike was justified", names no speaker)
                passed = True
                if any(c.dep_ == "neg" for c in cur.children):
                    continue  # "others said the administration had not explained why ...": not its statement
            if not passed:
                continue
            subj = _subject_of(cur)
            if subj is None or (faulted is not None and subj.i == faulted.i):
                continue
            if subj.lower_ == "it" and lemma not in self.v.holder_verbs:
                continue  # "It takes a special kind of ...": a dummy subject, the speaker is further up
            if any(c.dep_ == "aux" and c.lower_ in _DEONTIC for c in cur.children):
                continue  # "Trump must seek approval": an obligation laid on the subject, not its statement
            hs = self._with_conjuncts(sv, subj)
            if (not hs and lemma in self.v.holder_verbs and subj.dep_ == "nsubj" and subj.head.i == cur.i
                    and subj.tag_ in ("NNS", "NNP", "NNPS") and subj.lower_ not in self.v.not_holders):
                # "..., while Iran's partners condemned it": the speaker is named and is nobody we know;
                # the subject of another clause further up is not the holder
                return [], None
            if hs:
                # (a relative clause with its own subject, "people it accused of ...", is background; one
                # whose subject is the relative pronoun, "Corbyn, who called it illegal", is a position)
                if lemma in self.v.act_verbs or (cur.dep_ == "relcl" and subj.lower_ not in _RELATIVE
                                                 and lemma not in self.v.speech_verbs):
                    # "the prosecutor said Iran had issued warrants (against people it accused of ...)":
                    # the reporter states the position
                    for up in path[k + 1 :]:
                        if up.lemma_.lower() in self.v.speech_verbs:
                            s2 = _subject_of(up)
                            hs2 = self._with_conjuncts(sv, s2) if s2 is not None else []
                            if hs2:
                                return hs2, up
                return hs, cur
        # a reporting clause set off by commas ("Washington, she wrote, had failed to ...")
        for cur in path:
            for c in cur.children:
                if c.dep_ == "parataxis" and c.lemma_.lower() in self.v.holder_verbs:
                    subj = _subject_of(c)
                    hs = self._with_conjuncts(sv, subj) if subj is not None else []
                    if hs:
                        return hs, c
        return [], None

    def _with_conjuncts(self, sv: SentenceView, subj: Token) -> list[Holder]:
        out = []
        for t in [subj, *[c for c in subj.conjuncts if c.i > subj.i]]:
            h = self.holder_from_np(sv, t)
            if h is not None:
                out.append(h)
        return out

    def according_to(self, sv: SentenceView) -> list[Holder]:
        """Holders named by "According to X, ..." in the sentence."""
        out = []
        for tok in sv.doc:
            if tok.lower_ == "according" and tok.i + 1 < len(sv.doc) and sv.doc[tok.i + 1].lower_ == "to":
                for c in sv.doc[tok.i + 1].children:
                    if c.dep_ == "pobj":
                        out.extend(self._with_conjuncts(sv, c))
        return out

    def instrument_owner(self, sv: SentenceView, tok: Token) -> list[Holder]:
        """"Interpol constitution forbids ..." -> the organisation owning the instrument."""
        for cur in ancestors_path(tok):
            if cur.pos_ not in ("VERB", "AUX"):
                continue
            subj = _subject_of(cur)
            if subj is None or subj.lower_ not in self.v.not_holders:
                continue
            i, j = np_bounds(subj)
            for k in range(i, j):
                m = sv.mentions.get(k)
                if m is not None and m.kind == "org":
                    return [Holder(m.surface, None, m.entity_id, "organization", False, m.entity_id)]
            return []
        return []

    def speakers(self, sv: SentenceView) -> list[Holder]:
        """Holders that are subjects in a sentence, reporting verbs last (for later pronouns and quotes)."""
        other: list[Holder] = []
        reporting: list[Holder] = []
        for tok in sv.doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.lower_ in _RELATIVE | _PRONOUNS_FIRST:
                continue
            says = tok.head.lemma_.lower() in self.v.holder_verbs
            if tok.lower_ in _PRONOUNS_PERSON | _PRONOUNS_OTHER and not says:
                continue
            # a pronoun that reports ('"...," she wrote') is resolved: it names the quotation's speaker
            hs = self._with_conjuncts(sv, tok)
            (reporting if says else other).extend(hs)
        if reporting:
            self.last_reporter = reporting[-1]
        return other + reporting


# ---------------------------------------------------------------------------------------
# Stance, bases, subject
# ---------------------------------------------------------------------------------------


@dataclass
class Cue:
    start: int  # relative to sentence
    end: int
    group: int  # index into vocab.groups; -1 = rejection; -2 = basis only
    stance: str | None
    negated: bool = False


def find_cues(text: str, vocab: LegalVocab) -> list[Cue]:
    """Stance cues of a sentence, overlapping lower-priority matches dropped."""
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for gi, g in enumerate(vocab.groups):
        for m in g.regex.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            stance: str | None = g.stance
            before = text[: m.start()].split()[-vocab.negation_window :]
            negated = bool(before) and bool(vocab.negator.search(" ".join(before)))
            if g.negated_only and not negated:
                continue  # "allowed", "covers": a stance only when denied
            if negated and g.negatable:
                stance = _flip(stance)
            elif negated and g.weak:
                stance = "questioned"  # "made no mention of an imminent attack"
            else:
                negated = False
            found.append(Cue(m.start(), m.end(), gi, stance, negated))
            taken.append((m.start(), m.end()))
    for m in vocab.rejection.finditer(text):
        if not any(m.start() < e and s < m.end() for s, e in taken):
            found.append(Cue(m.start(), m.end(), -1, None))
    return sorted(found, key=lambda c: c.start)


def _flip(stance: str | None) -> str | None:
    return {"lawful": "unlawful", "unlawful": "lawful"}.get(stance or "", stance)


def negated_in_parse(sv: SentenceView, cue: Cue, stop: Token | None) -> bool:
    """Negation the word window misses: "no" on a noun the cue hangs on ("there was no imminent
    attack that could trigger the right of self-defense"), or a negated first verb above the cue."""
    tok = token_at(sv.doc, cue.start)
    if tok is None:
        return False
    first_verb = True
    for cur in ancestors_path(tok)[1:]:
        if stop is not None and cur.i == stop.i:
            return False
        if cur.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "det" and c.lower_ == "no" and not cue.start <= c.idx < cue.end
                                                 for c in cur.children):
            return True
        if cur.pos_ in ("VERB", "AUX"):
            # (a negation inside the cue itself, "approval should not be needed", is the cue's own)
            if first_verb and any(c.dep_ == "neg" and not cue.start <= c.idx < cue.end for c in cur.children):
                return True
            first_verb = False
            if cur.dep_ not in ("relcl", "acl", "xcomp"):
                return False  # the clause boundary: negation further up is about something else
    return False


def find_bases(text: str, vocab: LegalVocab) -> list[tuple[str, int, int]]:
    """Legal bases named in a text: (basis id, start, end), broader overlapping ones dropped."""
    hits = [(bid, m.start(), m.end(), broader) for bid, rx, broader in vocab.bases for m in rx.finditer(text)]
    out = []
    for bid, s, e, _ in hits:
        redundant = any(
            bid in broader2 and s < e2 and s2 < e for bid2, s2, e2, broader2 in hits if bid2 != bid
        )
        if not redundant:
            out.append((bid, s, e))
    return sorted(out, key=lambda h: h[1])


def subject_of(text: str, vocab: LegalVocab) -> tuple[str | None, bool]:
    """(subject, skip) for a clause: the first subject group matching, else the default."""
    for subject, rx, skip in vocab.subjects:
        if rx.search(text):
            return subject, skip
    return None, False


# ---------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------

_OPEN_Q = "“"
_CLOSE_Q = "”"


def _inside_quote(text: str, upto: int) -> bool:
    """Whether position ``upto`` of a paragraph lies inside an open double quotation."""
    depth = 0
    straight = False
    for ch in text[:upto]:
        if ch == _OPEN_Q:
            depth = 1
        elif ch == _CLOSE_Q:
            depth = 0
        elif ch == '"':
            straight = not straight
    return depth > 0 or straight


@dataclass
class _Position:
    holder: Holder
    stance: str
    cues: list[Cue]
    bases: list[str]
    subject: str
    sent: Sentence
    date: DateMention | None
    section: str
    ordinal: int
    rejecting: bool = False


def _sentences_to_read(doc: SourceDoc, passages: Iterable[PassageRow], curated_dir: Path
                       ) -> tuple[list[tuple[PassageRow, list[Sentence]]], set[tuple[int, int]], list[Sentence]]:
    """A source's passages with their sentences, the sentences with a legal cue, and the sentences to
    parse (those with a cue, and the earlier ones whose speakers a cue sentence may need)."""
    vocab = load_legal_vocab(curated_dir)
    skip_sections = load_yaml(curated_dir / "plot_cues.yaml").get("skip_sections", [])
    ordered = sorted((p for p in passages if p.source_id == doc.source_id), key=lambda p: p.ordinal)
    per_passage = [(p, passage_sentences(doc, p, curated_dir)) for p in ordered]
    read = [(p, ss) for p, ss in per_passage if not skipped_passage(p, skip_sections, ["infobox"])]
    cue_at = {(s.start, s.end) for _, ss in read for s in ss if vocab.any_cue.search(s.text)}
    memo = _speaker_sentences(read, cue_at)
    wanted = cue_at | memo
    return per_passage, cue_at, [s for _, ss in read for s in ss if (s.start, s.end) in wanted]


def parse_candidates(doc: SourceDoc, passages: Iterable[PassageRow], curated_dir: Path) -> list[Sentence]:
    """The sentences of one source that ``positions_of_source`` will parse (per-source step)."""
    return _sentences_to_read(doc, passages, curated_dir)[2]


def positions_of_source(
    doc: SourceDoc,
    passages: list[PassageRow],
    index: EntityIndex,
    curated_dir: Path,
    parser: Parser,
    report: list[str],
) -> list[_Position]:
    """Legal positions stated in one source (no cross-source work)."""
    vocab = load_legal_vocab(curated_dir)
    finder = HolderFinder(vocab, person_types(doc, index, vocab))
    skip_sections = load_yaml(curated_dir / "plot_cues.yaml").get("skip_sections", [])
    out: list[_Position] = []
    per_passage, cue_at, to_parse = _sentences_to_read(doc, passages, curated_dir)
    dates = sentence_dates(doc, [s for _, ss in per_passage for s in ss])
    memo = {(s.start, s.end) for s in to_parse} - cue_at
    parser.prefetch(to_parse)
    prev_section = None
    prev_speakers: list[Holder] = []
    for p, sents in per_passage:
        if skipped_passage(p, skip_sections, ["infobox"]):
            continue
        # pronouns reach back one paragraph within a section, never further
        finder.reset()
        if p.section == prev_section:
            finder.recent = list(prev_speakers[-2:])
        para_speakers: list[Holder] = []
        for s in sents:
            if (s.start, s.end) not in cue_at:
                # still remember who speaks, for a pronoun or a quotation in a later sentence with a cue
                if (s.start, s.end) in memo:
                    sv = SentenceView(s, parser(s), align_mentions(parser(s), s, index))
                    sp = finder.speakers(sv)
                    para_speakers.extend(sp)
                    finder.recent.extend(sp)
                continue
            sdoc = parser(s)
            sv = SentenceView(s, sdoc, align_mentions(sdoc, s, index))
            # inside a quotation opened earlier, or a new quotation after '"...," X said.'
            in_quote = _inside_quote(p.text, s.start - p.char_start) or s.text[:1] in ('"', "“")
            finder.quote_speaker = (finder.last_reporter or (para_speakers[-1] if para_speakers else None)
                                    ) if in_quote else None
            found = _positions_of_sentence(sv, vocab, finder, in_quote, para_speakers, out, report)
            for pos in found:
                pos.date = first_date(dates.get((s.start, s.end), []))
                pos.section = p.section
                pos.ordinal = p.ordinal
            out.extend(found)
            sp = finder.speakers(sv)
            para_speakers.extend(sp)
            finder.recent.extend([*(f.holder for f in found), *sp])
        prev_section = p.section
        prev_speakers = para_speakers
    return out


_LATER_REFERENCE = re.compile(r"\b(he|she|it|they|his|her|its|their)\b|^[\"“]", re.IGNORECASE)


def _speaker_sentences(read: list[tuple[PassageRow, list[Sentence]]], cue_at: set[tuple[int, int]]
                       ) -> set[tuple[int, int]]:
    """Sentences without a cue whose speakers a later cue sentence may need: before a cue sentence of the
    same paragraph, or of the next paragraph of the section, that lies in a quotation or uses a pronoun
    (parsing only these keeps the parse, the costly part, to what can matter)."""
    out: set[tuple[int, int]] = set()

    def refers_back(p: PassageRow, s: Sentence) -> bool:
        return (s.start, s.end) in cue_at and bool(
            _LATER_REFERENCE.search(s.text) or _inside_quote(p.text, s.start - p.char_start))

    for k, (p, ss) in enumerate(read):
        later = [s for s in ss if refers_back(p, s)]
        if k + 1 < len(read) and read[k + 1][0].section == p.section:
            later += [s for s in read[k + 1][1] if refers_back(read[k + 1][0], s)]
        if not later:
            continue
        last = max(s.start for s in later)
        for s in ss:
            if (s.start, s.end) not in cue_at and s.start < last and (
                    re.search(r"[\"“]", s.text) or _LATER_REFERENCE.search(
                        ss[s.index + 1].text if s.index + 1 < len(ss) else "")
                    or s.index + 1 == len(ss)):
                out.add((s.start, s.end))
    return out


def person_types(doc: SourceDoc, index: EntityIndex, vocab: LegalVocab) -> dict[str, str]:
    """holder_type of each person whose title, somewhere in the source, makes them hold positions as a
    legislature or court ("Sen. Tim Kaine, D-Va." ... "Kaine argued")."""
    votes: dict[str, Counter[str]] = {}
    text = doc.text
    for m in index.in_span(doc.source_id, 0, len(text), "person"):
        before = text[max(0, m.char_start - 40) : m.char_start]
        # the title runs up to the name within its clause ("Sen." is no sentence end, "lawmakers." is)
        before = re.split(r"[,;:!?\n]|(?<=[a-z]{3})\.\s", before)[-1]
        after = text[m.char_end : m.char_end + 12]
        tail = before.rstrip()
        for htype, rx in vocab.title_types:
            if htype == "government":
                continue  # a named envoy speaks as a person
            # the title must end within a word of the name ("Sen. Tim Kaine", "House Speaker Nancy Pelosi")
            if any(len(tail) - t.end() <= 1 or " " not in tail[t.end():].strip() for t in rx.finditer(tail)):
                votes.setdefault(m.entity_id, Counter())[htype] += 1
                break
        else:
            for htype, rx in vocab.title_after:
                if rx.match(after):
                    votes.setdefault(m.entity_id, Counter())[htype] += 1
                    break
    return {pid: c.most_common(1)[0][0] for pid, c in votes.items()}


def _positions_of_sentence(
    sv: SentenceView,
    vocab: LegalVocab,
    finder: HolderFinder,
    in_quote: bool,
    para_speakers: list[Holder],
    earlier: list[_Position],
    report: list[str],
) -> list[_Position]:
    text = sv.sent.text
    cues = find_cues(text, vocab)
    bases = find_bases(text, vocab)
    strong_bases = [b for b in bases if b[0] not in vocab.weak_bases]
    if not cues and not strong_bases:
        return []
    by_holder: dict[str, tuple[Holder, list[Cue], list[str], list[Token]]] = {}
    fallback: list[Holder] | None = None

    # subjects faulted by a cue ("the administration failed to show ..."): no cue inside that clause is theirs
    faulted: list[tuple[Token, Token]] = []  # (the faulting clause's verb, its subject)
    for cue in cues:
        if cue.group >= 0 and vocab.groups[cue.group].faults_subject:
            ctok = token_at(sv.doc, cue.start)
            own = next((t for t in ancestors_path(ctok) if t.pos_ in ("VERB", "AUX")), None) if ctok else None
            subj = _subject_of(own) if own is not None else None
            if own is not None and subj is not None:
                faulted.append((own, subj))

    def holders_at(start: int, owner_ok: bool) -> tuple[list[Holder], list[Token]]:
        nonlocal fallback
        tok = token_at(sv.doc, start)
        if tok is None:
            return [], []
        above = {t.i for t in ancestors_path(tok)}
        fault = next((subj for own, subj in faulted if own.i in above), None)
        hs, verb = finder.holders_for(sv, tok, fault)
        if hs:
            return hs, [verb] if verb is not None else []
        if fallback is None:
            fallback = finder.according_to(sv)
            if not fallback and in_quote and (finder.quote_speaker or para_speakers):
                fallback = [finder.quote_speaker or para_speakers[-1]]
        if fallback:
            return fallback, []
        # "Interpol constitution forbids it ...": only for a stance cue, never a bare basis
        return (finder.instrument_owner(sv, tok) if owner_ok else []), []

    for cue in cues:
        hs, verbs = holders_at(cue.start, True)
        if cue.group >= 0 and _no_position(sv, cue, verbs[0] if verbs else None, vocab):
            report.append(f"legal: no position taken on {text[cue.start:cue.end]!r} in {sv.sent.passage.passage_id}")
            continue
        g = vocab.groups[cue.group] if cue.group >= 0 else None
        if g is not None and not cue.negated and (g.negatable or g.weak) and negated_in_parse(
                sv, cue, verbs[0] if verbs else None):
            cue.negated = True
            cue.stance = _flip(cue.stance) if g.negatable else "questioned"
        if verbs and verbs[0].lemma_.lower() in vocab.denial_verbs and cue.stance in ("lawful", "unlawful"):
            cue_tok = token_at(sv.doc, cue.start)
            if cue_tok is not None and cue_tok.i != verbs[0].i and verbs[0] in cue_tok.ancestors:
                # "denied that the strike breached any law": the holder says the opposite
                cue.stance = "lawful" if cue.stance == "unlawful" else "unlawful"
                cue.negated = not cue.negated
        if not hs:
            report.append(f"legal: no holder for cue {text[cue.start:cue.end]!r} in {sv.sent.passage.passage_id}")
            continue
        for h in hs:
            entry = by_holder.setdefault(h.key, (h, [], [], []))
            entry[1].append(cue)
            entry[3].extend(verbs)
    for bid, bs, _be in bases:
        hs, verbs = holders_at(bs, False)
        if not hs and len(by_holder) == 1:
            only = next(iter(by_holder.values()))
            only[2].append(bid)
            continue
        for h in hs:
            if h.key not in by_holder and bid in vocab.weak_bases:
                continue
            entry = by_holder.setdefault(h.key, (h, [], [], []))
            entry[2].append(bid)
            entry[3].extend(verbs)

    out: list[_Position] = []
    for holder, hcues, hbases, verbs in by_holder.values():
        clause = _clause_text(sv, verbs) or text
        subject, skip = subject_of(clause, vocab)
        if subject is None:
            subject, skip = subject_of(text, vocab)
        if skip:
            report.append(f"legal: not a position on the strike ({subject}) in {sv.sent.passage.passage_id}")
            continue
        stance, weak = _stance(hcues, vocab)
        rejecting = False
        if stance is None and any(c.group == -1 for c in hcues):
            # the position rejected is the last lawful/unlawful one stated by someone else (not itself a
            # rejection): "Interpol said it would not consider it" between them changes nothing
            prev = next(
                (e for e in reversed(earlier)
                 if e.sent.passage.section == sv.sent.passage.section and not e.rejecting
                 and e.holder.key != holder.key and e.stance in ("lawful", "unlawful")),
                None,
            )
            if prev is not None and prev.stance in ("lawful", "unlawful"):
                stance = "lawful" if prev.stance == "unlawful" else "unlawful"
                subject = subject or prev.subject
                rejecting = True
        names_subject = subject is not None or bool(vocab.default_subject_re.search(clause))
        if not names_subject and stance is not None:
            # "Esper said the military would follow the laws of armed conflict" in a paragraph about
            # cultural sites: the paragraph says what the position is about (for a weak cue, only
            # a named subject group: "self-defense" alone next to "the strike" is no position)
            subject = _paragraph_subject(sv.sent.passage.text, vocab)
            names_subject = subject is not None or (
                not weak and bool(vocab.default_subject_re.search(sv.sent.passage.text)))
        if stance is None:
            # a strong legal basis invoked about a named subject, without a stance word
            if any(b not in vocab.weak_bases for b in hbases) and names_subject:
                stance = "other"
            else:
                continue
        elif not names_subject and not _accuses_someone(sv, clause, holder) and (weak or not hbases):
            # "the sanctions violated the nuclear deal" is not about the strike
            report.append(f"legal: no subject for {holder.name!r} in {sv.sent.passage.passage_id}")
            continue
        out.append(
            _Position(holder, stance, hcues, list(dict.fromkeys(hbases)), subject or vocab.default_subject,
                      sv.sent, None, "", 0, rejecting)
        )
    return out


def _paragraph_subject(text: str, vocab: LegalVocab) -> str | None:
    for subject, rx, skip in vocab.subjects:
        if not skip and rx.search(text):
            return subject
    return None


def _no_position(sv: SentenceView, cue: Cue, verb: Token | None, vocab: LegalVocab) -> bool:
    """A cue the holder takes no position on: after "declined to say", or inside a "whether" clause
    that no questioning word governs ("declined to say whether the strike was legal")."""
    text = sv.sent.text
    start = verb.idx if verb is not None and verb.idx < cue.start else 0
    if vocab.non_positions.search(text[start : cue.start]):
        return True
    if vocab.groups[cue.group].stance == "questioned":
        return False
    tok = token_at(sv.doc, cue.start)
    if tok is None:
        return False
    for cur in ancestors_path(tok):
        if any(c.dep_ == "mark" and c.lower_ in ("whether",) for c in cur.children):
            return True  # (the holder's own verb too: "did not say whether she considered it lawful")
        if verb is not None and cur.i == verb.i:
            break
    return False


def _accuses_someone(sv: SentenceView, clause: str, holder: Holder) -> bool:
    """Whether the clause names people other than the holder ("unless Trump is brought to trial")."""
    return any(m.kind == "person" and m.entity_id != holder.person_id and m.surface in clause
               for m in sv.mentions.values())


def _clause_text(sv: SentenceView, verbs: list[Token]) -> str:
    """Text of the subtree of the holder's verb (the holder's own clause)."""
    if not verbs:
        return ""
    v = verbs[0]
    if v.dep_ == "parataxis":
        return sv.sent.text  # "X, she said, was ...": the reporting clause is inserted in the position
    toks = list(v.subtree)
    return span_text(sv.doc, toks[0].i, toks[-1].i + 1)


def _stance(cues: list[Cue], vocab: LegalVocab) -> tuple[str | None, bool]:
    """The stance of a holder's cues: the highest-priority group wins; (stance, weak?)."""
    ranked = [c for c in cues if c.group >= 0]
    if not ranked:
        return None, False
    best = min(ranked, key=lambda c: (c.group, c.start))
    g = vocab.groups[best.group]
    # a negated cue is weaker evidence: it needs the subject named, like a weak cue
    return best.stance, g.weak or (best.negated and not g.negated_only)


def position_rows(positions: list[_Position], docs: dict[str, SourceDoc]) -> list[Row]:
    """Rows of legal_positions (cross-source step: concatenation, IDs from content)."""
    rows: list[Row] = []
    seen: set[str] = set()
    for pos in positions:
        s = pos.sent
        pid = "legal-" + short_hash(local_key(s.passage, s.start, s.end), pos.holder.key, length=12)
        if pid in seen:
            continue
        seen.add(pid)
        row: Row = {
            "position_id": pid,
            "holder_name": pos.holder.name,
            "holder_person_id": pos.holder.person_id,
            "holder_org_id": pos.holder.org_id,
            "holder_type": pos.holder.holder_type,
            "stance": pos.stance,
            "legal_basis": pos.bases,
            "subject": pos.subject,
            **date_columns(pos.date),
            **provenance(s.passage, s.start, s.end, docs[s.source_id].text),
        }
        rows.append(row)
    return rows


def extract_legal_positions(
    docs: list[SourceDoc],
    passages: list[PassageRow],
    entities: EntityIndex,
    curated_dir: Path,
    preparsed: Mapping[str, SourceParses] | None = None,
    source_map: SourceMap | None = None,
) -> ExtractResult:
    """Legal positions of every source: tables={"legal_positions": [...]}. ``preparsed``: parses made
    by the per-source step (``parse_candidates``), by source_id; ``source_map`` runs the per-source
    reading (default: in order, in this process)."""
    parser = Parser(preparsed)
    report: list[str] = []
    positions: list[_Position] = []

    def of_source(doc: SourceDoc, ps: list[PassageRow]) -> tuple[list[_Position], list[str], int]:
        lines: list[str] = []
        before = parser.parsed_chars
        found = positions_of_source(doc, ps, entities, curated_dir, parser, lines)
        return found, lines, parser.parsed_chars - before

    parsed_here = 0
    for found, lines, parsed in (source_map or serial_map(docs, passages))("legal", of_source):
        positions.extend(found)
        report.extend(lines)
        parsed_here += parsed
    rows = position_rows(positions, {d.source_id: d for d in docs})
    report.append(f"legal_positions: {len(rows)} rows from {len(docs)} sources ({parsed_here} chars parsed by the "
                  "extractor, the rest by the per-source step)")
    return ExtractResult(tables={"legal_positions": rows}, report=report)

