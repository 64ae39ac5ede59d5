"""Signals — 'wat valt op': simple, explainable rules, worded by the indicator's polarity.

A signal is a question for the conversation with partners, not a verdict: neutral indicators (most
use of care) are worded as questions, indicators with a direction as 'gunstiger / ongunstiger'.
Every signal is followed in the report by the four duidingsvragen.
"""

from __future__ import annotations

import numpy as np

from kompas_lib.analysis.methods.uncertainty import differs


def benchmark_direction(k, n, ref_k, ref_n, level: float = 0.95) -> str | None:
    """'hoger' / 'lager' when the own proportion differs from the reference more than chance."""
    if any(v is None or not np.isfinite(v) for v in (k, n, ref_k, ref_n)):
        return None
    if not differs(k, n, ref_k, ref_n, level):
        return None
    return "hoger" if k / n > ref_k / ref_n else "lager"


def trend_break(values, min_history: int = 4, sd_factor: float = 2.0) -> str | None:
    """'stijging' / 'daling' when the last step differs from the earlier steps by more than
    ``sd_factor`` standard deviations (needs ``min_history`` earlier steps)."""
    v = np.asarray([x for x in values if x is not None and np.isfinite(x)], dtype=float)
    if len(v) < min_history + 2:
        return None
    steps = np.diff(v)
    earlier, last = steps[:-1], steps[-1]
    sd = earlier.std(ddof=1)
    if sd == 0 or abs(last - earlier.mean()) <= sd_factor * sd:
        return None
    return "stijging" if last > earlier.mean() else "daling"


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
