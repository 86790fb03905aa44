"""One build at a time per OUT_DIR: an exclusive ``flock`` on ``OUT_DIR/.build.lock``.

A second build into the same OUT_DIR stops at once with a one-line error naming the lock
and the pid holding it, before it reads or writes anything. The kernel releases a ``flock``
when its holder dies, so a killed build never leaves a stale lock behind; the pid written
into the file is only for the message.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import PipelineError

LOCK_NAME = ".build.lock"


class BuildLocked(PipelineError):
    """Another build is writing into the same OUT_DIR."""


@contextmanager
def out_dir_lock(out_dir: Path) -> Iterator[Path]:
    """Hold the OUT_DIR's build lock for the ``with`` block, or raise ``BuildLocked`` at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise BuildLocked(f"another build (pid {holder}) is writing into {out_dir}; "
                              "run again when it has finished", path) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock
