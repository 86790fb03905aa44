"""The per-source step of a build with few sources: the model's passes cut into even pieces.

What belongs here: running ``build.analyse_source``'s work for a handful of sources on every
core when whole sources would not share the cores out evenly. With one worker per source, a
build of a 70 KB article and a 4 KB one keeps one core busy for the article while the other
idles after a second (the seeds: 94% of the text in one source). So the work goes out in three
rounds, each spread over the workers by the size of what it reads:

1. NER over every passage (``nlp.ner_spans``), the passages cut into runs of even length;
2. per source, the rules between the passes (``build.read_source``: name detections and the
   sentences to parse, the events' dated sentences included: the extractors' readings of a small
   build run in the build process, one after another, and so parse nothing there and never load
   the model), which read the whole source and stay one task per source;
3. the dependency parse of those sentences (``nlp.parse_sentences``), cut into runs of even
   length, each run's parses returned serialised (``SourceParses``) and joined per source.

Every passage and sentence goes through the model exactly as in ``analyse_source`` (the model's
output for a text does not depend on the batch it shares; ``tests/test_persource.py`` compares),
so the bundles are the same as from one worker per source.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.paths import Paths

# Pieces per worker in rounds 1 and 3: more than one, so that a piece that runs slow (a long
# passage, a busy core) is evened out by the others; few, so that batches stay long.
PIECES_PER_WORKER = 2


def even_runs(sizes: Sequence[int], pieces: int) -> list[tuple[int, int]]:
    """At most ``pieces`` contiguous, non-empty [start, end) runs of indices covering ``sizes``, each
    holding about the same total size (a run ends once it reaches its share of what is left)."""
    runs: list[tuple[int, int]] = []
    start, left, total = 0, pieces, sum(sizes)
    acc = 0
    for i, size in enumerate(sizes):
        acc += size
        if left > 1 and acc * left >= total and i + 1 < len(sizes):
            runs.append((start, i + 1))
            start, total, acc, left = i + 1, total - acc, 0, left - 1
    if start < len(sizes):
        runs.append((start, len(sizes)))
    return runs


def _ner(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    from pipeline.extract import nlp

    return nlp.ner_spans(texts, nlp.load_model())


def _read(args: tuple[SourceDoc, list[PassageRow], dict[str, Any], Paths]) -> tuple[Any, list[Any] | None]:
    """``build.read_source``; no sentences (None) when no model is installed to parse them."""
    from pipeline.build import read_source
    from pipeline.extract import nlp

    parse = nlp.load_model() is not None
    detections, sents = read_source(*args, parse=parse, events=True)
    return detections, sents if parse else None


def _parse(args: tuple[list[Any], dict[str, Any]]) -> Any:
    from pipeline.extract import nlp

    sents, ner = args
    return nlp.SourceParses.from_docs({}, nlp.parse_sentences(sents, ner, nlp.require_model()))


def analyse_sources(sources: Sequence[tuple[SourceDoc, list[PassageRow]]], paths: Paths, pool: Executor,
                    workers: int) -> list[Any]:
    """``build.SourceBundle`` of each (doc, passages), the model's passes spread over ``pool``."""
    from pipeline.build import SourceBundle
    from pipeline.extract.nlp import SourceParses

    pieces = max(1, workers * PIECES_PER_WORKER)
    own = [[p for p in passages if p.source_id == doc.source_id] for doc, passages in sources]
    flat = [p for ps in own for p in ps]
    runs = even_runs([len(p.text) for p in flat], pieces)
    spans = [s for run in pool.map(_ner, [[p.text for p in flat[a:b]] for a, b in runs]) for s in run]
    ner_of = {p.passage_id: s for p, s in zip(flat, spans, strict=True)}
    ners = [{p.passage_id: ner_of[p.passage_id] for p in ps} for ps in own]
    read = list(pool.map(_read, [(doc, passages, ner, paths)
                                 for (doc, passages), ner in zip(sources, ners, strict=True)]))
    sents = [(i, s) for i, (_, wanted) in enumerate(read) for s in wanted or ()]
    # a run that holds the end of one source and the start of the next is parsed as two tasks
    tasks: list[tuple[int, list[Any]]] = []
    for a, b in even_runs([len(s.text) for _, s in sents], pieces):
        first = len(tasks)
        for i, s in sents[a:b]:
            if len(tasks) == first or tasks[-1][0] != i:
                tasks.append((i, []))
            tasks[-1][1].append(s)
    by_source: list[list[Any]] = [[] for _ in sources]
    for (i, _), part in zip(tasks, pool.map(_parse, [(task, {s.passage.passage_id: ner_of[s.passage.passage_id]
                                                             for s in task}) for _, task in tasks]), strict=True):
        by_source[i].append(part)
    return [SourceBundle(doc, passages, detections, None if wanted is None else SourceParses.joined(ner, by_source[i]))
            for i, ((doc, passages), ner, (detections, wanted)) in enumerate(zip(sources, ners, read, strict=True))]
