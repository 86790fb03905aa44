"""Events: which occurrence a death toll belongs to -- a toll stated in the sentence that continues an
occurrence, a toll as a sum of the casualties of one verb, approximate counts, and tellings that carry
no toll of their own. Short texts written for each phenomenon (fictional places and names)."""

from __future__ import annotations

import pytest
from test_events import CUR, make_doc

from pipeline.extract.entities import EntityIndex
from pipeline.extract.events import _killed, extract_events, load_rules


def _events(paragraphs: list[str], published: str = "2021-03-10") -> list[dict]:
    doc, ps = make_doc([("Body", p) for p in paragraphs], published=published)
    res = extract_events([doc], ps, EntityIndex([]), CUR)
    return sorted(res.tables["events"], key=lambda e: (e["date"], e["event_type"]))


def _one(events: list[dict], etype: str) -> dict:
    found = [e for e in events if e["event_type"] == etype]
    assert len(found) == 1, events
    return found[0]


def _occurrence(events: list[dict]) -> dict:
    """The one event that is not a telling."""
    return _one([e for e in events if e["event_type"] != "statement"], next(
        e["event_type"] for e in events if e["event_type"] != "statement"))


@pytest.mark.parametrize(
    ("clause", "killed"),
    [
        ("a crush at the gate killed nearly three dozen pilgrims", 36),
        ("the shelling killed two dozen villagers", 24),
        ("the blast killed two hundred people", 200),
        ("dozens of people were killed in the blast", None),
    ],
)
def test_multiplied_number_words(clause: str, killed: int | None) -> None:
    assert _killed(clause, 0, len(clause), load_rules(CUR), []) == killed


def test_toll_in_the_next_paragraph_continues_the_occurrence() -> None:
    evs = _events(["On Monday, a crush broke out at the shrine gate in Varos as pilgrims pushed forward.",
                   "Twenty-two people died in the crowd, health officials said."])
    assert _occurrence(evs)["killed"] == 22


def test_a_precise_figure_after_an_approximate_one_is_the_toll() -> None:
    evs = _events(["On Monday, a stampede at the shrine gate in Varos killed nearly two dozen pilgrims, local radio said.",
                   "At least 22 people died in the crowd, health officials said."])
    assert _occurrence(evs)["killed"] == 22


def test_an_approximate_toll_stands_when_nothing_continues_it() -> None:
    evs = _events(["On Monday, a crush at the shrine gate in Varos killed nearly two dozen pilgrims."])
    assert _occurrence(evs)["killed"] == 24


def test_a_next_sentence_telling_another_occurrence_keeps_its_toll() -> None:
    # the second paragraph tells an attack of its own: its dead are not the crush's
    evs = _events(["On Monday, a crush broke out at the shrine gate in Varos as pilgrims pushed forward.",
                   "Gunmen attacked a bus near the border and 12 people died, officials said."])
    crush = [e for e in evs if "crush" in e["summary"]]
    assert crush and all(e["killed"] is None for e in crush)


def test_a_definite_reference_back_carries_the_toll() -> None:
    evs = _events(["On Monday, rockets struck an army depot outside Varos.",
                   "A police source said the attack killed four guards."])
    assert _one(evs, "attack")["killed"] == 4


def test_casualties_of_one_verb_add_up() -> None:
    evs = _events(['Two rockets hit the depot on Monday, killing three members of the militia and two "visitors", '
                   "the militia said."])
    assert _one(evs, "attack")["killed"] == 5


def test_casualties_of_two_verbs_do_not_add_up() -> None:
    evs = _events(["On Monday, the shelling killed three soldiers and wounded four civilians near Varos."])
    assert [e["killed"] for e in evs if e["event_type"] in ("strike", "attack", "other")] == [3]


def test_a_statement_of_no_deaths_gives_the_attack_zero_not_the_statement() -> None:
    evs = _events(["On March 2, the Valdorian army fired a dozen missiles at two bases near Varos.",
                   "A day later, the defence minister said there were no deaths or injuries."])
    assert _one(evs, "statement")["killed"] is None
    assert _one(evs, "strike")["killed"] == 0


def test_a_claim_for_bombings_carries_no_toll() -> None:
    evs = _events(["On Friday, the Blue Hand group claimed responsibility for bombings that killed 40 people in Varos."])
    assert all(e["killed"] is None for e in evs if e["event_type"] == "statement")


def test_a_dateline_with_only_a_date_is_the_reports() -> None:
    evs = _events(["March 9 (Wire) — A bomb at a market in Varos killed six traders on Tuesday, officials said."],
                  published="2021-03-09")
    assert [e["date"] for e in evs] == ["2021-03-09"]
    assert evs[0]["killed"] == 6
