"""publish/plugins/fast_urls.py: its two URL helpers return exactly what Datasette 0.65.5's return,
on plain and awkward inputs (dot segments, parameters, fragments, empty queries, IPv6 hosts,
encoded and non-ASCII values, arguments removed), and a page built with them links right."""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import shutil
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from datasette.utils import path_with_added_args as datasette_path_with_added_args
from datasette.utils.asgi import Request

from pipeline.paths import REPO_ROOT

PLUGIN = REPO_ROOT / "publish" / "plugins" / "fast_urls.py"
PATHS = ["/", "/db/t?x=1", "/db/t?", "/db/t#f", "/db/t?x=1#", "/db/t;p?x", "//elsewhere/x", "/./x", "/a/../b",
         "/a/./b", "/a b", "/a\tb", "/db/t?q=a%2F.b&x=%C3%A9", "/db/t?q=é", "/db/t?x=1&", "", "x/y", "/db/~2Ft"]
HOSTS = ["localhost", "127.0.0.1:8001", "Example.ORG:80", "[::1]:8001", "user@host"]
QUERIES = [b"", b"a=1", b"a=1&b=2&a=3", b"_facet=kind&_next=5%2Ci010&kind=beta", b"x=%C3%A9&y=&z", b"q=a+b&r=%2B"]
ARGS: list[Any] = [{"kind": "beta"}, {"a": None}, {"a": None, "b": 2}, [("c", 1.5), ("d", "é x&y")], {}]


def _plugin() -> Any:
    spec = importlib.util.spec_from_file_location("fast_urls_unit", PLUGIN)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _Settings:
    def __init__(self, force_https: bool) -> None:
        self.force_https = force_https

    def setting(self, name: str) -> bool:
        assert name == "force_https_urls"
        return self.force_https


def _datasette_absolute_url(ds: _Settings, request: Request, path: str) -> str:
    # Datasette 0.65.5's Datasette.absolute_url, verbatim
    url = urllib.parse.urljoin(request.url, path)
    if url.startswith("http://") and ds.setting("force_https_urls"):
        url = "https://" + url[len("http://"):]
    return url


def test_absolute_url_is_datasettes() -> None:
    mod = _plugin()
    for path, host, scheme, force in itertools.product(PATHS, HOSTS, ("http", "https"), (False, True)):
        request = Request({"type": "http", "scheme": scheme, "headers": [(b"host", host.encode())],
                           "path": "/db/t", "raw_path": b"/db/t", "query_string": b"a=1"}, None)
        ds = _Settings(force)
        theirs = _datasette_absolute_url(ds, request, path)
        ours = mod.absolute_url(ds, lambda r, p, ds=ds: _datasette_absolute_url(ds, r, p), request, path)
        assert ours == theirs, (path, host, scheme, force)


def test_path_with_added_args_is_datasettes() -> None:
    mod = _plugin()
    for qs, args, path in itertools.product(QUERIES, ARGS, (None, "/other")):
        request = Request({"type": "http", "path": "/db/t", "query_string": qs, "headers": []}, None)
        assert mod.path_with_added_args(request, args, path) == datasette_path_with_added_args(request, args, path)


@pytest.mark.timeout(60)
def test_a_faceted_page_links_its_facet_values(tmp_path: Path) -> None:
    from datasette.app import Datasette

    db = tmp_path / "t.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table items (item_id text primary key, kind text)")
        conn.executemany("insert into items values (?, ?)", [(f"i{i}", ("a b", "c&d")[i % 2]) for i in range(10)])
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    shutil.copy(PLUGIN, plugins / PLUGIN.name)
    app = Datasette(immutables=[str(db)], plugins_dir=str(plugins),
                    metadata={"databases": {"t": {"tables": {"items": {"facets": ["kind"]}}}}})

    async def get() -> dict[str, Any]:
        return (await app.client.get("/t/items.json?_size=3&_x=%C3%A9")).json()  # type: ignore[no-any-return]

    page = asyncio.run(get())
    assert getattr(app.absolute_url, "_plain", False)  # the plugin's startup installed it
    links = {r["value"]: r["toggle_url"] for r in page["facet_results"]["kind"]["results"]}
    assert links == {"a b": "http://localhost/t/items.json?_size=3&_x=%C3%A9&kind=a+b",
                     "c&d": "http://localhost/t/items.json?_size=3&_x=%C3%A9&kind=c%26d"}
