"""Frames: one per predicate of a parsed sentence, with how the text qualifies it.

What belongs here: choosing the predicates of a spaCy parse (verbs, copular clauses, relative
clauses, controlled ``xcomp`` acts, optionally event nouns), and for each its lemma, absolute
offsets, polarity (a ``neg`` child, "never", "no" on its object, a governing deny/fail/refuse
verb, "without"), modality (a modal auxiliary), hedge (``hedge_of``: "could", "most likely",
"appears to"), condition (an ``advcl`` opened by if/unless/only
if/as long as), tense, voice and the frame it depends on. Roles, attribution and anchors are
filled by the sibling modules; this module knows nothing about who the fillers are.

Offsets: a parse is of one sentence whose first character is at ``base`` in the source text;
every offset a Frame carries is absolute (``base + token.idx``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Token

from pipeline.extract.clauses.lexicon import Lexicon
from pipeline.extract.token_offsets import doc_text

if TYPE_CHECKING:
    from pipeline.extract.clauses.anchors import Anchor
    from pipeline.extract.clauses.roles import Role

# dependency labels of clauses that are predicates of their own
_CLAUSAL = {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "pcomp", "acl", "csubj", "csubjpass"}
_NEGATORS = {"not", "n't", "never", "no", "nothing", "neither", "nor"}


@dataclass
class Condition:
    """A clause the frame holds under: "only if the threat was imminent"."""

    mark: str  # the marking words as written, lower-case ("if", "only if", "as long as")
    head: int  # token index of the condition clause's predicate
    start: int  # absolute offsets of the condition clause
    end: int


@dataclass
class Frame:
    """One predicate. ``head`` indexes the sentence Doc; offsets are absolute."""

    head: int
    lemma: str
    kind: str  # verb | copula | relcl | xcomp | nominal
    start: int  # the predicate word
    end: int
    clause_start: int  # the predicate's whole subtree
    clause_end: int
    dep: str  # relation to the governing token
    parent: int | None  # head token of the governing frame
    polarity: str = "positive"  # positive | negative
    negator: str | None = None  # the word that negates: "not", "never", "denied", "failed", "without"
    modality: str | None = None  # modal auxiliary lemma: could, would, must, ...
    hedge: str | None = None  # the word that hedges it: could, likely, appear, ... (``hedge_of``)
    condition: Condition | None = None
    tense: str | None = None  # past | present | future
    voice: str = "active"  # active | passive
    roles: list[Role] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)

    @property
    def negative(self) -> bool:
        return self.polarity == "negative"

    def fillers(self, *roles: str) -> list[Role]:
        """This frame's roles of the given kinds, in text order."""
        return [r for r in self.roles if r.role in roles]


def is_predicate(tok: Token, nominals: frozenset[str] = frozenset()) -> bool:
    """Whether ``tok`` heads a frame: a verb (not an auxiliary), a copula heading its clause,
    or one of the caller's event nouns."""
    if tok.pos_ == "VERB":
        return tok.dep_ not in ("aux", "auxpass", "amod", "compound", "prep")
    if tok.pos_ == "AUX":
        return tok.dep_ in _CLAUSAL
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in nominals


def _kind(tok: Token, nominals: frozenset[str]) -> str:
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in nominals:
        return "nominal"
    if tok.dep_ in ("relcl", "xcomp"):
        return tok.dep_
    return "copula" if tok.pos_ == "AUX" else "verb"


def _span(tok: Token, base: int) -> tuple[int, int]:
    left, right = tok.left_edge, tok.right_edge
    return base + left.idx, base + right.idx + len(right.text)


def _tense(tok: Token) -> str | None:
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("will", "shall", "'ll") for a in auxes):
        return "future"
    for t in [*auxes, tok]:
        tense = t.morph.get("Tense", [])
        if tense:
            return "past" if tense[0] == "Past" else "present"
    return None


def _modality(tok: Token) -> str | None:
    for c in tok.children:
        if c.dep_ == "aux" and c.tag_ == "MD":
            return c.lemma_.lower()
    return None


def hedge_of(tok: Token, lex: Lexicon) -> str | None:
    """The word that hedges what ``tok`` predicates, else None: a hedging modal ("could be justified"),
    a hedging adverb or adjective on it ("most likely unlawful", "probably breached", "a likely
    violation"), or ``tok`` itself as a hedging word or raising verb taking a clause ("likely to be
    legal", "appears to violate"). "would" is no hedge: it marks reported futures as often."""
    for c in tok.children:
        if c.dep_ == "aux" and c.tag_ == "MD" and c.lemma_.lower() in lex.hedge_modals:
            return c.lemma_.lower()
        if c.dep_ in ("advmod", "amod") and c.lower_ in lex.hedge_words:
            return c.lower_
    takes_clause = any(c.dep_ == "xcomp" for c in tok.children)
    if takes_clause and (tok.lower_ in lex.hedge_words or tok.lemma_.lower() in lex.hedge_verbs):
        return tok.lemma_.lower()
    return None


def _condition(tok: Token, lex: Lexicon, base: int) -> Condition | None:
    """An ``advcl`` child (or one hung on an adverb of the frame: "as long as") opened by a
    condition mark."""
    candidates = [c for c in tok.children if c.dep_ == "advcl"]
    for adv in (c for c in tok.children if c.dep_ == "advmod"):
        candidates.extend(c for c in adv.children if c.dep_ == "advcl")
    for cl in candidates:
        mark = next((c for c in cl.children if c.dep_ == "mark"), None)
        if mark is None:
            continue
        doc = tok.doc
        # the words before the clause's predicate, from its left edge (or the adverbs just before it)
        first = min(cl.left_edge.i, mark.i)
        while first > 0 and doc[first - 1].dep_ == "advmod" and doc[first - 1].pos_ == "ADV" and first - 1 > tok.i:
            first -= 1
        words = " ".join(t.lower_ for t in doc[first : mark.i + 1])
        for m in lex.condition_marks:
            if words == m or words.endswith(" " + m) or (m == mark.lower_ and words.endswith(m)):
                end = _span(cl, base)[1]
                return Condition(words if words.endswith(m) else m, cl.i, base + doc[first].idx, end)
    return None


def _polarity(tok: Token, lex: Lexicon) -> str | None:
    """The word that negates ``tok``, else None."""
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"):
            return c.lower_
    for c in tok.children:
        # "gave no evidence", "found nothing": the object is denied
        if c.dep_ in ("dobj", "attr") and (c.lower_ in ("nothing", "none") or any(
                g.dep_ == "det" and g.lower_ == "no" for g in c.children)):
            return "no"
    head = tok.head
    if head.i != tok.i:
        # "denied firing", "failed to show", "refused to say"
        if tok.dep_ in ("xcomp", "ccomp", "dobj") and head.lemma_.lower() in lex.negating_verbs:
            return head.lemma_.lower()
        # "without providing evidence"
        if tok.dep_ == "pcomp" and head.lower_ == "without":
            return "without"
    return None


def frames_of(doc: Doc, base: int, lex: Lexicon, nominals: Iterable[str] = ()) -> list[Frame]:
    """The frames of a parsed sentence, in text order (``base``: the sentence's absolute offset)."""
    noms = frozenset(n.lower() for n in nominals)
    heads = [t for t in doc if is_predicate(t, noms)]
    chosen = {t.i for t in heads}
    out: list[Frame] = []
    for tok in heads:
        parent = next((a.i for a in tok.ancestors if a.i in chosen), None)
        negator = _polarity(tok, lex)
        cs, ce = _span(tok, base)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        out.append(Frame(
            head=tok.i, lemma=tok.lemma_.lower(), kind=_kind(tok, noms), start=base + tok.idx,
            end=base + tok.idx + len(tok.text), clause_start=cs, clause_end=ce, dep=tok.dep_, parent=parent,
            polarity="negative" if negator else "positive", negator=negator, modality=_modality(tok),
            hedge=hedge_of(tok, lex),
            condition=_condition(tok, lex, base), tense=_tense(tok), voice="passive" if passive else "active",
        ))
    return out


def frame_of_token(frames: list[Frame], tok: Token) -> Frame | None:
    """The frame a token belongs to: itself or its nearest ancestor that heads one."""
    by_head = {f.head: f for f in frames}
    if tok.i in by_head:
        return by_head[tok.i]
    for a in tok.ancestors:
        if a.i in by_head:
            return by_head[a.i]
    return None


def token_span_text(doc: Doc, i: int, j: int) -> str:
    """Text of tokens [i, j) as written."""
    if i >= j:
        return ""
    return doc_text(doc)[doc[i].idx : doc[j - 1].idx + len(doc[j - 1].text)]


def describe(frame: Frame) -> dict[str, Any]:
    """A frame as plain data (for reports and debugging)."""
    return {k: v for k, v in frame.__dict__.items() if k not in ("roles", "anchors")}
