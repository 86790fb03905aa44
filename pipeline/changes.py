"""The change log between two releases: rows added, modified, deleted and merged, by ID."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from schemas.dictionary import load_dictionary

# Where a row sits in its source, not what it says: an edit earlier in the source shifts these
# for every later row, which is not a change of that row.
POSITION_COLUMNS = frozenset({"char_start", "char_end", "ordinal", "char_count"})


def _digest(row: dict[str, Any], skip: frozenset[str]) -> str:
    content = {k: v for k, v in row.items() if k not in skip}
    return hashlib.sha1(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _row_digests(path: Path, pk: str, skip: frozenset[str] = POSITION_COLUMNS) -> dict[str, str]:
    """Primary key -> digest of the row's content (position columns left out)."""
    if not path.exists():
        return {}
    return {str(r[pk]): _digest(r, skip) for r in pq.read_table(path).to_pylist()}


def table_fingerprint(parquet_dir: Path) -> str:
    """A digest of every table's content, independent of file encoding details."""
    h = hashlib.sha256()
    for name, spec in load_dictionary().tables.items():
        digests = _row_digests(parquet_dir / f"{name}.parquet", spec.primary_key[0], frozenset())
        h.update(name.encode())
        for key in sorted(digests):
            h.update(key.encode() + digests[key].encode())
    return h.hexdigest()


def _redirects(new_dir: Path) -> dict[tuple[str, str], str]:
    """(table, old_id) -> new_id from the new release's ``redirects`` table."""
    path = new_dir / "redirects.parquet"
    if not path.exists():
        return {}
    return {(r["table"], r["old_id"]): r["new_id"] for r in pq.read_table(path).to_pylist()}


def diff_releases(old_dir: Path | None, new_dir: Path, limit_ids: int = 5000) -> dict[str, Any]:
    """Per table: IDs added, modified, deleted between two folders of ``<table>.parquet``, and
    IDs merged into another row (listed in the new ``redirects``, with the ID they now lead to)."""
    tables: dict[str, Any] = {}
    redirects = _redirects(new_dir)
    for name, spec in load_dictionary().tables.items():
        pk = spec.primary_key[0]
        old = _row_digests(old_dir / f"{name}.parquet", pk) if old_dir else {}
        new = _row_digests(new_dir / f"{name}.parquet", pk)
        added = sorted(set(new) - set(old))
        gone = sorted(set(old) - set(new))
        merged = [k for k in gone if (name, k) in redirects]
        deleted = [k for k in gone if (name, k) not in redirects]
        modified = sorted(k for k in set(old) & set(new) if old[k] != new[k])
        tables[name] = {
            "added": added[:limit_ids],
            "modified": modified[:limit_ids],
            "deleted": deleted[:limit_ids],
            "merged": merged[:limit_ids],
            "merged_into": {k: redirects[(name, k)] for k in merged[:limit_ids]},
            "counts": {"added": len(added), "modified": len(modified), "deleted": len(deleted),
                       "merged": len(merged), "rows": len(new)},
        }
    parts = [
        f"{name}: +{t['counts']['added']} ~{t['counts']['modified']} -{t['counts']['deleted']}"
        + (f" >{t['counts']['merged']} merged" if t["counts"]["merged"] else "")
        for name, t in tables.items()
        if any(t["counts"][k] for k in ("added", "modified", "deleted", "merged"))
    ]
    summary = "; ".join(parts) if parts else "no changes"
    return {"summary": summary, "tables": tables}
