"""A build killed with SIGKILL at any moment leaves the previous release served and intact."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pipeline.paths import REPO_ROOT


def _release_is_whole(site: Path) -> str:
    """Check the served release completely; return its version."""
    meta = json.loads((site / "release.json").read_text())
    con = sqlite3.connect(f"file:{site / 'soleimani.db'}?mode=ro", uri=True)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    downloads = site / "downloads"
    for line in (downloads / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((downloads / name.strip().lstrip("*")).read_bytes()).hexdigest() == digest
    return str(meta["version"])


def test_sigkilled_builds_leave_previous_release_intact(built, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built.paths.out_dir, out, symlinks=True)
    raw = tmp_path / "raw"
    shutil.copytree(built.paths.raw_dir, raw)
    site = out / "publish" / "site"
    version = _release_is_whole(site)
    # Change the data so that a completed build would publish a new release.
    news = raw / "sources" / "cnsnews-zarif-book-not-closed-2020-09-22.txt"
    news.write_text(news.read_text().replace("On Saturday, IRGC commander", "On Sunday, IRGC commander"))
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    for delay in (0.3, 1.5, 3.0, 4.5, 6.0):
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build"], env=env, cwd=REPO_ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        served = _release_is_whole(site)
        if finished:
            break  # the machine was faster than the delay: the build completed and published
        assert served == version
    # After the kills a clean build still succeeds and publishes the change.
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "build"], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _release_is_whole(site) != version
    assert not list((out / "publish" / "releases").glob(".*.tmp-*"))
    previous = out / "publish" / "releases" / version
    assert _release_is_whole(previous) == version  # the previous release stays downloadable
