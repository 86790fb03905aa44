"""A source's own context: names echoed from elsewhere in the source ("Mr. X", "X said"),
surnames of its full names found again where no finder caught them, relatives introduced as
such, and names joined by an alias cue or an infobox "Birth Name".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract.names import (
    NameVocab,
    Tok,
    TokList,
    fold_text,
    name_shape,
    same_person,
)
from pipeline.extract.persons.curated import Curated, _alternation, _strip_titles_text
from pipeline.extract.persons.mention import Mention, SourceMentions
from pipeline.extract.persons.roles import _sentence_ends
from pipeline.extract.persons.select import _index_at, _name_like, _non_name, _title_before, reject_reason
from pipeline.extract.persons.words import _FUNCTION_CAPS, _REPORTING_VERBS, _SENTENCE_PUNCT
from pipeline.text import SpanSet

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
