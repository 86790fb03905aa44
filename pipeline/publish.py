"""Publishing one release folder from the warehouse's Parquet files.

What belongs here: turning ``<table>.parquet`` (one per table of the data
dictionary) into what users get: ``soleimani.db`` (SQLite for Datasette, with
keys, indexes, full-text search and map views), ``metadata.json`` (Datasette
0.65 metadata generated from the dictionary: descriptions, facets, labels,
canned queries, license and attribution), ``counts.json`` (for
``datasette --inspect-file``) and ``downloads/`` (Parquet and CSV per table,
``datapackage.json``, ``SHA256SUMS``, ``VERSION``, a README). The committed
templates, plugins, static files and settings under ``publish/`` are copied in,
so a release folder serves by itself. Swapping releases is ``pipeline.release``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import sqlite_utils

from pipeline.errors import PipelineError
from pipeline.paths import PUBLISH_ASSETS
from pipeline.serving_indexes import create_serving_indexes, serving_indexes
from schemas.dictionary import Column, Dictionary, Table, load_dictionary
from schemas.models import ARROW_TYPES

DB_NAME = "soleimani"
DB_FILE = f"{DB_NAME}.db"
INSPECT_FILE = "counts.json"
METADATA_FILE = "metadata.json"
DOWNLOADS = "downloads"
# Committed assets copied into every release (a release serves with the templates it was built with).
ASSET_DIRS = ("templates", "plugins", "static")
SETTINGS_FILE = "settings.json"

SQLITE_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": int, "date": str, "list": str}
FRICTIONLESS_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "list": "array",
}
# Tables whose `text` column is withheld when the source's license does not allow republication.
TEXT_TABLES = ("sources", "passages")
LICENSE_TITLES = {"CC-BY-SA-4.0": "CC BY-SA 4.0"}
# Columns offered as facets although they have no vocabulary (low-cardinality by nature), and the
# order facets are shown in (most telling first).
FACET_NAMES = ("country", "source_id", "kind", "role", "first_source_id")
FACET_ORDER = (
    "event_type", "status", "stance", "holder_type", "role", "kind", "format", "country",
    "date_precision", "curated", "full_text_public", "first_source_id", "person_id", "source_id", "section",
)
EXTRA_FACETS = {"passages": ["section"], "person_mentions": ["person_id"]}
ARRAY_FACETS = {"legal_positions": ["legal_basis"]}
LABEL_CANDIDATES = ("name", "title", "holder_name", "summary", "surface", "section")
DEFAULT_SORT = {
    "events": ("date_start", False),
    "plots": ("date_start", False),
    "legal_positions": ("date_start", False),
    "persons": ("mention_count", True),
    "organizations": ("mention_count", True),
}
UNSORTABLE_NAMES = ("text", "quote")


class PublishError(PipelineError):
    """The warehouse cannot be published (missing table, wrong types, broken keys)."""


# ---------------------------------------------------------------- tables in


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=True) for c in table.columns])


def load_tables(parquet_dir: Path, dictionary: Dictionary) -> tuple[dict[str, pa.Table], list[str]]:
    """Every dictionary table from ``parquet_dir``, cast to the dictionary's types and column order."""
    tables: dict[str, pa.Table] = {}
    notes: list[str] = []
    for name, spec in dictionary.tables.items():
        path = parquet_dir / f"{name}.parquet"
        if not path.exists():
            raise PublishError(f"table {name} missing from the warehouse", path)
        raw = pq.read_table(path)
        missing = [c for c in spec.column_names if c not in raw.column_names]
        if missing:
            raise PublishError(f"table {name} lacks dictionary columns {missing}", path)
        extra = [c for c in raw.column_names if c not in spec.column_names]
        if extra:
            notes.append(f"{name}: columns not in the dictionary left out: {extra}")
        try:
            tables[name] = raw.select(spec.column_names).cast(arrow_schema(spec))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise PublishError(f"table {name} does not cast to the dictionary's types: {exc}", path) from exc
    return tables, notes


def withhold_non_public_text(tables: dict[str, pa.Table]) -> dict[str, int]:
    """Null ``text`` of sources not openly licensed, and of their passages (in place); count nulled values."""
    sources = tables["sources"]
    closed = [
        sid
        for sid, public in zip(
            sources.column("source_id").to_pylist(), sources.column("full_text_public").to_pylist(), strict=True
        )
        if not public
    ]
    nulled: dict[str, int] = {}
    closed_arr = pa.array(closed, type=pa.string())
    for name in TEXT_TABLES:
        t = tables[name]
        if "text" not in t.column_names:
            continue
        hide = pc.fill_null(pc.is_in(t.column("source_id"), value_set=closed_arr), False)
        text = t.column("text")
        nulled[name] = int(pc.sum(pc.and_(hide, pc.is_valid(text))).as_py() or 0)
        new_text = pc.if_else(hide, pa.scalar(None, pa.string()), text)
        tables[name] = t.set_column(t.column_names.index("text"), "text", new_text)
    return nulled


def _sqlite_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.type == "list":
        return json.dumps(list(value), ensure_ascii=False)
    if column.type == "date":
        return value.isoformat()
    if column.type == "boolean":
        return int(value)
    return value


def _sqlite_column(column: Column, values: list[Any]) -> list[Any]:
    """A column's values as SQLite stores them (``_sqlite_value``), converted only where the type needs it."""
    if column.type in ("list", "date", "boolean"):
        return [_sqlite_value(column, v) for v in values]
    return values


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _csv_value(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.type == "list":
        return json.dumps(list(value), ensure_ascii=False)
    if column.type == "date":
        return str(value.isoformat())
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "number":
        return repr(float(value))
    return str(value)


def _topological(dictionary: Dictionary) -> list[str]:
    """Table names with every referenced table before the tables referring to it."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str, stack: tuple[str, ...]) -> None:
        if name in seen:
            return
        if name in stack:
            raise PublishError(f"foreign keys form a cycle through {name}")
        for _, ref, _ in dictionary.tables[name].foreign_keys:
            if ref != name:
                visit(ref, (*stack, name))
        seen.add(name)
        order.append(name)

    for name in dictionary.tables:
        visit(name, ())
    return order


# ---------------------------------------------------------------- changes


def load_changes(release_dir: Path, previous_release_dir: Path | None, parquet_dir: Path) -> dict[str, Any]:
    """The change log: ``release_dir/changes.json`` if the caller wrote one, else computed here."""
    path = release_dir / "changes.json"
    if path.exists():
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    if previous_release_dir is None:
        return {"summary": "first release", "tables": {}, "previous_version": None}
    from pipeline.changes import diff_releases

    data = diff_releases(previous_release_dir / DOWNLOADS, parquet_dir)
    data["previous_version"] = _read_version(previous_release_dir)
    return data


def _read_version(release_dir: Path) -> str | None:
    version_file = release_dir / DOWNLOADS / "VERSION"
    if version_file.exists():
        return version_file.read_text(encoding="utf-8").strip() or None
    return release_dir.name


def change_rows(changes: dict[str, Any], version: str) -> list[dict[str, Any]]:
    rows = []
    previous = changes.get("previous_version")
    for table, spec in (changes.get("tables") or {}).items():
        merged_into = spec.get("merged_into") or {}
        for change in ("added", "modified", "deleted", "merged"):
            for row_id in spec.get(change) or []:
                rows.append(
                    {
                        "version": version,
                        "previous_version": previous,
                        "table_name": table,
                        "change": change,
                        "row_id": str(row_id),
                        "new_id": merged_into.get(row_id) if change == "merged" else None,
                    }
                )
    return rows


# ---------------------------------------------------------------- SQLite


def write_sqlite(
    tables: dict[str, pa.Table],
    dictionary: Dictionary,
    path: Path,
    release_row: dict[str, Any],
    changes: list[dict[str, Any]],
) -> dict[str, int]:
    """Build the Datasette database; return the row count of every table."""
    if path.exists():
        path.unlink()
    db = sqlite_utils.Database(path)
    # A new file in a release folder that is swapped in only once complete (``pipeline.release``):
    # a crash mid-write loses nothing, so no journal on disk and no fsync per statement (each
    # create, index and insert batch is a transaction of its own).
    db.execute("PRAGMA journal_mode = MEMORY")
    db.execute("PRAGMA synchronous = OFF")
    counts: dict[str, int] = {}
    for name in _topological(dictionary):
        spec = dictionary.tables[name]
        pk: str | tuple[str, ...] = spec.primary_key[0] if len(spec.primary_key) == 1 else spec.primary_key
        db[name].create(  # type: ignore[union-attr]
            {c.name: SQLITE_TYPES[c.type] for c in spec.columns},
            pk=pk,
            foreign_keys=spec.foreign_keys,
            not_null={c.name for c in spec.columns if not c.nullable},
        )
        cols = spec.columns
        data = tables[name]
        # Plain ``executemany`` of tuples in row order (sqlite-utils' ``insert_all`` builds a dict and
        # a statement per batch and inspects every value: ~5x the CPU for the same rows and rowids).
        columns = [_sqlite_column(c, data.column(c.name).to_pylist()) for c in cols]
        names = ", ".join(_quoted(c.name) for c in cols)
        marks = ", ".join("?" for _ in cols)
        try:
            with db.conn:
                db.conn.executemany(f"INSERT INTO {_quoted(name)} ({names}) VALUES ({marks})",
                                    zip(*columns, strict=True))
        except sqlite3.IntegrityError as exc:
            raise PublishError(f"table {name}: {exc} (duplicate primary key or missing value)") from exc
        counts[name] = data.num_rows
        indexed: set[str] = set()
        for col, _, _ in spec.foreign_keys:
            db[name].create_index([col], if_not_exists=True)  # type: ignore[union-attr]
            indexed.add(col)
        for col in [*_facets(spec, dictionary), "date_start"]:
            if isinstance(col, str) and col in spec.column_names and col not in indexed:
                db[name].create_index([col], if_not_exists=True)  # type: ignore[union-attr]
                indexed.add(col)
        if spec.fts:
            db[name].enable_fts(list(spec.fts), fts_version="FTS5", tokenize="porter")  # type: ignore[union-attr]
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        sample = ", ".join(f"{t} rowid {r} -> {p}" for t, r, p, _ in broken[:5])
        raise PublishError(f"{len(broken)} rows refer to missing rows ({sample})")

    db["releases"].insert(release_row, pk="version")  # type: ignore[union-attr]
    db["changes"].create(  # type: ignore[union-attr]
        {"version": str, "previous_version": str, "table_name": str, "change": str, "row_id": str, "new_id": str},
        pk=("version", "table_name", "row_id"),
    )
    db["changes"].insert_all(changes)  # type: ignore[union-attr]
    db["changes"].create_index(["table_name"])  # type: ignore[union-attr]
    db["changes"].create_index(["change"])  # type: ignore[union-attr]
    facets = {n: [f for f in _facets(t, dictionary) if isinstance(f, str)] for n, t in dictionary.tables.items()}
    filters = {n: [c for c, _, _ in t.foreign_keys] + facets[n] for n, t in dictionary.tables.items()}
    create_serving_indexes(db.conn, serving_indexes(dictionary, DEFAULT_SORT, filters, facets))
    _create_map_views(db)
    db.execute("ANALYZE")
    db.vacuum()
    db.close()
    return counts


def _create_map_views(db: sqlite_utils.Database) -> None:
    # datasette-cluster-map draws any table or view with latitude/longitude columns.
    db.create_view(
        "events_map",
        """
        SELECT e.event_id, e.date, e.date_precision, e.event_type, e.summary,
               p.name AS place, p.country AS place_country, p.latitude, p.longitude, e.source_id
        FROM events e JOIN places p ON p.place_id = e.place_id
        WHERE p.latitude IS NOT NULL AND p.longitude IS NOT NULL
        """,
    )
    db.create_view(
        "plots_map",
        """
        SELECT pl.plot_id, pl.name, pl.status, pl.date, pl.date_precision, pl.summary,
               p.name AS place, p.country AS place_country, p.latitude, p.longitude, pl.source_id
        FROM plots pl JOIN places p ON p.place_id = pl.place_id
        WHERE p.latitude IS NOT NULL AND p.longitude IS NOT NULL
        """,
    )


def inspect_data(db_path: Path) -> dict[str, Any]:
    """What ``datasette inspect`` writes, with the file name relative (the release folder moves)."""
    conn = sqlite3.connect(db_path)
    try:
        counts = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            try:
                counts[table] = {"count": conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]}
            except sqlite3.OperationalError:  # some FTS shadow tables cannot be counted
                counts[table] = {"count": 0}
    finally:
        conn.close()
    return {
        DB_NAME: {
            "hash": _sha256(db_path),
            "size": db_path.stat().st_size,
            "file": DB_FILE,
            "tables": counts,
        }
    }


# ---------------------------------------------------------------- Datasette metadata


def license_title(license_id: str | None) -> str:
    if not license_id:
        return "unknown license"
    return LICENSE_TITLES.get(license_id, license_id)


def column_description(column: Column, dictionary: Dictionary) -> str:
    parts = [column.description.rstrip()]
    if column.type == "list":
        parts.append("A JSON array of strings.")
    elif column.type == "date":
        parts.append("ISO date YYYY-MM-DD.")
    elif column.type == "boolean":
        parts.append("1 = true, 0 = false.")
    vocab = dictionary.vocabularies.get(column.vocabulary or "")
    if vocab:
        parts.append("Values: " + "; ".join(f"{k} = {v.rstrip('.')}" for k, v in vocab.items()) + ".")
    elif column.enum:
        parts.append("Values: " + ", ".join(column.enum) + ".")
    if column.fk:
        parts.append(f"Refers to {column.fk}.")
    return " ".join(parts)


def _facets(spec: Table, dictionary: Dictionary) -> list[Any]:
    facets: list[Any] = []
    for c in spec.columns:
        if c.name in spec.primary_key or c.type == "list":
            continue
        if dictionary.allowed(c) or c.vocabulary or c.type == "boolean" or c.name in FACET_NAMES:
            facets.append(c.name)
    facets += [c for c in EXTRA_FACETS.get(spec.name, []) if c in spec.column_names]
    facets.sort(key=lambda f: FACET_ORDER.index(f) if f in FACET_ORDER else len(FACET_ORDER))
    facets += [{"array": c} for c in ARRAY_FACETS.get(spec.name, []) if c in spec.column_names]
    return facets


def _label_column(spec: Table) -> str | None:
    return next((c for c in LABEL_CANDIDATES if c in spec.column_names), None)


def attribution_entries(attribution: list[dict[str, Any]], sources: pa.Table) -> list[dict[str, Any]]:
    """One entry per source: the caller's attribution, completed from the sources table."""
    by_id = {r["source_id"]: r for r in sources.to_pylist()}
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for given in attribution:
        sid = str(given.get("source_id") or "")
        merged = {**by_id.get(sid, {}), **{k: v for k, v in given.items() if v is not None}}
        merged.pop("text", None)
        entries.append(merged)
        seen.add(sid)
    for sid, row in by_id.items():
        if sid not in seen:
            entries.append({k: v for k, v in row.items() if k != "text"})
    return entries


def _attribution_sentence(entry: dict[str, Any]) -> str:
    title = entry.get("title") or entry.get("source_id") or "untitled"
    who = ", ".join(str(x) for x in (entry.get("author"), entry.get("publisher")) if x)
    if entry.get("full_text_public"):
        what = (
            f"licensed {license_title(entry.get('license'))}; modified: normalised, split into passages "
            "and read into tables"
        )
    else:
        what = "not openly licensed: only its metadata, character offsets and short quotes are published"
    return f"“{title}”" + (f" by {who}" if who else "") + (f" ({entry['url']})" if entry.get("url") else "") + f", {what}."


def _attribution_html(entry: dict[str, Any]) -> str:
    title = html.escape(str(entry.get("title") or entry.get("source_id") or "untitled"))
    link = f'<a href="{html.escape(str(entry["url"]))}">“{title}”</a>' if entry.get("url") else f"“{title}”"
    who = html.escape(", ".join(str(x) for x in (entry.get("author"), entry.get("publisher")) if x))
    if entry.get("full_text_public"):
        what = (
            f"licensed {html.escape(license_title(entry.get('license')))}; <em>modified</em>: normalised, "
            "split into passages and read into tables"
        )
    else:
        what = "not openly licensed: only its metadata, character offsets and short quotes are published"
    return f"<li>{link}" + (f" by {who}" if who else "") + f", {what}.</li>"


def canned_queries(dictionary: Dictionary) -> dict[str, dict[str, Any]]:
    """Canned queries for the common questions (optional parameters: an empty value means all)."""
    types = ", ".join(dictionary.vocabularies.get("event_type", {}))
    return {
        "timeline": {
            "title": "Timeline of events",
            "description": (
                "Every dated event in date order, with the precision of its date (day, month or year: "
                "date_start/date_end span what the text allows). Optional filters: event_type "
                f"({types}), date_from and date_to (YYYY-MM-DD)."
            ),
            "params": ["event_type", "date_from", "date_to"],
            "sql": """
select e.date, e.date_precision, e.date_start, e.date_end, e.time_local, e.event_type, e.summary,
  coalesce(p.name, e.location) as place, e.country, e.killed, e.attributed_to, e.mention_count,
  e.event_id, e.source_id, e.quote
from events e left join places p on p.place_id = e.place_id
where (:event_type = '' or e.event_type = :event_type)
  and (:date_from = '' or e.date_end >= :date_from)
  and (:date_to = '' or e.date_start <= :date_to)
order by e.date_start is null, e.date_start, e.date_end, e.time_local is null, e.time_local, e.event_id""".strip(),
        },
        "events_by_month": {
            "title": "Events by month and type",
            "description": "Counts behind the home page chart: events dated to a day or month, per month and type.",
            "sql": """
select substr(date_start, 1, 7) as month, event_type, count(*) as events
from events
where date_start is not null and date_precision in ('day', 'month')
group by month, event_type
order by month, event_type""".strip(),
        },
        "legal_positions_by_stance": {
            "title": "Legal positions by stance and legal basis",
            "description": "How many stated positions take each stance, per legal basis invoked, and who holds them.",
            "sql": """
select lp.stance, coalesce(b.value, '(none stated)') as legal_basis, count(*) as positions,
  group_concat(distinct lp.holder_name) as holders
from legal_positions lp left join json_each(lp.legal_basis) b
group by lp.stance, legal_basis
order by lp.stance, positions desc, legal_basis""".strip(),
        },
        "legal_positions_with_quotes": {
            "title": "Legal positions with their quotes",
            "description": "Each stated position with its holder, basis and quote. Optional filters: stance, legal_basis.",
            "params": ["stance", "legal_basis"],
            "sql": """
select lp.stance, lp.legal_basis, lp.holder_name, lp.holder_type, lp.subject, lp.date, lp.date_precision,
  lp.quote, lp.source_id, lp.position_id
from legal_positions lp
where (:stance = '' or lp.stance = :stance)
  and (:legal_basis = '' or exists (select 1 from json_each(lp.legal_basis) b where b.value = :legal_basis))
order by lp.stance, lp.date_start is null, lp.date_start, lp.holder_name""".strip(),
        },
        "plots_with_actors": {
            "title": "Plots with their targets and perpetrators",
            "description": "Every plot, attempt or considered operation with its targets, perpetrators and sponsors.",
            "sql": """
select pl.name, pl.status, pl.date, pl.date_precision,
  (select group_concat(coalesce(pe.name, o.name), '; ') from plot_actors a
     left join persons pe on pe.person_id = a.person_id left join organizations o on o.org_id = a.org_id
     where a.plot_id = pl.plot_id and a.role = 'target') as targets,
  (select group_concat(coalesce(pe.name, o.name), '; ') from plot_actors a
     left join persons pe on pe.person_id = a.person_id left join organizations o on o.org_id = a.org_id
     where a.plot_id = pl.plot_id and a.role = 'perpetrator') as perpetrators,
  coalesce(so.name, (select group_concat(coalesce(pe.name, o.name), '; ') from plot_actors a
     left join persons pe on pe.person_id = a.person_id left join organizations o on o.org_id = a.org_id
     where a.plot_id = pl.plot_id and a.role = 'sponsor')) as sponsors,
  pc.name as place, pl.summary, pl.quote, pl.source_id, pl.plot_id
from plots pl
  left join organizations so on so.org_id = pl.sponsor_org_id
  left join places pc on pc.place_id = pl.place_id
order by pl.date_start is null, pl.date_start, pl.name""".strip(),
        },
        "person_dossier": {
            "title": "A person's dossier",
            "description": (
                "Everything about one person (person_id, e.g. qasem-soleimani): every mention, every event "
                "and plot they take part in and every legal position they hold, each with its quote."
            ),
            "params": ["person_id"],
            "sql": """
select * from (
  select 1 as ord, 'mention' as kind, null as date, null as date_start, m.surface as what, null as role,
    m.quote, m.source_id, m.passage_id, m.char_start, m.char_end, m.mention_id as row_id
  from person_mentions m where m.person_id = :person_id
  union all
  select 2, 'event', e.date, e.date_start, e.event_type || ': ' || e.summary, a.role,
    e.quote, e.source_id, e.passage_id, e.char_start, e.char_end, e.event_id
  from event_actors a join events e on e.event_id = a.event_id where a.person_id = :person_id
  union all
  select 3, 'plot', pl.date, pl.date_start, pl.status || ': ' || pl.name, a.role,
    pl.quote, pl.source_id, pl.passage_id, pl.char_start, pl.char_end, pl.plot_id
  from plot_actors a join plots pl on pl.plot_id = a.plot_id where a.person_id = :person_id
  union all
  select 4, 'legal_position', lp.date, lp.date_start, lp.stance || ': ' || lp.subject, 'holder',
    lp.quote, lp.source_id, lp.passage_id, lp.char_start, lp.char_end, lp.position_id
  from legal_positions lp where lp.holder_person_id = :person_id
)
order by ord, date_start is null, date_start, source_id, char_start""".strip(),
        },
        "disputes": {
            "title": "Disputes: where the sources disagree",
            "description": (
                "Every property of a row on which tellings disagree (ten killed, eight killed), one line per "
                "claim so the values stand side by side, each with its source and quote. Dates one day apart "
                "are one value dated in two time zones, noted in the claims, not listed here. Optional filter: "
                "table (events, plots, legal_positions, persons)."
            ),
            "params": ["table"],
            "sql": """
select c."table", c.row_id, c.property, c.value, s.title as source, s.publisher, c.quote, c.note,
  c.source_id, c.passage_id, c.claim_id
from claims c join sources s on s.source_id = c.source_id
where c.disputed and (:table = '' or c."table" = :table)
order by c."table", c.row_id, c.property, c.value, c.source_id""".strip(),
        },
        "release_changes": {
            "title": "Changes in this release",
            "description": "Rows added, modified, deleted or merged (by ID) since the previous release.",
            "sql": """
select c.table_name, c.change, c.row_id, c.new_id, c.version, c.previous_version
from changes c
where c.version = (select version from releases limit 1)
order by c.table_name, c.change, c.row_id""".strip(),
        },
    }


def datasette_metadata(
    dictionary: Dictionary,
    version: str,
    attribution: list[dict[str, Any]],
    changes_summary: str,
) -> dict[str, Any]:
    """Datasette 0.65 metadata: every table and column described from the data dictionary."""
    open_sources = [a for a in attribution if a.get("full_text_public")]
    source = "; ".join(
        f"{a.get('publisher') or a.get('source_id')}: “{a.get('title')}”"
        + (" (modified)" if a.get("full_text_public") else " (metadata and short quotes)")
        for a in attribution
    )
    tables: dict[str, Any] = {}
    for name, spec in dictionary.tables.items():
        meta: dict[str, Any] = {
            "description": spec.description,
            "columns": {c.name: column_description(c, dictionary) for c in spec.columns},
            "facets": _facets(spec, dictionary),
            "sortable_columns": [
                c.name for c in spec.columns if c.type != "list" and c.name not in UNSORTABLE_NAMES
            ],
        }
        label = _label_column(spec)
        if label:
            meta["label_column"] = label
        if name in DEFAULT_SORT and DEFAULT_SORT[name][0] in spec.column_names:
            col, desc = DEFAULT_SORT[name]
            meta["sort_desc" if desc else "sort"] = col
        tables[name] = meta
    tables["releases"] = {"description": "This release: version, build time, previous version, row counts."}
    tables["changes"] = {
        "description": "Change log against the previous release: one row per ID added, modified, deleted or merged.",
        "columns": {
            "table_name": "Table of the changed row.",
            "change": "added, modified, deleted or merged (the ID now redirects to new_id, see redirects).",
            "row_id": "Primary key of the changed row.",
            "new_id": "For a merged ID: the row it merged into.",
            "version": "This release.",
            "previous_version": "The release compared against.",
        },
        "facets": ["table_name", "change"],
    }
    tables["events_map"] = {
        "description": "Events with a place of known coordinates, drawn on a map.",
        "facets": ["event_type", "place"],
    }
    tables["plots_map"] = {
        "description": "Plots with a place of known coordinates, drawn on a map.",
        "facets": ["status", "place"],
    }
    desc_html = (
        f"<p>{html.escape(dictionary.description)}</p>"
        f'<p class="release-version">Release <strong>{html.escape(version)}</strong>. '
        f"Changes since the previous release: {html.escape(changes_summary)}.</p>"
        f"<p>Licensed {html.escape(license_title(dictionary.license))}. Built from:</p><ul>"
        + "".join(_attribution_html(a) for a in attribution)
        + "</ul>"
    )
    return {
        "title": dictionary.title,
        "description_html": desc_html,
        "version": version,
        "license": license_title(dictionary.license),
        "license_url": dictionary.license_url,
        "source": source,
        "source_url": str(open_sources[0]["url"]) if open_sources and open_sources[0].get("url") else None,
        "about": f"Downloads (release {version})",
        "about_url": "/downloads/",
        "extra_css_urls": ["/static/site.css"],
        "databases": {
            DB_NAME: {
                "description": f"Release {version}. {dictionary.description}",
                "license": license_title(dictionary.license),
                "license_url": dictionary.license_url,
                "tables": tables,
                "queries": canned_queries(dictionary),
            }
        },
        "plugins": {
            "datasette-cluster-map": {"latitude_column": "latitude", "longitude_column": "longitude"},
            "soleimani-site": {
                "event_types": list(dictionary.vocabularies.get("event_type", {})),
                "database": DB_NAME,
            },
        },
    }


# ---------------------------------------------------------------- downloads


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_csv(table: pa.Table, spec: Table, path: Path) -> None:
    """RFC 4180 CSV in UTF-8 with a BOM (Excel), CRLF line ends, lists as JSON arrays, null as empty."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(spec.column_names)
        columns = [_csv_column(c, table.column(c.name).to_pylist()) for c in spec.columns]
        writer.writerows(zip(*columns, strict=True))


def _csv_column(column: Column, values: list[Any]) -> list[str]:
    """A column's CSV fields (``_csv_value``), a column at a time: text and integers, most of a
    release, skip the per-value type dispatch."""
    if column.type == "string":
        return ["" if v is None else str(v) for v in values]
    if column.type == "integer":
        return ["" if v is None else str(v) for v in values]
    return [_csv_value(column, v) for v in values]


def frictionless_schema(spec: Table, dictionary: Dictionary) -> dict[str, Any]:
    fields = []
    for c in spec.columns:
        field: dict[str, Any] = {
            "name": c.name,
            "type": FRICTIONLESS_TYPES[c.type],
            "description": column_description(c, dictionary),
        }
        if c.type == "boolean":
            field["trueValues"] = ["true"]
            field["falseValues"] = ["false"]
        constraints: dict[str, Any] = {}
        if not c.nullable:
            constraints["required"] = True
        allowed = dictionary.allowed(c)
        if allowed:
            constraints["enum"] = list(allowed)
        if c.pattern:
            constraints["pattern"] = c.pattern
        if c.min is not None:
            constraints["minimum"] = c.min
        if c.max is not None:
            constraints["maximum"] = c.max
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "fields": fields,
        "primaryKey": list(spec.primary_key),
        "foreignKeys": [
            {"fields": col, "reference": {"resource": ref, "fields": refcol}} for col, ref, refcol in spec.foreign_keys
        ],
        "missingValues": [""],
    }


def _file_entry(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "hash": f"sha256:{_sha256(path)}"}


def datapackage(
    dictionary: Dictionary,
    downloads: Path,
    version: str,
    built_at: str,
    attribution: list[dict[str, Any]],
) -> dict[str, Any]:
    resources = []
    for name, spec in dictionary.tables.items():
        csv_path = downloads / f"{name}.csv"
        parquet_path = downloads / f"{name}.parquet"
        resources.append(
            {
                "name": name,
                "path": csv_path.name,
                "profile": "tabular-data-resource",
                "title": name,
                "description": spec.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
                **_file_entry(csv_path),
                "schema": frictionless_schema(spec, dictionary),
                # The same rows as Parquet (typed: list<string>, date32, bool); not validated by frictionless.
                "alternates": [
                    {
                        "path": parquet_path.name,
                        "format": "parquet",
                        "mediatype": "application/vnd.apache.parquet",
                        **_file_entry(parquet_path),
                    }
                ],
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "soleimani-assassination-dataset",
        "title": dictionary.title,
        "description": dictionary.description,
        "version": version,
        "created": built_at,
        "licenses": [
            {"name": dictionary.license, "path": dictionary.license_url, "title": license_title(dictionary.license)}
        ],
        "sources": [
            {
                "title": str(a.get("title") or a.get("source_id")),
                **({"path": str(a["url"])} if a.get("url") else {}),
                "attribution": _attribution_sentence(a),
            }
            for a in attribution
        ],
        "resources": resources,
    }


def downloads_readme(dictionary: Dictionary, version: str, attribution: list[dict[str, Any]]) -> str:
    lines = [
        f"# {dictionary.title}: release {version}",
        "",
        dictionary.description,
        "",
        "## Files",
        "",
        "- `<table>.csv`: one per table. UTF-8 with a byte-order mark (so Excel opens it as UTF-8),",
        "  RFC 4180 (comma-separated, fields quoted with `\"` where needed, `\"\"` inside quotes, CRLF",
        "  line ends), a header row with the column names. An empty field is a null. List columns",
        "  (e.g. `aliases`, `legal_basis`) are JSON arrays of strings; dates are ISO `YYYY-MM-DD`;",
        "  booleans are `true`/`false`.",
        "- `<table>.parquet`: the same rows, typed (lists are `list<string>`, dates `date32`).",
        f"- `{DB_FILE}`: the SQLite database served by Datasette (lists as JSON text, dates as ISO text,",
        "  booleans as 0/1, full-text search tables, views `events_map` and `plots_map`).",
        "- `datapackage.json`: Frictionless Data Package: every table's schema (types, descriptions,",
        "  vocabularies, primary and foreign keys), bytes and sha256 of every file.",
        "  Check with `frictionless validate datapackage.json`.",
        "- `changes.json`: rows added, modified, deleted and merged (by ID) since the previous release;",
        "  a merged ID is listed in `redirects` with the ID of the row it merged into.",
        "- `SHA256SUMS`: checksums (`sha256sum -c SHA256SUMS`). `VERSION`: the release version.",
        "",
        "## Tables",
        "",
    ]
    lines += [f"- `{name}`: {spec.description}" for name, spec in dictionary.tables.items()]
    lines += [
        "",
        "## License and attribution",
        "",
        f"{license_title(dictionary.license)} ({dictionary.license_url}). Built from:",
        "",
    ]
    lines += [f"- {_attribution_sentence(a)}" for a in attribution]
    return "\n".join(lines) + "\n"


def write_downloads(
    tables: dict[str, pa.Table],
    dictionary: Dictionary,
    downloads: Path,
    db_path: Path,
    version: str,
    built_at: str,
    attribution: list[dict[str, Any]],
    changes: dict[str, Any],
) -> dict[str, Any]:
    downloads.mkdir(parents=True, exist_ok=True)
    for name, spec in dictionary.tables.items():
        pq.write_table(tables[name], downloads / f"{name}.parquet")
        write_csv(tables[name], spec, downloads / f"{name}.csv")
    try:  # the same bytes under two names of one immutable release: a hard link, not a second copy
        os.link(db_path, downloads / DB_FILE)
    except OSError:
        shutil.copyfile(db_path, downloads / DB_FILE)
    (downloads / "changes.json").write_text(json.dumps(changes, indent=1, ensure_ascii=False) + "\n", "utf-8")
    (downloads / "VERSION").write_text(version + "\n", encoding="utf-8")
    (downloads / "README.md").write_text(downloads_readme(dictionary, version, attribution), encoding="utf-8")
    package = datapackage(dictionary, downloads, version, built_at, attribution)
    (downloads / "datapackage.json").write_text(
        json.dumps(package, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    sums = {p.name: _sha256(p) for p in sorted(downloads.iterdir()) if p.is_file() and p.name != "SHA256SUMS"}
    (downloads / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, h in sums.items()), encoding="utf-8")
    return {name: {"bytes": (downloads / name).stat().st_size, "sha256": h} for name, h in sums.items()}


# ---------------------------------------------------------------- the release


def _built_at() -> str:
    # SOURCE_DATE_EPOCH makes builds reproducible (the reproducible-builds.org convention).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.isoformat(timespec="seconds")


def copy_assets(release_dir: Path, assets: Path = PUBLISH_ASSETS) -> None:
    for name in ASSET_DIRS:
        src = assets / name
        if src.is_dir():
            shutil.copytree(
                src, release_dir / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True
            )
        else:
            (release_dir / name).mkdir(exist_ok=True)
    settings = assets / SETTINGS_FILE
    if settings.exists():
        shutil.copyfile(settings, release_dir / SETTINGS_FILE)


def build_release(
    parquet_dir: Path,
    release_dir: Path,
    version: str,
    sources_attribution: list[dict[str, Any]],
    previous_release_dir: Path | None = None,
) -> dict[str, Any]:
    """Write a complete, self-serving release into ``release_dir`` and return a summary.

    ``sources_attribution``: one dict per source (source_id, title, publisher, author, url,
    license, full_text_public); missing fields are completed from the sources table.
    """
    dictionary = load_dictionary()
    release_dir.mkdir(parents=True, exist_ok=True)
    tables, notes = load_tables(parquet_dir, dictionary)
    withheld = withhold_non_public_text(tables)
    attribution = attribution_entries(sources_attribution, tables["sources"])
    changes = load_changes(release_dir, previous_release_dir, parquet_dir)
    changes.setdefault("version", version)
    built_at = _built_at()
    counts_by_table = {name: t.num_rows for name, t in tables.items()}
    release_row = {
        "version": version,
        "built_at": built_at,
        "previous_version": changes.get("previous_version"),
        "changes": str(changes.get("summary") or ""),
        "row_counts": json.dumps(counts_by_table),
        "license": dictionary.license,
        "license_url": dictionary.license_url,
    }
    db_path = release_dir / DB_FILE
    counts = write_sqlite(tables, dictionary, db_path, release_row, change_rows(changes, version))
    (release_dir / INSPECT_FILE).write_text(json.dumps(inspect_data(db_path), indent=1) + "\n", encoding="utf-8")
    metadata = datasette_metadata(dictionary, version, attribution, str(changes.get("summary") or "none"))
    (release_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=1, ensure_ascii=False) + "\n", "utf-8")
    files = write_downloads(
        tables, dictionary, release_dir / DOWNLOADS, db_path, version, built_at, attribution, changes
    )
    copy_assets(release_dir)
    return {
        "version": version,
        "built_at": built_at,
        "database": str(db_path),
        "rows": counts,
        "text_withheld": withheld,
        "changes": changes.get("summary"),
        "downloads": files,
        "notes": notes,
    }

