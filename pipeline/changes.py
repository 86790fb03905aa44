"""The change log between two releases: rows added, modified, deleted and merged, by ID."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from schemas.dictionary import load_dictionary

# Where a row sits in its source, not what it says: an edit earlier in the source shifts these
# for every later row, which is not a change of that row.
POSITION_COLUMNS = frozenset({"char_start", "char_end", "ordinal", "char_count"})


def _digest(values: tuple[Any, ...]) -> str:
    # ``repr`` of the row's values in column order: strings quoted and escaped, dates, lists and
    # numbers written with their type, so equal digests mean equal rows. A third of the CPU of
    # ``json.dumps(sort_keys=True)`` per row, which the release used to spend three times a table.
    return hashlib.sha1(repr(values).encode()).hexdigest()


def row_digests(path: Path, pk: str) -> dict[str, tuple[str, str]]:
    """Primary key -> (digest of the row's content without its position columns, digest of the
    position columns), read in one pass over the file."""
    if not path.exists():
        return {}
    table = pq.read_table(path)
    names = table.column_names
    content = [table.column(c).to_pylist() for c in names if c not in POSITION_COLUMNS]
    places = [table.column(c).to_pylist() for c in names if c in POSITION_COLUMNS]
    keys = table.column(pk).to_pylist()
    rows = zip(*content, strict=True) if content else iter([()] * len(keys))
    spots = zip(*places, strict=True) if places else iter([()] * len(keys))
    return {str(k): (_digest(v), repr(p)) for k, v, p in zip(keys, rows, spots, strict=True)}


def table_digests(parquet_dir: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """``row_digests`` of every dictionary table in ``parquet_dir`` (read once, used for both the
    fingerprint and the change log)."""
    return {name: row_digests(parquet_dir / f"{name}.parquet", spec.primary_key[0])
            for name, spec in load_dictionary().tables.items()}


def table_fingerprint(parquet_dir: Path, digests: dict[str, dict[str, tuple[str, str]]] | None = None) -> str:
    """A digest of every table's content (positions included), independent of file encoding details."""
    digests = digests if digests is not None else table_digests(parquet_dir)
    h = hashlib.sha256()
    for name in load_dictionary().tables:
        rows = digests.get(name, {})
        h.update(name.encode())
        for key in sorted(rows):
            h.update(key.encode() + rows[key][0].encode() + rows[key][1].encode())
    return h.hexdigest()


DIGEST_CACHE = "release-digests"


def _file_key(path: Path) -> str:
    """The cache key of a Parquet file's row digests: its bytes and the code that reads and writes them."""
    from pipeline.fingerprint import code_files_digest

    h = hashlib.sha256(code_files_digest(("changes.py", "publish.py")).encode())
    h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:32]


def cached_row_digests(path: Path, pk: str, cache_dir: Path | None) -> dict[str, str]:
    """Content digests of ``path``'s rows (``row_digests``, positions left out), read from
    ``cache_dir`` when the release that wrote this very file kept them (``keep_row_digests``)."""
    if cache_dir is not None and path.exists():
        with contextlib.suppress(FileNotFoundError, pickle.UnpicklingError, EOFError):
            found = pickle.loads((cache_dir / DIGEST_CACHE / _file_key(path)).read_bytes())
            if isinstance(found, dict):
                return found
    return {k: v[0] for k, v in row_digests(path, pk).items()}


def keep_row_digests(cache_dir: Path, files: dict[str, Path], digests: dict[str, dict[str, str]]) -> None:
    """Keep the content digests of a new release's ``<table>.parquet`` files (``files``, by table) for
    the next release's change log, which reads this release as its previous one; entries of older
    releases are removed."""
    folder = cache_dir / DIGEST_CACHE
    folder.mkdir(parents=True, exist_ok=True)
    keep = set()
    for name, path in files.items():
        key = _file_key(path)
        keep.add(key)
        tmp = folder / f".{key}.{os.getpid()}"
        tmp.write_bytes(pickle.dumps(digests[name], pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, folder / key)
    for stale in folder.iterdir():
        if stale.name not in keep:
            stale.unlink(missing_ok=True)


def _redirects(new_dir: Path) -> dict[tuple[str, str], str]:
    """(table, old_id) -> new_id from the new release's ``redirects`` table."""
    path = new_dir / "redirects.parquet"
    if not path.exists():
        return {}
    return {(r["table"], r["old_id"]): r["new_id"] for r in pq.read_table(path).to_pylist()}


def diff_releases(old_dir: Path | None, new_dir: Path, limit_ids: int = 5000,
                  new_digests: dict[str, dict[str, tuple[str, str]]] | None = None,
                  cache_dir: Path | None = None) -> dict[str, Any]:
    """Per table: IDs added, modified, deleted between two folders of ``<table>.parquet``, and
    IDs merged into another row (listed in the new ``redirects``, with the ID they now lead to).
    A row whose position columns alone changed is not modified. ``new_digests``: ``table_digests``
    of ``new_dir`` if the caller has them; ``cache_dir``: where ``keep_row_digests`` kept those of
    ``old_dir``'s files."""
    tables: dict[str, Any] = {}
    redirects = _redirects(new_dir)
    for name, spec in load_dictionary().tables.items():
        pk = spec.primary_key[0]
        old = cached_row_digests(old_dir / f"{name}.parquet", pk, cache_dir) if old_dir else {}
        found = new_digests[name] if new_digests is not None else row_digests(new_dir / f"{name}.parquet", pk)
        new = {k: v[0] for k, v in found.items()}
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
