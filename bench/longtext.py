"""Long paragraphs: a build of run-on text against the same words cut into sentences (issue 12's bar).

What belongs here: generating two single-source corpora from the seeds' sentences (not
committed; written under ``--work``) and timing a real ``pipeline.cli build`` of each in a
fresh process and a fresh OUT_DIR. Both sources hold the same words in the same order:

- ``sentences``: ordinary sentences with their full stops, a few sentences to a paragraph;
- ``runon``: every sentence end removed, paragraphs of ``--paragraph`` characters (60 KB)
  in which the splitter (``pipeline.text.sentence_spans``) finds no sentence end at all.

The bar: the run-on build takes at most 3x the time of the sentences build.

    python bench/longtext.py [--size 1000000] [--paragraph 60000] [--work /tmp/soleimani-longtext]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
PY = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
SEEDS = REPO / "raw" / "sources"
_END_RE = re.compile(r"[.!?]+(?=[\"”’')\]]*$)")


def seed_sentences() -> list[str]:
    """The sentences of the seeds' body paragraphs, as the pipeline's splitter cuts them."""
    from pipeline.text import sentence_spans

    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if len(line) < 200 or line.startswith(("=", "-", "|")):
                continue
            out += [line[s:e] for s, e in sentence_spans(line)]
    return out


def _run_on(sentences: list[str]) -> str:
    """One paragraph of ``sentences`` with every sentence end the splitter would see removed."""
    from pipeline.text import sentence_spans

    text = " ".join(_END_RE.sub("", s) for s in sentences)
    # sentence ends as the splitter sees them, before it cuts long runs into pieces
    while len(spans := sentence_spans(text, limit=len(text) + 1)) > 1:
        # a mark left inside a sentence ("Jan. 3", a closing quote): drop the marks at each cut
        for _, cut in reversed(spans[:-1]):
            head = text[:cut]
            mark = max(head.rfind("."), head.rfind("!"), head.rfind("?"))
            if mark < 0:
                raise RuntimeError(f"no mark before a sentence end at {cut}")
            text = text[:mark] + text[mark + 1:]
    return text


def make_pair(size: int, paragraph: int, work: Path, seed: int = 12) -> dict[str, Path]:
    """Two RAW_DIRs under ``work`` (``sentences``, ``runon``) with one news source of ``size`` chars."""
    rng = random.Random(seed)
    pool = seed_sentences()
    chosen: list[str] = []
    total = 0
    while total < size:
        s = rng.choice(pool)
        chosen.append(s)
        total += len(s) + 1
    ordinary, runon = [], []
    i = 0
    while i < len(chosen):  # ordinary paragraphs of 3-6 sentences
        n = rng.randint(3, 6)
        ordinary.append(" ".join(chosen[i:i + n]))
        i += n
    group: list[str] = []
    for s in chosen:  # run-on paragraphs of about ``paragraph`` characters
        group.append(s)
        if sum(len(g) + 1 for g in group) >= paragraph:
            runon.append(_run_on(group))
            group = []
    if group:
        runon.append(_run_on(group))
    head = "Long-text benchmark report\n\nBench Writer | January 9, 2020 | 9:15am EST\n\n"
    out = {}
    for name, paras in (("sentences", ordinary), ("runon", runon)):
        raw = work / name / "raw"
        if raw.exists():
            shutil.rmtree(raw)
        (raw / "sources").mkdir(parents=True)
        (raw / "curated").symlink_to(REPO / "raw" / "curated", target_is_directory=True)
        (raw / "sources" / "longtext.txt").write_text(head + "\n\n".join(paras) + "\n", encoding="utf-8")
        entry = {"source_id": "longtext", "file": "sources/longtext.txt", "title": f"Long text ({name})",
                 "publisher": "benchmark", "author": None, "url": None, "published_date": "2020-01-09",
                 "retrieved_date": "2026-12-03", "license": "CC-BY-SA-4.0", "full_text_public": True,
                 "format": "news"}
        (raw / "manifest.yaml").write_text(yaml.safe_dump({"sources": [entry]}, sort_keys=False))
        out[name] = raw
    return out


def timed_build(raw: Path, out: Path, timeout: float) -> dict[str, object]:
    if out.exists():
        shutil.rmtree(out)
    env = {**os.environ, "RAW_DIR": str(raw), "OUT_DIR": str(out), "PYTHONPATH": str(REPO)}
    t0 = time.perf_counter()
    proc = subprocess.run([PY, "-m", "pipeline.cli", "build"], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    rows = next((ln for ln in proc.stdout.splitlines() if ln.startswith("rows:")), "")
    return {"wall_s": round(wall, 1), "returncode": proc.returncode, "rows": rows,
            "error": proc.stderr.strip().splitlines()[-1] if proc.returncode else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of source text")
    parser.add_argument("--paragraph", type=int, default=60_000, help="run-on paragraph length")
    parser.add_argument("--work", type=Path, default=Path("/tmp/soleimani-longtext"))
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args(argv)
    raws = make_pair(args.size, args.paragraph, args.work)
    result: dict[str, object] = {"size": args.size, "paragraph": args.paragraph}
    for name, raw in raws.items():
        text = (raw / "sources" / "longtext.txt").read_text(encoding="utf-8")
        longest = max(len(p) for p in text.split("\n"))
        result[name] = {"chars": len(text), "longest_paragraph": longest,
                        **timed_build(raw, args.work / name / "out", args.timeout)}
        print(name, json.dumps(result[name]), flush=True)
    s, r = result["sentences"], result["runon"]
    assert isinstance(s, dict) and isinstance(r, dict)
    result["ratio"] = round(float(r["wall_s"]) / float(s["wall_s"]), 2)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
