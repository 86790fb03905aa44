"""Corpus, extraction and table assets, with a blocking pandera check per table.

Each extractor is wired as one asset returning an ``ExtractResult``; a
multi-asset splits it into one asset per published table, and every table has
a blocking check (schema + provenance) so a bad table stops the publish. The
checks are declared on the split (``check_specs``) and evaluated in its step,
right after each table is made: a failed one fails the step, so nothing
downstream runs, as with a check step of its own, without a Dagster step (and a
reload of the table and the corpus) per table.
"""

from typing import Any

import dagster as dg
import pandas as pd

from pipeline import build
from pipeline.build import Corpus, corpus_from_bundles
from pipeline.continuity import Plan, apply_renames, load_previous, plan_continuity, refers_to_entities
from pipeline.corrections import apply_corrections, load_corrections
from pipeline.defs.resources import BuildPaths
from pipeline.defs.sources import parsed_source
from pipeline.extract import ExtractResult
from pipeline.manifest import load_manifest
from pipeline.release import current_release
from pipeline.validate import check_provenance
from schemas.dictionary import load_dictionary
from schemas.models import frame_from_rows, validate_table

SOURCE_TABLES = ("sources", "passages")
# Downstream of the per-source partitions, assets follow their parents (under `dagster dev`).
EAGER = dg.AutomationCondition.eager()
# The extraction results whose rows the ID continuity step compares with the current release.
CLAIMED_TABLES = ("events", "plots", "legal_positions", "persons")
ID_SOURCES = ("source_rows", "entity_extraction", "event_extraction", "plot_extraction", "legal_extraction")


@dg.multi_asset(
    ins={"parsed": dg.AssetIn(parsed_source.key)},
    outs={
        "corpus": dg.AssetOut(
            code_version="1", group_name="corpus", automation_condition=EAGER,
            description="All parsed sources (texts, passages), in manifest order.",
        ),
        "source_analyses": dg.AssetOut(
            code_version="1", group_name="corpus", automation_condition=EAGER,
            description="Each source's name detections and sentence parses, by source_id.",
        ),
        "source_parses": dg.AssetOut(
            code_version="1", group_name="corpus", automation_condition=EAGER,
            description="Each source's sentence parses and NER spans, by source_id (what events, plots and "
                        "legal positions read of the per-source step).",
        ),
    },
)
def corpus_assets(context: dg.AssetExecutionContext, build_paths: BuildPaths, parsed: dict[str, Any]):  # type: ignore[no-untyped-def]
    order = [e.source_id for e in load_manifest(build_paths.get().raw_dir)]
    missing = [key for key in order if key not in parsed]
    if missing:
        raise dg.Failure(f"source {missing[0]} has no parsed partition; run `make build`")
    result = corpus_from_bundles([parsed[key] for key in order])
    # The per-source analyses (name detections, parses) travel apart: the twenty-odd steps that
    # read the corpus (splits, checks) never load them.
    yield dg.Output(Corpus(result.docs, result.passages, result.report), output_name="corpus",
                    metadata={"sources": len(result.docs), "passages": len(result.passages)})
    yield dg.Output({"detections": result.detections, "parses": result.parses}, output_name="source_analyses")
    # The readers of events, plots and legal positions never read the name detections, most of what
    # ``source_analyses`` costs to load (0.31 of 0.35 CPU-s at N=200): they load the parses alone.
    yield dg.Output(result.parses, output_name="source_parses")


def _analysed(corpus: Corpus, analyses: dict[str, dict[str, Any]]) -> Corpus:
    return Corpus(corpus.docs, corpus.passages, corpus.report, analyses["detections"], analyses["parses"])


def _parsed(corpus: Corpus, parses: dict[str, Any]) -> Corpus:
    return Corpus(corpus.docs, corpus.passages, corpus.report, {}, parses)


@dg.asset(
    code_version="1",
    group_name="extraction",
    automation_condition=EAGER,
    description="Persons and organizations with mentions.",
)
def entity_extraction(
    build_paths: BuildPaths, corpus: Corpus, source_analyses: dict[str, dict[str, Any]]
) -> ExtractResult:
    return build.extract_entity_tables(_analysed(corpus, source_analyses), build_paths.get())


@dg.asset(
    code_version="1",
    group_name="extraction",
    automation_condition=EAGER,
    description="Dated events, mentions, actors, places.",
)
def event_extraction(
    build_paths: BuildPaths,
    corpus: Corpus,
    source_parses: dict[str, Any],
    entity_extraction: ExtractResult,
) -> ExtractResult:
    # with the per-source step's parses and NER spans: without them every dated sentence was
    # parsed again here, after an NER pass over its whole passage (the same rows, ~2x the CPU)
    return build.extract_event_tables(
        _parsed(corpus, source_parses), entity_extraction.index or build.EntityIndex(), build_paths.get()
    )


@dg.asset(
    code_version="1",
    group_name="extraction",
    automation_condition=EAGER,
    description="Plots, attempts and considered operations.",
)
def plot_extraction(
    build_paths: BuildPaths,
    corpus: Corpus,
    source_parses: dict[str, Any],
    entity_extraction: ExtractResult,
) -> ExtractResult:
    return build.extract_plot_tables(
        _parsed(corpus, source_parses), entity_extraction.index or build.EntityIndex(), build_paths.get()
    )


@dg.asset(
    code_version="1",
    group_name="extraction",
    automation_condition=EAGER,
    description="Stated positions on legality.",
)
def legal_extraction(
    build_paths: BuildPaths,
    corpus: Corpus,
    source_parses: dict[str, Any],
    entity_extraction: ExtractResult,
) -> ExtractResult:
    return build.extract_legal_tables(
        _parsed(corpus, source_parses), entity_extraction.index or build.EntityIndex(), build_paths.get()
    )


@dg.asset(
    code_version="1",
    group_name="extraction",
    automation_condition=EAGER,
    description="Places found by events, plus curated places other tables reference.",
)
def place_extraction(
    build_paths: BuildPaths, event_extraction: ExtractResult, plot_extraction: ExtractResult
) -> ExtractResult:
    return ExtractResult({"places": build.places_rows([event_extraction, plot_extraction], build_paths.get())})


@dg.asset(
    code_version="1",
    group_name="extraction",
    automation_condition=EAGER,
    description="Source and passage rows.",
)
def source_rows(corpus: Corpus) -> ExtractResult:
    return ExtractResult(
        {
            "sources": build.sources_rows(corpus.docs),
            "passages": build.passages_rows(corpus.docs, corpus.passages),
        }
    )


@dg.asset(
    ins={name: dg.AssetIn(name) for name in ID_SOURCES},
    code_version="1",
    group_name="extraction",
    automation_condition=EAGER,
    description="Published IDs kept across merges (renames against the current release) and the redirects table.",
)
def id_continuity(build_paths: BuildPaths, corpus: Corpus, **results: ExtractResult) -> Plan:
    paths = build_paths.get()
    rows = {t: [dict(r) for r in rs] for result in results.values() for t, rs in result.tables.items()}
    # The renames are planned on the rows as published: corrections applied, as the splits do.
    apply_corrections(rows, load_corrections(paths.curated_dir), corpus.texts)
    return plan_continuity(rows, load_previous(current_release(paths)))


@dg.asset(
    code_version="1",
    group_name="extraction",
    automation_condition=EAGER,
    description="Claims of every extractor: one value read from one telling, for the rows published.",
)
def claim_extraction(
    build_paths: BuildPaths,
    corpus: Corpus,
    entity_extraction: ExtractResult,
    event_extraction: ExtractResult,
    plot_extraction: ExtractResult,
    legal_extraction: ExtractResult,
) -> ExtractResult:
    results = [entity_extraction, event_extraction, plot_extraction, legal_extraction]
    # The rows left after corrections (as the splits apply them): a dropped row takes its claims
    # with it. IDs are the extractors' own here; the split renames claims with their rows.
    rows = {t: [dict(r) for r in res.tables[t]] for res in results for t in CLAIMED_TABLES if t in res.tables}
    apply_corrections(rows, load_corrections(build_paths.get().curated_dir), corpus.texts)
    pks = {t: load_dictionary().tables[t].primary_key[0] for t in rows}
    kept = {t: {r[pks[t]] for r in rs} for t, rs in rows.items()}
    return ExtractResult({"claims": build.claims_rows(results, kept)})


def _split(upstream: str, tables: tuple[str, ...]) -> dg.AssetsDefinition:
    """One asset per table from an extraction result, curated corrections applied, published IDs
    kept (``id_continuity``) where the tables hold entity IDs."""
    ins = {"result": dg.AssetIn(upstream), "corpus": dg.AssetIn("corpus")}
    if upstream != "id_continuity" and any(refers_to_entities(t) for t in tables):
        ins["ids"] = dg.AssetIn("id_continuity")

    @dg.multi_asset(
        name=f"{upstream}_tables",
        outs={
            t: dg.AssetOut(
                group_name="tables", code_version="1", is_required=True, automation_condition=EAGER
            )
            for t in tables
        },
        ins=ins,
        check_specs=[_check_spec(t) for t in tables],
    )
    def _assets(
        context: dg.AssetExecutionContext, build_paths: BuildPaths, result: ExtractResult, corpus: Corpus,
        **ids: Plan,
    ):  # type: ignore[no-untyped-def]
        rows = {t: [dict(r) for r in result.tables.get(t, [])] for t in tables}
        apply_corrections(rows, load_corrections(build_paths.get().curated_dir), corpus.texts)
        if ids:
            rows = apply_renames(rows, ids["ids"].renames)
        for t in tables:
            frame = frame_from_rows(t, rows[t])
            yield dg.Output(frame, output_name=t, metadata={"rows": len(frame)})
            yield check_table(t, frame, corpus)

    return _assets


@dg.asset(
    ins={
        name: dg.AssetIn(name)
        for name in ("entity_extraction", "event_extraction", "plot_extraction", "legal_extraction", "id_continuity")
    },
    code_version="1",
    group_name="publish",
    automation_condition=EAGER,
    description="The build report: persons and places not in curated data, corrections that no longer apply.",
)
def build_report(build_paths: BuildPaths, corpus: Corpus, **results: ExtractResult) -> list[str]:
    paths = build_paths.get()
    lines = list(corpus.report)
    for name, result in results.items():
        lines += [f"[{name}] {line}" for line in result.report]
    all_rows: dict[str, list[dict[str, Any]]] = {}
    for result in results.values():
        for t, rows in result.tables.items():
            all_rows[t] = [dict(r) for r in rows]
    lines += [
        f"[corrections] {line}"
        for line in apply_corrections(all_rows, load_corrections(paths.curated_dir), corpus.texts)
    ]
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    (paths.warehouse_dir / "build_report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def _check_spec(table: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        f"{table}_schema",
        asset=table,
        blocking=True,
        description=f"pandera model of {table} and provenance (quote equals source text).",
    )


def check_table(table: str, frame: pd.DataFrame, corpus: Corpus) -> dg.AssetCheckResult:
    """The blocking check of one table: its pandera model, then provenance (quote == text)."""
    from pipeline.errors import ValidationFailed

    name = f"{table}_schema"
    try:
        validate_table(table, frame)
    except ValidationFailed as exc:
        return dg.AssetCheckResult(asset_key=table, check_name=name, passed=False, metadata={"error": exc.one_line()})
    spans = {p.passage_id: (p.source_id, p.char_start, p.char_end) for p in corpus.passages}
    public = {d.source_id: d.full_text_public for d in corpus.docs}
    problems = check_provenance(table, frame, corpus.texts, spans, public)
    return dg.AssetCheckResult(
        asset_key=table,
        check_name=name,
        passed=not problems,
        metadata={
            "rows": len(frame),
            "problems": len(problems),
            "first": problems[0] if problems else "",
        },
    )


GROUPS: dict[str, tuple[str, ...]] = {
    "source_rows": SOURCE_TABLES,
    "entity_extraction": build.ENTITY_TABLES,
    "event_extraction": build.EVENT_TABLES,
    "place_extraction": build.PLACE_TABLES,
    "plot_extraction": build.PLOT_TABLES,
    "legal_extraction": build.LEGAL_TABLES,
    "id_continuity": build.ID_TABLES,
    "claim_extraction": build.CLAIM_TABLES,
}
ALL_TABLES: tuple[str, ...] = tuple(t for ts in GROUPS.values() for t in ts)

# Every table's blocking check is declared on its split (``check_specs``), not a step of its own.
table_assets = [_split(up, ts) for up, ts in GROUPS.items()]
extraction_assets: list[dg.AssetsDefinition] = [
    corpus_assets,
    source_rows,
    entity_extraction,
    event_extraction,
    plot_extraction,
    legal_extraction,
    place_extraction,
    id_continuity,
    claim_extraction,
    build_report,
]
