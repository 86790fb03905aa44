"""The code location: every asset, check, sensor and resource of the pipeline."""


import os

import dagster as dg

from pipeline.defs.io import PartitionedPickleIOManager
from pipeline.defs.publish import release, warehouse
from pipeline.defs.resources import BuildPaths
from pipeline.defs.sensors import raw_files_sensor
from pipeline.defs.sources import parsed_source
from pipeline.defs.tables import extraction_assets, table_assets


def executor_from_env() -> dg.ExecutorDefinition:
    """The executor is configuration: DAGSTER_EXECUTOR=multiprocess (default) or in_process.

    ``make build`` and the tests always run in-process (one process, ~3 s less per step);
    ``make dev`` launches runs with the multiprocess executor, two steps at a time (2 cores).
    The distributed build (``pipeline.defs.cluster``) reuses these assets with dagster-celery's
    executor; assets, checks and sensors do not change.
    """
    if os.environ.get("DAGSTER_EXECUTOR", "multiprocess") == "in_process":
        return dg.in_process_executor
    return dg.multiprocess_executor.configured({"max_concurrent": int(os.environ.get("DAGSTER_MAX_CONCURRENT", "2"))})


defs = dg.Definitions(
    assets=[parsed_source, *extraction_assets, *table_assets, warehouse, release],
    sensors=[raw_files_sensor],
    resources={"build_paths": BuildPaths(), "io_manager": PartitionedPickleIOManager()},
    executor=executor_from_env(),
)
