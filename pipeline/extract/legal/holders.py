"""Who holds a legal position: the clause layer's attribution source, typed for legal_positions.

What belongs here: ``Holder`` (name, person/org id, holder_type) and the two steps that give it:
- ``cue_holders``: which noun phrases state the words a cue lies in -- the innermost attribution
  of the clause layer (``pipeline.extract.clauses``: sources with pronouns, titles, documents'
  authors and relays already resolved), or a nearer stating verb inside that content ("Spain said
  Iran justified it": Iran); a relaying outlet, the accused, a subject a cue faults ("X failed to
  show"), an obligation laid on someone ("Trump must seek approval") and a background relative
  clause ("people it accused of ...") never hold it;
- ``HolderTyper``: the holder a noun phrase names -- a person or organization of the EntityIndex,
  a government, court or legislature by its words and titles (``raw/curated/legal_holders.yaml``),
  the named one rather than the one represented ("a spokesman for X" is the spokesman).
No pronoun, speaker or negation logic lives here: the clause layer owns it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from pipeline.extract.clauses import Actor, Attribution, Clauses, Frame, load_lexicon
from pipeline.extract.clauses.attribution import is_relay
from pipeline.extract.clauses.coref import is_first_person
from pipeline.extract.entities import EntityMention
from pipeline.extract.legal.vocab import LegalVocab
from pipeline.extract.sentences import SentenceView, np_bounds, span_text

_DEONTIC = {"must", "should", "ought"}
_RELATIVE = {"who", "which", "that", "whom"}


@dataclass
class Holder:
    name: str
    person_id: str | None
    org_id: str | None
    holder_type: str
    is_person: bool
    key: str  # identity within a sentence (entity id or lowercased name)


class HolderTyper:
    """Turns the noun phrase of a source into a ``Holder`` (or None: not someone who holds a view)."""

    def __init__(self, vocab: LegalVocab, person_types: dict[str, str] | None = None,
                 state_of: Callable[[str], str | None] | None = None) -> None:
        self.v = vocab
        # the holder_type a person's title gives anywhere in the source ("Sen. Tim Kaine" ... "Kaine said")
        self.person_types = person_types or {}
        # the org_id of the state words name ("Iran", "the Iranian government": ``EntityIndex.state_of``)
        self.state_of = state_of or (lambda _text: None)
        # the named speaker the text last quoted or reported (set by the reader before each sentence): who
        # issued "the statement" a later sentence names without its author
        self.prior: Holder | None = None

    def of_actor(self, sv: SentenceView, actor: Actor, quote_speaker: Holder | None = None) -> Holder | None:
        if is_first_person(actor) and actor.resolved is None:
            return quote_speaker  # "we" inside a quotation is its speaker; outside one, nobody we can check
        named = actor.named
        if named is not actor:
            # (an antecedent that names no holder leaves the phrase's own words: "the Special Rapporteur")
            return self._of_other_sentence(named) or (None if actor.kind == "pronoun" else
                                                       self.of_token(sv, sv.doc[actor.head]))
        if named.kind == "pronoun":
            return None
        if named.kind == "document" and named.entity_id is None:
            return self._document(sv, named)
        return self.of_token(sv, sv.doc[named.head])

    def members(self, sv: SentenceView, actor: Actor) -> list[Holder]:
        """The named members of a group that speaks ("Critics, including Senator X and Y, said ..."): each
        holds the position the group states; [] when none is named."""
        if actor.named is not actor or actor.kind == "pronoun":
            return []
        head = sv.doc[actor.head]
        out: list[Holder] = []
        for c in head.children:
            if c.dep_ != "prep" or c.lower_ != "including":
                continue
            for pobj in (g for g in c.children if g.dep_ == "pobj"):
                for t in (pobj, *pobj.conjuncts):
                    h = self.of_token(sv, t)
                    if h is not None and (h.person_id or h.org_id):
                        out.append(h)
        return out

    def of_state_medium(self, sv: SentenceView, actor: Actor) -> Holder | None:
        """The government a relaying outlet belongs to when its words say it is the state's ("the Iranian
        state news agency", "Iraqi state television"; ``state_media_words`` of ``legal_holders.yaml``),
        else None. Only a country named inside the outlet's own phrase counts."""
        i, j = np_bounds(sv.doc[actor.head])
        words = [t for t in sv.doc[i:j]]
        if not any(t.lower_ in self.v.state_media_words for t in words):
            return None
        for t in words:
            org = self.state_of(t.text)
            if org is not None or (t.ent_type_ in ("NORP", "GPE") and t.text[:1].isupper()):
                name = f"{t.text} government"
                return Holder(name, None, org, "government", False, org or _key(name))
        return None

    def _of_other_sentence(self, a: Actor) -> Holder | None:
        """An antecedent from another sentence: typed from its own words."""
        if a.entity_id is not None and a.entity_kind == "person":
            htype = self.person_types.get(a.entity_id) or self._type_of_text(a.text, True) or "person"
            return Holder(a.text, a.entity_id, None, htype, True, a.entity_id)
        if a.entity_id is not None:
            return Holder(a.text, None, a.entity_id, self._type_of_text(a.text, False) or "organization", False,
                          a.entity_id)
        if a.kind == "person":
            return Holder(a.text, None, None, self._type_of_text(a.text, True) or "person", True, _key(a.text))
        typed = self._type_of_text(a.text, False)
        if typed is None and a.kind not in ("state", "org"):
            return None
        htype = typed or ("government" if a.kind == "state" else "organization")
        state = self.state_of(a.text) if htype == "government" else None
        return Holder(a.text, None, state, htype, False, state or _key(a.text))

    def _document(self, sv: SentenceView, a: Actor) -> Holder | None:
        """"The report said", "the memo says": no author named, so the document speaks for whoever
        wrote it; its words type it ("the UN report" an organization, "the ministry's letter" ...).
        An instrument ("the executive order states", "the charter forbids") is no one's statement."""
        head = sv.doc[a.head]
        if head.lemma_.lower() not in self.v.document_nouns:
            return None
        if self.prior is not None and (self.prior.person_id or self.prior.org_id) and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children) and not any(
                c.dep_ in ("poss", "compound", "amod", "prep", "relcl", "acl") for c in head.children):
            # "..., the statement said" after "the Department of Defense announced": a definite document with
            # no author of its own is the one the speaker before issued
            return self.prior
        htype = self._type_of_text(a.text, False) or "organization"
        return Holder(a.text, None, None, htype, False, _key(a.text))

    def _type_of_text(self, text: str, person: bool) -> str | None:
        for htype, rx in self.v.title_types:
            if htype == "government" and person:
                continue
            if rx.search(text):
                return htype
        if person:
            return "person"
        for htype, rx in self.v.holder_phrases:
            if rx.search(text):
                return htype
        words = [w.lower() for w in re.findall(r"[\w.]+", text)]
        for htype in self.v.holder_type_order:
            if htype != "person" and any(self.v.holder_nouns.get(w) == htype for w in words):
                return htype
        if self.v.government_names.fullmatch(text.strip().removesuffix("'s").strip()):
            return "government"
        return None

    def of_token(self, sv: SentenceView, head: Token) -> Holder | None:
        """The holder a noun phrase headed by ``head`` names in this sentence."""
        doc = sv.doc
        low = head.lower_
        if head.tag_ in ("PRP", "PRP$") or low in _RELATIVE:
            return None
        i, j = np_bounds(head)
        mention, represented, j = self._np_mention(sv, head, i, j)
        text = span_text(doc, i, j)
        if low in self.v.not_holders:
            return None
        ent_label = head.ent_type_
        is_gov_name = bool(self.v.government_names.fullmatch(text.strip().removesuffix("'s").strip()))
        noun_type = self.v.holder_nouns.get(low)
        if mention is None and noun_type is None and not is_gov_name and ent_label not in ("PERSON", "ORG", "NORP"):
            return None
        if represented and mention is not None and mention.kind == "person":
            mention = None  # "a spokesman for Boris Johnson": the spokesman holds it
        person = (mention is not None and mention.kind == "person") or (
            mention is None and ent_label == "PERSON" and noun_type is None)
        htype = self._holder_type(text, head, person, noun_type, is_gov_name, doc)
        person_id = mention.entity_id if mention is not None and mention.kind == "person" else None
        if person and htype == "person" and person_id in self.person_types:
            htype = self.person_types[person_id]
        org_id = mention.entity_id if mention is not None and mention.kind == "org" else None
        key = mention.entity_id if mention is not None else _key(text)
        if mention is None and htype == "government":
            # a state holds it ("Iran said", "the Iraqi government called it"): its government's row
            org_id = self.state_of(text)
            key = org_id or key
        if person_id is not None and mention is not None and mention.surface not in text:
            text = mention.surface  # "the law professor, John Doe": the person named in apposition is the name
        return Holder(text, person_id, org_id, htype, person, key)

    def _np_mention(self, sv: SentenceView, head: Token, i: int, j: int) -> tuple[EntityMention | None, bool, int]:
        """(mention naming the holder, whether it is only represented, new NP end)."""
        doc = sv.doc
        m = sv.mentions.get(head.i)
        if m is not None:
            return m, False, j
        for c in head.children:  # the name in apposition ("the U.S. ambassador, Lana Marks")
            if c.dep_ == "appos" and c.i in sv.mentions:
                return sv.mentions[c.i], False, j
        # a name right after a title ("Speaker of the Council of Representatives Mohamed al-Halbousi")
        k = j
        while k < len(doc) and doc[k].pos_ == "PROPN" and sv.mentions.get(doc[k].i) is not None:
            k += 1
        if k > j and sv.mentions[doc[j].i].kind == "person":
            return sv.mentions[doc[j].i], False, k
        last = head.right_edge
        if head.lower_ in self.v.holder_nouns and last.i >= j and sv.mentions.get(last.i) is not None \
                and sv.mentions[last.i].kind == "person" and last.head.i != head.i:
            # a long title cut by its own commas, the name last ("UN Special Rapporteur on extrajudicial,
            # summary or arbitrary executions Agnes Callamard said")
            return sv.mentions[last.i], False, last.i + 1
        persons = [sv.mentions[x] for x in range(i, j) if x in sv.mentions and sv.mentions[x].kind == "person"]
        orgs = [sv.mentions[x] for x in range(i, j) if x in sv.mentions and sv.mentions[x].kind == "org"]
        for x in range(i, j):
            mm = sv.mentions.get(x)
            if mm is None or doc[x].dep_ == "poss" or any(t.dep_ == "poss" for t in doc[x].ancestors if i <= t.i < j):
                continue
            if any(t.dep_ == "prep" for t in doc[x].ancestors if i <= t.i < j):
                return mm, True, j  # "a spokesman for X", "the Chairman of the House Committee": represented
        if head.lower_ not in self.v.holder_nouns:
            if persons:
                return persons[0], False, j
            if orgs:
                return orgs[0], False, j
        return None, False, j

    def _holder_type(self, text: str, head: Token, person: bool, noun_type: str | None, gov: bool, doc: Doc) -> str:
        context = text  # a named person's title (before the name or in apposition) decides court/legislature
        for c in head.children:
            if c.dep_ == "appos":
                context += " " + span_text(doc, *np_bounds(c))
        typed = self._type_of_text(context, person)
        if typed is not None:
            return typed
        if gov:
            return "government"
        if noun_type:
            return noun_type
        if head.ent_type_ == "ORG":
            return "organization"
        if head.ent_type_ in ("NORP", "GPE"):
            return "government"
        return "person"


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _background(att: Attribution, doc: Doc, vocab: LegalVocab) -> bool:
    """A relative clause with its own subject that tells of an act ("people it accused of ..."):
    background to what the sentence states."""
    if att.cue is None or att.kind != "verb":
        return False
    tok = doc[att.cue]
    own_subject = any(c.dep_ == "nsubj" and c.lower_ not in _RELATIVE for c in tok.children)
    return tok.dep_ == "relcl" and own_subject and att.cue_lemma not in vocab.speech_verbs


def _left_to(att: Attribution, doc: Doc) -> bool:
    """A cue that is a decision left to someone ("it is up to the prime minister to determine whether ...",
    "it is for the courts to decide"): nothing is stated yet."""
    if att.cue is None or att.kind != "verb":
        return False
    tok = doc[att.cue]
    return tok.dep_ == "xcomp" and tok.head.lemma_ == "be" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and any(
        c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in tok.head.children)


def _stating_frame(cl: Clauses, tok: Token, vocab: LegalVocab, inside: Attribution | None,
                   faulted: Token | None) -> Frame | None:
    """The nearest frame above the cue whose agent states or does what the cue judges ("Iran issued a
    warrant", "Iran justified it"), lying inside ``inside``'s content when one is given."""
    by_head = {f.head: f for f in cl.frames}
    lexicon = load_lexicon()
    for cur in [tok, *tok.ancestors]:
        f = by_head.get(cur.i)
        if f is None or (f.lemma not in vocab.holder_verbs and f.lemma not in vocab.court_verbs):
            continue
        if inside is not None and (cur.i == inside.cue or not inside.contains(f.start, f.end)):
            return None
        if f.lemma not in vocab.holder_verbs and not _court_agent(f, vocab):
            continue  # "ordered", "awarded": a position only when a court does it
        if f.negative or f.modality in _DEONTIC:
            continue  # "had not explained why", "must seek approval": not their statement
        agents = f.fillers("agent")
        if not agents or (faulted is not None and any(a.actor.head == faulted.i for a in agents)):
            continue
        if all(is_relay(a.actor, lexicon) for a in agents):
            continue  # "the agency quoted ...": an outlet states nothing of its own
        if agents[0].actor.text.lower() == "it" and f.lemma not in vocab.speech_verbs:
            continue
        return f
    return None


def _one(h: Holder | None) -> list[Holder]:
    return [] if h is None else [h]


def _court_agent(f: Frame, vocab: LegalVocab) -> bool:
    """Whether a frame's agent is a court ("a court in Tehran ordered ...", "the judge awarded ...")."""
    return any(vocab.holder_nouns.get(w.lower()) == "court" for r in f.fillers("agent")
               for w in re.findall(r"[\w]+", r.actor.text))


def cue_holders(cl: Clauses, sv: SentenceView, tok: Token, vocab: LegalVocab, typer: HolderTyper,
                faulted: Token | None = None, quote_speaker: Holder | None = None
                ) -> tuple[list[Holder], Token | None]:
    """Holders of the position a cue token belongs to (conjoined sources give several), and the
    token of the stating verb (None when the holder comes from elsewhere)."""
    start = cl.base + tok.idx
    att = cl.attribution_of(start, start + len(tok.text))
    while att is not None and (att.negated or _background(att, sv.doc, vocab) or _left_to(att, sv.doc) or (
            faulted is not None and any(s.head == faulted.i for s in att.sources)) or (
            att.cue_lemma in vocab.act_verbs and att.parent is not None)):
        # (an act reported by someone, "the spokesman said Tehran had asked Interpol to ...": the reporter's)
        att = cl.attributions[att.parent] if att.parent is not None else None
    near = _stating_frame(cl, tok, vocab, att, faulted)
    if near is not None and att is not None and all(r.actor.kind == "document" and r.actor.entity_id is None
                                                    for r in near.fillers("agent")):
        near = None  # "according to X, this report may call into question ...": X reports the document's view
    if near is not None and (att is None or near.lemma not in vocab.act_verbs):
        hs = [h for r in near.fillers("agent") if (h := typer.of_actor(sv, r.actor, quote_speaker)) is not None]
        if hs:
            return hs, sv.doc[near.head]
    while att is not None:
        if att.relay:
            if att.parent is not None:  # "X said C, according to the agency" parsed inside X's content
                att = cl.attributions[att.parent]
                continue
            # an outlet relaying nobody named holds nothing -- unless it is a state's own medium ("according
            # to the Iranian state news agency"): what it announces with no other source is that government's
            own = [h for src in att.sources if (h := typer.of_state_medium(sv, src)) is not None]
            return own, None
        if att.parent is not None and att.sources and all(s.kind == "document" and s.entity_id is None
                                                          for s in att.sources):
            # "according to the correspondents, this report may call into question ...": who reports the
            # document's view holds it
            att = cl.attributions[att.parent]
            continue
        hs = [h for s in att.sources
              for h in (typer.members(sv, s) or _one(typer.of_actor(sv, s, quote_speaker)))]
        if hs:
            return hs, sv.doc[att.cue] if att.cue is not None and att.kind == "verb" else None
        if any(s.kind not in ("pronoun", "document") and sv.doc[s.head].tag_ in ("NNS", "NNP", "NNPS")
               and sv.doc[s.head].lower_ not in vocab.not_holders for s in att.sources):
            return [], None  # "..., while Iran's partners condemned it": named, but nobody we know
        att = cl.attributions[att.parent] if att.parent is not None else None
    if near is not None:
        hs = [h for r in near.fillers("agent") if (h := typer.of_actor(sv, r.actor, quote_speaker)) is not None]
        if hs:
            return hs, sv.doc[near.head]
    return [], None


def instrument_owner(cl: Clauses, sv: SentenceView, tok: Token, vocab: LegalVocab) -> list[Holder]:
    """"Interpol constitution forbids ...": the organisation owning the instrument."""
    by_head = {f.head: f for f in cl.frames}
    for cur in [tok, *tok.ancestors]:
        f = by_head.get(cur.i)
        if f is None or cur.pos_ not in ("VERB", "AUX"):
            continue
        agents = f.fillers("agent")
        if not agents or sv.doc[agents[0].actor.head].lower_ not in vocab.not_holders:
            continue
        i, j = np_bounds(sv.doc[agents[0].actor.head])
        for k in range(i, j):
            m = sv.mentions.get(k)
            if m is not None and m.kind == "org":
                return [Holder(m.surface, None, m.entity_id, "organization", False, m.entity_id)]
        return []
    return []


def speakers(cl: Clauses, sv: SentenceView, typer: HolderTyper) -> tuple[list[Holder], Holder | None]:
    """Holders that are subjects in a sentence, sources last (for later quotations), and the last
    source that is a holder (the paragraph's current speaker)."""
    other: list[Holder] = []
    reporting: list[Holder] = []
    for f in cl.frames:
        for r in f.fillers("agent"):
            if r.actor.kind == "pronoun" and r.actor.resolved is None:
                continue
            h = typer.of_actor(sv, r.actor)
            if h is not None:
                other.append(h)
    for a in cl.attributions:
        if a.relay:
            continue
        for s in a.sources:
            h = typer.of_actor(sv, s)
            if h is not None:
                reporting.append(h)
    keys = {h.key for h in reporting}
    other = [h for h in other if h.key not in keys]
    return other + reporting, reporting[-1] if reporting else None
