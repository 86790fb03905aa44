"""Fuzzing the readers and parsers: nothing but the project's own error types escapes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.parsers import parse
from pipeline.text import sentence_spans
from pipeline.textnorm import decode_source

LINES = st.sampled_from(
    ["= T =", "== H ==", "===X===", "==== Y ====", "== broken =", "- Key: value", "- item", "", "Para one.",
     "Jane Doe | March 5, 2024 | 9:15pm EDT", "Text Audio", "mrc merch", "( – Lead para.", "A caption (Photo: AP)",
     "‘Sub heading’", "On 3 January 2020, X happened.", "\ufeff", "\r", "  "]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=25), st.sampled_from(["wikipedia", "news"]))
def test_parsers_raise_only_project_errors_and_keep_offsets(lines: list[str], fmt: str) -> None:
    try:
        text = decode_source("\n".join(lines).encode("utf-8", "surrogatepass"), "fuzz.txt")
        parsed = parse(fmt, text, path="fuzz.txt")
    except PipelineError:
        return
    except UnicodeEncodeError:
        return  # lone surrogates cannot be written to a file in the first place
    for p in parsed.passages:
        assert text[p.char_start : p.char_end] == p.text
        for s, e in sentence_spans(text, p.char_start, p.char_end):
            assert p.char_start <= s < e <= p.char_end


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_decoder_raises_only_source_errors(data: bytes) -> None:
    try:
        text = decode_source(data, "fuzz.bin")
    except PipelineError:
        return
    assert "\r" not in text and not text.startswith("\ufeff")
