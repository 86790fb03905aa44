"""Events: the time of an occurrence told in a sentence with no date of its own.

What belongs here: ``context_dates`` -- for each sentence with no date (not even one by reference,
``references.py``), the time it takes from its context -- and ``context_trigger``, the occurrence
such a sentence tells, read from its parse. Two contexts, at the precision they allow:

- **Carried over.** A sentence right after a dated one (in its paragraph, or opening the next)
  that says it goes on with its story -- a pronoun subject opening it ("He also ordered ..."), or
  a word such as "also", "then", "later" -- takes that sentence's date (or the one that sentence
  carried). A sentence with no such word may tell background ("At least 400 were killed" after a
  dated protest may sum up months): it takes nothing from the sentence before.
  Only the month is known ("later", "then" count forward by an unknown span; "He also said" may be
  another day), unless the sentence ties itself to the same occasion ("at the same ceremony"): then
  the earlier date at its own precision. ``date_text`` is the earlier date's words.
- **A news report's own present.** In a report with a publication date, a past-tense occurrence
  (or a present perfect: "has charged") told with no other time -- not even one by reference
  to an occurrence the source leaves undated ("in response to the vote") -- is the report's news: it happened
  on or shortly before publication. The day is not known (a report tells yesterday's launch in
  another time zone, a statement made days before), so the date is the publication's month -- or
  its year when the two days before publication fall in the month before, and nothing when they
  fall in the year before. Never in a paragraph whose dates are all more than a month before
  publication (it narrates the past). ``date_text`` is "published <date>".
- **A news report's lead.** Its first paragraph tells the report's news: what it tells as now -- a
  statement in the present ("X says", "X warns") or anything in the present perfect ("X has
  warned", "Iran has admitted") -- takes the publication day (precision day), with no medium named
  and even when timed by an occurrence the report leaves undated ("vows revenge after the killing").
  Told in the simple past it is read as the report's own present above (month; a violent act not).
  A retelling in the body dated within the week before links to it (``retold``).

A question ("didn't the attack hammer another nail ...?") and a quotation tell nothing as fact.
The sentence's parse decides whether it tells an occurrence now (``context_trigger``): the trigger's
verb (a noun's governing verb: "ordered the deployment") is past simple or present perfect, not
negated, not under a modal ("would attack"), a condition or a time to come ("if", "until"), not in
a relative clause describing someone ("X, who led the attacks"), and not pluperfect ("had
charged": background). A statement is an occurrence of its own only where its medium or occasion is named ("said in a
statement", "wrote in a series of tweets", "told reporters"): "X replied", "X warned that" go on
telling a statement the report has told. A definite noun naming an occurrence the source dates
elsewhere ("ordered the killing") is a telling of that one, not a new one. In a report's own
present, a violent act (strike, attack, plot) needs the present perfect ("Iran has launched
missiles"): told in the simple past with no date it is most often the story's background.
``retold`` links such a telling to the dated telling of the same source it tells again (same type
dated inside its span), so the occurrence is one event, not two.
Curated words: ``context_time`` in ``raw/curated/date_words.yaml``.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Token

from pipeline import yamlload
from pipeline.errors import CuratedDataError
from pipeline.extract.clauses import Clauses
from pipeline.extract.clauses.roles import dateline_end
from pipeline.extract.dates import DateContext, DateMention, word_alternation
from pipeline.extract.event_frames import word_token
from pipeline.extract.events.mention import EventMention
from pipeline.extract.events.references import _words as _reference_words
from pipeline.extract.events.rules import Rules
from pipeline.extract.events.triggers import _triggers, _TrigHit

KIND = "context"
CARRIED = "carried"  # resolved_by: the sentence before
PUBLISHED = "published"  # resolved_by: the report's publication
LEAD = "lead"  # resolved_by: the report's day, told in its lead in the present or present perfect
LEAD_NOW = "lead-now"  # the same, in a lead sentence timed by another occurrence: the present readings only
REPORT_DAY = "report-day"  # resolved_by: a statement the body tells in the report's own present
_DAYS = (LEAD, LEAD_NOW, REPORT_DAY)  # the report's day, not its month
# A paragraph whose nearest date is older than this narrates the past, not the report's news.
STALE_DAYS = 31
# How many days before publication a report's undated news may lie (a day's time zones apart).
NEWS_DAYS = 2
# How far back a lead's present perfect ("has charged") may reach, for the body's dated telling of it.
RECENT_DAYS = 7
_VIOLENT = frozenset({"strike", "attack", "plot", "cyber_operation"})
_MODAL_TAG = "MD"
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_PERFECT = re.compile(r"\b(?:has|have|'s|'ve)\s", re.IGNORECASE)
_OPENING_QUOTES = frozenset("\"“‘«'")
_SPEAKER_ENTS = frozenset({"PERSON", "ORG", "GPE"})
_NAME = re.compile(r"\b[A-Z][\w'’-]{2,}")


@dataclass(frozen=True)
class _Words:
    continues_re: re.Pattern[str]
    pronoun_re: re.Pattern[str]
    same_re: re.Pattern[str]
    not_now: frozenset[str]
    occasions: frozenset[str]
    topic_verbs: frozenset[str]
    occasion_re: re.Pattern[str]


@lru_cache(maxsize=4)
def _words(curated_dir: Path) -> _Words:
    path = curated_dir / "date_words.yaml"
    try:
        d = yamlload.safe_load(path.read_text(encoding="utf-8"))["context_time"]
        lists = {k: [str(x) for x in d[k]] for k in ("continues", "pronoun_subjects", "same_occasion",
                                                      "not_now", "occasions", "topic_verbs")}
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise CuratedDataError(f"cannot read context_time date words: {exc}", path) from None

    return _Words(
        continues_re=re.compile(rf"\b(?i:{word_alternation(lists['continues'])})\b"),
        # "He ...", "Later, she ...", "And they ...": a pronoun subject opening the sentence
        pronoun_re=re.compile(rf"\W*(?:(?:[Aa]nd|[Bb]ut|[Tt]hen|[Ll]ater|[Aa]fterwards?),?\s+)?(?i:{word_alternation(lists['pronoun_subjects'])})\s"),
        same_re=re.compile(rf"\b(?i:{word_alternation(lists['same_occasion'])})\b"),
        not_now=frozenset(w.lower() for w in lists["not_now"]),
        occasions=frozenset(w.lower() for w in lists["occasions"]),
        topic_verbs=frozenset(w.lower() for w in lists["topic_verbs"]),
        occasion_re=re.compile(rf"\b(?i:{word_alternation(lists['occasions'])})"),
    )


def _month_span(d: dt.date) -> tuple[str, dt.date, dt.date]:
    return f"{d.year:04d}-{d.month:02d}", d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _carried(anchor: DateMention, start: int, tied: bool) -> DateMention | None:
    """The date of a sentence continuing ``anchor``'s: its own where tied to the same occasion, else its month."""
    d = anchor.date_start
    if d is None or anchor.date_precision is None or anchor.date is None:
        return None
    if tied or anchor.date_precision != "day":
        date, lo, hi, prec = anchor.date, anchor.date_start, anchor.date_end, anchor.date_precision
    else:
        date, lo, hi = _month_span(d)
        prec = "month"
    return DateMention(start, start, anchor.date_text, date, lo, hi, prec, relative=True, kind=KIND,
                       resolved_by=CARRIED)


def _lead_day(pub: dt.date, start: int, by_reference: bool) -> DateMention:
    """The report's own day: what its lead tells as now ("X says", "X has warned")."""
    return DateMention(start, start, f"published {pub.isoformat()}", pub.isoformat(), pub, pub, "day", relative=True,
                       kind=KIND, resolved_by=LEAD_NOW if by_reference else LEAD)


def _report_day(pub: dt.date, start: int) -> DateMention:
    """The report's day, for a statement its body tells of its own present."""
    return DateMention(start, start, f"published {pub.isoformat()}", pub.isoformat(), pub, pub, "day", relative=True,
                       kind=KIND, resolved_by=REPORT_DAY)


def _published(pub: dt.date, start: int) -> DateMention | None:
    """The report's own present: its month, or its year when the days before publication cross a month."""
    earliest = pub - dt.timedelta(days=NEWS_DAYS)
    text = f"published {pub.isoformat()}"
    if earliest.month == pub.month:
        date, lo, hi = _month_span(pub)
        return DateMention(start, start, text, date, lo, hi, "month", relative=True, kind=KIND, resolved_by=PUBLISHED)
    if earliest.year == pub.year:
        return DateMention(start, start, text, f"{pub.year:04d}", dt.date(pub.year, 1, 1), dt.date(pub.year, 12, 31),
                           "year", relative=True, kind=KIND, resolved_by=PUBLISHED)
    return None


class ContextDates:
    """Reads the context dates of one source, passage by passage in document order (a paragraph's
    first sentence may continue the last one of the paragraph before)."""

    def __init__(self, text: str, ctx: DateContext, curated_dir: Path, rules: Rules) -> None:
        self.text, self.ctx, self.curated_dir, self.rules = text, ctx, curated_dir, rules
        self.prev: DateMention | None = None  # the date the sentence before tells (its own or carried)
        self.names: set[str] = set()  # the capitalised words of the sentences read so far
        self.before = 0  # where the passage before this one starts

    def read(self, sentences: Sequence[tuple[int, int]], dates: Sequence[DateMention],
             passage: tuple[int, int], lead: bool = False) -> list[DateMention]:
        """A context date for each sentence of the passage that has no date of its own and a trigger
        word (``dates``: the passage's dates, references included; ``lead``: the passage is a report's
        first). The date is zero-width at the sentence's start (after a wire dateline), moved to the word
        naming the occurrence once ``context_trigger`` has found one in the parse."""
        text, ctx = self.text, self.ctx
        words = _words(self.curated_dir)
        refs = _reference_words(self.curated_dir)
        by_sentence: list[list[DateMention]] = [[] for _ in sentences]
        starts = [s for s, _ in sentences]
        for d in dates:
            i = _index(starts, d.char_start)
            if i is not None and d.char_start < sentences[i][1]:
                by_sentence[i].append(d)
        resolved = sorted((d for d in dates if d.resolved and d.date_start is not None and not d.in_list),
                          key=lambda d: d.char_start)
        dl = dateline_end(text[passage[0] : passage[1]])
        out: list[DateMention] = []
        for i, (s, e) in enumerate(sentences):
            # names this sentence is the first to give (a statement by a new speaker is a new telling)
            names = set(_NAME.findall(text, s, e))
            fresh = bool(names - self.names)
            self.names |= names
            own = [d for d in by_sentence[i] if d.resolved and not d.in_list]
            if by_sentence[i]:
                last = ctx.last_dated(e)
                self.prev = last if last is not None and s <= last.char_start < e else (own[0] if own else None)
                continue
            found: DateMention | None = None
            start = passage[0] + dl if dl and s < passage[0] + dl else s
            body = text[start:e]
            if body.lstrip()[:1] in _OPENING_QUOTES:
                self.prev = None
                continue  # a quotation: the speaker's words, not the report's telling
            # "In response to the vote, ...", "on the second anniversary of the fire": timed by an
            # occurrence the source does not date
            by_reference = bool(refs.lead_re.search(body) or refs.alone_re.match(body)
                                or refs.anniversary_re.search(body))
            # a report's lead tells its news: "X vows revenge after the killing of Y" is today's vow
            in_lead = lead and ctx.pub_relative and ctx.published is not None
            hits = [h for h in _triggers(text, start, e, self.rules, ()) if not h.trig.weak] if (
                start < e and (in_lead or not by_reference) and "?" not in body) else []
            if hits:
                if in_lead and ctx.published is not None:
                    # its day where told as now, else (past tense) its month, as any sentence of the
                    # report's own present (``context_trigger`` decides from the parse)
                    found = _lead_day(ctx.published, start, by_reference)
                elif self.prev is not None and (words.pronoun_re.match(body) or words.continues_re.search(body)):
                    found = _carried(self.prev, start, bool(words.same_re.search(body)))
                elif (ctx.pub_relative and ctx.published is not None
                      and _news_paragraph(resolved or self._story(s), s, ctx.published)):
                    found = _published(ctx.published, start)
                if found is not None and not _may_tell(hits, body, found, words, fresh):
                    found = None  # (not worth a parse: no trigger could pass ``context_trigger``)
            if found is not None:
                out.append(found)
            self.prev = found if found is not None and found.resolved_by == CARRIED else None
        self.before = passage[0]
        return out

    def _story(self, s: int) -> list[DateMention]:
        """The date the paragraph just before ends its story at, if any: a paragraph with no date of its
        own goes on from there ("... were killed on January 3, 2020." then "The White House claimed ...")."""
        last = self.ctx.last_dated(s)
        return [last] if last is not None and last.date_start is not None and last.char_start >= self.before else []


def _may_tell(hits: Sequence[_TrigHit], body: str, dm: DateMention, words: _Words, fresh: bool) -> bool:
    """Whether any trigger could pass ``context_trigger``'s word-level rules (a statement's named
    medium or, in a report's own present, a name not given before; a violent act's present perfect in
    a report's own present), checked before parsing."""
    for h in hits:
        if h.trig.type == "statement" and not h.trig.distinct and dm.resolved_by not in (LEAD, LEAD_NOW):
            if words.occasion_re.search(body) or (fresh and dm.resolved_by == PUBLISHED):
                return True
        elif h.trig.type in _VIOLENT and dm.resolved_by in (PUBLISHED, LEAD, LEAD_NOW):
            if _PERFECT.search(body):
                return True
        else:
            return True
    return False


def _index(starts: Sequence[int], pos: int) -> int | None:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1 if lo > 0 else None


def _news_paragraph(resolved: Sequence[DateMention], pos: int, pub: dt.date) -> bool:
    """Whether the paragraph's date nearest ``pos`` (if any) is within a month of publication."""
    if not resolved:
        return True
    near = min(resolved, key=lambda d: abs(d.char_start - pos))
    end = near.date_end or near.date_start
    return end is not None and (pub - end).days <= STALE_DAYS


# --------------------------------------------------------------------------- the parse


def _verb_of(tok: Token) -> Token | None:
    """The verb a trigger word tells through: itself, or the verb a noun hangs on (a few steps up);
    None under a copula ("the attack was a nail in the coffin": what something is, not what happened)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX"):
            return None if cur.lemma_.lower() == "be" else cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _tense(v: Token) -> str | None:
    """past (simple past, active or passive), perfect (has/have + participle), present (simple or
    progressive: "says", "is warning"), or None (anything else)."""
    aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == _MODAL_TAG for a in aux):
        return None
    if v.tag_ in _PRESENT_TAGS and not aux:
        return "present"
    if v.tag_ == "VBG" and len(aux) == 1 and aux[0].lemma_.lower() == "be" and aux[0].tag_ in _PRESENT_TAGS:
        return "present"
    if any(a.lemma_.lower() == "have" for a in aux):
        return "perfect" if all(a.tag_ != "VBD" for a in aux if a.lemma_.lower() == "have") else None
    if v.tag_ == "VBD" and not aux:
        return "past"
    if v.tag_ == "VBN" and aux and aux[-1].tag_ == "VBD" and aux[-1].dep_ == "auxpass":
        return "past"  # "was charged"
    return None


def _now(v: Token, not_now: frozenset[str]) -> bool:
    """Neither ``v`` nor a verb it hangs on is negated, modal, conditional or a description."""
    cur: Token | None = v
    while cur is not None:
        if cur.dep_ in ("relcl", "acl", "amod"):
            return False
        for c in cur.children:
            if c.dep_ == "neg" or (c.dep_ in ("aux", "auxpass") and c.tag_ == _MODAL_TAG):
                return False
            if c.dep_ in ("nsubj", "nsubjpass") and (c.lower_ in ("nobody", "none", "nothing") or any(
                    d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
                return False  # "No one has claimed ..."
            if c.dep_ == "mark" and c.lower_ in not_now:
                return False
        if cur.lower_ in ("will", "would", "could", "might", "may", "should"):
            return False
        cur = None if cur.head.i == cur.i else cur.head
    return True


def _occasion(v: Token, tok: Token, occasions: frozenset[str]) -> bool:
    """Whether a statement names its medium or occasion: the trigger itself ("a statement"), or a word
    of the verb's own arguments ("wrote in a series of tweets", "told reporters"), not of what is said."""
    if tok.lower_ in occasions or tok.lemma_.lower() in occasions:
        return True
    # an object names the medium only when new ("posted a statement", "told reporters"); "criticized the
    # President's remarks" names what is judged
    todo = [(c, 0) for c in v.children if c.dep_ in ("prep", "dative", "agent", "npadvmod", "iobj")
            or (c.dep_ == "dobj" and not _definite(c))]
    while todo:
        t, depth = todo.pop()
        if t.lower_ in occasions or t.lemma_.lower() in occasions:
            return True
        if depth < 3:
            todo.extend((c, depth + 1) for c in t.children if c.dep_ in ("pobj", "prep", "compound", "amod"))
    return False


def _told_occasion(v: Token, occasions: frozenset[str]) -> bool:
    """Whether a statement names its occasion as one already told: a possessive or definite occasion noun in
    a phrase of the verb ("in her address", "at the ceremony"), not an indefinite one ("in a statement")."""
    for prep in (c for c in v.children if c.dep_ == "prep"):
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            if (obj.lower_ in occasions or obj.lemma_.lower() in occasions) and _definite(obj):
                return True
    return False


def _definite(tok: Token) -> bool:
    return any((c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")) or c.dep_ == "poss"
               for c in tok.children)


def _topic(tok: Token, v: Token, topic_verbs: frozenset[str], not_now: frozenset[str]) -> bool:
    """An event noun told as what is judged ("termed the assassination unlawful"), or as a subject
    the story has told before ("The resolution was carried by ...", "The live broadcast showed ...")."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.i == v.i:
        return False
    if v.lemma_.lower() in topic_verbs:
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ in not_now:
        return True  # "just before the election": a time named by another occurrence
    # "both were suicide bombings": a copula's noun says what something told was
    return (tok.dep_ in ("nsubj", "nsubjpass") and _definite(tok)) or tok.dep_ == "attr"


def _known(tok: Token, ctx: DateContext) -> bool:
    """A definite noun naming an occurrence the source dates elsewhere ("the killing", "his assassination")."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    return _definite(tok) and ctx.occurrence(f"the {tok.lower_}", need="month", head=tok.lower_) is not None


def _new_speaker(v: Token, cl: Clauses, text: str) -> bool:
    """Whether the statement's subject names someone the report has not named before ("The Tasnim news
    agency said ..." first time): a new telling; a speaker named before ("Callamard said", "he said") may
    go on with a statement the report has told."""
    for subj in (c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")):
        # a named person, organisation or state ("Veterans groups", a NORP, name no one speaker)
        names = [t for t in subj.subtree if t.pos_ == "PROPN" and t.ent_type_ in _SPEAKER_ENTS and len(t.text) > 2]
        if names and all(text.rfind(t.text, 0, cl.base + subj.left_edge.idx) < 0 for t in names):
            return True
    return False


def context_trigger(cl: Clauses, hits: Sequence[_TrigHit], dm: DateMention, rules: Rules, ctx: DateContext,
                    curated_dir: Path, text: str = "") -> tuple[_TrigHit, DateMention] | None:
    """The occurrence a sentence dated by its context tells (see the module docstring) and its date, or
    None. A sentence of a report's lead takes the report's day where it tells the occurrence as now (a
    statement in the present, anything in the present perfect); told in the simple past it is read as
    any sentence of the report's own present (its month, a violent act not at all)."""
    words = _words(curated_dir)
    not_now = words.not_now
    ok: list[tuple[_TrigHit, DateMention]] = []
    saying = {t.i for h in hits if h.trig.type == "statement" and not h.trig.defer
              and (t := word_token(cl, h.start, h.end)) is not None and t.pos_ in ("VERB", "AUX")}
    for h in hits:
        if h.trig.weak or h.start < dm.char_start:
            continue
        tok = word_token(cl, h.start, h.end)
        v = _verb_of(tok) if tok is not None else None
        if tok is None or v is None or _known(tok, ctx) or _topic(tok, v, words.topic_verbs, not_now):
            continue
        tense = _tense(v)
        if v.dep_ == "conj" and tense is not None and v.head.pos_ in ("VERB", "AUX"):
            # "had been placed ... and detonated": a conjunct shares its head's auxiliaries
            head_aux = [c for c in v.head.children if c.dep_ in ("aux", "auxpass")]
            tense = _tense(v.head) if head_aux else tense
        if tense is None or not _now(v, not_now):
            continue
        date = dm
        if dm.resolved_by in (LEAD, LEAD_NOW):
            now = tense == "perfect" or (tense == "present" and h.trig.type == "statement")
            pub = dm.date_start
            past = pub is not None and tense == "past" and dm.resolved_by == LEAD
            told = dm if now else (_published(pub, dm.char_start) if pub is not None and past else None)
            if told is None:
                continue
            date = told
        elif tense == "present":
            continue  # outside a report's lead the present tells no occurrence of a known time
        if date.resolved_by == PUBLISHED and h.trig.type in _VIOLENT and tense != "perfect":
            continue
        if (h.trig.type == "statement" and not h.trig.distinct and date.resolved_by not in (LEAD, LEAD_NOW)
                and not _occasion(v, tok, words.occasions)
                and not (date.resolved_by == PUBLISHED and text and _new_speaker(v, cl, text))):
            continue  # a claim of responsibility is made once; other statements need their occasion or a new speaker
        if date.resolved_by == PUBLISHED and h.trig.type == "statement" and ctx.published is not None:
            date = _report_day(ctx.published, dm.char_start)  # what a report says was said is said on its day
            story = ctx.last_dated(dm.char_start)
            if (story is not None and story.date_precision == "day" and story.date_start is not None
                    and 0 <= (ctx.published - story.date_start).days <= NEWS_DAYS and _told_occasion(v, words.occasions)):
                # "X, in her address, said": the address of the occasion the story is at, on its day
                date = _carried(story, dm.char_start, True) or date
        if tok.i != v.i and v.i in saying:
            continue  # "condemned the attack": the statement is told, the attack is its topic
        ok.append((h, date))
    # "announced the deployment of troops": the occurrence announced, not the announcing
    return next((hd for hd in ok if not hd[0].trig.defer), ok[0] if ok else None)


def retold(mentions: list[EventMention]) -> list[EventMention]:
    """The tellings of one source with context dates, each linked to the dated telling it tells again
    where there is one: the same type (and trigger group, where one is) dated inside the context
    date's span ("A court has charged four men ..." and "prosecutors indicted four men on July 13"); statements are
    many and alike, so only a distinct one (a claim of responsibility) is linked this way. Two such
    dated tellings on different dates: no link (which one is told is not known)."""
    dated = [(m, m.date.date_start, m.date.date_end) for m in mentions if m.date.kind != KIND and m.group]
    out: list[EventMention] = []
    for m in mentions:
        d, lo, hi = m.date, m.date.date_start, m.date.date_end
        if d.resolved_by in _DAYS and lo is not None:
            lo = lo - dt.timedelta(days=RECENT_DAYS)  # "has charged": a recent act the body may date
        if (d.kind != KIND or (m.event_type == "statement" and not m.distinct) or not m.group
                or lo is None or hi is None):
            out.append(m)
            continue
        same = [t for t, s, e in dated if t.event_type == m.event_type and s is not None and e is not None
                and lo <= s and e <= hi]
        same = [t for t in same if t.group == m.group] or same
        if len({t.date.date for t in same}) != 1:
            out.append(m)
            continue
        told = min(same, key=lambda t: abs(t.char_start - m.char_start))
        out.append(dataclasses.replace(m, date=dataclasses.replace(d, anchor_start=told.date.char_start)))
    return out
