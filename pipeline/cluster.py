"""A throwaway Celery cluster on this machine: a private ``redis-server`` broker and N
``celery -A dagster_celery.app worker`` processes, started for one build and always stopped.

``make cluster-build`` and ``tests/test_cluster.py`` use it; on a real cluster the broker and
workers are long-lived services on other hosts and only ``DAGSTER_CELERY_BROKER_URL`` is set
(README, "Run on a cluster"). Nothing here imports Dagster. Every process started is recorded
in ``OUT_DIR/.dagster_home/cluster/pids.json`` so that ``python -m pipeline.cluster stop`` (the
Makefile's trap) can end exactly those processes if the build itself was killed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.paths import REPO_ROOT, Paths, paths_from_env

# Folder holding dagster_celery_config.py, which dagster-celery's worker app imports by name.
CELERY_CONFIG_DIR = Path(__file__).resolve().parent / "celery_worker"
STEP_QUEUE = "dagster"  # dagster-celery's default queue
WRITER_QUEUE = "writer"  # warehouse and release (their op tag in pipeline.defs.publish)
START_TIMEOUT = 90.0  # a worker imports Dagster and the pipeline (~3 s alone, more on a busy machine)
STOP_TIMEOUT = 15.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class LocalCluster:
    """Broker and workers for one build; use as a context manager (stopped on any exit)."""

    paths: Paths
    workers: int = 2
    port: int = 0
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def state_dir(self) -> Path:
        return self.paths.dagster_home / "cluster"

    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def backend_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

    def __enter__(self) -> LocalCluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.state_dir / f"{name}.out").open("ab")
        # A session of its own: a Ctrl-C at the terminal reaches the build, which stops these in order.
        self.procs[name] = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            cwd=REPO_ROOT, start_new_session=True,
        )
        log.close()
        self._record()

    def _record(self) -> None:
        pids = {name: p.pid for name, p in self.procs.items() if p.poll() is None}
        (self.state_dir / "pids.json").write_text(json.dumps(pids))

    def start(self) -> None:
        redis = shutil.which("redis-server")
        if redis is None:
            raise PipelineError("redis-server is not installed (make system-packages installs it)")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        stop_recorded(self.state_dir)  # leftovers of a killed build in this OUT_DIR
        self.port = self.port or _free_port()
        # In memory only, loopback only: the broker lives exactly as long as this build.
        self._spawn("redis", [redis, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(self.state_dir), "--daemonize", "no"])
        deadline = time.monotonic() + 10
        while not _redis_ping(self.port):
            if self.procs["redis"].poll() is not None or time.monotonic() > deadline:
                raise PipelineError(f"redis-server did not start: {_tail(self.state_dir / 'redis.out')}")
            time.sleep(0.05)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(CELERY_CONFIG_DIR), os.environ.get("PYTHONPATH", "")]),
            "DAGSTER_CELERY_BROKER_URL": self.broker_url,
            "DAGSTER_CELERY_BACKEND_URL": self.backend_url,
            "DAGSTER_HOME": str(self.paths.dagster_home),
            "RAW_DIR": str(self.paths.raw_dir),
            "OUT_DIR": str(self.paths.out_dir),
            # One worker process = one step at a time; parallelism comes from the number of workers.
            "PIPELINE_WORKERS": "1",
        }
        for i in range(1, self.workers + 1):
            # Worker 1 alone also consumes the writer queue: DuckDB and the release have one writer.
            queues = f"{STEP_QUEUE},{WRITER_QUEUE}" if i == 1 else STEP_QUEUE
            self._spawn(f"worker{i}", [
                sys.executable, "-m", "celery", "-A", "dagster_celery.app", "worker", "--pool=solo",
                "--hostname", f"worker{i}@%h", "--queues", queues, "--loglevel", os.environ.get("CLUSTER_LOGLEVEL", "WARNING"),
                "--without-gossip", "--without-mingle",
            ], env)
        self._wait_for_workers()

    def _wait_for_workers(self) -> None:
        from celery import Celery

        app = Celery(broker=self.broker_url, backend=self.backend_url)
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while True:
                for name, proc in self.procs.items():
                    if proc.poll() is not None:
                        raise PipelineError(f"{name} exited with {proc.returncode}: {_tail(self.state_dir / f'{name}.out')}")
                replies = app.control.ping(timeout=1.0)
                if len(replies) >= self.workers:
                    return
                if time.monotonic() > deadline:
                    raise PipelineError(f"{len(replies)} of {self.workers} Celery workers answered within {START_TIMEOUT:.0f} s")
        finally:
            app.close()

    def stop(self) -> None:
        """Workers first (a warm shutdown finishes the running step's bookkeeping), then the broker."""
        workers = [p for n, p in self.procs.items() if n != "redis"]
        for proc in workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        _wait_or_kill(workers)
        if "redis" in self.procs:
            redis = self.procs["redis"]
            if redis.poll() is None:
                redis.send_signal(signal.SIGTERM)
            _wait_or_kill([redis])
        self.procs.clear()
        (self.state_dir / "pids.json").unlink(missing_ok=True)


def _wait_or_kill(procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + STOP_TIMEOUT
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT)


def stop_recorded(state_dir: Path) -> list[int]:
    """End the processes a (killed) build recorded in ``state_dir``: only those pids, and only if
    they still are a redis-server or a Celery worker. Returns the pids signalled."""
    record = state_dir / "pids.json"
    if not record.exists():
        return []
    ended = []
    for pid in json.loads(record.read_text()).values():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"redis-server" in cmdline or b"celery" in cmdline:
            try:
                os.kill(pid, signal.SIGKILL)
                ended.append(pid)
            except ProcessLookupError:
                pass
    record.unlink(missing_ok=True)
    return ended


def main(argv: list[str]) -> int:
    if argv != ["stop"]:
        print("usage: python -m pipeline.cluster stop", file=sys.stderr)
        return 2
    ended = stop_recorded(paths_from_env().dagster_home / "cluster")
    if ended:
        print(f"stopped leftover cluster processes: {ended}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
