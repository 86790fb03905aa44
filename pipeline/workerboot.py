"""Imported by the worker forkserver before it forks any worker (see ``pipeline.pools``).

What belongs here: only what every per-source worker needs loaded once and shared by fork —
the pipeline's modules and the statistical model. Importing it has that side effect on purpose.
"""

from pipeline import build as _build  # noqa: F401  (the per-source step and what it imports)
from pipeline.extract.nlp import load_model

load_model()
