"""Attribution: who says so. Source -> cue -> content, nested, after PARC 3.0.

What belongs here: finding the cues of a parsed sentence and, for each, its source and content.
- a reporting verb (``attribution.verbs``): source = its agent (conjuncts fan out: "A and B said"),
  content = its ``ccomp`` (or, with no complement, the rest of its clause: "called the strike an
  act of terror"); "C, X said" parses the same way, or as a ``parataxis`` inside C;
- "according to X" / "in the words of X" on a verb: X is the source of that verb's clause;
- a document as source ("the report said", "X's report found", "a statement from Y said"): the
  document's author is the source (possessor, from/by/of, a name compounded, the subject of a
  relative clause "the memo the White House sent"), else the document itself;
- "reportedly", "allegedly": the content's source is unnamed;
- nesting: "R reported that O said C" gives R (a relay) > O > C; ``parent`` links the inner
  attribution to the outer; a source naming an outlet (``relay_nouns``) that only relays another
  attribution, or that reports with no source of its own in view, is flagged ``relay``;
- "A said, citing B, that C": B is A's evidence, never the source;
- an embedded clause with its own cue and subject ("..., while Iraq called it a violation") is cut
  out of the outer content;
- a reporter's caveat joined to the cue ("but gave no evidence", "without offering details") is
  recorded in ``caveats`` and is no part of the content.
Quote marks are read for ``direct`` only; an odd number of them changes nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from pipeline.extract.clauses.frames import Frame
from pipeline.extract.clauses.lexicon import Lexicon
from pipeline.extract.clauses.roles import QUANTIFIERS, RELATIVES, Actor, ActorReader, subjects_first

_QUOTES = set('"“”')


@dataclass
class Attribution:
    """One source -> cue -> content relation; offsets absolute."""

    kind: str  # verb | noun | according | adverb
    cue: int | None  # token index of the cue word (the verb, "according", the adverb)
    cue_lemma: str
    cue_start: int
    cue_end: int
    sources: list[Actor]  # empty: unnamed ("reportedly", "it was reported")
    content_start: int
    content_end: int
    content_heads: list[int]  # token indexes of the content's predicates (frame heads)
    excluded: list[tuple[int, int]] = field(default_factory=list)  # spans inside the content that are not it
    document: Actor | None = None  # the document the source speaks through ("the report said")
    parent: int | None = None  # index (in the sentence's list) of the attribution this one is nested in
    relay: bool = False  # the source only relays what another says (an outlet)
    evidence: list[Actor] = field(default_factory=list)  # "citing B"
    caveats: list[tuple[int, int]] = field(default_factory=list)  # the reporter's, not the source's
    negated: bool = False  # "did not say", "declined to say"
    direct: bool = False  # the content is (partly) within quotation marks

    def contains(self, start: int, end: int) -> bool:
        """Whether [start, end) lies in the content and outside its excluded spans."""
        if not (self.content_start <= start and end <= self.content_end):
            return False
        return not any(s <= start < e for s, e in self.excluded)


def _edges(toks: list[Token], base: int) -> tuple[int, int]:
    words = [t for t in toks if not (t.is_punct and t.text not in _QUOTES)] or toks
    first, last = min(words, key=lambda t: t.i), max(words, key=lambda t: t.i)
    return base + first.idx, base + last.idx + len(last.text)


def _subtree_span(tok: Token, base: int) -> tuple[int, int]:
    return base + tok.left_edge.idx, base + tok.right_edge.idx + len(tok.right_edge.text)


def is_relay(actor: Actor, lex: Lexicon) -> bool:
    """Whether a source names a news outlet ("the agency", "state television", "Reuters", an organization
    curated as media: "Al Jazeera")."""
    if actor.entity_id is not None and actor.entity_kind == "org" and actor.entity_id in lex.media_orgs:
        return True
    words = {w.lower().strip(".") for w in actor.text.split()}
    return bool(words & lex.relay_nouns) and actor.kind not in ("person", "pronoun")


class AttributionReader:
    """Attributions of one parsed sentence, given its frames and an ``ActorReader``."""

    def __init__(self, doc: Doc, base: int, frames: list[Frame], reader: ActorReader, lex: Lexicon) -> None:
        self.doc, self.base, self.frames, self.reader, self.lex = doc, base, frames, reader, lex
        self.by_head = {f.head: f for f in frames}

    # -- sources -----------------------------------------------------------------------
    def _author(self, doc_tok: Token) -> list[Actor]:
        """Who wrote a document named as the source."""
        for c in doc_tok.children:
            if c.dep_ == "poss" or (c.dep_ == "compound" and c.i in self.reader.mentions):
                a = self.reader.actor(c)
                if a is not None:
                    return [a]
            if c.dep_ == "prep" and c.lower_ in self.lex.author_preps:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.lower_ not in self.lex.document_nouns:
                    return self._actors(pobj)
            if c.dep_ == "relcl":
                subj = next((g for g in c.children if g.dep_ == "nsubj" and g.lower_ not in RELATIVES), None)
                if subj is not None:
                    return self._actors(subj)
            if c.dep_ == "acl":
                agent = next((g for g in c.children if g.dep_ == "agent"), None)
                pobj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
                if pobj is not None:
                    return self._actors(pobj)
        return []

    def _actors(self, tok: Token) -> list[Actor]:
        out = []
        for t in [tok, *[c for c in tok.conjuncts if c.i > tok.i]]:
            a = self.reader.actor(t)
            if a is not None:
                out.append(a)
        return out

    def _from_roles(self, f: Frame) -> tuple[list[Actor], Actor | None]:
        """Sources from the frame's agents (inherited ones included), documents read as their author."""
        out: list[Actor] = []
        document = None
        for r in f.fillers("agent"):
            if r.actor.kind == "document":
                document = r.actor
                out.extend(self._author(self.doc[r.actor.head]) or [r.actor])
            else:
                out.append(r.actor)
        return out, document

    def _noun_cue(self, tok: Token) -> Attribution | None:
        """"issued an opinion that C", "a statement that C", "claims that C": a statement noun with a
        content clause; its author (or the agent of the verb issuing it) is the source."""
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in self.lex.content_nouns:
            return None
        comp = [c for c in tok.children if c.dep_ in ("ccomp", "acl") and (
            c.dep_ == "ccomp" or any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children))]
        if not comp:
            return None
        sources = self._author(tok) or self._issuer(tok)
        content = [t for c in comp for t in c.subtree]
        cs, ce = _edges(content, self.base)
        document = self.reader.actor(tok)
        return Attribution("noun", tok.i, tok.lemma_.lower(), self.base + tok.idx, self.base + tok.idx + len(tok.text),
                           sources, cs, ce, [c.i for c in comp], document=document,
                           direct=any(t.text in _QUOTES for t in content))

    def _issuer(self, doc_tok: Token) -> list[Actor]:
        """The agent of an authoring verb whose object the document is ("the Senate passed a resolution
        saying ...", "X issued an opinion that ..."); nobody for a verb that only handles someone else's
        document ("the committee released a memo"), or an act told as possible ("could make an
        argument that ...")."""
        verb = doc_tok.head if doc_tok.dep_ in ("dobj", "nsubjpass") else None
        f = self.by_head.get(verb.i) if verb is not None else None
        if f is None or f.lemma not in self.lex.author_verbs or f.modality or f.negative:
            return []
        return [r.actor for r in f.fillers("agent")]

    def _sources(self, tok: Token) -> tuple[list[Actor], Actor | None]:
        """(sources, document) for the noun phrase headed by ``tok``."""
        actors = self._actors(tok)
        if actors and actors[0].kind == "document":
            authors = self._author(tok) or self._issuer(tok)
            return (authors or actors), actors[0]
        return actors, None

    # -- cues --------------------------------------------------------------------------
    def _verb_cue(self, f: Frame) -> Attribution | None:
        tok = self.doc[f.head]
        if f.lemma not in self.lex.cue_verbs or tok.pos_ != "VERB" or (f.lemma in self.lex.citing and \
                tok.dep_ == "advcl"):
            return None
        subj = next((c for c in subjects_first(tok) if c.dep_ == "nsubj" and c.idx >= self.reader.skip_before), None)
        agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        src_tok = subj if subj is not None else agent
        sources, document = self._sources(src_tok) if src_tok is not None else ([], None)
        if subj is not None and subj.lower_ in RELATIVES and tok.dep_ == "relcl":
            sources, document = self._sources(tok.head)
        elif (src_tok is None or src_tok.lower_ in QUANTIFIERS) and f.fillers("agent"):
            # a subject inherited ("avoided an answer, saying ...", "A and B ..., both calling it ...")
            sources, document = self._from_roles(f)
            src_tok = self.doc[sources[0].head] if sources else None
        elif src_tok is None and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            # "a resolution saying ...", "a statement accusing ...": the noun speaks
            sources, document = self._sources(tok.head)
        comp = [c for c in tok.children if c.dep_ == "ccomp"]
        # "A said, citing B, that C": the that-clause hangs on "citing"
        citing = [c for c in tok.children if c.dep_ == "advcl" and c.lemma_.lower() in self.lex.citing]
        for ci in citing:
            comp.extend(g for g in ci.children if g.dep_ == "ccomp")
        excluded: list[tuple[int, int]] = []
        if comp:
            content_toks = [t for c in comp for t in c.subtree]
            heads = [c.i for c in comp]
        elif tok.dep_ == "parataxis" and tok.head.i != tok.i:
            # '"C," X said' parsed with the cue inside C
            outer = tok.head
            content_toks = [t for t in outer.subtree if t.i not in {x.i for x in tok.subtree}]
            heads = [outer.i]
        elif tok.dep_ == "ccomp" and tok.i > tok.head.i and not comp and src_tok is not None and \
                self.doc[tok.head.i].lemma_.lower() not in self.lex.cue_verbs:
            # "The strike was unlawful, Iran said" parsed with "said" under the content
            outer = tok.head
            content_toks = [t for t in outer.subtree if t.i not in {x.i for x in tok.subtree}]
            heads = [outer.i]
        else:
            # "called the strike an act of terror", "accused X of Y": the rest of the cue's clause
            # (only a preposition that opens a whole "according to X" / "in the words of X" path: "responded
            # in a statement that C" keeps its "in" phrase as the content)
            skip = {x.i for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "agent", "conj", "cc", "punct",
                                                           "advmod", "aux", "neg", "mark", "advcl")
                    or (c.dep_ == "prep" and self._according_source(c) is not None) for x in c.subtree}
            content_toks = [t for t in tok.subtree if t.i not in skip and t.i != tok.i]
            heads = [c.i for c in tok.children if c.i in {t.i for t in content_toks} and c.dep_ in (
                "dobj", "oprd", "xcomp", "prep", "dative", "attr", "acomp")]
        if not content_toks:
            return None
        cs, ce = _edges(content_toks, self.base)
        for ci in citing:
            excluded.append(_subtree_span(ci, self.base) if not comp else
                            _edges([t for t in ci.subtree if t.i not in {x.i for c in comp for x in c.subtree}],
                                   self.base))
        att = Attribution("verb", tok.i, f.lemma, f.start, f.end, sources, cs, ce, heads, excluded, document,
                          negated=f.negative)
        for ci in citing:
            obj = next((g for g in ci.children if g.dep_ == "dobj"), None)
            if obj is not None:
                att.evidence.extend(self._actors(obj))
        att.caveats = self._caveats(tok)
        att.direct = any(t.text in _QUOTES for t in content_toks) or any(
            c.dep_ == "punct" and c.text in _QUOTES for c in tok.children)
        return att

    def _caveats(self, cue: Token) -> list[tuple[int, int]]:
        """ "..., but gave no evidence", "without providing details": the reporter's caveats. Words inside
        quotation marks are the source's own ("'They filed charges without providing evidence,' he said")."""
        out = []
        for t in cue.subtree:
            f = self.by_head.get(t.i)
            if f is None or f.lemma not in self.lex.caveat_verbs or not f.negative or _quoted(self.doc, t.i):
                continue
            objs = [c for c in t.children if c.dep_ == "dobj" and c.lemma_.lower() in self.lex.caveat_objects]
            if objs and ((t.dep_ == "conj" and t.head.i == cue.i) or t.dep_ == "pcomp" or f.negator == "without"
                         or t.dep_ in ("conj", "advcl")):
                start = t.i
                while (start > 0 and self.doc[start - 1].dep_ in ("cc", "aux", "neg", "prep")) or \
                        (start > 0 and self.doc[start - 1].lower_ == "without"):
                    start -= 1
                out.append((self.base + self.doc[start].idx, _subtree_span(t, self.base)[1]))
        return out

    def _according_source(self, tok: Token) -> tuple[Token, Token] | None:
        """(last word of the path, its object) when ``tok`` opens an "according to X" / "in the words of X"
        path of the lexicon, else None."""
        for path in self.lex.according:
            if tok.lower_ != path[0]:
                continue
            cur: Token | None = tok
            for word in path[1:]:
                assert cur is not None
                cur = next((c for c in cur.children if c.lower_ == word or c.lemma_.lower() == word
                            or (c.dep_ == "pobj" and c.lower_ == word)), None)
                if cur is None:
                    break
            if cur is None:
                continue
            pobj = next((c for c in cur.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return cur, pobj
        return None

    def _according(self) -> list[Attribution]:
        out = []
        for tok in self.doc:
            found = self._according_source(tok)
            if found is not None:
                cur, pobj = found
                sources, document = self._sources(pobj)
                host = tok.head
                inside = {t.i for t in tok.subtree}
                content = [t for t in host.subtree if t.i not in inside]
                if not content:
                    continue
                cs, ce = _edges(content, self.base)
                out.append(Attribution("according", tok.i, "according to", self.base + tok.idx,
                                       self.base + cur.idx + len(cur.text), sources, cs, ce, [host.i],
                                       [_subtree_span(tok, self.base)], document))
        return out

    def _adverbs(self) -> list[Attribution]:
        out = []
        for tok in self.doc:
            if tok.lower_ in self.lex.cue_adverbs and tok.dep_ == "advmod":
                host = tok.head
                cs, ce = _subtree_span(host, self.base)
                out.append(Attribution("adverb", tok.i, tok.lower_, self.base + tok.idx,
                                       self.base + tok.idx + len(tok.text), [], cs, ce, [host.i]))
        return out

    # -- the sentence ------------------------------------------------------------------
    def read(self) -> list[Attribution]:
        atts = [a for f in self.frames if (a := self._verb_cue(f)) is not None]
        atts += [a for t in self.doc if (a := self._noun_cue(t)) is not None]
        atts += self._according() + self._adverbs()
        atts.sort(key=lambda a: a.cue_start)
        # nesting: an attribution whose cue lies in another's content is nested in the smallest such
        for i, a in enumerate(atts):
            best = None
            for k, b in enumerate(atts):
                if k != i and b.contains(a.cue_start, a.cue_end) and (
                        best is None or b.content_end - b.content_start < atts[best].content_end - atts[best].content_start):
                    best = k
            a.parent = best
        for a, parent in zip(atts, acyclic(a.parent for a in atts), strict=True):
            a.parent = parent
        for a in atts:
            if a.parent is None:
                continue
            outer = atts[a.parent]
            cue_tok = self.doc[a.cue] if a.cue is not None else None
            embedded = cue_tok is not None and a.kind == "verb" and cue_tok.dep_ in ("advcl", "conj", "parataxis") \
                and any(c.dep_ == "nsubj" and c.lower_ not in QUANTIFIERS for c in cue_tok.children)
            if embedded and cue_tok is not None:
                # "the killing was lawful, while Iraq called it a violation": not the outer source's words
                outer.excluded.append(_subtree_span(cue_tok, self.base))
                a.parent = None
            elif any(is_relay(s, self.lex) for s in outer.sources) and a.sources:
                outer.relay = True
        for a in atts:
            if a.sources and all(is_relay(s, self.lex) for s in a.sources) and (a.kind == "according" or (
                    a.parent is None and a.cue_lemma in ("report", "say", "quote", "cite", "tell", "write"))):
                # "..., the agency reported": an outlet names nobody else; it is still only the relay
                a.relay = True
        return atts


def _quoted(doc: Doc, i: int) -> bool:
    """Whether token ``i`` lies inside a quotation opened earlier in the sentence (curly marks open and
    close, straight ones toggle)."""
    curly = straight = False
    for t in doc[:i]:
        if t.text == "“":
            curly = True
        elif t.text == "”":
            curly = False
        elif t.text == '"':
            straight = not straight
    return curly or straight


def acyclic(parents: Iterable[int | None]) -> list[int | None]:
    """The parent links with every cycle cut. Two attributions whose contents are the same span each
    hold the other's cue (seen on run-on text), and a reader walking up the chain would never stop:
    a cycle is cut at its first member in text order, so that member becomes a top attribution."""
    out = list(parents)
    for i in range(len(out)):
        seen = {i}
        k = out[i]
        while k is not None and k not in seen:
            seen.add(k)
            k = out[k]
        if k == i:
            out[i] = None
    return out


def innermost(atts: list[Attribution], start: int, end: int) -> Attribution | None:
    """The attribution whose content holds [start, end) most narrowly."""
    best: Attribution | None = None
    for a in atts:
        if a.contains(start, end) and (best is None or a.content_end - a.content_start < best.content_end - best.content_start):
            best = a
    return best


def holders(atts: list[Attribution], att: Attribution) -> list[Actor]:
    """Who holds ``att``'s content: its sources, unless they only relay (then nobody here)."""
    if att.relay or not att.sources:
        return []
    return list(att.sources)
