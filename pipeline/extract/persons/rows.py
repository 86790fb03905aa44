"""Rows: the ``persons``, ``organizations`` and ``person_mentions`` rows and the ``EntityIndex``
(``build_rows``, ``assemble``), and ``extract_entities``, which runs detection, resolution and
rows over a corpus.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from pipeline.corpus import PassageRow, SourceDoc, local_key, provenance
from pipeline.extract import ExtractResult, Row
from pipeline.extract import organizations as org_model
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.names import (
    NameVocab,
)
from pipeline.extract.persons.curated import Curated, load_curated, load_ner
from pipeline.extract.persons.detect import detect_mentions
from pipeline.extract.persons.mention import SourceMentions
from pipeline.extract.persons.resolve import Resolution, _canonical, resolve
from pipeline.extract.persons.roles import country_from_role
from pipeline.ids import short_hash, slugify


def _informative(role: str, vocab: NameVocab) -> bool:
    """More than a bare title: two words or more, not all of them titles ("Brig. Gen.")."""
    words = role.split()
    return len(words) >= 2 and not all(vocab.is_title(w) for w in words)


def build_rows(
    resolution: Resolution, sources: Sequence[SourceMentions], docs: Sequence[SourceDoc], curated: Curated
) -> tuple[list[Row], list[Row], list[Row], list[EntityMention], list[str], dict[str, str]]:
    """persons, organizations and person_mentions rows, the index mentions, report lines and the
    forms naming states (for ``EntityIndex.state_of``)."""
    report: list[str] = []
    text_of = {d.source_id: d.text for d in docs}
    order = {d.source_id: i for i, d in enumerate(docs)}
    persons: list[Row] = []
    mentions: list[Row] = []
    index: list[EntityMention] = []
    used_ids: dict[str, str] = {}
    for g in resolution.persons:
        name = _canonical(g)
        pid = slugify(name)
        if pid in used_ids and used_ids[pid] != name:
            pid = f"{pid}-{short_hash(name, g.mentions[0].surface, length=6)}"
            report.append(f"persons: id collision for '{name}', used {pid}")
        elif pid in used_ids:
            pid = f"{pid}-{short_hash(name, g.first_pos, length=6)}"
            report.append(f"persons: two people named '{name}', second is {pid}")
        used_ids[pid] = name
        ms = sorted(g.mentions, key=lambda m: (order[m.source_id], m.char_start))
        roles = [m.role for m in ms if m.role]
        # a role of two words or more from the sources; else curated; else a bare title ("President")
        description = next((r for r in roles if _informative(r, curated.vocab)), None)
        if description is None and g.curated is not None:
            description = g.curated.description
        if description is None and roles:
            description = roles[0]
        country = g.curated.country if g.curated is not None and g.curated.country else None
        if country is None:
            country = next((c for c in (country_from_role(r, curated) for r in roles) if c), None)
        forms = {m.surface for m in ms}
        if g.curated is not None:
            forms |= set(g.curated.aliases)
        aliases = sorted(f for f in forms if f != name)
        persons.append(
            {
                "person_id": pid,
                "name": name,
                "aliases": aliases,
                "description": description,
                "country": country,
                "mention_count": len(ms),
                "first_source_id": ms[0].source_id,
                "curated": g.curated is not None,
            }
        )
        for m in ms:
            lk = local_key(m.passage, m.char_start, m.char_end)
            row = {"mention_id": "pm-" + short_hash(lk, "person"), "person_id": pid, "surface": m.surface}
            row.update(provenance(m.passage, m.char_start, m.char_end, text_of[m.source_id]))
            mentions.append(row)
            index.append(EntityMention(m.source_id, m.char_start, m.char_end, pid, "person", m.surface))
    org_rows, org_index, state_forms = org_model.org_rows(sources, curated)
    index.extend(org_index)
    return persons, org_rows, mentions, index, report, state_forms


def assemble(sources: Sequence[SourceMentions], docs: Sequence[SourceDoc], curated: Curated) -> ExtractResult:
    """Resolve the per-source detections (in docs order) into rows, report and index."""
    t0 = time.perf_counter()
    resolution = resolve(sources, curated)
    persons, orgs, mentions, index, row_report, state_forms = build_rows(resolution, sources, docs, curated)
    t_end = time.perf_counter()
    report = [
        f"persons: {len(persons)} persons ({sum(p['curated'] for p in persons)} curated), "
        f"{len(mentions)} person mentions, {len(orgs)} organizations, "
        f"{sum(o['mention_count'] for o in orgs)} organization mentions"
    ]
    uncurated = [p["name"] for p in persons if not p["curated"]]
    if uncurated:
        report.append(f"persons: {len(uncurated)} not in curated data: " + "; ".join(uncurated))
    rejected = Counter((s, r) for src in sources for s, r in src.rejected)
    for (surface, reason), n in sorted(rejected.items()):
        report.append(f"persons: rejected '{surface}' x{n} ({reason})")
    report.extend(resolution.report)
    report.extend(row_report)
    chars = sum(s.chars for s in sources)
    ner_s = sum(s.ner_seconds for s in sources)
    rule_s = sum(s.rule_seconds for s in sources)
    res_s = t_end - t0
    report.append(
        f"persons timing: spaCy NER {1000 * ner_s:.0f} ms ({chars / 1e3 / max(ner_s, 1e-9):.0f} kB/s); "
        f"detection rules {1000 * rule_s:.0f} ms ({chars / 1e6 / max(rule_s, 1e-9):.2f} MB/s); "
        f"resolution and rows {1000 * res_s:.0f} ms; rules+resolution "
        f"{chars / 1e6 / max(rule_s + res_s, 1e-9):.2f} MB/s on {chars} chars"
    )
    return ExtractResult(
        tables={"persons": persons, "organizations": orgs, "person_mentions": mentions},
        report=report,
        index=EntityIndex(index, state_forms),
    )


def extract_entities(docs: list[SourceDoc], passages: list[PassageRow], curated_dir: Path) -> ExtractResult:
    """Persons, organizations and person mentions of all sources, with an EntityIndex."""
    t0 = time.perf_counter()
    curated = load_curated(curated_dir)
    nlp = load_ner()  # cached: loaded once per process
    t_loaded = time.perf_counter()
    by_source: dict[str, list[PassageRow]] = defaultdict(list)
    for p in passages:
        by_source[p.source_id].append(p)
    sources = [detect_mentions(d, by_source[d.source_id], curated, nlp) for d in docs]
    result = assemble(sources, docs, curated)
    t_end = time.perf_counter()
    if nlp is None:
        result.report.insert(0, "persons: spaCy model unavailable; rules and gazetteer only")
    result.report.append(
        f"persons timing: whole extraction {1000 * (t_end - t0):.0f} ms "
        f"(curated data and spaCy load {1000 * (t_loaded - t0):.0f} ms)"
    )
    return result
