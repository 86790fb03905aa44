"""The source manifest (``raw/manifest.yaml``): reading, checking, adding entries.

Each entry carries the contract's source metadata; hashes are computed from
the files, never typed by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline import yamlload
from pipeline.errors import ManifestError

FORMATS = ("wikipedia", "news")
REQUIRED = ("source_id", "file", "title", "format")
SOURCE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,120}$")


@dataclass(frozen=True)
class ManifestEntry:
    source_id: str
    file: str
    title: str
    publisher: str | None
    author: str | None
    url: str | None
    published_date: str | None
    retrieved_date: str | None
    license: str | None
    full_text_public: bool
    format: str


def _date_or_none(value: Any, field: str, path: Path, line: int | None) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ManifestError(f"{field} {value!r} is not an ISO date (YYYY-MM-DD)", path, line) from None


def _line_index(text: str) -> dict[str, int]:
    """Map each source_id to the manifest line where it is declared."""
    index: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.search(r"source_id:\s*['\"]?([^'\"\s#]+)", line)
        if m:
            index.setdefault(m.group(1), number)
    return index


def _inside_sources(raw_dir: Path, file: str, sid: str, manifest: Path, line: int | None) -> Path:
    """The entry's file, resolved (symlinks followed): it must lie inside RAW_DIR/sources, so that
    neither ``../``, an absolute path nor a link out of the folder makes the build read elsewhere."""
    root = (raw_dir / "sources").resolve()
    target = (raw_dir / file).resolve()
    if not target.is_relative_to(root):
        raise ManifestError(f"file {file!r} of {sid} resolves to {target}, outside {root}", manifest, line)
    return target


def load_manifest(raw_dir: Path) -> list[ManifestEntry]:
    """Read and check ``manifest.yaml`` in ``raw_dir``."""
    path = raw_dir / "manifest.yaml"
    if not path.exists():
        raise ManifestError("manifest not found", path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yamlload.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ManifestError(f"YAML syntax error: {problem}", path, line) from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ManifestError("expected a mapping with a 'sources' list", path)
    lines = _line_index(text)
    entries: list[ManifestEntry] = []
    seen: set[str] = set()
    for position, item in enumerate(data["sources"], start=1):
        if not isinstance(item, dict):
            raise ManifestError(f"entry {position} is not a mapping", path)
        sid = str(item.get("source_id") or "")
        line = lines.get(sid)
        for key in REQUIRED:
            if not item.get(key):
                raise ManifestError(f"entry {position} ({sid or '?'}) lacks '{key}'", path, line)
        if not SOURCE_ID_RE.match(sid):
            raise ManifestError(f"source_id {sid!r} is not a lowercase slug", path, line)
        if sid in seen:
            raise ManifestError(f"duplicate source_id {sid!r}", path, line)
        seen.add(sid)
        fmt = str(item["format"])
        if fmt not in FORMATS:
            raise ManifestError(
                f"unknown format {fmt!r} for {sid} (known: {', '.join(FORMATS)})", path, line
            )
        file_path = _inside_sources(raw_dir, str(item["file"]), sid, path, line)
        if not file_path.is_file():
            raise ManifestError(f"file {item['file']!r} of {sid} does not exist", path, line)
        entries.append(
            ManifestEntry(
                source_id=sid,
                file=str(item["file"]),
                title=str(item["title"]),
                publisher=item.get("publisher"),
                author=item.get("author"),
                url=item.get("url"),
                published_date=_date_or_none(item.get("published_date"), "published_date", path, line),
                retrieved_date=_date_or_none(item.get("retrieved_date"), "retrieved_date", path, line),
                license=item.get("license"),
                full_text_public=bool(item.get("full_text_public", False)),
                format=fmt,
            )
        )
    return entries


def add_source(
    raw_dir: Path,
    file: Path,
    *,
    source_id: str,
    title: str,
    fmt: str,
    publisher: str | None = None,
    author: str | None = None,
    url: str | None = None,
    published_date: str | None = None,
    retrieved_date: str | None = None,
    license: str | None = None,
    full_text_public: bool = False,
) -> Path:
    """Copy ``file`` under ``raw_dir/sources`` and append its manifest entry."""
    from pipeline.textnorm import read_source

    manifest_path = raw_dir / "manifest.yaml"
    existing = load_manifest(raw_dir) if manifest_path.exists() else []
    if any(e.source_id == source_id for e in existing):
        raise ManifestError(f"duplicate source_id {source_id!r}", manifest_path)
    if fmt not in FORMATS:
        raise ManifestError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})", manifest_path)
    read_source(file)  # refuse unreadable files before touching the manifest
    target = raw_dir / "sources" / f"{source_id}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    if file.resolve() != target.resolve():
        target.write_bytes(file.read_bytes())
    entry = {
        "source_id": source_id,
        "file": f"sources/{source_id}.txt",
        "title": title,
        "publisher": publisher,
        "author": author,
        "url": url,
        "published_date": published_date,
        "retrieved_date": retrieved_date or dt.date.today().isoformat(),
        "license": license,
        "full_text_public": full_text_public,
        "format": fmt,
    }
    text = manifest_path.read_text(encoding="utf-8") if manifest_path.exists() else "sources:\n"
    if not text.endswith("\n"):
        text += "\n"
    text += yaml.safe_dump([entry], sort_keys=False, allow_unicode=True)
    manifest_path.write_text(text, encoding="utf-8")
    load_manifest(raw_dir)  # the new manifest must still read
    return target
