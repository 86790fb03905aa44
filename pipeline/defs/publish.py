"""Warehouse and release assets: validated tables to DuckDB/Parquet, then a published release."""


from typing import Any

import dagster as dg
import pandas as pd

from pipeline import build
from pipeline.cluster import WRITER_QUEUE
from pipeline.defs.resources import BuildPaths
from pipeline.defs.tables import ALL_TABLES, EAGER
from pipeline.errors import ValidationFailed
from pipeline.release import publish
from pipeline.validate import check_claims, check_foreign_keys, check_redirects

# DuckDB and the release folder take one writer at a time: under dagster-celery these two steps go to
# their own queue, which exactly one worker consumes (the tag key is dagster-celery's queue tag; other
# executors ignore it).
WRITER_TAGS = {"dagster-celery/queue": WRITER_QUEUE}


@dg.asset(
    ins={t: dg.AssetIn(t) for t in ALL_TABLES},
    code_version="1",
    group_name="publish",
    automation_condition=EAGER,
    op_tags=WRITER_TAGS,
    description="DuckDB database and one Parquet file per table (foreign keys, redirects and claims checked first).",
)
def warehouse(context: dg.AssetExecutionContext, build_paths: BuildPaths, **tables: pd.DataFrame) -> dict[str, int]:
    problems = check_foreign_keys(tables) + check_redirects(tables) + check_claims(tables)
    if problems:
        raise ValidationFailed(problems[0] + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""))
    counts = build.write_warehouse(tables, build_paths.get())
    context.add_output_metadata({f"rows_{k}": v for k, v in counts.items()})
    return counts


@dg.asset(
    deps=[warehouse],
    ins={"sources": dg.AssetIn("sources")},
    code_version="1",
    group_name="publish",
    automation_condition=EAGER,
    op_tags=WRITER_TAGS,
    description="A versioned release (SQLite for Datasette, downloads) swapped in atomically.",
)
def release(context: dg.AssetExecutionContext, build_paths: BuildPaths, sources: pd.DataFrame) -> dict[str, Any]:
    attribution = sources[["source_id", "title", "publisher", "author", "url", "license", "full_text_public"]]
    records: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in attribution.to_dict("records")]
    summary = publish(build_paths.get(), records)
    context.add_output_metadata({k: str(v) for k, v in summary.items() if not isinstance(v, dict)})
    return summary
