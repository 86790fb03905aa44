"""Plots: roles and dates read from the parse of the telling (pipeline/extract/plot_frames.py and the
MentionReader rules using it), on short texts written for each phenomenon."""

from __future__ import annotations

from test_plots import roles, run


def test_a_group_describing_the_target_sponsors_nothing() -> None:
    plots, actors = run(["Omar Qadri, a senior commander of the Harbor Brigade, was killed in a drone strike "
                         "ordered by Paul Ennis on Monday."],
                        persons=("Omar Qadri", "Paul Ennis"), orgs=("Harbor Brigade",))
    assert len(plots) == 1
    got = roles(actors, plots[0]["plot_id"])
    assert ("harbor-brigade", "sponsor") not in got and plots[0]["sponsor_org_id"] is None
    assert ("omar-qadri", "target") in got and ("paul-ennis", "sponsor") in got


def test_a_group_describing_the_perpetrator_sponsors_the_plot() -> None:
    plots, actors = run(["Prosecutors say Dana Wolk, a member of the Harbor Brigade, plotted to kill Omar Qadri."],
                        persons=("Dana Wolk", "Omar Qadri"), orgs=("Harbor Brigade",))
    assert len(plots) == 1
    got = roles(actors, plots[0]["plot_id"])
    assert {("harbor-brigade", "sponsor"), ("dana-wolk", "perpetrator"), ("omar-qadri", "target")} <= got


def test_the_authority_seeking_the_accused_is_no_perpetrator() -> None:
    plots, actors = run(["Tariq Lumen, who is wanted by the FBI on charges of plotting to kill Omar Qadri, "
                         "was seen in Minsk on Sunday."],
                        persons=("Tariq Lumen", "Omar Qadri"), orgs=("FBI",))
    assert len(plots) == 1
    got = roles(actors, plots[0]["plot_id"])
    assert not any(who == "fbi" for who, _ in got) and plots[0]["sponsor_org_id"] is None
    assert ("tariq-lumen", "perpetrator") in got and ("omar-qadri", "target") in got


def test_the_one_who_survived_an_attempt_was_its_target() -> None:
    plots, actors = run(["Omar Qadri survived an assassination attempt in Basra in March 2022."],
                        persons=("Omar Qadri",))
    assert [(p["status"], p["date"]) for p in plots] == [("failed", "2022-03")]
    assert roles(actors, plots[0]["plot_id"]) == {("omar-qadri", "target")}


def test_a_tenure_in_a_description_is_not_the_plots_date() -> None:
    plots, actors = run(["Omar Qadri, who served as deputy minister in 2018 and 2019, was the target of a foreign "
                         "plot, prosecutors said."], persons=("Omar Qadri",))
    assert len(plots) == 1 and plots[0]["date"] is None
    assert ("omar-qadri", "target") in roles(actors, plots[0]["plot_id"])
    plots, _ = run(["Omar Qadri, head of the border police since 1998, survived an assassination attempt."],
                   persons=("Omar Qadri",))
    assert len(plots) == 1 and plots[0]["date"] is None and plots[0]["status"] == "failed"


def test_a_first_clause_keeps_its_own_date_a_shared_opening_date_is_the_plots() -> None:
    plots, _ = run(["Omar Qadri has been head of the border police since 1998 and survived an assassination "
                    "attempt."], persons=("Omar Qadri",))
    assert len(plots) == 1 and plots[0]["date"] is None
    plots, _ = run(["In 2021, Dana Wolk plotted and tried to kill Omar Qadri."], persons=("Omar Qadri", "Dana Wolk"))
    assert len(plots) == 1 and plots[0]["date"] == "2021"


def test_a_killing_told_only_as_past_fact_is_no_plot() -> None:
    plots, _ = run(["Omar Qadri was killed in a drone strike near the border on Monday."], persons=("Omar Qadri",))
    assert plots == []
    plots, _ = run(["Crowds marked the anniversary of the assassination of Omar Qadri."], persons=("Omar Qadri",))
    assert plots == []


def test_a_killing_told_with_its_ordering_or_its_agent_is_a_plot() -> None:
    for text in ("Paul Ennis ordered the assassination of Omar Qadri in 2019.",
                 "Those who ordered and carried out the assassination of Omar Qadri will be punished.",
                 "The Harbor Brigade was behind the killing of Omar Qadri."):
        plots, _ = run([text], persons=("Omar Qadri", "Paul Ennis"), orgs=("Harbor Brigade",))
        assert [(p["status"], "Omar Qadri" in p["name"]) for p in plots] == [("executed", True)], text
