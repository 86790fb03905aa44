"""Soleimani dataset pipeline: raw source documents to validated, citable tables.

Plain, Dagster-free functions live in the subpackages (``parsers``, ``extract``)
and the top-level modules; ``pipeline.defs`` only wires them as Dagster assets.

Importing the package first fixes, for this process and every process it starts, that the
native libraries start no threads of their own (numpy's BLAS, pyarrow's allocator): the build forks worker processes, and a forked child must not inherit threads it cannot honour.
Every entry point (``pipeline.cli``, the Dagster definitions, the Celery workers' steps, the
bench scripts) imports ``pipeline`` before numpy or pyarrow, which read these variables once,
when they are first loaded.
"""

import os as _os

# numpy's OpenBLAS keeps one idle thread per extra core, and pyarrow's jemalloc a background
# purge thread; the build's parallelism is processes (one per core), so neither thread buys
# anything here. OMP covers BLAS builds that use OpenMP. An explicit setting in the environment wins.
for _name, _value in (("OPENBLAS_NUM_THREADS", "1"), ("OMP_NUM_THREADS", "1"),
                      ("JE_ARROW_MALLOC_CONF", "background_thread:false")):
    _os.environ.setdefault(_name, _value)
