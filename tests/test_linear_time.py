"""Text handling stays linear on long paragraphs: 10x the text may cost about 10x the time, never 100x.

Each scan is timed on ~50 KB and ~500 KB of text, both run-on (a paragraph with no sentence
end, as OCR output, tables and scraped pages give) and ordinary sentences. The minimum of a
few repeats resists noise from a busy machine; the bound (25) sits far below quadratic (100)
and well above linear (10).
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable

import pandas as pd
import pytest

from pipeline.corpus import PassageRow, SourceDoc, passage_ids
from pipeline.extract import legal, persons, plots
from pipeline.extract.dates import DateContext, find_dates
from pipeline.extract.entities import EntityIndex
from pipeline.extract.places import find_places, load_gazetteer
from pipeline.parsers.news import parse_news
from pipeline.paths import REPO_ROOT
from pipeline.text import MAX_SENTENCE_CHARS, SpanSet, sentence_spans
from pipeline.validate import check_provenance

CURATED = REPO_ROOT / "raw" / "curated"

SMALL, LARGE = 50_000, 500_000
MAX_RATIO = 25.0

# Clauses in the tests' own words: names, titles with a full stop, initials, dates, numbers.
CLAUSES = [
    "the council met again in the capital on Monday",
    "Dr. Reyes said the drone strike near the airport killed two guards",
    "officials in Baghdad and Tehran condemned the attack within hours",
    "on 5 January 2020 the parliament voted to ask foreign troops to leave",
    "a spokesman for the ministry told reporters that the talks were over",
    "Gen. A. B. Moreno described the operation as lawful self-defence",
    "the U.N. rapporteur concluded that the killing was arbitrary",
    "three days later the embassy was hit by rockets fired from the east",
    "the minister, speaking in Geneva, called it an act of war",
    "protesters gathered outside the consulate until late at night",
]


def run_on(size: int, seed: int = 3) -> str:
    """One paragraph of ``size`` characters without a sentence end."""
    rng = random.Random(seed)
    parts: list[str] = []
    n = 0
    while n < size:
        clause = rng.choice(CLAUSES)
        parts.append(clause)
        n += len(clause) + 2
    return ", ".join(parts)[:size]


def sentences(size: int, seed: int = 3) -> str:
    """Ordinary sentences, ``size`` characters in all."""
    rng = random.Random(seed)
    parts: list[str] = []
    n = 0
    while n < size:
        clause = rng.choice(CLAUSES)
        parts.append(clause[0].upper() + clause[1:] + ".")
        n += len(clause) + 2
    return " ".join(parts)[:size]


def _calls_for(fn: Callable[[], object]) -> tuple[int, float]:
    """How many calls make a timing of about 50 ms (a 2 ms scan timed once is mostly noise), and
    the seconds of this first call."""
    t0 = time.process_time()
    fn()
    first = time.process_time() - t0
    return max(1, int(0.05 / max(first, 1e-6))), first


def ratio(scan: Callable[[str], object], make: Callable[[int], str], repeats: int = 5
          ) -> tuple[float, float, float]:
    """(seconds per scan of LARGE, of SMALL, their ratio) for ``scan`` over text made by ``make``.

    CPU time of this process (the scans are single-threaded Python), small and large timed in
    turn so both see the same machine, the minimum of ``repeats`` kept: other processes on a
    busy machine then barely move the ratio."""
    small, large = make(SMALL), make(LARGE)
    scan(make(5_000))  # warm caches (curated words, compiled patterns)
    first = {SMALL: _calls_for(lambda: scan(small)), LARGE: _calls_for(lambda: scan(large))}
    calls = {size: n for size, (n, _) in first.items()}
    # a first call long enough is a timing already
    best = {size: t if n == 1 else float("inf") for size, (n, t) in first.items()}
    for _ in range(repeats):
        for size, text in ((SMALL, small), (LARGE, large)):
            t0 = time.process_time()
            for _ in range(calls[size]):
                scan(text)
            best[size] = min(best[size], (time.process_time() - t0) / calls[size])
    return best[LARGE], best[SMALL], best[LARGE] / max(best[SMALL], 1e-5)


KINDS = {"run-on": run_on, "sentences": sentences}


@pytest.mark.parametrize("kind", list(KINDS))
def test_sentence_splitter_is_linear(kind: str) -> None:
    t_large, t_small, r = ratio(sentence_spans, KINDS[kind])
    assert r < MAX_RATIO, f"{kind}: {t_small:.4f}s for 50 KB, {t_large:.4f}s for 500 KB (x{r:.1f})"


def test_splitter_cuts_run_on_text_at_clause_marks_and_finds_every_end_in_sentences() -> None:
    text = run_on(5_000)
    spans = sentence_spans(text)
    # no sentence end: pieces of at most MAX_SENTENCE_CHARS, cut after a comma, covering the text
    assert len(spans) == 3 and all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert all(text[e - 1] == "," and text[e:s2] == " " for (_, e), (s2, _) in itertools.pairwise(spans))
    assert spans[0][0] == 0 and spans[-1][1] == len(text.rstrip())
    # a run with no mark at all is cut at a space; one without spaces, hard
    words = ("lorem ipsum dolor " * 300).strip()
    assert all(words[e] == " " for _, e in sentence_spans(words)[:-1])
    assert [e - s for s, e in sentence_spans("x" * 4500)] == [2000, 2000, 500]
    clauses = [c[0].upper() + c[1:] + "." for c in CLAUSES * 3]
    text = " ".join(clauses)
    ends = [len(" ".join(clauses[: i + 1])) for i in range(len(clauses))]
    # "Dr.", "Gen.", "A. B." and "U.N." end no sentence; every clause's full stop does
    assert [e for _, e in sentence_spans(text)] == ends


def test_splitter_on_runs_of_marks_and_spaces_is_linear() -> None:
    # Long runs of full stops (table-of-contents leaders) and of spaces must not be rescanned.
    def make(size: int) -> str:
        unit = "Chapter one " + "." * 200 + " " * 200 + "page 4 "
        return (unit * (size // len(unit) + 1))[:size]

    t_large, t_small, r = ratio(sentence_spans, make)
    assert r < MAX_RATIO, f"{t_small:.4f}s for 50 KB, {t_large:.4f}s for 500 KB (x{r:.1f})"


def _provenance_scan(text: str) -> list[str]:
    """check_provenance over one closed source: a row per 100 characters and one quoting it all."""
    spans = [(s, min(s + 80, len(text))) for s in range(0, len(text) - 1, 100)] + [(0, len(text))]
    frame = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(len(spans))],
            "source_id": "closed",
            "passage_id": "closed:p1",
            "char_start": [s for s, _ in spans],
            "char_end": [e for _, e in spans],
            "quote": [text[s:e] for s, e in spans],
        }
    )
    for column in ("event_type", "date_start", "summary"):  # columns check_provenance does not read
        frame[column] = None
    return check_provenance("events", frame, {"closed": text}, {"closed:p1": ("closed", 0, len(text))},
                            {"closed": False})


@pytest.mark.parametrize("kind", list(KINDS))
def test_check_provenance_is_linear(kind: str) -> None:
    t_large, t_small, r = ratio(_provenance_scan, KINDS[kind])
    assert r < MAX_RATIO, f"{kind}: {t_small:.4f}s for 50 KB, {t_large:.4f}s for 500 KB (x{r:.1f})"
    # and it still refuses the quote longer than one sentence of a closed source
    problems = _provenance_scan(sentences(2_000))
    assert problems and all("longer than one sentence" in p for p in problems)


# --------------------------------------------------------------------------- extractors' scans

NEWS_HEAD = "A headline about the strike\n\nJo Writer | January 9, 2020 | 9:15am EST\n\n"


def _source(body: str) -> tuple[SourceDoc, list[PassageRow]]:
    """One closed news source whose body is ``body`` (one paragraph), read by the news parser."""
    text = NEWS_HEAD + body + "\n"
    parsed = parse_news(text, curated_dir=CURATED)
    doc = SourceDoc("timing-source", "news", text, "Timing", parsed.published_date, None, False, "0")
    ids = passage_ids(doc.source_id, [(p.section, p.text) for p in parsed.passages])
    passages = [PassageRow(pid, doc.source_id, p.section, i, p.char_start, p.char_end, p.text, p.kind)
                for i, (pid, p) in enumerate(zip(ids, parsed.passages, strict=True))]
    return doc, passages


def _rule_scans(body: str) -> None:
    """Every extractor's rule-based reading of one source (no statistical model): names and
    organizations, dates and places (what events are read from), the sentences plots and legal
    positions would parse. (Events themselves read parses: bench/longtext.py times a real build.)"""
    doc, passages = _source(body)
    curated = persons.load_curated(CURATED)
    found = persons.detect_mentions(doc, passages, curated, use_ner=False)
    index = persons.assemble([found], [doc], curated).index or EntityIndex()
    ctx = DateContext.for_source(doc, passages, CURATED)
    gazetteer = load_gazetteer(CURATED)
    for p in passages:
        ctx.begin_passage(p.section)
        find_dates(doc.text, p.char_start, p.char_end, ctx)
        find_places(doc.text, p.char_start, p.char_end, gazetteer, index.in_span(doc.source_id, p.char_start,
                                                                                  p.char_end))
    plots.parse_candidates(doc, passages, CURATED, [(m.char_start, m.char_end) for m in found.persons])
    legal.parse_candidates(doc, passages, CURATED)


@pytest.mark.parametrize("kind", list(KINDS))
def test_extractor_rule_scans_are_linear(kind: str) -> None:
    # seconds per run at 500 KB: two runs (CPU time), their noise is small against their length
    t_large, t_small, r = ratio(_rule_scans, KINDS[kind], repeats=1)
    assert r < MAX_RATIO, f"{kind}: {t_small:.3f}s for 50 KB, {t_large:.3f}s for 500 KB (x{r:.1f})"


def test_span_set_answers_as_a_scan_of_every_span_would() -> None:
    rng = random.Random(11)
    for _ in range(500):
        spans = [(a, a + rng.randint(0, 15)) for a in (rng.randint(0, 60) for _ in range(rng.randint(0, 8)))]
        found = SpanSet(spans[:3])
        for s, e in spans[3:]:
            found.add(s, e)
        for p in range(-2, 80):
            q = p + rng.randint(0, 10)
            assert found.inside(p) == any(s < p < e for s, e in spans)
            assert found.covers(p) == any(s <= p < e for s, e in spans)
            assert found.overlaps(p, q) == any(s < q and p < e for s, e in spans)
            assert found.encloses(p, q) == any(s <= p and q <= e and e - s > q - p for s, e in spans)
