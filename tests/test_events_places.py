"""Events: where an occurrence happened. A dateline places what the datelined lead tells of the
report's day when nothing else places it ("Baghdad:", "BAGHDAD (Agency) -"), never older
occurrences; a country naming the act's side ("a United States drone strike") is not its place.
Short texts written for each phenomenon."""

from __future__ import annotations

from test_events import CUR, make_doc

from pipeline.extract.entities import EntityIndex
from pipeline.extract.events import extract_events


def _events(text: str, published: str = "2022-01-02") -> list[dict]:
    doc, ps = make_doc([("Body", p) for p in text.split("\n")], published=published)
    return extract_events([doc], ps, EntityIndex([]), CUR).tables["events"]


def test_a_colon_dateline_places_the_leads_occurrence_of_the_day() -> None:
    (ev,) = _events("Baghdad: Thousands of people rallied on Sunday in the capital to mark the anniversary.")
    assert (ev["date"], ev["event_type"], ev["place_id"]) == ("2022-01-02", "protest", "baghdad")


def test_a_wire_dateline_places_the_leads_occurrence_but_is_no_actor() -> None:
    res_doc, ps = make_doc([("Body", "Baghdad, AP/UNB, Jan 02 – The assembly voted on Sunday to expel the troops.")],
                           published="2022-01-02")
    res = extract_events([res_doc], ps, EntityIndex([]), CUR)
    (ev,) = res.tables["events"]
    assert (ev["event_type"], ev["place_id"]) == ("political_action", "baghdad")
    assert not res.tables["event_actors"]


def test_a_dateline_does_not_place_an_older_occurrence_or_a_placed_one() -> None:
    evs = _events("Baghdad: The assembly first met on 3 December 2021.\n"
                  "Baghdad: Crowds marched on Sunday in Kerbala.")
    by_date = {e["date"]: e["place_id"] for e in evs}
    assert by_date["2021-12-03"] is None
    assert by_date["2022-01-02"] == "karbala" or by_date["2022-01-02"] != "baghdad"


def test_a_capitalised_word_and_colon_is_no_dateline() -> None:
    (ev,) = _events("Update: Thousands of people rallied on Sunday to mark the anniversary.")
    assert ev["place_id"] is None


def test_a_country_naming_the_side_of_a_strike_is_not_its_place() -> None:
    (ev,) = _events("Ramin Kohl was killed in a United States drone strike in Iraq on 5 March 2021.",
                    published="2021-03-10")
    assert (ev["event_type"], ev["country"]) == ("strike", "Iraq")
