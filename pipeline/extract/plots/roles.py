"""Which role each actor of a plot telling plays: target, perpetrator, sponsor.

What belongs here: ``RoleReader``: roles read from the trigger noun's own phrase ("the plot by X
against Y"), the verbs governing it ("charged X with plotting", "tasked by X"), sponsor phrases
("under the supervision of X"), "X was behind the killing", and what befell the perpetrators
("X pleaded guilty").
"""

from __future__ import annotations

import itertools
import re

from spacy.tokens import Token

from pipeline.extract.clauses.roles import agent_token
from pipeline.extract.plot_frames import described
from pipeline.extract.plots.actors import ActorReader
from pipeline.extract.plots.mention import Actor, PlotMention
from pipeline.extract.sentences import (
    SentenceView,
    np_bounds,
)


class RoleReader(ActorReader):
    """The roles of a plot telling's actors (base of ``MentionReader``)."""

    def _behind(self, sv: SentenceView, trig: Token) -> list[Actor]:
        """"X was behind the killing of Y", "X is responsible for the killing": X did it."""
        if trig.dep_ != "pobj":
            return []
        up = trig.head.head if trig.head.lemma_.lower() in self.v.approach_words else trig.head
        if up.lemma_.lower() not in self.v.approach_words and trig.head.lemma_.lower() not in self.v.approach_words:
            return []
        verb = up if up.pos_ in ("AUX", "VERB") else up.head
        if verb.lemma_.lower() != "be":
            return []
        return [a for a in self.expand(sv, [c for c in verb.children if c.dep_ == "nsubj"]) if a.specific or a.entity_id]

    def _outcome(self, sv: SentenceView, trig: Token, pm: PlotMention) -> PlotMention | None:
        """"X pleaded guilty", "a court convicted X", "X was sentenced": the stage it marks and X."""
        # a conviction, sentence, plea or trial is a charge; an arrest stops the plot
        status = self.v.governing.get(trig.lemma_.lower(), "charged")
        if status not in ("charged", "foiled"):
            return None
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in trig.children)
        objs = [c for c in trig.children if c.dep_ == ("nsubjpass" if passive else "dobj")
                and c.lower_ not in ("trial", "guilty")]
        if not objs:
            # "X pleaded guilty", "X is due to stand trial": the subject, up through "due to"/"expected to"
            cur = trig
            while not objs and cur.dep_ in ("xcomp", "acomp", "conj") and cur.head.i != cur.i:
                cur = cur.head
                objs = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
            objs = objs or [c for c in trig.children if c.dep_ == "nsubj"]
        pm.perpetrators = [a for a in self.expand(sv, objs) if a.entity_id]
        charged_with = any(c.dep_ == "prep" and c.lower_ == "with" for x in (trig, *objs) for c in x.children)
        if not pm.perpetrators and not (charged_with and any(
                o.tag_ == "NNS" or any(c.lower_ == "the" for c in o.children) for o in objs)):
            # (unnamed, only "charged the four with kidnap", "charged the men with murder": the plotters told
            # before; in a news article the outcome joins the plot told before it)
            return None
        pm.statuses = [status]
        pm.outcome = True
        return pm

    def _orderer(self, sv: SentenceView, path: list[Token]) -> list[Actor]:
        """"X ordered the killing of Y", "X, known for ordering the killing of Y": the one who ordered a
        past killing sponsored it (the subject the ordering verb has or inherits)."""
        verb = next((t for t in path[1:3] if t.pos_ == "VERB"), None)
        if verb is None or verb.lemma_.lower() not in self.v.sponsor_verbs:
            return []
        who = agent_token(verb)
        return [a for a in self.expand(sv, [who]) if a.specific or a.entity_id] if who is not None else []

    def _accused(self, sv: SentenceView, verb: Token) -> list[Actor]:
        """"filed charges against X for plotting ...", "issued a warrant for X over the plot": X, the one an
        accusation noun the verb governs names (its subject is the authority, no party to the plot)."""
        out: list[Actor] = []
        for noun in verb.children:
            if noun.dep_ not in ("dobj", "nsubjpass") or noun.lemma_.lower() not in self.v.charge_nouns:
                continue
            named = [g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("against", "for", "on")
                     for g in c.children if g.dep_ == "pobj" and self.v.any_trigger.fullmatch(g.text) is None]
            out += [a for a in self.expand(sv, named) if a.entity_id or (a.person_like and a.specific)]
        return out

    def _cleared(self, sv: SentenceView, path: list[Token]) -> bool:
        """"X is not accused of taking part in the plot", "X was never charged in the plot": a negated
        accusation or participation above the trigger clears X of the plot (remembered for the whole
        source, ``cleared``); the telling is no plot of its own."""
        v = self.v
        verbs = [t for t in path[1:] if t.pos_ in ("VERB", "AUX")][:3]
        takes_part = [t for t in verbs if t.lemma_.lower() in v.participation_verbs]
        for t in verbs:
            if not any(c.dep_ == "neg" or c.lower_ == "never" for c in t.children):
                continue
            if not takes_part and t.lemma_.lower() not in v.charge_verbs:
                continue
            who = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")] or [
                c for x in takes_part for c in x.children if c.dep_ in ("nsubj", "nsubjpass")]
            named = [a for a in self.expand(sv, who) if a.entity_id]
            self.cleared |= {a.key for a in named}
            return bool(named)
        return False

    def _subject_before(self, sv: SentenceView, rel_start: int) -> list[Actor]:
        """"Soleimani was planning attacks" when the parse misses the subject: a named actor right
        before an auxiliary right before the trigger."""
        s = sv.sent
        for mm in self.index.in_span(s.source_id, s.start, s.start + rel_start):
            gap = s.text[mm.char_end - s.start : rel_start]
            if re.fullmatch(r"\s+(was|were|is|are|had been|has been|have been)\s+", gap):
                return [self._entity_actor(s.source_id, mm)]
        return []

    @staticmethod
    def _copula_target(trig: Token) -> bool:
        """"X was the intended target", "the second target was X", "X was among the targets"."""
        if trig.lemma_.lower() not in ("target", "victim"):
            return False
        return (trig.dep_ in ("attr", "nsubj") and trig.head.lemma_ in ("be", "include")) or (
            trig.dep_ == "pobj" and trig.head.lower_ in ("among", "of"))

    def _noun_roles(self, sv: SentenceView, trig: Token, pm: PlotMention, kind: str) -> None:
        tgt: list[Token] = []
        perp: list[Token] = []
        for c in trig.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "against", "on", "targeting", "at"):
                tgt += [g for g in c.children if g.dep_ == "pobj"]
            elif c.dep_ == "prep" and c.lower_ == "by":
                perp += [g for g in c.children if g.dep_ == "pobj"]
            elif c.dep_ == "prep" and c.lower_ in ("in", "with"):
                # "the killing of X in a U.S. drone strike": the state named on the act (``actor``)
                perp += [g for g in c.children if g.dep_ == "pobj" and g.lemma_.lower() in self.v.agent_nouns]
            elif c.dep_ == "poss":
                (tgt if kind in ("kill", "strike_kill") else perp).append(c)
            elif c.dep_ in ("acl", "relcl", "xcomp") and c.pos_ == "VERB":
                for g in c.children:
                    if g.dep_ == "dobj":
                        tgt.append(g)
                    if g.dep_ == "prep" and g.lower_ in ("against", "on"):
                        tgt += [x for x in g.children if x.dep_ == "pobj"]
        # "an attempt on the life of X", "an attempt on her life": the one whose life it is
        tgt = [next((g for c in t.children if (c.dep_ == "prep" and c.lower_ == "of") or c.dep_ == "poss"
                     for g in ([c] if c.dep_ == "poss" else [x for x in c.children if x.dep_ == "pobj"])), t)
               if t.lemma_.lower() in self.v.life_nouns else t for t in tgt]
        if trig.lemma_.lower() in ("target", "victim"):
            # "the target of a plot": the plot is no target, the one the copula names is
            tgt = [t for t in tgt if not self.v.any_trigger.fullmatch(t.text)]
        if trig.lemma_.lower() in ("target", "victim") and not tgt:
            # "the second target was X", "X was the intended target", "X was among the intended targets"
            head = trig.head
            if trig.dep_ == "attr":
                tgt += [c for c in head.children if c.dep_ == "nsubj"]
            elif trig.dep_ == "nsubj":
                tgt += [c for c in head.children if c.dep_ == "attr"]
            elif trig.dep_ == "pobj" and head.lower_ == "among":
                tgt += [c for c in head.head.children if c.dep_ == "nsubj"]
            elif trig.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ == "one" and head.head.dep_ == "attr":
                tgt += [c for c in head.head.head.children if c.dep_ == "nsubj"]  # "she was one of the targets"
            if trig.dep_ == "nsubj" and head.lemma_ in ("include", "be") and not tgt:
                tgt += [c for c in head.children if c.dep_ in ("dobj", "attr")]  # "the targets included X"
        pm.targets = self.expand(sv, tgt)
        pm.target_tokens = tgt
        pm.perpetrators = self.expand(sv, perp)
        if kind in ("plot", "attack_plan"):
            # "a Quds Force plot", "a plot directed by the Revolutionary Guard": the organization behind it
            ni, _ = np_bounds(trig)
            for x in range(ni, trig.i):
                mm = sv.mentions.get(x)
                if mm is not None and mm.kind == "org" and sv.doc[x].dep_ != "poss" and not any(
                        a.key == mm.entity_id for a in pm.sponsors):
                    pm.sponsors.append(self._entity_actor(sv.sent.source_id, mm))
            self._acl_sponsors(sv, trig, pm)
            for c in trig.children:
                # "an Iranian plot", "Iran's plot": the state named on the plot stands behind it
                org = self.state_of(c.text) if c.dep_ in ("amod", "compound", "nmod", "poss") else None
                if org and not any(a.key == org for a in pm.sponsors):
                    pm.sponsors.append(Actor(org, "org", c.text, True, False, state=True))
        if kind == "hack" and not pm.targets and trig.dep_ in ("amod", "compound"):
            pm.targets = self.expand(sv, [trig.head])

    def _acl_sponsors(self, sv: SentenceView, noun: Token, pm: PlotMention) -> None:
        """"a strike ordered by X" -> X sponsors it."""
        for c in noun.children:
            if c.dep_ == "acl" and c.lemma_.lower() in self.v.sponsor_verbs:
                for a in c.children:
                    if a.dep_ == "agent":
                        pm.sponsors += self.expand(sv, [g for g in a.children if g.dep_ == "pobj"])

    def _governing_roles(self, sv: SentenceView, path: list[Token], pm: PlotMention) -> None:
        """Roles given by the verbs above the trigger ("charged X with plotting", "tasked X with")."""
        v = self.v
        accused = False  # a charge noun below ("wanted by the FBI on charges of plotting")
        for below, t in itertools.pairwise(path):
            if below is path[0] and below.dep_ in ("advcl", "pcomp") and any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in below.children):
                # "Iran launched an attack after a strike killed X": an act told by a verb with a subject of its
                # own, under an adverbial or a preposition ("after", "when"), has its agent there; the verbs
                # above tell another act and give it no roles
                break
            if t.pos_ not in ("VERB", "AUX"):
                accused = accused or t.lemma_.lower() in v.charge_nouns
                if v.governing.get(t.lemma_.lower()) not in (None, "alleged") and not pm.sponsors:
                    # "his decision to call off the strike", "Trump's option to kill X": whose decision it is
                    # (a possessive pronoun is left alone: "his decision" rarely names the nearest person)
                    pm.sponsors += self.expand(sv, [c for c in t.children if c.dep_ == "poss" and c.tag_ != "PRP$"])
                continue
            lemma = t.lemma_.lower()
            subj = [c for c in t.children if c.dep_ == "nsubj"]
            obj = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
            if any(c.dep_ == "auxpass" for c in t.children):
                # passive: "X, who had been tasked by an IRGC official with ..." (the parse may call X nsubj)
                obj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")] or _shared_subject(t)
                subj = [g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            elif not subj and t.dep_ == "xcomp" and lemma in v.sponsor_verbs:
                # "X sought to recruit people to carry out the plot": the subject the infinitive inherits
                who = agent_token(t)
                subj = [who] if who is not None else []
            charged = self._accused(sv, t)
            if charged:
                if not _named(pm.perpetrators):
                    pm.perpetrators += charged
                break
            if accused:
                # the verb governing the accusation: its object is the accused, its subject (or
                # by-agent) the authority, never a party to the plot
                if not _named(pm.perpetrators):
                    pm.perpetrators += self.expand(sv, obj)
                break
            if lemma in v.target_verbs:
                # "X survived an assassination attempt", "X escaped a plot": the subject was its target
                if not subj and t.dep_ == "conj":  # "X has been ... and survived": the shared subject
                    subj = [c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                if not pm.targets:
                    pm.targets += [a for a in self.expand(sv, subj + obj) if a.person_like or a.entity_id]
                break
            if lemma in v.charge_verbs:
                if not _named(pm.perpetrators):
                    pm.perpetrators += self.expand(sv, obj)
                continue
            if lemma in v.sponsor_verbs:
                # "paid X $100,000 to kill Y": the one paid is the dative, the sum the object
                # (or "paid $100,000 to X to kill Y")
                obj = obj + [next((g for g in c.children if g.dep_ == "pobj"), c) for c in t.children
                             if c.dep_ == "dative" or (c.dep_ == "prep" and c.lower_ == "to")]
                pm.sponsors += self.expand(sv, subj)
                if not _named(pm.perpetrators):
                    pm.perpetrators += self.expand(sv, obj)
                continue
            if lemma in v.foiler_verbs or lemma in v.reporting_verbs:
                break
            if lemma in v.perpetrator_verbs and not _named(pm.perpetrators):
                # a copula names the perpetrator only as "X was on the verge of/close to <act>"
                between = {x.lemma_.lower() for x in sv.doc[min(t.i, path[0].i) : max(t.i, path[0].i)]}
                if lemma != "be" or between & v.approach_words:
                    pm.perpetrators += self.expand(sv, subj)
                    for who in subj:
                        # "the ring, led by X, began plotting": who leads or directs the plotters stands behind them
                        self._acl_sponsors(sv, who, pm)
            self._acl_sponsors(sv, t, pm)
        # unnamed agents of a state or organization ("an Iranian intelligence officer was charged"): it stands
        # behind the plot
        have = {a.key for a in pm.sponsors}
        for a in pm.perpetrators:
            if not a.entity_id and a.employer is not None and a.employer.key not in have:
                pm.sponsors.append(a.employer)
                have.add(a.employer.key)
        pm.perpetrators = [a for a in pm.perpetrators if a.specific or a.entity_id]
        pm.sponsors = [a for a in pm.sponsors if a.specific or a.entity_id]

    def _sponsor_phrases(self, sv: SentenceView, pm: PlotMention) -> None:
        """"under the supervision of X", "ordered by X" -> X is a sponsor; "a member of X" only when
        it describes a perpetrator (a target's or a bystander's group sponsors nothing: "X, a senior
        commander of group Y, was killed in a strike")."""
        s = sv.sent
        targets = {x.key for x in [*pm.targets, *pm.victims]}
        perps = {x.key for x in pm.perpetrators}
        for rx, description in ((self.v.sponsor_phrases, False), (self.v.sponsor_descriptions, True)):
            for m in rx.finditer(s.text):
                after = self.index.in_span(s.source_id, s.start + m.end(), s.start + m.end() + 80)
                # allow a possessor between ("a member of Iran's Islamic Revolutionary Guard Corps")
                gap = s.text[m.end() : after[0].char_start - s.start] if after else ""
                a: Actor | None = None
                if after and re.fullmatch(r"\W*((an?|the)\s+)?(\w+['’]s\s+)?\W*", gap):
                    a = self._entity_actor(s.source_id, after[0])
                elif not description and _on_path(sv, m.start(), pm):
                    # "charged with trying to kill X on behalf of the Iranian government": a state, where the
                    # phrase hangs on the act or the verbs above it (not on a description of someone else)
                    a = self._state_after(sv, m.end())
                if a is None:
                    continue
                if description:
                    words = [t for t in sv.doc if m.start() <= t.idx < m.end()]
                    noun = next((t for t in words if t.pos_ in ("NOUN", "PROPN")), None)
                    verb = next((t for t in words if t.pos_ == "VERB"), None)
                    # "X, a member of Y" describes X; "X, working for Y" / "X worked for Y" tells what X does
                    who = described(noun) if noun is not None else agent_token(verb) if verb is not None else None
                    actor = self.actor(sv, who) if who is not None else None
                    if actor is None or actor.key not in perps:
                        continue
                if a.key not in targets and a.key not in {x.key for x in pm.sponsors}:
                    pm.sponsors.append(a)

    def _state_after(self, sv: SentenceView, rel: int) -> Actor | None:
        """The state the noun phrase starting at ``rel`` (offset in the sentence) names, if any."""
        tok = next((t for t in sv.doc if t.idx >= rel), None)
        while tok is not None and tok.dep_ in ("det", "amod", "compound", "nmod", "poss", "case") and tok.head.i > tok.i:
            tok = tok.head
        if tok is None:
            return None
        i, j = np_bounds(tok)
        return self._state(tok, i, j)


def _on_path(sv: SentenceView, rel: int, pm: PlotMention) -> bool:
    """Whether the word at ``rel`` (offset in the sentence) hangs on the trigger or a verb above it."""
    tok = next((t for t in sv.doc if t.idx >= rel), None)
    return tok is not None and tok.head.i in pm.path


def _named(actors: list[Actor]) -> bool:
    """Whether a role has a filler worth keeping (an entity, a proper name or a singular role): an unnamed
    one read lower on the path ("to recruit people", "to pay $300,000") leaves the role open for the
    accused the verbs above name ("X was charged with offering to pay ...")."""
    return any(a.specific or a.entity_id for a in actors)


def _shared_subject(verb: Token) -> list[Token]:
    """The subject a passive conjunct with none of its own shares with the verb it is joined to: "X
    spent years abroad and was charged with ...", also where the parse joins a relative clause's
    sentence this way ("X, who prosecutors say spent time abroad, was charged with ...")."""
    if verb.dep_ != "conj" or verb.head.i == verb.i:
        return []
    return [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("who", "which", "that")]
