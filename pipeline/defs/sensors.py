"""A sensor that notices new, changed and removed files of RAW_DIR (by hash).

It keeps the ``sources`` dynamic partitions in step with the manifest and
requests a ``parsed_source`` run for each new or changed source; everything
downstream follows by declarative automation (eager), so only the changed
source is re-parsed and the cross-source steps recombine.
"""

import json

import dagster as dg

from pipeline.defs.resources import BuildPaths
from pipeline.defs.sources import parsed_source, source_partitions
from pipeline.errors import PipelineError


@dg.sensor(
    asset_selection=dg.AssetSelection.assets(parsed_source),
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches RAW_DIR's manifest and source files; requests runs for changed sources.",
)
def raw_files_sensor(context: dg.SensorEvaluationContext, build_paths: BuildPaths) -> dg.SensorResult:
    from pipeline.defs.runner import changed_sources

    paths = build_paths.get()
    try:
        ids, _, prints = changed_sources(paths)
    except PipelineError as exc:
        return dg.SensorResult(skip_reason=exc.one_line())
    previous: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    known = set(context.instance.get_dynamic_partitions(source_partitions.name or "sources"))
    added = [sid for sid in ids if sid not in known]
    removed = sorted(known - set(ids))
    changed = [sid for sid in ids if previous.get(sid) != prints[sid]]
    requests = [dg.RunRequest(run_key=f"{sid}:{prints[sid][:16]}", partition_key=sid) for sid in changed]
    partition_requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
    if added:
        partition_requests.append(source_partitions.build_add_request(added))
    if removed:
        partition_requests.append(source_partitions.build_delete_request(removed))
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=partition_requests,
        cursor=json.dumps(prints, sort_keys=True),
    )
