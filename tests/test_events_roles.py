"""Events: who did and who underwent an occurrence comes from the frame of the words telling it, not
from a neighbouring verb; merged tellings keep the role most of them support. Short texts written
for each phenomenon (fictional names)."""

from __future__ import annotations

from test_events import CUR, make_doc, mention

from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.events import extract_events

STATES = {"valdoria": "government-of-valdoria", "valdorian": "government-of-valdoria",
          "ostmark": "government-of-ostmark", "ostmarkian": "government-of-ostmark"}


def _run(text: str, names: list[tuple[str, str]] = (), published: str = "2021-03-10"):  # type: ignore[assignment]
    doc, ps = make_doc([("Body", p) for p in text.split("\n")], published=published)
    ents: list[EntityMention] = [mention(doc, surface, eid) for surface, eid in names]
    res = extract_events([doc], ps, EntityIndex(ents, states=STATES), CUR)
    acts: dict[str, set[tuple[str, str]]] = {}
    for a in res.tables["event_actors"]:
        acts.setdefault(a["event_id"], set()).add((a["person_id"] or a["org_id"], a["role"]))
    return res, acts


def _strike(res, acts):  # the one strike or attack of the text
    (ev,) = [e for e in res.tables["events"] if e["event_type"] in ("strike", "attack")]
    return ev, acts.get(ev["event_id"], set())


def test_who_is_expected_to_retaliate_over_a_killing_did_not_kill() -> None:
    # the in-phrase after "the killing of X" tells how X was killed even when the parse hangs it on
    # the retaliation verb above
    res, acts = _run("A minister said Ostmark should expect Valdoria to retaliate over the Ostmarkian killing of "
                     "Ramin Kohl in a drone strike on Friday.", [("Ramin Kohl", "ramin-kohl")])
    ev, a = _strike(res, acts)
    assert ev["date"] == "2021-03-05"
    assert ("ramin-kohl", "victim") in a
    assert not {x for x in a if x[0] == "government-of-valdoria"}


def _parsed(words: list[str], heads: list[int], deps: list[str], pos: list[str]):
    """A sentence with the parse given (the statistical parser's attachment varies with the words)."""
    import spacy
    from spacy.tokens import Doc

    lemmas = [w.lower() for w in words]
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


def test_an_in_phrase_hung_on_the_verb_after_a_killing_noun_tells_the_killing() -> None:
    from pipeline.extract.event_frames import load_role_words, standing_word

    words = load_role_words(CUR)
    # "Valdoria vowed to retaliate over the killing of Kohl in a strike", the in-phrase parsed on "retaliate"
    doc = _parsed(["Valdoria", "vowed", "to", "retaliate", "over", "the", "killing", "of", "Kohl", "in", "a", "strike"],
                  [1, 1, 3, 1, 3, 6, 4, 6, 7, 3, 11, 9],
                  ["nsubj", "ROOT", "aux", "xcomp", "prep", "det", "pobj", "prep", "pobj", "prep", "det", "pobj"],
                  ["PROPN", "VERB", "PART", "VERB", "ADP", "DET", "NOUN", "ADP", "PROPN", "ADP", "DET", "NOUN"])
    assert standing_word(doc[11], words).i == 6
    # "Valdoria killed Kohl in a strike": no killing noun before the phrase, the verb's own
    doc = _parsed(["Valdoria", "killed", "Kohl", "in", "a", "strike"], [1, 1, 1, 1, 5, 3],
                  ["nsubj", "ROOT", "dobj", "prep", "det", "pobj"], ["PROPN", "VERB", "PROPN", "ADP", "DET", "NOUN"])
    assert standing_word(doc[5], words).i == 5


def test_who_died_in_a_strike_is_its_victim_not_its_perpetrator() -> None:
    res, acts = _run("The gang swore to avenge the death of Ramin Kohl, who died in a Valdorian drone strike near "
                     "the port in March 2019.", [("Ramin Kohl", "ramin-kohl")])
    _, a = _strike(res, acts)
    assert ("ramin-kohl", "victim") in a and ("ramin-kohl", "perpetrator") not in a
    assert ("government-of-valdoria", "perpetrator") in a


def test_a_measure_noun_stands_for_the_attacks_it_counts() -> None:
    res, acts = _run("Valdoria hit the northern depot with a barrage of missile attacks on 2 March 2021.")
    _, a = _strike(res, acts)
    assert a == {("government-of-valdoria", "perpetrator")}


def test_an_answer_to_a_killing_is_made_by_who_answers() -> None:
    # "with strikes" is the answer's means, though the parse may hang it on the killing answered
    res, acts = _run("Valdoria responded to the killing with limited strikes on two depots on 2 March 2021.")
    _, a = _strike(res, acts)
    assert a == {("government-of-valdoria", "perpetrator")}


def test_merged_roles_prefer_the_side_more_tellings_support() -> None:
    from pipeline.extract.events.rows import merged_roles

    class _M:
        def __init__(self, roles: list[tuple[str, str]]) -> None:
            self.actors = [(EntityMention("s", 0, 1, eid, "person", eid), r) for eid, r in roles]

    class _Ev:
        def __init__(self, ms: list[_M]) -> None:
            self.mentions = ms

    tie = _Ev([_M([("k", "perpetrator")]), _M([("k", "victim")])])
    assert merged_roles(tie)["k"] == "victim"  # type: ignore[arg-type]
    most = _Ev([_M([("k", "perpetrator"), ("j", "sponsor")]), _M([("k", "perpetrator")]), _M([("k", "victim")])])
    assert merged_roles(most) == {"k": "perpetrator", "j": "sponsor"}  # type: ignore[arg-type]


def test_who_faces_charges_a_prosecutor_announces_is_their_target() -> None:
    res, acts = _run("On Monday, the city prosecutor Ali Karimi said Paul Ennis and 35 others now face murder and "
                     "terrorism charges.", [("Ali Karimi", "ali-karimi"), ("Paul Ennis", "paul-ennis")],
                     published="2020-06-29")
    (ev,) = res.tables["events"]
    assert ev["event_type"] == "legal_action"
    assert ("paul-ennis", "target") in acts[ev["event_id"]]
    assert not {r for who, r in acts[ev["event_id"]] if who == "paul-ennis" and r in ("perpetrator", "actor")}


def test_the_country_stands_for_the_state_named_before_it() -> None:
    res, acts = _run("Valdorian state TV, citing a military statement, said the country unintentionally shot down a "
                     "passenger jet early Wednesday, killing all 176 people aboard.", published="2020-01-11")
    ev, a = _strike(res, acts)
    assert (ev["date"], ev["killed"]) == ("2020-01-08", 176)
    assert ("government-of-valdoria", "perpetrator") in a
