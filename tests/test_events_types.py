"""Events: the type of an occurrence comes from the predicate that tells it, not from a reporting verb
dated beside it nor from an occurrence word that is only talked about. Short texts written for each
phenomenon (fictional names)."""

from __future__ import annotations

from test_events import CUR, make_doc

from pipeline.extract.entities import EntityIndex
from pipeline.extract.events import extract_events

STATES = {"valdoria": "government-of-valdoria", "valdorian": "government-of-valdoria"}


def _events(text: str, published: str = "2021-03-10"):
    doc, ps = make_doc([("Body", p) for p in text.split("\n")], published=published)
    res = extract_events([doc], ps, EntityIndex([], states=STATES), CUR)
    acts: dict[str, set[tuple[str, str]]] = {}
    for a in res.tables["event_actors"]:
        acts.setdefault(a["event_id"], set()).add((a["person_id"] or a["org_id"], a["role"]))
    return res.tables["events"], acts


def test_an_act_reported_as_done_is_the_occurrence_the_saying_dates() -> None:
    evs, acts = _events("Valdoria has fired a salvo of rockets at the northern garrison, army officials said on Monday.")
    (ev,) = evs
    assert (ev["date"], ev["event_type"]) == ("2021-03-08", "attack")
    assert ("government-of-valdoria", "perpetrator") in acts[ev["event_id"]]


def test_a_saying_whose_content_tells_no_act_stays_a_statement() -> None:
    evs, _ = _events("The army said on Monday that a review of the damage at the garrison was under way.")
    assert [e["event_type"] for e in evs] == ["statement"]


def test_an_act_reported_as_possible_is_not_told_as_done() -> None:
    evs, _ = _events("Valdoria could launch rockets at the garrison within days, army officials said on Monday.")
    assert [e["event_type"] for e in evs] == ["statement"]


def test_a_vowed_or_threatened_act_is_a_statement() -> None:
    # dated by reference to the killing it answers: the vow is the occurrence told, not an attack
    evs, _ = _events("A drone strike killed Ramin Kohl on 5 March 2021.\n"
                     "A senior commander vowed that his men would attack the garrison in response to the killing.\n"
                     "The defence minister threatened on Tuesday to strike the ports.")
    assert sorted(e["event_type"] for e in evs if e["date"] != "2021-03-05") == ["statement", "statement"]


def test_an_occurrence_dismissed_by_a_speaker_is_the_dismissals_topic() -> None:
    evs, _ = _events("The envoy dismissed the arrest warrant on Tuesday as a publicity stunt.")
    assert [e["event_type"] for e in evs] == ["statement"]


def test_an_issued_warrant_is_still_the_legal_act() -> None:
    evs, _ = _events("On Tuesday a judge issued an arrest warrant for the envoy.")
    assert [e["event_type"] for e in evs] == ["legal_action"]


def test_a_claim_told_first_is_the_occurrence_not_the_act_it_claims() -> None:
    evs, _ = _events("On Monday the minister claimed that the rebels had carried out attacks on four depots.\n"
                     "On Tuesday the envoy asserted the raid was ordered by the council.")
    assert sorted(e["event_type"] for e in evs) == ["statement", "statement"]


def test_a_participle_describing_a_strike_does_not_type_it() -> None:
    # "authorized" describes the strike the clause's verb tells; its agent is the strike's sponsor
    text = "Ramin Kohl and his aide were assassinated in a drone strike authorized by Paul Ennis on January 3, 2020."
    doc, ps = make_doc([("Body", text)], published="2020-01-05")
    from test_events import mention
    res = extract_events([doc], ps, EntityIndex([mention(doc, "Ramin Kohl", "ramin-kohl"),
                                                 mention(doc, "Paul Ennis", "paul-ennis")]), CUR)
    (ev,) = res.tables["events"]
    assert ev["event_type"] == "strike"
    acts = {(a["person_id"], a["role"]) for a in res.tables["event_actors"]}
    assert acts == {("ramin-kohl", "victim"), ("paul-ennis", "sponsor")}


def test_a_session_held_to_answer_a_death_is_the_legislatures_act() -> None:
    evs, _ = _events("On Sunday, the assembly held a special session to issue a response to the general's death.",
                     published="2020-01-07")
    assert [e["event_type"] for e in evs] == ["political_action"]


def test_an_anniversary_gathering_is_not_the_strike_it_marks() -> None:
    # the day dates the gathering; the strike in the anniversary's of-phrase is not Sunday's occurrence
    evs, _ = _events("Thousands of people converged on a central square in Port Selm on Sunday to commemorate the "
                     "anniversary of the killing of a general in a drone strike.", published="2021-01-03")
    assert [(e["date"], e["event_type"]) for e in evs] == [("2021-01-03", "protest")]


def test_a_court_appearance_reported_by_a_ministry_is_a_legal_act() -> None:
    evs, _ = _events("The two suspects made their first court appearance Tuesday, the ministry said.")
    assert [(e["date"], e["event_type"]) for e in evs] == [("2021-03-09", "legal_action")]


def test_taking_to_social_media_is_a_statement() -> None:
    evs, _ = _events("On Tuesday, the ministry took to Twitter to mock its rival.")
    assert [e["event_type"] for e in evs] == ["statement"]


def test_rejecting_what_others_said_is_a_statement_rejecting_a_bill_a_political_act() -> None:
    evs, _ = _events("The minister rejected the accusations on Tuesday.")
    assert [e["event_type"] for e in evs] == ["statement"]
    evs, _ = _events("The parliament rejected the budget bill on Tuesday.")
    assert [e["event_type"] for e in evs] == ["political_action"]


def test_who_speaks_at_a_press_conference_is_its_actor() -> None:
    from test_events_legal_acts import _run

    (ev,) = _run("Omar Tell called the move a stunt at a press conference in the capital on Monday.",
                 [("Omar Tell", "omar-tell", "person")])
    assert ev[1] == "statement" and ev[2] == {("omar-tell", "actor")}


def test_the_possessor_of_a_decision_made_it() -> None:
    from test_events_legal_acts import _run

    (ev,) = _run("The crisis began with Omar Tell's decision in May 2018 to leave the pact.",
                 [("Omar Tell", "omar-tell", "person")])
    assert (ev[0], ev[1]) == ("2018-05", "political_action") and ev[2] == {("omar-tell", "actor")}
