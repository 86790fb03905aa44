"""Judgement forms a legal position is stated in (issue 13): a standard not met, no legal basis, an act
that "was arbitrary", harm done to the law itself, a negative question that asserts what it seems to
deny, and cues read through the editorial brackets of a quotation. Fixtures are written for these tests.
"""

from __future__ import annotations

from test_legal import positions


def _stances(*paras: str) -> list[tuple[str | None, str]]:
    return [(r["holder_person_id"], r["stance"]) for r in positions(*paras)]


def test_a_standard_not_met_is_unlawful() -> None:
    assert _stances("Ben Emmerson said the killing failed to satisfy the tests of necessity and "
                    "proportionality.") == [("ben-emmerson", "unlawful")]


def test_no_legal_basis_is_unlawful() -> None:
    assert _stances("Heiko Maas argued that the operation had no legal basis.") == [("heiko-maas", "unlawful")]


def test_an_arbitrary_act_is_unlawful() -> None:
    assert _stances("Ben Emmerson wrote that the drone strike was arbitrary.") == [("ben-emmerson", "unlawful")]


def test_harm_to_the_law_itself_is_unlawful() -> None:
    assert _stances("Heiko Maas said the drone strike had weakened the rule of law.") == [("heiko-maas", "unlawful")]


def test_a_negative_question_asserts_the_judgement() -> None:
    """'Didn't X violate the law?' says X did; a plain negation still flips."""
    assert _stances('Jeremy Corbyn said: "Didn\'t the strike breach international law?"') == [
        ("jeremy-corbyn", "unlawful")]
    assert _stances("Jeremy Corbyn said: \"Isn't this killing unlawful?\"") == [("jeremy-corbyn", "unlawful")]
    assert _stances("Jeremy Corbyn said the strike did not breach international law.") == [
        ("jeremy-corbyn", "lawful")]


def test_a_contracted_negation_flips() -> None:
    """'didn't violate', 'wasn’t lawful' (straight or curly apostrophe) negate like 'did not'."""
    assert _stances("Heiko Maas said the strike didn't violate international law.") == [("heiko-maas", "lawful")]
    assert _stances("Heiko Maas said the strike wasn’t lawful.") == [("heiko-maas", "unlawful")]


def test_cues_read_through_editorial_brackets() -> None:
    """'"[n]o evidence was provided"': the bracketed letter is part of the word the cue needs."""
    rows = positions('Agnes Callamard wrote that "[n]o evidence was provided" of an attack that would have '
                     "justified the strike.")
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [("agnes-callamard", "questioned")]
    assert rows[0]["quote"].startswith("Agnes Callamard wrote")


def test_evidence_not_provided_questions_the_act() -> None:
    """'X had not provided evidence of an imminent threat': the speaker questions it; X holds nothing."""
    rows = positions("The drone strike killed the general. Tim Kaine said the administration had not provided "
                     "evidence of an imminent threat.")
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [("tim-kaine", "questioned")]


def test_a_defensive_action_is_a_lawful_claim() -> None:
    rows = positions("The Pentagon said the strike was a decisive defensive action to protect troops abroad.")
    assert [(r["holder_org_id"], r["stance"]) for r in rows] == [("pentagon", "lawful")]


def test_a_court_ordering_damages_holds_the_act_unlawful() -> None:
    """A court's order to pay damages for an act judges it; 'ordered' with another subject states nothing."""
    rows = positions("A court in Tehran ordered the United States to pay damages to the families over the "
                     "assassination.")
    assert [(r["holder_type"], r["stance"]) for r in rows] == [("court", "unlawful")]
    assert positions("Donald Trump ordered the strike and later paid damages to nobody.") == []


def test_the_act_judged_is_the_subject() -> None:
    """A judgement on a shoot-down is filed under that act, as written, not under the strike."""
    rows = positions("Heiko Maas said the shooting down of the airliner was unlawful.")
    assert [(r["subject"], r["stance"]) for r in rows] == [("the shooting down of the airliner", "unlawful")]


def test_unlawful_word_forms() -> None:
    """Negative and legal-vocabulary forms of a judgement: unjustified, unauthorized, infringed,
    contravened, prohibited under a law."""
    for sentence in ("Heiko Maas said the strike was unjustified.",
                     "Heiko Maas called the strike unauthorized.",
                     "Heiko Maas said the killing infringed the sovereignty of Iraq.",
                     "Heiko Maas said the killing contravened the charter.",
                     "Heiko Maas said such killings are prohibited under international law."):
        assert _stances(sentence) == [("heiko-maas", "unlawful")], sentence
