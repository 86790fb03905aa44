"""Types shared by the parsers: a passage and a parsed source."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Passage:
    """One paragraph (or list item) of a source: ``text == source_text[char_start:char_end]``."""

    section: str
    char_start: int
    char_end: int
    text: str
    kind: str = "paragraph"  # paragraph | list_item | infobox | headline


@dataclass
class ParsedSource:
    """What a parser read from one source's normalised text."""

    passages: list[Passage]
    title: str | None = None
    author: str | None = None
    published_date: str | None = None  # ISO date read from a byline
    published_time: str | None = None  # HH:MM as written in the byline's zone
    warnings: list[str] = field(default_factory=list)


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def iter_lines(text: str) -> list[tuple[int, int, int]]:
    """(line_number, start, end) of every line, end excluding the newline."""
    out = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        out.append((number, pos, pos + len(line)))
        pos += len(line) + 1
    return out
