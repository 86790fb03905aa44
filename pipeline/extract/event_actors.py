"""Events: who took part in an occurrence, and in what role, read from its frames.

What belongs here: ``occurrence_actors`` -- for one telling (a sentence and the word naming its
occurrence, with the frames ``pipeline.extract.event_frames`` finds for it), the named persons,
organizations and states and their roles. An agent of a violent act is its perpetrator, of an
ordering verb its sponsor, else an actor; the patient of a killing is its victim, of another act its
target (a participant for statements and the like). Phrases on an event noun name actors too: the
state on the act ("an Israeli strike"), its by-phrase, the of-phrase of a killing (the victim), the
for/against/on-phrase of a legal act (its target), the possessor of a decision, and whoever claims
the act. Descriptions, datelines and relaying outlets are never actors (the clause layer's rules);
a state acts where it is an agent; "it"/"they" are not read into roles.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from spacy.tokens import Token

from pipeline.extract.clauses import Clauses, Frame
from pipeline.extract.clauses.roles import Actor
from pipeline.extract.entities import EntityMention
from pipeline.extract.event_frames import (
    INSTRUMENT_PREPS,
    RoleWords,
    answered_by,
    occurrence_frames,
    standing_word,
)

# act types whose agent carries it out (perpetrator) and whose patient is its victim or target
_VIOLENT = {"strike", "attack", "plot", "cyber_operation"}
_PATIENT_TYPES = {"strike", "attack", "plot", "cyber_operation", "legal_action", "political_action"}
# "at a press conference": the setting of a statement whose speaker is the verb's agent
_SETTING_PREPS = frozenset({"at"})
# anaphors whose antecedent fills an occurrence's role ("ordered him detained"); titles and "the group"
# too, but not "it"/"they" (too often another party)
_PERSONAL = {"he", "she", "him", "her"}


def occurrence_actors(
    cl: Clauses, tok: Token, etype: str, source_id: str, state_of: Callable[[str], str | None] | None,
    words: RoleWords, mentions: Sequence[EntityMention] = (),
) -> list[tuple[EntityMention, str]]:
    """The named actors of the occurrence ``tok`` names and their roles (see module docstring)."""
    found: dict[str, tuple[EntityMention, str]] = {}
    # a statement told by its setting ("called the move a stunt at a press conference"): the verb's speaker
    frames = occurrence_frames(cl, tok, words.alleging_verbs, words,
                               _SETTING_PREPS if etype == "statement" else frozenset())
    at = standing_word(tok, words) if tok.pos_ in ("NOUN", "PROPN") else tok
    answer = answered_by(at, words)
    up = {a.i for a in (answer, *answer.ancestors)} if answer is not None else {a.i for a in at.ancestors}
    core = {f.head for f in frames if f.head in (tok.i, at.i) or f.head in up}
    controlled, ordered = _told_further(cl, core, words)
    if etype == "statement":
        controlled = []  # "urged Americans to leave Iraq": what a statement asks for is its content, not its act
    core |= {g.head for g in controlled}
    frames = [*frames, *(g for g in (*controlled, *ordered) if g not in frames)]
    for f in frames:
        for r in f.roles:
            actor = r.actor.named
            if r.actor.head == tok.i:
                continue  # the event noun itself ("the strike killed X")
            if actor is not r.actor and r.actor.kind == "pronoun" and r.actor.text.lower() not in _PERSONAL:
                continue  # "it", "they": too often another party than the one resolved for an act's role
            role = _role(r.role, f, etype, words)
            # a clause hanging on the occurrence tells who made or ordered it or who died in it, not
            # whom else its verb is about ("issued a warrant and asked Interpol for help")
            if role is None or (f.head not in core and role not in ("sponsor", "victim", "perpetrator", "actor")):
                continue
            ent = _entity(actor, source_id, state_of)
            if ent is None and actor.text.lower() in words.state_anaphors:
                ent = _state_before(cl, actor, source_id, state_of)
            if ent is None and actor is r.actor:
                # "two defendants, A and B, were arrested": the names in apposition
                for app in actor.appositions:
                    for t in (cl.doc[app.head], *cl.doc[app.head].conjuncts):
                        named = _token_entity(cl, t, mentions)
                        if named is not None:
                            found.setdefault(named.entity_id, (named, role))
            if ent is not None and actor is not r.actor:
                # an anaphor ("him", "the group") names its antecedent here, in this clause
                ent = dataclasses.replace(ent, char_start=r.actor.start, char_end=r.actor.end, surface=r.actor.text)
            if ent is not None:
                found.setdefault(ent.entity_id, (ent, role))
            if r.role == "agent" and f.head in core and ent is None:
                # "the ring, led by X, began plotting ...": who leads the group that acts directs its act
                for ent in _leaders(cl, r.actor, words, source_id, state_of):
                    found.setdefault(ent.entity_id, (ent, "sponsor"))
    if etype in _VIOLENT and tok.pos_ == "NOUN" and state_of is not None:
        # "an Israeli strike", "the U.S. drone strike": the state named on the act carried it out
        named_on = [tok, at] if at is not tok and at.lemma_.lower() in words.kill_nouns else [tok]
        for mod in (m for w in named_on for m in w.children):
            org = state_of(mod.text) if mod.dep_ in ("amod", "compound") and mod.ent_type_ in ("GPE", "NORP") else None
            if org:
                start = cl.base + mod.idx
                found.setdefault(org, (EntityMention(source_id, start, start + len(mod.text), org, "org", mod.text),
                                       "perpetrator"))
    if tok.pos_ == "NOUN":
        # "an attack by Iran", "a strike by the Pentagon": the by-phrase of an event noun is its agent
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "by":
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    ent = _token_entity(cl, pobj, mentions)
                    org = state_of(pobj.text) if ent is None and state_of is not None and pobj.ent_type_ in (
                        "GPE", "NORP") else None
                    if org:
                        start = cl.base + pobj.idx
                        ent = EntityMention(source_id, start, start + len(pobj.text), org, "org", pobj.text)
                    if ent is not None:
                        found.setdefault(ent.entity_id, (ent, "perpetrator" if etype in _VIOLENT else "actor"))
    if etype in _VIOLENT and tok.pos_ == "NOUN":
        # "the assassination of X", "the killing of X in a drone strike": X is the victim
        killing = [tok] if tok.lemma_.lower() in words.kill_nouns else []
        if (answer is None and tok.dep_ == "pobj" and tok.head.lower_ in INSTRUMENT_PREPS
                and tok.head.head.lemma_.lower() in words.kill_nouns):
            killing.append(tok.head.head)
        if at is not tok and at.lemma_.lower() in words.kill_nouns and at not in killing:
            killing.append(at)
        for noun in killing:
            for prep in noun.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        # "the killing of the group's commander X": the name in apposition too
                        for t in [pobj, *pobj.conjuncts, *(c for c in pobj.children if c.dep_ == "appos")]:
                            ent = _token_entity(cl, t, mentions)
                            if ent is not None:
                                found.setdefault(ent.entity_id, (ent, "victim"))
    if etype == "legal_action":
        # "a warrant for X", "charges against X", "unsealed an indictment on X": whom the legal act is against
        nouns = [tok] if tok.pos_ in ("NOUN", "PROPN") else [c for c in tok.children if c.dep_ == "dobj"
                                                             and c.pos_ == "NOUN"]
        for noun in nouns:
            for prep in noun.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "against", "on"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        for t in [pobj, *pobj.conjuncts]:
                            ent = _token_entity(cl, t, mentions)
                            if ent is not None:
                                found[ent.entity_id] = (ent, "target")
    if etype in ("statement", "political_action") and tok.pos_ == "NOUN":
        # "Trump's decision to withdraw", "the minister's speech": the possessor made it
        for poss in (c for c in tok.children if c.dep_ == "poss"):
            ent = _token_entity(cl, poss, mentions) or _entity_of(cl, poss, source_id, state_of)
            if ent is not None:
                found.setdefault(ent.entity_id, (ent, "actor"))
    if etype in _VIOLENT:
        # "X claimed responsibility for the blasts", "X claimed the attack": by its claim, X carried it out
        for ent in claimants(cl, standing_word(tok, words) if tok.pos_ == "NOUN" else tok, words, source_id,
                             state_of):
            found[ent.entity_id] = (ent, "perpetrator")
    return sorted(found.values(), key=lambda x: x[0].char_start)


def _told_further(cl: Clauses, core: set[int], words: RoleWords) -> tuple[list[Frame], list[Frame]]:
    """Frames telling more of the occurrence's own act: the acts its core verbs control, in a chain ("began
    conspiring to abduct Y": Y is the target), and the clauses on the act a core ordering verb names ("authorized
    the strike that killed Y": Y died)."""
    heads = set(core)
    ordered_nouns = {c.i for h in core if cl.doc[h].lemma_.lower() in words.sponsor_verbs
                     for c in cl.doc[h].children if c.dep_ == "dobj" and c.pos_ == "NOUN"}
    controlled: list[Frame] = []
    ordered: list[Frame] = []
    for g in cl.frames:  # text order: a controlled verb follows the verb controlling it
        t = cl.doc[g.head]
        if t.dep_ == "xcomp" and t.head.i in heads and g.head not in heads:
            heads.add(g.head)
            controlled.append(g)
        elif t.dep_ in ("relcl", "acl") and t.head.i in ordered_nouns:
            ordered.append(g)
    return controlled, ordered


def _leaders(cl: Clauses, group: Actor, words: RoleWords, source_id: str,
             state_of: Callable[[str], str | None] | None) -> list[EntityMention]:
    """Who a participle of a leading verb on a group's phrase names ("the ring, led by X"): X."""
    out = []
    for g in cl.frames:
        t = cl.doc[g.head]
        if t.dep_ == "acl" and t.head.i == group.head and g.lemma in words.leading_verbs and not g.negative:
            for r in g.roles:
                if r.role == "agent" and r.via == "agent":
                    ent = _entity(r.actor.named, source_id, state_of)
                    if ent is not None:
                        out.append(ent)
    return out


def claimants(cl: Clauses, tok: Token, words: RoleWords, source_id: str,
              state_of: Callable[[str], str | None] | None) -> list[EntityMention]:
    """Who claims the occurrence ``tok`` names: the agents of a claim verb whose object it is ("X claimed the
    bombing"), or whose claim noun's for-phrase it is ("X claimed responsibility for the blasts")."""
    verb = None
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in words.claim_verbs:
        verb = tok.head
    elif (tok.dep_ == "pobj" and tok.head.lower_ == "for" and tok.head.head.lemma_.lower() in words.claim_nouns
          and tok.head.head.dep_ == "dobj"):
        verb = tok.head.head.head
    frame = next((f for f in cl.frames if verb is not None and f.head == verb.i), None)
    if frame is None:
        return []
    out = []
    for r in frame.roles:
        if r.role == "agent":
            ent = _entity(r.actor.named, source_id, state_of)
            if ent is not None:
                out.append(ent)
    return out


def _entity_of(cl: Clauses, tok: Token, source_id: str,
               state_of: Callable[[str], str | None] | None) -> EntityMention | None:
    """The state a name of the model's GPE or NORP labels stands for, else None."""
    org = state_of(tok.text) if state_of is not None and tok.ent_type_ in ("GPE", "NORP") else None
    if not org:
        return None
    start = cl.base + tok.idx
    return EntityMention(source_id, start, start + len(tok.text), org, "org", tok.text)


def _token_entity(cl: Clauses, tok: Token, mentions: Sequence[EntityMention]) -> EntityMention | None:
    """The person or organization of the index named at a token."""
    at = cl.base + tok.idx
    return next((m for m in mentions if m.char_start <= at < m.char_end), None)


def _role(role: str, f: Frame, etype: str, words: RoleWords) -> str | None:
    if role == "agent":
        if f.lemma in words.undergoer_verbs:
            return "victim" if etype in _VIOLENT else "target" if etype in _PATIENT_TYPES else "participant"
        if f.lemma in words.sponsor_verbs:
            return "sponsor"
        return "perpetrator" if etype in _VIOLENT else "actor"
    if role in ("patient", "target"):
        if f.lemma in words.kill_lemmas:
            return "victim"
        return "target" if etype in _PATIENT_TYPES else "participant"
    return "participant" if role == "recipient" else None


def _state_before(cl: Clauses, actor: Actor, source_id: str,
                  state_of: Callable[[str], str | None] | None) -> EntityMention | None:
    """The state "the country" stands for: the nearest state named before it in its sentence ("Iranian
    state TV said the country shot down a jet": Iran), else None."""
    if state_of is None:
        return None
    for t in reversed(cl.doc[: max(0, actor.head - 1)]):
        org = state_of(t.text) if t.ent_type_ in ("GPE", "NORP") else None
        if org:
            start = cl.base + t.idx
            return EntityMention(source_id, start, start + len(t.text), org, "org", t.text)
    return None


def _entity(actor: Actor, source_id: str, state_of: Callable[[str], str | None] | None) -> EntityMention | None:
    if actor.entity_id and actor.entity_kind in ("person", "org"):
        return EntityMention(source_id, actor.start, actor.end, actor.entity_id, actor.entity_kind, actor.text)
    if actor.kind == "state" and state_of is not None:
        org = state_of(actor.text)
        if org:
            return EntityMention(source_id, actor.start, actor.end, org, "org", actor.text)
    return None


# the determiners of a phrase that names an occurrence told before ("the attack", "these bombings")
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# how the parse tells a filler of the frame itself, not one it inherits through a clause above ("accused X of
# ordering the attack": X is not who ordered it)
_OWN_VIA = frozenset({"nsubj", "agent", "relcl", "nsubjpass", "dobj"})


def definite_reference(tok: Token, heads: frozenset[str]) -> bool:
    """Whether ``tok`` is an event noun named definitely ("the attack", "these bombings"): a phrase that refers
    back to an occurrence told before, not a new one ("an attack", "his assassination")."""
    return (tok.pos_ == "NOUN" and (tok.lower_ in heads or tok.lemma_.lower() in heads)
            and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children))


def referring_actors(cl: Clauses, tok: Token, words: RoleWords, source_id: str,
                     state_of: Callable[[str], str | None] | None) -> list[tuple[EntityMention, str]]:
    """Who a later sentence says did or underwent an occurrence it names by a definite noun ``tok`` ("the
    attack"), the occurrence being told before: the subject of an ordering verb whose object it is is its
    sponsor ("T ordered the attack"), a claimant its perpetrator ("G claimed responsibility for the
    bombings"), whoever was killed or died in it (or whom it killed) a victim ("Y was also killed in the
    attack"). Only what the frame says as fact of its own fillers: a negated, conditional or modal frame, a
    filler inherited from a clause above ("accused X of ordering the attack") and "it"/"they" give nothing;
    what others merely say about it (condemned, denied) gives nothing either."""
    by_head = {f.head: f for f in cl.frames}
    found: dict[str, tuple[EntityMention, str]] = {}

    def take(f: Frame | None, roles: tuple[str, ...], as_role: str) -> None:
        if f is None or f.negative or f.modality or f.condition is not None or f.hedge:
            return
        for r in f.roles:
            if r.role not in roles or r.via not in _OWN_VIA or r.actor.head == tok.i:
                continue
            if r.actor.kind == "pronoun" and r.actor.text.lower() not in _PERSONAL:
                continue
            ent = _entity(r.actor.named, source_id, state_of)
            if ent is not None and r.actor.named is not r.actor:
                ent = dataclasses.replace(ent, char_start=r.actor.start, char_end=r.actor.end, surface=r.actor.text)
            if ent is not None:
                found.setdefault(ent.entity_id, (ent, as_role))

    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in words.sponsor_verbs:
        take(by_head.get(head.i), ("agent",), "sponsor")  # "T ordered the attack", "the attack was ordered by T"
    if tok.dep_ == "nsubj" and head.lemma_.lower() in words.kill_lemmas:
        take(by_head.get(head.i), ("patient",), "victim")  # "the attack killed Y"
    if tok.dep_ == "pobj" and head.lower_ in INSTRUMENT_PREPS and head.head.pos_ == "VERB":
        verb = head.head
        if verb.lemma_.lower() in words.kill_lemmas:
            take(by_head.get(verb.i), ("patient",), "victim")  # "Y was also killed in the attack"
        elif verb.lemma_.lower() in words.undergoer_verbs:
            take(by_head.get(verb.i), ("agent",), "victim")  # "Y died in the attack"
    for ent in claimants(cl, tok, words, source_id, state_of):
        claim = by_head.get(tok.head.i if tok.dep_ == "dobj" else tok.head.head.head.i)
        if claim is not None and not (claim.negative or claim.modality or claim.condition is not None):
            found.setdefault(ent.entity_id, (ent, "perpetrator"))
    return sorted(found.values(), key=lambda x: x[0].char_start)
