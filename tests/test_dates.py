"""Date reading: explicit forms, implicit years, relative dates, times, and what is not a date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.dates import DateContext, DateMention, find_dates


def read(text: str, published: str | None = None, section: str = "Body") -> list[DateMention]:
    ctx = DateContext(published)
    ctx.begin_passage(section)
    return find_dates(text, 0, len(text), ctx)


def one(text: str, published: str | None = None) -> DateMention:
    ms = read(text, published)
    assert len(ms) == 1, [m.date_text for m in ms]
    return ms[0]


@pytest.mark.parametrize(
    ("sentence", "date", "precision", "words"),
    [
        ("On 3 January 2020, Soleimani was killed.", "2020-01-03", "day", "3 January 2020"),
        ("On 5January 2020, the parliament voted.", "2020-01-05", "day", "5January 2020"),
        ("This was rescinded on January 20, 2025.", "2025-01-20", "day", "January 20, 2025"),
        ("On March 5, 2024, the FBI issued an alert.", "2024-03-05", "day", "March 5, 2024"),
        ("On Sept. 14, 2019, drones hit the plant.", "2019-09-14", "day", "Sept. 14, 2019"),
        ("In September 2015, Hewitt asked Trump.", "2015-09", "month", "September 2015"),
        ("In 2022, Raisi declared revenge.", "2022", "year", "In 2022"),
        ("In early October 2019, Soleimani met militia allies.", "2019-10", "month", "early October 2019"),
        ("The briefing came in late December 2019.", "2019-12", "month", "late December 2019"),
        ("He called off a strike in summer 2019.", "2019", "year", "in summer 2019"),
        ("The deal was signed in 2008 after talks.", "2008", "year", "in 2008"),
        ("In his 2008 letter to Petraeus, he asserted control.", "2008", "year", "2008"),
    ],
)
def test_explicit_forms(sentence: str, date: str, precision: str, words: str) -> None:
    m = one(sentence)
    assert (m.date, m.date_precision, m.date_text) == (date, precision, words)
    assert sentence[m.char_start : m.char_end] == m.date_text


def test_month_and_year_span_their_whole_period_never_a_fake_day() -> None:
    feb = one("In February 2020 the talks resumed.")
    assert (feb.date_start, feb.date_end) == (dt.date(2020, 2, 1), dt.date(2020, 2, 29))
    year = one("In 2014, the U.S. intervened in Iraq.")
    assert (year.date, year.date_start, year.date_end) == ("2014", dt.date(2014, 1, 1), dt.date(2014, 12, 31))


@pytest.mark.parametrize(
    "sentence",
    [
        "The Iran-Iraq War lasted 1980-1988 and shaped him.",
        "The strike occurred during the 2019–2022 Persian Gulf crisis.",
        "Ever since the Iran–Iraq War (1980–88), he rose.",
        "The U.S. withdrew from the 2015 nuclear deal.",
        "They shot down Ukraine International Airlines Flight 752.",
        "Iran sought to hack Trump's 2024 presidential campaign.",
        "They stole emails from 2024 Donald Trump presidential campaign.",
        "In the 2022 video game Call of Duty, the player kills a general.",
        "The militias have reported to the prime minister since 2016.",
        "Congress passed it in the 1970s.",
        "The Hague (1907) and Geneva (1949) conventions forbid it.",
        "He met Trump at Mar-a-Lago estate.",
        "sections 1111, 1112, and 1113 of this title",
        "Nobody knew what 31 February would bring.",
    ],
)
def test_not_occurrence_dates(sentence: str) -> None:
    assert read(sentence) == []


def test_years_of_a_list_are_each_a_date() -> None:
    ms = read("Air raids targeted Saddam Hussein in 1991, 1998, and 2003.")
    assert [m.date for m in ms] == ["1991", "1998", "2003"]
    assert [m.in_list for m in ms] == [False, True, True]


def test_implicit_year_from_earlier_date_of_the_passage_and_year_rollover() -> None:
    text = ("Trump rejected the option on 28 December 2019. This followed a 27 December rocket attack. "
            "By late 2January, Trump had finalized his decision.")
    ms = read(text)
    assert [(m.date, m.kind) for m in ms] == [
        ("2019-12-28", "explicit"), ("2019-12-27", "implicit_year"), ("2020-01-02", "implicit_year")]
    assert ms[2].date_text == "late 2January"


def test_implicit_year_from_section_heading_and_earlier_passages() -> None:
    ctx = DateContext(None)
    p1 = "On 3 January 2020, the strike happened."
    p2 = "On 5January, the UK announced an escort."
    p3 = "On 3 January, a bomb exploded."
    ctx.begin_passage("Aftermath")
    find_dates(p1, 0, len(p1), ctx)
    ctx.begin_passage("Aftermath")
    assert find_dates(p2, 0, len(p2), ctx)[0].date == "2020-01-05"
    ctx.begin_passage("Aftermath > 2024 Kerman bombing")
    assert find_dates(p3, 0, len(p3), ctx)[0].date == "2024-01-03"


def test_implicit_year_in_a_sibling_section_ignores_other_subsections() -> None:
    ctx = DateContext(None)
    for section, text in [("Aftermath", "On 5 January 2020, X happened."),
                          ("Aftermath > Bombing", "On 3 January 2024, a bomb exploded."),
                          ("Aftermath > Iraqi response", "On 4 January, a funeral was held.")]:
        ctx.begin_passage(section)
        last = find_dates(text, 0, len(text), ctx)
    assert last[0].date == "2020-01-04"


def test_a_flashback_year_does_not_become_context() -> None:
    ctx = DateContext(None)
    ctx.begin_passage("Reactions")
    text = "On 4 January 2020, Trump tweeted. He recalled the death of 290 people in 1988 when a warship fired."
    find_dates(text, 0, len(text), ctx)
    ctx.begin_passage("Reactions")
    text2 = "NATO said, following a meeting on 6January, that Iran must refrain."
    assert find_dates(text2, 0, len(text2), ctx)[0].date == "2020-01-06"


def test_unresolvable_implicit_year_stays_null() -> None:
    m = one("On 5 March, the committee met.")
    assert m.date is None and m.date_start is None and m.date_precision is None
    assert m.date_text == "5 March"


def test_news_relative_to_publication_date() -> None:
    pub = "2020-09-22"  # a Tuesday
    assert one("Zarif said on Monday the book is not closed.", pub).date == "2020-09-21"
    assert one("On Saturday, Salami dismissed the notion.", pub).date == "2020-09-19"
    assert one("Zarif said at the conference last February that they were friends.", pub).date == "2020-02"
    assert one("Earlier this month it was reported that a plot existed.", pub).date == "2020-09"
    m = one("He was killed in a drone strike early this year.", pub)
    assert (m.date, m.date_precision) == ("2020", "year")
    assert one("Two men were arrested yesterday.", pub).date == "2020-09-21"
    assert one("In one attack in March, three troops were killed.", pub).date == "2020-03"


def test_weekday_on_publication_day_is_that_day_and_last_weekday_is_a_week_before() -> None:
    assert one("He spoke on Tuesday.", "2020-09-22").date == "2020-09-22"
    assert one("He spoke last Tuesday.", "2020-09-22").date == "2020-09-15"


def test_weekdays_and_this_month_in_an_undated_article_stay_unresolved() -> None:
    m = one("Zarif said on Monday the book is not closed.")
    assert m.date is None and m.relative


def test_a_weekday_in_a_report_with_no_publication_date_counts_from_its_lead_day() -> None:
    # the reader of a report sets the day its lead tells; "on Thursday" after a lead's Wednesday is the next
    # day, "on Monday" the Monday before (nearest)
    ctx = DateContext(None)
    ctx.begin_passage("Body")
    lead = "A ferry sank on Wednesday, 8 January 2020."
    find_dates(lead, 0, len(lead), ctx)
    ctx.lead_day = dt.date(2020, 1, 8)
    ctx.begin_passage("Body")
    later = "The minister spoke on Thursday. Divers left on Monday."
    ms = find_dates(later, 0, len(later), ctx)
    assert [(m.date_text, m.date) for m in ms] == [("on Thursday", "2020-01-09"), ("on Monday", "2020-01-06")]
    # with no lead day the weekday stays unresolved, whatever date the story told before
    assert read("A ferry sank on 8 January 2020. The minister spoke on Thursday.")[-1].date is None


def test_relative_days_from_the_latest_date() -> None:
    text = ("On 6 January 2020, the Pentagon released a letter. A couple of days later, the State Department "
            "warned Iraq. The following day, NATO met.")
    ms = read(text)
    assert [(m.date_text, m.date) for m in ms] == [
        ("6 January 2020", "2020-01-06"), ("A couple of days later", "2020-01-08"),
        ("The following day", "2020-01-09")]
    assert all(m.relative for m in ms[1:])


def test_same_day_in_a_two_date_sentence() -> None:
    text = ("On 5January 2020, the Iraqi parliament passed a resolution while, on the same day, "
            "Iran took the last step.")
    assert [m.date for m in read(text)] == ["2020-01-05", "2020-01-05"]


def test_that_same_day_skips_a_background_date() -> None:
    text = ("On 8 January 2020, Iran launched missiles, the first such attack since the naval battle "
            "on 3 July 1988. That same day, the IRGC shot down an airliner.")
    assert [m.date for m in read(text)] == ["2020-01-08", "1988-07-03", "2020-01-08"]


def test_offset_from_a_named_earlier_occurrence() -> None:
    ctx = DateContext(None)
    paragraphs = [
        "On 9January, Trump said they wanted to blow up the embassy.",
        "On 10 January, Trump claimed that four embassies were targets.",
        "Later, senators objected. Three days after Trump's remarks, Esper clarified the evidence.",
    ]
    ctx.begin_passage("S")
    find_dates("On 3 January 2020, a strike killed him.", 0, 39, ctx)
    out = []
    for p in paragraphs:
        ctx.begin_passage("S")
        out.extend(find_dates(p, 0, len(p), ctx))
    assert out[-1].date_text == "Three days after Trump's remarks"
    assert (out[-1].date, out[-1].resolved_by) == ("2020-01-13", "reference")


def test_offset_from_the_article_subject() -> None:
    from pipeline.corpus import PassageRow, SourceDoc

    text = "On 3 January 2020, Soleimani was killed by a drone strike.\nFour days before the strike, Graham golfed."
    doc = SourceDoc("s", "wikipedia", text, "Assassination of Qasem Soleimani", None, None, True, "0" * 64)
    cut = text.index("\n")
    ps = [PassageRow("s:1", "s", "Introduction", 0, 0, cut, text[:cut]),
          PassageRow("s:2", "s", "Prelude", 1, cut + 1, len(text), text[cut + 1 :])]
    ctx = DateContext.for_source(doc, ps)
    assert ctx.topic is not None and ctx.topic.date == "2020-01-03"
    got = []
    for p in ps:
        ctx.begin_passage(p.section)
        got.extend(find_dates(text, p.char_start, p.char_end, ctx))
    assert [m.date for m in got] == ["2020-01-03", "2019-12-30"]


def test_day_after_a_named_attack_and_unresolvable_pronoun_reference() -> None:
    ctx = DateContext(None)
    ctx.begin_passage("A")
    first = "On 3 January 2020, the Baghdad airport attack killed ten people."
    find_dates(first, 0, len(first), ctx)
    ctx.begin_passage("B")
    second = "The day after the Baghdad airport attack, state news reported another airstrike."
    assert find_dates(second, 0, len(second), ctx)[0].date == "2020-01-04"
    ctx.begin_passage("C")
    third = "On 3 January 2024, at an event four years after it happened, a bomb exploded."
    ms = find_dates(third, 0, len(third), ctx)
    assert [m.date for m in ms] == ["2024-01-03", None]


def test_an_aside_offset_next_to_an_explicit_date_is_not_a_second_date() -> None:
    assert len(read("On 8 January 2020, five days after the airstrike, Iran launched missiles.")) == 1
    assert len(read("Three weeks later, on August 6, 2024, it was revealed.")) == 1


def test_hedged_or_durational_offsets_are_not_dates() -> None:
    assert read("On 7January 2020, Putin arrived, nearly nine years after the war began.")[1:] == []
    ms = read("There had been 11 attacks in the two months before the 27 December 2019 incident.")
    assert [m.date for m in ms] == ["2019-12-27"]


def test_times() -> None:
    m = one("On 3 January 2020, at 12:32a.m. local time, the plane arrived.")
    assert (m.date, m.time_local) == ("2020-01-03", "00:32")
    ms = read("On 3 January 2020, the plane landed. At 12:47a.m., the drone fired.")
    assert [(m.date, m.time_local) for m in ms] == [("2020-01-03", None), ("2020-01-03", "00:47")]
    bare = one("Time: About 1:00a.m.")
    assert (bare.date, bare.time_local) == (None, "01:00")
    assert one("Posted at 4:40am EDT.").time_local == "04:40"
    assert one("The meeting ended at 6 p.m.").time_local == "18:00"


# --------------------------------------------------------------------------- dated reports


@pytest.mark.parametrize(
    ("sentence", "published", "date"),
    [
        # The most recent such weekday on or before publication (3 January 2020 is a Friday).
        ("The U.S. killed him in an airstrike early Friday.", "2020-01-03", "2020-01-03"),
        ("The Pentagon said in a statement late Thursday that it killed him.", "2020-01-03", "2020-01-02"),
        ("The killing came days after Tuesday's attack on the embassy.", "2020-01-03", "2019-12-31"),
        ("He was killed Thursday night.", "2020-01-03", "2020-01-02"),
        # Words of the clause put it after publication.
        ("Lawmakers said a vote could come as early as Sunday.", "2020-01-03", "2020-01-05"),
        ("He was denied a visa to attend a U.N. meeting in New York on Thursday.", "2020-01-07", "2020-01-09"),
        ("Iran will hold a funeral on Monday.", "2020-01-04", "2020-01-06"),
    ],
)
def test_weekdays_of_a_dated_report(sentence: str, published: str, date: str) -> None:
    assert one(sentence, published).date == date


def test_narrative_weekdays_count_from_the_date_told() -> None:
    text = "Soleimani was killed on Jan. 3, 2020. That Sunday, Iraq's parliament voted. The following Friday, he spoke."
    assert [m.date for m in read(text, "2020-09-22")] == ["2020-01-03", "2020-01-05", "2020-01-10"]
    # In an undated article a narrative weekday still counts from the story's date.
    assert [m.date for m in read("On 3 January 2020 he died. That Sunday, MPs voted.")] == ["2020-01-03", "2020-01-05"]


@pytest.mark.parametrize(
    ("sentence", "published", "date", "words"),
    [
        ("He was killed at Baghdad airport on Jan. 3 last year.", "2021-01-07", "2020-01-03", "Jan. 3 last year"),
        ("In June last year, Iran shot down a U.S. drone.", "2020-01-08", "2019-06", "In June last year"),
        ("The U.S. designated the Guard in April last year.", "2020-01-03", "2019-04", "in April last year"),
        ("The talks resumed in March of this year.", "2020-09-22", "2020-03", "in March of this year"),
    ],
)
def test_a_month_with_a_year_relative_to_publication(sentence: str, published: str, date: str, words: str) -> None:
    m = one(sentence, published)
    assert (m.date, m.date_text) == (date, words)
    assert one(sentence).date is None  # no publication date: nothing to count from


def test_yearless_dates_of_a_report_are_near_its_publication() -> None:
    # After publication only when the past reading is far off, or the clause looks ahead.
    assert one("Trump leaves office on Jan. 20.", "2021-01-07").date == "2021-01-20"
    assert one("The Senate voted in February.", "2020-01-07").date == "2019-02"
    assert one("The Senate is expected to vote in February.", "2020-01-07").date == "2020-02"
    assert one("Rockets struck the Green Zone in December.", "2021-01-07").date == "2020-12"
    assert one("Hamas attacked southern Israel on October 7.", "2024-01-04").date == "2023-10-07"
    assert one("His successor took office in May.", "2021-01-03").date == "2020-05"


def test_a_yearless_date_of_a_report_ignores_an_earlier_paragraphs_flashback() -> None:
    ctx = DateContext("2022-08-10")
    ctx.begin_passage("Body")
    first = "In 2011, the Justice Department charged two men in a plot."
    find_dates(first, 0, len(first), ctx)
    ctx.begin_passage("Body")
    second = "The State Department told Congress in March that it paid for security."
    assert find_dates(second, 0, len(second), ctx)[0].date == "2022-03"


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("Tensions have soared since May 2018.", []),
        ("He had led the Quds Force since 1998.", []),
        ("He served from April 2018 until September 2019.", []),
        ("Tensions have soared since May 2018, when Trump withdrew from the deal.", ["2018-05"]),
        ("He served until September 2019, when he was ousted.", ["2019-09"]),
        ("It is the worst since late December, when a rocket attack killed a contractor.", ["2019-12"]),
        ("Between 2015 and 2019, cells were dismantled during the 2019-20 crisis of the 1980s kind.", []),
    ],
)
def test_states_and_when_clauses(sentence: str, dates: list[str]) -> None:
    assert [m.date for m in read(sentence, "2020-03-13")] == dates


def test_one_occurrence_told_with_two_date_phrases_is_one_date() -> None:
    # A restatement in another time zone, a coarse date made precise, a weekday named by its date.
    ms = read("Missiles were launched at about 1:30am local time on Wednesday (22:30 GMT on Tuesday).", "2020-01-08")
    assert [(m.date_text, m.date, m.time_local) for m in ms] == [("on Wednesday", "2020-01-08", "01:30")]
    assert [m.date for m in read("Earlier this year, in August, prosecutors charged him.", "2024-11-08")] == ["2024-08"]
    assert [m.date for m in read("The strike came on Friday, Jan. 3, near the airport.", "2020-01-10")] == ["2020-01-03"]


def test_years_in_names_and_indefinite_occurrences() -> None:
    assert [m.date for m in read("The group claimed a 2022 attack on the Shah Cheragh shrine.")] == ["2022"]
    assert read("Iran retaliated with the 2020 Iranian attack on U.S. forces.") == []
    assert [m.date for m in read("It attacked Shiraz, and in 2017 ISIL fighters attacked Tehran.")] == ["2017"]
    assert [m.date for m in read("The document is dated 2020-01-03.")] == ["2020-01-03"]
    assert read("On 01/03/2020 the strike occurred.") == []  # day and month order unknown: not read


def test_an_indefinite_occurrence_with_modifiers_between_year_and_noun() -> None:
    assert [m.date for m in read("The envoy died in a 2019 Westland drone strike near the port.")] == ["2019"]
    assert [m.date for m in read("The envoy died in a 2019 suicide bombing.")] == ["2019"]
    # a year before another noun is no occurrence's, however near an event word comes after
    assert read("She wrote a 2019 report on the attack.") == []
    assert read("She cited a 2019 Westland report strike figures.") == []


def test_durations_are_not_offsets() -> None:
    ms = read("On Saturday, he cited the 52 Americans held hostage for 444 days after the embassy was seized in 1979.",
              "2020-01-07")
    assert [m.date for m in ms] == ["2020-01-04", "1979"]


def test_a_bare_definite_reference_names_the_latest_occurrence_of_its_kind() -> None:
    ctx = DateContext("2020-01-11")
    ctx.begin_passage("Body")
    first = "The airliner crashed after taking off from Tehran on Wednesday."
    find_dates(first, 0, len(first), ctx)
    ctx.begin_passage("Body")
    second = "The admission came three days after the crash."
    m = find_dates(second, 0, len(second), ctx)[0]
    assert (m.date, m.resolved_by) == ("2020-01-11", "reference")


def test_an_offset_from_an_occurrence_dated_further_on_is_resolved_at_the_end() -> None:
    ctx = DateContext("2020-01-05")
    paragraphs = ["Parliament passed a resolution two days after a US drone strike killed Iran's top general.",
                  "Soleimani was killed in the strike near Baghdad airport early on Friday."]
    found = []
    for p in paragraphs:
        ctx.begin_passage("Body")
        found.append(find_dates(p, 0, len(p), ctx))
    pending = found[0][0]
    assert pending.date is None and pending.relative
    later = ctx.resolve_later(pending)
    assert later is not None and (later.date, later.date_text) == ("2020-01-05", pending.date_text)
    assert ctx.resolve_later(found[1][0]) is None  # only offsets waiting for a reference


def test_a_time_in_a_section_of_an_article_about_that_day() -> None:
    from pipeline.corpus import PassageRow, SourceDoc

    text = "On 3 January 2024, two bombs exploded in Kerman.\nThe first explosion occurred at 15:04 local time."
    doc = SourceDoc("s", "wikipedia", text, "2024 Kerman bombings", None, None, True, "0" * 64)
    cut = text.index("\n")
    ps = [PassageRow("s:1", "s", "Introduction", 0, 0, cut, text[:cut]),
          PassageRow("s:2", "s", "Bombings", 1, cut + 1, len(text), text[cut + 1 :])]
    ctx = DateContext.for_source(doc, ps)
    got = []
    for p in ps:
        ctx.begin_passage(p.section)
        got.extend(find_dates(text, p.char_start, p.char_end, ctx))
    assert [(m.date, m.time_local) for m in got] == [("2024-01-03", None), ("2024-01-03", "15:04")]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans())
def test_any_written_day_reads_back(day: dt.date, us_style: bool) -> None:
    words = (f"{day:%B} {day.day}, {day.year}" if us_style else f"{day.day} {day:%B} {day.year}")
    m = one(f"The talks ended on {words}, officials said.")
    assert (m.date, m.date_start, m.date_end, m.date_precision) == (day.isoformat(), day, day, "day")


def test_an_offset_after_the_clause_own_date_dates_the_occurrence_it_names() -> None:
    # "voted Sunday ..., two days after a strike killed X": the strike was two days before Sunday
    ms = read("Iraq's parliament voted Sunday in favor of a resolution calling for the expulsion of U.S. "
              "troops, two days after an American drone strike killed Iran's top general.", "2020-01-05")
    assert [(m.date, m.date_precision) for m in ms] == [("2020-01-05", "day"), ("2020-01-03", "day")]
    assert ms[1].date_text.startswith("two days after an American drone strike")
    ms = read("Thousands marched in Tehran on 11 January 2020 to mourn the dead, seven days after the strike.")
    assert [m.date for m in ms] == ["2020-01-11", "2020-01-04"]
    # right next to the date it is an aside to that date (one date), as before
    assert len(read("On 8 January 2020, five days after the airstrike, Iran launched missiles.")) == 1


def test_a_date_does_not_count_as_the_occurrence_its_own_sentence_dates_with_an_offset() -> None:
    # the strike is never dated: the offset stays unresolved rather than counting from the vote's day
    ctx = DateContext("2020-01-05")
    text = "Two days after a drone strike killed the general, parliament voted Sunday to expel the troops."
    ctx.begin_passage("Body")
    offset, sunday = find_dates(text, 0, len(text), ctx)
    assert offset.date is None and sunday.date == "2020-01-05"
    assert ctx.resolve_later(offset) is None
