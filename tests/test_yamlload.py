"""pipeline.yamlload reads every curated file as yaml.safe_load does, and fails the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline import yamlload

ROOT = Path(__file__).resolve().parents[1]


def test_same_data_as_the_pure_python_loader():
    files = [*sorted((ROOT / "raw" / "curated").glob("*.yaml")), ROOT / "raw" / "manifest.yaml",
             ROOT / "schemas" / "dictionary.yaml"]
    assert len(files) > 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yamlload.safe_load(text) == yaml.safe_load(text), path
    # dates, numbers, nulls, booleans and quoting come out typed as before
    doc = "a: 2020-01-03\nb: '2020-01-03'\nc: 1.5\nd: ~\ne: yes\nf: [x, 'y', 3]\n"
    assert yamlload.safe_load(doc) == yaml.safe_load(doc)


def test_a_bad_document_fails_with_the_same_error_and_line():
    bad = "sources:\n  - title: [unclosed\n    file: x\n"
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.safe_load(bad)
    with pytest.raises(yaml.YAMLError) as ours:
        yamlload.safe_load(bad)
    assert str(ours.value) == str(pure.value)
    assert ours.value.problem_mark.line == pure.value.problem_mark.line  # type: ignore[attr-defined]


def test_no_code_is_run():
    with pytest.raises(yaml.YAMLError):
        yamlload.safe_load("!!python/object/apply:os.system ['true']\n")
