"""Occurrences told in a sentence with no date of their own: the time they take from the sentence before
or from the report's publication, and the sentences that must take none
(pipeline/extract/events/context_dates.py, ``context_time`` in raw/curated/date_words.yaml).
Short texts written for each phenomenon."""

from __future__ import annotations

from test_events import CUR, make_doc

from pipeline.extract.entities import EntityIndex
from pipeline.extract.events import extract_events

PUBLISHED = "2021-03-10"


# A lead telling nothing, so that the paragraphs given are read as a report's body (its lead is read apart).
NEUTRAL_LEAD = "Westport is a small port town on the river Esk."


def _events(paragraphs: list[str], published: str | None = PUBLISHED, fmt: str = "news",
            lead: bool = False) -> list[dict]:
    """The events of a report whose body is ``paragraphs`` (``lead``: the first of them is its lead)."""
    paras = paragraphs if lead or fmt != "news" else [NEUTRAL_LEAD, *paragraphs]
    doc, ps = make_doc([("Body", p) for p in paras], published=published, fmt=fmt)
    res = extract_events([doc], ps, EntityIndex([]), CUR)
    return res.tables["events"]


def _brief(events: list[dict]) -> list[tuple[str | None, str | None, str | None, str]]:
    return sorted((e["date"], e["date_precision"], e["date_text"], e["event_type"]) for e in events)


# ---- a news report's own present


def test_an_undated_past_act_in_a_report_takes_the_month_of_publication() -> None:
    events = _events(["Prosecutors in Westport charged two dock workers with arson on the pier."])
    assert _brief(events) == [("2021-03", "month", "published 2021-03-10", "legal_action")]
    assert events[0]["date_start"].isoformat() == "2021-03-01"  # the whole month: no day is padded


def test_a_statement_counts_only_where_its_medium_is_named() -> None:
    # what a report says was said, it says was said on its day
    events = _events(["The harbor master wrote in a string of posts that the port would stay shut.",
                      "The harbor master replied that nothing had changed."])
    assert _brief(events) == [("2021-03-10", "day", "published 2021-03-10", "statement")]
    assert events[0]["summary"].startswith("The harbor master wrote")


def test_a_statement_by_a_speaker_named_for_the_first_time_is_a_telling_of_its_own() -> None:
    events = _events(["The Corvale port agency said that two cranes had collapsed.",
                      "Corvale added that the pier was closed."])
    assert _brief(events) == [("2021-03-10", "day", "published 2021-03-10", "statement")]
    assert events[0]["summary"].startswith("The Corvale port agency said")


def test_a_paragraph_going_on_from_a_dated_past_is_not_the_report_present() -> None:
    # the paragraph before ends its story years back: what follows undated goes on with that story
    assert [e["event_type"] for e in _events(["The old harbor master was killed in a storm on 4 May 2015.",
                                              "The Corvale port agency confirmed the news in a statement."])] \
        == ["attack"]
    assert _brief(_events(["The old harbor master was killed in a storm on 4 May 2015.",
                           "The harbor was closed for a week.",
                           "The Corvale port agency confirmed the news in a statement."])) == [
        ("2015-05-04", "day", "4 May 2015", "attack"), ("2021-03-10", "day", "published 2021-03-10", "statement")]


def test_the_days_before_an_early_publication_fall_in_the_month_before() -> None:
    # published on the 2nd: the act may lie in February, so only the year is known
    assert _brief(_events(["Prosecutors charged two dock workers with arson on the pier."], published="2021-03-02")) \
        == [("2021", "year", "published 2021-03-02", "legal_action")]
    # published on 1 January: not even the year is known
    assert _events(["Prosecutors charged two dock workers with arson on the pier."], published="2021-01-01") == []


def test_a_violent_act_told_in_the_simple_past_is_background_but_the_present_perfect_is_news() -> None:
    assert _events(["The navy fired missiles at the old fort."]) == []
    assert _brief(_events(["The navy has fired missiles at the old fort, officials said."])) == [
        ("2021-03", "month", "published 2021-03-10", "strike")]


def test_no_date_for_an_encyclopedia_article_without_a_dated_sentence_before() -> None:
    assert _events(["Prosecutors charged two dock workers with arson on the pier."], published=None,
                   fmt="wikipedia") == []


# ---- never: background, future, hypothetical, negated, judged


def test_a_pluperfect_background_fact_takes_no_date() -> None:
    assert _events(["The two dock workers had been arrested for theft years earlier."]) == []


def test_future_and_conditional_acts_take_no_date() -> None:
    assert _events(["The governor will order a curfew at the docks.",
                    "Officials said the governor would order a curfew if the riots spread."]) == []


def test_negated_and_hypothetical_acts_take_no_date() -> None:
    assert _events(["No group has claimed responsibility for the fire at the pier.",
                    "The council did not vote on the harbor budget."]) == []


def test_an_occurrence_named_as_what_is_judged_or_as_a_time_is_not_told_now() -> None:
    assert _events(["The mayor condemned the bombing of the ferry terminal.",
                    "The dock workers were questioned shortly before the election."]) == []


def test_a_question_tells_nothing_as_fact() -> None:
    assert _events(["Has the navy not fired missiles at the old fort before?",
                    "Didn't the council approve the harbor budget, the mayor asked in a speech?"]) == []


def test_a_relative_clause_describing_someone_is_background() -> None:
    assert _events(["The prosecutor, who charged the dock workers, spoke to the court about the pier."]) == []


def test_a_date_elsewhere_in_the_sentence_wins() -> None:
    # the sentence has its own date: read as before, nothing taken from the publication
    assert _brief(_events(["Prosecutors charged two dock workers with arson in 2019."])) == [
        ("2019", "year", "in 2019", "legal_action")]


def test_an_occurrence_timed_by_one_the_source_leaves_undated_takes_no_date() -> None:
    assert _events(["In response to the vote, the governor imposed sanctions on the port."]) == []


# ---- carried over from the sentence before


def test_a_later_act_of_the_same_story_takes_the_month_of_the_sentence_before() -> None:
    events = _events(["On 4 March 2020 the council voted to close the harbor. It later ordered the deployment "
                      "of 200 guards to the docks."])
    assert _brief(events) == [("2020-03", "month", "4 March 2020", "military_deployment"),
                              ("2020-03-04", "day", "4 March 2020", "political_action")]


def test_an_act_tied_to_the_same_occasion_takes_its_day() -> None:
    events = _events(["On 4 March 2020 the governor spoke at a memorial service in Elm City.",
                      "She also announced new sanctions on the port at the same service."])
    assert ("2020-03-04", "day", "4 March 2020", "political_action") in _brief(events)


def test_a_sentence_with_no_word_of_continuation_takes_nothing_from_the_one_before() -> None:
    # in an encyclopedia article (no publication to fall back on) a plain next sentence may be background
    events = _events(["On 4 March 2020 the council voted to close the harbor. Dock workers marched to the square."],
                     published=None, fmt="wikipedia")
    assert _brief(events) == [("2020-03-04", "day", "4 March 2020", "political_action")]


def test_a_retelling_joins_the_dated_telling_of_the_same_occurrence() -> None:
    # the lead tells the charge undated, the next paragraph dates it: one event, two tellings
    for lead in (True, False):
        paras = ["A federal court has charged three dock workers with smuggling guns.",
                 "Prosecutors indicted the three dock workers on 8 March 2021 in Westport."]
        doc, ps = make_doc([("Body", p) for p in (paras if lead else [NEUTRAL_LEAD, *paras])], published=PUBLISHED)
        res = extract_events([doc], ps, EntityIndex([]), CUR)
        assert [(e["date"], e["event_type"]) for e in res.tables["events"]] == [("2021-03-08", "legal_action")]
        assert len(res.tables["event_mentions"]) == 2


# ---- a report's lead: its news, told as now


def test_a_statement_in_the_lead_told_in_the_present_takes_the_report_day() -> None:
    events = _events(["The harbor master of Westport says the river port will stay shut for a week."], lead=True)
    assert _brief(events) == [("2021-03-10", "day", "published 2021-03-10", "statement")]
    assert events[0]["date_start"] == events[0]["date_end"]


def test_a_warning_in_the_lead_told_in_the_present_perfect_takes_the_report_day() -> None:
    # no medium named: in the lead the warning is the news itself
    assert _brief(_events(["The mayor of Westport has warned fishermen to keep away from the flooded docks."],
                          lead=True)) == [("2021-03-10", "day", "published 2021-03-10", "statement")]


def test_a_lead_statement_naming_an_occurrence_the_report_leaves_undated_is_still_today() -> None:
    assert _brief(_events(["The governor vows to rebuild the pier after the fire that destroyed it."], lead=True)) \
        == [("2021-03-10", "day", "published 2021-03-10", "statement")]


def test_the_present_tells_no_occurrence_outside_the_lead() -> None:
    assert _events(["The harbor master of Westport says the river port will stay shut for a week."]) == []


def test_a_lead_act_in_the_simple_past_takes_the_month_as_in_the_body() -> None:
    assert _brief(_events(["Prosecutors in Westport charged two dock workers with arson on the pier."], lead=True)) \
        == [("2021-03", "month", "published 2021-03-10", "legal_action")]
    assert _events(["The navy fired missiles at the old fort."], lead=True) == []


def test_what_the_lead_tells_as_to_come_or_as_a_condition_takes_no_date() -> None:
    assert _events(["The mayor may warn fishermen to keep away if the river floods the docks."], lead=True) == []


def test_a_statement_made_on_an_occasion_told_before_takes_that_occasion_day() -> None:
    # "in her address": the address given at the service the story is at (two days before publication);
    # "in a statement": a new one, the report's day
    events = _events(["A memorial service was held at the Westport harbor on Monday to honour the drowned sailors.",
                      "Many families attended the service, which was addressed by Ellen Marsh.",
                      "Ellen Marsh, in her address, said the harbor had to be made safe.",
                      "Tom Ridley said in a statement that the port would reopen."])
    statements = sorted((e["date"], e["date_text"], e["summary"][:10]) for e in events if e["event_type"] == "statement")
    assert statements == [("2021-03-08", "on Monday", "Ellen Mars"), ("2021-03-10", "published 2021-03-10", "Tom Ridley")]
