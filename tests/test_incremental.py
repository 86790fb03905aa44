"""Incremental builds: after one source is edited, a build that reuses the caches under OUT_DIR
(per-source readings, merged days of events) publishes exactly what a build from nothing does."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bench.make_corpus import make_corpus
from pipeline import build
from pipeline.extract import EntityIndex
from pipeline.paths import Paths
from schemas.dictionary import load_dictionary

N_SOURCES = 4


def _edit_one_paragraph(raw: Path) -> str:
    """What the benchmark does: one sentence added to a middle paragraph of the middle source."""
    target = sorted((raw / "sources").iterdir())[N_SOURCES // 2]
    paras = target.read_text().split("\n\n")
    k = len(paras) // 2
    paras[k] += " A reviewer inserted this line on 4 January 2020 in Baghdad, after the strike killed two guards."
    target.write_text("\n\n".join(paras))
    return target.stem


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, Paths, str]:
    """A synthetic corpus built once into a warm OUT_DIR, then edited; and a cold OUT_DIR."""
    base = tmp_path_factory.mktemp("incr")
    raw = make_corpus(N_SOURCES, base / "raw")
    warm = Paths(raw_dir=raw, out_dir=base / "warm")
    build.extract_all(build.load_corpus(warm), warm)
    edited = _edit_one_paragraph(raw)
    return warm, Paths(raw_dir=raw, out_dir=base / "cold"), edited


def test_incremental_extraction_equals_a_build_from_nothing(corpora) -> None:
    warm, cold, edited = corpora
    days = warm.cache_dir / "events-day-merge"
    before = {f.name for f in days.iterdir()}
    incremental = build.extract_all(build.load_corpus(warm), warm)
    after = {f.name for f in days.iterdir()}
    fresh = build.extract_all(build.load_corpus(cold), cold)
    assert set(incremental) == set(fresh) == set(load_dictionary().tables)
    for table in load_dictionary().tables:
        assert incremental[table] == fresh[table], table  # row for row, in order
    assert any(r["source_id"] == edited and "reviewer inserted" in (r["text"] or "") for r in fresh["passages"])
    assert any(m["source_id"] == edited and "reviewer inserted" in m["quote"] for m in fresh["event_mentions"])
    # the warm build merged again only the days the edit touched, and reused the others
    assert 1 <= len(after - before) <= 3 and len(after & before) >= 10, (len(after - before), len(after & before))
    assert {f.name for f in (cold.cache_dir / "events-day-merge").iterdir()} == after


def test_a_day_merge_is_keyed_on_what_it_reads_not_where_it_was_read(corpora) -> None:
    """Tellings moved by an edit earlier in their source keep their key; a changed value changes it."""
    from pipeline.extract.events.merge import _Telling
    from pipeline.extract.events.reading import find_event_mentions

    warm, _, _ = corpora
    corpus = build.load_corpus(warm)
    entities = build.extract_entity_tables(corpus, warm)
    doc = corpus.docs[0]
    passages = sorted((p for p in corpus.passages if p.source_id == doc.source_id), key=lambda p: p.char_start)
    mentions, _ = find_event_mentions(doc, passages, entities.index or EntityIndex(), warm.curated_dir, [])
    assert len(mentions) > 5

    def moved(m):  # the same telling 40 characters further on
        date = dataclasses.replace(m.date, char_start=m.date.char_start + 40, char_end=m.date.char_end + 40)
        place = m.place and dataclasses.replace(m.place, char_start=m.place.char_start + 40,
                                                char_end=m.place.char_end + 40)
        actors = [(dataclasses.replace(e, char_start=e.char_start + 40, char_end=e.char_end + 40), r)
                  for e, r in m.actors]
        return dataclasses.replace(m, char_start=m.char_start + 40, char_end=m.char_end + 40, date=date,
                                   place=place, actors=actors, order=(m.order[0], m.order[1] + 40))

    for m in mentions:
        assert _Telling.of(moved(m)).key() == _Telling.of(m).key()
        other = dataclasses.replace(m, killed=(m.killed or 0) + 1)
        assert _Telling.of(other).key() != _Telling.of(m).key()
    words = [m for m in mentions if m.words]
    assert words and all(_Telling.of(dataclasses.replace(m, words=m.words | {"zzz"})).key()
                         != _Telling.of(m).key() for m in words)


def test_a_changed_cache_entry_is_never_used_for_other_tellings(corpora, tmp_path) -> None:
    """The day-merge entries live under the digest of their inputs: a build with a different curated
    digest (or extractor code) finds none of them."""
    from pipeline.sourcemap import MergeMemo

    calls: list[bytes] = []
    memo = MergeMemo(tmp_path, curated="a")
    assert memo("s", b"x", lambda: [0, 1]) == [0, 1]
    assert memo("s", b"x", lambda: calls.append(b"x") or [9]) == [0, 1]  # from the cache
    other = MergeMemo(tmp_path, curated="b")
    assert other("s", b"x", lambda: [2]) == [2]
    assert other.finish() == {"s": {"cached": 0, "computed": 1}}
    assert len(list((tmp_path / "s").iterdir())) == 1  # the unused entry was pruned
    shutil.rmtree(tmp_path / "s")
    assert not calls


def test_coarse_scores_kept_from_a_build_before_an_edit_give_the_merge_of_nothing_kept(corpora) -> None:
    """The month- and year-dated tellings scored through the last build's scores join the events they
    join when everything is scored again, and only pairs whose event changed are scored."""
    import pickle

    from pipeline.extract.events.coarse import CoarseScores
    from pipeline.extract.events.merge import merge_event_mentions
    from pipeline.extract.places import load_gazetteer

    warm, _, _ = corpora
    gaz = load_gazetteer(warm.curated_dir)
    readings = [pickle.loads(f.read_bytes()) for f in sorted((warm.cache_dir / "events").iterdir())]
    mentions = []
    for rank, (ms, _, _) in enumerate(readings):
        for m in ms:
            m.order = (rank, m.char_start)
            mentions.append(m)
    coarse = [m for m in mentions if m.date.date_precision in ("month", "year") and m.date.anchor_start is None]
    assert len(coarse) >= 5

    def shape(tellings: list) -> list[list[tuple[str, int, int]]]:
        events = merge_event_mentions(pickle.loads(pickle.dumps(tellings)), gaz, coarse=store)
        return [[(m.source_id, m.char_start, m.date.char_start) for m in ev.mentions] for ev in events]

    store = CoarseScores()
    shape(mentions)
    full = store.scored
    kept = store.dumps()
    # the edit: one coarse telling reads a word more, one day-dated telling is gone
    edited = pickle.loads(pickle.dumps(mentions))
    day = next(i for i, m in enumerate(edited) if m.date.date_precision == "day")
    k = next(i for i, m in enumerate(edited) if m.date.date_precision in ("month", "year"))
    edited[k].words = edited[k].words | {"zzz"}
    del edited[day]
    store = CoarseScores()
    from_nothing = shape(edited)
    store = CoarseScores.loads(kept)
    assert shape(edited) == from_nothing
    assert store.scored < full, (store.scored, full)
    store = CoarseScores.read(b"not a store")
    assert shape(edited) == from_nothing and store.scored > 0
