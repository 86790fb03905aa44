"""Compare the published tables of two build outputs, row for row (speed work must not change rows).

What belongs here: reading every Parquet table of two ``OUT_DIR``s (``warehouse/parquet`` of a
build or of ``bench/stages.py``) and the SQLite release when both have one, and reporting tables
present on one side only, row counts, and rows found on one side only. Rows are compared as sorted
tuples of their values, so row order is not a difference; column order and names are. A release's
``built_at`` is left out.

    python bench/compare_tables.py OUT_A OUT_B      # exit 0 when every table is identical
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

# columns that say when a release was built, not what it holds
VOLATILE = {"built_at"}


def _key(v: Any) -> str:
    return repr(v)


def _rows_parquet(path: Path) -> tuple[list[str], Counter[tuple[str, ...]]]:
    table = pq.read_table(path)
    cols = table.column_names
    data = table.to_pydict()
    return cols, Counter(tuple(_key(data[c][i]) for c in cols) for i in range(table.num_rows))


def _rows_sqlite(db: Path) -> dict[str, tuple[list[str], Counter[tuple[str, ...]]]]:
    out: dict[str, tuple[list[str], Counter[tuple[str, ...]]]] = {}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        for name in names:
            if "_fts" in name or name.startswith("sqlite_"):
                continue
            cur = con.execute(f'select * from "{name}"')
            cols = [d[0] for d in cur.description]
            keep = [i for i, c in enumerate(cols) if c not in VOLATILE]
            out[name] = ([cols[i] for i in keep], Counter(tuple(_key(row[i]) for i in keep) for row in cur))
    finally:
        con.close()
    return out


def compare(a: dict[str, Any], b: dict[str, Any], label: str, show: int) -> list[str]:
    problems: list[str] = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            problems.append(f"{label} {name}: only in {'B' if name not in a else 'A'}")
            continue
        (ca, ra), (cb, rb) = a[name], b[name]
        if ca != cb:
            problems.append(f"{label} {name}: columns differ {ca} vs {cb}")
            continue
        if ra == rb:
            continue
        only_a, only_b = ra - rb, rb - ra
        problems.append(f"{label} {name}: {sum(ra.values())} vs {sum(rb.values())} rows, "
                        f"{sum(only_a.values())} only in A, {sum(only_b.values())} only in B")
        for side, rows in (("A", only_a), ("B", only_b)):
            for row in list(rows)[:show]:
                problems.append(f"    only in {side}: {dict(zip(ca, row, strict=True))}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_a", type=Path)
    ap.add_argument("out_b", type=Path)
    ap.add_argument("--show", type=int, default=3, help="differing rows shown per table and side")
    args = ap.parse_args(argv)
    pa, pb = args.out_a / "warehouse" / "parquet", args.out_b / "warehouse" / "parquet"
    tables_a = {p.stem: _rows_parquet(p) for p in sorted(pa.glob("*.parquet"))}
    tables_b = {p.stem: _rows_parquet(p) for p in sorted(pb.glob("*.parquet"))}
    if not tables_a or not tables_b:
        print(f"no Parquet tables under {pa if not tables_a else pb}", file=sys.stderr)
        return 2
    problems = compare(tables_a, tables_b, "parquet", args.show)
    da, db = args.out_a / "publish" / "site" / "soleimani.db", args.out_b / "publish" / "site" / "soleimani.db"
    if da.exists() and db.exists():
        problems += compare(_rows_sqlite(da), _rows_sqlite(db), "sqlite", args.show)
    rows = sum(sum(r.values()) for _, r in tables_a.values())
    for line in problems:
        print(line)
    print(f"{len(tables_a)} Parquet tables, {rows} rows in A: "
          + ("identical" if not problems else f"{len(problems)} difference line(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
