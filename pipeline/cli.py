"""Command line: ``build``, ``cluster-build``, ``add-source``, ``serve``.

Every ``PipelineError`` is printed as one line on stderr with exit status 1;
nothing already published is touched by a failed build.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.paths import Paths, paths_from_env


def _build(args: argparse.Namespace) -> int:
    if os.environ.get("PIPELINE_WORKERS", "").strip() != "1" and (os.cpu_count() or 1) > 1:
        from pipeline.pools import start_forkserver

        # The per-source workers' forkserver loads the model (~2 s) on another core while this
        # process imports Dagster and the definitions, rather than after.
        start_forkserver()
    from pipeline.defs.runner import run_build

    paths = paths_from_env()
    return _report(paths, run_build(paths, publish=not args.no_publish))


def _report(paths: Paths, summary: dict[str, Any]) -> int:
    counts = summary.get("counts", {})
    print(f"built {summary['sources']} sources (re-parsed: {len(summary['reparsed'])}) into {paths.out_dir}")
    print("rows: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    release = summary.get("release")
    if release:
        state = "new release" if release.get("changed") else "unchanged, still"
        print(f"{state} {release['version']}: {release['summary']}")
    report = paths.warehouse_dir / "build_report.txt"
    if report.exists():
        print(f"build report: {report}")
    return 0


def _cluster_build(args: argparse.Namespace) -> int:
    """The same build through dagster-celery: an existing broker (``DAGSTER_CELERY_BROKER_URL``,
    workers started elsewhere), or a private redis-server and ``--workers`` workers started here."""
    from pipeline.cluster import LocalCluster
    from pipeline.defs.cluster import CeleryTarget, target_from_env
    from pipeline.defs.runner import run_build

    paths = paths_from_env()
    target = target_from_env()
    if target is not None:
        print(f"running on the Celery workers of {target.broker}")
        return _report(paths, run_build(paths, publish=not args.no_publish, cluster=target))
    with LocalCluster(paths, workers=args.workers) as cluster:
        print(f"started redis-server on port {cluster.port} and {args.workers} Celery workers "
              f"(logs: {cluster.state_dir})")
        target = CeleryTarget(cluster.broker_url, cluster.backend_url, parallel=args.workers)
        summary = run_build(paths, publish=not args.no_publish, cluster=target)
    print("stopped the workers and the broker")
    return _report(paths, summary)


def _add_source(args: argparse.Namespace) -> int:
    from pipeline.manifest import add_source

    paths = paths_from_env()
    target = add_source(
        paths.raw_dir,
        Path(args.file),
        source_id=args.source_id,
        title=args.title,
        fmt=args.format,
        publisher=args.publisher,
        author=args.author,
        url=args.url,
        published_date=args.published_date,
        retrieved_date=args.retrieved_date,
        license=args.license,
        full_text_public=args.full_text_public,
    )
    print(f"added {args.source_id} -> {target}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from pipeline.serve import main as serve_main

    return serve_main(port=args.port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the dataset (RAW_DIR -> OUT_DIR) and publish a release")
    b.add_argument("--no-publish", action="store_true", help="stop after the warehouse")
    b.set_defaults(func=_build)
    c = sub.add_parser("cluster-build", help="the same build, every step run by dagster-celery workers")
    c.add_argument("--workers", type=int, default=2, help="local Celery workers to start (default 2)")
    c.add_argument("--no-publish", action="store_true", help="stop after the warehouse")
    c.set_defaults(func=_cluster_build)
    a = sub.add_parser("add-source", help="copy a text file under RAW_DIR/sources and add it to the manifest")
    a.add_argument("file")
    a.add_argument("--source-id", required=True, help="stable slug, e.g. reuters-2020-01-08-missiles")
    a.add_argument("--title", required=True)
    a.add_argument("--format", required=True, choices=["wikipedia", "news"])
    a.add_argument("--publisher")
    a.add_argument("--author")
    a.add_argument("--url")
    a.add_argument("--published-date", help="YYYY-MM-DD")
    a.add_argument("--retrieved-date", help="YYYY-MM-DD (default: today)")
    a.add_argument("--license")
    a.add_argument("--full-text-public", action="store_true", help="the license allows republishing the text")
    a.set_defaults(func=_add_source)
    s = sub.add_parser("serve", help="serve the current release with Datasette")
    s.add_argument("--port", type=int, default=8001)
    s.set_defaults(func=_serve)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    try:
        return int(args.func(args))
    except PipelineError as exc:
        print(exc.one_line(), file=sys.stderr)
        return 1


def exit_now(code: int) -> None:
    """End the process as ``sys.exit`` would, without tearing its objects down one by one.

    The ``atexit`` handlers run (logging's flush, multiprocessing's and concurrent.futures'
    joins) and the standard streams are flushed; what is skipped is the interpreter's finalization
    of every module and object, which after a build (Dagster, pandas, spaCy, the step outputs)
    took 0.5-1.8 s of wall time with nothing left to write."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())

__all__ = ["json", "main"]
