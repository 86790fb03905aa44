"""The stage of a plot (issue 13), on short texts written for each phenomenon: a stage word inside what
someone said about something else is not the plot's stage."""

from __future__ import annotations

from test_plots import run


def test_carried_out_in_someones_words_about_intentions_is_no_execution() -> None:
    plots, _ = run(["Carl Dunn agreed to pay people $300,000 to assassinate John Bolt. \"[He] told the source that it "
                    "did not matter how the murder was carried out, but that his group would need proof,\" a report "
                    "said."], persons=("Carl Dunn", "John Bolt"))
    assert [(p["name"], p["status"]) for p in plots] == [("Plot to assassinate John Bolt", "planned")]


def test_carried_out_said_of_the_plot_itself_is_an_execution() -> None:
    # (the stage word sits in what officials said, and so does the plot)
    plots, _ = run(["Officials said the plot to kill John Bolt was carried out on Monday."], persons=("John Bolt",))
    assert [p["status"] for p in plots] == ["executed"]



def test_saying_someone_must_be_removed_is_a_killing_considered() -> None:
    # a deliberation over someone's removal ("should be taken out", "must be eliminated"), no act told
    for verb in ("should be taken out", "must be eliminated"):
        plots, _ = run([f"In 2017 several aides told the president that Omar Farid {verb}."], persons=("Omar Farid",))
        assert [(p["name"], p["status"]) for p in plots] == [("Considered killing of Omar Farid", "considered")]


def test_a_threat_that_someone_will_be_removed_is_no_considered_killing() -> None:
    plots, _ = run(["Omar Farid said on Monday that the traitors will be eliminated."], persons=("Omar Farid",))
    assert [p["status"] for p in plots] != ["considered"]


def test_arrested_before_he_could_act_is_a_foiled_plot() -> None:
    plots, _ = run(["Carl Dunn was arrested in Boston before he could carry out the plot to kill John Bolt."],
                        persons=("Carl Dunn", "John Bolt"))
    assert [(p["name"], p["status"]) for p in plots] == [("Plot to assassinate John Bolt", "foiled")]
    # a modal without such a clause stays a threat, not a plot
    plots, _ = run(["Carl Dunn could kill John Bolt, officials warned on Monday."], persons=("Carl Dunn", "John Bolt"))
    assert plots == []



def test_an_attempt_on_someones_life_is_against_that_person() -> None:
    plots, _ = run(["John Bolt survived an attempt on his life in Boston in 2021."], persons=("John Bolt",))
    assert [(p["name"], p["status"]) for p in plots] == [("Assassination attempt on John Bolt", "failed")]
    plots, _ = run(["Police foiled an attempt on the life of John Bolt, the mayor, in May."], persons=("John Bolt",))
    assert [p["status"] for p in plots] == ["foiled"] and "John Bolt" in plots[0]["name"]


def test_an_act_ordered_is_planned_an_ordered_killing_told_as_done_is_executed() -> None:
    plots, _ = run(["Carl Dunn ordered his men to kill John Bolt, the court heard."], persons=("Carl Dunn", "John Bolt"))
    assert [p["status"] for p in plots] == ["planned"]
    plots, _ = run(["Carl Dunn ordered the killing of John Bolt in 2019, the court heard."],
                   persons=("Carl Dunn", "John Bolt"))
    assert [p["status"] for p in plots] == ["executed"]


def test_trying_to_hire_men_for_a_killing_is_planning_it() -> None:
    plots, _ = run(["Carl Dunn tried to hire two men to kill John Bolt, prosecutors said."],
                   persons=("Carl Dunn", "John Bolt"))
    assert [p["status"] for p in plots] == ["planned"]
    # trying the act itself is an attempt
    plots, _ = run(["Carl Dunn tried to kill John Bolt with poison, prosecutors said."], persons=("Carl Dunn", "John Bolt"))
    assert [p["status"] for p in plots] == ["attempted"]
