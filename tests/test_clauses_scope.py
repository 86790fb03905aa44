"""clauses.scope: the words of a sentence that tell of something else than a given occurrence."""

from __future__ import annotations

from pipeline.extract.clauses.scope import foreign_spans, inside
from pipeline.extract.nlp import require_model


def _foreign_words(text: str, word: str) -> list[str]:
    doc = require_model()(text)
    tok = next(t for t in doc if t.text == word)
    return [text[s:e] for s, e in foreign_spans(tok, 0)]


def test_a_relative_clause_on_another_noun_is_foreign() -> None:
    text = "A court issued a warrant on Monday for those behind the strike that killed a general in Basra."
    spans = _foreign_words(text, "warrant")
    assert any("killed a general" in s for s in spans)
    # the strike's own relative clause is its own
    assert not any("killed" in s for s in _foreign_words(text, "strike"))


def test_a_description_of_a_person_is_foreign() -> None:
    text = "Lena Ortiz, who served as deputy minister in 2018, was the target of a plot."
    assert any("2018" in s for s in _foreign_words(text, "plot"))


def test_a_first_conjuncts_own_words_are_foreign_an_opening_is_shared() -> None:
    text = "Lena Ortiz has been head of the border police since 1998 and survived an attempt."
    assert any("since 1998" in s for s in _foreign_words(text, "attempt"))
    text = "In 2021, the cell plotted and tried to kill Lena Ortiz."
    doc = require_model()(text)
    tok = next(t for t in doc if t.text == "kill")
    assert not inside(text.index("2021"), foreign_spans(tok, 0))


def test_wire_datelines_of_several_forms_are_read() -> None:
    from pipeline.extract.clauses.roles import dateline_end

    for line, words in [("Basra, XP/NNA, Mar 05 – The council met.", "Basra, XP/NNA, Mar 05 – "),
                        ("NEW DELHI (Daily Wire / Wirepress - 09th May, 2021) The council met.",
                         "NEW DELHI (Daily Wire / Wirepress - 09th May, 2021) "),
                        ("OSLO, May 9 (Wirepress) - The council met.", "OSLO, May 9 (Wirepress) - ")]:
        assert line[: dateline_end(line)] == words
    for line in ("Hezbollah (the Party of God) said it fired.", "Tehran, Iran, Sunday – a long day."):
        assert dateline_end(line) == 0
