"""Signals — 'wat valt op': simple, explainable rules, worded by the indicator's polarity.

A signal is a question for the conversation with partners, not a verdict: neutral indicators (most
use of care) are worded as questions, indicators with a direction as 'gunstiger / ongunstiger'.
Every signal is followed in the report by the four duidingsvragen.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from kompas_lib.analysis.methods.spread import ALPHA


def trend_break(values, alpha: float = ALPHA, min_history: int = 4, resolution: float = 0.0) -> str | None:
    """'stijging' / 'daling' when the last of equally spaced ``values`` (years) falls outside the
    (1 − alpha) prediction interval of a straight line through the earlier values.

    The interval uses the t-distribution with m − 2 degrees of freedom for m earlier points; with
    fewer than ``min_history`` earlier points there is no verdict (None).

    ``resolution`` is the step of the published values (0,1 for percentages with one decimal): the
    residual spread is never taken smaller than the rounding error itself (a uniform error of one step,
    standard deviation step/√12), and a last value within one step of the line is never a break — so a
    flat published series (0,3 0,3 0,3 0,3) that moves one step (0,2) is not an 'opvallende daling'."""
    v = np.asarray([x for x in values if x is not None and np.isfinite(x)], dtype=float)
    if len(v) < min_history + 1:
        return None
    earlier, last = v[:-1], v[-1]
    m = len(earlier)
    t = np.arange(m, dtype=float)
    slope, intercept = np.polyfit(t, earlier, 1)
    resid = earlier - (intercept + slope * t)
    s = max(float(np.sqrt((resid ** 2).sum() / (m - 2))), resolution / np.sqrt(12))
    if s <= 1e-12 * max(1.0, float(np.abs(earlier).max())):  # exactly flat and no resolution known
        return None
    t_new = float(m)
    se = s * np.sqrt(1 + 1 / m + (t_new - t.mean()) ** 2 / ((t - t.mean()) ** 2).sum())
    predicted = intercept + slope * t_new
    if abs(last - predicted) <= max(stats.t.ppf(1 - alpha / 2, m - 2) * se, resolution):
        return None
    return "stijging" if last > predicted else "daling"


def word(titel: str, polariteit: str, richting: str, referentie: str) -> str:
    """Dutch wording of a benchmark signal by polarity."""
    if polariteit == "neutraal":
        return (f"{titel}: {richting} dan {referentie}. Meer of minder is hier niet vanzelf goed of slecht — "
                "wat verklaart het verschil, en past het bij wat we willen?")
    good = (polariteit == "hoger_beter") == (richting == "hoger")
    return f"{titel}: {richting} dan {referentie} — {'gunstiger' if good else 'ongunstiger'}. Herkennen we dat?"


def word_trend(titel: str, polariteit: str, richting: str) -> str:
    if polariteit == "neutraal":
        return f"{titel}: opvallende {richting} in het laatste jaar. Wat is er veranderd — in de vraag, het aanbod of de registratie?"
    good = (polariteit == "hoger_beter") == (richting == "stijging")
    return f"{titel}: opvallende {richting} in het laatste jaar ({'gunstig' if good else 'ongunstig'}). Is dit blijvend?"
