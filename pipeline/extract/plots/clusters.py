"""Grouping the tellings of one source into plots: same sentence, paragraph, plot section, headline.

What belongs here: ``Cluster`` (with the facts the merge asks of it again and again),
plot headings, ``clusters_of_source`` and the folding of a headline into its article's plot.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.plots.mention import Actor, PlotMention
from pipeline.extract.plots.vocab import PlotVocab


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
        told = vocab.heading_target.search(title)
        if told:
            # a heading telling who the target was ("X said she was the target of the plot"): the person it names
            who = _heading_actor(title[: told.start()], doc, passages, index, p.section, anywhere=True)
            if who.kind == "person":
                targets.append(who)
        elif rest and not vocab.anaphor.fullmatch(rest.group(2).strip(" .\"'")):
            # (not "... the target of the plot": the plot itself is nobody)
            actor = _heading_actor(rest.group(2), doc, passages, index, p.section)
            (perps if rest.group(1).lower() == "by" else targets).append(actor)
        elif kind == "hack":
            before = title[: m.start()].strip()
            if before:
                targets.append(_heading_actor(before, doc, passages, index, p.section))
        out[p.section] = Heading(doc.source_id, p.section, title, targets, perps, kind)
    return out


def _heading_actor(text: str, doc: SourceDoc, passages: list[PassageRow], index: EntityIndex, section: str,
                   anywhere: bool = False) -> Actor:
    """An actor named in a heading: the section's entity whose surface the heading ends with or holds
    (``anywhere``: any entity of the section the words name)."""
    best: EntityMention | None = None
    for p in passages:
        if p.source_id != doc.source_id or p.section != section:
            continue
        for m in index.in_span(p.source_id, p.char_start, p.char_end):
            if m.surface in text and (best is None or len(m.surface) > len(best.surface)):
                best = m
    if best is not None and (anywhere or text.endswith(best.surface) or len(best.surface) >= len(text) * 0.5):
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
    last_plot: dict[str, Cluster] = {}  # the last telling of a plot itself (a stage told, no past act referred to)
    # the last telling not only referring to a past act ("to avenge X, killed in a strike"): what "the plot" refers to
    last_told: dict[str, Cluster] = {}
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
        # an operation against a state ("an airstrike against Iran") is no telling of a plot against a person
        against_state = not t and any(a.state for a in pm.targets)
        if target is None:
            for c in reversed(para_clusters[pm.sent.passage.passage_id]):
                if against_state and c.entity_keys("targets"):
                    continue
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
            # "the plot" names a plot told before, not a past killing named in passing since
            target = last_told.get(pm.section)
        if target is None and news and pm.outcome and not pm.perpetrators:
            # "it has charged the four with kidnap": what befell the plotters told before, named no more
            target = last_plot.get(pm.section)
        if target is None and news and not pm.presupposed:
            target = _told_before(pm, t, (last_plot if pm.adds_target else last_in_section).get(pm.section), vocab)
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
            if not pm.presupposed:
                last_told[pm.section] = target
            if pm.statuses and not pm.presupposed:
                # (a killing named in passing is no plot "X was among the targets of the plot" refers to)
                last_plot[pm.section] = target
        if "executed" in pm.statuses:
            last_executed = target
    return [c for c in clusters if c.mentions]


def _told_before(pm: PlotMention, targets: set[str], last: Cluster | None, vocab: PlotVocab) -> Cluster | None:
    """In a news article, the plot told before whose target was not named yet, when a telling names it
    ("X said she was the target of the plot") or refers to it by the same description ("a New York-based
    journalist" ... "the journalist"), or names no target and only perpetrators that plot has ("X sought
    to recruit men to carry out the plot" ... "X was charged with murder for hire"); or the plot told
    before against a named person, when a telling of the same act refers to its target by a definite
    description only ("charged with plotting to kill X" ... "paid a man to kill the former adviser"): a
    definite description names someone already known."""
    if last is None or last.outcome_only:
        return None
    if targets:
        return last if pm.adds_target and not last.entity_keys("targets") else None
    perps = {a.entity_id for a in pm.perpetrators if a.entity_id}
    if not pm.targets and perps and perps <= last.entity_keys("perpetrators") and not pm.distinct:
        return last
    heads = _role_heads(pm.targets)
    if heads and heads <= _role_heads([a for x in last.mentions for a in x.targets]):
        return last
    definite = [a for a in pm.targets if a.specific and a.person_like and not a.entity_id and not a.pronoun
                and a.name.lower().startswith("the ")]
    acts = {vocab.act_families[w] for w in pm.words if w in vocab.act_families}
    if (definite and len(definite) == len(pm.targets) and last.entity_keys("targets")
            and _compatible(acts, last.acts(vocab)) and not pm.distinct):
        return last
    return None


def _role_heads(actors: list[Actor]) -> set[str]:
    """The head nouns of unnamed person targets ("the New York-based journalist" -> journalist)."""
    return {a.name.split()[-1].lower() for a in actors if not a.entity_id and a.person_like and a.name.split()}


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
