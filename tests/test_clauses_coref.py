"""Clause layer, coreference: which earlier person "he"/"she" continues. Short texts in our own words,
fictional names; one phenomenon each, with the case the rule must leave alone."""

from __future__ import annotations

from clause_helpers import frame, read

from pipeline.extract.clauses.roles import agent_token, stranded_subject


def _named(cl, lemma: str, role: str) -> str | None:  # type: ignore[no-untyped-def]
    actor = frame(cl, lemma).fillers(role)[0].actor
    return actor.named.entity_id if actor.resolved is not None else None


def test_the_subject_of_a_passive_is_the_one_a_later_he_continues() -> None:
    # a new paragraph of the same story: only the subjects of the one before stay in reach
    cls = read("Dara Velen was indicted on Monday in a federal court, the prosecutor's office said. "
               "In May, he was detained at an airport.", persons=("Dara Velen",))
    assert _named(cls[1], "detain", "patient") == "dara-velen"


def test_a_passive_subject_carries_over_a_paragraph_break() -> None:
    from clause_helpers import mentions_of, parsed

    from pipeline.extract.clauses import SourceReader

    reader = SourceReader("t")
    reader.new_paragraph()
    first = "Dara Velen was indicted on Monday, the prosecutor's office said."
    reader.read(parsed(first), 0, mentions_of(first, ("Dara Velen",)))
    reader.new_paragraph(carry=True)  # the next paragraph of the same section
    cl = reader.read(parsed("In May, he was detained at an airport."), 100)
    assert _named(cl, "detain", "patient") == "dara-velen"
    reader.new_paragraph(carry=False)  # another section: nothing carries over
    cl = reader.read(parsed("In May, he was detained at an airport."), 200)
    assert _named(cl, "detain", "patient") is None


def test_the_owner_of_an_object_is_a_candidate_in_its_own_sentence() -> None:
    cls = read("The ministry released Dara Velen's travel records, noting he had left the country in 2015.",
               persons=("Dara Velen",))
    assert _named(cls[0], "leave", "agent") == "dara-velen"


def test_the_owner_of_a_subject_is_not_whom_he_stands_for() -> None:
    # "X's deputy said he ...": he is the deputy (no named person), never X
    cls = read("Dara Velen's deputy said he would resign.", persons=("Dara Velen",))
    assert _named(cls[0], "resign", "agent") is None


def test_a_by_agent_inside_a_description_is_no_subject() -> None:
    # the cell's leader (a by-phrase on a participle) and the one contacted are two candidates of the
    # same rank: "she" stays unresolved rather than being the leader
    cls = read("The cell, led by Tomas Adler, contacted Lina Voss. She reported the cell to the police.",
               persons=("Tomas Adler", "Lina Voss"))
    assert _named(cls[1], "report", "agent") is None


def test_who_never_stands_for_a_country() -> None:
    cls = read("A Danish trader with close ties to Russia who was arrested in March has been indicted.")
    assert [r.actor.text for r in frame(cls[0], "arrest").fillers("patient")] == ["A Danish trader"]


def _parsed(words: list[str], heads: list[int], deps: list[str], pos: list[str], tags: list[str]):  # type: ignore[no-untyped-def]
    import spacy
    from spacy.tokens import Doc

    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags,
               lemmas=[w.lower() for w in words])


def test_a_name_hung_inside_a_fronted_phrase_is_the_subject_of_the_verb_after_it() -> None:
    # "In two posts, reporter Lina Voss confirmed it": the parser took the name for a conjunct of "posts"
    words = ["In", "two", "posts", ",", "reporter", "Lina", "Voss", "confirmed", "it", "."]
    doc = _parsed(words, [7, 2, 0, 2, 2, 6, 2, 7, 7, 7],
                  ["prep", "nummod", "pobj", "punct", "conj", "compound", "conj", "ROOT", "dobj", "punct"],
                  ["ADP", "NUM", "NOUN", "PUNCT", "NOUN", "PROPN", "PROPN", "VERB", "PRON", "PUNCT"],
                  ["IN", "CD", "NNS", ",", "NN", "NNP", "NNP", "VBD", "PRP", "."])
    assert stranded_subject(doc[7]).i == 6  # type: ignore[union-attr]
    assert agent_token(doc[7]).i == 6  # type: ignore[union-attr]
    # with a subject of its own, or no comma closing a fronted phrase, nothing is repaired
    doc = _parsed(["Reports", "of", "Voss", "confirmed", "it"], [3, 0, 1, 3, 3],
                  ["nsubj", "prep", "pobj", "ROOT", "dobj"], ["NOUN", "ADP", "PROPN", "VERB", "PRON"],
                  ["NNS", "IN", "NNP", "VBD", "PRP"])
    assert stranded_subject(doc[3]) is None and agent_token(doc[3]).i == 0  # type: ignore[union-attr]
    doc = _parsed(["After", "talks", "with", "Voss", "agreed"], [4, 0, 1, 2, 4],
                  ["prep", "pobj", "prep", "pobj", "ROOT"], ["ADP", "NOUN", "ADP", "PROPN", "VERB"],
                  ["IN", "NNS", "IN", "NNP", "VBD"])
    assert stranded_subject(doc[4]) is None
