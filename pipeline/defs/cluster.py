"""The distributed build: the same assets, checks and resources as ``definitions.py``, run by
dagster-celery's executor, one Celery task per step.

Workers rebuild a job from this module (``reconstructable``), so the jobs live at module level:
``cluster_parse`` (the per-source partitions; one run per contiguous range of sources, several
runs at once so every worker parses) and ``cluster_tables`` / ``cluster_tables_no_release``
(every cross-source step). Paths reach the workers as run config, never as process state: a
worker on another host sees only the broker, the Dagster instance and the shared ``OUT_DIR``.
Warehouse and release carry the ``writer`` queue tag (``publish.py``): one worker consumes it.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
from dagster_celery import celery_executor

from pipeline.cluster import STEP_QUEUE, WRITER_QUEUE
from pipeline.defs.definitions import defs
from pipeline.paths import Paths

PARSE_JOB = "cluster_parse"
TABLES_JOB = "cluster_tables"
TABLES_NO_RELEASE_JOB = "cluster_tables_no_release"

_parsed = dg.AssetSelection.keys(dg.AssetKey("parsed_source"))
_downstream = dg.AssetSelection.all() - _parsed

cluster_defs = dg.Definitions(
    assets=list(defs.assets or []),
    asset_checks=list(defs.asset_checks or []),
    resources=dict(defs.resources or {}),
    jobs=[
        dg.define_asset_job(PARSE_JOB, selection=_parsed),
        dg.define_asset_job(TABLES_JOB, selection=_downstream),
        dg.define_asset_job(TABLES_NO_RELEASE_JOB, selection=_downstream - dg.AssetSelection.keys("release")),
    ],
    executor=celery_executor,
)


def parse_job() -> dg.JobDefinition:
    return cluster_defs.resolve_job_def(PARSE_JOB)


def tables_job() -> dg.JobDefinition:
    return cluster_defs.resolve_job_def(TABLES_JOB)


def tables_no_release_job() -> dg.JobDefinition:
    return cluster_defs.resolve_job_def(TABLES_NO_RELEASE_JOB)


JOBS = {PARSE_JOB: parse_job, TABLES_JOB: tables_job, TABLES_NO_RELEASE_JOB: tables_no_release_job}


@dataclass(frozen=True)
class CeleryTarget:
    """Where the steps go: the broker and result backend the workers listen to, and how many
    parse runs to keep in flight (one per worker that should parse)."""

    broker: str
    backend: str
    parallel: int = 2
    config_source: Mapping[str, Any] = field(default_factory=dict)


def target_from_env() -> CeleryTarget | None:
    """``DAGSTER_CELERY_BROKER_URL`` (and optionally ``DAGSTER_CELERY_BACKEND_URL``,
    ``CLUSTER_WORKERS``); ``None`` when no broker is configured."""
    broker = os.environ.get("DAGSTER_CELERY_BROKER_URL", "").strip()
    if not broker:
        return None
    backend = os.environ.get("DAGSTER_CELERY_BACKEND_URL", "").strip() or broker
    workers = os.environ.get("CLUSTER_WORKERS", "").strip()
    return CeleryTarget(broker, backend, int(workers) if workers.isdigit() and int(workers) > 0 else 2)


def run_config(paths: Paths, target: CeleryTarget, loggers: Mapping[str, Any]) -> dict[str, Any]:
    """Run config carrying everything a worker needs: executor, paths, log level."""
    return {
        "execution": {
            "config": {
                "broker": target.broker,
                "backend": target.backend,
                "config_source": {"broker_connection_retry_on_startup": True, **target.config_source},
            }
        },
        "resources": {
            "build_paths": {"config": {"raw_dir": str(paths.raw_dir), "out_dir": str(paths.out_dir)}},
            "io_manager": {"config": {"base_dir": str(paths.dagster_home / "storage")}},
        },
        **loggers,
    }


@dataclass
class Outcome:
    """What the runner needs from a finished run (the result itself needs its job to read outputs)."""

    success: bool
    events: list[Any]
    outputs: dict[str, Any]


def execute(
    job: str,
    instance: dg.DagsterInstance,
    config: Mapping[str, Any],
    tags: Mapping[str, str] | None = None,
    outputs: tuple[str, ...] = (),
) -> Outcome:
    """Run one job through the Celery executor; this process only orchestrates (submits steps,
    polls their results), the workers execute them."""
    with dg.execute_job(
        dg.reconstructable(JOBS[job]), instance, run_config=dict(config), tags=dict(tags or {}),
        raise_on_error=False,
    ) as result:
        values = {name: result.output_for_node(name) for name in outputs} if result.success else {}
        return Outcome(result.success, list(result.all_events), values)


def _die_with_parent() -> None:
    """A parse run lives only as long as the build that started it (Linux: PR_SET_PDEATHSIG), so a
    killed build leaves no orchestrator polling a broker that its trap has already stopped."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1 = PR_SET_PDEATHSIG
        build = os.environ.get("PIPELINE_BUILD_PID", "")
        if build.isdigit() and os.getppid() != int(build):  # the build died before the call
            os._exit(1)


def main(argv: list[str]) -> int:
    """``parse <tags as JSON>``: one parse run, for ``runner._parse_on_cluster``. Exit 1 with the
    failure as one line on stderr."""
    import json
    import sys

    from pipeline.defs.runner import QUIET, _raise_failure
    from pipeline.errors import PipelineError
    from pipeline.paths import paths_from_env

    if len(argv) != 2 or argv[0] != "parse":
        print("usage: python -m pipeline.defs.cluster parse '<tags as JSON>'", file=sys.stderr)
        return 2
    _die_with_parent()
    target = target_from_env()
    if target is None:
        print("PipelineError: DAGSTER_CELERY_BROKER_URL is not set", file=sys.stderr)
        return 2
    paths = paths_from_env()
    instance = dg.DagsterInstance.get()
    outcome = execute(PARSE_JOB, instance, run_config(paths, target, QUIET), json.loads(argv[1]))
    if outcome.success:
        return 0
    try:
        _raise_failure(outcome.events)
    except PipelineError as exc:
        print(exc.one_line(), file=sys.stderr)
    return 1


if __name__ == "__main__":
    import sys
    import warnings

    warnings.filterwarnings("ignore")
    # Through the imported module, not __main__: workers rebuild the job by its module's name.
    from pipeline.defs.cluster import main as _main

    sys.exit(_main(sys.argv[1:]))


__all__ = ["STEP_QUEUE", "WRITER_QUEUE", "CeleryTarget", "Outcome", "cluster_defs", "execute", "target_from_env"]
