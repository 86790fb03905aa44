"""Loading the data dictionary (``schemas/dictionary.yaml``) into typed objects.

The dictionary is the single source of table and column names, types,
descriptions, vocabularies and keys; pandera models, the Frictionless schema
and the Datasette metadata are all generated from what this module returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline import yamlload

DICTIONARY_PATH = Path(__file__).with_name("dictionary.yaml")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | number | boolean | date | list
    description: str
    nullable: bool = False
    vocabulary: str | None = None
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    fk: str | None = None  # "table.column"


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    fts: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def foreign_keys(self) -> list[tuple[str, str, str]]:
        """(column, referenced table, referenced column) for every ``fk`` column."""
        out = []
        for c in self.columns:
            if c.fk:
                table, ref = c.fk.split(".")
                out.append((c.name, table, ref))
        return out

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class Dictionary:
    title: str
    description: str
    license: str
    license_url: str
    vocabularies: dict[str, dict[str, str]]
    tables: dict[str, Table] = field(default_factory=dict)

    def allowed(self, column: Column) -> tuple[str, ...] | None:
        """The closed set of values a column takes, if any."""
        if column.enum:
            return column.enum
        if column.vocabulary and column.vocabulary != "role":
            return tuple(self.vocabularies[column.vocabulary])
        return None


def _flatten(items: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


@lru_cache(maxsize=4)
def load_dictionary(path: Path = DICTIONARY_PATH) -> Dictionary:
    data = yamlload.safe_load(path.read_text(encoding="utf-8"))
    tables = {}
    for name, spec in data["tables"].items():
        columns = []
        for c in _flatten(spec["columns"]):
            columns.append(
                Column(
                    name=c["name"],
                    type=c["type"],
                    description=c["description"],
                    nullable=bool(c.get("nullable", False)),
                    vocabulary=c.get("vocabulary"),
                    enum=tuple(c["enum"]) if c.get("enum") else None,
                    pattern=c.get("pattern"),
                    min=c.get("min"),
                    max=c.get("max"),
                    fk=c.get("fk"),
                )
            )
        tables[name] = Table(
            name=name,
            description=spec["description"],
            columns=tuple(columns),
            primary_key=tuple(spec["primary_key"]),
            fts=tuple(spec.get("fts", [])),
        )
    return Dictionary(
        title=data["title"],
        description=data["description"],
        license=data["license"],
        license_url=data["license_url"],
        vocabularies=data["vocabularies"],
        tables=tables,
    )
