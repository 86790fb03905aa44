"""Per-source assets: one dynamic partition per manifest ``source_id``.

``parsed_source`` reads, normalises and parses one source and runs the costly
per-source detection (person/organization NER); its data version is the
file's sha256, so unchanged sources are never read again. A run over many
partitions spreads them over all cores.
"""

import dagster as dg

from pipeline.build import SourceBundle, process_sources
from pipeline.defs.resources import BuildPaths
from pipeline.errors import ManifestError
from pipeline.fingerprint import per_source_code_version
from pipeline.manifest import load_manifest

source_partitions = dg.DynamicPartitionsDefinition(name="sources")


@dg.asset(
    partitions_def=source_partitions,
    code_version=per_source_code_version(),
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="sources",
    description="One source document read, normalised, split into passages, its names detected.",
)
def parsed_source(context: dg.AssetExecutionContext, build_paths: BuildPaths) -> dg.Output:  # type: ignore[type-arg]
    paths = build_paths.get()
    entries = {e.source_id: e for e in load_manifest(paths.raw_dir)}
    missing = [k for k in context.partition_keys if k not in entries]
    if missing:
        raise ManifestError(f"source_id {missing[0]!r} is not in the manifest", paths.raw_dir / "manifest.yaml")
    bundles: list[SourceBundle] = process_sources([entries[k] for k in context.partition_keys], paths)
    if len(bundles) == 1:
        (bundle,) = bundles
        return dg.Output(
            bundle,
            data_version=dg.DataVersion(bundle.doc.sha256),
            metadata={"sha256": bundle.doc.sha256, "passages": len(bundle.passages), "chars": len(bundle.doc.text)},
        )
    return dg.Output({b.doc.source_id: b for b in bundles}, metadata={"sources": len(bundles)})
