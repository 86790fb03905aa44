"""The clause layer's vocabulary, read once from ``raw/curated/clause_cues.yaml``.

What belongs here: loading and checking the curated words (attribution cues, document and relay
nouns, caveats, negating verbs, condition marks, hedges, coreference titles, group nouns). The rules
that use them live in the other modules of this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline import yamlload
from pipeline.errors import CuratedDataError
from pipeline.ids import slugify

DEFAULT_CURATED = Path(__file__).resolve().parents[3] / "raw" / "curated"
FILE = "clause_cues.yaml"


@dataclass(frozen=True)
class Lexicon:
    cue_verbs: frozenset[str]
    cue_adverbs: frozenset[str]
    according: tuple[tuple[str, ...], ...]
    citing: frozenset[str]
    document_nouns: frozenset[str]
    author_preps: frozenset[str]
    relay_nouns: frozenset[str]
    caveat_verbs: frozenset[str]
    caveat_objects: frozenset[str]
    negating_verbs: frozenset[str]
    condition_marks: tuple[str, ...]
    hedge_modals: frozenset[str]
    hedge_words: frozenset[str]
    hedge_verbs: frozenset[str]
    coref_titles: frozenset[str]
    telling_nouns: frozenset[str]
    content_nouns: frozenset[str]
    author_verbs: frozenset[str]
    group_nouns: frozenset[str] = frozenset()
    comitatives: frozenset[str] = frozenset()
    media_orgs: frozenset[str] = frozenset()  # ids of curated organizations of kind media: outlets, relays


def _media_orgs(path: Path) -> frozenset[str]:
    """Ids of the curated organizations whose kind is ``media`` (``organizations.yaml`` beside the clause
    cues): a source naming one ("..., Al Jazeera reported") is an outlet however its name is spelled."""
    try:
        doc = yamlload.safe_load(path.read_text(encoding="utf-8")) or {}
    except (FileNotFoundError, yaml.YAMLError):
        return frozenset()
    orgs = doc.get("organizations", []) if isinstance(doc, dict) else []
    return frozenset(str(o.get("id") or slugify(str(o["name"]))) for o in orgs
                     if isinstance(o, dict) and o.get("kind") == "media" and o.get("name"))


def _words(doc: Any, path: Path, *keys: str) -> frozenset[str]:
    cur = doc
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            raise CuratedDataError(f"missing key {'.'.join(keys)}", path)
        cur = cur[k]
    if not isinstance(cur, list):
        raise CuratedDataError(f"{'.'.join(keys)} must be a list", path)
    return frozenset(str(w).lower() for w in cur)


@lru_cache(maxsize=4)
def load_lexicon(curated_dir: Path | None = None) -> Lexicon:
    """The clause vocabulary of ``curated_dir`` (default: the repository's ``raw/curated``)."""
    path = (curated_dir or DEFAULT_CURATED) / FILE
    try:
        doc = yamlload.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CuratedDataError("curated file missing", path) from exc
    except yaml.YAMLError as exc:
        raise CuratedDataError(f"not valid YAML: {exc}", path) from exc
    try:
        according = tuple(tuple(str(w).lower() for w in seq) for seq in doc["attribution"]["according"])
        marks = tuple(sorted((str(m).lower() for m in doc["condition_marks"]), key=len, reverse=True))
    except (KeyError, TypeError) as exc:
        raise CuratedDataError(f"malformed clause cues ({exc})", path) from exc
    return Lexicon(
        cue_verbs=_words(doc, path, "attribution", "verbs"),
        cue_adverbs=_words(doc, path, "attribution", "adverbs"),
        according=according,
        citing=_words(doc, path, "attribution", "citing"),
        document_nouns=_words(doc, path, "attribution", "document_nouns"),
        author_preps=_words(doc, path, "attribution", "author_preps"),
        relay_nouns=_words(doc, path, "relay_nouns"),
        caveat_verbs=_words(doc, path, "caveat", "verbs"),
        caveat_objects=_words(doc, path, "caveat", "objects"),
        negating_verbs=_words(doc, path, "negating_verbs"),
        condition_marks=marks,
        hedge_modals=_words(doc, path, "hedge_modals"),
        hedge_words=_words(doc, path, "hedge_words"),
        hedge_verbs=_words(doc, path, "hedge_verbs"),
        coref_titles=_words(doc, path, "coref_titles"),
        telling_nouns=_words(doc, path, "telling_nouns"),
        author_verbs=_words(doc, path, "attribution", "author_verbs"),
        group_nouns=_words(doc, path, "group_nouns"),
        comitatives=_words(doc, path, "comitatives"),
        media_orgs=_media_orgs(path.with_name("organizations.yaml")),
        content_nouns=_words(doc, path, "attribution", "document_nouns") | _words(doc, path, "attribution",
                                                                                 "content_nouns"),
    )
