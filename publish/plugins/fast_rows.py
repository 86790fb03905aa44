"""Datasette plugin: the body of a table page's grid rendered in one Python call instead of Jinja.

What belongs here: ``rows_html`` and ``query_rows_html``, which write the ``<tbody>`` rows of
``_table.html`` (table and row pages) and of ``query.html`` (canned queries, SQL) exactly as
Datasette's templates do, and the hook that hands them to the templates.

Why: Datasette renders templates in Jinja's async mode, where every ``{{ }}`` of every cell is an
awaited step; a 50-row page of a 25-column table is ~10,000 of them, and with the ``to_css_class``
filter per cell that was about 40% of the CPU of an uncached table page (BENCHMARKS.md §4). The
markup is the same; only the whitespace between tags differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from datasette import hookimpl
from datasette.utils import to_css_class
from markupsafe import Markup, escape


def rows_html(display_rows: Iterable[Iterable[Mapping[str, Any]]]) -> Markup:
    """``<tr><td class="col-X type-Y">value</td>...</tr>`` for each row: values that are already
    markup (links, rendered cells) go in as they are, everything else is escaped, as Jinja's
    autoescape does."""
    opening: dict[tuple[str, str], str] = {}  # (column, value type) -> the cell's opening tag
    out: list[str] = []
    for row in display_rows:
        out.append("<tr>")
        for cell in row:
            key = (str(cell["column"]), str(cell["value_type"]))
            tag = opening.get(key)
            if tag is None:
                tag = opening[key] = f'<td class="col-{escape(to_css_class(key[0]))} type-{escape(key[1])}">'
            out.append(f'{tag}{escape(cell["value"])}</td>')
        out.append("</tr>\n")
    return Markup("".join(out))


def query_rows_html(columns: list[str], display_rows: Iterable[Iterable[Any]]) -> Markup:
    """The result rows of ``query.html`` (canned and arbitrary SQL): ``<td class="col-X">``
    per column, values escaped unless already markup."""
    classes = [str(escape(to_css_class(str(c)))) for c in columns]
    out: list[str] = []
    for row in display_rows:
        out.append("<tr>")
        out.extend(f'<td class="col-{c}">{escape(td)}</td>' for c, td in zip(classes, row, strict=False))
        out.append("</tr>\n")
    return Markup("".join(out))


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.globals["soleimani_rows_html"] = rows_html
    env.globals["soleimani_query_rows_html"] = query_rows_html
