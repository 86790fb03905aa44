"""A holder named by a title with modifiers ("the UN Rapporteur", "the Special Envoy") is the person who
holds it (pipeline/extract/legal/holders.py on the clause layer's coreference). Fixtures are written for
these tests.
"""

from __future__ import annotations

from test_legal import positions


def test_a_titled_holder_is_the_person_named_with_that_title() -> None:
    rows = positions("UN Rapporteur on executions Agnes Callamard wrote that the drone strike was unlawful.",
                     "The UN Rapporteur said the killing of the driver was also unlawful.")
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [
        ("agnes-callamard", "unlawful"), ("agnes-callamard", "unlawful")]


def test_an_unmatched_title_keeps_its_own_words() -> None:
    """No earlier name holds that title: the phrase itself is the holder, with no person id."""
    rows = positions("Crowds gathered in the capital.", "The UN Rapporteur said the killing was unlawful.")
    assert [(r["holder_name"], r["holder_person_id"], r["holder_type"]) for r in rows] == [
        ("The UN Rapporteur", None, "person")]
