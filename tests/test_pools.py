"""Worker pools under a parent whose SIGTERM handler raises (as Dagster's does): they never hang."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from pipeline.paths import REPO_ROOT
from pipeline.pools import clean_executor, fork_pool, threads_at_last_fork

# The parent's handler, as Dagster's interrupt handling installs it: SIGTERM raises.
_RAISING_HANDLER = textwrap.dedent("""
    import signal
    class Interrupted(Exception):
        pass
    def _raise(signum, frame):
        raise Interrupted("SIGTERM")
    signal.signal(signal.SIGTERM, _raise)
""")


def _run_script(body: str, timeout: float) -> subprocess.CompletedProcess[str]:
    script = _RAISING_HANDLER + textwrap.dedent(body)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=REPO_ROOT)


def test_memo_map_pool_never_hangs_under_a_raising_sigterm_handler(tmp_path: Path) -> None:
    # Before the fix this loop hung within a few hundred iterations' worth of terminate() calls.
    proc = _run_script(f"""
        from pathlib import Path
        from pipeline.corpus import PassageRow, SourceDoc
        from pipeline.extract import EntityIndex
        from pipeline.sourcemap import memo_map
        docs, passages = [], []
        for i in range(12):
            text = f"Source {{i}} says Soleimani was killed."
            docs.append(SourceDoc(f"s{{i}}", "news", text, f"T{{i}}", "2020-01-04", None, True, f"sha{{i}}"))
            passages.append(PassageRow(f"s{{i}}:p", f"s{{i}}", "Body", 1, 0, len(text), text))
        for round_ in range(60):
            out = memo_map(docs, passages, EntityIndex(), "cur", Path({str(tmp_path)!r}) / str(round_),
                           workers=2)("t", lambda d, ps: (d.source_id, len(ps)))
            assert [o[0] for o in out] == [d.source_id for d in docs], out
        print("ok")
    """, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
    # the old pool's workers ran the parent's handler when terminated (the path to the deadlock)
    assert "Interrupted" not in proc.stderr


def test_a_failing_parent_terminates_the_pool_without_hanging() -> None:
    proc = _run_script("""
        import os, time
        from pipeline.pools import fork_pool
        try:
            with fork_pool(2) as pool:
                pool.map_async(time.sleep, [30, 30])
                raise RuntimeError("the step failed")
        except RuntimeError:
            print("terminated")
    """, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "terminated"


def _worker_state(_: int) -> tuple[int, bool, bool]:
    return (os.getpid(), signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
            "pipeline.workerboot" in sys.modules)


def _raise_on_sigterm(signum: int, frame: object) -> None:
    raise RuntimeError("raising handler")


@pytest.mark.timeout(180)
def test_workers_do_not_inherit_the_parents_handler_and_share_a_preloaded_model() -> None:
    old = signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        with fork_pool(2) as pool:
            forked = pool.map(_worker_state, range(4))
        with clean_executor(2) as ex:
            served = list(ex.map(_worker_state, range(4)))
    finally:
        signal.signal(signal.SIGTERM, old)
    for pid, default_term, _ in forked + served:
        assert pid != os.getpid() and default_term
    # the forkserver imported the worker boot module (the model) before forking its workers
    assert all(preloaded for _, _, preloaded in served)


# Variables that would keep the native libraries single-threaded whatever the pipeline does: the
# test below starts its interpreter without them, as a maintainer's shell would.
_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "JE_ARROW_MALLOC_CONF", "MKL_NUM_THREADS")


def test_the_builds_forked_workers_parent_holds_no_other_thread(tmp_path: Path) -> None:
    # A fresh interpreter imports what a build's step process imports (the CLI, Dagster and the
    # definitions, pandas, pyarrow, duckdb), loads the model as the readers' ``before_fork`` does,
    # then runs a reading on a fork pool and a source on the clean forkserver. Before the fix, numpy's
    # OpenBLAS thread and pyarrow's jemalloc thread were alive in the parent at every fork.
    script = textwrap.dedent(f"""
        import json, os
        from pathlib import Path
        import pipeline.cli
        import pipeline.defs.runner
        from pipeline import pools
        from pipeline.corpus import PassageRow, SourceDoc
        from pipeline.extract import EntityIndex
        from pipeline.extract.nlp import load_model
        from pipeline.sourcemap import memo_map
        docs, passages = [], []
        for i in range(12):
            text = f"Source {{i}} says Soleimani was killed."
            docs.append(SourceDoc(f"s{{i}}", "news", text, f"T{{i}}", "2020-01-04", None, True, f"sha{{i}}"))
            passages.append(PassageRow(f"s{{i}}:p", f"s{{i}}", "Body", 1, 0, len(text), text))
        out = memo_map(docs, passages, EntityIndex(), "cur", Path({str(tmp_path)!r}), workers=2,
                       before_fork=load_model)("t", lambda d, ps: os.getpid())
        assert os.getpid() not in out, out  # read in forked workers
        with pools.clean_executor(1) as ex:
            server = ex.submit(os.getppid).result(timeout=120)
        print(json.dumps({{"fork_pool": pools.threads_at_last_fork(),
                           "forkserver": len(os.listdir(f"/proc/{{server}}/task"))}}))
    """)
    env = {k: v for k, v in os.environ.items() if k not in _THREAD_ENV}
    env["PYTHONPATH"] = str(REPO_ROOT)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240,
                          env=env, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen == {"fork_pool": [], "forkserver": 1}, seen
    assert "other thread" not in proc.stderr


@pytest.mark.timeout(60)
def test_fork_pool_reports_a_thread_alive_at_fork() -> None:
    # the check itself: a thread the parent started is found, named and warned about
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, name="held-by-parent", daemon=True)
    helper.start()
    try:
        with pytest.warns(RuntimeWarning, match="other thread"), fork_pool(1) as pool:
            assert pool.apply(os.getpid) != os.getpid()
        assert any(f"({helper.native_id})" in t for t in threads_at_last_fork())
    finally:
        stop.set()
        helper.join(10)
