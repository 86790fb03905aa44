"""Resolution across forms and sources (``resolve``): full names grouped by transliteration-
tolerant comparison, suffix variants and kunyas joined, curated entries on top, then surname-only
and first-name mentions assigned to the one person they can name; linked names merged last.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.extract.names import (
    NameShape,
    NameVocab,
    fold_text,
    name_shape,
    same_person,
    surname_match,
)
from pipeline.extract.persons.curated import Curated, CuratedPerson
from pipeline.extract.persons.mention import Mention, SourceMentions


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
    groups = _merge_misspelt(groups, report)
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


def _one_edit(a: str, b: str) -> bool:
    """Whether two different strings are one insertion, deletion or substitution apart (linear)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


# a surname key shorter than this is too common a shape to call one letter off a misspelling ("Hadad"/"Hadadi")
_MISSPELT_MIN = 7


def _merge_misspelt(groups: list[_Person], report: list[str]) -> list[_Person]:
    """A full name written once, one letter off the surname of a known person the same source names
    by surname alone, is a misspelling of that person ("Qassem Soleiman" in a report that goes on with
    "Soleimani"): its mentions join that person.

    Strong evidence only: the misspelt name is in no curated entry and in one source, at most twice;
    the person it joins is curated or named in full in another source, named in this source only by
    surname (a writer naming both in full tells two people apart); the given names are the same
    (transliteration-tolerant keys); the surname keys are one edit apart and long. Two curated
    people never merge."""
    by_given: dict[tuple[str, ...], list[_Person]] = defaultdict(list)
    for g in groups:
        if g.mentions and not g.single:
            for key in dict.fromkeys(sh.core[:-1] for sh in g.shapes if sh.full):
                by_given[key].append(g)
    gone: set[int] = set()
    for g in groups:
        srcs = {m.source_id for m in g.mentions}
        if g.curated is not None or g.single or len(srcs) != 1 or not 0 < len(g.mentions) <= 2:
            continue
        src = next(iter(srcs))
        last = g.rep.core[-1]
        fits = []
        for other in by_given.get(g.rep.core[:-1], ()):
            if other is g or id(other) in gone or not any(m.source_id == src for m in other.mentions):
                continue
            if any(m.source_id == src and m.shape.full for m in other.mentions):
                continue  # both named in full in one source: two people
            named_elsewhere = other.curated is not None or any(
                m.source_id != src and m.shape.full for m in other.mentions)
            keys = {sh.core[-1] for sh in other.shapes if sh.core[:-1] == g.rep.core[:-1]}
            if named_elsewhere and any(max(len(k), len(last)) >= _MISSPELT_MIN and _one_edit(k, last) for k in keys):
                fits.append(other)
        if len(fits) != 1:
            continue
        keep = fits[0]
        report.append(f"persons: '{_canonical(g)}' in {src} read as a misspelling of '{_canonical(keep)}'")
        keep.mentions.extend(g.mentions)
        keep.forms.update(g.forms)
        g.mentions = []
        gone.add(id(g))
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
        picked = _among_namesakes(m, cands)
        if picked is not None:
            return picked
        report.append(
            f"persons: skipped ambiguous '{m.surface}' in {m.source_id} ({len(cands)} people share it)"
        )
        return None
    cands = unsuffixed(fits(g for g in everyone if not g.single))
    # named in full only in other reports: the person the curated data knows by this very form ("Soleimani"
    # is the general's, not a relative's another report names in full); with no such person among them,
    # the curated entry below
    known_as = [g for g in cands if g.curated is not None
                and any(s.core == m.shape.core and s.suffix == m.shape.suffix for s in g.curated.shapes)]
    if len(known_as) == 1:
        cands = known_as
    elif not known_as and _curated_forms(m, curated):
        cands = []
    if len(cands) == 1:
        return cands[0]
    if len(cands) > 1:
        report.append(
            f"persons: skipped ambiguous '{m.surface}' in {m.source_id} (several people in other sources)"
        )
        return None
    hits = _curated_forms(m, curated)
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


def _curated_forms(m: Mention, curated: Curated) -> list[CuratedPerson]:
    """The curated people whose name or alias is this very form: only a form the curated entry lists itself
    ("Khamenei"), never any surname of a curated name ("Imam Hussein" is not Saddam Hussein)."""
    pool = curated.persons_by_last.get(m.shape.core[-1], ())
    hits = [c for c in pool if any(s.core == m.shape.core and s.suffix == m.shape.suffix for s in c.shapes)]
    if m.shape.suffix is None and any(name_shape(c.name, curated.vocab).suffix is None for c in hits):
        hits = [c for c in hits if name_shape(c.name, curated.vocab).suffix is None]
    return hits


# how many paragraphs back a namesake's full name still decides a bare surname by nearness ("A Johnson
# spoke first, B Johnson next. // Johnson later said"); further on it goes back to the report's subject
_NEAR_PARAGRAPHS = 1


def _among_namesakes(m: Mention, cands: list[_Person]) -> _Person | None:
    """Which of several people of a source sharing a surname a bare surname names: the one whose title it
    repeats ("General Talavi" after "General Arash Talavi" and "Leyla Talavi"); else the one named in full
    last in its own or the previous paragraph; else the one the source named first (a namesake introduced
    later -- a relative, a colleague -- is named again in full, the report's subject by surname). None when
    the source names none of them in full before it."""
    def earlier(g: _Person) -> list[Mention]:
        return [x for x in g.mentions if x.source_id == m.source_id and x.shape.full and x.char_start < m.char_start]

    before = {id(g): earlier(g) for g in cands}
    cands = [g for g in cands if before[id(g)]]
    if not cands:
        return None
    titles = {t.lower().rstrip(".") for t in m.titles}
    if titles:
        titled = [g for g in cands if any(titles & {t.lower().rstrip(".") for t in x.titles} for x in before[id(g)])]
        if len(titled) == 1:
            return titled[0]
    near = [(x.char_start, g) for g in cands for x in before[id(g)]
            if 0 <= m.passage.ordinal - x.passage.ordinal <= _NEAR_PARAGRAPHS]
    if near:
        return max(near, key=lambda p: p[0])[1]
    return min(cands, key=lambda g: min(x.char_start for x in before[id(g)]))


def _canonical(g: _Person) -> str:
    if g.curated is not None:
        return g.curated.name
    if g.forms:
        # most frequent full form; ties to the longer name, then to the form written first
        order = list(g.forms)
        return max(order, key=lambda f: (g.forms[f], len(f.split()), -order.index(f)))
    return g.mentions[0].surface
