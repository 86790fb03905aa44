"""Events: merging the tellings of all sources into events (``merge_event_mentions``).

What belongs here: when two tellings are one occurrence (``pair_score``, ``same_occurrence``):
dates agree (a coarser date may join a finer one), types are compatible, nothing conflicts (place
country, time, number killed) and enough is shared (participants in the same role, the place or
a place containing it, the trigger group, distinctive words); then, on one day, tellings of one
kind that nothing tells apart (``_merge_same_kind``). The tellings dated to a day are merged
one day at a time on what the merge reads of them (``_Telling``), so that a day none of whose
tellings changed is not merged again (``merge_event_mentions``'s ``memo``).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.extract import Memo, no_memo
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityMention
from pipeline.extract.events.coarse import CoarseScores, digest, merge_coarse, state_of
from pipeline.extract.events.mention import EventMention, _Roles
from pipeline.extract.places import Gazetteer, PlaceHit

# Types whose tellings may merge although labelled differently (a strike told as an attack).
_COMPATIBLE = {frozenset({"strike", "attack"})}


@dataclass
class _Event:
    mentions: list[EventMention] = field(default_factory=list)

    @property
    def primary(self) -> EventMention:
        return self.mentions[0]


@dataclass
class _Telling:
    """A telling as the day merge sees it: the fields of an ``EventMention`` the merge reads, with no
    source, offsets or text (dates, places and participants keep their values, not their spans). The day merge runs on
    these, so what it decides is a function of them alone and may be memoised under their digest
    (``key``); an edit elsewhere in a source moves its tellings, not these."""

    event_type: str
    group: str | None
    groups: frozenset[str]
    distinct: bool
    date: DateMention
    killed: int | None
    place: PlaceHit | None
    place_ids: frozenset[str]
    actors: list[tuple[EntityMention, str]]
    attributed_to: str | None
    words: frozenset[str]
    topic_date: str | None
    _roles_memo: tuple[list[tuple[EntityMention, str]], int, _Roles] | None = field(
        default=None, repr=False, compare=False)

    @classmethod
    def of(cls, m: EventMention) -> _Telling:
        d, p = m.date, m.place
        return cls(
            m.event_type, m.group, m.groups, m.distinct,
            DateMention(0, 0, "", d.date, d.date_start, d.date_end, d.date_precision, d.time_local),
            m.killed,
            None if p is None else PlaceHit(0, 0, "", p.place, p.locative, p.vicinity),
            m.place_ids,
            [(EntityMention("", 0, 0, e.entity_id, e.kind, ""), role) for e, role in m.actors],
            m.attributed_to, m.words, m.topic_date,
        )

    def key(self) -> bytes:
        """Every field but the memo, in a stable form (sets sorted)."""
        return json.dumps([_plain(getattr(self, f.name)) for f in dataclasses.fields(self)
                           if not f.name.startswith("_")], separators=(",", ":")).encode()


# What the merge may read of a telling: an ``EventMention`` or its ``_Telling`` (the same fields).
_Told = EventMention | _Telling


def _plain(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return [_plain(getattr(v, f.name)) for f in dataclasses.fields(v)]
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted(_plain(x) for x in v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _role_class(role: str) -> str:
    return "agent" if role in ("actor", "perpetrator", "sponsor") else "patient" if role in ("target", "victim") else "other"


def _types_compatible(a: _Told, b: _Told) -> bool:
    if a.event_type == b.event_type or frozenset({a.event_type, b.event_type}) in _COMPATIBLE:
        return True
    # "56 people were killed in a stampede during Soleimani's burial" (other) also tells the burial.
    return (a.event_type == "other" and b.group in a.groups) or (b.event_type == "other" and a.group in b.groups)


def _contains(coarse: DateMention, fine: DateMention) -> bool:
    assert coarse.date_start and coarse.date_end and fine.date_start and fine.date_end
    return coarse.date_start <= fine.date_start and fine.date_end <= coarse.date_end


TIME_SLACK = 60  # minutes


def _minutes_apart(a: str, b: str) -> int:
    ha, ma = (int(x) for x in a.split(":"))
    hb, mb = (int(x) for x in b.split(":"))
    return abs((ha * 60 + ma) - (hb * 60 + mb))


def _participants(m: _Told) -> _Roles:
    """A telling's participants by role class, computed once (``pair_score`` asks for them often)."""
    memo = m._roles_memo
    if memo is not None and memo[0] is m.actors and memo[1] == len(m.actors):
        return memo[2]
    roles = frozenset((e.entity_id, _role_class(r)) for e, r in m.actors)
    found = _Roles(roles, frozenset(x[0] for x in roles), frozenset(x[0] for x in roles if x[1] == "agent"))
    m._roles_memo = (m.actors, len(m.actors), found)
    return found


def pair_score(a: _Told, b: _Told, gaz: Gazetteer, tolls_may_differ: bool = False) -> float | None:
    """Evidence that two tellings are one occurrence; None when something conflicts.
    ``tolls_may_differ``: the tellings are known to be one occurrence (``same_occurrence``), so
    different numbers killed are a dispute between sources, not two occurrences."""
    if not _types_compatible(a, b):
        return None
    if a.date.time_local and b.date.time_local and _minutes_apart(a.date.time_local, b.date.time_local) > TIME_SLACK:
        return None  # two sources time one occurrence a little apart (launch, impact); not an hour
    if a.killed is not None and b.killed is not None and a.killed != b.killed and not tolls_may_differ:
        return None
    score = 0.0
    if a.place and b.place:
        pa, pb = a.place.place, b.place.place
        if gaz.related(pa.place_id, pb.place_id) or pa.place_id in b.place_ids or pb.place_id in a.place_ids:
            score += 2
        elif pa.country and pb.country and pa.country != pb.country:
            return None
        elif gaz.specific(pa) and gaz.specific(pb) and not (a.place.vicinity or b.place.vicinity):
            return None  # two different cities or sites
        elif pa.country and pa.country == pb.country:
            score += 1
    ra, rb = _participants(a), _participants(b)
    same_role = {x for x in ra.roles & rb.roles if x[1] != "other"}
    if a.event_type == "statement" and b.event_type == "statement":
        speakers_a = ra.agents | ({a.attributed_to} if a.attributed_to else set())
        speakers_b = rb.agents | ({b.attributed_to} if b.attributed_to else set())
        if speakers_a and speakers_b and not speakers_a & speakers_b:
            return None
    if a.event_type == b.event_type == "plot" and ra.agents and rb.agents and not ra.agents & rb.agents:
        return None  # two plots told with their plotters, none in common: two plots (one kind, one year)
    shared = ra.ids & rb.ids
    statements = a.event_type == "statement"
    if statements:
        # The speaker counts most: two statements often name the same people.
        agents = {x for x in same_role if x[1] == "agent"}
        score += 2.0 * len(agents) + min(2.0, 1.0 * len(shared - {x[0] for x in agents}))
    else:
        score += min(4.0, 2.0 * len(same_role) + 1.0 * len(shared - {x[0] for x in same_role}))
    if a.group and a.group == b.group and (not statements or a.group == "report" or a.distinct):
        # A shootdown, a funeral, a hack: rarely two of a kind on one day.
        score += 3 if a.distinct else 1
    elif not statements and a.group and b.group and (a.group in b.groups or b.group in a.groups):
        score += 3 if (a.distinct and a.group in b.groups) or (b.distinct and b.group in a.groups) else 1
    common = len(a.words & b.words)
    score += 2 if common >= 5 else 1 if common >= 3 else 0
    # The subject of an article (the date its lead gives) told again as a strike/attack.
    for t in sorted({x for x in (a.topic_date, b.topic_date) if x is not None}):
        if a.event_type in ("strike", "attack") and all(
            m.date.date_start and m.date.date_start.isoformat() <= _end_iso(t) and _start_iso(t) <= str(m.date.date_end)
            for m in (a, b)
        ):
            score += 2
            break
    return score


def _start_iso(d: str) -> str:
    return d if len(d) == 10 else d + ("-01" if len(d) == 7 else "-01-01")


def _end_iso(d: str) -> str:
    return d if len(d) == 10 else d + ("-31" if len(d) == 7 else "-12-31")


MERGE_THRESHOLD = 3.0
# Statements are many and alike (one speaker, one day): two tellings are one statement only
# with the same speaker and more in common.
STATEMENT_THRESHOLD = 4.0
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


DAY_MERGE_STAGE = "events-day-merge"


def merge_event_mentions(mentions: Sequence[EventMention], gaz: Gazetteer, memo: Memo = no_memo,
                         coarse: CoarseScores | None = None) -> list[_Event]:
    """Group tellings into events: finest dates first, each joining the best-scoring event.

    A telling dated to the day looks only at the events of that day, so each day is merged on its
    own (``_merge_day``, through ``memo``: a day whose tellings are unchanged is not merged again);
    one dated to a month or a year at the events of the same date and the finer-dated events inside
    its span, found from an index of events by the day their date starts (not by scanning every
    event so far).
    """
    # "The air strike, ordered by T, ...": a telling of an occurrence the source dated before joins
    # the event of that telling (after the others are merged)
    told_again = [m for m in mentions if m.date.date is not None and m.date.anchor_start is not None]
    mentions = [m for m in mentions if m.date.anchor_start is None or m.date.date is None]
    dated = [m for m in mentions if m.date.date is not None]
    undated = [m for m in mentions if m.date.date is None]
    dated.sort(key=lambda m: (_PRECISION_RANK[m.date.date_precision or "year"], m.order))
    n_day = sum(1 for m in dated if m.date.date_precision == "day")
    plain = [_Telling.of(m) for m in dated]
    keys = [t.key() for t in plain]
    events = _merge_days(dated[:n_day], plain[:n_day], keys[:n_day], gaz, memo)
    # Month- and year-dated tellings, scored only against event states they were not scored against
    # before (``coarse``: the last build's scores, see ``coarse.py``).
    digests = {id(m): digest(k) for m, k in zip(dated, keys, strict=True)}
    states = [state_of([digests[id(m)] for m in ev.mentions]) for ev in events]
    merge_coarse(events, states, dated[n_day:], digests, gaz, coarse if coarse is not None else CoarseScores())
    events = _merge_same_kind(events, gaz)
    by_date_mention = {(m.source_id, m.date.char_start): ev for ev in events for m in ev.mentions}
    for m in told_again:
        told = by_date_mention.get((m.source_id, m.date.anchor_start or -1))
        if told is not None:
            told.mentions.append(m)
        else:
            events.append(_Event([m]))
    events = _merge_coarse_violent(events)
    for m in undated:
        events.append(_Event([m]))
    return events


def _same_victim_first(m: EventMention, candidates: list[_Event]) -> list[_Event]:
    """The events a strike or attack told at month or year precision may join: those naming a victim or
    target it names, when there are any ("the killing of X in Iraq one year ago" is the strike that
    killed X, not another strike in Iraq that month); else all ``candidates``."""
    if m.event_type not in ("strike", "attack"):
        return candidates
    mine = {e for e, c in _participants(m).roles if c == "patient"}
    if not mine:
        return candidates
    sharing = [ev for ev in candidates
               if any(mine & {e for e, c in _participants(o).roles if c == "patient"} for o in ev.mentions)]
    return sharing or candidates


def _merge_days(day: Sequence[EventMention], told: Sequence[_Telling], keys: Sequence[bytes], gaz: Gazetteer,
                memo: Memo) -> list[_Event]:
    """The events of the tellings dated to a day (in merge order), in the order the first telling
    of each comes: every day merged apart (``_merge_day``), through ``memo``."""
    positions: dict[str | None, list[int]] = {}
    for k, m in enumerate(day):
        positions.setdefault(m.date.date, []).append(k)
    made: list[tuple[int, _Event]] = []  # (position of the event's first telling, event)
    for ks in positions.values():
        tellings = [told[k] for k in ks]
        inputs = b"\n".join(keys[k] for k in ks)
        groups = memo(DAY_MERGE_STAGE, inputs, functools.partial(_merge_day, tellings, gaz))
        if len(groups) != len(ks):  # pragma: no cover - a memo answering for other inputs
            raise ValueError(f"{DAY_MERGE_STAGE}: {len(groups)} groups for {len(ks)} tellings")
        evs: dict[int, _Event] = {}
        for k, g in zip(ks, groups, strict=True):
            if g not in evs:
                evs[g] = _Event([])
                made.append((k, evs[g]))
            evs[g].mentions.append(day[k])
    made.sort(key=lambda x: x[0])
    return [ev for _, ev in made]


def _merge_day(tellings: Sequence[_Telling], gaz: Gazetteer) -> list[int]:
    """The tellings of one day, in merge order, grouped into events: for each, the number of its
    event (events numbered as they are made). Each joins the best-scoring event so far (the first
    of equals) when the score is enough, else makes one."""
    events: list[list[_Telling]] = []
    groups: list[int] = []
    for t in tellings:
        best: tuple[float, int] | None = None
        need = STATEMENT_THRESHOLD if t.event_type == "statement" else MERGE_THRESHOLD
        for i, ev in enumerate(events):
            sc = _event_score(t, ev, gaz)
            if sc is not None and sc >= need and (best is None or sc > best[0]):
                best = (sc, i)
        if best is None:
            events.append([t])
            groups.append(len(events) - 1)
        else:
            events[best[1]].append(t)
            groups.append(best[1])
    return groups


def same_occurrence(m: _Told, tellings: Sequence[_Told], gaz: Gazetteer) -> bool:
    """Whether a telling tells the occurrence an event's tellings tell, whatever its toll: a strike or
    attack of the same day, at the same place (or one containing the other), with a participant in
    the same role (the victim, the perpetrator) and no perpetrator the event's tellings do not name.
    Different occurrences of one day differ in place or participants; sources differ in tolls.
    ``tellings``: the event's."""
    if m.event_type not in ("strike", "attack") or m.date.date_precision != "day" or m.place is None:
        return False
    if not all(o.date.date == m.date.date and _types_compatible(m, o) for o in tellings):
        return False
    pid = m.place.place.place_id
    if not any(o.place is not None and (gaz.related(pid, o.place.place.place_id) or pid in o.place_ids
                                        or o.place.place.place_id in m.place_ids) for o in tellings):
        return False
    own = _participants(m)
    roles = frozenset().union(*(_participants(o).roles for o in tellings))
    agents = frozenset().union(*(_participants(o).agents for o in tellings))
    if own.agents and agents and not own.agents & agents:
        return False
    # A participant both tell of, never an agent in one and a victim or target in the other.
    shared = own.ids & frozenset(r[0] for r in roles)
    classes = {(e, c) for e, c in own.roles | roles if e in shared and c != "other"}
    return bool(shared) and all(not {(e, "agent"), (e, "patient")} <= classes for e in shared)


def _event_score(m: _Told, tellings: Sequence[_Told], gaz: Gazetteer) -> float | None:
    """The best ``pair_score`` of a telling with the tellings of an event; None when one conflicts
    (scoring stops at the first conflict)."""
    best: float | None = None
    tolerant = (m.killed is not None and any(o.killed not in (None, m.killed) for o in tellings)
                and same_occurrence(m, tellings, gaz))
    for other in tellings:
        v = pair_score(m, other, gaz, tolerant)
        if v is None:
            return None
        if best is None or v > best:
            best = v
    return best


def _is_candidate(m: EventMention, ev: _Event) -> bool:
    """Whether a telling dated to a month or year may join an event: the same date, or a finer
    date inside its span."""
    pd = ev.primary.date
    return pd.date == m.date.date or (
        _PRECISION_RANK[pd.date_precision or "year"] < _PRECISION_RANK[m.date.date_precision or "year"]
        and _contains(m.date, pd)
    )


class _EventIndex:
    """The events so far, by creation order, looked up by the date of their primary telling (which
    never changes: tellings are only appended to an event)."""

    def __init__(self) -> None:
        self.events: list[_Event] = []
        self.by_date: dict[str | None, list[int]] = {}
        self.starts: list[tuple[dt.date, int]] = []  # (primary date_start, creation order), sorted
        self.unstarted: list[int] = []  # events whose primary date has no day span

    def add(self, ev: _Event) -> None:
        k = len(self.events)
        self.events.append(ev)
        d = ev.primary.date
        self.by_date.setdefault(d.date, []).append(k)
        if d.date_start is None or d.date_end is None:
            self.unstarted.append(k)
        else:
            bisect.insort(self.starts, (d.date_start, k))

    def coarse_candidates(self, m: EventMention) -> list[_Event]:
        """The events ``m`` may join (``_is_candidate``), in creation order."""
        lo, hi = m.date.date_start, m.date.date_end
        if lo is None or hi is None:  # no span to look up: check every event
            return [ev for ev in self.events if _is_candidate(m, ev)]
        # A finer event inside [lo, hi] starts inside it; the others can only match by date.
        ks = set(self.by_date.get(m.date.date, ()))
        a = bisect.bisect_left(self.starts, (lo, -1))
        b = bisect.bisect_right(self.starts, (hi, len(self.events)))
        ks.update(k for _, k in self.starts[a:b])
        ks.update(self.unstarted)
        return [self.events[k] for k in sorted(ks) if _is_candidate(m, self.events[k])]


def _kind(m: EventMention) -> str | None:
    """What two tellings must share to be one occurrence by date alone (None: never by date alone --
    statements are many a day, "other" names no kind)."""
    if m.event_type in ("strike", "attack"):
        return "violent"
    if m.event_type in ("statement", "other") or m.group is None:
        return None
    return f"{m.event_type}:{m.group}"


def _merge_same_kind(events: list[_Event], gaz: Gazetteer) -> list[_Event]:
    """On one day, tellings of one kind that nothing tells apart are one occurrence: "Wednesday's
    attack on Taji", "a rocket attack a day earlier", "About 18 Katyusha rockets struck the base".

    Events of the same day and kind are linked when nothing conflicts (place, time, toll, speaker).
    Linked events merge when every two of them are linked and each shares something with another
    (a participant, the place, the wording); otherwise an event joins the one it shares most with
    only if that one fits nothing it does not fit itself (an event that fits two occurrences told
    apart -- "his killing" beside a strike in Baghdad and one in Yemen -- stays alone).
    """
    buckets: dict[tuple[str, str], list[_Event]] = {}
    for ev in events:
        d = ev.primary.date
        kind = _kind(ev.primary)
        if d.date is None or d.date_precision != "day" or kind is None:
            continue
        buckets.setdefault((d.date, kind), []).append(ev)
    absorbed: set[int] = set()
    for bucket in buckets.values():
        evs = sorted(bucket, key=lambda e: e.primary.order)
        while 2 <= len(evs) <= MAX_SAME_KIND:
            pair = _same_kind_pair(evs, gaz)
            if pair is None:
                break
            keep, gone = sorted(pair, key=lambda e: e.primary.order)
            keep.mentions.extend(gone.mentions)
            absorbed.add(id(gone))
            evs = [e for e in evs if e is not gone]
    return [e for e in events if id(e) not in absorbed]


# Larger same-day buckets are left to the scored merge (the pairwise check grows with the square).
MAX_SAME_KIND = 40


def _same_kind_pair(evs: list[_Event], gaz: Gazetteer) -> tuple[_Event, _Event] | None:
    """Two events of one day and kind to merge (see ``_merge_same_kind``), or None."""
    n = len(evs)
    linked = [[False] * n for _ in range(n)]
    best = [[0.0] * n for _ in range(n)]
    for i, j in itertools.combinations(range(n), 2):
        vals = [pair_score(a, b, gaz) for a in evs[i].mentions for b in evs[j].mentions]
        linked[i][j] = linked[j][i] = all(v is not None for v in vals)
        best[i][j] = best[j][i] = max((v for v in vals if v is not None), default=0.0)
    fits = [{j for j in range(n) if linked[i][j]} for i in range(n)]
    seen: set[int] = set()
    for i in range(n):
        if i in seen:
            continue
        comp, stack = [], [i]
        seen.add(i)
        while stack:
            k = stack.pop()
            comp.append(k)
            stack.extend(j for j in fits[k] if j not in seen)
            seen.update(fits[k])
        clique = len(comp) >= 2 and all(linked[a][b] for a, b in itertools.combinations(comp, 2))
        if clique and all(any(best[a][b] >= 1 for b in comp if b != a) for a in comp):
            a, b = sorted(comp)[:2]
            return evs[a], evs[b]
    for x in reversed(range(n)):
        if not fits[x]:
            continue
        top = max(best[x][y] for y in fits[x])
        tops = [y for y in fits[x] if best[x][y] == top]
        if top < 1 or len(tops) != 1:
            continue
        y = tops[0]
        if fits[y] - {x} <= fits[x]:
            return evs[x], evs[y]
    return None


def _violent_roles(ev: _Event) -> tuple[frozenset[str], frozenset[str]] | None:
    """The patients and agents of an event all of whose tellings are strikes or attacks, else None."""
    if any(m.event_type not in ("strike", "attack") for m in ev.mentions):
        return None
    patients = frozenset(e for m in ev.mentions for e, c in _participants(m).roles if c == "patient")
    agents = frozenset(e for m in ev.mentions for a in [_participants(m).agents] for e in a)
    return patients, agents


def _merge_coarse_violent(events: list[_Event]) -> list[_Event]:
    """A strike or attack told at month or year precision ("the assassination of X in a drone strike
    earlier this year", "the killing of X in January") joins the one day-dated strike or attack inside
    its span with the same victim or target, when no agent differs: the same occurrence told less
    precisely, not a second one. Scored merging does not do it when another telling of the day event
    conflicts on something the coarse one does not state."""
    day: list[tuple[_Event, frozenset[str], frozenset[str]]] = []
    for ev in events:
        d = ev.primary.date
        roles = _violent_roles(ev) if d.date_precision == "day" else None
        if roles is not None and roles[0]:
            day.append((ev, *roles))
    if not day:
        return events
    absorbed: set[int] = set()
    for ev in events:
        d = ev.primary.date
        if d.date_precision not in ("month", "year") or d.date_start is None or d.date_end is None:
            continue
        roles = _violent_roles(ev)
        if roles is None or not roles[0]:
            continue
        patients, agents = roles
        fits = [(len(patients & p), f) for f, p, a in day
                if f.primary.date.date_start is not None and d.date_start <= f.primary.date.date_start <= d.date_end
                and patients & p and not (agents and a and not agents & a)]
        if not fits:
            continue
        top = max(n for n, _ in fits)
        best = [f for n, f in fits if n == top]
        if len(best) == 1:
            best[0].mentions.extend(ev.mentions)
            absorbed.add(id(ev))
    return [e for e in events if id(e) not in absorbed]
