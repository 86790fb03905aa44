"""The Dagster code location loads whole; the raw-files sensor requests runs for changed sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from pipeline.defs.definitions import defs
from pipeline.defs.resources import BuildPaths
from pipeline.defs.sensors import raw_files_sensor
from pipeline.paths import REPO_ROOT
from schemas.dictionary import load_dictionary


def test_code_location_loads_with_every_table_and_a_blocking_check() -> None:
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    tables = set(load_dictionary().tables)
    assert tables <= keys
    assert {"parsed_source", "corpus", "warehouse", "release"} <= keys
    check_keys = {c.asset_key.to_user_string() for c in graph.asset_check_keys}
    assert tables <= check_keys
    # The checks are declared on the table assets' steps (check_specs); every one blocks.
    specs = [spec for a in defs.assets or [] for spec in a.check_specs]  # type: ignore[union-attr]
    specs += [spec for c in defs.asset_checks or [] for spec in c.check_specs]  # type: ignore[union-attr]
    assert {s.asset_key.to_user_string() for s in specs} >= tables
    assert all(spec.blocking for spec in specs)


def test_sensor_adds_partitions_then_requests_only_changed_source(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(REPO_ROOT / "raw", raw)
    resources = {"build_paths": BuildPaths(raw_dir=str(raw), out_dir=str(tmp_path / "out"))}
    with dg.instance_for_test() as instance:
        ctx = dg.build_sensor_context(instance=instance, resources=resources)
        first = raw_files_sensor(ctx)
        assert isinstance(first, dg.SensorResult)
        assert len(first.run_requests or []) == 2
        added = first.dynamic_partitions_requests[0]
        assert isinstance(added, dg.AddDynamicPartitionsRequest)
        instance.add_dynamic_partitions("sources", list(added.partition_keys))

        ctx = dg.build_sensor_context(instance=instance, resources=resources, cursor=first.cursor)
        unchanged = raw_files_sensor(ctx)
        assert not unchanged.run_requests

        news = raw / "sources" / "cnsnews-zarif-book-not-closed-2020-09-22.txt"
        news.write_text(news.read_text().replace("Monday", "Tuesday", 1))
        ctx = dg.build_sensor_context(instance=instance, resources=resources, cursor=unchanged.cursor)
        changed = raw_files_sensor(ctx)
        assert [r.partition_key for r in changed.run_requests or []] == ["cnsnews-zarif-book-not-closed-2020-09-22"]
