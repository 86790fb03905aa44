"""Tests of the publish layer: SQLite, Datasette metadata and site, downloads, datapackage.

The session fixture ``site`` is a tiny release built from fixture Parquet tables
written here from the data dictionary. To run the same tests on the real build,
change the one line in ``site`` to ``return built.paths`` (the conftest fixture).
Tests read what they check from the data, not from the fixture's contents.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.paths import Paths
from pipeline.publish import DB_FILE, PublishError, build_release, write_csv
from pipeline.serve import datasette_app, datasette_command
from schemas.dictionary import Table, load_dictionary

DICT = load_dictionary()
FIXTURE_VERSION = "2026.01.02-fixture1"
TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "list": pa.list_(pa.string()),
}

# ------------------------------------------------------------------ fixture data

WIKI = "wiki-fixture"
NEWS = "news-fixture"
TEXTS = {
    WIKI: (
        "Qasem Soleimani was killed by a US drone strike near Baghdad International Airport on 3 January 2020.\n"
        "Agnès Callamard, the UN special rapporteur, said in July 2020 that the strike violated international law.\n"
        "The US said the strike was lawful self-defence under Article 51, a view Callamard rejected.\n"
        "In August 2022 the US charged an IRGC member with a plot to assassinate John Bolton in Washington.\n"
    ),
    NEWS: ("On 22 September 2020 Iranian Foreign Minister Javad Zarif said the book is not closed.\n"
           "Officials said the strike on 3 January killed eight.\n"),
}


def _passages() -> list[dict[str, Any]]:
    rows = []
    for sid, text in TEXTS.items():
        start = 0
        for i, line in enumerate(text.split("\n")[:-1]):
            rows.append(
                {
                    "passage_id": f"{sid}-p{i}",
                    "source_id": sid,
                    "section": "Aftermath > Legal" if i in (1, 2) else "Strike",
                    "ordinal": i,
                    "kind": "paragraph",
                    "char_start": start,
                    "char_end": start + len(line),
                    "text": line,
                }
            )
            start += len(line) + 1
    return rows


PASSAGES = _passages()


def prov(sid: str, quote: str, nth: int = 0) -> dict[str, Any]:
    """The five provenance columns of ``quote`` (its nth occurrence) in the fixture source ``sid``."""
    text = TEXTS[sid]
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    passage = next(p for p in PASSAGES if p["source_id"] == sid and p["char_start"] <= start < p["char_end"])
    return {"source_id": sid, "passage_id": passage["passage_id"], "char_start": start, "char_end": end, "quote": quote}


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def fixture_rows() -> dict[str, list[dict[str, Any]]]:
    month = {"date_precision": "month"}
    return {
        "sources": [
            {
                "source_id": WIKI, "title": "Assassination of Qasem Soleimani", "publisher": "Wikipedia",
                "author": "Wikipedia contributors", "url": "https://en.wikipedia.org/wiki/Assassination_of_Qasem_Soleimani",
                "published_date": None, "retrieved_date": day("2026-11-01"), "license": "CC-BY-SA-4.0",
                "full_text_public": True, "format": "wikipedia", "sha256": "a" * 64,
                "char_count": len(TEXTS[WIKI]), "text": TEXTS[WIKI],
            },
            {
                # The warehouse should already withhold this text; the fixture leaves it in on purpose.
                "source_id": NEWS, "title": "Iranian FM: 'The Book Is Not Closed'", "publisher": "CNSNews.com",
                "author": "Patrick Goodenough", "url": "https://www.cnsnews.com/article/x",
                "published_date": day("2020-09-22"), "retrieved_date": day("2026-11-01"),
                "license": "All rights reserved", "full_text_public": False, "format": "news",
                "sha256": "b" * 64, "char_count": len(TEXTS[NEWS]), "text": TEXTS[NEWS],
            },
        ],
        "passages": PASSAGES,
        "persons": [
            {"person_id": "qasem-soleimani", "name": "Qasem Soleimani", "aliases": ["Soleimani", "Qassem Suleimani"],
             "description": "Commander of the Quds Force", "country": "Iran", "mention_count": 1,
             "first_source_id": WIKI, "curated": True},
            {"person_id": "agnes-callamard", "name": "Agnès Callamard", "aliases": ["Callamard"],
             "description": "UN special rapporteur", "country": None, "mention_count": 2,
             "first_source_id": WIKI, "curated": True},
            {"person_id": "john-bolton", "name": "John Bolton", "aliases": [], "description": None,
             "country": "United States", "mention_count": 1, "first_source_id": WIKI, "curated": False},
            {"person_id": "javad-zarif", "name": "Javad Zarif", "aliases": ["Zarif"],
             "description": "Iranian Foreign Minister", "country": "Iran", "mention_count": 1,
             "first_source_id": NEWS, "curated": True},
        ],
        "organizations": [
            {"org_id": "irgc", "name": "Islamic Revolutionary Guard Corps", "aliases": ["IRGC"],
             "kind": "military", "country": "Iran", "mention_count": 1, "curated": True},
            {"org_id": "us-government", "name": "United States government", "aliases": ["US"],
             "kind": "government", "country": "United States", "mention_count": 3, "curated": True},
        ],
        "person_mentions": [
            {"mention_id": "m1", "person_id": "qasem-soleimani", "surface": "Qasem Soleimani",
             **prov(WIKI, "Qasem Soleimani")},
            {"mention_id": "m2", "person_id": "agnes-callamard", "surface": "Agnès Callamard",
             **prov(WIKI, "Agnès Callamard")},
            {"mention_id": "m3", "person_id": "agnes-callamard", "surface": "Callamard",
             **prov(WIKI, "Callamard", 1)},
            {"mention_id": "m4", "person_id": "john-bolton", "surface": "John Bolton", **prov(WIKI, "John Bolton")},
            {"mention_id": "m5", "person_id": "javad-zarif", "surface": "Javad Zarif", **prov(NEWS, "Javad Zarif")},
        ],
        "places": [
            {"place_id": "baghdad-international-airport", "name": "Baghdad International Airport",
             "country": "Iraq", "latitude": 33.2625, "longitude": 44.2346, "curated": True},
            {"place_id": "washington", "name": "Washington", "country": "United States",
             "latitude": None, "longitude": None, "curated": False},
        ],
        "events": [
            {"event_id": "e-strike", "date": "2020-01-03", "date_start": day("2020-01-03"),
             "date_end": day("2020-01-03"), "date_precision": "day", "date_text": "3 January 2020",
             "time_local": "00:52", "event_type": "strike", "summary": "US drone strike kills Qasem Soleimani",
             "place_id": "baghdad-international-airport", "location": "near Baghdad International Airport",
             "country": "Iraq", "killed": 10, "killed_low": 8, "killed_best": 10, "killed_high": 10,
             "disputed": True, "attributed_to": None, "mention_count": 2,
             **prov(WIKI, "Qasem Soleimani was killed by a US drone strike near Baghdad International Airport")},
            {"event_id": "e-callamard", "date": "2020-07", "date_start": day("2020-07-01"),
             "date_end": day("2020-07-31"), **month, "date_text": "July 2020", "event_type": "statement",
             "summary": "Callamard says the strike violated international law", "mention_count": 1, "disputed": False,
             **prov(WIKI, "said in July 2020 that the strike violated international law")},
            {"event_id": "e-charge", "date": "2022-08", "date_start": day("2022-08-01"),
             "date_end": day("2022-08-31"), **month, "date_text": "August 2022", "event_type": "legal_action",
             "summary": "US charges an IRGC member", "place_id": "washington", "country": "United States",
             "mention_count": 1, "disputed": False, **prov(WIKI, "the US charged an IRGC member")},
            {"event_id": "e-zarif", "date": "2020-09-22", "date_start": day("2020-09-22"),
             "date_end": day("2020-09-22"), "date_precision": "day", "date_text": "22 September 2020",
             "event_type": "statement", "summary": "Zarif says the book is not closed", "mention_count": 1,
             "attributed_to": "CNSNews.com", "disputed": False, **prov(NEWS, "Javad Zarif said the book is not closed")},
            {"event_id": "e-undated", "event_type": "other", "summary": "A view rejected",
             "mention_count": 1, "disputed": False, **prov(WIKI, "a view Callamard rejected")},
        ],
        "event_mentions": [
            {"mention_id": "em1", "event_id": "e-strike", "date_text": "3 January 2020",
             **prov(WIKI, "Qasem Soleimani was killed by a US drone strike near Baghdad International Airport")},
            {"mention_id": "em2", "event_id": "e-callamard", "date_text": "July 2020",
             **prov(WIKI, "said in July 2020 that the strike violated international law")},
            {"mention_id": "em3", "event_id": "e-charge", "date_text": "August 2022",
             **prov(WIKI, "the US charged an IRGC member")},
            {"mention_id": "em4", "event_id": "e-zarif", "date_text": "22 September 2020",
             **prov(NEWS, "Javad Zarif said the book is not closed")},
            {"mention_id": "em5", "event_id": "e-strike", "date_text": "3 January",
             **prov(NEWS, "the strike on 3 January killed eight")},
        ],
        "event_actors": [
            {"event_actor_id": "ea1", "event_id": "e-strike", "person_id": "qasem-soleimani", "role": "victim"},
            {"event_actor_id": "ea2", "event_id": "e-strike", "org_id": "us-government", "role": "perpetrator"},
            {"event_actor_id": "ea3", "event_id": "e-callamard", "person_id": "agnes-callamard", "role": "actor"},
        ],
        "plots": [
            {"plot_id": "plot-bolton", "name": "Plot to assassinate John Bolton", "status": "charged",
             "date": "2022-08", "date_start": day("2022-08-01"), "date_end": day("2022-08-31"), **month,
             "date_text": "August 2022", "place_id": "washington", "sponsor_org_id": "irgc",
             "summary": "IRGC member charged with a plot to assassinate John Bolton",
             **prov(WIKI, "a plot to assassinate John Bolton in Washington")},
        ],
        "plot_actors": [
            {"plot_actor_id": "pa1", "plot_id": "plot-bolton", "person_id": "john-bolton", "role": "target"},
            {"plot_actor_id": "pa2", "plot_id": "plot-bolton", "org_id": "irgc", "role": "perpetrator"},
        ],
        "plot_mentions": [
            {"mention_id": "pm1", "plot_id": "plot-bolton", "trigger": "plot", "status": "charged",
             "date_text": None, **prov(WIKI, "a plot to assassinate John Bolton in Washington")},
        ],
        "claims": [
            {"claim_id": "c1", "table": "events", "row_id": "e-strike", "mention_id": "em1", "property": "killed",
             "value": "10", "disputed": True,
             **prov(WIKI, "Qasem Soleimani was killed by a US drone strike near Baghdad International Airport")},
            {"claim_id": "c2", "table": "events", "row_id": "e-strike", "mention_id": "em5", "property": "killed",
             "value": "8", "disputed": True, **prov(NEWS, "the strike on 3 January killed eight")},
            {"claim_id": "c3", "table": "plots", "row_id": "plot-bolton", "mention_id": "pm1", "property": "status",
             "value": "charged", "disputed": False, **prov(WIKI, "a plot to assassinate John Bolton in Washington")},
        ],
        "legal_positions": [
            {"position_id": "lp1", "holder_name": "Agnès Callamard", "holder_person_id": "agnes-callamard",
             "holder_type": "person", "stance": "unlawful", "legal_basis": ["international law"],
             "subject": "the strike", "date": "2020-07", "date_start": day("2020-07-01"),
             "date_end": day("2020-07-31"), **month, "date_text": "July 2020",
             **prov(WIKI, "Agnès Callamard, the UN special rapporteur, said in July 2020 that the strike violated "
                    "international law")},
            {"position_id": "lp2", "holder_name": "The US", "holder_org_id": "us-government",
             "holder_type": "government", "stance": "lawful",
             "legal_basis": ["self-defence", "UN Charter Article 51"], "subject": "the strike",
             **prov(WIKI, "The US said the strike was lawful self-defence under Article 51")},
        ],
    }


def arrow_table(spec: Table, rows: list[dict[str, Any]]) -> pa.Table:
    schema = pa.schema([pa.field(c.name, TYPES[c.type]) for c in spec.columns])
    return pa.Table.from_pylist([{c: r.get(c) for c in spec.column_names} for r in rows], schema=schema)


def write_fixture_parquet(parquet_dir: Path, rows: dict[str, list[dict[str, Any]]] | None = None) -> None:
    """One valid ``<table>.parquet`` per dictionary table (the warehouse's output contract)."""
    rows = rows if rows is not None else fixture_rows()
    parquet_dir.mkdir(parents=True, exist_ok=True)
    for name, spec in DICT.tables.items():
        pq.write_table(arrow_table(spec, rows.get(name, [])), parquet_dir / f"{name}.parquet")


ATTRIBUTION = [
    {"source_id": WIKI, "title": "Assassination of Qasem Soleimani", "publisher": "Wikipedia",
     "author": "Wikipedia contributors", "url": "https://en.wikipedia.org/wiki/Assassination_of_Qasem_Soleimani",
     "license": "CC-BY-SA-4.0", "full_text_public": True},
    {"source_id": NEWS, "title": "Iranian FM: 'The Book Is Not Closed'", "publisher": "CNSNews.com",
     "author": "Patrick Goodenough", "url": "https://www.cnsnews.com/article/x", "license": "All rights reserved",
     "full_text_public": False},
]


@dataclass
class FixtureBuild:
    paths: Paths


def build_fixture_site(out: Path) -> FixtureBuild:
    """Fixture Parquet -> a release under ``out/publish/releases`` with ``publish/site`` pointing at it."""
    paths = Paths(raw_dir=out / "raw", out_dir=out)
    write_fixture_parquet(paths.parquet_dir)
    release = paths.releases_dir / FIXTURE_VERSION
    build_release(paths.parquet_dir, release, FIXTURE_VERSION, ATTRIBUTION)
    paths.site_dir.symlink_to(Path("releases") / FIXTURE_VERSION)
    return FixtureBuild(paths)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> FixtureBuild:
    return build_fixture_site(tmp_path_factory.mktemp("publish"))


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest) -> Paths:
    """Paths of the build under test (parquet_dir: the input, site_dir: the release).

    By default the real build of the seeds (conftest's ``built``, one per session);
    PUBLISH_TESTS_ON=fixture runs them on the small synthetic fixture instead.
    """
    which = "fixture_build" if os.environ.get("PUBLISH_TESTS_ON") == "fixture" else "built"
    return request.getfixturevalue(which).paths  # type: ignore[no-any-return]


# ------------------------------------------------------------------ helpers


def connect(paths: Paths) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{paths.site_dir / DB_FILE}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def expected_table(paths: Paths, name: str) -> list[dict[str, Any]]:
    """The input table as published: dictionary columns, non-public text withheld."""
    spec = DICT.tables[name]
    rows = pq.read_table(paths.parquet_dir / f"{name}.parquet").select(spec.column_names).to_pylist()
    if name in ("sources", "passages"):
        sources = pq.read_table(paths.parquet_dir / "sources.parquet").to_pylist()
        closed = {s["source_id"] for s in sources if not s["full_text_public"]}
        for r in rows:
            if r["source_id"] in closed:
                r["text"] = None
    return rows


def parse_csv_value(ctype: str, raw: str) -> Any:
    if raw == "":
        return None
    if ctype == "integer":
        return int(raw)
    if ctype == "number":
        return float(raw)
    if ctype == "boolean":
        assert raw in ("true", "false"), raw
        return raw == "true"
    if ctype == "date":
        return dt.date.fromisoformat(raw)
    if ctype == "list":
        value = json.loads(raw)
        assert isinstance(value, list)
        return value
    return raw


def read_csv(path: Path, spec: Table) -> list[dict[str, Any]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    assert header == spec.column_names
    types = [spec.column(c).type for c in header]
    return [{c: parse_csv_value(t, v) for c, t, v in zip(header, types, row, strict=True)} for row in reader]


def top_person(paths: Paths) -> str:
    with connect(paths) as conn:
        row = conn.execute("select person_id from persons order by mention_count desc, person_id limit 1").fetchone()
    assert row, "no persons to test with"
    return str(row[0])


def search_term(paths: Paths) -> str:
    """'Callamard' if the passages mention her, else a word of the most-mentioned person's name."""
    with connect(paths) as conn:
        if conn.execute("select count(*) from passages_fts where passages_fts match 'Callamard'").fetchone()[0]:
            return "Callamard"
        name = conn.execute("select name from persons order by mention_count desc limit 1").fetchone()[0]
    return str(name).split()[-1]


# ------------------------------------------------------------------ SQLite


def test_sqlite_keys_indexes_and_not_null(site: Paths) -> None:
    with connect(site) as conn:
        for name, spec in DICT.tables.items():
            info = conn.execute(f'pragma table_info("{name}")').fetchall()
            assert [r["name"] for r in info] == spec.column_names
            pk = [r["name"] for r in sorted(info, key=lambda r: r["pk"]) if r["pk"]]
            assert pk == list(spec.primary_key), name
            notnull = {r["name"] for r in info if r["notnull"]}
            assert notnull >= {c.name for c in spec.columns if not c.nullable and c.name not in spec.primary_key}
            fks = {(r["from"], r["table"], r["to"]) for r in conn.execute(f'pragma foreign_key_list("{name}")')}
            assert fks == set(spec.foreign_keys), name
            indexed = set()
            for idx in conn.execute(f'pragma index_list("{name}")').fetchall():
                cols = [r["name"] for r in conn.execute(f'pragma index_info("{idx["name"]}")')]
                indexed.add(cols[0])
            assert {col for col, _, _ in spec.foreign_keys} <= indexed, name
        assert conn.execute("pragma foreign_key_check").fetchall() == []


def test_sqlite_fts_on_dictionary_columns(site: Paths) -> None:
    with connect(site) as conn:
        for name, spec in DICT.tables.items():
            if not spec.fts:
                continue
            cols = [r["name"] for r in conn.execute(f'pragma table_info("{name}_fts")')]
            assert cols == list(spec.fts), name
            sql = conn.execute("select sql from sqlite_master where name = ?", (f"{name}_fts",)).fetchone()[0]
            assert "fts5" in sql.lower()
            total = conn.execute(f'select count(*) from "{name}_fts"').fetchone()[0]
            assert total == conn.execute(f'select count(*) from "{name}"').fetchone()[0]
        term = search_term(site)
        hits = conn.execute(
            "select p.text, p.section from passages p join passages_fts f on f.rowid = p.rowid "
            "where passages_fts match ?",
            (term,),
        ).fetchall()
        assert hits and all(term.lower() in ((h["text"] or "") + h["section"]).lower() for h in hits)


def test_sqlite_values_lists_as_json_dates_as_iso(site: Paths) -> None:
    with connect(site) as conn:
        for name, spec in DICT.tables.items():
            expected = expected_table(site, name)
            pk = spec.primary_key[0]
            got = {r[pk]: r for r in conn.execute(f'select * from "{name}"')}
            assert len(got) == len(expected), name
            for row in expected:
                stored = got[row[pk]]
                for c in spec.columns:
                    value, want = stored[c.name], row[c.name]
                    if want is None:
                        assert value is None, (name, c.name)
                    elif c.type == "list":
                        assert json.loads(value) == want
                    elif c.type == "date":
                        assert value == want.isoformat()
                    elif c.type == "boolean":
                        assert value == int(want)
                    else:
                        assert value == want, (name, c.name)


def test_release_and_changes_tables(site: Paths) -> None:
    version = (site.site_dir / "downloads" / "VERSION").read_text().strip()
    with connect(site) as conn:
        rel = conn.execute("select * from releases").fetchall()
        assert [r["version"] for r in rel] == [version]
        counts = json.loads(rel[0]["row_counts"])
        assert set(counts) == set(DICT.tables)
        cols = [r["name"] for r in conn.execute("pragma table_info(changes)")]
        assert {"table_name", "change", "row_id", "version"} <= set(cols)
        for view in ("events_map", "plots_map"):
            vcols = [r["name"] for r in conn.execute(f"pragma table_info({view})")]
            assert {"latitude", "longitude"} <= set(vcols)
            bad = conn.execute(f"select count(*) from {view} where latitude is null or longitude is null").fetchone()
            assert bad[0] == 0


# ------------------------------------------------------------------ withheld text


def test_non_public_text_is_withheld_everywhere(tmp_path: Path) -> None:
    """The fixture input carries the news article's text; nothing published may."""
    paths = build_fixture_site(tmp_path).paths
    assert pq.read_table(paths.parquet_dir / "sources.parquet").to_pylist()[1]["text"]  # input has it
    secret = "book is not closed"
    rel = paths.site_dir
    with connect(paths) as conn:
        assert conn.execute("select text from sources where source_id = ?", (NEWS,)).fetchone()[0] is None
        assert conn.execute("select count(*) from passages where source_id = ? and text is not null",
                            (NEWS,)).fetchone()[0] == 0
        assert conn.execute("select count(*) from passages where source_id = ? and text is not null",
                            (WIKI,)).fetchone()[0] == 4
    for name in ("sources", "passages"):
        assert secret not in (rel / "downloads" / f"{name}.csv").read_text(encoding="utf-8-sig")
        rows = pq.read_table(rel / "downloads" / f"{name}.parquet").to_pylist()
        assert all(r["text"] is None for r in rows if r["source_id"] == NEWS)
    # A short quote from it is allowed (events.quote), but never its full text.
    assert TEXTS[NEWS].strip() not in (rel / DB_FILE).read_bytes().decode("utf-8", "ignore")


# ------------------------------------------------------------------ metadata


def test_metadata_describes_every_table_and_column(site: Paths) -> None:
    meta = json.loads((site.site_dir / "metadata.json").read_text())
    version = (site.site_dir / "downloads" / "VERSION").read_text().strip()
    assert meta["version"] == version and version in meta["description_html"]
    assert meta["license"] == "CC BY-SA 4.0" and meta["license_url"] == DICT.license_url
    assert "modified" in meta["description_html"] and "wikipedia.org" in meta["description_html"]
    assert meta["source"] and meta["source_url"]
    db = meta["databases"]["soleimani"]
    for name, spec in DICT.tables.items():
        tmeta = db["tables"][name]
        assert tmeta["description"] == spec.description
        assert set(tmeta["columns"]) == set(spec.column_names), name
        assert all(tmeta["columns"].values())
        for c in spec.columns:
            for value in (DICT.allowed(c) or ()):
                assert value in tmeta["columns"][c.name], (name, c.name, value)
        facet_cols = [f if isinstance(f, str) else f["array"] for f in tmeta.get("facets", [])]
        assert set(facet_cols) <= set(spec.column_names)
    assert {"event_type", "country", "date_precision"} <= set(db["tables"]["events"]["facets"])
    lp_facets = db["tables"]["legal_positions"]["facets"]
    assert {"stance", "holder_type"} <= {f for f in lp_facets if isinstance(f, str)}
    assert {"array": "legal_basis"} in lp_facets
    for name in ("persons", "organizations", "places", "plots", "sources", "events"):
        assert db["tables"][name]["label_column"] in DICT.tables[name].column_names
    assert {"timeline", "legal_positions_by_stance", "plots_with_actors", "person_dossier",
            "release_changes", "disputes"} <= set(db["queries"])
    assert "datasette-cluster-map" in meta["plugins"]


# ------------------------------------------------------------------ downloads


def test_round_trip_csv_and_parquet(site: Paths) -> None:
    downloads = site.site_dir / "downloads"
    for name, spec in DICT.tables.items():
        expected = expected_table(site, name)
        assert pq.read_table(downloads / f"{name}.parquet").to_pylist() == expected, name
        assert read_csv(downloads / f"{name}.csv", spec) == expected, name


def test_csv_is_rfc4180_with_bom_and_json_lists(tmp_path: Path) -> None:
    spec = DICT.tables["persons"]
    rows = [
        {"person_id": "a", "name": 'He said "no", then left', "aliases": ['x, "y"', "é"], "description": "two\nlines",
         "country": None, "mention_count": 3, "first_source_id": "s", "curated": True},
        {"person_id": "b", "name": "Plain", "aliases": [], "description": None, "country": "Iraq",
         "mention_count": 1, "first_source_id": "s", "curated": False},
    ]
    path = tmp_path / "persons.csv"
    write_csv(arrow_table(spec, rows), spec, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    assert b'"He said ""no"", then left"' in data  # quoted, inner quotes doubled
    assert b'"two\nlines"' in data  # a line break only inside a quoted field
    assert b',[],,Iraq,' in data  # empty list is [], null is empty
    assert read_csv(path, spec) == [{c: r[c] for c in spec.column_names} for r in rows]


def test_datapackage_validates_with_frictionless(site: Paths) -> None:
    downloads = site.site_dir / "downloads"
    package = json.loads((downloads / "datapackage.json").read_text())
    assert package["version"] == (downloads / "VERSION").read_text().strip()
    assert package["licenses"][0]["path"] == DICT.license_url
    assert {r["name"] for r in package["resources"]} == set(DICT.tables)
    for res in package["resources"]:
        spec = DICT.tables[res["name"]]
        path = downloads / res["path"]
        assert res["bytes"] == path.stat().st_size
        assert res["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        assert res["schema"]["primaryKey"] == list(spec.primary_key)
        fks = {(f["fields"], f["reference"]["resource"], f["reference"]["fields"]) for f in res["schema"]["foreignKeys"]}
        assert fks == set(spec.foreign_keys)
        assert [f["name"] for f in res["schema"]["fields"]] == spec.column_names
    frictionless = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run(
        [str(frictionless), "validate", "--json", "datapackage.json"],
        cwd=downloads, capture_output=True, text=True, timeout=300,
    )
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["valid"], json.dumps(report["tasks"], indent=1)[:3000]


def test_sha256sums_and_version(site: Paths) -> None:
    downloads = site.site_dir / "downloads"
    listed = {}
    for line in (downloads / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
        assert hashlib.sha256((downloads / name).read_bytes()).hexdigest() == digest, name
    files = {p.name for p in downloads.iterdir() if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    for name in DICT.tables:
        assert {f"{name}.csv", f"{name}.parquet"} <= files
    assert {"datapackage.json", "VERSION", "README.md", DB_FILE} <= files
    assert "UTF-8 with a byte-order mark" in (downloads / "README.md").read_text()


# ------------------------------------------------------------------ failures and change log


def test_missing_table_or_broken_key_stops_the_build(tmp_path: Path) -> None:
    rows = fixture_rows()
    write_fixture_parquet(tmp_path / "pq", rows)
    (tmp_path / "pq" / "plots.parquet").unlink()
    with pytest.raises(PublishError, match="plots"):
        build_release(tmp_path / "pq", tmp_path / "r1", "v1", ATTRIBUTION)
    rows["event_actors"][0]["person_id"] = "nobody"
    write_fixture_parquet(tmp_path / "pq2", rows)
    with pytest.raises(PublishError, match="refer to missing rows"):
        build_release(tmp_path / "pq2", tmp_path / "r2", "v2", ATTRIBUTION)


def test_change_log_against_previous_release(tmp_path: Path) -> None:
    first = build_fixture_site(tmp_path / "a").paths
    rows = fixture_rows()
    rows["events"][0]["killed"] = 11  # modified
    rows["event_mentions"] = [m for m in rows["event_mentions"] if m["event_id"] != "e-zarif"]
    rows["event_actors"] = [a for a in rows["event_actors"] if a["event_id"] != "e-zarif"]
    rows["events"] = [e for e in rows["events"] if e["event_id"] != "e-zarif"]  # deleted
    rows["organizations"].append({"org_id": "un", "name": "United Nations", "aliases": ["UN"], "mention_count": 1,
                               "curated": False})
    write_fixture_parquet(tmp_path / "pq", rows)
    summary = build_release(tmp_path / "pq", tmp_path / "r2", "v2", ATTRIBUTION, first.site_dir.resolve())
    assert summary["version"] == "v2"
    conn = sqlite3.connect(tmp_path / "r2" / DB_FILE)
    got = set(conn.execute("select table_name, change, row_id from changes where version = 'v2'").fetchall())
    assert {("events", "modified", "e-strike"), ("events", "deleted", "e-zarif"),
            ("organizations", "added", "un")} <= got
    assert ("events", "modified", "e-callamard") not in got
    assert conn.execute("select previous_version from releases").fetchone()[0] == FIXTURE_VERSION
    assert json.loads((tmp_path / "r2" / "downloads" / "changes.json").read_text())["tables"]["events"]


# ------------------------------------------------------------------ Datasette


@pytest.fixture(scope="session")
def http(site: Paths) -> Iterator[Callable[[str], Any]]:
    """GET a path from the release's Datasette in process (HTTPX over ASGI)."""
    app = datasette_app(site.site_dir)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(app.invoke_startup())

    def get(path: str) -> Any:
        return loop.run_until_complete(app.client.get(path))

    yield get
    loop.close()


def test_serve_command_is_immutable_and_complete(site: Paths) -> None:
    cmd = datasette_command(site.site_dir, port=8123)
    release = site.site_dir.resolve()
    assert cmd[cmd.index("-i") + 1] == str(release / DB_FILE)
    assert cmd[cmd.index("--inspect-file") + 1] == str(release / "counts.json")
    assert f"downloads:{release / 'downloads'}" in cmd
    assert {"--metadata", "--template-dir", "--plugins-dir", "--setting"} <= set(cmd)
    assert cmd[cmd.index("--port") + 1] == "8123"
    settings = dict(zip(cmd[cmd.index("--setting") + 1::3], cmd[cmd.index("--setting") + 2::3], strict=False))
    assert "sql_time_limit_ms" in settings and "max_returned_rows" in settings


def test_datasette_serves_every_table(site: Paths, http: Callable[[str], Any]) -> None:
    with connect(site) as conn:
        counts = {n: conn.execute(f'select count(*) from "{n}"').fetchone()[0] for n in DICT.tables}
    version = (site.site_dir / "downloads" / "VERSION").read_text().strip()
    for name in [*DICT.tables, "events_map", "plots_map", "releases", "changes"]:
        page = http(f"/soleimani/{name}")
        assert page.status_code == 200, name
        assert f"Release <a href=\"/downloads/\">{version}</a>" in page.text, name  # footer
        data = http(f"/soleimani/{name}.json?_shape=objects&_size=5").json()
        if name in counts:
            assert data["filtered_table_rows_count"] == counts[name], name
            assert set(data["rows"][0]) >= set(DICT.tables[name].column_names) if counts[name] else True


def test_datasette_home_page_shows_version_chart_and_downloads(site: Paths, http: Callable[[str], Any]) -> None:
    version = (site.site_dir / "downloads" / "VERSION").read_text().strip()
    home = http("/")
    assert home.status_code == 200
    assert f'<strong id="release-version">{version}</strong>' in home.text
    assert 'href="/downloads/"' in home.text
    with connect(site) as conn:
        charted = conn.execute(
            "select count(*) from events where date_start is not null and date_precision in ('day','month')"
        ).fetchone()[0]
    if charted:
        assert 'id="timeline-chart"' in home.text and home.text.count('class="bar"') >= 1
    assert "https://cdn" not in home.text and "unpkg.com" not in home.text and "jsdelivr" not in home.text
    downloads = http("/downloads/")
    assert downloads.status_code == 200 and version in downloads.text and "events.csv" in downloads.text
    assert http("/downloads").status_code in (301, 302)
    csv_file = http("/downloads/events.csv")
    assert csv_file.status_code == 200 and csv_file.content.startswith(b"\xef\xbb\xbf")
    versions = http("/-/versions.json").json()
    assert version in (versions["datasette"].get("note") or "")


def test_datasette_search_and_facets(site: Paths, http: Callable[[str], Any]) -> None:
    term = search_term(site)
    found = http(f"/soleimani/passages.json?_search={term}&_shape=objects").json()
    assert found["rows"] and all(term.lower() in ((r["text"] or "") + r["section"]).lower() for r in found["rows"])
    faceted = http("/soleimani/events.json?_facet=event_type&_size=0").json()
    results = faceted["facet_results"]["event_type"]["results"]
    with connect(site) as conn:
        by_type = dict(conn.execute("select event_type, count(*) from events group by 1").fetchall())
    assert {r["value"]: r["count"] for r in results} == by_type
    page = http("/soleimani/legal_positions?_facet_array=legal_basis")
    assert page.status_code == 200
    default_facets = http("/soleimani/events.json?_size=0").json()["facet_results"]
    assert "event_type" in default_facets  # configured in metadata


def test_datasette_canned_queries(site: Paths, http: Callable[[str], Any]) -> None:
    meta = json.loads((site.site_dir / "metadata.json").read_text())
    person = top_person(site)
    for name, query in meta["databases"]["soleimani"]["queries"].items():
        params = "&person_id=" + person if "person_id" in query.get("params", []) else ""
        resp = http(f"/soleimani/{name}.json?_shape=objects{params}")
        assert resp.status_code == 200, (name, resp.text[:500])
        assert "rows" in resp.json()
        assert http(f"/soleimani/{name}").status_code == 200
    with connect(site) as conn:
        events = conn.execute("select count(*) from events").fetchone()[0]
        mentions = conn.execute("select count(*) from person_mentions where person_id = ?", (person,)).fetchone()[0]
        plots = conn.execute("select count(*) from plots").fetchone()[0]
    timeline = http("/soleimani/timeline.json?_shape=objects&_size=max").json()["rows"]
    assert len(timeline) == min(events, 1000) and "date_precision" in timeline[0]
    starts = [r["date_start"] for r in timeline if r["date_start"]]
    assert starts == sorted(starts)
    dossier = http(f"/soleimani/person_dossier.json?_shape=objects&person_id={person}").json()["rows"]
    assert sum(1 for r in dossier if r["kind"] == "mention") == min(mentions, 1000)
    assert all(r["quote"] for r in dossier)
    plots_rows = http("/soleimani/plots_with_actors.json?_shape=objects").json()["rows"]
    assert len(plots_rows) == plots and {"targets", "perpetrators"} <= set(plots_rows[0] if plots_rows else {
        "targets": 1, "perpetrators": 1})


@pytest.fixture
def fresh_app(site: Paths, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """A new in-process Datasette (own response cache) per call; keyword args set the cache bounds in MB."""
    loops: list[asyncio.AbstractEventLoop] = []

    def make(total_mb: float | None = None, entry_mb: float | None = None) -> Callable[..., Any]:
        for name, value in (("SOLEIMANI_RESPONSE_CACHE_MB", total_mb), ("SOLEIMANI_RESPONSE_CACHE_ENTRY_MB", entry_mb)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, str(value))
        app = datasette_app(site.site_dir)  # the cache's bounds are read here
        loop = asyncio.new_event_loop()
        loops.append(loop)
        loop.run_until_complete(app.invoke_startup())

        def get(*paths: str, **kwargs: Any) -> Any:
            """One path: its response; several: requested concurrently, their responses in order."""
            if len(paths) == 1:
                return loop.run_until_complete(app.client.get(paths[0], **kwargs))

            async def concurrently() -> list[Any]:
                return list(await asyncio.gather(*(app.client.get(p, **kwargs) for p in paths)))

            return loop.run_until_complete(concurrently())

        return get

    yield make
    for loop in loops:
        loop.close()


def test_response_cache_serves_repeats_byte_identical(fresh_app: Callable[..., Any]) -> None:
    get = fresh_app()
    path = "/soleimani/events?_size=5"
    first, second = get(path), get(path)
    assert first.status_code == second.status_code == 200
    assert first.headers["x-cache"] == "miss" and second.headers["x-cache"] == "hit"
    assert second.content == first.content
    same = {k: v for k, v in first.headers.items() if k != "x-cache"}
    assert {k: v for k, v in second.headers.items() if k != "x-cache"} == same
    # Another query string is another entry, with its own page; both stay cached.
    other = get("/soleimani/events?_size=3")
    assert other.headers["x-cache"] == "miss" and other.content != first.content
    assert get("/soleimani/events?_size=3").headers["x-cache"] == "hit"
    assert get(path).headers["x-cache"] == "hit"
    # Concurrent misses for one URL are computed once; the others get the same bytes.
    many = get(*["/soleimani/events.json?_size=2"] * 5)
    assert sorted(r.headers["x-cache"] for r in many) == ["hit"] * 4 + ["miss"]
    assert len({r.content for r in many}) == 1


def test_response_cache_skips_what_may_differ(fresh_app: Callable[..., Any]) -> None:
    get = fresh_app(entry_mb=0.001)  # entries up to ~1 KB
    csv_path = "/soleimani/events.csv?_size=max"
    assert len(get(csv_path).content) > 1024
    assert [get(csv_path).headers["x-cache"] for _ in range(2)] == ["miss", "miss"]  # above the entry bound
    get = fresh_app()
    assert "x-cache" not in get("/-/versions.json").headers  # live introspection pages
    assert "x-cache" not in get("/downloads/VERSION").headers  # files of static mounts
    assert [get("/soleimani/events?_ttl=0").headers["x-cache"] for _ in range(2)] == ["miss", "miss"]  # no-cache
    assert "x-cache" not in get("/soleimani/events", cookies={"ds_actor": "x"}).headers
    assert get("/soleimani/events").headers["x-cache"] == "miss"  # the cookie request was not stored
    assert get("/soleimani/events").headers["x-cache"] == "hit"
    assert get("/soleimani/no_such_table").status_code == 404
    assert get("/soleimani/no_such_table").headers["x-cache"] == "miss"  # only 200s are kept


def test_response_cache_evicts_least_recently_used(fresh_app: Callable[..., Any]) -> None:
    a, b = "/soleimani/events?_size=20", "/soleimani/events?_size=21"
    off = fresh_app(total_mb=0)  # 0 turns the cache off
    assert "x-cache" not in off(a).headers
    sizes = [len(off(p).content) for p in (a, b)]
    get = fresh_app(total_mb=max(sizes) * 1.5 / 2**20)  # room for one of the two pages, not both
    assert [get(p).headers["x-cache"] for p in (a, a, b, b, a)] == ["miss", "hit", "miss", "hit", "miss"]
    get = fresh_app()  # the default bound keeps both
    assert [get(p).headers["x-cache"] for p in (a, b, a, b)] == ["miss", "miss", "hit", "hit"]


def test_fixture_canned_query_answers(fixture_build: FixtureBuild) -> None:
    """On the fixture, where the answers are known: the queries join what they should."""
    conn = sqlite3.connect(fixture_build.paths.site_dir / DB_FILE)
    conn.row_factory = sqlite3.Row
    meta = json.loads((fixture_build.paths.site_dir / "metadata.json").read_text())
    q = meta["databases"]["soleimani"]["queries"]
    plots = conn.execute(q["plots_with_actors"]["sql"]).fetchall()
    assert [(p["targets"], p["perpetrators"], p["sponsors"]) for p in plots] == [
        ("John Bolton", "Islamic Revolutionary Guard Corps", "Islamic Revolutionary Guard Corps")
    ]
    stances = conn.execute(q["legal_positions_by_stance"]["sql"]).fetchall()
    assert ("unlawful", "international law", 1) in [(r[0], r[1], r[2]) for r in stances]
    dossier = conn.execute(q["person_dossier"]["sql"], {"person_id": "agnes-callamard"}).fetchall()
    assert [r["kind"] for r in dossier] == ["mention", "mention", "event", "legal_position"]
    timeline = conn.execute(q["timeline"]["sql"], {"event_type": "statement", "date_from": "", "date_to": ""})
    assert [r["event_id"] for r in timeline] == ["e-callamard", "e-zarif"]
    with_basis = conn.execute(q["legal_positions_with_quotes"]["sql"], {"stance": "", "legal_basis": "self-defence"})
    assert [r["position_id"] for r in with_basis] == ["lp2"]
    disputes = conn.execute(q["disputes"]["sql"], {"table": ""}).fetchall()
    assert [(r["row_id"], r["property"], r["value"], r["source_id"]) for r in disputes] == [
        ("e-strike", "killed", "10", WIKI), ("e-strike", "killed", "8", NEWS)]
