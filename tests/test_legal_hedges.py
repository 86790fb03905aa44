"""Hedged judgements, reporters' caveats, accusations and demands for trial (pipeline/extract/legal/read.py on
the clause layer). Issue 13: a hedged or conditional judgement is `questioned`; a position is its holder's,
never the reporter's; what a position judges is read from its clause. Fixtures are written for these tests.
"""

from __future__ import annotations

import pytest
from test_legal import positions


def _rows(*paras: str) -> list[tuple[str | None, str, str]]:
    return [(r["holder_person_id"] or r["holder_name"], r["stance"], r["subject"]) for r in positions(*paras)]


@pytest.mark.parametrize("text", [
    "Heiko Maas said the drone strike was most likely unlawful.",
    "Heiko Maas said the drone strike probably breached international law.",
    "Heiko Maas said the drone strike appears to violate the UN Charter.",
    "Heiko Maas said the drone strike seems to have been illegal.",
    "Heiko Maas said the drone strike could be a violation of international law if no threat existed.",
])
def test_a_hedged_judgement_is_questioned(text: str) -> None:
    assert _rows(text) == [("heiko-maas", "questioned", "the strike")]


def test_an_asserted_judgement_stays_unlawful() -> None:
    """The same judgements without a hedge are asserted; a hedge on the holder's own verb ("will likely
    say") does not hedge what is said."""
    assert _rows("Heiko Maas said the drone strike breached international law.") == [
        ("heiko-maas", "unlawful", "the strike")]
    assert _rows("Heiko Maas will probably say that the drone strike breached international law.") == [
        ("heiko-maas", "unlawful", "the strike")]


def test_would_judging_a_threatened_act_is_not_a_hedge() -> None:
    """'attacks on X would be grave breaches of the law': a categorical judgement of a threatened act."""
    assert _rows("Javad Zarif said strikes on cultural sites would be a breach of international law.") == [
        ("javad-zarif", "unlawful", "threats against cultural sites")]


def test_a_reporters_caveat_is_no_position_of_the_speaker() -> None:
    """'X said the strike was legal, but offered no evidence': X holds it lawful; the caveat is the reporter's."""
    assert _rows("Donald Trump said the killing was justified but offered no evidence.") == [
        ("donald-trump", "lawful", "the strike")]
    assert _rows("Donald Trump said the strike was legal, without providing evidence.") == [
        ("donald-trump", "lawful", "the strike")]


def test_charges_without_evidence_are_questioned_by_the_speaker_across_a_paragraph() -> None:
    """A quoted 'they brought charges without evidence' after a paragraph naming the speaker: the pronoun's
    antecedent holds it, it questions the charges (not the strike), and the accusers hold nothing."""
    rows = positions("Foreign Minister Javad Zarif spoke to reporters on Sunday.",
                     "“American prosecutors have filed charges without providing any evidence,” he complained.")
    assert [(r["holder_person_id"], r["stance"], r["subject"]) for r in rows] == [
        ("javad-zarif", "questioned", "charges")]


def test_charges_a_holder_brings_are_the_position_not_its_subject() -> None:
    """'X faces charges including murder, the prosecutor said': the charges state the position on the strike."""
    assert _rows("Ali Alqasimehr said the general's killers face several charges, including “murder and "
                 "terrorist acts.”") == [("ali-alqasimehr", "unlawful", "the strike")]


def test_a_call_for_prosecution_judges_the_act_unlawful() -> None:
    assert _rows("Ebrahim Raisi condemned the assassination and called for the prosecution of the officials "
                 "involved.") == [("ebrahim-raisi", "unlawful", "the strike")]


def test_a_neutral_report_of_a_warrant_is_no_position_of_the_reporter() -> None:
    """A news sentence telling that a warrant was issued, with no one stating it, has no holder."""
    assert positions("An arrest warrant for the general was issued on Monday.") == []
    assert positions("Warrants were issued for the arrest of the officials behind the drone strike.") == []
