"""Who stands behind a plot and who it is against, on short texts written for each phenomenon (issue 13):
unnamed agents of a state or organization make it the plot's sponsor; a possessor misparsed as a second
object is no target; a pronoun read as the target never names one of the plot's own hired men."""

from __future__ import annotations

from spacy.tokens import Doc
from test_plots import CUR, corpus, roles
from test_plots_telling import STATES

from pipeline.extract.entities import EntityIndex
from pipeline.extract.nlp import require_model
from pipeline.extract.plots import extract_plots, mentions_of_source
from pipeline.extract.sentences import Parser, Sentence


def run(paras: list[str], persons: tuple = (), orgs: tuple = ()) -> tuple[list[dict], list[dict]]:
    docs, passages, mentions = corpus(paras, persons, orgs)
    res = extract_plots(docs, passages, EntityIndex(mentions, STATES), CUR)
    return res.tables["plots"], res.tables["plot_actors"]


def test_unnamed_agents_of_a_state_make_it_the_sponsor() -> None:
    for text in ("A Ruritanian intelligence officer and three alleged members of a Ruritanian intelligence network "
                 "have been charged in Boston with plotting to kidnap Lena Marsh, a writer.",
                 "Three members of a Ruritanian spy ring were charged with plotting to kidnap Lena Marsh."):
        plots, actors = run([text], persons=("Lena Marsh",))
        assert len(plots) == 1, text
        assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target"), ("government-of-ruritania", "sponsor")}
        assert plots[0]["sponsor_org_id"] == "government-of-ruritania"


def test_an_officer_of_a_named_group_makes_the_group_the_sponsor() -> None:
    plots, actors = run(["Prosecutors say an officer of the Blue Guard plotted to kill Lena Marsh."],
                        persons=("Lena Marsh",), orgs=("Blue Guard",))
    assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target"), ("blue-guard", "sponsor")}


def test_an_unnamed_official_as_target_names_no_sponsor() -> None:
    # the same nouns on the target side describe a victim, not a state acting
    plots, actors = run(["Carl Dunn was charged with plotting to kill a Ruritanian official."], persons=("Carl Dunn",))
    assert len(plots) == 1
    assert roles(actors, plots[0]["plot_id"]) == {("carl-dunn", "perpetrator")}


def test_the_former_boss_of_a_target_is_no_target() -> None:
    # the parse makes both the possessor and the adviser objects of "murder"
    plots, actors = run(["The Justice Department has charged a Ruritanian citizen with plotting to murder President "
                         "Velt’s former national security advisor John Bolt."],
                        persons=(("Omar Velt", ["Velt"]), ("John Bolt", ["Bolt"])))
    assert len(plots) == 1
    assert roles(actors, plots[0]["plot_id"]) == {("john-bolt", "target")}
    assert plots[0]["name"] == "Plot to assassinate John Bolt"


def test_a_plot_is_never_against_one_of_its_hired_men() -> None:
    persons = (("Carl Dunn", ["Dunn"]), ("Tom Reyes", ["Reyes"]), ("Jon Hale", ["Hale"]))
    plots, actors = run([
        "According to prosecutors, Carl Dunn is one of three men involved in a plot to murder a U.S. citizen in "
        "Boston. He had worked with Tom Reyes, 49, and Jon Hale, 36, to watch a female reporter who had criticized "
        "the Ruritanian government. Reyes and Hale were offered $100,000 to find and kill her.",
        "Dunn, Reyes and Hale were charged with murder-for-hire.",
    ], persons=persons)
    assert len(plots) == 1
    got = roles(actors, plots[0]["plot_id"])
    assert not {r for r in got if r[1] == "target"}, got
    assert {("carl-dunn", "perpetrator"), ("tom-reyes", "perpetrator"), ("jon-hale", "perpetrator")} <= got
    assert "Reyes" not in plots[0]["name"] and "Hale" not in plots[0]["name"]


def test_her_still_stands_for_the_target_named_before() -> None:
    # the pronoun's antecedent is the one the plot is against, not one of those paid to act
    plots, actors = run(["Lena Marsh writes about exiles. Tom Reyes was paid to kill her."],
                        persons=("Lena Marsh", ("Tom Reyes", ["Reyes"])))
    assert len(plots) == 1
    assert ("lena-marsh", "target") in roles(actors, plots[0]["plot_id"])


def test_a_telling_naming_no_target_joins_the_articles_plot_of_the_same_act() -> None:
    plots, actors = run([
        "Four Ruritanian nationals were charged Tuesday with conspiracy to kidnap a journalist in Boston, officials said.",
        "Lena Marsh, a writer, said she was the target of the alleged plot.",
        "A Ruritanian intelligence officer and three members of a Ruritanian spy network have been charged with "
        "plotting to kidnap a prominent activist and take her back to Ruritania.",
    ], persons=("Lena Marsh",))
    assert len(plots) == 1
    assert plots[0]["name"] == "Plot to kidnap Lena Marsh" and plots[0]["status"] == "charged"
    assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target"), ("government-of-ruritania", "sponsor")}


def test_a_telling_of_another_act_or_another_plot_stays_apart() -> None:
    # a killing plot told without a name is not the article's kidnapping plot; "a separate plot" says it is another
    for second in ("Two other men were charged with plotting to kill a prominent activist.",
                   "In a separate plot, two men were charged with plotting to kidnap a prominent activist.",
                   "Two other men were charged with plotting to kidnap a prominent activist."):
        plots, _ = run(["Carl Dunn was charged with plotting to kidnap Lena Marsh.", second],
                       persons=("Lena Marsh", "Carl Dunn"))
        assert len(plots) == 2, second


def test_a_definite_description_refers_to_the_target_named_before() -> None:
    plots, actors = run([
        "Carl Dunn was charged with plotting to kill John Bolt.",
        "Allegedly, Dunn agreed to pay people $300,000 to assassinate the former adviser.",
    ], persons=(("Carl Dunn", ["Dunn"]), "John Bolt"))
    assert len(plots) == 1
    assert roles(actors, plots[0]["plot_id"]) == {("john-bolt", "target"), ("carl-dunn", "perpetrator")}


def test_a_conjunct_sharing_an_indefinite_article_names_no_one() -> None:
    # "a general and top militia leader": both unnamed, so the anniversary of their killing tells no plot
    plots, _ = run(["Crowds gathered in a square on Sunday to mark the anniversary of the killing of a powerful "
                    "Ruritanian general and top militia leader in a U.S. drone strike."])
    assert plots == []


def test_the_owner_of_a_record_ordered_what_it_lists() -> None:
    plots, actors = run(["Officials believe that Ruritania opposed Paul Ennis because of his tough stance, including "
                         "leaving the treaty, imposing sanctions, and ordering the killing of General Omar Velt."],
                        persons=(("Paul Ennis", ["Ennis"]), "Omar Velt"))
    assert [(p["name"], p["status"]) for p in plots] == [("Killing of Omar Velt", "executed")]
    assert roles(actors, plots[0]["plot_id"]) == {("omar-velt", "target"), ("paul-ennis", "sponsor")}


def test_the_group_a_plotter_is_said_to_serve_elsewhere_stands_behind_the_plot() -> None:
    persons = (("Carl Dunn", ["Dunn"]), ("John Bolt", ["Bolt"]))
    plots, actors = run(["Prosecutors said Carl Dunn offered to pay a hitman $300,000 to kill John Bolt.",
                         "Agents say Dunn is a member of Ruritania’s Blue Guard who sought revenge for a strike."],
                        persons=persons, orgs=("Blue Guard",))
    assert len(plots) == 1 and plots[0]["sponsor_org_id"] == "blue-guard"
    assert ("blue-guard", "sponsor") in roles(actors, plots[0]["plot_id"])
    # the group of the plot's target sponsors nothing
    plots, actors = run(["Carl Dunn, a member of the Blue Guard, said on Monday that he feared for his life.",
                         "Prosecutors say John Bolt plotted to kill Dunn."], persons=persons, orgs=("Blue Guard",))
    assert roles(actors, plots[0]["plot_id"]) == {("carl-dunn", "target"), ("john-bolt", "perpetrator")}


# -- the accused named by the verbs above an unnamed filler (issue 13, dev set 4 kinds) ----------------------

def test_the_accused_is_the_perpetrator_past_an_unnamed_sum_or_crew() -> None:
    # "to pay $50,000 to a crew to kill X": the sum and the crew fill lower roles; the one charged did it
    for text in ("Prosecutors said Tom Reyes was charged with offering to pay $50,000 to a crew in Boston to "
                 "kill Lena Marsh.",
                 "Tom Reyes tried to hire gunmen in Boston to kill Lena Marsh, prosecutors said."):
        plots, actors = run([text], persons=(("Tom Reyes", ["Reyes"]), "Lena Marsh"))
        assert len(plots) == 1, text
        got = roles(actors, plots[0]["plot_id"])
        assert ("lena-marsh", "target") in got, text
        assert {r for r in got if r[0] == "tom-reyes"} & {("tom-reyes", "perpetrator"), ("tom-reyes", "sponsor")}, text


def test_a_charged_conjunct_shares_the_subject_of_the_verb_it_is_joined_to() -> None:
    # the parse joins "was charged" to the relative clause's verb; the person is still the one charged
    plots, actors = run(["Tom Reyes sought to recruit gunmen in Boston to carry out the plot against Lena Marsh.",
                         "Reyes, who officials say lived in Ruritania for years, was charged with murder for hire "
                         "in a Boston court."],
                        persons=(("Tom Reyes", ["Reyes"]), "Lena Marsh"))
    assert len(plots) == 1
    got = roles(actors, plots[0]["plot_id"])
    assert ("tom-reyes", "perpetrator") in got and ("lena-marsh", "target") in got
    # the subject of a verb the charged one is merely joined to elsewhere is no accused of its own
    plots, actors = run(["Lena Marsh wrote about the case and was charged with plotting to kill Carl Dunn."],
                        persons=("Lena Marsh", "Carl Dunn"))
    assert ("lena-marsh", "perpetrator") in roles(actors, plots[0]["plot_id"])
    plots, actors = run(["Carl Dunn was the target, and two men were charged with plotting to kill him in Boston."],
                        persons=("Carl Dunn",))
    assert all(r[1] != "perpetrator" for p in plots for r in roles(actors, p["plot_id"]))


def test_the_one_who_hatched_a_plot_did_it() -> None:
    plots, actors = run(["Tom Reyes hatched a plot to kill Lena Marsh, prosecutors say."],
                        persons=(("Tom Reyes", ["Reyes"]), "Lena Marsh"))
    assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target"), ("tom-reyes", "perpetrator")}
    assert plots[0]["status"] in ("planned", "alleged")


def test_a_named_target_of_the_plot_joins_the_plot_told_before_in_the_article() -> None:
    # a killing named in passing between the plot and "among the targets of the plot" is no plot to refer to
    plots, actors = run([
        "A Ruritanian man has been charged in a foiled plot to assassinate a U.S. official, the department said.",
        "Tom Reyes sought to recruit hitmen to carry out the plot in revenge for the killing of Omar Velt in 2019.",
        "Investigators believe that Lena Marsh was among the intended targets of the plot, a newspaper reported.",
    ], persons=(("Tom Reyes", ["Reyes"]), "Lena Marsh", "Omar Velt"))
    marsh = [p for p in plots if ("lena-marsh", "target") in roles(actors, p["plot_id"])]
    assert len(marsh) == 1
    assert marsh[0]["status"] != "executed"
    assert ("tom-reyes", "perpetrator") in roles(actors, marsh[0]["plot_id"]) or (
        "tom-reyes", "sponsor") in roles(actors, marsh[0]["plot_id"])
    assert not any(p["status"] == "executed" and ("lena-marsh", "target") in roles(actors, p["plot_id"])
                   for p in plots)


def test_a_person_described_as_killed_earlier_is_no_target_of_the_plot_around() -> None:
    # "to avenge X, killed in 2019 in a drone strike": where the parse hangs the participle on the person, it
    # tells a past act in passing; the plot around it is against the one it names as its own target
    text = ("The plot, meant to avenge the death of general Omar Velt, killed in 2019 in a drone strike, was exposed "
            "by the police.")
    docs, passages, mentions = corpus([text], ("Omar Velt",))
    parsed = require_model()(text)
    killed = next(t for t in parsed if t.text == "killed")
    velt = next(t for t in parsed if t.text == "Velt")
    heads = [velt.i if t.i == killed.i else t.head.i for t in parsed]
    deps = ["acl" if t.i == killed.i else t.dep_ for t in parsed]
    doc = Doc(parsed.vocab, words=[t.text for t in parsed], spaces=[bool(t.whitespace_) for t in parsed],
              heads=heads, deps=deps, tags=[t.tag_ for t in parsed], pos=[t.pos_ for t in parsed],
              lemmas=[t.lemma_ for t in parsed], ents=[t.ent_iob_ + ("-" + t.ent_type_ if t.ent_type_ else "")
                                                    for t in parsed])

    class Fixed(Parser):
        def prefetch(self, sents: object) -> None:
            pass

        def __call__(self, sent: Sentence) -> Doc:
            return doc

    found, _ = mentions_of_source(docs[0], passages, EntityIndex(mentions, STATES), CUR, Fixed(), [])
    velt_told = [pm for pm in found if any(a.entity_id == "omar-velt" for a in pm.targets)]
    assert velt_told and all(pm.presupposed and pm.statuses == ["executed"] for pm in velt_told)
    # the plot word keeps its own stage and is against no one named here
    plot = [pm for pm in found if pm.kind == "plot"]
    assert plot and all(not pm.targets and "executed" not in pm.statuses for pm in plot)


# -- who acts for whom: phrases and descriptions naming the sponsor ------------------------------------------

ORGS = (("Blue Guard", []),)


def test_acting_or_working_for_a_group_makes_it_the_sponsor() -> None:
    # (the first: the parse hangs "plotted" on the plotter like a participle on its object, "the man targeted";
    # nobody is plotted, the plotter is its perpetrator)
    for text in ("Carl Dunn, acting at the direction of the Blue Guard, plotted to kill Lena Marsh, officials said.",
                 "Officials say Carl Dunn was working for the Blue Guard when he plotted to kill Lena Marsh.",
                 "Carl Dunn worked for the Blue Guard for a decade. He was charged with plotting to kill Lena Marsh."):
        plots, actors = run([text], persons=(("Carl Dunn", ["Dunn"]), "Lena Marsh"), orgs=ORGS)
        assert len(plots) == 1, text
        assert roles(actors, plots[0]["plot_id"]) == {
            ("lena-marsh", "target"), ("carl-dunn", "perpetrator"), ("blue-guard", "sponsor")}, text


def test_the_target_working_for_a_group_gives_no_sponsor() -> None:
    for text in ("Lena Marsh, who worked for the Blue Guard, was the target of a plot by Carl Dunn.",
                 "Lena Marsh, who spoke on behalf of the Ruritanian government, was the target of a plot by Carl Dunn."):
        plots, actors = run([text], persons=(("Carl Dunn", ["Dunn"]), "Lena Marsh"), orgs=ORGS)
        assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target"), ("carl-dunn", "perpetrator")}, text


def test_a_state_the_act_is_done_on_behalf_of_is_its_sponsor() -> None:
    plots, actors = run(["A Ruritanian man was charged on Monday with trying to kill Lena Marsh on behalf of the "
                         "Ruritanian government."], persons=("Lena Marsh",))
    assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target"), ("government-of-ruritania", "sponsor")}


def test_the_one_paid_to_kill_is_the_perpetrator_the_payer_the_sponsor() -> None:
    for text in ("Officials said the Blue Guard had paid Carl Dunn $100,000 to kill Lena Marsh.",
                 "Officials said the Blue Guard had paid $100,000 to Carl Dunn to kill Lena Marsh."):
        plots, actors = run([text], persons=(("Carl Dunn", ["Dunn"]), "Lena Marsh"), orgs=ORGS)
        assert roles(actors, plots[0]["plot_id"]) == {
            ("lena-marsh", "target"), ("carl-dunn", "perpetrator"), ("blue-guard", "sponsor")}, text


def test_a_second_name_after_alias_is_no_second_actor() -> None:
    # the parse makes the alias a second subject; the model may even call it an organization
    plots, actors = run(["Prosecutors said Darius Kamali, alias Reza Mostofi, 52, was charged with plotting to kill "
                         "Lena Marsh."], persons=("Darius Kamali", "Lena Marsh"), orgs=("Reza Mostofi",))
    assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target"), ("darius-kamali", "perpetrator")}
    assert plots[0]["sponsor_org_id"] is None
    # two people named side by side both did it
    plots, actors = run(["Prosecutors said Darius Kamali and Reza Mostofi were charged with plotting to kill "
                         "Lena Marsh."], persons=("Darius Kamali", "Lena Marsh", "Reza Mostofi"))
    assert {r for r in roles(actors, plots[0]["plot_id"]) if r[1] == "perpetrator"} == {
        ("darius-kamali", "perpetrator"), ("reza-mostofi", "perpetrator")}


def test_who_set_the_means_of_a_killing_to_work_did_it() -> None:
    plots, actors = run(["Lena Marsh was killed by a car bomb planted by Blue Guard agents in 2020."],
                        persons=("Lena Marsh",), orgs=ORGS)
    assert [p["status"] for p in plots] == ["executed"]
    assert roles(actors, plots[0]["plot_id"]) == {("lena-marsh", "target"), ("blue-guard", "perpetrator")}
    # with nobody named behind the means, a killing told as past fact is no plot
    plots, _ = run(["Lena Marsh was killed by a car bomb in 2020."], persons=("Lena Marsh",), orgs=ORGS)
    assert plots == []


def test_a_group_named_on_a_perpetrators_description_stands_behind_the_plot() -> None:
    for text in ("Carl Dunn, a Blue Guard operative, tried to hire gunmen to kill Lena Marsh, officials said.",
                 "Carl Dunn, a senior Blue Guard official, was charged with plotting to kill Lena Marsh."):
        plots, actors = run([text], persons=(("Carl Dunn", ["Dunn"]), "Lena Marsh"), orgs=ORGS)
        assert roles(actors, plots[0]["plot_id"]) == {
            ("lena-marsh", "target"), ("carl-dunn", "perpetrator"), ("blue-guard", "sponsor")}, text
    # described so, the target's group sponsors nothing; a noun that is no agent of the group names no employer
    for text in ("Lena Marsh, a Blue Guard officer, was the target of a plot by Carl Dunn.",
                 "Carl Dunn, a Blue Guard critic, plotted to kill Lena Marsh, officials said."):
        plots, actors = run([text], persons=(("Carl Dunn", ["Dunn"]), "Lena Marsh"), orgs=ORGS)
        assert ("blue-guard", "sponsor") not in roles(actors, plots[0]["plot_id"]), text
