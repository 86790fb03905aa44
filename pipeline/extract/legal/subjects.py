"""What a legal position is about (legal_positions.subject), read from the judging clause.

What belongs here: the act a clause judges when it is not the strike itself -- another act set apart by
its words ("the retaliatory missile strikes", "a 2024 strike"), an accusation ("brought charges without
evidence"), a measure the holder answers rather than takes ("responded to the arrest warrants") -- and
the subject a paragraph names when the holder's clause names none. The subject groups of
``raw/curated/legal_subjects.yaml`` are matched in ``legal.cues.subject_of``; this module reads the parse.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.extract.clauses import Clauses, Frame, load_lexicon
from pipeline.extract.legal.cues import Cue
from pipeline.extract.legal.vocab import LegalVocab
from pipeline.extract.sentences import np_bounds, span_text, token_at

_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


def judged_act(cl: Clauses, cues: list[Cue], vocab: LegalVocab) -> str | None:
    """The act a cue's clause judges when it is not the strike itself: the clause's subject or object
    naming an act with a word setting it apart ("the retaliatory missile strikes were unlawful", "called
    a 2024 strike illegal"), or naming an accusation ("brought charges without evidence"); None for the
    strike and everything else."""
    by_head = {f.head: f for f in cl.frames}
    for cue in cues:
        tok = token_at(cl.doc, cue.start)
        if tok is None:
            continue
        f = next((by_head[t.i] for t in (tok, *tok.ancestors) if t.i in by_head), None)
        if f is None:
            continue
        if cue.group >= 0 and vocab.groups[cue.group].measure:
            answered = _answered_measure(cl, tok, f, vocab)
            if answered is not None:
                return answered
        for r in f.fillers("agent", "patient"):
            head = cl.doc[r.actor.head]
            if r.actor.start <= cl.base + cue.start < r.actor.end:
                continue
            if head.lower_ in vocab.accusation_nouns:
                if tok in head.subtree:
                    continue  # "face charges including murder": the charges are the position, not what it judges
                return r.actor.text
            if head.lower_ not in vocab.act_nouns:
                continue
            words = {w.lower() for w in re.findall(r"[\w-]+", r.actor.text)}
            first = r.actor.text.split()[0].lower()
            if words & vocab.other_act_words or (first in ("a", "an") and _YEAR.search(r.actor.text)):
                return r.actor.text
    return None


def _answered_measure(cl: Clauses, tok: Token, f: Frame, vocab: LegalVocab) -> str | None:
    """The measure a cue names ("the arrest warrants"), as written, when the clause it lies in answers it rather
    than takes it: its predicate is a verb of judging or answering (the clause layer's attribution verbs, but
    no plain telling: "responded to the arrest warrants", "dismissed the arrest warrant") and the measure is
    what that predicate is about. None when the holder takes or seeks the measure ("issued an arrest warrant",
    "called on the assembly to take legal action"): a position on the act the measure answers."""
    if f.lemma not in load_lexicon().cue_verbs or f.lemma in vocab.speech_verbs or f.lemma in vocab.act_verbs \
            or f.lemma in vocab.court_verbs:
        return None
    noun = tok
    while noun.dep_ in ("compound", "amod") and noun.head.i != noun.i:
        noun = noun.head
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    path = [noun, *noun.ancestors]
    k = next((n for n, t in enumerate(path) if t.i == f.head), None)
    # the noun is the predicate's object, directly or through one preposition
    if k is None or not ((k == 1 and noun.dep_ == "dobj") or (k == 2 and noun.dep_ == "pobj")):
        return None
    i, j = np_bounds(noun)
    return span_text(cl.doc, i, j)


def paragraph_subject(text: str, vocab: LegalVocab) -> str | None:
    for subject, rx, skip in vocab.subjects:
        if not skip and rx.search(text):
            return subject
    return None
