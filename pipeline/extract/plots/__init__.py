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

The package: ``vocab`` (curated cues), ``mention`` (records), ``actors``, ``roles``, ``status`` and
``reading`` (one reader class built in layers: who is named, in which role, at which stage, per
sentence), ``clusters`` (one source), ``merge`` (across paragraphs and sources), ``rows`` (published
rows); this module holds the entry points.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract import ExtractResult, SourceMap, serial_map
from pipeline.extract.clauses.scope import inside
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityIndex
from pipeline.extract.nlp import SourceParses
from pipeline.extract.places import load_gazetteer
from pipeline.extract.plot_frames import told_as_plot
from pipeline.extract.plots.clusters import (
    Cluster,
    Heading,
    _fold_headline,
    _status_of,
    _year,
    clusters_of_source,
    read_headings,
)
from pipeline.extract.plots.mention import Actor, PlotMention
from pipeline.extract.plots.merge import merge_clusters
from pipeline.extract.plots.reading import MentionReader, combine_in_sentence, worth_parsing
from pipeline.extract.plots.rows import cluster_rows, mention_rows
from pipeline.extract.plots.vocab import PlotVocab, load_plot_vocab
from pipeline.extract.sentences import (
    Parser,
    Sentence,
    first_date,
    passage_sentences,
    sentence_dates,
    skipped_passage,
)

__all__ = [
    "Actor",
    "Cluster",
    "Heading",
    "MentionReader",
    "PlotMention",
    "PlotVocab",
    "_status_of",
    "_year",
    "cluster_rows",
    "clusters_of_source",
    "combine_in_sentence",
    "extract_plots",
    "load_plot_vocab",
    "mention_rows",
    "mentions_of_source",
    "merge_clusters",
    "parse_candidates",
    "read_headings",
    "worth_parsing",
]


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
    if reader.employers:
        # "X is a member of Y" told anywhere in the source: Y stands behind what X does or sponsors
        for pm in out:
            have = {a.key for a in pm.sponsors}
            for a in [*pm.perpetrators, *pm.sponsors]:
                boss = reader.employers.get(a.key) if a.entity_id and a.kind == "person" else None
                if boss is not None and boss.key not in have:
                    pm.sponsors.append(boss)
                    have.add(boss.key)
    if reader.cleared:
        # "X is not accused of taking part in the plot": X is no perpetrator of the source's plots, and what
        # befell X ("X was arrested") tells none of them
        for pm in out:
            pm.perpetrators = [a for a in pm.perpetrators if a.key not in reader.cleared]
        out = [pm for pm in out if not (pm.outcome and not pm.perpetrators)]
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


def _drop_guessed_targets(clusters: list[Cluster]) -> None:
    """A pronoun read as a plot's target ("paid to kill her") that stands for one of the plot's own
    perpetrators or sponsors is a wrong guess (nobody plots against himself), unless another telling
    names that person as the target: the target goes, the agent stays."""
    for c in clusters:
        agents = c.entity_keys("perpetrators") | c.entity_keys("sponsors")
        named = {a.key for pm in c.mentions for a in pm.targets if not a.pronoun}
        drop = agents - named
        if not drop:
            continue
        for pm in c.mentions:
            if any(a.pronoun and a.key in drop for a in pm.targets):
                pm.targets = [a for a in pm.targets if not (a.pronoun and a.key in drop)]
                c._memo = None  # (its facts are read again)


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
    _drop_guessed_targets(clusters)
    clusters = _plots_only(clusters, vocab, report)
    order = {d.source_id: i for i, d in enumerate(docs)}
    plots, actors, tellings, plot_claims = cluster_rows(clusters, {d.source_id: d for d in docs}, vocab, entities,
                                                        load_gazetteer(curated_dir), order, report)
    report.append(f"plots: {len(plots)} plots, {len(actors)} actors ({parsed_here} chars parsed by the "
                  "extractor, the rest by the per-source step)")
    return ExtractResult(tables={"plots": plots, "plot_actors": actors, "plot_mentions": tellings,
                                 "claims": plot_claims}, report=report)
