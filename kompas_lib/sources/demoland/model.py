"""The model the catalogue filler (:mod:`.filler`) invents figures with: per catalogue indicator a
seeded base level, a stable effect per gemeente, yearly noise and a small trend, so that a column the
Demoland generators do not know still gets plausible, reproducible figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kompas_lib.core.registry import Indicator
from kompas_lib.sources.demoland.country import MERGED, SUCCESSOR, random_stream

PERIOD_SHARE = {"halfjaar": 0.7, "kwartaal": 0.45, "maand": 0.2, "peildatum": 0.75}  # of a full year's count
MODEL_NOTE = ("Aangevuld volgens de catalogus met een eenvoudig model (een aandeel van de inwoners, of een "
              "percentage rond een basiswaarde met spreiding tussen gemeenten); geen echte cijfers.")


def first_name(spec: str | list[str]) -> str:
    """The first column name of a catalogue column spec (one name or a list of alternatives)."""
    return spec if isinstance(spec, str) else spec[0]


@dataclass(frozen=True)
class IndicatorModel:
    """How the demo invents the figures of one catalogue indicator, per gemeente and year.

    * ``count`` (unit aantal or euro, no denominator or published value): inhabitants × a share
      (0,05–1 %; for euro 100–600 per inhabitant) × the gemeente's spread; a half year or a peildatum
      counts less than a full year (:data:`PERIOD_SHARE`);
    * ``level`` (a count column that is an average, 'gemiddeld'): a level of 30–300 with spread;
    * ``ratio`` (the rest: percentages, per 1.000, …): a value around a base rate (5–25 %; 55–75 %
      when higher is better, 3–12 % when lower is better, spread on the logit scale; 5–60 per 1.000,
      …) with between-gemeente spread, a denominator that is a share of the inhabitants (1–30 %, one
      share per denominator column, so indicators sharing it agree; all inhabitants for a rate per
      1.000 or per inhabitant without a denominator column) and the numerator that follows.

    Gemeente counts are rounded and summed to the higher levels; rates of higher levels follow from
    those sums (population-weighted means). Spread: the gemeente factor of the demo, a stable effect
    per indicator and gemeente, yearly noise and a small trend."""

    ind: Indicator
    kind: str
    base: float
    den_share: float
    slope: float
    effect: dict  # gemeente code -> stable effect of this indicator
    splits: dict  # kolomgroepen dim -> shares of the count

    @classmethod
    def build(cls, ind: Indicator, g: pd.DataFrame, seed: int) -> IndicatorModel:
        rng = random_stream(seed, "indicator", ind.id)
        published_ratio = bool(ind.waarde or ind.noemer or ind.noemer_filter)
        if ind.eenheid in ("aantal", "euro") and not published_ratio:
            text = f"{ind.titel} {first_name(ind.teller or '')}".lower()
            kind = "level" if "gemiddeld" in text else "count"
        else:
            kind = "ratio"
        if kind == "count":
            base = float(10 ** rng.uniform(-3.3, -2)) if ind.eenheid == "aantal" else float(rng.uniform(100, 600))
        elif kind == "level":
            base = float(rng.uniform(30, 300))
        else:
            lo, hi = {"percentage": (5, 25), "per_1000": (5, 60), "euro": (150, 600)}.get(ind.eenheid, (0.5, 3))
            if ind.eenheid == "percentage":  # 'beëindigd volgens plan' is high, 'voortijdig afgesloten' low
                lo, hi = {"hoger_beter": (55, 75), "lager_beter": (3, 12)}.get(ind.polariteit, (lo, hi))
            base = float(rng.uniform(lo, hi))
        den_key = first_name(ind.noemer) if ind.noemer else ind.id
        effect = dict(zip(g.code, np.exp(rng.normal(0, 0.12, len(g)))))
        weights = g.set_index("code").loc[list(MERGED), "inwoners"]
        effect[SUCCESSOR[0]] = float(np.average([effect[c] for c in MERGED], weights=weights))
        per_inhabitant = not ind.noemer and ind.eenheid in ("per_1000", "euro")  # CBS: per 1.000 / per inwoner
        den_share = (1.0 if per_inhabitant
                     else float(10 ** random_stream(seed, "noemer", den_key).uniform(-2, -0.5)))
        return cls(ind, kind, base, den_share,
                   float(rng.normal(0.01, 0.02)), effect,
                   {dim: rng.dirichlet(np.full(len(grps), 3.0)) for dim, grps in ind.kolomgroepen.items()})

    def gemeenten(self, gy: pd.DataFrame, year: int, ptype: str, seed: int) -> dict[str, np.ndarray]:
        """Inhabitants, numerator, denominator and value of the gemeenten ``gy`` of ``year``."""
        pop = gy.inwoners.to_numpy(float) * (1 + 0.004 * (year - 2024))
        noise = np.exp(random_stream(seed, "indicator", self.ind.id, year).normal(0, 0.04, len(gy)))
        spread = gy.factor.to_numpy(float) ** 0.5 * np.array([self.effect[c] for c in gy.code]) * noise
        level = self.base * spread * (1 + self.slope) ** (year - 2015)
        nan = np.full(len(gy), np.nan)
        if self.kind == "count":
            num = np.round(pop * level * PERIOD_SHARE.get(ptype, 1.0))
            return {"pop": pop, "num": num, "den": nan, "val": num}
        if self.kind == "level":
            return {"pop": pop, "num": np.round(level, 1), "den": nan, "val": np.round(level, 1)}
        if self.ind.eenheid == "percentage":  # spread on the logit scale keeps it between 0 and 100 %
            logit = np.log(self.base / (100 - self.base)) + np.log(spread) + self.slope * (year - 2015)
            level = 100 / (1 + np.exp(-logit))
        den = np.round(pop * self.den_share)
        num = np.round(level * den / self.ind.ratio_scale)
        return {"pop": pop, "num": num, "den": den, "val": num / den * self.ind.ratio_scale}

    def region(self, v: dict, idx, weight: float) -> tuple[float, float, float]:
        """(numerator, denominator, value) of a region made of gemeenten ``idx`` (× ``weight``, for a
        wijk or a subgroup's row)."""
        idx = np.asarray(idx)
        if self.kind == "level":
            val = float(np.average(v["val"][idx], weights=v["pop"][idx]))
            return val, np.nan, val
        num = float(v["num"][idx].sum()) * weight
        num = float(np.round(num)) if weight != 1 else num
        if self.kind == "count":
            return num, np.nan, num
        den = float(v["den"][idx].sum()) * weight
        den = float(np.round(den)) if weight != 1 else den
        return num, den, (num / den * self.ind.ratio_scale if den > 0 else np.nan)

    def reconcile(self, model: tuple, num: float | None, den: float | None, val: float | None) -> tuple:
        """(numerator, denominator, value) of a row whose table already publishes some of them
        (``None``: not published): those win and the model fills the rest consistently, e.g. a new
        count column on an existing denominator is that denominator × the modelled rate."""
        m_num, m_den, m_val = model
        if self.kind == "level":
            v = num if num is not None else (val if val is not None else m_val)
            return v, np.nan, v
        if self.kind == "count":
            n = num if num is not None else m_num
            return n, np.nan, n
        scale = self.ind.ratio_scale
        if num is not None and den is not None:
            return num, den, (val if val is not None else (num / den * scale if den > 0 else np.nan))
        v = val if val is not None else m_val
        if den is not None:
            return float(np.round(v * den / scale)), den, v
        if num is not None:
            return num, (num / v * scale if v > 0 else np.nan), v
        if val is not None:
            return float(np.round(v * m_den / scale)), m_den, v
        return model

    def cell(self, role: str, num: float, den: float, val: float, split: float = 1.0) -> float:
        """The published cell for a role: 'teller', 'waarde', 'noemer', 'noemer_rij' (the count
        column on the rows of ``noemer_filter``) or 'groep' (a subgroup column, ``split`` of the count)."""
        ind = self.ind
        if role == "waarde":
            return val / ind.waarde_factor
        if role == "noemer":
            return den
        if role == "noemer_rij":
            return den / ind.teller_factor
        ratio_from_counts = self.kind == "ratio" and (ind.waarde or ind.noemer or ind.noemer_filter)
        count = (num if self.kind == "count" or ratio_from_counts else val) / ind.teller_factor  # else it is the value
        return count if role == "teller" else float(np.round(count * split, 0 if ind.teller_factor == 1 else 1))
