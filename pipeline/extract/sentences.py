"""Sentences of passages and their parses: what every parse-reading extractor shares.

What belongs here: curated-file loading (``load_yaml``, ``compile_any``), the ``Sentence`` of a
passage, the ``Parser`` that reuses the per-source step's parses, alignment of ``EntityIndex``
mentions with tokens, noun-phrase and token helpers, and the dates of sentences read in order
(``sentence_dates``, ``first_date``, ``date_columns``). Used by legal positions and plots; the
clause layer (``pipeline.extract.clauses``) reads the parses these give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Token

from pipeline import yamlload
from pipeline.corpus import PassageRow, SourceDoc
from pipeline.errors import CuratedDataError
from pipeline.extract.dates import DateContext, DateMention, find_dates
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.nlp import NerSpan, SourceParses, parse_sentences, reading_vocab, require_model
from pipeline.extract.token_offsets import overlapping
from pipeline.text import sentence_spans


@lru_cache(maxsize=32)
def load_yaml(path: Path) -> Any:
    """A curated YAML file, parsed once; a missing or malformed file is a CuratedDataError."""
    try:
        return yamlload.safe_load(path.read_text(encoding="utf-8"))
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
        self._docs = pre.docs_in(reading_vocab()) if pre is not None else {}
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
    toks = overlapping(doc, start, end)
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


@dataclass
class SentenceView:
    """A parsed sentence with its entity alignment."""

    sent: Sentence
    doc: Doc
    mentions: dict[int, EntityMention]
