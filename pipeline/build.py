"""The build's stages as plain functions: corpus, extraction, validation, warehouse.

Dagster assets in ``pipeline.defs`` call these; so do the tests and the
benchmark. Nothing here imports Dagster.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.claims import description_claims, row_claims
from pipeline.corpus import PassageRow, SourceDoc, load_source
from pipeline.extract import EntityIndex, ExtractResult, Row, SourceMap
from pipeline.manifest import ManifestEntry, load_manifest
from pipeline.paths import Paths
from schemas.dictionary import load_dictionary
from schemas.models import ARROW_TYPES, frame_from_rows

ENTITY_TABLES = ("persons", "organizations", "person_mentions")
EVENT_TABLES = ("events", "event_mentions", "event_actors")
PLACE_TABLES = ("places",)
PLOT_TABLES = ("plots", "plot_actors", "plot_mentions")
LEGAL_TABLES = ("legal_positions",)
ID_TABLES = ("redirects",)
CLAIM_TABLES = ("claims",)
# What legal positions claim: each position is one telling (``pipeline.claims.row_claims``).
LEGAL_CLAIMS = ("stance", "holder_name", "subject", "legal_basis", "date")


@dataclass
class Corpus:
    docs: list[SourceDoc]
    passages: list[PassageRow]
    report: list[str] = field(default_factory=list)
    # Per-source person/organization detections (the costly NER), computed in the source's
    # partition so that an unchanged source is never read again.
    detections: dict[str, Any] = field(default_factory=dict)
    # Per-source spaCy parses (pipeline.extract.nlp.SourceParses), made in the same step.
    parses: dict[str, Any] = field(default_factory=dict)

    @property
    def texts(self) -> dict[str, str]:
        return {d.source_id: d.text for d in self.docs}


def parse_source(entry: ManifestEntry, paths: Paths) -> tuple[SourceDoc, list[PassageRow]]:
    """Per-source work: read, normalise and parse one manifest entry."""
    return load_source(entry, paths.raw_dir, paths.curated_dir)


@dataclass
class SourceBundle:
    """Everything computed for one source alone: its text, passages, name detections and the
    spaCy parses of the sentences the plot and legal extractors will read."""

    doc: SourceDoc
    passages: list[PassageRow]
    detections: Any = None  # pipeline.extract.persons.SourceMentions
    parses: Any = None  # pipeline.extract.nlp.SourceParses


def process_source(entry: ManifestEntry, paths: Paths) -> SourceBundle:
    """Read, normalise and split one source, then ``analyse_source``."""
    return analyse_source(*parse_source(entry, paths), paths)


def analyse_source(doc: SourceDoc, passages: list[PassageRow], paths: Paths, events: bool = False) -> SourceBundle:
    """Run the statistical model over one source once (NER over every passage, then a dependency
    parse of the sentences plots and legal positions, with ``events`` the events too, may read) and
    detect its person and organization mentions. No cross-source state: the result is cached per source."""
    from pipeline.extract import nlp

    model = nlp.load_model()
    own = [p for p in passages if p.source_id == doc.source_id]
    ner = dict(zip([p.passage_id for p in own], nlp.ner_spans([p.text for p in own], model), strict=True))
    detections, sents = read_source(doc, passages, ner, paths, parse=model is not None, events=events)
    if model is None:
        return SourceBundle(doc, passages, detections)
    parsed = nlp.parse_sentences(sents, ner, model)
    return SourceBundle(doc, passages, detections, nlp.SourceParses.from_docs(ner, parsed))


def read_source(doc: SourceDoc, passages: list[PassageRow], ner: dict[str, Any], paths: Paths,
                parse: bool = True, events: bool = False) -> tuple[Any, list[Any]]:
    """The rules between the model's two passes over one source: its person and organization
    mentions (from the NER spans ``ner``, by passage_id) and, with ``parse``, the sentences plots and
    legal positions may read, in text order (``pipeline.extract.sentences.Sentence``).

    ``events``: also the dated sentences the events reading parses. Worth it in a small build
    (``pipeline.persource``), whose readings run one after another in the build process: parsed here,
    on every core, they spare that process the parse and the model's load. In a large build the
    readings parse on every core themselves, and finding the dated sentences here first would read
    every date twice (~1.5 CPU-s per MB of text)."""
    from pipeline.extract import legal, persons, plots

    detections = persons.detect_mentions(doc, passages, paths.curated_dir, ner=ner)
    if not parse:
        return detections, []
    own = [p for p in passages if p.source_id == doc.source_id]
    names = [(m.char_start, m.char_end) for m in detections.persons]
    wanted = {(s.start, s.end): s for s in plots.parse_candidates(doc, own, paths.curated_dir, names)}
    wanted.update({(s.start, s.end): s for s in legal.parse_candidates(doc, own, paths.curated_dir)})
    if events:
        from pipeline.extract.events import parse_candidates

        wanted.update({(s.start, s.end): s for s in parse_candidates(doc, own, paths.curated_dir)})
    return detections, [wanted[k] for k in sorted(wanted)]


def worker_count(n_items: int) -> int:
    """Processes to use for ``n_items`` independent items: every core, or ``PIPELINE_WORKERS``."""
    configured = os.environ.get("PIPELINE_WORKERS", "").strip()
    cores = int(configured) if configured.isdigit() and int(configured) > 0 else os.cpu_count() or 1
    return max(1, min(cores, n_items))


def _process_in_worker(args: tuple[ManifestEntry, Paths]) -> SourceBundle:
    return process_source(*args)


# The forkserver loads the model once and its workers share it, so a pool pays off from two sources on.
POOL_MIN_SOURCES = 2
# Below this many sources per worker, whole sources do not share the cores out evenly (one long
# article keeps one core busy while the others idle): the model's passes are cut into even pieces
# instead (``pipeline.persource``). Above it, a source per task costs less coordination.
SPLIT_BELOW_SOURCES_PER_WORKER = 4


def process_sources(entries: list[ManifestEntry], paths: Paths, workers: int | None = None) -> list[SourceBundle]:
    """``process_source`` for many sources, on all cores when there are enough of them."""
    workers = workers or worker_count(len(entries))
    if workers <= 1 or len(entries) < POOL_MIN_SOURCES:
        return [process_source(e, paths) for e in entries]
    from pipeline.pools import clean_executor

    # Workers come from a clean forkserver that loaded the model once: they share its memory and
    # inherit neither this process's threads nor its (Dagster's) signal handlers.
    with clean_executor(workers) as pool:
        if len(entries) < workers * SPLIT_BELOW_SOURCES_PER_WORKER:
            from pipeline.persource import analyse_sources

            return analyse_sources([parse_source(e, paths) for e in entries], paths, pool, workers)
        # small chunks: sources differ in size, and a chunk bigger than its share idles a core
        chunk = max(1, min(4, len(entries) // (workers * 8)))
        return list(pool.map(_process_in_worker, [(e, paths) for e in entries], chunksize=chunk))


def corpus_from_bundles(bundles: list[SourceBundle]) -> Corpus:
    corpus = Corpus([], [])
    for b in bundles:
        corpus.docs.append(b.doc)
        corpus.passages.extend(b.passages)
        corpus.report.extend(f"[parse] {w}" for w in getattr(b.doc, "warnings", ()))
        if b.detections is not None:
            corpus.detections[b.doc.source_id] = b.detections
        if b.parses is not None:
            corpus.parses[b.doc.source_id] = b.parses
    return corpus


def load_corpus(paths: Paths, detect: bool = False) -> Corpus:
    """The whole corpus in manifest order (``detect``: also run per-source detection)."""
    entries = load_manifest(paths.raw_dir)
    if detect:
        return corpus_from_bundles(process_sources(entries, paths))
    return corpus_from_bundles([SourceBundle(*parse_source(e, paths)) for e in entries])


def sources_rows(docs: list[SourceDoc]) -> list[Row]:
    rows = []
    for d in docs:
        e = d.entry
        rows.append(
            {
                "source_id": d.source_id,
                "title": d.title,
                "publisher": e.publisher if e else None,
                "author": e.author if e else None,
                "url": e.url if e else None,
                "published_date": dt.date.fromisoformat(d.published_date) if d.published_date else None,
                "retrieved_date": dt.date.fromisoformat(e.retrieved_date) if e and e.retrieved_date else None,
                "license": e.license if e else None,
                "full_text_public": d.full_text_public,
                "format": d.format,
                "sha256": d.sha256,
                "char_count": len(d.text),
                "text": d.text if d.full_text_public else None,
            }
        )
    return rows


def passages_rows(docs: list[SourceDoc], passages: list[PassageRow]) -> list[Row]:
    public = {d.source_id: d.full_text_public for d in docs}
    return [
        {
            "passage_id": p.passage_id,
            "source_id": p.source_id,
            "section": p.section,
            "ordinal": p.ordinal,
            "kind": p.kind,
            "char_start": p.char_start,
            "char_end": p.char_end,
            "text": p.text if public[p.source_id] else None,
        }
        for p in passages
    ]


def extract_entity_tables(corpus: Corpus, paths: Paths) -> ExtractResult:
    try:
        from pipeline.extract.persons import assemble, detect_mentions, load_curated
    except ImportError:  # extractor not yet available: publish empty tables
        return ExtractResult({t: [] for t in ENTITY_TABLES}, ["persons extractor not available"], EntityIndex())
    curated = load_curated(paths.curated_dir)
    by_source: dict[str, list[PassageRow]] = {}
    for p in corpus.passages:
        by_source.setdefault(p.source_id, []).append(p)
    detections = [
        corpus.detections.get(d.source_id) or detect_mentions(d, by_source.get(d.source_id, []), curated)
        for d in corpus.docs
    ]
    result = assemble(detections, corpus.docs, curated)
    spans = {p.passage_id: (p.char_start, p.char_end) for p in corpus.passages}
    result.tables["claims"] = description_claims(result.tables.get("persons", []),
                                                 result.tables.get("person_mentions", []), corpus.texts, spans)
    return fitted(result, corpus)


def _source_map(corpus: Corpus, index: EntityIndex, paths: Paths) -> tuple[SourceMap, dict[str, dict[str, int]]]:
    """The per-source runner of the cross-source extractors: memoised under OUT_DIR, on all cores."""
    from pipeline.extract.nlp import load_model
    from pipeline.fingerprint import curated_digest
    from pipeline.sourcemap import memo_map

    stats: dict[str, dict[str, int]] = {}
    # The readings parse with the model (and decode the per-source step's parses with its vocabulary):
    # loaded here once, the forked workers share it; else each worker of each stage loaded its own
    # (~1.5 CPU-s apiece: 6 loads in a build of two sources or more).
    run = memo_map(corpus.docs, corpus.passages, index, curated_digest(paths.curated_dir), paths.cache_dir,
                   workers=worker_count(len(corpus.docs)), stats=stats, before_fork=load_model)
    return run, stats


def _with_stats(result: ExtractResult, stats: dict[str, dict[str, int]]) -> ExtractResult:
    for stage, n in stats.items():
        result.report.append(f"{stage}: {n['computed']} sources read, {n['cached']} unchanged sources from cache")
    return result


def fitted(result: ExtractResult, corpus: Corpus) -> ExtractResult:
    """``result`` with every quote publishable (``pipeline.validate.fit_quotes``), what was trimmed or
    dropped in its report: every table and claim downstream sees the same rows."""
    from pipeline.validate import fit_quotes

    spans = {p.passage_id: (p.source_id, p.char_start, p.char_end) for p in corpus.passages}
    public = {d.source_id: d.full_text_public for d in corpus.docs}
    result.report.extend(fit_quotes(result.tables, corpus.texts, spans, public))
    return result


COARSE_STAGE = "events-coarse-scores"


def extract_event_tables(corpus: Corpus, index: EntityIndex, paths: Paths) -> ExtractResult:
    try:
        from pipeline.extract.events import extract_events
    except ImportError:
        return ExtractResult({t: [] for t in EVENT_TABLES}, ["events extractor not available"])
    from pipeline.fingerprint import curated_digest
    from pipeline.sourcemap import MergeMemo

    run, stats = _source_map(corpus, index, paths)
    from pipeline.extract.events.coarse import CoarseScores

    memo = MergeMemo(paths.cache_dir, curated_digest(paths.curated_dir))
    # The month- and year-dated tellings' scores of the last build (only events whose tellings changed
    # are scored again, ``events/coarse.py``); kept for the next build.
    coarse = CoarseScores.read(memo.kept(COARSE_STAGE))
    result = extract_events(corpus.docs, corpus.passages, index, paths.curated_dir, run, corpus.parses, memo,
                            coarse)
    memo.keep(COARSE_STAGE, coarse.dumps())
    result.report.append(f"{COARSE_STAGE}: {coarse.scored} pairs scored, {len(coarse.prior)} tellings' scores kept")
    result = _with_stats(result, stats)
    result.report += [f"{stage}: {n['computed']} computed, {n['cached']} unchanged from cache"
                      for stage, n in memo.finish().items()]
    return fitted(result, corpus)


def extract_plot_tables(corpus: Corpus, index: EntityIndex, paths: Paths) -> ExtractResult:
    try:
        from pipeline.extract.plots import extract_plots
    except ImportError:
        return ExtractResult({t: [] for t in PLOT_TABLES}, ["plots extractor not available"])
    run, stats = _source_map(corpus, index, paths)
    result = extract_plots(corpus.docs, corpus.passages, index, paths.curated_dir, corpus.parses, run)
    return fitted(_with_stats(result, stats), corpus)


def extract_legal_tables(corpus: Corpus, index: EntityIndex, paths: Paths) -> ExtractResult:
    try:
        from pipeline.extract.legal import extract_legal_positions
    except ImportError:
        return ExtractResult({t: [] for t in LEGAL_TABLES}, ["legal extractor not available"])
    run, stats = _source_map(corpus, index, paths)
    result = extract_legal_positions(corpus.docs, corpus.passages, index, paths.curated_dir, corpus.parses, run)
    result.tables["claims"] = row_claims("legal_positions", result.tables.get("legal_positions", []), "position_id",
                                         LEGAL_CLAIMS)
    return fitted(_with_stats(result, stats), corpus)


def claims_rows(results: list[ExtractResult], kept: dict[str, set[str]]) -> list[Row]:
    """The claims table: every extractor's claims, in claim_id order, without the claims of rows
    a correction dropped (``kept``: the row IDs left per table; a table not in it is kept whole)."""
    rows: dict[str, Row] = {}
    for result in results:
        for c in result.tables.get("claims", []):
            if c["table"] in kept and c["row_id"] not in kept[c["table"]]:
                continue
            rows.setdefault(c["claim_id"], c)
    return [rows[k] for k in sorted(rows)]


def places_rows(results: list[ExtractResult], paths: Paths) -> list[Row]:
    """The places table: every place an extractor found, plus curated places any table references.

    Events find places (curated or not) and return their rows; plots reference curated
    place_ids only. The union keeps every ``place_id`` foreign key satisfiable.
    """
    rows: dict[str, Row] = {}
    referenced: set[str] = set()
    for result in results:
        for row in result.tables.get("places", []):
            if row["place_id"] not in rows or (row.get("curated") and not rows[row["place_id"]].get("curated")):
                rows[row["place_id"]] = row
        for name, table_rows in result.tables.items():
            if name != "places":
                referenced.update(r["place_id"] for r in table_rows if r.get("place_id"))
    missing = referenced - set(rows)
    if missing:
        from pipeline.extract.places import load_gazetteer, place_rows

        gazetteer = load_gazetteer(paths.curated_dir)
        for row in place_rows(gazetteer.places[pid] for pid in missing if pid in gazetteer.places):
            rows[row["place_id"]] = row
    return [rows[k] for k in sorted(rows)]


def frames(result_tables: dict[str, list[Row]]) -> dict[str, pd.DataFrame]:
    return {name: frame_from_rows(name, rows) for name, rows in result_tables.items()}


def arrow_table(name: str, frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table with the dictionary's types (lists, dates, nulls)."""
    types = ARROW_TYPES
    spec = load_dictionary().tables[name]
    schema = pa.schema(
        [pa.field(c.name, types[c.type], nullable=c.nullable or c.type == "list") for c in spec.columns]
    )
    arrays = []
    for c in spec.columns:
        values = frame[c.name].tolist()
        values = [None if (v is None or (not isinstance(v, (list, tuple)) and pd.isna(v))) else v for v in values]
        arrays.append(pa.array(values, type=types[c.type]))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_warehouse(tables: dict[str, pd.DataFrame], paths: Paths) -> dict[str, Any]:
    """Write one Parquet file per table and the DuckDB database.

    Files are written in a temporary folder and moved into place with
    ``os.replace`` (atomic per file), so a killed build never leaves a
    half-written file; the published release is swapped separately.
    """
    target = paths.warehouse_dir
    for stale in target.glob(".tmp-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    tmp = target / f".tmp-{os.getpid()}"
    (tmp / "parquet").mkdir(parents=True)
    counts = {}
    names = list(load_dictionary().tables)
    for name in names:
        arrow = arrow_table(name, tables[name])
        pq.write_table(arrow, tmp / "parquet" / f"{name}.parquet")
        counts[name] = arrow.num_rows
    con = duckdb.connect(
        str(tmp / "soleimani.duckdb"),
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )
    try:
        for name in names:
            path = (tmp / "parquet" / f"{name}.parquet").as_posix().replace("'", "''")
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(\'{path}\')')
    finally:
        con.close()
    (tmp / "counts.json").write_text(json.dumps(counts, indent=2) + "\n")
    paths.parquet_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        os.replace(tmp / "parquet" / f"{name}.parquet", paths.parquet_dir / f"{name}.parquet")
    os.replace(tmp / "soleimani.duckdb", paths.duckdb_path)
    os.replace(tmp / "counts.json", target / "counts.json")
    shutil.rmtree(tmp, ignore_errors=True)
    return counts


def extract_all(corpus: Corpus, paths: Paths) -> dict[str, list[Row]]:
    """Every table's rows for a corpus, without Dagster (tests, benchmarks)."""
    entities = extract_entity_tables(corpus, paths)
    index = entities.index or EntityIndex()
    tables: dict[str, list[Row]] = {
        "sources": sources_rows(corpus.docs),
        "passages": passages_rows(corpus.docs, corpus.passages),
    }
    events = extract_event_tables(corpus, index, paths)
    plots = extract_plot_tables(corpus, index, paths)
    legal = extract_legal_tables(corpus, index, paths)
    for result in (entities, events, plots, legal):
        tables.update({k: v for k, v in result.tables.items() if k not in ("places", "claims")})
    tables["places"] = places_rows([events, plots], paths)
    tables["claims"] = claims_rows([entities, events, plots, legal], {})
    return keep_published_ids(tables, paths)[0]


def keep_published_ids(tables: dict[str, list[Row]], paths: Paths) -> tuple[dict[str, list[Row]], list[str]]:
    """Rows keep the IDs the current release published them under (``pipeline.continuity``);
    the ``redirects`` table is added. Without a release under ``paths`` nothing is renamed."""
    from pipeline.continuity import keep_ids, load_previous
    from pipeline.release import current_release

    return keep_ids(tables, load_previous(current_release(paths)))
