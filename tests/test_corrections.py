"""Curated corrections: applied by quote, reported when their quote is gone, strict about shape."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.corrections import apply_corrections, load_corrections
from pipeline.errors import CuratedDataError

TEXT = "On 3 January 2020 a drone strike hit the convoy. Days later, protesters marched."


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "corrections.yaml").write_text(body)
    return tmp_path


def _rows():
    return {
        "events": [
            {"event_id": "a", "source_id": "s", "quote": "a drone strike hit the convoy", "date": "2020-01"},
            {"event_id": "b", "source_id": "s", "quote": "protesters marched", "date": None},
        ]
    }


def test_set_and_drop_apply_by_quote(tmp_path: Path) -> None:
    cur = _write(tmp_path, """corrections:
  - table: events
    source_id: s
    quote: drone strike hit
    set: {date: '2020-01-03', date_start: '2020-01-03'}
    reason: day is stated
  - table: events
    source_id: s
    quote: protesters marched
    drop: true
""")
    rows = _rows()
    report = apply_corrections(rows, load_corrections(cur), {"s": TEXT})
    assert report == []
    assert [r["event_id"] for r in rows["events"]] == ["a"]
    assert rows["events"][0]["date"] == "2020-01-03"
    assert rows["events"][0]["date_start"] == dt.date(2020, 1, 3)


def test_correction_whose_quote_is_gone_is_reported_with_its_line(tmp_path: Path) -> None:
    cur = _write(tmp_path, """corrections:
  - table: events
    source_id: s
    quote: a sentence removed from the article
    drop: true
""")
    rows = _rows()
    report = apply_corrections(rows, load_corrections(cur), {"s": TEXT})
    assert len(report) == 1 and "corrections.yaml:2" in report[0] and "no longer" in report[0]
    assert len(rows["events"]) == 2


def test_malformed_correction_names_file_and_line(tmp_path: Path) -> None:
    cur = _write(tmp_path, "corrections:\n  - table: nope\n    source_id: s\n    quote: x\n    drop: true\n")
    with pytest.raises(CuratedDataError) as exc:
        load_corrections(cur)
    assert "corrections.yaml:2" in str(exc.value) and "unknown table" in str(exc.value)
