"""Events: reading one source into event mentions (``find_event_mentions``).

What belongs here: the walk over a source's passages, sentences and dates -- which dates are
usable, the clause of each, and gathering its type (``triggers``), place and actors (the clause
layer), toll, attribution and summary (``tolls``) into an ``EventMention``.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import functools
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.errors import CuratedDataError
from pipeline.extract.clauses import Clauses
from pipeline.extract.clauses.roles import dateline_end
from pipeline.extract.clauses.scope import inside
from pipeline.extract.dates import DateContext, DateMention, find_dates
from pipeline.extract.entities import EntityIndex
from pipeline.extract.event_actors import definite_reference, occurrence_actors, referring_actors
from pipeline.extract.event_frames import (
    EventFrames,
    RoleWords,
    date_head,
    dated_of_phrase,
    elsewhere,
    governing_noun,
    killing_occurrence,
    marked,
    outside_date_clause,
    reported_act,
    standing_word,
    talked_about,
    victims_setting,
    word_token,
)
from pipeline.extract.events.context_dates import KIND as CONTEXT
from pipeline.extract.events.context_dates import ContextDates, context_trigger, retold
from pipeline.extract.events.heads import head_told
from pipeline.extract.events.mention import EventMention, _inside, _quote_spans
from pipeline.extract.events.references import chained, reference_dates
from pipeline.extract.events.rules import Rules, load_rules
from pipeline.extract.events.tolls import (
    _attribution,
    _injured_count,
    _killed_count,
    _masked_text,
    _stems,
    _summary,
    _toll,
    parse_parts,
)
from pipeline.extract.events.triggers import _OPENING, _choose_trigger, _clauses, _triggers, _TrigHit
from pipeline.extract.places import PlaceHit, find_places, load_gazetteer, main_place
from pipeline.extract.sentences import Parser, Sentence, load_yaml
from pipeline.text import SpanSet, sentence_spans


def find_event_mentions(
    doc: SourceDoc,
    passages: Sequence[PassageRow],
    entities: EntityIndex,
    curated_dir: Path,
    report: list[str] | None = None,
    parser: Parser | None = None,
) -> tuple[list[EventMention], list[PlaceHit]]:
    """Event mentions and place mentions of one source (passages in document order); ``parser``
    gives the sentences' parses (default: parsed here)."""
    rules = load_rules(curated_dir)
    frames = EventFrames(doc, entities, curated_dir, _nominals(rules), parser)
    state_of = entities.state_of  # states act where the parse makes them agents
    gaz = load_gazetteer(curated_dir)
    text = doc.text
    ctx = DateContext.for_source(doc, passages, curated_dir)
    topic_date = ctx.topic.date if ctx.topic is not None else None
    out: list[EventMention] = []
    all_places: list[PlaceHit] = []
    # Dates are read in document order first; "two days after a US drone strike ..." may name an
    # occurrence the text dates only further on, so unresolved offsets get a second look at the end.
    read: list[tuple[PassageRow, list[tuple[int, int]], list[DateMention], list[PlaceHit]]] = []
    for p, sentences, dates in _dated_passages(doc, passages, curated_dir, rules, ctx):
        ents_all = entities.in_span(p.source_id, p.char_start, p.char_end)
        passage_places = find_places(text, p.char_start, p.char_end, gaz, ents_all)
        all_places.extend(passage_places)
        read.append((p, sentences, dates, passage_places))
    frames.prefetch([(p, s, e) for p, sentences, dates, _ in read if not _skipped(p, rules)
                     for s, e in _dated_sentences(sentences, dates, doc.text, curated_dir)])
    for k, (p, sentences, dates, passage_places) in enumerate(read):
        top = p.section.split(" > ")[0]
        if p.kind in rules.skip_kinds or top in rules.skip_sections or p.section.split(" > ")[-1] in rules.skip_sections:
            continue
        quote_list = _quote_spans(text, p.char_start, p.char_end)
        # "BAGHDAD (AP) — ...", "Geneva, July 10 (Reuters) -": the agency, city and date are the
        # report's, not an event's (the clause layer's reading of a dateline)
        dl = dateline_end(text[p.char_start : p.char_end])
        dateline = (p.char_start, p.char_start + dl) if dl else None
        if dateline:
            quote_list = [*quote_list, dateline]
        quotes = SpanSet(quote_list)
        dl_place = _dateline_place(text, p, dl, passage_places)
        usable: list[DateMention] = []
        for dm in dates:
            if _inside(dm.char_start, quotes) or (dateline and dateline[0] <= dm.char_start < dateline[1]):
                continue  # (a date opening the dateline is the report's: "Jan. 7 (Agency) -")
            if not dm.resolved and dm.kind == "relative":
                dm = ctx.resolve_later(dm) or dm
            if not dm.resolved and dm.kind not in ("explicit", "implicit_year"):
                if report is not None:
                    report.append(f"events: unresolved relative date {dm.date_text!r} skipped "
                                  f"({p.passage_id} @{dm.char_start - p.char_start})")
                continue
            if not dm.resolved and report is not None:
                report.append(f"events: year of {dm.date_text!r} unresolved, event dated null "
                              f"({p.passage_id} @{dm.char_start - p.char_start})")
            usable.append(dm)
        by_sentence = _dates_by_sentence(sentences, usable)
        places_at = [h.char_start for h in passage_places]
        for si, (s, e) in enumerate(sentences):
            sdates = by_sentence[si]
            told_at: set[int] = set()  # where this sentence's own tellings name their occurrence
            if not sdates:
                _later_roles(frames, p, s, e, sdates, told_at, out, ctx, quotes, curated_dir)
                continue
            prev_trig: _TrigHit | None = None
            prev_cs: int | None = None
            masked = (SpanSet((d.char_start, d.char_end) for d in sdates), quotes)
            spans = _clauses(text, s, e, sdates, rules)
            if any(d.resolved_by == "anniversary" for d in sdates):
                # "..., on the fourth anniversary of his assassination, killing 95": the sentence is the
                # anniversary's occurrence; the occurrence it marks is told by its own words only
                spans = [(s, e) if d.resolved_by == "anniversary" else (d.char_start, d.char_end)
                         if d.resolved_by == "anniversary_of" else span for d, span in zip(sdates, spans, strict=True)]
            for dm, (cs, ce) in zip(sdates, spans, strict=True):
                hits = _triggers(text, cs, ce, rules, masked)
                opening = bool(_OPENING.fullmatch(text, cs, dm.char_start))
                trig = None if dm.in_list else _choose_trigger(text, cs, ce, dm, hits, rules, opening)
                if dm.kind == CONTEXT:
                    told = context_trigger(frames.clauses(p, s, e, sdates), hits, dm, rules, ctx, curated_dir, text)
                    if told is None:
                        continue  # no occurrence told now (see context_dates.py)
                    trig, dm = told
                    dm = dataclasses.replace(dm, char_start=trig.start, char_end=trig.start)  # what it dates
                if dm.resolved_by in _TOLD_IN_DATE:
                    # "voted Sunday, two days after a drone strike killed X": the date is the named
                    # occurrence's (counted back from the clause's own date), so its type is read
                    # from the words that name it.
                    own = [h for h in _triggers(text, dm.char_start, dm.char_end, rules, (quotes,)) if not h.trig.weak]
                    trig = own[0] if own else None if dm.resolved_by == "anniversary_of" else trig
                    if trig is None and dm.resolved_by == "anniversary_of":
                        continue  # "his assassination" names no kind the curated words know
                if trig is None and prev_trig is not None and prev_cs is not None:
                    # "... Saddam Hussein in 1991, 1998, and 2003": a clause with no trigger of its
                    # own continues the one before (and its quote starts there).
                    trig, cs = prev_trig, prev_cs
                    ce = max(ce, dm.char_end)
                    hits = _triggers(text, cs, ce, rules, masked)
                prev_trig, prev_cs = trig, cs
                if trig is None and dm.kind == "reference":
                    continue  # a sentence dated only by reference tells an occurrence only where a word names one
                if dm.resolved_by in _TOLD_AGAIN and trig is not None and trig.trig.type not in ("strike", "attack"):
                    continue  # "The strike ..." tells that strike, nothing else
                etype = trig.trig.type if trig else "other"
                # the parse: which occurrence the date's own clause tells, and what tells of something
                # else ("a warrant for those behind the strike that killed a general in Baghdad":
                # neither the toll nor the place is the warrant's)
                cl = frames.clauses(p, s, e, sdates)
                tok = word_token(cl, trig.start, trig.end) if trig is not None else None
                if tok is not None and trig is not None and outside_date_clause(cl, dm.char_start, dm.char_end, tok):
                    # the trigger names an occurrence of another clause: one inside the date's own, if any
                    own_hits = [(h, t) for h in hits if not h.trig.weak and h is not trig
                                and (t := word_token(cl, h.start, h.end)) is not None
                                and not outside_date_clause(cl, dm.char_start, dm.char_end, t)]
                    if own_hits:
                        trig, tok = min(own_hits, key=lambda ht: abs(ht[0].start - dm.char_start))
                        etype = trig.trig.type
                if (etype == "statement" and tok is not None and trig is not None and tok.pos_ == "VERB"
                        and trig.phrase.lower() not in rules.reporting
                        and any(c.dep_ == "nsubj" and c.lemma_.lower() in rules.legislatures for c in tok.children)):
                    etype = "political_action"  # "Parliament called for the expulsion": a legislature's act
                if (etype == "political_action" and tok is not None and tok.pos_ == "VERB"
                        and any(c.dep_ == "dobj" and c.lemma_.lower() in rules.telling_objects for c in tok.children)):
                    etype = "statement"  # "rejected the accusations": a word on what others said
                if tok is not None and trig is not None:
                    # "a resolution on drone strikes": the noun whose topic the trigger is tells the occurrence
                    by_tok = {t.i: h for h in hits if not h.trig.weak and (t := word_token(cl, h.start, h.end)) is not None}
                    up = governing_noun(tok, set(by_tok))
                    if up is not None:
                        trig, tok = by_tok[up.i], up
                        etype = trig.trig.type
                if tok is not None and trig is not None and dm.kind != CONTEXT and dm.resolved_by not in _TOLD_IN_DATE:
                    trig, tok, etype = _harm_told(cl, trig, tok, etype, hits, dm, frames.words)
                if tok is not None and trig is not None and dm.kind != CONTEXT:  # (context_trigger chose it)
                    # what the predicate of the occurrence tells, not a reporting verb or a word near it
                    trig, tok, etype = _told(cl, trig, tok, etype, hits, rules, dm, frames.words)
                instructed = False
                if tok is not None and trig is not None and dm.kind != CONTEXT and dm.resolved_by not in _TOLD_IN_DATE:
                    # the head that tells it: the act ordered, the noun of a content clause, an act only instructed
                    trig, tok, etype, instructed = head_told(cl, trig, tok, etype, hits, dm, frames.words)
                if tok is not None and trig is not None and dm.resolved_by not in _TOLD_IN_DATE and marked(tok, frames.words):
                    # "converged on Sunday to commemorate the anniversary of the strike": Sunday dates the gathering
                    rest = [(h, t) for h in hits if not h.trig.weak and h is not trig
                            and (t := word_token(cl, h.start, h.end)) is not None and not marked(t, frames.words)]
                    if not rest:
                        continue
                    trig, tok = min(rest, key=lambda ht: abs(ht[0].start - dm.char_start))
                    etype = trig.trig.type
                # Not inside quotations nor inside date words ("the day after the Baghdad airport attack").
                clause_places = [h for h in passage_places[bisect.bisect_left(places_at, cs):
                                                            bisect.bisect_left(places_at, ce)]
                                 if cs <= h.char_start and h.char_end <= ce
                                 and not _inside(h.char_start, quotes)
                                 and not dm.char_start <= h.char_start < dm.char_end]
                anchor = trig.start if trig else dm.char_start
                if etype == "statement" and trig is not None:
                    # Where a statement was made, not what it is about: before the verb or
                    # right after it ("said at the Munich Security Conference").
                    stop = re.search(r"\bthat\b|[\"“:]", text[trig.end : ce])
                    limit = trig.end + min(40, stop.start() if stop else 40)
                    clause_places = [h for h in clause_places if h.char_end <= trig.start or h.char_start < limit]
                if tok is not None:
                    # "a United States drone strike in Iraq": a country naming the act's side is not its place
                    clause_places = [h for h in clause_places if not (
                        h.place.kind == "country" and (pt := word_token(cl, h.char_start, h.char_end)) is not None
                        and pt.dep_ in ("compound", "amod", "nmod", "poss") and pt.head.i == tok.i)]
                other = elsewhere(cl, tok, frames.nominals)
                clause_places = [h for h in clause_places if not inside(h.char_start, other)]
                place = main_place(clause_places, anchor, gaz, sites_too=etype in ("strike", "attack", "protest"))
                if place is None and dl_place is not None and _on_report_day(dm, doc.published_date):
                    place = dl_place  # nothing else places what the datelined lead tells of its day
                # the toll of the clause, not of what tells of something else; the next sentence's
                # is read for a strike or attack that states none
                nxt, nxt_dates = sentences[si + 1 : si + 2], by_sentence[si + 1 : si + 2]
                nxt_quotes, nxt_passage = quotes, None
                if not nxt and k + 1 < len(read) and read[k + 1][0].section == p.section and read[k + 1][1]:
                    # a news paragraph is often one sentence: the next paragraph's first one may continue it
                    nxt_passage, (s2, e2) = read[k + 1][0], read[k + 1][1][0]
                    nxt, nxt_dates = [(s2, e2)], [[d for d in read[k + 1][2] if s2 <= d.char_start < e2]]
                    nxt_quotes = SpanSet(_quote_spans(text, nxt_passage.char_start, nxt_passage.char_end))
                if dm.resolved_by in _TOLD_AGAIN:
                    nxt, nxt_dates = [], []  # told in passing: the next sentence's toll is of what is told now
                masked_toll = (quotes, SpanSet(other))
                parts = parse_parts(cl, frames.words.kill_lemmas, rules)
                killed, killed_span = _toll(functools.partial(_killed_count, parts=parts), text, cs, ce, etype,
                                            nxt, nxt_dates, rules, (nxt_quotes,), masked_toll)
                injured, injured_span = _toll(_injured_count, text, cs, ce, etype, nxt, nxt_dates, rules, (nxt_quotes,),
                                              masked_toll)
                attributed = _attribution(text, cs, ce, s, rules)
                ents = [x for x in entities.in_span(p.source_id, cs, ce)
                        if not _inside(x.char_start, quotes)
                        # the words of a date name another occurrence, except when the date is
                        # that occurrence's own ("two days after a drone strike killed X")
                        and (dm.resolved_by in _TOLD_IN_DATE or not dm.char_start <= x.char_start < dm.char_end)
                        and not (attributed and x.surface in attributed)]
                actors = [] if tok is None else [
                    (x, role) for x, role in occurrence_actors(cl, tok, etype, p.source_id, state_of, frames.words,
                                                       ents)
                    if cs <= x.char_start < ce and not _inside(x.char_start, quotes)
                    and (dm.resolved_by in _TOLD_IN_DATE or not dm.char_start <= x.char_start < dm.char_end)
                    and not (attributed and x.surface in attributed)]
                if instructed:
                    actors = [(x, "target" if role == "victim" else role) for x, role in actors]  # no one died yet
                told_at.add(anchor)
                out.append(EventMention(
                    source_id=p.source_id, passage=p, char_start=cs, char_end=ce, date=dm, event_type=etype,
                    trigger=trig.phrase if trig else None, group=trig.trig.group if trig else None,
                    distinct=bool(trig and trig.trig.distinct), summary=_summary(text, cs, ce, dm, dateline),
                    place=place, killed=killed, attributed_to=attributed, actors=actors,
                    words=_stems(_masked_text(text, cs, ce, ents), rules.stopwords), topic_date=topic_date, quote=text[cs:ce],
                    groups=frozenset(h.trig.group for h in hits if not h.trig.weak and h.trig.type != "statement"),
                    place_ids=frozenset(h.place.place_id for h in clause_places if h.locative),
                    killed_span=killed_span, injured=injured, injured_span=injured_span,
                    toll_passage=nxt_passage if any(x is not None and x[0] >= p.char_end
                                                    for x in (killed_span, injured_span)) else None,
                ))
            _later_roles(frames, p, s, e, sdates, told_at, out, ctx, quotes, curated_dir)
    return retold(out), all_places


def _fits(tok: Token, told: EventMention) -> bool:
    """Whether what the phrase adds to its noun fits the telling it refers back to: the things it names in its
    phrases ("the attack on the embassy") are words of that telling; one owned by a pronoun ("the strike on
    their convoy") says nothing new."""
    quote = told.quote.lower()
    for prep in (c for c in tok.children if c.dep_ == "prep"):
        for obj in (g for g in prep.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")):
            owned = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children)
            if not owned and obj.lower_ not in quote and obj.lemma_.lower() not in quote:
                return False
    return True


@lru_cache(maxsize=4)
def _harm_heads(curated_dir: Path) -> tuple[frozenset[str], re.Pattern[str]]:
    """The nouns a strike or attack is referred back by (``reference_heads.strike`` of date_words.yaml), and a
    pattern finding a definite one in a sentence's text (so that only such sentences are parsed for it)."""
    path = curated_dir / "date_words.yaml"
    try:
        heads = frozenset(str(w).lower() for w in load_yaml(path)["reference_heads"]["strike"])
    except (KeyError, TypeError) as exc:
        raise CuratedDataError(f"cannot read reference_heads.strike: {exc}", path) from None
    alt = "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True))
    return heads, re.compile(rf"(?i)\b(?:the|this|that|these|those)\s+(?:[\w'’.-]+\s+){{0,3}}?(?:{alt})s?\b")


def _later_roles(frames: EventFrames, p: PassageRow, s: int, e: int, sdates: Sequence[DateMention],
                 told_at: set[int], out: list[EventMention], ctx: DateContext, quotes: SpanSet,
                 curated_dir: Path) -> None:
    """Roles a sentence gives an occurrence told before and named here by a definite noun ("The attack ...",
    "T ordered the attack", "G claimed responsibility for the bombings", "Y was also killed in the attack"):
    the occurrence is the one the reference machinery resolves the phrase to (``DateContext.occurrence``),
    its roles are read from the phrase's frame (``referring_actors``) and added to that earlier telling. A
    word that names an occurrence this sentence tells itself (``told_at``) is no reference."""
    heads, pattern = _harm_heads(curated_dir)
    text = frames.doc.text
    if not out or pattern.search(text, s, e) is None:
        return
    cl = frames.clauses(p, s, e, sdates)
    for tok in cl.doc:
        at = cl.base + tok.idx
        if at in told_at or _inside(at, quotes) or not definite_reference(tok, heads):
            continue
        phrase = cl.doc[tok.left_edge.i : tok.i + 1].text
        ref = ctx.occurrence(phrase, need="month", before=s, head=tok.text if tok.lower_ in heads else tok.lemma_)
        harm = [m for m in out if m.char_start < s and m.event_type in _HARM]
        if ref is not None:
            told = [m for m in harm if (m.date.char_start, m.date.char_end) == (ref.char_start, ref.char_end)]
        else:
            # a telling dated by its report (context_dates.py) is not in the dated story the reference machinery
            # reads: "the strike" names it as the machinery names an occurrence by a bare noun, the latest of its kind
            told = harm[-1:] if harm and harm[-1].date.kind == CONTEXT else []
        if not told:
            continue
        target = told[-1]
        if not _fits(tok, target):
            continue
        have = {x.entity_id for x, _ in target.actors}
        for ent, role in referring_actors(cl, tok, frames.words, p.source_id, frames.index.state_of):
            if ent.entity_id not in have and not _inside(ent.char_start, quotes):
                target.actors.append((ent, role))
                have.add(ent.entity_id)


# Dates whose words tell the occurrence (its type and actors are read inside them): "two days after a
# drone strike killed X", "The air strike, ordered by T, ...", "the anniversary of his assassination".
_TOLD_IN_DATE = ("clause", "subject", "anniversary_of")
_TOLD_AGAIN = ("subject", "anniversary_of")  # tellings of a strike or attack told dated elsewhere


_HARM = ("strike", "attack")


def _harm_told(cl: Clauses, trig: _TrigHit, tok: Token, etype: str, hits: Sequence[_TrigHit], dm: DateMention,
               words: RoleWords) -> tuple[_TrigHit, Token, str]:
    """The strike or attack a date tells when the word chosen names only its neighbour: a killing whose
    of-phrase runs up to the date ("plotted in retaliation for the killing of X in 2020": not the plot), a
    killing the parse hangs the date on ("to avenge X, killed in January 2020 in a strike"), or a
    killing whose victims the chosen word describes ("blasts that killed 40 people attending a memorial on
    Wednesday": not the memorial)."""
    harm = {t.i: (h, t) for h in hits if h.trig.type in _HARM and (t := word_token(cl, h.start, h.end)) is not None}
    if not harm:
        return trig, tok, etype
    verbs = {t.i for h in hits if not h.trig.weak and (t := word_token(cl, h.start, h.end)) is not None
             and t.pos_ == "VERB"}
    nouns = [t for _, t in harm.values() if t.pos_ == "NOUN" and not (t.dep_ == "dobj" and t.head.i in verbs)]
    found = dated_of_phrase(cl, dm.char_start, dm.char_end, nouns)
    if found is None and etype not in _HARM:
        # "the death of X, killed in January 2020 in a strike": the date hangs on a killing told by its means
        on = date_head(cl, dm.char_start, dm.char_end)
        if on is not None and on.pos_ == "VERB" and on.lemma_.lower() in words.kill_lemmas | words.undergoer_verbs:
            means = killing_occurrence(on, set(harm))
            found = means if means is not None and means.pos_ == "NOUN" and means.i != on.i else None
    if found is None and etype not in _HARM:
        kill = victims_setting(tok, words)
        found = killing_occurrence(kill, set(harm)) if kill is not None else None
    if found is None:
        return trig, tok, etype
    h, t = harm[found.i]
    return h, t, h.trig.type


def _told(cl: Clauses, trig: _TrigHit, tok: Token, etype: str, hits: Sequence[_TrigHit], rules: Rules,
          dm: DateMention, words: RoleWords) -> tuple[_TrigHit, Token, str]:
    """The trigger of the occurrence the dated clause tells, read from the parse: a reporting verb dated
    by its saying yields to the act its content tells as done (``reported_act``); an occurrence word
    only talked about -- the object of "dismissed", an act vowed or threatened -- yields to the
    statement (``talked_about``)."""
    toks = [(h, t) for h in hits if not h.trig.weak and (t := word_token(cl, h.start, h.end)) is not None]
    if etype == "statement" and tok.pos_ == "VERB" and trig.phrase.lower() in rules.reporting:
        # an occurrence word counted by a measure noun stands where that noun stands ("fired a salvo of rockets")
        acts = {w.i: (h, t) for h, t in reversed(toks) if h.trig.type != "statement"
                for w in {t, standing_word(t, words)}}
        done = reported_act(cl, tok, set(acts), dm.char_start, words) or reported_act(
            cl, tok, {i for i, (h, _) in acts.items() if h.trig.type == "legal_action"}, dm.char_start, words,
            content_after=True, announced=trig.trig.defer)  # "announced that X was charged": the charges
        if done is not None:
            h, t = acts[done.i]
            return h, t, h.trig.type
    if etype != "statement":
        says = {t.i: h for h, t in toks if h.trig.type == "statement" and not h.trig.defer and t.pos_ == "VERB"}
        verb = talked_about(cl, tok, set(says))
        if verb is not None:
            return says[verb.i], verb, "statement"
    return trig, tok, etype


_COLON_DATELINE = re.compile(r"\s*:\s+(?=[A-Z])")


def _dateline_place(text: str, p: PassageRow, dl: int, places: Sequence[PlaceHit]) -> PlaceHit | None:
    """The place a dateline opening the passage names: a wire dateline ("BAGHDAD (AP) --", ``dl``
    characters) or a known place and a colon ("Baghdad: Thousands rallied ..."); None if none."""
    first = next((h for h in places if h.char_start >= p.char_start), None)
    if first is None or text[p.char_start : first.char_start].strip():
        return None
    if dl and first.char_end <= p.char_start + dl:
        return first
    return first if _COLON_DATELINE.match(text, first.char_end) else None


def _on_report_day(dm: DateMention, published: str | None) -> bool:
    """Whether a telling is dated to the report's day or the day before (what a dateline places)."""
    if published is None or dm.date_precision != "day" or dm.date_start is None:
        return False
    try:
        day = datetime.date.fromisoformat(published[:10])
    except ValueError:
        return False
    return 0 <= (day - dm.date_start).days <= 1


def _dated_passages(doc: SourceDoc, passages: Sequence[PassageRow], curated_dir: Path, rules: Rules,
                    ctx: DateContext) -> Iterator[tuple[PassageRow, list[tuple[int, int]], list[DateMention]]]:
    """Each passage of one source in order, with its sentences and its dates (read, chained from a
    reference, or carried to an undated sentence); ``ctx`` is the source's date context."""
    text = doc.text
    context = ContextDates(text, ctx, curated_dir, rules)
    body = [p for p in passages if p.kind == "paragraph" and not _skipped(p, rules)][:1]
    for p in passages:
        ctx.begin_passage(p.section)
        sentences = sentence_spans(text, p.char_start, p.char_end, curated_dir)
        dates = find_dates(text, p.char_start, p.char_end, ctx, sentences=sentences)
        if body and p is body[0] and not ctx.pub_relative and doc.format != "wikipedia":
            # a report with no publication date: the day its lead tells stands in for it (its weekdays)
            ctx.lead_day = next((d.date_start for d in dates if d.date_precision == "day" and d.kind == "explicit"), None)
        refs = reference_dates(text, sentences, dates, ctx, curated_dir, lead=p is body[0] if body else False)
        if refs:
            # "In the days after the bombing, X. The next day, Y": Y counts from X's date
            dates = chained(text, sorted([*dates, *refs], key=lambda d: d.char_start))
        # sentences with no date at all: the time of the sentence before, or of the report (context_dates.py)
        undated = context.read(sentences, dates, (p.char_start, p.char_end), lead=bool(body) and p is body[0])
        if undated:
            dates = sorted([*dates, *undated], key=lambda d: d.char_start)
        yield p, sentences, dates


def _dated_sentences(sentences: Sequence[tuple[int, int]], dates: Sequence[DateMention], text: str = "",
                     curated_dir: Path | None = None) -> list[tuple[int, int]]:
    """The sentences that hold a date: the ones an event may be read from (and parsed for); with ``text`` and
    ``curated_dir`` also those naming a strike or attack by a definite noun (``_later_roles`` reads them)."""
    refers = _harm_heads(curated_dir)[1] if curated_dir is not None else None
    return [(s, e) for s, e in sentences if any(s <= d.char_start < e for d in dates)
            or (refers is not None and refers.search(text, s, e) is not None)]


def parse_candidates(doc: SourceDoc, passages: Sequence[PassageRow], curated_dir: Path) -> list[Sentence]:
    """The sentences of one source that ``find_event_mentions`` will parse, for the per-source step
    (which parses them on every core, with the plots' and legal positions' sentences): the dated
    sentences of the passages read. They depend on the source alone, never on the entity index."""
    rules = load_rules(curated_dir)
    own = [p for p in passages if p.source_id == doc.source_id]
    ctx = DateContext.for_source(doc, own, curated_dir)
    return [Sentence(doc.source_id, p, s, e, doc.text[s:e], 0)
            for p, sentences, dates in _dated_passages(doc, own, curated_dir, rules, ctx) if not _skipped(p, rules)
            for s, e in _dated_sentences(sentences, dates, doc.text, curated_dir)]


def _skipped(p: PassageRow, rules: Rules) -> bool:
    return (p.kind in rules.skip_kinds or p.section.split(" > ")[0] in rules.skip_sections
            or p.section.split(" > ")[-1] in rules.skip_sections)


def _nominals(rules: Rules) -> frozenset[str]:
    """The one-word event nouns and verbs of the curated triggers: predicates of the clause layer."""
    return frozenset(k for k in rules.triggers if " " not in k)


def _dates_by_sentence(sentences: Sequence[tuple[int, int]], dates: Sequence[DateMention]) -> list[list[DateMention]]:
    """The dates starting in each sentence (sentences sorted, disjoint), in the order given."""
    starts = [s for s, _ in sentences]
    out: list[list[DateMention]] = [[] for _ in sentences]
    for d in dates:
        i = bisect.bisect_right(starts, d.char_start) - 1
        if i >= 0 and d.char_start < sentences[i][1]:
            out[i].append(d)
    return out
