"""The project's own error types: every failure a user can cause is one of these.

Each error renders as one line naming the file (and line, where it applies) so a
maintainer can fix the input without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """Base class: a problem with inputs or data that stops the build."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return f"{type(self).__name__}: {where}{self.message}"


class SourceError(PipelineError):
    """A source file cannot be read as normalised UTF-8 text."""


class ManifestError(PipelineError):
    """The manifest is malformed or inconsistent with the files."""


class ParseError(PipelineError):
    """A parser met text it does not understand (strict interpretation)."""


class CuratedDataError(PipelineError):
    """A curated reference file under raw/curated is malformed."""


class ValidationFailed(PipelineError):
    """A table broke its schema; the message names table, column, row and rule."""
