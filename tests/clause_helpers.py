"""Shared helpers of the clause-layer tests: parse short texts once, read them with the layer."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipeline.extract.clauses import Clauses, SourceReader
from pipeline.extract.entities import EntityMention
from pipeline.extract.nlp import require_model
from pipeline.ids import slugify
from pipeline.text import sentence_spans


@lru_cache(maxsize=256)
def parsed(text: str) -> Any:
    return require_model()(text)


def mentions_of(text: str, persons: tuple[str, ...] = (), orgs: tuple[str, ...] = ()) -> list[EntityMention]:
    out = []
    for kind, names in (("person", persons), ("org", orgs)):
        for n in names:
            for m in re.finditer(r"\b" + re.escape(n) + r"\b", text):
                out.append(EntityMention("t", m.start(), m.end(), slugify(n), kind, n))
    return out


def read(text: str, persons: tuple[str, ...] = (), orgs: tuple[str, ...] = ()) -> list[Clauses]:
    """Each sentence of a one-paragraph text read in order by one SourceReader."""
    reader = SourceReader("t")
    reader.new_paragraph()
    mentions = mentions_of(text, persons, orgs)
    out = []
    for s, e in sentence_spans(text, 0, len(text)):
        sent = text[s:e]
        out.append(reader.read(parsed(sent), s, [m for m in mentions if s <= m.char_start < e]))
    return out


def one(text: str, persons: tuple[str, ...] = (), orgs: tuple[str, ...] = ()) -> Clauses:
    cls = read(text, persons, orgs)
    assert len(cls) == 1, [c.doc.text for c in cls]
    return cls[0]


def frame(cl: Clauses, lemma: str) -> Any:
    found = [f for f in cl.frames if f.lemma == lemma]
    assert found, (lemma, [f.lemma for f in cl.frames])
    return found[0]


def role_texts(cl: Clauses, lemma: str, role: str) -> list[str]:
    return [r.actor.text for r in frame(cl, lemma).roles if r.role == role]
