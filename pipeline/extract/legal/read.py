"""Reading legal positions out of one source, sentence by sentence, on the clause layer.

What belongs here: which sentences are read and parsed (``parse_candidates``: a stance cue or a
legal basis, and the earlier sentences whose speakers a quotation may need), and for each cue
sentence the positions it states: holders from ``legal.holders`` (the clause layer's attribution),
stance from ``legal.cues`` (with the layer's negation), legal bases, and the subject (what is
judged). Rows are made in ``pipeline.extract.legal``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from pipeline.corpus import PassageRow, SourceDoc
from pipeline.extract.clauses import Clauses, SourceReader, load_lexicon, read_sentence
from pipeline.extract.clauses.frames import hedge_of
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityIndex
from pipeline.extract.legal.cues import (
    Cue,
    _flip,
    find_bases,
    find_cues,
    negated_in_parse,
    subject_of,
    unbracketed,
)
from pipeline.extract.legal.holders import Holder, HolderTyper, cue_holders, instrument_owner, speakers
from pipeline.extract.legal.subjects import judged_act, paragraph_subject
from pipeline.extract.legal.tellings import without_restatements
from pipeline.extract.legal.vocab import LegalVocab, load_legal_vocab
from pipeline.extract.sentences import (
    Parser,
    Sentence,
    SentenceView,
    align_mentions,
    first_date,
    load_yaml,
    passage_sentences,
    sentence_dates,
    skipped_passage,
    span_text,
    token_at,
)

_OPEN_Q = "“"
_CLOSE_Q = "”"


_QUOTE_MARK = re.compile(r"[“”\"]")


class _QuoteReader:
    """Whether positions of one paragraph lie inside an open double quotation.

    Positions asked in increasing order continue from the last one, so reading every sentence of a
    long paragraph is one pass over it, not one pass per sentence (an earlier position restarts)."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.curly = False
        self.straight = False
        self.opened = -1  # offset of the mark that opened the quotation still open (-1: none)

    def inside(self, upto: int) -> bool:
        if upto < self.pos:
            self.pos, self.curly, self.straight, self.opened = 0, False, False, -1
        for m in _QUOTE_MARK.finditer(self.text, self.pos, max(self.pos, upto)):
            ch = m.group()
            was_open = self.curly or self.straight
            if ch == _OPEN_Q:
                self.curly = True
            elif ch == _CLOSE_Q:
                self.curly = False
            else:
                self.straight = not self.straight
            if not was_open and (self.curly or self.straight):
                self.opened = m.start()
        self.pos = max(self.pos, upto)
        return self.curly or self.straight

    def introduced(self) -> bool:
        """Whether the open quotation is introduced as someone's words: it opens its paragraph or a
        sentence, or follows a colon or a comma ('X said: "...'); a quotation opened inside the
        writer's own clause ('Red Notices are requests that "are issued for ...') cites words whose
        speaker the writer does not name."""
        before = self.text[: max(self.opened, 0)].rstrip()
        return not before or before[-1] in ".!?:,;" or before.endswith(("\u2014", "--"))


def _inside_quote(text: str, upto: int) -> bool:
    """Whether position ``upto`` of a paragraph lies inside an open double quotation."""
    return _QuoteReader(text).inside(upto)


@dataclass
class _Position:
    holder: Holder
    stance: str
    cues: list[Cue]
    bases: list[str]
    subject: str
    sent: Sentence
    date: DateMention | None
    section: str
    ordinal: int
    rejecting: bool = False


def _sentences_to_read(doc: SourceDoc, passages: Iterable[PassageRow], curated_dir: Path
                       ) -> tuple[list[tuple[PassageRow, list[Sentence]]], set[tuple[int, int]], list[Sentence]]:
    """A source's passages with their sentences, the sentences with a legal cue, and the sentences to
    parse (those with a cue, and the earlier ones whose speakers a cue sentence may need)."""
    vocab = load_legal_vocab(curated_dir)
    skip_sections = load_yaml(curated_dir / "plot_cues.yaml").get("skip_sections", [])
    ordered = sorted((p for p in passages if p.source_id == doc.source_id), key=lambda p: p.ordinal)
    per_passage = [(p, passage_sentences(doc, p, curated_dir)) for p in ordered]
    read = [(p, ss) for p, ss in per_passage if not skipped_passage(p, skip_sections, ["infobox"])]
    cue_at = {(s.start, s.end) for _, ss in read for s in ss if vocab.any_cue.search(unbracketed(s.text)[0])}
    memo = _speaker_sentences(read, cue_at)
    wanted = cue_at | memo
    for p, ss in read:
        quotes = _QuoteReader(p.text)
        for x in ss:
            if (x.start, x.end) in cue_at and (quotes.inside(x.start - p.char_start) or x.text[:1] in ('"', "“")):
                close = _closing_sentence(p, ss, x)
                if close is not None:
                    wanted.add((close.start, close.end))
    return per_passage, cue_at, [s for _, ss in read for s in ss if (s.start, s.end) in wanted]


_CLOSE_MARK = re.compile(r"[”\"]")


def _closing_sentence(p: PassageRow, ss: list[Sentence], s: Sentence) -> Sentence | None:
    """The later sentence of the paragraph where the quotation ``s`` lies in closes as '..., " X said':
    the closing mark follows a comma, question or exclamation mark, so its speaker is named right after
    it. None when the quotation closes in ``s`` itself, or closes as a sentence of its own."""
    start = s.start - p.char_start + (1 if s.text[:1] in ('"', "“") else 0)
    m = _CLOSE_MARK.search(p.text, start)
    if m is None or p.char_start + m.start() < s.end or p.text[max(m.start() - 1, 0)] not in ",?!":
        return None
    at = p.char_start + m.start()
    return next((x for x in ss if x.start <= at < x.end), None)


def parse_candidates(doc: SourceDoc, passages: Iterable[PassageRow], curated_dir: Path) -> list[Sentence]:
    """The sentences of one source that ``positions_of_source`` will parse (per-source step)."""
    return _sentences_to_read(doc, passages, curated_dir)[2]


def positions_of_source(
    doc: SourceDoc,
    passages: list[PassageRow],
    index: EntityIndex,
    curated_dir: Path,
    parser: Parser,
    report: list[str],
) -> list[_Position]:
    """Legal positions stated in one source (no cross-source work)."""
    vocab = load_legal_vocab(curated_dir)
    typer = HolderTyper(vocab, person_types(doc, index, vocab), index.state_of)
    reader = SourceReader(doc.source_id, curated_dir)
    skip_sections = load_yaml(curated_dir / "plot_cues.yaml").get("skip_sections", [])
    out: list[_Position] = []
    per_passage, cue_at, to_parse = _sentences_to_read(doc, passages, curated_dir)
    dates = sentence_dates(doc, [s for _, ss in per_passage for s in ss])
    wanted = {(s.start, s.end) for s in to_parse}
    parser.prefetch(to_parse)
    prev_section = None
    last_reporter: Holder | None = None
    for p, sents in per_passage:
        if skipped_passage(p, skip_sections, ["infobox"]):
            continue
        # pronouns reach back one paragraph within a section, never further
        same_section = p.section == prev_section
        reader.new_paragraph(carry=same_section)
        prev_section = p.section
        quotes = _QuoteReader(p.text)
        para_speakers: list[Holder] = []
        reported: list[tuple[int, int]] = []  # sentences of the paragraph that name a speaker
        # a quotation with no attribution of its own continues the last attributed speaker, also from the
        # paragraph before ("..., Callamard writes." then a paragraph that is all quotation)
        last_reporter = last_reporter if same_section else None
        for s in sents:
            if (s.start, s.end) not in wanted:
                continue
            sdoc = parser(s)
            sv = SentenceView(s, sdoc, align_mentions(sdoc, s, index))
            typer.prior = last_reporter
            cl = reader.read(sdoc, s.start, index.in_span(s.source_id, s.start, s.end))
            if (s.start, s.end) in cue_at:
                # inside a quotation opened earlier, or a new quotation after '"...," X said.'
                in_quote = quotes.inside(s.start - p.char_start) or s.text[:1] in ('"', "“")
                quote_speaker = (last_reporter or (para_speakers[-1] if para_speakers else None)) if in_quote else None
                opener = p.char_start + quotes.opened
                if s.text[:1] not in ('"', "“") and not quotes.introduced() and not any(
                        a <= opener < b for a, b in reported):
                    # a citation inside the writer's own clause, in a sentence naming no speaker: nobody we
                    # can name says it
                    quote_speaker = None
                close = _closing_sentence(p, sents, s) if in_quote else None
                if close is not None and (close.start, close.end) in wanted:
                    # '"A. B," X said.': the speaker named where the quotation closes, not the one before it
                    cdoc = parser(close)
                    csv = SentenceView(close, cdoc, align_mentions(cdoc, close, index))
                    named = speakers(read_sentence(cdoc, close.start, index.in_span(s.source_id, close.start,
                                                                                   close.end)), csv, typer)[1]
                    quote_speaker = named or quote_speaker
                found = _positions_of_sentence(cl, sv, vocab, typer, quote_speaker, para_speakers, out, report)
                for pos in found:
                    pos.date = first_date(dates.get((s.start, s.end), []))
                    pos.section = p.section
                    pos.ordinal = p.ordinal
                out.extend(found)
            # remember who speaks, for a quotation in a later sentence
            sp, reporter = speakers(cl, sv, typer)
            para_speakers.extend(sp)
            last_reporter = reporter or last_reporter
            if reporter is not None:
                reported.append((s.start, s.end))
    return without_restatements(out, report)


_LATER_REFERENCE = re.compile(r"\b(he|she|it|they|his|her|its|their)\b|^[\"“]", re.IGNORECASE)


def _speaker_sentences(read: list[tuple[PassageRow, list[Sentence]]], cue_at: set[tuple[int, int]]
                       ) -> set[tuple[int, int]]:
    """Sentences without a cue whose speakers a later cue sentence may need: before a cue sentence of the
    same paragraph, or of the next paragraph of the section, that lies in a quotation or uses a pronoun
    (parsing only these keeps the parse, the costly part, to what can matter)."""
    out: set[tuple[int, int]] = set()
    readers: dict[str, _QuoteReader] = {}

    def refers_back(p: PassageRow, s: Sentence) -> bool:
        quotes = readers.setdefault(p.passage_id, _QuoteReader(p.text))
        return (s.start, s.end) in cue_at and bool(
            _LATER_REFERENCE.search(s.text) or quotes.inside(s.start - p.char_start))

    for k, (p, ss) in enumerate(read):
        later = [s for s in ss if refers_back(p, s)]
        if k + 1 < len(read) and read[k + 1][0].section == p.section:
            later += [s for s in read[k + 1][1] if refers_back(read[k + 1][0], s)]
        if not later:
            continue
        last = max(s.start for s in later)
        for s in ss:
            if (s.start, s.end) not in cue_at and s.start < last and (
                    re.search(r"[\"“]", s.text) or _LATER_REFERENCE.search(
                        ss[s.index + 1].text if s.index + 1 < len(ss) else "")
                    or s.index + 1 == len(ss)):
                out.add((s.start, s.end))
    return out


def person_types(doc: SourceDoc, index: EntityIndex, vocab: LegalVocab) -> dict[str, str]:
    """holder_type of each person whose title, somewhere in the source, makes them hold positions as a
    legislature or court ("Sen. Tim Kaine, D-Va." ... "Kaine argued")."""
    votes: dict[str, Counter[str]] = {}
    text = doc.text
    for m in index.in_span(doc.source_id, 0, len(text), "person"):
        before = text[max(0, m.char_start - 40) : m.char_start]
        # the title runs up to the name within its clause ("Sen." is no sentence end, "lawmakers." is)
        before = re.split(r"[,;:!?\n]|(?<=[a-z]{3})\.\s", before)[-1]
        after = text[m.char_end : m.char_end + 12]
        tail = before.rstrip()
        for htype, rx in vocab.title_types:
            if htype == "government":
                continue  # a named envoy speaks as a person
            # the title must end within a word of the name ("Sen. Tim Kaine", "House Speaker Nancy Pelosi")
            # (the one word between may only be a given name: "Sen. Tim Kaine"; "the prosecutor accused Trump"
            # gives Trump no title)
            if any(len(tail) - t.end() <= 1 or (" " not in tail[t.end():].strip() and tail[t.end():].strip()[:1].isupper())
                   for t in rx.finditer(tail)):
                votes.setdefault(m.entity_id, Counter())[htype] += 1
                break
        else:
            for htype, rx in vocab.title_after:
                if rx.match(after):
                    votes.setdefault(m.entity_id, Counter())[htype] += 1
                    break
    return {pid: c.most_common(1)[0][0] for pid, c in votes.items()}


def _positions_of_sentence(
    cl: Clauses,
    sv: SentenceView,
    vocab: LegalVocab,
    typer: HolderTyper,
    quote_speaker: Holder | None,
    para_speakers: list[Holder],
    earlier: list[_Position],
    report: list[str],
) -> list[_Position]:
    text = sv.sent.text
    # a cue or basis inside a speaker's own title ("the UN rapporteur on extrajudicial executions said")
    # names who speaks, not what is judged
    # and one naming what a legislative measure limits or is named after ("sought to restrict his ability to
    # wage war without congressional consent", "introduced a war powers resolution") is its matter
    # and one in a reporter's caveat on an attribution ("X said the strike was lawful, but offered no evidence")
    # is the reporter's, whom no row names
    cues = [c for c in find_cues(text, vocab) if not _in_source_title(cl, c.start)
            and not _matter_of_measure(cl, c.start, vocab) and not _in_caveat(cl, c.start)
            and (c.group < 0 or not vocab.groups[c.group].predicative or _said_of_act(cl, c, vocab))]
    bases = [b for b in find_bases(text, vocab) if not _in_source_title(cl, b[1])
             and not _matter_of_measure(cl, b[1], vocab)]
    strong_bases = [b for b in bases if b[0] not in vocab.weak_bases]
    if not cues and not strong_bases:
        return []
    by_holder: dict[str, tuple[Holder, list[Cue], list[str], list[Token]]] = {}
    frames = {f.head: f for f in cl.frames}

    # subjects faulted by a cue ("the administration failed to show ..."): no cue inside that clause is theirs
    faulted: list[tuple[Token, Token]] = []  # (the faulting clause's verb, its subject)
    for cue in cues:
        if cue.group >= 0 and vocab.groups[cue.group].faults_subject:
            ctok = token_at(sv.doc, cue.start)
            own = next((t for t in (ctok, *ctok.ancestors) if t.i in frames and t.pos_ in ("VERB", "AUX")), None
                       ) if ctok is not None else None
            agents = frames[own.i].fillers("agent") if own is not None else []
            if own is not None and agents:
                faulted.append((own, sv.doc[agents[0].actor.head]))

    def holders_at(start: int, owner_ok: bool) -> tuple[list[Holder], list[Token]]:
        tok = token_at(sv.doc, start)
        if tok is None:
            return [], []
        above = {tok.i, *(t.i for t in tok.ancestors)}
        fault = next((subj for own, subj in faulted if own.i in above), None)
        hs, verb = cue_holders(cl, sv, tok, vocab, typer, fault, quote_speaker)
        if hs:
            return hs, [verb] if verb is not None else []
        if quote_speaker is not None:
            return [quote_speaker], []  # inside a quotation: its speaker
        # "Interpol constitution forbids it ...": only for a stance cue, never a bare basis
        return (instrument_owner(cl, sv, tok, vocab) if owner_ok else []), []

    for cue in cues:
        hs, verbs = holders_at(cue.start, True)
        if cue.group >= 0 and _no_position(sv, cue, verbs[0] if verbs else None, vocab):
            report.append(f"legal: no position taken on {text[cue.start:cue.end]!r} in {sv.sent.passage.passage_id}")
            continue
        g = vocab.groups[cue.group] if cue.group >= 0 else None
        if g is not None and not cue.negated and (g.negatable or g.weak) and negated_in_parse(
                cl, cue, verbs[0] if verbs else None, vocab):
            cue.negated = True
            cue.stance = _flip(cue.stance) if g.negatable else "questioned"
        if cue.stance in ("lawful", "unlawful") and not cue.negated and _hedged(cl, cue, verbs[0] if verbs else None):
            cue.stance = "questioned"  # "could only be justified as a response to ...", "lawful if ..."
        if verbs and verbs[0].lemma_.lower() in vocab.denial_verbs and cue.stance in ("lawful", "unlawful"):
            cue_tok = token_at(sv.doc, cue.start)
            if cue_tok is not None and cue_tok.i != verbs[0].i and verbs[0] in cue_tok.ancestors:
                # "denied that the strike breached any law": the holder says the opposite
                cue.stance = "lawful" if cue.stance == "unlawful" else "unlawful"
                cue.negated = not cue.negated
        if not hs:
            report.append(f"legal: no holder for cue {text[cue.start:cue.end]!r} in {sv.sent.passage.passage_id}")
            continue
        for h in hs:
            entry = by_holder.setdefault(h.key, (h, [], [], []))
            entry[1].append(cue)
            entry[3].extend(verbs)
    for bid, bs, _be in bases:
        hs, verbs = holders_at(bs, False)
        if not hs and len(by_holder) == 1:
            only = next(iter(by_holder.values()))
            only[2].append(bid)
            continue
        for h in hs:
            if h.key not in by_holder and bid in vocab.weak_bases:
                continue
            entry = by_holder.setdefault(h.key, (h, [], [], []))
            entry[2].append(bid)
            entry[3].extend(verbs)

    out: list[_Position] = []
    for holder, hcues, hbases, verbs in by_holder.values():
        clause = _clause_text(sv, verbs) or text
        subject, skip = subject_of(clause, vocab)
        if subject is None:
            subject = judged_act(cl, hcues, vocab)
        if subject is None:
            subject, skip = subject_of(text, vocab)
        if skip:
            report.append(f"legal: not a position on the strike ({subject}) in {sv.sent.passage.passage_id}")
            continue
        stance, weak = _stance(hcues, vocab)
        if stance is not None and subject is not None and subject != vocab.default_subject and all(
                vocab.groups[c.group].measure for c in hcues if c.group >= 0):
            stance = "other"  # a measure answered ("responded to the arrest warrants"): judged, not taken
        rejecting = False
        if stance is None and any(c.group == -1 for c in hcues):
            # the position rejected is the last lawful/unlawful one stated by someone else (not itself a
            # rejection): "Interpol said it would not consider it" between them changes nothing
            prev = next(
                (e for e in reversed(earlier)
                 if e.sent.passage.section == sv.sent.passage.section and not e.rejecting
                 and e.holder.key != holder.key and e.stance in ("lawful", "unlawful")),
                None,
            )
            if prev is not None and prev.stance in ("lawful", "unlawful"):
                stance = "lawful" if prev.stance == "unlawful" else "unlawful"
                subject = subject or prev.subject
                rejecting = True
        names_subject = subject is not None or bool(vocab.default_subject_re.search(clause))
        if not names_subject and stance is not None:
            # "Esper said the military would follow the laws of armed conflict" in a paragraph about
            # cultural sites: the paragraph says what the position is about (for a weak cue, only
            # a named subject group: "self-defense" alone next to "the strike" is no position)
            subject = paragraph_subject(sv.sent.passage.text, vocab)
            names_subject = subject is not None or (
                not weak and bool(vocab.default_subject_re.search(sv.sent.passage.text)))
        if stance is None:
            # a strong legal basis invoked about a named subject, without a stance word
            if any(b not in vocab.weak_bases for b in hbases) and names_subject:
                stance = "other"
            else:
                continue
        elif not names_subject and not _accuses_someone(sv, clause, holder) and (weak or not hbases):
            # "the sanctions violated the nuclear deal" is not about the strike
            report.append(f"legal: no subject for {holder.name!r} in {sv.sent.passage.passage_id}")
            continue
        out.append(
            _Position(holder, stance, hcues, list(dict.fromkeys(hbases)), subject or vocab.default_subject,
                      sv.sent, None, "", 0, rejecting)
        )
    return out


def _in_source_title(cl: Clauses, start: int) -> bool:
    """Whether sentence offset ``start`` lies in the noun phrase of an attribution's source (its title or
    apposition) with no verb between them: "Agnes Callamard, the UN special rapporteur on extrajudicial
    executions, wrote ..." (a relative clause inside that phrase, "X, who called it illegal", is not a title)."""
    tok = token_at(cl.doc, start)
    if tok is None:
        return False
    heads = {s.head for a in cl.attributions for s in a.sources}
    for cur in (tok, *tok.ancestors):
        if cur.i in heads:
            return cur.i != tok.i
        if cur.pos_ in ("VERB", "AUX"):
            return False
    return False


def _said_of_act(cl: Clauses, cue: Cue, vocab: LegalVocab) -> bool:
    """Whether a crime's name (a ``predicative`` cue) is said of something rather than naming an event: the
    noun (or the first of the nouns conjoined with it) completes a copula or a verb of calling ("was
    murder", "called it an assassination"), follows "as" ("described the strike as murder"), names what
    someone is accused of ("charged them with murder", "accused him of terrorism") or the crime something is
    or does ("committed murder", "amounts to aggression"). "The assassination of the general" and "after the
    murder" name the event and judge nothing."""
    tok = token_at(cl.doc, cue.end - 1)
    if tok is None:
        return False
    while tok.dep_ in ("compound", "amod") and tok.head.i != tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
        tok = tok.head  # "a terrorist act": the noun the words modify
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head  # "an act of terrorism and an assassination": as the first conjunct stands
    if tok.dep_ in ("attr", "oprd", "acomp"):
        return True
    if tok.dep_ == "dobj":
        return tok.head.lemma_.lower() in vocab.constitutive_verbs
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    if prep.lower_ == "as":
        return True
    governor = prep.head.lemma_.lower()
    if prep.lower_ in ("with", "of", "for"):
        return governor in vocab.accusation_verbs or (prep.lower_ == "of" and governor == "guilty")
    return prep.lower_ == "to" and governor in vocab.constitutive_verbs


def _in_caveat(cl: Clauses, start: int) -> bool:
    """Whether sentence offset ``start`` lies in a reporter's caveat the clause layer found on an attribution
    ("..., but gave no evidence", "without providing details")."""
    at = cl.base + start
    return any(s <= at < e for a in cl.attributions for s, e in a.caveats)


def _matter_of_measure(cl: Clauses, start: int, vocab: LegalVocab) -> bool:
    """Whether sentence offset ``start`` lies in what a measure acts on (``measure_verbs``: "a vote to limit
    his war powers", "introduced a war powers resolution") before any stating verb governs it ("introduced a
    resolution saying the strike was unlawful" keeps its cue: "saying" states it)."""
    tok = token_at(cl.doc, start)
    if tok is None or not vocab.measure_verbs:
        return False
    cues = {a.cue for a in cl.attributions if a.cue is not None}
    for cur in (tok, *tok.ancestors):
        if cur.pos_ not in ("VERB", "AUX"):
            continue
        if cur.lemma_.lower() in vocab.measure_verbs:
            return True
        if cur.i in cues or cur.lemma_.lower() in vocab.holder_verbs:
            return False
    return False


def _hedged(cl: Clauses, cue: Cue, stop: Token | None) -> bool:
    """Whether the judgment is hedged or conditional: a word between the cue and the holder's verb
    (the cue's own included) is hedged (the clause layer's ``hedge_of``: "could be justified", "most
    likely unlawful", "appears to violate"), or a frame there holds under a condition ("lawful only
    if ...")."""
    tok = token_at(cl.doc, cue.start)
    if tok is None:
        return False
    lex = load_lexicon()
    by_head = {f.head: f for f in cl.frames}
    at = cl.base + cue.start
    for cur in (tok, *tok.ancestors):
        if stop is not None and cur.i == stop.i:
            return False
        if hedge_of(cur, lex) is not None:
            return True
        f = by_head.get(cur.i)
        # (a cue inside the condition itself, "unless Trump is brought to trial", is the condition's)
        if f is not None and f.condition is not None and not f.condition.start <= at < f.condition.end:
            return True
    return False


def _no_position(sv: SentenceView, cue: Cue, verb: Token | None, vocab: LegalVocab) -> bool:
    """A cue the holder takes no position on: after "declined to say", or inside a "whether" clause
    that no questioning word governs ("declined to say whether the strike was legal")."""
    text = sv.sent.text
    start = verb.idx if verb is not None and verb.idx < cue.start else 0
    if vocab.non_positions.search(text[start : cue.start]):
        return True
    ctok = token_at(sv.doc, cue.start)
    for cur in (ctok, *ctok.ancestors) if ctok is not None else ():
        if verb is not None and cur.i == verb.i:
            break
        if cur.dep_ == "prep" and cur.lower_ in ("to", "for") and cur.head.lemma_.lower() in vocab.response_nouns:
            return True  # "vowed a harsh response to the 'terrorist attack'": the act answered, not judged
    if vocab.groups[cue.group].stance == "questioned":
        return False
    tok = token_at(sv.doc, cue.start)
    if tok is None:
        return False
    for cur in (tok, *tok.ancestors):
        if any(c.dep_ == "mark" and c.lower_ in ("whether",) for c in cur.children):
            return True  # (the holder's own verb too: "did not say whether she considered it lawful")
        if verb is not None and cur.i == verb.i:
            break
    return False


def _accuses_someone(sv: SentenceView, clause: str, holder: Holder) -> bool:
    """Whether the clause names people other than the holder ("unless Trump is brought to trial")."""
    return any(m.kind == "person" and m.entity_id != holder.person_id and m.surface in clause
               for m in sv.mentions.values())


def _clause_text(sv: SentenceView, verbs: list[Token]) -> str:
    """Text of the subtree of the holder's verb (the holder's own clause)."""
    if not verbs:
        return ""
    v = verbs[0]
    if v.dep_ == "parataxis":
        return sv.sent.text  # "X, she said, was ...": the reporting clause is inserted in the position
    toks = list(v.subtree)
    return span_text(sv.doc, toks[0].i, toks[-1].i + 1)


def _stance(cues: list[Cue], vocab: LegalVocab) -> tuple[str | None, bool]:
    """The stance of a holder's cues: the highest-priority group wins; (stance, weak?)."""
    ranked = [c for c in cues if c.group >= 0]
    if not ranked:
        return None, False
    best = min(ranked, key=lambda c: (c.group, c.start))
    g = vocab.groups[best.group]
    # a negated cue is weaker evidence: it needs the subject named, like a weak cue
    return best.stance, g.weak or (best.negated and not g.negated_only)
