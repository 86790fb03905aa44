"""Stable IDs on real edits of the seeds: only rows read from touched text may change ID."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.build import extract_all, load_corpus
from pipeline.paths import REPO_ROOT, Paths
from schemas.dictionary import load_dictionary

WIKI = "sources/wikipedia-assassination-of-qasem-soleimani.txt"
PROVENANCE_TABLES = [t for t, s in load_dictionary().tables.items() if "quote" in s.column_names]


def _build(raw: Path) -> tuple[dict, set[str]]:
    paths = Paths(raw_dir=raw, out_dir=raw.parent / "out")
    corpus = load_corpus(paths)
    tables = extract_all(corpus, paths)
    return tables, {p.passage_id for p in corpus.passages}


def _ids_from_passages(tables: dict, passage_ids: set[str]) -> dict[str, set[str]]:
    out = {}
    for t in PROVENANCE_TABLES:
        pk = load_dictionary().tables[t].primary_key[0]
        out[t] = {r[pk] for r in tables[t] if r["passage_id"] in passage_ids}
    return out


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory):
    raw = tmp_path_factory.mktemp("base") / "raw"
    shutil.copytree(REPO_ROOT / "raw", raw)
    return _build(raw)


def _edit_wiki(tmp_path: Path, edit) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(REPO_ROOT / "raw", raw)
    path = raw / WIKI
    path.write_text(edit(path.read_text()))
    return raw


def _remove_section(text: str) -> str:
    return re.sub(r"\n==== Oil prices ====\n.*?(?=\n====)", "\n", text, flags=re.S)


def _add_section(text: str) -> str:
    new = ("\n== Later commentary ==\n\nOn 12 March 2021, a panel of scholars in Geneva debated the strike. "
           "Professor Jane Example said the strike violated the UN Charter.\n")
    return text.replace("\n== See also ==", new + "\n== See also ==")


def _fix_typo(text: str) -> str:
    assert "airstrike" in text
    return text.replace("five days after the airstrike", "five days after the air strike", 1)


@pytest.mark.parametrize("edit", [_remove_section, _add_section, _fix_typo])
def test_edit_changes_only_rows_of_touched_passages(baseline, tmp_path: Path, edit) -> None:
    base_tables, base_passages = baseline
    tables, passages = _build(_edit_wiki(tmp_path, edit))
    untouched = base_passages & passages
    assert len(base_passages ^ passages) <= 4  # the edit touches a handful of passages at most
    before = _ids_from_passages(base_tables, untouched)
    after = _ids_from_passages(tables, untouched)
    for t in PROVENANCE_TABLES:
        if t == "events":
            continue  # events are checked through their mentions below
        assert before[t] == after[t], t
    # An event all of whose tellings lie in untouched passages keeps its ID.
    def untouched_events(tables: dict) -> set[str]:
        touched = {m["event_id"] for m in tables["event_mentions"] if m["passage_id"] not in untouched}
        return {m["event_id"] for m in tables["event_mentions"]} - touched

    assert untouched_events(base_tables) <= {e["event_id"] for e in tables["events"]}
    assert untouched_events(base_tables) <= untouched_events(tables)
    # An event left untouched only once the edit removed its last touched telling (a removed
    # paragraph that also told it) keeps the ID it had: every untouched event existed before.
    assert untouched_events(tables) <= {e["event_id"] for e in base_tables["events"]}


def test_adding_a_news_article_keeps_existing_ids(baseline, tmp_path: Path) -> None:
    base_tables, base_passages = baseline
    raw = tmp_path / "raw"
    shutil.copytree(REPO_ROOT / "raw", raw)
    from pipeline.manifest import add_source

    article = tmp_path / "a.txt"
    article.write_text(
        "Iran Fires Missiles at Bases Housing U.S. Troops\n\nJohn Roe | January 8, 2020 | 3:10am EST\n\n"
        "Iran fired more than a dozen ballistic missiles at Al Asad Airbase and a base in Erbil on Wednesday, "
        "in retaliation for the killing of Qasem Soleimani.\n\n"
        "Foreign Minister Javad Zarif said Iran took proportionate measures in self-defense under Article 51 "
        "of the UN Charter.\n"
    )
    add_source(raw, article, source_id="example-missiles-2020-01-08", title="Iran Fires Missiles", fmt="news",
               published_date="2020-01-08")
    tables, passages = _build(raw)
    assert base_passages <= passages
    before = _ids_from_passages(base_tables, base_passages)
    after = _ids_from_passages(tables, base_passages)
    for t in ("person_mentions", "legal_positions"):
        assert before[t] == after[t], t
    new_rows = [r for r in tables["person_mentions"] if r["source_id"] == "example-missiles-2020-01-08"]
    names = {p["person_id"]: p["name"] for p in tables["persons"]}
    found = {names[r["person_id"]] for r in new_rows}
    assert "Qasem Soleimani" in found and any("Zarif" in n for n in found)
    # The new article's people are the seeds' people: no new person row for a known individual.
    assert {p["person_id"] for p in tables["persons"]} == {p["person_id"] for p in base_tables["persons"]}
