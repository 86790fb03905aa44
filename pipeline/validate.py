"""Cross-table validation: provenance quotes, foreign keys, licensing of quotes.

Per-table rules (types, vocabularies, keys) are the pandera models of
``schemas.models``; the rules here need several tables or the source texts.
Each check returns a list of one-line problems (empty when the table passes).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

import pandas as pd

from pipeline.text import sentence_spans
from schemas.dictionary import load_dictionary

PROVENANCE = ("source_id", "passage_id", "char_start", "char_end", "quote")


def has_provenance(table: str) -> bool:
    return set(PROVENANCE) <= set(load_dictionary().tables[table].column_names)


def check_provenance(
    table: str,
    frame: pd.DataFrame,
    texts: dict[str, str],
    passage_spans: dict[str, tuple[str, int, int]],
    public: dict[str, bool],
) -> list[str]:
    """quote == text[char_start:char_end], inside its passage; short quotes for closed sources."""
    problems: list[str] = []
    if not has_provenance(table) or frame.empty:
        return problems
    pk = load_dictionary().tables[table].primary_key[0]
    for row in frame[[pk, *PROVENANCE]].itertuples(index=True):
        rid, sid, pid, start, end, quote = row[1], row[2], row[3], int(row[4]), int(row[5]), row[6]
        where = f"table {table!r} row {row.Index} ({pk}={rid!r})"
        text = texts.get(sid)
        if text is None:
            problems.append(f"{where}: unknown source_id {sid!r}")
            continue
        if text[start:end] != quote:
            problems.append(f"{where}: quote differs from {sid}[{start}:{end}] ({text[start:end][:40]!r})")
            continue
        span = passage_spans.get(pid)
        if span is None or span[0] != sid or not (span[1] <= start <= end <= span[2]):
            problems.append(f"{where}: span {start}-{end} is not inside passage {pid!r}")
            continue
        if not public.get(sid, False) and len(sentence_spans(quote)) > 1:
            problems.append(f"{where}: quote from non-public source {sid} is longer than one sentence")
    return problems


def fit_quotes(
    tables: dict[str, list[dict[str, Any]]],
    texts: Mapping[str, str],
    passage_spans: Mapping[str, tuple[str, int, int]],
    public: Mapping[str, bool],
) -> list[str]:
    """Make every row's quote publishable before validation, in place; return report lines.

    A non-public source's quote must be one sentence (``check_provenance``, with the one sentence
    definition of ``pipeline.text.sentence_spans``). A row whose quote is longer -- an extractor's
    span (a name the statistical model read across a full stop, a clause) crossing the splitter's
    sentence end -- is trimmed to the sentence of its passage holding its start, or dropped when
    even that is not one sentence: one odd row is reported, never a reason to publish nothing."""
    report: list[str] = []
    sentences: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
    dictionary = load_dictionary()
    for table, rows in tables.items():
        if table not in dictionary.tables or not has_provenance(table):
            continue
        pk = dictionary.tables[table].primary_key[0]
        kept = []
        for row in rows:
            sid, quote = str(row.get("source_id")), row.get("quote")
            if public.get(sid, True) or not isinstance(quote, str) or len(sentence_spans(quote)) <= 1:
                kept.append(row)
                continue
            span = passage_spans.get(row["passage_id"])
            text = texts.get(sid)
            fitted = None
            if span is not None and text is not None:
                if row["passage_id"] not in sentences:
                    spans = sentence_spans(text, span[1], span[2])
                    sentences[row["passage_id"]] = ([e for _, e in spans], spans)
                ends, spans = sentences[row["passage_id"]]
                i = bisect.bisect_right(ends, row["char_start"])  # the sentence holding the start
                if i < len(spans):
                    start, end = max(row["char_start"], spans[i][0]), min(row["char_end"], spans[i][1])
                    if start < end and len(sentence_spans(text[start:end])) == 1:
                        fitted = (start, end)
            where = f"{table} {pk}={row.get(pk)!r}: quote from non-public source {sid} is longer than one sentence"
            if fitted is None:
                report.append(f"{where}; row dropped")
                continue
            report.append(f"{where}; trimmed to its sentence [{fitted[0]}:{fitted[1]}] "
                          f"(was [{row['char_start']}:{row['char_end']}])")
            assert text is not None
            row.update(char_start=fitted[0], char_end=fitted[1], quote=text[fitted[0] : fitted[1]])
            kept.append(row)
        rows[:] = kept
    return report


def check_foreign_keys(tables: dict[str, pd.DataFrame]) -> list[str]:
    problems: list[str] = []
    dictionary = load_dictionary()
    for name, spec in dictionary.tables.items():
        frame = tables[name]
        for column, ref_table, ref_column in spec.foreign_keys:
            values = frame[column].dropna()
            if values.empty:
                continue
            known = set(tables[ref_table][ref_column])
            missing = values[~values.isin(known)]
            if not missing.empty:
                first = missing.index[0]
                problems.append(
                    f"table {name!r} row {first} column {column!r}: {missing.iloc[0]!r} not in "
                    f"{ref_table}.{ref_column} ({len(missing)} rows)"
                )
    return problems


def check_redirects(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Every redirect points at a row of its table, and its old ID is no longer a row there."""
    if "redirects" not in tables:
        return []
    dictionary = load_dictionary()
    live: dict[str, set[str]] = {}
    problems: list[str] = []
    frame = tables["redirects"]
    for index, table, old, new in zip(frame.index, frame["table"], frame["old_id"], frame["new_id"], strict=True):
        if table not in live:
            live[table] = set(tables[table][dictionary.tables[table].primary_key[0]]) if table in tables else set()
        if new not in live[table]:
            problems.append(f"table 'redirects' row {index}: {old!r} -> {new!r}, not a row of {table}")
        elif old in live[table]:
            problems.append(f"table 'redirects' row {index}: {old!r} is still a row of {table}")
    return problems


# Wide columns whose every value comes from a claim of the same property (``pipeline.claims``).
CLAIMED = {"events": ("event_id", ("killed_low", "killed_best", "killed_high", "injured_low", "injured_best",
                                   "injured_high", "event_type"))}


def check_claims(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Every claim supports a published row; every claimed wide value is one of its row's claims."""
    problems: list[str] = []
    claims = tables.get("claims")
    if claims is None or claims.empty:
        return problems
    for table, group in claims.groupby("table"):
        pk = load_dictionary().tables[str(table)].primary_key[0]
        missing = group[~group["row_id"].isin(set(tables[str(table)][pk]))]
        if not missing.empty:
            problems.append(f"table 'claims' row {missing.index[0]}: row_id {missing['row_id'].iloc[0]!r} not in "
                            f"{table}.{pk} ({len(missing)} rows)")
    values = {(r.table, r.row_id, r.property, r.value) for r in claims.itertuples(index=False)}
    for table, (pk, columns) in CLAIMED.items():
        frame = tables[table]
        for col in columns:
            prop = col.rsplit("_", 1)[0] if col.endswith(("_low", "_best", "_high")) else col
            for rid, v in zip(frame[pk], frame[col], strict=True):
                if v is not None and not pd.isna(v) and (table, rid, prop, str(v)) not in values:
                    problems.append(f"table {table!r} row {rid!r}: {col}={v!r} is no claim of its tellings")
                    break
    return problems
