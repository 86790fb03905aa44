"""Claims: one value read from one telling, with its provenance, and what a wide row makes of them.

What belongs here: turning the tellings the extractors read (event mentions, plot mentions, legal
positions, person descriptions) into ``claims`` rows -- statements in the manner of
followthemoney: this telling says this row's property has this value, here is the quote -- and
the rules that read several claims of one property of one row together: which values agree
(a month contains its days; two days one apart are one occurrence dated in two time zones; a
place contains its sites), which disagree (ten killed, eight killed), and the range a wide row
shows (``*_low``, ``*_best``, ``*_high`` and ``disputed``). No extraction happens here: the
extractors call these functions with what they read, so every value of a wide row is traceable.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.corpus import PassageRow, provenance
from pipeline.ids import short_hash
from pipeline.text import sentence_spans

Row = dict[str, Any]

# Properties whose claims of one row may disagree (the others tell different things, not
# different values: a plot's stages across tellings are its history, not a dispute).
NUMBERS = ("killed", "injured")
DISPUTABLE = (*NUMBERS, "date", "place_id")
TIME_ZONE_NOTE = "one day apart: the same occurrence dated in two time zones"


def claim_id(table: str, mention_id: str, prop: str, value: str) -> str:
    """Content-derived: the table, the telling, the property and the value."""
    return "claim-" + short_hash(table, mention_id, prop, value, length=12)


def claim_row(
    table: str, row_id: str, mention_id: str, prop: str, value: Any,
    passage: PassageRow, start: int, end: int, text: str,
) -> Row:
    """One claim row; the quote is ``text[start:end]`` (a clause or a sentence of the telling)."""
    v = str(value)
    return {
        "claim_id": claim_id(table, mention_id, prop, v), "table": table, "row_id": row_id,
        "mention_id": mention_id, "property": prop, "value": v, "disputed": False, "note": None,
        **provenance(passage, start, end, text),
    }


def one_sentence(text: str, start: int, end: int, around: int) -> tuple[int, int]:
    """The sentence of ``text[start:end]`` holding offset ``around`` (the quote a closed source allows)."""
    for s, e in sentence_spans(text, start, end):
        if s <= around < e:
            return s, e
    return start, end


# --------------------------------------------------------------------------- agreement


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def dates_agree(a: str, b: str) -> tuple[bool, str | None]:
    """Whether two ISO date prefixes can date one occurrence, with a note when they differ only by
    a time zone (7 January in Washington is 8 January in Baghdad)."""
    if a.startswith(b) or b.startswith(a):
        return True, None  # a month or year contains its days
    da, db = _day(a), _day(b)
    if da is not None and db is not None and abs((da - db).days) == 1:
        return True, TIME_ZONE_NOTE
    return False, None


def mark_disputes(claims: list[Row], related: Callable[[str, str], bool] | None = None) -> set[tuple[str, str]]:
    """Set ``disputed`` (and ``note``) on claims in place; return the (row_id, property) pairs in dispute.

    Numbers disagree when they differ; dates when neither contains the other and they are not
    one day apart (those get a note instead); places when neither contains the other (``related``,
    the gazetteer's containment; without it, when they differ)."""
    groups: dict[tuple[str, str, str], list[Row]] = {}
    for c in claims:
        if c["property"] in DISPUTABLE:
            groups.setdefault((c["table"], c["row_id"], c["property"]), []).append(c)
    disputed: set[tuple[str, str]] = set()
    for (_table, row_id, prop), group in groups.items():
        values = list(dict.fromkeys(c["value"] for c in group))
        if len(values) < 2:
            continue
        clash = False
        notes: set[str] = set()
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                if prop == "date":
                    ok, note = dates_agree(a, b)
                    if note:
                        notes.update((a, b))
                elif prop == "place_id":
                    ok = related(a, b) if related is not None else False
                else:
                    ok = False
                clash = clash or not ok
        for c in group:
            c["disputed"] = clash
            if c["value"] in notes:
                c["note"] = TIME_ZONE_NOTE
        if clash:
            disputed.add((row_id, prop))
    return disputed


@dataclass(frozen=True)
class Range:
    low: int | None
    best: int | None
    high: int | None


def number_range(claims: Iterable[Row], row_id: str, prop: str) -> Range:
    """UCDP-style range of a number's claims for one row: lowest, best (the value most tellings
    give, ties going to the earliest telling) and highest."""
    values = [int(c["value"]) for c in claims if c["row_id"] == row_id and c["property"] == prop]
    if not values:
        return Range(None, None, None)
    counts = Counter(values)
    top = max(counts.values())
    best = next(v for v in values if counts[v] == top)
    return Range(min(values), best, max(values))


# --------------------------------------------------------------------------- tellings to claims


def event_claims(event_id: str, mentions: Sequence[Any], texts: dict[str, str]) -> list[Row]:
    """The claims of an event's tellings (``pipeline.extract.events.EventMention``, primary first):
    date, event_type and place_id from the telling's clause, killed and injured from the clause or
    sentence they were read from."""
    out: list[Row] = []
    seen: set[str] = set()
    for m in mentions:
        text = texts[m.source_id]
        values: list[tuple[str, Any, tuple[int, int] | None]] = [
            ("date", m.date.date, (m.char_start, m.char_end)),
            ("event_type", m.event_type, (m.char_start, m.char_end)),
            ("place_id", m.place.place.place_id if m.place else None, (m.char_start, m.char_end)),
            ("killed", m.killed, m.killed_span),
            ("injured", m.injured, m.injured_span),
        ]
        for prop, value, span in values:
            if value is None or span is None:
                continue
            # a toll the next paragraph gave is quoted from that paragraph
            outside = not m.passage.char_start <= span[0] <= span[1] <= m.passage.char_end
            passage = m.toll_passage if outside and m.toll_passage is not None else m.passage
            row = claim_row("events", event_id, m.mention_id, prop, value, passage, span[0], span[1], text)
            if row["claim_id"] not in seen:
                seen.add(row["claim_id"])
                out.append(row)
    return out


def event_ranges(claims: list[Row], event_id: str, disputed: set[tuple[str, str]]) -> Row:
    """The wide columns an event row takes from its claims: killed (the best value), the ranges and
    the dispute flag."""
    k = number_range(claims, event_id, "killed")
    w = number_range(claims, event_id, "injured")
    return {
        "killed": k.best, "killed_low": k.low, "killed_best": k.best, "killed_high": k.high,
        "injured_low": w.low, "injured_best": w.best, "injured_high": w.high,
        "disputed": any(r == event_id for r, _ in disputed),
    }


def row_claims(table: str, rows: Iterable[Row], id_column: str, props: Sequence[str]) -> list[Row]:
    """Claims of rows that are each one telling (a legal position): every listed property the row
    holds, with the row's own provenance."""
    out: list[Row] = []
    for r in rows:
        for prop in props:
            value = r.get(prop)
            if value is None or (isinstance(value, (list, tuple)) and not value):
                continue
            values = value if isinstance(value, (list, tuple)) else [value]
            for v in values:
                out.append({
                    "claim_id": claim_id(table, r[id_column], prop, str(v)), "table": table, "row_id": r[id_column],
                    "mention_id": r[id_column], "property": prop, "value": str(v), "disputed": False, "note": None,
                    **{k: r[k] for k in ("source_id", "passage_id", "char_start", "char_end", "quote")},
                })
    return out


# How far from a person's mention a description is looked for ("Qasem Soleimani, an Iranian
# major general, ...": an apposition follows or precedes the name closely).
DESCRIPTION_REACH = 200


def description_claims(persons: Iterable[Row], mentions: Iterable[Row], texts: dict[str, str],
                       passages: dict[str, tuple[int, int]]) -> list[Row]:
    """A person's description where a telling gives it: the description's words next to a mention of
    the person, in the mention's passage (the first such telling per source). A description from
    curated data that no telling gives has no claim (its source is the curated file)."""
    by_person: dict[str, list[Row]] = {}
    for m in mentions:
        by_person.setdefault(m["person_id"], []).append(m)
    out: list[Row] = []
    for p in persons:
        desc = p.get("description")
        if not desc:
            continue
        needle = desc.lower()
        told: set[str] = set()
        for m in sorted(by_person.get(p["person_id"], []), key=lambda r: (r["source_id"], r["char_start"])):
            if m["source_id"] in told or m["passage_id"] not in passages:
                continue
            lo, hi = passages[m["passage_id"]]
            a, b = max(lo, m["char_start"] - DESCRIPTION_REACH), min(hi, m["char_end"] + DESCRIPTION_REACH)
            text = texts[m["source_id"]]
            at = text.lower().find(needle, a, b)  # one bounded window per mention: linear
            if at < 0 or text[at : at + len(desc)].lower() != needle:  # (a case change that alters length)
                continue
            told.add(m["source_id"])
            out.append({
                "claim_id": claim_id("persons", m["mention_id"], "description", desc), "table": "persons",
                "row_id": p["person_id"], "mention_id": m["mention_id"], "property": "description", "value": desc,
                "disputed": False, "note": None, "source_id": m["source_id"], "passage_id": m["passage_id"],
                "char_start": at, "char_end": at + len(desc), "quote": text[at : at + len(desc)],
            })
    return out
