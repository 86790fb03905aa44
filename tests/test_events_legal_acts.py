"""Events: the legal acts (charges, arrests, warrants, indictments) and claims of responsibility -- who
acted and whom the act is against, read from the frame of the words telling it; and the occurrence a
date tells when the sentence names a neighbour (a memorial the victims attended, a plot avenging a
killing, an anniversary). Short texts in our own words, fictional names."""

from __future__ import annotations

from test_events import CUR, make_doc, mention

from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.events import extract_events

STATES = {"valdoria": "government-of-valdoria", "valdorian": "government-of-valdoria"}


def _run(text: str, names: list[tuple[str, str, str]] = ()):  # type: ignore[assignment]
    """Events of a one-paragraph-per-line text; ``names``: (surface, entity_id, kind), every occurrence marked."""
    doc, ps = make_doc([("Body", p) for p in text.split("\n")], published="2021-03-10")
    ents: list[EntityMention] = []
    for surface, eid, kind in names:
        for i in range(doc.text.count(surface)):
            ents.append(mention(doc, surface, eid, kind, nth=i))
    res = extract_events([doc], ps, EntityIndex(sorted(ents, key=lambda m: m.char_start), states=STATES), CUR)
    acts: dict[str, set[tuple[str, str]]] = {}
    for a in res.tables["event_actors"]:
        acts.setdefault(a["event_id"], set()).add((a["person_id"] or a["org_id"], a["role"]))
    return [(e["date"], e["event_type"], acts.get(e["event_id"], set())) for e in res.tables["events"]]


KOHL = ("Ramin Kohl", "ramin-kohl", "person")
TELL = ("Omar Tell", "omar-tell", "person")
LANTERN = ("Red Lantern", "red-lantern", "org")


def test_whom_a_court_act_is_against_is_its_target() -> None:
    (ev,) = _run("In March, the Valdorian government unsealed an indictment on Ramin Kohl and two aides.", [KOHL])
    assert ev[1] == "legal_action" and ("ramin-kohl", "target") in ev[2]
    (ev,) = _run("Valdoria issued a warrant for Ramin Kohl on 2 March 2021.", [KOHL])
    assert ev[1] == "legal_action"
    assert ev[2] == {("government-of-valdoria", "actor"), ("ramin-kohl", "target")}


def test_the_one_ordered_detained_is_the_target_not_the_actor() -> None:
    (_, ev) = _run("Ramin Kohl was charged on 3 March 2021. A federal judge ordered him detained on 5 March 2021.",
                   [KOHL])
    assert ev[0] == "2021-03-05" and ev[1] == "legal_action"
    assert ev[2] == {("ramin-kohl", "target")}


def test_names_in_apposition_to_the_arrested_are_its_targets() -> None:
    (ev,) = _run("Two other suspects on Friday, Ramin Kohl and Omar Tell, both Valdorian citizens, were arrested in "
                 "the capital.", [KOHL, TELL])
    assert ev[1] == "legal_action"
    assert ev[2] == {("ramin-kohl", "target"), ("omar-tell", "target")}


def test_who_claims_an_attack_is_its_perpetrator_and_the_group_posts_the_claim() -> None:
    evs = _run("The Red Lantern armed group claimed responsibility for two blasts that killed 40 people attending a "
               "memorial service for Omar Tell on Monday.\nThe group posted a statement on its channels on "
               "Tuesday.", [LANTERN, TELL])
    by_type = {t: (d, a) for d, t, a in evs}
    assert set(by_type) == {"attack", "statement"}  # the memorial the victims attended is no occurrence here
    assert by_type["attack"] == ("2021-03-08", {("red-lantern", "perpetrator")})
    assert by_type["statement"][1] == {("red-lantern", "actor")}


def test_an_unclaimed_attack_has_no_claimant() -> None:
    (ev,) = _run("Two blasts killed 40 people attending a memorial service for Omar Tell on Wednesday.", [TELL])
    assert ev[1] == "attack" and not {a for a in ev[2] if a[1] == "perpetrator"}


def test_a_killing_whose_of_phrase_runs_up_to_the_date_is_what_the_date_tells() -> None:
    (ev,) = _run("Ramin Kohl sought to hire gunmen for the plot in revenge for the Valdorian killing of the "
                 "militia's top commander Omar Tell in 2019.", [KOHL, TELL])
    assert ev[0] == "2019" and ev[1] in ("attack", "strike")
    assert ("omar-tell", "victim") in ev[2] and ("ramin-kohl", "perpetrator") not in ev[2]


def test_anniversary_marches_are_their_own_day_and_kind() -> None:
    evs = _run("The general was assassinated on March 3, 2019, and the date this year was marked by marches across "
               "the country.")
    assert [(d, t) for d, t, _ in evs] == [("2019-03-03", "strike"), ("2021", "protest")]


def test_mourners_marking_the_anniversary_of_a_strike_are_no_strike() -> None:
    evs = _run("Mourners marked the anniversary of the strike on Sunday.")
    assert [(d, t) for d, t, _ in evs] == [("2021-03-07", "funeral")]


def test_a_state_named_only_as_an_adjective_or_a_place_is_no_actor() -> None:
    (ev,) = _run("A Valdorian court appearance by Ramin Kohl took place in Valdoria on 4 March 2021.", [KOHL])
    assert ev[1] == "legal_action"
    assert not {a for a in ev[2] if a[0] == "government-of-valdoria"}


def test_it_and_they_are_not_read_back_into_an_acts_roles() -> None:
    # a plural or neuter pronoun is too often another party than the one named before it
    evs = _run("The Red Lantern group fired rockets at the port on 1 March 2021.\nThey discussed the decision to "
               "leave the pact on 2 March 2021.", [LANTERN])
    (decision,) = [a for d, t, a in evs if d == "2021-03-02"]
    assert not decision


def test_a_date_hung_on_a_killing_participle_dates_the_strike_not_the_plot() -> None:
    evs = _run("The plot, apparently meant to avenge the death of Omar Tell, killed in January 2020 in a Valdorian "
               "strike, was revealed to the police by the man hired to carry it out.", [TELL])
    assert [(d, t) for d, t, _ in evs] == [("2020-01", "strike")]
    assert ("omar-tell", "victim") in evs[0][2]


def test_charges_announced_are_the_legal_act_a_plain_saying_of_past_arrests_stays_a_statement() -> None:
    (ev,) = _run("On 2 March 2021, the justice ministry announced that Ramin Kohl, 45, was charged in his absence "
                 "with hiring men to kill a former envoy.", [KOHL])
    assert (ev[0], ev[1]) == ("2021-03-02", "legal_action") and ("ramin-kohl", "target") in ev[2]
    (ev,) = _run("The ministry said on 4 March 2021 that the suspect was arrested.")  # no announcing verb
    assert ev[1] == "statement"
