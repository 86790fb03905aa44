"""Releases: versioned, immutable folders under ``publish/releases``, swapped in atomically.

A build that changes data gets a new version ``YYYY.MM.DD-<fingerprint>``; the
release is written in a temporary folder, renamed, and only then does the
``publish/site`` symlink move to it (``os.replace``), so a failed or killed
build leaves the previous release served and downloadable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

from pipeline.changes import diff_releases, keep_row_digests, row_digests, table_digests, table_fingerprint
from pipeline.continuity import load_previous, write_ledger
from pipeline.paths import Paths
from schemas.dictionary import load_dictionary


def current_release(paths: Paths) -> Path | None:
    site = paths.site_dir
    if site.is_symlink() or site.exists():
        target = site.resolve()
        return target if target.exists() else None
    return None


def release_version(fingerprint: str, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return f"{today:%Y.%m.%d}-{fingerprint[:8]}"


def swap_site(paths: Paths, release_dir: Path) -> None:
    """Point ``publish/site`` at ``release_dir`` atomically."""
    link_tmp = paths.site_dir.with_name(f".site-{os.getpid()}")
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(Path("releases") / release_dir.name)
    os.replace(link_tmp, paths.site_dir)


def publish(paths: Paths, attribution: list[dict[str, Any]], force: bool = False) -> dict[str, Any]:
    """Publish the warehouse as a new release if its data changed; return a summary."""
    from pipeline.publish import build_release

    digests = table_digests(paths.parquet_dir)  # read once: the fingerprint and the change log
    fingerprint = table_fingerprint(paths.parquet_dir, digests)
    previous = current_release(paths)
    if previous is not None and not force:
        meta = previous / "release.json"
        if meta.exists() and json.loads(meta.read_text()).get("fingerprint") == fingerprint:
            return {"version": previous.name, "changed": False, "summary": "no changes", "release_dir": str(previous)}
    version = release_version(fingerprint)
    paths.releases_dir.mkdir(parents=True, exist_ok=True)
    for stale in paths.releases_dir.glob(".*.tmp-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    final = paths.releases_dir / version
    tmp = paths.releases_dir / f".{version}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    previous_downloads = previous / "downloads" if previous is not None else None
    changes = diff_releases(previous_downloads, paths.parquet_dir, new_digests=digests, cache_dir=paths.cache_dir)
    changes.update({"version": version, "previous_version": previous.name if previous else None})
    (tmp / "changes.json").write_text(json.dumps(changes, indent=1) + "\n")
    summary = build_release(paths.parquet_dir, tmp, version, attribution, previous)
    write_ledger(tmp, paths.parquet_dir, load_previous(previous))  # when each live ID was first published
    release_meta = {
        "version": version,
        "fingerprint": fingerprint,
        "previous_version": previous.name if previous else None,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "changes": changes["summary"],
    }
    (tmp / "release.json").write_text(json.dumps(release_meta, indent=1) + "\n")
    if final.exists():  # same data republished (forced): replace the old copy
        shutil.rmtree(final)
    os.replace(tmp, final)
    swap_site(paths, final)
    _keep_digests(paths, final / "downloads", digests)  # after the swap: a failed build keeps the old ones
    return {"version": version, "changed": True, "summary": changes["summary"], "release_dir": str(final), **summary}


def _keep_digests(paths: Paths, downloads: Path, warehouse: dict[str, dict[str, tuple[str, str]]]) -> None:
    """Keep the row digests of the release's downloads for the next build's change log (it reads this
    release as its previous one): the warehouse's, which hold the same values, but for the tables whose
    non-public text the release withholds, read again from the files."""
    from pipeline.publish import TEXT_TABLES

    digests = {}
    for name, rows in warehouse.items():
        if name in TEXT_TABLES:
            pk = load_dictionary().tables[name].primary_key[0]
            rows = row_digests(downloads / f"{name}.parquet", pk)
        digests[name] = {k: v[0] for k, v in rows.items()}
    keep_row_digests(paths.cache_dir, {name: downloads / f"{name}.parquet" for name in digests}, digests)
