"""Targets of block 2 (maatschappelijk resultaat): is a result on course?

A result's indicator has a baseline (period, value), a target value and a target year, and a
direction. The norm is the straight path from baseline to target. The latest realised value is
judged *with its uncertainty*, not by the point:

* ``op koers``           — the whole 95 % margin lies on the good side of the path;
* ``niet op koers``      — the whole margin lies on the wrong side;
* ``nog niet te zeggen`` — the margin straddles the path, there is no measurement after the
  baseline yet, or no margin can be given.

The margin holds both kinds of uncertainty a year's figure has: the sampling margin where counts are
known (Wilson for a percentage, exact Poisson for a rate per 1.000), and the indicator's real
year-to-year variation — the spread of the earlier years around their own straight line. A
near-complete count (all pupils of a gemeente) has a tiny sampling margin, yet the figure moves from
year to year by more than that (Utrecht's VSV: 0,20 against 0,11 procentpunt); judging a target
against the sampling margin alone would call 'niet op koers' what is 'nog niet te zeggen'. So the
margin is ± 1,96 × the larger of the two standard deviations (symmetric) whenever the year-to-year
variation is the larger one, and the sampling interval otherwise. Without counts only the
year-to-year variation is used (at least four earlier years).

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
    value = float(last["value"])
    wobble = year_to_year_sd(series["value"].to_numpy(dtype=float)[:-1])
    counted = pd.notna(last.get("numerator")) and pd.notna(last.get("denominator")) and last["denominator"] > 0
    sampled = None
    if counted and unit == "percentage":
        lo, hi = wilson(last["numerator"], last["denominator"])
        sampled = float(lo) * scale, float(hi) * scale, "95 %-marge uit teller en noemer"
    elif counted and unit == "per_1000":
        lo, hi = poisson_exact(last["numerator"])
        per = scale / last["denominator"]
        sampled = float(lo) * per, float(hi) * per, "95 %-marge uit het aantal gebeurtenissen (Poisson)"
    if sampled is not None and (wobble is None or wobble <= (sampled[1] - sampled[0]) / (2 * 1.96)):
        return sampled
    if wobble is None or wobble == 0:
        return sampled if sampled is not None else (None, None, "geen marge bekend")
    half = 1.96 * wobble
    how = ("95 %-marge uit de schommeling van eerdere jaren (groter dan de marge uit teller en noemer)"
           if sampled is not None else "95 %-marge uit de schommeling van eerdere jaren")
    return max(value - half, 0.0), value + half, how


def year_to_year_sd(earlier, min_years: int = 4) -> float | None:
    """The standard deviation of earlier years around their own straight line (the indicator's real
    year-to-year variation, sampling noise included); None with fewer than ``min_years`` years."""
    v = np.asarray([x for x in earlier if np.isfinite(x)], dtype=float)
    if len(v) < min_years:
        return None
    t = np.arange(len(v), dtype=float)
    slope, intercept = np.polyfit(t, v, 1)
    return float(np.sqrt(((v - intercept - slope * t) ** 2).sum() / (len(v) - 2)))


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
