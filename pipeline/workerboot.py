"""Imported by the worker forkserver before it forks any worker (see ``pipeline.pools``).

What belongs here: only what every per-source worker needs loaded once and shared by fork —
the pipeline's modules (the extractors ``build.analyse_source`` runs included: imported in each
worker instead, they cost every worker ~0.5 CPU-s) and the statistical model. Importing it has
that side effect on purpose.
"""

import atexit
import gc
import os
import sys

from pipeline import build as _build  # noqa: F401  (the per-source step and what it imports)
from pipeline import persource as _persource  # noqa: F401  (the per-source step in even pieces)
from pipeline.extract import legal, nlp, persons, plots  # noqa: F401  (what analyse_source imports)

nlp.load_model()
# What is loaded now is shared by every worker for its whole life: out of the collector's sight, a
# worker's collections neither walk it nor write to its pages (which would copy them into the
# worker: memory the pages shared with the forkserver would no longer save).
gc.freeze()


def _exit_at_once() -> None:
    """The forkserver holds nothing to write: when the build ends, it ends without tearing the
    model's objects down one by one (~0.7 s of wall time after the build, which whoever waits
    for the whole process tree waits for). Workers leave through ``os._exit`` and never run this."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)


atexit.register(_exit_at_once)
