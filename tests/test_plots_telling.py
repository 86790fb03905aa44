"""Plots told over several sentences of one report, and states behind plots (issue 13), on short
texts written for each phenomenon: a target named in another sentence than the plot's, a defendant
cleared of the plot itself, a state acting through its government or agents."""

from __future__ import annotations

from typing import Any

from test_plots import CUR, corpus, roles

from pipeline.extract.entities import EntityIndex
from pipeline.extract.plots import extract_plots

# forms naming the state of an invented country, as ``organizations.state_forms`` builds them
STATES = {form: "government-of-ruritania" for form in ("ruritania", "ruritanian", "ruritanian government")}


def run(paras: Any, persons: tuple[str, ...] = ()) -> tuple[list[dict], list[dict]]:
    docs, passages, mentions = corpus(paras, persons)
    res = extract_plots(docs, passages, EntityIndex(mentions, STATES), CUR)
    return res.tables["plots"], res.tables["plot_actors"]


def test_a_target_named_in_a_later_sentence_is_the_plots_target() -> None:
    plots, actors = run([
        "Three men have been charged with conspiring to abduct a Boston-based journalist, prosecutors say.",
        "The papers do not name her, but Lena Marsh, a writer, said she was the target of the plot.",
        "Prosecutors said the Ruritanian government had sought to lure the journalist to a third country.",
    ], persons=("Lena Marsh",))
    assert len(plots) == 1
    got = roles(actors, plots[0]["plot_id"])
    assert ("lena-marsh", "target") in got
    # the state that "sought to lure" her stands behind the plot
    assert ("government-of-ruritania", "sponsor") in got and plots[0]["sponsor_org_id"] == "government-of-ruritania"
    # the name is built from the target, and the act is the one told (no kill word was used)
    assert plots[0]["name"] == "Plot to kidnap Lena Marsh"


def test_a_heading_telling_who_the_target_was() -> None:
    head = "Body > Lena Marsh says she was the target of the plot"
    plots, actors = run([
        (head, "Three men have been charged with conspiring to abduct a Boston-based journalist, prosecutors say."),
        (head, "Lena Marsh, 44, writes about exiles."),
    ], persons=("Lena Marsh",))
    assert len(plots) == 1 and plots[0]["status"] == "charged"
    assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target")}
    assert "the plot" not in plots[0]["name"]


def test_a_defendant_not_accused_of_the_plot_itself_is_no_perpetrator() -> None:
    plots, actors = run([
        "Three men have been charged with conspiring to kidnap Lena Marsh.",
        "A fourth defendant, Carl Dunn, was arrested in May.",
        "He is not accused of taking part directly in the plot, but is charged with sending money to the men.",
        "Dunn has pleaded not guilty.",
    ], persons=("Lena Marsh", "Carl Dunn"))
    assert len(plots) == 1 and plots[0]["status"] == "charged"
    assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target")}
    # without the clearing sentence, the arrested defendant is read as one of the plot's people
    plots, actors = run([
        "Three men have been charged with conspiring to kidnap Lena Marsh.",
        "A fourth defendant, Carl Dunn, was arrested in May.",
    ], persons=("Lena Marsh", "Carl Dunn"))
    assert ("carl-dunn", "perpetrator") in roles(actors, plots[0]["plot_id"])


def test_a_state_named_itself_or_on_its_agents_sponsors_the_plot() -> None:
    for text in ("Ruritania was on the verge of assassinating Omar Velt in 2015, but the plan was exposed.",
                 "Ruritanian operatives came close to killing Omar Velt in Vienna in 2019.",
                 "Omar Velt was unsuccessfully targeted by Ruritanian drones in 2017."):
        plots, actors = run([text], persons=("Omar Velt",))
        assert len(plots) == 1, text
        got = roles(actors, plots[0]["plot_id"])
        assert got == {("omar-velt", "target"), ("government-of-ruritania", "sponsor")}, (text, got)


def test_a_people_noun_is_no_state() -> None:
    # the plural of a nationality names people, not the state: no state actor, no target
    plots, actors = run(["Ruritanians 'plotted to kidnap Omar Velt', prosecutors say."], persons=("Omar Velt",))
    assert len(plots) == 1
    assert roles(actors, plots[0]["plot_id"]) == {("omar-velt", "target")}


def test_a_description_given_to_a_named_target_refers_to_him_later() -> None:
    plots, actors = run([
        "Omar Velt was charged with plotting to kill John Bolt, the former national security advisor.",
        "Allegedly, Velt agreed to pay people $300,000 to assassinate the former national security advisor.",
    ], persons=("Omar Velt", "John Bolt"))
    assert len(plots) == 1  # one plot, not a second one against "the former national security advisor"
    assert {("john-bolt", "target"), ("omar-velt", "perpetrator")} <= roles(actors, plots[0]["plot_id"])


def test_the_one_known_for_ordering_a_killing_sponsored_it() -> None:
    plots, actors = run(["Paul Ennis, who is known for ordering the killing of General Omar Velt in 2020, spoke "
                         "on Monday."], persons=("Paul Ennis", "Omar Velt"))
    assert len(plots) == 1 and plots[0]["status"] == "executed"
    assert roles(actors, plots[0]["plot_id"]) == {("omar-velt", "target"), ("paul-ennis", "sponsor")}


def test_charges_or_a_warrant_against_someone_name_the_accused() -> None:
    for text in ("Prosecutors filed charges against Carl Dunn for plotting to kill Omar Velt.",
                 "Ruritania issued an arrest warrant for Carl Dunn over the plot to kill Omar Velt."):
        plots, actors = run([text], persons=("Carl Dunn", "Omar Velt"))
        assert len(plots) == 1, text
        # the accused is the perpetrator; the authority accusing him is no party to the plot
        assert roles(actors, plots[0]["plot_id"]) == {("omar-velt", "target"), ("carl-dunn", "perpetrator")}, text


def test_a_past_attempt_referred_to_is_its_own_plot() -> None:
    plots, _ = run(["On July 16, 2024, in the aftermath of the attempted assassination of Paul Ennis, the "
                         "police revealed details about a Ruritanian plot to assassinate Paul Ennis."],
                        persons=("Paul Ennis",))
    got = sorted((p["name"], p["status"], p["sponsor_org_id"]) for p in plots)
    assert got == [("Assassination attempt on Paul Ennis", "attempted", None),
                   ("Plot to assassinate Paul Ennis", "foiled", "government-of-ruritania")]


def test_raids_targeting_a_leader_are_an_attempt_by_the_state_named_on_them() -> None:
    plots, actors = run(["Such cases include Ruritanian air raids targeting Omar Velt in 1986."], persons=("Omar Velt",))
    assert [(p["status"], p["date"]) for p in plots] == [("attempted", "1986")]
    assert roles(actors, plots[0]["plot_id"]) == {("omar-velt", "target"), ("government-of-ruritania", "sponsor")}


def test_an_operation_called_off_was_considered_and_is_no_plot_against_a_person() -> None:
    plots, _ = run(["Paul Ennis wanted to kill Omar Velt because the decision to call off an airstrike against "
                    "Ruritania in 2019 had been criticized."], persons=("Omar Velt", "Paul Ennis"))
    got = sorted((p["name"], p["status"]) for p in plots)
    assert got == [("Considered killing of Omar Velt", "considered"), ("Plot to attack Ruritania", "considered")]


def test_raids_on_two_leaders_each_in_its_own_years_are_two_attempts() -> None:
    # the parse hangs the second leader under the first year's "in"; each leader has his own years
    plots, actors = run(["Such cases include Ruritanian air raids targeting Freedonian leader Omar Velt in 1986 and "
                         "Sylvanian leader Paul Ennis in 1991, 1998, and 2003."], persons=("Omar Velt", "Paul Ennis"))
    got = sorted((p["name"], p["status"], p["date"]) for p in plots)
    assert got == [("Assassination attempt on Omar Velt", "attempted", "1986"),
                   ("Assassination attempt on Paul Ennis", "attempted", "1991")]
    for p in plots:
        assert ("government-of-ruritania", "sponsor") in roles(actors, p["plot_id"])
    assert len({p["plot_id"] for p in plots}) == 2
    # two leaders of one raid, one date: one attempt against both
    plots, _ = run(["Ruritanian air raids targeted Omar Velt and Paul Ennis in 1991."], persons=("Omar Velt", "Paul Ennis"))
    assert [p["name"] for p in plots] == ["Assassination attempt on Omar Velt and Paul Ennis"]
