"""What the parse of a plot telling says beyond its trigger and roles.

What belongs here: small parse-reading rules the plot extractor (``pipeline.extract.plots``)
asks about one telling: which person a description phrase ("a senior commander of group X")
describes. (Which parts of a sentence are not the plot's, "X, head of the force since 1998,
survived ...", is the clause layer's: ``clauses.scope``.) No Dagster, no curated words.
"""

from __future__ import annotations

from spacy.tokens import Token


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
