"""Running the code location from the command line (``make build``) through Dagster.

Syncs the ``sources`` dynamic partitions with the manifest, re-parses only
sources whose file or manifest entry changed (one run over all partitions
when many did), then materializes everything downstream in one run: in-process, or through
dagster-celery workers (``pipeline.defs.cluster``) when given a broker.
A failed blocking check or step becomes one ``PipelineError`` line.
"""

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg

from pipeline.errors import PipelineError, ValidationFailed
from pipeline.fingerprint import build_digest, curated_digest, source_fingerprint
from pipeline.manifest import load_manifest
from pipeline.paths import Paths

if TYPE_CHECKING:
    from pipeline.defs.cluster import CeleryTarget

PARSE_STATE = "parsed_sources.json"
BUILD_STATE = "last_build.json"
# The in-process build's runs and step durations (its instance lives in memory), for `make bench`.
STEPS_FILE = "last_build_steps.json"
# Above this many changed sources, one run over the whole partition range is cheaper.
MAX_SINGLE_PARTITION_RUNS = 8
# Dagster's console logger prints every event at DEBUG; the CLI prints its own summary.
QUIET = {"loggers": {"console": {"config": {"log_level": os.environ.get("DAGSTER_LOG_LEVEL", "CRITICAL")}}}}


def prepare_instance(paths: Paths, persistent: bool = True) -> dg.DagsterInstance:
    """The build's Dagster instance: persistent under OUT_DIR/.dagster_home (telemetry off), or
    in memory.

    The in-process build needs nothing of an instance after its run: the parse state, the step
    outputs (``storage/``) and the partitions to sync are files under OUT_DIR, so it runs on an
    in-memory instance. A persistent one writes every event (~10 per step) to SQLite and opens a
    connection per event; on the seeds that was a fifth of the build's wall time. The
    distributed build keeps the persistent instance: its workers on other hosts read the run
    from it."""
    home = paths.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    if not persistent:
        return dg.DagsterInstance.ephemeral(tempdir=str(home))
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    return dg.DagsterInstance.get()


STEP_EVENTS = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
RUN_EVENTS = {dg.DagsterEventType.RUN_START, dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE}


def step_timings(instance: dg.DagsterInstance, run_id: str, label: str) -> dict[str, Any]:
    """One run's wall time and per-step durations (s), from its event log (for the benchmark)."""
    start: dict[str, float] = {}
    steps: dict[str, float] = {}
    run: list[float] = []
    for record in instance.get_records_for_run(run_id, of_type=STEP_EVENTS | RUN_EVENTS).records:
        entry = record.event_log_entry
        key = entry.step_key
        if entry.dagster_event_type in RUN_EVENTS:
            run.append(entry.timestamp)
        elif entry.dagster_event_type == dg.DagsterEventType.STEP_START and key:
            start[key] = entry.timestamp
        elif key in start:
            steps[key] = round(entry.timestamp - start[key], 4)
    return {"run": label, "start": min(run, default=0.0), "wall_s": round(max(run, default=0.0) - min(run, default=0.0), 3),
            "steps": steps}


def changed_sources(paths: Paths) -> tuple[list[str], list[str], dict[str, str]]:
    """(all source_ids in manifest order, changed ones, new fingerprints)."""
    entries = load_manifest(paths.raw_dir)
    state_path = paths.dagster_home / PARSE_STATE
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    curated = curated_digest(paths.curated_dir)
    prints = {e.source_id: source_fingerprint(e, paths, curated) for e in entries}
    changed = [sid for sid, fp in prints.items() if state.get(sid) != fp]
    return list(prints), changed, prints


def _raise_failure(events: list[Any]) -> None:
    for event in events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if isinstance(evaluation, dg.AssetCheckEvaluation) and not evaluation.passed:
                meta = {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}
                detail = meta.get("error") or meta.get("first") or "check failed"
                raise ValidationFailed(f"check {evaluation.check_name}: {detail}")
    for event in events:
        if event.is_failure and event.step_failure_data is not None:
            error = event.step_failure_data.error
            cause = error.cause if error is not None and error.cause is not None else error
            message = cause.message.strip().splitlines()[0] if cause is not None else "step failed"
            raise PipelineError(f"step {event.step_key} failed: {message}")
    for event in events:
        # an executor's own failure (e.g. a Celery worker that died) has no step
        if event.event_type_value == "ENGINE_EVENT" and getattr(event.event_specific_data, "error", None):
            raise PipelineError(f"run failed: {event.event_specific_data.error.message.strip().splitlines()[0]}")
    raise PipelineError("run failed")


def _split_range(ordered: list[str], parts: int) -> list[dict[str, str]]:
    """``parts`` contiguous partition ranges covering ``ordered`` (one run each)."""
    parts = max(1, min(parts, len(ordered)))
    size, extra = divmod(len(ordered), parts)
    ranges, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        ranges.append({
            "dagster/asset_partition_range_start": ordered[start],
            "dagster/asset_partition_range_end": ordered[end - 1],
        })
        start = end
    return ranges


def run_build(paths: Paths, publish: bool = True, cluster: "CeleryTarget | None" = None) -> dict[str, Any]:
    """Materialize the code location for ``paths``; return a small summary.

    ``cluster``: run every step through dagster-celery workers listening to that broker (the
    parse runs, one per contiguous range of sources, go out together); otherwise in-process.
    One build at a time per OUT_DIR (``pipeline.lock``): a second one stops at once.
    """
    from pipeline.lock import out_dir_lock

    with out_dir_lock(paths.out_dir):
        return _run_build(paths, publish, cluster)


def _run_build(paths: Paths, publish: bool, cluster: "CeleryTarget | None") -> dict[str, Any]:
    instance = prepare_instance(paths, persistent=cluster is not None)
    try:
        return _run_build_on(instance, paths, publish, cluster)
    finally:
        if cluster is None:
            instance.dispose()


def _run_build_on(
    instance: dg.DagsterInstance, paths: Paths, publish: bool, cluster: "CeleryTarget | None"
) -> dict[str, Any]:
    import gc

    from pipeline.defs.definitions import defs
    from pipeline.defs.io import PartitionedPickleIOManager
    from pipeline.defs.resources import BuildPaths

    # Everything imported so far (Dagster, pandas, pandera, the definitions: ~330,000 objects) lives
    # as long as the process: out of the collector's sight, a full collection no longer walks it
    # (on the seeds, six full collections had cost 0.8 CPU-s of the build process).
    gc.freeze()
    timings: list[dict[str, Any]] = []
    all_ids, changed, prints = changed_sources(paths)
    existing = set(instance.get_dynamic_partitions("sources"))
    new = [sid for sid in all_ids if sid not in existing]
    if new:
        instance.add_dynamic_partitions("sources", new)
    for gone in existing - set(all_ids):
        instance.delete_dynamic_partition("sources", gone)
    resources = {
        "build_paths": BuildPaths(raw_dir=str(paths.raw_dir), out_dir=str(paths.out_dir)),
        "io_manager": PartitionedPickleIOManager(base_dir=str(paths.dagster_home / "storage")),
    }
    assets: list[Any] = list(defs.assets or [])
    checks: list[Any] = list(defs.asset_checks or [])
    parsed_key = dg.AssetKey("parsed_source")
    if changed:
        if len(changed) > MAX_SINGLE_PARTITION_RUNS or len(changed) == len(all_ids):
            ordered = list(instance.get_dynamic_partitions("sources"))
            batches = _split_range(ordered, cluster.parallel if cluster else 1)
        else:
            batches = [{"dagster/partition": sid} for sid in changed]
        # No warm-up thread here: a build that re-reads one source runs process_source in this
        # process, and a thread loading the model beside it hung a CI build under load.
        if cluster is not None:
            _parse_on_cluster(paths, cluster, batches)
        for tags in batches if cluster is None else []:
            result = dg.materialize(
                assets,
                instance=instance,
                resources=resources,
                selection=dg.AssetSelection.keys(parsed_key),
                tags=tags,
                run_config=QUIET,
                raise_on_error=False,
            )
            timings.append(step_timings(instance, result.run_id, "parse"))
            if not result.success:
                _raise_failure(list(result.all_events))
        state_path = paths.dagster_home / PARSE_STATE
        state_path.write_text(json.dumps(prints, indent=1, sort_keys=True))
    digest = build_digest(prints, paths)
    state_path = paths.dagster_home / BUILD_STATE
    last = json.loads(state_path.read_text()) if state_path.exists() else {}
    if not changed and publish and last.get("digest") == digest and (paths.site_dir / "release.json").exists():
        # Nothing the build depends on changed: the current release is already this build's output.
        release = json.loads((paths.site_dir / "release.json").read_text())
        return {"sources": len(all_ids), "reparsed": [], "counts": last.get("counts", {}),
                "release": {"version": release["version"], "changed": False, "summary": "no changes"}}
    wanted = ("warehouse", "release") if publish else ("warehouse",)
    if cluster is not None:
        from pipeline.defs import cluster as celery_build

        job = celery_build.TABLES_JOB if publish else celery_build.TABLES_NO_RELEASE_JOB
        outcome = celery_build.execute(job, instance, celery_build.run_config(paths, cluster, QUIET), outputs=wanted)
        if not outcome.success:
            _raise_failure(outcome.events)
        outputs = outcome.outputs
    else:
        selection = dg.AssetSelection.all() - dg.AssetSelection.keys(parsed_key)
        if not publish:
            selection = selection - dg.AssetSelection.keys(dg.AssetKey("release"))
        result = dg.materialize(
            assets + checks,
            instance=instance,
            resources=resources,
            selection=selection,
            run_config=QUIET,
            raise_on_error=False,
        )
        timings.append(step_timings(instance, result.run_id, "tables"))
        (paths.dagster_home / STEPS_FILE).write_text(json.dumps(timings, indent=1))
        if not result.success:
            _raise_failure(list(result.all_events))
        outputs = {name: result.output_for_node(name) for name in wanted}
    summary: dict[str, Any] = {"sources": len(all_ids), "reparsed": changed}
    if publish:
        summary["release"] = outputs["release"]
    summary["counts"] = outputs["warehouse"]
    if publish:
        state_path.write_text(json.dumps({"digest": digest, "counts": summary["counts"]}))
    return summary


def _parse_on_cluster(paths: Paths, cluster: "CeleryTarget", batches: list[dict[str, str]]) -> None:
    """The parse runs at once, each orchestrated by a process of its own (``python -m
    pipeline.defs.cluster parse``: Dagster's run loop is not safe in two threads of one process),
    each one step that some worker picks up."""
    import subprocess
    import sys

    env = {
        **os.environ,
        "RAW_DIR": str(paths.raw_dir),
        "OUT_DIR": str(paths.out_dir),
        "DAGSTER_HOME": str(paths.dagster_home),
        "DAGSTER_CELERY_BROKER_URL": cluster.broker,
        "DAGSTER_CELERY_BACKEND_URL": cluster.backend,
        "PIPELINE_BUILD_PID": str(os.getpid()),  # a parse run ends with the build (cluster._die_with_parent)
    }
    pending = list(batches)
    running: list[subprocess.Popen[str]] = []
    try:
        while pending or running:
            while pending and len(running) < max(1, cluster.parallel):
                running.append(subprocess.Popen(
                    [sys.executable, "-m", "pipeline.defs.cluster", "parse", json.dumps(pending.pop(0))],
                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                ))
            proc = running.pop(0)
            _, err = proc.communicate()
            if proc.returncode != 0:
                lines = [line for line in err.strip().splitlines() if line.strip()]
                raise PipelineError(lines[-1] if lines else f"parse run exited with {proc.returncode}")
    finally:
        for proc in running:
            proc.terminate()
            proc.wait(timeout=30)


def default_paths_repr(paths: Paths) -> str:
    return f"RAW_DIR={paths.raw_dir} OUT_DIR={paths.out_dir}"


__all__ = ["Path", "changed_sources", "prepare_instance", "run_build"]
