"""Events read through the clause layer: the parse decides what a dated clause's toll, places and
actors belong to.

What belongs here: parsing the dated sentences of one source once (``EventFrames``, frames from
``pipeline.extract.clauses`` with the curated event nouns as nominal predicates), and, for one
telling -- a sentence, the word naming its occurrence -- (1) the spans of the sentence that tell
of something else (``clauses.scope``: "a warrant for those behind the strike that killed a
general" -- the toll and place of the strike are not the warrant's), and (2) the occurrence's
actors with their roles from its frames: the trigger's own frame; for an event noun, the verb it
is the subject, object or instrument of ("Israel killed 12 in an airstrike"); the clauses
hanging on it ("a strike ordered by T that killed S"). The roles those frames give, and the
phrases on an event noun that name its actors, are read in ``pipeline.extract.event_actors``.
Curated words: ``roles`` in ``raw/curated/event_types.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Token

from pipeline import yamlload
from pipeline.corpus import PassageRow, SourceDoc
from pipeline.errors import CuratedDataError
from pipeline.extract.clauses import Clauses, Frame, SourceReader
from pipeline.extract.clauses.scope import foreign_spans
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityIndex
from pipeline.extract.sentences import Parser, Sentence, syntactic_head
from pipeline.extract.token_offsets import starting_in

# how an event noun hangs on the verb whose roles are its own: subject ("the strike killed X"),
# object ("launched a strike"), instrument or manner ("killed X in a strike", "with a drone")
_NOUN_TO_VERB = {"nsubj", "nsubjpass", "dobj"}
INSTRUMENT_PREPS = {"in", "with", "by", "during", "through"}
# clauses on the occurrence's word that tell more of it ("a strike ordered by T that killed S",
# "fired missiles, killing 10")
_MORE = {"relcl", "acl", "advcl", "xcomp", "conj"}


@dataclass(frozen=True)
class RoleWords:
    sponsor_verbs: frozenset[str]  # "ordered by T": T directed the act
    kill_lemmas: frozenset[str]  # the patient of these died: a victim, not a target
    # an event noun in these verbs' prepositional phrase is what is alleged, not their instrument
    # ("whom Iran accuses of involvement in the attack": Iran did not carry it out)
    alleging_verbs: frozenset[str] = frozenset()
    kill_nouns: frozenset[str] = frozenset()  # "the assassination of X": X died
    undergoer_verbs: frozenset[str] = frozenset()  # "X, who died in a strike": X is the victim
    measure_nouns: frozenset[str] = frozenset()  # "a wave of missile attacks": the wave stands for them
    response_verbs: frozenset[str] = frozenset()  # "responded to the killing with strikes": the strikes answer
    state_anaphors: frozenset[str] = frozenset()  # "the country": the state named just before
    marking_nouns: frozenset[str] = frozenset()  # "the anniversary of the killing": the killing is not dated now
    # "X claimed responsibility for the blasts", "X claimed the attack": X carried it out (by its claim)
    claim_nouns: frozenset[str] = frozenset()
    claim_verbs: frozenset[str] = frozenset()
    leading_verbs: frozenset[str] = frozenset()  # "the ring, led by X, plotted ...": X directed its act


@lru_cache(maxsize=4)
def load_role_words(curated_dir: Path) -> RoleWords:
    path = curated_dir / "event_types.yaml"
    try:
        d = yamlload.safe_load(path.read_text(encoding="utf-8"))["roles"]
        return RoleWords(frozenset(str(w).lower() for w in d["sponsor_verbs"]),
                         frozenset(str(w).lower() for w in d["kill_lemmas"]),
                         frozenset(str(w).lower() for w in d["alleging_verbs"]),
                         frozenset(str(w).lower() for w in d["kill_nouns"]),
                         frozenset(str(w).lower() for w in d.get("undergoer_verbs") or ()),
                         frozenset(str(w).lower() for w in d.get("measure_nouns") or ()),
                         frozenset(str(w).lower() for w in d.get("response_verbs") or ()),
                         frozenset(str(w).lower() for w in d.get("state_anaphors") or ()),
                         frozenset(str(w).lower() for w in d.get("marking_nouns") or ()),
                         frozenset(str(w).lower() for w in d.get("claim_nouns") or ()),
                         frozenset(str(w).lower() for w in d.get("claim_verbs") or ()),
                         frozenset(str(w).lower() for w in d.get("leading_verbs") or ()))
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise CuratedDataError(f"cannot read event roles: {exc}", path) from None


class EventFrames:
    """Parses and clause readings of the dated sentences of one source, read in text order."""

    def __init__(self, doc: SourceDoc, index: EntityIndex, curated_dir: Path, nominals: frozenset[str],
                 parser: Parser | None = None) -> None:
        self.doc = doc
        self.index = index
        self.parser = parser or Parser()
        self.words = load_role_words(curated_dir)
        self.nominals = nominals
        self.reader = SourceReader(doc.source_id, curated_dir)
        self._read: dict[tuple[int, int], Clauses] = {}
        self._passage: str | None = None
        self._last: tuple[str, int] | None = None  # section and ordinal of the paragraph read last

    def prefetch(self, spans: Sequence[tuple[PassageRow, int, int]]) -> None:
        self.parser.prefetch(self._sentence(p, s, e) for p, s, e in spans)

    def _sentence(self, p: PassageRow, s: int, e: int) -> Sentence:
        return Sentence(self.doc.source_id, p, s, e, self.doc.text[s:e], 0)

    def clauses(self, p: PassageRow, s: int, e: int, dates: Sequence[DateMention]) -> Clauses:
        """The clause reading of sentence [s, e) of passage ``p`` (sentences asked in text order)."""
        key = (s, e)
        if key not in self._read:
            if p.passage_id != self._passage:
                # pronouns reach back one paragraph within a section ("... claimed the attack." / "The group
                # posted a statement ..."), never further
                self.reader.new_paragraph(carry=self._last == (p.section, p.ordinal - 1))
                self._passage = p.passage_id
                self._last = (p.section, p.ordinal)
            parsed: Doc = self.parser(self._sentence(p, s, e))
            mentions = self.index.in_span(self.doc.source_id, s, e)
            self._read[key] = self.reader.read(parsed, s, mentions, dates, self.nominals)
        return self._read[key]


def word_token(cl: Clauses, start: int, end: int) -> Token | None:
    """The head token of the words [start, end) (absolute offsets)."""
    return syntactic_head(cl.doc, start - cl.base, end - cl.base)


def elsewhere(cl: Clauses, tok: Token | None, nominals: frozenset[str]) -> list[tuple[int, int]]:
    """Absolute spans of the sentence telling of something else than ``tok``'s occurrence: what
    describes a person, an organization or another occurrence ("X, who headed G", "the strike that
    killed a general"); a coordinated clause may go on telling it ("were launched ... and targeted
    the base"), a clause on a place or thing says where ("a facility hosting U.S. forces at the
    airport", "an attack on an installation that killed a contractor")."""
    if tok is None:
        return []

    def describes(t: Token) -> bool:
        return (t.pos_ in ("PROPN", "PRON") or t.ent_type_ in ("PERSON", "ORG", "NORP")
                or t.lemma_.lower() in nominals or t.lower_ in nominals)

    return foreign_spans(tok, cl.base, coordinated=False, describes=describes)


def governing_noun(tok: Token, named: set[int]) -> Token | None:
    """The event noun a noun is the topic of ("a report on targeted killings", "a resolution on drone
    strikes": the report, the resolution), or a participle describes ("a drone strike authorized by
    the president": the strike), when it is one of the ``named`` occurrence words (token indexes)."""
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.i in named and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    cur = tok
    while cur.dep_ == "pobj" and cur.head.dep_ == "prep" and cur.head.head.pos_ in ("NOUN", "PROPN"):
        cur = cur.head.head
        if cur.i in named:
            return cur
    return None


def outside_date_clause(cl: Clauses, date_start: int, date_end: int, tok: Token) -> bool:
    """Whether ``tok`` lies outside the clause the date is told in ("a strike killed X, and Iran
    retaliated on Jan. 8": the strike is not what Jan. 8 dates)."""
    f = cl.frame_at(date_start, date_end)
    if f is None:
        return False
    head = cl.doc[f.head]
    return not (head.left_edge.i <= tok.i <= head.right_edge.i) and tok.i not in {a.i for a in head.ancestors}


def standing_word(tok: Token, words: RoleWords) -> Token:
    """The word standing in the clause for the occurrence noun ``tok``: a measure noun it is counted by
    ("targeted the base with a wave of missile attacks": the wave), or the killing noun whose
    in-phrase it is when the parse hung that phrase on the verb above ("expect Iran to retaliate over
    the killing of X in a drone strike": the strike is how X was killed, not how Iran retaliates)."""
    cur = tok
    for _ in range(3):
        up = cur.head.head
        if (cur.dep_ == "pobj" and cur.head.lower_ == "of" and up.pos_ == "NOUN"
                and up.lemma_.lower() in words.measure_nouns):
            cur = up
        else:
            break
    prep = cur.head
    if cur.dep_ == "pobj" and prep.lower_ == "in" and prep.dep_ == "prep" and prep.head.pos_ in ("VERB", "AUX"):
        verb = prep.head
        # the nearest killing noun before the in-phrase, whose own phrase runs up to it, under the verb
        for t in reversed(_between(verb, prep)):
            if t.pos_ in ("VERB", "AUX"):
                break
            if (t.pos_ == "NOUN" and t.lemma_.lower() in words.kill_nouns and t.right_edge.i == prep.i - 1
                    and verb in t.ancestors):
                return t
    return cur


def _between(verb: Token, prep: Token) -> list[Token]:
    """The tokens strictly between a verb and a later preposition of it (empty if the preposition comes first)."""
    return list(verb.doc[verb.i + 1 : prep.i]) if verb.i < prep.i else []


def answered_by(at: Token, words: RoleWords) -> Token | None:
    """The answering verb whose with-phrase the parse hung on the occurrence it answers ("Iran
    responded to the killing with limited strikes": the strikes are Iran's answer, not the killing's
    means), else None."""
    prep, noun = at.head, at.head.head
    if not (at.dep_ == "pobj" and prep.lower_ == "with" and noun.pos_ == "NOUN" and noun.i < at.i):
        return None
    up = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else noun.head if noun.dep_ == "dobj" else None
    if up is not None and up.pos_ == "VERB" and up.lemma_.lower() in words.response_verbs:
        return up
    return None


# modal auxiliaries of an act not (yet) done: "would attack", "could strike"
_UNREALIS = {"would", "will", "could", "might", "may", "shall", "should", "must", "can", "'ll", "wo", "ca"}


def reported_act(cl: Clauses, say: Token, acts: set[int], date_start: int, words: RoleWords,
                 content_after: bool = False, announced: bool = False) -> Token | None:
    """The act a reporting verb's content clause tells as done, when the content comes first and the
    date is the saying's ("Iran has launched a missile attack on the forces, the military said on
    Tuesday": the news is the attack, known on Tuesday): the content's predicate or its object or
    passive subject, among ``acts`` (token indexes of occurrence words), with no negation, modal,
    condition or future, and not an act only ordered or planned. None when the date lies inside the
    content (it dates the content itself), when the saying comes first ("Trump claimed that X had
    been planning attacks": the claim is the news) or nothing done is told. ``content_after``: the
    content may follow the saying, told in the present or present perfect (a prosecutor's "said X
    and 35 others now face charges" announces the charges); ``announced``: the saying makes acts public,
    and content after it is the act in any tense ("announced that X was charged")."""
    by_head = {f.head: f for f in cl.frames}
    for c in say.children:
        if c.dep_ != "ccomp" or (c.i > say.i and not (content_after and (announced or _present(c)))) or c.left_edge.idx + cl.base <= date_start < c.right_edge.idx + cl.base + len(
                c.right_edge):
            continue
        f = by_head.get(c.i)
        if (f is None or f.negative or f.modality or f.condition is not None or f.tense == "future"
                or c.lemma_.lower() in words.sponsor_verbs):
            continue
        if c.i in acts:
            return c
        obj = next((o for o in c.children if o.dep_ in ("dobj", "nsubjpass") and o.i in acts), None)
        if obj is not None:
            return obj
    return None


def _present(verb: Token) -> bool:
    """A verb told in the present or present perfect ("face", "has charged"), not in a past tense."""
    if verb.tag_ in ("VBP", "VBZ"):
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.tag_ in ("VBP", "VBZ") for c in verb.children)


def marked(tok: Token, words: RoleWords) -> bool:
    """Whether an occurrence word names what a marking noun marks ("converged on Sunday to commemorate the
    anniversary of the killing of a general in a drone strike": the strike is not Sunday's occurrence):
    it lies in the of-phrase of a ``marking_nouns`` word, within its noun phrase."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return False
        if cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.lemma_.lower() in words.marking_nouns:
            return True
        cur = cur.head
    return False


def victims_setting(tok: Token, words: RoleWords) -> Token | None:
    """The killing verb whose victims' phrase holds the occurrence word ``tok``, else None: "blasts that
    killed 40 people attending a memorial", "killed mourners": the memorial and the mourners tell where and
    whom the killing hit; the occurrence is the killing's."""
    cur = tok
    for _ in range(8):
        head = cur.head
        if head.i == cur.i:
            return None
        if (cur.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX")
                and head.lemma_.lower() in words.kill_lemmas):
            return head
        if head.pos_ in ("VERB", "AUX") and cur.dep_ not in ("dobj", "prep", "acl", "relcl"):
            return None  # a clause of its own, not a phrase of the victims
        cur = head
    return None


def killing_occurrence(kill: Token, acts: set[int]) -> Token | None:
    """The occurrence word a killing verb tells of, among ``acts`` (token indexes of violent occurrence words):
    the noun it describes ("blasts that killed"), its subject ("the bomb killed"), its means ("killed ... in a
    strike"), else the verb itself."""
    cands = [kill.head] if kill.dep_ in ("relcl", "acl") else []
    cands += [c for c in kill.children if c.dep_ == "nsubj"]
    cands += [g for c in kill.children if c.dep_ == "prep" and c.lower_ in INSTRUMENT_PREPS
              for g in c.children if g.dep_ == "pobj"]
    return next((t for t in [*cands, kill] if t.i in acts), None)


def date_head(cl: Clauses, date_start: int, date_end: int) -> Token | None:
    """The word the parse hangs a date on ("killed in January 2020": killed), through its preposition."""
    toks = starting_in(cl.doc, date_start - cl.base, date_end - cl.base)
    inside = {t.i for t in toks}
    top = next((t for t in toks if t.head.i not in inside), None)
    if top is None:
        return None
    up = top.head
    if top.dep_ == "pobj" and up.dep_ == "prep" and up.i not in inside:
        up = up.head
    return up if up.i not in inside else None


def dated_of_phrase(cl: Clauses, date_start: int, date_end: int, nouns: Sequence[Token]) -> Token | None:
    """The occurrence noun, among ``nouns``, whose of-phrase runs up to the date ("in retaliation for the
    killing of the group's top commander X in 2020": the date is the killing's, wherever the parser hung
    it), else None."""
    toks = starting_in(cl.doc, date_start - cl.base, date_end - cl.base)
    if not toks:
        return None
    first = toks[0].i
    if toks[0].pos_ != "ADP" and first > 0 and cl.doc[first - 1].lower_ in ("in", "on", "during"):
        first -= 1
    for noun in nouns:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is None or noun.i >= first:
            continue
        # the of-phrase without the clauses on its nouns ("the death of X, who died in a strike near the port
        # in 2019": the date is the relative clause's)
        phrase, stack = {of.i}, [of]
        while stack:
            for c in stack.pop().children:
                if c.dep_ not in _CLAUSE_DEPS:
                    phrase.add(c.i)
                    stack.append(c)
        if first in phrase or max(phrase) + 1 == first:
            return noun
    return None


_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "punct"}


def talked_about(cl: Clauses, tok: Token, statements: set[int]) -> Token | None:
    """The statement verb an occurrence word is only talked about by, else None: its object ("dismissed
    the arrest warrant as a stunt") or an act it vows, threatens or urges -- not done ("vowed that they
    would attack the bases", "threatened to strike"). ``statements``: token indexes of statement verbs
    that do not announce what they name (not "issued a warrant")."""
    if tok.dep_ == "dobj" and tok.head.i in statements:
        return tok.head
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
    if verb is None or verb.dep_ not in ("ccomp", "xcomp") or verb.head.i not in statements:
        return None
    f = next((g for g in cl.frames if g.head == verb.i), None)
    unrealis = verb.dep_ == "xcomp" or (f is not None and (f.tense == "future" or (f.modality or "") in _UNREALIS))
    unrealis = unrealis or any(c.dep_ == "aux" and c.lower_ in _UNREALIS for c in verb.children)
    return verb.head if unrealis else None


def occurrence_frames(cl: Clauses, tok: Token, alleging: frozenset[str] = frozenset(),
                      words: RoleWords | None = None, preps: frozenset[str] = frozenset()) -> list[Frame]:
    """The frames telling the occurrence ``tok`` names: its own (or the nearest governing one), the
    verb an event noun is subject, object or instrument of (not an ``alleging`` verb: "accuses X of
    involvement in the attack"), and clauses hanging on either. ``words``: the event noun is read
    where the word standing for it stands (``standing_word``, ``answered_by``). ``preps``: more prepositions
    whose phrase on a verb tells how that verb's act was done ("said ... at a press conference")."""
    by_head = {f.head: f for f in cl.frames}
    own = by_head.get(tok.i)
    out: list[Frame] = []
    if own is not None:
        out.append(own)
    verb = None
    at = standing_word(tok, words) if words is not None and tok.pos_ in ("NOUN", "PROPN") else tok
    answer = answered_by(at, words) if words is not None else None
    if answer is not None:
        verb = answer
    elif at.pos_ in ("NOUN", "PROPN"):
        if at.dep_ in _NOUN_TO_VERB:
            verb = at.head
        elif (at.dep_ == "pobj" and at.head.lower_ in INSTRUMENT_PREPS | preps and at.head.head.pos_ in ("VERB", "AUX")
              and at.head.head.lemma_.lower() not in alleging):
            verb = at.head.head
        elif (at.dep_ == "pobj" and at.head.lower_ in preps and at.head.head.dep_ in ("oprd", "dobj")
              and at.head.head.head.pos_ == "VERB"):
            verb = at.head.head.head  # "called the move a stunt at a press conference": the phrase hung on the object
    elif own is None:
        verb = next((a for a in tok.ancestors if a.i in by_head), None)
    if verb is not None and verb.i in by_head and by_head[verb.i] not in out:
        out.append(by_head[verb.i])
    for f in list(out):
        for g in cl.frames:
            # hanging on the frame's own word, not on one of its participants ("X, who headed G, ...")
            if g.parent == f.head and g.dep in _MORE and cl.doc[g.head].head.i == f.head and g not in out:
                out.append(g)
    return out
