"""Crimes named of an act, outlets that relay, documents issued by the speaker before, and a lead read as a
headline (pipeline/extract/legal/read.py, holders.py, tellings.py; the clause layer's relays). Issue 13: a
condemnation as a crime is an unlawful position; a position is never the relaying outlet's; a measure a
holder takes against those behind an act treats the act as a crime. Fixtures are written for these tests.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from test_legal import CUR, corpus

from pipeline.corpus import PassageRow
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.legal import extract_legal_positions


def _rows(*paras: str, orgs: tuple[str, ...] = (), headline: bool = False) -> list[dict[str, Any]]:
    docs, passages, index = corpus(list(paras))
    extra = [EntityMention(docs[0].source_id, m.start(), m.end(), oid, "org", name)
             for name, oid in (o.split("=") for o in orgs) for m in re.finditer(re.escape(name), docs[0].text)]
    if extra:
        index = EntityIndex([*index.in_span(docs[0].source_id, 0, len(docs[0].text)), *extra])
    if headline:
        p = passages[0]
        passages[0] = PassageRow(p.passage_id, p.source_id, "Headline", 0, p.char_start, p.char_end, p.text,
                                 "headline")
    return extract_legal_positions(docs, passages, index, CUR).tables["legal_positions"]


def _short(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["holder_person_id"] or r["holder_org_id"] or r["holder_name"], r["stance"]) for r in rows]


@pytest.mark.parametrize("text", [
    "Heiko Maas described the assassination as murder.",
    "Heiko Maas called the drone strike an assassination and a massacre.",
    "Heiko Maas said the killing was an execution, not an act of self-defence.",
    "Heiko Maas charged the officers behind the drone strike with murder.",
])
def test_a_crime_said_of_the_act_is_an_unlawful_position(text: str) -> None:
    assert _short(_rows(text)) == [("heiko-maas", "unlawful")]


@pytest.mark.parametrize("text", [
    "Heiko Maas spoke to reporters after the assassination of the general.",
    "Heiko Maas said the murder of the general would be remembered for years.",
    "Heiko Maas said that terrorism in the region had grown since the drone strike.",
])
def test_a_crime_word_naming_the_event_judges_nothing(text: str) -> None:
    assert _rows(text) == []


def test_a_negated_crime_is_the_opposite_position() -> None:
    assert _short(_rows("Donald Trump said the drone strike was not an assassination.")) == [
        ("donald-trump", "lawful")]


def test_an_outlet_curated_as_media_is_a_relay_not_a_holder() -> None:
    """'X did C, Al Jazeera reported': the outlet (curated kind media) relays; X's act is X's position."""
    rows = _rows("Iran has issued an arrest warrant for the officials behind the drone strike, Al Jazeera "
                 "reported.", orgs=("Al Jazeera=al-jazeera",))
    assert all(r["holder_org_id"] != "al-jazeera" and "Jazeera" not in r["holder_name"] for r in rows)


def test_the_same_name_not_curated_as_media_still_speaks() -> None:
    rows = _rows("The Kerman Council said the drone strike was illegal.", orgs=("Kerman Council=kerman-council",))
    assert _short(rows) == [("kerman-council", "unlawful")]


def test_a_definite_statement_is_the_earlier_speakers() -> None:
    """'"...," the statement said.' after 'the Pentagon announced ...': the Pentagon issued the statement."""
    rows = _rows("The general was killed on Friday, the Pentagon announced.",
                 "“The strike was a lawful act of self-defence,” the statement said.")
    assert _short(rows) == [("pentagon", "lawful")]


def test_a_statement_with_its_own_author_keeps_it() -> None:
    rows = _rows("The general was killed on Friday, the Pentagon announced.",
                 "Amnesty International's statement said the strike was unlawful.")
    assert _short(rows) == [("amnesty-international", "unlawful")]


def test_a_long_lead_read_as_a_headline_is_a_position_of_its_own() -> None:
    """A report without a headline line: its long first sentence is the lead, not a shorthand of the body."""
    rows = _rows("A senior United Nations investigator on Thursday condemned the drone strike that killed the "
                 "Iranian general in January as unlawful, in a report that drew an angry reply from officials in "
                 "Washington.",
                 "Agnes Callamard said the drone strike was unlawful.", headline=True)
    assert len(rows) == 2


def test_a_headline_whose_holder_is_silent_in_the_body_is_the_bodys_shorthand() -> None:
    """'UN report calls strike unlawful' above 'Callamard said ... unlawful': the UN states nothing in the
    body, so the headline restates Callamard's position: one row."""
    rows = _rows("UN report calls drone strike unlawful", "Agnes Callamard said the drone strike was unlawful.",
                 orgs=("UN=united-nations",), headline=True)
    assert _short(rows) == [("agnes-callamard", "unlawful")]
