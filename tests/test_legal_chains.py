"""Legal positions relayed through a chain (issue 13, "who says so"): the holder is whoever states the
position -- a prosecutor, a government, an international body -- never the outlet that relays it.

Fixtures are short texts written for these tests; each asserts who holds the position and its stance.
"""

from __future__ import annotations

from test_legal import positions


def _held(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["holder_name"], r["holder_type"], r["stance"]) for r in rows]


def test_charges_relayed_by_a_state_outlet_are_the_governments() -> None:
    """'X, according to the Iranian state news agency': a state's own medium speaks for its government."""
    rows = positions("The two commanders face charges including murder over the drone strike, according to "
                     "Iraqi state television.")
    assert len(rows) == 1
    name, htype, stance = _held(rows)[0]
    assert htype == "government" and "Iraqi" in name and "television" not in name.lower()
    assert stance == "unlawful"


def test_an_outlet_relaying_nobody_holds_nothing() -> None:
    """A private outlet that relays a charge with no source named is no holder."""
    assert positions("The two commanders face charges including murder over the drone strike, according to "
                     "the Reuters news agency.") == []
    assert positions("The drone strike was a war crime, the newspaper reported.") == []


def test_a_body_refusing_requests_in_a_statement_holds_that_refusal() -> None:
    """'Interpol responded in a statement that it would not consider such requests': Interpol's position
    (the "in" phrase carrying the statement is the content, not an "in the words of" source)."""
    rows = positions("Interpol replied in a statement that it would not process requests of a political nature "
                     "about the killing.")
    assert [(r["holder_org_id"], r["stance"]) for r in rows] == [("interpol", "other")]


def test_arrests_ordered_through_a_body_are_the_announcers_position() -> None:
    """An order for arrests announced by a prosecutor is held by the prosecutor, not by the body used."""
    rows = positions("Prosecutor Ali Alqasimehr announced that Iran had sought through Interpol the arrest of "
                     "twenty officials over the assassination.")
    assert [(r["holder_person_id"], r["holder_type"], r["stance"]) for r in rows] == [
        ("ali-alqasimehr", "court", "unlawful")]


def test_a_body_turning_down_a_request_holds_the_refusal() -> None:
    rows = positions("Interpol turned down the request from Iran for notices against the officials behind the strike.")
    assert [(r["holder_org_id"], r["stance"]) for r in rows] == [("interpol", "other")]


def test_named_members_of_a_speaking_group_hold_its_position() -> None:
    """'Critics, including A and B, said ...': A and B each hold it; an unnamed membership leaves the group."""
    rows = positions("Critics, including Tim Kaine and Jeremy Corbyn, said the strike was unconstitutional.")
    assert sorted((r["holder_person_id"], r["stance"]) for r in rows) == [
        ("jeremy-corbyn", "unlawful"), ("tim-kaine", "unlawful")]
    rows = positions("Several lawmakers, including some Republicans, said the strike was unconstitutional.")
    assert [(r["holder_name"], r["holder_type"]) for r in rows] == [("Several lawmakers", "legislature")]


def test_a_title_with_the_name_in_apposition_is_named_by_the_name() -> None:
    rows = positions("In a paper, the law professor John Bellinger argued that the strike was legal.")
    assert [(r["holder_name"], r["holder_person_id"], r["stance"]) for r in rows] == [
        ("John Bellinger", "john-bellinger", "lawful")]


def test_an_outlet_quoting_someone_as_saying_relays_that_persons_position() -> None:
    """'the agency quoted X as saying that C': X holds C (clause layer: the object of 'quoted ... as saying'
    says it), the agency never does."""
    rows = positions("The official IRNA news agency quoted Ali Alqasimehr as saying that the president faced "
                     "charges of murder over the assassination.")
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [("ali-alqasimehr", "unlawful")]
