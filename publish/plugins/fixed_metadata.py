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

Also here: Datasette's ``PrefixedUrlString`` (every URL it builds: links, facet toggles) looks up
each attribute by computing ``dir(str)``, a sorted list of ~80 names, every time; a faceted page
built a few thousand of them (~10% of its CPU). The same test against the same names, computed once.
"""

from __future__ import annotations

import functools
from typing import Any

from datasette import hookimpl
from datasette.plugins import pm


def _metadata_is_fixed() -> bool:
    return not any(hasattr(plugin, "get_metadata") for plugin in pm.get_plugins())


def _fast_prefixed_url_strings() -> None:
    from datasette import utils

    cls = getattr(utils, "PrefixedUrlString", None)
    if cls is None or getattr(cls, "_str_names", None) is not None:
        return
    names = cls._str_names = frozenset(dir(str))

    def __getattribute__(self: Any, name: str) -> Any:
        # Datasette 0.65.5's method, with ``names`` for ``dir(str)``: str's methods return the subclass
        if not name.startswith("__") and name in names:
            bound = str.__getattribute__(self, name)

            def method(*args: Any, **kwargs: Any) -> Any:
                value = bound(*args, **kwargs)
                if isinstance(value, str):
                    return cls(value)
                if isinstance(value, list):
                    return [cls(i) for i in value]
                if isinstance(value, tuple):
                    return tuple(cls(i) for i in value)
                return value

            return method
        return str.__getattribute__(self, name)

    cls.__getattribute__ = __getattribute__


@hookimpl
def startup(datasette: Any) -> None:
    _fast_prefixed_url_strings()
    original = getattr(datasette, "_table_permission_allows", None)
    if original is None or not _metadata_is_fixed():
        return

    @functools.lru_cache(maxsize=4096)
    def memo(database: str, table: str) -> tuple[Any, ...]:
        return tuple(original(database, table))

    def allows(database: str, table: str) -> list[Any]:
        return list(memo(database, table))  # a fresh list, as the original returns

    datasette._table_permission_allows = allows
