"""One comparison model for gemeenten: how much gemeenten differ beyond chance, and whether one
figure stands out against that spread.

Every verdict 'uitzonderlijk' in a report comes from here, so the same figure gets the same
verdict in the signal list, the sentences, the kerncijfers and the funnel.

* **Scale.** Percentages are compared on the arcsine–square-root scale, rates per 1.000 inhabitants
  (counts of events) on the square-root scale (Poisson); on both the sampling variance of a figure
  with denominator n is 1/(4n), whatever the level. Amounts in euro and plain counts get no verdict.
* **Spread between gemeenten (τ²).** DerSimonian–Laird random-effects estimate over all gemeenten of
  one period. A gemeente is compared with z = (y − y_ref) / √(s² + τ²): the difference must stand out
  against the usual differences between gemeenten, not only against the sampling noise of its own
  count. Where CBS publishes only a percentage (no counts), s² is unknown and the spread of the
  published values between gemeenten is used instead.
* **Level.** 'Uitzonderlijk' means outside the 99,8 % limits (two-sided α = 0,002, |z| ≥ 3,09),
  the outer line of the funnel. A report makes some 40 such comparisons; at this level one expects
  about 0,1 false signal per report by chance alone (0,2 % per comparison).
* **Comparable gemeenten** are a distribution, not one pooled sample: the figure is compared with
  the prediction interval of the peers' values (t-distribution, k − 1 degrees of freedom).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

ALPHA = 0.002
Z_ALERT = float(stats.norm.ppf(1 - ALPHA / 2))  # 3,09
Z95 = float(stats.norm.ppf(0.975))
SCALES = {"percentage": "arcsinus", "per_1000": "wortel"}
MIN_UNITS = 10


def transform(k, n, unit: str, rounding: float = 0.0):
    """(y, v): the figure on the comparison scale and its variance: sampling 1/(4n), plus — when CBS
    rounds counts to multiples of ``rounding`` — the rounding error (uniform, variance rounding²/12)
    carried through the transformation (delta method). That term only matters for small counts.

    ``k``/``n`` are counts; for percentages k/n is the proportion, for rates per 1.000 k/n is
    events per inhabitant. Returns nan where counts are missing."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = k / n
        half = 0.5 / n
        if unit == "percentage":
            y = np.arcsin(np.sqrt(np.clip(r, 0, 1)))
            pc = np.clip(r, half, 1 - half)
            slope = 1 / (2 * n * np.sqrt(pc * (1 - pc)))  # dy/dk
        else:
            y = np.sqrt(np.clip(r, 0, None))
            slope = 1 / (2 * n * np.sqrt(np.clip(r, half, None)))
        v = 1 / (4 * n) + (rounding ** 2 / 12) * slope ** 2
    return y, v


def from_value(value, unit: str, scale: float):
    """The comparison scale for a published value only (percent or per 1.000)."""
    r = np.asarray(value, dtype=float) / scale
    return np.arcsin(np.sqrt(np.clip(r, 0, 1))) if unit == "percentage" else np.sqrt(np.clip(r, 0, None))


def back(y, unit: str, scale: float):
    """From the comparison scale back to the indicator's unit (percent or per 1.000)."""
    y = np.asarray(y, dtype=float)
    return (np.sin(np.clip(y, 0, np.pi / 2)) ** 2 if unit == "percentage" else np.clip(y, 0, None) ** 2) * scale


@dataclass(frozen=True)
class Spread:
    """Between-gemeente spread of one indicator in one period."""

    unit: str
    scale: float
    tau2: float  # between-gemeente variance on the comparison scale
    mu: float  # random-effects mean of the gemeenten (comparison scale)
    units: int  # number of gemeenten it rests on
    with_counts: bool  # False: only published values, s² unknown (tau2 = variance of the values)
    rounding: float = 0.0  # CBS rounds the counts to multiples of this


def dersimonian_laird(y, v) -> tuple[float, float]:
    """(τ², random-effects mean) by DerSimonian–Laird."""
    y, v = np.asarray(y, dtype=float), np.asarray(v, dtype=float)
    w = 1 / v
    fixed = float((w * y).sum() / w.sum())
    q = float((w * (y - fixed) ** 2).sum())
    c = float(w.sum() - (w ** 2).sum() / w.sum())
    tau2 = max(0.0, (q - (len(y) - 1)) / c) if c > 0 else 0.0
    wr = 1 / (v + tau2)
    return tau2, float((wr * y).sum() / wr.sum())


def estimate(k, n, value, unit: str, scale: float, rounding: float = 0.0) -> Spread | None:
    """The spread over the gemeenten of one period (arrays of counts, denominators, values).

    None for units without a verdict (euro, aantal) or fewer than 10 gemeenten with a figure."""
    if unit not in SCALES:
        return None
    k, n, value = (np.asarray(a, dtype=float) for a in (k, n, value))
    counted = np.isfinite(k) & np.isfinite(n) & (n > 0)
    if counted.sum() >= MIN_UNITS and counted.sum() >= 0.8 * np.isfinite(value).sum():
        y, v = transform(k[counted], n[counted], unit, rounding)
        tau2, mu = dersimonian_laird(y, v)
        return Spread(unit, scale, tau2, mu, int(counted.sum()), True, rounding)
    shown = np.isfinite(value)
    if shown.sum() < MIN_UNITS:
        return None
    y = from_value(value[shown], unit, scale)
    return Spread(unit, scale, float(np.var(y, ddof=1)), float(np.mean(y)), int(shown.sum()), False)


@dataclass(frozen=True)
class Verdict:
    """A figure against a reference: z on the comparison scale and the direction when it stands out."""

    z: float
    direction: str | None  # 'hoger' | 'lager' | None (not larger than chance, or no verdict possible)
    possible: bool = True  # False: no verdict for this unit or these data

    @property
    def stands_out(self) -> bool:
        return self.direction is not None


NO_VERDICT = Verdict(float("nan"), None, False)


def _y_v(row, spread: Spread):
    k, n, value = row.get("numerator"), row.get("denominator"), row.get("value")
    if spread.with_counts and k is not None and n is not None and np.isfinite(k) and np.isfinite(n) and n > 0:
        y, v = transform(k, n, spread.unit, spread.rounding)
        return float(y), float(v)
    if value is None or not np.isfinite(value):
        return None, None
    return float(from_value(value, spread.unit, spread.scale)), 0.0


def against(own, ref, spread: Spread | None, z_crit: float = Z_ALERT) -> Verdict:
    """``own`` (a row with numerator, denominator, value) against the figure ``ref`` of a region
    (Nederland, provincie, …), allowing for the spread between gemeenten."""
    if spread is None:
        return NO_VERDICT
    y, v = _y_v(own, spread)
    y_ref, v_ref = _y_v(ref, spread)
    if y is None or y_ref is None:
        return NO_VERDICT
    z = (y - y_ref) / np.sqrt(v + v_ref + spread.tau2) if (v + v_ref + spread.tau2) > 0 else float("nan")
    if not np.isfinite(z):
        return NO_VERDICT
    return Verdict(float(z), ("hoger" if z > 0 else "lager") if abs(z) >= z_crit else None)


def against_peers(own, peers, spread: Spread | None, alpha: float = ALPHA) -> Verdict:
    """``own`` against the distribution of the comparable gemeenten (rows ``peers``): outside the
    (1 − alpha) prediction interval of a new member, t-distribution with k − 1 degrees of freedom."""
    if spread is None:
        return NO_VERDICT
    y, v = _y_v(own, spread)
    ys = [yy for yy, _ in (_y_v(r, spread) for r in peers) if yy is not None]
    if y is None or len(ys) < 3:
        return NO_VERDICT
    ys = np.asarray(ys)
    k = len(ys)
    sd = float(np.std(ys, ddof=1))
    se = np.sqrt(sd ** 2 * (1 + 1 / k) + v)
    if se <= 0:
        return NO_VERDICT
    t = (y - ys.mean()) / se
    crit = float(stats.t.ppf(1 - alpha / 2, k - 1))
    return Verdict(float(t), ("hoger" if t > 0 else "lager") if abs(t) >= crit else None)


def funnel_limits(spread: Spread, y_ref: float, n, z: float, v_ref: float = 0.0):
    """Funnel limits in the indicator's unit for denominators ``n`` around the reference ``y_ref``
    (comparison scale, sampling variance ``v_ref``): y_ref ± z·√(1/(4n) + v_ref + τ²), back-transformed —
    the same z as :func:`against`, so a point is outside exactly when its verdict stands out."""
    n = np.asarray(n, dtype=float)
    half = z * np.sqrt(1 / (4 * n) + v_ref + spread.tau2)
    return back(y_ref - half, spread.unit, spread.scale), back(y_ref + half, spread.unit, spread.scale)


def expected_false_alarms(tests: int, alpha: float = ALPHA) -> float:
    return tests * alpha
