"""Signals — 'wat valt op': simple, explainable rules, worded by the indicator's polarity.

A signal is a question for the conversation with partners, not a verdict: neutral indicators (most
use of care) are worded as questions, indicators with a direction as 'gunstiger / ongunstiger'.
Every signal is followed in the report by the four duidingsvragen.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from kompas_lib.analysis.methods.spread import ALPHA


def trend_break(values, alpha: float = ALPHA, min_history: int = 4, resolution: float = 0.0,
                slack=None) -> str | None:
    """'stijging' / 'daling' when the last of equally spaced ``values`` (years) falls outside the
    (1 − alpha) prediction interval of a straight line through the earlier values.

    The interval uses the t-distribution with m − 2 degrees of freedom for m earlier points; with
    fewer than ``min_history`` earlier points there is no verdict (None).

    Publication rounding never makes a break. ``resolution`` is the step of the published values (0,1
    for one decimal); ``slack`` the half-width of each value's rounding interval (default: half a step;
    for a percentage computed from counts rounded to r, r/2 of its denominator). A break must survive
    every move of the values within their rounding: the residual spread is taken at its largest over
    those moves (‖r‖ + ‖slack‖, the residuals being a projection) and never below the rounding error
    itself, and the distance of the last value from the line must exceed the interval after the last
    value moves by its slack and the line's prediction by Σ|wᵢ|·slackᵢ (wᵢ the weight of value i in the
    extrapolated prediction). So a flat series 0,3 0,3 0,3 0,3 that moves one step (0,2) is no break,
    and neither is a jump that only stands out because four rounded points happen to lie on a line."""
    v = np.asarray(values, dtype=float)
    h = np.full(len(v), resolution / 2) if slack is None else np.asarray(slack, dtype=float)
    ok = np.isfinite(v)
    v, h = v[ok], np.where(np.isfinite(h[ok]), h[ok], 0.0)
    if len(v) < min_history + 1:
        return None
    earlier, last = v[:-1], v[-1]
    m = len(earlier)
    t = np.arange(m, dtype=float)
    slope, intercept = np.polyfit(t, earlier, 1)
    resid = earlier - (intercept + slope * t)
    # the residual spread after the worst move within rounding: ‖r + (I − H)δ‖ ≤ ‖r‖ + ‖δ‖ (I − H projects)
    s = max((float(np.sqrt((resid ** 2).sum())) + float(np.sqrt((h[:-1] ** 2).sum()))) / np.sqrt(m - 2),
            max(resolution, 2 * float(h.max())) / np.sqrt(12))
    if s <= 1e-12 * max(1.0, float(np.abs(earlier).max())):  # exactly flat and no rounding known
        return None
    t_new = float(m)
    sxx = ((t - t.mean()) ** 2).sum()
    se = s * np.sqrt(1 + 1 / m + (t_new - t.mean()) ** 2 / sxx)
    weights = 1 / m + (t_new - t.mean()) * (t - t.mean()) / sxx  # prediction = Σ wᵢ · earlierᵢ
    predicted = intercept + slope * t_new
    room = h[-1] + float(np.abs(weights) @ h[:-1])
    if abs(last - predicted) - room <= stats.t.ppf(1 - alpha / 2, m - 2) * se:
        return None
    return "stijging" if last > predicted else "daling"


def count_slack(denominator, rounding: float, scale: float, step: float):
    """Half-width of the rounding interval of each value: r/2 of the denominator (times the scale) for
    a figure computed from counts rounded to r, and never less than half the published step (some
    denominators are themselves derived from a one-decimal percentage)."""
    n = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_counts = np.where(np.isfinite(n) & (n > 0), rounding / 2 / n * scale, 0.0)
    return np.maximum(from_counts, step / 2)


def word(titel: str, polariteit: str, richting: str, referentie: str) -> str:
    """Dutch wording of a benchmark signal by polarity."""
    if polariteit == "neutraal":
        return (f"{titel}: {richting} dan {referentie}. Meer of minder is hier niet vanzelf goed of slecht — "
                "wat verklaart het verschil, en past het bij wat we willen?")
    good = (polariteit == "hoger_beter") == (richting == "hoger")
    return f"{titel}: {richting} dan {referentie} — {'gunstiger' if good else 'ongunstiger'}. Herkennen we dat?"


def word_trend(titel: str, polariteit: str, richting: str) -> str:
    if polariteit == "neutraal":
        return (f"{titel}: {richting} in het laatste jaar buiten wat de lijn van de eerdere jaren voorspelt "
                "(trendbreuk). Wat is er veranderd — in de vraag, het aanbod of de registratie?")
    good = (polariteit == "hoger_beter") == (richting == "stijging")
    return (f"{titel}: {richting} in het laatste jaar buiten wat de lijn van de eerdere jaren voorspelt "
            f"(trendbreuk, {'gunstig' if good else 'ongunstig'}). Is dit blijvend?")
