"""Reading dates and times from sentences, with implicit years and relative dates resolved.

What belongs here: finding date expressions in text (``3 January 2020``, ``5January``,
``January 20, 2025``, ``September 2015``, ``In 2022``, ``In mid February``, ``late 2January``,
``the following day``, ``Three days after Trump's remarks``, ``on Monday`` in a news report,
``last February``, ``earlier this month``, times such as ``12:32a.m.``) and resolving each to an
ISO prefix at the precision the text states, with the day span it covers. Words (month names,
number words, relative phrases) live in ``raw/curated/date_words.yaml``, read and compiled into
patterns by ``pipeline/extract/date_patterns.py``.

Resolution rules (a date that cannot be resolved keeps ``date = None``; nothing is guessed):
- implicit years come from the nearest explicit context: earlier dates of the passage, then in a
  dated report its publication date (reports omit the current year; earlier paragraphs are often
  flashbacks), in an article earlier passages of the same section, a year in the section heading,
  dates of the enclosing sections, then the date the lead paragraph gives the article's subject;
  a yearless date after a report's publication is read only when the clause looks ahead ("will",
  "is due to") or the past reading is far off ("on Jan. 20" in a report of 7 January 2021);
- "Jan. 3 last year", "in June last year": the month's year counted from the publication date;
- day/month offsets ("the following day") count from the latest date of the passage (or of
  the paragraph just before, in the same section; for an offset opening its sentence, of the
  last dated one of the few paragraphs before), or from an occurrence the phrase names
  ("the day after the Baghdad airport attack", "three days after the crash") found among dated
  sentences -- earlier ones while reading, any of the source once it is read (``resolve_later``:
  "two days after a US drone strike killed ..." told before the strike is dated); a few days
  from an occurrence known only to its month is that month;
- an offset naming an occurrence not dated yet in a clause that has a date ("voted Sunday, two
  days after a drone strike killed X"), or whose definite subject names an occurrence the story
  has dated ("The vote comes two days after ..."), dates the named one that many units BEFORE
  (after, for "before"); never in a clause looking ahead ("will come two days after");
- weekdays count from the publication date (the most recent such day on or before it, or the
  coming one when the clause looks ahead: "a vote could come as early as Sunday"); in a report with no
  publication date, from the day its lead tells (``lead_day``: the nearest such day); "that Sunday",
  "the following Friday" count from the date the narrative is at; "this month", "last February",
  "three days ago" count from the publication date (dated reports only);
- a bare time ("at 12:47a.m.") takes the day of the latest date (in an article section without
  one, the day of the article's subject); a time just before a date is that date's time.
Not dates of occurrences: ranges (``1980-1988``, ``2019-20``), decades, states ("since 2016",
"since May 2018", "until September 2019" -- unless a when-clause tells what happened then),
durations ("held for 444 days after"), years inside names ("the 2015 nuclear deal", "the 2020
Iranian attack"; but "his 2008 letter" and "a 2022 attack" are read), a date restated in
parentheses in another time zone, a coarse date made precise right after it ("Earlier this
year, in August" is one date), a weekday named by the date next to it ("on Friday, Jan. 3").

Interface (stable):
    DateContext(published_date)            -- per source; tracks anchors as text is read in order
    DateContext.for_source(doc, passages)  -- preferred: also sets the article's subject date
    ctx.begin_passage(section)             -- call before each passage, in document order
    find_dates(text, start, end, ctx) -> list[DateMention]   (optional sentences=[(s, e), ...])
    ctx.resolve_later(mention) -> DateMention | None      -- after the whole source is read
Mentions with ``date is None`` are returned too (relative ones flagged ``relative``); callers
decide whether an unresolved date still makes a row.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.extract.date_patterns import (
    DEFAULT_CURATED,
    _load_words,
    _Patterns,
    _patterns,
    _Words,
    prepare,
    word_alternation,
)
from pipeline.text import sentence_spans

if TYPE_CHECKING:
    from pipeline.corpus import PassageRow, SourceDoc

__all__ = ["DEFAULT_CURATED", "DateContext", "DateMention", "find_dates", "prepare", "word_alternation"]

# How many passages back an offset with no date in its own passage looks for the day the story is at.
STORY_PASSAGES = 4
# "the next day" after an occurrence known to its month: that month (as "days after" is), for a few days.
MONTH_DAYS = 7


@dataclass(frozen=True)
class DateMention:
    char_start: int  # absolute offsets into the source text
    char_end: int
    date_text: str
    date: str | None  # ISO prefix: 2020-01-03 | 2020-01 | 2020; None if unresolved
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str | None  # day | month | year
    time_local: str | None = None  # HH:MM
    relative: bool = False  # computed from another date (offset, weekday, bare time)
    kind: str = "explicit"  # explicit | implicit_year | relative | publication | time
    resolved_by: str | None = None  # where the year/offset came from (passage, section, topic, ...)
    modifier: str | None = None  # early | mid | late | ... as written
    in_list: bool = False  # a later item of a list of years ("in 1991, 1998, and 2003")
    anchor_start: int | None = None  # a telling of an occurrence dated elsewhere: that date's offset

    @property
    def resolved(self) -> bool:
        return self.date is not None


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class _Anchor:
    start: dt.date
    precision: str  # day | month | year
    topical: bool = True  # a year-only date counts as context only when it frames a sentence
    framing: bool = True  # the date opens its sentence ("On 8 January 2020, ...")


@dataclass
class _Passage:
    section: str
    anchors: list[_Anchor] = field(default_factory=list)
    prev_sentence: str = ""
    # indices of the framing anchors, so the latest is found without walking back over the rest
    frames: list[int] = field(default_factory=list)


class DateContext:
    """Per-source reading state: the document anchor and the dates read so far."""

    def __init__(
        self,
        published_date: str | None = None,
        *,
        pub_relative: bool | None = None,
        topic: DateMention | None = None,
        topic_groups: frozenset[str] = frozenset(),
        curated_dir: Path | None = None,
    ):
        self.published_date = published_date
        self.published: dt.date | None = dt.date.fromisoformat(published_date) if published_date else None
        # Weekdays and "this month" count from the publication date only in dated reports.
        self.pub_relative = bool(self.published) if pub_relative is None else pub_relative and bool(self.published)
        self.topic = topic
        self.topic_groups = topic_groups
        self.curated_dir = curated_dir or DEFAULT_CURATED
        self._passage = _Passage(section="")
        # the last few passages, newest last: "The day before, ..." two undated paragraphs after the
        # dated one still counts from the day the story is at
        self._earlier: deque[_Passage] = deque(maxlen=STORY_PASSAGES)
        self._section_last: dict[str, _Anchor] = {}
        self._heading_years: dict[str, int | None] = {}
        # Earlier dated sentences, for "the day after <the Baghdad airport attack>".
        # (date, the words of its sentence naming its occurrence, whether it is the article's subject date,
        # the start of its sentence)
        self._history: list[tuple[DateMention, frozenset[str], bool, int]] = []
        # ids of the history's flashbacks ("..., since the Vincennes incident on 3 July 1988"): named by
        # references, but never the point the story is at
        self._background: set[int] = set()
        # A report with no publication date: the day its lead tells (set by the reader of the lead), from
        # which its weekdays count.
        self.lead_day: dt.date | None = None
        # Offsets from an occurrence not dated yet: (start, end) -> (named occurrence, unit, n).
        self._pending: dict[tuple[int, int], tuple[str, str, int]] = {}

    def resolve_later(self, mention: DateMention) -> DateMention | None:
        """Once the whole source is read: an offset from an occurrence the text dates further on
        ("two days after a US drone strike killed ..." ... "the strike near Baghdad airport early on
        Friday"); None when it still names nothing dated."""
        pending = self._pending.get((mention.char_start, mention.char_end))
        if pending is None:
            return None
        np, unit, n = pending
        words = _load_words(self.curated_dir)
        ref = _resolve_reference(np, self, words, "day" if unit == "day" else "month")
        if ref is None or ref.date_start is None or not ref.date_precision:
            return None
        shifted = _shift(_Anchor(ref.date_start, ref.date_precision), unit, n)
        if shifted is None:
            return None
        y, m, d = shifted
        raw = _Raw(mention.char_start, mention.char_end, "offset", {"mod": mention.modifier})
        return _mention(raw, mention.date_text, y, m, d, kind="relative", by="reference", relative=True,
                        offset=mention.char_start)

    @classmethod
    def anchored_on(cls, mention: DateMention, curated_dir: Path | None = None) -> DateContext:
        """A fresh context whose narrative is at ``mention`` (used by the clause layer to count an
        offset from the occurrence it follows rather than from whatever date was read last)."""
        ctx = cls(None, curated_dir=curated_dir)
        ctx.begin_passage("")
        ctx._add_anchor(mention, True, True)
        return ctx

    def occurrence(self, phrase: str, need: str = "day", before: int | None = None,
                   head: str | None = None) -> DateMention | None:
        """The dated occurrence read so far that ``phrase`` ("the assassination") names, if any;
        ``before``: only occurrences told before that offset; ``head``: the phrase's event word when it
        is not its last ("the assassination of X")."""
        return _resolve_reference(phrase, self, _load_words(self.curated_dir), need, before, head)

    def remember(self, mention: DateMention, phrase: str, sentence: tuple[int, int]) -> None:
        """Record an occurrence dated by reading another ("the first anniversary of the bombing" on a
        dated day dates the bombing), so that later references find it; the words of ``phrase`` then
        name it, no longer the dates of ``sentence`` itself."""
        words = _span_words(phrase)
        hist = self._history
        i = bisect.bisect_right(hist, mention.char_start, key=lambda h: h[0].char_start)
        lo, hi = i, i
        while lo > 0 and hist[lo - 1][0].char_start >= sentence[0]:  # (only the sentence's own few dates)
            lo -= 1
        while hi < len(hist) and hist[hi][0].char_start < sentence[1]:
            hi += 1
        for j in range(lo, hi):
            dm, ws, topic, start = hist[j]
            hist[j] = (dm, ws - words, topic, start)
        hist.insert(i, (mention, words, False, sentence[0]))

    def last_dated(self, before: int) -> DateMention | None:
        """The occurrence the story is at before offset ``before``: the last dated sentence's date (its
        first, when it names another in passing: "..., the worst since 1988"; "On the same day of the
        strike, ... in January 2007": not the flashback)."""
        found: tuple[DateMention, int] | None = None
        for dm, _w, _t, sent in reversed(self._history):
            if dm.char_start >= before or id(dm) in self._background:
                continue
            if found is not None and sent != found[1]:
                break
            found = (dm, sent)
        return found[0] if found else None

    @classmethod
    def for_source(
        cls, doc: SourceDoc, passages: Sequence[PassageRow], curated_dir: Path | None = None
    ) -> DateContext:
        """A context for one source: a dated report (news, or any format with a publication
        date other than an encyclopedia article) reads relative dates from its publication date;
        an article anchors implicit years on the date its lead paragraph gives its subject."""
        curated = curated_dir or DEFAULT_CURATED
        is_news = doc.format != "wikipedia" and doc.published_date is not None
        topic: DateMention | None = None
        groups: frozenset[str] = frozenset()
        if not is_news:
            words = _load_words(curated)
            title_words = {t.lower() for t in re.findall(r"[A-Za-z]+", doc.title)}
            groups = frozenset(g for g, ws in words.ref_groups.items() if ws & title_words)
            topic, is_subject = _subject_date(doc.text, passages, title_words, words, curated)
            if not is_subject:
                groups = frozenset()  # no sentence of the lead tells the subject: "the strike" names nothing
        return cls(
            doc.published_date if is_news else None,
            pub_relative=is_news,
            topic=topic,
            topic_groups=groups,
            curated_dir=curated,
        )

    # ---- passage bookkeeping

    def begin_passage(self, section: str | PassageRow) -> None:
        """Start a new passage (paragraph); dates of earlier passages become section context."""
        name = section if isinstance(section, str) else section.section
        self._close_passage()
        if self._passage.anchors or self._passage.prev_sentence:
            self._earlier.append(self._passage)
        self._passage = _Passage(section=name)

    def _close_passage(self) -> None:
        p = self._passage
        if p.anchors:
            self._section_last[p.section] = p.anchors[-1]

    @property
    def section(self) -> str:
        return self._passage.section

    def _heading_year(self, section: str) -> int | None:
        if section not in self._heading_years:
            found = None
            for part in reversed(section.split(" > ")):
                years = re.findall(r"(?<![\d–—-])(?<!since )(?<!after )(?<!before )(1[5-9]\d\d|2[01]\d\d)(?![\d–—-])", part)
                if len(years) == 1:
                    found = int(years[0])
                    break
            self._heading_years[section] = found
        return self._heading_years[section]

    def _add_anchor(self, m: DateMention, topical: bool, framing: bool) -> None:
        """Record a resolved date as context, unless it is a flashback inside a dated sentence.

        "On 8 January 2020, ... since the Vincennes incident on 3 July 1988. That same day, ...":
        a date more than a year away from the passage's framing date is background and
        anchors nothing.
        """
        if m.date_start is None or m.date_precision is None:
            return
        topical = topical or m.date_precision != "year"
        if not topical:
            return
        p = self._passage
        frame = p.anchors[p.frames[-1]] if p.frames else None
        if not framing and frame is not None and abs((m.date_start - frame.start).days) > 366:
            self._background.add(id(m))  # (kept alive by the history: the id stays its own)
            return
        if framing:
            p.frames.append(len(p.anchors))
        p.anchors.append(_Anchor(m.date_start, m.date_precision, topical, framing))

    def _forget(self, m: DateMention) -> None:
        """Undo what reading ``m`` recorded (a date that turned out to restate the next one)."""
        self._history = [h for h in self._history if h[0] is not m]
        self._background.discard(id(m))
        a = self._passage.anchors
        if a and a[-1].start == m.date_start and a[-1].precision == m.date_precision:
            a.pop()
            if self._passage.frames and self._passage.frames[-1] == len(a):
                self._passage.frames.pop()

    # ---- anchors for resolution

    def year_anchor(self) -> tuple[_Anchor | None, str]:
        """Context for an implicit year: passage, section, heading, enclosing sections, document."""
        if self._passage.anchors:
            return self._passage.anchors[-1], "passage"
        if self.pub_relative and self.published is not None:
            # A report omits the year of dates near its own ("on Jan. 5", "in March"); dates of
            # earlier paragraphs are often flashbacks ("in 2011, ...") and frame nothing.
            return _Anchor(self.published, "day"), "published"
        sec = self.section
        if sec in self._section_last:
            return self._section_last[sec], "section"
        hy = self._heading_year(sec)
        if hy is not None:
            return _Anchor(dt.date(hy, 1, 1), "year"), "heading"
        parts = sec.split(" > ")
        for i in range(len(parts) - 1, 0, -1):
            parent = " > ".join(parts[:i])
            if parent in self._section_last:
                return self._section_last[parent], "section"
        if self.topic is not None and self.topic.date_start is not None:
            return _Anchor(self.topic.date_start, "day"), "topic"
        if self.published is not None:
            return _Anchor(self.published, "day"), "published"
        return None, ""

    def offset_anchor(self, story: bool = False) -> tuple[_Anchor | None, str]:
        """Context for "the following day": the latest date of this passage or the one before; with
        ``story`` (an offset opening its sentence: "The day before, ..."), of the latest of the few
        passages before it in the same section -- undated paragraphs in between (a reaction, a
        quotation) go on with the day the story is at. An offset inside a sentence ("X claimed ...,
        before three days later admitting ...") counts from the occurrence its sentence tells first,
        which an earlier paragraph does not date."""
        if self._passage.anchors:
            return self._passage.anchors[-1], "passage"
        for p in reversed(self._earlier if story else list(self._earlier)[-1:]):
            if p.section != self.section:
                break
            if p.anchors:
                return p.anchors[-1], "previous passage"
        return None, ""


def _subject_date(
    text: str, passages: Sequence[PassageRow], title_words: set[str], words: _Words, curated: Path
) -> tuple[DateMention | None, bool]:
    """The date an article's lead section gives its subject: the first full date of the lead
    whose sentence shares a word with the title ("Assassination of Qasem Soleimani") -- then
    True: the sentence tells the subject itself --, else the first full date of the lead (year
    context only)."""
    paragraphs = [p for p in passages if p.kind == "paragraph"]
    if not paragraphs:
        return None, False
    lead = [p for p in paragraphs if p.section == paragraphs[0].section]
    keys = {w for w in title_words if len(w) > 3} - words.determiners
    probe = DateContext(None, curated_dir=curated)
    first: DateMention | None = None
    for p in lead:
        for s, e in sentence_spans(text, p.char_start, p.char_end, curated):
            for m in find_dates(text, s, e, probe):
                if m.kind != "explicit" or m.date_precision != "day":
                    continue
                if _span_words(text[s:e]) & keys:
                    return m, True
                first = first or m
    return first, False


# --------------------------------------------------------------------------- candidates


@dataclass
class _Raw:
    start: int
    end: int
    kind: str  # dmy mdy my dm md mon season year fixed ref offset pub weekday time
    groups: dict[str, Any]
    np: str = ""  # the occurrence a relative phrase names
    skip: bool = False


# A word, without a possessive ending ("Iran's" is "Iran"; "Mar-a-Lago", "don't" stay whole).
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]*(?:['’](?!s\b)[A-Za-z]+)?(?:['’]s\b)?")
_POSS_RE = re.compile(r"['’]s$")


def _words_of(text: str) -> list[str]:
    """Words as written, a possessive ending dropped ("Iran's" is "Iran")."""
    return [_POSS_RE.sub("", t) if "s" in t[-1:] else t for t in _WORD_RE.findall(text)]


def _span_words(text: str) -> frozenset[str]:
    return frozenset(_words_of(text.lower()))


def _month_num(words: _Words, name: str) -> int:
    return words.months[name.lower().rstrip(".")]


def _extract_np(text: str, pos: int, end: int, pats: _Patterns, breaks: frozenset[str], strict: bool = True) -> str:
    """The noun phrase after "the day after" (up to punctuation, at most 8 words)."""
    # Eight words fit in the window: a long paragraph without punctuation is never scanned to its end.
    window = min(end, pos + _NP_WINDOW)
    m = pats.np_stop.search(text, pos, window)
    stop = m.start() if m else window
    words: list[str] = []
    for w in text[pos:stop].split()[:8]:
        if words and w.lower() in breaks:
            break
        words.append(w)
    if not words:
        return ""
    if not strict:
        return " ".join(words)
    if not re.match(r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[A-Z])", words[0]):
        return ""
    return " ".join(words)


_DIGIT = re.compile(r"\d")
# How far before or after a date the words that qualify it are looked for: a bound keeps each
# look linear in the date, not in the sentence (a run-on paragraph may be one 60 KB sentence).
_NP_WINDOW = 600
_LEAD_WINDOW = 200
_NEXT_WORD = re.compile(r"\s*([A-Za-z]+)")
_PREV_WORD = re.compile(r"([A-Za-z]+)\W*$")
_FRAMING = re.compile(r"\W*(?:[A-Za-z]+\s+)?")
_STATE_LEAD = re.compile(r"\b(?:since|until|till)\s+$", re.I)
_BLANK = re.compile(r"\s*")


def _lead_window(sent_start: int, pos: int) -> int:
    return max(sent_start, pos - _LEAD_WINDOW)


def _scan(text: str, start: int, end: int, words: _Words, pats: _Patterns) -> list[_Raw]:
    cands: list[_Raw] = []
    chunk = text[start:end]
    has_digit = _DIGIT.search(chunk) is not None
    # Substring tests are far cheaper than the patterns; a false hit only costs a regex run.
    has_month = pats.gate_month.search(chunk) is not None
    has_rel = pats.gate_relative.search(chunk) is not None

    def add(m: re.Match[str], kind: str) -> None:
        cands.append(_Raw(m.start(), m.end(), kind, m.groupdict()))

    years = list(pats.year.finditer(text, start, end)) if has_digit else []
    has_year = bool(years)
    if has_month:
        kinds: tuple[str, ...] = ()
        if has_digit:
            kinds += ("dm", "md")
        if has_year:
            kinds += ("dmy", "mdy", "my")
        for kind in kinds:
            for m in getattr(pats, kind).finditer(text, start, end):
                raw = _with_lookback(_Raw(m.start(), m.end(), kind, m.groupdict()), text, start, pats, False)
                cands.append(_with_month_year(raw, text, end, pats) if kind in ("dm", "md") else raw)
        for m in pats.mon.finditer(text, start, end):
            # A month alone is a date only after a preposition ("in March", "last February").
            raw = _with_lookback(_Raw(m.start(), m.end(), "mon", m.groupdict()), text, start, pats, True)
            if raw.groups.get("prep"):
                cands.append(_with_month_year(raw, text, end, pats))
    if has_digit and "-" in chunk:
        for m in pats.iso.finditer(text, start, end):
            add(m, "iso")
    if has_year:
        for m in pats.season.finditer(text, start, end):
            cands.append(_with_lookback(_Raw(m.start(), m.end(), "season", m.groupdict()), text, start, pats, True))
        _scan_years(text, start, end, words, pats, cands, years)
    if "day" in chunk and pats.gate_weekday.search(chunk):
        for m in pats.weekday.finditer(text, start, end):
            add(m, "weekday")
    if has_digit:
        for m in pats.time.finditer(text, start, end):
            add(m, "time")
        for m in pats.time24.finditer(text, start, end):
            cands.append(_Raw(m.start("h"), m.end(), "time", {**m.groupdict(), "ap": None}))
    if has_rel:
        _scan_relative(text, start, end, words, pats, cands)
    # Longest match wins; on equal length the earlier pattern kind (list order above).
    cands.sort(key=lambda r: (r.start, -(r.end - r.start)))
    out: list[_Raw] = []
    last_end = -1
    for r in cands:
        if r.start >= last_end:
            out.append(r)
            last_end = r.end
    return out


def _with_month_year(raw: _Raw, text: str, end: int, pats: _Patterns) -> _Raw:
    """"in June last year", "on Jan. 3 last year": the year phrase belongs to the month."""
    m = pats.month_year.match(text, raw.end, end)
    if m is not None and raw.groups.get("prep", "") not in ("last", "next", "this", "Last", "Next", "This"):
        raw.end = m.end()
        raw.groups = {**raw.groups, "rel_year": m.group("rel")}
    return raw


def _with_lookback(raw: _Raw, text: str, floor: int, pats: _Patterns, prep: bool) -> _Raw:
    """Extend a date core over the modifier (and, if asked, the preposition) written before it."""
    lo = max(floor, raw.start - 40)
    m = (pats.prep_before if prep else pats.mod_before).search(text, lo, raw.start)
    if m is None and prep:
        m = pats.mod_before.search(text, lo, raw.start)
    if m is not None and m.groupdict().get("the") and raw.kind != "season":
        m = None  # "in the 2022 video game": "the" makes the year part of a name
    if m is not None:
        g = m.groupdict()
        raw.groups = {**raw.groups, "mod": g.get("mod"), "prep": g.get("prep")}
        raw.start = m.start("prep") if g.get("prep") else m.start("mod")
    else:
        raw.groups = {**raw.groups, "mod": None, "prep": None}
    return raw


def _indefinite_occurrence(text: str, pos: int, end: int, words: _Words, pats: _Patterns) -> bool:
    """Whether the words after a year ("a 2022 ...") name one occurrence: an event noun, right after it or
    after at most two modifiers, names or curated ("a 2020 US drone strike")."""
    wm = pats.words_after.match(text, pos, end)
    if wm is None:
        return False
    for i, w in enumerate(x.rstrip(".") for x in wm.groups() if x):
        if w in words.indefinite_nouns:
            return True
        if i == 2 or not (w[:1].isupper() or w.lower() in words.indefinite_modifiers):
            return False
    return False


def _scan_years(
    text: str, start: int, end: int, words: _Words, pats: _Patterns, cands: list[_Raw], years: list[re.Match[str]]
) -> None:
    for m in years:
        raw = _with_lookback(_Raw(m.start(), m.end(), "year", m.groupdict()), text, start, pats, True)
        g = raw.groups
        if not g.get("prep") and not g.get("mod"):
            # "his 2008 letter", "during his 2022 visit": a year naming when that act took place.
            pm = pats.poss_before.search(text, max(start, m.start() - 40), m.start())
            nm = pats.noun_after.match(text, m.end(), end)
            if pm and nm and nm.group("noun") in words.poss_nouns and (
                pm.group("poss").lower() in words.possessives or pm.group("poss").endswith(("'s", "’s"))
            ):
                cands.append(_Raw(m.start(), m.end(), "year", {"prep": None, "mod": None, "year": g["year"],
                                                               "poss": True}))
            elif pm and pm.group("poss") in ("a", "an", "A", "An") and _indefinite_occurrence(text, m.end(), end, words,
                                                                                          pats):
                # "a 2022 attack on the Shah Cheragh shrine": one occurrence of that year, no name.
                cands.append(_Raw(m.start(), m.end(), "year", {"prep": None, "mod": None, "year": g["year"],
                                                               "poss": True}))
            continue
        cands.append(raw)
        # "in 1991, 1998, and 2003": each year of the list is a date.
        pos = m.end()
        while True:
            lm = pats.year_list.match(text, pos, end)
            if not lm:
                break
            cands.append(_Raw(lm.start("year"), lm.end(), "year", {"prep": g.get("prep"), "mod": None,
                                                                    "year": lm.group("year"), "list": True}))
            pos = lm.end()


def _scan_relative(text: str, start: int, end: int, words: _Words, pats: _Patterns, cands: list[_Raw]) -> None:
    def add(m: re.Match[str], kind: str) -> None:
        cands.append(_Raw(m.start(), m.end(), kind, m.groupdict()))

    for m in pats.fixed.finditer(text, start, end):
        add(m, "fixed")
    for m in pats.ref.finditer(text, start, end):
        np = _extract_np(text, m.end(), end, pats, words.np_breaks)
        if np:
            cands.append(_Raw(m.start(), m.end() + len(np), "ref", m.groupdict(), np=np))
    for m in pats.offset.finditer(text, start, end):
        lead = text[max(start, m.start() - 30) : m.start()].lower()
        # "the two months before": a span of time; "nearly nine years before": a hedge;
        # "held hostage for 444 days after": a duration.
        if pats.approx_before.search(lead):
            continue
        if pats.duration_before.search(lead):
            continue
        raw = _Raw(m.start(), m.end(), "offset", m.groupdict())
        if m.group("dir").lower() not in ("later", "earlier", "afterward", "afterwards", "ago"):
            # Whatever follows "four years after" is what it counts from ("it happened" resolves
            # to nothing, which leaves the date unresolved rather than guessed).
            after = m.end() < end and text[m.end()] == " "
            np = _extract_np(text, m.end() + 1, end, pats, words.np_breaks, strict=False) if after else ""
            if np:
                raw.np = np
                raw.end = m.end() + 1 + len(np)
        cands.append(raw)
    for m in pats.pub.finditer(text, start, end):
        add(m, "pub")


# --------------------------------------------------------------------------- resolution


def _mention(
    raw: _Raw, text: str, y: int | None, m: int | None, d: int | None, *, kind: str, by: str | None = None,
    relative: bool = False, time: str | None = None, offset: int = 0,
) -> DateMention:
    date_text = text[raw.start - offset : raw.end - offset]
    mod = raw.groups.get("mod")
    if y is None:
        return DateMention(raw.start, raw.end, date_text, None, None, None, None, time, relative, kind, by, mod)
    if m is None:
        return DateMention(raw.start, raw.end, date_text, f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31), "year",
                           time, relative, kind, by, mod)
    if d is None:
        last = calendar.monthrange(y, m)[1]
        return DateMention(raw.start, raw.end, date_text, f"{y:04d}-{m:02d}", dt.date(y, m, 1), dt.date(y, m, last),
                           "month", time, relative, kind, by, mod)
    day = dt.date(y, m, d)
    return DateMention(raw.start, raw.end, date_text, day.isoformat(), day, day, "day", time, relative, kind, by, mod)


def _valid_day(y: int | None, m: int, d: int) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    return d <= (calendar.monthrange(y, m)[1] if y else (29 if m == 2 else 31))


# A yearless date after a report's publication is read as coming only when the past reading is
# this many times further away ("on Jan. 20" in a report of 7 January 2021 is 20 January 2021,
# "in March" in one of 22 September 2020 is March 2020).
FUTURE_PENALTY = 10


def _infer_year(m: int, d: int | None, anchor: _Anchor, ctx: DateContext, future: bool = False) -> int:
    """The year putting (m, d) nearest the anchor; in a dated report, a date after publication
    only when the clause says so ("will", "is due to") or the past reading is far off."""
    if anchor.precision == "year":
        return anchor.start.year
    ref = anchor.start if anchor.precision == "day" else anchor.start.replace(day=15)
    best: list[tuple[int, int, int]] = []  # (distance in days, distance in years, year)
    for y in (ref.year - 1, ref.year, ref.year + 1):
        if d is not None and not _valid_day(y, m, d):
            continue
        cand = dt.date(y, m, d or 15)
        dist = abs((cand - ref).days)
        if ctx.pub_relative and ctx.published is not None and cand > ctx.published and not future:
            dist *= FUTURE_PENALTY
        best.append((dist, abs(y - ref.year), y))
    return min(best)[2] if best else ref.year


def _shift(anchor: _Anchor, unit: str, n: int) -> tuple[int, int | None, int | None] | None:
    """Anchor moved by n units; None when the anchor is coarser than the unit."""
    a = anchor.start
    if unit == "day":
        if anchor.precision == "month" and abs(n) <= MONTH_DAYS:
            return a.year, a.month, None  # a few days from a month-dated occurrence: no finer than its month
        if anchor.precision != "day":
            return None
        nd = a + dt.timedelta(days=n)
        return nd.year, nd.month, nd.day
    if unit == "month":
        if anchor.precision == "year":
            return None
        total = a.year * 12 + (a.month - 1) + n
        return total // 12, total % 12 + 1, None
    return a.year + n, None, None


def _resolve_reference(np: str, ctx: DateContext, words: _Words, need: str, before: int | None = None,
                       head_word: str | None = None) -> DateMention | None:
    """The earlier dated occurrence a phrase like "the Baghdad airport attack" names."""
    toks = _words_of(np)
    content = [t for t in toks if t.lower() not in words.determiners]
    if not content:
        return None
    # "a U.S. airstrike killed X", "the assassination of X": the event word, where the last is none
    head = (head_word or next((t for t in content if any(t.lower() in ws for ws in words.ref_groups.values())),
                              content[-1])).lower()
    groups = {g for g, ws in words.ref_groups.items() if head in ws}
    proper = {t.lower() for t in content if t[0].isupper()}
    plain = {t.lower() for t in content if not t[0].isupper()} - {head}
    best: tuple[float, int, DateMention] | None = None
    best_words: frozenset[str] = frozenset()
    # "the crash", "the appointment": a bare definite noun names the latest occurrence of its kind.
    bare = len(content) == 1 and toks[0].lower() == "the"
    for i, (dm, sent_words, is_topic, _s) in enumerate(ctx._history):
        if need == "day" and dm.date_precision != "day":
            continue
        if before is not None and dm.char_start >= before:
            break  # the history is in text order
        if bare and id(dm) in ctx._background:
            continue  # "the attack": the story's, not one a sentence recalls in passing
        kind = any(words.ref_groups[g] & sent_words for g in groups)
        if groups and not kind:
            continue  # "two days after a drone strike killed X" names a strike: not a vote that names X
        score = 2.0 * len(proper & sent_words) + 1.0 * len(plain & sent_words)
        if kind:
            score += 2.0 if bare else 1.0
        if is_topic and groups & ctx.topic_groups:
            score += 1.5
        if score >= 2.0 and (best is None or (score, i) >= (best[0], best[1])):
            # (``before`` given) two dates of one sentence tie: the occurrence is the one the sentence
            # is dated by, not a date it names in passing ("On 8 January 2020 ... since the 1988 attack")
            if before is not None and best is not None and score == best[0] and sent_words == best_words:
                continue
            best, best_words = (score, i, dm), sent_words
    return best[2] if best else None


def _apply_offset(
    raw: _Raw, text: str, ctx: DateContext, words: _Words, pats: _Patterns, unit: str, n: int,
    sent_start: int,
) -> DateMention:
    """Resolve an offset from a named occurrence (raw.np) or from the latest date told."""
    base: _Anchor | None = None
    by = ""
    if raw.np:
        if raw.np.split()[0].lower() in words.pronouns:
            return _mention(raw, text, None, None, None, kind="relative", relative=True)
        ref = _resolve_reference(raw.np, ctx, words, "day" if unit == "day" else "month")
        if ref is not None and ref.date_start is not None and ref.date_precision:
            base, by = _Anchor(ref.date_start, ref.date_precision), "reference"
        else:
            ctx._pending[(raw.start, raw.end)] = (raw.np, unit, n)
    else:
        base, by = ctx.offset_anchor(story=bool(_FRAMING.fullmatch(text, sent_start, raw.start)))
        if base is None:
            # "Shortly after the attack, ... The following day": the occurrence named at the
            # head of this or the previous sentence.
            for prior in (text[sent_start : min(raw.start, sent_start + _LEAD_WINDOW)], ctx._passage.prev_sentence):
                im = pats.implicit_ref.match(prior)
                if im:
                    ref = _resolve_reference(im.group("np"), ctx, words, "day")
                    if ref is not None and ref.date_start is not None and ref.date_precision:
                        base, by = _Anchor(ref.date_start, ref.date_precision), "reference"
                        break
    if base is None:
        return _mention(raw, text, None, None, None, kind="relative", relative=True)
    shifted = _shift(base, unit, n)
    if shifted is None:
        return _mention(raw, text, None, None, None, kind="relative", relative=True)
    y, m, d = shifted
    return _mention(raw, text, y, m, d, kind="relative", by=by, relative=True)


def _counted_back(pending: DateMention, raw: _Raw, before: list[DateMention], ctx: DateContext, text: str,
                  sent_start: int, pats: _Patterns) -> DateMention | None:
    """"Iraq's parliament voted Sunday ..., two days after a drone strike killed X": the clause has
    its own date, so the offset dates the occurrence it names, that many units earlier (later for
    "before"). Only for an occurrence not dated before this sentence. With no date of its own before
    the offset, the sentence's subject may name an occurrence the story has dated ("The vote comes two
    days after a drone strike killed X": the vote told before, on Sunday) -- never a time to come."""
    dated = [m for m in before if m.resolved and m.date_start is not None and m.date_precision]
    _np, unit, n = ctx._pending[(raw.start, raw.end)]
    own = dated[-1] if dated else _subject_occurrence(text, sent_start, raw.start, ctx, pats, unit)
    if own is None or own.date_start is None or own.date_precision is None:
        return None
    shifted = _shift(_Anchor(own.date_start, own.date_precision), unit, -n)
    if shifted is None:
        return None
    del ctx._pending[(raw.start, raw.end)]
    y, m, d = shifted
    found = _mention(raw, "", y, m, d, kind="relative", by="clause", relative=True)
    return DateMention(**{**found.__dict__, "date_text": pending.date_text})


def _subject_occurrence(text: str, sent_start: int, pos: int, ctx: DateContext, pats: _Patterns,
                        unit: str) -> DateMention | None:
    """The dated occurrence a definite subject opening the sentence names ("The vote comes ...", "The
    blasts ripped ..."), told before the sentence; None in a clause looking ahead ("will come")."""
    m = pats.subject.match(text, sent_start, pos)
    if m is None or _future(text, sent_start, pos, pats):
        return None
    head = m.group("head").lower()
    return ctx.occurrence(f"the {head}", need="day" if unit == "day" else "month", before=sent_start, head=head)


def _time_of(raw: _Raw) -> str:
    h = int(raw.groups["h"])
    mi = int(raw.groups.get("mi") or 0)
    ap = raw.groups.get("ap")
    if ap:
        h = h % 12 + (12 if ap.lower() == "p" else 0)
    return f"{h:02d}:{mi:02d}"


def _resolve(
    raw: _Raw, text: str, ctx: DateContext, words: _Words, pats: _Patterns, sent_start: int, sent_end: int
) -> DateMention | None:
    g = raw.groups
    k = raw.kind
    # "since May 2018" starts a state; "since July 22" (a day) still tells when something began.
    if k == "my" and _state_start(raw, text, pats, sent_start):
        return None
    if k in ("mon", "season", "year") and (g.get("prep") or "").lower() in words.state_preps:
        if not pats.state_when.match(text, raw.end, sent_end):
            return None  # "since 2016" starts a state; "since May 2018, when Trump withdrew" tells one
        g = {**g, "prep": "in"}
    if k == "iso":
        iy, im, iday = int(g["year"]), int(g["month"]), int(g["day"])
        return _mention(raw, text, iy, im, iday, kind="explicit") if _valid_day(iy, im, iday) else None
    if k in ("dmy", "mdy", "my"):
        y, mo = int(g["year"]), _month_num(words, g["mon"])
        d = int(g["day"]) if g.get("day") else None
        if d is not None and not _valid_day(y, mo, d):
            return None
        return _mention(raw, text, y, mo, d, kind="explicit")
    if k in ("dm", "md"):
        mo, d = _month_num(words, g["mon"]), int(g["day"])
        if not _valid_day(None, mo, d):
            return None
        if g.get("rel_year"):
            if not (ctx.pub_relative and ctx.published):
                return _mention(raw, text, None, None, None, kind="publication", relative=True)
            y = ctx.published.year + words.month_year[re.sub(r"\s+", " ", g["rel_year"].lower())]
            if not _valid_day(y, mo, d):
                return None
            return _mention(raw, text, y, mo, d, kind="publication", by="published", relative=True)
        anchor, by = ctx.year_anchor()
        if anchor is None:
            return _mention(raw, text, None, None, None, kind="implicit_year")
        y = _infer_year(mo, d, anchor, ctx, _future(text, sent_start, raw.start, pats))
        if not _valid_day(y, mo, d):
            return None
        return _mention(raw, text, y, mo, d, kind="implicit_year", by=by)
    if k == "mon":
        prep = (g.get("prep") or "").lower()
        if prep in words.state_preps:
            return None
        mo = _month_num(words, g["mon"])
        if prep in ("last", "next", "this"):
            if not (ctx.pub_relative and ctx.published):
                return _mention(raw, text, None, None, None, kind="publication", relative=True)
            p = ctx.published
            if prep == "last":
                y = p.year if mo < p.month else p.year - 1
            elif prep == "next":
                y = p.year if mo > p.month else p.year + 1
            else:
                y = p.year
            return _mention(raw, text, y, mo, None, kind="publication", by="published", relative=True)
        if g.get("rel_year"):
            if not (ctx.pub_relative and ctx.published):
                return _mention(raw, text, None, None, None, kind="publication", relative=True)
            y = ctx.published.year + words.month_year[re.sub(r"\s+", " ", g["rel_year"].lower())]
            return _mention(raw, text, y, mo, None, kind="publication", by="published", relative=True)
        anchor, by = ctx.year_anchor()
        if anchor is None:
            return _mention(raw, text, None, None, None, kind="implicit_year")
        y = _infer_year(mo, None, anchor, ctx, _future(text, sent_start, raw.start, pats))
        return _mention(raw, text, y, mo, None, kind="implicit_year", by=by)
    if k == "season":
        if (g.get("prep") or "").lower() in words.state_preps:
            return None
        return _mention(raw, text, int(g["year"]), None, None, kind="explicit")
    if k == "year" and g.get("list"):
        if (g.get("prep") or "").lower() in words.state_preps:
            return None
        m = _mention(raw, text, int(g["year"]), None, None, kind="explicit")
        return DateMention(**{**m.__dict__, "in_list": True})
    if k == "year":
        prep = (g.get("prep") or "").lower()
        # "since 2016" starts a state; "by 2030" is a deadline: neither dates an occurrence.
        if prep in words.state_preps or prep == "by":
            return None
        if not g.get("list") and not g.get("poss"):
            nxt = _NEXT_WORD.match(text, raw.end, sent_end)
            follower = nxt.group(1) if nxt else ""
            # The year opens its sentence or clause ("..., and in 2017 ISIL fighters attacked").
            opening = _clause_open(text, sent_start, raw.start)
            # "in 2024 presidential election", "from 2024 Donald Trump ...": a year inside a name.
            if follower.lower() in words.year_name_words or (follower[:1].isupper() and not opening):
                return None
        return _mention(raw, text, int(g["year"]), None, None, kind="explicit")
    if k == "fixed":
        unit, n = _fixed_lookup(words, g["phrase"])
        return _apply_offset(raw, text, ctx, words, pats, unit, n, sent_start)
    if k == "ref":
        unit_word = g["unit"].lower()
        unit = "day" if unit_word in ("day", "morning", "evening", "night") else unit_word
        direction = re.sub(r"\s+", " ", g["dir"].lower())
        n = {"of": 0, "after": 1, "following": 1, "before": -1, "prior to": -1}[direction]
        if unit == "week":
            unit, n = "day", 7 * n
        return _apply_offset(raw, text, ctx, words, pats, unit, n, sent_start)
    if k == "offset":
        num = g["num"].lower()
        n = int(num) if num.isdigit() else words.numbers.get(re.sub(r"\s+", " ", num), 0)
        if n <= 0:
            return None
        u = words.units[g["unit"].lower()]
        direction = re.sub(r"\s+", " ", g["dir"].lower())
        if direction == "ago":
            return _ago(raw, text, ctx, n, u)
        sign = -1 if direction in ("before", "earlier", "prior to") else 1
        if u == "m":
            return _apply_offset(raw, text, ctx, words, pats, "month", sign * n, sent_start)
        if u == "y":
            return _apply_offset(raw, text, ctx, words, pats, "year", sign * n, sent_start)
        return _apply_offset(raw, text, ctx, words, pats, "day", sign * n * int(u), sent_start)
    if k == "pub":
        phrase = re.sub(r"\s+", " ", g["phrase"].lower())
        if not (ctx.pub_relative and ctx.published):
            return _mention(raw, text, None, None, None, kind="publication", relative=True)
        p = ctx.published
        if phrase in words.pub_day:
            nd = p + dt.timedelta(days=words.pub_day[phrase])
            return _mention(raw, text, nd.year, nd.month, nd.day, kind="publication", by="published", relative=True)
        if phrase in words.pub_month:
            total = p.year * 12 + p.month - 1 + words.pub_month[phrase]
            return _mention(raw, text, total // 12, total % 12 + 1, None, kind="publication", by="published",
                            relative=True)
        return _mention(raw, text, p.year + words.pub_year[phrase], None, None, kind="publication",
                        by="published", relative=True)
    if k == "weekday":
        prev_word = _PREV_WORD.search(text, _lead_window(sent_start, raw.start), raw.start)
        if not g.get("prep") and prev_word and prev_word.group(1)[0].isupper() and not _PART_OF_DAY.match(
                text, raw.end, sent_end):
            return None  # "Good Friday", "Super Tuesday"; but "told Reuters Monday morning" is a day
        prep = re.sub(r"\s+", " ", (g.get("prep") or "").lower())
        wd = words.weekdays[g["wd"].lower()]
        if prep in _NARRATIVE_WEEKDAY:
            # "that Sunday", "the following Sunday": counted from the day the narrative is at.
            base, by = ctx.offset_anchor()
            if base is None or base.precision != "day":
                return _mention(raw, text, None, None, None, kind="relative", relative=True)
            ahead = (wd - base.start.weekday()) % 7
            if prep in ("the following", "the next"):
                delta = ahead or 7
            elif prep in ("the previous", "the preceding"):
                delta = ahead - 7
            else:
                delta = ahead if ahead <= 3 else ahead - 7
            nd = base.start + dt.timedelta(days=delta)
            return _mention(raw, text, nd.year, nd.month, nd.day, kind="relative", by=by, relative=True)
        if not (ctx.pub_relative and ctx.published):
            # no publication to count from: in a report, the day its lead tells stands in for it ("said on
            # Thursday" after a lead's "on Wednesday, 8 January" is the Thursday nearest that day)
            lead = ctx.lead_day
            if lead is None or prep in ("last", "this past", "next", "this coming"):
                return _mention(raw, text, None, None, None, kind="publication", relative=True)
            ahead = (wd - lead.weekday()) % 7
            nd = lead + dt.timedelta(days=ahead if ahead <= 3 else ahead - 7)
            return _mention(raw, text, nd.year, nd.month, nd.day, kind="relative", by="lead", relative=True)
        p = ctx.published
        if prep not in ("last", "this past") and _future(text, sent_start, raw.start, pats):
            # "a vote could come as early as Sunday": the coming one.
            nd = p + dt.timedelta(days=(wd - p.weekday()) % 7)
            return _mention(raw, text, nd.year, nd.month, nd.day, kind="publication", by="published", relative=True)
        back = (p.weekday() - wd) % 7
        if prep == "last" and back == 0:
            back = 7
        nd = p - dt.timedelta(days=back)
        return _mention(raw, text, nd.year, nd.month, nd.day, kind="publication", by="published", relative=True)
    if k == "time":
        base, by = ctx.offset_anchor()
        if base is None and not ctx.pub_relative:
            # "The first explosion occurred at 15:04" in a section of an article about that day.
            topic, topic_by = ctx.year_anchor()
            if topic is not None and topic_by == "topic" and topic.precision == "day":
                base, by = topic, topic_by
        if base is None:
            # "The attacks at 1:20 a.m. came after ...": the day of the occurrence its subject names
            told = _subject_occurrence(text, sent_start, raw.start, ctx, pats, "day")
            if told is not None and told.date_start is not None and told.date_precision == "day":
                base, by = _Anchor(told.date_start, "day"), "reference"
        t = _time_of(raw)
        if base is None or base.precision != "day":
            return _mention(raw, text, None, None, None, kind="time", relative=True, time=t)
        return _mention(raw, text, base.start.year, base.start.month, base.start.day, kind="time", by=by,
                        relative=True, time=t)
    return None


_TIME_BEFORE_DATE = re.compile(r"\s*(?:local\s+time|[A-Z]{2,5}|\([^()]{0,40}\))?\s*,?\s*")
_PART_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night)\b")
_NARRATIVE_WEEKDAY = frozenset({"that", "the following", "the next", "the previous", "the preceding"})
_CLAUSE_OPEN = re.compile(r"(?:[,;:—(]|\b(?:and|but|while|then|as)\b)\W*(?:[A-Za-z]+\s+)?$")


def _clause_open(text: str, sent_start: int, pos: int) -> bool:
    """Whether ``pos`` opens its sentence or a clause (at most a word after the opening)."""
    return bool(_FRAMING.fullmatch(text, sent_start, pos)
                or _CLAUSE_OPEN.search(text, _lead_window(sent_start, pos), pos))


def _state_start(raw: _Raw, text: str, pats: _Patterns, sent_start: int) -> bool:
    """"since 3 January 2020", "until September 2019": the start or end of a state, unless a
    when-clause tells what happened then ("until September 2019, when he was ousted")."""
    lead = text[max(sent_start, raw.start - 12) : raw.start]
    return bool(pats.state_before.search(lead)) and not pats.state_when.match(text, raw.end)


def _future(text: str, sent_start: int, pos: int, pats: _Patterns) -> bool:
    """Whether the clause before ``pos`` puts its date after the publication ("will", "as early as")."""
    lo = max(sent_start, pos - 100)
    cut = max(text.rfind(",", lo, pos), text.rfind(";", lo, pos))
    return pats.future.search(text, cut + 1 if cut >= 0 else lo, pos) is not None


def _ago(raw: _Raw, text: str, ctx: DateContext, n: int, unit: Any) -> DateMention:
    """"three days ago" in a dated report: counted back from the publication date."""
    if not (ctx.pub_relative and ctx.published):
        return _mention(raw, text, None, None, None, kind="publication", relative=True)
    base = _Anchor(ctx.published, "day")
    if unit == "m":
        shifted = _shift(base, "month", -n)
    elif unit == "y":
        shifted = _shift(base, "year", -n)
    else:
        shifted = _shift(base, "day", -n * int(unit))
    assert shifted is not None
    y, m, d = shifted
    return _mention(raw, text, y, m, d, kind="publication", by="published", relative=True)


def _fixed_lookup(words: _Words, phrase: str) -> tuple[str, int]:
    return words.fixed[re.sub(r"\s+", " ", phrase.lower())]


def _adjacent_to_explicit(raw: _Raw, raws: list[_Raw], i: int, text: str) -> bool:
    """"On 8 January 2020, five days after the airstrike": an aside to an explicit date."""
    explicit = ("dmy", "mdy", "my", "dm", "md")
    if i > 0 and raws[i - 1].kind in explicit and re.fullmatch(r",\s*", text[raws[i - 1].end : raw.start]):
        return True
    return i + 1 < len(raws) and raws[i + 1].kind in explicit and bool(
        re.fullmatch(r",\s*(?:on|in)?\s*", text[raw.end : raws[i + 1].start], flags=re.I)
    )


def _refines(coarse: DateMention, fine: DateMention) -> bool:
    """Whether ``fine`` is a finer date inside ``coarse`` (both resolved)."""
    if not (coarse.date_start and coarse.date_end and fine.date_start and fine.date_end):
        return False
    order = {"day": 0, "month": 1, "year": 2}
    return (order[fine.date_precision or "year"] < order[coarse.date_precision or "year"]
            and coarse.date_start <= fine.date_start and fine.date_end <= coarse.date_end)


class _NamedWords:
    """The words of the occurrences a sentence's offsets name ("two days after a drone strike"),
    counted once per sentence: the words named by every offset but one are then a set difference,
    not a walk over all the sentence's dates for each date (a run-on paragraph has hundreds)."""

    def __init__(self, raws: Sequence[_Raw]):
        self.own = {id(r): _span_words(r.np) for r in raws if r.np}
        self.count: Counter[str] = Counter(w for ws in self.own.values() for w in ws)
        self.all = frozenset(self.count)

    def except_of(self, raw: _Raw) -> frozenset[str]:
        mine = self.own.get(id(raw))
        if not mine:
            return self.all
        return frozenset(w for w in self.all if self.count[w] > 1 or w not in mine)


def find_dates(
    text: str, start: int, end: int, ctx: DateContext, *, sentences: Sequence[tuple[int, int]] | None = None
) -> list[DateMention]:
    """Dates of text[start:end], in order, resolved with (and recorded into) ``ctx``.

    Call in document order; call ``ctx.begin_passage`` before each passage. ``sentences``
    (the sentence spans of text[start:end]) may be passed when the caller has them already.
    """
    words = _load_words(ctx.curated_dir)
    pats = _patterns(ctx.curated_dir)
    out: list[DateMention] = []
    spans = sentences if sentences is not None else sentence_spans(text, start, end, ctx.curated_dir)
    for s, e in spans:
        raws = _scan(text, s, e, words, pats)
        sent_words: frozenset[str] | None = None
        named: _NamedWords | None = None
        mentions: list[DateMention] = []
        carried_time: str | None = None
        kinds: list[str] = []  # the pattern kind of each mention
        for i, raw in enumerate(raws):
            if raw.kind in ("fixed", "ref", "offset") and _adjacent_to_explicit(raw, raws, i, text):
                continue
            # "at about 1:30am local time on Wednesday": the time of the date told right after it.
            if raw.kind == "time" and i + 1 < len(raws) and raws[i + 1].kind != "time" and _TIME_BEFORE_DATE.fullmatch(
                text, raw.end, raws[i + 1].start
            ):
                carried_time = _time_of(raw)
                continue
            if i > 0 and pats.restated.fullmatch(text, raws[i - 1].end, raw.start):
                continue  # "on Wednesday (22:30 GMT on Tuesday)": the same moment in another zone
            # "between 1:45am and 2:15am": one time, the range's start.
            if raw.kind == "time" and i > 0 and raws[i - 1].kind == "time" and re.fullmatch(
                r"\s*(?:and|to|until|till|[–—-])\s*", text[raws[i - 1].end : raw.start]
            ):
                continue
            # "On 3 January 2020, at 12:32a.m.": the time of the date just told.
            if raw.kind == "time" and mentions and mentions[-1].time_local is None and re.fullmatch(
                r",?\s*(?:at|about|around)?\s*", text[mentions[-1].char_end : raw.start], flags=re.I
            ):
                mentions[-1] = DateMention(**{**mentions[-1].__dict__, "time_local": _time_of(raw)})
                continue
            dm = _resolve(raw, text, ctx, words, pats, s, e)
            if dm is None:
                continue
            if not dm.resolved and raw.np and (raw.start, raw.end) in ctx._pending:
                dm = _counted_back(dm, raw, mentions, ctx, text, s, pats) or dm
            if mentions and pats.apposition.fullmatch(text, mentions[-1].char_end, dm.char_start) and (
                _refines(mentions[-1], dm)
                # "on Friday, Jan. 3": the weekday names the date written next to it.
                or (kinds[-1] == "weekday" and raw.kind in ("dmy", "mdy", "dm", "md", "iso") and dm.resolved)
            ):
                ctx._forget(mentions.pop())  # "Earlier this year, in August, ...": one date, the finer one
                kinds.pop()
            if carried_time is not None:
                if dm.time_local is None and dm.date_precision == "day":
                    dm = DateMention(**{**dm.__dict__, "time_local": carried_time})
                carried_time = None
            mentions.append(dm)
            kinds.append(raw.kind)
            if dm.resolved:
                framing = bool(_FRAMING.fullmatch(text, s, raw.start))
                topical = raw.kind != "year" or bool(_BLANK.fullmatch(text, s, raw.start))
                # "since July 22" starts a state; it is no point of the narrative.
                if not _STATE_LEAD.search(text, _lead_window(s, raw.start), raw.start):
                    ctx._add_anchor(dm, topical, framing)
                is_topic = ctx.topic is not None and ctx.topic.char_start == dm.char_start
                if dm.date_precision in ("day", "month"):
                    if sent_words is None:
                        sent_words = _span_words(text[s:e])
                    # "The day after the Baghdad airport attack, ...": the words naming another
                    # occurrence do not describe this one.
                    own = sent_words - _span_words(dm.date_text) if dm.resolved_by == "reference" else sent_words
                    # "Parliament voted Sunday, two days after a drone strike killed ...": the
                    # occurrence an offset names is not the one this date is of.
                    named = named or _NamedWords(raws)
                    own = own - named.except_of(raw)
                    ctx._history.append((dm, own, is_topic, s))
        out.extend(mentions)
        ctx._passage.prev_sentence = text[s:e]
    return out
