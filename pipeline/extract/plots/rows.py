"""The published rows of merged plot clusters: plots, plot_actors, plot_mentions and their claims.

What belongs here: the representative telling, the plot's name, place, summary and IDs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pipeline import claims
from pipeline.corpus import SourceDoc, local_key, provenance
from pipeline.extract import Row
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityIndex
from pipeline.extract.places import Gazetteer, find_places, main_place
from pipeline.extract.plots.clusters import Cluster, _status_of
from pipeline.extract.plots.mention import Actor, PlotMention
from pipeline.extract.plots.vocab import PlotVocab
from pipeline.extract.sentences import (
    date_columns,
)
from pipeline.ids import short_hash


def _representative(c: Cluster, vocab: PlotVocab, source_order: dict[str, int]) -> PlotMention:
    """The first full telling: earliest source and position with a target and a stage."""
    # body text before headlines (a headline tells the plot again, without dates or names)
    ordered = sorted(c.mentions, key=lambda pm: (source_order.get(pm.sent.source_id, 99),
                                                  pm.sent.passage.kind == "headline", pm.start))
    if c.heading is not None:
        # a section about one plot opens with its telling
        own = [pm for pm in ordered if pm.sent.source_id == c.heading.source_id and pm.statuses]
        if own:
            return own[0]
    for pm in ordered:
        if pm.statuses and not pm.anaphoric and not pm.presupposed and any(a.specific for a in pm.targets):
            return pm
    for pm in ordered:
        if pm.statuses and not pm.anaphoric and any(a.specific for a in pm.targets):
            return pm
    for pm in ordered:
        if pm.statuses:
            return pm
    return ordered[0]


def _names(actors: list[Actor], limit: int = 2) -> str:
    names = list(dict.fromkeys(a.name for a in actors))
    if not names:
        return ""
    if len(names) > limit:
        return ", ".join(names[:limit]) + " and others"
    return " and ".join(names)


def _plot_name(c: Cluster, status: str, vocab: PlotVocab) -> str:
    words = set().union(*(pm.words for pm in c.mentions))
    kinds = [pm.kind for pm in c.mentions]
    targets = c.actors("targets")
    named = [a for a in targets if a.entity_id] or targets
    if not named:
        named = [a for pm in c.mentions for a in pm.targets][:1]
    tname = _names(named)
    person_target = any(a.person_like for a in named)
    if c.heading is not None and c.heading.kind == "hack" and c.heading.targets:
        return f"Hacking of {c.heading.targets[0].name}"
    if "hack" in kinds and kinds.count("hack") * 2 >= len(kinds):
        return f"Hacking of {tname}" if tname else "Hacking operation"
    if not tname:
        perps = _names(c.actors("perpetrators") or c.actors("sponsors"))
        return f"Plot by {perps}" if perps else "Plot"
    # ("target" names no act: "X was the target of a plot to kidnap her" is a kidnapping)
    kill_words = {"assassinate", "assassination", "kill", "killing", "murder", "eliminate", "take"}
    act = "kill"
    if not (kill_words & words) and not any(w.startswith("assassinat") for w in words):
        if "capture" in words:
            act = "capture"
        elif words & {"kidnap", "kidnapping", "abduct", "abduction"}:
            act = "kidnap"
    attack = all(k == "attack_plan" for k in kinds)
    assassin = any(w.startswith("assassinat") for w in words)
    noun = {"kill": "killing", "capture": "capture", "kidnap": "kidnapping"}[act]
    if status == "executed":
        return f"{'Assassination' if assassin and act == 'kill' else noun.capitalize()} of {tname}"
    if attack or not person_target:
        return f"Plot to attack {tname}" if attack else f"Plot against {tname}"
    if status == "considered":
        return f"Considered {noun} of {tname}"
    if status in ("attempted", "failed"):
        return f"Assassination attempt on {tname}" if act == "kill" else f"Attempted {noun} of {tname}"
    if act == "capture":
        return f"Planned capture of {tname}"
    return f"Plot to {'assassinate' if act == 'kill' else act} {tname}"


def _place(pm: PlotMention, doc_text: str, index: EntityIndex, gaz: Gazetteer) -> str | None:
    """The place the telling sentence puts the plot in ("in Yemen", "near Baghdad Airport"), from
    the curated gazetteer shared with the events extractor (so the id is a ``places`` row)."""
    s = pm.sent
    hits = find_places(doc_text, s.start, s.end, gaz, index.in_span(s.source_id, s.start, s.end))
    best = main_place([h for h in hits if h.place.curated], pm.start, gaz)
    return best.place.place_id if best is not None else None


def cluster_rows(
    clusters: list[Cluster],
    docs: dict[str, SourceDoc],
    vocab: PlotVocab,
    index: EntityIndex,
    gaz: Gazetteer,
    source_order: dict[str, int],
    report: list[str],
) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    """The plots, plot_actors, plot_mentions and claims rows of the merged clusters."""
    plots: list[Row] = []
    actors: list[Row] = []
    tellings: list[Row] = []
    plot_claims: list[Row] = []
    built: list[tuple[Cluster, PlotMention, str, dict[str, Any]]] = []
    for c in clusters:
        status = _status_of(c, vocab)
        if status is None:
            rep = c.mentions[0]
            report.append(f"plots: no stage reported, skipped {rep.trigger!r} in {rep.sent.passage.passage_id}")
            continue
        rep = _representative(c, vocab, source_order)
        name = _plot_name(c, status, vocab)
        dated = rep.date or next(
            (pm.date for pm in sorted(c.mentions, key=lambda x: (source_order.get(x.sent.source_id, 99), x.start))
             if pm.date), None)
        built.append((c, rep, name, {"status": status, "date": dated}))
    # the same name twice: tell them apart by perpetrator, then by year
    counts: dict[str, int] = defaultdict(int)
    for _, _, name, _ in built:
        counts[name] += 1
    names = []
    for c, _rep, name, _info in built:
        if counts[name] > 1:
            # (a state's word is no name to tell two plots apart by: "by Israeli"; the year does it)
            perps = [a for a in c.actors("perpetrators") or c.actors("sponsors") if not a.state]
            if perps:
                name = f"{name} by {perps[0].name}"
        names.append(name)
    again: dict[str, int] = defaultdict(int)
    for n in names:
        again[n] += 1
    for k, (c, rep, _name, info) in enumerate(built):
        name = names[k]
        if again[name] > 1 and info["date"] is not None and info["date"].date:
            name = f"{name} ({info['date'].date[:4]})"
        s = rep.sent
        # the trigger's span, not the sentence: two plots told in one sentence keep two IDs
        plot_id = "plot-" + short_hash(local_key(s.passage, rep.start, rep.end), length=12)
        # the sponsoring organization, else the organization whose members carry it out
        sponsors = [a for a in c.actors("sponsors") if a.kind == "org" and a.entity_id] or [
            a for a in c.actors("perpetrators") if a.kind == "org" and a.entity_id
        ]
        row: Row = {
            "plot_id": plot_id,
            "name": name,
            "status": info["status"],
            **date_columns(info["date"]),
            "place_id": _place(rep, docs[s.source_id].text, index, gaz),
            "sponsor_org_id": sponsors[0].entity_id if sponsors else None,
            "summary": _summary(c, name, info["status"], info["date"]),
            **provenance(s.passage, s.start, s.end, docs[s.source_id].text),
        }
        plots.append(row)
        own_tellings, own_claims = mention_rows(c, plot_id, docs, vocab, info["date"])
        tellings.extend(own_tellings)
        plot_claims.extend(own_claims)
        seen: set[tuple[str, str]] = set()
        for role, attr in (("target", "targets"), ("perpetrator", "perpetrators"), ("sponsor", "sponsors"),
                           ("informant", "informants"), ("victim", "victims")):
            for a in c.actors(attr):
                if not a.entity_id or (a.entity_id, role) in seen:
                    continue
                if any(a.entity_id == e for e, _ in seen) and role in ("victim", "sponsor"):
                    continue
                seen.add((a.entity_id, role))
                actors.append({
                    "plot_actor_id": "plotactor-" + short_hash(plot_id, a.entity_id, role, length=12),
                    "plot_id": plot_id,
                    "person_id": a.entity_id if a.kind == "person" else None,
                    "org_id": a.entity_id if a.kind == "org" else None,
                    "role": role,
                })
    return plots, actors, tellings, plot_claims


def mention_rows(
    c: Cluster, plot_id: str, docs: dict[str, SourceDoc], vocab: PlotVocab, dated: DateMention | None,
) -> tuple[list[Row], list[Row]]:
    """A plot's tellings (one ``plot_mentions`` row per trigger, quoting its sentence) and their
    claims: the stage each telling reports (its furthest), and the date of the telling the plot is
    dated by (``dated``; the other tellings' sentence dates are often of something else: "on the
    anniversary of the killing")."""
    rows: list[Row] = []
    out: list[Row] = []
    seen: set[str] = set()
    for pm in sorted(c.mentions, key=lambda x: (x.sent.source_id, x.start)):
        s = pm.sent
        mention_id = "plotmention-" + short_hash(local_key(s.passage, pm.start, pm.end), length=12)
        if mention_id in seen:
            continue
        seen.add(mention_id)
        text = docs[s.source_id].text
        status = max(pm.statuses, key=vocab.rank) if pm.statuses else None
        rows.append({"mention_id": mention_id, "plot_id": plot_id, "trigger": text[pm.start : pm.end],
                     "status": status, "date_text": pm.date.date_text if pm.date else None,
                     **provenance(s.passage, s.start, s.end, text)})
        for prop, value in (("status", status), ("date", pm.date.date if pm.date is not None and pm.date is dated else None)):
            if value is not None:
                out.append(claims.claim_row("plots", plot_id, mention_id, prop, value, s.passage, s.start, s.end, text))
    return rows, out


def _summary(c: Cluster, name: str, status: str, date: DateMention | None) -> str:
    parts = [f"{name} ({status}{', ' + date.date_text if date is not None and date.date_text else ''})."]
    for label, attr in (("Targets", "targets"), ("Perpetrators", "perpetrators"), ("Sponsors", "sponsors"),
                        ("Victims", "victims")):
        names = list(dict.fromkeys(a.name for a in c.actors(attr)))
        if names:
            parts.append(f"{label}: {', '.join(names)}.")
    passages = {pm.sent.passage.passage_id for pm in c.mentions}
    srcs = sorted(c.sources())
    parts.append(f"Told in {len(passages)} passage{'s' if len(passages) > 1 else ''} of {len(srcs)} "
                 f"source{'s' if len(srcs) > 1 else ''}.")
    return " ".join(parts)
