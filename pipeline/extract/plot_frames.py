"""What the parse of a plot telling says beyond its trigger and roles.

What belongs here: small parse-reading rules the plot extractor (``pipeline.extract.plots``)
asks about one telling -- which parts of its sentence are not the plot's (a description of a
person, "X, head of the force since 1998, survived ..."; a coordinated clause of its own, "has
been head since 1998 and has survived ..."), so that their dates are never the plot's; which
person a description phrase ("a senior commander of group X") describes. No Dagster, no curated words of its own: the
caller passes the vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Token

# relations by which a clause or phrase describes the noun it hangs on ("X, who served ...")
_DESCRIBING = {"appos", "relcl", "acl"}
_NOUNISH = {"NOUN", "PROPN", "PRON", "NUM"}


def foreign_spans(trig: Token, path: Sequence[Token], base: int) -> list[tuple[int, int]]:
    """Absolute character spans of the sentence that tell something other than the plot.

    - a description of a noun off the trigger's path ("Mark Dunn, who served as adviser in 2018,
      was the target of a plot": the relative clause describes Dunn, its year is his tenure's);
    - a clause coordinated with a clause of the path, and the words that belong to the first
      conjunct only (right of its verb, left of the conjunct holding the trigger): "has been head
      of the force since 1998 and has survived several attempts".
    Words left of the first conjunct ("In 2021, X plotted and tried to kill Y") are shared.
    """
    on_path = {t.i for t in path}
    doc = trig.doc
    out: list[tuple[int, int]] = []

    def add(tok: Token) -> None:
        sub = list(tok.subtree)
        if trig.i in {t.i for t in sub}:
            return
        out.append((base + sub[0].idx, base + sub[-1].idx + len(sub[-1].text)))

    for tok in doc:
        if tok.dep_ in _DESCRIBING and tok.head.i not in on_path and tok.head.pos_ in _NOUNISH:
            add(tok)
    for t in path:
        for ch in t.children:
            if ch.dep_ == "conj" and ch.i not in on_path and ch.pos_ in ("VERB", "AUX"):
                add(ch)  # another clause coordinated with the plot's
        if t.dep_ == "conj" and t.head.i != t.i:
            head = t.head
            for ch in head.children:
                if head.i < ch.i < t.i and ch.i not in on_path and ch.dep_ not in ("cc", "punct"):
                    add(ch)  # the first conjunct's own modifiers
    return out


def inside(start: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start < e for s, e in spans)


def described(tok: Token) -> Token | None:
    """The noun a description noun describes: "X, a member of Y" / "X is a member of Y" -> X.
    None when the noun describes no one (it is a role of its own clause)."""
    if tok.dep_ == "appos":
        return tok.head
    if tok.dep_ in ("attr", "oprd") and tok.head.pos_ in ("AUX", "VERB"):
        return next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.head.pos_ in ("AUX", "VERB"):
        # "X, who served as a commander of Y" / "X worked as an agent of Y"
        verb = tok.head.head
        return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return None
