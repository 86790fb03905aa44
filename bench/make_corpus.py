"""Generate a synthetic corpus of N sources from the seeds' text (for benchmarks, not committed).

Mostly news-article-sized sources built from shuffled paragraphs of the seeds,
some article-sized ones with their sections reordered; names and dates are
varied so extraction sees new strings. About 10 KB per source on average.

    python bench/make_corpus.py N OUT_RAW_DIR
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "raw" / "sources"
FIRST = ["Amir", "Layla", "Hassan", "Maryam", "Omar", "Sara", "Karim", "Nadia", "Yusuf", "Leila", "David", "Emma"]
LAST = ["Rahimi", "Haddad", "Karimi", "Jafari", "Mansour", "Nouri", "Sadeghi", "Carter", "Miller", "Ahmadi"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _vary(text: str, rng: random.Random) -> str:
    """Swap a few person names and shift years, so each source has new strings."""
    for name in ("Lana Marks", "Farhad Shakeri", "Asif Merchant", "Shahram Poursafi"):
        text = text.replace(name, f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    shift = rng.choice([0, 0, 1, -1])
    if shift:
        text = re.sub(r"\b(20[12]\d)\b", lambda m: str(int(m.group(1)) + shift), text)
    return text


def _news(paragraphs: list[str], rng: random.Random, i: int) -> str:
    body: list[str] = []
    size = 0
    target = rng.randint(5_000, 11_000)
    while size < target:
        p = _vary(rng.choice(paragraphs), rng)
        body.append(p)
        size += len(p)
    month = rng.choice(MONTHS)
    byline = f"{rng.choice(FIRST)} {rng.choice(LAST)} | {month} {rng.randint(1, 28)}, 2020 | 9:{rng.randint(10, 59)}am EST"
    return f"Synthetic report {i} on the Soleimani strike\n\n{byline}\n\n" + "\n\n".join(body) + "\n"


def _article(wiki: str, rng: random.Random, i: int) -> str:
    head, *sections = re.split(r"\n(?=== [^=])", wiki)
    rng.shuffle(sections)
    keep = sections[: max(2, len(sections) // 2)]
    return _vary(head.replace("= Assassination of Qasem Soleimani =", f"= Synthetic article {i} =", 1)
                 + "\n" + "\n".join(keep), rng)


def make_corpus(n: int, out: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    wiki = (SEEDS / "wikipedia-assassination-of-qasem-soleimani.txt").read_text()
    news = (SEEDS / "cnsnews-zarif-book-not-closed-2020-09-22.txt").read_text()
    paragraphs = [p for p in (wiki + "\n" + news).split("\n") if len(p) > 200 and not p.startswith(("=", "-"))]
    if out.exists():
        shutil.rmtree(out)
    (out / "sources").mkdir(parents=True)
    shutil.copytree(REPO / "raw" / "curated", out / "curated")
    entries = []
    for i in range(n):
        is_article = i % 20 == 19  # about 5% article-sized sources
        sid = f"synthetic-{i:05d}"
        text = _article(wiki, rng, i) if is_article else _news(paragraphs, rng, i)
        (out / "sources" / f"{sid}.txt").write_text(text)
        entries.append({
            "source_id": sid, "file": f"sources/{sid}.txt", "title": f"Synthetic source {i}",
            "publisher": "benchmark", "author": None, "url": None,
            "published_date": "2020-06-01" if not is_article else None, "retrieved_date": "2026-11-21",
            "license": "CC-BY-SA-4.0", "full_text_public": True, "format": "wikipedia" if is_article else "news",
        })
    (out / "manifest.yaml").write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
    return out


if __name__ == "__main__":
    make_corpus(int(sys.argv[1]), Path(sys.argv[2]))
