"""Benchmarks: which regions a gemeente (or jeugdregio) is compared with, and series for them.

Pure functions over the fact table and the region table.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kompas_lib.core.errors import DataError
from kompas_lib.prepare.regions import COUNTRY_CODE


@dataclass(frozen=True)
class Focus:
    code: str
    name: str
    level: str  # gemeente | jeugdregio | land


BENCHMARK_LEVELS = {
    "nederland": ("land", None),
    "provincie": ("provincie", "provincie_code"),
    "jeugdregio": ("jeugdregio", "jeugdregio_code"),
    "grootteklasse": ("grootteklasse", "grootteklasse_code"),
}


def benchmark_codes(regions: pd.DataFrame, focus: Focus, wanted: list[str]) -> dict[str, str]:
    """Map benchmark label (nederland, jeugdregio, …) -> region code for the focus region.

    The gemeente's regions of the latest year are used: the comparison is on today's indeling.
    """
    out: dict[str, str] = {}
    row = None
    if focus.level == "gemeente":
        sel = regions[regions["gemeente_code"] == focus.code].sort_values("jaar")
        if sel.empty:
            raise DataError(f"Gemeente {focus.code} staat niet in de voorbereide regiogegevens; voer 'kompas "
                            "prepare' opnieuw uit.")
        row = sel.iloc[-1]
    for label in wanted:
        if label not in BENCHMARK_LEVELS:
            continue
        level, col = BENCHMARK_LEVELS[label]
        if label == "nederland":
            if focus.code != COUNTRY_CODE:
                out[label] = COUNTRY_CODE
        elif row is not None and isinstance(row.get(col), str) and row.get(col):
            out[label] = row[col]
    return out


_BESIDE: dict[tuple, tuple[weakref.ref, object]] = {}


def kept_beside(frame: pd.DataFrame, key: tuple, make):
    """``make()`` once per live ``frame`` and ``key``: a value derived from a table that does not change
    (an index, a sum), kept for as long as that table lives and forgotten with it."""
    full = (id(frame), *key)
    found = _BESIDE.get(full)
    if found is not None and found[0]() is frame:
        return found[1]
    value = make()
    _BESIDE[full] = (weakref.ref(frame, lambda _ref, full=full: _BESIDE.pop(full, None)), value)
    return value


def peek_beside(frame: pd.DataFrame, key: tuple):
    """What :func:`kept_beside` keeps for ``frame`` and ``key``, or None when nothing is kept (yet)."""
    found = _BESIDE.get((id(frame), *key))
    return found[1] if found is not None and found[0]() is frame else None


def texts_at(column: pd.Series, positions: np.ndarray) -> np.ndarray:
    """The values of a text column at ``positions`` as a numpy array of str; a categorical column through its
    codes (converting the few categories, not every row)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = np.asarray(column.cat.categories.astype(str), dtype=object)
        codes = column.cat.codes.to_numpy()[positions]
        return np.where(codes < 0, "nan", categories[codes]).astype(str)  # a missing value as str() writes it
    return np.asarray(column.array.take(positions), dtype=object).astype(str)  # the rows asked, not the column


def _totaal_rows(facts: pd.DataFrame, indicator: str) -> dict[str, np.ndarray]:
    """Region code -> positions of the indicator's 'totaal' rows in ``facts``, kept beside that frame
    (a report asks for the same indicator's rows of a few regions many times; a mask over the
    whole frame each time was a fifth of a report's computing time)."""
    def make():
        mask = ((facts["indicator"] == indicator) & (facts["group_dim"] == "totaal")).to_numpy(dtype=bool)
        positions = np.flatnonzero(mask)
        codes = texts_at(facts["region_code"], positions)
        order = np.argsort(codes, kind="stable")  # per code its positions stay in frame order
        unique, starts = np.unique(codes[order], return_index=True)
        return dict(zip(unique.tolist(), np.split(positions[order], starts[1:])))

    return kept_beside(facts, ("totaal", indicator), make)


def series(facts: pd.DataFrame, indicator: str, codes: list[str], period_type: str | None = "jaar") -> pd.DataFrame:
    """Long frame of one indicator for the given regions ('totaal' rows), ordered by region and time."""
    return facts.iloc[series_rows(facts, indicator, codes, period_type)].reset_index(drop=True)


def series_rows(facts: pd.DataFrame, indicator: str, codes: list[str], period_type: str | None = "jaar") -> np.ndarray:
    """The positions in ``facts`` of :func:`series`'s rows, in its order (for who needs a few columns only)."""
    index = _totaal_rows(facts, indicator)
    found = [c for c in dict.fromkeys(codes) if c in index]
    if not found:
        return np.empty(0, dtype=np.intp)
    # the order of ``sort_values(["region_code", "period_start"], kind="stable")`` on the rows in frame order,
    # worked out on positions so that the frame is copied once: regions in the order pandas sorts them (a
    # categorical column by its categories), within a region by start, ties (and missing starts, last) kept
    # in frame order
    column = facts["region_code"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        rank = column.cat.categories.get_indexer(found)
        found = [found[i] for i in np.argsort(rank, kind="stable")]
    else:
        found = sorted(found)
    starts = facts["period_start"].to_numpy()
    positions = np.concatenate([index[c][np.argsort(starts[index[c]], kind="stable")] for c in found])
    if period_type:
        positions = positions[texts_at(facts["period_type"], positions) == period_type]
    return positions


def latest_common_period(s: pd.DataFrame, focus_code: str) -> pd.Series | None:
    """The latest row of the focus region with a value."""
    rows = np.flatnonzero(((s["region_code"] == focus_code) & s["value"].notna()).to_numpy(dtype=bool))
    if not len(rows):
        return None
    # the row ``own.sort_values("period_start").iloc[-1]`` gives, without copying the frame twice: the same
    # sort (pandas sorts the non-missing starts with numpy's quicksort and puts missing ones last)
    starts = s["period_start"].to_numpy()[rows]
    missing = pd.isna(starts)
    if missing.any():
        return s.iloc[rows[missing][-1]]
    return s.iloc[rows[np.argsort(starts, kind="quicksort")[-1]]]


def change(s: pd.DataFrame, code: str, first_year: int | None = None) -> tuple[pd.Series, pd.Series] | None:
    """First and last row with a value for a region (for 'from … to …' sentences), starting no
    earlier than ``first_year``."""
    own = s[(s["region_code"] == code) & s["value"].notna()].sort_values("period_start")
    if first_year is not None:
        own = own[own["period_start"].dt.year >= first_year]
    if len(own) < 2:
        return None
    return own.iloc[0], own.iloc[-1]


def table_breaks(s: pd.DataFrame, code: str) -> list[tuple[pd.Timestamp, str, str]]:
    """Where a region's series moves to another CBS table: (start of the first period from the new
    table, old table, new table)."""
    own = s[(s["region_code"] == code) & s["value"].notna()].sort_values("period_start")
    out = []
    prev = None
    for r in own.itertuples(index=False):
        if prev is not None and r.source_table != prev.source_table:
            out.append((r.period_start, str(prev.source_table), str(r.source_table)))
        prev = r
    return out
