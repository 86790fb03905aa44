"""Organizations the statistical model names, states acting as actors, and the organizations rows.

What belongs here: reading organizations from the model's ORG spans where the curated list
(raw/curated/organizations.yaml) does not name them (``model_orgs``, one passage at a time),
recognising a state named as such ("Iran", "the Iraqi government", "the Government of Iran"),
and building the ``organizations`` rows of all sources (``org_rows``). Curated detection (curated
forms and generic patterns) stays in ``persons.find_orgs``; the words this module needs are data
in raw/curated/organization_vocabulary.yaml.

A name the model labels a facility or a person but that stands before a group's lower-case noun
("the Saraya al-Salam militia", "the X movement": ``group_nouns_after``) is read as an ORG span.
A model ORG span becomes an organization after normalisation (leading "the", possessive "'s",
a hyphenated lower-case tail "-armed") and when it is not: a person's name (a detected person
inside is cut off: "the United Nations Kelly Craft"), a place, a title ("General X"), a facility,
event, operation, work or weapon (head word, first word, model code "MQ-9"), an ideology
("-phobia"), a generic single word ("Defense", "House"), a name with a stray lower-case word,
or a single name after "a"/"an" ("a Toyota": a product). In a wire dateline ("BAGHDAD (AP) —")
only the outlet in parentheses is read, as a media organization. "Name (ABBR)" makes ABBR an
alias when its letters are the name's initials.

Across sources, uncurated mentions group by a normalised key (case, dots, "the", "United States"
= "US", "Ministry of X" = "X Ministry"); a key equal to a curated form's key joins that curated
organization; an abbreviation joins the one name it was given for. The kind comes from the head
word (``head_kinds``), else "other"; ``curated`` says whether organizations.yaml lists it.

States: each country the model names as a place (GPE), or a state form the model calls an
organization ("the Government of Iraq"), gets a row ``government-of-<country slug>`` (kind
government). The clause layer resolves an actor's words to that row with
``EntityIndex.state_of(surface)`` (see pipeline/extract/entities.py): "Iran", "Iran's",
"Iranian", "the United States", "U.S.", "the Iraqi government", "the government of Iraq",
"Tehran" (a seat of government) -> the row's org_id, or None when the words name no state with a
published row. Whether the state *acts* is the caller's judgement (a subject, an agent).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import yamlload
from pipeline.corpus import PassageRow
from pipeline.extract import Row
from pipeline.extract.entities import EntityMention
from pipeline.extract.names import fold_text, skeleton
from pipeline.ids import short_hash, slugify

if TYPE_CHECKING:
    from pipeline.extract.persons import Curated, SourceMentions


@dataclass(frozen=True)
class OrgMention:
    """One place an organization is named, before rows are built."""

    source_id: str
    passage: PassageRow
    char_start: int
    char_end: int
    surface: str
    org_id: str
    generic_kind: str | None = None  # set when found by a generic pattern or the model, not curated data
    model: bool = False  # found by the statistical model
    alias: str | None = None  # an abbreviation given in parentheses right after ("... Corps (IRGC)")
    media: bool = False  # told as a news outlet: a wire dateline's, "an interview with X", "a X reporter"


@dataclass(frozen=True)
class StateMention:
    """A country named as a place or a state form; its government may act."""

    source_id: str
    char_start: int
    char_end: int
    surface: str
    country: str


@dataclass(frozen=True)
class OrgVocab:
    head_kinds: tuple[tuple[str, frozenset[str]], ...]
    marker_kinds: tuple[tuple[str, frozenset[str]], ...]
    not_heads: frozenset[str]
    not_first: tuple[str, ...]
    generic: frozenset[str]  # folded
    not_suffixes: tuple[str, ...]
    function_words: frozenset[str]
    connectors: frozenset[str]
    model_code: re.Pattern[str]
    state_nouns: tuple[str, ...]  # folded
    countries: dict[str, str]  # folded country name, alias or adjective -> country
    seats: dict[str, str]  # folded seat of government -> country
    places: frozenset[str]  # folded place names and aliases
    with_article: frozenset[str]
    media_before: re.Pattern[str] | None = None  # a media cue ending right before a name
    media_after: re.Pattern[str] | None = None  # a media cue right after a name
    group_nouns: frozenset[str] = frozenset()  # "militia", "movement": a group's common noun


def _kinds(data: Any) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((str(k), frozenset(str(w) for w in ws or [])) for k, ws in (data or {}).items())


@lru_cache(maxsize=8)
def load_org_vocab(curated_dir: Path) -> OrgVocab:
    """Read organization_vocabulary.yaml, the demonyms of person_vocabulary.yaml and places.yaml."""
    def read(name: str) -> dict[str, Any]:
        path = curated_dir / name
        return (yamlload.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}

    voc, people, places = read("organization_vocabulary.yaml"), read("person_vocabulary.yaml"), read("places.yaml")
    not_state = {fold_text(str(w)) for w in voc.get("not_state_demonyms") or []}
    countries = {fold_text(str(k)): str(v) for k, v in (people.get("demonyms") or {}).items()}
    place_forms: set[str] = set()
    for p in places.get("places") or []:
        forms = [str(p["name"]), *(str(a) for a in p.get("aliases") or []),
                 *(str(a) for a in p.get("locative_aliases") or [])]
        place_forms.update(fold_text(f) for f in forms)
        if p.get("kind") == "country":
            countries.update({fold_text(f): str(p["country"]) for f in forms})
    return OrgVocab(
        head_kinds=_kinds(voc.get("head_kinds")),
        marker_kinds=_kinds(voc.get("marker_kinds")),
        not_heads=frozenset(str(w) for w in voc.get("not_heads") or []),
        not_first=tuple(str(w) for w in voc.get("not_first_words") or []),
        generic=frozenset(fold_text(str(w)) for w in voc.get("generic_words") or []),
        not_suffixes=tuple(str(w) for w in voc.get("not_suffixes") or []),
        function_words=frozenset(str(w) for w in voc.get("function_words") or []),
        connectors=frozenset(str(w) for w in voc.get("name_connectors") or []),
        model_code=re.compile(str(voc.get("model_code") or r"(?!x)x")),
        state_nouns=tuple(fold_text(str(w)) for w in voc.get("state_nouns") or []),
        countries={k: v for k, v in countries.items() if k not in not_state},
        seats={fold_text(str(k)): str(v) for k, v in (voc.get("seats_of_government") or {}).items()},
        places=frozenset(place_forms | {fold_text(str(k)) for k in voc.get("seats_of_government") or {}}),
        with_article=frozenset(str(w) for w in voc.get("countries_with_article") or []),
        media_before=_cue_re(voc.get("media_cues_before"), before=True),
        media_after=_cue_re(voc.get("media_cues_after"), before=False),
        group_nouns=frozenset(str(w) for w in voc.get("group_nouns_after") or []),
    )


def _cue_re(cues: Any, before: bool) -> re.Pattern[str] | None:
    words = sorted((re.escape(str(c)).replace(r"\ ", r"\s+") for c in cues or []), key=len, reverse=True)
    if not words:
        return None
    body = "|".join(words)
    if before:  # searched in the few characters before the name
        return re.compile(rf"\b(?:{body})\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
    return re.compile(rf"['’]?s?\s+(?:{body})\b")


# ----------------------------------------------------------------------------- states


def _bare(surface: str) -> str:
    """Folded words without a leading article or a trailing possessive ("the U.S.'s" -> "u.s.")."""
    s = fold_text(surface.replace("’", "'"))
    s = re.sub(r"^(?:the|a|an) ", "", s)
    return re.sub(r"(?:'s|s'|')$", "", s).strip()


def state_country(surface: str, vocab: OrgVocab, seats: bool = True) -> str | None:
    """The country whose state ``surface`` names: a country's name or adjective, a state noun
    with one ("the Iraqi government", "government of Iraq"), or (``seats``) its seat of government."""
    s = _bare(surface)
    if s in vocab.countries:
        return vocab.countries[s]
    if seats and s in vocab.seats:
        return vocab.seats[s]
    for noun in vocab.state_nouns:
        if s.endswith(" " + noun):
            return vocab.countries.get(_bare(s[: -len(noun) - 1]))
        if s.startswith(noun + " of "):
            return vocab.countries.get(_bare(s[len(noun) + 4 :]))
    return None


def state_org_id(country: str) -> str:
    return "government-of-" + slugify(country)


def state_forms(country: str, vocab: OrgVocab) -> dict[str, str]:
    """Folded forms naming ``country``'s state -> its org_id (what ``EntityIndex.state_of`` looks up)."""
    oid = state_org_id(country)
    bases = [k for k, v in vocab.countries.items() if v == country]
    out = {b: oid for b in bases}
    out.update({k: oid for k, v in vocab.seats.items() if v == country})
    for b in bases:
        for noun in vocab.state_nouns:
            out[f"{b} {noun}"] = oid
            out[f"{noun} of {b}"] = oid
    return out


# ----------------------------------------------------------------------------- detection

# A wire dateline opening a paragraph: the place in capitals, the outlet in parentheses.
_DATELINE = re.compile(r"[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.'’ -]{1,30})?\s*\(([A-Za-z.&' ]{1,25})\)\s*[—–-]+")
_LEAD = re.compile(r"(?:(?:the|The|a|A|an|An|and|And|of|&)\s+)+")
_TAIL = re.compile(r"(?:['’]s?|-[a-z][\w-]*|[\s,;:.(\[-]+)$")
# "(ABBR)" after a name, possibly after one to three more words the model left out ("... in Lebanon (UNIFIL)")
_ABBREV = re.compile(r"((?:\s+(?:in|of|for|on)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})?)\s*\(([A-Z][A-Za-z&.-]{1,11})\)")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    for _ in range(3):
        lead = _LEAD.match(text, s, e)
        if lead and lead.end() < e:
            s = lead.end()
        tail = _TAIL.search(text, s, e)
        if tail and tail.start() > s:
            e = tail.start()
        while s < e and not text[s].isalnum():
            s += 1
    return s, e


def _initials(abbr: str, name: str) -> bool:
    """ABBR's capitals, in order, begin words of the name ("IRGC" ~ "Islamic Revolutionary Guard Corps")."""
    letters = [c for c in abbr if c.isupper()]
    firsts = [w[0].upper() for w in re.split(r"[\s-]+", name) if w]
    it = iter(firsts)
    return len(letters) >= 2 and letters[0] == firsts[0] and all(c in it for c in letters)


def _head(words: list[str]) -> str:
    for i, w in enumerate(words):
        if w in ("of", "for", "on") and i > 0:
            return words[i - 1]
    return words[-1]


def org_kind(name: str, vocab: OrgVocab) -> str:
    """Kind from marker words, else from the head word; "other" when neither is listed."""
    words = name.split()
    for kind, markers in vocab.marker_kinds:
        if any(w in markers for w in words):
            return kind
    head = _head(words)
    for kind, heads in vocab.head_kinds:
        if head in heads:
            return kind
    return "other"


def _without_country_owner(name: str, vocab: OrgVocab) -> str:
    """The folded name without a leading country possessive ("Israel's Negev Center" -> "negev center")."""
    m = re.match(r"(.+?)['’]s (.+)", name)
    return fold_text(m.group(2)) if m and fold_text(m.group(1)) in vocab.countries else fold_text(name)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def reject_reason(name: str, before: str, vocab: OrgVocab, titles: Any, person_words: set[str]) -> str | None:
    """Why a trimmed model ORG span is no organization (None: it is one). ``before``: the text
    just before it; ``titles``: a predicate for person titles; ``person_words``: folded words of
    the source's person names."""
    words = name.split()
    folded = fold_text(name)
    if not words or (not name[0].isupper() and not name[0].isdigit()):
        return "lower-case"
    if any(w[0].islower() and w not in vocab.connectors and not re.match(r"(?:al|el|ad|as|an|ar|at|az|ash)-", w)
           for w in words):
        return "lower-case word"
    if folded in vocab.generic:
        return "generic word"
    if folded in vocab.places or folded in vocab.countries or _without_country_owner(name, vocab) in vocab.places:
        return "place"
    if any(name.startswith(f + " ") or name == f for f in vocab.not_first) or any(
            before.rstrip().endswith(" " + f) or before.rstrip() == f for f in vocab.not_first):
        return "operation, vessel or place"
    head = _head(words)
    numbered = len(words) > 1 and words[-1].isdigit() and (words[-2] in vocab.not_heads or words[-2] in vocab.not_first)
    if head in vocab.not_heads or numbered or any(vocab.model_code.match(w) for w in words):
        return "facility, event, work or weapon"
    if any(words[-1].lower().endswith(sfx) for sfx in vocab.not_suffixes):
        return "ideology"
    kind = org_kind(name, vocab)
    if kind == "other" and any(titles(w) and not _is_acronym(w) for w in (words[0], words[-1])):
        return "title"  # "General Petraeus", "Marine Brigadier"
    if len(words) == 1 and not _is_acronym(name) and folded in person_words:
        return "person"
    return None


def model_orgs(
    text: str,
    passage: PassageRow,
    spans: Iterable[tuple[int, int, str]],
    taken_orgs: Sequence[OrgMention],
    persons: Sequence[tuple[int, int]],
    person_words: set[str],
    vocab: OrgVocab,
    titles: Any,
    rejected: list[tuple[str, str]],
    skip_abbrev: set[str],
) -> tuple[list[OrgMention], list[StateMention]]:
    """Organizations and states of one passage from its NER spans (offsets relative to the
    passage), leaving out what curated orgs (``taken_orgs``) or ``persons`` already cover.
    ``skip_abbrev``: abbreviations of rejected names in the source so far ("Operation X (OX)")."""
    base = passage.char_start
    orgs: list[OrgMention] = []
    states: list[StateMention] = []
    dl = _DATELINE.match(passage.text)
    if dl:  # "BAGHDAD (AP) —": the outlet alone, as media
        s, e = base + dl.start(1), base + dl.end(1)
        if not any(o.char_start < e and s < o.char_end for o in taken_orgs):
            name = text[s:e].strip()
            orgs.append(OrgMention(passage.source_id, passage, s, s + len(name), name, slugify(name),
                                   "media", True, None, True))
    spans = sorted(spans)
    norp_end = {e: s for s, e, label in spans if label == "NORP"}
    for rs, re_, label in spans:
        if label == "ORG" and rs - 1 in norp_end and passage.text[rs - 1] == " ":
            rs = norp_end[rs - 1]  # "Kata'ib Hezbollah", "Lebanese Hezbollah": the model cut the name
        elif label == "ORG":
            rs = _name_start(passage.text, rs, vocab, titles, person_words)
        s, e = base + rs, base + re_
        if dl and s < base + dl.end():
            continue
        if label == "GPE":
            country = state_country(text[s:e], vocab, seats=False)
            if country:
                states.append(StateMention(passage.source_id, s, e, text[s:e], country))
            continue
        if label in ("FAC", "PERSON"):
            # "the Saraya al-Salam militia", "the X movement": the model took a group for a facility
            # or a person; the name before the group's noun is the organization's
            e, label = _group_name(text, s, e, passage.char_end, vocab.group_nouns, label)
        if label != "ORG":
            continue
        for ps, pe in _pieces(s, e, persons):
            for cs, ce in _split(text, ps, pe, vocab):
                _one(text, passage, cs, ce, taken_orgs, person_words, vocab, titles, rejected, skip_abbrev,
                     orgs, states)
    return orgs, states


def _one(text: str, passage: PassageRow, ps: int, pe: int, taken_orgs: Sequence[OrgMention],
         person_words: set[str], vocab: OrgVocab, titles: Any, rejected: list[tuple[str, str]],
         skip_abbrev: set[str], orgs: list[OrgMention], states: list[StateMention]) -> None:
    """Judge one candidate span [ps, pe) of a model ORG span; add what it names to orgs or states."""
    base = passage.char_start
    ps, pe = _trim(text, ps, pe)
    pe = _cut_person_tail(text, ps, pe, person_words)
    if pe <= ps or any(o.char_start < pe and ps < o.char_end for o in taken_orgs):
        return
    name = text[ps:pe]
    if name in skip_abbrev:
        return
    country = state_country(name, vocab, seats=False)
    if country and " " in _bare(name):  # "the Government of Iraq", "United States Government"
        states.append(StateMention(passage.source_id, ps, pe, name, country))
        return
    reason = reject_reason(name, text[max(base, ps - 12) : ps], vocab, titles, person_words)
    if not reason and " " not in name and not _is_acronym(name) and _NEXT_CAP.match(text, pe, passage.char_end):
        reason = "part of a longer name or a product ('Airbus A320')"
    prev = _PREV_CAP.search(text, max(base, ps - 30), ps)
    if not reason and " " not in name and not _is_acronym(name) and prev and prev.group().strip() not in vocab.function_words:
        reason = "part of a longer name or a product ('Hyundai Starex')"
    if not reason and re.match(r": [A-Z]", text[pe : pe + 3]):
        reason = "a work's title ('X: Subtitle')"
    ab = _ABBREV.match(text, pe, passage.char_end)
    if reason:
        rejected.append((name, f"not an organization: {reason}"))
        if ab:
            skip_abbrev.add(ab.group(2))
        return
    alias = None
    if ab and _initials(ab.group(2), name + ab.group(1)):
        # "United Nations Interim Force in Lebanon (UNIFIL)": the words before the abbreviation belong to the name
        alias, pe = ab.group(2), pe + len(ab.group(1))
        name = text[ps:pe]
    media = bool((vocab.media_before and vocab.media_before.search(text, max(base, ps - 40), ps))
                 or (vocab.media_after and vocab.media_after.match(text, pe, passage.char_end)))
    orgs.append(OrgMention(passage.source_id, passage, ps, pe, name, _slug(name), org_kind(name, vocab), True, alias,
                           media))


_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")


def _group_name(text: str, s: int, e: int, limit: int, nouns: frozenset[str], label: str) -> tuple[int, str]:
    """(end, label) of a model span [s, e): a capitalised name whose last word inside the span, or
    first word after it, is a group's lower-case noun becomes an ORG ending before that noun."""
    words = text[s:e].split()
    if len(words) > 1 and words[-1] in nouns and any(w[:1].isupper() for w in words[:-1]):
        return s + text[s:e].rstrip().rfind(" " + words[-1]), "ORG"
    m = _WORD_AFTER.match(text, e, limit)
    if m and m.group(1) in nouns and text[e - 2 : e] not in ("'s", "’s"):
        return e, "ORG"
    return e, label


def _slug(name: str) -> str:
    return slugify(re.sub(r"['’]s\b", "s", name))


_POSSESSIVE = re.compile(r"['’]s (?=[A-Z])")
_AND_THE = re.compile(r",? and (?=[Tt]he [A-Z])")


def _split(text: str, s: int, e: int, vocab: OrgVocab) -> list[tuple[int, int]]:
    """[s, e) split where the model joined two names: "the Treasury's Office of X" (an owner that
    is no country: "Iraq's Federal Supreme Court" stays whole), "the AP and the Guardian"."""
    for rx in (_AND_THE, _POSSESSIVE):
        m = rx.search(text, s, e)
        if m and not (rx is _POSSESSIVE and _bare(text[s : m.start()]) in vocab.countries):
            return [(s, m.start()), *_split(text, m.end(), e, vocab)]
    return [(s, e)]


# a capitalised word or model code right after / before a one-word name, outside the model's span
_NEXT_CAP = re.compile(r" (?:[A-Z][a-z]+|[A-Z]*\d+\w*)\b")
_PREV_CAP = re.compile(r"(?<![.!?:;\n\"“] )(?<![.!?:;\n\"“])\b[A-Z][a-z]+ $")


_PREV_WORD = re.compile(r"([A-Z][\w'’-]*[a-z][\w'’-]*) $")


def _name_start(ptext: str, rs: int, vocab: OrgVocab, titles: Any, person_words: set[str]) -> int:
    """Start of a model ORG span, moved back over one capitalised word the model left out
    ("Kata'ib Hezbollah"): not a function word, title, country word or person's name word."""
    if ptext[rs : rs + 4] in ("the ", "The "):
        return rs
    m = _PREV_WORD.search(ptext, max(0, rs - 30), rs)
    if m is None:
        return rs
    w = m.group(1)
    owner = re.sub(r"['’]s$", "", w)
    if owner != w and fold_text(owner) in vocab.countries:
        return m.start(1)  # "Iraq's" + "Federal Supreme Court": the state it belongs to is part of its name
    # not a word that ends another name ("Cham Wings Airlines Airbus"), nor a compound adjective ("Saudi-based")
    ends_name = any(w in heads for _, heads in vocab.head_kinds) or re.search(r"-[a-z]", w)
    if (ends_name or w in vocab.function_words or re.search(r"['’]s$", w) or titles(w) or fold_text(w) in vocab.countries
            or fold_text(w) in person_words or fold_text(w) in vocab.generic or fold_text(w) in vocab.places):
        return rs
    return m.start(1)


def _cut_person_tail(text: str, s: int, e: int, person_words: set[str]) -> int:
    """End of [s, e) without trailing words of the source's person names ("House Committee on
    Foreign Affairs Eliot Engel"), keeping at least two words."""
    words = list(re.finditer(r"\S+", text[s:e]))
    while len(words) > 2 and fold_text(words[-1].group()) in person_words:
        words.pop()
    return s + words[-1].end() if words else e


def _pieces(s: int, e: int, persons: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """[s, e) minus the person names inside it."""
    out, cur = [], s
    for ps, pe in sorted(p for p in persons if p[0] < e and s < p[1]):
        if ps > cur:
            out.append((cur, ps))
        cur = max(cur, pe)
    if cur < e:
        out.append((cur, e))
    return out


# ----------------------------------------------------------------------------- rows


def org_key(name: str, vocab: OrgVocab | None = None) -> str:
    """Grouping key of a name: case, dots, hyphens, "the", "United States"/"US", the order of
    "Ministry of X"/"X Ministry", plurals and "-ary" ("Revolution Guards" ~ "Revolutionary Guard")
    and romanisation (``names.skeleton``: "Qods" ~ "Quds") do not matter; with ``vocab``, neither does
    the form of a leading country ("Iran's Foreign Ministry" ~ "Iranian Foreign Ministry")."""
    s = _bare(_POSSESSIVE.sub(" ", name))
    if vocab is not None:
        words = s.split()
        for n in (2, 1):
            if len(words) > n and " ".join(words[:n]) in vocab.countries:
                s = " ".join([fold_text(vocab.countries[" ".join(words[:n])]), *words[n:]])
                break
    s = s.replace(".", "")
    s = re.sub(r"[-‐–&]+", " ", s)
    s = re.sub(r"\bunited states\b", "us", s)
    s = re.sub(r"\b(?:and)\b", " ", s)
    m = re.fullmatch(r"(.*?)\b(ministry|department|office|bureau) (?:of|for) (?:the )?(.+)", s)
    if m:
        s = f"{m.group(1)} {m.group(3)} {m.group(2)}"
    words = [re.sub(r"(?:ary|s)$", "", w) if len(w) > 4 else w for w in s.split()]
    return " ".join(skeleton(w) if len(w) > 3 else w for w in words)


def _acronym_of(name: str) -> str:
    """The initials of a name's capitalised words ("Federal Bureau of Investigation" -> "FBI")."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())


def org_rows(sources: Sequence[SourceMentions], curated: Curated) -> tuple[list[Row], list[EntityMention], dict[str, str]]:
    """organizations rows (curated, then uncurated, then states, each in order of first mention),
    the index mentions of organizations, and the state forms for ``EntityIndex.state_of``."""
    vocab = curated.org_vocab
    assert vocab is not None, "load_curated sets org_vocab"
    curated_keys: dict[str, str] = {}
    for oid, co in curated.orgs.items():
        for form in (co.name, *co.aliases):
            curated_keys.setdefault(org_key(form, vocab), oid)
    uncurated = [o for src in sources for o in src.orgs if o.org_id not in curated.orgs]
    names_of_key: dict[str, Counter[str]] = defaultdict(Counter)
    alias_of: dict[str, set[str]] = defaultdict(set)
    for o in uncurated:
        names_of_key[org_key(o.surface, vocab)][o.surface] += 1
        if o.alias:
            alias_of[org_key(o.alias, vocab)].add(org_key(o.surface, vocab))
    # an abbreviation never given in parentheses joins the one name whose initials it is ("CIA")
    initials: dict[str, set[str]] = defaultdict(set)
    for key, ns in names_of_key.items():
        for n in ns:
            if not _is_acronym(n) and len(_acronym_of(n)) >= 2:
                initials[org_key(_acronym_of(n))].add(key)
    target: dict[str, str] = {}  # key -> key of the group it joins, or "=" + curated id
    for key in names_of_key:
        full = alias_of.get(key) or initials.get(key, set())
        full = {f for f in full if f != key}
        # "Lebanese Hezbollah" ~ "Hezbollah": a country adjective before a name the sources use alone
        bare = _without_country(next(iter(names_of_key[key])), vocab)
        if not full and bare and (bare in names_of_key or bare in curated_keys):
            full = {bare}
        if not full:  # a unit named with its parent ("IRGC Quds Force" ~ "Quds Force")
            full = {u for u in _units(key, names_of_key, curated_keys)}
        joined = min(full, key=lambda f: (-sum(names_of_key[f].values()) if f in names_of_key else 0, f)) if full else key
        target[key] = "=" + curated_keys[joined] if joined in curated_keys else (
            "=" + curated_keys[key] if key in curated_keys else joined)
    for key in target:  # follow chains ("IRGC" -> "Iran's IRGC" -> "IRGC" in full) to their end
        seen = {key}
        while not target[key].startswith("=") and target[key] in target and target[target[key]] != target[key] \
                and target[key] not in seen:
            seen.add(target[key])
            target[key] = target[target[key]]
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    used = set(curated.orgs)
    for key in dict.fromkeys(target[k] for k in names_of_key):
        if key.startswith("="):
            continue
        written = Counter({n: c for k, ns in names_of_key.items() if target[k] == key for n, c in ns.items()})
        # the most frequent form; a full name before its abbreviation, a name before its owner's possessive
        name = max(written, key=lambda n: (not _is_acronym(n), not _POSSESSIVE.search(n), written[n], len(n.split())))
        oid = _slug(name)
        if oid in used:
            oid = f"{oid}-{short_hash(key, length=6)}"
        used.add(oid)
        ids[key], names[oid] = oid, name
    resolved = {k: t[1:] if t.startswith("=") else ids[t] for k, t in target.items()}
    counts: Counter[str] = Counter()
    surfaces: dict[str, set[str]] = defaultdict(set)
    media: set[str] = set()
    first: list[str] = []
    index: list[EntityMention] = []
    for src in sources:
        for o in src.orgs:
            oid = o.org_id if o.org_id in curated.orgs else resolved[org_key(o.surface, vocab)]
            if oid not in counts:
                first.append(oid)
            counts[oid] += 1
            surfaces[oid].add(o.surface)
            if o.alias:
                surfaces[oid].add(o.alias)
            if o.media:
                media.add(oid)
            index.append(EntityMention(o.source_id, o.char_start, o.char_end, oid, "org", o.surface))
    rows: list[Row] = []
    for oid in [i for i in first if i in curated.orgs] + [i for i in first if i not in curated.orgs]:
        cur = curated.orgs.get(oid)
        name = cur.name if cur else names[oid]
        kind = cur.kind if cur else org_kind(name, vocab)
        if cur is None and oid in media and kind in ("other", "company"):
            kind = "media"  # "in an interview with X", "a X correspondent"
        country = cur.country if cur else next(  # "Iraq's X" written somewhere gives X's country
            (c for c in (_country_in(f, vocab) for f in [name, *sorted(surfaces[oid])]) if c), None)
        aliases = sorted((set(cur.aliases) if cur else set()) | surfaces[oid] - {name})
        rows.append({"org_id": oid, "name": name, "aliases": aliases, "kind": kind, "country": country,
                     "mention_count": counts[oid], "curated": cur is not None})
    state_rows, forms = _state_rows(sources, vocab, used)
    return rows + state_rows, index, forms


def _units(key: str, names_of_key: dict[str, Counter[str]], curated_keys: dict[str, str]) -> list[str]:
    """Keys of known names of two words or more that end ``key`` after a known name
    ("islamic revolution guard corp kuds furc" = IRGC + "kuds furc")."""
    known = names_of_key.keys() | curated_keys.keys()
    words = key.split()
    for i in range(1, len(words) - 1):
        head, unit = " ".join(words[:i]), " ".join(words[i:])
        if unit in known and head in known:
            return [unit]
    return []


def _without_country(name: str, vocab: OrgVocab) -> str | None:
    """The key of a name without its leading country name, adjective or possessive ("Iraqi Army",
    "Iraq's Army" -> "army")."""
    words = _bare(_POSSESSIVE.sub(" ", name)).split()
    for n in (2, 1):
        if len(words) > n and " ".join(words[:n]) in vocab.countries:
            return org_key(" ".join(words[n:]), vocab)
    return None


def _country_in(name: str, vocab: OrgVocab) -> str | None:
    words = re.findall(r"[\w.]+", name)
    for n in (2, 1):
        for i in range(len(words) - n + 1):
            c = vocab.countries.get(fold_text(" ".join(words[i : i + n])))
            if c:
                return c
    return None


def _state_rows(sources: Sequence[SourceMentions], vocab: OrgVocab, used: set[str]) -> tuple[list[Row], dict[str, str]]:
    counts: Counter[str] = Counter()
    surfaces: dict[str, set[str]] = defaultdict(set)
    for src in sources:
        for st in src.states:
            counts[st.country] += 1
            surfaces[st.country].add(st.surface)
    rows: list[Row] = []
    forms: dict[str, str] = {}
    for country in counts:  # order of first mention
        oid = state_org_id(country)
        forms.update(state_forms(country, vocab))
        if oid in used:  # a curated row already stands for this state
            continue
        the = "the " if country in vocab.with_article else ""
        name = f"Government of {the}{country}"
        rows.append({"org_id": oid, "name": name, "aliases": sorted(surfaces[country] - {name}),
                     "kind": "government", "country": country, "mention_count": counts[country],
                     "curated": True})
    return rows, forms
