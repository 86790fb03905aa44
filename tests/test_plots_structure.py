"""Plots told across a report's structure (issue 13), on short texts written for each phenomenon: what
"the plot" refers back to, and which clause gives an act its roles."""

from __future__ import annotations

from typing import Any

from test_plots import CUR, corpus, roles
from test_plots_telling import STATES

from pipeline.extract.entities import EntityIndex
from pipeline.extract.plots import extract_plots

PERSONS = (("Omar Velt", ["Velt"]), ("Lena Marsh", ["Marsh"]), ("Farid Sahel", ["Sahel"]), "Ivo Brandt")


def run(paras: Any) -> dict[str, Any]:
    docs, passages, mentions = corpus(paras, PERSONS)
    return extract_plots(docs, passages, EntityIndex(mentions, STATES), CUR).tables


def _quotes(tables: dict[str, Any], plot_id: str) -> list[str]:
    return [m["quote"] for m in tables["plot_mentions"] if m["plot_id"] == plot_id]


def test_the_plot_refers_to_the_plot_told_not_to_a_past_killing_named_in_passing() -> None:
    last = "Officials said the plot was real and that Sahel had tried to learn where Velt lived."
    t = run([
        "Prosecutors said Farid Sahel offered to pay a man to kill Omar Velt.",
        "Officials said the attack was meant to avenge the death of Ivo Brandt, killed in 2019 in a drone "
        "strike ordered by Lena Marsh.",
        last,
    ])
    by_target = {next(a["person_id"] for a in t["plot_actors"] if a["plot_id"] == p["plot_id"] and a["role"] == "target"): p
                 for p in t["plots"]}
    assert set(by_target) == {"omar-velt", "ivo-brandt"}
    assert last in _quotes(t, by_target["omar-velt"]["plot_id"])
    assert last not in _quotes(t, by_target["ivo-brandt"]["plot_id"])
    assert by_target["ivo-brandt"]["status"] == "executed"


def test_a_clause_after_a_preposition_with_its_own_subject_takes_no_roles_from_above() -> None:
    # the state fired the missiles; the strike that killed Velt was ordered by Marsh
    t = run(["Ruritania launched missiles at a base after a drone strike ordered by Lena Marsh killed Omar Velt."])
    assert len(t["plots"]) == 1
    got = roles(t["plot_actors"], t["plots"][0]["plot_id"])
    assert got == {("omar-velt", "target"), ("lena-marsh", "sponsor")}
    # told in the main clause, the state is the one who killed
    t = run(["Ruritania killed Omar Velt with a drone strike ordered by Lena Marsh."])
    assert ("government-of-ruritania", "perpetrator") in roles(t["plot_actors"], t["plots"][0]["plot_id"])


def test_the_plotters_leader_and_the_state_they_serve_stand_behind_the_plot() -> None:
    t = run(["Three Ruritanian intelligence officers schemed to abduct Omar Velt in Oslo.",
             "The cell, led by Farid Sahel, began conspiring to abduct Velt in March 2021."])
    assert len(t["plots"]) == 1
    got = roles(t["plot_actors"], t["plots"][0]["plot_id"])
    assert {("government-of-ruritania", "sponsor"), ("farid-sahel", "sponsor"), ("omar-velt", "target")} <= got


def test_a_charge_against_the_plotters_told_before_gives_the_plot_its_stage() -> None:
    paras = ["Three Ruritanian intelligence officers allegedly schemed to abduct Omar Velt in Oslo.",
             "A spokesman said the ministry has charged the three with kidnapping."]
    t = run(paras)
    assert len(t["plots"]) == 1 and t["plots"][0]["status"] == "charged"
    assert len(t["plot_mentions"]) == 2
    # without the charge, the plot is only alleged
    t = run(paras[:1])
    assert t["plots"][0]["status"] == "alleged"
