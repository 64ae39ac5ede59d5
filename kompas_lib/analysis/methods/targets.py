"""Targets of block 2 (maatschappelijk resultaat): is a result on course?

A result's indicator has a baseline (period, value), a target value and a target year, and a
direction. The norm is the straight path from baseline to target. The latest realised value is
judged *with its uncertainty*, not by the point:

* ``op koers``           — the whole 95 % margin lies on the good side of the path;
* ``niet op koers``      — the whole margin lies on the wrong side;
* ``nog niet te zeggen`` — the margin straddles the path, there is no measurement after the
  baseline yet, or no margin can be given.

The margin is the Wilson interval where counts are known; otherwise ± 1,96 × the standard deviation
of the earlier year-to-year changes (the indicator's usual wobble), when at least three are known.

Pure functions on a series frame (columns year, value[, numerator, denominator]); the section
builder (:mod:`kompas_lib.analysis.sections.resultaat`) turns judgements into tables and figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kompas_lib.analysis.methods.uncertainty import poisson_exact, wilson

OP_KOERS, NIET_OP_KOERS, ONZEKER = "op koers", "niet op koers", "nog niet te zeggen"


@dataclass(frozen=True)
class Judgement:
    verdict: str
    year: int | None
    value: float | None
    low: float | None
    high: float | None
    expected: float | None
    reason: str


def path_value(base_year: int, base_value: float, target_year: int, target: float, year: float) -> float:
    """The straight norm path from baseline to target, evaluated in ``year``."""
    if target_year == base_year:
        return target
    return base_value + (target - base_value) * (year - base_year) / (target_year - base_year)


def margin(series: pd.DataFrame, scale: float = 100.0, unit: str = "percentage") -> tuple[float | None, float | None, str]:
    """Margin of the last value on the indicator's own scale: Wilson for a percentage and exact Poisson
    limits for a rate per 1.000 (a count of events) from counts; else — and always for euro amounts
    and plain counts — the wobble of earlier years."""
    last = series.iloc[-1]
    counted = pd.notna(last.get("numerator")) and pd.notna(last.get("denominator")) and last["denominator"] > 0
    if counted and unit == "percentage":
        lo, hi = wilson(last["numerator"], last["denominator"])
        return float(lo) * scale, float(hi) * scale, "95 %-marge uit teller en noemer"
    if counted and unit == "per_1000":
        lo, hi = poisson_exact(last["numerator"])
        per = scale / last["denominator"]
        return float(lo) * per, float(hi) * per, "95 %-marge uit het aantal gebeurtenissen (Poisson)"
    steps = np.diff(series["value"].to_numpy(dtype=float)[:-1])
    if len(steps) >= 3 and np.std(steps, ddof=1) > 0:
        half = 1.96 * float(np.std(steps, ddof=1))
        return max(last["value"] - half, 0.0), last["value"] + half, "marge uit de schommeling van eerdere jaren"
    return None, None, "geen marge bekend"


def judge(series: pd.DataFrame, *, base_year: int, base_value: float, target: float, target_year: int,
          direction: str, scale: float = 100.0, unit: str = "percentage") -> Judgement:
    """Judge the latest value of ``series`` (columns year, value[, numerator, denominator]) against the
    norm path. ``direction``: 'hoger' (higher is the aim) or 'lager'; ``unit`` and ``scale`` are the
    indicator's (percentage and 100, per_1000 and 1000, euro and 1 …)."""
    s = series.dropna(subset=["value"]).sort_values("year")
    after = s[s["year"] > base_year]
    if after.empty:
        return Judgement(ONZEKER, None, None, None, None, None, "nog geen meting na het basisjaar")
    last = after.iloc[-1]
    lo, hi, how = margin(s[s["year"] <= last["year"]], scale, unit)
    expected = path_value(base_year, base_value, target_year, target, last["year"])
    if lo is None:
        return Judgement(ONZEKER, int(last["year"]), float(last["value"]), None, None, expected, how)
    good_above = direction == "hoger"
    if (lo >= expected) if good_above else (hi <= expected):
        verdict = OP_KOERS
    elif (hi < expected) if good_above else (lo > expected):
        verdict = NIET_OP_KOERS
    else:
        verdict = ONZEKER
    return Judgement(verdict, int(last["year"]), float(last["value"]), lo, hi, expected, how)
