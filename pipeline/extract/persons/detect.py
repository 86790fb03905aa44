"""Per-source detection (``detect_mentions``): runs every finder over a source's passages, filters
the candidates, finds surnames again, links aliases, reads roles, and adds the organizations and
states the model names. One source at a time, no cross-source state.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract import nlp as nlp_model
from pipeline.extract import organizations as org_model
from pipeline.extract.names import (
    TokList,
    fold_text,
    tokenize,
)
from pipeline.extract.organizations import OrgMention
from pipeline.extract.persons.context import (
    _echo_candidates,
    _link_aliases,
    _link_infobox_aliases,
    _mark_kin,
    _propagate_surnames,
)
from pipeline.extract.persons.curated import _PLACE_LABELS, Curated, _person_or_place, load_curated, load_ner
from pipeline.extract.persons.finders import (
    alias_candidates,
    apposition_candidates,
    contributor_candidates,
    credit_candidates,
    find_orgs,
    gazetteer_candidates,
    is_title_case,
    object_candidates,
    particle_name_candidates,
    pre_apposition_candidates,
    title_rule_candidates,
)
from pipeline.extract.persons.mention import Mention, SourceMentions, _Cand
from pipeline.extract.persons.roles import _NearMentions, find_role
from pipeline.extract.persons.select import _list_members, _select


def detect_mentions(
    doc: SourceDoc,
    passages: Sequence[PassageRow],
    curated: Curated | Path,
    nlp: Any | None = None,
    use_ner: bool = True,
    ner: dict[str, list[tuple[int, int, str]]] | None = None,
) -> SourceMentions:
    """Person and organization mentions of one source (its passages only); no cross-source state.

    ``nlp`` defaults to the cached spaCy pipeline (``load_ner``); ``use_ner=False`` runs the
    rules and gazetteer alone. ``ner``: the passages' entity spans by passage_id, when the
    caller has already run the NER pass (then the model is not run here).
    """
    if isinstance(curated, Path):
        curated = load_curated(curated)
    vocab = curated.vocab
    own = [p for p in passages if p.source_id == doc.source_id]
    t0 = time.perf_counter()
    if ner is not None and use_ner:
        all_spans = [ner.get(p.passage_id, []) for p in own]
    else:
        if nlp is None and use_ner:
            nlp = load_ner()
        all_spans = nlp_model.ner_spans([p.text for p in own], nlp) if nlp is not None else [[] for _ in own]
    spans_by_passage = [_person_or_place(spans) for spans in all_spans]
    t1 = time.perf_counter()
    out = SourceMentions(doc.source_id, [], [], chars=sum(len(p.text) for p in own))
    tokens_by_passage: dict[str, TokList] = {}
    title_case: set[str] = set()
    for passage, spans in zip(own, spans_by_passage, strict=True):
        toks = tokenize(passage.text, passage.char_start, vocab.keep_period)
        tokens_by_passage[passage.passage_id] = toks
        orgs = find_orgs(doc.text, passage, toks, curated)
        out.orgs.extend(orgs)
        base = passage.char_start
        if is_title_case(passage, toks):
            # "Justice Dept. Says Iranian Plotted to Kill John Bolton": capitals carry no signal
            # here; only names the body or the gazetteer knows are read (see _propagate_surnames)
            title_case.add(passage.passage_id)
            cands = gazetteer_candidates(doc.text, passage, toks, curated)
            out.persons.extend(_select(doc, passage, toks, cands, orgs, set(), curated, out.rejected))
            continue
        cands = [_Cand(base + s, base + e, "ner", True) for s, e, label in spans if label == "PERSON"]
        places = {(base + s, base + e) for s, e, label in spans if label in _PLACE_LABELS}
        cands += title_rule_candidates(toks, vocab)
        cands += credit_candidates(doc.text, passage, vocab)
        cands += contributor_candidates(doc.text, passage, toks, vocab)
        cands += apposition_candidates(doc.text, toks, vocab)
        cands += pre_apposition_candidates(doc.text, toks, vocab)
        cands += particle_name_candidates(doc.text, toks, vocab)
        cands += object_candidates(doc.text, toks, vocab)
        cands += alias_candidates(doc.text, passage, toks, vocab)
        cands += gazetteer_candidates(doc.text, passage, toks, curated)
        chosen = _select(doc, passage, toks, cands, orgs, places, curated, out.rejected)
        chosen += _list_members(doc, passage, toks, chosen, orgs, places, curated, out.rejected)
        _mark_kin(doc.text, passage, chosen, vocab)
        out.persons.extend(chosen)
    _link_infobox_aliases(doc, out.persons, vocab)
    out.persons.extend(_echo_candidates(doc, own, tokens_by_passage, title_case, curated, out))
    _propagate_surnames(doc, own, tokens_by_passage, curated, out, title_case)
    by_passage: dict[str, list[Mention]] = defaultdict(list)
    for m in out.persons:
        by_passage[m.passage.passage_id].append(m)
    for ms in by_passage.values():
        _link_aliases(doc.text, ms, vocab)
    near = {pid: _NearMentions(ms) for pid, ms in by_passage.items()}
    for m in out.persons:
        m.role = find_role(
            doc.text, tokens_by_passage[m.passage.passage_id], m, near[m.passage.passage_id].around(m), curated
        )
    out.persons.sort(key=lambda m: m.char_start)
    _add_model_orgs(doc, own, all_spans, title_case, curated, out)
    out.ner_seconds = t1 - t0
    out.rule_seconds = time.perf_counter() - t1
    return out


def _add_model_orgs(doc: SourceDoc, own: Sequence[PassageRow], all_spans: Sequence[Sequence[tuple[int, int, str]]],
                    title_case: set[str], curated: Curated, out: SourceMentions) -> None:
    """Organizations and states the model names that curated forms and persons do not cover
    (``organizations.model_orgs``); title-case headlines give none (their capitals carry no signal)."""
    vocab = curated.org_vocab
    if vocab is None:
        return
    person_words = {fold_text(w) for m in out.persons for w in m.surface.split()}
    persons_at: dict[str, list[tuple[int, int]]] = defaultdict(list)
    orgs_at: dict[str, list[OrgMention]] = defaultdict(list)
    skip_abbrev: set[str] = set()
    for m in out.persons:
        persons_at[m.passage.passage_id].append((m.char_start, m.char_end))
    for o in out.orgs:
        orgs_at[o.passage.passage_id].append(o)
    for passage, spans in zip(own, all_spans, strict=True):
        if passage.passage_id in title_case:
            continue
        orgs, states = org_model.model_orgs(
            doc.text, passage, spans, orgs_at[passage.passage_id], persons_at[passage.passage_id],
            person_words, vocab, curated.vocab.is_title, out.rejected, skip_abbrev)
        out.orgs.extend(orgs)
        out.states.extend(states)
    out.orgs.sort(key=lambda o: o.char_start)
