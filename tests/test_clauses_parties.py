"""Clause layer: every party a role names -- second parties joined by a comitative phrase or listed by
commas that the parse reads as appositions -- and a phrase's own name is no description of itself.
Fictional names, sentences written for each phenomenon."""

from __future__ import annotations

from clause_helpers import frame, one

PEOPLE = ("Darius Venn", "Omar Tallis")


def _patients(text: str, lemma: str) -> list[str | None]:
    cl = one(text, persons=PEOPLE)
    return [r.actor.entity_id for r in frame(cl, lemma).roles if r.role == "patient"]


def test_a_party_joined_by_along_with_to_the_object_is_a_second_patient() -> None:
    assert _patients("The raid killed Darius Venn along with Omar Tallis.", "kill") == ["darius-venn", "omar-tallis"]


def test_a_party_joined_to_a_passive_subject_is_a_second_patient() -> None:
    assert _patients("Darius Venn, together with Omar Tallis, was killed in the raid.", "kill") == [
        "darius-venn", "omar-tallis"]
    assert _patients("Darius Venn was killed alongside Omar Tallis in the raid.", "kill") == [
        "darius-venn", "omar-tallis"]


def test_with_alone_joins_no_party() -> None:
    # "met with B": B is whom the subject met, not a second subject
    cl = one("Darius Venn met with Omar Tallis in the capital.", persons=PEOPLE)
    agents = [r.actor.entity_id for r in frame(cl, "meet").roles if r.role == "agent"]
    assert agents == ["darius-venn"]


def test_a_name_listed_after_a_name_is_a_member_of_the_list() -> None:
    # "A, B, and several guards were killed": the parse hangs B on A as an apposition
    ids = _patients("Darius Venn, Omar Tallis, and several of their guards were killed in the raid.", "kill")
    assert "darius-venn" in ids and "omar-tallis" in ids


def test_a_description_in_apposition_adds_no_party() -> None:
    cl = one("Darius Venn, the militia's commander, was killed in the raid.", persons=PEOPLE)
    assert [r.actor.entity_id for r in frame(cl, "kill").roles if r.role == "patient"] == ["darius-venn"]


def test_an_organization_named_by_the_phrase_itself_does_not_describe_it() -> None:
    # the model's entity covering the head is the phrase's own name, not a description inside it
    cl = one("The Valdorian Foreign Ministry condemned the raid.")
    agent = frame(cl, "condemn").fillers("agent")[0].actor
    assert agent.described_by == []
