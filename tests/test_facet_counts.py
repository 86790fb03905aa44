"""publish/plugins/facet_counts.py with the real Datasette: on every page of a table (``_next``
pages included, in every sort order) the facets count the rows the page's filters select, the
rows and the pagination are Datasette's own, and each facet query runs once per process."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections import Counter
from typing import Any

import pytest

from pipeline.paths import REPO_ROOT

PLUGIN = REPO_ROOT / "publish" / "plugins" / "facet_counts.py"
KINDS = ("alpha", "beta", "gamma")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from datasette.app import Datasette

    root = tmp_path_factory.mktemp("facets")
    db = root / "t.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table items (item_id text primary key, kind text, grp text, n integer)")
        # n repeats and is sometimes null, so the keyset tie-breaker and the $null tokens are exercised
        conn.executemany("insert into items values (?, ?, ?, ?)",
                         [(f"i{i:03d}", KINDS[i % 3], f"g{i % 7}", None if i % 11 == 0 else i % 17)
                          for i in range(130)])
        conn.execute("create view items_view as select * from items")
    plugins = root / "plugins"
    plugins.mkdir()
    shutil.copy(PLUGIN, plugins / PLUGIN.name)
    facets = ["kind", "grp"]
    metadata = {"databases": {"t": {"tables": {"items": {"facets": facets, "sortable_columns": ["n", "item_id"]},
                                               "items_view": {"facets": facets}}}}}
    return Datasette(immutables=[str(db)], metadata=metadata, plugins_dir=str(plugins),
                     settings={"default_page_size": 20, "num_sql_threads": 0, "suggest_facets": False})


def _expected(where: str = "", args: tuple[Any, ...] = ()) -> tuple[dict[str, Counter[str]], int]:
    conn = sqlite3.connect(":memory:")
    conn.execute("create table items (item_id text primary key, kind text, grp text, n integer)")
    conn.executemany("insert into items values (?, ?, ?, ?)",
                     [(f"i{i:03d}", KINDS[i % 3], f"g{i % 7}", None if i % 11 == 0 else i % 17) for i in range(130)])
    rows = conn.execute(f"select kind, grp from items {where}", args).fetchall()
    return {"kind": Counter(r[0] for r in rows), "grp": Counter(r[1] for r in rows)}, len(rows)


def _pages(app: Any, path: str) -> list[dict[str, Any]]:
    async def walk() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        url: str | None = path
        while url and len(out) < 20:
            r = await app.client.get(url)
            assert r.status_code == 200, (url, r.text[:500])
            page = r.json()
            out.append(page)
            url = page["next_url"].split("localhost", 1)[-1] if page.get("next_url") else None
        return out

    return asyncio.run(walk())


@pytest.mark.timeout(120)
@pytest.mark.parametrize("query, where, args, order", [
    ("_sort=n", "", (), "n"),
    ("_sort_desc=n", "", (), "n desc"),
    ("", "", (), None),
    ("kind=beta&_sort_desc=n", "where kind = ?", ("beta",), "n desc"),
    ("grp=g3&_size=5", "where grp = ?", ("g3",), None),
])
def test_every_page_counts_the_filtered_rows(app: Any, query: str, where: str, args: tuple[Any, ...],
                                             order: str | None) -> None:
    facets, total = _expected(where, args)
    pages = _pages(app, f"/t/items.json?_shape=objects&{query}")
    assert len(pages) > 1  # really paged
    for page in pages:
        assert page["filtered_table_rows_count"] == total
        got = {name: Counter({r["value"]: r["count"] for r in f["results"]})
               for name, f in page["facet_results"].items()}
        assert got == facets, (page.get("next"), got)
    # the rows and their order are Datasette's: every row once, in the requested order
    ids = [r["item_id"] for p in pages for r in p["rows"]]
    assert len(ids) == len(set(ids)) == total
    if order == "n":
        keys = [(r["n"] is not None, r["n"] or 0) for p in pages for r in p["rows"]]
        assert keys == sorted(keys)
    if order == "n desc":
        ns = [r["n"] for p in pages for r in p["rows"] if r["n"] is not None]
        assert ns == sorted(ns, reverse=True)


@pytest.mark.timeout(120)
def test_views_page_by_offset_and_keep_their_counts(app: Any) -> None:
    facets, _ = _expected()
    pages = _pages(app, "/t/items_view.json?_shape=objects")
    assert len(pages) > 1
    for page in pages:
        got = {n: Counter({r["value"]: r["count"] for r in f["results"]}) for n, f in page["facet_results"].items()}
        assert got == facets


@pytest.mark.timeout(120)
def test_the_pages_of_one_filter_count_once(app: Any) -> None:
    from datasette.plugins import pm

    _pages(app, "/t/items.json?kind=gamma&_size=4")  # registers the plugin (first request)
    plugin = next(p for p in pm.get_plugins() if hasattr(p, "MEMO") and hasattr(p, "keyset_clause"))
    hits, misses = plugin.MEMO.hits, plugin.MEMO.misses
    pages = _pages(app, "/t/items.json?kind=alpha&_sort=n&_size=4")
    assert len(pages) > 5
    # two facet queries for the filter, computed for page 1; every later page reuses them
    assert plugin.MEMO.misses - misses == 2
    assert plugin.MEMO.hits - hits == 2 * (len(pages) - 1)


def test_a_clause_that_is_not_datasettes_keyset_is_kept() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("facet_counts_unit", PLUGIN)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    clause, names = mod.keyset_clause(["item_id"], 3, "5,i010", "n", None)
    assert clause == "(n > :p2 or (n = :p2 and ((item_id > :p1))))" and names == {"p1", "p2"}
    sql = f'select * from items where "kind" = :p0 and {clause} '
    stripped = mod.without_keyset(sql, {"p0": "beta", "p1": "i010", "p2": "5"}, clause, names)
    assert stripped == ('select * from items where "kind" = :p0 ', {"p0": "beta"})
    # the same parameters, but the SQL ends otherwise (a filter of a view paged by offset): unchanged
    assert mod.without_keyset('select * from [v] where "n" in (:p1, :p2) ', {"p1": 1, "p2": 2}, clause, names) is None
    # a token with too few key parts: Datasette adds no keyset clause, nothing to take out
    assert mod.keyset_clause(["a", "b"], 2, "x", None, None) is None
