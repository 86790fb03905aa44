"""Events: the published rows -- ``events``, ``event_mentions``, ``event_actors``, ``places`` and
the tellings' ``claims`` -- from merged events.

What belongs here: ``build_tables`` only (IDs from content, provenance from the primary telling).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline import claims
from pipeline.corpus import provenance
from pipeline.extract import Row
from pipeline.extract.events.merge import _Event
from pipeline.extract.places import Gazetteer, Place, PlaceHit, place_rows
from pipeline.ids import short_hash


def build_tables(
    events: Sequence[_Event], place_hits: Sequence[PlaceHit], texts: dict[str, str], gaz: Gazetteer | None = None,
) -> dict[str, list[Row]]:
    """Event rows from their tellings' claims: the values of the first telling, the toll's range over
    every telling and the dispute flag (``pipeline.claims``)."""
    ev_rows: list[Row] = []
    men_rows: list[Row] = []
    act_rows: list[Row] = []
    claim_rows: list[Row] = []
    places: list[Place] = [h.place for h in place_hits]
    seen_ids: set[str] = set()
    for ev in events:
        prim = ev.primary
        event_id = short_hash("event", prim.key, prim.date.char_start - prim.passage.char_start)
        if event_id in seen_ids:  # pragma: no cover - distinct keys give distinct ids
            continue
        seen_ids.add(event_id)
        d = prim.date
        time_local = next((m.date.time_local for m in ev.mentions if m.date.time_local), None)
        place_m = next((m for m in ev.mentions if m.place is not None), None)
        own_claims = claims.event_claims(event_id, ev.mentions, texts)
        disputed = claims.mark_disputes(own_claims, gaz.related if gaz is not None else None)
        claim_rows.extend(own_claims)
        attributed = next((m.attributed_to for m in ev.mentions if m.attributed_to), None)
        row: Row = {
            "event_id": event_id, "date": d.date, "date_start": d.date_start, "date_end": d.date_end,
            "date_precision": d.date_precision, "date_text": d.date_text, "time_local": time_local,
            "event_type": prim.event_type, "summary": prim.summary,
            "place_id": place_m.place.place.place_id if place_m and place_m.place else None,
            "location": place_m.place.surface if place_m and place_m.place else None,
            "country": place_m.place.place.country if place_m and place_m.place else None,
            **claims.event_ranges(own_claims, event_id, disputed),
            "attributed_to": attributed, "mention_count": len(ev.mentions),
        }
        text = texts[prim.source_id]
        row.update(provenance(prim.passage, prim.char_start, prim.char_end, text))
        ev_rows.append(row)
        if place_m and place_m.place:
            places.append(place_m.place.place)
        actors_seen: set[str] = set()
        roles = merged_roles(ev)
        for m in ev.mentions:
            mrow: Row = {"mention_id": m.mention_id, "event_id": event_id, "date_text": m.date.date_text}
            mrow.update(provenance(m.passage, m.char_start, m.char_end, texts[m.source_id]))
            men_rows.append(mrow)
            for ent, _ in m.actors:
                if ent.entity_id in actors_seen:
                    continue
                actors_seen.add(ent.entity_id)
                role = roles[ent.entity_id]
                act_rows.append({
                    "event_actor_id": short_hash(event_id, ent.kind, ent.entity_id),
                    "event_id": event_id,
                    "person_id": ent.entity_id if ent.kind == "person" else None,
                    "org_id": ent.entity_id if ent.kind == "org" else None,
                    "role": role,
                })
    return {"events": ev_rows, "event_mentions": men_rows, "event_actors": act_rows, "places": place_rows(places),
            "claims": claim_rows}


_AGENT = frozenset({"perpetrator", "sponsor", "actor"})
_PATIENT = frozenset({"victim", "target"})


def merged_roles(ev: _Event) -> dict[str, str]:
    """Each actor's role in a merged event: the role its first telling gives, unless the tellings
    disagree on whether it did the act or underwent it -- then the side more tellings support, the
    one who underwent it on a tie (a victim in one telling is not made the perpetrator by another
    telling's misreading)."""
    first: dict[str, str] = {}
    by_side: dict[str, dict[str, list[str]]] = {}
    for m in ev.mentions:
        for ent, role in m.actors:
            first.setdefault(ent.entity_id, role)
            side = "agent" if role in _AGENT else "patient" if role in _PATIENT else "other"
            by_side.setdefault(ent.entity_id, {}).setdefault(side, []).append(role)
    out = dict(first)
    for eid, sides in by_side.items():
        agent, patient = sides.get("agent", []), sides.get("patient", [])
        if agent and patient:
            out[eid] = agent[0] if len(agent) > len(patient) else patient[0]
    return out
