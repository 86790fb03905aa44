"""Filters: which candidate spans are a person's name (``reject_reason``: organizations, places,
facilities, campaigns, works, fiction, pseudonyms), trimming titles off a span, choosing among
overlapping candidates (``_select``) and names listed between two found names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract.names import (
    NameVocab,
    Tok,
    TokList,
    fold_text,
    name_shape,
)
from pipeline.extract.organizations import OrgMention
from pipeline.extract.persons.curated import Curated
from pipeline.extract.persons.mention import Mention, _Cand
from pipeline.extract.persons.words import _DETERMINERS, _FUNCTION_CAPS
from pipeline.text import SpanSet

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
        # the article opening the place's name may stand between ("the town of Al X", "the city of al-X")
        last = before.rsplit(" ", 1)[-1] if before else ""
        if last.rstrip("-") in vocab.fold_particles and not last.endswith(vocab.place_before):
            before = before[: len(before) - len(last)].rstrip()
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
        after = " ".join(text[end : end + 24].split()[:2])
        if after in vocab.following_lower:  # a two-word head ("air base")
            return f"place/facility ({after})"
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
