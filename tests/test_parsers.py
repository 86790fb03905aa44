"""Parser rules on small inline texts: headings, infobox, lists, byline, chrome, offsets."""

from __future__ import annotations

import pytest

from pipeline.errors import ParseError
from pipeline.parsers import parse

WIKI = """= Some Event =

Some Event
- Type: Drone strike
- Location: Baghdad

Intro paragraph one.

== Background ==
Para under background.

===Details===
Detail para.

==== Deeper ====
Deep para.

== See also ==
- Other article
- Another one
"""


def _check_offsets(text: str, passages) -> None:
    for p in passages:
        assert text[p.char_start : p.char_end] == p.text


def test_wikipedia_sections_infobox_and_lists() -> None:
    parsed = parse("wikipedia", WIKI)
    assert parsed.title == "Some Event"
    by_text = {p.text: p for p in parsed.passages}
    assert by_text["- Type: Drone strike"].section == "Infobox"
    assert by_text["- Location: Baghdad"].kind == "infobox"
    assert "Some Event" not in by_text  # the infobox caption repeating the title is not a passage
    assert by_text["Intro paragraph one."].section == "Introduction"
    assert by_text["Para under background."].section == "Background"
    assert by_text["Detail para."].section == "Background > Details"
    assert by_text["Deep para."].section == "Background > Details > Deeper"
    assert by_text["- Other article"].section == "See also"
    assert by_text["- Another one"].kind == "list_item"
    _check_offsets(WIKI, parsed.passages)


def test_wikipedia_heading_level_resets_path() -> None:
    text = "= T =\n\n== A ==\n=== B ===\nx.\n== C ==\ny.\n"
    sections = [p.section for p in parse("wikipedia", text).passages]
    assert sections == ["A > B", "C"]


def test_wikipedia_malformed_heading_names_line() -> None:
    with pytest.raises(ParseError) as exc:
        parse("wikipedia", "= T =\n\npara\n== Broken =\n", path="x.txt")
    assert "x.txt:4" in str(exc.value)


NEWS = """Headline Here: ‘Quote’

Jane Doe | March 5, 2024 | 9:15pm EDT
Text Audio
00:00 00:00
Font Size
A caption of a photo. (Photo: AP)
A caption of a photo. (Photo: AP)

( – The first paragraph said something.

Second paragraph here.

‘A quoted subheading’

Third paragraph.

mrc merch
"""


def test_news_byline_chrome_and_subheading() -> None:
    parsed = parse("news", NEWS)
    assert parsed.title == "Headline Here: ‘Quote’"
    assert parsed.author == "Jane Doe"
    assert parsed.published_date == "2024-03-05"
    assert parsed.published_time == "21:15"
    texts = [p.text for p in parsed.passages]
    assert texts == [
        "Headline Here: ‘Quote’",
        "The first paragraph said something.",
        "Second paragraph here.",
        "Third paragraph.",
    ]
    assert parsed.passages[-1].section == "Body > A quoted subheading"
    _check_offsets(NEWS, parsed.passages)


def test_news_without_byline_warns_not_fails() -> None:
    parsed = parse("news", "Title\n\nBody text here.\n")
    assert [p.text for p in parsed.passages] == ["Title", "Body text here."]
    assert parsed.warnings


def test_seed_passages_match_offsets(seed_corpus) -> None:
    texts = seed_corpus.texts
    assert len(seed_corpus.passages) > 100
    for p in seed_corpus.passages:
        assert texts[p.source_id][p.char_start : p.char_end] == p.text
    chrome = ("Text Audio", "Font Size", "mrc merch", "00:00")
    assert not any(p.text.startswith(chrome) for p in seed_corpus.passages)
    assert len({p.passage_id for p in seed_corpus.passages}) == len(seed_corpus.passages)
