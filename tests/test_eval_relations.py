"""The relations scorer (bench/eval_relations.py) on a tiny made-up build: matching by overlap,
every-attribute checks, duplicates, optional items, holders, plots across reports, persons."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("eval_relations", ROOT / "bench" / "eval_relations.py")
assert _spec and _spec.loader
ev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ev)

TEXT = (
    "On 2 May 2031, rebels shelled the port of Varn, killing 4 sailors. "
    "The harbour master Lena Oster called the shelling illegal. "
    "Two days later the council voted to close the port."
)


def span(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return i, i + len(s)


def row(sid: str, s: str, **kw: Any) -> dict[str, Any]:
    a, b = span(s)
    return {"source_id": sid, "char_start": a, "char_end": b, "quote": s, **kw}


SID = "tiny-report"
SHELLING = "On 2 May 2031, rebels shelled the port of Varn, killing 4 sailors."
JUDGED = "The harbour master Lena Oster called the shelling illegal."
VOTE = "Two days later the council voted to close the port."


def tables(**over: Any) -> dict[str, list[dict[str, Any]]]:
    t: dict[str, list[dict[str, Any]]] = {
        "events": [
            {"event_id": "e1", "date": "2031-05-02", "event_type": "attack", "killed": 4, "location": "Varn",
             "place_id": "varn", "quote": SHELLING},
            # the vote dated on the shelling's day: a time-anchoring error
            {"event_id": "e2", "date": "2031-05-02", "event_type": "political_action", "killed": None,
             "location": None, "place_id": None, "quote": VOTE},
        ],
        "event_mentions": [row(SID, SHELLING, event_id="e1"), row(SID, VOTE, event_id="e2")],
        "event_actors": [{"event_id": "e1", "person_id": None, "org_id": "rebels", "role": "perpetrator"}],
        "legal_positions": [row(SID, JUDGED, holder_name="Lena Oster", holder_person_id="lena-oster",
                                holder_org_id=None, stance="unlawful", subject="the shelling")],
        "plots": [], "plot_actors": [],
        "persons": [{"person_id": "lena-oster", "name": "Lena Oster", "aliases": []}],
        "organizations": [{"org_id": "rebels", "name": "Rebels", "aliases": []}],
    }
    t.update(over)
    return t


ARTICLE = {
    "source_id": SID,
    "persons": [["Lena Oster", "Oster"]],
    "events": [
        {"key": "shelling", "date": "2031-05-02", "type": "attack", "place": ["Varn"], "killed": 4,
         "actors": [{"who": ["rebels"], "role": "perpetrator"}], "anchors": ["rebels shelled the port"]},
        {"key": "vote", "date": "2031-05-04", "type": "political_action", "killed": None,
         "anchors": ["the council voted"]},
    ],
    "legal": [{"key": "oster", "holder": ["lena-oster", "Oster"], "stance": "unlawful", "subject": ["shelling"],
               "anchors": ["called the shelling illegal"]}],
    "plots": [],
}


def test_every_attribute_and_a_wrong_date() -> None:
    res = ev.evaluate([ARTICLE], tables(), {SID: TEXT})
    e = res["events"]
    assert (e["expected"], e["matched"], e["right"], e["false_pos"]) == (2, 2, 1, 0)
    assert e["right_recall"] == 0.5 and e["attr_accuracy"]["date"] == 0.5
    assert res["legal"]["right"] == 1 and res["persons"]["recall"] == 1.0


def test_a_second_row_on_one_item_is_a_duplicate_unless_the_item_is_optional() -> None:
    t = tables()
    t["events"].append({"event_id": "e3", "date": "2031-05", "event_type": "attack", "killed": None,
                        "location": None, "place_id": None, "quote": SHELLING})
    t["event_mentions"].append(row(SID, SHELLING, event_id="e3"))
    assert ev.evaluate([ARTICLE], t, {SID: TEXT})["events"]["false_pos"] == 1
    relaxed = dict(ARTICLE, events=[dict(ARTICLE["events"][0], optional=True), ARTICLE["events"][1]])
    res = ev.evaluate([relaxed], t, {SID: TEXT})["events"]
    assert res["false_pos"] == 0 and res["expected"] == 1


def test_an_actor_in_the_wrong_role_and_a_holder_who_is_not_the_speaker() -> None:
    t = tables(event_actors=[{"event_id": "e1", "person_id": None, "org_id": "rebels", "role": "victim"}])
    t["legal_positions"][0].update(holder_name="the port", holder_person_id=None)
    res = ev.evaluate([ARTICLE], t, {SID: TEXT})
    assert res["events"]["attr_accuracy"]["actors"] == 0.0
    # a position given to someone else matches nothing: one miss, one false positive
    assert (res["legal"]["matched"], res["legal"]["false_pos"]) == (0, 1)


def test_plots_are_scored_across_reports_with_agents_checked() -> None:
    plot = {"key": "p", "status": "foiled", "status_alt": ["charged"], "target": ["lena-oster"],
            "perpetrator_or_sponsor": ["rebels"], "not_perpetrator": ["port-police"], "anchors": ["rebels shelled"]}
    t = tables(
        plots=[row(SID, SHELLING, plot_id="p1", name="Plot against Lena Oster", status="charged", summary="",
                   sponsor_org_id=None)],
        plot_actors=[{"plot_id": "p1", "person_id": "lena-oster", "org_id": None, "role": "target"},
                     {"plot_id": "p1", "person_id": None, "org_id": "rebels", "role": "sponsor"}],
    )
    res = ev.evaluate([dict(ARTICLE, plots=[plot])], t, {SID: TEXT})
    assert res["plots"]["right"] == 1
    t["plot_actors"].append({"plot_id": "p1", "person_id": None, "org_id": "port-police", "role": "perpetrator"})
    res = ev.evaluate([dict(ARTICLE, plots=[plot])], t, {SID: TEXT})
    assert res["plots"]["right"] == 0 and res["plots"]["attr_accuracy"]["perpetrator_or_sponsor"] == 0.0


def test_an_anchor_not_in_the_text_fails_naming_the_item() -> None:
    bad = dict(ARTICLE, legal=[dict(ARTICLE["legal"][0], anchors=["words nobody wrote"])])
    with pytest.raises(SystemExit, match="oster"):
        ev.evaluate([bad], tables(), {SID: TEXT})


def test_the_seeds_lists_load_in_the_scorers_format() -> None:
    arts = {a["source_id"]: a for a in ev.load_seeds(ROOT / "tests" / "expected")}
    wiki = arts["wikipedia-assassination-of-qasem-soleimani"]
    assert len(wiki["events"]) > 50 and len(wiki["legal"]) > 20 and len(wiki["plots"]) > 10
    # tellings of one occurrence (a `group`) become one item with several anchors
    assert any(len(it["anchors"]) > 1 for it in wiki["events"])
