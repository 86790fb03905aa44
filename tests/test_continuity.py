"""ID continuity on tiny in-memory tables: merged rows keep their first-published ID, the IDs
that go away redirect, references follow, chains collapse, nothing dangles."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.continuity import (
    REDIRECTS,
    Previous,
    apply_renames,
    claim_keys,
    keep_ids,
    mention_tables,
    plan_continuity,
)
from schemas.dictionary import load_dictionary

Row = dict[str, Any]


def _event(eid: str, pid: str = "p1", start: int = 0) -> Row:
    return {"event_id": eid, "passage_id": pid, "char_start": start, "char_end": start + 5, "quote": "x" * 5}


def _mention(mid: str, eid: str, pid: str = "p1", start: int = 0) -> Row:
    return {"mention_id": mid, "event_id": eid, "passage_id": pid, "char_start": start, "char_end": start + 5,
            "source_id": "s", "quote": "x" * 5}


def _tables(events: list[Row], mentions: list[Row], **more: list[Row]) -> dict[str, list[Row]]:
    tables: dict[str, list[Row]] = {
        "sources": [{"source_id": "s"}],
        "passages": [{"passage_id": p, "char_start": 100 * i} for i, p in enumerate(("p1", "p2", "p3"))],
        "events": events,
        "event_mentions": mentions,
        "event_actors": [],
        "plots": [],
        "persons": [],
        "person_mentions": [],
        "organizations": [],
    }
    tables.update(more)
    return tables


def _previous(tables: dict[str, list[Row]], version: str = "r1", ordinal: int = 1,
              first: dict[str, dict[str, int]] | None = None, redirects: list[Row] | None = None) -> Previous:
    pub = {k: [dict(r) for r in v] for k, v in tables.items()}
    pub[REDIRECTS] = redirects or []
    firsts = {t: {r[k]: ordinal for r in pub.get(t, [])}
              for t, k in (("events", "event_id"), ("plots", "plot_id"), ("persons", "person_id"),
                           ("organizations", "org_id"))}
    for t, ids in (first or {}).items():
        firsts[t].update(ids)
    return Previous(version, ordinal, pub, firsts)


def test_mention_tables_come_from_the_dictionarys_foreign_keys() -> None:
    assert ("event_mentions", "event_id") in mention_tables("events")
    assert ("person_mentions", "person_id") in mention_tables("persons")
    assert mention_tables("organizations") == []


def test_claim_keys_are_mentions_and_own_span_position_not_offsets() -> None:
    t = _tables([_event("e1", "p2", 130)], [_mention("m1", "e1", "p2", 130)])
    assert claim_keys("events", t) == {"e1": ["p:p2@30+5", "m:event_mentions:m1"]}
    # the same span after an edit earlier in the source: other offsets, same key
    t2 = _tables([_event("e1", "p2", 170)], [_mention("m1", "e1", "p2", 170)])
    t2["passages"][1]["char_start"] = 140
    assert claim_keys("events", t2) == claim_keys("events", t)


def test_no_previous_release_changes_nothing() -> None:
    t = _tables([_event("e1")], [_mention("m1", "e1")])
    out, report = keep_ids(t, None)
    assert out["events"] == t["events"] and out[REDIRECTS] == [] and report == []


def test_new_primary_telling_keeps_the_published_id() -> None:
    before = _tables([_event("old")], [_mention("m1", "old")])
    # a new telling earlier in the text joins and becomes primary: the extractor gives a fresh ID
    now = _tables([_event("fresh", "p1", 0)], [_mention("m0", "fresh", "p1", 0), _mention("m1", "fresh", "p1", 40)],
                  event_actors=[{"event_actor_id": "a1", "event_id": "fresh", "person_id": None, "org_id": "o"}])
    out, _ = keep_ids(now, _previous(before))
    assert [e["event_id"] for e in out["events"]] == ["old"]
    assert {m["event_id"] for m in out["event_mentions"]} == {"old"}
    assert out["event_actors"][0]["event_id"] == "old"  # the foreign key followed
    assert out[REDIRECTS] == []
    assert now["events"][0]["event_id"] == "fresh"  # the input rows are not modified


def test_two_published_events_merge_one_redirects() -> None:
    before = _tables([_event("ea", "p1", 10), _event("eb", "p2", 210)],
                     [_mention("ma", "ea", "p1", 10), _mention("mb", "eb", "p2", 210)])
    now = _tables([_event("fresh", "p1", 0)],
                  [_mention("m0", "fresh", "p1", 0), _mention("ma", "fresh", "p1", 10),
                   _mention("mb", "fresh", "p2", 210)])
    out, report = keep_ids(now, _previous(before))
    # same release: the one told first in the row keeps its ID, the other redirects to it
    assert [e["event_id"] for e in out["events"]] == ["ea"]
    assert out[REDIRECTS] == [{"old_id": "eb", "new_id": "ea", "table": "events", "release": "r1"}]
    assert any("1 IDs merged away" in line for line in report)


def test_the_earliest_published_id_wins() -> None:
    before = _tables([_event("ea", "p1", 10), _event("eb", "p2", 210)],
                     [_mention("ma", "ea", "p1", 10), _mention("mb", "eb", "p2", 210)])
    now = _tables([_event("fresh", "p1", 0)],
                  [_mention("ma", "fresh", "p1", 10), _mention("mb", "fresh", "p2", 210)])
    # eb was published two releases before ea
    out, _ = keep_ids(now, _previous(before, ordinal=3, first={"events": {"eb": 1, "ea": 3}}))
    assert [e["event_id"] for e in out["events"]] == ["eb"]
    assert [(r["old_id"], r["new_id"]) for r in out[REDIRECTS]] == [("ea", "eb")]


def test_a_row_whose_fresh_id_was_published_never_collides() -> None:
    # old e1 told twice; now its first telling stands alone (fresh ID e1 again) and the second
    # joined another event with more tellings of e1's: e1 stays with the row that has its ID
    before = _tables([_event("e1", "p1", 0)],
                     [_mention("m1", "e1", "p1", 0), _mention("m2", "e1", "p2", 200), _mention("m3", "e1", "p3", 200)])
    now = _tables([_event("e1", "p1", 0), _event("x", "p2", 200)],
                  [_mention("m1", "e1", "p1", 0), _mention("m2", "x", "p2", 200), _mention("m3", "x", "p3", 200)])
    out, _ = keep_ids(now, _previous(before))
    assert sorted(e["event_id"] for e in out["events"]) == ["e1", "x"]
    assert out[REDIRECTS] == []


def test_split_gives_the_old_id_to_the_row_with_most_of_its_tellings() -> None:
    before = _tables([_event("e1", "p1", 0)],
                     [_mention("m1", "e1", "p1", 0), _mention("m2", "e1", "p2", 200), _mention("m3", "e1", "p3", 200)])
    now = _tables([_event("a", "p1", 50), _event("b", "p2", 250)],
                  [_mention("m1", "a", "p1", 0), _mention("m2", "b", "p2", 200), _mention("m3", "b", "p3", 200)])
    out, _ = keep_ids(now, _previous(before))
    assert sorted(e["event_id"] for e in out["events"]) == ["a", "e1"]


def test_an_id_whose_tellings_are_gone_is_a_plain_deletion() -> None:
    before = _tables([_event("e1"), _event("e2", "p2", 200)], [_mention("m1", "e1"), _mention("m2", "e2", "p2", 200)])
    now = _tables([_event("e1")], [_mention("m1", "e1")])
    out, _ = keep_ids(now, _previous(before))
    assert out[REDIRECTS] == []


def test_redirect_chains_collapse_and_never_dangle() -> None:
    # release 1 merged a into b; release 2 published b and c; now b merges into c
    before = _tables([_event("b", "p1", 0), _event("c", "p2", 200)],
                     [_mention("mb", "b", "p1", 0), _mention("mc", "c", "p2", 200)])
    carried = [{"old_id": "a", "new_id": "b", "table": "events", "release": "r1"},
               {"old_id": "z", "new_id": "gone", "table": "events", "release": "r1"}]
    prev = _previous(before, version="r2", ordinal=2, first={"events": {"c": 1, "b": 2}}, redirects=[
        *carried, {"old_id": "y", "new_id": "c", "table": "events", "release": "r1"}])
    prev.tables[REDIRECTS][1]["new_id"] = "b"  # z -> b too
    now = _tables([_event("fresh", "p2", 200)], [_mention("mb", "fresh", "p1", 0), _mention("mc", "fresh", "p2", 200)])
    out, _ = keep_ids(now, prev)
    got = {(r["old_id"], r["new_id"], r["release"]) for r in out[REDIRECTS]}
    assert got == {("a", "c", "r1"), ("z", "c", "r1"), ("y", "c", "r1"), ("b", "c", "r2")}
    live = {e["event_id"] for e in out["events"]}
    assert live == {"c"} and all(r["new_id"] in live for r in out[REDIRECTS])


def test_a_redirect_to_a_deleted_row_is_dropped() -> None:
    before = _tables([_event("b", "p1", 0)], [_mention("mb", "b", "p1", 0)])
    prev = _previous(before, redirects=[{"old_id": "a", "new_id": "b", "table": "events", "release": "r0"}])
    now = _tables([_event("c", "p3", 200)], [_mention("mc", "c", "p3", 200)])  # b's telling is gone
    plan = plan_continuity(now, prev)
    assert plan.redirects == []
    assert any("a -> b dropped" in line for line in plan.report)


def test_an_id_that_is_a_row_again_is_not_redirected() -> None:
    before = _tables([_event("b", "p1", 0)], [_mention("mb", "b", "p1", 0)])
    prev = _previous(before, redirects=[{"old_id": "a", "new_id": "b", "table": "events", "release": "r0"}])
    now = _tables([_event("b", "p1", 0), _event("a", "p3", 200)], [_mention("mb", "b"), _mention("ma", "a", "p3", 200)])
    assert plan_continuity(now, prev).redirects == []


def test_persons_keep_their_slug_and_every_reference_follows() -> None:
    before = _tables([], [], persons=[{"person_id": "soleimani", "name": "Soleimani", "aliases": []}],
                     person_mentions=[{"mention_id": "pm1", "person_id": "soleimani"}])
    now = _tables(
        [], [],
        persons=[{"person_id": "qasem-soleimani", "name": "Qasem Soleimani", "aliases": ["Soleimani"]}],
        person_mentions=[{"mention_id": "pm0", "person_id": "qasem-soleimani"},
                         {"mention_id": "pm1", "person_id": "qasem-soleimani"}],
        event_actors=[{"event_actor_id": "a", "event_id": "e", "person_id": "qasem-soleimani", "org_id": None}],
        legal_positions=[{"position_id": "l", "holder_person_id": "qasem-soleimani", "holder_org_id": None}],
        plot_actors=[{"plot_actor_id": "pa", "plot_id": "p", "person_id": "qasem-soleimani", "org_id": None}],
        claims=[{"claim_id": "c", "table": "persons", "row_id": "qasem-soleimani"}],
    )
    out, _ = keep_ids(now, _previous(before))
    assert out["persons"][0]["person_id"] == "soleimani"
    assert out["person_mentions"][1]["person_id"] == "soleimani"
    assert out["event_actors"][0]["person_id"] == "soleimani"
    assert out["legal_positions"][0]["holder_person_id"] == "soleimani"
    assert out["plot_actors"][0]["person_id"] == "soleimani"
    if "claims" in load_dictionary().tables:  # a (table, row_id) reference follows too
        assert out["claims"][0]["row_id"] == "soleimani"


def test_organizations_without_mentions_are_matched_by_name() -> None:
    before = _tables([], [], organizations=[
        {"org_id": "kh", "name": "KH", "aliases": []},
        {"org_id": "kataib-hezbollah", "name": "Kataib Hezbollah", "aliases": []}])
    now = _tables([], [], organizations=[{"org_id": "kata-ib-hezbollah", "name": "Kata'ib Hezbollah",
                                          "aliases": ["Kataib Hezbollah", "KH"]}],
                  plots=[{"plot_id": "p", "sponsor_org_id": "kata-ib-hezbollah"}])
    out, _ = keep_ids(now, _previous(before))
    assert out["organizations"][0]["org_id"] == "kataib-hezbollah"  # shares the name first given
    assert out["plots"][0]["sponsor_org_id"] == "kataib-hezbollah"
    assert [(r["old_id"], r["new_id"]) for r in out[REDIRECTS]] == [("kh", "kataib-hezbollah")]


def test_plot_mentions_are_used_when_present() -> None:
    before = _tables([], [], plots=[{"plot_id": "plot-a", "passage_id": "p1", "char_start": 0, "char_end": 4}],
                     plot_mentions=[{"mention_id": "pm-x", "plot_id": "plot-a"}])
    now = _tables([], [], plots=[{"plot_id": "plot-b", "passage_id": "p2", "char_start": 200, "char_end": 204}],
                  plot_mentions=[{"mention_id": "pm-x", "plot_id": "plot-b"}])
    if not mention_tables("plots"):
        # before plot_mentions is in the dictionary, a plot is matched by its own span only
        assert keep_ids(now, _previous(before))[0]["plots"][0]["plot_id"] == "plot-b"
        return
    assert keep_ids(now, _previous(before))[0]["plots"][0]["plot_id"] == "plot-a"


def test_apply_renames_leaves_unrelated_tables_and_ids_alone() -> None:
    t = {"events": [{"event_id": "x"}, {"event_id": "y"}], "places": [{"place_id": "x"}]}
    out = apply_renames(t, {"events": {"x": "y", "y": "x"}})  # a swap is applied at once
    assert [e["event_id"] for e in out["events"]] == ["y", "x"]
    assert out["places"] == [{"place_id": "x"}]


@pytest.mark.parametrize("table", ["events", "persons"])
def test_unchanged_tables_keep_every_id(table: str) -> None:
    t = _tables([_event("e1"), _event("e2", "p2", 200)], [_mention("m1", "e1"), _mention("m2", "e2", "p2", 200)],
                persons=[{"person_id": "a-b", "name": "A B", "aliases": []}],
                person_mentions=[{"mention_id": "pm", "person_id": "a-b"}])
    plan = plan_continuity(t, _previous(t))
    assert plan.renames[table] == {} and plan.redirects == [] and plan.report == []


def test_an_unchanged_link_of_a_renamed_event_takes_back_its_published_key() -> None:
    actor = {"event_actor_id": "act-old", "event_id": "old", "person_id": None, "org_id": "kh", "role": "actor"}
    before = _tables([_event("old")], [_mention("m1", "old")], event_actors=[actor])
    now = _tables([_event("fresh", "p1", 0)], [_mention("m0", "fresh", "p1", 0), _mention("m1", "fresh", "p1", 40)],
                  event_actors=[{**actor, "event_actor_id": "act-fresh", "event_id": "fresh"},
                                {**actor, "event_actor_id": "act-new", "event_id": "fresh", "org_id": "irgc"}])
    out, _ = keep_ids(now, _previous(before))
    assert sorted((a["event_actor_id"], a["org_id"]) for a in out["event_actors"]) == [
        ("act-new", "irgc"), ("act-old", "kh")]
