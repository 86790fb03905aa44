"""Who a plot telling names: the actor a noun phrase or pronoun stands for, conjuncts and members,
victims killed alongside.

What belongs here: ``ActorReader``, the base of the plot readers: entity mentions, titles before
names, a state named on an act, pronouns (the nearest person not reporting the clause, not
bound in its own clause), and the persons remembered for later sentences.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Token

from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.plots.mention import Actor
from pipeline.extract.plots.vocab import PlotVocab
from pipeline.extract.sentences import (
    Parser,
    Sentence,
    SentenceView,
    np_bounds,
    span_text,
)

_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "me", "my", "it", "its"}
_REL = {"who", "which", "that", "whom"}
_REPORT_RE = re.compile(
    r"^\W{0,3}(,? ?[\w.]+ ){0,2}?(said|says|told|stated|wrote|added|argued|asserted|claimed|insisted)\b"
)
_VICTIM_PREPS = {"along", "alongside", "together"}
# between a name and a description of the group it serves ("X is", "X, 45,", "X was also"), and between the
# description and the group ("a member of Iran's Y", "an officer of the Y")
# (", 45, ", " is ", ", who had ", or nothing but a space before a verb phrase: "X worked for Y")
_DESCRIBED_GAP = re.compile(r"(,(\s*\d+\s*,)?(\s*who)?)?(\s+(is|was|has been|had been|has|had))?"
                            r"(\s+(also|allegedly|reportedly))?\s*")
_EMPLOYER_GAP = re.compile(r"\W*((an?|the)\s+)?([\w.-]+['’]s\s+)?\W*")
# ", a ", ", 45, an ": what stands between a name and the organization named on its description
_ORG_AGENT_BEFORE = re.compile(r",(\s*\d+\s*,)?\s+(an?|the)\s+")
_LOWER_WORD = re.compile(r"[a-z][\w-]*\s+")  # an adjective before the organization ("a senior Y official")
_WORD = re.compile(r"[\s-]+([A-Za-z]+)")


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


# a description in apposition after a name: ", the former national security advisor," (its words, group 1)
_APPOSITION = re.compile(r",\s+(?:the|a|an)\s+([A-Za-z][\w .'-]{2,60}?)\s*(?=[,.;]|$)")


def _possessor_misparsed(tok: Token) -> bool:
    """Whether a noun marked as a possessor ("President X's") was parsed as an argument of its own beside
    the noun it possesses ("to murder President X's former adviser Y": X and Y both objects): only Y is."""
    if not any(c.dep_ == "case" and c.lower_ in ("'s", "’s", "'", "’") for c in tok.children):
        return False
    return any(c.dep_ == tok.dep_ and c.i > tok.i for c in tok.head.children)


def _description_key(text: str) -> str:
    """A role description's words, lower-case, with no article ("the former advisor" -> "former advisor")."""
    return re.sub(r"^(?:the|a|an)\s+", "", re.sub(r"\s+", " ", text.lower()).strip())


class ActorReader:
    """Reads the actors of plot tellings in the sentences of one source (base of ``MentionReader``)."""

    def __init__(self, vocab: PlotVocab, index: EntityIndex, parser: Parser, plot_sections: set[str],
                 source_id: str | None = None):
        self.v = vocab
        self.index = index
        self.parser = parser
        self.plot_sections = plot_sections
        self.recent_persons: list[Actor] = []
        self.carried: list[Actor] = []  # the first person of the last sentence before, in the same section
        self.first_of_last: Actor | None = None
        self._exclude: set[str] = set()  # actors a pronoun being resolved cannot stand for
        self.described: dict[str, Actor] = {}  # a role description given to a named person -> that person
        # people the source says took no part in its plot ("X is not accused of taking part in the plot")
        self.cleared: set[str] = set()
        # the group a named person is described as serving anywhere in the source ("X is a member of Y",
        # "X, an officer of Y,"): Y stands behind the plots X carries out or sponsors
        self.employers: dict[str, Actor] = {}
        # display name: the most frequent form of at least two words (else the longest) in the source
        forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        # (one source's mentions when reading one source: the whole index per source is quadratic)
        for m in index.of_source(source_id) if source_id is not None else index.all():
            forms[(m.source_id, m.entity_id)][m.surface] += 1
        self._kill_rx = vocab.act_patterns[0]
        # the org_id of a state named by words ("Iran", "the U.S."), where the index knows states
        self.state_of = index.state_of
        self._surface: dict[tuple[str, str], str] = {}
        for k, cnt in forms.items():
            multi = [(n, f) for f, n in cnt.items() if len(f.split()) > 1]
            self._surface[k] = max(multi)[1] if multi else max(cnt, key=len)

    # -- actors ------------------------------------------------------------------
    def _entity_actor(self, source_id: str, m: EntityMention) -> Actor:
        name = self._surface.get((source_id, m.entity_id), m.surface)
        return Actor(m.entity_id, m.kind, name, True, m.kind == "person")

    def actor(self, sv: SentenceView, tok: Token) -> Actor | None:
        """The actor a token (head of a noun phrase) names."""
        doc = sv.doc
        low = tok.lower_
        if low in _REL and tok.head.dep_ == "relcl":
            return self.actor(sv, tok.head.head)
        if low in _REL:
            # "X, an Afghan national who prosecutors said had been tasked ...": up to the relative clause
            up = tok.head
            while up.dep_ not in ("relcl", "ROOT") and up.head.i != up.i:
                up = up.head
            if up.dep_ == "relcl":
                return self.actor(sv, up.head)
        if tok.tag_ in ("PRP", "PRP$") or low in _PRONOUNS:
            a = self.resolve_pronoun(sv, tok)
            return replace(a, pronoun=True) if a is not None else None
        m = sv.mentions.get(tok.i)
        if m is None and tok.dep_ == "appos" and tok.head.i in sv.mentions:
            m = sv.mentions[tok.head.i]  # "Farhad Shakeri, an Afghan national who ...": the national is Shakeri
        if m is None:
            for c in tok.children:
                if c.dep_ == "appos" and c.i in sv.mentions:
                    m = sv.mentions[c.i]
                    break
        i, j = np_bounds(tok)
        if m is None and j < len(doc) and doc[j].pos_ == "PROPN" and j in sv.mentions and sv.mentions[j].kind == "person":
            m = sv.mentions[j]  # a title before a name ("the U.S. ambassador to South Africa Lana Marks")
        if m is None:
            # an organization modifying the head ("IRGC-QF officers"), never a person ("the Trump campaign")
            for x in range(i, tok.i):
                mm = sv.mentions.get(x)
                if mm is not None and mm.kind == "org" and doc[x].dep_ != "poss" and not any(
                    a.dep_ in ("poss", "prep") for a in doc[x].ancestors if i <= a.i < tok.i
                ):
                    m = mm
                    break
        if m is not None:
            return self._entity_actor(sv.sent.source_id, m)
        state = self._state(tok, i, j)
        if state is not None:
            return state
        text = span_text(doc, i, j)
        if not text:
            return None
        if tok.ent_type_ == "PERSON":
            return Actor(None, None, text, True, True)
        if tok.ent_type_ in ("ORG", "GPE", "NORP", "FAC"):
            return Actor(None, None, text, True, False)
        singular = tok.tag_ in ("NN", "NNP")
        role = singular and low in self.v.role_targets
        # "the Saudi ambassador" names someone; "an exiled separatist leader" is a person, unnamed
        # (a conjunct without a determiner of its own shares the first one's: "a general and top militia leader")
        head = tok
        while head.dep_ == "conj" and not any(c.dep_ == "det" for c in head.children) and head.head.i != head.i:
            head = head.head
        definite = not any(c.lower_ in ("a", "an") for c in [*tok.children, *head.children])
        if role and definite and _description_key(text) in self.described:
            return self.described[_description_key(text)]  # the person the source gave that description
        return Actor(None, None, text, role and definite, role, employer=self._employer(sv, tok))

    def _employer(self, sv: SentenceView, tok: Token) -> Actor | None:
        """The state or organization an unnamed agent acts for: named on it ("a Ruritanian intelligence
        officer") or after it ("a member of group X", "members of a Ruritanian spy network"). None for
        other nouns and for agents of no one named."""
        if tok.lemma_.lower() not in self.v.agent_persons:
            return None
        doc = sv.doc
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "nmod"):
                for x in (c, *c.conjuncts):
                    org = self.state_of(x.text) or self.state_of(span_text(doc, x.left_edge.i, x.i + 1))
                    if org:
                        return Actor(org, "org", x.text, True, False, state=True)
            elif c.dep_ == "prep" and c.lower_ in ("of", "for"):
                for g in c.children:
                    if g.dep_ != "pobj" or g.tag_ in ("PRP", "PRP$"):
                        continue
                    a = self.actor(sv, g)
                    if a is not None and a.kind == "org" and a.entity_id:
                        return a
                    if a is not None and a.employer is not None:
                        return a.employer
        return None

    def _state(self, tok: Token, i: int, j: int) -> Actor | None:
        """The state a noun phrase the parse gives as an actor names (``EntityIndex.state_of``): the
        state itself ("Israel", "the United States", "the Iranian government", "Tehran"), or a state
        named on its act or its agents ("the U.S. drone strike", "Iranian operatives", "U.S. drones",
        "Israeli and Arab agencies"). None when the phrase names no published state."""
        doc = tok.doc
        low = tok.lemma_.lower()
        if tok.ent_type_ == "GPE" or tok.pos_ == "PROPN" or low in self.v.state_agents:
            org = self.state_of(span_text(doc, i, j)) or self.state_of(span_text(doc, i, tok.i + 1))
            if org:
                return Actor(org, "org", span_text(doc, i, tok.i + 1), True, False, state=True)
        if self.v.any_trigger.fullmatch(tok.text) is not None or not (
                low in self.v.agent_nouns or low in self.v.state_agents):
            return None
        for c in tok.children:
            if c.dep_ not in ("compound", "amod", "nmod", "poss"):
                continue
            for x in (c, *c.conjuncts):  # "Israeli and Arab agencies": the first state named
                # (None for any word naming no state; a compound name with its own words: "United States")
                org = self.state_of(x.text) or self.state_of(span_text(doc, x.left_edge.i, x.i + 1))
                # (an act's state modifier is its agent even when no row names the state)
                if org or (x.ent_type_ in ("GPE", "NORP") and low in self.v.agent_nouns):
                    return Actor(org, "org" if org else None, x.text, True, False, state=bool(org))
        return None

    def resolve_pronoun(self, sv: SentenceView, pron: Token) -> Actor | None:
        """A pronoun -> the person (or thing) it stands for, when one candidate is clear."""
        low = pron.lower_
        if low in ("it", "its", "they", "them", "their"):
            for tok in reversed(list(sv.doc[: pron.i])):
                if tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ not in _PRONOUNS | _REL:
                    return self.actor(sv, tok)
            return None
        if low in ("me", "my"):
            return None  # a quoted speaker: the plot's target comes from elsewhere
        reporters: list[EntityMention] = []
        # the subjects and objects of the verbs governing the pronoun do the act, they do not suffer it
        # ("charged X with conspiring to kidnap her": her is not X)
        bound: set[int] = set()
        for a in pron.ancestors:  # up to the first verb with a subject of its own (the local clause)
            if a.pos_ in ("NOUN", "PROPN"):
                break  # "X survived a plot to kidnap her": the plot's agents kidnap, X may be her
            if a.pos_ not in ("VERB", "AUX"):
                continue
            args = [c for c in a.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
            for c in args:
                i, j = np_bounds(c)
                bound |= set(range(i, j))
                bound |= {y.i for x in c.children if x.dep_ == "appos" for y in x.subtree}  # "an officer, X,"
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in args):
                break
        # who does the act to "him"/"her" in its own clause is not "him"/"her" in an earlier sentence either
        # ("X and Y were offered money to kill her")
        agents = set(self._exclude)
        for tok in reversed(list(sv.doc[: pron.i])):
            m = sv.mentions.get(tok.i)
            if m is None or m.kind != "person" or (tok.i + 1 < len(sv.doc) and sv.mentions.get(tok.i + 1) == m):
                continue
            if (pron.lower_ in ("him", "her") and tok.i in bound) or m.entity_id in self._exclude:
                agents.add(m.entity_id)
                continue
            if self._reporter(sv, tok, m):
                reporters.append(m)  # who reports a clause is seldom who the clause is about ...
                continue
            return self._entity_actor(sv.sent.source_id, m)
        recent = [a for a in self.recent_persons if a.key not in agents]
        if recent:
            return recent[-1]
        # ... unless nobody else is named in the paragraph ("Bolton said Iran wanted to kill him")
        if reporters:
            return self._entity_actor(sv.sent.source_id, reporters[0])
        carried = [a for a in self.carried if a.key not in agents]
        return carried[-1] if carried else None

    def _reporter(self, sv: SentenceView, tok: Token, m: EntityMention) -> bool:
        after = sv.sent.text[m.char_end - sv.sent.start : m.char_end - sv.sent.start + 40]
        if _REPORT_RE.match(after):
            return True
        for a in tok.ancestors:
            if a.lower_ == "according":
                return True
            if a.dep_ == "nsubj" and a.head.lemma_.lower() in self.v.reporting_verbs:
                return True
        return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in self.v.reporting_verbs

    def _remember_employers(self, sent: Sentence) -> None:
        """"X is a member of Y", "X, an officer of Y,": Y (an organization named right after the
        description, a possessor allowed between) is the group X serves."""
        for m in self.v.sponsor_descriptions.finditer(sent.text):
            after = self.index.in_span(sent.source_id, sent.start + m.end(), sent.start + m.end() + 80, "org")
            gap = sent.text[m.end() : after[0].char_start - sent.start] if after else ""
            if not (after and _EMPLOYER_GAP.fullmatch(gap)):
                continue
            before = [x for x in self.index.in_span(sent.source_id, sent.start, sent.start + m.start(), "person")
                      if _DESCRIBED_GAP.fullmatch(sent.text[x.char_end - sent.start : m.start()])]
            if before:
                self.employers.setdefault(before[-1].entity_id, self._entity_actor(sent.source_id, after[0]))

    def _remember_org_agents(self, sent: Sentence) -> None:
        """"X, a Y operative,", "X, a senior Y official,": an organization named on an agent noun in the
        description right after a person is the group that person serves."""
        orgs = self.index.in_span(sent.source_id, sent.start, sent.end, "org")
        if not orgs:
            return
        for p in self.index.in_span(sent.source_id, sent.start, sent.end, "person"):
            m = _ORG_AGENT_BEFORE.match(sent.text, p.char_end - sent.start)
            if m is None:
                continue
            starts = [m.end()]
            adj = _LOWER_WORD.match(sent.text, m.end())
            if adj is not None:
                starts.append(adj.end())
            org = next((o for o in orgs if o.char_start - sent.start in starts), None)
            noun = _WORD.match(sent.text, org.char_end - sent.start) if org is not None else None
            if org is not None and noun is not None and _singular(noun.group(1).lower()) in self.v.agent_persons:
                self.employers.setdefault(p.entity_id, self._entity_actor(sent.source_id, org))

    def remember(self, sent: Sentence) -> None:
        """Persons named in a sentence, except those reporting, for later pronouns."""
        if self.v.sponsor_descriptions.search(sent.text):
            self._remember_employers(sent)
        self._remember_org_agents(sent)
        named: list[Actor] = []
        for m in self.index.in_span(sent.source_id, sent.start, sent.end, "person"):
            after = sent.text[m.char_end - sent.start : m.char_end - sent.start + 40]
            before = sent.text[max(0, m.char_start - sent.start - 40) : m.char_start - sent.start]
            desc = _APPOSITION.match(sent.text, m.char_end - sent.start, min(len(sent.text), m.char_end - sent.start + 80))
            if desc and desc.group(1).split()[-1].lower() in self.v.role_targets:
                # "John Bolt, the former national security advisor, ...": a later "the former national security
                # advisor" is him
                self.described.setdefault(_description_key(desc.group(1)), self._entity_actor(sent.source_id, m))
            if _REPORT_RE.match(after) or re.search(r"according to\b[^,]*$", before, re.I):
                continue
            a = self._entity_actor(sent.source_id, m)
            if not any(x.key == a.key for x in named):
                named.append(a)
        self.recent_persons.extend(named)
        if named:
            self.first_of_last = named[0]  # the sentence's first person (mostly its subject)

    def expand(self, sv: SentenceView, toks: Iterable[Token]) -> list[Actor]:
        """Actors of tokens plus their conjuncts and "including X" members."""
        out: list[Actor] = []
        for t in toks:
            if _possessor_misparsed(t):
                continue
            cut = _fronted_subject_start(t)
            for x in [t, *t.conjuncts]:
                if cut is not None and x.i >= cut:
                    break  # the clause's subject, not more of the fronted phrase's people
                if x.i > 0 and any(w.lower_ in self.v.alias_words for w in (sv.doc[np_bounds(x)[0]], sv.doc[x.i - 1])):
                    continue  # "X, alias Y, was charged": Y is another name of X, no second actor
                a = self.actor(sv, x)
                appos = [c for c in x.children if c.dep_ == "appos"]
                if x.i not in sv.mentions and appos and any(
                        y.i in sv.mentions for c in appos for y in [c, *c.conjuncts]):
                    # "Two other men, Carlisle Rivera and Jonathan Loadholt, were charged": the named men
                    out.extend(self.expand(sv, appos))
                    continue
                if a is not None:
                    out.append(a)
                for c in x.children:
                    if c.dep_ == "prep" and c.lower_ in ("including", "like"):
                        out.extend(self.expand(sv, [g for g in c.children if g.dep_ == "pobj"]))
        return out

    def victims_in(self, sv: SentenceView) -> list[Actor]:
        """"along with X", "alongside X": killed with the target."""
        out: list[Actor] = []
        for tok in sv.doc:
            if tok.lower_ in _VICTIM_PREPS:
                objs = [g for c in [tok, *tok.children] for g in c.children if g.dep_ == "pobj"]
                out.extend(a for a in self.expand(sv, objs) if a.person_like)
        return out


def _fronted_subject_start(t: Token) -> int | None:
    """"Besides the plot against Y, A and two other men were charged": the parse may hang the clause's
    subject (A, the men) on Y as its conjuncts when a phrase opens the sentence. Where the finite verb
    above has no subject of its own and comes after them, the conjuncts after the comma that closes
    the opening phrase are that subject: the index of the first of them, else None."""
    path = [t, *t.ancestors]
    verb = next((a for a in path if a.pos_ in ("VERB", "AUX")), None)
    if verb is None or verb.dep_ != "ROOT" or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in verb.children):
        return None
    opener = next((a for a in path if a.head.i == verb.i and a.i != verb.i), None)
    if opener is None or opener.dep_ != "prep" or opener.i > verb.i:
        return None
    doc = t.doc
    for c in t.conjuncts:
        if t.i < c.i < verb.i and any(w.text == "," for w in doc[t.i + 1 : c.i]):
            return c.i
    return None
