"""Uncertainty of rates and counts (DESIGN.md §4): Wilson and Clopper–Pearson intervals for a
proportion and exact Poisson limits for a count ('uitzonderlijk' is decided in
:mod:`.spread`). Pure functions, vectorised over numpy arrays or pandas Series."""

from __future__ import annotations

import numpy as np
from scipy import stats


def _z(level: float) -> float:
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def wilson(k, n, level: float = 0.95):
    """Wilson score interval for k successes out of n; returns (low, high) as proportions."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def clopper_pearson(k, n, level: float = 0.95):
    """Exact (Clopper–Pearson) interval for k out of n; returns (low, high) as proportions."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    a = 1 - level
    low = np.where(k > 0, stats.beta.ppf(a / 2, k, n - k + 1), 0.0)
    high = np.where(k < n, stats.beta.ppf(1 - a / 2, k + 1, n - k), 1.0)
    return low, high


def poisson_exact(k, level: float = 0.95):
    """Exact Poisson limits for an observed count k; returns (low, high) counts."""
    k = np.asarray(k, dtype=float)
    a = 1 - level
    low = np.where(k > 0, stats.chi2.ppf(a / 2, 2 * k) / 2, 0.0)
    high = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return low, high


def wilson_rounded(k, n, step: float = 0.0, level: float = 0.95):
    """Wilson interval widened for a count rounded to multiples of ``step`` (CBS: 5): the lower limit
    of k − step/2 and the upper limit of k + step/2. Matters where counts are small."""
    k = np.asarray(k, dtype=float)
    low, _ = wilson(np.maximum(k - step / 2, 0), n, level)
    _, high = wilson(k + step / 2, n, level)
    return low, high
