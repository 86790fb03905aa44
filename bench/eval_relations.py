"""Score a build's relations (events, plots, legal positions, persons) against a careful reading.

What belongs here: reading expectations (a directory of one YAML file per article, or the
seeds' lists under ``tests/expected``), reading a build's warehouse parquet, matching rows to
expected items, and printing recall / precision per table and per article. Source texts are read
from the RAW_DIR the build read, only to place the anchors; nothing is tuned to one source.

Usage:
    python bench/eval_relations.py --expected /path/to/expected-dir --raw RAW_DIR --out OUT_DIR [-v]
    python bench/eval_relations.py --seeds tests/expected --out OUT_DIR [-v]
    python bench/eval_relations.py --seeds tests/expected --independent --out OUT_DIR [-v]

An expected file (own format, see ``tests/test_eval_relations.py`` for a tiny example)::

    source_id: some-source
    persons: [[Full Name, Surname], ...]
    events:   [{key, date, date_alt, type, type_alt, place, killed, killed_alt,
                actors: [{who: [ids or names], role, role_alt}], not_perpetrator, anchors, optional}]
    plots:    [{key, status, status_alt, target, perpetrator_or_sponsor, not_perpetrator, anchors, optional}]
    legal:    [{key, holder, stance, stance_alt, subject, anchors, optional}]

Matching: a row matches an item when one of its tellings (event_mentions / plot_mentions, or the
row's own quote) overlaps an anchor of the item in the same source; legal rows must also name
one of the item's holders. Pairs are assigned one to one, best-scoring first; a second row on an
item is a duplicate and counts against precision; a row on an ``optional`` item counts neither
way. A key left out of an item (``killed``, ``place``, ``subject``, ``perpetrator_or_sponsor``)
is not checked. Events are "right" when date, type, killed, place and actors all hold; plots when
target, status and perpetrator-or-sponsor hold; legal positions when stance and subject hold.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

Row = dict[str, Any]
AGENT_ROLES = {"perpetrator", "sponsor"}


def fold(s: str) -> str:
    """Case, accents, quotes and hyphens folded, so that names compare as a reader would."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("’", "'").replace("‘", "'").replace("-", " ")
    s = re.sub(r"'s\b", "", s)
    return re.sub(r"\s+", " ", s).strip()


def _names_hit(wanted: list[str], ident: str | None, names: list[str]) -> bool:
    """An id equal to a wanted id, or a wanted name standing as whole words in a name."""
    for w in wanted:
        if ident and ident == w:
            return True
        fw = fold(w)
        if fw and any(re.search(rf"(?<!\w){re.escape(fw)}(?!\w)", fold(n)) for n in names if n):
            return True
    return False


# ----------------------------------------------------------------------------- loading


def load_expected_dir(path: Path) -> list[Row]:
    """One article per YAML file."""
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(path.glob("*.yaml"))]


def load_seeds(path: Path, suffix: str = "") -> list[Row]:
    """The seeds' hand-checked lists, recast as articles in this scorer's format.

    ``suffix`` picks another reading of the seeds in the same format (``"_independent"``:
    ``events_seeds_independent.yaml`` and so on), whose items may also carry ``date_alt``,
    ``type_alt``, ``killed`` (events), ``perpetrator_or_sponsor`` / ``not_perpetrator`` (plots)
    and a list ``subject`` (legal). Persons come from ``persons_seeds{suffix}.yaml`` where it
    exists, else from ``persons_seeds.yaml``.
    """
    def read(name: str) -> Any:
        p = path / f"{name}{suffix}.yaml"
        return yaml.safe_load((p if p.exists() else path / f"{name}.yaml").read_text(encoding="utf-8"))

    arts: dict[str, Row] = defaultdict(lambda: {"events": [], "plots": [], "legal": [], "persons": []})
    ev = read("events_seeds")
    for sid, items in ev["sources"].items():
        groups: dict[str, list[Row]] = {}
        for i, it in enumerate(items):
            groups.setdefault(it.get("group") or f"#{i}", []).append(it)
        for key, grp in groups.items():
            first = grp[0]
            item: Row = {
                "key": key, "date": first["date"],
                "date_alt": [d for g in grp for d in ([g["date"]] if g is not first else []) + list(g.get("date_alt") or [])],
                "type": first["type"],
                "type_alt": [t for g in grp for t in ([g["type"]] if g is not first else []) + list(g.get("type_alt") or [])],
                "anchors": [g["snippet"] for g in grp], "optional": all(g.get("optional") for g in grp),
            }
            killed = [g["killed"] for g in grp if "killed" in g]
            if killed:
                item["killed"], item["killed_alt"] = killed[0], killed[1:]
            arts[sid]["events"].append(item)
    pl = read("plots_seeds")
    all_sids = list(ev["sources"])
    for it in pl["plots"]:
        for sid in it.get("sources", all_sids):
            plot: Row = {
                "key": it["key"], "status": it["status"], "status_alt": it.get("status_alt", []),
                "target": it.get("targets", []), "anchors": it["anchors"], "optional": it.get("optional", False),
                "any_source": True,
            }
            for k in ("perpetrator_or_sponsor", "not_perpetrator"):
                if it.get(k):
                    plot[k] = it[k]
            arts[sid]["plots"].append(plot)
    lg = read("legal_positions_seeds")
    for it in lg["positions"]:
        item = {"key": it["key"], "holder": it["holders"], "stance": it["stance"],
                "stance_alt": it.get("stance_alt", []), "anchors": it["anchors"], "optional": it.get("optional", False),
                "any_source": True}
        subj = it.get("subject")
        if subj:
            item["subject"] = list(subj) if isinstance(subj, list) else [subj.split()[-1]]
        for sid in all_sids:
            arts[sid]["legal"].append(dict(item))
    ps = read("persons_seeds")
    for e in ps["persons"]:
        arts[ps["sources"][e["sources"][0]]]["persons"].append(e["variants"])
    return [{"source_id": sid, **a} for sid, a in arts.items()]


def load_texts(raw_dir: Path) -> dict[str, str]:
    """Each source's normalised text (the string every offset of the build refers to)."""
    from pipeline.manifest import load_manifest
    from pipeline.textnorm import read_source

    return {e.source_id: read_source(raw_dir / e.file)[0] for e in load_manifest(raw_dir)}


def load_warehouse(out_dir: Path) -> dict[str, list[Row]]:
    """Every parquet table of a build, as lists of rows (a missing table is an empty list)."""
    import pyarrow.parquet as pq

    pdir = out_dir / "warehouse" / "parquet"
    if not pdir.is_dir():
        raise SystemExit(f"{pdir}: no warehouse parquet (build first)")
    return {p.stem: pq.read_table(p).to_pylist() for p in sorted(pdir.glob("*.parquet"))}


# ----------------------------------------------------------------------------- matching


class Warehouse:
    """Lookups over a build's tables: anchor spans, tellings per source, actor names."""

    def __init__(self, tables: dict[str, list[Row]], texts: dict[str, str]) -> None:
        self.t = tables
        self.texts = texts
        self.event_sources: dict[str, set[str]] = defaultdict(set)
        for m in tables.get("event_mentions", []):
            self.event_sources[m["event_id"]].add(m["source_id"])
        self.names: dict[str, list[str]] = {}
        for r in tables.get("persons", []):
            self.names[r["person_id"]] = [r["name"], *(r.get("aliases") or [])]
        for r in tables.get("organizations", []):
            self.names[r["org_id"]] = [r["name"], *(r.get("aliases") or [])]

    def spans(self, sid: str, item: Row, where: str) -> list[tuple[int, int]]:
        """Every place an item's anchors stand in the source's normalised text.

        An anchor found nowhere is an error, except for items of the seeds' lists that do not
        say their source (``any_source``): those belong to the sources where an anchor stands.
        """
        out = []
        for a in item["anchors"]:
            found = [(i, i + len(a)) for i in _find_all(self.texts.get(sid, ""), a)]
            if not found and not item.get("any_source"):
                raise SystemExit(f"{where}: anchor not in {sid}: {a!r}")
            out.extend(found)
        return out

    def items(self, sid: str, items: list[Row], kind: str) -> list[Row]:
        """Items with their anchor spans in one source (items told elsewhere dropped)."""
        out = [dict(it, _spans=self.spans(sid, it, f"{sid} {kind} {it['key']}")) for it in items]
        return [it for it in out if it["_spans"]]

    def tellings(self, table: str, mention_table: str, key: str, sid: str) -> dict[str, list[tuple[int, int]]]:
        """Row id -> spans of its tellings in one source (mention rows where the build has them)."""
        out: dict[str, list[tuple[int, int]]] = defaultdict(list)
        mentions = self.t.get(mention_table)
        for m in (mentions if mentions is not None else self.t.get(table, [])):
            if m["source_id"] == sid:
                out[m[key]].append((m["char_start"], m["char_end"]))
        return out

    def actors(self, table: str, key: str, row_id: str) -> list[tuple[str, str]]:
        return [(a.get("person_id") or a.get("org_id") or "", a["role"])
                for a in self.t.get(table, []) if a[key] == row_id]

    def actor_hit(self, wanted: list[str], ident: str) -> bool:
        return _names_hit(wanted, ident, self.names.get(ident, [ident]))


def _find_all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + len(needle))
    return out


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _assign(items: list[Row], rows: list[Row], fits: Any, check: Any) -> tuple[dict[int, int], list[int]]:
    """One-to-one pairs, best attribute score first; returns item->row and the duplicate rows."""
    pairs = []
    for i, it in enumerate(items):
        for j, r in enumerate(rows):
            if fits(it, r):
                pairs.append((-sum(check(it, r).values()), i, j))
    pairs.sort()
    item_row: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in pairs:
        if i not in item_row and j not in used:
            item_row[i] = j
            used.add(j)
    dup = [j for _, i, j in pairs if j not in used]
    return item_row, sorted(set(dup))


# ----------------------------------------------------------------------------- checks


def _in(value: Any, item: Row, key: str) -> bool:
    return value == item[key] or value in (item.get(f"{key}_alt") or [])


def check_event(wh: Warehouse, it: Row, r: Row) -> dict[str, bool]:
    # an event merged from several reports may carry a finer date than this report gives
    finer = len(wh.event_sources[r["event_id"]]) > 1 and str(r["date"] or "").startswith(str(it["date"]))
    out = {"date": _in(r["date"], it, "date") or finer, "type": _in(r["event_type"], it, "type")}
    if "killed" in it:
        out["killed"] = _in(r["killed"], it, "killed")
    if it.get("place"):
        where = " ".join(fold(x) for x in (r.get("location"), r.get("place_id")) if x)
        out["place"] = any(fold(p) in where for p in it["place"])
    if "actors" in it or it.get("not_perpetrator"):
        acts = wh.actors("event_actors", "event_id", r["event_id"])
        ok = all(any(wh.actor_hit(a["who"], ident) and _in(role, a, "role") for ident, role in acts)
                 for a in it.get("actors") or [])
        # an actor the reader names in one role must not stand in another agent/patient role
        for ident, role in acts:
            for a in it.get("actors") or []:
                if wh.actor_hit(a["who"], ident) and not _in(role, a, "role") and role in AGENT_ROLES | {"victim", "target"}:
                    ok = False
            if role in AGENT_ROLES and it.get("not_perpetrator") and wh.actor_hit(it["not_perpetrator"], ident):
                ok = False
        out["actors"] = ok
    return out


def check_plot(wh: Warehouse, it: Row, r: Row) -> dict[str, bool]:
    acts = wh.actors("plot_actors", "plot_id", r["plot_id"])
    text = " ".join([r.get("name") or "", r.get("summary") or ""])
    out = {"status": _in(r["status"], it, "status")}
    if it.get("target"):
        out["target"] = (any(role == "target" and wh.actor_hit(it["target"], i) for i, role in acts)
                         or _names_hit(it["target"], None, [text]))
    if it.get("perpetrator_or_sponsor"):
        agents = [i for i, role in acts if role in AGENT_ROLES] + ([r["sponsor_org_id"]] if r.get("sponsor_org_id") else [])
        ok = any(wh.actor_hit(it["perpetrator_or_sponsor"], i) for i in agents)
        bad = list(it.get("not_perpetrator") or []) + list(it.get("target") or [])
        out["perpetrator_or_sponsor"] = ok and not any(wh.actor_hit(bad, i) for i in agents)
    return out


def check_legal(wh: Warehouse, it: Row, r: Row) -> dict[str, bool]:
    out = {"stance": _in(r["stance"], it, "stance")}
    if it.get("subject"):
        out["subject"] = any(fold(s) in fold(r.get("subject") or "") for s in it["subject"])
    return out


def legal_holder_hit(wh: Warehouse, it: Row, r: Row) -> bool:
    ident = r.get("holder_person_id") or r.get("holder_org_id")
    names = [r.get("holder_name") or ""] + (wh.names.get(ident, []) if ident else [])
    return _names_hit(it["holder"], ident, names)


# ----------------------------------------------------------------------------- scoring


def score_rows(items: list[Row], rows: list[Row], fits: Any, check: Any) -> Row:
    """Hits, attribute checks and false positives of rows against items (already in one scope)."""
    item_row, dups = _assign(items, rows, fits, check)
    records, fps = [], []
    for i, it in enumerate(items):
        rec: Row = {"item": it, "row": None, "attrs": {}, "right": False}
        if i in item_row:
            r = rows[item_row[i]]
            rec.update(row=r, attrs=check(it, r))
            rec["right"] = all(rec["attrs"].values())
        records.append(rec)
    assigned = set(item_row.values())
    for j, r in enumerate(rows):
        if j in assigned:
            continue
        near = [it for it in items if fits(it, r)]
        if near and all(it.get("optional") for it in near):
            continue  # a second telling of a defensible-either-way item
        fps.append({"row": r, "near": [it["key"] for it in near], "duplicate": j in dups})
    return {"records": records, "fps": fps}


def summarize(results: list[Row]) -> Row:
    req = [rec for res in results for rec in res["records"] if not rec["item"].get("optional")]
    hit = [rec for rec in req if rec["row"] is not None]
    right = [rec for rec in hit if rec["right"]]
    fps = sum(len(res["fps"]) for res in results)
    counted = len(hit) + fps
    attrs: dict[str, list[bool]] = defaultdict(list)
    for rec in hit:
        for k, v in rec["attrs"].items():
            attrs[k].append(v)
    return {
        "expected": len(req), "matched": len(hit), "right": len(right), "false_pos": fps,
        "recall": len(hit) / len(req) if req else None, "precision": len(hit) / counted if counted else None,
        "right_recall": len(right) / len(req) if req else None,
        "right_precision": len(right) / counted if counted else None,
        "attr_accuracy": {k: sum(v) / len(v) for k, v in attrs.items()},
    }


def evaluate(articles: list[Row], tables: dict[str, list[Row]], texts: dict[str, str]) -> Row:
    """Per-table and per-article results of a build against a careful reading."""
    wh = Warehouse(tables, texts)
    events_by_id = {e["event_id"]: e for e in tables.get("events", [])}
    per_article: dict[str, Row] = {}
    for art in articles:
        sid = art["source_id"]
        res: Row = {}
        tell = wh.tellings("events", "event_mentions", "event_id", sid)
        rows = [dict(events_by_id[k], _spans=v) for k, v in tell.items() if k in events_by_id]
        items = wh.items(sid, art.get("events") or [], "event")
        res["events"] = score_rows(items, rows, lambda it, r: _overlaps(it["_spans"], r["_spans"]),
                                   lambda it, r: check_event(wh, it, r))
        rows = [dict(r, _spans=[(r["char_start"], r["char_end"])]) for r in tables.get("legal_positions", []) if r["source_id"] == sid]
        items = wh.items(sid, art.get("legal") or [], "legal")
        res["legal"] = score_rows(items, rows,
                                  lambda it, r: _overlaps(it["_spans"], r["_spans"]) and legal_holder_hit(wh, it, r),
                                  lambda it, r: check_legal(wh, it, r))
        per_article[sid] = res
    _check_told(articles, per_article)
    plots = score_plots(articles, tables, wh)
    persons = score_persons(articles, tables)
    return {
        "per_article": per_article,
        "events": summarize([r["events"] for r in per_article.values()]),
        "legal": summarize([r["legal"] for r in per_article.values()]),
        "plots": summarize([plots]), "plots_detail": plots, "persons": persons,
    }


def _check_told(articles: list[Row], per_article: dict[str, Row]) -> None:
    """An item of the seeds' lists whose anchors stand in no source is a typo in the list."""
    told = {(kind, rec["item"]["key"]) for res in per_article.values() for kind in ("events", "legal")
            for rec in res[kind]["records"]}
    for art in articles:
        for kind in ("events", "legal"):
            for it in art.get(kind) or []:
                if it.get("any_source") and (kind, it["key"]) not in told:
                    raise SystemExit(f"{kind} {it['key']}: no anchor found in any source: {it['anchors']}")


def score_plots(articles: list[Row], tables: dict[str, list[Row]], wh: Warehouse) -> Row:
    """Plots across all sources: one item per key, told by anchors in several sources."""
    merged: dict[str, Row] = {}
    for art in articles:
        for it in art.get("plots") or []:
            spans = [(art["source_id"], s) for s in wh.spans(art["source_id"], it, f"{art['source_id']} plot {it['key']}")]
            m = merged.setdefault(it["key"], dict(it, _spans=[], optional=True))
            m["_spans"].extend(spans)
            m["optional"] = m["optional"] and bool(it.get("optional"))
            if not it.get("optional"):
                m.update({k: v for k, v in it.items() if k not in ("anchors", "optional")})
    for it in merged.values():
        if not it["_spans"]:
            raise SystemExit(f"plot {it['key']}: no anchor found in any source: {it['anchors']}")
    tell: dict[str, list[tuple[str, tuple[int, int]]]] = defaultdict(list)
    mentions = tables.get("plot_mentions")
    for m in (mentions if mentions is not None else tables.get("plots", [])):
        tell[m["plot_id"]].append((m["source_id"], (m["char_start"], m["char_end"])))
    scope = {a["source_id"] for a in articles}
    rows = [dict(p, _spans=tell[p["plot_id"]]) for p in tables.get("plots", [])
            if any(s in scope for s, _ in tell[p["plot_id"]])]

    def fits(it: Row, r: Row) -> bool:
        return any(s1 == s2 and _overlaps([a], [b]) for s1, a in it["_spans"] for s2, b in r["_spans"])

    return score_rows(list(merged.values()), rows, fits, lambda it, r: check_plot(wh, it, r))


def score_persons(articles: list[Row], tables: dict[str, list[Row]]) -> Row:
    """Person rows against the union of the articles' named individuals."""
    entries: list[set[str]] = []
    for art in articles:
        for variants in art.get("persons") or []:
            vs = {fold(v) for v in variants}
            same = next((e for e in entries if e & vs), None)
            if same is not None:
                same |= vs
            else:
                entries.append(vs)
    hits: dict[int, list[str]] = defaultdict(list)
    fps = []
    for row in tables.get("persons", []):
        keys = [fold(row["name"])] + [fold(a) for a in row.get("aliases") or [] if len(a.split()) > 1]
        idx = next((i for k in keys for i, e in enumerate(entries) if k in e), None)
        if idx is None:
            fps.append(row["name"])
        else:
            hits[idx].append(row["name"])
    rows = len(tables.get("persons", []))
    return {"expected": len(entries), "matched": len(hits), "rows": rows,
            "recall": len(hits) / len(entries) if entries else None,
            "precision": (rows - len(fps)) / rows if rows else None,
            "splits": {sorted(entries[i])[0]: v for i, v in hits.items() if len(v) > 1},
            "false_pos": fps, "missed": [sorted(e)[0] for i, e in enumerate(entries) if i not in hits]}


# ----------------------------------------------------------------------------- report


def _pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:4.0f}%"


def _row_brief(kind: str, r: Row) -> str:
    if kind == "events":
        return (f"{r['date']} {r['event_type']} killed={r['killed']} loc={r.get('location')} "
                f"| {r['quote'][:110]!r}")
    if kind == "legal":
        return f"{r['holder_name']!r} {r['stance']} subj={r['subject']!r} | {r['quote'][:110]!r}"
    return f"{r['status']} {r['name']!r} | {r['quote'][:110]!r}"


def _actors_brief(tables: dict[str, list[Row]], key: str, table: str, row_id: str) -> str:
    return ", ".join(f"{a.get('person_id') or a.get('org_id')}:{a['role']}" for a in tables.get(table, []) if a[key] == row_id)


def report(result: Row, tables: dict[str, list[Row]], verbose: bool = False) -> str:
    lines = ["table    expected matched right  FP   recall precision  right-recall right-precision  attribute accuracy"]
    for t in ("events", "plots", "legal"):
        s = result[t]
        acc = " ".join(f"{k}={_pct(v).strip()}" for k, v in s["attr_accuracy"].items())
        lines.append(f"{t:8} {s['expected']:8} {s['matched']:7} {s['right']:5} {s['false_pos']:4}  {_pct(s['recall'])}"
                     f"   {_pct(s['precision'])}      {_pct(s['right_recall'])}        {_pct(s['right_precision'])}      {acc}")
    p = result["persons"]
    lines.append(f"persons  {p['expected']:8} {p['matched']:7}   -   {len(p['false_pos']):4}  {_pct(p['recall'])}   {_pct(p['precision'])}"
                 f"      splits={len(p['splits'])}")
    lines.append("")
    lines.append("per article: events right/expected (+FP), legal right/expected (+FP)")
    for sid, res in result["per_article"].items():
        e, g = summarize([res["events"]]), summarize([res["legal"]])
        lines.append(f"  {sid:60} events {e['right']}/{e['expected']} (+{e['false_pos']})  legal {g['right']}/{g['expected']} (+{g['false_pos']})")
    if not verbose:
        return "\n".join(lines)
    for sid, res in result["per_article"].items():
        lines.append(f"\n== {sid}")
        for kind in ("events", "legal"):
            for rec in res[kind]["records"]:
                it, tag = rec["item"], ("opt " if rec["item"].get("optional") else "")
                if rec["row"] is None:
                    if not it.get("optional"):
                        lines.append(f"  {kind} MISS {it['key']}: {it['anchors'][0][:90]!r}")
                    continue
                state = "OK  " if rec["right"] else "WRONG " + ",".join(k for k, v in rec["attrs"].items() if not v)
                extra = ""
                if kind == "events":
                    extra = " actors[" + _actors_brief(tables, "event_id", "event_actors", rec["row"]["event_id"]) + "]"
                lines.append(f"  {kind} {tag}{state} {it['key']}: {_row_brief(kind, rec['row'])}{extra}")
            for fp in res[kind]["fps"]:
                why = ("duplicate of " if fp["duplicate"] else "near ") + ",".join(fp["near"]) if fp["near"] else "unexpected"
                extra = ""
                if kind == "events":
                    extra = " actors[" + _actors_brief(tables, "event_id", "event_actors", fp["row"]["event_id"]) + "]"
                lines.append(f"  {kind} FP ({why}): {_row_brief(kind, fp['row'])}{extra}")
    lines.append("\n== plots (all sources)")
    pd = result["plots_detail"]
    for rec in pd["records"]:
        it = rec["item"]
        if rec["row"] is None:
            lines.append(f"  plot {'opt ' if it.get('optional') else ''}MISS {it['key']}: {it['anchors'][0][:90]!r}")
            continue
        state = "OK  " if rec["right"] else "WRONG " + ",".join(k for k, v in rec["attrs"].items() if not v)
        acts = _actors_brief(tables, "plot_id", "plot_actors", rec["row"]["plot_id"])
        lines.append(f"  plot {'opt ' if it.get('optional') else ''}{state} {it['key']}: {_row_brief('plots', rec['row'])} actors[{acts}]")
    for fp in pd["fps"]:
        acts = _actors_brief(tables, "plot_id", "plot_actors", fp["row"]["plot_id"])
        lines.append(f"  plot FP ({fp['row']['source_id']}): {_row_brief('plots', fp['row'])} actors[{acts}]")
    lines.append(f"\n== persons missed: {p['missed']}\n   persons FP: {p['false_pos']}\n   splits: {p['splits']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--expected", type=Path, help="directory of one expected YAML per article")
    src.add_argument("--seeds", type=Path, help="tests/expected (the seeds' hand-checked lists)")
    ap.add_argument("--out", type=Path, required=True, help="OUT_DIR of a build (reads OUT_DIR/warehouse/parquet)")
    ap.add_argument("--independent", action="store_true",
                    help="with --seeds: score against the independent reading (*_seeds_independent.yaml)")
    ap.add_argument("--raw", type=Path, default=Path(__file__).resolve().parents[1] / "raw",
                    help="RAW_DIR the build read (source texts, to place the anchors); default: the repo's raw/")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every item, wrong attribute and false positive")
    args = ap.parse_args(argv)
    articles = (load_expected_dir(args.expected) if args.expected
                else load_seeds(args.seeds, "_independent" if args.independent else ""))
    tables = load_warehouse(args.out)
    print(report(evaluate(articles, tables, load_texts(args.raw)), tables, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
