"""Roles: the description of a person a mention carries, read from its apposition ("X, the
leader of ...") or pre-modifier ("Iranian foreign minister X"), and the country a role implies.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from pipeline.extract.names import (
    NameVocab,
    Tok,
    TokList,
)
from pipeline.extract.persons.curated import Curated
from pipeline.extract.persons.finders import _org_id
from pipeline.extract.persons.mention import Mention
from pipeline.extract.persons.select import _index_at
from pipeline.extract.persons.words import (
    _CLAUSE_STARTERS,
    _CONNECTORS,
    _DETERMINERS,
    _FUNCTION_CAPS,
    _REPORTING_VERBS,
    _ROLE_STOP_RE,
    _SENTENCE_PUNCT,
    _TRAILING_FUNCTION,
)

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
