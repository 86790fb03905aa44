"""The build's configuration as a Dagster resource: where to read and write."""


import dagster as dg

from pipeline.paths import Paths, paths_from_env


class BuildPaths(dg.ConfigurableResource):  # type: ignore[type-arg]
    """RAW_DIR and OUT_DIR, read from the environment when not configured."""

    raw_dir: str = ""
    out_dir: str = ""

    def get(self) -> Paths:
        env = paths_from_env()
        from pathlib import Path

        return Paths(
            raw_dir=Path(self.raw_dir).resolve() if self.raw_dir else env.raw_dir,
            out_dir=Path(self.out_dir).resolve() if self.out_dir else env.out_dir,
        )
