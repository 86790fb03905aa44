"""The pandera models generated from the data dictionary reject what the contract forbids."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import ValidationFailed
from schemas.dictionary import load_dictionary
from schemas.models import empty_frame, frame_from_rows, validate_table


def _event(**over):
    row = {
        "event_id": "e1",
        "date": "2020-01",
        "date_start": dt.date(2020, 1, 1),
        "date_end": dt.date(2020, 1, 31),
        "date_precision": "month",
        "date_text": "January 2020",
        "time_local": None,
        "event_type": "strike",
        "summary": "A strike.",
        "place_id": None,
        "location": None,
        "country": None,
        "killed": 3, "killed_low": 3, "killed_best": 3, "killed_high": 3, "disputed": False,
        "attributed_to": None,
        "mention_count": 1,
        "source_id": "s",
        "passage_id": "s:p",
        "char_start": 0,
        "char_end": 5,
        "quote": "A str",
    }
    row.update(over)
    return row


def test_every_table_has_a_model_and_accepts_empty_frames() -> None:
    for table in load_dictionary().tables:
        validate_table(table, empty_frame(table))


def test_valid_event_passes() -> None:
    validate_table("events", frame_from_rows("events", [_event()]))


@pytest.mark.parametrize(
    ("over", "column", "rule"),
    [
        ({"event_type": "riot"}, "event_type", "isin"),
        ({"date": "3 Jan 2020"}, "date", "str_matches"),
        ({"killed": -1}, "killed", "greater_than_or_equal_to"),
        ({"date_start": "2020-01-01"}, "date_start", "is_date"),
        ({"summary": None}, "summary", "not_nullable"),
        ({"time_local": "1am"}, "time_local", "str_matches"),
    ],
)
def test_violations_name_table_column_row_and_rule(over, column, rule) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_table("events", frame_from_rows("events", [_event(**over)]))
    message = str(exc.value)
    assert "'events'" in message and repr(column) in message and rule in message and "event_id='e1'" in message


def test_duplicate_primary_key_rejected() -> None:
    with pytest.raises(ValidationFailed, match="event_id"):
        validate_table("events", frame_from_rows("events", [_event(), _event()]))


def test_unknown_column_rejected() -> None:
    with pytest.raises(ValidationFailed):
        validate_table("events", frame_from_rows("events", [_event(extra="x")]))


def test_list_column_must_hold_strings() -> None:
    row = {"person_id": "a", "name": "A", "aliases": "A", "description": None, "country": None,
           "mention_count": 1, "first_source_id": "s", "curated": False}
    with pytest.raises(ValidationFailed, match="is_list_of_strings"):
        validate_table("persons", frame_from_rows("persons", [row]))
