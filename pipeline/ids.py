"""Stable identifiers derived from content, never from row order."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def short_hash(*parts: object, length: int = 12) -> str:
    """A hex digest of the parts, joined unambiguously."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:length]


def slugify(name: str) -> str:
    """A readable slug: ``Qasem Soleimani`` -> ``qasem-soleimani``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "x-" + short_hash(name, length=8)
