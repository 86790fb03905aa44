"""In-process per-stage timing of a build, without Dagster (``make bench`` runs it in a fresh process).

What belongs here: running the plain stage functions of ``pipeline.build``,
``schemas.models``, ``pipeline.validate``, ``pipeline.release`` and
``pipeline.publish`` in the order the Dagster assets run them, and timing each
one (wall and CPU seconds, text KB per CPU second, spaCy time inside each
extractor, memory high-water mark after each stage). Nothing is changed in the
pipeline: sub-stages (spaCy calls, SQLite, downloads, change log) are timed by
wrapping the functions at run time.

    python bench/stages.py RAW_DIR OUT_DIR [--json FILE] [--profile FILE [--profile-stage 'extract: plots']]

``--profile`` runs the same stages under cProfile and writes the top functions
(by own time and by cumulative time) to FILE; its timings are inflated, use it
for the ranking only.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

STATISTICAL = "spacy"  # label of the time spent inside spaCy pipelines (NER, parser)


class Clock:
    """Accumulates wall/CPU seconds per stage and the spaCy time inside the running stage."""

    def __init__(self) -> None:
        self.stages: list[dict[str, Any]] = []
        self.current: str | None = None
        self.spacy: dict[str, float] = defaultdict(float)
        self.spacy_cpu: dict[str, float] = defaultdict(float)  # CPU seconds: the figure a loaded machine leaves
        self.sub: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self._depth = 0
        self.profile_prefix: str | None = None  # cProfile only the stages whose name starts so
        self.profiler: Any = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        outer, self.current = self.current, name
        prof = self.profiler if self.profile_prefix and name.startswith(tuple(self.profile_prefix.split(","))) else None
        w0, c0 = time.perf_counter(), time.process_time()
        if prof is not None:
            prof.enable()
        try:
            yield
        finally:
            if prof is not None:
                prof.disable()
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            self.current = outer
            self.stages.append(
                {
                    "stage": name,
                    "wall_s": round(wall, 4),
                    "cpu_s": round(cpu, 4),
                    "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                }
            )

    def add_sub(self, label: str, seconds: float) -> None:
        self.sub[self.current or "-"][label] += seconds

    # ---- wrappers

    def wrap(self, owner: Any, attr: str, label: str) -> None:
        """Time every call of ``owner.attr`` as sub-stage ``label`` of the running stage."""
        fn = getattr(owner, attr)

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add_sub(label, time.perf_counter() - t0)

        setattr(owner, attr, timed)

    def wrap_spacy(self) -> None:
        """Time spaCy's ``Language.__call__`` / ``Language.pipe`` (not nested) and ``spacy.load``."""
        try:
            import spacy
            from spacy.language import Language
        except ImportError:
            return
        clock = self
        call, pipe, load = Language.__call__, Language.pipe, spacy.load

        def timed_call(nlp: Any, *args: Any, **kwargs: Any) -> Any:
            if clock._depth:
                return call(nlp, *args, **kwargs)
            clock._depth += 1
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return call(nlp, *args, **kwargs)
            finally:
                clock._depth -= 1
                clock.spacy[clock.current or "-"] += time.perf_counter() - t0
                clock.spacy_cpu[clock.current or "-"] += time.process_time() - c0

        def timed_iter(it: Iterator[Any]) -> Iterator[Any]:
            while True:
                outer = clock._depth
                clock._depth += 1
                t0, c0 = time.perf_counter(), time.process_time()
                try:
                    doc = next(it)
                except StopIteration:
                    return
                finally:
                    clock._depth -= 1
                    if not outer:
                        clock.spacy[clock.current or "-"] += time.perf_counter() - t0
                        clock.spacy_cpu[clock.current or "-"] += time.process_time() - c0
                yield doc

        def timed_pipe(nlp: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            return timed_iter(pipe(nlp, *args, **kwargs))

        # the parse pass runs the model's rule components (attribute rules, lemmatizer) itself
        # after ``Language.pipe``: they are the model's work too
        from pipeline.extract import nlp as nlp_mod

        analyse = getattr(nlp_mod, "_analyse", None)  # absent before the table rule components

        def timed_analyse(nlp: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            assert analyse is not None
            return timed_iter(analyse(nlp, *args, **kwargs))

        if analyse is not None:
            nlp_mod._analyse = timed_analyse  # type: ignore[assignment]

        def timed_load(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return load(*args, **kwargs)
            finally:
                clock.add_sub("spacy.load", time.perf_counter() - t0)

        Language.__call__ = timed_call  # type: ignore[method-assign,assignment]
        Language.pipe = timed_pipe  # type: ignore[method-assign,assignment]
        spacy.load = timed_load


def _by_doc(corpus: Any) -> list[tuple[Any, list[Any]]]:
    by_source: dict[str, list[Any]] = {}
    for p in corpus.passages:
        by_source.setdefault(p.source_id, []).append(p)
    return [(d, by_source.get(d.source_id, [])) for d in corpus.docs]


def run_stages(raw_dir: Path, out_dir: Path, clock: Clock) -> dict[str, Any]:
    """Every stage of a build on ``raw_dir`` (output under ``out_dir``, wiped first)."""
    t_import = time.perf_counter()
    with clock.stage("import"):
        import pandas  # noqa: F401  (the import cost is part of the floor, timed here for reference)

        import pipeline.publish as publish_mod
        import pipeline.release as release_mod
        from pipeline import build
        from pipeline.corrections import apply_corrections, load_corrections
        from pipeline.errors import ValidationFailed
        from pipeline.extract import ExtractResult
        from pipeline.paths import Paths
        from pipeline.validate import check_foreign_keys, check_provenance
        from schemas.models import frame_from_rows, validate_table
    import_s = time.perf_counter() - t_import
    clock.wrap_spacy()
    for attr, label in (
        ("load_tables", "read parquet"),
        ("write_sqlite", "sqlite"),
        ("inspect_data", "inspect counts"),
        ("datasette_metadata", "metadata"),
        ("write_downloads", "downloads"),
        ("copy_assets", "assets"),
    ):
        clock.wrap(publish_mod, attr, label)
    clock.wrap(release_mod, "table_fingerprint", "fingerprint")
    clock.wrap(release_mod, "diff_releases", "change log")

    if out_dir.exists():
        shutil.rmtree(out_dir)
    paths = Paths(raw_dir=raw_dir.resolve(), out_dir=out_dir.resolve())

    with clock.stage("parse"):
        corpus = build.load_corpus(paths)
    text_bytes = sum(len(d.text.encode("utf-8")) for d in corpus.docs)

    # The build analyses each source (NER, name detection, parses of the sentences plots and legal
    # positions read) in the source's partition, on all cores; here on one core (PIPELINE_WORKERS=1)
    # so the stage's KB/s is per core.
    with clock.stage("extract: per-source analysis (NER, names, parses)"):
        corpus = build.corpus_from_bundles([build.analyse_source(d, ps, paths) for d, ps in _by_doc(corpus)])
    with clock.stage("extract: entities"):
        entities = build.extract_entity_tables(corpus, paths)
    index = entities.index or build.EntityIndex()
    results = {"entities": entities}
    errors: dict[str, str] = {}
    for name, fn, tables in (
        ("events", build.extract_event_tables, build.EVENT_TABLES),
        ("plots", build.extract_plot_tables, build.PLOT_TABLES),
        ("legal", build.extract_legal_tables, build.LEGAL_TABLES),
    ):
        # Extractors are work in progress: one that fails is timed up to its failure and left empty.
        with clock.stage(f"extract: {name}"):
            try:
                results[name] = fn(corpus, index, paths)
            except Exception as exc:
                errors[name] = f"{type(exc).__name__}: {exc}"[:300]
                results[name] = ExtractResult({t: [] for t in tables}, [f"failed: {errors[name]}"])
    with clock.stage("source rows"):
        rows: dict[str, list[dict[str, Any]]] = {
            "sources": build.sources_rows(corpus.docs),
            "passages": build.passages_rows(corpus.docs, corpus.passages),
        }
    for result in results.values():
        rows.update({t: [dict(r) for r in rs] for t, rs in result.tables.items() if t != "places"})
    if hasattr(build, "places_rows"):
        with clock.stage("places (union)"):
            rows["places"] = build.places_rows([results["events"], results["plots"]], paths)
    else:
        rows["places"] = [dict(r) for r in results["events"].tables.get("places", [])]

    with clock.stage("corrections"):
        apply_corrections(rows, load_corrections(paths.curated_dir), corpus.texts)
    with clock.stage("ids kept (continuity)"):
        rows = build.keep_published_ids(rows, paths)[0]
    with clock.stage("frames"):
        frames = {t: frame_from_rows(t, rs) for t, rs in rows.items()}

    problems: list[str] = []
    with clock.stage("validate: pandera"):
        for t, frame in frames.items():
            try:
                validate_table(t, frame)
            except ValidationFailed as exc:  # the build would stop here; the benchmark goes on
                problems.append(exc.one_line())
    with clock.stage("validate: provenance"):
        spans = {p.passage_id: (p.source_id, p.char_start, p.char_end) for p in corpus.passages}
        public = {d.source_id: d.full_text_public for d in corpus.docs}
        texts = corpus.texts
        for t, frame in frames.items():
            problems += check_provenance(t, frame, texts, spans, public)
    with clock.stage("validate: foreign keys"):
        problems += check_foreign_keys(frames)

    failed_tables = [t for t in frames if any(f"table {t!r}" in p for p in problems)]
    counts: dict[str, int] = {}
    try:
        with clock.stage("warehouse"):
            counts = build.write_warehouse(frames, paths)
        with clock.stage("publish"):
            sources = frames["sources"]
            attribution = sources[["source_id", "title", "publisher", "author", "url", "license", "full_text_public"]]
            records = [{str(k): v for k, v in r.items()} for r in attribution.to_dict("records")]
            release_mod.publish(paths, records)
    except Exception as exc:  # a broken table stops the build there; keep the timings so far
        problems.append(f"write/publish failed: {type(exc).__name__}: {exc}"[:400])
        counts = counts or {t: len(f) for t, f in frames.items()}

    stats = {
        "sources": len(corpus.docs),
        "passages": len(corpus.passages),
        "text_bytes": text_bytes,
        "rows": counts,
        "rows_total": sum(counts.values()),
        "validation_problems": len(problems),
        "first_problem": problems[0] if problems else None,
        "problems": problems[:10],
        "tables_failing_validation": failed_tables,
        "reports": {k: r.report[-3:] for k, r in results.items()},
        "import_s": round(import_s, 3),
        "extractor_errors": errors,
    }
    return stats


def summarize(clock: Clock, stats: dict[str, Any]) -> dict[str, Any]:
    kb = stats["text_bytes"] / 1000
    stages = []
    for s in clock.stages:
        row = dict(s)
        spacy_s = clock.spacy.get(s["stage"], 0.0)
        sub = {k: round(v, 4) for k, v in clock.sub.get(s["stage"], {}).items()}
        row["spacy_s"] = round(spacy_s, 4)
        row["spacy_cpu_s"] = round(clock.spacy_cpu.get(s["stage"], 0.0), 4)
        row["rule_s"] = round(max(s["wall_s"] - spacy_s - sub.get("spacy.load", 0.0), 0.0), 4)
        row["sub_s"] = sub
        if s["stage"] not in ("import",):
            row["kb_per_cpu_s"] = round(kb / s["cpu_s"], 1) if s["cpu_s"] > 0 else None
            row["rule_kb_per_s"] = round(kb / row["rule_s"], 1) if row["rule_s"] > 0 else None
            row["spacy_kb_per_s"] = round(kb / spacy_s, 1) if spacy_s > 0 else None
            row["spacy_kb_per_cpu_s"] = round(kb / row["spacy_cpu_s"], 1) if row["spacy_cpu_s"] > 0 else None
        stages.append(row)
    total = sum(s["wall_s"] for s in clock.stages if s["stage"] != "import")
    return {"stats": stats, "stages": stages, "total_s_without_import": round(total, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--json", type=Path, help="write the result here (default: stdout)")
    parser.add_argument("--profile", type=Path, help="run under cProfile; write the top functions here")
    parser.add_argument("--profile-stage", help="with --profile: profile only stages starting so (comma-separated, e.g. 'extract: plots')")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    import warnings

    # one core, so that each stage's KB per CPU-second is per core (the build uses every core)
    os.environ["PIPELINE_WORKERS"] = "1"

    warnings.filterwarnings("ignore")
    clock = Clock()
    if args.profile and args.profile_stage:
        import cProfile
        import io
        import pstats

        clock.profile_prefix, clock.profiler = args.profile_stage, cProfile.Profile()
        stats = run_stages(args.raw_dir, args.out_dir, clock)
        buf = io.StringIO()
        ps = pstats.Stats(clock.profiler, stream=buf).strip_dirs()
        buf.write(f"# cProfile of stages starting with {args.profile_stage!r} only\n\n# by own time\n")
        ps.sort_stats("tottime").print_stats(args.top)
        buf.write("\n# by cumulative time\n")
        ps.sort_stats("cumulative").print_stats(args.top)
        args.profile.write_text(buf.getvalue())
    elif args.profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        stats = prof.runcall(run_stages, args.raw_dir, args.out_dir, clock)
        buf = io.StringIO()
        ps = pstats.Stats(prof, stream=buf).strip_dirs()
        buf.write("# stage timings under cProfile (inflated)\n")
        for s in clock.stages:
            buf.write(f"#   {s['stage']:<24} {s['wall_s']:8.2f} s\n")
        buf.write("\n# by own time\n")
        ps.sort_stats("tottime").print_stats(args.top)
        buf.write("\n# by cumulative time\n")
        ps.sort_stats("cumulative").print_stats(args.top)
        args.profile.write_text(buf.getvalue())
    else:
        stats = run_stages(args.raw_dir, args.out_dir, clock)
    result = summarize(clock, stats)
    text = json.dumps(result, indent=1, default=str)
    if args.json:
        args.json.write_text(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
