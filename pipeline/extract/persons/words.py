"""Word sets and patterns shared by the person finders, filters and role readers (function words
that never open or close a name, clause starters, reporting verbs). Words that are knowledge of
the world live in raw/curated/ and are read by ``curated``; these are English grammar.
"""

from __future__ import annotations

import re

_CONNECTORS = frozenset({"of", "to", "for", "on", "the"})


_DETERMINERS = frozenset({"the", "a", "an", "The", "A", "An"})


# Capitalised words that open sentences and clauses, never part of a role or name.
_FUNCTION_CAPS = frozenset(
    {
        "On",
        "In",
        "At",
        "By",
        "For",
        "From",
        "According",
        "After",
        "Before",
        "During",
        "When",
        "While",
        "As",
        "The",
        "A",
        "An",
        "But",
        "And",
        "Then",
        "Since",
        "Following",
        "Shortly",
        "Earlier",
        "Later",
        "Three",
        "Two",
        "Four",
        "Five",
        "Several",
        "Some",
        "Many",
        "Other",
        "Under",
        "With",
        "Without",
        "Meanwhile",
        "Also",
        "Yet",
        "Although",
        "Though",
        "If",
        "Despite",
        "Because",
        "Whereas",
        "Both",
        "Once",
        "Like",
        "Unlike",
        "Among",
        "Including",
        "Even",
        "Only",
        "Just",
        "Unless",
        "Until",
        "Upon",
        "Whether",
        "Not",
        "Neither",
        "Nor",
    }
)


_CLAUSE_STARTERS = frozenset(
    {
        "who",
        "which",
        "that",
        "whose",
        "where",
        "when",
        "and",
        "but",
        "or",
        "said",
        "says",
        "told",
        "is",
        "was",
    }
)


_TRAILING_FUNCTION = frozenset(
    {"a", "an", "the", "of", "to", "for", "in", "on", "at", "by", "with", "being", "and", "or"}
)


_SENTENCE_PUNCT = frozenset({".", "!", "?", ";", ":", "“", "”", '"', "(", ")", "—", "–", "\n"})


_ROLE_STOP_RE = re.compile(r"[,;:()\[\]“”\"\n]|(?<![A-Z])\.(?:\s|$)|\s(?:who|which|that|whose|where|when)\s")


_REPORTING_VERBS = frozenset(
    {"said", "says", "told", "added", "warned", "spoke", "wrote", "tweeted", "announced", "stated", "called"}
)
