"""Events: the tellings dated to a month or a year joining events (``merge_coarse``), with their scores kept
across builds (``CoarseScores``).

What belongs here: the loop that lets each month- or year-dated telling, in merge order, join the
best-scoring event it may join (``_is_candidate``: the same date, or a finer date inside its span) or
make one, and what makes that loop cheap to run again after an edit. What it decides is what
``merge.py``'s rules decide; this module adds no rule.

Why it is cheap to run again: a telling's score against an event (``_event_score``) is a function of
what the merge reads of the telling and of the event's tellings (``_Telling``: no source, offsets or
text) and of the code and curated data. Each telling gets a digest of that content, each event a
digest of its tellings' digests in order (its *state*, updated when a telling joins). For each
telling the store keeps the states it was scored against and the scores that could win (at least the
telling's threshold); a rebuild scores a telling again only against events whose state it has not
seen. The scores below the threshold never decide (a join needs the threshold, ties are among the
best), so the decisions are those of scoring everything again. After a one-source edit almost every
event keeps its state: a "2020" telling is scored again against the few events the edit touched,
not the thousands of 2020.

The events a telling may join are kept per date (``_Candidates``): the events are numbered as they
are made and an event's primary telling never changes, so the list of a date grows only by the
events made later that pass ``_is_candidate``.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pipeline.extract.events.mention import EventMention
    from pipeline.extract.events.merge import _Event
    from pipeline.extract.places import Gazetteer

_MASK = (1 << 64) - 1


def digest(key: bytes) -> int:
    """A telling's content digest (signed 64 bits, to sit in an int64 array)."""
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little", signed=True)


def joined(state: int, telling: int) -> int:
    """The state of an event after a telling of digest ``telling`` joins it (order counts)."""
    raw = (state & _MASK).to_bytes(8, "little") + (telling & _MASK).to_bytes(8, "little")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little", signed=True)


def state_of(tellings: Sequence[int]) -> int:
    state = 0
    for t in tellings:
        state = joined(state, t)
    return state


class CoarseScores:
    """For each telling digest: the event states it was scored against (sorted int64) and its
    scores that could win, by state. ``prior`` holds the last build's, ``record`` gathers this
    build's (the store keeps one build's entries, so it does not grow with edits)."""

    def __init__(self, prior: dict[int, tuple[np.ndarray, dict[int, float]]] | None = None) -> None:
        self.prior = prior or {}
        self.seen: dict[int, list[np.ndarray]] = {}
        self.high: dict[int, dict[int, float]] = {}
        self.scored = 0  # pairs scored in this build (the others came from ``prior``)

    def record(self, telling: int, states: np.ndarray, high: dict[int, float]) -> None:
        self.seen.setdefault(telling, []).append(states)
        self.high.setdefault(telling, {}).update(high)

    def dumps(self) -> bytes:
        """This build's entries, for ``loads`` in the next build."""
        keys = sorted(self.seen)
        arrays = [np.unique(np.concatenate(self.seen[k])) for k in keys]
        lengths = np.array([len(a) for a in arrays], dtype=np.int64)
        flat = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
        highs = [(k, s, v) for k in keys for s, v in self.high[k].items()]
        return pickle.dumps((np.array(keys, dtype=np.int64), lengths, flat.astype(np.int64), highs),
                            pickle.HIGHEST_PROTOCOL)

    @classmethod
    def read(cls, blob: bytes | None) -> CoarseScores:
        """``loads``, or an empty store when there is nothing (first build) or it does not read."""
        if blob:
            try:
                return cls.loads(blob)
            except Exception:  # a damaged entry costs a full scoring, never a wrong row
                pass
        return cls()

    @classmethod
    def loads(cls, blob: bytes) -> CoarseScores:
        keys, lengths, flat, highs = pickle.loads(blob)
        ends = np.cumsum(lengths)
        prior: dict[int, tuple[np.ndarray, dict[int, float]]] = {}
        for k, end, n in zip(keys.tolist(), ends.tolist(), lengths.tolist(), strict=True):
            prior[k] = (flat[end - n:end], {})
        for k, s, v in highs:
            prior[k][1][s] = v
        return cls(prior)


class _Candidates:
    """The events so far (numbered as made) with their states, and per date signature the numbers of
    the events a telling of that date may join, in order."""

    def __init__(self, events: list[_Event], states: list[int]) -> None:
        from pipeline.extract.events.merge import _EventIndex

        self.events = events
        self.index = _EventIndex()
        for ev in events:
            self.index.add(ev)
        self.number = {id(ev): k for k, ev in enumerate(events)}
        self.states = np.zeros(max(16, 2 * len(events)), dtype=np.int64)
        self.states[:len(states)] = states
        self.lists: dict[tuple[object, ...], tuple[EventMention, list[int]]] = {}
        self.by_date: dict[str | None, list[tuple[object, ...]]] = {}

    def of(self, m: EventMention) -> list[int]:
        d = m.date
        sig = (d.date, d.date_precision, d.date_start, d.date_end)
        found = self.lists.get(sig)
        if found is None:
            found = (m, [self.number[id(ev)] for ev in self.index.coarse_candidates(m)])
            self.lists[sig] = found
            self.by_date.setdefault(d.date, []).append(sig)
        return found[1]

    def add(self, ev: _Event, state: int) -> None:
        from pipeline.extract.events.merge import _PRECISION_RANK, _is_candidate

        k = len(self.events)
        self.events.append(ev)
        self.index.add(ev)
        self.number[id(ev)] = k
        if k >= len(self.states):
            self.states = np.concatenate([self.states, np.zeros(len(self.states), dtype=np.int64)])
        self.states[k] = state
        # ``_is_candidate`` holds for the same date or a finer one: only those lists can grow.
        d = ev.primary.date
        rank = _PRECISION_RANK[d.date_precision or "year"]
        for sig in self.by_date.get(d.date, ()):
            rep, ks = self.lists[sig]
            if _is_candidate(rep, ev):
                ks.append(k)
        for rep, ks in self.lists.values():
            if rep.date.date != d.date and _PRECISION_RANK[rep.date.date_precision or "year"] > rank \
                    and _is_candidate(rep, ev):
                ks.append(k)


def merge_coarse(events: list[_Event], states: list[int], coarse: Sequence[EventMention],
                 digests: dict[int, int], gaz: Gazetteer, store: CoarseScores) -> None:
    """Let each of ``coarse`` (month- and year-dated tellings, in merge order) join the best-scoring
    of the events it may join, else make one; ``events`` (the day events, with their ``states``) grows.
    ``digests``: each telling's content digest by ``id``."""
    from pipeline.extract.events.merge import (
        MERGE_THRESHOLD,
        STATEMENT_THRESHOLD,
        _Event,
        _event_score,
        _same_victim_first,
    )

    cands = _Candidates(events, states)
    for m in coarse:
        assert m.date.date is not None
        own = digests[id(m)]
        ks = cands.of(m)
        every = [events[k] for k in ks]
        chosen = _same_victim_first(m, every)
        if chosen is not every:
            ks = [cands.number[id(ev)] for ev in chosen]
        need = STATEMENT_THRESHOLD if m.event_type == "statement" else MERGE_THRESHOLD
        idx = np.fromiter(ks, dtype=np.int64, count=len(ks))
        now = cands.states[idx]
        prior = store.prior.get(own)
        if prior is None:
            fresh: list[int] = list(range(len(ks)))
            high: list[tuple[int, float]] = []
        else:
            seen, known = prior
            at = np.searchsorted(seen, now)
            clean = seen[np.minimum(at, max(len(seen) - 1, 0))] == now if len(seen) else np.zeros(len(ks), bool)
            fresh = np.flatnonzero(~clean).tolist()
            high = [(i, known[s]) for i, s in enumerate(now.tolist()) if s in known] if known else []
        store.scored += len(fresh)
        for i in fresh:
            sc = _event_score(m, events[ks[i]].mentions, gaz)
            if sc is not None and sc >= need:
                high.append((i, sc))
        high.sort()
        store.record(own, now, {int(now[i]): sc for i, sc in high})
        best: tuple[float, int] | None = None
        for i, sc in high:
            if best is None or sc > best[0]:
                best = (sc, i)
        # A coarse date joins a finer event only when that event is the clear best.
        if best is not None:
            ties = [s for i, s in high if s == best[0] and events[ks[i]].primary.date.date != m.date.date]
            if len(ties) > 1:
                best = None
        if best is not None:
            k = ks[best[1]]
            events[k].mentions.append(m)
            cands.states[k] = joined(int(cands.states[k]), own)
        else:
            cands.add(_Event([m]), joined(0, own))
