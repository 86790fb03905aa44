"""Datasette plugin: compute each table's permission rules from the metadata once, not per request.

What belongs here: per-process memoisation of work that Datasette repeats on
every request although its inputs cannot change while a release is served. A
release is served immutable, with its metadata from a file and no plugin
supplying metadata at run time, so the answer for a table is fixed.

Why: Datasette 0.65.5 (with its table-permission fix) answers every
``view-table`` check through ``_table_permission_allows``, which deep-copies the
whole metadata (every table's and column's description) to merge the tables'
``allow`` blocks: ~2 calls and about a quarter of the CPU of an uncached page
here. The memo keeps Datasette's own function and its answers, only computed
once per (database, table). If any installed plugin implements ``get_metadata``
(metadata that may change at run time), nothing is memoised.
"""

from __future__ import annotations

import functools
from typing import Any

from datasette import hookimpl
from datasette.plugins import pm


def _metadata_is_fixed() -> bool:
    return not any(hasattr(plugin, "get_metadata") for plugin in pm.get_plugins())


@hookimpl
def startup(datasette: Any) -> None:
    original = getattr(datasette, "_table_permission_allows", None)
    if original is None or not _metadata_is_fixed():
        return

    @functools.lru_cache(maxsize=4096)
    def memo(database: str, table: str) -> tuple[Any, ...]:
        return tuple(original(database, table))

    def allows(database: str, table: str) -> list[Any]:
        return list(memo(database, table))  # a fresh list, as the original returns

    datasette._table_permission_allows = allows
