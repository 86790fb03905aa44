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
