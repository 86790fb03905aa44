"""Distinct, realistic URLs for a published release: what 50 different readers would ask for.

What belongs here: reading a release's database and metadata (real primary keys,
foreign-key values, facet values, sort values, names) and turning them into a
large set of distinct Datasette URLs of every kind a reader meets -- row pages,
table pages filtered, sorted and paged (``_next`` keyset tokens as Datasette
writes them), facet pages, full-text searches, canned queries with different
parameters, CSV exports -- in HTML and JSON. No URL repeats, so a response
cache cannot serve any of them; ``bench/load.py --distinct`` sends them.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from datasette.utils import tilde_encode

DB = "soleimani"
# Tables a reader browses (not the release bookkeeping or SQLite's own).
SKIP_TABLES = {"changes", "releases", "redirects", "sqlite_stat1"}
# Share of each kind in the mix (a reader mostly opens rows and filtered tables).
MIX = {"row": 30, "filter": 22, "sort": 12, "facet": 10, "search": 10, "canned": 12, "csv": 4}


def _q(con: sqlite3.Connection, sql: str, *args: Any) -> list[Any]:
    return con.execute(sql, args).fetchall()


def _table_info(con: sqlite3.Connection, meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    tables = [r[0] for r in _q(con, "select name from sqlite_master where type = 'table'")]
    fts = {t[: -len("_fts")] for t in tables if t.endswith("_fts")}
    info: dict[str, dict[str, Any]] = {}
    for t in tables:
        if t in SKIP_TABLES or "_fts" in t or t not in meta.get("tables", {}):
            continue
        cols = _q(con, f'pragma table_info("{t}")')
        pks = [c[1] for c in sorted(cols, key=lambda c: c[5]) if c[5]]
        if len(pks) != 1:
            continue
        tm = meta["tables"][t]
        facets = [f for f in tm.get("facets") or [] if isinstance(f, str)]
        fks = [r[3] for r in _q(con, f'pragma foreign_key_list("{t}")')]
        sorts = [c[1] for c in cols if c[1] in ("date_start", "mention_count", "char_start", "ordinal", "killed")]
        count = _q(con, f'select count(*) from "{t}"')[0][0]
        info[t] = {"pk": pks[0], "facets": facets, "filters": list(dict.fromkeys(fks + facets)),
                   "sorts": sorts, "fts": t in fts, "count": count, "columns": [c[1] for c in cols]}
    return info


def _sample(con: sqlite3.Connection, sql: str, n: int, rng: random.Random, *args: Any) -> list[Any]:
    rows = _q(con, sql, *args)
    rng.shuffle(rows)
    return rows[:n]


def _ext(i: int) -> str:
    return ".json" if i % 2 else ""  # every kind half HTML, half JSON


def _rows(con: sqlite3.Connection, info: dict[str, dict[str, Any]], rng: random.Random, n: int) -> Iterator[str]:
    per = max(1, n // max(1, len(info)))
    for t, ti in info.items():
        for i, (pk,) in enumerate(_sample(con, f'select "{ti["pk"]}" from "{t}"', per, rng)):
            yield f"/{DB}/{t}/{tilde_encode(str(pk))}{_ext(i)}"


def _filters(con: sqlite3.Connection, info: dict[str, dict[str, Any]], rng: random.Random, n: int) -> Iterator[str]:
    pairs = [(t, c) for t, ti in info.items() for c in ti["filters"]]
    per = max(1, n // max(1, len(pairs)))
    for t, c in pairs:
        values = _sample(con, f'select distinct "{c}" from "{t}" where "{c}" is not null', per, rng)
        for i, (v,) in enumerate(values):
            yield f"/{DB}/{t}{_ext(i)}?{urlencode({c: v})}"


def _sorts(con: sqlite3.Connection, info: dict[str, dict[str, Any]], rng: random.Random, n: int) -> Iterator[str]:
    """Sorted pages deep in a table: ``_next`` is the keyset token Datasette writes (sort value, pk)."""
    pairs = [(t, s) for t, ti in info.items() for s in ti["sorts"] if ti["count"] > 50]
    per = max(1, n // max(1, len(pairs)))
    for t, s in pairs:
        pk = info[t]["pk"]
        rows = _sample(con, f'select "{s}", "{pk}" from "{t}" where "{s}" is not null', per, rng)
        for i, (sv, pv) in enumerate(rows):
            direction = "_sort_desc" if i % 4 < 2 else "_sort"
            token = f"{tilde_encode(str(sv))},{tilde_encode(str(pv))}"
            yield f"/{DB}/{t}{_ext(i)}?{urlencode({direction: s, '_next': token})}"


def _facets(con: sqlite3.Connection, info: dict[str, dict[str, Any]], rng: random.Random, n: int) -> Iterator[str]:
    """Explicit facets on a filtered table (a different facet pair and filter value each time)."""
    cands = [(t, ti) for t, ti in info.items() if len(ti["facets"]) >= 2 and ti["filters"]]
    per = max(1, n // max(1, len(cands)))
    for t, ti in cands:
        for i in range(per):
            c = ti["filters"][i % len(ti["filters"])]
            vals = _sample(con, f'select distinct "{c}" from "{t}" where "{c}" is not null', 1, rng)
            if not vals:
                continue
            others = [f for f in ti["facets"] if f != c] or ti["facets"]
            args = [("_facet", f) for f in rng.sample(others, k=min(2, len(others)))] + [(c, vals[0][0])]
            yield f"/{DB}/{t}{_ext(i)}?{urlencode(args)}"


def _words(con: sqlite3.Connection) -> list[str]:
    """Search terms readers type: the words of person, organisation and place names."""
    words: set[str] = set()
    for table, col in (("persons", "name"), ("organizations", "name"), ("places", "name")):
        try:
            for (name,) in _q(con, f'select "{col}" from "{table}"'):
                words.update(w.strip(".,'\"()") for w in str(name).split() if len(w) > 3 and w[:1].isupper())
        except sqlite3.OperationalError:
            pass
    return sorted(w for w in words if w.isalpha())


def _searches(con: sqlite3.Connection, info: dict[str, dict[str, Any]], rng: random.Random, n: int) -> Iterator[str]:
    fts = [t for t, ti in info.items() if ti["fts"]]
    words = _words(con)
    if not fts or not words:
        return
    sources = [r[0] for r in _q(con, "select source_id from sources")]
    for i in range(n):
        t = fts[i % len(fts)]
        args: list[tuple[str, str]] = [("_search", rng.choice(words))]
        if i % 3 and "source_id" in info[t]["columns"] and sources:
            args.append(("source_id", rng.choice(sources)))  # a search within one source
        yield f"/{DB}/{t}{_ext(i)}?{urlencode(args)}"


def _canned(con: sqlite3.Connection, meta: dict[str, Any], rng: random.Random, n: int) -> Iterator[str]:
    """Canned queries with different parameters: dossiers of many people, timelines of date windows."""
    queries = meta.get("queries", {})
    gens: list[Iterator[str]] = []
    if "person_dossier" in queries:
        people = _sample(con, "select person_id from persons", n, rng)
        gens.append(f"/{DB}/person_dossier{_ext(i)}?{urlencode({'person_id': p})}" for i, (p,) in enumerate(people))
    if "timeline" in queries:
        days = [r[0] for r in _q(con, "select distinct date_start from events where date_start is not null")]
        types = [""] + [r[0] for r in _q(con, "select distinct event_type from events where event_type is not null")]

        def timeline() -> Iterator[str]:
            for i in range(n):
                a, b = sorted(rng.sample(days, 2)) if len(days) >= 2 else ("", "")
                yield f"/{DB}/timeline{_ext(i)}?" + urlencode(
                    {"event_type": rng.choice(types), "date_from": a, "date_to": b})
        gens.append(timeline())
    if "legal_positions_with_quotes" in queries:
        stances = [""] + [r[0] for r in _q(con, "select distinct stance from legal_positions")]
        bases = [""] + [r[0] for r in _q(con, "select distinct b.value from legal_positions, json_each(legal_basis) b")]
        gens.append(f"/{DB}/legal_positions_with_quotes{_ext(i)}?" + urlencode({"stance": s, "legal_basis": b})
                    for i, (s, b) in enumerate((s, b) for s in stances for b in bases))
    if "disputes" in queries:
        gens.append(f"/{DB}/disputes{_ext(i)}?" + urlencode({"table": t})
                    for i, t in enumerate(["", "events", "plots", "legal_positions", "persons"]))
    yield from _round_robin(gens)


def _csv(con: sqlite3.Connection, info: dict[str, dict[str, Any]], rng: random.Random, n: int) -> Iterator[str]:
    tables = [t for t, ti in info.items() if "source_id" in ti["columns"]]
    sources = [r[0] for r in _q(con, "select source_id from sources")]
    for i in range(n):
        if not tables or not sources:
            return
        yield f"/{DB}/{tables[i % len(tables)]}.csv?" + urlencode({"source_id": rng.choice(sources)})


def _round_robin(gens: list[Iterator[str]]) -> Iterator[str]:
    live = list(gens)
    while live:
        for g in list(live):
            try:
                yield next(g)
            except StopIteration:
                live.remove(g)


def distinct_urls(site_dir: Path, n: int = 5000, seed: int = 1) -> list[tuple[str, str]]:
    """Up to ``n`` distinct (kind, path) pairs in ``MIX`` proportions, interleaved, reproducible by ``seed``."""
    site = site_dir.resolve()
    meta = json.loads((site / "metadata.json").read_text())["databases"][DB]
    con = sqlite3.connect(f"file:{site / (DB + '.db')}?mode=ro&immutable=1", uri=True)
    rng = random.Random(seed)
    try:
        info = _table_info(con, meta)
        total = sum(MIX.values())
        want = {k: max(1, n * w // total) for k, w in MIX.items()}
        makers = {
            "row": lambda k: _rows(con, info, rng, k),
            "filter": lambda k: _filters(con, info, rng, k),
            "sort": lambda k: _sorts(con, info, rng, k),
            "facet": lambda k: _facets(con, info, rng, k),
            "search": lambda k: _searches(con, info, rng, k),
            "canned": lambda k: _canned(con, meta, rng, k),
            "csv": lambda k: _csv(con, info, rng, k),
        }
        seen: set[str] = set()
        lists: dict[str, list[str]] = {}
        for kind, k in want.items():
            out = []
            for path in makers[kind](k * 2):  # ask for more: duplicates are dropped
                if path not in seen:
                    seen.add(path)
                    out.append(path)
                if len(out) >= k:
                    break
            rng.shuffle(out)
            lists[kind] = out
    finally:
        con.close()
    # Interleave by weight, so every stretch of the run has the same mix.
    result: list[tuple[str, str]] = []
    pos = dict.fromkeys(lists, 0.0)
    step = {k: len(v) / max(1, n) for k, v in lists.items()}
    idx = dict.fromkeys(lists, 0)
    for _ in range(n):
        for kind in lists:
            pos[kind] += step[kind]
            while idx[kind] < len(lists[kind]) and idx[kind] < pos[kind]:
                result.append((kind, lists[kind][idx[kind]]))
                idx[kind] += 1
    for kind, v in lists.items():
        result += [(kind, p) for p in v[idx[kind]:]]
    return result


def main() -> None:  # python bench/load_urls.py SITE [N]: print the URLs, one per line, kind first
    import sys

    for kind, path in distinct_urls(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200):
        print(kind, path)


if __name__ == "__main__":
    main()
