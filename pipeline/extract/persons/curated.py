"""The curated data persons read (raw/curated/persons.yaml, organizations.yaml and the name
vocabulary) and the statistical model's entity spans (``load_ner``, ``ner_spans``).

What belongs here: loading and indexing curated entries (``load_curated`` -> ``Curated``), and
keeping the model's PERSON and place spans; no finding or resolving.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline import yamlload
from pipeline.extract import nlp as nlp_model
from pipeline.extract import organizations as org_model
from pipeline.extract.names import (
    FormIndex,
    NameShape,
    NameVocab,
    fold_text,
    load_vocab,
    name_shape,
)
from pipeline.ids import slugify


@dataclass(frozen=True)
class CuratedPerson:
    name: str
    aliases: tuple[str, ...]
    description: str | None
    country: str | None
    shapes: tuple[NameShape, ...]  # name and aliases, as comparable shapes


@dataclass(frozen=True)
class CuratedOrg:
    org_id: str
    name: str
    aliases: tuple[str, ...]
    kind: str | None
    country: str | None


@dataclass(frozen=True)
class Curated:
    """Everything curated the extractor reads, loaded once per directory."""

    vocab: NameVocab
    persons: tuple[CuratedPerson, ...]
    orgs: dict[str, CuratedOrg]
    generic_orgs: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]  # (pattern, kind, required words)
    person_forms: FormIndex  # curated person names and aliases
    org_forms: FormIndex  # curated organization names and aliases -> org_id
    org_re: re.Pattern[str] | None  # the same organization forms, for short strings (roles)
    org_by_form: dict[str, str]  # form as written -> org_id
    org_words: frozenset[str]  # folded single-word org forms ("Pentagon", "IRGC")
    persons_by_last: dict[str, tuple[CuratedPerson, ...]] = field(
        default_factory=dict
    )  # surname key -> entries
    org_vocab: org_model.OrgVocab | None = None  # organization_vocabulary.yaml (model organizations, states)


def _alternation(forms: Iterable[str]) -> re.Pattern[str] | None:
    uniq = sorted({f for f in forms if f}, key=lambda f: (-len(f), f))
    if not uniq:
        return None
    # straight and curly apostrophes are the same letter in names ("O'Brien", "Iran’s")
    body = "|".join(re.sub(r"['’]", "['’]", re.escape(f)) for f in uniq)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w])")


@lru_cache(maxsize=8)
def load_curated(curated_dir: Path) -> Curated:
    """Read persons.yaml, organizations.yaml and the vocabularies under ``curated_dir``."""
    vocab = load_vocab(curated_dir)
    pdata = _read_yaml(curated_dir / "persons.yaml").get("persons") or []
    persons = []
    for p in pdata:
        name = str(p["name"])
        aliases = tuple(dict.fromkeys(str(a) for a in p.get("aliases") or [] if str(a) != name))
        shapes = tuple(name_shape(_strip_titles_text(f, vocab), vocab) for f in (name, *aliases))
        persons.append(
            CuratedPerson(
                name, aliases, p.get("description"), p.get("country"), tuple(s for s in shapes if s.core)
            )
        )
    odata = _read_yaml(curated_dir / "organizations.yaml").get("organizations") or []
    orgs: dict[str, CuratedOrg] = {}
    by_form: dict[str, str] = {}
    for o in odata:
        name = str(o["name"])
        oid = str(o.get("id") or slugify(name))
        aliases = tuple(dict.fromkeys(str(a) for a in o.get("aliases") or [] if str(a) != name))
        orgs[oid] = CuratedOrg(oid, name, aliases, o.get("kind"), o.get("country"))
        for form in (name, *aliases):
            by_form.setdefault(form.replace("’", "'"), oid)
    person_forms = [f for p in persons for f in (p.name, *p.aliases)]
    org_words = frozenset(fold_text(f) for f in by_form if " " not in f)
    generic = tuple(
        (
            re.compile(rf"(?<![\w'’-])(?:{g['pattern']})(?![\w])"),
            str(g.get("kind") or "other"),
            tuple(str(w) for w in g.get("requires") or []),
        )
        for g in _read_yaml(curated_dir / "organizations.yaml").get("generic_patterns") or []
    )
    by_last: dict[str, list[CuratedPerson]] = defaultdict(list)
    for cp in persons:
        for key in dict.fromkeys(sh.core[-1] for sh in cp.shapes):
            by_last[key].append(cp)
    return Curated(
        vocab,
        tuple(persons),
        orgs,
        generic,
        FormIndex({f: f for f in person_forms}),
        FormIndex(by_form),
        _alternation(by_form),
        by_form,
        org_words,
        {k: tuple(v) for k, v in by_last.items()},
        org_model.load_org_vocab(curated_dir),
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return yamlload.safe_load(path.read_text(encoding="utf-8")) or {}


def _strip_titles_text(name: str, vocab: NameVocab) -> str:
    words = name.split()
    while len(words) > 1 and vocab.is_title(words[0]):
        words = words[1:]
    return " ".join(words)


def load_ner() -> Any | None:
    """The spaCy pipeline (loaded once per process, shared with the parse); None if unavailable.
    ``ner_spans`` runs only its NER component."""
    return nlp_model.load_model()


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def ner_spans(texts: Sequence[str], nlp: Any | None) -> list[list[tuple[int, int, str]]]:
    """PERSON and place (GPE, LOC, FAC) spans (offsets into each text, label) for each text."""
    if nlp is None:
        return [[] for _ in texts]
    return [_person_or_place(spans) for spans in nlp_model.ner_spans(texts, nlp)]


def _person_or_place(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [(s, e, label) for s, e, label in spans if label == "PERSON" or label in _PLACE_LABELS]
