"""Legal positions: who holds a position stated through a gerund or by a state, on short texts written
for each phenomenon (issue 13)."""

from __future__ import annotations

from clause_helpers import one, role_texts
from test_legal import CUR, corpus

from pipeline.extract.legal import extract_legal_positions

STATES = {form: "government-of-iran" for form in ("iran", "iranian", "iranian government")}


def positions(*paras: str) -> list[dict]:
    docs, passages, index = corpus(list(paras))
    index.states.update(STATES)
    return extract_legal_positions(docs, passages, index, CUR).tables["legal_positions"]


def test_a_gerund_after_a_preposition_shares_the_subject_of_its_clause() -> None:
    cl = one("Paul Ennis has defended the raid by saying that it stopped an attack.", ("Paul Ennis",))
    assert role_texts(cl, "say", "agent") == ["Paul Ennis"]
    # "by" read as the agent of a passive: the gerund tells how the clause above it was done
    cl = one("Paul Ennis has defended what has been described abroad as an act of war by stating that the "
             "army acted to preempt an imminent attack.", ("Paul Ennis",))
    assert role_texts(cl, "state", "agent") == ["Paul Ennis"]
    # the passive subject of the clause a gerund hangs on did what the gerund tells
    cl = one("Paul Ennis, who is known for ordering the raid, spoke.", ("Paul Ennis",))
    assert role_texts(cl, "order", "agent") == ["Paul Ennis"]


def test_a_defence_by_a_stated_imminent_threat_is_the_defenders_lawful_position() -> None:
    rows = positions("The general was killed on the orders of Donald Trump, who has defended what has been "
                     "described abroad as an act of war by stating that the army acted to preempt an imminent "
                     "attack.")
    got = {(r["holder_person_id"], r["stance"]) for r in rows}
    # the description ("an act of war") is not the defender's words
    assert got == {("donald-trump", "lawful")}


def test_a_state_holding_a_position_is_its_government() -> None:
    rows = positions("Iran said the strike was a flagrant violation of international law.")
    assert [(r["holder_org_id"], r["holder_type"], r["stance"]) for r in rows] == [
        ("government-of-iran", "government", "unlawful")]
    rows = positions("The Iranian government called the strike a flagrant violation of international law.")
    assert [(r["holder_org_id"], r["holder_type"]) for r in rows] == [("government-of-iran", "government")]


def test_a_warrant_for_murder_holds_the_killing_unlawful() -> None:
    rows = positions("Last week, Iran issued a warrant for the arrest of Donald Trump and 30 others for the murder "
                     "of the general.")
    assert [(r["holder_org_id"], r["stance"]) for r in rows] == [("government-of-iran", "unlawful")]


def test_an_act_said_to_go_against_an_agreement_is_unlawful_for_who_says_so() -> None:
    # the purpose infinitive ("to expel") and the participle on it share the subject of "voted"
    cl = one("The assembly voted on Sunday to expel the troops, saying the raid goes against the treaty.")
    assert role_texts(cl, "say", "agent") == ["The assembly"]
    rows = positions("Iraq's parliament voted on Sunday to expel foreign troops, saying the killing of the general "
                     "goes against the security agreement between the two countries.")
    assert [(r["holder_type"], r["stance"]) for r in rows] == [("legislature", "unlawful")]
    rows = positions("The minister said the killing was contrary to international law.")
    assert [r["stance"] for r in rows] == ["unlawful"]


def test_a_vow_of_response_to_an_act_states_no_position_on_it() -> None:
    assert positions("Two bombs exploded in the city on Wednesday, killing 95 people. The Supreme Leader vowed a "
                     "harsh response to the \"terrorist attack\".") == []
    # the same words as the holder's own judgment are a position
    rows = positions("Ebrahim Raisi called the strike a terrorist attack and a criminal act.")
    assert [r["stance"] for r in rows] == ["unlawful"]


def test_the_accused_in_a_relative_clause_neither_holds_nor_hides_the_speakers_position() -> None:
    rows = positions("Tehran prosecutor Ali Alqasimehr said Donald Trump and 30 others, whom Iran accuses of "
                     "involvement in the killing, face murder and terrorism charges.")
    assert [(r["holder_name"], r["stance"]) for r in rows] == [("Tehran prosecutor Ali Alqasimehr", "unlawful")]
