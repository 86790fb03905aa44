"""One sentence definition for extraction and validation: a non-public source's quote longer than one
sentence is trimmed to its sentence (or dropped) and reported -- never a reason to publish nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from pipeline.paths import REPO_ROOT
from pipeline.validate import check_provenance, fit_quotes

TEXT = "the envoy met hassan in basra. Karimi replied later that day. nothing else was said."


def _row(rid: str, start: int, end: int) -> dict[str, object]:
    return {"event_id": rid, "source_id": "closed", "passage_id": "closed:p1", "char_start": start,
            "char_end": end, "quote": TEXT[start:end]}


def _check(rows: list[dict[str, object]], public: bool = False) -> list[str]:
    frame = pd.DataFrame(rows)
    return check_provenance("events", frame, {"closed": TEXT}, {"closed:p1": ("closed", 0, len(TEXT))},
                            {"closed": public})


def test_a_quote_across_a_sentence_end_is_trimmed_to_the_sentence_of_its_start() -> None:
    across = TEXT.index("hassan")
    rows = [_row("e1", across, TEXT.index(" replied")), _row("e2", 0, 9)]
    assert _check(rows)  # as extracted, the blocking check refuses it
    report = fit_quotes({"events": rows}, {"closed": TEXT}, {"closed:p1": ("closed", 0, len(TEXT))},
                        {"closed": False})
    assert [r["event_id"] for r in rows] == ["e1", "e2"]
    assert rows[0]["quote"] == "hassan in basra." and rows[0]["char_start"] == across
    assert rows[1]["quote"] == "the envoy"  # one sentence already: untouched
    assert len(report) == 1 and "e1" in report[0] and "trimmed" in report[0]
    assert _check(rows) == []


def test_a_public_source_keeps_long_quotes() -> None:
    rows = [_row("e1", 0, len(TEXT))]
    assert fit_quotes({"events": rows}, {"closed": TEXT}, {"closed:p1": ("closed", 0, len(TEXT))},
                      {"closed": True}) == []
    assert rows[0]["quote"] == TEXT and _check(rows, public=True) == []


# A closed source in the tests' own words: plain sentences, names in lower case, full stops right
# after names (where a statistical model's sentence and the splitter's may disagree).
PLAIN = (
    "Talks in basra\n\nstaff writer | January 6, 2020 | 9:00am EST\n\n"
    "the envoy met ali reza. Hassan karimi said on monday that the talks in basra went well. "
    "the minister, said ali reza. Mr karimi replied that the strike on 3 january 2020 was unlawful.\n\n"
    "yesterday maryam nouri spoke to omar haddad. Officials in baghdad said protests went on. "
    "karimi told reporters that the killing of the general was a crime under international law.\n"
)


def test_a_closed_source_of_plain_sentences_with_lower_case_names_builds(built, tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(built.paths.raw_dir, raw)
    (raw / "sources" / "plain-closed.txt").write_text(PLAIN)
    manifest = yaml.safe_load((raw / "manifest.yaml").read_text())
    manifest["sources"].append({"source_id": "plain-closed", "file": "sources/plain-closed.txt",
                                "title": "Talks in basra", "format": "news", "license": "All rights reserved",
                                "full_text_public": False})
    (raw / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "build"], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    import pyarrow.parquet as pq

    from pipeline.text import sentence_spans

    # every published quote of the closed source is one sentence by the one definition
    quotes = [r["quote"] for t in ("person_mentions", "events", "legal_positions")
              for r in pq.read_table(out / "warehouse" / "parquet" / f"{t}.parquet").to_pylist()
              if r["source_id"] == "plain-closed"]
    assert quotes and all(len(sentence_spans(q)) == 1 for q in quotes)
    report = (out / "warehouse" / "build_report.txt").read_text()
    trimmed = [ln for ln in report.splitlines() if "longer than one sentence" in ln]
    assert all("plain-closed" in ln and ("trimmed" in ln or "dropped" in ln) for ln in trimmed)
