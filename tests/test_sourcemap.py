"""The memoised per-source runner: cached by exactly its inputs, same results on one core or many."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract import EntityIndex, EntityMention, serial_map
from pipeline.sourcemap import memo_map


def _corpus(n: int) -> tuple[list[SourceDoc], list[PassageRow]]:
    docs, passages = [], []
    for i in range(n):
        text = f"Source {i} says Soleimani was killed."
        docs.append(SourceDoc(f"s{i}", "news", text, f"T{i}", "2020-01-04", None, True, f"sha{i}"))
        passages.append(PassageRow(f"s{i}:p", f"s{i}", "Body", 1, 0, len(text), text))
    return docs, passages


def _index(surface: str = "Soleimani", entity: str = "qasem-soleimani") -> EntityIndex:
    return EntityIndex([EntityMention("s1", 16, 25, entity, "person", surface)])


def _reader(calls: Path):
    def read(doc: SourceDoc, ps: list[PassageRow]) -> tuple[str, int, int]:
        with calls.open("a") as fh:  # a file: the pool's workers are other processes
            fh.write(doc.source_id + "\n")
        return doc.source_id, len(ps), os.getpid()

    return read


def _calls(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_second_run_reads_nothing_and_a_changed_source_alone_is_read_again(tmp_path) -> None:
    docs, passages = _corpus(3)
    calls, stats = tmp_path / "calls", {}
    first = memo_map(docs, passages, _index(), "cur", tmp_path / "cache", workers=1, stats=stats)("t", _reader(calls))
    assert [r[:2] for r in first] == [("s0", 1), ("s1", 1), ("s2", 1)]
    assert sorted(_calls(calls)) == ["s0", "s1", "s2"] and stats["t"] == {"cached": 0, "computed": 3}
    calls.unlink()
    again = memo_map(docs, passages, _index(), "cur", tmp_path / "cache", workers=1)("t", _reader(calls))
    assert again == first and _calls(calls) == []
    # new text in s0 (its sha256), a re-resolved name in s1 (its index entries): those two only
    docs[0] = SourceDoc("s0", "news", docs[0].text + " Again.", "T0", "2020-01-04", None, True, "sha0-v2")
    memo_map(docs, passages, _index(entity="someone-else"), "cur", tmp_path / "cache", workers=1)("t", _reader(calls))
    assert sorted(_calls(calls)) == ["s0", "s1"]
    # other curated data: everything again; the cache keeps only the latest build's entries
    calls.unlink()
    memo_map(docs, passages, _index(), "cur-v2", tmp_path / "cache", workers=1)("t", _reader(calls))
    assert sorted(_calls(calls)) == ["s0", "s1", "s2"]
    assert len(list((tmp_path / "cache" / "t").iterdir())) == 3


def test_pool_gives_the_serial_results_in_source_order(tmp_path) -> None:
    docs, passages = _corpus(12)
    calls = tmp_path / "calls"
    pooled = memo_map(docs, passages, EntityIndex(), "cur", tmp_path / "cache", workers=2)("t", _reader(calls))
    serial = serial_map(docs, passages)("t", _reader(tmp_path / "calls-serial"))
    assert [r[:2] for r in pooled] == [r[:2] for r in serial]
    assert os.getpid() not in {r[2] for r in pooled}  # really computed by the workers
    assert sorted(_calls(calls)) == sorted(d.source_id for d in docs)


def test_an_unreadable_cache_entry_is_read_again_not_fatal(tmp_path) -> None:
    docs, passages = _corpus(2)
    calls = tmp_path / "calls"
    first = memo_map(docs, passages, EntityIndex(), "cur", tmp_path / "cache", workers=1)("t", _reader(calls))
    for entry in (tmp_path / "cache" / "t").iterdir():
        entry.write_bytes(b"not a pickle")
    calls.unlink()
    stats: dict[str, dict[str, int]] = {}
    again = memo_map(docs, passages, EntityIndex(), "cur", tmp_path / "cache", workers=1, stats=stats)(
        "t", _reader(calls))
    assert [r[:2] for r in again] == [r[:2] for r in first]
    assert sorted(_calls(calls)) == ["s0", "s1"]
    assert stats["t"] == {"cached": 0, "computed": 2}  # reported as read, not as from the cache
    calls.unlink()
    memo_map(docs, passages, EntityIndex(), "cur", tmp_path / "cache", workers=1, stats=stats)("t", _reader(calls))
    assert not calls.exists() and stats["t"] == {"cached": 2, "computed": 0}  # the entries were written again
