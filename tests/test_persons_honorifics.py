"""Persons (issue 13), on short texts written for each phenomenon: an honorific for the dead ("Martyr X")
is a title, not a given name; a full name written once with its surname one letter off a known person's,
in a report that names that person by surname, is a misspelling of that person; different people with
close names stay apart."""

from __future__ import annotations

from test_persons_traps import people, run

from pipeline.extract.persons.resolve import _one_edit


def test_martyr_before_a_name_is_a_title() -> None:
    got = people(run("Crowds marked the anniversary of General Karim Haddadi's death in Kerman.",
                     "\"We follow the path of Martyr Haddadi,\" the mayor told them."))
    assert got == {"Karim Haddadi": ["Karim Haddadi", "Haddadi"]}, got
    assert "Martyr Haddadi" not in people(run("\"Martyr Haddadi showed us the way,\" the mayor said."))


def test_a_given_name_meaning_martyr_stays_a_given_name() -> None:
    # the Persian word for the honorific is also a common given name: kept
    got = people(run("Shahid Khaqan Abbasi, a former prime minister, spoke on Monday. Abbasi said the vote was fair."))
    assert "Shahid Khaqan Abbasi" in got, got


def test_a_surname_one_letter_off_a_known_person_is_a_misspelling() -> None:
    got = people(run("Brigadier General Amir Ali Hajizade, who heads the aerospace force, spoke on television.",
                     "Hajizadeh said the missiles had hit their targets."))
    assert got == {"Amir Ali Hajizadeh": ["Amir Ali Hajizade", "Hajizadeh"]}, got


def test_close_names_of_different_people_stay_apart() -> None:
    # another given name: another person
    got = people(run("Reza Hajizade, a shopkeeper in Tehran, said he heard the blasts.",
                     "General Hajizadeh said the missiles had hit their targets."))
    assert got == {"Reza Hajizade": ["Reza Hajizade"], "Amir Ali Hajizadeh": ["Hajizadeh"]}, got
    # both named in full by one writer: told apart on purpose
    got = people(run("Amir Ali Hajizadeh spoke first. Amir Ali Hajizade, a cousin of his, spoke next."))
    assert sorted(got) == ["Amir Ali Hajizade", "Amir Ali Hajizadeh"], got
    # a short surname one letter off is another family name, not a slip ("Haddad" / "Haddadi")
    got = people(run("Karim Haddadi, a trader, was interviewed in 2019.", "Karim Haddad told reporters he saw the "
                     "convoy. Haddadi was not there."))
    assert "Karim Haddad" in got, got


def test_one_edit_apart() -> None:
    assert _one_edit("sulaman", "sulamana") and _one_edit("sulamana", "sulaman")
    assert _one_edit("kasam", "kasim") and not _one_edit("kasam", "kasam")
    assert not _one_edit("abcd", "badc") and not _one_edit("abc", "a")
