"""Stance cues, legal bases and subject groups found in a sentence's words.

What belongs here: ``find_cues`` (the stance groups of ``raw/curated/stance_cues.yaml``, a
negation in the few words before a cue flipping or weakening it), ``negated_in_parse`` (negation
the window misses, read from the clause layer's frames), ``find_bases`` (legal instruments and
doctrines, broader overlapping ones dropped) and ``subject_of`` (the curated subject groups).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from pipeline.extract.clauses import Clauses, Frame
from pipeline.extract.legal.vocab import LegalVocab
from pipeline.extract.sentences import token_at


@dataclass
class Cue:
    start: int  # relative to sentence
    end: int
    group: int  # index into vocab.groups; -1 = rejection; -2 = basis only
    stance: str | None
    negated: bool = False


_EDITORIAL = re.compile(r"\[(\w{1,4})\]")


def unbracketed(text: str) -> tuple[str, list[int]]:
    """``text`` with the brackets of short editorial insertions in quotations removed ("[n]o evidence",
    "[he] was"), and for each character of the result its offset in ``text`` (so that matches map back)."""
    out: list[str] = []
    where: list[int] = []
    last = 0
    for m in _EDITORIAL.finditer(text):
        out.append(text[last : m.start()])
        where.extend(range(last, m.start()))
        out.append(m.group(1))
        where.extend(range(m.start(1), m.end(1)))
        last = m.end()
    out.append(text[last:])
    where.extend(range(last, len(text)))
    where.append(len(text))
    return "".join(out), where


def find_cues(text: str, vocab: LegalVocab) -> list[Cue]:
    """Stance cues of a sentence, overlapping lower-priority matches dropped (read with editorial brackets
    removed, offsets in ``text``)."""
    plain, where = unbracketed(text)
    return [Cue(where[c.start], where[c.end - 1] + 1, c.group, c.stance, c.negated) for c in _find_cues(plain, vocab)]


def _find_cues(text: str, vocab: LegalVocab) -> list[Cue]:
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for gi, g in enumerate(vocab.groups):
        for m in g.regex.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            stance: str | None = g.stance
            before = text[: m.start()].split()[-vocab.negation_window :]
            negated = bool(before) and bool(vocab.negator.search(" ".join(before)))
            if negated and rhetorical(text, m.start(), vocab):
                negated = False  # "didn't the strike violate the law?": the speaker asserts it did
            if g.negated_only and not negated:
                continue  # "allowed", "covers": a stance only when denied
            if negated and g.negatable:
                stance = _flip(stance)
            elif negated and g.weak:
                stance = "questioned"  # "made no mention of an imminent attack"
            else:
                negated = False
            found.append(Cue(m.start(), m.end(), gi, stance, negated))
            taken.append((m.start(), m.end()))
    for m in vocab.rejection.finditer(text):
        if not any(m.start() < e and s < m.end() for s, e in taken):
            found.append(Cue(m.start(), m.end(), -1, None))
    return sorted(found, key=lambda c: c.start)


_CLAUSE_OPEN = re.compile(r"[.!?;:\"“”]")
_CLAUSE_CLOSE = re.compile(r"[.!?]")


def rhetorical(text: str, at: int, vocab: LegalVocab) -> bool:
    """Whether position ``at`` of a sentence lies in a negative question ("Didn't the attack undermine
    international law?", "Isn't this a crime?"): the clause ends with a question mark and opens with a
    negated auxiliary before its subject (``rhetorical_question`` of ``stance_cues.yaml``). Such a question
    asserts what it seems to deny, so its negation does not flip a cue."""
    opens = [m.end() for m in _CLAUSE_OPEN.finditer(text, 0, at)]
    start = opens[-1] if opens else 0
    close = _CLAUSE_CLOSE.search(text, at)
    if close is None or close.group() != "?":
        return False
    return bool(vocab.rhetorical.match(text, start))


def _flip(stance: str | None) -> str | None:
    return {"lawful": "unlawful", "unlawful": "lawful"}.get(stance or "", stance)


def negated_in_parse(cl: Clauses, cue: Cue, stop: Token | None, vocab: LegalVocab) -> bool:
    """Negation the word window misses, read from the clause layer's frames: the frame the cue lies
    in is negated ("did not violate"), or one it hangs on through a relative clause or a controlled
    verb ("there was no imminent attack that could trigger the right of self-defense"); a negation
    inside the cue itself ("approval should not be needed") is the cue's own."""
    tok = token_at(cl.doc, cue.start)
    if tok is None:
        return False
    by_head = {f.head: f for f in cl.frames}
    for cur in tok.ancestors:
        if stop is not None and cur.i == stop.i:
            return False
        if cur.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "det" and c.lower_ == "no" and not cue.start <= c.idx < cue.end
                                                 for c in cur.children):
            return True  # "no imminent attack that could trigger ..."
        f = by_head.get(cur.i)
        if f is None:
            continue
        if f.negative and not _negator_inside(cl, f, cue) and not rhetorical(
                cl.doc.text, cue.start, vocab) and not (
                cur.dep_ == "ccomp" and cur.head.lemma_.lower() in vocab.denial_verbs):
            # (a clause a denial verb governs, "denied that the strike was unlawful", is turned by the
            # holder's denial itself: counting it here too would turn it back)
            return True
        if f.dep not in ("relcl", "acl", "xcomp"):
            return False  # the clause boundary: negation further up is about something else
    return False


def _negator_inside(cl: Clauses, f: Frame, cue: Cue) -> bool:
    tok = cl.doc[f.head]
    for c in tok.children:
        if c.lower_ == f.negator or (f.negator == "no" and any(g.lower_ == "no" for g in c.children)):
            return cue.start <= c.idx < cue.end or any(cue.start <= g.idx < cue.end for g in c.children
                                                        if g.lower_ == "no")
    return f.negator in cl.doc.text[cue.start:cue.end].lower().split()


def find_bases(text: str, vocab: LegalVocab) -> list[tuple[str, int, int]]:
    """Legal bases named in a text: (basis id, start, end), broader overlapping ones dropped."""
    plain, where = unbracketed(text)
    hits = [(bid, where[m.start()], where[m.end() - 1] + 1, broader) for bid, rx, broader in vocab.bases
            for m in rx.finditer(plain)]
    out = []
    for bid, s, e, _ in hits:
        redundant = any(
            bid in broader2 and s < e2 and s2 < e for bid2, s2, e2, broader2 in hits if bid2 != bid
        )
        if not redundant:
            out.append((bid, s, e))
    return sorted(out, key=lambda h: h[1])


def subject_of(text: str, vocab: LegalVocab) -> tuple[str | None, bool]:
    """(subject, skip) for a clause: the first subject group matching, else the default."""
    for subject, rx, skip in vocab.subjects:
        if rx.search(text):
            return subject, skip
    return None, False
