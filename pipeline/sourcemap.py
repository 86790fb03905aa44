"""The per-source part of the cross-source extractors: memoised by its inputs, run on all cores.

What belongs here: ``memo_map``, the ``SourceMap`` the build hands to the events, plots and
legal-position extractors, and ``MergeMemo``, the ``Memo`` that keeps pieces of their merges
(the tellings of one day, for events) across builds under the digest of what they read. A per-source function may read only its own source (text,
passages, manifest entry), the curated data, the extractor code and that source's entries
in the EntityIndex; its result is stored under a digest of exactly those inputs, so a
rebuild after one source changed re-reads that source only (plus any source whose resolved
names changed). Results not in the cache are computed in a fork pool over the cores
(``pipeline.pools.fork_pool``: the readers are closures, so the workers must be forked).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract import EntityIndex, SourceMap

T = TypeVar("T")
# The code a per-source function runs: the extractors and what they import from the pipeline.
EXTRACT_CODE = ("extract", "corpus.py", "text.py", "ids.py", "textnorm.py", "errors.py")
# Below this many sources to compute, forking workers costs more than it saves.
POOL_MIN_SOURCES = 8


@lru_cache(maxsize=1)
def extract_code_digest() -> str:
    from pipeline.fingerprint import code_files_digest

    return code_files_digest(EXTRACT_CODE)


def source_key(stage: str, doc: SourceDoc, index: EntityIndex, curated: str) -> str:
    """Digest of everything a per-source function of ``stage`` may read for ``doc``."""
    h = hashlib.sha256(f"{stage}\0{extract_code_digest()}\0{curated}\0{doc.sha256}\0".encode())
    h.update(json.dumps(doc.entry.__dict__ if doc.entry else None, sort_keys=True, default=str).encode())
    for m in index.of_source(doc.source_id):
        h.update(f"{m.char_start}:{m.char_end}:{m.kind}:{m.entity_id}:{m.surface}\0".encode())
    # the states with a row decide what ``index.state_of`` resolves
    h.update(" ".join(sorted(set(index.states.values()))).encode())
    return h.hexdigest()[:32]


# The job a forked worker runs: set just before the fork, inherited by the workers.
_JOB: tuple[Callable[[SourceDoc, list[PassageRow]], Any], Sequence[SourceDoc], dict[str, list[PassageRow]]] | None
_JOB = None


def _run_chunk(positions: list[int]) -> list[tuple[int, bytes]]:
    assert _JOB is not None
    return [(i, _computed(*_JOB, i)) for i in positions]


def _computed(fn: Callable[[SourceDoc, list[PassageRow]], Any], docs: Sequence[SourceDoc],
              by_source: dict[str, list[PassageRow]], i: int) -> bytes:
    """The per-source result of ``docs[i]``, pickled as the cache stores it."""
    return pickle.dumps(fn(docs[i], by_source.get(docs[i].source_id, [])), pickle.HIGHEST_PROTOCOL)


def memo_map(
    docs: Sequence[SourceDoc],
    passages: Sequence[PassageRow],
    index: EntityIndex,
    curated: str,
    cache_dir: Path,
    workers: int | None = None,
    stats: dict[str, dict[str, int]] | None = None,
    before_fork: Callable[[], object] | None = None,
) -> SourceMap:
    """A ``SourceMap`` reading unchanged sources' results from ``cache_dir/<stage>/`` and computing
    the others on ``workers`` processes (default: every core). After a stage runs, its folder
    holds exactly this build's entries. ``stats`` (if given) receives hits and misses per stage.
    ``before_fork`` is called before workers are forked (say, to load a model they then share
    instead of each loading its own)."""
    by_source: dict[str, list[PassageRow]] = {}
    for p in passages:
        by_source.setdefault(p.source_id, []).append(p)

    def run(stage: str, fn: Callable[[SourceDoc, list[PassageRow]], T]) -> list[T]:
        global _JOB
        folder = cache_dir / stage
        folder.mkdir(parents=True, exist_ok=True)
        keys = [source_key(stage, d, index, curated) for d in docs]
        blobs: dict[int, bytes] = {}
        for i, key in enumerate(keys):
            with contextlib.suppress(FileNotFoundError):
                blobs[i] = (folder / key).read_bytes()
        todo = [i for i in range(len(docs)) if i not in blobs]
        n_workers = min(workers or os.cpu_count() or 1, len(todo))
        if n_workers > 1 and len(todo) >= POOL_MIN_SOURCES:
            from pipeline.pools import fork_pool

            chunks = [todo[k::n_workers * 4] for k in range(n_workers * 4)]
            _JOB = (fn, docs, by_source)
            if before_fork is not None:
                before_fork()
            try:
                with fork_pool(n_workers) as pool:
                    for done in pool.imap_unordered(_run_chunk, [c for c in chunks if c]):
                        blobs.update(done)
            finally:
                _JOB = None
        else:
            for i in todo:
                blobs[i] = _computed(fn, docs, by_source, i)
        for i in todo:
            _store(folder, keys[i], blobs[i])
        wanted = set(keys)
        for stale in folder.iterdir():  # entries of earlier builds, and temporaries of killed ones
            if stale.name not in wanted:
                stale.unlink(missing_ok=True)
        results: list[T] = []
        unreadable = 0
        for i in range(len(docs)):
            try:
                results.append(pickle.loads(blobs[i]))
            except Exception:  # an unreadable entry (disk trouble, a class since moved): read the source again
                unreadable += 1
                value = fn(docs[i], by_source.get(docs[i].source_id, []))
                _store(folder, keys[i], pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
                results.append(value)
        if stats is not None:  # an entry read again counts as computed: it cost what a changed source costs
            stats[stage] = {"cached": len(docs) - len(todo) - unreadable, "computed": len(todo) + unreadable}
        return results

    return run


def _store(folder: Path, key: str, blob: bytes) -> None:
    """Write a cache entry atomically (a killed build leaves a temporary, never half an entry)."""
    tmp = folder / f".{key}.{os.getpid()}"
    tmp.write_bytes(blob)
    os.replace(tmp, folder / key)


class MergeMemo:
    """A ``pipeline.extract.Memo`` stored under ``cache_dir/<stage>/``: a result is kept under the
    digest of its stage, the extractor code, the curated data and the inputs the extractor names
    (which must be all its computation reads). ``finish`` removes the entries this build did not
    ask for (so a folder holds one build's entries) and returns hits and misses per stage."""

    def __init__(self, cache_dir: Path, curated: str) -> None:
        self.cache_dir = cache_dir
        self.curated = curated
        self.used: dict[str, set[str]] = {}
        self.stats: dict[str, dict[str, int]] = {}

    def __call__(self, stage: str, inputs: bytes, compute: Callable[[], T]) -> T:
        h = hashlib.sha256(f"{stage}\0{extract_code_digest()}\0{self.curated}\0".encode())
        h.update(inputs)
        key = h.hexdigest()[:32]
        folder = self.cache_dir / stage
        self.used.setdefault(stage, set()).add(key)
        counts = self.stats.setdefault(stage, {"cached": 0, "computed": 0})
        with contextlib.suppress(FileNotFoundError, pickle.UnpicklingError, EOFError):
            found: T = pickle.loads((folder / key).read_bytes())
            counts["cached"] += 1
            return found
        result = compute()
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}"
        tmp.write_bytes(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, folder / key)
        counts["computed"] += 1
        return result

    def kept(self, stage: str) -> bytes | None:
        """What ``keep`` stored for ``stage`` in the last build with this code and curated data (None
        if nothing): state a merge carries from one build to the next (``events.coarse``)."""
        path = self._path(stage)
        self.used.setdefault(stage, set()).add(path.name)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def keep(self, stage: str, blob: bytes) -> None:
        path = self._path(stage)
        self.used.setdefault(stage, set()).add(path.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        _store(path.parent, path.name, blob)

    def _path(self, stage: str) -> Path:
        key = hashlib.sha256(f"{stage}\0{extract_code_digest()}\0{self.curated}\0".encode()).hexdigest()[:32]
        return self.cache_dir / stage / key

    def finish(self) -> dict[str, dict[str, int]]:
        for stage, keys in self.used.items():
            folder = self.cache_dir / stage
            if folder.is_dir():
                for stale in folder.iterdir():
                    if stale.name not in keys:
                        stale.unlink(missing_ok=True)
        return self.stats
