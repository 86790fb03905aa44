"""Persons (issue 13), on short texts written for each phenomenon: a town bearing a family name is no
mention of the person with that name, however its article is written; a familiar form of a given name
("Matt", "Mike") and its full form with the same surname are one person, other given names stay apart."""

from __future__ import annotations

from test_persons_traps import CUR, people, run

from pipeline.extract.names import load_vocab, name_shape, same_person


def test_a_town_named_after_a_family_is_no_person() -> None:
    # the curated Abu Bakr al-Baghdadi must not be reached through the town's name
    for text in ("Shrapnel fell near the small town of Al Baghdadi in Anbar province, residents said.",
                 "Farmers found debris outside the village of al-Baghdadi on Wednesday.",
                 "Photo: Al Baghdadi Township"):
        assert people(run(text)) == {}, text
    # with the man himself named in the report, only his own mention is his
    got = people(run("The group's leader, Abu Bakr al-Baghdadi, was killed in 2019.",
                     "Debris lay outside the rural town of Al Baghdadi on Wednesday. Photo: Al Baghdadi Township"))
    assert got == {"Abu Bakr al-Baghdadi": ["Abu Bakr al-Baghdadi"]}, got


def test_a_familiar_given_name_and_its_full_form_are_one_person() -> None:
    got = people(run("Assistant Attorney General Matt Kessler spoke on Wednesday.",
                     "Matthew Kessler: \"This plot was real.\" Kessler added that the case was open."))
    assert list(got) == ["Matthew Kessler"] or list(got) == ["Matt Kessler"], got
    assert sorted(next(iter(got.values()))) == ["Kessler", "Matt Kessler", "Matthew Kessler"]


def test_different_given_names_with_one_surname_stay_apart() -> None:
    vocab = load_vocab(CUR)
    shape = lambda n: name_shape(n, vocab)  # noqa: E731
    assert same_person(shape("Mike Dorsey"), shape("Michael Dorsey"))
    assert same_person(shape("Bill Hale"), shape("William Hale"))
    assert not same_person(shape("Matt Dorsey"), shape("Michael Dorsey"))
    assert not same_person(shape("Mike Dorsey"), shape("Mike Dorsey Jr."))
    # a surname is never read as a given name's familiar form
    assert not same_person(shape("Anna Will"), shape("Anna William"))
