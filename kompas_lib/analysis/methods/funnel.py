"""Funnel plots: control limits for proportions around a benchmark (DESIGN.md §4).

Limits at 95 % (z = 1,96) and 99,8 % (z = 3,09): exact binomial quantiles around p̄. When many units fall
outside (overdispersion), the additive random-effects adjustment of Spiegelhalter (2005) widens the
limits: ``p̄ ± z·√(p̄(1−p̄)/n + τ²)`` with τ² estimated from winsorised z-scores. A unit outside the
99,8 % limits made from the other units alone is left out of p̄ and τ² (it must not widen its own
yardstick). Units are labelled 'binnen / boven / onder de grenzen' — never ranked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

Z95 = float(stats.norm.ppf(0.975))
Z998 = float(stats.norm.ppf(0.999))


def limits(p_bar: float, n, z: float, tau2: float = 0.0):
    """Lower and upper control limits (proportions) for denominators ``n``.

    Without overdispersion (τ² = 0) the limits are exact binomial quantiles — what matters for the
    small n of a provider; with τ² the normal approximation ``p̄ ± z·√(p̄(1−p̄)/n + τ²)``."""
    n = np.asarray(n, dtype=float)
    if tau2 == 0:
        a = 2 * (1 - stats.norm.cdf(z))
        nn = np.maximum(np.round(n), 1)
        return stats.binom.ppf(a / 2, nn, p_bar) / nn, stats.binom.ppf(1 - a / 2, nn, p_bar) / nn
    se = np.sqrt(p_bar * (1 - p_bar) / n + tau2)
    return np.clip(p_bar - z * se, 0, 1), np.clip(p_bar + z * se, 0, 1)


@dataclass(frozen=True)
class Overdispersion:
    phi: float  # mean squared (winsorised) z-score
    tau2: float  # additive between-unit variance (0 when not overdispersed)
    adjusted: bool


def overdispersion(k, n, p_bar: float, winsor: float = 0.10) -> Overdispersion:
    """Estimate overdispersion (Spiegelhalter 2005, additive random effects, winsorised z-scores)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    ok = n > 0
    k, n = k[ok], n[ok]
    units = len(n)
    if units < 3:
        return Overdispersion(float("nan"), 0.0, False)
    s2 = p_bar * (1 - p_bar) / n
    z = (k / n - p_bar) / np.sqrt(s2)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    zw = np.clip(z, lo, hi)
    phi = float(np.mean(zw**2))
    if units * phi <= units - 1:
        return Overdispersion(phi, 0.0, False)
    w = 1 / s2
    tau2 = float((units * phi - (units - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return Overdispersion(phi, max(tau2, 0.0), True)


def classify(k, n, p_bar: float, z: float = Z95, tau2: float = 0.0) -> np.ndarray:
    """'boven de grenzen' / 'onder de grenzen' / 'binnen de grenzen' per unit."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    lo, hi = limits(p_bar, n, z, tau2)
    p = k / n
    return np.where(p > hi, "boven de grenzen", np.where(p < lo, "onder de grenzen", "binnen de grenzen"))


def outlying_units(k: np.ndarray, n: np.ndarray, p_bar: float | None = None) -> np.ndarray:
    """Units outside the 99,8 % limits made from *the other units only* (their mean and their
    overdispersion): an outlying unit must not widen its own yardstick (with few units, one outlier
    can otherwise inflate τ² until nothing is ever outside)."""
    out = np.zeros(len(n), dtype=bool)
    if len(n) < 4:
        return out
    for i in range(len(n)):
        rest = np.arange(len(n)) != i
        p = float(k[rest].sum() / n[rest].sum()) if p_bar is None else float(p_bar)
        od = overdispersion(k[rest], n[rest], p)
        lo, hi = limits(p, np.array([n[i]]), Z998, od.tau2)
        rate = k[i] / n[i]
        out[i] = bool(rate < lo[0] or rate > hi[0])
    return out


def funnel_table(units: pd.DataFrame, p_bar: float | None = None, adjust: bool = True) -> tuple[pd.DataFrame, dict]:
    """Classify units (columns ``code``, ``name``, ``k``, ``n``) against ``p_bar`` (default: pooled).

    Returns the table (unsorted by value: in the input order) and the parameters used.
    """
    units = units[(units["n"] > 0) & units["k"].notna()].copy()
    p = float(units["k"].sum() / units["n"].sum()) if p_bar is None else float(p_bar)
    od = overdispersion(units["k"], units["n"], p) if adjust else Overdispersion(float("nan"), 0.0, False)
    outlying = np.zeros(len(units), dtype=bool)
    if od.adjusted:
        outlying = outlying_units(units["k"].to_numpy(float), units["n"].to_numpy(float), p_bar)
        if outlying.any() and (~outlying).sum() >= 3:  # the spread of the others is the yardstick
            keep = units[~outlying]
            p = float(keep["k"].sum() / keep["n"].sum()) if p_bar is None else float(p_bar)
            od = overdispersion(keep["k"], keep["n"], p)
    units["buiten_eigen_spreiding"] = outlying
    units["rate"] = units["k"] / units["n"]
    for label, z in (("95", Z95), ("998", Z998)):
        lo, hi = limits(p, units["n"], z, od.tau2)
        units[f"lo{label}"], units[f"hi{label}"] = lo, hi
    units["oordeel_95"] = classify(units["k"], units["n"], p, Z95, od.tau2)
    units["oordeel_998"] = classify(units["k"], units["n"], p, Z998, od.tau2)
    return units, {"p_bar": p, "phi": od.phi, "tau2": od.tau2, "overdispersie": od.adjusted}


def limit_curve(p_bar: float, n_min: float, n_max: float, tau2: float = 0.0, points: int = 300) -> pd.DataFrame:
    """The 95 % and 99,8 % limits around ``p_bar`` over denominators from a little below ``n_min`` to a
    little above ``n_max`` (columns ``n``, ``lo95``, ``hi95``, ``lo998``, ``hi998``), as a funnel figure draws them."""
    n = np.geomspace(max(n_min * 0.8, 10), n_max * 1.2, points)
    curve = pd.DataFrame({"n": n})
    for z, label in ((Z95, "95"), (Z998, "998")):
        curve[f"lo{label}"], curve[f"hi{label}"] = limits(p_bar, n, z, tau2)
    return curve
