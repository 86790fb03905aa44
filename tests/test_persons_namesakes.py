"""Persons: which of several people sharing a surname a bare surname names. In one report: the title it
repeats decides, else a namesake named in full in the same or the previous paragraph, else the person the report named
first (a relative introduced later is named again in full). Across reports: the person the curated data
knows by that very form. Texts written for each phenomenon (fictional names, one curated person)."""

from __future__ import annotations

from typing import Any

from test_persons_traps import CUR, people, run

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract.persons import extract_entities
from pipeline.ids import short_hash

MEMORIAL = (
    "A memorial was held on Sunday for General Arash Talavi and Commander Idris Morvan, killed two years ago.",
    "The gathering was addressed by the daughters of the two men.",
    "Leyla Talavi, in her speech, said her father loved the country.",
    "Noor Morvan also called for justice, and Morvan thanked the crowd.",
    "Ministers later paid tribute to General Talavi.",
    "Talavi and Morvan were killed in a drone strike in 2020.",
)


def _of(got: dict[str, list[str]], name: str) -> list[str]:
    return sorted(got.get(name, []))


def test_a_bare_surname_far_from_a_relative_names_the_report_s_subject() -> None:
    got = people(run(*MEMORIAL))
    assert _of(got, "Idris Morvan") == ["Idris Morvan", "Morvan"], got
    assert "Talavi" in got.get("Arash Talavi", []) and got["Arash Talavi"].count("Talavi") == 2, got


def test_a_bare_surname_in_the_paragraph_of_a_namesake_names_that_namesake() -> None:
    got = people(run(*MEMORIAL))
    assert _of(got, "Noor Morvan") == ["Morvan", "Noor Morvan"], got


def test_a_repeated_title_names_the_person_who_bore_it() -> None:
    got = people(run("General Arash Talavi was buried in his home town on Monday.",
                     "Maryam Talavi told mourners that General Talavi had loved his comrades."))
    assert _of(got, "Arash Talavi") == ["Arash Talavi", "Talavi"], got
    assert _of(got, "Maryam Talavi") == ["Maryam Talavi"], got


def _docs(*texts: str) -> Any:
    docs, passages = [], []
    for k, text in enumerate(texts):
        sid = f"src{k}"
        docs.append(SourceDoc(sid, "news", text, sid, "2021-03-02", None, True, short_hash(text)))
        passages.append(PassageRow(f"{sid}:{short_hash(text, length=10)}", sid, "Body", 0, 0, len(text), text))
    return extract_entities(docs, passages, CUR)


def test_across_reports_the_curated_bearer_of_a_bare_surname_is_meant() -> None:
    # another report names a relative of the curated general in full; this one names him by surname only
    got = people(_docs("Zeinab Soleimani addressed the crowd in Tehran on Friday.",
                       "The court heard that the man wanted revenge for the death of Soleimani."))
    assert "Soleimani" in got.get("Qasem Soleimani", []), got
    assert _of(got, "Zeinab Soleimani") == ["Zeinab Soleimani"], got
