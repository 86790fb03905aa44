"""What the parse of a plot telling says beyond its trigger and roles.

What belongs here: small parse-reading rules the plot extractor (``pipeline.extract.plots``)
asks about one telling: which person a description phrase ("a senior commander of group X")
describes; and whether a cluster of tellings tells a plot at all (``told_as_plot``: a killing
told only as a past fact, with nobody named behind it and no planning, ordering, attempt or charge
told, is an event, not a plot). (Which parts of a sentence are not the plot's, "X, head of the force since 1998,
survived ...", is the clause layer's: ``clauses.scope``.) No Dagster, no curated words.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def told_as_plot(statuses: Iterable[str], kinds: Iterable[str], agent_named: bool, has_heading: bool) -> bool:
    """Whether a cluster of tellings tells a plot rather than only a past killing.

    A killing told as past fact with nobody behind it ("X was killed in a strike on Monday", "the
    anniversary of his assassination") is an event; it is a plot where planning, consideration,
    ordering, an attempt, a foiling or a charge is told (a stage short of execution), where someone
    is named ordering or doing it ("agent_named": a sponsor, or a named perpetrator of a targeted
    killing, "the CIA killed X with a car bomb"), where a plot word or hacking is used, or under a
    heading naming a plot."""
    if has_heading or agent_named:
        return True
    if any(k not in ("kill", "strike_kill", "outcome") for k in kinds):
        return True
    return any(s != "executed" for s in statuses)
