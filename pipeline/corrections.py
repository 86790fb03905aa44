"""Curated corrections (``raw/curated/corrections.yaml``) applied to extracted rows.

A correction names a table, a source and a quote; it applies to the rows of
that table whose quote contains those words (``set`` overwrites fields,
``drop`` removes rows). A correction whose quote no longer occurs in its
source is reported, and one that matches no row is reported too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline import yamlload
from pipeline.errors import CuratedDataError
from schemas.dictionary import load_dictionary


@dataclass(frozen=True)
class Correction:
    table: str
    source_id: str
    quote: str
    set: dict[str, Any]
    drop: bool
    reason: str
    line: int


def load_corrections(curated_dir: Path) -> list[Correction]:
    path = curated_dir / "corrections.yaml"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        data = yamlload.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CuratedDataError("YAML syntax error", path, mark.line + 1 if mark else None) from None
    items = data.get("corrections") or []
    if not isinstance(items, list):
        raise CuratedDataError("'corrections' must be a list", path)
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.lstrip().startswith("- table:")]
    tables = load_dictionary().tables
    out = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else None
        if not isinstance(item, dict) or not item.get("quote") or not item.get("source_id"):
            raise CuratedDataError(f"correction {i + 1} needs table, source_id and quote", path, line)
        table = item.get("table")
        if table not in tables:
            raise CuratedDataError(f"correction {i + 1}: unknown table {table!r}", path, line)
        fields = item.get("set") or {}
        unknown = set(fields) - set(tables[table].column_names)
        if unknown:
            raise CuratedDataError(f"correction {i + 1}: unknown columns {sorted(unknown)}", path, line)
        if not fields and not item.get("drop"):
            raise CuratedDataError(f"correction {i + 1}: needs 'set' or 'drop'", path, line)
        out.append(Correction(table, str(item["source_id"]), str(item["quote"]), dict(fields),
                              bool(item.get("drop")), str(item.get("reason", "")), line or 0))
    return out


def _coerce(table: str, column: str, value: Any) -> Any:
    col = load_dictionary().tables[table].column(column)
    if col.type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def apply_corrections(
    tables: dict[str, list[dict[str, Any]]], corrections: list[Correction], texts: dict[str, str]
) -> list[str]:
    """Apply in place; return report lines for corrections that did not apply."""
    report = []
    for c in corrections:
        if c.table not in tables:
            continue
        if c.quote not in texts.get(c.source_id, ""):
            report.append(f"correction (corrections.yaml:{c.line}) quote no longer in {c.source_id}: {c.quote[:60]!r}")
            continue
        rows = tables[c.table]
        hits = [r for r in rows if r.get("source_id") == c.source_id and c.quote in (r.get("quote") or "")]
        if not hits:
            report.append(f"correction (corrections.yaml:{c.line}) matched no {c.table} row: {c.quote[:60]!r}")
            continue
        if c.drop:
            ids = {id(r) for r in hits}
            tables[c.table] = [r for r in rows if id(r) not in ids]
        else:
            for r in hits:
                for k, v in c.set.items():
                    r[k] = _coerce(c.table, k, v)
    return report
