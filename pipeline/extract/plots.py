"""Plots, assassination attempts and considered operations, read from the text of any source.

What belongs here: finding where a sentence tells of a plot (``mentions_of_source``, one
source at a time), grouping mentions that tell the same plot (within a sentence, a
paragraph, a section whose heading names a plot, then across paragraphs and sources in
``merge_clusters``), and building the ``plots`` and ``plot_actors`` rows
(``extract_plots``).

A mention needs a trigger from ``raw/curated/plot_cues.yaml`` (plot / plotting /
conspiracy / murder-for-hire / assassination attempt; assassinate / kill / target /
capture of a named person; plans of attacks; hacking) and something it is about: a
person or organization of the ``EntityIndex`` or a singular role ("the Saudi Arabian
Ambassador"). The dependency parse gives roles: the object (or passive subject) of the
act is its target; its subject, the object of "charged ... with plotting" or "tasked ...
with" is the perpetrator; the subject of "tasked/ordered/directed" and "under the
supervision of X" give the sponsor. Conditions, fiction, denials and generic statements
("if", "as if", "fictional", "never tried", "several plots", "continues to plot") are not
plots. The status is the furthest stage any mention reports (curated stage order), read
from the verbs above the trigger ("foiled a plot", "charged with plotting"), adverbs
("unsuccessfully") and the trigger itself (a past "killed X" is executed); a plot only
reported by the press ("Politico reported that ...") is alleged.

What befell the perpetrators ("X pleaded guilty", "a court convicted X") is an outcome: it
never makes a plot, it joins the plot of its paragraph, section or perpetrator. A news article
tells one plot per target unless it says another ("a separate scheme", "a third case") or the
perpetrators, the kind of act (kill / kidnap) or the plot's own year differ; its headline tells
one of its plots.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from pipeline import claims
from pipeline.corpus import PassageRow, SourceDoc, local_key, provenance
from pipeline.errors import CuratedDataError
from pipeline.extract import ExtractResult, Row, SourceMap, serial_map
from pipeline.extract.clauses.scope import foreign_spans, inside
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.nlp import SourceParses
from pipeline.extract.places import Gazetteer, find_places, load_gazetteer, main_place
from pipeline.extract.plot_frames import described, told_as_plot
from pipeline.extract.sentences import (
    Parser,
    Sentence,
    SentenceView,
    align_mentions,
    ancestors_path,
    compile_any,
    date_columns,
    first_date,
    load_yaml,
    np_bounds,
    passage_sentences,
    sentence_dates,
    skipped_passage,
    span_text,
    syntactic_head,
)
from pipeline.ids import short_hash

# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------


@dataclass
class PlotVocab:
    skip_sections: list[str]
    skip_kinds: list[str]
    triggers: list[tuple[str, re.Pattern[str]]]  # (kind, regex)
    any_trigger: re.Pattern[str]
    anaphor: re.Pattern[str]
    plain_kill: re.Pattern[str]
    order: list[str]
    governing: dict[str, str]  # verb (or noun) lemma -> status
    status_words: list[tuple[str, re.Pattern[str]]]
    intrinsic: dict[str, str]
    sponsor_verbs: set[str]
    charge_verbs: set[str]
    perpetrator_verbs: set[str]
    foiler_verbs: set[str]
    reporting_verbs: set[str]
    presupposing: set[str]
    approach_words: set[str]
    hypothetical: re.Pattern[str]
    generic: re.Pattern[str]
    modals: set[str]
    role_targets: set[str]
    hack_targets: set[str]
    sponsor_phrases: re.Pattern[str]
    heading_plot: re.Pattern[str]
    alleging_verbs: set[str] = field(default_factory=set)
    denial_verbs: set[str] = field(default_factory=set)
    plot_acts: set[str] = field(default_factory=set)
    distinct: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    act_families: dict[str, str] = field(default_factory=dict)  # trigger lemma -> act family
    same_act: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    sponsor_descriptions: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    target_verbs: set[str] = field(default_factory=set)  # "X survived a plot": the subject is the target
    charge_nouns: set[str] = field(default_factory=set)  # "wanted on charges of plotting": an accusation
    agent_nouns: set[str] = field(default_factory=set)  # "the U.S. strike": the state named on the act did it

    def rank(self, status: str | None) -> int:
        return self.order.index(status) if status in self.order else -1

    @cached_property
    def act_patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """The act-word regex (the "kill" trigger) and the words an act may be done to (a role or a
        pronoun), compiled once per vocabulary."""
        kill = next((rx for kind, rx in self.triggers if kind == "kill"), re.compile(r"(?!x)x"))
        return kill, compile_any([r"(he|she|him|her|his)"] + [re.escape(w) for w in self.role_targets])


def _words(c: dict[str, Any], key: str) -> set[str]:
    return {str(v).lower() for v in c.get(key, [])}


@lru_cache(maxsize=4)
def load_plot_vocab(curated_dir: Path) -> PlotVocab:
    """Plot triggers, stage cues and role verbs from ``plot_cues.yaml``."""
    path = curated_dir / "plot_cues.yaml"
    c = load_yaml(path)
    try:
        triggers = [(kind, compile_any(pats, path)) for kind, pats in c["triggers"].items()]
        governing: dict[str, str] = {}
        for status, verbs in c["governing_verbs"].items():
            for v in verbs:
                governing.setdefault(str(v).lower(), status)
        vocab = PlotVocab(
            skip_sections=list(c.get("skip_sections", [])),
            skip_kinds=list(c.get("skip_passage_kinds", [])),
            triggers=triggers,
            any_trigger=re.compile("|".join(rx.pattern for _, rx in triggers), re.IGNORECASE),
            anaphor=compile_any(c.get("anaphors", []), path),
            plain_kill=compile_any(c.get("plain_kill", []), path),
            order=list(c["status_order"]),
            governing=governing,
            status_words=[(s, compile_any(p, path)) for s, p in c.get("status_words", {}).items()],
            intrinsic=dict(c.get("intrinsic", {})),
            sponsor_verbs=_words(c, "sponsor_verbs"),
            charge_verbs=_words(c, "charge_verbs"),
            perpetrator_verbs=_words(c, "perpetrator_verbs"),
            foiler_verbs=_words(c, "foiler_verbs"),
            reporting_verbs=_words(c, "reporting_verbs"),
            presupposing=_words(c, "presupposing"),
            approach_words=_words(c, "approach_words"),
            hypothetical=compile_any(c.get("hypothetical", []), path),
            generic=compile_any(c.get("generic", []), path),
            modals=_words(c, "modals"),
            role_targets=_words(c, "role_targets"),
            hack_targets=_words(c, "hack_targets"),
            sponsor_phrases=compile_any(c.get("sponsor_phrases", []), path),
            heading_plot=compile_any(c.get("heading_plot", []), path),
            alleging_verbs=_words(c, "alleging_verbs"),
            denial_verbs=_words(c, "denial_verbs"),
            plot_acts=_words(c, "plot_acts"),
            distinct=compile_any(c.get("distinct", []), path),
            act_families={str(w).lower(): fam for fam, ws in c.get("act_families", {}).items() for w in ws},
            same_act=compile_any(c.get("same_act", []), path),
            sponsor_descriptions=compile_any(c.get("sponsor_descriptions", []), path),
            target_verbs=_words(c, "target_verbs"),
            charge_nouns=_words(c, "charge_nouns"),
            agent_nouns=_words(c, "agent_nouns"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise CuratedDataError(f"malformed plot cues ({exc})", path) from exc
    unknown = (set(vocab.governing.values()) | {s for s, _ in vocab.status_words} | set(vocab.intrinsic.values())) - set(
        vocab.order
    )
    if unknown:
        raise CuratedDataError(f"statuses not in status_order: {sorted(unknown)}", path)
    return vocab


# ---------------------------------------------------------------------------------------
# Mentions
# ---------------------------------------------------------------------------------------


@dataclass
class Actor:
    entity_id: str | None
    kind: str | None  # "person", "org" or None (named only in the text)
    name: str
    specific: bool = True  # named (entity or proper name) or a singular role: worth naming the plot by
    person_like: bool = False  # a person (entity, proper name) or a singular role noun ("the ambassador")

    @property
    def key(self) -> str:
        return self.entity_id or "name:" + re.sub(r"\W+", " ", self.name.lower()).strip()


@dataclass
class PlotMention:
    sent: Sentence
    start: int  # absolute offsets of the trigger
    end: int
    kind: str
    trigger: str
    token: int = -1  # index of the trigger's head token in the sentence parse
    path: set[int] = field(default_factory=set)  # token indices of the trigger and its heads
    targets: list[Actor] = field(default_factory=list)
    perpetrators: list[Actor] = field(default_factory=list)
    sponsors: list[Actor] = field(default_factory=list)
    victims: list[Actor] = field(default_factory=list)
    informants: list[Actor] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    alleged: bool = False
    anaphoric: bool = False
    presupposed: bool = False  # a reference to a past killing ("revenge for the killing of X")
    definite: bool = False  # "the decision to kill X", "the targeted killing of X": a known act
    words: set[str] = field(default_factory=set)  # lemmas of the trigger (for naming)
    date: DateMention | None = None
    np_start: int = 0  # absolute span of the trigger's noun phrase (dates inside it are its own)
    np_end: int = 0
    outcome: bool = False  # only what befell the perpetrators ("pleaded guilty"): joins a plot, never makes one
    same_act: bool = False  # told as "the same strike": the act told last in the source
    own_year: int | None = None  # year written inside the plot's own phrase ("a 2021 plot")
    adds_target: bool = False  # "X was also a target": another target of the plot told before
    target_tokens: list[Token] = field(default_factory=list)  # the words the targets were read from
    distinct: bool = False  # told as another plot ("a separate scheme", "the second plot", "a third case")
    # parts of the sentence telling something else (a description of a person, another clause):
    # their dates are not the plot's
    foreign: list[tuple[int, int]] = field(default_factory=list)
    # planning, ordering, an attempt or a charge is told on the trigger's path ("ordered the
    # assassination of X"), even when the act itself is told as past fact
    told_planned: bool = False

    @property
    def section(self) -> str:
        return self.sent.passage.section

    def entity_targets(self) -> set[str]:
        return {a.entity_id for a in self.targets if a.entity_id}


_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "me", "my", "it", "its"}
_REL = {"who", "which", "that", "whom"}
_REPORT_RE = re.compile(
    r"^\W{0,3}(,? ?[\w.]+ ){0,2}?(said|says|told|stated|wrote|added|argued|asserted|claimed|insisted)\b"
)
_VICTIM_PREPS = {"along", "alongside", "together"}


class MentionReader:
    """Reads plot mentions from the sentences of one source."""

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
            return self.resolve_pronoun(sv, tok)
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
        state = next((c for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "poss")
                      and c.ent_type_ in ("GPE", "NORP") and self.v.any_trigger.fullmatch(tok.text) is None
                      and tok.lemma_.lower() in self.v.agent_nouns), None)
        if state is not None:
            # "the U.S. drone strike that killed X", "an Israeli strike": the state named on the act carried it out
            org = self.state_of(state.text)
            return Actor(org, "org" if org else None, state.text, True, False)
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
        definite = not any(c.lower_ in ("a", "an") for c in tok.children)
        return Actor(None, None, text, role and definite, role)

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
        for tok in reversed(list(sv.doc[: pron.i])):
            m = sv.mentions.get(tok.i)
            if m is None or m.kind != "person" or (tok.i + 1 < len(sv.doc) and sv.mentions.get(tok.i + 1) == m):
                continue
            if (pron.lower_ in ("him", "her") and tok.i in bound) or m.entity_id in self._exclude:
                continue
            if self._reporter(sv, tok, m):
                reporters.append(m)  # who reports a clause is seldom who the clause is about ...
                continue
            return self._entity_actor(sv.sent.source_id, m)
        recent = [a for a in self.recent_persons if a.key not in self._exclude]
        if recent:
            return recent[-1]
        # ... unless nobody else is named in the paragraph ("Bolton said Iran wanted to kill him")
        if reporters:
            return self._entity_actor(sv.sent.source_id, reporters[0])
        carried = [a for a in self.carried if a.key not in self._exclude]
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

    def remember(self, sent: Sentence) -> None:
        """Persons named in a sentence, except those reporting, for later pronouns."""
        named: list[Actor] = []
        for m in self.index.in_span(sent.source_id, sent.start, sent.end, "person"):
            after = sent.text[m.char_end - sent.start : m.char_end - sent.start + 40]
            before = sent.text[max(0, m.char_start - sent.start - 40) : m.char_start - sent.start]
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
            for x in [t, *t.conjuncts]:
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

    # -- one trigger -------------------------------------------------------------
    def mention(self, sv: SentenceView, kind: str, m: re.Match[str]) -> PlotMention | None:
        v = self.v
        sent = sv.sent
        doc = sv.doc
        trig = syntactic_head(doc, m.start(), m.end())
        if kind == "attack_plan":
            # the plan is of attacks: roles hang on "attack(s)"
            trig = next((t for t in doc if m.start() <= t.idx < m.end() and t.lemma_.lower() in ("attack", "bomb")),
                        trig)
        if trig is None:
            return None
        mtext = m.group(0).lower()
        path = ancestors_path(trig)
        if self._not_a_plot(sv, trig, path, (m.start(), m.end())):
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
            tgt = [c for c in trig.children if c.dep_ == "dobj" or (passive and c.dep_ == "nsubjpass")]
            tgt += [g for c in trig.children if c.dep_ == "prep" and c.lower_ in ("against", "on")
                    for g in c.children if g.dep_ == "pobj"]
            if not tgt and trig.dep_ in ("acl", "relcl") and trig.tag_ == "VBN":
                tgt = [trig.head]
            pm.targets = self.expand(sv, tgt)
            pm.target_tokens = tgt
            if passive:
                for c in trig.children:
                    if c.dep_ == "agent":
                        pm.perpetrators += self.expand(sv, [g for g in c.children if g.dep_ == "pobj"])
            else:
                pm.perpetrators += self.expand(sv, [c for c in trig.children if c.dep_ == "nsubj"])
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
        pm.adds_target = kind == "kill" and not is_verb and self._copula_target(trig) and bool(pm.targets)
        if kind in ("kill", "strike_kill") and not is_verb and not pm.adds_target and self._presupposed(trig):
            pm.presupposed = True
            pm.statuses = ["executed"]
            pm.perpetrators = [a for a in pm.perpetrators if a.specific] + self._behind(sv, trig)
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
        return pm

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
        if not pm.perpetrators:
            return None
        pm.statuses = [status]
        pm.outcome = True
        return pm

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
                if c.dep_ == "aux" and c.lower_ in v.modals:
                    return True
        return False

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
        for t in path[1:]:
            if t.pos_ not in ("VERB", "AUX"):
                accused = accused or t.lemma_.lower() in v.charge_nouns
                continue
            lemma = t.lemma_.lower()
            subj = [c for c in t.children if c.dep_ == "nsubj"]
            obj = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
            if any(c.dep_ == "auxpass" for c in t.children):
                # passive: "X, who had been tasked by an IRGC official with ..." (the parse may call X nsubj)
                obj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
                subj = [g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if accused:
                # the verb governing the accusation: its object is the accused, its subject (or
                # by-agent) the authority, never a party to the plot
                if not pm.perpetrators:
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
                if not pm.perpetrators:
                    pm.perpetrators += self.expand(sv, obj)
                continue
            if lemma in v.sponsor_verbs:
                pm.sponsors += self.expand(sv, subj)
                if not pm.perpetrators:
                    pm.perpetrators += self.expand(sv, obj)
                continue
            if lemma in v.foiler_verbs or lemma in v.reporting_verbs:
                break
            if lemma in v.perpetrator_verbs and not pm.perpetrators:
                # a copula names the perpetrator only as "X was on the verge of/close to <act>"
                between = {x.lemma_.lower() for x in sv.doc[min(t.i, path[0].i) : max(t.i, path[0].i)]}
                if lemma != "be" or between & v.approach_words:
                    pm.perpetrators += self.expand(sv, subj)
            self._acl_sponsors(sv, t, pm)
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
                if not (after and re.fullmatch(r"\W*((an?|the)\s+)?(\w+['’]s\s+)?\W*", gap)):
                    continue
                if description:
                    noun = next((t for t in sv.doc if m.start() <= t.idx < m.end() and t.pos_ in ("NOUN", "PROPN")), None)
                    who = described(noun) if noun is not None else None
                    actor = self.actor(sv, who) if who is not None else None
                    if actor is None or actor.key not in perps:
                        continue
                a = self._entity_actor(s.source_id, after[0])
                if a.key not in targets:
                    pm.sponsors.append(a)

    def _status(self, sv: SentenceView, trig: Token, path: list[Token], pm: PlotMention, kind: str,
                is_verb: bool, passive: bool) -> None:
        v = self.v
        st: list[str] = []
        for t in path[1:]:
            lemma = t.lemma_.lower()
            s = v.governing.get(lemma)
            if s == "alleged":
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
            if rx.search(sv.sent.text):
                if s == "alleged":
                    pm.alleged = True
                else:
                    st.append(s)
        if not st:
            # what the trigger says by itself when nothing around it says more
            lemma = trig.lemma_.lower()
            intrinsic = None
            if "attempt" in pm.words or "attempted" in pm.trigger:
                intrinsic = v.intrinsic.get("attempt")
            elif kind in ("plot", "attack_plan"):
                intrinsic = v.intrinsic.get(kind)
            elif kind == "strike_kill":
                intrinsic = v.intrinsic.get("kill_past")
            elif kind == "hack" and passive and trig.tag_ in ("VBN", "VBD"):
                intrinsic = v.intrinsic.get("hack_passive")
            elif kind == "kill" and is_verb and trig.tag_ in ("VBD", "VBN"):
                intrinsic = v.intrinsic.get("targeted_passive" if lemma == "target" else "kill_past")
            if intrinsic:
                st.append(intrinsic)
        pm.statuses = st

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
        return combine_in_sentence(out, self.v)

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
# Clusters
# ---------------------------------------------------------------------------------------


@dataclass
class Heading:
    """A section whose heading names one plot ("Assassination plot by Shahram Poursafi")."""

    source_id: str
    section: str
    title: str
    targets: list[Actor]
    perpetrators: list[Actor]
    kind: str


@dataclass
class Cluster:
    mentions: list[PlotMention]
    heading: Heading | None = None
    year_hint: int | None = None  # publication year of a news source, for undated tellings
    news: bool = False  # told in a news article (which tells one plot per target unless it says otherwise)
    # What the merge asks of the cluster again and again (``_Facts``), for the mention list, its
    # length and the heading it was read from: read again when mentions are added or removed
    # (``extend`` adds to it instead), the list is replaced or the heading changes. A clustered
    # mention is not changed. Not pickled.
    _memo: _Facts | None = field(default=None, init=False, repr=False, compare=False)

    def _facts(self) -> _Facts:
        f = self._memo
        if f is None or f.mentions is not self.mentions or f.count != len(self.mentions) or f.heading is not self.heading:
            f = self._memo = _Facts(self.mentions, 0, self.heading)
            f.add(self.mentions)
        return f

    def extend(self, mentions: list[PlotMention]) -> None:
        """Add tellings after the cluster's own (what is known of the others is kept)."""
        f = self._facts()
        new = list(mentions)
        self.mentions.extend(new)
        f.add(new)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_memo": None}

    @property
    def outcome_only(self) -> bool:
        return all(pm.outcome for pm in self.mentions)

    def first(self, source_id: str | None = None) -> int:
        """Where the cluster is first told (in ``source_id`` when given)."""
        return min((pm.start for pm in self.mentions if source_id is None or pm.sent.source_id == source_id),
                   default=1 << 62)

    def own_year(self) -> int | None:
        return self._facts().own_year

    def acts(self, vocab: PlotVocab) -> set[str]:
        """The act families (kill, kidnap ...) of the cluster's trigger words."""
        return set(self._facts().acts(vocab))

    def actors(self, attr: str) -> list[Actor]:
        """The cluster's actors in a role (the heading's first), one per key, in order of telling."""
        return list(self._facts().actors(attr).values())

    def entity_keys(self, attr: str) -> set[str]:
        return set(self._facts().entity_keys(attr))

    def sources(self) -> set[str]:
        return set(self._facts().sources)



class _Facts:
    """A cluster's actors, sources, statuses and years, read once and added to as mentions are
    appended (each is the same as reading all the mentions again)."""

    def __init__(self, mentions: list[PlotMention], count: int, heading: Heading | None) -> None:
        self.mentions = mentions
        self.count = count
        self.heading = heading
        self._seen: dict[str, dict[str, Actor]] = {}  # role -> actor key -> first actor, in order
        self._keys: dict[str, frozenset[str]] = {}
        self.sources: set[str] = set()
        self.distinct = False  # some mention tells another plot ("a separate scheme")
        self.alleged = False
        self.statuses: list[str] = []  # in order of telling (the statuses of each mention)
        self._best: tuple[PlotVocab, str | None, int] | None = None  # (vocab, best status, statuses read)
        self._acts: tuple[PlotVocab, set[str], int] | None = None  # (vocab, act families, mentions read)
        self.own_year: int | None = None
        self.year: int | None = None  # of the first dated mention
        self._added: list[PlotMention] = []  # every mention read, for the roles not asked yet

    def add(self, mentions: list[PlotMention]) -> None:
        for pm in mentions:
            self.sources.add(pm.sent.source_id)
            self.distinct = self.distinct or pm.distinct
            self.alleged = self.alleged or pm.alleged
            self.statuses.extend(pm.statuses)
            if self.own_year is None and pm.own_year is not None:
                self.own_year = pm.own_year
            if self.year is None and pm.date is not None and pm.date.date:
                self.year = int(pm.date.date[:4])
            for attr, seen in self._seen.items():
                self._add_actors(seen, pm, attr)
        self._added.extend(mentions)
        self._keys.clear()
        self.count += len(mentions)

    @staticmethod
    def _add_actors(seen: dict[str, Actor], pm: PlotMention, attr: str) -> None:
        for a in getattr(pm, attr):
            if not (a.specific or a.entity_id):
                continue
            seen.setdefault(a.key, a)

    def actors(self, attr: str) -> dict[str, Actor]:
        seen = self._seen.get(attr)
        if seen is None:
            seen = self._seen[attr] = {}
            if self.heading is not None and attr in ("targets", "perpetrators"):
                for a in getattr(self.heading, attr):
                    seen.setdefault(a.key, a)
            for pm in self._added:
                self._add_actors(seen, pm, attr)
        return seen

    def entity_keys(self, attr: str) -> frozenset[str]:
        keys = self._keys.get(attr)
        if keys is None:
            keys = self._keys[attr] = frozenset(a.entity_id for a in self.actors(attr).values() if a.entity_id)
        return keys

    def acts(self, vocab: PlotVocab) -> set[str]:
        if self._acts is None or self._acts[0] is not vocab:
            self._acts = (vocab, set(), 0)
        _, acts, done = self._acts
        for pm in self._added[done:]:
            acts.update(vocab.act_families[w] for w in pm.words if w in vocab.act_families)
        self._acts = (vocab, acts, len(self._added))
        return acts

    def status(self, vocab: PlotVocab) -> str | None:
        """``_status_of``: the furthest stage told (the first told of equal rank), "alleged" when only
        the press tells a planned one."""
        if self._best is None or self._best[0] is not vocab:
            best, done = None, 0
        else:
            _, best, done = self._best
        for s in self.statuses[done:]:
            if best is None or vocab.rank(s) > vocab.rank(best):
                best = s
        self._best = (vocab, best, len(self.statuses))
        if best is None:
            return None
        if vocab.rank(best) <= vocab.rank("planned") and self.alleged:
            return "alleged"
        return best


def read_headings(doc: SourceDoc, passages: list[PassageRow], index: EntityIndex, vocab: PlotVocab) -> dict[str, Heading]:
    """Sections of one source whose last heading names a single plot."""
    out: dict[str, Heading] = {}
    for p in passages:
        if p.source_id != doc.source_id or p.section in out:
            continue
        title = p.section.split(">")[-1].strip()
        m = vocab.heading_plot.search(title)
        if not m or re.search(r"\b(plots|attempts|hacks|conspiracies)\b", title, re.I):
            continue
        kind = "hack" if re.search(r"hack", title, re.I) else "plot"
        targets: list[Actor] = []
        perps: list[Actor] = []
        rest = re.search(r"\b(by|on|against|of|to assassinate|to kill|targeting)\s+(.+)$", title, re.I)
        if rest:
            actor = _heading_actor(rest.group(2), doc, passages, index, p.section)
            (perps if rest.group(1).lower() == "by" else targets).append(actor)
        elif kind == "hack":
            before = title[: m.start()].strip()
            if before:
                targets.append(_heading_actor(before, doc, passages, index, p.section))
        out[p.section] = Heading(doc.source_id, p.section, title, targets, perps, kind)
    return out


def _heading_actor(text: str, doc: SourceDoc, passages: list[PassageRow], index: EntityIndex, section: str) -> Actor:
    """An actor named in a heading: the section's entity whose surface the heading ends with or holds."""
    best: EntityMention | None = None
    for p in passages:
        if p.source_id != doc.source_id or p.section != section:
            continue
        for m in index.in_span(p.source_id, p.char_start, p.char_end):
            if m.surface in text and (best is None or len(m.surface) > len(best.surface)):
                best = m
    if best is not None and (text.endswith(best.surface) or len(best.surface) >= len(text) * 0.5):
        return Actor(best.entity_id, best.kind, best.surface, True, best.kind == "person")
    return Actor(None, None, text, True, False)


def _compatible(a: set[str], b: set[str]) -> bool:
    return not a or not b or bool(a & b)


def _year(c: Cluster) -> int | None:
    """The year of the cluster's first dated mention, else its source's publication year."""
    year = c._facts().year
    return year if year is not None else c.year_hint


def _status_of(c: Cluster, vocab: PlotVocab) -> str | None:
    return c._facts().status(vocab)


def clusters_of_source(
    mentions: list[PlotMention], headings: dict[str, Heading], vocab: PlotVocab, year_hint: int | None = None,
    news: bool = False,
) -> list[Cluster]:
    """Group one source's mentions: same paragraph, same plot section, "the plot" back-references."""
    clusters: list[Cluster] = []
    section_cluster: dict[str, Cluster] = {}
    last_in_section: dict[str, Cluster] = {}
    para_clusters: dict[str, list[Cluster]] = defaultdict(list)
    last_executed: Cluster | None = None
    bare: list[PlotMention] = []
    for pm in mentions:
        t = pm.entity_targets()
        p = {a.entity_id for a in pm.perpetrators if a.entity_id}
        target: Cluster | None = None
        if pm.same_act and pm.presupposed and last_executed is not None:
            target = last_executed  # "the killing of X ... in the same strike": the act told before
        heading = headings.get(pm.section)
        if heading is not None and target is None:
            sc = section_cluster.get(pm.section)
            ct = sc.entity_keys("targets") if sc else {a.entity_id for a in heading.targets if a.entity_id}
            # a reference to another, past killing stays out of the section's plot
            foreign = pm.presupposed and not (t & ct)
            if not foreign:
                if sc is None:
                    sc = Cluster([], heading, year_hint, news)
                    section_cluster[pm.section] = sc
                    clusters.append(sc)
                target = sc
        if target is None and pm.adds_target and para_clusters[pm.sent.passage.passage_id]:
            target = para_clusters[pm.sent.passage.passage_id][-1]  # "Mike Pompeo was also a target"
        if target is None:
            for c in reversed(para_clusters[pm.sent.passage.passage_id]):
                same_kind = all(x.presupposed == pm.presupposed for x in c.mentions)
                crossed = t & c.entity_keys("perpetrators") or p & c.entity_keys("targets")
                # a news paragraph names a plot's people over several sentences ("Shakeri recruited the
                # two men"): one named target is enough there
                same_target = bool(t & c.entity_keys("targets")) and c.news
                if same_kind and not crossed and _compatible(t, c.entity_keys("targets")) and (
                        same_target or _compatible(p, c.entity_keys("perpetrators"))):
                    target = c
                    break
        if target is None and pm.anaphoric and not t:
            target = last_in_section.get(pm.section)
        if target is None:
            if not pm.targets and not pm.perpetrators:
                bare.append(pm)  # nothing says whose plot this is (unless its sentence says it later)
                continue
            target = Cluster([], None, year_hint, news)
            clusters.append(target)
        # "a 2021 plot by Iranian officers to kidnap her": the bare plot word of the same sentence
        target.mentions.extend(b for b in bare if b.sent.start == pm.sent.start)
        bare = []  # a bare mention of an earlier sentence stays unclaimed
        target.mentions.append(pm)
        para_clusters[pm.sent.passage.passage_id].append(target)
        if not pm.outcome:
            last_in_section[pm.section] = target
        if "executed" in pm.statuses:
            last_executed = target
    return [c for c in clusters if c.mentions]


def _fold_headline(clusters: list[Cluster], vocab: PlotVocab) -> list[Cluster]:
    """A headline tells a plot of its article: one naming no one ("Plot to kill former Trump aide
    foiled") the article's first plot, one naming a target the first plot of that target."""
    out: list[Cluster] = []
    pending: list[Cluster] = []
    named: list[Cluster] = []
    for c in clusters:
        headline = all(pm.sent.passage.kind == "headline" for pm in c.mentions)
        if headline and not c.entity_keys("targets"):
            pending.append(c)
            continue
        if headline:
            named.append(c)
            continue
        if pending and _status_of(c, vocab) is not None and not all(pm.presupposed for pm in c.mentions):
            for h in pending:
                c.mentions[:0] = h.mentions
            pending = []
        out.append(c)
    for h in named:
        executed = _status_of(h, vocab) == "executed"
        into = next((c for c in out if c.entity_keys("targets") & h.entity_keys("targets")
                     and (_status_of(c, vocab) == "executed") == executed
                     and _compatible(c.entity_keys("perpetrators"), h.entity_keys("perpetrators"))), None)
        if into is None:
            out.append(h)
        else:
            into.mentions[:0] = h.mentions
    return out + pending


def merge_clusters(clusters: list[Cluster], vocab: PlotVocab) -> list[Cluster]:
    """Merge clusters telling the same plot in different paragraphs or sources."""
    order = {id(pm): k for k, c in enumerate(clusters) for pm in c.mentions}
    # executed plots first, so that definite references ("the decision to kill X") find them
    current = sorted(clusters, key=lambda c: _status_of(c, vocab) != "executed")
    while True:  # until nothing merges: a merge can add the target that links a third cluster
        merged: list[Cluster] = []
        # _same_plot needs a shared target (or, with no targets on either side, a shared
        # perpetrator): only clusters sharing such a key are compared, not every pair.
        by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        for c in current:
            candidates = sorted({k for key in _merge_keys(c, vocab) for k in by_key.get(key, ())})
            into = next((merged[k] for k in candidates if _same_plot(merged[k], c, vocab)), None)
            if into is None:
                merged.append(c)
                position = len(merged) - 1
            else:
                into.extend(c.mentions)
                into.heading = into.heading or c.heading
                into.year_hint = into.year_hint or c.year_hint
                position = next(k for k in candidates if merged[k] is into)
            for key in _merge_keys(merged[position], vocab):
                if position not in by_key[key]:
                    by_key[key].append(position)
        if len(merged) == len(current):
            break
        current = merged
    merged = _attach_partial(merged, vocab)
    return sorted(merged, key=lambda c: min(order[id(pm)] for pm in c.mentions))


def _merge_keys(c: Cluster, vocab: PlotVocab) -> set[tuple[str, str]]:
    """The keys two clusters must share for ``_same_plot`` to hold (see its rules)."""
    targets = c.entity_keys("targets")
    if _status_of(c, vocab) == "executed":
        targets = targets | c.entity_keys("victims")
    if targets:
        return {("target", k) for k in targets}
    return {("perpetrator", k) for k in c.entity_keys("perpetrators")}


def _attach_partial(clusters: list[Cluster], vocab: PlotVocab) -> list[Cluster]:
    """Tellings that name no target join a plot of their source.

    What befell perpetrators ("He has pleaded not guilty") joins the plot of the same source
    with that perpetrator, the nearest before it first. In a news article, a telling naming only
    the perpetrator ("Poursafi is charged with ... a murder plot") joins the nearest plot before
    it whose perpetrators do not conflict. An outcome joining nothing is no plot.
    """
    out = [c for c in clusters if not c.outcome_only]
    partial = [c for c in clusters if c.outcome_only] + [
        c for c in out if c.news and not any(pm.targets for pm in c.mentions) and c.heading is None
        and c.entity_keys("perpetrators") and _status_of(c, vocab) not in (None, "executed")]
    for c in partial:
        src = c.sources()
        perps = c.entity_keys("perpetrators")
        cands = [o for o in out if o is not c and src <= o._facts().sources and o.entity_keys("targets")
                 and _status_of(o, vocab) not in (None, "executed")]
        if c.outcome_only:
            shared = [o for o in cands if o.entity_keys("perpetrators") & perps] or [
                o for o in out if o is not c and src <= o._facts().sources and o.entity_keys("perpetrators") & perps]
            # in a news article, "Loloei was arrested" after the telling of a plot tells of that plot
            cands = shared or ([o for o in cands if _compatible(o.entity_keys("perpetrators"), perps)
                                and o.first(next(iter(src))) < c.first()] if c.news else [])
        else:
            cands = [o for o in cands if _compatible(o.entity_keys("perpetrators"), perps)]
        sid = next(iter(src))
        before = [o for o in cands if o.first(sid) < c.first()]
        into = (max(before, key=lambda o: o.first(sid)) if before
                else (min(cands, key=lambda o: o.first(sid)) if cands else None))
        if into is None:
            continue
        into.extend(c.mentions)
        if c in out:
            out.remove(c)
    return out


def _same_plot(a: Cluster, b: Cluster, vocab: PlotVocab) -> bool:
    """Whether two clusters tell one plot.

    Same named target and: a shared named perpetrator or sponsor; or both executed; or one
    only refers to a known act ("the decision to kill X") of an executed plot; or, told in
    different sources, the same year with no conflicting perpetrators. Plots with no named
    target merge on a shared named perpetrator. Two plot sections of one source never merge.
    """
    if a.heading is not None and b.heading is not None and a.heading.source_id == b.heading.source_id:
        return False
    sa, sb = _status_of(a, vocab), _status_of(b, vocab)
    if sa is None or sb is None:
        return False  # a telling with no stage is not a plot to merge by
    ta, tb = a.entity_keys("targets"), b.entity_keys("targets")
    if sa == "executed":
        ta |= a.entity_keys("victims")
    if sb == "executed":
        tb |= b.entity_keys("victims")
    actors_a = a.entity_keys("perpetrators") | a.entity_keys("sponsors")
    actors_b = b.entity_keys("perpetrators") | b.entity_keys("sponsors")
    ya, yb = _year(a), _year(b)
    # "a separate scheme", "the second plot" tells apart the plots of one article, not of two
    fa, fb = a._facts(), b._facts()
    distinct = bool(fa.sources & fb.sources) and (fa.distinct or fb.distinct)
    oya, oyb = a.own_year(), b.own_year()
    if ta and tb and ta & tb:
        if distinct and not a.entity_keys("perpetrators") & b.entity_keys("perpetrators"):
            return False  # "a third case ... directed by the Revolutionary Guard": a shared sponsor is not enough
        if actors_a & actors_b:
            return True
        if (a.news and b.news and a._facts().sources == b._facts().sources and "executed" not in (sa, sb)
                and not distinct
                and _compatible(a.entity_keys("perpetrators"), b.entity_keys("perpetrators"))
                and _compatible(a.acts(vocab), b.acts(vocab))
                and (oya is None or oyb is None or abs(oya - oyb) <= 1)):
            # a news article tells one plot per target unless it says another ("a separate scheme"),
            # or the perpetrators, the act (kill / kidnap) or the plot's own year differ
            return True
        if sa == "executed" and sb == "executed":
            return True
        if sa == "executed" and all(pm.definite for pm in b.mentions) and not actors_b - actors_a:
            return True
        if sb == "executed" and all(pm.definite for pm in a.mentions) and not actors_a - actors_b:
            return True
        if (a._facts().sources != b._facts().sources and _compatible(a.entity_keys("perpetrators"), b.entity_keys("perpetrators"))
                and _compatible(a.acts(vocab), b.acts(vocab))):
            ya, yb = oya or ya, oyb or yb  # the plot's own year ("a 2021 plot") before the year of its telling
            return ya is not None and yb is not None and abs(ya - yb) <= 1 and (sa == "executed") == (sb == "executed")
        return False
    if not ta and not tb:
        # no named target (a rally, "U.S. facilities"): the same named perpetrator and act is the same plot,
        # whatever year each telling is dated by (the plot, the arrest, the trial)
        pa, pb = a.entity_keys("perpetrators"), b.entity_keys("perpetrators")
        return bool(pa & pb) and _compatible(a.acts(vocab), b.acts(vocab)) and (
            oya is None or oyb is None or abs(oya - oyb) <= 1)
    return False


# ---------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------


def _representative(c: Cluster, vocab: PlotVocab, source_order: dict[str, int]) -> PlotMention:
    """The first full telling: earliest source and position with a target and a stage."""
    # body text before headlines (a headline tells the plot again, without dates or names)
    ordered = sorted(c.mentions, key=lambda pm: (source_order.get(pm.sent.source_id, 99),
                                                  pm.sent.passage.kind == "headline", pm.start))
    if c.heading is not None:
        # a section about one plot opens with its telling
        own = [pm for pm in ordered if pm.sent.source_id == c.heading.source_id and pm.statuses]
        if own:
            return own[0]
    for pm in ordered:
        if pm.statuses and not pm.anaphoric and not pm.presupposed and any(a.specific for a in pm.targets):
            return pm
    for pm in ordered:
        if pm.statuses and not pm.anaphoric and any(a.specific for a in pm.targets):
            return pm
    for pm in ordered:
        if pm.statuses:
            return pm
    return ordered[0]


def _names(actors: list[Actor], limit: int = 2) -> str:
    names = list(dict.fromkeys(a.name for a in actors))
    if not names:
        return ""
    if len(names) > limit:
        return ", ".join(names[:limit]) + " and others"
    return " and ".join(names)


def _plot_name(c: Cluster, status: str, vocab: PlotVocab) -> str:
    words = set().union(*(pm.words for pm in c.mentions))
    kinds = [pm.kind for pm in c.mentions]
    targets = c.actors("targets")
    named = [a for a in targets if a.entity_id] or targets
    if not named:
        named = [a for pm in c.mentions for a in pm.targets][:1]
    tname = _names(named)
    person_target = any(a.person_like for a in named)
    if c.heading is not None and c.heading.kind == "hack" and c.heading.targets:
        return f"Hacking of {c.heading.targets[0].name}"
    if "hack" in kinds and kinds.count("hack") * 2 >= len(kinds):
        return f"Hacking of {tname}" if tname else "Hacking operation"
    if not tname:
        perps = _names(c.actors("perpetrators") or c.actors("sponsors"))
        return f"Plot by {perps}" if perps else "Plot"
    kill_words = {"assassinate", "assassination", "kill", "killing", "murder", "eliminate", "target", "take"}
    act = "kill"
    if not (kill_words & words) and not any(w.startswith("assassinat") for w in words):
        if "capture" in words:
            act = "capture"
        elif words & {"kidnap", "kidnapping", "abduct", "abduction"}:
            act = "kidnap"
    attack = all(k == "attack_plan" for k in kinds)
    assassin = any(w.startswith("assassinat") for w in words)
    noun = {"kill": "killing", "capture": "capture", "kidnap": "kidnapping"}[act]
    if status == "executed":
        return f"{'Assassination' if assassin and act == 'kill' else noun.capitalize()} of {tname}"
    if attack or not person_target:
        return f"Plot to attack {tname}" if attack else f"Plot against {tname}"
    if status == "considered":
        return f"Considered {noun} of {tname}"
    if status in ("attempted", "failed"):
        return f"Assassination attempt on {tname}" if act == "kill" else f"Attempted {noun} of {tname}"
    if act == "capture":
        return f"Planned capture of {tname}"
    return f"Plot to {'assassinate' if act == 'kill' else act} {tname}"


def _place(pm: PlotMention, doc_text: str, index: EntityIndex, gaz: Gazetteer) -> str | None:
    """The place the telling sentence puts the plot in ("in Yemen", "near Baghdad Airport"), from
    the curated gazetteer shared with the events extractor (so the id is a ``places`` row)."""
    s = pm.sent
    hits = find_places(doc_text, s.start, s.end, gaz, index.in_span(s.source_id, s.start, s.end))
    best = main_place([h for h in hits if h.place.curated], pm.start, gaz)
    return best.place.place_id if best is not None else None


def cluster_rows(
    clusters: list[Cluster],
    docs: dict[str, SourceDoc],
    vocab: PlotVocab,
    index: EntityIndex,
    gaz: Gazetteer,
    source_order: dict[str, int],
    report: list[str],
) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    """The plots, plot_actors, plot_mentions and claims rows of the merged clusters."""
    plots: list[Row] = []
    actors: list[Row] = []
    tellings: list[Row] = []
    plot_claims: list[Row] = []
    built: list[tuple[Cluster, PlotMention, str, dict[str, Any]]] = []
    for c in clusters:
        status = _status_of(c, vocab)
        if status is None:
            rep = c.mentions[0]
            report.append(f"plots: no stage reported, skipped {rep.trigger!r} in {rep.sent.passage.passage_id}")
            continue
        rep = _representative(c, vocab, source_order)
        name = _plot_name(c, status, vocab)
        dated = rep.date or next(
            (pm.date for pm in sorted(c.mentions, key=lambda x: (source_order.get(x.sent.source_id, 99), x.start))
             if pm.date), None)
        built.append((c, rep, name, {"status": status, "date": dated}))
    # the same name twice: tell them apart by perpetrator, then by year
    counts: dict[str, int] = defaultdict(int)
    for _, _, name, _ in built:
        counts[name] += 1
    names = []
    for c, _rep, name, _info in built:
        if counts[name] > 1:
            perps = c.actors("perpetrators") or c.actors("sponsors")
            if perps:
                name = f"{name} by {perps[0].name}"
        names.append(name)
    again: dict[str, int] = defaultdict(int)
    for n in names:
        again[n] += 1
    for k, (c, rep, _name, info) in enumerate(built):
        name = names[k]
        if again[name] > 1 and info["date"] is not None and info["date"].date:
            name = f"{name} ({info['date'].date[:4]})"
        s = rep.sent
        # the trigger's span, not the sentence: two plots told in one sentence keep two IDs
        plot_id = "plot-" + short_hash(local_key(s.passage, rep.start, rep.end), length=12)
        # the sponsoring organization, else the organization whose members carry it out
        sponsors = [a for a in c.actors("sponsors") if a.kind == "org" and a.entity_id] or [
            a for a in c.actors("perpetrators") if a.kind == "org" and a.entity_id
        ]
        row: Row = {
            "plot_id": plot_id,
            "name": name,
            "status": info["status"],
            **date_columns(info["date"]),
            "place_id": _place(rep, docs[s.source_id].text, index, gaz),
            "sponsor_org_id": sponsors[0].entity_id if sponsors else None,
            "summary": _summary(c, name, info["status"], info["date"]),
            **provenance(s.passage, s.start, s.end, docs[s.source_id].text),
        }
        plots.append(row)
        own_tellings, own_claims = mention_rows(c, plot_id, docs, vocab, info["date"])
        tellings.extend(own_tellings)
        plot_claims.extend(own_claims)
        seen: set[tuple[str, str]] = set()
        for role, attr in (("target", "targets"), ("perpetrator", "perpetrators"), ("sponsor", "sponsors"),
                           ("informant", "informants"), ("victim", "victims")):
            for a in c.actors(attr):
                if not a.entity_id or (a.entity_id, role) in seen:
                    continue
                if any(a.entity_id == e for e, _ in seen) and role in ("victim", "sponsor"):
                    continue
                seen.add((a.entity_id, role))
                actors.append({
                    "plot_actor_id": "plotactor-" + short_hash(plot_id, a.entity_id, role, length=12),
                    "plot_id": plot_id,
                    "person_id": a.entity_id if a.kind == "person" else None,
                    "org_id": a.entity_id if a.kind == "org" else None,
                    "role": role,
                })
    return plots, actors, tellings, plot_claims


def mention_rows(
    c: Cluster, plot_id: str, docs: dict[str, SourceDoc], vocab: PlotVocab, dated: DateMention | None,
) -> tuple[list[Row], list[Row]]:
    """A plot's tellings (one ``plot_mentions`` row per trigger, quoting its sentence) and their
    claims: the stage each telling reports (its furthest), and the date of the telling the plot is
    dated by (``dated``; the other tellings' sentence dates are often of something else: "on the
    anniversary of the killing")."""
    rows: list[Row] = []
    out: list[Row] = []
    seen: set[str] = set()
    for pm in sorted(c.mentions, key=lambda x: (x.sent.source_id, x.start)):
        s = pm.sent
        mention_id = "plotmention-" + short_hash(local_key(s.passage, pm.start, pm.end), length=12)
        if mention_id in seen:
            continue
        seen.add(mention_id)
        text = docs[s.source_id].text
        status = max(pm.statuses, key=vocab.rank) if pm.statuses else None
        rows.append({"mention_id": mention_id, "plot_id": plot_id, "trigger": text[pm.start : pm.end],
                     "status": status, "date_text": pm.date.date_text if pm.date else None,
                     **provenance(s.passage, s.start, s.end, text)})
        for prop, value in (("status", status), ("date", pm.date.date if pm.date is not None and pm.date is dated else None)):
            if value is not None:
                out.append(claims.claim_row("plots", plot_id, mention_id, prop, value, s.passage, s.start, s.end, text))
    return rows, out


def _summary(c: Cluster, name: str, status: str, date: DateMention | None) -> str:
    parts = [f"{name} ({status}{', ' + date.date_text if date is not None and date.date_text else ''})."]
    for label, attr in (("Targets", "targets"), ("Perpetrators", "perpetrators"), ("Sponsors", "sponsors"),
                        ("Victims", "victims")):
        names = list(dict.fromkeys(a.name for a in c.actors(attr)))
        if names:
            parts.append(f"{label}: {', '.join(names)}.")
    passages = {pm.sent.passage.passage_id for pm in c.mentions}
    srcs = sorted(c.sources())
    parts.append(f"Told in {len(passages)} passage{'s' if len(passages) > 1 else ''} of {len(srcs)} "
                 f"source{'s' if len(srcs) > 1 else ''}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------


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


def _date_of(pm: PlotMention, siblings: list[PlotMention], found: list[DateMention]) -> DateMention | None:
    """The date of a telling: a date inside its own phrase, else the sentence's first date that is
    not inside the phrase of another plot ("charged ... in retaliation for the January 2020 killing")."""
    found = [d for d in found if not inside(d.char_start, pm.foreign)]
    own = [d for d in found if pm.np_start <= d.char_start < pm.np_end]
    if own:
        best = first_date(own)
        if best is not None and best.date:
            pm.own_year = int(best.date[:4])
        return best
    others = [q for q in siblings if q is not pm]
    free = [d for d in found if not any(q.np_start <= d.char_start < q.np_end for q in others)]
    return first_date(free)


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


def parse_candidates(doc: SourceDoc, passages: Iterable[PassageRow], curated_dir: Path,
                     person_spans: Sequence[tuple[int, int]] = ()) -> list[Sentence]:
    """Sentences of one source that ``mentions_of_source`` will parse, for the per-source step, which
    knows the source's detected names (``person_spans``, absolute) but not yet how they resolve. A
    sentence chosen here and not there costs a parse; one missed is parsed by the extractor."""
    vocab = load_plot_vocab(curated_dir)
    starts = sorted(person_spans)
    out: list[Sentence] = []
    for p in sorted((p for p in passages if p.source_id == doc.source_id), key=lambda p: p.ordinal):
        if skipped_passage(p, vocab.skip_sections, vocab.skip_kinds):
            continue
        for s in passage_sentences(doc, p, curated_dir):
            if worth_parsing(s.text, vocab, partial(_any_inside, starts, s.start, s.end)):
                out.append(s)
    return out


def _any_inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a span of ``spans`` (sorted) lies wholly inside [start, end)."""
    i = bisect.bisect_left(spans, (start, start))
    while i < len(spans) and spans[i][0] < end:
        if spans[i][1] <= end:
            return True
        i += 1
    return False


def mentions_of_source(
    doc: SourceDoc,
    passages: list[PassageRow],
    index: EntityIndex,
    curated_dir: Path,
    parser: Parser,
    report: list[str],
) -> tuple[list[PlotMention], dict[str, Heading]]:
    """Plot mentions of one source, in text order, and its plot headings (per-source work)."""
    vocab = load_plot_vocab(curated_dir)
    ordered = sorted((p for p in passages if p.source_id == doc.source_id), key=lambda p: p.ordinal)
    headings = read_headings(doc, ordered, index, vocab)
    reader = MentionReader(vocab, index, parser, set(headings), doc.source_id)
    per: list[tuple[PassageRow, list[Sentence]]] = [(p, passage_sentences(doc, p, curated_dir)) for p in ordered]
    dates = sentence_dates(doc, [s for _, ss in per for s in ss])
    candidates = {
        (s.start, s.end)
        for p, ss in per
        if not skipped_passage(p, vocab.skip_sections, vocab.skip_kinds)
        for s in ss
        if reader.candidate(s)
    }
    parser.prefetch(s for _, ss in per for s in ss if (s.start, s.end) in candidates)
    out: list[PlotMention] = []
    last_section: str | None = None
    for p, sents in per:
        if skipped_passage(p, vocab.skip_sections, vocab.skip_kinds):
            continue
        # a pronoun reaches back within its paragraph, or to the last person of the paragraph before in
        # its section ("He has pleaded not guilty." as a paragraph of its own)
        reader.carried = [reader.first_of_last] if p.section == last_section and reader.first_of_last else []
        reader.first_of_last = None
        reader.recent_persons = []
        last_section = p.section
        for s in sents:
            if (s.start, s.end) in candidates:
                found = reader.sentence(s)
                for pm in found:
                    pm.date = _date_of(pm, found, dates.get((s.start, s.end), []))
                    out.append(pm)
            reader.remember(s)
    report.append(f"plots: {len(out)} mentions, {len(headings)} plot sections in {doc.source_id}")
    return out, headings


def _plots_only(clusters: list[Cluster], vocab: PlotVocab, report: list[str]) -> list[Cluster]:
    """The clusters that tell a plot (``plot_frames.told_as_plot``): a killing told only as past
    fact is left to the events table."""
    out = []
    for c in clusters:
        f = c._facts()
        # a named agent, from the index or named so by the model ("the U.S. drone strike that killed X")
        agents = {a.key for a in [*c.actors("perpetrators"), *c.actors("sponsors")] if a.entity_id or a.specific
                  } - {a.key for a in c.actors("targets")}
        if told_as_plot(f.statuses, [pm.kind for pm in c.mentions],
                        bool(agents) or any(pm.told_planned for pm in c.mentions), c.heading is not None):
            out.append(c)
        else:
            rep = c.mentions[0]
            report.append(f"plots: a killing told only as past fact is no plot: {rep.trigger!r} in "
                          f"{rep.sent.passage.passage_id}")
    return out




def extract_plots(
    docs: list[SourceDoc],
    passages: list[PassageRow],
    entities: EntityIndex,
    curated_dir: Path,
    preparsed: Mapping[str, SourceParses] | None = None,
    source_map: SourceMap | None = None,
) -> ExtractResult:
    """Plots and their actors from every source: tables={"plots": [...], "plot_actors": [...]}.
    ``preparsed``: parses made by the per-source step (``parse_candidates``), by source_id;
    ``source_map`` runs the per-source reading (default: in order, in this process)."""
    vocab = load_plot_vocab(curated_dir)
    parser = Parser(preparsed)
    report: list[str] = []
    clusters: list[Cluster] = []

    def of_source(doc: SourceDoc, ps: list[PassageRow]) -> tuple[list[Cluster], list[str], int]:
        lines: list[str] = []
        before = parser.parsed_chars
        mentions, headings = mentions_of_source(doc, ps, entities, curated_dir, parser, lines)
        for pm in mentions:
            pm.target_tokens = []  # spaCy tokens: only the sentence's reading needs them
        # a news article tells of its own days: its undated tellings take its publication year
        hint = int(doc.published_date[:4]) if doc.format == "news" and doc.published_date else None
        own = clusters_of_source(mentions, headings, vocab, hint, doc.format == "news")
        return _fold_headline(own, vocab), lines, parser.parsed_chars - before

    parsed_here = 0
    for own, lines, parsed in (source_map or serial_map(docs, passages))("plots", of_source):
        clusters.extend(own)
        report.extend(lines)
        parsed_here += parsed
    clusters = merge_clusters(clusters, vocab)
    clusters = _plots_only(clusters, vocab, report)
    order = {d.source_id: i for i, d in enumerate(docs)}
    plots, actors, tellings, plot_claims = cluster_rows(clusters, {d.source_id: d for d in docs}, vocab, entities,
                                                        load_gazetteer(curated_dir), order, report)
    report.append(f"plots: {len(plots)} plots, {len(actors)} actors ({parsed_here} chars parsed by the "
                  "extractor, the rest by the per-source step)")
    return ExtractResult(tables={"plots": plots, "plot_actors": actors, "plot_mentions": tellings,
                                 "claims": plot_claims}, report=report)
