"""Merging clusters that tell the same plot in different paragraphs or sources.

What belongs here: ``merge_clusters`` and the rule saying when two clusters tell one plot
(``_same_plot``), and how tellings naming no target join a plot of their source.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.extract.plots.clusters import Cluster, _compatible, _status_of, _year
from pipeline.extract.plots.vocab import PlotVocab

# "two other men were charged with plotting to kill a journalist": told as others' plot, not the one before
_OTHER = re.compile(r"\b(other|another)\b", re.IGNORECASE)


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
    it whose perpetrators do not conflict; so does a telling of the same act (kidnap, kill) whose
    target is not named ("four men were charged with plotting to kidnap a journalist", "agents of a
    state were charged with plotting to kidnap an activist"), unless it says it is another plot. An
    outcome joining nothing is no plot.
    """
    out = [c for c in clusters if not c.outcome_only]
    partial = [c for c in clusters if c.outcome_only] + [
        c for c in out if c.news and c.heading is None and _status_of(c, vocab) not in (None, "executed")
        and ((not any(pm.targets for pm in c.mentions) and c.entity_keys("perpetrators"))
             or (not c.entity_keys("targets") and not c.entity_keys("perpetrators") and not c._facts().distinct
                 and c.acts(vocab) and not any(_OTHER.search(pm.sent.text) for pm in c.mentions)))]
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
            cands = [o for o in cands if _compatible(o.entity_keys("perpetrators"), perps)
                     and _compatible(o.entity_keys("sponsors"), c.entity_keys("sponsors"))
                     and (c.entity_keys("perpetrators") or c.acts(vocab) & o.acts(vocab))]
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


def _agents(c: Cluster) -> set[str]:
    """The named people and organizations behind a cluster's plot; a state stands behind many plots
    of one target (Israel's of 2015 and of 2019), so sharing it tells no two of them apart."""
    return {a.entity_id for role in ("perpetrators", "sponsors") for a in c.actors(role) if a.entity_id and not a.state}


def _referred(c: Cluster) -> bool:
    """Whether a cluster is only told as a past act referred to ("after the killing of X")."""
    return all(pm.presupposed for pm in c.mentions)


def _same_plot(a: Cluster, b: Cluster, vocab: PlotVocab) -> bool:
    """Whether two clusters tell one plot.

    Never when one's perpetrator is the other's target. Same named target and: a shared named perpetrator or sponsor; or both executed; or one
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
    if a.entity_keys("perpetrators") & tb or b.entity_keys("perpetrators") & ta:
        return False  # one's plotter is the other's target: two plots, whatever else they share
    actors_a, actors_b = _agents(a), _agents(b)
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
        # a past attempt referred to ("in the aftermath of the attempted assassination of X") is not the plot
        # the same report tells in its own words
        referred = _referred(a) != _referred(b)
        if (a.news and b.news and a._facts().sources == b._facts().sources and "executed" not in (sa, sb)
                and not distinct and not referred
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
                and _compatible(a.acts(vocab), b.acts(vocab)) and not referred):
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
