"""Demography (DESIGN.md §4): indirect standardisation and the split of a change in counts.

* Indirect standardisation: expected = Σ_a population_a × national rate_a; the ratio
  observed / expected with exact Poisson limits on the observed count.
* Change decomposition (midpoint / Kitagawa): a change in counts C = P·r between two periods splits
  exactly into a population effect (ΔP · r̄) and a rate effect (Δr · P̄). A shrinking youth population
  lowers the count without any change in use — it is never read as improvement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kompas_lib.analysis.methods.uncertainty import poisson_exact


@dataclass(frozen=True)
class Standardised:
    observed: float
    expected: float
    ratio: float
    low: float
    high: float


def indirect(observed: float, population_by_age, national_rate_by_age, level: float = 0.95) -> Standardised:
    """Observed / expected with exact limits. Rates are proportions (0–1) per age group."""
    pop = np.asarray(population_by_age, dtype=float)
    rate = np.asarray(national_rate_by_age, dtype=float)
    expected = float((pop * rate).sum())
    lo, hi = poisson_exact(observed, level)
    return Standardised(float(observed), expected, observed / expected, float(lo) / expected, float(hi) / expected)


@dataclass(frozen=True)
class Decomposition:
    change: float
    population_effect: float
    rate_effect: float


def decompose_change(pop0: float, rate0: float, pop1: float, rate1: float) -> Decomposition:
    """Split the change in counts (pop × rate) into population and rate effects (they add up)."""
    pop_effect = (pop1 - pop0) * (rate0 + rate1) / 2
    rate_effect = (rate1 - rate0) * (pop0 + pop1) / 2
    return Decomposition(pop1 * rate1 - pop0 * rate0, pop_effect, rate_effect)


def regroup(bands: dict[tuple[int, int], float], targets: list[tuple[int, int]]) -> list[float]:
    """Re-group population counts from age bands [lo, hi) into other bands, assuming the people of a
    band are spread evenly over its single years of age (a stated approximation)."""
    per_year: dict[int, float] = {}
    for (lo, hi), count in bands.items():
        for age in range(lo, hi):
            per_year[age] = per_year.get(age, 0.0) + count / (hi - lo)
    out = []
    for lo, hi in targets:
        ages = range(lo, hi)
        if any(a not in per_year for a in ages):
            raise ValueError(f"age band {lo}-{hi} is not covered by the population bands")
        out.append(sum(per_year[a] for a in ages))
    return out
