"""publish/plugins/fast_rows.py: the grid rows written in Python are the markup Datasette's own
templates write (same tags, classes, escaping; only whitespace between tags may differ), and the
release's table, row and canned-query pages use them.

The reference is Datasette's installed ``_table.html`` and ``query.html`` rendered by Jinja with
autoescape, on cells chosen to hit every branch: markup kept as is, text with ``<&"'`` escaped,
``None`` and numbers, and column names that ``to_css_class`` must hash or strip.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import datasette
import jinja2
from datasette.utils import to_css_class
from markupsafe import Markup
from test_publish import fixture_build, fresh_app, site  # noqa: F401  (fixtures reused)

from pipeline.paths import REPO_ROOT

PLUGIN = REPO_ROOT / "publish" / "plugins" / "fast_rows.py"
DATASETTE_TEMPLATES = Path(datasette.__file__).parent / "templates"
CELLS = [
    ("event_id", "pk", Markup('<a href="/db/events/e1">e1</a>')),
    ("summary", "str", 'Strike near <Baghdad> & "the airport" \'at night\''),
    ("killed", "int", 10),
    ("date precision", "str", None),  # a name with a space: to_css_class appends a hash
    ("Quote/Text", "str", Markup("&nbsp;")),
]


def _plugin() -> Any:
    spec = importlib.util.spec_from_file_location("fast_rows", PLUGIN)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _norm(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _env(*dirs: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in dirs]), autoescape=True)
    env.filters["to_css_class"] = to_css_class
    env.globals["zip"] = zip
    _plugin().prepare_jinja2_environment(env)
    return env


def _tbody(html: str) -> str:
    return _norm(html[html.index("<tbody>"): html.index("</tbody>") + len("</tbody>")])


def test_table_rows_are_datasettes_markup() -> None:
    rows = [[{"column": c, "value_type": t, "value": v} for c, t, v in CELLS]] * 3
    columns = [{"name": c, "sortable": False, "is_pk": t == "pk", "type": "TEXT", "notnull": 0,
                "description": None} for c, t, _ in CELLS]
    context = {"display_rows": rows, "display_columns": columns}
    theirs = _env(DATASETTE_TEMPLATES).get_template("_table.html").render(context)
    ours = _env(REPO_ROOT / "publish" / "templates", DATASETTE_TEMPLATES).get_template("_table.html").render(context)
    assert "soleimani_rows_html" in (REPO_ROOT / "publish" / "templates" / "_table.html").read_text(encoding="utf-8")
    assert _tbody(ours) == _tbody(theirs)
    assert "&lt;Baghdad&gt; &amp; &#34;the airport&#34; &#39;at night&#39;" in ours
    assert ours.count("<tr>") == 4  # the header row and three rows
    assert _norm(ours.replace(_tbody(ours), "")) == _norm(theirs.replace(_tbody(theirs), ""))  # the rest unchanged


def test_query_rows_are_datasettes_markup() -> None:
    columns = [c for c, _, _ in CELLS]
    rows = [[v for _, _, v in CELLS], ["x", "y", 0, "", Markup("<b>b</b>")]]
    plugin = _plugin()
    env = jinja2.Environment(autoescape=True)
    env.filters["to_css_class"] = to_css_class
    reference = env.from_string(  # the loop of Datasette's query.html
        '{% for row in display_rows %}<tr>{% for column, td in zip(columns, row) %}'
        '<td class="col-{{ column|to_css_class }}">{{ td }}</td>{% endfor %}</tr>{% endfor %}'
    ).render(display_rows=rows, columns=columns, zip=zip)
    assert _norm(plugin.query_rows_html(columns, rows)) == _norm(reference)
    # The release's query.html is Datasette's with only that loop replaced.
    ours = (REPO_ROOT / "publish" / "templates" / "query.html").read_text(encoding="utf-8")
    original = (DATASETTE_TEMPLATES / "query.html").read_text(encoding="utf-8")
    assert "{% for column, td in zip(columns, row) %}" in original
    assert "{% for column, td in zip(columns, row) %}" not in ours and "soleimani_query_rows_html" in ours


def test_release_pages_use_the_python_rows(fresh_app: Callable[..., Any]) -> None:  # noqa: F811
    get = fresh_app(total_mb=0)
    page = get("/soleimani/events?_size=3")
    assert page.status_code == 200
    body = page.text[page.text.index("<tbody>"): page.text.index("</tbody>")]
    assert body.count("<tr>") == 3 and 'class="col-event_type type-str"' in body
    canned = get("/soleimani/legal_positions_with_quotes")
    assert canned.status_code == 200 and '<td class="col-stance">' in canned.text
    row_id = get("/soleimani/events.json?_size=1&_shape=array").json()[0]["event_id"]
    row = get(f"/soleimani/events/{row_id}")
    assert row.status_code == 200 and f'<td class="col-event_id type-str">{row_id}</td>' in row.text
