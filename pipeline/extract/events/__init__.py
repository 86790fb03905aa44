"""Events: dated occurrences, their tellings, actors and places, read from the text of any source.

What belongs here: turning each dated clause of a source into an event mention
(``find_event_mentions``, one source at a time: date from ``pipeline.extract.dates``, type
from curated trigger words, summary, place, number killed, attribution, actors), and merging
the mentions of all sources into events (``merge_event_mentions``: the same occurrence told
twice -- in one source or two -- is one event with several ``event_mentions``).
``extract_events`` runs both and returns the ``events``, ``event_mentions``, ``event_actors``
and ``places`` tables.

Rules, in brief (curated words in ``raw/curated/event_types.yaml`` and ``places.yaml``):
- one event mention per dated occurrence: every resolvable date of a narrative sentence outside
  quotations, with the clause it belongs to (a sentence with two dates gives two mentions);
- the type comes from the trigger nearest the date (after an opening date, before a closing
  one), a reporting verb yielding to the event noun it announces;
- tellings merge when dates agree (a coarser date may join a finer one), types are compatible,
  nothing conflicts (place country, time, number killed) and enough is shared: participants in
  the same role, the place or a place containing it, the trigger group, distinctive words;
- then, on one day, tellings of one kind that nothing tells apart merge too (a telling that
  fits two occurrences told apart stays alone).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract import ExtractResult, Memo, SourceMap, no_memo, serial_map
from pipeline.extract.dates import prepare as prepare_dates
from pipeline.extract.entities import EntityIndex
from pipeline.extract.events.coarse import CoarseScores
from pipeline.extract.events.mention import EventMention
from pipeline.extract.events.merge import (
    _PRECISION_RANK,
    MERGE_THRESHOLD,
    STATEMENT_THRESHOLD,
    TIME_SLACK,
    _contains,
    _Event,
    _merge_same_kind,
    merge_event_mentions,
    pair_score,
    same_occurrence,
)
from pipeline.extract.events.reading import find_event_mentions, parse_candidates
from pipeline.extract.events.rows import build_tables
from pipeline.extract.events.rules import EVENT_TYPES, Rules, Trigger, load_rules
from pipeline.extract.events.tolls import SUMMARY_MAX, _injured, _killed
from pipeline.extract.nlp import SourceParses
from pipeline.extract.places import PlaceHit, load_gazetteer
from pipeline.extract.sentences import Parser

__all__ = [
    "EVENT_TYPES",
    "MERGE_THRESHOLD",
    "STATEMENT_THRESHOLD",
    "SUMMARY_MAX",
    "TIME_SLACK",
    "_PRECISION_RANK",
    "EventMention",
    "Rules",
    "Trigger",
    "_Event",
    "_contains",
    "_injured",
    "_killed",
    "_merge_same_kind",
    "build_tables",
    "extract_events",
    "find_event_mentions",
    "load_rules",
    "merge_event_mentions",
    "pair_score",
    "parse_candidates",
    "same_occurrence",
]


def extract_events(
    docs: list[SourceDoc],
    passages: list[PassageRow],
    entities: EntityIndex,
    curated_dir: Path,
    source_map: SourceMap | None = None,
    preparsed: Mapping[str, SourceParses] | None = None,
    memo: Memo = no_memo,
    coarse: CoarseScores | None = None,
) -> ExtractResult:
    """The events, event_mentions, event_actors and places tables of the corpus.
    ``source_map`` runs the per-source reading (default: in order, in this process); ``preparsed``:
    sentence parses made by the per-source step, by source_id (others are parsed here); ``memo``
    keeps the merge of each day's tellings (``merge_event_mentions``); ``coarse``: the month- and
    year-dated tellings' scores of the last build, which this merge updates (``events.coarse``)."""
    # Curated words and patterns are compiled once (and cached) before the clock starts.
    parser = Parser(preparsed)
    gaz = load_gazetteer(curated_dir)
    load_rules(curated_dir)
    prepare_dates(curated_dir)
    t0 = time.perf_counter()
    report: list[str] = []
    mentions: list[EventMention] = []
    place_hits: list[PlaceHit] = []
    texts = {d.source_id: d.text for d in docs}

    def of_source(doc: SourceDoc, ps: list[PassageRow]) -> tuple[list[EventMention], list[PlaceHit], list[str]]:
        lines: list[str] = []
        ms, hits = find_event_mentions(doc, sorted(ps, key=lambda p: p.char_start), entities, curated_dir, lines,
                                       parser)
        return ms, hits, lines

    run = source_map or serial_map(docs, passages)
    for rank, (ms, hits, lines) in enumerate(run("events", of_source)):
        report.extend(lines)
        for m in ms:
            m.order = (rank, m.char_start)
        mentions.extend(ms)
        place_hits.extend(hits)
    events = merge_event_mentions(mentions, gaz, memo, coarse)
    tables = build_tables(events, place_hits, texts, gaz)
    unknown = sorted({h.place.name for h in place_hits if not h.place.curated})
    for name in unknown:
        report.append(f"places: {name!r} is not in places.yaml (published without coordinates)")
    nbytes = sum(len(t) for t in texts.values())
    dt_s = time.perf_counter() - t0
    report.append(
        f"events: {len(tables['events'])} events from {len(tables['event_mentions'])} mentions, "
        f"{len(tables['event_actors'])} actors, {len(tables['places'])} places "
        f"in {dt_s:.2f}s ({nbytes / max(dt_s, 1e-9) / 1e6:.2f} MB/s)"
    )
    return ExtractResult(tables=tables, report=report)
