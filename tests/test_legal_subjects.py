"""What a position judges (pipeline/extract/legal/subjects.py): a measure the holder answers is the
subject, one the holder takes is a position on the act it answers; accusations judged are the subject.
Fixtures are written for these tests.
"""

from __future__ import annotations

from test_legal import positions


def _rows(*paras: str) -> list[tuple[str | None, str, str]]:
    return [(r["holder_person_id"] or r["holder_org_id"] or r["holder_name"], r["stance"], r["subject"])
            for r in positions(*paras)]


def test_a_measure_answered_is_the_subject() -> None:
    """'X responded to the arrest warrants': X's words are about the warrants."""
    assert _rows("Mark Esper responded to the arrest warrants and called them a publicity stunt.") == [
        ("mark-esper", "other", "the arrest warrants")]


def test_a_measure_taken_is_a_position_on_the_act_it_answers() -> None:
    """'X issued an arrest warrant for those behind the strike': X's position is on the strike, which X
    treats as a crime."""
    assert _rows("Ali Alqasimehr issued an arrest warrant for the officials behind the drone strike.") == [
        ("ali-alqasimehr", "unlawful", "the strike")]


def test_a_measure_the_holder_calls_for_is_a_position_on_the_act() -> None:
    """'X called on the court to take legal action against Y for the assassination': X seeks the measure."""
    assert _rows("Ebrahim Raisi called on the United Nations to take legal action against Washington for the "
                 "assassination.") == [("ebrahim-raisi", "unlawful", "the strike")]


def test_an_accusation_judged_is_the_subject() -> None:
    """Quoted words faulting charges brought by others: the charges are judged, not the strike."""
    assert _rows("“Washington brought these charges without offering any proof,” Javad Zarif said.") == [
        ("javad-zarif", "questioned", "these charges")]
