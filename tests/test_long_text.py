"""Very long paragraphs reach the statistical model in pieces: offsets exact, never over its max_length."""

from __future__ import annotations

import itertools

import pytest

from pipeline.extract import nlp
from pipeline.text import MAX_SENTENCE_CHARS, sentence_spans

# A paragraph in the tests' own words with no sentence end, names spread all along it.
CLAUSE = "the envoy Maria Lindqvist met officials in Geneva on Tuesday and spoke about the strike, "


def run_on(size: int) -> str:
    return (CLAUSE * (size // len(CLAUSE) + 1))[:size].rstrip(" ,")


@pytest.fixture(scope="module")
def model():
    m = nlp.load_model()
    assert m is not None, "the pinned spaCy model must be installed"
    return m


def test_chunks_cover_the_text_between_sentences_and_stay_short() -> None:
    text = run_on(50_000)
    pieces = nlp.chunks(text)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert len(pieces) >= 3 and all(e - s <= nlp.MODEL_CHUNK_CHARS + 1 for s, e in pieces)
    starts = {s for s, _ in sentence_spans(text)}
    assert all(s in starts for s, _ in pieces)  # a piece starts where a sentence does


def test_passage_longer_than_the_models_max_length_is_read_in_pieces(model) -> None:
    text = run_on(45_000)
    saved = model.max_length
    model.max_length = 25_000  # a passage over the limit: spaCy itself would refuse it (E088)
    try:
        with pytest.raises(ValueError):
            model(text)
        (spans,) = nlp.ner_spans([text], model)
        (doc,) = nlp.parse([text], [spans], model)
    finally:
        model.max_length = saved
    people = [(s, e) for s, e, label in spans if label == "PERSON"]
    # names found all along the paragraph, with offsets into the whole text
    assert people and all(text[s:e] == "Maria Lindqvist" for s, e in people)
    assert max(s for s, _ in people) > 40_000
    assert doc.text == text and len(doc.ents) == len(spans)


def test_model_is_never_given_more_than_a_sentence_of_a_run_on_paragraph() -> None:
    text = run_on(30_000)
    assert max(e - s for s, e in sentence_spans(text)) <= MAX_SENTENCE_CHARS
