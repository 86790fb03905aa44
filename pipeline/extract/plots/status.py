"""How far a told plot went (planned, charged, attempted, executed ...) and whether it is a plot at all.

What belongs here: ``StatusReader``: the stage read from the verbs above the trigger, its
modifiers and the trigger itself; past killings referred to ("revenge for the killing of X");
what is no plot (conditions, fiction, denials, generic statements, a plot word for another act);
and whether planning or ordering governs the trigger.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.extract.plots.mention import PlotMention
from pipeline.extract.plots.roles import RoleReader
from pipeline.extract.plots.vocab import PlotVocab
from pipeline.extract.sentences import (
    SentenceView,
    np_bounds,
    span_text,
)


class StatusReader(RoleReader):
    """The stage of a plot telling, and tellings that are no plot (base of ``MentionReader``)."""

    def _other_act(self, trig: Token) -> bool:
        """Whether a plot word governs an act that is no attack ("a conspiracy to damage relations")."""
        acts = [c for c in trig.children if c.dep_ in ("acl", "xcomp", "relcl") and c.pos_ == "VERB"
                and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
        return bool(acts) and not any(
            a.lemma_.lower() in self.v.plot_acts or any(rx.fullmatch(a.text) for _, rx in self.v.triggers) for a in acts)

    def _generic_objects(self, sv: SentenceView, trig: Token) -> bool:
        """Whether the act a plot verb governs ("plotting to kill dissidents") has only plural,
        unnamed objects."""
        acts = [c for c in trig.children if c.dep_ in ("xcomp", "advcl", "ccomp") and self._kill_rx.fullmatch(c.text)]
        objs = [o for a in acts for c in a.children if c.dep_ == "dobj" for o in [c, *c.conjuncts]]
        return bool(objs) and all(o.tag_ in ("NNS", "NNPS") and o.i not in sv.mentions for o in objs)

    def _definite(self, trig: Token) -> bool:
        if any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that") for c in trig.children):
            return True
        head = trig.head
        if trig.dep_ in ("acl", "xcomp", "relcl") and head.pos_ == "NOUN":
            return any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
        return False

    def _not_a_plot(self, sv: SentenceView, trig: Token, path: list[Token], span: tuple[int, int] = (0, 0)) -> bool:
        """Conditions, comparisons, fiction, denials, threats and generic statements."""
        doc = sv.doc
        v = self.v
        text = sv.sent.text
        if re.search(r"\bfictional\b|video game|hypothetical", text, re.I):
            return True
        for t in path:
            if any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in t.children):
                return True
            if any(c.dep_ == "advmod" and c.lower_ == "as" for c in t.children) and any(
                c.dep_ == "mark" and c.lower_ == "if" for c in t.children
            ):
                return True
        start = max(0, min(np_bounds(trig)[0], trig.i) - 4)
        left = span_text(doc, start, trig.i + 1)
        if v.generic.search(left) or v.hypothetical.search(left):
            return True
        if any(c.lower_ in ("any", "no") for c in trig.children):
            return True
        verbs = [t for t in path if t.pos_ in ("VERB", "AUX")][:2]
        if any(t.lemma_.lower() in v.denial_verbs for t in [x for x in path[1:] if x.pos_ in ("VERB", "AUX")][:3]):
            return True  # "Iran has repeatedly denied plotting against Trump"
        for t in verbs:
            if t.lemma_.lower() in v.reporting_verbs and t is not trig:
                break
            for c in t.children:
                if (c.dep_ == "neg" or c.lower_ == "never") and not span[0] <= c.idx < span[1]:
                    # (a negation inside the trigger is its own: "pleaded not guilty")
                    return True
                if c.dep_ == "aux" and c.lower_ in v.modals and not any(
                        x.dep_ == "mark" and x.lower_ in v.stopped_marks for x in t.children):
                    # (not "arrested before he could carry out the plot": the plot was real, and stopped)
                    return True
        return False

    def _status(self, sv: SentenceView, trig: Token, path: list[Token], pm: PlotMention, kind: str,
                is_verb: bool, passive: bool) -> None:
        v = self.v
        st: list[str] = []
        for t in path[1:]:
            lemma = t.lemma_.lower()
            s = v.governing.get(lemma)
            if s == "attempted" and self._preparing(trig, t):
                st.append(v.intrinsic.get("ordered", "planned"))  # "tried to hire men to kill X": tried to prepare it
            elif s == "alleged":
                pm.alleged = True
            elif s is not None:
                st.append(s)
            elif t.pos_ in ("VERB", "AUX") and lemma in v.reporting_verbs:
                if lemma in v.alleging_verbs:
                    pm.alleged = True  # "Politico reported that Iran was weighing a plot"
                break  # the verbs above the reporter tell of the report, not of the plot
        for c in trig.children:
            s = v.governing.get(c.lemma_.lower()) if c.dep_ in ("amod", "advmod") else None
            if s == "alleged":
                pm.alleged = True
            elif s is not None:
                st.append(s)
        for s, rx in v.status_words:
            if any(not self._said_of_other(sv, trig, m.start()) and not (
                    s == "attempted" and self._preparing(trig, self._token_at(sv, m.start())))
                   for m in rx.finditer(sv.sent.text)):
                if s == "alleged":
                    pm.alleged = True
                else:
                    st.append(s)
        if not st:
            # what the trigger says by itself when nothing around it says more
            lemma = trig.lemma_.lower()
            intrinsic = None
            told = next((s for s, rx in v.trigger_status if rx.search(pm.trigger)), None)
            if told is not None:
                intrinsic = told  # "called off an airstrike": an operation called off was considered
            elif "attempt" in pm.words or "attempted" in pm.trigger:
                intrinsic = v.intrinsic.get("attempt")
            elif kind == "kill" and trig.dep_ == "acl" and trig.tag_ == "VBG" and trig.head.lemma_.lower() in v.agent_nouns:
                intrinsic = v.intrinsic.get("targeted_passive")  # "air raids targeting X": an attack on X was made
            elif kind in ("plot", "attack_plan"):
                intrinsic = v.intrinsic.get(kind)
            elif kind == "kill" and is_verb and trig.tag_ == "VB" and pm.told_planned:
                intrinsic = v.intrinsic.get("ordered")  # "X ordered his men to kill Y": an act ordered, not yet done
            elif kind == "strike_kill":
                intrinsic = v.intrinsic.get("kill_past")
            elif kind == "hack" and passive and trig.tag_ in ("VBN", "VBD"):
                intrinsic = v.intrinsic.get("hack_passive")
            elif kind == "kill" and is_verb and trig.tag_ in ("VBD", "VBN"):
                intrinsic = v.intrinsic.get("targeted_passive" if lemma == "target" else "kill_past")
            if intrinsic:
                st.append(intrinsic)
        pm.statuses = st

    def _preparing(self, trig: Token, attempt: Token | None) -> bool:
        """Whether an attempt word above the act governs it through a verb of preparing it ("tried to hire
        men to kill X", "sought to recruit ..."): what was attempted is the preparation, the act was planned."""
        if attempt is None or attempt not in trig.ancestors:
            return False
        return any(a.lemma_.lower() in self.v.sponsor_verbs and a.pos_ == "VERB" and a.i != attempt.i
                   for a in trig.ancestors if attempt in a.ancestors)

    @staticmethod
    def _token_at(sv: SentenceView, rel: int) -> Token | None:
        return next((t for t in sv.doc if t.idx <= rel < t.idx + len(t.text)), None)

    def _said_of_other(self, sv: SentenceView, trig: Token, rel: int) -> bool:
        """Whether the word at ``rel`` (offset in the sentence) sits in what someone said or wrote that
        does not hold the trigger ("he told the source it did not matter how the murder was carried out"
        tells no stage of the plot in the clause before)."""
        tok = next((t for t in sv.doc if t.idx <= rel < t.idx + len(t.text)), None)
        if tok is None:
            return False
        for a in [tok, *tok.ancestors]:
            if a.dep_ in ("ccomp", "xcomp", "parataxis") and a.head.lemma_.lower() in self.v.reporting_verbs:
                return not (a.left_edge.i <= trig.i <= a.right_edge.i)
        return False

    def _presupposed(self, trig: Token) -> bool:
        """A nominal "killing of X" telling of a past act ("revenge for the killing of X")."""
        v = self.v
        head = trig.head
        near = [c for c in trig.children if c.dep_ in ("compound", "amod")]
        if any(c.lemma_.lower() in v.presupposing or c.lower_ in v.presupposing for c in near):
            return True  # "Avenging US Killing of Soleimani"
        if trig.dep_ == "pobj":
            prep = head
            before = trig.doc[prep.i - 1].lemma_.lower() if prep.i > 0 else ""
            # the preposition's head and the word above it ("seeking revenge for his murder"), not further
            ups = [a.lemma_.lower() for a in list(trig.ancestors)[1:3] if a.lemma_.lower() != "be"]
            return prep.lower_ in v.presupposing or before in v.presupposing or any(u in v.presupposing for u in ups)
        if trig.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd"):
            if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in v.modals) for c in head.children):
                return False
            lemma = head.lemma_.lower()
            if lemma in v.governing:
                return False
            return lemma in v.presupposing or (trig.dep_ == "nsubj" and head.tag_ in ("VBD", "VBZ", "VBN"))
        return trig.dep_ in ("ROOT", "appos")


def _governed_by_plan(path: list[Token], v: PlotVocab) -> bool:
    """Whether the first word governing the trigger tells planning, ordering, an attempt or a charge
    ("ordered the assassination of X", "the decision to kill X"), not a later clause about
    something else ("charged ... in retaliation for the killing of X")."""
    for t in path[1:]:
        lemma = t.lemma_.lower()
        if lemma in v.sponsor_verbs or v.governing.get(lemma) not in (None, "alleged"):
            return True
        # "those who ordered and carried out the assassination": the ordering verb the act's verb is joined to
        if t.dep_ == "conj" and t.head.lemma_.lower() in v.sponsor_verbs:
            return True
        if t.pos_ in ("VERB", "AUX", "NOUN", "PROPN"):
            return False
    return False
