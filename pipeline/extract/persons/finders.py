"""Finders: each proposes candidate spans of person names from one passage by one kind of
evidence: the curated gazetteer and organization forms, credit and contributor lines,
appositions before and after a name, Arabic-style particles, alias cues, verbs that take a
person, and the title rule ("President X", "Maj. Gen. X").
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.corpus import PassageRow
from pipeline.extract.names import (
    NameVocab,
    Tok,
    TokList,
    fold_text,
)
from pipeline.extract.organizations import OrgMention
from pipeline.extract.persons.curated import Curated
from pipeline.extract.persons.mention import _Cand
from pipeline.extract.persons.select import _name_like, _non_name
from pipeline.extract.persons.words import _CONNECTORS, _FUNCTION_CAPS, _SENTENCE_PUNCT
from pipeline.ids import slugify


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
        lower = t.text.lower()
        is_title = (
            t.text in vocab.titles
            or ((lower in vocab.title_nouns or lower in vocab.kin_nouns)
                # lower case ("her lawyer X", "his brother X"), or capitalised where a sentence
                # opens ("Activist X said")
                and (t.text.islower() or (t.text[1:].islower() and (i == 0 or toks[i - 1].text in _SENTENCE_PUNCT))))
        )
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
