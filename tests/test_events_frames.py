"""Events read through the clause layer (pipeline/extract/event_frames.py): tolls, places, types and
actors bound to the occurrence the parse attaches them to; short texts written for each phenomenon."""

from __future__ import annotations

from test_events import CUR, events_of, make_doc, mention

from pipeline.extract.entities import EntityIndex
from pipeline.extract.events import extract_events


def _actors(res, event_id: str) -> set[tuple[str, str]]:
    return {(a["person_id"] or a["org_id"], a["role"]) for a in res.tables["event_actors"] if a["event_id"] == event_id}


def test_a_toll_in_a_relative_clause_of_another_noun_is_not_the_statements() -> None:
    res, _ = events_of([("Body", "The Valley Front on Thursday claimed responsibility for twin bombings that killed "
                                 "84 people at a market.")], published="2024-01-06")
    (ev,) = res.tables["events"]
    assert (ev["date"], ev["event_type"], ev["killed"]) == ("2024-01-04", "statement", None)


def test_a_warrant_for_those_behind_a_strike_takes_neither_its_toll_nor_its_place() -> None:
    res, _ = events_of([("Body", "On Monday a judge issued an arrest warrant for those behind the drone strike that "
                                 "killed a general in Baghdad.")], published="2021-01-06")
    (ev,) = res.tables["events"]
    assert ev["event_type"] == "legal_action" and ev["killed"] is None and ev["place_id"] != "baghdad"


def test_a_toll_of_the_occurrences_own_relative_clause_counts() -> None:
    res, _ = events_of([("Body", "On Friday a drone strike that killed seven people hit a convoy near Baghdad.")],
                       published="2021-01-06")
    (ev,) = res.tables["events"]
    assert (ev["event_type"], ev["killed"]) == ("strike", 7)


def test_both_conjuncts_of_a_passive_subject_are_victims() -> None:
    text = "Ramin Kohl and his aide Ilya Serov were killed in a drone strike on Friday."
    doc, _ = make_doc([("Body", text)])
    res, _ = events_of([("Body", text)], [mention(doc, "Ramin Kohl", "ramin-kohl"), mention(doc, "Ilya Serov", "ilya-serov")])
    (ev,) = res.tables["events"]
    assert _actors(res, ev["event_id"]) == {("ramin-kohl", "victim"), ("ilya-serov", "victim")}


def test_an_organization_named_as_someones_employer_is_no_actor() -> None:
    text = "Ramin Kohl, who headed the Harbor Brigade, was killed in a strike on Friday."
    doc, _ = make_doc([("Body", text)])
    res, _ = events_of([("Body", text)], [mention(doc, "Ramin Kohl", "ramin-kohl"),
                                          mention(doc, "Harbor Brigade", "harbor-brigade", kind="org")])
    (ev,) = res.tables["events"]
    assert _actors(res, ev["event_id"]) == {("ramin-kohl", "victim")}


def test_who_ordered_a_strike_is_its_sponsor_who_it_killed_its_victim() -> None:
    text = "On 9 May 2021, a drone strike ordered by Paul Ennis killed Ramin Kohl near the border."
    doc, _ = make_doc([("Body", text)])
    res, _ = events_of([("Body", text)], [mention(doc, "Paul Ennis", "paul-ennis"), mention(doc, "Ramin Kohl", "ramin-kohl")])
    (ev,) = res.tables["events"]
    assert _actors(res, ev["event_id"]) == {("paul-ennis", "sponsor"), ("ramin-kohl", "victim")}


def test_a_dated_wire_dateline_is_no_event_and_its_agency_no_actor() -> None:
    text = "GENEVA, July 10 (Wirepress) - The council adopted a resolution on drone strikes on Thursday."
    doc, _ = make_doc([("Body", text)], published="2020-07-10")
    res, _ = events_of([("Body", text)], [mention(doc, "Wirepress", "wirepress", kind="org")], published="2020-07-10")
    assert [(e["date"], e["event_type"]) for e in res.tables["events"]] == [("2020-07-09", "political_action")]
    assert not res.tables["event_actors"]


def test_the_occurrence_named_in_the_dates_own_clause_types_it() -> None:
    res, _ = events_of([("Body", "Days later a drone strike killed the general, and thousands protested in Baghdad "
                                 "on 7 January 2020.")], published="2020-01-10")
    (ev,) = res.tables["events"]
    assert (ev["date"], ev["event_type"]) == ("2020-01-07", "protest")


def test_a_state_acts_where_it_is_the_agent_or_named_on_the_act() -> None:
    doc, ps = make_doc([("Body", "Israel killed 12 people in an airstrike on a village in southern Lebanon on Tuesday."),
                        ("Body", "Omar Qadri was killed in an Iranian drone strike on Friday.")], published="2024-01-06")
    states = {"israel": "government-of-israel", "iran": "government-of-iran", "iranian": "government-of-iran"}
    res = extract_events([doc], ps, EntityIndex([], states=states), CUR)
    by_date = {e["date"]: e for e in res.tables["events"]}
    tuesday, friday = by_date["2024-01-02"], by_date["2024-01-05"]
    assert tuesday["killed"] == 12 and ("government-of-israel", "perpetrator") in _actors(res, tuesday["event_id"])
    assert ("government-of-iran", "perpetrator") in _actors(res, friday["event_id"])
