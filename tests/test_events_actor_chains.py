"""Events: actors told one clause away from the occurrence's word -- the act its verb controls ("began
conspiring to abduct Y"), the act an ordering verb names and the clause on it ("authorized the strike that
killed Y"), and the leader of the group that acts ("the ring, led by X, ..."). Fictional names, sentences
written for each phenomenon."""

from __future__ import annotations

from test_events_roles import _run

NAMES = [("Omar Tallis", "omar-tallis"), ("Darius Venn", "darius-venn")]


def _actors(text: str) -> set[tuple[str, str]]:
    res, acts = _run(text, NAMES)
    (ev,) = res.tables["events"]
    return acts.get(ev["event_id"], set())


def test_the_object_of_a_controlled_act_is_the_target_and_the_group_s_leader_its_sponsor() -> None:
    got = _actors("The smuggling cell, led by Valdorian intelligence officer Omar Tallis, allegedly began "
                  "conspiring to abduct Darius Venn as early as June 2020.")
    assert got == {("omar-tallis", "sponsor"), ("darius-venn", "target")}


def test_a_participle_of_another_verb_on_the_group_names_no_sponsor() -> None:
    got = _actors("The smuggling cell, watched by Valdorian intelligence officer Omar Tallis, allegedly began "
                  "conspiring to abduct Darius Venn as early as June 2020.")
    assert ("omar-tallis", "sponsor") not in got
    assert ("darius-venn", "target") in got


def test_who_died_in_the_act_an_ordering_verb_names_is_its_victim() -> None:
    got = _actors("On January 3, 2020, Omar Tallis authorized the drone strike that killed Darius Venn and "
                  "nine other people near the airport.")
    assert got == {("omar-tallis", "sponsor"), ("darius-venn", "victim")}

