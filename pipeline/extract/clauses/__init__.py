"""The clause layer: who did what to whom, when, where, and who says so -- one sentence at a time.

Events, plots and legal positions read frames from here instead of keeping their own speaker,
pronoun, role, negation or dateline logic. Modules (read in this order):

- ``lexicon``: the curated words (``raw/curated/clause_cues.yaml``);
- ``frames``: ``Frame`` per predicate -- lemma, offsets, polarity, modality, condition, tense,
  voice, parent frame;
- ``roles``: ``Role``/``Actor`` -- agent, patient, recipient, target, resolved to EntityIndex
  mentions or typed by the model (states act: "Iran fired missiles"); descriptions are not actors;
- ``attribution``: ``Attribution`` -- source -> cue -> content, nested, relays and caveats apart;
- ``coref``: he/she/they/it and titles -> the actor named just before, or unresolved;
- ``anchors``: dates, places and numbers on the frame the parse gives them; ``StoryLine`` for
  offsets counted from the occurrence they follow.

API (offsets are absolute in the source text throughout):

    reader = SourceReader(source_id)            # one per source, sentences fed in text order
    reader.new_paragraph()                      # at each paragraph start (pronoun memory)
    cl = reader.read(doc, base, mentions, dates)   # a spaCy Doc of one sentence starting at base
    cl.frames, cl.attributions                  # Frame / Attribution lists, text order
    cl.frame_at(start, end)                     # the frame holding a span most narrowly
    cl.attribution_of(start, end)               # the innermost attribution whose content holds it
    cl.holders_of(start, end)                   # who states that span (relays and documents resolved)

``read_sentence`` is the same without cross-sentence memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from pipeline.extract.clauses.anchors import Anchor, StoryLine, attach
from pipeline.extract.clauses.attribution import Attribution, AttributionReader, innermost
from pipeline.extract.clauses.coref import Coref, is_first_person, wanted_kinds
from pipeline.extract.clauses.frames import Condition, Frame, frame_of_token, frames_of
from pipeline.extract.clauses.lexicon import Lexicon, load_lexicon
from pipeline.extract.clauses.roles import Actor, ActorReader, Role, dateline_end, fill_roles, mention_tokens
from pipeline.extract.dates import DateMention
from pipeline.extract.entities import EntityMention
from pipeline.extract.token_offsets import overlapping


@dataclass
class Clauses:
    """The frames and attributions of one sentence."""

    doc: Doc
    base: int
    frames: list[Frame]
    attributions: list[Attribution]
    dateline: int = 0  # characters of a wire dateline opening the sentence
    quote_speaker: list[Actor] = field(default_factory=list)  # who speaks a quotation the sentence continues

    def frame_at(self, start: int, end: int) -> Frame | None:
        toks = overlapping(self.doc, start - self.base, end - self.base)
        if not toks:
            return None
        inside = {t.i for t in toks}
        head = next((t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[0])
        return frame_of_token(self.frames, head)

    def attribution_of(self, start: int, end: int) -> Attribution | None:
        return innermost(self.attributions, start, end)

    def holders_of(self, start: int, end: int) -> list[Actor]:
        """Who states the span: the innermost attribution's named sources (a document's author,
        a pronoun's antecedent); a relaying outlet is never returned -- the attribution it relays
        is, and an outlet relaying nobody named gives no holder."""
        att = self.attribution_of(start, end)
        if att is None or att.relay:
            return []
        return [s.named for s in att.sources]


def read_sentence(doc: Doc, base: int, mentions: Sequence[EntityMention] = (), dates: Iterable[DateMention] = (),
                  nominals: Iterable[str] = (), lex: Lexicon | None = None) -> Clauses:
    """Frames, roles, attributions and anchors of one parsed sentence (no cross-sentence memory)."""
    lex = lex or load_lexicon()
    frames = frames_of(doc, base, lex, nominals)
    dl = dateline_end(doc.text)
    reader = ActorReader(doc, base, mention_tokens(doc, base, list(mentions)), lex, skip_before=dl)
    fill_roles(frames, reader)
    atts = AttributionReader(doc, base, frames, reader, lex).read()
    attach(frames, doc, base, list(dates))
    return Clauses(doc, base, frames, atts, dl)


class SourceReader:
    """Reads the sentences of one source in text order, resolving anaphors across sentences of a
    paragraph and keeping the story line of dated occurrences."""

    def __init__(self, source_id: str = "", curated_dir: Path | None = None) -> None:
        self.source_id = source_id
        self.lex = load_lexicon(curated_dir)
        self.coref = Coref(self.lex)
        self.story = StoryLine()
        self.last_speakers: list[Actor] = []  # sources of the paragraph's last attribution

    def new_paragraph(self, carry: bool = False) -> None:
        """A new paragraph; ``carry``: it continues the previous one's topic (same section), so
        that paragraph's subjects stay in reach of a pronoun."""
        self.coref.new_paragraph(carry)
        self.last_speakers = []

    def read(self, doc: Doc, base: int, mentions: Sequence[EntityMention] = (),
             dates: Iterable[DateMention] = (), nominals: Iterable[str] = (), text: str | None = None) -> Clauses:
        """One sentence; ``dates`` as find_dates read them. With the source ``text``, offsets that
        dates.py counted from the report's date or a report's release are re-read from the story
        line's last dated occurrence."""
        if text is not None:
            dates = [self.story.anchor(d, text) for d in dates]
        cl = read_sentence(doc, base, mentions, dates, nominals, self.lex)
        self.coref.next_sentence(doc, base)
        actors: list[tuple[Actor, bool, bool]] = [(r.actor, is_subject(r), False) for f in cl.frames
                                                  for r in f.roles]
        actors += [(s, True, True) for a in cl.attributions if a.kind != "according" for s in a.sources]
        # in text order, so that "Kelly Craft wrote a letter in which she said" finds Craft
        for actor, subject, source in sorted(actors, key=lambda x: (x[0].start, not x[2])):
            if wanted_kinds(actor, self.lex) is not None and actor.resolved is None:
                self.coref.resolve(actor, source)
            self.coref.observe(actor, subject, source)
        for a in cl.attributions:
            for s in a.sources:
                if is_first_person(s) and self.last_speakers:
                    s.resolved = self.last_speakers[0]
        named = [a for a in cl.attributions if a.sources and not a.relay]
        if named:
            self.last_speakers = [s.named for s in named[-1].sources]
        cl.quote_speaker = list(self.last_speakers)
        telling = telling_frames(cl, self.lex)
        for f in cl.frames:
            self.story.observe(f, f.head in telling)
        return cl


def is_subject(r: Role) -> bool:
    """Whether a filler is the grammatical subject of its clause, the one a later "he" or "she" most
    likely continues: an agent other than a by-phrase, or the subject of a passive ("X was indicted
    on Tuesday. In July, he was arrested": X; "the ring, led by X, ...": not X)."""
    return (r.role == "agent" and r.via != "agent") or (r.role == "patient" and r.via == "nsubjpass")


def telling_frames(cl: Clauses, lex: Lexicon) -> set[int]:
    """Heads of frames that tell of a telling rather than an occurrence: attribution cues, and
    frames about a document ("the inquiry, released on 9 June", "published its report")."""
    out = {a.cue for a in cl.attributions if a.cue is not None}
    for f in cl.frames:
        tok = cl.doc[f.head]
        if (tok.dep_ in ("acl", "relcl") and (tok.head.lemma_.lower() in lex.document_nouns
                                             or tok.head.lemma_.lower() in lex.telling_nouns)) or any(r.actor.kind == "document" for r in f.roles if r.role == "patient"):
            out.add(f.head)
    return out


__all__ = [
    "Actor", "Anchor", "Attribution", "Clauses", "Condition", "Frame", "Lexicon", "Role", "SourceReader",
    "StoryLine", "is_subject", "load_lexicon", "read_sentence", "telling_frames",
]
