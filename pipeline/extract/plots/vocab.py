"""The plot vocabulary: triggers, stage cues and role verbs read from ``raw/curated/plot_cues.yaml``.

What belongs here: ``PlotVocab`` and its loader (one per curated directory, cached); no parse
reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import CuratedDataError
from pipeline.extract.sentences import (
    compile_any,
    load_yaml,
)


@dataclass
class PlotVocab:
    skip_sections: list[str]
    skip_kinds: list[str]
    triggers: list[tuple[str, re.Pattern[str]]]  # (kind, regex)
    any_trigger: re.Pattern[str]
    anaphor: re.Pattern[str]
    plain_kill: re.Pattern[str]
    order: list[str]
    governing: dict[str, str]  # verb (or noun) lemma -> status
    status_words: list[tuple[str, re.Pattern[str]]]
    intrinsic: dict[str, str]
    sponsor_verbs: set[str]
    charge_verbs: set[str]
    perpetrator_verbs: set[str]
    foiler_verbs: set[str]
    reporting_verbs: set[str]
    presupposing: set[str]
    approach_words: set[str]
    hypothetical: re.Pattern[str]
    generic: re.Pattern[str]
    modals: set[str]
    role_targets: set[str]
    hack_targets: set[str]
    sponsor_phrases: re.Pattern[str]
    heading_plot: re.Pattern[str]
    heading_target: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    trigger_status: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)  # status a trigger tells itself
    alleging_verbs: set[str] = field(default_factory=set)
    denial_verbs: set[str] = field(default_factory=set)
    plot_acts: set[str] = field(default_factory=set)
    distinct: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    act_families: dict[str, str] = field(default_factory=dict)  # trigger lemma -> act family
    same_act: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    sponsor_descriptions: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    target_verbs: set[str] = field(default_factory=set)  # "X survived a plot": the subject is the target
    charge_nouns: set[str] = field(default_factory=set)  # "wanted on charges of plotting": an accusation
    agent_nouns: set[str] = field(default_factory=set)  # "the U.S. strike": the state named on the act did it
    state_agents: set[str] = field(default_factory=set)  # "Iranian operatives": the state named on its agents
    participation_verbs: set[str] = field(default_factory=set)  # "not accused of taking part in the plot"
    agent_persons: set[str] = field(default_factory=set)  # "an Iranian officer": a person acting for a state
    # "arrested before he could carry out the plot": a modal under one of these marks tells what was stopped
    stopped_marks: set[str] = field(default_factory=set)
    alias_words: set[str] = field(default_factory=set)  # "X, alias Y": Y names X
    life_nouns: set[str] = field(default_factory=set)  # "an attempt on the life of X": X

    def rank(self, status: str | None) -> int:
        return self.order.index(status) if status in self.order else -1

    @cached_property
    def act_patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """The act-word regex (the "kill" trigger) and the words an act may be done to (a role or a
        pronoun), compiled once per vocabulary."""
        kill = next((rx for kind, rx in self.triggers if kind == "kill"), re.compile(r"(?!x)x"))
        return kill, compile_any([r"(he|she|him|her|his)"] + [re.escape(w) for w in self.role_targets])


def _words(c: dict[str, Any], key: str) -> set[str]:
    return {str(v).lower() for v in c.get(key, [])}


@lru_cache(maxsize=4)
def load_plot_vocab(curated_dir: Path) -> PlotVocab:
    """Plot triggers, stage cues and role verbs from ``plot_cues.yaml``."""
    path = curated_dir / "plot_cues.yaml"
    c = load_yaml(path)
    try:
        triggers = [(kind, compile_any(pats, path)) for kind, pats in c["triggers"].items()]
        governing: dict[str, str] = {}
        for status, verbs in c["governing_verbs"].items():
            for v in verbs:
                governing.setdefault(str(v).lower(), status)
        vocab = PlotVocab(
            skip_sections=list(c.get("skip_sections", [])),
            skip_kinds=list(c.get("skip_passage_kinds", [])),
            triggers=triggers,
            any_trigger=re.compile("|".join(rx.pattern for _, rx in triggers), re.IGNORECASE),
            anaphor=compile_any(c.get("anaphors", []), path),
            plain_kill=compile_any(c.get("plain_kill", []), path),
            order=list(c["status_order"]),
            governing=governing,
            status_words=[(s, compile_any(p, path)) for s, p in c.get("status_words", {}).items()],
            intrinsic=dict(c.get("intrinsic", {})),
            sponsor_verbs=_words(c, "sponsor_verbs"),
            charge_verbs=_words(c, "charge_verbs"),
            perpetrator_verbs=_words(c, "perpetrator_verbs"),
            foiler_verbs=_words(c, "foiler_verbs"),
            reporting_verbs=_words(c, "reporting_verbs"),
            presupposing=_words(c, "presupposing"),
            approach_words=_words(c, "approach_words"),
            hypothetical=compile_any(c.get("hypothetical", []), path),
            generic=compile_any(c.get("generic", []), path),
            modals=_words(c, "modals"),
            role_targets=_words(c, "role_targets"),
            hack_targets=_words(c, "hack_targets"),
            sponsor_phrases=compile_any(c.get("sponsor_phrases", []), path),
            heading_plot=compile_any(c.get("heading_plot", []), path),
            heading_target=compile_any(c.get("heading_target", []), path),
            trigger_status=[(s, compile_any(p, path)) for s, p in c.get("trigger_status", {}).items()],
            alleging_verbs=_words(c, "alleging_verbs"),
            denial_verbs=_words(c, "denial_verbs"),
            plot_acts=_words(c, "plot_acts"),
            distinct=compile_any(c.get("distinct", []), path),
            act_families={str(w).lower(): fam for fam, ws in c.get("act_families", {}).items() for w in ws},
            same_act=compile_any(c.get("same_act", []), path),
            sponsor_descriptions=compile_any(c.get("sponsor_descriptions", []), path),
            target_verbs=_words(c, "target_verbs"),
            charge_nouns=_words(c, "charge_nouns"),
            agent_nouns=_words(c, "agent_nouns"),
            state_agents=_words(c, "state_agents"),
            participation_verbs=_words(c, "participation_verbs"),
            agent_persons=_words(c, "agent_persons"),
            stopped_marks=_words(c, "stopped_marks"),
            alias_words=_words(c, "alias_words"),
            life_nouns=_words(c, "life_nouns"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise CuratedDataError(f"malformed plot cues ({exc})", path) from exc
    unknown = (set(vocab.governing.values()) | {s for s, _ in vocab.status_words} | set(vocab.intrinsic.values())
               | {s for s, _ in vocab.trigger_status}) - set(vocab.order)
    if unknown:
        raise CuratedDataError(f"statuses not in status_order: {sorted(unknown)}", path)
    return vocab
