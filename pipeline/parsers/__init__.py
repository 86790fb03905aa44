"""Source-format parsers: one plain function per format, normalised text to passages.

A parser takes the normalised text of one source and returns a ``ParsedSource``:
its passages (paragraphs with a section path and exact offsets) and what the
text itself says about the document (title, byline). New formats are new
modules registered in ``PARSERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.parsers.base import ParsedSource, Passage
from pipeline.parsers.news import parse_news
from pipeline.parsers.wikipedia import parse_wikipedia

PARSERS: dict[str, Callable[..., ParsedSource]] = {
    "wikipedia": parse_wikipedia,
    "news": parse_news,
}


def parse(fmt: str, text: str, *, path: Path | str = "<text>", curated_dir: Path | None = None) -> ParsedSource:
    """Parse ``text`` with the parser registered for ``fmt``."""
    return PARSERS[fmt](text, path=path, curated_dir=curated_dir)


__all__ = ["PARSERS", "ParsedSource", "Passage", "parse"]
