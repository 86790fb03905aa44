"""Where a build reads and writes: ``RAW_DIR`` in, everything else under ``OUT_DIR``.

Defaults: ``RAW_DIR=<repo>/raw`` and ``OUT_DIR=<repo>``, so a plain build writes
``warehouse/``, ``publish/releases/``, ``publish/site`` (the current release)
and ``.dagster_home/`` inside the checkout (all git-ignored). Pointing both
variables elsewhere runs the same build side by side on other sources.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PUBLISH_ASSETS = REPO_ROOT / "publish"  # committed templates, static files, plugin config


@dataclass(frozen=True)
class Paths:
    raw_dir: Path
    out_dir: Path

    @property
    def curated_dir(self) -> Path:
        return self.raw_dir / "curated"

    @property
    def warehouse_dir(self) -> Path:
        return self.out_dir / "warehouse"

    @property
    def duckdb_path(self) -> Path:
        return self.warehouse_dir / "soleimani.duckdb"

    @property
    def parquet_dir(self) -> Path:
        return self.warehouse_dir / "parquet"

    @property
    def releases_dir(self) -> Path:
        return self.out_dir / "publish" / "releases"

    @property
    def site_dir(self) -> Path:
        """Symlink to the current release, swapped atomically by a successful publish."""
        return self.out_dir / "publish" / "site"

    @property
    def cache_dir(self) -> Path:
        """Per-source extraction results, keyed by their inputs' digest (``pipeline.sourcemap``)."""
        return self.out_dir / ".cache"

    @property
    def dagster_home(self) -> Path:
        return self.out_dir / ".dagster_home"


def paths_from_env() -> Paths:
    raw = Path(os.environ.get("RAW_DIR") or REPO_ROOT / "raw").resolve()
    out = Path(os.environ.get("OUT_DIR") or REPO_ROOT).resolve()
    return Paths(raw_dir=raw, out_dir=out)
