"""Events dated by reference, weekdays ahead, and who did the act: short texts written for each phenomenon
(pipeline/extract/events/references.py, pipeline/extract/event_frames.py, date_words.yaml)."""

from __future__ import annotations

from test_events import CUR, make_doc, mention

from pipeline.extract.entities import EntityIndex
from pipeline.extract.events import extract_events

STATES = {"iran": "government-of-iran", "iranian": "government-of-iran"}


def _run(paragraphs: list[str], names: list[tuple[str, str, int]] = (), published: str = "2021-01-05"):  # type: ignore[assignment]
    doc, ps = make_doc([("Body", p) for p in paragraphs], published=published)
    ents = [mention(doc, surface, ident, nth=nth) for surface, ident, nth in names]
    res = extract_events([doc], ps, EntityIndex(ents, states=STATES), CUR)
    actors: dict[str, set[tuple[str, str]]] = {}
    for a in res.tables["event_actors"]:
        actors.setdefault(a["event_id"], set()).add((a["person_id"] or a["org_id"], a["role"]))
    return res.tables["events"], actors


STRIKE = "On 3 January 2020 a drone strike killed the commander Omar Qadri near the airport in Baghdad."


def test_an_act_in_retaliation_for_a_dated_killing_takes_its_month() -> None:
    events, _ = _run([STRIKE, "In retaliation for the assassination, the guards fired missiles at a desert base."])
    told = [e for e in events if e["date_text"] == "In retaliation for the assassination"]
    assert [(e["date"], e["date_precision"], e["event_type"]) for e in told] == [("2020-01", "month", "strike")]


def test_days_after_an_attack_dates_a_vote_at_month_precision() -> None:
    events, _ = _run([STRIKE, "Less than a week after the attack, lawmakers approved a bill calling for the troops "
                              "to leave."])
    (vote,) = [e for e in events if e["event_type"] == "political_action"]
    assert (vote["date"], vote["date_text"]) == ("2020-01", "Less than a week after the attack")


def test_shortly_afterward_follows_the_occurrence_told_just_before() -> None:
    events, _ = _run(["On 12 March 2019 the council voted to close the port.",
                      "Shortly afterward, the harbor master said the ships would leave."])
    said = [e for e in events if e["date_text"] == "Shortly afterward"]
    assert [(e["date"], e["event_type"]) for e in said] == [("2019-03", "statement")]


def test_a_reference_to_nothing_dated_dates_nothing() -> None:
    events, _ = _run(["In response to the vote, the governor threatened sanctions.",
                      "He was named after his grandfather."])
    assert events == []


def test_a_sentence_with_its_own_date_keeps_it() -> None:
    events, _ = _run([STRIKE, "After the strike, on 5 January 2020, lawmakers voted to expel the troops."])
    assert sorted(e["date"] for e in events) == ["2020-01-03", "2020-01-05"]


def test_the_accuser_of_a_part_in_an_attack_is_not_its_perpetrator() -> None:
    text = ("A prosecutor said Jon Keel and 30 others whom Iran accuses of involvement in the January 3 attack that "
            "killed Omar Qadri face charges.")
    events, actors = _run([text], [("Omar Qadri", "omar-qadri", 0), ("Jon Keel", "jon-keel", 0)],
                          published="2020-06-29")
    (attack,) = [e for e in events if e["event_type"] in ("attack", "strike")]
    assert attack["date"] == "2020-01-03"
    assert ("government-of-iran", "perpetrator") not in actors.get(attack["event_id"], set())
    assert ("omar-qadri", "victim") in actors[attack["event_id"]]


def test_the_by_phrase_of_an_attack_is_its_perpetrator() -> None:
    events, actors = _run(["Omar Qadri was killed in an attack by Iran on Friday."], [("Omar Qadri", "omar-qadri", 0)])
    (attack,) = events
    assert actors[attack["event_id"]] == {("omar-qadri", "victim"), ("government-of-iran", "perpetrator")}


def test_a_weekday_after_is_to_be_is_the_coming_one() -> None:
    # published on a Tuesday: "is to be presented on Thursday" is two days later, "met on Thursday" five days before
    events, _ = _run(["Her report on drone attacks is to be presented to the council on Thursday.",
                      "The envoys met on Thursday."], published="2020-07-07")
    assert sorted(e["date"] for e in events) == ["2020-07-02", "2020-07-09"]


def test_an_occurrence_reported_before_its_source_is_the_occurrence() -> None:
    events, _ = _run(["Two small drones were shot down as they neared a depot near the port, guards said on Monday.",
                      "The raid was unlawful, the envoy said on Tuesday."], published="2022-03-09")
    assert sorted((e["date"], e["event_type"]) for e in events) == [("2022-03-07", "attack"), ("2022-03-08", "statement")]


def test_a_weekday_with_a_part_of_the_day_after_a_name_is_a_date() -> None:
    events, _ = _run(["Jets struck the depot before dawn, guards told Wirepress Monday morning."], published="2022-03-09")
    assert [(e["date"], e["event_type"]) for e in events] == [("2022-03-07", "strike")]


def test_a_legislatures_call_is_a_political_act_its_saying_a_statement() -> None:
    events, _ = _run(["The parliament called for the departure of foreign troops on Sunday.",
                      "The lawmakers said on Monday that they would meet again."], published="2020-01-08")
    assert sorted((e["date"], e["event_type"]) for e in events) == [("2020-01-05", "political_action"),
                                                                   ("2020-01-06", "statement")]


def test_a_reference_takes_the_date_its_sentence_is_told_at_not_one_named_in_passing() -> None:
    events, _ = _run(["On 8 January 2020 the guards launched a missile attack on two bases, the worst since an attack "
                      "on 3 July 1988.", "Following the missile attack, the guards said they had no further plans."])
    told = [e for e in events if e["date_text"] == "Following the missile attack"]
    assert [(e["date"], e["event_type"]) for e in told] == [("2020-01", "statement")]


def test_a_killing_told_at_year_precision_joins_the_day_dated_one() -> None:
    text = ["A court issued a warrant over the assassination of Omar Qadri in a drone strike earlier this year.",
            "Omar Qadri was killed near the airport on January 3."]
    events, actors = _run(text, [("Omar Qadri", "omar-qadri", 0), ("Omar Qadri", "omar-qadri", 1)],
                          published="2020-06-29")
    violent = [e for e in events if e["event_type"] in ("strike", "attack")]
    assert [(e["date"], e["mention_count"]) for e in violent] == [("2020-01-03", 2)]
    assert ("omar-qadri", "victim") in actors[violent[0]["event_id"]]


def test_a_coarse_telling_that_fits_two_killings_stays_apart() -> None:
    text = ["A court issued a warrant over the assassination of Omar Qadri in a drone strike earlier this year.",
            "Omar Qadri was wounded near the airport on January 3.",
            "Omar Qadri was killed in a second strike on 5 May."]
    events, _ = _run(text, [("Omar Qadri", "omar-qadri", n) for n in range(3)], published="2020-06-29")
    assert sorted(e["date"] for e in events if e["event_type"] in ("strike", "attack"))[-1] == "2020-05-05"
    assert "2020" in [e["date"] for e in events]


def test_a_sentence_opening_with_the_strike_tells_the_strike_dated_before() -> None:
    text = ["Omar Qadri was killed on 3 January 2020 in a drone strike near the airport.",
            "The air strike, ordered by the defence chief Jon Keel, came after a spate of attacks on the bases.",
            "The attacks that followed were condemned."]
    events, actors = _run(text, [("Omar Qadri", "omar-qadri", 0), ("Jon Keel", "jon-keel", 0)])
    (strike,) = events
    assert (strike["date"], strike["mention_count"]) == ("2020-01-03", 2)
    assert actors[strike["event_id"]] == {("omar-qadri", "victim"), ("jon-keel", "sponsor")}


def test_an_anniversary_dates_an_occurrence_from_the_one_it_marks() -> None:
    events, _ = _run(["Omar Qadri was killed in a drone strike on 3 January 2020.",
                      "Rallies were held in Tehran on the first anniversary of the killing."], published="2021-02-03")
    rally = [e for e in events if e["event_type"] == "protest"]
    assert [(e["date"], e["date_precision"], e["location"]) for e in rally] == [("2021-01-03", "day", "Tehran")]


def test_an_anniversary_in_a_reports_lead_is_the_reports_day() -> None:
    events, _ = _run(["Two bombs exploded near the shrine in Kerman on the fourth anniversary of his death, killing "
                      "at least 90 people.", "Officials gave no further details."], published="2024-01-03")
    assert [(e["date"], e["event_type"], e["killed"]) for e in events] == [("2024-01-03", "attack", 90)]


def test_an_anniversary_of_nothing_dated_outside_a_reports_lead_dates_nothing() -> None:
    events, _ = _run(["Officials gave no details.", "Crowds gathered on the second anniversary of the fire."],
                     published="2024-01-03")
    assert events == []


def test_hours_after_a_dated_occurrence_is_its_day_and_shows_it() -> None:
    events, _ = _run([STRIKE, "A few hours after the strike, the guards fired missiles at a desert base."])
    (told,) = [e for e in events if e["date_text"] != "3 January 2020"]
    assert (told["date"], told["date_precision"], told["date_text"]) == ("2020-01-03", "day", "hours after the strike")


def test_hours_after_an_occurrence_known_to_its_month_stays_the_month() -> None:
    events, _ = _run(["In January 2020 a drone strike killed the commander Omar Qadri near the airport in Baghdad.",
                      "Hours after the strike, the guards fired missiles at a desert base."])
    (told,) = [e for e in events if e["date_text"] != "January 2020"]
    assert (told["date"], told["date_precision"]) == ("2020-01", "month")


def test_this_evening_in_a_report_is_its_day() -> None:
    events, _ = _run(["The guards fired missiles at a desert base, the ministry announced this evening."])
    assert [(e["date"], e["date_precision"], e["date_text"]) for e in events] == [("2021-01-05", "day", "this evening")]


def test_a_report_with_no_publication_date_counts_its_weekdays_from_its_lead_day() -> None:
    def dates(paragraphs: list[str]) -> list[tuple[str | None, str]]:
        doc, ps = make_doc([("Body", p) for p in paragraphs], published=None)
        events = extract_events([doc], ps, EntityIndex([]), CUR).tables["events"]
        return sorted((e["date"], e["date_text"]) for e in events)

    told = ["The minister said on Thursday that divers had found the wreck."]
    assert dates(["A ferry sank near Westport on Wednesday, 8 January 2020, killing 40 people.", "Divers are searching.",
                  *told]) == [("2020-01-08", "8 January 2020"), ("2020-01-09", "on Thursday")]
    # a day told only later in the body (a background date) is no stand-in for the report's day
    assert dates(["Divers are searching the river near Westport.", "The ferry was built on 8 January 2001.", *told]) \
        == [("2001-01-08", "8 January 2001")]
