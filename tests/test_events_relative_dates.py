"""Occurrences dated by reference to another told in the same source: the offset kinds (days, weeks,
years; "the day before", "the next morning"), the direction (an occurrence N days after another told
later is N days BEFORE it), day vs month precision, the anchor named by a noun or followed in the story,
chains of references, and what dates nothing (an anchor the source does not tell, a time to come).
Short texts in our own words (pipeline/extract/dates.py, pipeline/extract/events/references.py)."""

from __future__ import annotations

from test_events import CUR, make_doc

from pipeline.extract.entities import EntityIndex
from pipeline.extract.events import extract_events


def _events(paragraphs: list[str], published: str | None = "2021-06-30", section: str = "Body") -> list[dict]:
    doc, ps = make_doc([(section, p) for p in paragraphs], published=published)
    return extract_events([doc], ps, EntityIndex([]), CUR).tables["events"]


def _dated(events: list[dict], date_text: str) -> list[tuple[str | None, str | None, str]]:
    return [(e["date"], e["date_precision"], e["event_type"]) for e in events if e["date_text"] == date_text]


BLAST = "On 3 March 2021 a car bomb exploded outside the ministry in Kabul, killing twelve people."


# --------------------------------------------------------------------------- offsets from a named occurrence


def test_days_after_a_named_occurrence_dated_to_the_day_give_the_day() -> None:
    events = _events([BLAST, "Five days after the bombing, the militia fired rockets at an air base near the city."])
    assert [(d, p) for d, p, t in _dated(events, "Five days after the bombing") if t in ("strike", "attack")] == [
        ("2021-03-08", "day")]


def test_a_week_before_a_named_occurrence_counts_back() -> None:
    events = _events([BLAST, "A week before the bombing, police arrested two men at a checkpoint in the city."])
    assert [(d, p) for d, p, _ in _dated(events, "A week before the bombing")] == [("2021-02-24", "day")]


def test_days_after_without_a_count_give_the_month() -> None:
    events = _events([BLAST, "In the days after the bombing, the interior minister resigned from the cabinet."])
    dated = [(e["date"], e["date_precision"]) for e in events if e["date_text"].startswith("In the days after")]
    assert dated == [("2021-03", "month")]


# --------------------------------------------------------------------------- direction


def test_an_occurrence_a_dated_one_comes_after_is_dated_before_it() -> None:
    # "The vote comes two days after a strike": the strike is two days BEFORE the vote, never after
    events = _events(["Lawmakers in the capital voted on 9 March 2021 to expel the foreign troops.",
                      "The vote comes two days after a drone strike killed a militia commander near the border."])
    strikes = [e for e in events if e["event_type"] == "strike"]
    assert [(e["date"], e["date_precision"]) for e in strikes] == [("2021-03-07", "day")]
    assert all(e["date"] != "2021-03-11" for e in events)


def test_a_definite_subject_dated_in_years_counts_back_in_years() -> None:
    events = _events([BLAST, "The bombing came three years after a rocket attack on the same ministry killed a guard."])
    attacks = [e for e in events if e["event_type"] in ("attack", "strike") and e["date"] != "2021-03-03"]
    assert [(e["date"], e["date_precision"]) for e in attacks] == [("2018", "year")]


# --------------------------------------------------------------------------- the story's current day


def test_the_day_before_counts_from_the_story_across_undated_paragraphs() -> None:
    events = _events(["The ministry rejected the charges on Tuesday, June 29.",
                      "Its spokesman called them absurd.",
                      "\u201cThey have no proof,\u201d he said.",
                      "The day before, the prosecutors announced that a courier was charged with smuggling arms."])
    assert ("2021-06-28", "day") in [(d, p) for d, p, _ in _dated(events, "The day before")]


def test_the_next_morning_after_a_month_dated_occurrence_is_that_month() -> None:
    # a chain: the warning is dated by the plot it answers (its month); the next morning is in that month too
    events = _events(["In May 2020, the newspaper reported a plot against the consul.",
                      "In response to the plot, the governor issued a warning on the radio. The next morning, he "
                      "repeated the warning in an interview."])
    assert _dated(events, "The next morning") == [("2020-05", "month", "statement")]


# --------------------------------------------------------------------------- an anchor dated by an anniversary


def test_an_anniversary_dates_the_occurrence_it_marks_for_later_references() -> None:
    events = _events(["The town on Monday held a ceremony to honor the first anniversary of the bombing of the "
                      "market.",
                      "Four days after the bombing, the army had raided a village in the hills."],
                     published="2021-03-09")
    # Monday 8 March 2021 -> the bombing on 8 March 2020 -> the raid on 12 March 2020
    assert [(d, p) for d, p, _ in _dated(events, "Four days after the bombing")] == [("2020-03-12", "day")]


def test_ahead_of_a_dated_occasion_takes_its_month() -> None:
    events = _events(["Thousands rallied in the town on Monday to mark the first anniversary of the bombing.",
                      "Ahead of the anniversary, the mayor said in a statement that the market would be rebuilt."],
                     published="2021-03-09")
    assert _dated(events, "Ahead of the anniversary") == [("2021-03", "month", "statement")]


# --------------------------------------------------------------------------- nothing to count from


def test_an_occurrence_the_source_does_not_tell_dates_nothing() -> None:
    events = _events(["Five days after the assassination, the guards fired missiles at an air base."],
                     published=None)
    assert events == []


def test_days_before_an_election_not_told_dates_nothing() -> None:
    events = _events(["Days before the election, the candidate was arrested in the capital."], published=None)
    assert events == []


def test_a_time_to_come_counted_from_a_dated_occurrence_dates_nothing_before_it() -> None:
    events = _events([BLAST, "The funeral will be held two days after the bombing inquiry ends."])
    assert all(e["date"] != "2021-03-01" for e in events)
    assert not [e for e in events if e["event_type"] == "funeral" and e["date"] is not None]


def test_a_subject_naming_a_time_to_come_counts_nothing_back() -> None:
    events = _events(["Lawmakers voted on 9 March 2021 to expel the foreign troops.",
                      "The next vote will come two days after a court hearing on the case."])
    assert all(e["date"] != "2021-03-07" for e in events)


def test_later_inside_a_sentence_counts_from_its_own_undated_occurrence() -> None:
    # "first blamed a fire, before two days later admitting ...": counted from the blaming, which no
    # paragraph dates -- never from the report's latest date two paragraphs up
    events = _events(["The agency confirmed on Tuesday, June 29, that two rockets hit the depot.",
                      "The depot stored grain for the whole region.",
                      "The rockets were fired from a truck parked near the river.",
                      "Officials first blamed a fire, before two days later admitting that rockets hit it."])
    assert _dated(events, "two days later") == []


def test_a_bare_time_takes_the_day_of_the_occurrence_its_subject_names() -> None:
    events = _events(["Militants fired rockets at the airport on Wednesday, June 30.",
                      "Both governments confirmed the launch site.",
                      "The officials gave no figures.",
                      "The attacks at 2:10 a.m. came after weeks of threats."])
    timed = [(e["date"], e["time_local"]) for e in events if e["time_local"]]
    assert timed and set(timed) == {("2021-06-30", "02:10")}


def test_a_named_occurrence_is_found_only_among_occurrences_of_its_kind() -> None:
    # the only dated sentence shares the city's name, but tells a vote, not an explosion
    events = _events(["Parliament in Basra voted on 9 March 2021 to close the port.",
                      "The port was reopened two days after an explosion in Basra damaged the docks."])
    assert all(e["date"] != "2021-03-11" for e in events)


def test_a_flashback_is_not_the_point_the_story_is_at() -> None:
    # the last dated sentence recalls a 2007 killing; "shortly after the attack" still answers the 2021 one
    events = _events([BLAST + " Its planner was also blamed for the killing of five guards in Herat on 20 January 2007.",
                      "Shortly after the attack, the government sent troops to the capital."])
    dated = [(e["date"], e["date_precision"]) for e in events if e["date_text"] == "Shortly after the attack"]
    assert dated == [("2021-03", "month")]


def test_a_reply_to_a_dated_warning_takes_its_month() -> None:
    events = _events(["On 4 May 2020 the governor issued a warning to the rebels in the north.",
                      "In response to the warning, the rebels said in a statement that they would lay down arms."])
    dated = [(e["date"], e["date_precision"]) for e in events if e["date_text"] == "In response to the warning"]
    assert dated == [("2020-05", "month")]


def test_offsets_chain_from_the_day_the_one_before_reached() -> None:
    events = _events([BLAST, "Three days later, the police arrested two men in the city.",
                      "The next day, the minister resigned in a televised address."])
    assert [(d, p) for d, p, _ in _dated(events, "Three days later")] == [("2021-03-06", "day")]
    assert [(d, p) for d, p, _ in _dated(events, "The next day")] == [("2021-03-07", "day")]


def test_the_next_day_after_a_reference_only_date_counts_from_it() -> None:
    # the resignation is known to its month only: the day after it is no finer (never 4 March, the day
    # after the bombing itself)
    events = _events([BLAST, "In the days after the bombing, the interior minister resigned. The next day, his deputy "
                             "said in a statement that the police chief had been dismissed."])
    dated = [(e["date"], e["date_precision"]) for e in events if e["date_text"] == "The next day"]
    assert dated == [("2021-03", "month")]


def test_a_sentence_dated_by_the_occurrence_it_names_dates_nothing_before_it() -> None:
    # "days after Tuesday's attack": the sentence's only date is the attack's own, not a later clause's
    events = _events(["A drone strike killed the commander near the airport on Friday.",
                      "The killing came days after Tuesday's attack on the embassy, in which protesters burned a "
                      "gate."], published="2020-01-03")
    assert _dated(events, "days after Tuesday's attack") == []
    assert not [e for e in events if e["date"] == "2019-12"]
