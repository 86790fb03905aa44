"""Pandera models generated from the data dictionary, and the table validator.

``schema_for(table)`` builds a ``DataFrameSchema`` from ``dictionary.yaml``:
column presence and order, types, nullability, vocabularies, patterns,
ranges and primary-key uniqueness. ``validate_table`` runs it lazily and turns
the first failures into one readable line naming table, column, row and rule.
Cross-table rules (foreign keys, quotes equal to source text) live in
``pipeline.validate``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_types
from pandera.errors import SchemaErrors

from pipeline.errors import ValidationFailed
from schemas.dictionary import Column, Dictionary, load_dictionary

# Published (Parquet/DuckDB) type of each dictionary type.
ARROW_TYPES: dict[str, pa_types.DataType] = {
    "string": pa_types.string(),
    "integer": pa_types.int64(),
    "number": pa_types.float64(),
    "boolean": pa_types.bool_(),
    "date": pa_types.date32(),
    "list": pa_types.list_(pa_types.string()),
}

PANDAS_DTYPES: dict[str, Any] = {
    "string": object,
    "integer": "Int64",
    "number": "float64",
    "boolean": bool,
    "date": object,
    "list": object,
}


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_date(v: Any) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


def _is_str_list(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v)


def _column_schema(col: Column, dictionary: Dictionary) -> pa.Column:
    checks: list[pa.Check] = []
    if col.type == "string":
        checks.append(pa.Check(_is_str, element_wise=True, ignore_na=True, name="is_string"))
        allowed = dictionary.allowed(col)
        if allowed:
            checks.append(pa.Check.isin(list(allowed)))
        if col.pattern:
            checks.append(pa.Check.str_matches(col.pattern))
    elif col.type == "date":
        checks.append(pa.Check(_is_date, element_wise=True, ignore_na=True, name="is_date"))
    elif col.type == "list":
        checks.append(pa.Check(_is_str_list, element_wise=True, ignore_na=False, name="is_list_of_strings"))
    if col.min is not None:
        checks.append(pa.Check.ge(col.min))
    if col.max is not None:
        checks.append(pa.Check.le(col.max))
    return pa.Column(PANDAS_DTYPES[col.type], checks=checks, nullable=col.nullable, coerce=col.type in ("integer", "number"))


@lru_cache(maxsize=32)
def schema_for(table: str) -> pa.DataFrameSchema:
    dictionary = load_dictionary()
    spec = dictionary.tables[table]
    return pa.DataFrameSchema(
        {c.name: _column_schema(c, dictionary) for c in spec.columns},
        strict=True,
        ordered=True,
        unique=list(spec.primary_key),
        name=table,
    )


def empty_frame(table: str) -> pd.DataFrame:
    """A frame with the table's columns and dtypes and no rows."""
    spec = load_dictionary().tables[table]
    return pd.DataFrame({c.name: pd.Series([], dtype=PANDAS_DTYPES[c.type]) for c in spec.columns})


def frame_from_rows(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows (dicts keyed by column name) to a frame in dictionary column order.

    Missing nullable columns become nulls; unknown keys are a validation error
    later (strict schema), so they are kept.
    """
    if not rows:
        return empty_frame(table)
    spec = load_dictionary().tables[table]
    names = spec.column_names
    extra = sorted({k for r in rows for k in r} - set(names))
    frame = pd.DataFrame.from_records(rows, columns=names + extra)
    for c in spec.columns:
        if c.type == "integer":
            frame[c.name] = frame[c.name].astype("Int64")
        elif c.type == "number":
            frame[c.name] = frame[c.name].astype("float64")
        elif c.type in ("string", "date", "list"):
            frame[c.name] = frame[c.name].astype(object).where(frame[c.name].notna(), None)
    return frame


def validate_table(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame``; raise ValidationFailed with a one-line message on failure."""
    try:
        return schema_for(table).validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for _, case in cases.head(3).iterrows():
            column = case.get("column")
            index = case.get("index")
            row_id = ""
            pk = load_dictionary().tables[table].primary_key[0]
            if index is not None and not pd.isna(index) and pk in frame.columns and index in frame.index:
                row_id = f" ({pk}={frame.loc[index, pk]!r})"
            lines.append(
                f"column {column!r} row {index}{row_id}: rule {case.get('check')!r} failed on value "
                f"{str(case.get('failure_case'))[:80]!r}"
            )
        more = f" (+{len(cases) - 3} more)" if len(cases) > 3 else ""
        raise ValidationFailed(f"table {table!r}: " + "; ".join(lines) + more) from None
