"""Extractors: plain, Dagster-free functions reading tables out of passages.

Each extractor takes the corpus (``SourceDoc`` and ``PassageRow`` objects from
``pipeline.corpus``), what earlier extractors produced, and the curated
reference directory (``raw/curated``), and returns rows as dicts keyed by the
published column names of ``schemas/dictionary.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract.entities import EntityIndex, EntityMention

Row = dict[str, Any]
T = TypeVar("T")


class SourceMap(Protocol):
    """Runs a per-source function over every source of the corpus, results in source order.

    An extractor splits its work into a per-source function (which may read only its source's
    text, passages and index entries) and a cross-source merge; whoever calls the extractor
    decides how the per-source part runs (in order here, or memoised and on all cores in
    ``pipeline.sourcemap``). ``stage`` names the function for caches and reports.
    """

    def __call__(self, stage: str, fn: Callable[[SourceDoc, list[PassageRow]], T]) -> list[T]: ...


class Memo(Protocol):
    """Memoises one piece of a cross-source merge: ``memo(stage, inputs, compute)`` returns
    ``compute()``, or what it returned before for the same ``stage`` and ``inputs`` (bytes naming
    exactly what ``compute`` reads, besides the extractor code and curated data). ``compute`` must
    be a function of those inputs alone; its result must pickle. The plain one (``no_memo``)
    always computes; ``pipeline.sourcemap.merge_memo`` keeps results under OUT_DIR across builds.
    """

    def __call__(self, stage: str, inputs: bytes, compute: Callable[[], T]) -> T: ...


def no_memo(stage: str, inputs: bytes, compute: Callable[[], T]) -> T:
    return compute()


def serial_map(docs: Sequence[SourceDoc], passages: Sequence[PassageRow]) -> SourceMap:
    """The plain ``SourceMap``: every source, one after another, in this process."""
    by_source: dict[str, list[PassageRow]] = {}
    for p in passages:
        by_source.setdefault(p.source_id, []).append(p)

    def run(stage: str, fn: Callable[[SourceDoc, list[PassageRow]], T]) -> list[T]:
        return [fn(d, by_source.get(d.source_id, [])) for d in docs]

    return run


@dataclass
class ExtractResult:
    """Tables produced by one extractor, plus lines for the build report."""

    tables: dict[str, list[Row]]
    report: list[str] = field(default_factory=list)
    index: EntityIndex | None = None  # set by the entity extractor


__all__ = ["EntityIndex", "EntityMention", "ExtractResult", "Memo", "Row", "SourceMap", "no_memo", "serial_map"]
