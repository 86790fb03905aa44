"""Persons, organizations and person mentions, read from the text of any source.

What belongs here: finding where real named individuals and organizations are named
(``detect_mentions``, one source at a time, no cross-source state), deciding which mentions
name the same person across forms and sources (``resolve``), and building the ``persons``,
``organizations`` and ``person_mentions`` rows, the report and the ``EntityIndex`` later
extractors query (``assemble``). ``extract_entities`` runs the three over a corpus.

Detection unions several finders, then filters. Finders: spaCy's NER (PERSON spans); a title
rule (a capitalised name run after "President", "Maj. Gen.", "Brig Gen", "operative",
"Secretary of State" ...); credit and contributor lines ("AP Photo/X Y", "Reporting by X and Y
in Baghdad; Editing by Z"); appositions after the name ("X Y, the leader of ...", "X Y, 49, of
Brooklyn") and before it ("His prime minister, X Y, said"); Arabic-style names with particles
("Hadi al-Amiri", "Tamim bin Hamad Al Thani"); names after an alias cue ("also known as X Y")
or a verb taking a person ("charged X Y with"); names listed between two found names; the
curated gazetteer (raw/curated/persons.yaml); and full names whose surname the source uses
elsewhere only as a person's ("Eghbalian's husband"). A candidate is rejected when it is an
organization (curated or generic), contains a word no name contains ("Hezbollah", "Base"), opens
like a place or group name ("Wadi al-", "Asaib") or a campaign ("My ... Freedom"), follows a
place word ("Ain Assad": a surname inside a place name), is followed by a facility head ("Air Base"),
follows "province of", "Camp", "the aircraft carrier", is a known place, medium or work
(not_persons.yaml), a place by NER, or sits in a fiction or pseudonym context. Title-case
headlines only name people the body or the gazetteer names. Surnames of the source's full names
are then found again where the finders missed them; names joined by an alias cue or an infobox
"Birth Name" are linked; a relative introduced as such ("his daughter, Zeinab Soleimani") is
flagged; and each mention's role is read from its apposition or pre-modifier ("Iranian foreign
minister Javad Zarif").

Resolution: full names are grouped by transliteration-tolerant comparison (names.same_person),
a name written without its generational suffix in another source ("William Seely" ~ "William H.
Seely III") and a kunya alone ("Abu Ali" ~ "Abu Ali al-Askari") join their full name, and curated
entries go on top; a surname-only mention goes to the one person of its source with that surname
(relatives aside), to the nearest preceding full mention when two share it, else to the unique
person of other sources or curated data, and never to a "Jr." whose namesake is known; a first
name goes to the one person just named with it ("Hamed ... Hamed said", "Hajj Qassem"). Linked
names are merged last. Single names nobody resolves are skipped with a report line.
"""

from __future__ import annotations

import bisect
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
from pipeline.extract import nlp as nlp_model
from pipeline.extract import organizations as org_model
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
from pipeline.extract.organizations import OrgMention, StateMention
from pipeline.ids import short_hash, slugify
from pipeline.text import SpanSet

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
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _strip_titles_text(name: str, vocab: NameVocab) -> str:
    words = name.split()
    while len(words) > 1 and vocab.is_title(words[0]):
        words = words[1:]
    return " ".join(words)


# ----------------------------------------------------------------------------- spaCy


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
    kin: bool = False  # introduced as a relative ("his daughter, Zeinab Soleimani")
    same_as: tuple[int, int] | None = None  # span of another name of the same person in this source


@dataclass
class SourceMentions:
    """What ``detect_mentions`` read from one source."""

    source_id: str
    persons: list[Mention]
    orgs: list[OrgMention]
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (surface, reason)
    states: list[StateMention] = field(default_factory=list)  # countries named (states as actors)
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
    ner: dict[str, list[tuple[int, int, str]]] | None = None,
) -> SourceMentions:
    """Person and organization mentions of one source (its passages only); no cross-source state.

    ``nlp`` defaults to the cached spaCy pipeline (``load_ner``); ``use_ner=False`` runs the
    rules and gazetteer alone. ``ner``: the passages' entity spans by passage_id, when the
    caller has already run the NER pass (then the model is not run here).
    """
    if isinstance(curated, Path):
        curated = load_curated(curated)
    vocab = curated.vocab
    own = [p for p in passages if p.source_id == doc.source_id]
    t0 = time.perf_counter()
    if ner is not None and use_ner:
        all_spans = [ner.get(p.passage_id, []) for p in own]
    else:
        if nlp is None and use_ner:
            nlp = load_ner()
        all_spans = nlp_model.ner_spans([p.text for p in own], nlp) if nlp is not None else [[] for _ in own]
    spans_by_passage = [_person_or_place(spans) for spans in all_spans]
    t1 = time.perf_counter()
    out = SourceMentions(doc.source_id, [], [], chars=sum(len(p.text) for p in own))
    tokens_by_passage: dict[str, TokList] = {}
    title_case: set[str] = set()
    for passage, spans in zip(own, spans_by_passage, strict=True):
        toks = tokenize(passage.text, passage.char_start, vocab.keep_period)
        tokens_by_passage[passage.passage_id] = toks
        orgs = find_orgs(doc.text, passage, toks, curated)
        out.orgs.extend(orgs)
        base = passage.char_start
        if is_title_case(passage, toks):
            # "Justice Dept. Says Iranian Plotted to Kill John Bolton": capitals carry no signal
            # here; only names the body or the gazetteer knows are read (see _propagate_surnames)
            title_case.add(passage.passage_id)
            cands = gazetteer_candidates(doc.text, passage, toks, curated)
            out.persons.extend(_select(doc, passage, toks, cands, orgs, set(), curated, out.rejected))
            continue
        cands = [_Cand(base + s, base + e, "ner", True) for s, e, label in spans if label == "PERSON"]
        places = {(base + s, base + e) for s, e, label in spans if label in _PLACE_LABELS}
        cands += title_rule_candidates(toks, vocab)
        cands += credit_candidates(doc.text, passage, vocab)
        cands += contributor_candidates(doc.text, passage, toks, vocab)
        cands += apposition_candidates(doc.text, toks, vocab)
        cands += pre_apposition_candidates(doc.text, toks, vocab)
        cands += particle_name_candidates(doc.text, toks, vocab)
        cands += object_candidates(doc.text, toks, vocab)
        cands += alias_candidates(doc.text, passage, toks, vocab)
        cands += gazetteer_candidates(doc.text, passage, toks, curated)
        chosen = _select(doc, passage, toks, cands, orgs, places, curated, out.rejected)
        chosen += _list_members(doc, passage, toks, chosen, orgs, places, curated, out.rejected)
        _mark_kin(doc.text, passage, chosen, vocab)
        out.persons.extend(chosen)
    _link_infobox_aliases(doc, out.persons, vocab)
    out.persons.extend(_echo_candidates(doc, own, tokens_by_passage, title_case, curated, out))
    _propagate_surnames(doc, own, tokens_by_passage, curated, out, title_case)
    by_passage: dict[str, list[Mention]] = defaultdict(list)
    for m in out.persons:
        by_passage[m.passage.passage_id].append(m)
    for ms in by_passage.values():
        _link_aliases(doc.text, ms, vocab)
    near = {pid: _NearMentions(ms) for pid, ms in by_passage.items()}
    for m in out.persons:
        m.role = find_role(
            doc.text, tokens_by_passage[m.passage.passage_id], m, near[m.passage.passage_id].around(m), curated
        )
    out.persons.sort(key=lambda m: m.char_start)
    _add_model_orgs(doc, own, all_spans, title_case, curated, out)
    out.ner_seconds = t1 - t0
    out.rule_seconds = time.perf_counter() - t1
    return out


def _add_model_orgs(doc: SourceDoc, own: Sequence[PassageRow], all_spans: Sequence[Sequence[tuple[int, int, str]]],
                    title_case: set[str], curated: Curated, out: SourceMentions) -> None:
    """Organizations and states the model names that curated forms and persons do not cover
    (``organizations.model_orgs``); title-case headlines give none (their capitals carry no signal)."""
    vocab = curated.org_vocab
    if vocab is None:
        return
    person_words = {fold_text(w) for m in out.persons for w in m.surface.split()}
    persons_at: dict[str, list[tuple[int, int]]] = defaultdict(list)
    orgs_at: dict[str, list[OrgMention]] = defaultdict(list)
    skip_abbrev: set[str] = set()
    for m in out.persons:
        persons_at[m.passage.passage_id].append((m.char_start, m.char_end))
    for o in out.orgs:
        orgs_at[o.passage.passage_id].append(o)
    for passage, spans in zip(own, all_spans, strict=True):
        if passage.passage_id in title_case:
            continue
        orgs, states = org_model.model_orgs(
            doc.text, passage, spans, orgs_at[passage.passage_id], persons_at[passage.passage_id],
            person_words, vocab, curated.vocab.is_title, out.rejected, skip_abbrev)
        out.orgs.extend(orgs)
        out.states.extend(states)
    out.orgs.sort(key=lambda o: o.char_start)


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


def _commas(text: str, toks: TokList) -> list[int]:
    """Indices of the comma tokens (found by a scan of the text, not a loop over tokens)."""
    if not toks:
        return []
    out = []
    pos = text.find(",", toks[0].start, toks[-1].end)
    while pos >= 0:
        c = toks.index_at(pos)
        if c < len(toks) and toks[c].start == pos:
            out.append(c)
        pos = text.find(",", pos + 1, toks[-1].end)
    return out


def apposition_candidates(text: str, toks: TokList, vocab: NameVocab) -> list[_Cand]:
    """Name runs followed by a role apposition: "Hadi al-Amiri, the leader of the Badr Organization,"."""
    out: list[_Cand] = []
    for c in _commas(text, toks):
        m = _APPOSITION_RE.match(text, toks[c].start)
        lowered = [w for w in (m.group("words").split() if m else []) if w.islower()]
        if not (lowered and any(w in vocab.role_nouns for w in lowered)) and not _AGE_RE.match(
            text, toks[c].start
        ):
            continue  # "Hadi al-Amiri, the leader of ..."; "Carlisle Rivera, 49, of Brooklyn"
        # the capitalised run of at most five name words ending at the comma
        i = c
        while i > 0 and c - i < 5 and _name_like(toks[i - 1], vocab, toks[i]):
            i -= 1
        if i == c or not (toks[i].is_cap and toks[i].is_word):
            continue
        if i > 0 and toks[i - 1].is_cap and toks[i - 1].is_word:
            continue  # a longer capitalised run than a name
        k = i
        while k < c and (toks[k].text in _FUNCTION_CAPS or vocab.is_title(toks[k].text)):
            k += 1  # "In Baghdad, the commander said": "In" opens the sentence, it names no one
        if c - k >= 2:
            out.append(_Cand(toks[k].start, toks[c - 1].end, "apposition"))
    return out


def is_title_case(passage: PassageRow, toks: TokList) -> bool:
    """A headline written in title case ("Iranian Plotted to Kill John Bolton in Revenge")."""
    if passage.kind != "headline":
        return False
    words = [t for t in toks[1:] if t.is_word and len(t.bare) >= 4]
    return len(words) >= 3 and sum(t.is_cap for t in words) >= 0.7 * len(words)


# Tokens a list item of a credit line sits between ("..., Idrees Ali and Phil Stewart in ...").
_CREDIT_BEFORE = frozenset({",", ";", "and", "&"})
_CREDIT_AFTER = frozenset({",", ";", "and", "&", "in", "from", ".", "contributed", "reported", "wrote"})


def contributor_candidates(text: str, passage: PassageRow, toks: TokList, vocab: NameVocab) -> list[_Cand]:
    """Journalists listed in a credit line: "Additional reporting by John Davison and Ahmed
    Aboulenein in Baghdad; Editing by Angus MacSwan", "AP writers X in Tehran and Y contributed".

    Only short passages carrying a contributor cue are read; each item is a run of two to four
    capitalised words between list separators (or the cue) and a separator or "in <place>".
    """
    if len(passage.text) > 600:
        return []
    low = passage.text.lower()
    cues = [c for c in vocab.contributor_cues if c in low]
    if not cues:
        return []
    openers = {c.split()[-1] for c in cues if not c.startswith("contributed")} - {"contributed"}
    out: list[_Cand] = []
    n = len(toks)
    i = 0
    while i < n:
        prev = toks[i - 1] if i > 0 else None
        opens = (
            prev is None
            or prev.text in _CREDIT_BEFORE
            or prev.text.lower() in openers
            or (prev.possessive and prev.is_cap)  # "CNN's Lauren Fox"
        )
        if not opens or not (toks[i].is_cap and toks[i].is_word) or toks[i].text in _FUNCTION_CAPS:
            i += 1
            continue
        j = i
        while j < n and j - i < 4 and _name_like(toks[j], vocab, toks[j + 1] if j + 1 < n else None):
            if toks[j].possessive:
                break
            j += 1
        nxt = toks[j] if j < n else None
        closes = nxt is None or nxt.text in _CREDIT_AFTER
        if closes and j - i >= 2 and not any(vocab.is_title(t.text) for t in toks[i:j]):
            out.append(_Cand(toks[i].start, toks[j - 1].end, "contributor"))
        i = max(j, i + 1)
    return out


_AGE_RE = re.compile(r",\s+\d{1,3}(?:,|\s+(?:of|from)\b)")


def pre_apposition_candidates(text: str, toks: TokList, vocab: NameVocab) -> list[_Cand]:
    """Names set off after a role or kin noun: "His prime minister, Oleksiy Honcharuk, said",
    "the head of the judiciary, Ebrahim Raisi.", "Soleimani's daughter, Zeinab Soleimani,"."""
    out: list[_Cand] = []
    n = len(toks)
    for j in _commas(text, toks):
        if j + 2 >= n:
            continue
        k, steps, cue = j - 1, 0, False
        while k >= 0 and steps < 6 and toks[k].is_word:
            w = toks[k].text
            low = w.lower().rstrip(".")
            if (low in vocab.role_nouns and (w.islower() or vocab.is_title(w))) or low in vocab.kin_nouns:
                cue = True
                break
            k -= 1
            steps += 1
        if not cue:
            continue
        i = j + 1
        e = i
        while e < n and e - i < 5 and _name_like(toks[e], vocab, toks[e + 1] if e + 1 < n else None):
            e += 1
            if toks[e - 1].possessive:
                break
        run = toks[i:e]
        nxt = toks[e] if e < n else None
        if (
            len(run) >= 2
            and run[0].text not in _FUNCTION_CAPS
            and not any(vocab.is_title(x.bare) for x in run)
            and (nxt is None or nxt.text in {",", ".", ";", ")", "who", "said", "says", "told", "and"})
        ):
            out.append(_Cand(run[0].start, run[-1].end, "pre_apposition"))
    return out


@lru_cache(maxsize=32)
def _words_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b")


def object_candidates(text: str, toks: TokList, vocab: NameVocab) -> list[_Cand]:
    """Name runs right after a verb whose object is a person ("charged Shahram Poursafi with")."""
    out: list[_Cand] = []
    n = len(toks)
    if not toks or not vocab.person_object_verbs:
        return out
    pattern = _words_re(tuple(sorted(vocab.person_object_verbs)))
    for hit in pattern.finditer(text, toks[0].start, toks[-1].end):
        k = toks.index_at(hit.start())
        if k + 2 >= n or toks[k].text != hit.group():
            continue
        i = k + 1
        j = i
        while j < n and j - i < 4 and _name_like(toks[j], vocab, toks[j + 1] if j + 1 < n else None):
            j += 1
            if toks[j - 1].possessive:
                break
        if j - i < 2 or toks[i].text in _FUNCTION_CAPS or any(vocab.is_title(x.bare) for x in toks[i:j]):
            continue
        if j < n and toks[j].is_cap and toks[j].is_word:
            continue  # a longer capitalised run than a name
        out.append(_Cand(toks[i].start, toks[j - 1].end, "object"))
    return out


_PARTICLE_TOKEN_RE = re.compile(r"(?:al|el|Al|El|ad|ash|as|at|az|an|ar|Ad|As|Ash|At|Az|An|Ar)[-‐][A-ZÀ-Þ]")
_PARTICLE_WORDS = frozenset({"bin", "ibn", "bint", "Bin", "Ibn", "Bint", "al", "el"})


def _particle(tok: Tok, nxt: Tok | None) -> bool:
    """An Arabic name particle: "al-Amiri", "bin", or a capitalised "Al" before a name ("Al Thani")."""
    if _PARTICLE_TOKEN_RE.match(tok.text):
        return True
    if tok.text in _PARTICLE_WORDS or tok.text in {"Al", "El"}:
        return nxt is not None and nxt.is_cap and nxt.is_word
    return False


# a quick test whether a passage has any particle at all
_ANY_PARTICLE_RE = re.compile(
    r"\b(?:[aAeE][ldsntrz]h?[-‐][A-ZÀ-Þ]|(?:bin|ibn|bint|Bin|Ibn|Bint|Al|El|al|el)\s+[A-ZÀ-Þ])"
)


def particle_name_candidates(text: str, toks: TokList, vocab: NameVocab) -> list[_Cand]:
    """Arabic-style names the NER model misses: a given name then a particle part ("Hadi
    al-Amiri", "Falih al-Fayyadh", "Tamim bin Hamad Al Thani", "Jamal Jaafar Muhammad Ali Al Ebrahim").

    The run must open with a capitalised word that is not a title, a function word or the first
    word of a place or group name (place_prefixes: "Wadi al-Salam", "Asaib Ahl al-Haq").
    """
    out: list[_Cand] = []
    n = len(toks)
    if not n or not _ANY_PARTICLE_RE.search(text, toks[0].start, toks[-1].end):
        return out
    i = 0
    while i < n:
        t = toks[i]
        if not (t.is_word and t.is_cap) or t.text in _FUNCTION_CAPS or vocab.is_title(t.bare):
            i += 1
            continue
        j = i
        has_particle = False
        while j < n and j - i < 7:
            tj = toks[j]
            nxt = toks[j + 1] if j + 1 < n else None
            if not _name_like(tj, vocab, nxt) or vocab.is_title(tj.bare):
                break
            if j > i and _particle(tj, nxt):
                has_particle = True
            j += 1
            if tj.possessive:
                break
        first = fold_text(t.bare)
        if (
            has_particle
            and j - i >= 2
            and not _particle(t, toks[i + 1] if i + 1 < n else None)
            and first not in vocab.place_prefixes
            and first not in vocab.non_person_names
        ):
            out.append(_Cand(t.start, toks[j - 1].end, "particle"))
        i = max(j, i + 1)
    return out


@lru_cache(maxsize=8)
def _alias_re(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    if not cues:
        return None
    alt = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)
    # case-sensitive (cues are written in lower case): a scoped (?i) makes every position slow
    return re.compile(rf"(?<![\w-])(?:{alt}),?\s+(?=[A-ZÀ-Þ])")


def alias_candidates(text: str, passage: PassageRow, toks: TokList, vocab: NameVocab) -> list[_Cand]:
    """Another name of a person right after an alias cue ("also known as Mehdi Rezayi")."""
    pattern = _alias_re(vocab.alias_cues)
    if pattern is None:
        return []
    out: list[_Cand] = []
    n = len(toks)
    for m in pattern.finditer(text, passage.char_start, passage.char_end):
        i = toks.index_at(m.end())
        j = i
        while j < n and j - i < 7 and _name_like(toks[j], vocab, toks[j + 1] if j + 1 < n else None):
            j += 1
            if toks[j - 1].possessive:
                break
        while j > i and vocab.is_particle(toks[j - 1].text):
            j -= 1
        if j - i >= 2:
            out.append(_Cand(toks[i].start, toks[j - 1].end, "alias"))
    return out


_REPORTING_VERBS = frozenset(
    {"said", "says", "told", "added", "warned", "spoke", "wrote", "tweeted", "announced", "stated", "called"}
)

_CONTEXT_WORD = r"[A-ZÀ-Þ][\w'’-]*[^\W_]"
# "Eghbalian's husband", "Arnold said": a capitalised word, then "'s <noun>" or a reporting verb
_OWNER_OR_SPEAKER_RE = re.compile(
    rf"(?<![\w'’-])(?P<w>{_CONTEXT_WORD})(?:['’]s\s+(?P<n>[a-z][\w-]*)|\s+(?P<v>[a-z]+)\b)"
)
_AFTER_HONORIFIC_RE = re.compile(rf"(?<![\w.])(?:Mrs|Mr|Ms|Miss|Dr)\.?\s+(?P<w>{_CONTEXT_WORD})(?![\w'’-])")
_AFTER_SAID_RE = re.compile(
    rf"\b(?:{'|'.join(sorted(_REPORTING_VERBS))})\s+(?P<w>{_CONTEXT_WORD})(?![\w'’-])(?!\s+[A-ZÀ-Þ])"
)


def _person_context_words(text: str, vocab: NameVocab) -> set[str]:
    """Capitalised words used where only people are: "Mr. X", "X's husband", "X said", "said X"."""
    words: set[str] = set()
    for m in _OWNER_OR_SPEAKER_RE.finditer(text):
        word, noun, verb = m.group("w"), m.group("n"), m.group("v")
        if verb is not None and word.endswith(("'s", "’s")):
            word, noun, verb = word[:-2], verb, None  # the greedy word took the possessive
        if noun is not None:
            if noun not in vocab.kin_nouns and noun not in vocab.role_nouns:
                continue
        elif verb not in _REPORTING_VERBS:
            continue
        lead = text[max(0, m.start() - 40) : m.start()].split()
        if lead and lead[-1][:1].isupper() and not lead[-1].endswith((".", ":", "”", '"')):
            continue  # "New York said": the word ends a longer name, it is no surname alone
        words.add(word)
    for pattern in (_AFTER_HONORIFIC_RE, _AFTER_SAID_RE):
        words.update(m.group("w") for m in pattern.finditer(text))
    return {w for w in words if len(w) > 2 and not vocab.is_title(w) and not _non_name(Tok(0, 0, w), vocab)}


def _echo_candidates(
    doc: SourceDoc,
    passages: Sequence[PassageRow],
    tokens_by_passage: dict[str, TokList],
    title_case: set[str],
    curated: Curated,
    out: SourceMentions,
) -> list[Mention]:
    """Full names no finder caught whose surname the source uses elsewhere as only a person's
    ("the families of Parisa Eghbalian and ..." + "Eghbalian's husband, ...")."""
    vocab = curated.vocab
    evidence = _person_context_words(doc.text, vocab)
    evidence -= {w for m in out.persons for w in m.surface.split()}  # names already found
    if not evidence:
        return []
    taken: dict[str, SpanSet] = defaultdict(SpanSet)
    for pm in out.persons:
        taken[pm.passage.passage_id].add(pm.char_start, pm.char_end)
    for o in out.orgs:
        taken[o.passage.passage_id].add(o.char_start, o.char_end)
    org_spans = SpanSet((o.char_start, o.char_end) for o in out.orgs)
    found: list[Mention] = []
    pattern = _alternation(evidence)
    if pattern is None:
        return []
    for passage in passages:
        if passage.passage_id in title_case:
            continue
        toks = tokens_by_passage[passage.passage_id]
        n = len(toks)
        for hit in pattern.finditer(doc.text, passage.char_start, passage.char_end):
            k = toks.index_at(hit.start())
            if k >= n:
                continue
            t = toks[k]
            if t.start != hit.start() or t.bare != hit.group() or not t.is_cap:
                continue
            i = k
            while (
                i > 0 and k - i < 3 and _name_like(toks[i - 1], vocab, toks[i]) and not toks[i - 1].possessive
            ):
                i -= 1
            while i < k and (
                toks[i].text in _FUNCTION_CAPS or vocab.is_title(toks[i].bare) or not toks[i].is_cap
            ):
                i += 1
            if i == k or (k + 1 < n and toks[k + 1].is_cap and toks[k + 1].is_word and not t.possessive):
                continue  # a surname alone, or inside a longer capitalised run
            s, e = toks[i].start, t.start + len(t.bare)
            if taken[passage.passage_id].overlaps(s, e):
                continue
            if any(_non_name(x, vocab) for x in toks[i : k + 1]):
                continue  # "Shia Iran": a country or organization word
            reason = reject_reason(doc.text, toks, s, e, org_spans, curated)
            if reason:
                out.rejected.append((doc.text[s:e], reason))
                continue
            shape = name_shape(doc.text[s:e], vocab)
            if not shape.full:
                continue
            found.append(Mention(doc.source_id, passage, s, e, doc.text[s:e], shape, "echo"))
            taken[passage.passage_id].add(s, e)
    return found


def _mark_kin(text: str, passage: PassageRow, mentions: Sequence[Mention], vocab: NameVocab) -> None:
    """Flag full names introduced as somebody's relative ("his brother, Laith al-Khazali")."""
    for m in mentions:
        if not m.shape.full:
            continue
        before = text[max(passage.char_start, m.char_start - 40) : m.char_start].lower()
        words = re.findall(r"[\w'’-]+", before.split(".")[-1])[-3:]
        after = text[m.char_end : min(passage.char_end, m.char_end + 40)].lower()
        post = re.match(r",\s+(?:(?:his|her|their|the|a|an)\s+)?(?:[\w'’-]+\s+){0,2}?([\w-]+)\b", after)
        if any(w in vocab.kin_nouns for w in words) or (post and post.group(1) in vocab.kin_nouns):
            m.kin = True


_ALIAS_GAP_PAREN_RE = re.compile(r"\([^()]*\)")


def _link_aliases(text: str, mentions: Sequence[Mention], vocab: NameVocab) -> None:
    """Link two names of one person joined by an alias cue ("X, also known as Y")."""
    ordered = sorted(mentions, key=lambda m: m.char_start)
    for a, b in pairwise(ordered):
        if b.char_start - a.char_end > 200 or not b.shape.full or b.same_as is not None:
            continue
        raw = _ALIAS_GAP_PAREN_RE.sub(" ", text[a.char_end : b.char_start])
        if _sentence_ends(raw, vocab):
            continue
        gap = " ".join(re.sub(r"[(),;:]", " ", raw).lower().split())
        # the cue ends the gap; what comes before it is an apposition of the first name
        # ("Shahram Poursafi, 45, of Tehran, also known as Mehdi Rezayi")
        if any(gap == c or gap.endswith(" " + c) for c in vocab.alias_cues):
            b.same_as = (a.char_start, a.char_end)


def _link_infobox_aliases(doc: SourceDoc, mentions: Sequence[Mention], vocab: NameVocab) -> None:
    """Link a name given under an infobox key such as "Birth Name" to the article's subject."""
    if not vocab.alias_infobox_keys:
        return
    subject = name_shape(_strip_titles_text(doc.title, vocab), vocab)
    if not subject.full:
        return
    first = next(
        (
            m
            for m in mentions
            if m.shape.full and m.passage.kind != "infobox" and same_person(m.shape, subject)
        ),
        None,
    )
    if first is None:
        return
    for m in mentions:
        if m.passage.kind != "infobox" or not m.shape.full or same_person(m.shape, subject):
            continue
        key = doc.text[m.passage.char_start : m.char_start].lstrip("-* ").split(":")[0]
        if fold_text(key) in vocab.alias_infobox_keys:
            m.same_as = (first.char_start, first.char_end)


_INITIAL_RE = re.compile(r"[A-Z]\.")
_PREFIXED_RE = re.compile(r"(?:al|el|ad|as|ash|at|az|an|ar|bin|ibn|abu|abd)[-‐][A-ZÀ-Þ]")


def _name_like(tok: Tok, vocab: NameVocab, nxt: Tok | None) -> bool:
    """Could this word be part of a personal name?"""
    if tok.is_cap and tok.is_word:
        return not vocab.is_particle(tok.bare) or (nxt is not None and nxt.is_cap)
    w = tok.bare
    if vocab.is_suffix(w) or _INITIAL_RE.fullmatch(w):
        return True
    if vocab.is_particle(w):
        return nxt is not None and nxt.is_cap
    return _PREFIXED_RE.match(w) is not None  # "al-Muhandis", "bin-Laden"


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
            last_connector = -1
            for k, tk in enumerate(run):
                if tk.text in _CONNECTORS:
                    last_connector = k
                if tk.text in _CONNECTORS or _non_name(tk, vocab):
                    cut = k + 1
            # "spokesperson for the Red Crescent": a complement needs a word no name contains
            # ("State", "Nations", "Iran") before the name, else the run is the complement itself
            name = run[cut:] if cut - 1 > last_connector or last_connector < 0 else []
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
    while inner and not inner[0].is_word:
        inner = inner[1:]  # "- Abu Mahdi al-Muhandis": a list bullet is no part of the name
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


_ROYAL_ROLES = frozenset({"emir", "sultan", "king", "prince", "sheikh", "imam", "ruler", "queen", "princess"})


def _given_name_title(
    text: str, toks: TokList, name_toks: list[Tok], titles: list[str], vocab: NameVocab
) -> tuple[list[Tok], list[str]]:
    """Give back a title that is the first name: "Sultan Barakat, a professor at ..." keeps
    "Sultan" when the rest of the name is one word and the text gives another role."""
    if len(name_toks) != 1:
        return name_toks, titles
    idx = toks.index_at(name_toks[0].start)
    if idx == 0 or toks[idx - 1].text not in vocab.given_name_titles:
        return name_toks, titles
    title = toks[idx - 1].text
    if idx > 1 and vocab.is_title(toks[idx - 2].text):
        return name_toks, titles  # "Crown Prince Mohammed": a run of titles
    m = re.match(r",\s+((?:[\w'’-]+\s+){0,5}[\w'’-]+)", text[name_toks[-1].end : name_toks[-1].end + 80])
    if m is None:
        return name_toks, titles
    roles = [w for w in m.group(1).lower().split() if w in vocab.role_nouns]
    if not roles or any(r in _ROYAL_ROLES or r == title.lower() for r in roles):
        return name_toks, titles
    return [toks[idx - 1], *name_toks], [t for t in titles if t != title]


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
    ner_ranges = SpanSet((c.start, c.end) for c in cands if c.ner)
    org_spans = SpanSet((o.char_start, o.char_end) for o in orgs)
    priority = {
        "gazetteer": 0,
        "ner": 1,
        "title": 2,
        "apposition": 3,
        "pre_apposition": 4,
        "alias": 5,
        "particle": 6,
        "contributor": 7,
        "object": 8,
    }
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
        name_toks, titles = _given_name_title(doc.text, toks, name_toks, titles, vocab)
        start = name_toks[0].start
        last = name_toks[-1]
        end = last.start + len(last.bare)
        m_surface = doc.text[start:end]
        reason = reject_reason(doc.text, toks, start, end, org_spans, curated)
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
        ner = ner_ranges.overlaps(start, end)
        valid.append(
            Mention(
                doc.source_id, passage, start, end, m_surface, shape, c.via, tuple(titles) + before, ner=ner
            )
        )
    valid.sort(key=lambda m: (-(m.char_end - m.char_start), priority[m.via], m.char_start))
    chosen: list[Mention] = []
    taken = SpanSet()
    for m in valid:
        if not taken.overlaps(m.char_start, m.char_end):
            chosen.append(m)
            taken.add(m.char_start, m.char_end)
    return chosen


_NAME_WORD = r"(?:[A-ZÀ-Þ][^\s,;()]*|(?:al|el|bin|ibn|bint|van|von|de|da|di|le|la|du)(?:-[^\s,;()]+)?)"
_OF_PLACE = r"(?:\s+(?:of|from)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?)?"
# ", Rand Paul of Kentucky, and ": a list item between two names, with an optional "of <place>"
_LIST_GAP_RE = re.compile(
    rf"{_OF_PLACE},\s+(?P<name>[A-ZÀ-Þ][^\s,;()]*(?:\s+{_NAME_WORD}){{1,3}}){_OF_PLACE},?\s+(?:and\s+|or\s+)?"
)


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
    org_spans = SpanSet((o.char_start, o.char_end) for o in orgs)
    out: list[Mention] = []
    for a, b in pairwise(fulls):
        gap = _LIST_GAP_RE.fullmatch(doc.text, a.char_end, b.char_start)
        if gap is None:
            continue
        s, e = gap.span("name")
        words = [t for t in toks.within(s, e) if s <= t.start and t.end <= e]
        if any(vocab.is_title(t.text) for t in words):
            continue  # "Mike Pompeo, Defense Secretary Mark Esper": a title, not a listed name
        if not words or not all(
            _name_like(t, vocab, words[i + 1] if i + 1 < len(words) else None) for i, t in enumerate(words)
        ):
            continue
        reason = reject_reason(doc.text, toks, s, e, org_spans, curated)
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
    text: str, toks: TokList, start: int, end: int, orgs: Sequence[OrgMention] | SpanSet, curated: Curated
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
    if isinstance(orgs, SpanSet):
        if orgs.overlaps(start, end):
            return "organization"
    elif any(o.char_start < end and start < o.char_end for o in orgs):
        return "organization"
    idx = _index_at(toks, start)
    jdx = _index_at(toks, end)
    if idx > 0 and toks[idx - 1].text in vocab.preceding_words:
        return f"place/work after {toks[idx - 1].text}"
    if fold_text(words[0].bare) in vocab.place_prefixes:
        return f"place or group name ({words[0].bare} ...)"
    if fold_text(words[0].bare) in vocab.opening_words:
        return f"campaign or work name ({words[0].bare} ...)"
    # a surname inside a place name ("Ain Assad", "Ayn al-Asad"): the place word opens the run
    if idx > 0 and toks[idx - 1].is_cap and fold_text(toks[idx - 1].bare) in vocab.place_prefixes:
        return f"part of a place name ({toks[idx - 1].text} ...)"
    if vocab.place_before:
        before = " ".join(text[max(0, start - 30) : start].lower().split())
        if before.endswith(vocab.place_before):
            return "a place (after 'province of' ...)"
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
    title_case: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Find the surnames of the source's full names where no finder caught them.

    In title-case passages (``title_case``, passage ids) the full names of the body are looked
    for too, and a capitalised neighbour does not make a hit part of a longer name.
    """
    vocab = curated.vocab
    forms: set[str] = set()
    full_forms: set[str] = set()
    for m in out.persons:
        if not m.shape.full:
            continue
        if m.passage.passage_id not in title_case and len(m.surface.split()) >= 2:
            full_forms.add(m.surface)
        last_written = [w for w in m.surface.split() if not vocab.is_suffix(w)]
        # "William H. Seely III" ... "Seely's letter": resolution decides whether a bare surname
        # may name a "Jr." or "III" (never when a namesake without the suffix is known)
        last = last_written[-1]
        forms.add(last)
        stripped = re.sub(r"^(?:al|el|Al|El)[-‐]", "", last)
        if stripped != last:
            forms.add(stripped)
    forms = {f for f in forms if len(f) > 3 and f[0].isupper()}
    pattern = _alternation(forms)
    if pattern is None:
        return
    headline_pattern = _alternation(forms | full_forms) if title_case else None
    taken: dict[str, SpanSet] = defaultdict(SpanSet)
    for m in out.persons:
        taken[m.passage.passage_id].add(m.char_start, m.char_end)
    for o in out.orgs:
        taken[o.passage.passage_id].add(o.char_start, o.char_end)
    org_spans = SpanSet((o.char_start, o.char_end) for o in out.orgs)
    for passage in passages:
        toks = tokens_by_passage[passage.passage_id]
        spans = taken[passage.passage_id]
        headline = passage.passage_id in title_case
        pat = headline_pattern if headline and headline_pattern is not None else pattern
        for hit in pat.finditer(doc.text, passage.char_start, passage.char_end):
            s, e = hit.start(), hit.end()
            if spans.overlaps(s, e):
                continue
            idx = _index_at(toks, s)
            prev = toks[idx - 1] if idx > 0 else None
            jdx = _index_at(toks, e)
            nxt = toks[jdx] if jdx < len(toks) else None
            last_tok = toks[jdx - 1]
            if (
                not headline
                and prev is not None
                and prev.is_cap
                and prev.is_word
                and not vocab.is_title(prev.text)
            ):
                starts_sentence = idx < 2 or toks[idx - 2].text in _SENTENCE_PUNCT
                if (
                    not (starts_sentence and prev.text in _FUNCTION_CAPS)
                    and vocab.country_of(prev.text) is None
                ):
                    continue  # inside another capitalised name
            glued = nxt is not None and nxt.is_cap and nxt.is_word and nxt.start == last_tok.end + 1
            if (
                not headline
                and glued
                and nxt is not None
                and not vocab.is_suffix(nxt.text)
                and not last_tok.possessive
            ):
                continue  # followed by another capitalised word: part of a longer name
            if headline and nxt is not None and vocab.is_suffix(nxt.text):
                continue  # "Trump Jr." in a headline
            reason = reject_reason(doc.text, toks, s, e, org_spans, curated)
            if reason:
                out.rejected.append((hit.group(), reason))
                continue
            shape = name_shape(hit.group(), vocab)
            titles = _title_before(toks, s, vocab)
            out.persons.append(Mention(doc.source_id, passage, s, e, hit.group(), shape, "surname", titles))
            spans.add(s, e)


# ----------------------------------------------------------------------------- roles

# How far from a name its role is read (a role is a phrase of some twenty words at most): the
# bound keeps a long paragraph's reading linear rather than quadratic in its names.
_ROLE_REACH = 1000


class _NearMentions:
    """A passage's mentions, asked for those near one mention (in their original order)."""

    def __init__(self, mentions: Sequence[Mention]):
        self.mentions = list(mentions)
        order = sorted(range(len(self.mentions)), key=lambda i: self.mentions[i].char_start)
        self._order = order
        self._starts = [self.mentions[i].char_start for i in order]
        self._longest = max((m.char_end - m.char_start for m in self.mentions), default=0)

    def around(self, m: Mention) -> list[Mention]:
        lo = bisect.bisect_left(self._starts, m.char_start - _ROLE_REACH - self._longest)
        hi = bisect.bisect_right(self._starts, m.char_end + _ROLE_REACH)
        return [self.mentions[i] for i in sorted(self._order[lo:hi])]



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
    """A role noun as roles are written: lower case ("spokesman"), or a capitalised title
    ("Minister"); "National" inside "Supreme National Security Council" is a name word."""
    for w in words[:first]:
        clean = w.strip(".,")
        if clean.lower() in vocab.role_nouns and (not clean[:1].isupper() or clean in vocab.titles):
            return True
    return False


_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their"})
_FINITE_VERBS = frozenset(
    {
        "is",
        "was",
        "are",
        "were",
        "has",
        "had",
        "have",
        "will",
        "would",
        "said",
        "says",
        "told",
        "became",
        "named",
    }
)


def _clean_role(phrase: str) -> str | None:
    words = phrase.split()
    while words and words[0].lower() in {"a", "an", "the", "including", "and", *_POSSESSIVE_PRONOUNS}:
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
    # a run of titles after a lower-case role is the name's rank: "IRGC commander Maj. Gen."; a
    # run of modifiers alone is part of the role ("chairman of the Joint Chiefs of Staff")
    k = len(words)
    while k > 0 and vocab.is_title(words[k - 1]):
        k -= 1
    rank = words[k:]
    if (
        0 < k < len(words)
        and words[k - 1].islower()
        and words[k - 1] not in _CONNECTORS
        and any(w in vocab.titles for w in rank)
    ):
        words = words[:k]
    return " ".join(words) or None


_SENTENCE_END_RE = re.compile(r"(?<=[a-z\d)”\"'’])[.!?][\"”’]?\s+(?=[A-Z“\"])")


def _sentence_ends(text: str, vocab: NameVocab) -> list[int]:
    """Offsets just after each sentence end in ``text``; "Mr. Rivera" and "Gen. Milley" are none."""
    out = []
    for hit in _SENTENCE_END_RE.finditer(text):
        # the word ending at the mark, read backwards (not the text up to it split again)
        i = hit.start() + 1
        while i > 0 and not text[i - 1].isspace():
            i -= 1
        before = text[i : hit.start() + 1]
        if before not in vocab.keep_period:
            out.append(hit.end())
    return out


_PLAIN_HONORIFICS = frozenset({"Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Miss", "Dr.", "Dr"})
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


def _verb_like(words: Sequence[str], vocab: NameVocab) -> bool:
    """Whether a phrase after a name is a clause: it opens with a lower-case word that is no role
    word (a verb: "spoke by telephone with ...") or carries a reporting verb ("the president said")."""
    first = words[0]
    low = first.lower().strip(".,")
    if any(w.lower().strip(".,") in _REPORTING_VERBS for w in words):
        return True
    if not first.islower() or low in _DETERMINERS or low in {"his", "her", "its", "their", "who", "whose"}:
        return False
    if low in vocab.role_nouns or low in vocab.role_modifiers or low in vocab.kin_nouns:
        return False
    return low.endswith("ed") or low in {"is", "was", "has", "had", "will", "would", "spoke", "met", "led"}


def _post_appositive(
    text: str, m: Mention, spans: Sequence[tuple[int, int, str]], vocab: NameVocab
) -> str | None:
    """ "Adil Abdul-Mahdi, the prime minister of Iraq, said" -> "prime minister of Iraq"."""
    rest = text[m.char_end : min(m.passage.char_end, m.char_end + _ROLE_REACH)]
    if not rest.startswith(", "):
        return None
    body = rest[2:]
    stop = _ROLE_STOP_RE.search(body)
    phrase = body[: stop.start()] if stop else body
    words = phrase.split()
    if not words or len(words) > 16 or words[0].lower() in _CLAUSE_STARTERS:
        return None
    if _verb_like(words, vocab):
        return None  # "Mohammed Ali al-Hakim, summoned the U.S. ambassador": a clause, not a role
    lo = m.char_end + 2
    if _touches(spans, lo, lo + len(phrase), text):
        return None  # another person: a list of names
    nxt = lo + len(phrase)
    if text.startswith(", ", nxt) and any(s == nxt + 2 for s, _, _ in spans):
        return None  # "al-Muhandis, the group's spokesman, Mohammed Mohie, said": the next name's role
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
    start = max(m.passage.char_start, m.char_start - _ROLE_REACH)
    head = text[start : m.char_start]
    if not head.endswith(", "):
        return None
    after = text[m.char_end : m.char_end + 1]
    if after not in {",", ".", ";", "", "\n"}:
        return None
    seg = head[:-2]
    stop = max(_sentence_ends(seg, vocab), default=-1)
    cut = max(seg.rfind(","), seg.rfind(";"), seg.rfind(":"), seg.rfind("\n"), stop - 1)
    seg_start = start + cut + 1
    words = seg[cut + 1 :].split()
    for k in range(len(words) - 1, -1, -1):
        opener = (
            words[k] in _DETERMINERS
            or words[k].lower() in _POSSESSIVE_PRONOUNS
            or (words[k].endswith(("'s", "’s")) and words[k][:1].isupper())
        )
        if any(w.lower() in _FINITE_VERBS for w in words[k + 1 :]):
            break  # "the Quds Force was his deputy": a clause, not a role
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
        if w in _PLAIN_HONORIFICS:
            break  # "the F.B.I. Mr. Poursafi": a role never comes before "Mr."
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
    core = list(picked)
    while core and core[-1].text in vocab.titles:
        core = core[:-1]
    if core and core[-1].text in _CONNECTORS:
        return None  # "a lawyer for Mr. Rivera", "an adviser to Ayatollah Khamenei": the object, not the role
    if not picked:
        return None
    words = [t.text for t in picked]
    if not any(
        w.lower() in vocab.role_nouns or (w in vocab.titles and w not in vocab.honorifics) for w in words
    ):
        return None  # "Mr." alone is no role
    return _clean_role(text[picked[0].start : picked[-1].end])


@lru_cache(maxsize=8)
def _demonym_re(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any nationality word or country name; leftmost, then longest ("South Africa" before "South")."""
    if not keys:
        return None
    alt = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alt})(?:['’]s)?(?![\w-])")


def country_from_role(role: str | None, curated: Curated) -> str | None:
    """Country named by a role: a nationality word, else the country of an organization in it."""
    if not role:
        return None
    vocab = curated.vocab
    pattern = _demonym_re(tuple(vocab.demonyms))
    m = pattern.search(role) if pattern is not None else None
    if m:
        return vocab.demonyms[m.group(1)]  # the first nationality named ("U.S. ambassador to South Africa")
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
    exact = [
        c
        for c in pool
        if any(
            s.core == shape.core
            and s.suffix == shape.suffix
            and (not s.initials or not shape.initials or s.initials == shape.initials)
            for s in c.shapes
        )
    ]
    if exact:
        return exact
    return [c for c in pool if any(same_person(shape, s) for s in c.shapes)]


_ShapeKey = tuple[tuple[str, ...], str | None, tuple[str, ...]]


def _shape_key(shape: NameShape) -> _ShapeKey:
    """Names with the same key are one person ("George W. Bush" and "George H. W. Bush" are not)."""
    return (shape.core, shape.suffix, shape.initials)


def resolve(sources: Sequence[SourceMentions], curated: Curated) -> Resolution:
    """Group the mentions of all sources (in docs order) into persons."""
    report: list[str] = []
    order = {s.source_id: i for i, s in enumerate(sources)}
    fulls = [m for s in sources for m in s.persons if m.shape.full]
    # 1. full names, longest first, into groups of compatible names
    first_seen: dict[_ShapeKey, tuple[int, int]] = {}
    shape_of: dict[_ShapeKey, NameShape] = {}
    for m in fulls:
        first_seen.setdefault(_shape_key(m.shape), (order[m.source_id], m.char_start))
        shape_of.setdefault(_shape_key(m.shape), m.shape)
    groups: list[_Person] = []
    groups_by_last: dict[str, list[_Person]] = defaultdict(list)  # same_person needs the same surname
    by_shape: dict[_ShapeKey, _Person] = {}
    for key in sorted(first_seen, key=lambda k: (-len(k[0]), first_seen[k])):
        shape = shape_of[key]
        matches = [g for g in groups_by_last[shape.core[-1]] if same_person(shape, g.rep)]
        if len(matches) == 1:
            g = matches[0]
            g.shapes.append(shape)
            g.first_pos = min(g.first_pos, first_seen[key])
        else:
            if len(matches) > 1:
                report.append(f"persons: '{' '.join(shape.written)}' fits several people; kept apart")
            g = _Person([shape], Counter(), first_seen[key])
            groups.append(g)
            groups_by_last[shape.core[-1]].append(g)
        by_shape[key] = g
    groups = _merge_suffix_variants(groups, by_shape, fulls, curated, report)
    groups = _merge_kunyas(groups, by_shape, fulls, curated.vocab, report)
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
        g = by_shape[_shape_key(m.shape)]
        g.mentions.append(m)
        g.forms[m.surface] += 1
    # 3. partial names: same source first, then other sources, then curated data
    singles: dict[tuple[str, ...], _Person] = {}
    by_last: dict[str, list[_Person]] = defaultdict(list)  # surname key -> people (candidate lookup)
    for g in groups:
        for last in dict.fromkeys(s.core[-1] for s in g.shapes):
            by_last[last].append(g)
    known = {id(g) for g in groups}
    # The groups a source names in full, looked up per source (scanning every group's mentions for
    # each source is quadratic). The loop below only adds the current source's own mentions, so
    # a later source's entry is what a scan at its turn would find.
    local_groups: dict[str, set[int]] = defaultdict(set)
    for g in groups:
        for m in g.mentions:
            local_groups[m.source_id].add(id(g))
    for src in sources:
        local = local_groups.get(src.source_id, set())
        for m in src.persons:
            if m.shape.full:
                continue
            found = _resolve_short(m, local, by_last, curated, by_curated, report)
            honorific = bool(set(m.titles) & curated.vocab.given_name_honorifics)
            if found is None and (m.ner or honorific):
                found = _resolve_given_name(
                    m, [g for g in groups if id(g) in local], curated.vocab, honorific=honorific
                )
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
    groups = _merge_linked(groups, report)
    persons = [g for g in groups if g.mentions]
    persons.sort(key=lambda g: min((order[m.source_id], m.char_start) for m in g.mentions))
    return Resolution(persons, report)


def _merge_suffix_variants(
    groups: list[_Person],
    by_shape: dict[_ShapeKey, _Person],
    fulls: Sequence[Mention],
    curated: Curated,
    report: list[str],
) -> list[_Person]:
    """One text writes "William H. Seely III", another "William Seely": the same man, unless a
    namesake without the suffix is known (curated "Donald Trump") or both are named apart in
    one source ("Donald Trump" and "Donald Trump Jr.")."""
    sources: dict[int, set[str]] = defaultdict(set)
    for m in fulls:
        sources[id(by_shape[_shape_key(m.shape)])].add(m.source_id)
    suffixed = [g for g in groups if g.suffix is not None]
    if not suffixed:
        return groups
    gone: set[int] = set()
    for g in groups:
        if g.suffix is not None:
            continue
        plain = NameShape(g.rep.core, g.rep.written, None)
        hits = [
            x
            for x in suffixed
            if id(x) not in gone and same_person(plain, NameShape(x.rep.core, x.rep.written, None))
        ]
        if len(hits) != 1 or sources[id(g)] & sources[id(hits[0])]:
            continue
        if any(name_shape(c.name, curated.vocab).suffix is None for c in _curated_for(plain, curated)):
            continue  # a known namesake without the suffix
        keep = hits[0]
        keep.shapes.extend(g.shapes)
        keep.first_pos = min(keep.first_pos, g.first_pos)
        for k, v in by_shape.items():
            if v is g:
                by_shape[k] = keep
        sources[id(keep)] |= sources[id(g)]
        gone.add(id(g))
        report.append(
            f"persons: '{' '.join(g.rep.written)}' is '{' '.join(keep.rep.written)}' (suffix omitted)"
        )
    return [g for g in groups if id(g) not in gone]


def _merge_kunyas(
    groups: list[_Person],
    by_shape: dict[_ShapeKey, _Person],
    fulls: Sequence[Mention],
    vocab: NameVocab,
    report: list[str],
) -> list[_Person]:
    """A kunya alone ("Abu Ali") names the one person of its source whose full name opens with it
    ("Abu Ali al-Askari"); with two such people it is left alone."""
    kunya_keys = {name_shape(k, vocab).core[0] for k in vocab.kunya_words if name_shape(k, vocab).core}
    sources: dict[int, set[str]] = defaultdict(set)
    for m in fulls:
        sources[id(by_shape[_shape_key(m.shape)])].add(m.source_id)
    gone: set[int] = set()
    for g in groups:
        if len(g.shapes) != 1 or len(g.rep.core) != 2 or g.rep.core[0] not in kunya_keys:
            continue
        hits = [
            x
            for x in groups
            if x is not g
            and id(x) not in gone
            and sources[id(x)] & sources[id(g)]
            and any(len(sh.core) > 2 and sh.core[:2] == g.rep.core for sh in x.shapes)
        ]
        if len(hits) != 1:
            continue
        keep = hits[0]
        keep.shapes.extend(g.shapes)
        keep.first_pos = min(keep.first_pos, g.first_pos)
        for k, v in by_shape.items():
            if v is g:
                by_shape[k] = keep
        gone.add(id(g))
        report.append(f"persons: kunya '{' '.join(g.rep.written)}' is '{' '.join(keep.rep.written)}'")
    return [g for g in groups if id(g) not in gone]


def _merge_linked(groups: list[_Person], report: list[str]) -> list[_Person]:
    """Merge the people two linked names belong to ("Shahram Poursafi, also known as Mehdi Rezayi")."""
    where: dict[tuple[str, int, int], _Person] = {}
    for g in groups:
        for m in g.mentions:
            where[(m.source_id, m.char_start, m.char_end)] = g
    gone: set[int] = set()
    for g in groups:
        for m in list(g.mentions):
            if m.same_as is None:
                continue
            keep = where.get((m.source_id, *m.same_as))
            other = where.get((m.source_id, m.char_start, m.char_end))
            if keep is None or other is None or keep is other:
                continue
            if keep.curated is not None and other.curated is not None and keep.curated is not other.curated:
                report.append(f"persons: '{m.surface}' linked to two curated people; kept apart")
                continue
            report.append(f"persons: '{_canonical(other)}' is another name of '{_canonical(keep)}'")
            keep.shapes.extend(other.shapes)
            keep.mentions.extend(other.mentions)
            keep.forms.update(other.forms)
            keep.first_pos = min(keep.first_pos, other.first_pos)
            keep.curated = keep.curated or other.curated
            for x in other.mentions:
                where[(x.source_id, x.char_start, x.char_end)] = keep
            other.mentions = []
            gone.add(id(other))
    return [g for g in groups if id(g) not in gone]


def _resolve_given_name(
    m: Mention, local: Sequence[_Person], vocab: NameVocab, honorific: bool = False
) -> _Person | None:
    """The one person whose full name, just before (same or previous paragraph), opens with this
    given name: "Hamed Esmaeilion ... Hamed said". Well-known (curated) people are never called by
    their first name in these texts, and "his son Ali" is somebody else. After an honorific used
    with first names ("Hajj Qassem", "Sayyed Hassan") any person of the source may be meant."""
    lead = m.passage.text[: m.char_start - m.passage.char_start].split()
    if lead and lead[-1].lower().strip(",") in vocab.kin_nouns:
        return None
    word = m.shape.core[-1] if honorific else ""
    folded = fold_text(m.surface)
    hits = [
        g
        for g in local
        if (honorific or g.curated is None)
        and any(
            fm.source_id == m.source_id
            and fm.shape.full
            and (
                fm.shape.core[0] == word
                if honorific
                else fm.char_start < m.char_start
                and 0 <= m.passage.ordinal - fm.passage.ordinal <= 1
                and fold_text(fm.shape.written[0]) == folded
            )
            for fm in g.mentions
        )
    ]
    return hits[0] if len(hits) == 1 else None


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

    # "President Trump" in a text naming only "Donald Trump Jr.": the father the curated data knows
    # by the bare name, not the son ("Kenneth McKenzie Jr." has no such namesake)
    namesake = m.shape.suffix is None and any(
        name_shape(c.name, vocab).suffix is None and any(s.core == m.shape.core for s in c.shapes)
        for c in curated.persons_by_last.get(m.shape.core[-1], ())
    )

    def unsuffixed(cands: list[_Person]) -> list[_Person]:
        if m.shape.suffix is None and cands and all(g.suffix is not None for g in cands):
            if namesake:
                return []
            # a bare surname names a "Jr." only after the text has introduced him by full name
            return [
                g
                for g in cands
                if any(
                    x.source_id == m.source_id and x.shape.full and x.char_start < m.char_start
                    for x in g.mentions
                )
            ]
        return cands

    cands = unsuffixed(fits(local))
    if len(cands) > 1:
        # a relative introduced as such ("his daughter, Zeinab Soleimani") does not take over the
        # family name from the person the text is about
        main = [g for g in cands if not all(x.kin for x in g.mentions if x.shape.full)]
        if main:
            cands = main
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
    cands = unsuffixed(fits(g for g in everyone if not g.single))
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
) -> tuple[list[Row], list[Row], list[Row], list[EntityMention], list[str], dict[str, str]]:
    """persons, organizations and person_mentions rows, the index mentions, report lines and the
    forms naming states (for ``EntityIndex.state_of``)."""
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
    org_rows, org_index, state_forms = org_model.org_rows(sources, curated)
    index.extend(org_index)
    return persons, org_rows, mentions, index, report, state_forms


# ----------------------------------------------------------------------------- entry point


def assemble(sources: Sequence[SourceMentions], docs: Sequence[SourceDoc], curated: Curated) -> ExtractResult:
    """Resolve the per-source detections (in docs order) into rows, report and index."""
    t0 = time.perf_counter()
    resolution = resolve(sources, curated)
    persons, orgs, mentions, index, row_report, state_forms = build_rows(resolution, sources, docs, curated)
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
        index=EntityIndex(index, state_forms),
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
