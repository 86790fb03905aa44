"""Name helpers for the person extractor: tokens, name shapes, transliteration keys, vocabularies.

What belongs here: pure functions on strings (no corpus, no spaCy, no resolution policy) —
word tokens with offsets, the curated vocabularies the rules read (``person_vocabulary.yaml``,
``not_persons.yaml``), and the name comparison used to decide whether two forms can name the
same individual ("Qassem Soleimani" ~ "Qasem Soleimani" ~ "Qassim Suleimani",
"Javad Zarif" ~ "Mohammad Javad Zarif", but "Donald Trump" !~ "Donald Trump Jr.").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline import yamlload

# A word: "U.S." style abbreviations, words with inner apostrophes/hyphens ("Kata'ib",
# "al-Muhandis", "Trump's"), an optional full stop (kept only for abbreviations, see tokenize),
# numbers, or one punctuation character.
_TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w'’\-]*[^\W_])?\.?|\d[\d,.:]*\w*|[^\w\s]")
_APOSTROPHES = "'’`‘"
POSSESSIVE_ENDINGS = ("'s", "’s")


_FIRST_ALPHA_RE = re.compile(r"[^\W\d_]")


class Tok:
    """A word with absolute offsets into the source text.

    Its shape (capitalised, a word, possessive, bare form) is computed once, when it is made:
    the rules ask each token these questions many times.
    """

    __slots__ = ("bare", "end", "is_cap", "is_word", "possessive", "start", "text")

    def __init__(self, start: int, end: int, text: str):
        self.start = start
        self.end = end
        self.text = text
        head = text[:1]
        self.is_word: bool = head.isalpha()
        if self.is_word:
            self.is_cap: bool = head.isupper()  # "Soleimani", "U.S.", "Á"
        else:
            first = _FIRST_ALPHA_RE.search(text)
            self.is_cap = first is not None and first.group().isupper()
        self.possessive: bool = len(text) > 2 and text.endswith(POSSESSIVE_ENDINGS)
        self.bare: str = text[:-2] if self.possessive else text  # without a possessive ending

    def __repr__(self) -> str:
        return f"Tok({self.start}, {self.end}, {self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tok) and (self.start, self.end, self.text) == (
            other.start,
            other.end,
            other.text,
        )

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))


@dataclass(frozen=True)
class NameVocab:
    """The curated word lists the person rules read (all from raw/curated YAML)."""

    titles: frozenset[str]
    title_modifiers: frozenset[str]
    title_nouns: frozenset[str]
    role_nouns: frozenset[str]
    role_modifiers: frozenset[str]
    suffixes: frozenset[str]
    particles: frozenset[str]
    fold_particles: frozenset[str]
    demonyms: dict[str, str]
    fiction_cues: tuple[str, ...]
    honorifics: frozenset[str]
    credit_prefixes: tuple[str, ...]
    female_honorifics: frozenset[str]
    male_honorifics: frozenset[str]
    pseudonym_cues: tuple[str, ...]
    non_name_words: frozenset[str]  # folded
    following_heads: frozenset[str]  # folded
    following_lower: frozenset[str]
    preceding_words: frozenset[str]
    non_person_names: frozenset[str]  # fold_text of whole spans
    keep_period: frozenset[str]  # tokens whose final full stop belongs to them ("Jr.", "Gen.")
    given_name_titles: frozenset[str] = frozenset()  # titles that are also given names ("Sultan")
    contributor_cues: tuple[str, ...] = ()  # "Reporting by", "writers ... contributed" (lower case)
    kin_nouns: frozenset[str] = frozenset()  # "daughter", "brother" (lower case)
    alias_cues: tuple[str, ...] = ()  # "also known as", "nom de guerre" (lower case, longest first)
    alias_infobox_keys: frozenset[str] = frozenset()  # "Birth Name" (folded)
    place_prefixes: frozenset[str] = frozenset()  # "Wadi", "Jurf": words opening Arabic place names
    opening_words: frozenset[str] = frozenset()  # "My", "Our": open campaign and work names (folded)
    place_before: tuple[str, ...] = ()  # "province of", "city of" (lower case)
    person_object_verbs: frozenset[str] = frozenset()  # "charged", "assassinated"
    given_name_honorifics: frozenset[str] = frozenset()  # "Hajj", "Sayyed" (+ a first name)
    kunya_words: frozenset[str] = frozenset()  # "Abu", "Umm"
    # skeleton of a given name's short or familiar form -> skeleton of its full form ("Matt" -> "Matthew")
    given_variants: dict[str, str] = field(default_factory=dict)

    def is_title(self, word: str) -> bool:
        return word in self.titles or word in self.title_modifiers

    def is_suffix(self, word: str) -> bool:
        return word in self.suffixes

    def is_particle(self, word: str) -> bool:
        """A lower-case name particle (``al``, ``bin``, ``van``) or ``al-``-style prefix word."""
        return word in self.particles

    def country_of(self, word: str) -> str | None:
        return self.demonyms.get(word)

    def is_country_name(self, words: str) -> bool:
        """A country's own name ("Israel", "South Africa"), not an adjective ("Israeli")."""
        return self.demonyms.get(words) == words


def _words(data: dict[str, Any], key: str) -> list[str]:
    return [str(w) for w in data.get(key) or []]


@lru_cache(maxsize=8)
def load_vocab(curated_dir: Path) -> NameVocab:
    """Read ``person_vocabulary.yaml`` and ``not_persons.yaml`` (cached per directory)."""
    voc = yamlload.safe_load((curated_dir / "person_vocabulary.yaml").read_text(encoding="utf-8")) or {}
    neg = yamlload.safe_load((curated_dir / "not_persons.yaml").read_text(encoding="utf-8")) or {}
    titles = frozenset(_words(voc, "titles"))
    modifiers = frozenset(_words(voc, "title_modifiers"))
    suffixes = frozenset(_words(voc, "suffixes"))
    keep = {w for w in titles | modifiers | suffixes if w.endswith(".")}
    return NameVocab(
        titles=titles,
        title_modifiers=modifiers,
        title_nouns=frozenset(_words(voc, "title_nouns")),
        role_nouns=frozenset(w.lower() for w in _words(voc, "role_nouns")),
        role_modifiers=frozenset(w.lower() for w in _words(voc, "role_modifiers")),
        suffixes=suffixes,
        particles=frozenset(_words(voc, "particles")),
        fold_particles=frozenset(w.lower() for w in _words(voc, "fold_particles")),
        demonyms={str(k): str(v) for k, v in (voc.get("demonyms") or {}).items()},
        fiction_cues=tuple(w.lower() for w in _words(voc, "fiction_cues")),
        honorifics=frozenset(_words(voc, "honorifics")),
        credit_prefixes=tuple(_words(voc, "credit_prefixes")),
        female_honorifics=frozenset(_words(voc, "female_honorifics")),
        male_honorifics=frozenset(_words(voc, "male_honorifics")),
        pseudonym_cues=tuple(w.lower() for w in _words(voc, "pseudonym_cues")),
        non_name_words=frozenset(fold_text(w) for w in _words(neg, "non_name_words")),
        following_heads=frozenset(fold_text(w) for w in _words(neg, "following_heads")),
        following_lower=frozenset(_words(neg, "following_lower")),
        preceding_words=frozenset(_words(neg, "preceding_words")),
        non_person_names=frozenset(fold_text(w) for w in _words(neg, "names")),
        keep_period=frozenset(keep),
        given_name_titles=frozenset(_words(voc, "given_name_titles")),
        contributor_cues=tuple(
            sorted({w.lower() for w in _words(voc, "contributor_cues")}, key=len, reverse=True)
        ),
        kin_nouns=frozenset(w.lower() for w in _words(voc, "kin_nouns")),
        alias_cues=tuple(sorted({w.lower() for w in _words(voc, "alias_cues")}, key=len, reverse=True)),
        alias_infobox_keys=frozenset(fold_text(w) for w in _words(voc, "alias_infobox_keys")),
        place_prefixes=frozenset(fold_text(w) for w in _words(neg, "place_prefixes")),
        opening_words=frozenset(fold_text(w) for w in _words(neg, "opening_words")),
        place_before=tuple(w.lower() for w in _words(neg, "place_before")),
        person_object_verbs=frozenset(w.lower() for w in _words(voc, "person_object_verbs")),
        given_name_honorifics=frozenset(_words(voc, "given_name_honorifics")),
        kunya_words=frozenset(_words(voc, "kunya_words")),
        given_variants=_given_variants(voc),
    )


def _given_variants(voc: dict[str, Any]) -> dict[str, str]:
    """``given_name_variants`` (groups, full form first) as skeleton keys: each form -> the full form's."""
    out: dict[str, str] = {}
    for group in voc.get("given_name_variants") or []:
        keys = [skeleton(str(w)) for w in group]
        for k in keys[1:]:
            out.setdefault(k, keys[0])
    return out


class TokList(list[Tok]):
    """Tokens in text order, with their start offsets for binary search."""

    def __init__(self, toks: list[Tok]):
        super().__init__(toks)
        self.starts = [t.start for t in toks]

    def index_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect.bisect_left(self.starts, pos)

    def within(self, start: int, end: int) -> list[Tok]:
        """Tokens overlapping [start, end)."""
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        out = []
        while i < len(self) and self[i].start < end:
            if self[i].end > start:
                out.append(self[i])
            i += 1
        return out


def tokenize(text: str, base: int = 0, keep_period: frozenset[str] = frozenset()) -> TokList:
    """Word tokens of ``text`` with offsets shifted by ``base``.

    A final full stop stays on the word only for abbreviations (``Jr.``, ``Gen.``, ``U.S.``) and
    single-letter initials (``B.``); elsewhere it is a token of its own (sentence end).
    """
    out: list[Tok] = []
    append = out.append
    for m in _TOKEN_RE.finditer(text):
        word = m.group()
        s, e = m.span()
        if word[-1] == "." and len(word) > 1 and word[-2] != ".":
            stem = word[:-1]
            if not (word in keep_period or (len(stem) == 1 and stem.isupper()) or _DOTTED_RE.fullmatch(stem)):
                append(Tok(base + s, base + e - 1, stem))
                append(Tok(base + e - 1, base + e, "."))
                continue
        append(Tok(base + s, base + e, word))
    return TokList(out)


_DOTTED_RE = re.compile(r"(?:[A-Z]\.)+[A-Z]")


@lru_cache(maxsize=65536)
def fold_text(s: str) -> str:
    """Lower-case ASCII form for comparisons: accents, apostrophes and case dropped."""
    ascii_s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    ascii_s = re.sub(r"['`]", "", ascii_s.lower())
    return re.sub(r"\s+", " ", ascii_s).strip()


_FRONT = set("aeiy")  # a/e/i vary freely in romanised Arabic and Persian (Mohammad/Mohammed)
_BACK = set("ouw")  # o/u vary (Soleimani/Suleimani); front and back stay apart (Khamenei/Khomeini)


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """Transliteration key of one name part.

    Folds the variation of romanised Arabic and Persian names: q/gh/k, doubled letters, and
    vowel quality within two classes (a/e/i/y -> ``a``, o/u/w -> ``u``; a run of vowels takes
    the class of its first letter): Qassem, Qasem, Qassim -> ``kasam``; Soleimani, Suleimani,
    Solemani -> ``sulamana``; but Khamenei (``khamana``) != Khomeini (``khumana``).
    """
    w = fold_text(word).replace("-", "")
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return ""
    w = w.replace("gh", "k").replace("q", "k").replace("ck", "k").replace("ph", "f")
    out: list[str] = []
    in_vowels = False
    for i, c in enumerate(w):
        vowel = c in "aeiou" or (i > 0 and c in "yw")
        if vowel:
            if in_vowels:
                continue  # the run keeps its first letter's class
            c = "a" if c in _FRONT else "u"
            in_vowels = True
        else:
            in_vowels = False
            if out and out[-1] == c:
                continue
        out.append(c)
    return "".join(out)


@dataclass(frozen=True)
class NameShape:
    """A name reduced for comparison: core parts (keys), suffix, and the parts as written."""

    core: tuple[str, ...]  # skeleton keys of the name parts, particles and initials dropped
    written: tuple[str, ...]  # the same parts as written (particles dropped)
    suffix: str | None  # normalised generational suffix ("jr", "iii")
    initials: tuple[str, ...] = ()  # middle initials ("H", "W" of "George H. W. Bush")

    @property
    def full(self) -> bool:
        """Given name(s) and surname: at least two core parts."""
        return len(self.core) >= 2


def name_shape(name: str, vocab: NameVocab) -> NameShape:
    """Split a name (titles already removed) into comparable parts."""
    words = name.split()
    suffix = None
    if words and vocab.is_suffix(words[-1]):
        suffix = words[-1].rstrip(".").lower()
        words = words[:-1]
    core: list[str] = []
    written: list[str] = []
    initials: list[str] = []
    for w in words:
        if _INITIALS_RE.fullmatch(w):
            initials.extend(c for c in w if c.isalpha())  # "J.", "H.W."
            continue
        if vocab.is_particle(w):
            continue  # particles ("bin", "van") do not distinguish people
        for part in re.split(r"[-‐]", w):
            clean = part.strip(_APOSTROPHES)
            if not clean or clean.lower() in vocab.fold_particles:
                continue  # "al-Muhandis" ~ "Muhandis", "Al Asadi" ~ "Asadi"
            key = skeleton(clean)
            if key:
                core.append(key)
                written.append(clean)
    if len(core) > 1 and vocab.given_variants:
        # given names compare by their full form ("Matt Olsen" ~ "Matthew Olsen"); the surname as written
        core[:-1] = [vocab.given_variants.get(k, k) for k in core[:-1]]
    return NameShape(tuple(core), tuple(written), suffix, tuple(initials))


_INITIALS_RE = re.compile(r"[A-Z]\.?|(?:[A-Z]\.){2,3}")  # "J", "J.", "H.W." (not "JD")


def _is_subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(any(x == y for y in it) for x in short)


def same_person(a: NameShape, b: NameShape) -> bool:
    """Whether two full names can name the same individual.

    Same surname key, the shorter name's given names a subsequence of the longer's
    ("Javad Zarif" ~ "Mohammad Javad Zarif") or the same given names written as one word or
    two ("Amirali Hajizadeh" ~ "Amir Ali Hajizadeh"), and the same generational suffix.
    """
    if not (a.full and b.full) or a.suffix != b.suffix or a.core[-1] != b.core[-1]:
        return False
    if a.initials and b.initials and a.initials != b.initials:
        return False  # "George H. W. Bush" is not "George W. Bush" (but "Donald J. Trump" ~ "Donald Trump")
    short, long = (a, b) if len(a.core) <= len(b.core) else (b, a)
    if _is_subsequence(short.core[:-1], long.core[:-1]):
        return True
    return len(short.core) != len(long.core) and skeleton("".join(short.written[:-1])) == skeleton(
        "".join(long.written[:-1])
    )


def surname_match(short: NameShape, full: NameShape) -> bool:
    """Whether a partial form ("Soleimani", "al-Mahdi", "Abdul-Mahdi") ends ``full``'s name."""
    n = len(short.core)
    if n == 0 or n >= len(full.core) or full.core[-n:] != short.core:
        return False
    if short.suffix and short.suffix != full.suffix:
        return False
    # Very short parts ("Ali", "Tao") compare as written, not by their loose skeleton.
    return all(
        len(s) > 3 or fold_text(s) == fold_text(f)
        for s, f in zip(short.written, full.written[-n:], strict=True)
    )


_KEY_RE = re.compile(r"\w+")


class FormIndex:
    """Fixed forms (curated names, aliases) found at token starts, longest first.

    Faster than one regular expression alternating hundreds of forms: a form is only tried
    where a token begins with its first word. Straight and curly apostrophes match each other.
    """

    def __init__(self, forms: dict[str, str]):
        self._by_key: dict[str, list[tuple[str, str]]] = {}
        for form, value in forms.items():
            norm = form.replace("’", "'")
            key = _KEY_RE.match(norm)
            if key:
                self._by_key.setdefault(key.group(), []).append((norm, value))
        for entries in self._by_key.values():
            entries.sort(key=lambda e: -len(e[0]))

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def find(self, text: str, toks: TokList, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, value) of forms in text[lo:hi], leftmost-longest."""
        out: list[tuple[int, int, str]] = []
        taken = lo
        by_key = self._by_key
        for t in toks:
            word = t.text
            entries = by_key.get(word)
            if entries is None:
                if word.isalnum() or not word[:1].isalnum():
                    continue
                key = _KEY_RE.match(word)  # "Kata'ib", "al-Hashd", "U.S.": the first word part
                entries = by_key.get(key.group()) if key else None
                if not entries:
                    continue
            pos = t.start
            if pos < taken or pos >= hi:
                continue
            for norm, value in entries:
                end = pos + len(norm)
                if end > hi:
                    continue
                chunk = text[pos:end]
                if chunk != norm and chunk.replace("’", "'") != norm:
                    continue
                if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                    continue
                out.append((pos, end, value))
                taken = end
                break
        return out
        taken = lo
        starts = toks.starts
        for hit in self._key_re.finditer(text, lo, hi):
            pos = hit.start()
            if pos < taken:
                continue
            i = bisect.bisect_left(starts, pos)
            if i == len(starts) or starts[i] != pos:
                continue  # inside a word, not at a token start
            for norm, value in self._by_key[hit.group()]:
                end = pos + len(norm)
                if end > hi:
                    continue
                chunk = text[pos:end]
                if chunk != norm and chunk.replace("’", "'") != norm:
                    continue
                if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                    continue
                out.append((pos, end, value))
                taken = end
                break
        return out
