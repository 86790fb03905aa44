"""Name-like words that are not people (campaign names, places named after a person), and
people the rules find where the statistical model is silent.

Phenomena, each on a few lines written for this test: a campaign or movement whose name opens
with a possessive determiner ("My ... Freedom", "Our ... Free") is no person, even where the
model tags it PERSON, while a person named after "My brother" still is; a place whose name
carries a surname ("Ain X", "Ayn al-X airbase", "the X air base", "the X mausoleum") is no
mention of the person with that surname, curated or named nearby, while his possessive is; a name
right after a relation noun ("her colleague X", "his brother X") or a role noun opening a
sentence ("Activist X said") is a person candidate without the model.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract.persons import detect_mentions, extract_entities
from pipeline.ids import short_hash

CUR = Path(__file__).resolve().parents[1] / "raw" / "curated"


def run(*paragraphs: str) -> Any:
    text = "\n\n".join(paragraphs)
    doc = SourceDoc("traps", "news", text, "traps", "2021-03-02", None, True, short_hash(text))
    passages, pos = [], 0
    for i, p in enumerate(paragraphs):
        passages.append(PassageRow(f"traps:{short_hash(p, length=10)}", "traps", "Body", i, pos, pos + len(p), p))
        pos += len(p) + 2
    return extract_entities([doc], passages, CUR)


def people(result: Any) -> dict[str, list[str]]:
    name_of = {p["person_id"]: p["name"] for p in result.tables["persons"]}
    out: dict[str, list[str]] = defaultdict(list)
    for m in result.tables["person_mentions"]:
        out[name_of[m["person_id"]]].append(m["surface"])
    return dict(out)


def test_campaign_and_movement_names_are_not_people() -> None:
    r = run(
        "Leila Farahmand, who started the online movement My Unveiled Voice, spoke in Toronto on Sunday.",
        "Women across the country posted photographs for My Quiet Freedom, the campaign she runs.",
        "Our Streets Are Free, a campaign run from abroad, drew thousands of followers.",
        "My brother Omid Rastegar was arrested in Shiraz after the broadcast, she said.",
    )
    got = people(r)
    assert set(got) == {"Leila Farahmand", "Omid Rastegar"}, got


def test_a_place_carrying_a_surname_is_not_that_person() -> None:
    # no person named at all: the curated Bashar al-Assad must not be reached through a place
    r = run(
        "Rockets landed near Ain Assad before dawn, a spokesman for the coalition said.",
        "Soldiers at the Ayn al-Asad airbase took cover in bunkers for two hours.",
    )
    assert people(r) == {}, people(r)
    # the person named in the same report keeps only his own mention
    r = run(
        "Rockets landed near Ain Assad before dawn, a spokesman for the coalition said.",
        "In Damascus, President Bashar al-Assad condemned the strike on Tuesday.",
    )
    got = people(r)
    assert list(got) == ["Bashar al-Assad"] and got["Bashar al-Assad"] == ["Bashar al-Assad"], got
    # a facility named after a person ("the X air base", "the X mausoleum") is no mention of him;
    # his possessive ("X's tomb") is
    r = run(
        "Drones circled the Assad air base while pilgrims queued at the Soleimani mausoleum.",
        "Guards later closed Soleimani's tomb to visitors.",
    )
    got = people(r)
    assert got == {"Qasem Soleimani": ["Soleimani"]}, got


def test_relation_and_sentence_opening_role_nouns_introduce_names_without_the_model() -> None:
    text = (
        "Her colleague Darius Venhoek said the archive was seized. Activist Marta Quillan said she"
        " left the country. His brother Tomas Quillan stayed. Officials said nothing. Friend of the"
        " court briefs were filed."
    )
    doc = SourceDoc("rules", "news", text, "rules", "2021-03-02", None, True, short_hash(text))
    found = detect_mentions(doc, [PassageRow("rules:1", "rules", "Body", 0, 0, len(text), text)], CUR, use_ner=False)
    assert {m.surface for m in found.persons} == {"Darius Venhoek", "Marta Quillan", "Tomas Quillan"}
