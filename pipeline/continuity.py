"""Identifier continuity across releases: a row keeps the ID it was first published under.

What belongs here: comparing a build's freshly extracted tables with the previous release and
renaming rows so that published IDs survive merges. Extractors derive an event's or plot's ID
from its first telling and a person's from the canonical name; when a revised source brings a
new telling that joins an existing event and comes first, the fresh ID is new and the published
one would vanish. Here each new row of an entity table (``ENTITY_TABLES``) looks at its claim
keys (its mentions' IDs, its own provenance, or for tables without mentions its names) that
were published before under some old ID. The row takes the earliest-published old ID it still
claims; every other old ID it absorbed is listed in ``redirects`` (old_id, new_id, table,
release), and every reference to a renamed ID is rewritten along the foreign keys of the data
dictionary. Redirects of earlier releases are carried forward with chains collapsed; a redirect
never points at a missing row, and an ID whose telling is gone with no successor is a plain
deletion.

The previous release is the current ``publish/site`` folder: its Parquet downloads, and
``ids.json`` (``LEDGER_FILE``), the release ordinal at which each live ID was first published
(written by ``write_ledger`` at publish time). Nothing here imports Dagster.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.errors import PipelineError
from pipeline.extract import ExtractResult
from schemas.dictionary import load_dictionary

Row = dict[str, Any]  # as pipeline.extract.Row

# Tables whose rows stand for a thing (an occurrence, a plot, a person, an organization) that
# other releases and other sites link to; rows of the other tables are tellings of these.
ENTITY_TABLES = ("events", "plots", "persons", "organizations")
REDIRECTS = "redirects"
LEDGER_FILE = "ids.json"
DOWNLOADS = "downloads"
# A mention table: a table whose rows are tellings of one entity row (its primary key is this
# column and it has a foreign key to the entity table).
MENTION_KEY = "mention_id"
# A polymorphic reference (the claims table: ``table`` names the table, ``row_id`` the row).
POLY_TABLE, POLY_ROW = "table", "row_id"


class ContinuityError(PipelineError):
    """The renaming would publish two rows under one ID (a defect, never expected)."""


@dataclass
class Previous:
    """What the previous release published, as far as continuity needs it."""

    version: str
    ordinal: int  # position of the release in the chain of releases (1 = first)
    tables: dict[str, list[Row]]
    first_published: dict[str, dict[str, int]]  # table -> live ID -> ordinal of its first release


@dataclass
class Plan(ExtractResult):
    """The outcome for one build, read like an extractor's result: ``tables`` holds the
    redirects table, ``report`` the report lines; ``renames`` the IDs kept, per table."""

    tables: dict[str, list[Row]] = field(default_factory=lambda: {REDIRECTS: []})
    renames: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> fresh ID -> kept ID

    @property
    def redirects(self) -> list[Row]:
        return self.tables[REDIRECTS]


def refers_to_entities(table: str) -> bool:
    """Whether ``table``'s rows hold entity IDs (its key, a foreign key, or a (table, row_id) pair)."""
    spec = load_dictionary().tables[table]
    return (
        table in ENTITY_TABLES
        or any(ref in ENTITY_TABLES for _, ref, _ in spec.foreign_keys)
        or {POLY_TABLE, POLY_ROW} <= set(spec.column_names)
    )


# ---------------------------------------------------------------- the previous release


def _needed_tables() -> list[str]:
    """The tables continuity reads from a release: entity tables, their mention tables,
    passages (for provenance keys) and redirects."""
    names = set(ENTITY_TABLES) | {"passages", REDIRECTS} | set(link_tables())
    for t in ENTITY_TABLES:
        names.update(m for m, _ in mention_tables(t))
    return sorted(n for n in names if n in load_dictionary().tables)


def link_tables() -> list[str]:
    """Tables whose rows link an entity to another without a telling of their own (event_actors,
    plot_actors): their keys derive from the entity's fresh ID, so a link that did not change
    takes back its published key (``_plan_links``)."""
    out = []
    for name, spec in load_dictionary().tables.items():
        if name in ENTITY_TABLES or len(spec.primary_key) != 1 or spec.primary_key == (MENTION_KEY,):
            continue
        if "quote" in spec.column_names or {POLY_TABLE, POLY_ROW} <= set(spec.column_names):
            continue
        if any(ref in ENTITY_TABLES for _, ref, _ in spec.foreign_keys):
            out.append(name)
    return out


def load_previous(release_dir: Path | None) -> Previous | None:
    """The previous release in ``release_dir`` (``publish/site`` resolved), or None."""
    if release_dir is None or not (release_dir / DOWNLOADS).is_dir():
        return None
    downloads = release_dir / DOWNLOADS
    version_file = downloads / "VERSION"
    version = version_file.read_text(encoding="utf-8").strip() if version_file.exists() else release_dir.name
    tables: dict[str, list[Row]] = {}
    for name in _needed_tables():
        path = downloads / f"{name}.parquet"
        if not path.exists():
            tables[name] = []  # a release older than the table
            continue
        wanted = _columns_read(name)
        have = pq.read_schema(path).names
        tables[name] = pq.read_table(path, columns=[c for c in wanted if c in have]).to_pylist()
    ledger_path = release_dir / LEDGER_FILE
    ledger = json.loads(ledger_path.read_text(encoding="utf-8")) if ledger_path.exists() else {}
    ordinal = int(ledger.get("ordinal", 1))
    first: dict[str, dict[str, int]] = {}
    for t in ENTITY_TABLES:
        known = {str(k): int(v) for k, v in (ledger.get("first_published", {}).get(t) or {}).items()}
        # IDs of a release that predates the ledger were published by then at the latest.
        first[t] = {i: known.get(i, ordinal) for i in _ids(t, tables)}
    return Previous(version, ordinal, tables, first)


def _columns_read(table: str) -> list[str]:
    spec = load_dictionary().tables[table]
    if table in link_tables():
        return spec.column_names  # matched on their whole content
    wanted = set(spec.primary_key) | {c for c, _, _ in spec.foreign_keys}
    wanted |= {"passage_id", "char_start", "char_end", "quote", "name", "aliases", "old_id", "new_id",
               POLY_TABLE, "release"}
    return [c for c in spec.column_names if c in wanted]


def write_ledger(release_dir: Path, parquet_dir: Path, previous: Previous | None) -> None:
    """Write ``ids.json`` into a release being built: the ordinal of each live ID's first release."""
    ordinal = previous.ordinal + 1 if previous else 1
    first: dict[str, dict[str, int]] = {}
    for t in ENTITY_TABLES:
        path = parquet_dir / f"{t}.parquet"
        pk = _pk(t)
        ids = pq.read_table(path, columns=[pk]).column(pk).to_pylist() if path.exists() else []
        before = previous.first_published.get(t, {}) if previous else {}
        first[t] = {i: before.get(i, ordinal) for i in sorted(ids)}
    data = {"ordinal": ordinal, "first_published": first}
    (release_dir / LEDGER_FILE).write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- claim keys


def _pk(table: str) -> str:
    return load_dictionary().tables[table].primary_key[0]


def _ids(table: str, tables: Mapping[str, list[Row]]) -> list[str]:
    pk = _pk(table)
    return [r[pk] for r in tables.get(table, [])]


def mention_tables(table: str) -> list[tuple[str, str]]:
    """(mention table, its column referring to ``table``) from the dictionary's foreign keys."""
    pk = _pk(table)
    out = []
    for name, spec in load_dictionary().tables.items():
        if spec.primary_key != (MENTION_KEY,):
            continue
        out += [(name, col) for col, ref, refcol in spec.foreign_keys if ref == table and refcol == pk]
    return out


def _span_key(row: Row, passage_starts: Mapping[str, int]) -> str | None:
    """A row's own span, as its position inside its passage (survives edits elsewhere)."""
    pid, start, end = row.get("passage_id"), row.get("char_start"), row.get("char_end")
    if pid is None or start is None or end is None:
        return None
    base = passage_starts.get(pid)
    if base is None:
        return f"q:{pid}:{row.get('quote')}"
    return f"p:{pid}@{int(start) - base}+{int(end) - int(start)}"


def _name_key(name: str) -> str:
    return "n:" + " ".join(name.casefold().split())


def claim_keys(table: str, tables: Mapping[str, list[Row]]) -> dict[str, list[str]]:
    """Entity ID -> the keys its row claims: its own span first, then its mentions in table order.

    Keys are what stays the same when the row's ID changes: the IDs of its mentions (which
    derive from their own text), the position of its own span in its passage, and, for a table
    without a mention table (organizations; plots until ``plot_mentions`` exists), its name and
    aliases: a plot told anew under its published name is the plot published under that name.
    """
    pk = _pk(table)
    rows = tables.get(table, [])
    keys: dict[str, list[str]] = {r[pk]: [] for r in rows}
    starts = {p["passage_id"]: int(p["char_start"]) for p in tables.get("passages", [])}
    found = mention_tables(table)
    for r in rows:
        own = _span_key(r, starts)
        if own is not None:
            keys[r[pk]].append(own)
    for mtable, col in found:
        # table order is the extractor's (content-derived): it only breaks ties between old IDs
        for m in tables.get(mtable, []):
            if m.get(col) in keys:
                keys[m[col]].append(f"m:{mtable}:{m[MENTION_KEY]}")
    if not found:
        for r in rows:
            names = [r.get("name"), *(r.get("aliases") or [])]
            keys[r[pk]] += [_name_key(n) for n in names if isinstance(n, str) and n.strip()]
    return {k: list(dict.fromkeys(v)) for k, v in keys.items()}


# ---------------------------------------------------------------- planning


def _plan_table(table: str, tables: Mapping[str, list[Row]], prev: Previous, plan: Plan) -> None:
    fresh = claim_keys(table, tables)
    old = claim_keys(table, prev.tables)
    first = prev.first_published.get(table, {})
    owners: dict[str, set[str]] = {}
    for oid, ks in old.items():
        for k in ks:
            owners.setdefault(k, set()).add(oid)
    # shared[(row, old)] = (keys in common, position of the first one among the row's keys)
    shared: dict[tuple[str, str], tuple[int, int]] = {}
    for rid, ks in fresh.items():
        for pos, k in enumerate(ks):
            for oid in owners.get(k, ()):
                n, p = shared.get((rid, oid), (0, pos))
                shared[(rid, oid)] = (n + 1, min(p, pos))
        if rid in old:  # a fresh ID that was published is claimed by its row first of all
            shared.setdefault((rid, rid), (0, len(ks)))

    def priority(pair: tuple[str, str]) -> tuple[Any, ...]:
        rid, oid = pair
        n, pos = shared[pair]
        # Earliest-published first; within one release a row's own fresh ID, then the most
        # tellings in common. A row whose fresh ID was published thus ends with that ID or an
        # earlier one, so no other row can be left holding it.
        return (first.get(oid, prev.ordinal), rid != oid, -n, pos, oid, rid)

    kept: dict[str, str] = {}  # fresh row ID -> old ID it keeps
    taken: set[str] = set()
    for rid, oid in sorted(shared, key=priority):
        if rid not in kept and oid not in taken:
            kept[rid] = oid
            taken.add(oid)
    final = {rid: kept.get(rid, rid) for rid in fresh}
    seen: set[str] = set()
    for v in final.values():
        if v in seen:
            raise ContinuityError(f"{table}: two rows would be published as {v!r}")
        seen.add(v)
    plan.renames[table] = {rid: oid for rid, oid in final.items() if rid != oid}
    live = set(final.values())
    by_old: dict[str, list[tuple[str, int, int]]] = {}
    for (rid, oid), (n, pos) in shared.items():
        if n > 0 or rid == oid:
            by_old.setdefault(oid, []).append((rid, n, pos))
    moved: dict[str, str] = {}
    for oid in old:
        if oid in live:
            continue
        claimants = by_old.get(oid)
        if claimants:  # its tellings live on in another row: that row's ID replaces it
            rid = min(claimants, key=lambda c: (-c[1], c[2], final[c[0]]))[0]
            moved[oid] = final[rid]
    carried = 0
    for r in prev.tables.get(REDIRECTS, []):
        if r.get(POLY_TABLE) != table or r["old_id"] in live or r["old_id"] in moved:
            continue
        target = r["new_id"] if r["new_id"] in live else moved.get(r["new_id"])
        if target is None:
            plan.report.append(f"redirects: {table} {r['old_id']} -> {r['new_id']} dropped ({r['new_id']} deleted)")
            continue
        plan.redirects.append({"old_id": r["old_id"], "new_id": target, POLY_TABLE: table, "release": r["release"]})
        carried += 1
    for oid in sorted(moved):
        plan.redirects.append({"old_id": oid, "new_id": moved[oid], POLY_TABLE: table, "release": prev.version})
    if moved or plan.renames[table]:
        plan.report.append(
            f"ids: {table}: {len(plan.renames[table])} rows keep a published ID, {len(moved)} IDs merged away "
            f"(redirected), {carried} earlier redirects carried"
        )


def plan_continuity(tables: Mapping[str, list[Row]], prev: Previous | None) -> Plan:
    """Which rows keep which published IDs, and the redirects table, against ``prev``."""
    plan = Plan()
    if prev is None:
        return plan
    for t in ENTITY_TABLES:
        if t in load_dictionary().tables:
            _plan_table(t, tables, prev, plan)
    _plan_links(tables, prev, plan)
    plan.redirects.sort(key=lambda r: (r[POLY_TABLE], r["old_id"]))
    return plan


def _content(row: Row, columns: list[str]) -> tuple[Any, ...]:
    return tuple(tuple(v) if isinstance(v, list) else v for v in (row.get(c) for c in columns))


def _plan_links(tables: Mapping[str, list[Row]], prev: Previous, plan: Plan) -> None:
    """A link row (``link_tables``) equal, once its entities are renamed, to a published row
    takes that row's key back, unless another row of this build holds it."""
    links = [t for t in link_tables() if tables.get(t) and prev.tables.get(t)]
    renamed = apply_renames({t: list(tables[t]) for t in links}, plan.renames)
    for t in links:
        pk = _pk(t)
        columns = [c for c in load_dictionary().tables[t].column_names if c != pk]
        published = {_content(r, columns): r[pk] for r in prev.tables[t]}
        held = {r[pk] for r in renamed[t]}
        back: dict[str, str] = {}
        for r in renamed[t]:
            old = published.get(_content(r, columns))
            if old is not None and old != r[pk] and old not in held and old not in back.values():
                back[r[pk]] = old
        plan.renames[t] = back


# ---------------------------------------------------------------- applying


def apply_renames(tables: dict[str, list[Row]], renames: Mapping[str, Mapping[str, str]]) -> dict[str, list[Row]]:
    """Rewrite primary keys and every reference to them, in the tables given (rows are copied).

    References follow the dictionary's foreign keys, plus polymorphic (``table``, ``row_id``)
    references; tables absent from ``tables`` are left alone, so one group of tables can be
    rewritten at a time.
    """
    dictionary = load_dictionary()
    out: dict[str, list[Row]] = {}
    for name, rows in tables.items():
        spec = dictionary.tables.get(name)
        if spec is None:
            out[name] = rows
            continue
        cols: list[tuple[str, Mapping[str, str]]] = []
        if renames.get(name):
            cols.append((spec.primary_key[0], renames[name]))
        for col, ref, refcol in spec.foreign_keys:
            if renames.get(ref) and refcol == dictionary.tables[ref].primary_key[0]:
                cols.append((col, renames[ref]))
        poly = POLY_TABLE in spec.column_names and POLY_ROW in spec.column_names
        if not cols and not poly:
            out[name] = rows
            continue
        new_rows = []
        for r in rows:
            r = dict(r)
            for col, mapping in cols:
                v = r.get(col)
                if v is not None and v in mapping:
                    r[col] = mapping[v]
            if poly:
                mapping = renames.get(r.get(POLY_TABLE) or "", {})
                if r.get(POLY_ROW) in mapping:
                    r[POLY_ROW] = mapping[r[POLY_ROW]]
            new_rows.append(r)
        out[name] = new_rows
    return out


def keep_ids(tables: dict[str, list[Row]], prev: Previous | None) -> tuple[dict[str, list[Row]], list[str]]:
    """The tables with published IDs kept and the ``redirects`` table filled; report lines."""
    plan = plan_continuity(tables, prev)
    out = apply_renames(tables, plan.renames)
    out[REDIRECTS] = plan.redirects
    return out, plan.report
