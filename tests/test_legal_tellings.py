"""One position told twice in one source is one row (pipeline/extract/legal/tellings.py): a headline that
restates a position of its body gives no row of its own; the body's telling, with the holder's full name,
is kept. Fixtures are written for these tests.
"""

from __future__ import annotations

from typing import Any

from test_legal import CUR, corpus

from pipeline.corpus import PassageRow
from pipeline.extract.legal import extract_legal_positions


def _with_headline(headline: str, *body: str) -> list[dict[str, Any]]:
    """Legal rows of a source whose first passage is a headline (as the news parser makes it)."""
    docs, passages, index = corpus([headline, *body])
    first = passages[0]
    passages[0] = PassageRow(first.passage_id, first.source_id, "Headline", 0, first.char_start, first.char_end,
                             first.text, "headline")
    return extract_legal_positions(docs, passages, index, CUR).tables["legal_positions"]


def _holders(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["holder_person_id"] or r["holder_org_id"] or r["holder_name"], r["stance"]) for r in rows]


def test_a_headline_restating_the_body_gives_one_row() -> None:
    """'Strike was unlawful, UN expert says' over the body's 'Ben Emmerson said ...': one row, Emmerson's."""
    rows = _with_headline("Drone strike was unlawful, UN expert says",
                          "The drone strike was unlawful, UN expert Ben Emmerson said on Friday.")
    assert _holders(rows) == [("ben-emmerson", "unlawful")]
    assert rows[0]["quote"].startswith("The drone strike was unlawful")


def test_a_hedged_body_keeps_its_stance_over_a_headline_shorthand() -> None:
    """Headline and body both hedge ('likely unlawful'): the body's telling is the row."""
    rows = _with_headline('Killing "likely unlawful", UN expert says',
                          "The killing was most likely unlawful, UN expert Ben Emmerson wrote.")
    assert _holders(rows) == [("ben-emmerson", "questioned")]


def test_the_same_named_holder_in_headline_and_body_is_one_row() -> None:
    """A named holder in the headline whose body states a position on the same subject: the body's telling
    (the headline drops its hedge)."""
    rows = _with_headline("Heiko Maas says drone strike was illegal",
                          "Heiko Maas said the drone strike was probably illegal.")
    assert _holders(rows) == [("heiko-maas", "questioned")]


def test_a_headline_position_the_body_does_not_state_stays() -> None:
    """A headline whose position the body does not tell is a row of its own."""
    rows = _with_headline("Drone strike was unlawful, UN expert says",
                          "Crowds gathered in the capital on Friday to mourn the general.")
    assert _holders(rows) == [("UN expert", "unlawful")]


def test_another_holders_different_stance_is_kept() -> None:
    """A shorthand headline holder is the body's only when the body's holder takes the same stance."""
    rows = _with_headline("Drone strike was unlawful, UN expert says",
                          "The Pentagon said the drone strike was lawful.")
    assert sorted(_holders(rows)) == [("UN expert", "unlawful"), ("pentagon", "lawful")]


def test_two_tellings_in_the_body_are_both_kept() -> None:
    """The same holder judging the strike twice in the body states two things, each checkable."""
    rows = _with_headline("Minister speaks on strike",
                          "Heiko Maas said the drone strike was illegal.",
                          "Heiko Maas later said the drone strike had violated the UN Charter.")
    assert _holders(rows) == [("heiko-maas", "unlawful"), ("heiko-maas", "unlawful")]


def test_a_pronoun_never_reaches_into_the_headline() -> None:
    """'He said ...' opening the body has no antecedent in the headline: nobody the reader can check."""
    rows = _with_headline("Javad Zarif visits Baghdad", "He said the drone strike was a crime.")
    assert rows == []


def test_a_pronoun_after_a_paragraph_break_is_the_last_speaker_not_an_earlier_one() -> None:
    """Across a paragraph break 'he' is the speaker of the paragraph before, not one named earlier."""
    rows = _with_headline("Ministers speak on strike",
                          "Javad Zarif spoke in Tehran on Sunday.",
                          "Heiko Maas spoke in Berlin on Monday.",
                          "He said the drone strike had violated the UN Charter.")
    assert _holders(rows) == [("heiko-maas", "unlawful")]
