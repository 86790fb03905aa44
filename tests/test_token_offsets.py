"""Tokens by character offsets (``pipeline.extract.token_offsets``): the same tokens a walk over the
doc finds, for every range, on texts with runs of spaces, line breaks and non-ASCII words."""

from __future__ import annotations

import itertools

import pytest

from pipeline.extract import nlp
from pipeline.extract.token_offsets import _KEEP, doc_text, overlapping, starting_in

TEXTS = [
    "Qasem Soleimani was killed near Baghdad International Airport on 3 January 2020.",
    "  The envoy,  who   spoke\n\nto reporters in Genève, said:\t“We rejected it.”  ",
    "Hadi al-Amiri's convoy -- hit twice -- burned.",
]


@pytest.fixture(scope="module")
def docs():
    model = nlp.load_model()
    assert model is not None, "the pinned spaCy model must be installed"
    return list(model.pipe(TEXTS))


def test_overlapping_and_starting_in_give_the_walks_tokens_for_every_range(docs) -> None:
    for doc in docs:
        n = len(doc.text)
        for start, end in itertools.combinations_with_replacement(range(-2, n + 3), 2):
            walk = [t.i for t in doc if t.idx < end and t.idx + len(t.text) > start]
            assert [t.i for t in overlapping(doc, start, end)] == walk, (doc.text, start, end)
            walk_in = [t.i for t in doc if start <= t.idx < end]
            assert [t.i for t in starting_in(doc, start, end)] == walk_in, (doc.text, start, end)


def test_doc_text_is_the_docs_text_while_many_docs_come_and_go(docs) -> None:
    model = nlp.load_model()
    # more docs than are kept: an evicted doc's answers are worked out again, never another doc's
    many = list(model.pipe([f"Sentence number {i} of a long run." for i in range(_KEEP * 2)]))
    for doc in [*docs, *many, *docs]:
        assert doc_text(doc) == doc.text
        assert [t.text for t in overlapping(doc, 0, len(doc.text))] == [t.text for t in doc]
