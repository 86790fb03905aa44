"""A real browser against a real Datasette server serving a release.

Headless Debian chromium (``/usr/bin/chromium``) driven by Playwright; the
server is ``pipeline.serve.datasette_command`` in a subprocess on a free port.
Requests leaving the server are blocked, so the test also proves the site works
offline (map tiles aside: the map's container is checked, not its tiles).
Screenshots go to ``test-artifacts/``. The build under test is the ``site``
fixture of ``test_publish`` (fixture data, or the real build with PUBLISH_TESTS_ON=real).
"""

from __future__ import annotations

import csv
import io
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_publish import fixture_build, search_term, site, top_person  # noqa: F401  (fixtures reused)

from pipeline.paths import REPO_ROOT, Paths
from pipeline.publish import DB_FILE
from pipeline.serve import datasette_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian chromium not installed (make chromium / apt-get install chromium)"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(site: Paths, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    port = free_port()
    log = tmp_path_factory.mktemp("datasette") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(datasette_command(site.site_dir, port=port), stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("datasette did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})

        def local_only(route: object) -> None:  # offline: nothing but the server under test
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith(server) or url.startswith("data:"):
                route.continue_()  # type: ignore[attr-defined]
            else:
                route.abort()  # type: ignore[attr-defined]

        context.route("**/*", local_only)
        pg = context.new_page()
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))  # type: ignore[attr-defined]
        yield pg
        context.close()
        browser.close()


def count(site: Paths, sql: str, *params: object) -> int:  # noqa: F811
    conn = sqlite3.connect(site.site_dir / DB_FILE)
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    finally:
        conn.close()


def shot(pg: object, name: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_home_page_version_and_chart(page: object, server: str, site: Paths) -> None:  # noqa: F811
    pg = page
    version = (site.site_dir / "downloads" / "VERSION").read_text().strip()
    pg.goto(server + "/")  # type: ignore[attr-defined]
    assert pg.locator("#release-version").inner_text() == version  # type: ignore[attr-defined]
    assert version in pg.locator("footer").inner_text()  # type: ignore[attr-defined]
    charted = count(site, "select count(*) from events where date_start is not null and date_precision in ('day','month')")
    if charted:
        bars = pg.locator("#timeline-chart svg rect.bar")  # type: ignore[attr-defined]
        assert bars.count() >= 1
        box = bars.first.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0  # drawn, not just present
    shot(pg, "home")
    assert pg.errors == []  # type: ignore[attr-defined]


def test_search(page: object, server: str, site: Paths) -> None:  # noqa: F811
    pg = page
    term = search_term(site)
    pg.goto(server + "/")  # type: ignore[attr-defined]
    pg.fill("#site-search-input", term)  # type: ignore[attr-defined]
    pg.press("#site-search-input", "Enter")  # type: ignore[attr-defined]
    pg.wait_for_url("**/passages?_search=*")  # type: ignore[attr-defined]
    rows = pg.locator("table.rows-and-columns tbody tr")  # type: ignore[attr-defined]
    assert rows.count() >= 1
    assert term.lower() in rows.first.inner_text().lower()
    shot(pg, "search")


def test_facet_events_by_type(page: object, server: str, site: Paths) -> None:  # noqa: F811
    pg = page
    if not count(site, "select count(*) from events"):
        pytest.skip("no events in this build")
    pg.goto(server + "/soleimani/events")  # event_type is a default facet (metadata)  # type: ignore[attr-defined]
    facet = pg.locator('.facet-info[data-column="event_type"]')  # type: ignore[attr-defined]
    assert facet.count() == 1
    link = facet.locator("li a").first
    value = link.inner_text().strip()
    link.click()
    pg.wait_for_url("**event_type=*")  # type: ignore[attr-defined]
    rows = pg.locator("table.rows-and-columns tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == min(count(site, "select count(*) from events where event_type = ?", value), 50)
    shot(pg, "facet-event-type")


def test_next_page_facets_count_every_row_of_the_table(page: object, server: str, site: Paths) -> None:  # noqa: F811
    # publish/plugins/facet_counts.py: page 2 counts what its header counts, not the rows after page 1
    pg = page
    conn = sqlite3.connect(site.site_dir / DB_FILE)
    try:
        per_source = sorted(r[0] for r in conn.execute("select count(*) from person_mentions group by source_id"))
    finally:
        conn.close()
    if sum(per_source) <= 50 or len(per_source) > 30:
        pytest.skip("needs more than one page and every source in the facet")
    pg.goto(server + "/soleimani/person_mentions?_sort=char_start")  # type: ignore[attr-defined]
    pg.locator('a[href*="_next="]').first.click()  # type: ignore[attr-defined]
    pg.wait_for_url("**_next=*")  # type: ignore[attr-defined]
    items = pg.locator('.facet-info[data-column="source_id"] li').all_inner_texts()  # type: ignore[attr-defined]
    shown = sorted(int(text.split()[-1].replace(",", "")) for text in items)
    assert shown == per_source, (shown, per_source)
    assert pg.locator("table.rows-and-columns tbody tr").count() == min(50, sum(per_source) - 50)  # type: ignore[attr-defined]
    shot(pg, "next-page-facets")


def test_person_dossier(page: object, server: str, site: Paths) -> None:  # noqa: F811
    pg = page
    person = top_person(site)
    pg.goto(server + "/")  # type: ignore[attr-defined]
    pg.locator("a", has_text="dossier").first.click()  # type: ignore[attr-defined]
    pg.wait_for_url(f"**/person_dossier?person_id={person}")  # type: ignore[attr-defined]
    rows = pg.locator("table.rows-and-columns tbody tr")  # type: ignore[attr-defined]
    mentions = count(site, "select count(*) from person_mentions where person_id = ?", person)
    assert rows.count() >= min(mentions, 1)
    assert "mention" in pg.locator("table.rows-and-columns").inner_text()  # type: ignore[attr-defined]
    shot(pg, "person-dossier")


def test_map_of_events(page: object, server: str, site: Paths) -> None:  # noqa: F811
    pg = page
    pg.goto(server + "/soleimani/events_map")  # type: ignore[attr-defined]
    scripts = pg.locator("script[src*='datasette-cluster-map']")  # type: ignore[attr-defined]
    assert scripts.count() == 1
    if count(site, "select count(*) from events_map"):
        pg.wait_for_selector(".leaflet-container", timeout=15000)  # type: ignore[attr-defined]
        # markers arrive after the plugin fetched the rows as JSON
        pg.wait_for_selector(".leaflet-marker-icon, .marker-cluster", timeout=15000)  # type: ignore[attr-defined]
    shot(pg, "events-map")


def test_download_csv(page: object, server: str, site: Paths, tmp_path: Path) -> None:  # noqa: F811
    pg = page
    pg.goto(server + "/downloads/")  # type: ignore[attr-defined]
    shot(pg, "downloads")
    with pg.expect_download() as info:  # type: ignore[attr-defined]
        pg.click("a.csv-download[href='/downloads/events.csv']")  # type: ignore[attr-defined]
    target = tmp_path / "events.csv"
    info.value.save_as(str(target))
    data = target.read_bytes()
    assert data == (site.site_dir / "downloads" / "events.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == count(site, "select count(*) from events")
    if rows:
        assert rows[0]["event_id"] and rows[0]["quote"]
    shutil.copyfile(target, ARTIFACTS / "downloaded-events.csv")


def test_row_page_shows_the_quote_marked_in_its_passage(page: object, server: str, site: Paths) -> None:  # noqa: F811
    """Issue 14: an event's page shows its quote highlighted inside its passage, with its source; a
    claim of a source whose text is not public shows the quote alone."""
    pg = page
    with sqlite3.connect(site.site_dir / DB_FILE) as conn:
        row = conn.execute(
            "select e.event_id, e.quote, p.text, s.title from events e join passages p using (passage_id) "
            "join sources s on s.source_id = e.source_id where s.full_text_public and e.mention_count > 1 "
            "order by e.disputed desc, e.event_id limit 1").fetchone()
        closed = conn.execute(
            "select c.claim_id, c.quote from claims c join sources s using (source_id) "
            "where not s.full_text_public order by c.claim_id limit 1").fetchone()
    if row is None:
        pytest.skip("no event told twice from a public source in this build")
    event_id, quote, passage, title = row
    pg.goto(f"{server}/soleimani/events/{event_id}")  # type: ignore[attr-defined]
    block = pg.locator(".evidence blockquote.evidence-passage")  # type: ignore[attr-defined]
    assert block.locator("mark").inner_text() == quote
    assert block.inner_text() == passage  # the whole paragraph around it
    mark_box = block.locator("mark").bounding_box()
    assert mark_box and mark_box["width"] > 0
    assert title in pg.locator(".evidence-source").inner_text()  # type: ignore[attr-defined]
    assert pg.locator(".evidence-tellings li").count() >= 1  # type: ignore[attr-defined]
    shot(pg, "event-evidence")
    if closed is not None:
        pg.goto(f"{server}/soleimani/claims/{closed[0]}")  # type: ignore[attr-defined]
        block = pg.locator(".evidence blockquote.evidence-passage")  # type: ignore[attr-defined]
        assert block.inner_text() == closed[1] and block.locator("mark").inner_text() == closed[1]
    assert pg.errors == []  # type: ignore[attr-defined]


def test_disputes_page_lists_values_side_by_side(page: object, server: str, site: Paths) -> None:  # noqa: F811
    pg = page
    disputed = count(site, "select count(*) from claims where disputed")
    pg.goto(server + "/soleimani/disputes")  # type: ignore[attr-defined]
    rows = pg.locator("table.rows-and-columns tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == min(disputed, 1000)
    if disputed:
        text = pg.locator("table.rows-and-columns").inner_text()  # type: ignore[attr-defined]
        with sqlite3.connect(site.site_dir / DB_FILE) as conn:
            values = conn.execute("select distinct value from claims where disputed limit 5").fetchall()
        assert all(v[0] in text for v in values)
    shot(pg, "disputes")
