"""Extractors: plain, Dagster-free functions reading tables out of passages.

Each extractor takes the corpus (``SourceDoc`` and ``PassageRow`` objects from
``pipeline.corpus``), what earlier extractors produced, and the curated
reference directory (``raw/curated``), and returns rows as dicts keyed by the
published column names of ``schemas/dictionary.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.extract.entities import EntityIndex, EntityMention

Row = dict[str, Any]


@dataclass
class ExtractResult:
    """Tables produced by one extractor, plus lines for the build report."""

    tables: dict[str, list[Row]]
    report: list[str] = field(default_factory=list)
    index: EntityIndex | None = None  # set by the entity extractor


__all__ = ["EntityIndex", "EntityMention", "ExtractResult", "Row"]
