"""Parser for Wikipedia plaintext exports.

Layout understood: ``= Title =``; ``==``/``===``/``====`` headings with or
without inner spaces; an infobox of ``- Key: Value`` lines right after the
title (each line a passage under ``Infobox``); one paragraph per line; ``- ``
list items (e.g. "See also") as passages of their own section.
A line that looks like a heading but is not well formed is a ParseError.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import ParseError
from pipeline.parsers.base import ParsedSource, Passage, iter_lines, trimmed_span

HEADING_RE = re.compile(r"^(=+)\s*(.*?)\s*(=+)\s*$")
INFOBOX_RE = re.compile(r"^-\s*[A-Z][\w .'/()-]{0,40}:\s*\S")


def parse_wikipedia(text: str, *, path: Path | str = "<text>", curated_dir: Path | None = None) -> ParsedSource:
    """Split a Wikipedia plaintext article into section-tagged passages."""
    passages: list[Passage] = []
    title: str | None = None
    stack: list[tuple[int, str]] = []  # (level, heading)
    in_infobox = False
    for number, start, end in iter_lines(text):
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("="):
            m = HEADING_RE.match(stripped)
            if not m or len(m.group(1)) != len(m.group(3)) or not m.group(2):
                raise ParseError(f"malformed heading {stripped[:60]!r}", path, number)
            level = len(m.group(1))
            heading = m.group(2).strip()
            if level == 1:
                if title is None:
                    title = heading
                    in_infobox = True
                    continue
                raise ParseError(f"second title heading {heading!r}", path, number)
            stack = [(lv, h) for lv, h in stack if lv < level]
            stack.append((level, heading))
            in_infobox = False
            continue
        s, e = trimmed_span(text, start, end)
        if in_infobox:
            if INFOBOX_RE.match(stripped):
                passages.append(Passage("Infobox", s, e, text[s:e], "infobox"))
                continue
            if stripped == title and not passages:
                continue  # the infobox caption repeats the title
            in_infobox = False
        section = " > ".join(h for _, h in stack) if stack else "Introduction"
        kind = "list_item" if stripped.startswith(("- ", "* ")) else "paragraph"
        passages.append(Passage(section, s, e, text[s:e], kind))
    return ParsedSource(passages=passages, title=title)
