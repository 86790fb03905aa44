"""What one telling of a plot holds: its trigger, the actors read for each role, its stage.

What belongs here: the ``Actor`` and ``PlotMention`` records the readers fill and the clusters
group; no reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from pipeline.extract.dates import DateMention
from pipeline.extract.sentences import (
    Sentence,
)


@dataclass
class Actor:
    entity_id: str | None
    kind: str | None  # "person", "org" or None (named only in the text)
    name: str
    specific: bool = True  # named (entity or proper name) or a singular role: worth naming the plot by
    person_like: bool = False  # a person (entity, proper name) or a singular role noun ("the ambassador")
    state: bool = False  # a state, named itself or on its agents ("Iran", "Iranian operatives")
    # an unnamed person described as acting for a state or organization ("an Iranian intelligence officer",
    # "a member of group X"): that state or organization
    employer: Actor | None = None
    pronoun: bool = False  # read from a pronoun ("to kill her"): a guess the plot's other tellings may overrule

    @property
    def key(self) -> str:
        return self.entity_id or "name:" + re.sub(r"\W+", " ", self.name.lower()).strip()


@dataclass
class PlotMention:
    sent: Sentence
    start: int  # absolute offsets of the trigger
    end: int
    kind: str
    trigger: str
    token: int = -1  # index of the trigger's head token in the sentence parse
    path: set[int] = field(default_factory=set)  # token indices of the trigger and its heads
    targets: list[Actor] = field(default_factory=list)
    perpetrators: list[Actor] = field(default_factory=list)
    sponsors: list[Actor] = field(default_factory=list)
    victims: list[Actor] = field(default_factory=list)
    informants: list[Actor] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    alleged: bool = False
    anaphoric: bool = False
    presupposed: bool = False  # a reference to a past killing ("revenge for the killing of X")
    definite: bool = False  # "the decision to kill X", "the targeted killing of X": a known act
    words: set[str] = field(default_factory=set)  # lemmas of the trigger (for naming)
    date: DateMention | None = None
    np_start: int = 0  # absolute span of the trigger's noun phrase (dates inside it are its own)
    np_end: int = 0
    outcome: bool = False  # only what befell the perpetrators ("pleaded guilty"): joins a plot, never makes one
    same_act: bool = False  # told as "the same strike": the act told last in the source
    own_year: int | None = None  # year written inside the plot's own phrase ("a 2021 plot")
    adds_target: bool = False  # "X was also a target": another target of the plot told before
    target_tokens: list[Token] = field(default_factory=list)  # the words the targets were read from
    distinct: bool = False  # told as another plot ("a separate scheme", "the second plot", "a third case")
    # parts of the sentence telling something else (a description of a person, another clause):
    # their dates are not the plot's
    foreign: list[tuple[int, int]] = field(default_factory=list)
    # planning, ordering, an attempt or a charge is told on the trigger's path ("ordered the
    # assassination of X"), even when the act itself is told as past fact
    told_planned: bool = False

    @property
    def section(self) -> str:
        return self.sent.passage.section

    def entity_targets(self) -> set[str]:
        return {a.entity_id for a in self.targets if a.entity_id}
