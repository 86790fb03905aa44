"""A copy of a built release folder with this checkout's serving: what belongs here is only that copy.

``python bench/serve_site.py SRC DST`` copies the release in ``SRC`` (say the N=1,000 build's
``OUT/publish/site``, symlinks followed) to ``DST``, replaces its committed serving assets
(``publish/plugins``, ``publish/templates``, ``publish/settings.json``) with this checkout's, and
creates this checkout's serving indexes in the copy's database (``pipeline.serving_indexes``, the
same call ``write_sqlite`` makes at publish), then ``ANALYZE``. Rows are not touched. So serving
changes can be measured on a big release without rebuilding it (~8 min at N=1,000), before/after
on the same data: ``bench/run.py --only distinct --load-site SRC`` against ``--load-site DST``.
Indexes of the source's build that this checkout no longer makes stay in the copy (a fresh build
would not have them).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.paths import PUBLISH_ASSETS  # noqa: E402
from pipeline.publish import ASSET_DIRS, DB_FILE, DEFAULT_SORT, SETTINGS_FILE, _facets  # noqa: E402
from pipeline.serving_indexes import create_serving_indexes, serving_indexes  # noqa: E402
from schemas.dictionary import load_dictionary  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    args = parser.parse_args()
    if not (args.src / DB_FILE).exists():
        print(f"{args.src}: no {DB_FILE} (not a release folder)", file=sys.stderr)
        return 1
    if args.dst.exists():
        print(f"{args.dst}: exists; give a new folder", file=sys.stderr)
        return 1
    shutil.copytree(args.src, args.dst, symlinks=False)
    for name in ASSET_DIRS:
        if name == "static" or not (PUBLISH_ASSETS / name).is_dir():
            continue
        shutil.rmtree(args.dst / name, ignore_errors=True)
        shutil.copytree(PUBLISH_ASSETS / name, args.dst / name)
    shutil.copy(PUBLISH_ASSETS / SETTINGS_FILE, args.dst / SETTINGS_FILE)
    dictionary = load_dictionary()
    facets = {n: [f for f in _facets(t, dictionary) if isinstance(f, str)] for n, t in dictionary.tables.items()}
    filters = {n: [c for c, _, _ in t.foreign_keys] + facets[n] for n, t in dictionary.tables.items()}
    t0 = time.perf_counter()
    conn = sqlite3.connect(args.dst / DB_FILE)
    try:
        made = create_serving_indexes(conn, serving_indexes(dictionary, DEFAULT_SORT, filters, facets))
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()
    print(f"{args.dst}: this checkout's plugins, templates and settings; {made} new indexes "
          f"({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
