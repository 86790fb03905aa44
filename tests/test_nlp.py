"""The spaCy passes: NER once per passage, parses of single sentences labelled from it, and the
serialised parses the per-source step hands to the extractors."""

from __future__ import annotations

import pytest

from pipeline.corpus import PassageRow
from pipeline.extract import nlp
from pipeline.extract.sentences import Parser, Sentence

TEXT = "Qasem Soleimani was killed near Baghdad International Airport. Mark Esper said it was lawful."


def _passage(text: str = TEXT, start: int = 0) -> PassageRow:
    return PassageRow(passage_id="s:p1", source_id="s", section="Body", ordinal=1, kind="paragraph",
                      char_start=start, char_end=start + len(text), text=text)


def _sentences(p: PassageRow) -> list[Sentence]:
    cut = p.text.index(" Mark") + 1
    first, second = p.text[:cut].rstrip(), p.text[cut:]
    return [Sentence("s", p, p.char_start, p.char_start + len(first), first, 0),
            Sentence("s", p, p.char_start + cut, p.char_end, second, 1)]


@pytest.fixture(scope="module")
def model():
    m = nlp.load_model()
    assert m is not None, "the pinned spaCy model must be installed"
    return m


def test_ner_pass_runs_only_the_ner_component_and_keeps_every_label(model) -> None:
    (spans,) = nlp.ner_spans([TEXT], model)
    surfaces = {TEXT[s:e]: label for s, e, label in spans}
    assert surfaces.get("Qasem Soleimani") == "PERSON"
    assert surfaces.get("Mark Esper") == "PERSON"
    assert model.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]


def test_sentence_takes_the_passage_level_entities_at_its_own_offsets() -> None:
    p = _passage(start=100)
    spans = [(0, 15, "PERSON"), (63, 73, "PERSON")]  # "Qasem Soleimani", "Mark Esper"
    first, second = _sentences(p)
    assert nlp.sentence_ents(p, spans, first.start, first.end) == [(0, 15, "PERSON")]
    assert nlp.sentence_ents(p, spans, second.start, second.end) == [(0, 10, "PERSON")]


def test_parse_has_tags_lemmas_dependencies_and_given_entities(model) -> None:
    (doc,) = nlp.parse(["Mark Esper said it was lawful."], [[(0, 10, "PERSON")]], model)
    assert [e.text for e in doc.ents] == ["Mark Esper"]
    said = next(t for t in doc if t.text == "said")
    assert said.lemma_ == "say" and said.pos_ == "VERB" and said.dep_ == "ROOT"
    # a span not on token bounds is shrunk to whole tokens, never an error
    (doc,) = nlp.parse(["Mark Esper said it."], [[(1, 10, "PERSON")]], model)
    assert [e.text for e in doc.ents] == ["Esper"]


def test_serialised_parses_read_back_equal(model) -> None:
    p = _passage()
    ner: dict[str, list[nlp.NerSpan]] = {}
    parsed = nlp.parse_sentences(_sentences(p), ner, model)
    assert set(ner) == {"s:p1"}  # the passage's NER was run once, for both sentences
    stored = nlp.SourceParses.from_docs(ner, parsed)
    back = stored.docs(model)
    assert list(back) == list(parsed)
    for key, doc in parsed.items():
        other = back[key]
        assert [(t.text, t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc] == [
            (t.text, t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in other]


# Own words, with spellings the model's norm table rewrites ("defence", "travelled", "cancelled")
# and tokens of every lexical kind (numbers, punctuation, currency, brackets, quotes, URLs).
VOCAB_TEXT = ("The defence minister travelled to Basra on 3 January 2020 and cancelled talks (again). "
              "\"It is over,\" she said; aid of $12 million was listed at www.example.org, about 40% of it.")
LEXICAL = ("text", "norm_", "lower_", "shape_", "prefix_", "suffix_", "lemma_", "tag_", "pos_", "dep_", "ent_type_",
           "ent_iob_", "is_alpha", "is_digit", "is_lower", "is_upper", "is_title", "is_punct", "is_space", "is_stop",
           "like_num", "like_url", "like_email", "is_quote", "is_bracket", "is_currency", "is_sent_start",
           "whitespace_", "idx")


def _lexical(t: object) -> tuple[object, ...]:
    return (*(getattr(t, a) for a in LEXICAL), t.head.i, str(t.morph))  # type: ignore[attr-defined]


def test_stored_parses_read_without_the_model_have_every_attribute_of_the_models_reading(model) -> None:
    p = _passage(VOCAB_TEXT)
    cut = VOCAB_TEXT.index(" \"It") + 1
    sents = [Sentence("s", p, 0, cut - 1, VOCAB_TEXT[: cut - 1], 0),
             Sentence("s", p, cut, len(VOCAB_TEXT), VOCAB_TEXT[cut:], 1)]
    ner: dict[str, list[nlp.NerSpan]] = {}
    stored = nlp.SourceParses.from_docs(ner, nlp.parse_sentences(sents, ner, model))
    light = nlp.lookups_vocab()
    assert light is not model.vocab
    with_model, without = stored.docs(model), stored.docs_in(light)
    norms = set()
    for key, doc in with_model.items():
        other = without[key]
        assert [_lexical(t) for t in doc] == [_lexical(t) for t in other]
        assert [(c.start, c.end) for c in doc.noun_chunks] == [(c.start, c.end) for c in other.noun_chunks]
        norms |= {t.norm_ for t in other}
    assert {"defense", "canceled"} <= norms  # the model's norm table, not the language's defaults alone


def test_parser_reuses_stored_parses_and_parses_the_rest_the_same_way(model) -> None:
    p = _passage()
    first, second = _sentences(p)
    ner: dict[str, list[nlp.NerSpan]] = {}
    stored = nlp.SourceParses.from_docs(ner, nlp.parse_sentences([first], ner, model))
    parser = Parser({"s": stored})
    parser.prefetch([first, second])
    assert parser.parsed_chars == len(second.text)  # only the sentence the per-source step skipped
    fresh = Parser()
    for s in (first, second):
        assert [(t.text, t.dep_, t.ent_type_) for t in parser(s)] == [
            (t.text, t.dep_, t.ent_type_) for t in fresh(s)]


def test_model_multiplies_on_numpy_blas_one_thread_and_reads_as_the_default_backend(model) -> None:
    import spacy
    from threadpoolctl import threadpool_info

    # the embedding and window layers, where the model spends its time multiplying (the parser's
    # and NER's state loop call BLAS directly)
    maxout = [node for _name, pipe in model.pipeline if getattr(pipe, "model", None) is not None
              for node in pipe.model.walk() if node.name.startswith("maxout")]
    assert maxout and not any(node.ops.use_blis for node in maxout)
    assert {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"} <= {1}
    default = spacy.load(f"{model.meta['lang']}_{model.meta['name']}")  # thinc's default backend: blis
    assert next(node.ops.use_blis for node in default.get_pipe("ner").model.walk())
    texts = [TEXT, "On Friday, Iraqi officials said two rockets hit the base, and the ministry denied it.",
             "Prosecutors charged a man with plotting to kill a former national security adviser."]
    assert nlp.ner_spans(texts, model) == nlp.ner_spans(texts, default)
    ents: list[list[nlp.NerSpan]] = [[] for _ in texts]
    read = [[[(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in d] for d in docs]
            for docs in (nlp.parse(texts, ents, model), nlp.parse(texts, ents, default))]
    assert read[0] == read[1]


def test_rule_components_from_tables_give_the_models_pos_morphology_and_lemmas(model) -> None:
    # phenomena the ruler's rules handle: determiners and pronouns (morphology), 'that' as a relative
    # pronoun or a conjunction, modal verbs, an expletive 'there is' (a two-token rule), 'gonna' and
    # 'let's' (two-token lemma rules), 'got' (a rule with two alternative patterns), whitespace tokens
    texts = ["There is a report that she said the officials would not let us in.",
             "They're gonna say it, let's be honest: he got what   he wanted,\n\nand we ain't done.",
             "Something happened to everyone whose name was on the list that the ministry published."]
    ruler, lemmatizer = model.get_pipe("attribute_ruler"), model.get_pipe("lemmatizer")
    with model.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        for text in texts * 2:  # the second time, the table lemmatizer answers from its table
            by_model, by_table = model(text), model(text)
            lemmatizer(ruler(by_model))
            nlp.table_lemmatizer(model)(nlp.table_ruler(model)(by_table))
            assert [(t.pos_, str(t.morph), t.lemma_) for t in by_table] == [
                (t.pos_, str(t.morph), t.lemma_) for t in by_model]
            assert any(t.lemma_ for t in by_table) and all(t.pos_ for t in by_table)
    table = nlp.table_ruler(model)
    assert len(table.matcher) > 0 and len(table.one_token) > 100  # most rules looked up, the rest matched
