"""Through the real CLI: manifest files confined to RAW_DIR/sources, and one build at a time per OUT_DIR."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.lock import LOCK_NAME, BuildLocked, out_dir_lock
from pipeline.paths import REPO_ROOT

NEWS = "sources/cnsnews-zarif-book-not-closed-2020-09-22.txt"


def _cli(raw: Path, out: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "build"], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture()
def workspace(built, tmp_path: Path) -> tuple[Path, Path]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(built.paths.raw_dir, raw)
    shutil.copytree(built.paths.out_dir, out, symlinks=True)
    return raw, out


def _point_news_at(raw: Path, file: str) -> None:
    path = raw / "manifest.yaml"
    text = path.read_text()
    assert f"file: {NEWS}" in text
    path.write_text(text.replace(f"file: {NEWS}", f"file: {file}", 1))


def _outside(tmp_path: Path) -> Path:
    """A readable text file outside RAW_DIR (in the tests' own words)."""
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("A private note\n\nNobody | January 2, 2020 | 9:00am EST\n\nNot for the dataset.\n")
    return secret


ESCAPES = {
    "parent directories": lambda raw, secret: "../elsewhere/secret.txt",
    "deep parent directories": lambda raw, secret: "../../../../../../../../etc/hostname",
    "absolute path": lambda raw, secret: str(secret),
    "symlink out of sources": lambda raw, secret: (
        (raw / "sources" / "link.txt").symlink_to(secret), "sources/link.txt")[1],
}


@pytest.mark.parametrize("case", list(ESCAPES))
def test_a_file_outside_raw_sources_is_refused_in_one_line(workspace, tmp_path: Path, case: str) -> None:
    raw, out = workspace
    secret = _outside(tmp_path)
    site = out / "publish" / "site"
    before_link, before_db = os.readlink(site), (site / "soleimani.db").read_bytes()
    _point_news_at(raw, ESCAPES[case](raw, secret))
    proc = _cli(raw, out)
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr[-2000:]
    assert lines[0].startswith("ManifestError: ") and "manifest.yaml:" in lines[0] and "outside" in lines[0]
    # nothing published is lost, nothing of the outside file reached the warehouse
    assert os.readlink(site) == before_link and (site / "soleimani.db").read_bytes() == before_db
    assert b"Not for the dataset" not in (site / "soleimani.db").read_bytes()


def test_a_link_inside_raw_sources_is_followed(workspace) -> None:
    raw, _out = workspace
    (raw / "sources" / "alias.txt").symlink_to(raw / NEWS)
    _point_news_at(raw, "sources/alias.txt")
    from pipeline.manifest import load_manifest

    assert any(e.file == "sources/alias.txt" for e in load_manifest(raw))


def test_a_second_build_into_the_same_out_dir_stops_at_once(workspace) -> None:
    raw, out = workspace
    # a real build that has work to do: one paragraph of the news source changed
    source = raw / NEWS
    source.write_text(source.read_text() + "\nA closing paragraph added for this test, about nothing new.\n")
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out)}
    first = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build"], env=env, cwd=REPO_ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lock = out / LOCK_NAME
        deadline = time.monotonic() + 120
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
            assert first.poll() is None, "the first build ended before taking the lock"
            assert time.monotonic() < deadline, "the first build never took the lock"
            time.sleep(0.05)
        t0 = time.monotonic()
        second = _cli(raw, out, timeout=120)
        assert time.monotonic() - t0 < 60  # stops at once (imports only), never waits for the first
        assert second.returncode != 0
        lines = [ln for ln in second.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, second.stderr[-2000:]
        assert lines[0].startswith("BuildLocked: ") and str(lock) in lines[0] and f"pid {first.pid}" in lines[0]
        stdout, stderr = first.communicate(timeout=900)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stderr[-2000:]
    assert "new release" in stdout  # the first build finished and published, undisturbed
    assert (out / "publish" / "site" / "release.json").exists()


def test_the_lock_of_a_killed_build_is_free_again(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from pipeline.lock import out_dir_lock\n"
         "with out_dir_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(600)", str(tmp_path)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildLocked, match=f"pid {holder.pid}"), out_dir_lock(tmp_path):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        with out_dir_lock(tmp_path) as lock:  # the kernel released the dead process's lock
            assert lock.read_text().strip() == str(os.getpid())
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
