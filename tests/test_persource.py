"""The per-source step cut into even pieces (``pipeline.persource``) gives what one task per source gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import analyse_source
from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract.nlp import load_model
from pipeline.ids import short_hash
from pipeline.paths import REPO_ROOT, Paths
from pipeline.persource import analyse_sources, even_runs
from pipeline.pools import clean_executor


def make_doc(source_id: str, *paragraphs: str) -> tuple[SourceDoc, list[PassageRow]]:
    text = "\n\n".join(paragraphs)
    doc = SourceDoc(source_id, "news", text, source_id, "2021-03-02", None, True, short_hash(text))
    passages, pos = [], 0
    for i, p in enumerate(paragraphs):
        passages.append(PassageRow(f"{source_id}:{short_hash(p, length=10)}", source_id, "Body", i, pos,
                                   pos + len(p), p))
        pos += len(p) + 2
    return doc, passages


# A long report and a short one (own words): names, organizations, a plot and legal judgements, so
# that both the NER pass and the parse pass have work in each source.
LONG = [
    "On 4 March 2021, Colonel Amir Darvish of the Quds Force met envoys of Kataib Hezbollah in Baghdad.",
    "Officials in Washington said the group had planned to attack a convoy near Erbil the week before.",
    "Professor Helen Marsh, a scholar of international law, said the strike was unlawful under the UN Charter.",
    "The State Department argued that the operation was a lawful act of self-defence against an imminent threat.",
    "According to a report by Reuters, two men were arrested in Basra on suspicion of plotting the attack.",
    "Senator Paul Greene called the decision reckless and demanded that Congress review the war powers.",
    "A spokesman for the Iraqi government, Hassan Karimi, condemned the raid as a violation of sovereignty.",
    "Iranian prosecutors said they had charged thirty people over the killing and sought their arrest.",
] * 3
SHORT = ["Tehran, 5 March (AP) - Foreign Minister Reza Farahani said the case was not closed."]


def test_even_runs_cover_every_index_in_order_with_even_totals() -> None:
    assert even_runs([], 4) == []
    assert even_runs([5], 4) == [(0, 1)]
    runs = even_runs([10] * 12, 4)
    assert runs == [(0, 3), (3, 6), (6, 9), (9, 12)]
    runs = even_runs([100, 1, 1, 1, 1, 1, 1, 1], 2)
    assert runs[0] == (0, 1) and runs[-1][1] == 8
    for sizes in ([3, 9, 1, 7, 7, 2, 8], [1] * 5, [50, 50]):
        for pieces in (1, 2, 3, 7):
            runs = even_runs(sizes, pieces)
            assert runs[0][0] == 0 and runs[-1][1] == len(sizes)
            assert all(a < b for a, b in runs) and all(runs[i][1] == runs[i + 1][0] for i in range(len(runs) - 1))
            assert len(runs) <= pieces


def _signature(bundle: object) -> tuple[object, ...]:
    det, parses = bundle.detections, bundle.parses  # type: ignore[attr-defined]
    model = load_model()
    docs = parses.docs(model)
    parsed = [(k, [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, str(t.morph), t.ent_type_) for t in d])
              for k, d in docs.items()]
    return (det.persons, det.orgs, det.rejected, det.states, parses.ner, parses.keys, parsed)


@pytest.mark.timeout(240)
def test_pieces_give_the_bundles_of_one_task_per_source(tmp_path: Path) -> None:
    if load_model() is None:
        pytest.skip("no spaCy model installed")
    paths = Paths(raw_dir=REPO_ROOT / "raw", out_dir=tmp_path)
    sources = [make_doc("long-report", *LONG), make_doc("short-report", *SHORT)]
    with clean_executor(2) as pool:
        pieces = analyse_sources(sources, paths, pool, workers=2)
    whole = [analyse_source(doc, passages, paths, events=True) for doc, passages in sources]
    assert [b.doc.source_id for b in pieces] == ["long-report", "short-report"]
    assert whole[0].parses.keys, "the long report has sentences to parse"
    for a, b in zip(pieces, whole, strict=True):
        assert a.passages == b.passages
        assert _signature(a) == _signature(b)


@pytest.mark.timeout(120)
def test_the_small_builds_per_source_step_parses_every_sentence_the_events_reading_parses(tmp_path: Path) -> None:
    from pipeline.extract.entities import EntityIndex
    from pipeline.extract.events import find_event_mentions, parse_candidates
    from pipeline.extract.sentences import Parser

    if load_model() is None:
        pytest.skip("no spaCy model installed")
    paths = Paths(raw_dir=REPO_ROOT / "raw", out_dir=tmp_path)
    doc, passages = make_doc("dated-report", *LONG[:8])
    dated = parse_candidates(doc, passages, paths.curated_dir)
    assert dated and all(doc.text[s.start:s.end] == s.text for s in dated)
    bundle = analyse_source(doc, passages, paths, events=True)
    assert {(s.start, s.end) for s in dated} <= set(bundle.parses.keys)
    assert not {(s.start, s.end) for s in dated} <= set(analyse_source(doc, passages, paths).parses.keys)
    alone = Parser()  # what the events reading parses by itself
    find_event_mentions(doc, passages, EntityIndex(), paths.curated_dir, parser=alone)
    assert alone.parsed_chars > 0
    given = Parser({doc.source_id: bundle.parses})
    find_event_mentions(doc, passages, EntityIndex(), paths.curated_dir, parser=given)
    assert given.parsed_chars == 0
