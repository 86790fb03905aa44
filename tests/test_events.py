"""Events: one per dated occurrence, typed, placed, counted, attributed, merged across tellings;
and the seeds read against a hand-checked timeline (tests/expected/events_seeds.yaml)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from pipeline.corpus import PassageRow, SourceDoc, load_source
from pipeline.extract.entities import EntityIndex, EntityMention
from pipeline.extract.events import _killed, extract_events, find_event_mentions, load_rules
from pipeline.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
CUR = RAW / "curated"
EXPECTED = ROOT / "tests" / "expected" / "events_seeds.yaml"


def make_doc(
    paragraphs: list[tuple[str, str]], source_id: str = "s", fmt: str = "news", published: str | None = "2020-09-22",
    title: str = "A report",
) -> tuple[SourceDoc, list[PassageRow]]:
    """A source from (section, paragraph) pairs, one paragraph per line."""
    text = "\n".join(p for _, p in paragraphs)
    doc = SourceDoc(source_id, fmt, text, title, published, None, True, "0" * 64)
    passages, pos = [], 0
    for i, (section, p) in enumerate(paragraphs):
        kind = "infobox" if section == "Infobox" else "paragraph"
        pid = f"{source_id}:{i}-{len(p)}"
        passages.append(PassageRow(pid, source_id, section, i, pos, pos + len(p), p, kind))
        pos += len(p) + 1
    return doc, passages


def mention(doc: SourceDoc, surface: str, entity_id: str, kind: str = "person", nth: int = 0) -> EntityMention:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(surface, start + 1)
    return EntityMention(doc.source_id, start, start + len(surface), entity_id, kind, surface)


def events_of(paragraphs: list[tuple[str, str]], ents: list[EntityMention] | None = None, **kw: object):
    doc, ps = make_doc(paragraphs, **kw)  # type: ignore[arg-type]
    return extract_events([doc], ps, EntityIndex(ents or []), CUR), doc


# --------------------------------------------------------------------------- rows and columns


def test_columns_are_those_of_the_data_dictionary() -> None:
    dictionary = yaml.safe_load((ROOT / "schemas" / "dictionary.yaml").read_text(encoding="utf-8"))

    def columns(table: str) -> list[str]:
        out: list[str] = []
        for c in dictionary["tables"][table]["columns"]:
            out.extend(x["name"] for x in (c if isinstance(c, list) else [c]))
        return out

    res, _ = events_of([("Body", "On Monday, Iranian forces fired rockets at a base in Erbil, killing two people.")])
    for table in ("events", "event_mentions", "event_actors", "places"):
        rows = res.tables[table]
        if rows:
            assert set(rows[0]) == set(columns(table)), table


def test_provenance_is_exact_and_ids_are_stable(seed_tables) -> None:
    tables, texts = seed_tables
    for table in ("events", "event_mentions"):
        for row in tables[table]:
            assert texts[row["source_id"]][row["char_start"] : row["char_end"]] == row["quote"]
    counts: dict[str, int] = {}
    for m in tables["event_mentions"]:
        counts[m["event_id"]] = counts.get(m["event_id"], 0) + 1
    assert {e["event_id"]: e["mention_count"] for e in tables["events"]} == counts
    assert len({e["event_id"] for e in tables["events"]}) == len(tables["events"])
    assert len({m["mention_id"] for m in tables["event_mentions"]}) == len(tables["event_mentions"])
    ids = {e["event_id"] for e in tables["events"]}
    assert {a["event_id"] for a in tables["event_actors"]} <= ids
    place_ids = {p["place_id"] for p in tables["places"]}
    assert {e["place_id"] for e in tables["events"] if e["place_id"]} <= place_ids


def test_editing_one_paragraph_changes_only_its_own_event_ids() -> None:
    base = [("Body", "On 5 March 2021, protesters marched in Baghdad."),
            ("Body", "On 9 March 2021, the parliament passed a resolution."),
            ("Body", "On 12 March 2021, a rocket attack hit the Green Zone.")]
    edited = list(base)
    edited[1] = ("Body", "On 9 March 2021, the Iraqi parliament narrowly passed a resolution.")
    a, _ = events_of(base)
    b, _ = events_of(edited)
    ids_a = {e["date"]: e["event_id"] for e in a.tables["events"]}
    ids_b = {e["date"]: e["event_id"] for e in b.tables["events"]}
    assert ids_a["2021-03-05"] == ids_b["2021-03-05"] and ids_a["2021-03-12"] == ids_b["2021-03-12"]
    assert ids_a["2021-03-09"] != ids_b["2021-03-09"]
    again, _ = events_of(base)
    assert [e["event_id"] for e in again.tables["events"]] == [e["event_id"] for e in a.tables["events"]]


# --------------------------------------------------------------------------- one event per dated occurrence


def test_a_sentence_with_two_dated_occurrences_gives_two_events() -> None:
    res, _ = events_of([("Body", "On 5January 2020, the Iraqi parliament passed a non-binding resolution to expel "
                                 "foreign troops while, on the same day, Iran took the fifth and last step of "
                                 "reducing commitments to the nuclear deal.")], published=None, fmt="wikipedia")
    evs = sorted(res.tables["events"], key=lambda e: e["char_start"])
    assert [(e["date"], e["event_type"]) for e in evs] == [("2020-01-05", "political_action")] * 2
    assert "parliament passed" in evs[0]["quote"] and "Iran took" not in evs[0]["quote"]
    assert evs[1]["quote"].startswith("on the same day, Iran took")


def test_type_comes_from_the_trigger_nearest_the_date() -> None:
    res, _ = events_of([
        ("Body", "On 6 July 2020, Callamard said that the attack was unlawful."),
        ("Body", "The militia's sporadic rocket attacks on 4 January 2020 harmed no one, CENTCOM said."),
        ("Body", "On 3 January 2024, at an event commemorating his death, a bomb exploded in Kerman."),
        ("Body", "On 4 January 2020, the Pentagon announced the deployment of 3,500 soldiers."),
        ("Body", "On 2 January 2022, the newspaper's website was hacked."),
        ("Body", "On 29 June 2020, Iran issued an arrest warrant against Trump."),
    ])
    assert [e["event_type"] for e in sorted(res.tables["events"], key=lambda e: e["char_start"])] == [
        "statement", "attack", "attack", "military_deployment", "cyber_operation", "legal_action"]


def test_quoted_dates_infobox_and_see_also_are_not_events() -> None:
    res, _ = events_of([
        ("Infobox", "- Date: 3 January 2020"),
        ("Body", 'He said: "support for the war was at an all-time low in 2007".'),
        ("See also", "- June 2025 United States strikes on Iran"),
    ], fmt="wikipedia", published=None)
    assert res.tables["events"] == []


def test_unresolved_relative_dates_are_reported_not_guessed() -> None:
    res, _ = events_of([("Body", "The following morning, he reiterated the threat on television.")],
                       fmt="wikipedia", published=None)
    assert res.tables["events"] == []
    assert any("unresolved relative date 'The following morning'" in line for line in res.report)


def test_type_of_reported_clauses_and_common_news_wordings() -> None:
    res, _ = events_of([
        ("Body", "In a statement posted on Thursday, the group said two of its members detonated explosive belts "
                 "in Kerman on Wednesday."),
        ("Body", "At least 56 people were killed in a stampede on Tuesday as mourners thronged the funeral."),
        ("Body", "The militia, founded in 2007, was designated a terrorist organization in 2009."),
        ("Body", "The appointment was announced on Friday, hours after the killing."),
        ("Body", "On Tuesday, a senior Hamas official was killed in a drone strike in Beirut that was widely "
                 "blamed on Israel."),
        ("Body", "Hundreds gathered outside the university in Tehran on Saturday evening, and some chanted slogans."),
    ], published="2024-01-04")
    got = [(e["date"], e["event_type"]) for e in sorted(res.tables["events"], key=lambda e: e["char_start"])]
    assert got == [("2024-01-04", "statement"), ("2024-01-03", "attack"), ("2024-01-02", "other"),
                   ("2007", "other"), ("2009", "political_action"), ("2023-12-29", "political_action"),
                   ("2024-01-02", "strike"), ("2023-12-30", "protest")]
    quotes = {e["date"]: e["quote"] for e in res.tables["events"]}
    assert quotes["2024-01-03"].startswith("two of its members detonated")


def test_an_offset_from_an_occurrence_told_later_in_the_report() -> None:
    res, _ = events_of([
        ("Body", "Iraq's parliament has passed a resolution to expel foreign troops, two days after a US drone "
                 "strike killed Iran's top general in Baghdad."),
        ("Body", "Soleimani was killed in the strike near Baghdad airport early on Friday."),
    ], published="2020-01-05")
    assert sorted(e["date"] for e in res.tables["events"]) == ["2020-01-03", "2020-01-05"]


def test_an_offset_after_the_clause_date_is_the_named_occurrence_counted_back() -> None:
    # nothing else dates the strike: it is two days before the vote's Sunday, not two days after it
    text = ("Iraq's parliament voted Sunday in favor of a resolution calling for the expulsion of U.S. troops "
            "from the country, two days after an American drone strike killed Iran's top general, Qassem "
            "Soleimani, near Baghdad's airport.")
    res, _ = events_of([("Body", text)], [mention(doc_for(text), "Qassem Soleimani", "qasem-soleimani")],
                         published="2020-01-05")
    rows = {e["date"]: e for e in res.tables["events"]}
    assert sorted(rows) == ["2020-01-03", "2020-01-05"]
    strike = rows["2020-01-03"]
    assert strike["event_type"] == "strike" and strike["summary"].startswith("An American drone strike killed")
    actors = [a for a in res.tables["event_actors"] if a["event_id"] == strike["event_id"]]
    assert [a["person_id"] for a in actors] == ["qasem-soleimani"]


def test_a_wire_dateline_is_neither_actor_nor_summary() -> None:
    text = "BAGHDAD (AP) — Iraq's parliament voted Sunday to expel U.S. troops from the country."
    doc = doc_for(text)
    res, _ = events_of([("Body", text)], [mention(doc, "AP", "associated-press", kind="org"),
                                          mention(doc, "Iraq's parliament", "council-of-representatives-of-iraq",
                                                  kind="org")], published="2020-01-05")
    (event,) = res.tables["events"]
    assert event["summary"].startswith("Iraq's parliament voted Sunday")
    assert [a["org_id"] for a in res.tables["event_actors"]] == ["council-of-representatives-of-iraq"]


def doc_for(text: str) -> SourceDoc:
    return make_doc([("Body", text)], published="2020-01-05")[0]


# --------------------------------------------------------------------------- killed, attribution, place, actors


@pytest.mark.parametrize(
    ("clause", "killed"),
    [
        ("the Reaper drone fired missiles, killing 10 people", 10),
        ("at least 56 people were killed and 213 injured in a stampede", 56),
        ("All 176 people on board were killed, including 82 Iranians", 176),
        ("the base was attacked, killing an American contractor", 1),
        ("two American troops and a British colleague were killed at a base", 3),
        ("the attack killed six people and wounded three", 6),
        ("The IRGC said a total of ten people were killed", 10),
        ("responsible for the killing of five American soldiers in Karbala", 5),
        ("referring to the death of 290 people in 1988", 290),
        ("a bomb exploded in Kerman killing 103 people", 103),
        ("twenty-five militiamen died in the strikes", 25),
        ("the drone struck a convoy on the airport road", None),
        ("thousands mourned the killing of Soleimani", None),
        ("a rocket attack a day earlier that killed two American troops and a British soldier", 3),
        ("killing 10 people and wounding 20 others", 10),
        ("No one was killed in the Jan. 8 attack", 0),
    ],
)
def test_killed_numbers(clause: str, killed: int | None) -> None:
    assert _killed(clause, 0, len(clause), load_rules(CUR), []) == killed


def test_attribution() -> None:
    res, _ = events_of([
        ("Body", "According to Saudi-based Arab News, on 3 January 2020 the drone was launched from Al Udeid Air Base."),
        ("Body", "On 18 January 2020, CNN reported that Trump complained about Soleimani."),
        ("Body", "It was reported in 2015 that Israel was on the verge of killing him."),
        ("Body", "In June 2025, The Washington Post, citing intelligence sources, reported a plot."),
    ])
    got = [e["attributed_to"] for e in sorted(res.tables["events"], key=lambda e: e["char_start"])]
    assert got == ["Arab News", "CNN", None, "The Washington Post"]


def test_places_curated_and_unknown() -> None:
    res, _ = events_of([
        ("Body", "On 8 January 2020, Iranian forces launched ballistic missiles at the Al Asad Airbase in Iraq."),
        ("Body", "On 3 January 2021, thousands protested in Zawraa Square, Baghdad."),
        ("Body", "On 4 January 2020, he was killed in a U.S. drone strike near the border."),
    ])
    evs = sorted(res.tables["events"], key=lambda e: e["char_start"])
    assert (evs[0]["place_id"], evs[0]["location"], evs[0]["country"]) == ("al-asad-airbase", "Al Asad Airbase", "Iraq")
    assert (evs[1]["place_id"], evs[1]["country"]) == ("zawraa-square", None)
    assert evs[2]["place_id"] is None  # "a U.S. drone strike": an adjective, not a place
    places = {p["place_id"]: p for p in res.tables["places"]}
    assert places["al-asad-airbase"]["curated"] and places["al-asad-airbase"]["latitude"] == pytest.approx(33.79, abs=0.1)
    assert not places["zawraa-square"]["curated"] and places["zawraa-square"]["latitude"] is None
    assert "united-states" not in places
    assert any("'Zawraa Square' is not in places.yaml" in line for line in res.report)


def test_unknown_city_before_a_known_region_gets_its_country() -> None:
    res, _ = events_of([("Body", "On 12 July 2024, Merchant was arrested in Sugar Land, Texas before his flight.")])
    ev = res.tables["events"][0]
    assert (ev["place_id"], ev["location"], ev["country"]) == ("sugar-land", "Sugar Land", "United States")


def test_actors_and_roles() -> None:
    paragraphs = [("Body", "On 3 January 2020, Qasem Soleimani was killed by an American drone strike ordered by "
                           "Donald Trump near Baghdad International Airport.")]
    doc, _ = make_doc(paragraphs)
    ents = [mention(doc, "Qasem Soleimani", "qasem-soleimani"), mention(doc, "Donald Trump", "donald-trump")]
    res, _ = events_of(paragraphs, ents)
    roles = {(a["person_id"], a["role"]) for a in res.tables["event_actors"]}
    # who ordered the strike directed it: its sponsor (the role vocabulary's "directed, ordered or paid for")
    assert roles == {("qasem-soleimani", "victim"), ("donald-trump", "sponsor")}
    ev = res.tables["events"][0]
    assert (ev["event_type"], ev["place_id"]) == ("strike", "baghdad-international-airport")


# --------------------------------------------------------------------------- merging tellings


def test_one_occurrence_told_in_two_sources_is_one_event() -> None:
    a_doc, a_ps = make_doc([("Lead", "On 3 January 2020, Qasem Soleimani was killed by a drone strike near Baghdad "
                                     "International Airport.")], source_id="a", fmt="wikipedia", published=None,
                           title="Assassination of Qasem Soleimani")
    b_doc, b_ps = make_doc([("Body", "Soleimani was killed in a drone strike near Baghdad airport on January 3, "
                                     "officials said.")], source_id="b", published="2020-09-22")
    ents = [EntityMention("a", a_doc.text.index("Qasem"), a_doc.text.index("Qasem") + 15, "qasem-soleimani", "person",
                          "Qasem Soleimani"),
            EntityMention("b", 0, 9, "qasem-soleimani", "person", "Soleimani")]
    res = extract_events([a_doc, b_doc], a_ps + b_ps, EntityIndex(ents), CUR)
    assert len(res.tables["events"]) == 1
    ev = res.tables["events"][0]
    assert (ev["date"], ev["mention_count"], ev["source_id"]) == ("2020-01-03", 2, "a")
    assert {m["source_id"] for m in res.tables["event_mentions"]} == {"a", "b"}


def test_same_day_same_type_elsewhere_or_by_another_speaker_stays_apart() -> None:
    res, _ = events_of([
        ("Body", "On 3 January 2020, a U.S. drone strike killed ten people near Baghdad airport."),
        ("Body", "On 3 January 2020, U.S. drones targeted a commander in Yemen."),
        ("Body", "On 10 January 2020, Trump claimed that four embassies were targets."),
        ("Body", "On 10 January 2020, Pompeo said that the threat was imminent."),
    ])
    assert len(res.tables["events"]) == 4


def test_a_coarser_telling_joins_the_finer_event() -> None:
    res, _ = events_of([
        ("Body", "On 8 January 2020, the IRGC shot down Ukraine International Airlines Flight 752 over Tehran."),
        ("Body", "In January 2020, Iranian air defences shot down a passenger jet over Tehran."),
    ])
    assert len(res.tables["events"]) == 1
    assert res.tables["events"][0]["date"] == "2020-01-08"


def test_tellings_of_one_day_and_kind_that_nothing_tells_apart_are_one_event() -> None:
    res, _ = events_of([
        ("Body", "The U.S. launched airstrikes late Thursday against a militia that it blamed for a rocket attack a "
                 "day earlier that killed two American troops and a British soldier at a base north of Baghdad."),
        ("Body", "Wednesday's attack at Taji, where coalition troops train Iraqi forces, was the deadliest in years. "
                 "About 18 Katyusha rockets struck the base at around 7:35 p.m., the coalition said."),
    ], published="2020-03-13")
    by_date: dict[str, int] = {}
    for e in res.tables["events"]:
        by_date[e["date"]] = by_date.get(e["date"], 0) + 1
    assert by_date == {"2020-03-12": 1, "2020-03-11": 1}
    taji = next(e for e in res.tables["events"] if e["date"] == "2020-03-11")
    assert (taji["mention_count"], taji["killed"], taji["time_local"]) == (3, 3, "19:35")


def test_a_telling_that_fits_two_occurrences_told_apart_stays_alone() -> None:
    res, _ = events_of([
        ("Body", "On 3 January 2020, a U.S. drone strike killed ten people near Baghdad airport."),
        ("Body", "On 3 January 2020, a U.S. airstrike targeted a commander in Yemen."),
        ("Body", "That made the U.S. strike on 3 January 2020 a significant aggravation."),
    ])
    assert len(res.tables["events"]) == 3


def test_a_stampede_at_a_burial_and_the_burial_are_one_event() -> None:
    res, _ = events_of([
        ("Body", "His body was taken to Kerman for final burial on 7 January 2020."),
        ("Body", "On 7 January 2020, at least 56 people were killed in a stampede during the burial at Kerman."),
    ])
    assert len(res.tables["events"]) == 1
    assert res.tables["events"][0]["killed"] == 56


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seed_corpus() -> tuple[list[SourceDoc], list[PassageRow]]:
    docs, passages = [], []
    for entry in load_manifest(RAW):
        d, ps = load_source(entry, RAW, CUR)
        docs.append(d)
        passages.extend(ps)
    return docs, passages


@pytest.fixture(scope="module")
def seed_index(seed_corpus) -> EntityIndex:
    docs, passages = seed_corpus
    try:
        from pipeline.extract.persons import extract_entities
    except ImportError:  # pragma: no cover - the persons extractor is built in parallel
        return EntityIndex()
    index = extract_entities(docs, passages, CUR).index
    return index if index is not None else EntityIndex()


@pytest.fixture(scope="module")
def seed_tables(seed_corpus, seed_index):
    docs, passages = seed_corpus
    return extract_events(docs, passages, seed_index, CUR).tables, {d.source_id: d.text for d in docs}


def test_seeds_against_the_hand_checked_timeline(seed_corpus, seed_index, seed_tables) -> None:
    docs, passages = seed_corpus
    tables, texts = seed_tables
    t0 = time.perf_counter()
    tellings = []
    for d in docs:
        ms, _ = find_event_mentions(d, [p for p in passages if p.source_id == d.source_id], seed_index, CUR)
        tellings.extend(ms)
    elapsed = time.perf_counter() - t0
    events = {e["event_id"]: e for e in tables["events"]}
    event_of = {(m["source_id"], m["char_start"], m["char_end"]): events[m["event_id"]]
                for m in tables["event_mentions"]}
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))["sources"]

    used: set[int] = set()
    hits = required = type_ok = 0
    misses = []
    groups: dict[str, set[str]] = {}
    for sid, items in expected.items():
        for item in items:
            text = texts[sid]
            assert text.count(item["snippet"]) == 1, item["snippet"]
            s = text.index(item["snippet"])
            e = s + len(item["snippet"])
            match = None
            for i, t in enumerate(tellings):
                if i in used or t.source_id != sid or not (t.char_start < e and s < t.char_end):
                    continue
                ev = event_of.get((sid, t.char_start, t.char_end))
                if str(item["date"]) in (t.date.date, ev and ev["date"]):
                    match = i
                    break
            if match is not None:
                used.add(match)
                if "group" in item:
                    ev = event_of[(sid, tellings[match].char_start, tellings[match].char_end)]
                    groups.setdefault(item["group"], set()).add(ev["event_id"])
            if item.get("optional"):
                continue
            required += 1
            if match is None:
                misses.append((sid, item["date"], item["snippet"]))
            else:
                hits += 1
                type_ok += tellings[match].event_type == item["type"]
    wrong = [t for i, t in enumerate(tellings) if i not in used]
    recall = hits / required
    precision = (len(tellings) - len(wrong)) / len(tellings)
    merged = sum(1 for ids in groups.values() if len(ids) == 1)
    nbytes = sum(len(t.encode()) for t in texts.values())
    print(f"\nseeds: recall {hits}/{required} = {recall:.3f}; precision {len(tellings) - len(wrong)}/{len(tellings)}"
          f" = {precision:.3f}; type agreement {type_ok}/{hits}; groups told as one event {merged}/{len(groups)};"
          f" {len(tables['events'])} events; mentions in {elapsed * 1000:.0f} ms ({nbytes / elapsed / 1e6:.2f} MB/s)")
    for miss in misses:
        print("  missed:", miss)
    for t in wrong:
        print("  not expected:", t.source_id, t.date.date, repr(t.quote[:80]))
    assert recall >= 0.90
    assert precision >= 0.90
    assert type_ok / hits >= 0.75
    assert merged / len(groups) >= 0.6


# --------------------------------------------------------------------------- the gazetteer


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math

    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def test_gazetteer_coordinates_agree_with_containing_places() -> None:
    from pipeline.extract.places import load_gazetteer
    from pipeline.ids import slugify

    gaz = load_gazetteer(CUR)
    for p in gaz.places.values():
        assert p.latitude is not None and p.longitude is not None, p.name
        here = (p.latitude, p.longitude)
        if p.within:
            parent = gaz.places[p.within]
            assert parent.latitude is not None and parent.longitude is not None
            reach = 150 if parent.kind in ("city", "site", "airport", "base") else 1000
            assert _km(here, (parent.latitude, parent.longitude)) < reach, (p.name, parent.name)
        country = gaz.places.get(slugify(p.country)) if p.country else None
        if country is not None and country is not p and country.latitude is not None and country.longitude is not None:
            assert _km(here, (country.latitude, country.longitude)) < 4000, (p.name, country.name)


@pytest.mark.parametrize(
    "name",
    ["Baghdad International Airport", "Baghdad airport", "Baghdad", "Al Asad Airbase", "Ayn al-Asad", "Erbil",
     "Kerman", "Tehran", "Mashhad", "Ahvaz", "Qom", "Karbala", "Najaf", "Taji", "Al Udeid Air Base",
     "Creech Air Force Base", "Creech AFB", "Kuwait", "Yemen", "Paris", "Pretoria", "Houston", "Mar-a-Lago",
     "Palm Beach", "Green Zone", "K-1 Air Base", "Kirkuk", "Damascus", "Beirut", "Syria", "Iraq", "Iran", "Israel",
     "Washington", "New York", "Munich", "Ukraine", "Liberation Square", "Nassiriyah", "Basra", "Strait of Hormuz"],
)
def test_places_of_the_story_are_curated(name: str) -> None:
    from pipeline.extract.places import find_places, load_gazetteer

    text = f"It happened in {name} on that day."
    hits = find_places(text, 0, len(text), load_gazetteer(CUR))
    assert [h.surface for h in hits] == [name]
    assert hits[0].place.curated and hits[0].locative


def test_place_names_inside_other_names_are_not_places() -> None:
    from pipeline.extract.places import find_places, load_gazetteer

    text = ("The Washington Post and The New York Times quoted Israel Katz; the Iran–Iraq War ended; "
            "Iran-backed militias fired; a U.S. drone struck.")
    assert [h.surface for h in find_places(text, 0, len(text), load_gazetteer(CUR))] == []


# --------------------------------------------------------------------------- merge index


def _merge_by_scanning(mentions: list, gaz: object) -> list[list[str]]:
    """The scored merge as first written: a telling dated to a month or year is checked against
    every event so far (the reference for the indexed ``merge_event_mentions``)."""
    from pipeline.extract import events as ev_mod

    rank = ev_mod._PRECISION_RANK
    dated = sorted((m for m in mentions if m.date.date is not None),
                   key=lambda m: (rank[m.date.date_precision or "year"], m.order))
    events: list[ev_mod._Event] = []
    by_date: dict[str, list[ev_mod._Event]] = {}
    for m in dated:
        best: tuple[float, int] | None = None
        candidates = []
        for ev in events if m.date.date_precision != "day" else by_date.get(m.date.date, []):
            pd = ev.primary.date
            if pd.date == m.date.date or (
                rank[pd.date_precision or "year"] < rank[m.date.date_precision or "year"]
                and ev_mod._contains(m.date, pd)
            ):
                candidates.append(ev)
        scores = []
        for i, ev in enumerate(candidates):
            vals = [ev_mod.pair_score(m, other, gaz) for other in ev.mentions]  # type: ignore[arg-type]
            if any(v is None for v in vals):
                continue
            sc = max(v for v in vals if v is not None)
            scores.append((sc, i))
            need = ev_mod.STATEMENT_THRESHOLD if m.event_type == "statement" else ev_mod.MERGE_THRESHOLD
            if sc >= need and (best is None or sc > best[0]):
                best = (sc, i)
        if best is not None and m.date.date_precision != "day":
            ties = [s for s, i in scores if s == best[0] and candidates[i].primary.date.date != m.date.date]
            if len(ties) > 1:
                best = None
        if best is not None:
            candidates[best[1]].mentions.append(m)
        else:
            ev = ev_mod._Event([m])
            events.append(ev)
            by_date.setdefault(m.date.date, []).append(ev)
    events = ev_mod._merge_same_kind(events, gaz)  # type: ignore[arg-type]
    events += [ev_mod._Event([m]) for m in mentions if m.date.date is None]
    return [[m.mention_id for m in ev.mentions] for ev in events]


def test_indexed_merge_of_coarse_dates_matches_scanning_every_event() -> None:
    """Tellings dated to a month or year look up the events inside their span instead of scanning
    every event: the events (and the order of their tellings) are the same."""
    import random

    from pipeline.extract.events import merge_event_mentions
    from pipeline.extract.places import load_gazetteer

    rng = random.Random(7)
    months = ["January", "February", "March", "June", "December"]
    clauses = [
        "a U.S. drone strike killed Qasem Soleimani near Baghdad International Airport",
        "Iran fired ballistic missiles at the Al Asad airbase in Iraq",
        "mourners attended the funeral of Soleimani in Kerman",
        "the IRGC shot down Ukraine International Airlines Flight 752 over Tehran",
        "protesters stormed the U.S. embassy in Baghdad",
        "the Justice Department said Iran plotted to kill John Bolton",
        "a rocket attack struck the Taji base north of Baghdad, killing two soldiers",
    ]
    paras = []
    for _ in range(90):
        year = rng.choice([2019, 2020, 2021])
        when = rng.choice([
            f"On {rng.randint(1, 4)} {rng.choice(months)} {year}",
            f"In {rng.choice(months)} {year}",
            f"In {year}",
        ])
        paras.append(("Body", f"{when}, {rng.choice(clauses)}."))
    docs = [make_doc(paras[k:k + 30], source_id=f"s{k}") for k in range(0, 90, 30)]
    mentions = []
    for rank, (doc, ps) in enumerate(docs):
        ms, _ = find_event_mentions(doc, ps, EntityIndex([]), CUR, [])
        for m in ms:
            m.order = (rank, m.char_start)
        mentions.extend(ms)
    precisions = {m.date.date_precision for m in mentions}
    assert {"day", "month", "year"} <= precisions and len(mentions) >= 80
    gaz = load_gazetteer(CUR)
    got = [[m.mention_id for m in ev.mentions] for ev in merge_event_mentions(mentions, gaz)]
    want = _merge_by_scanning(mentions, gaz)
    assert got == want
    assert any(len(ev) > 1 for ev in got)  # some coarse tellings did join finer events
