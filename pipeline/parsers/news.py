"""Parser for news articles saved as plain text from a web page.

Layout understood: the headline on the first line; a byline
``Author | Month D, YYYY | H:MMam TZ``; body paragraphs, one per line; short
unpunctuated lines as sub-headings. Page chrome (patterns in
``raw/curated/news_chrome.yaml``), photo captions and their repeats, and the
residue of a stripped dateline are not article text and are dropped.

Strict interpretation: a file whose first two lines are not a headline and a byline is still
read (as headline and paragraphs), with a warning naming the file and line for the build
report; a file with no paragraph after its headline cannot be read as an article and fails
with a one-line ``ParseError``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline import yamlload
from pipeline.errors import CuratedDataError, ParseError
from pipeline.parsers.base import ParsedSource, Passage, iter_lines, trimmed_span

DEFAULT_CURATED = Path(__file__).resolve().parents[2] / "raw" / "curated"

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
BYLINE_RE = re.compile(
    rf"^(?P<author>[^|]{{2,80}}?)\s*\|\s*(?P<date>(?:{MONTHS})\s+\d{{1,2}},\s+\d{{4}})"
    r"(?:\s*\|\s*(?P<time>\d{1,2}:\d{2})\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<tz>[A-Z]{2,5})?)?\s*$",
    re.IGNORECASE,
)
SENTENCE_END_RE = re.compile(r"[.!?:;,][\"”’')\]]*$|[\"”]$")
# A headline is one short line; a longer one, or one ending as a sentence does, is body text.
HEADLINE_MAX_CHARS = 300


@lru_cache(maxsize=8)
def _chrome_rules(curated_dir: Path) -> tuple[list[re.Pattern[str]], re.Pattern[str], re.Pattern[str]]:
    path = curated_dir / "news_chrome.yaml"
    try:
        data = yamlload.safe_load(path.read_text(encoding="utf-8"))
        drops = [re.compile(rf"^(?:{p})$", re.IGNORECASE) for p in data["drop_lines"]]
        caption = re.compile(data["caption_suffix"], re.IGNORECASE)
        residue = re.compile(data["dateline_residue"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise CuratedDataError(f"cannot read news chrome rules: {exc}", path) from None
    return drops, caption, residue


def _to_24h(hhmm: str, ampm: str | None) -> str:
    hour, minute = (int(x) for x in hhmm.split(":"))
    if ampm:
        pm = ampm.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    return f"{hour:02d}:{minute:02d}"


def parse_news(text: str, *, path: Path | str = "<text>", curated_dir: Path | None = None) -> ParsedSource:
    """Split a news article into headline and body passages, dropping page chrome."""
    drops, caption_re, residue_re = _chrome_rules(curated_dir or DEFAULT_CURATED)
    lines = [(n, s, e) for n, s, e in iter_lines(text) if text[s:e].strip()]
    stripped = [text[s:e].strip() for _, s, e in lines]
    result = ParsedSource(passages=[])
    section = "Body"
    body_started = False
    for i, (number, start, end) in enumerate(lines):
        line = stripped[i]
        s, e = trimmed_span(text, start, end)
        if result.title is None:
            if len(line) > HEADLINE_MAX_CHARS or re.search(r"[.!?]$", line):
                result.warnings.append(f"{path}:{number}: first line is not a headline "
                                       f"(read as one anyway): {line[:60]!r}")
            result.title = line
            result.passages.append(Passage("Headline", s, e, text[s:e], "headline"))
            continue
        if i == 1 and not BYLINE_RE.match(line):
            result.warnings.append(f"{path}:{number}: expected a byline 'Author | Month D, YYYY | H:MMam TZ' "
                                   f"after the headline, found {line[:60]!r}")
        if not body_started:
            m = BYLINE_RE.match(line)
            if m:
                result.author = m.group("author").strip()
                result.published_date = dt.datetime.strptime(
                    re.sub(r"\s+", " ", m.group("date")), "%B %d, %Y"
                ).date().isoformat()
                if m.group("time"):
                    result.published_time = _to_24h(m.group("time"), m.group("ampm"))
                continue
        if any(p.match(line) for p in drops):
            continue
        repeated = (i > 0 and stripped[i - 1] == line) or (i + 1 < len(lines) and stripped[i + 1] == line)
        if caption_re.search(line) or (repeated and not body_started):
            continue
        if not body_started:
            m = residue_re.match(text[s:e])
            if m:
                s += m.end()
            body_started = True
        is_heading = (
            len(line) <= 120 and len(line.split()) <= 20 and not SENTENCE_END_RE.search(line)
            and i + 1 < len(lines)
        )
        if is_heading:
            section = "Body > " + line.strip("‘’'\"“” ")
            continue
        result.passages.append(Passage(section, s, e, text[s:e], "paragraph"))
    if result.published_date is None:
        result.warnings.append(f"{path}: no byline with a date found")
    if not any(p.kind == "paragraph" for p in result.passages):
        first = lines[0][0] if lines else None
        raise ParseError("no article text: nothing but a headline, byline and page chrome", path, first)
    return result
