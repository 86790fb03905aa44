"""Datasette plugin: facet counts of a table page count the rows the page's filters select, on every
page of it, and each distinct count query runs once per server process.

What belongs here: the wrapper around Datasette's facet classes (a ``register_facet_classes``
hook wrapper, so Datasette's own column, date and array facets and any other plugin's are kept),
which (1) takes the keyset clause of a ``_next`` page out of the SQL the facets count over, and
(2) memoises facet queries on immutable databases.

Why (1): Datasette 0.65 counts a page's facets over ``sql_no_order_no_limit``, which on a
``_next`` page still holds the keyset condition (``char_start < :p1 or ...``), so page 2 of
``person_mentions`` showed counts of the rows after its first row while its header showed the
count of all rows the filters select. The facets now count what the header counts, as on page 1.
That is also cheaper: the keyset condition kept SQLite from a covering index, and every page of a
filter had its own counts to compute (BENCHMARKS.md §4: a deep sorted page of ``person_mentions``
spent 50-100 ms counting two facets).
Why (2): a release never changes while it is served, so a facet query (SQL and parameters) has one
answer; every page and format of the same filters (HTML, JSON, page 1, page 40, another facet
added) reuses it. Bounded LRU of small results (at most ``facet_size + 1`` rows each).

The keyset clause is recognised only by rebuilding it exactly as Datasette writes it (its own
``compound_keys_after_sql`` and templates, same parameter numbers); if the SQL does not end with
it, Datasette's SQL is used unchanged. Views page by offset and are left alone.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator, Mapping
from typing import Any

from datasette import hookimpl
from datasette.utils import compound_keys_after_sql, escape_sqlite, urlsafe_components

MEMO_ENTRIES = 4096  # facet results are at most facet_size + 1 rows: a few MB at most


def keyset_clause(pks: list[str], n_params: int, next_token: str, sort: str | None,
                  sort_desc: str | None) -> tuple[str, set[str]] | None:
    """The ``where`` clause Datasette 0.65's table view appends for ``_next`` (its last clause) and
    the names of the parameters it added (the last ones), given the table's primary keys (``[]``
    for a rowid table) and the number of parameters of the page's SQL; ``None`` if Datasette adds no
    such clause for this token."""
    components = urlsafe_components(next_token)
    column = sort or sort_desc
    has_sort_value = False
    if column and len(components) > 1:
        has_sort_value = next_token.split(",")[0] != "$null"
        components = components[1:]
    n_pk = 1 if not pks else len(pks)
    if pks and len(components) != len(pks):
        return None
    added = n_pk + (1 if has_sort_value else 0)
    start = n_params - added
    if start < 0:
        return None
    by_pk = f"rowid > :p{start}" if not pks else compound_keys_after_sql(pks, start)
    if not column:
        clause = by_pk
    elif not has_sort_value:
        col = escape_sqlite(column)
        clause = (f"({col} is null and {by_pk})" if sort_desc
                  else f"({col} is not null or ({col} is null and {by_pk}))")
    else:
        col = escape_sqlite(column)
        p = start + n_pk
        extra = "" if sort else f" or {col} is null"
        clause = f"({col} {'>' if sort else '<'} :p{p}{extra} or ({col} = :p{p} and {by_pk}))"
    return clause, {f"p{i}" for i in range(start, n_params)}


def without_keyset(sql: str, params: Mapping[str, Any], clause: str, names: set[str]) -> tuple[str, dict[str, Any]] | None:
    """``sql`` without its final keyset ``clause`` and ``params`` without its parameters, or
    ``None`` if ``sql`` does not end with that clause."""
    body = sql.rstrip()
    if not set(params) >= names:
        return None
    for joint in (" and ", "where "):
        if body.endswith(joint + clause):
            head = body[: len(body) - len(clause) - len(joint)]
            return head + " ", {k: v for k, v in params.items() if k not in names}
    return None


class _Memo:
    """Per-process LRU of query results, shared by the facets of every request."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: collections.OrderedDict[tuple[Any, ...], Any] = collections.OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
            self.hits += 1
        return value

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        self.misses += 1
        self.entries[key] = value
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)


MEMO = _Memo(MEMO_ENTRIES)


def _params_key(params: Any) -> tuple[Any, ...]:
    if isinstance(params, Mapping):
        return tuple(sorted(params.items()))
    return tuple(params or ())


class _MemoDatasette:
    """What a facet sees as ``self.ds``: the Datasette object, with ``execute`` answered from
    ``MEMO`` on immutable databases. Everything else is the real object's."""

    def __init__(self, ds: Any) -> None:
        self._ds = ds

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ds, name)

    async def execute(self, database: str, sql: str, params: Any = None, truncate: bool = False,
                      **kwargs: Any) -> Any:
        db = self._ds.databases.get(database)
        if db is None or db.is_mutable:
            return await self._ds.execute(database, sql, params, truncate=truncate, **kwargs)
        key = (database, sql, _params_key(params), truncate, tuple(sorted(kwargs.items())))
        found = MEMO.get(key)
        if found is None:  # a timed-out query raises, and is not remembered
            found = await self._ds.execute(database, sql, params, truncate=truncate, **kwargs)
            MEMO.put(key, found)
        return found


_wrapped: dict[type, type] = {}


def whole_set(cls: type) -> type:
    """``cls`` (a Datasette facet class) counting over the page's filters without its keyset clause,
    its queries memoised."""
    if cls in _wrapped:
        return _wrapped[cls]

    class WholeSetFacet(cls):  # type: ignore[valid-type, misc]
        def __init__(self, ds: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(_MemoDatasette(ds), *args, **kwargs)

        async def facet_results(self) -> Any:
            next_token = self.request.args.get("_next") if self.request is not None else None
            if self.table and next_token and isinstance(self.params, Mapping):
                db = self.ds.databases.get(self.database)
                if db is not None and self.table not in await db.view_names():
                    sort, sort_desc = self.request.args.get("_sort"), self.request.args.get("_sort_desc")
                    if not sort and not sort_desc:  # the table's default order, as the table view takes it
                        sort, sort_desc = (self.metadata or {}).get("sort"), (self.metadata or {}).get("sort_desc")
                    found = keyset_clause(await db.primary_keys(self.table), len(self.params), next_token,
                                          sort, sort_desc)
                    stripped = without_keyset(self.sql, self.params, *found) if found else None
                    if stripped is not None:
                        self.sql, self.params = stripped
            return await super().facet_results()

    WholeSetFacet.__name__ = WholeSetFacet.__qualname__ = f"WholeSet{cls.__name__}"
    _wrapped[cls] = WholeSetFacet
    return WholeSetFacet


@hookimpl(hookwrapper=True)
def register_facet_classes() -> Iterator[None]:
    outcome = yield
    lists: list[list[type]] = outcome.get_result()
    outcome.force_result([[whole_set(c) for c in classes] for classes in lists])

