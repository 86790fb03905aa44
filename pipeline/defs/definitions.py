"""The code location: every asset, check, sensor and resource of the pipeline."""


import dagster as dg

from pipeline.defs.io import PartitionedPickleIOManager
from pipeline.defs.publish import release, warehouse
from pipeline.defs.resources import BuildPaths
from pipeline.defs.sensors import raw_files_sensor
from pipeline.defs.sources import parsed_source
from pipeline.defs.tables import extraction_assets, table_assets, table_checks

defs = dg.Definitions(
    assets=[parsed_source, *extraction_assets, *table_assets, warehouse, release],
    asset_checks=table_checks,
    sensors=[raw_files_sensor],
    resources={"build_paths": BuildPaths(), "io_manager": PartitionedPickleIOManager()},
    executor=dg.in_process_executor,
)
