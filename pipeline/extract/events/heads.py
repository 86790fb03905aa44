"""Events: which head of the parse types a dated occurrence, once a trigger word is chosen.

What belongs here: rules over the dependency parse that move the occurrence from the word chosen to the
word that tells it -- the act a verb of ordering or permission governs ("authorized the drone strike": a
strike, whose orderer is its sponsor; but "had approved the raid back in May" is the permission), the noun whose content clause the chosen verb is ("charges that X
plotted": the charges), the noun a participle with the date describes ("the charges laid out Wednesday"),
and acts only instructed or ordered to be done, not done ("instructed him to focus on the assassination of
X": a plot, not an executed strike). The curated words are the roles' ``sponsor_verbs``
(``raw/curated/event_types.yaml``); nothing here reads text by position.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from spacy.tokens import Token

from pipeline.extract.clauses import Clauses
from pipeline.extract.dates import DateMention
from pipeline.extract.event_frames import RoleWords, date_head, word_token
from pipeline.extract.events.triggers import _TrigHit

# Occurrence types an order or a permission is about (the order is the sponsor's part in them).
_ACTS = frozenset({"strike", "attack", "plot", "cyber_operation", "military_deployment", "legal_action"})
# Types an instructed act is told as: what is instructed and not (yet) done is a plot.
_HARM = frozenset({"strike", "attack"})


def ordered_act(tok: Token, kinds: dict[int, str], words: RoleWords) -> Token | None:
    """The act a verb of ordering or permission governs as its object ("T authorized the drone strike",
    "the attack was ordered by T"): the object's word, when it is an occurrence word of ``kinds`` (token
    index -> event type) of an act type; else None (also when told in the past perfect, the permission
    set before the act it permits). The verb's agent becomes the act's sponsor
    (``event_actors``), so the ordering needs no event of its own."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in words.sponsor_verbs:
        return None
    if _past_perfect(tok):
        return None  # "had authorized the killing back in June": a decision told as before the story's time
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass") and kinds.get(c.i) in _ACTS:
            return c
    return None


def prior_permission(tok: Token, kinds: dict[int, str], words: RoleWords) -> Token | None:
    """The verb of permission or ordering told in the past perfect whose object the act ``tok`` is ("had
    approved the raid back in May"): the date is the permission's, set before the act; else None."""
    verb = tok.head
    if tok.dep_ not in ("dobj", "nsubjpass") or verb.i not in kinds or verb.lemma_.lower() not in words.sponsor_verbs:
        return None
    return verb if _past_perfect(verb) else None


def _past_perfect(verb: Token) -> bool:
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_.lower() == "have" and c.tag_ == "VBD"
                                      for c in verb.children)


def content_noun(tok: Token, kinds: dict[int, str]) -> Token | None:
    """The noun whose content clause the verb ``tok`` is ("charges that an officer plotted to kill X",
    "reports that rebels attacked"): the clause says what the noun holds, the noun is the occurrence --
    when it is itself an occurrence word of ``kinds``; else None."""
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ != "acl" or tok.head.i not in kinds:
        return None
    if tok.head.pos_ not in ("NOUN", "PROPN"):
        return None
    if not any(c.dep_ == "mark" and c.lower_ in ("that", "whether") for c in tok.children):
        return None
    return tok.head


def dated_participle(head: Token | None, kinds: dict[int, str], words: RoleWords) -> Token | None:
    """The occurrence a participle bearing the date tells: its own, when it is an occurrence word
    ("protesters arrested on Monday": the arrest; "the indictment unsealed Wednesday"), else the noun it
    describes ("the sensational charges laid out Wednesday": the charges). ``head`` is the word the parse
    hangs the date on. None for a participle of ordering ("a strike authorized in June": the permission's
    date, not the strike's) or no occurrence word."""
    if head is None or head.dep_ != "acl" or head.tag_ not in ("VBN", "VBG"):
        return None
    if head.lemma_.lower() in words.sponsor_verbs:
        return None
    if head.i in kinds:
        return head
    noun = head.head
    return noun if noun.i in kinds and noun.pos_ in ("NOUN", "PROPN") else None


def instructed_by(tok: Token, kinds: dict[int, str], words: RoleWords,
                  directives: Collection[str] = ()) -> Token | None:
    """The verb of ordering or instructing under which the strike or attack ``tok`` is only to be done
    ("instructed him to focus on ... the assassination of X", "ordered them to carry out the attack",
    "was tasked with carrying out assassinations"): the act is told as instructed, not as executed. None
    when ``tok`` is no strike or attack word or no such verb governs it. ``directives``: more lemmas
    (asking, telling) whose infinitive complement is an instruction."""
    if kinds.get(tok.i) not in _HARM:
        return None
    lemmas = words.sponsor_verbs | frozenset(directives)
    cur = tok
    complement = False  # passed through the infinitive or gerund complement of a verb
    for _ in range(10):
        head = cur.head
        if head.i == cur.i:
            return None
        if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in lemmas and head.i != tok.i:
            if complement or cur.dep_ == "xcomp":
                return head
            if cur.pos_ in ("NOUN", "PROPN") and cur.dep_ == "conj" and any(
                    c.dep_ == "xcomp" for c in head.children):
                # the parser hung a noun coordinated inside the instruction on the verb itself
                return head
            return None
        if cur.dep_ == "xcomp" or (cur.dep_ == "pcomp" and cur.tag_ == "VBG"):
            complement = True
        elif cur.dep_ in ("ccomp", "relcl", "advcl", "ROOT") or (
                cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("xcomp", "conj", "pcomp")):
            return None  # a finite clause of its own: told as done there
        cur = head
    return None


def head_told(cl: Clauses, trig: _TrigHit, tok: Token, etype: str, hits: Sequence[_TrigHit], dm: DateMention,
              words: RoleWords) -> tuple[_TrigHit, Token, str, bool]:
    """The trigger, its token and the type of the occurrence the dated clause tells, moved by the rules
    above from the word chosen; the last value says the act is only instructed (its victims are targets)."""
    found = {t.i: (h, t) for h in hits if (t := word_token(cl, h.start, h.end)) is not None
             and (not h.trig.weak or t.lemma_.lower() in words.kill_nouns)}
    kinds = {i: h.trig.type for i, (h, _) in found.items()}
    noun = dated_participle(date_head(cl, dm.char_start, dm.char_end), kinds, words)
    if noun is None or kinds[noun.i] == etype:
        # (of the chosen word's own kind, it is the same occurrence: "in a speech broadcast on Friday, X stated")
        noun = content_noun(tok, kinds)
    if noun is not None:
        trig, tok = found[noun.i]
        etype = trig.trig.type
    act = ordered_act(tok, kinds, words) or prior_permission(tok, kinds, words)
    if act is not None:
        trig, tok = found[act.i]
        etype = trig.trig.type
    if instructed_by(tok, kinds, words) is not None:
        return trig, tok, "plot", True
    return trig, tok, etype, False
