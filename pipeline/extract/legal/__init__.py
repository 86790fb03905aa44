"""Legal positions on the strike and what followed, read from the text of any source.

One row per holder per stated position. A sentence is read when it holds a stance cue
(``raw/curated/stance_cues.yaml``) or invokes a legal basis (``raw/curated/legal_bases.yaml``).
Who states the position comes from the clause layer (``pipeline.extract.clauses``): the source of
the attribution the cue lies in ("X said", "C, X said", "according to X", a document's author, a
pronoun or title resolved to the actor before, the speaker of an open quotation), never the outlet
that relays it nor the accused; the cue groups give the stance (with negation: "not lawful", "did
not violate", "no imminent attack that could trigger the right of self-defense"); a holder who takes
no position ("declined to say whether") gives no row; the subject says what is judged.

Modules: ``vocab`` (curated vocabularies), ``cues`` (stance cues, bases, subject groups),
``holders`` (who holds it, on the clause layer), ``subjects`` (which act a clause judges), ``read``
(one source, sentence by sentence), ``tellings`` (a headline restating its body is one position); this
module makes the rows. Per-source work (``positions_of_source``) is separate from the cross-source
step, which for legal positions is only concatenation: the same holder stating the same position in
two sources gives two rows, each checkable against its own quote.

The sentence helpers legal positions share with plots and events (``Parser``, ``Sentence``, ...)
live in ``pipeline.extract.sentences``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline.corpus import PassageRow, SourceDoc, local_key, provenance
from pipeline.extract import ExtractResult, Row, SourceMap, serial_map
from pipeline.extract.entities import EntityIndex
from pipeline.extract.legal.cues import find_bases, find_cues
from pipeline.extract.legal.read import _Position, parse_candidates, positions_of_source
from pipeline.extract.legal.vocab import LegalVocab, load_legal_vocab
from pipeline.extract.nlp import SourceParses
from pipeline.extract.sentences import Parser, date_columns
from pipeline.ids import short_hash


def position_rows(positions: list[_Position], docs: dict[str, SourceDoc]) -> list[Row]:
    """Rows of legal_positions (cross-source step: concatenation, IDs from content)."""
    rows: list[Row] = []
    seen: set[str] = set()
    for pos in positions:
        s = pos.sent
        pid = "legal-" + short_hash(local_key(s.passage, s.start, s.end), pos.holder.key, length=12)
        if pid in seen:
            continue
        seen.add(pid)
        row: Row = {
            "position_id": pid,
            "holder_name": pos.holder.name,
            "holder_person_id": pos.holder.person_id,
            "holder_org_id": pos.holder.org_id,
            "holder_type": pos.holder.holder_type,
            "stance": pos.stance,
            "legal_basis": pos.bases,
            "subject": pos.subject,
            **date_columns(pos.date),
            **provenance(s.passage, s.start, s.end, docs[s.source_id].text),
        }
        rows.append(row)
    return rows


def extract_legal_positions(
    docs: list[SourceDoc],
    passages: list[PassageRow],
    entities: EntityIndex,
    curated_dir: Path,
    preparsed: Mapping[str, SourceParses] | None = None,
    source_map: SourceMap | None = None,
) -> ExtractResult:
    """Legal positions of every source: tables={"legal_positions": [...]}. ``preparsed``: parses made
    by the per-source step (``parse_candidates``), by source_id; ``source_map`` runs the per-source
    reading (default: in order, in this process)."""
    parser = Parser(preparsed)
    report: list[str] = []
    positions: list[_Position] = []

    def of_source(doc: SourceDoc, ps: list[PassageRow]) -> tuple[list[_Position], list[str], int]:
        lines: list[str] = []
        before = parser.parsed_chars
        found = positions_of_source(doc, ps, entities, curated_dir, parser, lines)
        return found, lines, parser.parsed_chars - before

    parsed_here = 0
    for found, lines, parsed in (source_map or serial_map(docs, passages))("legal", of_source):
        positions.extend(found)
        report.extend(lines)
        parsed_here += parsed
    rows = position_rows(positions, {d.source_id: d for d in docs})
    report.append(f"legal_positions: {len(rows)} rows from {len(docs)} sources ({parsed_here} chars parsed by the "
                  "extractor, the rest by the per-source step)")
    return ExtractResult(tables={"legal_positions": rows}, report=report)


__all__ = [
    "LegalVocab", "extract_legal_positions", "find_bases", "find_cues", "load_legal_vocab", "parse_candidates",
    "position_rows", "positions_of_source",
]
