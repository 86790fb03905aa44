"""Reading source bytes into the normalised text every offset refers to.

Normalisation (per the contract): UTF-8, no BOM, NFC, ``\\n`` newlines. Offsets
in every table are offsets into the string this module returns.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from pipeline.errors import SourceError

# Refuse sources larger than this: the whole text is held in memory several times.
MAX_SOURCE_BYTES = 20 * 1024 * 1024


def normalise_text(text: str) -> str:
    """Return ``text`` with BOM removed, newlines unified and NFC applied."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode_source(data: bytes, path: Path | str) -> str:
    """Decode raw bytes of a source file, failing with one clear line."""
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(
            f"file is {len(data):,} bytes, over the limit of {MAX_SOURCE_BYTES:,} bytes", path
        )
    if not data.strip():
        raise SourceError("file is empty", path)
    if b"\x00" in data:
        raise SourceError("file is binary (contains NUL bytes), expected UTF-8 text", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"not valid UTF-8 (byte {exc.start})", path, line) from None
    return normalise_text(text)


def read_source(path: Path) -> tuple[str, str]:
    """Read a source file; return (normalised text, sha256 of the raw bytes)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("file not found", path) from None
    except IsADirectoryError:
        raise SourceError("is a directory, expected a text file", path) from None
    return decode_source(data, path), hashlib.sha256(data).hexdigest()
