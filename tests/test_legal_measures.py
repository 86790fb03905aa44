"""Legislative measures are acts, not legal positions (issue 13, decided against CONTRACT.md: a legal
position is a *stated* position on legality). A cue or basis naming what a measure limits or is named
after ("a vote to limit the president's war powers", "sought to restrict his ability to wage war without
congressional consent", "introduced a war powers resolution") gives no row; a statement made with the
measure ("a resolution saying the strike was unlawful") is its sponsor's position. Fixtures are written
for these tests.
"""

from __future__ import annotations

from test_legal import positions


def test_a_measure_limiting_powers_is_no_position() -> None:
    assert positions("Several senators sought to restrict the president's ability to attack Iran without "
                     "congressional approval.") == []
    assert positions("Tim Kaine announced that the Senate would vote to limit the president's war powers "
                     "after the strike.") == []
    assert positions('Tim Kaine introduced a "war powers resolution" after the strike.') == []


def test_a_statement_made_with_a_measure_is_its_sponsors_position() -> None:
    rows = positions("Tim Kaine introduced a resolution saying the strike was unlawful.")
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [("tim-kaine", "unlawful")]


def test_a_judgement_beside_a_measure_stays() -> None:
    """The measure's matter is dropped, the judgement stated by its sponsor is not."""
    rows = positions("Tim Kaine, who wants a vote to limit the president's war powers, said the strike was "
                     "launched without congressional authorization.")
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [("tim-kaine", "unlawful")]
