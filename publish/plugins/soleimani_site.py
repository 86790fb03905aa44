"""Datasette plugin for the published site: release version everywhere, downloads page, timeline chart,
and the evidence on row pages (the quote highlighted in its passage, the source, the other tellings).

Loaded with ``--plugins-dir`` from the release folder. Everything renders
server-side (no CDN, no JavaScript needed): the home page chart is an inline
SVG computed here from the events table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response
from markupsafe import Markup

PLUGIN = "soleimani-site"
DEFAULT_DB = "soleimani"
# Colour-blind-safe palette (Okabe-Ito, then Tableau); event types keep their vocabulary order.
PALETTE = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
    "#F0E442", "#000000", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf",
]
CHART_SQL = """
select substr(date_start, 1, 7) as month, event_type, count(*) as n
from events
where date_start is not null and date_precision in ('day', 'month')
group by month, event_type
order by month, event_type
"""


def _config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


def _db_name(datasette: Any) -> str:
    return str(_config(datasette).get("database") or DEFAULT_DB)


def _downloads_dir(datasette: Any) -> Path | None:
    try:
        db = datasette.get_database(_db_name(datasette))
    except KeyError:
        return None
    if not db.path:
        return None
    return Path(db.path).parent / "downloads"


def chart_geometry(rows: list[tuple[str, str, int]], types: list[str]) -> dict[str, Any]:
    """Stacked bars (one per month that has events) as SVG rectangles; plain numbers for the template."""
    months = sorted({r[0] for r in rows})
    order = list(types) + sorted({r[1] for r in rows} - set(types))
    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(order)}
    by_month: dict[str, dict[str, int]] = {m: {} for m in months}
    for month, event_type, n in rows:
        by_month[month][event_type] = by_month[month].get(event_type, 0) + int(n)
    width, height, left, bottom, top = 900, 260, 40, 60, 10
    plot_h = height - bottom - top
    peak = max((sum(v.values()) for v in by_month.values()), default=0)
    step = (width - left - 10) / max(len(months), 1)
    bar_w = min(max(step * 0.8, 1.0), 48.0)
    bars = []
    labels = []
    every = max(1, len(months) // 24)  # at most ~24 month labels
    for i, month in enumerate(months):
        x = left + i * step + (step - bar_w) / 2
        y = float(top + plot_h)
        for event_type in order:
            n = by_month[month].get(event_type, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            bars.append(
                {
                    "x": round(x, 1), "y": round(y, 1), "w": round(bar_w, 1), "h": round(h, 1),
                    "colour": colours[event_type], "title": f"{month} {event_type}: {n}",
                    "month": month, "event_type": event_type, "n": n,
                }
            )
        if i % every == 0:
            labels.append({"x": round(x + bar_w / 2, 1), "y": height - bottom + 14, "text": month})
    ticks = []
    if peak:
        for value in sorted({round(peak * k / 4) for k in range(5)}):
            ticks.append({"y": round(top + plot_h - plot_h * value / peak, 1), "text": value})
    used = [t for t in order if any(b["event_type"] == t for b in bars)]
    return {
        "width": width, "height": height, "left": left, "base": top + plot_h,
        "bars": bars, "labels": labels, "ticks": ticks,
        "legend": [{"event_type": t, "colour": colours[t]} for t in used],
        "months": len(months), "total": sum(b["n"] for b in bars),
    }


async def _timeline_chart(datasette: Any) -> dict[str, Any] | None:
    try:
        db = datasette.get_database(_db_name(datasette))
        result = await db.execute(CHART_SQL)
    except Exception:  # no events table (e.g. another database): no chart
        return None
    rows = [(r["month"], r["event_type"], r["n"]) for r in result.rows]
    return chart_geometry(rows, list(_config(datasette).get("event_types") or []))


async def _top_person(datasette: Any) -> dict[str, Any] | None:
    """The most-mentioned person, as the example for the dossier link."""
    try:
        db = datasette.get_database(_db_name(datasette))
        result = await db.execute("select person_id, name from persons order by mention_count desc, person_id limit 1")
    except Exception:
        return None
    row = result.first()
    return {"person_id": row["person_id"], "name": row["name"]} if row else None


# Row pages that show their evidence: table -> (primary key, SQL of the row's other tellings).
# A telling row has source_id, passage_id, char_start, char_end, quote and a label.
EVIDENCE: dict[str, tuple[str, str]] = {
    "events": ("event_id", "select mention_id as id, 'event_mentions' as tbl, date_text as label, source_id, "
               "passage_id, char_start, char_end, quote from event_mentions where event_id = :id"),
    "plots": ("plot_id", "select mention_id as id, 'plot_mentions' as tbl, coalesce(status, trigger) as label, "
              "source_id, passage_id, char_start, char_end, quote from plot_mentions where plot_id = :id"),
    "legal_positions": ("position_id", "select claim_id as id, 'claims' as tbl, property || ': ' || value as label, "
                        "source_id, passage_id, char_start, char_end, quote from claims "
                        "where \"table\" = 'legal_positions' and row_id = :id"),
    "claims": ("claim_id", "select o.claim_id as id, 'claims' as tbl, o.property || ': ' || o.value as label, "
               "o.source_id, o.passage_id, o.char_start, o.char_end, o.quote from claims c join claims o "
               "on o.\"table\" = c.\"table\" and o.row_id = c.row_id and o.property = c.property "
               "where c.claim_id = :id"),
}


def highlight(passage_text: str | None, passage_start: int, start: int, end: int, quote: str) -> Markup:
    """The quote inside its passage, marked; the quote alone where the passage text is not public
    (or the offsets do not fall inside it)."""
    if passage_text is not None:
        a, b = start - passage_start, end - passage_start
        if 0 <= a <= b <= len(passage_text) and passage_text[a:b] == quote:
            return Markup("{}<mark>{}</mark>{}").format(passage_text[:a], quote, passage_text[b:])
    return Markup("<mark>{}</mark>").format(quote)


async def _evidence(datasette: Any, database: str | None, table: str | None, request: Any) -> dict[str, Any] | None:
    """What a row page of ``EVIDENCE`` shows: its quote in context, its source, its other tellings."""
    if table not in EVIDENCE or database != _db_name(datasette) or request is None:
        return None
    pk, tellings_sql = EVIDENCE[table]
    raw = (getattr(request, "url_vars", None) or {}).get("pks")
    if not raw:
        return None
    row_id = tilde_decode(raw)
    db = datasette.get_database(database)
    sql = (f'select r.source_id, r.passage_id, r.char_start, r.char_end, r.quote, p.text as passage_text, '
           f'p.char_start as passage_start, s.title, s.url, s.publisher, s.full_text_public '
           f'from "{table}" r join passages p on p.passage_id = r.passage_id join sources s on s.source_id = r.source_id '
           f'where r."{pk}" = :id')
    try:
        row = (await db.execute(sql, {"id": row_id})).first()
        others = (await db.execute(tellings_sql, {"id": row_id})).rows
        contexts = {}
        ids = sorted({o["passage_id"] for o in others})
        if ids:
            marks = ",".join(f":p{i}" for i in range(len(ids)))
            found = await db.execute(
                f"select p.passage_id, p.text, p.char_start, s.title, s.url from passages p "
                f"join sources s on s.source_id = p.source_id where p.passage_id in ({marks})",
                {f"p{i}": v for i, v in enumerate(ids)})
            contexts = {r["passage_id"]: r for r in found.rows}
    except Exception:  # another schema: no evidence block
        return None
    if row is None:
        return None
    tellings = []
    for o in others:
        if (o["passage_id"], o["char_start"], o["char_end"]) == (row["passage_id"], row["char_start"], row["char_end"]) \
                and o["tbl"] != "claims":
            continue  # the row's own telling is shown above
        ctx = contexts.get(o["passage_id"])
        tellings.append({
            "id": o["id"], "table": o["tbl"], "label": o["label"], "source_id": o["source_id"],
            "title": ctx["title"] if ctx else o["source_id"], "url": ctx["url"] if ctx else None,
            "html": highlight(ctx["text"] if ctx else None, ctx["char_start"] if ctx else 0, o["char_start"],
                              o["char_end"], o["quote"]),
        })
    return {
        "html": highlight(row["passage_text"], row["passage_start"], row["char_start"], row["char_end"], row["quote"]),
        "source_id": row["source_id"], "title": row["title"], "url": row["url"], "publisher": row["publisher"],
        "full_text_public": bool(row["full_text_public"]), "passage_id": row["passage_id"], "tellings": tellings,
    }


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, request: Any, datasette: Any) -> Any:
    async def inner() -> dict[str, Any]:
        out: dict[str, Any] = {
            "release_version": datasette.metadata("version"),
            "soleimani_db": _db_name(datasette),
        }
        if template == "index.html":
            out["timeline_chart"] = await _timeline_chart(datasette)
            out["top_person"] = await _top_person(datasette)
        if template == "row.html":
            out["evidence"] = await _evidence(datasette, database, table, request)
        return out

    return inner


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


async def downloads_page(datasette: Any, request: Any) -> Response:
    if not request.path.endswith("/"):
        return Response.redirect(request.path + "/")
    folder = _downloads_dir(datasette)
    package: dict[str, Any] = {}
    files: list[dict[str, Any]] = []
    if folder and folder.is_dir():
        pkg = folder / "datapackage.json"
        if pkg.exists():
            package = json.loads(pkg.read_text(encoding="utf-8"))
        sums: dict[str, str] = {}
        sums_file = folder / "SHA256SUMS"
        if sums_file.exists():
            for line in sums_file.read_text(encoding="utf-8").splitlines():
                digest, _, name = line.partition("  ")
                sums[name] = digest
        for path in sorted(folder.iterdir()):
            if path.is_file():
                files.append(
                    {"name": path.name, "size": _human(path.stat().st_size), "sha256": sums.get(path.name, "")}
                )
    tables = []
    for res in package.get("resources", []):
        alt = (res.get("alternates") or [{}])[0]
        tables.append(
            {
                "name": res["name"],
                "description": res.get("description", ""),
                "csv": res["path"],
                "csv_size": _human(int(res.get("bytes", 0))),
                "parquet": alt.get("path"),
                "parquet_size": _human(int(alt.get("bytes", 0))) if alt else "",
                "fields": res.get("schema", {}).get("fields", []),
                "primary_key": res.get("schema", {}).get("primaryKey", []),
            }
        )
    html = await datasette.render_template(
        "downloads.html",
        {"package": package, "tables": tables, "files": files, "metadata": datasette.metadata()},
        request=request,
    )
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    # Plugin routes are tried before the static mount, so /downloads/ is this page, files are static.
    return [(r"^/downloads/?$", downloads_page)]
