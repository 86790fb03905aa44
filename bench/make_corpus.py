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


# Adverbs slipped in after an auxiliary or before a reporting verb ("was reportedly killed",
# "later said"): every copy of a seed sentence reads differently, as retellings do. Without
# this the corpus repeats each seed sentence ~150 times at N=1000 and any cache keyed by
# sentence text (the spaCy parse cache of plots/legal) makes the benchmark look faster than
# real news would be.
ADVERBS = ["reportedly", "also", "later", "then", "still", "indeed", "apparently", "allegedly", "again",
           "subsequently", "openly", "quickly", "formally", "widely", "initially", "ultimately"]
_AUX_RE = re.compile(r"\b(was|were|been|is|are|had|has|have|be|will|would|could|should)\s+(?=[a-z]{3,}\b)")
_REPORT_RE = re.compile(r"\b(?=(said|says|told|stated|added|announced|called|described|warned)\b)")
_PAST_RE = re.compile(r"(?<=[a-z,] )(?=[a-z]{3,}ed\b)")
_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
OPENERS = ["Meanwhile", "At the time", "By then", "Notably", "In addition", "Separately", "In any case",
           "Even so", "As reported", "According to reports", "In the end", "At that point"]
# Sentence-initial words that are lower-cased after an opener; anything else (names) stays.
_LOWER_FIRST = {"The", "A", "An", "This", "That", "These", "Those", "It", "Its", "In", "On", "At", "After",
                "Before", "During", "Days", "Dozens", "Some", "Many", "Several", "Two", "Three", "Five", "He", "She", "They"}


def _diversify(paragraph: str, rng: random.Random) -> str:
    out = []
    for sent in _SENT_RE.split(paragraph):
        spots = sorted({m.end() for m in _AUX_RE.finditer(sent)} | {m.start() for m in _REPORT_RE.finditer(sent)}
                       | {m.start() for m in _PAST_RE.finditer(sent)})
        for pos in sorted(rng.sample(spots, min(2, len(spots))), reverse=True):
            sent = f"{sent[:pos]}{rng.choice(ADVERBS)} {sent[pos:]}"
        if rng.random() < 0.6:
            first, _, rest = sent.partition(" ")
            if first in _LOWER_FIRST:
                first = first.lower()
            sent = f"{rng.choice(OPENERS)}, {first} {rest}"
        out.append(sent)
    return " ".join(out)


def _vary(text: str, rng: random.Random) -> str:
    """Swap a few person names, shift years and reword sentences, so each source has new strings."""
    for name in ("Lana Marks", "Farhad Shakeri", "Asif Merchant", "Shahram Poursafi"):
        text = text.replace(name, f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    shift = rng.choice([0, 0, 1, -1])
    if shift:
        text = re.sub(r"\b(20[12]\d)\b", lambda m: str(int(m.group(1)) + shift), text)
    return "\n".join(_diversify(line, rng) if len(line) > 200 else line for line in text.split("\n"))


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
    # A copy of this tree's curated data, made with the corpus (which is made afresh for every
    # benchmark): a link into the tree made a corpus's builds change with whatever that checkout
    # held later (a rebase between a full and an incremental build invalidated every cache), and
    # made builds of another tree read this one's vocabularies.
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


def sentence_stats(raw: Path) -> dict[str, float]:
    """How repetitive a corpus is: sentences, and the share that are exact repeats of another."""
    seen: set[str] = set()
    total = repeats = 0
    for path in sorted((raw / "sources").glob("*.txt")):
        for line in path.read_text().split("\n"):
            for sent in _SENT_RE.split(line):
                if len(sent) < 40:
                    continue
                total += 1
                repeats += sent in seen
                seen.add(sent)
    return {"sentences": total, "repeated_share": round(repeats / total, 3) if total else 0.0}


if __name__ == "__main__":
    corpus = make_corpus(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{corpus}: {sentence_stats(corpus)}")
