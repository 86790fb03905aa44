"""SQLite indexes for the pages Datasette serves from a release, beyond one per foreign key and facet.

What belongs here: which composite indexes the published database gets so that
the pages readers open most are index lookups, not scans or sorts: a table
filtered on one column and shown in its default order (``events?source_id=X``
by ``date_start``), the default order itself (persons by ``mention_count``), and
the lookups the site's row pages and canned queries make by a column pair. The
columns come from the data dictionary (foreign keys, facets) and the tables'
default sort (``pipeline.publish.DEFAULT_SORT``); ``write_sqlite`` calls
``create_serving_indexes`` before ``ANALYZE``. Indexes never change a row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from schemas.dictionary import Dictionary

# Lookups by more than one column that no foreign key declares: claims point at any table's row by
# (table, row_id); row pages list a row's claims, and a claim's page the other claims on the same
# property (publish/plugins/soleimani_site.py, EVIDENCE).
PAIR_LOOKUPS: dict[str, tuple[tuple[str, ...], ...]] = {"claims": (("table", "row_id", "property"),)}


def serving_indexes(
    dictionary: Dictionary,
    default_sort: Mapping[str, tuple[str, bool]],
    filter_columns: Mapping[str, Iterable[str]],
) -> list[tuple[str, tuple[str, ...]]]:
    """(table, columns) of every index to create: the default sort column, each filter column
    followed by the default sort column, and ``PAIR_LOOKUPS``; only columns the table has."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for name, spec in dictionary.tables.items():
        cols = set(spec.column_names)
        sort = default_sort.get(name, (None, False))[0]
        if sort in cols:
            out.append((name, (sort,)))
            for col in dict.fromkeys(filter_columns.get(name, ())):
                if col in cols and col != sort and col not in spec.primary_key:
                    out.append((name, (col, sort)))
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
