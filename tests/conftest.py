"""Shared fixtures: one real build of the seeds (through Dagster) per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest

from pipeline.paths import REPO_ROOT, Paths


@dataclass
class Built:
    paths: Paths
    stdout: str


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build the seeds into a temporary OUT_DIR with the real CLI (Dagster run, DuckDB, release)."""
    out = tmp_path_factory.mktemp("out")
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(REPO_ROOT / "raw", raw, dirs_exist_ok=True)
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "build"], env=env, capture_output=True, text=True, cwd=REPO_ROOT, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return Built(Paths(raw_dir=raw, out_dir=out), proc.stdout)


@pytest.fixture(scope="session")
def seed_corpus():
    """The seeds parsed in-process (no Dagster), for extractor tests."""
    from pipeline.build import load_corpus

    return load_corpus(Paths(raw_dir=REPO_ROOT / "raw", out_dir=REPO_ROOT))
