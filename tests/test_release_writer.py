"""The release writer's cheaper paths publish what the plain ones did (issue 15).

The change log's row digests are read once per table and written with ``repr`` (not
``json.dumps``), and the SQLite tables are filled with ``executemany``: the change log, the
fingerprint and every row of the database must say what they said before. Bounded: fixture
tables of a few rows, no model, no Dagster.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlite_utils

from pipeline import publish
from pipeline.changes import diff_releases, row_digests, table_digests, table_fingerprint
from schemas.dictionary import load_dictionary
from tests.test_publish import ATTRIBUTION, fixture_rows, write_fixture_parquet

pytestmark = pytest.mark.timeout(120)


def test_positions_alone_are_not_a_change_but_change_the_fingerprint(tmp_path: Path) -> None:
    rows = fixture_rows()
    write_fixture_parquet(tmp_path / "a", rows)
    moved = copy.deepcopy(fixture_rows())  # the fixture's rows are shared: edit a copy
    for p in moved["passages"]:  # the whole source moved on by an edit above it
        p["char_start"] += 7
        p["char_end"] += 7
    moved["events"][0]["killed"] = (moved["events"][0]["killed"] or 0) + 1  # and one real change
    write_fixture_parquet(tmp_path / "b", moved)
    changes = diff_releases(tmp_path / "a", tmp_path / "b")
    assert changes["tables"]["passages"]["counts"]["modified"] == 0
    assert changes["tables"]["events"]["modified"] == [moved["events"][0]["event_id"]]
    assert table_fingerprint(tmp_path / "a") != table_fingerprint(tmp_path / "b")
    write_fixture_parquet(tmp_path / "c", fixture_rows())
    assert table_fingerprint(tmp_path / "a") == table_fingerprint(tmp_path / "c")
    # the digests read once serve both the fingerprint and the change log
    digests = table_digests(tmp_path / "b")
    assert table_fingerprint(tmp_path / "b", digests) == table_fingerprint(tmp_path / "b")
    assert diff_releases(tmp_path / "a", tmp_path / "b", new_digests=digests) == changes


def test_row_digests_tell_values_apart_by_type_and_quoting(tmp_path: Path) -> None:
    """Values json would write alike, or that run together as text, keep distinct digests."""
    schema = pa.schema([("k", pa.string()), ("a", pa.string()), ("b", pa.string()), ("n", pa.float64()),
                        ("l", pa.list_(pa.string())), ("d", pa.date32())])
    variants = [  # one row, one key, values told apart only by quoting, list splitting or a null
        {"a": "x', 'y", "b": None, "n": 1.0, "l": ["p", "q"], "d": dt.date(2020, 1, 3)},
        {"a": "x", "b": "y", "n": 1.0, "l": ["p", "q"], "d": dt.date(2020, 1, 3)},
        {"a": "x", "b": "y", "n": 1.0, "l": ["p, q"], "d": dt.date(2020, 1, 3)},
        {"a": "x", "b": "y", "n": 1.0, "l": ["p", "q"], "d": None},
        {"a": "x", "b": "y", "n": 1.0, "l": ["p", "q"], "d": dt.date(2020, 1, 3)},  # the second again
    ]
    found = []
    for i, row in enumerate(variants):
        pq.write_table(pa.Table.from_pylist([{"k": "1", **row}], schema=schema), tmp_path / f"t{i}.parquet")
        found.append(row_digests(tmp_path / f"t{i}.parquet", "k")["1"])
    assert len({f[0] for f in found[:4]}) == 4
    assert found[1] == found[4]


def test_sqlite_tables_hold_what_sqlite_utils_inserted(tmp_path: Path) -> None:
    """``write_sqlite`` fills each table with ``executemany``; the same rows inserted through
    sqlite-utils' ``insert_all`` (the writer before) give the same database, row for row and rowid."""
    write_fixture_parquet(tmp_path / "pq")
    dictionary = load_dictionary()
    tables, _ = publish.load_tables(tmp_path / "pq", dictionary)
    publish.withhold_non_public_text(tables)
    release_row = {"version": "v", "built_at": "t", "previous_version": None, "changes": "", "row_counts": "{}",
                   "license": "l", "license_url": "u"}
    publish.write_sqlite(tables, dictionary, tmp_path / "new.db", release_row, [])
    ref = sqlite_utils.Database(tmp_path / "ref.db")
    for name in publish._topological(dictionary):
        spec = dictionary.tables[name]
        pk = spec.primary_key[0] if len(spec.primary_key) == 1 else spec.primary_key
        ref[name].create({c.name: publish.SQLITE_TYPES[c.type] for c in spec.columns}, pk=pk,  # type: ignore[union-attr]
                         foreign_keys=spec.foreign_keys, not_null={c.name for c in spec.columns if not c.nullable})
        data = tables[name]
        ref[name].insert_all(  # type: ignore[union-attr]
            {c.name: publish._sqlite_value(c, v) for c, v in zip(spec.columns, values, strict=True)}
            for values in zip(*(data.column(c.name).to_pylist() for c in spec.columns), strict=True))
    ref.close()
    new, old = sqlite3.connect(tmp_path / "new.db"), sqlite3.connect(tmp_path / "ref.db")
    for name in dictionary.tables:
        got = new.execute(f'select rowid, * from "{name}" order by rowid').fetchall()
        want = old.execute(f'select rowid, * from "{name}" order by rowid').fetchall()
        assert got == want, name
        assert [type(v) for r in got for v in r] == [type(v) for r in want for v in r], name
        assert got or name in ("redirects",), f"fixture table {name} is empty: the test would prove nothing"


def test_the_release_database_is_one_file_under_two_names(tmp_path: Path) -> None:
    """The downloadable copy of the database is the served one (a hard link where the disk allows)."""
    write_fixture_parquet(tmp_path / "pq")
    publish.build_release(tmp_path / "pq", tmp_path / "rel", "v1", ATTRIBUTION)
    served, offered = tmp_path / "rel" / publish.DB_FILE, tmp_path / "rel" / "downloads" / publish.DB_FILE
    assert served.read_bytes() == offered.read_bytes()
    sums = (tmp_path / "rel" / "downloads" / "SHA256SUMS").read_text()
    assert publish._sha256(offered) in sums


def test_the_digests_kept_for_the_next_change_log_are_those_of_the_published_files(tmp_path: Path) -> None:
    """A release keeps its files' row digests (from the warehouse's, the withheld text read again) for
    the next build's change log; they equal the files' own, and the next change log is the one computed
    without them."""
    from pipeline.changes import DIGEST_CACHE, _file_key, cached_row_digests
    from pipeline.paths import Paths
    from pipeline.release import publish as publish_release

    paths = Paths(raw_dir=tmp_path / "raw", out_dir=tmp_path / "out")
    write_fixture_parquet(paths.parquet_dir)
    first = publish_release(paths, ATTRIBUTION)
    downloads = Path(first["release_dir"]) / "downloads"
    dictionary = load_dictionary()
    withheld = 0
    for name, spec in dictionary.tables.items():
        path = downloads / f"{name}.parquet"
        assert (paths.cache_dir / DIGEST_CACHE / _file_key(path)).exists(), name
        own = {k: v[0] for k, v in row_digests(path, spec.primary_key[0]).items()}
        assert cached_row_digests(path, spec.primary_key[0], paths.cache_dir) == own, name
        if name == "passages":
            withheld = sum(t is None for t in pq.read_table(path).column("text").to_pylist())
    assert withheld, "the fixture has no withheld text: the re-read path would go untested"
    moved = copy.deepcopy(fixture_rows())
    moved["events"][0]["killed"] = (moved["events"][0]["killed"] or 0) + 1
    write_fixture_parquet(paths.parquet_dir, moved)
    expected = diff_releases(downloads, paths.parquet_dir)  # no cache: every file read
    second = publish_release(paths, ATTRIBUTION)
    got = json.loads((Path(second["release_dir"]) / "changes.json").read_text())
    assert got["tables"] == expected["tables"] and got["summary"] == expected["summary"]
    assert got["tables"]["events"]["modified"] == [moved["events"][0]["event_id"]]
    kept = {f.name for f in (paths.cache_dir / DIGEST_CACHE).iterdir()}
    assert kept == {_file_key(Path(second["release_dir"]) / "downloads" / f"{n}.parquet") for n in dictionary.tables}
