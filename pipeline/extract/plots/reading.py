"""Reading plot mentions from sentences: triggers, one mention per trigger, triggers of one plot combined.

What belongs here: ``MentionReader`` (the reader of one source: which sentences are worth
parsing, the triggers of a sentence, the mention of each trigger with its roles and stage) and
``combine_in_sentence``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from pipeline.extract.clauses.scope import foreign_spans
from pipeline.extract.plots.mention import Actor, PlotMention
from pipeline.extract.plots.status import StatusReader, _governed_by_plan
from pipeline.extract.plots.vocab import PlotVocab
from pipeline.extract.sentences import (
    Sentence,
    SentenceView,
    align_mentions,
    ancestors_path,
    np_bounds,
    syntactic_head,
)


class MentionReader(StatusReader):
    """Reads plot mentions from the sentences of one source."""

    def mention(self, sv: SentenceView, kind: str, m: re.Match[str]) -> PlotMention | None:
        v = self.v
        sent = sv.sent
        doc = sv.doc
        trig = syntactic_head(doc, m.start(), m.end())
        if kind == "attack_plan":
            # the plan is of attacks: roles hang on "attack(s)"
            trig = next((t for t in doc if m.start() <= t.idx < m.end() and (
                t.lemma_.lower() in ("attack", "bomb") or t.lemma_.lower() in v.agent_nouns)), trig)
        if trig is None:
            return None
        mtext = m.group(0).lower()
        path = ancestors_path(trig)
        if self._cleared(sv, path) or self._not_a_plot(sv, trig, path, (m.start(), m.end())):
            return None
        pm = PlotMention(sent, sent.start + m.start(), sent.start + m.end(), kind, mtext, trig.i, {t.i for t in path})
        pm.words = {t.lemma_.lower() for t in doc if m.start() <= t.idx < m.end()}
        ni, nj = np_bounds(trig)
        pm.np_start, pm.np_end = sent.start + doc[ni].idx, sent.start + doc[nj - 1].idx + len(doc[nj - 1].text)
        pm.same_act = bool(v.same_act.search(sent.text))
        pm.distinct = bool(v.distinct.search(sent.text))
        pm.foreign = foreign_spans(trig, sent.start)
        pm.told_planned = _governed_by_plan(path, v)
        if kind == "outcome":
            return self._outcome(sv, trig, pm)
        pm.anaphoric = kind in ("plot", "hack") and bool(v.anaphor.search(sent.text[max(0, m.start() - 6) : m.end()]))
        is_verb = trig.pos_ in ("VERB", "AUX") or trig.tag_.startswith("VB")
        plain_kill = trig.lemma_.lower() == "kill"
        passive = is_verb and any(c.dep_ in ("auxpass", "nsubjpass") for c in trig.children)
        if kind == "kill" and plain_kill and passive and not any(c.dep_ == "agent" for c in trig.children):
            return None  # "four officers were also killed": a casualty report, not a plot

        if kind == "strike_kill":
            kill_tok = next((t for t in doc if m.start() <= t.idx < m.end() and t.lemma_ == "kill"), trig)
            pm.targets = self.expand(sv, [c for c in kill_tok.children if c.dep_ in ("nsubjpass", "nsubj")])
            strike = next((t for t in doc if m.start() <= t.idx < m.end() and "strike" in t.lower_), None)
            if strike is not None:
                self._acl_sponsors(sv, strike, pm)
        elif is_verb:
            # (what is plotted is a scheme, not a target: "Iranians 'plotted to kidnap ...'" parsed as passive)
            tgt = [c for c in trig.children if c.dep_ == "dobj" or (passive and c.dep_ == "nsubjpass" and kind != "plot")]
            tgt += [g for c in trig.children if c.dep_ == "prep" and c.lower_ in ("against", "on")
                    for g in c.children if g.dep_ == "pobj"]
            # "the man targeted": a participle's head is what it was done to; but nobody is plotted ("X, acting
            # for Y, plotted to kill Z" parsed as a participle on X): a plot verb's head is its plotter
            plotter = kind == "plot" and any(c.dep_ == "xcomp" for c in trig.children)
            if not tgt and trig.dep_ in ("acl", "relcl") and trig.tag_ == "VBN" and not plotter:
                tgt = [trig.head]
            elif plotter and trig.dep_ == "acl" and trig.tag_ == "VBN" and not passive:
                pm.perpetrators += self.expand(sv, [trig.head])
            pm.targets = self.expand(sv, tgt)
            pm.target_tokens = tgt
            if passive:
                for c in trig.children:
                    if c.dep_ == "agent":
                        by = [g for g in c.children if g.dep_ == "pobj"]
                        pm.perpetrators += self.expand(sv, by)
                        # "killed by a car bomb planted by X": who set the means to work did it
                        pm.perpetrators += self.expand(sv, [x for g in by for a in g.children if a.dep_ == "acl"
                                                            for b in a.children if b.dep_ == "agent"
                                                            for x in b.children if x.dep_ == "pobj"])
            else:
                pm.perpetrators += self.expand(sv, [c for c in trig.children if c.dep_ == "nsubj"])
            if trig.dep_ == "acl" and trig.tag_ == "VBG" and trig.head.lemma_.lower() in v.agent_nouns:
                # "U.S. air raids targeting X": the state named on the raids carried them out
                pm.perpetrators += [a for a in self.expand(sv, [trig.head]) if a.state]
        else:
            self._noun_roles(sv, trig, pm, kind)
        if kind in ("kill", "strike_kill"):
            # an unnamed victim ("a politician") only for a planned act ("recruit hitmen to kill a
            # politician"): "killing an American contractor" is a casualty report, "the assassination of
            # an Iraqi commander is aggression" a generic statement
            planned = is_verb and kind == "kill" and trig.tag_ not in ("VBD", "VBN")
            pm.targets = [a for a in pm.targets if a.person_like and (a.specific or planned)]
            if not pm.targets:
                return None  # an act against no named person ("killing five soldiers")
        elif kind == "plot" and is_verb and not pm.targets and self._generic_objects(sv, trig):
            return None  # "accused of plotting to kill dissidents, diplomats and officials": a pattern, not one plot
        if kind == "plot" and self._other_act(trig):
            return None  # "a conspiracy to damage its relations": a plot word for something else
        elif kind == "hack":
            for a in pm.targets:
                head = a.name.split()[-1].lower() if a.name.split() else ""
                a.specific = bool(a.entity_id) or (a.kind is None and (head in self.v.hack_targets or a.specific))
        pm.definite = self._definite(trig)
        if (kind == "kill" and is_verb and not passive and trig.dep_ in ("relcl", "acl") and trig.tag_ in ("VBD", "VBN")
                and trig.head.pos_ == "NOUN" and self._presupposed(trig.head)):
            # "in retaliation for the U.S. strike that killed X in January 2020": a past act referred to;
            # its phrase (and the date in it) is the strike's
            sub = list(trig.head.subtree)
            pm.np_start, pm.np_end = sent.start + sub[0].idx, sent.start + sub[-1].idx + len(sub[-1].text)
            pm.presupposed = True
            pm.statuses = ["executed"]
            pm.perpetrators = [a for a in pm.perpetrators if a.specific]
            return pm
        if (kind == "kill" and is_verb and not passive and trig.dep_ == "acl" and trig.tag_ == "VBN"
                and trig.head.i in sv.mentions and not pm.told_planned):
            # "the plot to avenge X, killed in 2020 in a drone strike, ...": a participle on a named person tells
            # a past act in passing, with a date of its own; never the target of the plot around it
            pm.np_start, pm.np_end = sent.start + trig.idx, sent.start + trig.right_edge.idx + len(trig.right_edge.text)
            pm.presupposed = True
            pm.statuses = ["executed"]
            acts = [g for c in trig.children if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "in")
                    for g in c.children if g.dep_ == "pobj" and g.lemma_.lower() in v.agent_nouns]
            for g in acts:
                self._acl_sponsors(sv, g, pm)
            pm.perpetrators = [a for a in pm.perpetrators if a.specific] + [
                a for a in self.expand(sv, acts) if a.state]
            return pm
        pm.adds_target = kind == "kill" and not is_verb and self._copula_target(trig) and bool(pm.targets)
        if kind == "plot" and not is_verb and "attempt" in " ".join(pm.words) and pm.targets and self._presupposed(trig):
            # "in the aftermath of the attempted assassination of X": a past attempt referred to, not the plot
            # the clause tells (its own stage is the attempt's, or what its modifiers say: "a failed attempt")
            pm.presupposed = True
            own = [v.governing[c.lemma_.lower()] for c in trig.children if c.dep_ in ("amod", "compound")
                   and v.governing.get(c.lemma_.lower()) not in (None, "alleged")]
            pm.statuses = own or [v.intrinsic.get("attempt", "attempted")]
            pm.perpetrators = [a for a in pm.perpetrators if a.specific] + self._behind(sv, trig)
            return pm
        if kind in ("kill", "strike_kill") and not is_verb and not pm.adds_target and self._presupposed(trig):
            pm.presupposed = True
            pm.statuses = ["executed"]
            pm.perpetrators = [a for a in pm.perpetrators if a.specific] + self._behind(sv, trig)
            pm.sponsors = self._orderer(sv, path)
            if not pm.perpetrators:
                # "the legality of the killing of X by a U.S. drone strike": the act named on a noun above
                nouns = [trig, *[a for a in trig.ancestors]]
                cut = next((k for k, a in enumerate(nouns) if a.pos_ in ("VERB", "AUX")), len(nouns))
                acts = [g for a in nouns[:cut] for c in a.children if c.dep_ == "prep" and c.lower_ in ("by", "in", "with")
                        for g in c.children if g.dep_ == "pobj" and g.lemma_.lower() in self.v.agent_nouns]
                pm.perpetrators = [a for a in self.expand(sv, acts) if a.specific]
            pm.victims = self.victims_in(sv)
            return pm
        self._governing_roles(sv, path, pm)
        if kind in ("plot", "attack_plan") and not pm.perpetrators:
            pm.perpetrators = self._subject_before(sv, m.start())
        self._sponsor_phrases(sv, pm)
        pm.victims = [a for a in self.victims_in(sv) if a.key not in {t.key for t in pm.targets}]
        self._status(sv, trig, path, pm, kind, is_verb, passive)
        if (kind == "plot" and trig.tag_ == "NNS" and not pm.entity_targets()
                and sent.passage.section not in self.plot_sections):
            return None  # "plots against officials": an umbrella statement, not one plot
        clash = {a.key for a in pm.targets} & {a.key for a in pm.perpetrators}
        if clash and any(t.tag_ in ("PRP", "PRP$") for t in pm.target_tokens):
            # "charged X with conspiring to kidnap her": her is not X, whatever the parse says
            self._exclude = clash
            pm.targets = [a for a in self.expand(sv, pm.target_tokens) if a.key not in clash]
            self._exclude = set()
        tkeys = {a.key for a in pm.targets}
        pm.perpetrators = [a for a in pm.perpetrators if a.key not in tkeys]
        # a state is an actor where it acts: a plot "against the U.S." names no one to publish as its target
        pm.targets = [Actor(None, None, a.name, a.specific, a.person_like, state=True) if a.state else a
                      for a in pm.targets]
        if "executed" not in pm.statuses:
            # a state stands behind a plot (its sponsor), the people it sends carry it out: "Iran plotted to
            # kill X" and "Y was charged with plotting to kill X" tell one plot
            skeys = {a.key for a in pm.sponsors}
            pm.sponsors += [a for a in pm.perpetrators if a.state and a.key not in skeys]
            pm.perpetrators = [a for a in pm.perpetrators if not a.state]
        return pm

    # -- a sentence --------------------------------------------------------------
    def candidate(self, sent: Sentence) -> bool:
        """Whether a sentence is worth parsing: a plot word, or an act word near someone it could target."""
        return worth_parsing(sent.text, self.v, lambda: bool(
            self.index.in_span(sent.source_id, sent.start, sent.end, "person")))

    def sentence(self, sent: Sentence) -> list[PlotMention]:
        found: list[tuple[str, re.Match[str]]] = []
        for kind, rx in self.v.triggers:
            for m in rx.finditer(sent.text):
                found.append((kind, m))
        if not found:
            return []
        # a longer trigger wins over the words inside it ("attempted assassination" over "assassination")
        found.sort(key=lambda km: (-(km[1].end() - km[1].start()), km[1].start()))
        kept: list[tuple[str, re.Match[str]]] = []
        for kind, m in found:
            if any(m.start() < k.end() and k.start() < m.end() for _, k in kept):
                continue
            kept.append((kind, m))
        kept.sort(key=lambda km: km[1].start())
        doc = self.parser(sent)
        sv = SentenceView(sent, doc, align_mentions(doc, sent, self.index))
        out = []
        for kind, m in kept:
            pm = self.mention(sv, kind, m)
            if pm is not None:
                self._informants(sv, pm)
                out.append(pm)
                out.extend(self._dated_conjuncts(sv, pm))
        return combine_in_sentence(out, self.v)

    def _dated_conjuncts(self, sv: SentenceView, pm: PlotMention) -> list[PlotMention]:
        """"raids targeting X in 1986 and Y in 1991": a second person, each with a date of its own, is the
        target of another act (the parse hangs Y under the first date's "in"). One telling per such person,
        spanning the trigger to that person's name (its own dates follow the name)."""
        if pm.kind != "kill" or not pm.targets or "executed" in pm.statuses:
            return []
        doc = sv.doc
        trig = doc[pm.token]
        if not (trig.pos_ == "VERB" or trig.tag_.startswith("VB")):
            return []
        # (or as a conjunct of the noun the trigger describes: "raids targeting X in 1986 and Y in 1991")
        cands = [g for c in trig.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children
                 if g.dep_ == "pobj"]
        if trig.dep_ == "acl" and trig.head.i not in sv.mentions:
            cands += [g for g in trig.head.conjuncts if g.i > trig.i]
        out: list[PlotMention] = []
        s = sv.sent
        for g in cands:
            mm = sv.mentions.get(g.i)
            if mm is None or mm.kind != "person" or not mm.entity_id or mm.entity_id in {
                    a.entity_id for a in pm.targets}:
                continue
            if not any(t.ent_type_ == "DATE" for t in doc[trig.i + 1 : g.i]):
                continue  # no date of the first target's own between: one act against both ("X and Y")
            twin = replace(pm, targets=[self._entity_actor(s.source_id, mm)], end=mm.char_end,
                           trigger=s.text[pm.start - s.start : mm.char_end - s.start].lower(),
                           np_start=mm.char_start, np_end=s.end, victims=[], informants=[],
                           statuses=list(pm.statuses), words=set(pm.words), path=set(pm.path))
            out.append(twin)
        return out

    def _informants(self, sv: SentenceView, pm: PlotMention) -> None:
        s = sv.sent
        for m in re.finditer(r"\binformants?\b", s.text, re.I):
            # "X, an FBI informant" or "an informant, X,"
            for mm in self.index.in_span(s.source_id, s.start, s.end, "person"):
                before = 0 <= s.start + m.start() - mm.char_end <= 30
                after = 0 <= mm.char_start - (s.start + m.end()) <= 3
                if before or after:
                    pm.informants.append(self._entity_actor(s.source_id, mm))


def combine_in_sentence(mentions: list[PlotMention], vocab: PlotVocab) -> list[PlotMention]:
    """Triggers of one sentence telling one plot become one mention.

    Two triggers tell one plot when one stands above the other in the parse ("plotting to
    assassinate X") or they share a named target; a plain "killed Y" next to another
    plot's target makes Y a victim of that plot ("targeted ..., which killed Y instead").
    """
    if len(mentions) <= 1:
        return mentions
    out: list[PlotMention] = []
    for pm in mentions:
        plain = pm.kind == "kill" and vocab.plain_kill.fullmatch(pm.trigger) is not None
        host = None
        for q in out:
            qt, pt = q.entity_targets(), pm.entity_targets()
            linked = pm.token in q.path or q.token in pm.path
            if plain and pt and qt and not (pt & qt) and not pm.presupposed:
                q.victims += pm.targets
                host = q
                break
            if q.presupposed != pm.presupposed:
                continue
            crossed = {a.key for a in q.perpetrators} & {a.key for a in pm.targets} or {
                a.key for a in pm.perpetrators} & {a.key for a in q.targets}
            if (linked and not crossed and (not pt or not qt or pt & qt)) or (pt and qt and pt & qt):
                host = q
                _absorb(q, pm)
                break
        if host is None:
            out.append(pm)
    return out


def _absorb(into: PlotMention, other: PlotMention) -> None:
    for attr in ("targets", "perpetrators", "sponsors", "victims", "informants"):
        have = {a.key for a in getattr(into, attr)}
        getattr(into, attr).extend(a for a in getattr(other, attr) if a.key not in have)
    into.statuses += other.statuses
    into.alleged = into.alleged or other.alleged
    into.definite = into.definite or other.definite
    into.words |= other.words
    into.path |= other.path
    if into.kind == "kill" and other.kind in ("plot", "attack_plan", "hack"):
        into.kind = other.kind
    if into.outcome and not other.outcome:
        into.outcome, into.kind = False, other.kind  # the plot told with its outcome is a plot telling
    into.anaphoric = into.anaphoric and other.anaphoric


# ---------------------------------------------------------------------------------------


def worth_parsing(text: str, vocab: PlotVocab, names_a_person: Callable[[], bool]) -> bool:
    """Whether a sentence is worth parsing: a plot word, or an act word near someone it could target
    (a person the sentence names, asked lazily, a role or a pronoun)."""
    for kind, rx in vocab.triggers:
        if kind != "kill" and rx.search(text):
            return True
    kill, target_words = vocab.act_patterns
    if not kill.search(text):
        return False
    return bool(target_words.search(text)) or names_a_person()
