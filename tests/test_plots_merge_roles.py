"""Plots: which tellings are one plot when people appear on both sides. An opening phrase whose object
the parse joins to the clause's subject ("Besides the plot against Y, A and two men were charged")
makes none of that subject a target; two plots, one's plotter being the other's target, never merge.
Short texts written for each phenomenon (fictional names)."""

from __future__ import annotations

from test_plots import roles
from test_plots_agents import run

PERSONS = (("Omar Velt", ["Velt"]), ("Carl Dunn", ["Dunn"]), ("Tom Reyes", ["Reyes"]), ("Jon Hale", ["Hale"]),
           ("Lena Marsh", ["Marsh"]))


def _targets(plots: list[dict], actors: list[dict]) -> set[str]:
    return {who for p in plots for who, role in roles(actors, p["plot_id"]) if role == "target"}


def test_the_subject_after_an_opening_phrase_is_no_target_of_its_plot() -> None:
    plots, actors = run([
        "Prosecutors charged Carl Dunn with plotting to assassinate Omar Velt.",
        "Besides the alleged plot against Velt, Dunn and two Boston men, Tom Reyes and Jon Hale, were implicated "
        "in a separate plan to kill a reporter.",
    ], persons=PERSONS)
    assert _targets(plots, actors) == {"omar-velt"}
    velt = [p for p in plots if ("omar-velt", "target") in roles(actors, p["plot_id"])]
    assert len(velt) == 1 and ("carl-dunn", "perpetrator") in roles(actors, velt[0]["plot_id"])


def test_a_list_of_targets_after_a_subject_stays_whole() -> None:
    # the verb has its own subject: the list is the plot's targets
    plots, actors = run(["Carl Dunn was charged with plotting against Omar Velt, Lena Marsh and Tom Reyes."],
                        persons=PERSONS)
    assert _targets(plots, actors) == {"omar-velt", "lena-marsh", "tom-reyes"}


def test_one_plots_plotter_as_the_others_target_keeps_two_plots() -> None:
    # both tell a plot against Velt, but the second has the first one's plotter among its targets
    plots, actors = run([
        "In 2023, Carl Dunn was charged with plotting to kill Omar Velt.",
        "In 2023, prosecutors said a plot to kill Omar Velt and Carl Dunn was foiled.",
    ], persons=PERSONS)
    assert len(plots) == 2
    assert all(not {("carl-dunn", "perpetrator"), ("carl-dunn", "target")} <= roles(actors, p["plot_id"])
               for p in plots)
