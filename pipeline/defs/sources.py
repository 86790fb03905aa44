"""Per-source assets: one dynamic partition per manifest ``source_id``.

``parsed_source`` reads, normalises and parses one source; its data version
is the file's sha256 so unchanged sources are never re-read downstream.
"""


import dagster as dg

from pipeline.build import parse_source
from pipeline.corpus import PassageRow, SourceDoc
from pipeline.defs.resources import BuildPaths
from pipeline.errors import ManifestError
from pipeline.manifest import load_manifest

source_partitions = dg.DynamicPartitionsDefinition(name="sources")


@dg.asset(
    partitions_def=source_partitions,
    code_version="1",
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="sources",
    description="One source document read, normalised and split into passages.",
)
def parsed_source(context: dg.AssetExecutionContext, build_paths: BuildPaths) -> dg.Output:  # type: ignore[type-arg]
    paths = build_paths.get()
    entries = {e.source_id: e for e in load_manifest(paths.raw_dir)}
    results: dict[str, tuple[SourceDoc, list[PassageRow]]] = {}
    for key in context.partition_keys:
        if key not in entries:
            raise ManifestError(f"source_id {key!r} is not in the manifest", paths.raw_dir / "manifest.yaml")
        results[key] = parse_source(entries[key], paths)
    if len(results) == 1:
        ((_, (doc, passages)),) = results.items()
        return dg.Output(
            (doc, passages),
            data_version=dg.DataVersion(doc.sha256),
            metadata={"sha256": doc.sha256, "passages": len(passages), "chars": len(doc.text)},
        )
    return dg.Output(results, metadata={"sources": len(results)})
