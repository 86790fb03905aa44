"""Run a command so that the CPU of its whole process tree is counted (``bench/run.py`` wraps builds in it).

What belongs here: making this process the child subreaper (Linux ``PR_SET_CHILD_SUBREAPER``),
running the command, and reaping every descendant orphaned on the way (the per-source workers'
forkserver, say, which the build does not always wait for) before exiting with the command's
status. Whoever waits for this process then reads, in ``wait4``'s rusage, the CPU of every process
the command started; without it the forkserver's workers' CPU could go uncounted.

    python bench/cputree.py CMD [ARGS...]
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
ORPHAN_WAIT_S = 30.0  # how long descendants left running after the command may take to exit


def _prctl(option: int, arg: int) -> None:
    ctypes.CDLL(None, use_errno=True).prctl(option, arg, 0, 0, 0)


def _die_with_parent() -> None:
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # a timeout that kills this wrapper kills the command too


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    rc = subprocess.call(argv, preexec_fn=_die_with_parent)  # safe: this wrapper runs no threads
    deadline = time.monotonic() + ORPHAN_WAIT_S
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.05)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
