"""Roles: who does what to whom in a frame, and who each filler is.

What belongs here: the map from dependency labels to roles (``nsubj`` agent; passive by-agent;
``nsubjpass`` and ``dobj`` patient; ``dative`` recipient; ``pobj`` of at/against/on target), the
subject an ``xcomp``, ``conj`` or relative clause inherits ("planned to kill", "who ordered"), the
fan-out over conjuncts ("A and B said"), the patient of a participle ("X, killed in a strike"; "ordered
him detained"), and the ``Actor`` a filler names: the noun phrase without
its appositions and clauses, resolved to an ``EntityIndex`` mention (person or organization), else
typed from the statistical model (PERSON, ORG; GPE/NORP acting are states: "Iran fired missiles").
Descriptions are not actors: in "a commander of group X" the actor is the commander and X is
recorded in ``described_by``; a possessor ("Iran's envoy") or a compound likewise. A wire dateline
("BAGHDAD (AP) —") is never a filler.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from pipeline.extract.clauses.frames import Frame, token_span_text
from pipeline.extract.clauses.lexicon import Lexicon
from pipeline.extract.entities import EntityMention

PRONOUNS = {"he", "she", "him", "her", "it", "they", "them", "we", "i", "us", "me", "his", "its", "their"}
RELATIVES = {"who", "which", "that", "whom", "whose"}
# subjects that stand for the subject of the clause they hang on ("A and B met, both calling it ...")
QUANTIFIERS = {"both", "each", "all", "either"}
_NP_DROP = {"appos", "relcl", "acl", "conj", "cc", "punct", "advcl", "parataxis", "ccomp", "xcomp", "advmod"}
_NP_PREPS = {"of", "for", "to", "on", "at", "from", "in"}
_TARGET_PREPS = {"at", "against", "on", "upon", "toward", "towards", "into"}
# "BAGHDAD (AP) —", "Geneva, July 10 (Reuters) -", "Jan. 7 (Agency) —": a place or a date, an optional date,
# an agency in brackets, a dash;
# or a place in capitals and a bracket with no dash ("UNITED NATIONS (Agency - 7 July, 2020) The ..."),
# or a place, agencies in capitals, a date and a dash ("Baghdad, AP/UNB, Jan 05 – ")
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Za-z0-9 .'-]{1,40}(?:,[^()\n]{1,30})?\s*\([^()\n]{1,40}\)\s*[-–—]+\s*"
                       r"|[A-Z][A-Z .'-]{1,40}\s*\([^()\n]{1,60}\)\s*(?=[A-Z])"
                       r"|[A-Z][A-Za-z .'-]{1,40},\s*[A-Z]{2,}(?:[/&][A-Z]{2,})*,\s*[^–—\n]{1,25}?\s*[–—-]\s+)")


def dateline_end(text: str) -> int:
    """Length of a wire dateline opening ``text`` (0 if none)."""
    m = _DATELINE.match(text)
    return m.end() if m else 0


@dataclass
class Actor:
    """The noun phrase filling a role, and who it names."""

    text: str
    start: int  # absolute offsets of the noun phrase (no appositions, no clauses)
    end: int
    head: int  # token index of the phrase's head
    kind: str  # person | org | state | document | pronoun | other
    entity_id: str | None = None  # person_id / org_id from the EntityIndex
    entity_kind: str | None = None  # person | org (what entity_id is)
    label: str = ""  # the statistical model's entity label of the head
    described_by: list[str] = field(default_factory=list)  # names inside descriptions (never actors)
    resolved: Actor | None = None  # a pronoun's or title's antecedent (coref)
    appositions: list[Actor] = field(default_factory=list)  # named in apposition ("X, a commander, ...")
    possessors: list[Actor] = field(default_factory=list)  # persons owning the phrase ("X's history"): no actors

    @property
    def key(self) -> str:
        """Identity within a source: the entity id, else the lower-cased words."""
        target = self.resolved or self
        return target.entity_id or re.sub(r"\W+", " ", target.text.lower()).strip()

    @property
    def named(self) -> Actor:
        """The actor this phrase stands for (its antecedent for a pronoun or title)."""
        return self.resolved or self


@dataclass
class Role:
    role: str  # agent | patient | recipient | target
    actor: Actor
    via: str  # how the parse attached it: nsubj, agent, dobj, nsubjpass, dative, pobj:at, inherited


def mention_tokens(doc: Doc, base: int, mentions: list[EntityMention]) -> dict[int, EntityMention]:
    """Token index -> the EntityIndex mention covering that token (mentions in absolute offsets)."""
    out: dict[int, EntityMention] = {}
    if not mentions:
        return out
    ms = sorted(mentions, key=lambda m: m.char_start)
    k = 0
    for tok in doc:
        a = base + tok.idx
        while k < len(ms) and ms[k].char_end <= a:
            k += 1
        if k < len(ms) and ms[k].char_start <= a < ms[k].char_end:
            out[tok.i] = ms[k]
    return out


def np_bounds(tok: Token) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by ``tok`` without appositions and clauses."""
    keep = {tok.i}
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in _NP_DROP or (c.dep_ == "prep" and c.lower_ not in _NP_PREPS):
                continue
            if c.dep_ == "prep" and any(g.ent_type_ in ("DATE", "TIME") for g in c.children):
                continue  # "a base on Wednesday": the date is the frame's, not the phrase's
            keep.add(c.i)
            stack.append(c)
    i, j = min(keep), max(keep) + 1
    doc = tok.doc
    while i < j - 1 and (doc[i].is_punct or doc[i].is_space):
        i += 1
    while j - 1 > i and (doc[j - 1].is_punct or doc[j - 1].is_space or doc[j - 1].dep_ == "case"):
        j -= 1
    return i, j


class ActorReader:
    """Builds ``Actor``s for the noun phrases of one parsed sentence."""

    def __init__(self, doc: Doc, base: int, mentions: Mapping[int, EntityMention], lex: Lexicon,
                 skip_before: int = 0) -> None:
        self.doc, self.base, self.mentions, self.lex = doc, base, mentions, lex
        self.skip_before = skip_before  # tokens before this character (a dateline) fill no role

    def actor(self, head: Token) -> Actor | None:
        if head.idx < self.skip_before:
            return None
        doc = self.doc
        i, j = np_bounds(head)
        text = token_span_text(doc, i, j)
        start, end = self.base + doc[i].idx, self.base + doc[j - 1].idx + len(doc[j - 1].text)
        low = head.lower_
        described = self._descriptions(head, i, j)
        if head.tag_ in ("PRP", "PRP$") or (low in PRONOUNS and not head.text.isupper()):
            return Actor(text, start, end, head.i, "pronoun", described_by=described)
        m = self.mentions.get(head.i)
        if m is None:
            # a name in apposition to a title: "the U.S. ambassador, Lana Marks"
            named = next((c for c in head.children if c.dep_ == "appos" and c.i in self.mentions), None)
            m = self.mentions.get(named.i) if named is not None else None
        title = low in self.lex.coref_titles
        if m is None and head.pos_ == "PROPN" and not title:
            # a title before a name, the name's last token heading a compound chain ("the UN Rapporteur" is no
            # name: the organization compounded to a title describes the person holding it)
            m = next((self.mentions[k] for k in range(i, j) if k in self.mentions
                      and doc[k].dep_ == "compound" and doc[k].head.i == head.i), None)
        if m is None and head.lemma_.lower() in self.lex.coref_titles:
            m = self._titled_name(head)
        if m is None and head.lemma_.lower() in self.lex.group_nouns:
            # "the Daesh terrorist group", "the Houthi movement": the organization named before the noun
            m = next((self.mentions[k] for k in range(i, head.i) if k in self.mentions
                      and self.mentions[k].kind != "person"), None)
            if m is not None:
                described = [d for d in described if d != m.surface]
        label = head.ent_type_
        appos = [self._named(c) for c in head.children if c.dep_ == "appos" and c.i in self.mentions
                 and self.mentions[c.i] is not m]
        # "X's criminal history": X is no filler, but a person a later "he" may stand for (coref)
        owners = [self._named(c) for c in head.children if c.dep_ == "poss" and c.i in self.mentions
                  and self.mentions[c.i] is not m and self.mentions[c.i].kind == "person"]
        if m is not None:
            kind = "person" if m.kind == "person" else "org"
            return Actor(text, start, end, head.i, kind, m.entity_id, m.kind, label, described, appositions=appos,
                         possessors=owners)
        if low in self.lex.document_nouns:
            kind = "document"
        elif title:
            kind = "other"  # a person by title, for coreference to name ("the UN Rapporteur", "the Special Envoy")
        elif label == "PERSON":
            kind = "person"
        elif label == "ORG":
            kind = "org"
        elif label in ("GPE", "NORP"):
            kind = "state"
        else:
            kind = "other"
        return Actor(text, start, end, head.i, kind, None, None, label, described, appositions=appos,
                     possessors=owners)

    def _titled_name(self, head: Token) -> EntityMention | None:
        """The person a title's for-phrase names when the parser took the name for the title's domain: "US envoy
        for Iran Brian Hook" (a place's name right before the person's, in one phrase), not "a spokesman for X"."""
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ != "for":
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                m = self.mentions.get(pobj.i)
                first = next((k for k in range(pobj.left_edge.i, pobj.i + 1) if self.mentions.get(k) is m), None)
                if m is None or m.kind != "person" or first is None or first <= pobj.left_edge.i:
                    continue
                before = self.mentions.get(first - 1)
                if (before.kind != "person" if before is not None
                        else self.doc[first - 1].ent_type_ in ("GPE", "NORP", "ORG", "LOC")):
                    return m
        return None

    def _named(self, tok: Token) -> Actor:
        """The name a token of an apposition belongs to, as an actor of its own."""
        m = self.mentions[tok.i]
        i, j = np_bounds(tok)
        start, end = self.base + self.doc[i].idx, self.base + self.doc[j - 1].idx + len(self.doc[j - 1].text)
        kind = "person" if m.kind == "person" else "org"
        return Actor(token_span_text(self.doc, i, j), start, end, tok.i, kind, m.entity_id, m.kind, tok.ent_type_)

    def _descriptions(self, head: Token, i: int, j: int) -> list[str]:
        """Names inside the phrase other than the head's own ("of group X", "X's envoy", "a X memo")."""
        own = self.mentions.get(head.i)
        # (doc.ents builds new spans at each call: an entity is compared by its bounds, never by identity)
        own_ent = next(((e.start, e.end) for e in self.doc.ents if e.start <= head.i < e.end), None)
        out: list[str] = []
        for k in range(i, j):
            t = self.doc[k]
            m = self.mentions.get(k)
            if k == head.i or (m is not None and m is own) or t.pos_ in ("DET", "ADP", "PUNCT"):
                continue
            if t.dep_ == "compound" and t.head.i == head.i and own is not None:
                continue  # part of the head's own name
            if m is not None:
                name = m.surface
            else:
                ent = next((e for e in self.doc.ents if e.start <= k < e.end), None)
                if ent is None or (ent.start, ent.end) == own_ent or ent.label_ not in ("ORG", "GPE", "NORP", "PERSON"):
                    continue
                name = ent.text.removeprefix("the ").removeprefix("The ")
            if not any(name in o or o in name for o in out):
                out.append(name)
        return out


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def comitatives(tok: Token, phrases: frozenset[str]) -> list[Token]:
    """The parties a comitative phrase on ``tok`` joins to it ("A, along with B", "killed A together with B",
    "died alongside B"): the objects of a preposition under ``tok`` (or under a word of the phrase hung on
    it) that, with the word before it, is one of ``phrases``."""
    out: list[Token] = []
    doc = tok.doc
    preps = [c for c in tok.children if c.dep_ in ("prep", "advmod")]
    preps += [g for c in preps for g in c.children if g.dep_ == "prep"]
    for p in preps:
        before = doc[p.i - 1].lower_ + " " + p.lower_ if p.i > 0 else p.lower_
        if p.dep_ == "prep" and (p.lower_ in phrases or before in phrases):
            out += [g for g in p.children if g.dep_ == "pobj"]
    return out


def _listed(tok: Token, actor: Actor) -> list[Actor]:
    """Persons the parse hung as appositions on a person's name inside a list ("A, B, and others were
    killed": B read as an apposition of A): a person's name describes no other person, so in a list
    (the head has a coordinator or a conjunct) each is a member of its own."""
    if actor.entity_kind != "person" or not any(c.dep_ in ("cc", "conj") for c in tok.children):
        return []
    return [a for a in actor.appositions if a.entity_kind == "person" and a.entity_id != actor.entity_id]


def subjects_first(tok: Token) -> list[Token]:
    """Children of ``tok``, the subject nearest before it first when the parse gives two ("UN Special
    Rapporteur on ..., summary or arbitrary executions Agnes Callamard said": the title and the name)."""
    kids = list(tok.children)
    subs = [c for c in kids if c.dep_ == "nsubj" and c.i < tok.i]
    if len(subs) > 1:
        return [subs[-1], *(c for c in kids if c is not subs[-1])]
    return kids


def small_passive(tok: Token) -> bool:
    """A participle with its own subject and no auxiliary, the complement of a verb: a passive small clause
    ("ordered him detained", "wants them arrested"): its subject undergoes the act."""
    return (tok.tag_ == "VBN" and tok.dep_ in ("ccomp", "xcomp", "oprd")
            and any(c.dep_ == "nsubj" for c in tok.children)
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children))


_PLACE_LABELS = ("GPE", "LOC", "NORP", "FAC")


def relative_antecedent(clause: Token, relative: Token) -> Token:
    """The noun a relative clause is about: its head, except that "who" never stands for a place or a
    state the parse hung it on ("a man with ties to Iran who was arrested": the man) -- then the noun
    whose of/with/to-phrase holds that place."""
    head = clause.head
    if relative.lower_ not in ("who", "whom", "whose") or head.ent_type_ not in _PLACE_LABELS:
        return head
    cur = head
    while cur.dep_ == "pobj" and cur.head.dep_ == "prep" and cur.head.head.pos_ in ("NOUN", "PROPN"):
        cur = cur.head.head
    return cur


def stranded_subject(tok: Token) -> Token | None:
    """The subject of a finite main verb that the parse left with none, having hung the noun phrase right
    before the verb inside a fronted phrase ("In a series of posts, writer Lina Voss confirmed ...": the
    name read as a conjunct of "posts"): that phrase's head. None when the verb has a subject or an
    expletive, or the word before it is no noun attached leftwards after a comma."""
    if tok.dep_ != "ROOT" or tok.pos_ != "VERB" or tok.i == 0:
        return None
    finite = tok.tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ == "aux" for c in tok.children)
    if not finite or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl") for c in tok.children):
        return None
    prev = tok.doc[tok.i - 1]
    if prev.pos_ not in ("PROPN", "NOUN") or prev.dep_ not in ("conj", "pobj", "appos") or prev.head.i >= prev.i:
        return None
    return prev if any(t.text == "," for t in tok.doc[: prev.left_edge.i]) else None


def _subject_token(tok: Token, skip_before: int = 0) -> tuple[Token | None, str]:
    """The agent token of a predicate: its own subject, a by-agent, or one it inherits (subjects
    before ``skip_before``, a dateline's place, are passed over)."""
    cur = tok
    for _ in range(6):
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in cur.children) or small_passive(cur)
        for c in cur.children:
            if c.dep_ == "agent":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj, "agent" if cur is tok else "inherited"
        for c in subjects_first(cur):
            if c.dep_ in ("nsubj", "csubj") and not passive and c.idx >= skip_before:
                if c.lower_ in QUANTIFIERS and cur.dep_ in ("advcl", "conj") and cur.head.i != cur.i:
                    break  # "both": the subject of the clause above
                if c.lower_ in RELATIVES and cur.dep_ == "relcl":
                    return relative_antecedent(cur, c), "relcl"
                return c, "nsubj" if cur is tok else "inherited"
        if passive:
            return None, ""
        stranded = stranded_subject(cur) if cur is tok else None
        if stranded is not None and stranded.idx >= skip_before:
            return stranded, "nsubj"
        if cur.dep_ == "relcl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children):
            return None, ""
        own = any(c.dep_ in ("nsubj", "csubj", "expl") and c.lower_ not in QUANTIFIERS for c in cur.children)
        # a participle or conjunct with no subject of its own shares its head's ("..., saying that")
        participle = cur.dep_ == "advcl" and cur.tag_ in ("VBG", "VBN") and not own and not any(
            c.dep_ == "mark" for c in cur.children)
        # a purpose infinitive with no subject of its own ("voted on Sunday to expel the troops, saying ...")
        participle = participle or (cur.dep_ == "advcl" and cur.tag_ == "VB" and not own and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in cur.children))
        # a gerund after a preposition on a verb shares that verb's subject ("defended it by stating that ...",
        # "after saying", "without giving"): the preposition's head is the clause it belongs to
        gerund = cur.dep_ == "pcomp" and cur.tag_ == "VBG" and not own and cur.head.dep_ in ("prep", "agent") and \
            cur.head.head.pos_ in ("VERB", "AUX") and cur.head.head.i != cur.head.i
        if gerund:
            up = cur.head.head
            obj = next((c for c in up.children if c.dep_ == "dobj"), None)
            if cur.head.lower_ == "as" and obj is not None and obj.i < cur.i:
                # "the agency quoted X as saying ...", "cited X as saying": the object says it
                return obj, "inherited"
            passive_up = any(c.dep_ in ("auxpass", "nsubjpass") for c in up.children)
            if passive_up and up.dep_ in ("ccomp", "xcomp") and up.head.i != up.i:
                # "defended what was described as X by stating ...": a passive content clause ("by" often read as
                # its agent) is not who states; the gerund tells how the clause above was done
                up = up.head
            elif cur.head.dep_ == "prep":
                # "X, who is known for ordering ...", "X was charged for ordering ...": the passive's subject did it
                sp = next((c for c in up.children if c.dep_ == "nsubjpass"), None)
                if sp is not None and sp.lower_ in RELATIVES and up.dep_ == "relcl":
                    return up.head, "inherited"
                if sp is not None:
                    return sp, "inherited"
            cur = up
            continue
        if cur.dep_ == "pcomp" and cur.tag_ == "VBG" and not own and cur.head.dep_ == "prep" and \
                cur.head.head.pos_ in ("NOUN", "PROPN"):
            # a gerund listing what makes up a noun owned by someone ("his stance, including ordering the
            # strike", "X's record of funding militias"): the owner does it; with no owner nobody is named
            poss = next((c for c in cur.head.head.children if c.dep_ == "poss"), None)
            return (poss, "inherited") if poss is not None else (None, "")
        if participle and _in_noun_content(cur):
            # "rejected US claims that X was a threat, stating that ...": a participle after a comma that the
            # parse hangs in what a noun says ("claims that ...") belongs to the clause governing that noun
            cur = cur.head.head.head
            continue
        if (cur.dep_ in ("xcomp", "conj") or participle) and cur.head.i != cur.i:
            if cur.dep_ == "xcomp":
                # object control: "ordered the troops to fire" -> the troops fire
                obj = next((c for c in cur.head.children if c.dep_ in ("dobj",)), None)
                if obj is not None and obj.i < cur.i:
                    return obj, "inherited"
                if cur.head.lemma_ == "be" and any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it"
                                                   for c in cur.head.children):
                    # an extraposed "it is up to X to decide" / "it is for X to judge": X decides; "it is
                    # hard to justify": nobody named (the "it" stands for the infinitive, not for an actor)
                    return _for_whom(cur.head), "inherited"
            cur = cur.head
            continue
        return None, ""
    return None, ""


def _in_noun_content(part: Token) -> bool:
    """Whether a participle follows a comma inside a that-clause a noun governs, whose noun has a verb above
    it ("rejected [claims [that X was a threat], stating ...]")."""
    host = part.head
    doc = part.doc
    comma = part.left_edge.i > 0 and doc[part.left_edge.i - 1].text == ","
    noun = host.head
    return comma and host.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in host.children) \
        and noun.pos_ in ("NOUN", "PROPN") and noun.head.i != noun.i and noun.head.pos_ in ("VERB", "AUX")


def _for_whom(be: Token) -> Token | None:
    """X in "it is up to X" / "it is for X" on a copula, else None."""
    for c in be.children:
        if c.dep_ != "prep":
            continue
        preps = [c, *(g for g in c.children if g.dep_ == "prep")]
        for pr in preps:
            if pr.lower_ in ("to", "for"):
                pobj = next((g for g in pr.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def agent_token(tok: Token) -> Token | None:
    """The token naming who does what ``tok`` (a verb) tells: its subject, by-agent, or the subject it
    inherits ("ordered", "known for ordering", "planned to kill", "who ordered")."""
    return _subject_token(tok)[0]


def fill_roles(frames: list[Frame], reader: ActorReader) -> None:
    """Sets ``frame.roles`` for every frame of a sentence."""
    doc = reader.doc
    for f in frames:
        tok = doc[f.head]
        roles: list[Role] = []

        def add(role: str, t: Token, via: str, roles: list[Role] = roles) -> None:
            for c in _with_conjuncts(t):
                a = reader.actor(c)
                if a is not None:
                    roles.append(Role(role, a, via))
                    roles.extend(Role(role, b, via) for b in _listed(c, a))
                for b in comitatives(c, reader.lex.comitatives):
                    if (a2 := reader.actor(b)) is not None:
                        roles.append(Role(role, a2, via))

        subj, via = _subject_token(tok, reader.skip_before)
        if subj is not None:
            add("agent", subj, via)
        for c in tok.children:
            if c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and small_passive(tok)):
                if c.lower_ in RELATIVES and tok.dep_ == "relcl":
                    add("patient", relative_antecedent(tok, c), "relcl")
                else:
                    add("patient", c, "nsubjpass")
            elif c.dep_ == "dobj":
                add("patient", c, "dobj")
            elif c.dep_ == "dative":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                add("recipient", pobj if pobj is not None else c, "dative")
            elif c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                for g in c.children:
                    if g.dep_ == "pobj":
                        add("target", g, "pobj:" + c.lower_)
        # "killed A along with B", "was killed together with B": B shares the object's role (the passive
        # subject's), else the subject's
        shared = next((r for r in roles if r.role == "patient" and r.via in ("dobj", "nsubjpass")),
                      next((r for r in roles if r.role == "agent"), None))
        if shared is not None:
            for b in comitatives(tok, reader.lex.comitatives):
                if (a2 := reader.actor(b)) is not None:
                    roles.append(Role(shared.role, a2, shared.via))
        if (tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN")
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)):
            # "X, killed in a strike in 2020": a past participle on a noun tells what that noun underwent
            add("patient", tok.head, "acl")
        if tok.dep_ == "relcl" and not any(r.role == "patient" for r in roles) and subj is not None \
                and subj.i != tok.head.i and tok.head.pos_ in ("NOUN", "PROPN"):
            # "the missiles Iran fired": the modified noun is the object
            add("patient", tok.head, "relcl")
        f.roles = sorted(roles, key=lambda r: r.actor.start)
