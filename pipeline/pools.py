"""Worker pools that cannot deadlock: what belongs here is how the build starts and stops processes.

Why this module exists: Dagster's interrupt handling makes SIGTERM *raise* in the step's process,
and a forked child inherits that handler. ``Pool.terminate()`` sends SIGTERM to the workers; a
worker that raises while it holds the pool's queue lock leaves the others blocked on it, and
``join()`` then waits forever (measured: 1 build in 6 hung). So:

- ``fork_pool``: for work that must share unpicklable state with the parent (the per-source
  readers are closures over the build's data). Signals are blocked while the workers are forked,
  each worker restores SIGTERM to its default (die at once) and ignores SIGINT (the parent handles
  Ctrl-C), then unblocks. A pool that finished is shut with ``close()`` + ``join()``; only a pool
  whose parent failed is terminated, and its workers then die without running any Python.
- ``clean_executor``: for picklable work that needs the statistical model. Workers are forked by
  a ``forkserver`` started from a fresh interpreter (no Dagster handlers, no parent threads) that
  preloads ``pipeline.workerboot``, so the model is loaded once and shared by every worker.

Threads: a forked child has only the thread that forked; any other thread's locks and work are
lost in it. The build's processes start none (``pipeline/__init__.py`` keeps numpy's OpenBLAS and
pyarrow's jemalloc from starting theirs), and ``fork_pool`` checks at every fork: it records the
other threads it found (``threads_at_last_fork``) and warns if there were any.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.pool import Pool

_SIGNALS = {signal.SIGTERM, signal.SIGINT}
# The forkserver preloads this module (it loads the model); set once, before the server starts.
_PRELOAD = ["pipeline.workerboot"]
_preload_lock = threading.Lock()
_preload_set = False
_last_fork_threads: list[str] = []


def other_threads() -> list[str]:
    """Every OS thread of this process but the calling one, as ``name (tid)``: native threads that
    Python does not list (a BLAS pool, an allocator's) included. Read from ``/proc/self/task``;
    where there is no ``/proc``, Python's own threads."""
    me = threading.get_native_id()
    try:
        tids = [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:
        return [f"{t.name} ({t.native_id})" for t in threading.enumerate() if t.native_id != me]
    out = []
    for tid in sorted(tids):
        if tid == me:
            continue
        try:
            with open(f"/proc/self/task/{tid}/comm", encoding="utf-8") as f:
                out.append(f"{f.read().strip()} ({tid})")
        except OSError:  # it ended meanwhile
            continue
    return out


def threads_at_last_fork() -> list[str]:
    """The other threads this process held when ``fork_pool`` last forked its workers."""
    return list(_last_fork_threads)


def reset_worker_signals() -> None:
    """First thing a worker runs: the parent's handlers are not this process's to honour."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """Block SIGTERM/SIGINT while forking: a child inherits the mask, so a signal sent before its
    initializer ran waits, pending, until the default action is back (and then kills it)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def fork_pool(workers: int) -> Iterator[Pool]:
    """A fork ``Pool`` of ``workers`` processes with clean signal handling and an orderly shutdown."""
    global _last_fork_threads
    with _signals_blocked():
        _last_fork_threads = other_threads()
        if _last_fork_threads:
            warnings.warn(f"forking {workers} workers from a process with {len(_last_fork_threads)} other "
                          f"thread(s): {', '.join(_last_fork_threads)}; the workers will not have them",
                          RuntimeWarning, stacklevel=3)
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=reset_worker_signals)
    try:
        yield pool
    except BaseException:
        pool.terminate()  # workers have SIG_DFL: they die at once, holding nothing we wait on
        pool.join()
        raise
    pool.close()
    pool.join()


def _forkserver_context() -> multiprocessing.context.BaseContext:
    global _preload_set
    ctx = multiprocessing.get_context("forkserver")
    with _preload_lock:
        if not _preload_set:
            ctx.set_forkserver_preload(_PRELOAD)  # type: ignore[attr-defined]
            _preload_set = True
    return ctx


def start_forkserver() -> None:
    """Start the clean forkserver now: it imports the pipeline and loads the model in a process of
    its own while the caller goes on (with its own imports, say) instead of when the first worker
    is asked for. Returns at once; a worker asked for before the preload ends waits for it."""
    from multiprocessing import forkserver

    _forkserver_context()
    forkserver.ensure_running()


def clean_executor(workers: int) -> ProcessPoolExecutor:
    """A ``ProcessPoolExecutor`` whose workers come from a clean forkserver (model preloaded).
    Use it as a context manager: its exit waits for the workers (shutdown(wait=True))."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_forkserver_context(),
                               initializer=reset_worker_signals)
