"""A pickle IO manager that also stores and loads several partitions in one step.

Dagster's filesystem IO manager refuses outputs covering several partitions,
which a single-run backfill over all sources produces; this one stores a
``{partition_key: value}`` dict as one file per partition.
"""

import os
import pickle
from pathlib import Path
from typing import Any

import dagster as dg


class PartitionedPickleIOManager(dg.ConfigurableIOManager):
    base_dir: str = ""

    def _root(self) -> Path:
        if self.base_dir:
            return Path(self.base_dir)
        return Path(os.environ.get("DAGSTER_HOME", ".dagster_home")) / "storage"

    def _path(self, key: dg.AssetKey, partition: str | None) -> Path:
        path = self._root().joinpath(*key.path)
        return path / partition if partition is not None else path.with_suffix(".pkl")

    def _write(self, path: Path, obj: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def _read(self, path: Path) -> Any:
        with path.open("rb") as fh:
            return pickle.load(fh)

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        key = context.asset_key
        if context.has_asset_partitions:
            keys = list(context.asset_partition_keys)
            if len(keys) == 1:
                self._write(self._path(key, keys[0]), obj)
            else:
                for partition in keys:
                    self._write(self._path(key, partition), obj[partition])
            return
        self._write(self._path(key, None), obj)

    def load_input(self, context: dg.InputContext) -> Any:
        upstream = context.upstream_output
        # A finished run's result reads a step output through an input with no asset of its own.
        key = upstream.asset_key if upstream is not None and upstream.has_asset_key else context.asset_key
        if context.has_asset_partitions:
            keys = list(context.asset_partition_keys)
            if len(keys) == 1 and context.upstream_output is not None and context.upstream_output.has_asset_partitions:
                return self._read(self._path(key, keys[0]))
            return {k: self._read(self._path(key, k)) for k in keys}
        return self._read(self._path(key, None))
