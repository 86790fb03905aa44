"""SQLite indexes for the pages Datasette serves from a release, beyond one per foreign key and facet.

What belongs here: which composite indexes the published database gets so that
the pages readers open most are index lookups, not scans or sorts: a table
filtered on one column and shown in its default order (``events?source_id=X``
by ``date_start``), the default order itself (persons by ``mention_count``), and
the lookups the site's row pages and canned queries make by a column pair. The
columns come from the data dictionary (foreign keys, facets) and the tables'
default sort (``pipeline.publish.DEFAULT_SORT``); ``write_sqlite`` calls
``create_serving_indexes`` before ``ANALYZE``. Indexes never change a row.

Two more kinds, for the costs measured on distinct pages (BENCHMARKS.md §4):

- A filtered page counts its facets over the rows its filter selects. The index of each facet
  column also holds the primary key and the table's other facet columns, so those counts read the
  index alone: ``claims?table=events`` counted ``disputed`` by reading ~30,000 rows with their quotes.
- Numeric and date columns are what readers sort a table by (offsets, ordinals, counts, dates);
  each gets an index ``(column, primary key)``, the order of a sorted page and of its ``_next`` keyset.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from schemas.dictionary import Dictionary

# Lookups by more than one column that no foreign key declares: claims point at any table's row by
# (table, row_id); row pages list a row's claims, and a claim's page the other claims on the same
# property (publish/plugins/soleimani_site.py, EVIDENCE).
PAIR_LOOKUPS: dict[str, tuple[tuple[str, ...], ...]] = {"claims": (("table", "row_id", "property"),)}


# Column types readers sort by (the dictionary's types); text columns are sorted rarely and are long.
SORT_TYPES = ("integer", "number", "date")


def serving_indexes(
    dictionary: Dictionary,
    default_sort: Mapping[str, tuple[str, bool]],
    filter_columns: Mapping[str, Iterable[str]],
    facet_columns: Mapping[str, Iterable[str]] | None = None,
) -> list[tuple[str, tuple[str, ...]]]:
    """(table, columns) of every index to create, only on columns the table has:

    - each filter column, then the default sort column; for a facet column also the primary key
      and the other facet columns (the filtered page in its order, and its facet counts, from
      the index alone);
    - each numeric or date column not the primary key, then the primary key (sorted pages);
    - ``PAIR_LOOKUPS``."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for name, spec in dictionary.tables.items():
        cols = set(spec.column_names)
        pk = tuple(c for c in spec.primary_key if c in cols)
        sort = default_sort.get(name, (None, False))[0]
        sort_part = (sort,) if sort in cols else ()
        facets = [f for f in dict.fromkeys((facet_columns or {}).get(name, ())) if f in cols]
        for col in dict.fromkeys(filter_columns.get(name, ())):
            if col in cols and col not in pk:
                lead = (col, *[c for c in sort_part if c != col])
                # a facet value selects many rows, whose facets are counted: cover them; a value of a
                # foreign key that is no facet (a passage, a place) selects a few rows: no need
                rest = [c for c in (*pk, *facets) if c not in lead] if col in facets else []
                if len(lead) + len(rest) > 1:
                    out.append((name, (*lead, *dict.fromkeys(rest))))
        leads = {cols_[0] for t, cols_ in out if t == name}
        for c in spec.columns:
            if c.type in SORT_TYPES and c.name not in pk and c.name not in leads:
                out.append((name, (c.name, *pk)))
        out += [(name, pair) for pair in PAIR_LOOKUPS.get(name, ()) if set(pair) <= cols]
    return out


def create_serving_indexes(conn: sqlite3.Connection, indexes: Iterable[tuple[str, tuple[str, ...]]]) -> int:
    """Create the indexes (idempotent); return how many were new."""
    made = 0
    for table, cols in indexes:
        name = "idx_" + table + "_" + "_".join(cols)
        exists = conn.execute("select 1 from sqlite_master where type = 'index' and name = ?", (name,)).fetchone()
        quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
        conn.execute(f'create index if not exists "{name}" on "{table}" ({quoted})')
        made += exists is None
    return made
