"""The literal gate answers exactly as the patterns it gates, only faster."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.extract.literal_gate import GatedAny, fold, required_literals
from pipeline.extract.sentences import compile_any

CURATED = Path(__file__).resolve().parents[1] / "raw" / "curated"


def lits(pattern: str, flags: int = re.IGNORECASE) -> frozenset[str] | None:
    return required_literals(re.compile(pattern, flags))


def test_required_literals_follow_the_syntax():
    assert lits("breach(es|ed)?") == {"breach"}
    # every alternative must contribute one, the longest run of each
    assert lits("(?:unlawful(ly)?)|(?:war[- ]crimes?)") == {"unlawful", "crime"}
    # an alternative with no literal of its own makes the whole pattern ungated
    assert lits(r"illegal|\w+") is None
    assert lits(r"illegal|\w+ly") == {"illegal", "ly"}
    # optional parts require nothing; a repeat of at least one requires its body
    assert lits(r"(pre )?(?:meditated)") == {"meditated"}
    assert lits(r"(?:ab)+c") == {"ab"}
    # literals are folded as the engine compares them
    assert lits("Article 51") == {"article 51"}


def test_fold_matches_the_engines_case_folding():
    # the long s and the Kelvin sign match 's' and 'k' case-insensitively
    for text in ("Uſe of force", "3 \u212aM", "İllegal", "ILLEGAL"):
        for word in ("use", "km", "illegal"):
            pat = re.compile(re.escape(word), re.IGNORECASE)
            if pat.search(text):
                assert word in fold(text), (word, text)


def test_gated_any_answers_as_the_joined_pattern():
    patterns = [compile_any(["unlawful(ly)?", "war[- ]crimes?", r"(a|an) ([\w-]+ ){0,2}crime"]),
                compile_any([r"violat(e|es|ed|ing|ion)"]), compile_any([r"\d+ charges"])]
    joined = re.compile("|".join(p.pattern for p in patterns), re.IGNORECASE)
    gate = GatedAny(patterns)
    texts = ["The strike was unlawful, she said.", "It is a grave war-crime.", "an unlawfulness", "nothing here",
             "They violated the accord.", "He faces 3 charges.", "UNLAWFULLY", "a minor crime", "crimea",
             "Uſe of force was UNLAWFUL", "non-violation"]
    for text in texts:
        assert gate.search(text) == bool(joined.search(text)), text


def test_legal_cue_gate_agrees_with_the_cue_patterns():
    from pipeline.extract.legal.vocab import load_legal_vocab

    vocab = load_legal_vocab(CURATED)
    joined = re.compile("|".join(p.pattern for p in vocab.any_cue.patterns), re.IGNORECASE)
    texts = ["Iran said the killing violated international law.", "The minister arrived on Tuesday.",
             "Critics called the strike an act of war.", "Officials did not explain why the threat was imminent.",
             "The court issued an arrest warrant for 36 people.", "Lawmakers debated the war powers resolution."]
    answers = [vocab.any_cue.search(t) for t in texts]
    assert answers == [bool(joined.search(t)) for t in texts]
    assert answers[0] and not answers[1]
