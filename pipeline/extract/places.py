"""Named places: the curated gazetteer, finding places in text, and the ``places`` table.

What belongs here: reading ``raw/curated/places.yaml`` (names, aliases, country, containing
place, coordinates, names that merely contain a place name), finding place mentions in a
span of text, telling whether a mention is locative ("in Iraq", "near Baghdad airport",
"over Tehran") and which mention names the main place of a clause, and building ``places``
rows. A place the text names but the gazetteer lacks is still found by a conservative
pattern (a capitalised name ending in a place word after "in"/"at"/"near" --
"in Liberation Square" -- or followed by a known place -- "in Houston, Texas") and is
published with null coordinates and ``curated = false``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline import yamlload
from pipeline.errors import CuratedDataError
from pipeline.extract import Row
from pipeline.extract.entities import EntityMention
from pipeline.ids import slugify
from pipeline.text import SpanSet


@dataclass(frozen=True)
class Place:
    place_id: str
    name: str
    kind: str | None
    country: str | None
    within: str | None  # place_id of the containing place
    latitude: float | None
    longitude: float | None
    curated: bool = True


@dataclass(frozen=True)
class PlaceHit:
    char_start: int
    char_end: int
    surface: str  # the place as written
    place: Place
    locative: bool  # introduced by "in", "at", "near" ...
    vicinity: bool = False  # "near Baghdad", "north of Baghdad": somewhere around the place, not in it


@dataclass(frozen=True)
class Grammar:
    """Words deciding whether a mention is locative (``grammar`` in places.yaml)."""

    locative: frozenset[str]
    motion: frozenset[str]
    of_heads: frozenset[str]
    middle_words: frozenset[str]
    after_place: frozenset[str]
    kind_rank: dict[str, int]
    unknown_rank: int
    specific_kinds: frozenset[str]
    vicinity: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, Place]
    by_form: dict[str, tuple[Place, bool]]  # form -> (place, locative only)
    form_re: re.Pattern[str] | None
    blockers_re: re.Pattern[str] | None
    unknown_re: re.Pattern[str]
    known_after_re: re.Pattern[str] | None
    grammar: Grammar
    heads: tuple[str, ...]  # place words ending an unknown name ("Square")
    heads_re: re.Pattern[str] | None = None  # any of them, for a quick test

    def rank(self, place: Place) -> int:
        if not place.curated:
            return self.grammar.unknown_rank
        return self.grammar.kind_rank.get(place.kind or "", 0)

    def specific(self, place: Place) -> bool:
        return (place.kind or "") in self.grammar.specific_kinds

    def ancestors(self, place_id: str) -> list[str]:
        """The place and the places containing it, innermost first (its country last)."""
        out = [place_id]
        seen = {place_id}
        p = self.places.get(place_id)
        while p is not None and p.within and p.within not in seen:
            out.append(p.within)
            seen.add(p.within)
            p = self.places.get(p.within)
        country = self.places.get(place_id)
        if country is not None and country.country:
            cid = slugify(country.country)
            if cid in self.places and cid not in seen:
                out.append(cid)
        return out

    def related(self, a: str, b: str) -> bool:
        """Whether one place contains the other (or they are the same)."""
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)


def _alternation(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def _first_chars(forms: Iterable[str]) -> str:
    return "(?=[" + "".join(sorted({re.escape(f[0]) for f in forms if f})) + "])"


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


@lru_cache(maxsize=4)
def load_gazetteer(curated_dir: Path) -> Gazetteer:
    path = curated_dir / "places.yaml"
    try:
        data = yamlload.safe_load(path.read_text(encoding="utf-8"))
        entries = data["places"]
        by_name: dict[str, str] = {}
        raw_places: list[tuple[dict[str, Any], str]] = []
        for e in entries:
            pid = str(e.get("id") or slugify(str(e["name"])))
            by_name[str(e["name"])] = pid
            raw_places.append((e, pid))
        places: dict[str, Place] = {}
        by_form: dict[str, tuple[Place, bool]] = {}
        for e, pid in raw_places:
            within = e.get("within")
            lat, lon = _num(e.get("latitude")), _num(e.get("longitude"))
            if (lat is not None and not -90 <= lat <= 90) or (lon is not None and not -180 <= lon <= 180):
                raise ValueError(f"coordinates out of range for {e['name']}")
            place = Place(pid, str(e["name"]), e.get("kind"), e.get("country"),
                          by_name.get(str(within), slugify(str(within))) if within else None, lat, lon, True)
            places[pid] = place
            loc_only = bool(e.get("locative_only"))
            for form in [e["name"], *(e.get("aliases") or [])]:
                by_form.setdefault(str(form), (place, loc_only))
            for form in e.get("locative_aliases") or []:
                by_form.setdefault(str(form), (place, True))
        blockers = [str(b) for b in data.get("not_places") or []]
        heads = [str(h) for h in data.get("unknown_place_heads") or []]
        g = data["grammar"]

        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).lower() for w in g[key])

        grammar = Grammar(words("locative"), words("motion"), words("of_heads"), words("middle_words"),
                          words("after_place"), {str(k): int(v) for k, v in g["kind_rank"].items()},
                          int(g["unknown_rank"]), words("specific_kinds"), words("vicinity"))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise CuratedDataError(f"cannot read places: {exc}", path) from None
    locative_alt = _alternation(sorted(grammar.locative))
    # A lookahead on the forms' first letters lets the big alternations run only there.
    form_re = (re.compile(rf"{_first_chars(by_form)}(?<![\w-])(?:{_alternation(by_form)})(?![\w-]|\.\w)")
               if by_form else None)
    blockers_re = (re.compile(rf"{_first_chars(blockers)}(?<![\w-])(?:{_alternation(blockers)})(?![\w-])")
                   if blockers else None)
    head_alt = _alternation(heads)
    unknown_re = re.compile(
        rf"{_first_chars(grammar.locative)}\b(?:{locative_alt})\s+(?:the\s+)?(?P<name>(?:[A-Z][\w'’-]+\s+){{1,3}}(?:{head_alt})|(?:{head_alt})\s+[A-Z][\w'’-]+)"
        rf"(?![\w-])"
    )
    known = [f for f, (_p, loc) in by_form.items() if not loc]
    known_after_re = (
        re.compile(rf"(?=[ianoINAO])\b(?:in|at|near|outside)\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}}),\s+"
                   rf"(?P<ctx>{_alternation(known)})(?![\w-])")
        if known else None
    )
    heads_re = re.compile(_alternation(heads)) if heads else None
    return Gazetteer(places, by_form, form_re, blockers_re, unknown_re, known_after_re, grammar, tuple(heads),
                     heads_re)


_TAIL_WORDS = re.compile(r"[\w'’.-]+|[,;:()\"“”—–]")


def is_locative(text: str, floor: int, pos: int, gram: Grammar) -> bool:
    """Whether a preposition of place ("in", "near", "over" ...) introduces the name at pos:
    at most five words before it, with only articles, names and place words between."""
    ws = _TAIL_WORDS.findall(text, max(floor, pos - 70), pos)[-7:]
    for k in range(len(ws) - 1, -1, -1):
        w = ws[k]
        lw = w.lower()
        if lw in gram.locative:
            return len(ws) - 1 - k <= 5
        if lw == "of" and k > 0 and ws[k - 1].lower() in gram.of_heads:
            return True
        if lw == "to":
            return any(x.lower() in gram.motion for x in ws[max(0, k - 3) : k])
        if not w[0].isalpha():
            return False  # punctuation or a number between: "In 2014, the U.S."
        if w[0].islower() and lw not in gram.middle_words and re.sub(r"['’]s$", "", lw) not in gram.middle_words:
            return False
    return False


_BEFORE_WORDS = re.compile(r"([A-Za-z]+)\s+(?:of\s+)?(?:the\s+)?$")


def _in_vicinity(text: str, floor: int, pos: int, gram: Grammar) -> bool:
    """"near Baghdad", "a base north of Baghdad": around the place rather than in it."""
    m = _BEFORE_WORDS.search(text, max(floor, pos - 30), pos)
    return m is not None and m.group(1).lower() in gram.vicinity


_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


def _adjectival(text: str, end: int, limit: int, gram: Grammar) -> bool:
    """"a U.S. drone strike": an ambiguous form used before a noun, not as a place."""
    m = _NEXT_WORD.match(text, end, limit)
    return m is not None and m.group(1).lower() not in gram.after_place


def find_places(
    text: str, start: int, end: int, gaz: Gazetteer, entities: Sequence[EntityMention] = ()
) -> list[PlaceHit]:
    """Place mentions in text[start:end], in order: gazetteer forms, then unknown places by pattern."""
    forms = list(gaz.form_re.finditer(text, start, end)) if gaz.form_re is not None else []
    blocked: list[tuple[int, int]] = []
    if gaz.blockers_re is not None and forms:
        blocked = [(m.start(), m.end()) for m in gaz.blockers_re.finditer(text, start, end)]
    # A place name inside a longer organization or person name is not a place ("Israel Katz").
    blocked += [(e.char_start, e.char_end) for e in entities]

    blocking = SpanSet(blocked)

    def free(s: int, e: int) -> bool:
        return not blocking.encloses(s, e)

    hits: list[PlaceHit] = []
    if forms:
        for m in forms:
            if blocked and not free(m.start(), m.end()):
                continue
            place, loc_only = gaz.by_form[m.group(0)]
            locative = is_locative(text, start, m.start(), gaz.grammar)
            if loc_only and (not locative or _adjectival(text, m.end(), end, gaz.grammar)):
                continue
            hits.append(PlaceHit(m.start(), m.end(), m.group(0), place, locative,
                                 locative and _in_vicinity(text, start, m.start(), gaz.grammar)))
    taken = SpanSet([(h.char_start, h.char_end) for h in hits] + [(x.char_start, x.char_end) for x in entities])

    def overlaps(s: int, e: int) -> bool:
        return taken.overlaps(s, e)

    unknown: list[tuple[int, int, str | None]] = []
    chunk = text[start:end]
    if gaz.heads_re is not None and gaz.heads_re.search(chunk):
        unknown.extend((m.start("name"), m.end("name"), None) for m in gaz.unknown_re.finditer(text, start, end))
    if gaz.known_after_re is not None:
        for m in gaz.known_after_re.finditer(text, start, end):
            unknown.append((m.start("name"), m.end("name"), m.group("ctx")))
    for s, e, ctx_form in unknown:
        name = text[s:e]
        # "in US Airbase": a known name as a modifier makes no new place name.
        if overlaps(s, e) or name.split()[0] in gaz.by_form:
            continue
        country = None
        if ctx_form is not None:
            ctx_place = gaz.by_form[ctx_form][0]
            country = ctx_place.country
        place = Place(slugify(name), name, None, country, None, None, None, curated=False)
        hits.append(PlaceHit(s, e, name, place, True))
        taken.add(s, e)
    hits.sort(key=lambda h: h.char_start)
    return hits


def main_place(hits: Sequence[PlaceHit], anchor: int, gaz: Gazetteer, sites_too: bool = False) -> PlaceHit | None:
    """The place an occurrence happened at: the most specific locative mention, nearest the
    trigger (``anchor``) among equals. With ``sites_too`` a named site, base or airport counts
    even without a preposition ("the K-1 Air Base ... was attacked")."""
    top = max(gaz.grammar.kind_rank.values(), default=0)
    cands = [h for h in hits if h.locative or (sites_too and h.place.curated and gaz.rank(h.place) >= top)]
    if not cands:
        return None
    return max(cands, key=lambda h: (gaz.rank(h.place), -abs(h.char_start - anchor)))


def place_rows(places: Iterable[Place]) -> list[Row]:
    """One ``places`` row per place, curated entries winning over pattern finds of the same id."""
    best: dict[str, Place] = {}
    for p in places:
        if p.place_id not in best or (p.curated and not best[p.place_id].curated):
            best[p.place_id] = p
    return [
        {"place_id": p.place_id, "name": p.name, "country": p.country, "latitude": p.latitude,
         "longitude": p.longitude, "curated": p.curated}
        for p in sorted(best.values(), key=lambda p: p.place_id)
    ]
