"""The seeds' build scored against an independent careful reading (tests/expected/*_seeds_independent.yaml).

Issue 13 sets bars on such a reading (events recall 0.85 / precision 0.92, plots 0.85 / 0.85 /
status 0.90, legal 0.90 / 0.90 / stance 0.85). This file does not fail the suite on an unmet
bar: it checks that the independent lists are well formed (every anchor stands in a seed), that
the scorer runs on the session's real build, and that no figure falls below a floor set a little
under the figures measured when the lists were written (a regression guard). The full report is
printed (run with -s) and the bars are shown next to it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "expected"
_spec = importlib.util.spec_from_file_location("eval_relations", ROOT / "bench" / "eval_relations.py")
assert _spec and _spec.loader
ev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ev)

# measured 2026-12-03: first on 80e95b3 (events 0.81/0.98, plots 0.80/1.00 status 1.00, legal
# 0.98/0.93 stance 1.00), then on e96965b (events 0.88/0.97, plots 0.95/1.00 status 1.00, legal
# 0.98/0.93 stance 1.00, persons 1.00/1.00); floors sit a few points under the later figures
FLOORS = {
    "events": {"recall": 0.84, "precision": 0.94},
    "plots": {"recall": 0.85, "precision": 0.90, "status": 0.90},
    "legal": {"recall": 0.93, "precision": 0.88, "stance": 0.90},
}
BARS = {
    "events": {"recall": 0.85, "precision": 0.92},
    "plots": {"recall": 0.85, "precision": 0.85, "status": 0.90},
    "legal": {"recall": 0.90, "precision": 0.90, "stance": 0.85},
}


def _figure(res: dict, table: str, name: str) -> float:
    s = res[table]
    return s["attr_accuracy"][name] if name in ("status", "stance") else s[name]


def test_independent_lists_are_well_formed() -> None:
    """Every anchor stands in the seeds' text; relative-dated events are there."""
    texts = ev.load_texts(ROOT / "raw")
    arts = ev.load_seeds(EXPECTED, "_independent")
    joined = "\n".join(texts.values())
    for art in arts:
        for kind in ("events", "plots", "legal"):
            for it in art[kind]:
                for a in it["anchors"]:
                    assert a in joined, f"{kind} {it['key']}: anchor not in the seeds: {a!r}"
    events = yaml.safe_load((EXPECTED / "events_seeds_independent.yaml").read_text(encoding="utf-8"))
    wiki = events["sources"]["wikipedia-assassination-of-qasem-soleimani"]
    # the independent reading counts occurrences dated only by reference to another one
    relative = [it for it in wiki if it["snippet"].startswith(("Shortly after", "In response to", "The following morning"))]
    assert len(relative) >= 5


def test_seeds_build_against_the_independent_reading(built) -> None:
    tables = ev.load_warehouse(built.paths.out_dir)
    res = ev.evaluate(ev.load_seeds(EXPECTED, "_independent"), tables, ev.load_texts(built.paths.raw_dir))
    print("\n" + ev.report(res, tables))
    for table, bars in BARS.items():
        print(table, " ".join(f"{k}={_figure(res, table, k):.2f} (bar {v})" for k, v in bars.items()))
    low = [f"{t} {k} {_figure(res, t, k):.2f} < floor {v}" for t, fl in FLOORS.items() for k, v in fl.items()
           if _figure(res, t, k) < v]
    assert not low, low
    p = res["persons"]
    assert p["recall"] >= 0.95 and p["precision"] >= 0.95 and not p["splits"], p
