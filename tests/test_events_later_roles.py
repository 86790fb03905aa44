"""Events: who did and who underwent an occurrence, told in a later sentence that names it by a definite
noun ("the attack"), and persons a pronoun continues. Short texts in our own words, fictional names;
each rule beside the case it must leave alone."""

from __future__ import annotations

from test_events import CUR, make_doc, mention

from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.events import extract_events

STATES = {"valdoria": "government-of-valdoria", "valdorian": "government-of-valdoria"}


def _run(text: str, names: list[tuple[str, str]] = (), orgs: list[tuple[str, str]] = ()):  # type: ignore[assignment]
    doc, ps = make_doc([("Body", p) for p in text.split("\n")], published="2021-03-10")
    ents: list[EntityMention] = [mention(doc, surface, eid) for surface, eid in names]
    ents += [mention(doc, surface, eid, "org") for surface, eid in orgs]
    res = extract_events([doc], ps, EntityIndex(ents, states=STATES), CUR)
    acts: dict[str, set[tuple[str, str]]] = {}
    for a in res.tables["event_actors"]:
        acts.setdefault(a["event_id"], set()).add((a["person_id"] or a["org_id"], a["role"]))
    return res, acts


def _of_type(res, acts, *types: str):  # type: ignore[no-untyped-def]
    (ev,) = [e for e in res.tables["events"] if e["event_type"] in types]
    return ev, acts.get(ev["event_id"], set())


def test_everyone_killed_with_the_victim_is_a_victim() -> None:
    res, acts = _run("Commander Ramin Kohl and his aide Tarek Osei were killed on 2 March 2021 in a drone strike near "
                     "the port.", [("Ramin Kohl", "ramin-kohl"), ("Tarek Osei", "tarek-osei")])
    _, a = _of_type(res, acts, "strike", "attack")
    assert {("ramin-kohl", "victim"), ("tarek-osei", "victim")} <= a


def test_a_second_victim_told_in_the_next_sentence_joins_the_attack() -> None:
    res, acts = _run("Ramin Kohl was killed on 2 March 2021 in a drone strike near the port. His driver, Tarek Osei, "
                     "was also killed in the attack.", [("Ramin Kohl", "ramin-kohl"), ("Tarek Osei", "tarek-osei")])
    _, a = _of_type(res, acts, "strike", "attack")
    assert {("ramin-kohl", "victim"), ("tarek-osei", "victim")} <= a
    assert not {x for x in a if x[0] == "tarek-osei" and x[1] != "victim"}


def test_who_ordered_the_attack_in_a_later_sentence_is_its_sponsor() -> None:
    res, acts = _run("Ramin Kohl was killed on 2 March 2021 in a drone strike near the port.\n"
                     "President Lena Marsh ordered the strike after weeks of rocket fire on the harbour.",
                     [("Ramin Kohl", "ramin-kohl"), ("Lena Marsh", "lena-marsh")])
    _, a = _of_type(res, acts, "strike", "attack")
    assert ("lena-marsh", "sponsor") in a and ("ramin-kohl", "victim") in a


def test_a_group_claiming_the_bombings_is_their_perpetrator() -> None:
    res, acts = _run("Two bomb blasts tore through a market in the old town on 2 March 2021, killing 12 people.\n"
                     "The Crimson Hand claimed responsibility for the bombings.",
                     orgs=[("The Crimson Hand", "crimson-hand")])
    _, a = _of_type(res, acts, "strike", "attack")
    assert ("crimson-hand", "perpetrator") in a


def test_saying_something_about_the_attack_gives_no_role_in_it() -> None:
    # a denial, a condemnation, an accusation: nobody here did the attack
    res, acts = _run("Ramin Kohl was killed on 2 March 2021 in a drone strike near the port.\n"
                     "Lena Marsh denied that she ordered the strike. Omar Vidal condemned the strike. "
                     "Kohl's family accused Pavel Dunn of ordering the strike.",
                     [("Ramin Kohl", "ramin-kohl"), ("Lena Marsh", "lena-marsh"), ("Omar Vidal", "omar-vidal"),
                      ("Pavel Dunn", "pavel-dunn"), ("Kohl", "ramin-kohl")])
    _, a = _of_type(res, acts, "strike", "attack")
    assert a == {("ramin-kohl", "victim")}


def test_the_victim_never_becomes_the_perpetrator_of_his_own_killing() -> None:
    # "the bombing" alone would name the strike by its kind; the victim stays its victim all the same
    res, acts = _run("Ramin Kohl was killed on 2 March 2021 in a drone strike near the port. Officials said Kohl "
                     "had ordered the bombing.", [("Ramin Kohl", "ramin-kohl"), ("Kohl", "ramin-kohl")])
    _, a = _of_type(res, acts, "strike", "attack")
    assert ("ramin-kohl", "victim") in a
    assert not {x for x in a if x[0] == "ramin-kohl" and x[1] in ("perpetrator", "sponsor")}


def test_a_phrase_naming_another_target_does_not_refer_back() -> None:
    res, acts = _run("Ramin Kohl was killed on 2 March 2021 in a drone strike near the port. Officials said Lena "
                     "Marsh had ordered the bombing of the embassy.",
                     [("Ramin Kohl", "ramin-kohl"), ("Lena Marsh", "lena-marsh")])
    for ev in res.tables["events"]:
        assert ("lena-marsh", "sponsor") not in acts.get(ev["event_id"], set())


def test_a_person_arrested_by_pronoun_after_a_passive_lead_is_the_target() -> None:
    res, acts = _run("Dara Velen was indicted on 9 March 2021 on charges of plotting a bombing, the prosecutor said.\n"
                     "In January, he was arrested at an airport.", [("Dara Velen", "dara-velen")])
    arrests = [e for e in res.tables["events"] if e["date"] == "2021-01"]
    assert arrests and ("dara-velen", "target") in acts.get(arrests[0]["event_id"], set())
