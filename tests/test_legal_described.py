"""Who holds a position when a text describes someone else's claim, quotes an organisation's rules, or
names its speaker by a title (issue 13). A writer describing how a state invoked self-defence holds no
position; the state that invoked it does. Fixtures are written for these tests.
"""

from __future__ import annotations

from test_legal import positions


def test_a_described_invocation_is_held_by_the_invoker() -> None:
    rows = positions("Ben Emmerson wrote that it was the first case in which a government invoked self-defence "
                     "to justify the killing of another state's official.")
    assert [r for r in rows if r["holder_person_id"] == "ben-emmerson"] == []
    assert [(r["holder_name"], r["holder_type"], r["stance"]) for r in rows] == [
        ("a government", "government", "lawful")]


def test_a_definition_quoted_from_rules_has_no_holder() -> None:
    """A quotation opened inside the writer's own clause, with no speaker named, is cited, not stated:
    its later sentences are no one's position (not the state last mentioned)."""
    rows = positions(
        "Iran asked Interpol for notices against the officials behind the strike. Such notices are alerts "
        "that police forces share and \"serve to find people wanted for prosecution. A notice is a request to "
        "arrest a person pending extradition or similar legal action.\"")
    assert [r for r in rows if "A notice is a request" in r["quote"]] == []


def test_words_in_a_speakers_title_are_not_a_position() -> None:
    """'the rapporteur on extrajudicial executions' names who speaks; it invokes no legal basis."""
    assert positions("Agnes Callamard, the UN rapporteur on extrajudicial, summary or arbitrary executions, wrote "
                     "in a post that the region had grown calmer since the attack.") == []


def test_a_decision_left_to_someone_is_not_their_position() -> None:
    """'it is up to X to determine whether ...': X has stated nothing yet, and the 'it' stands for no one
    named before (not the parliament of the sentence before)."""
    rows = positions(
        "The parliament of Iraq said the killing went against the security agreement. The troops came at the "
        "request of the premier, so it is up to the premier to determine whether they leave, and the vote is "
        "non-binding.")
    assert [(r["holder_name"], r["stance"]) for r in rows] == [("The parliament of Iraq", "unlawful")]


def test_a_denial_turns_the_judgement_once() -> None:
    """'denied that the strike was unlawful' is a lawful position (the denied clause is not negated twice)."""
    rows = positions("Donald Trump denied that the strike was unlawful.")
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [("donald-trump", "lawful")]


def test_the_accused_takes_no_title_from_the_accuser() -> None:
    """'The prosecutor accused Trump': the title before the verb is the prosecutor's, so Trump's own later
    position is a person's, not a court's."""
    rows = positions("The prosecutor accused Donald Trump of murder. Trump denied that the strike was unlawful.")
    assert sorted((r["holder_name"], r["holder_type"], r["stance"]) for r in rows) == [
        ("The prosecutor", "court", "unlawful"), ("Trump", "person", "lawful")]


def test_a_quotation_is_held_by_the_speaker_named_where_it_closes() -> None:
    """'"A. B," X said.' after another speaker's sentence: A is X's, not the earlier speaker's; with only
    'he said' at the close, the quotation continues the speaker before."""
    rows = positions('Heiko Maas said the strike was lawful. "The strike was illegal. It breached the charter," '
                     "Jeremy Corbyn said.")
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [
        ("heiko-maas", "lawful"), ("jeremy-corbyn", "unlawful"), ("jeremy-corbyn", "unlawful")]
    rows = positions('Heiko Maas said the strike was lawful. "It was a legitimate act. Critics are wrong," he said.')
    assert [(r["holder_person_id"], r["stance"]) for r in rows] == [("heiko-maas", "lawful"), ("heiko-maas", "lawful")]
