"""Literal gates for large curated regex alternations: search a pattern only in texts that hold
one of the literal strings every match of it must contain.

What belongs here: working out, from a compiled pattern's own syntax tree, a set of literals at
least one of which any match contains (``required_literals``), the case folding the regex engine
applies to them (``fold``), and ``GatedAny``, which answers "does any of these patterns match" as
the patterns themselves would, trying only those whose literals occur. The gate is a necessary
condition computed from the pattern, never a guess, so it changes no answer, only how often the
regex engine is started (a curated alternation of hundreds of branches tried at every word start
costs ~0.5 ms per sentence; a substring test costs microseconds).
"""

from __future__ import annotations

import _sre
import re
import re._constants as _c
import re._parser as _parser
from collections.abc import Iterable, Sequence
from typing import Any


class _FoldMap(dict[int, int]):
    """Code point -> its class under the regex engine's case-insensitive matching: the engine's
    own lower-casing, then one representative of the characters it treats as equal besides
    ('s' and the long s, 'k' and the Kelvin sign, ...). Filled as characters are met: working
    it out for every code point costs ~0.1 s, paid again in every worker process."""

    def __missing__(self, cp: int) -> int:
        low = _sre.unicode_tolower(cp)
        rep = min((low, *_EXTRA_CASES.get(low, ())))
        self[cp] = rep
        return rep


_EXTRA_CASES: dict[int, tuple[int, ...]] = getattr(re._compiler, "_EXTRA_CASES", {})  # type: ignore[attr-defined]
_FOLD = _FoldMap()


def fold(text: str) -> str:
    """``text`` as the regex engine compares it case-insensitively (one character per character)."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


Literals = frozenset[str] | None  # None: no literal is required (the pattern is always tried)


def required_literals(pattern: re.Pattern[str]) -> Literals:
    """Folded literals of which every match of ``pattern`` contains at least one, or None."""
    return _of_sequence(list(_parser.parse(pattern.pattern, pattern.flags)))


def _better(a: Literals, b: Literals) -> Literals:
    """The more selective requirement: longest shortest literal, then fewest literals."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _of_sequence(items: Sequence[tuple[Any, Any]]) -> Literals:
    best: Literals = None
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset([fold("".join(run))]))
            run = []
        if op is _c.SUBPATTERN:
            best = _better(best, _of_sequence(list(av[-1])))
        elif op is _c.ATOMIC_GROUP:
            best = _better(best, _of_sequence(list(av)))
        elif op is _c.BRANCH:
            best = _better(best, _of_branch(av[1]))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            best = _better(best, _of_sequence(list(av[2])))
        # anything else (classes, lookarounds, anchors, back-references, optional parts) requires
        # no literal of its own
    return best


def _of_branch(alternatives: Iterable[Any]) -> Literals:
    out: set[str] = set()
    for alt in alternatives:
        req = _of_sequence(list(alt))
        if req is None:
            return None
        out |= req
    return frozenset(out)


class GatedAny:
    """Whether any of ``patterns`` matches a text (as ``re.compile("|".join(...))``'s search
    would say), trying each pattern only where one of its required literals occurs."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        self._gates = [(required_literals(p), p) for p in self.patterns]

    def search(self, text: str) -> bool:
        folded: str | None = None
        for lits, pat in self._gates:
            if lits is not None:
                if folded is None:
                    folded = fold(text)
                if not any(lit in folded for lit in lits):
                    continue
            if pat.search(text):
                return True
        return False
