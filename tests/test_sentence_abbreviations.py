"""Sentence ends: an abbreviation that stands before a number ("Art. 2(4)") ends no sentence there."""

from __future__ import annotations

from pipeline.text import sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_article_number_does_not_split_the_sentence() -> None:
    text = "The raid breached Art. 2(4) of the treaty, the panel found. Officials disagreed."
    assert _sentences(text) == ["The raid breached Art. 2(4) of the treaty, the panel found.", "Officials disagreed."]


def test_paragraph_and_resolution_numbers_do_not_split() -> None:
    text = "See para. 12 and Res. 2231 for the terms. Nothing else changed."
    assert len(_sentences(text)) == 2


def test_the_same_word_before_a_capital_still_ends_a_sentence() -> None:
    # only before a number is the word an abbreviation: here it is the end of a sentence
    text = "She wrote about the arts. Museums reopened in May."
    assert _sentences(text) == ["She wrote about the arts.", "Museums reopened in May."]
