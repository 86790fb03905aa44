"""Scope: which words of a sentence tell of a given predicate and which tell of something else.

What belongs here: ``foreign_spans`` -- the parts of a parsed sentence that describe another
thing than the occurrence a token names (a description of a person, "X, who served as adviser in
2018, ..."; a relative clause on another noun, "a warrant for those behind the strike that killed
a general"; a clause coordinated with the predicate's own, "has been head since 1998 and has
survived ..."). Dates, tolls and places found there are not the occurrence's. Events and plots
ask it; it knows nothing about either.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

# relations by which a clause or phrase describes the noun it hangs on ("X, who served ...")
_DESCRIBING = {"appos", "relcl", "acl"}
_NOUNISH = {"NOUN", "PROPN", "PRON", "NUM"}
_INSTRUMENT_PREPS = {"with", "by", "through", "in"}


def path_to_root(tok: Token) -> list[Token]:
    """``tok`` and its heads up to the root."""
    path = [tok]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def foreign_spans(tok: Token, base: int, coordinated: bool = True,
                  describes: Callable[[Token], bool] | None = None) -> list[tuple[int, int]]:
    """Absolute character spans of ``tok``'s sentence that tell of something else than ``tok``'s
    occurrence (``base``: the sentence's absolute offset).

    - a description hanging on a noun off ``tok``'s path to the root (apposition, relative or
      participial clause): "Mark Dunn, who served as adviser in 2018, was the target of a plot";
    - a clause coordinated with a clause of the path, and the words belonging to the first
      conjunct only (right of its head, left of the conjunct holding ``tok``): "has been head of
      the force since 1998 and has survived several attempts".
    Words left of the first conjunct ("In 2021, X plotted and tried to kill Y") are shared. A
    description of the noun that is the instrument of a path verb ("retaliated with an attack, a
    barrage on the base") tells the same occurrence. ``coordinated=False`` keeps the clauses
    coordinated with the path's (for occurrences told over two verbs: "the missiles were
    launched ... and targeted the base"). ``describes``: the nouns whose descriptions tell of
    something else (default every noun; events pass persons, organizations and occurrences, so that
    "a facility hosting U.S. forces at the airport" still says where).
    """
    path = path_to_root(tok)
    on_path = {t.i for t in path}
    out: list[tuple[int, int]] = []

    def add(t: Token) -> None:
        sub = list(t.subtree)
        if any(x.i == tok.i for x in sub):
            return
        out.append((base + sub[0].idx, base + sub[-1].idx + len(sub[-1].text)))

    for t in tok.doc:
        if t.dep_ in _DESCRIBING and t.head.i not in on_path and t.head.pos_ in _NOUNISH \
                and not _instrument_of_path(t.head, on_path) and (describes is None or describes(t.head)):
            add(t)
    for t in path:
        for ch in t.children:
            if coordinated and ch.dep_ == "conj" and ch.i not in on_path and ch.pos_ in ("VERB", "AUX"):
                add(ch)  # another clause coordinated with the occurrence's
        if t.dep_ == "conj" and t.head.i != t.i:
            head = t.head
            for ch in head.children:
                if head.i < ch.i < t.i and ch.i not in on_path and ch.dep_ not in ("cc", "punct"):
                    add(ch)  # the first conjunct's own modifiers
    return out


def _instrument_of_path(noun: Token, on_path: set[int]) -> bool:
    """ "retaliated with an attack", "killed in a strike": the noun tells the path verb's occurrence."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.lower_ in _INSTRUMENT_PREPS and prep.head.i in on_path


def inside(start: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start < e for s, e in spans)
