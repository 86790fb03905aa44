"""Events: the type of a dated occurrence is read from the head the parse gives -- the act a verb of
ordering or permission governs, the noun whose content clause a verb is, the noun a dated participle
describes -- and an act only instructed is no executed strike. Short texts written for each phenomenon
(fictional names)."""

from __future__ import annotations

from test_events import CUR, make_doc, mention

from pipeline.extract.entities import EntityIndex
from pipeline.extract.events import extract_events


def _events(text: str, names: dict[str, str] | None = None, published: str = "2021-03-11"):
    doc, ps = make_doc([("Body", p) for p in text.split("\n")], published=published)
    ents = [mention(doc, surface, eid) for surface, eid in (names or {}).items()]
    res = extract_events([doc], ps, EntityIndex(ents), CUR)
    acts: dict[str, set[tuple[str, str]]] = {}
    for a in res.tables["event_actors"]:
        acts.setdefault(a["event_id"], set()).add((a["person_id"] or a["org_id"], a["role"]))
    return res.tables["events"], acts


def test_a_permitted_strike_is_a_strike_whose_permitter_is_its_sponsor() -> None:
    evs, acts = _events("On 5 March 2021, Oren Talvik authorized the drone strike that killed Ramin Kohl near the port.",
                        {"Oren Talvik": "oren-talvik", "Ramin Kohl": "ramin-kohl"})
    (ev,) = evs
    assert (ev["date"], ev["event_type"]) == ("2021-03-05", "strike")
    assert ("oren-talvik", "sponsor") in acts[ev["event_id"]]


def test_an_act_ordered_in_the_passive_keeps_the_acts_type() -> None:
    evs, _ = _events("The raid on the depot was approved by the cabinet on 2 March 2021.")
    assert [e["event_type"] for e in evs] == ["attack"]


def test_approving_a_measure_stays_a_political_act() -> None:
    evs, _ = _events("On 2 March 2021 the cabinet approved the budget.")
    assert [e["event_type"] for e in evs] == ["political_action"]


def test_the_charges_dated_by_their_participle_are_the_legal_act_not_the_plot_they_allege() -> None:
    evs, acts = _events(
        "The Valdorian ministry rejected accusations that a navy officer plotted to kill former envoy Ramin Kohl, "
        "in its first answer to the indictment unsealed Wednesday by federal prosecutors.",
        {"Ramin Kohl": "ramin-kohl"})
    (ev,) = evs
    assert (ev["date"], ev["event_type"]) == ("2021-03-10", "legal_action")
    assert ("ramin-kohl", "victim") not in acts.get(ev["event_id"], set())


def test_an_assassination_only_instructed_is_a_plot_with_a_target() -> None:
    evs, acts = _events("Court papers say his handlers in August told him to stop and in September instructed him to "
                        "focus on watching the minister and finally the assassination of Ilse Marrow.",
                        {"Ilse Marrow": "ilse-marrow"})
    kinds = {e["event_type"] for e in evs if e["date"] == "2020-09"}
    assert kinds == {"plot"}
    ev = next(e for e in evs if e["date"] == "2020-09")
    assert ("ilse-marrow", "victim") not in acts.get(ev["event_id"], set())


def test_a_strike_carried_out_is_still_a_strike() -> None:
    evs, acts = _events("On 4 March 2021 a drone strike near the border killed the colonel Peter Hallam.",
                        {"Peter Hallam": "peter-hallam"})
    (ev,) = evs
    assert ev["event_type"] == "strike"
    assert ("peter-hallam", "victim") in acts[ev["event_id"]]


def test_a_dated_participle_that_tells_its_own_act_keeps_it() -> None:
    evs, _ = _events("Police questioned the protesters arrested on 3 March 2021 outside the ministry.")
    assert [e["event_type"] for e in evs] == ["legal_action"]


def test_a_permission_told_in_the_past_perfect_is_a_decision_of_its_own() -> None:
    # permitted months before the act: the date is the permission's, not the act's
    evs, _ = _events("Aides said that Oren Talvik had approved the raid on the depot back in May 2020.")
    assert [e["event_type"] for e in evs] == ["political_action"]


def test_a_dated_participle_of_the_same_kind_keeps_the_speaker() -> None:
    evs, acts = _events("In an address aired on 8 March 2021 on state radio, Premier Oren Talvik declared that the talks "
                        "were over.", {"Oren Talvik": "oren-talvik"})
    (ev,) = evs
    assert ev["event_type"] == "statement"
    assert ("oren-talvik", "actor") in acts[ev["event_id"]]
