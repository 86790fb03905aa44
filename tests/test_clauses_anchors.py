"""Clause layer, anchors: dates, places and numbers on the frame the parse gives them; offsets
counted from the occurrence they follow."""

from __future__ import annotations

from clause_helpers import parsed

from pipeline.extract.clauses import SourceReader, read_sentence
from pipeline.extract.clauses.anchors import vague_after
from pipeline.extract.clauses.roles import dateline_end
from pipeline.extract.dates import DateContext, find_dates
from pipeline.text import sentence_spans


def read_report(text: str, published: str) -> list:  # type: ignore[type-arg]
    """Every sentence of a one-paragraph report, dates read by dates.py, anchored by the layer."""
    ctx = DateContext(published)
    ctx.begin_passage("Body")
    reader = SourceReader("t")
    reader.new_paragraph()
    return [reader.read(parsed(text[s:e]), s, [], find_dates(text, s, e, ctx), text=text)
            for s, e in sentence_spans(text, 0, len(text))]


def dates_of(cls: list, lemma: str) -> list[str | None]:  # type: ignore[type-arg]
    return [a.date.date for cl in cls for f in cl.frames if f.lemma == lemma for a in f.anchors if a.date]


def test_a_date_goes_to_the_frame_the_parse_gives_it() -> None:
    text = "The group claimed on Thursday the bombings that killed 84 people on Wednesday."
    ctx = DateContext("2024-01-05")
    ctx.begin_passage("Body")
    cl = read_sentence(parsed(text), 0, dates=find_dates(text, 0, len(text), ctx))
    claim = next(f for f in cl.frames if f.lemma == "claim")
    kill = next(f for f in cl.frames if f.lemma == "kill")
    assert [a.text for a in claim.anchors if a.kind == "date"] == ["on Thursday"]
    assert [a.text for a in kill.anchors if a.kind == "date"] == ["on Wednesday"]
    assert [a.text for a in kill.anchors if a.kind == "quantity"] == ["84"]


def test_five_days_later_counts_from_the_occurrence_not_the_reports_release() -> None:
    cls = read_report("Militants stormed the compound on 3 March 2021. The inquiry, released on 9 June, said five "
                      "guards died. Five days later, the army recaptured the compound.", "2021-06-20")
    assert dates_of(cls, "recapture") == ["2021-03-08"]


def test_an_offset_with_no_dated_occurrence_is_left_unresolved() -> None:
    cls = read_report("The next day, the army recaptured the compound.", "2021-06-20")
    assert dates_of(cls, "recapture") in ([], [None])


def test_in_the_days_after_gives_the_month() -> None:
    text = "The general was assassinated on 3 January 2020. In the days after the assassination, crowds filled the streets."
    ctx = DateContext(None)
    ctx.begin_passage("Body")
    spans = sentence_spans(text, 0, len(text))
    for s, e in spans:
        find_dates(text, s, e, ctx)
    s, e = spans[1]
    found = vague_after(text, s, e, ctx)
    assert [(d.date, d.date_precision) for d in found] == [("2020-01", "month")]
    assert found[0].date_text.startswith("In the days after the assassination")


def test_a_dateline_is_recognised() -> None:
    assert dateline_end("Geneva, July 10 (Wire Agency) - Talks resumed.") > 0
    assert dateline_end("MOSUL (AP) — Talks resumed.") > 0
    assert dateline_end("Talks resumed in Geneva (Switzerland) on Monday.") == 0


def test_places_on_their_frame() -> None:
    cl = read_sentence(parsed("The envoy, who lives in Paris, flew to Baghdad."), 0)
    fly = next(f for f in cl.frames if f.lemma == "fly")
    assert [a.text for a in fly.anchors if a.kind == "place"] == ["Baghdad"]
