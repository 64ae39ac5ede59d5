"""The profile of every gemeente for comparable gemeenten (kNN), built from the fact table.

Profile variables (names as in params ``vergelijkbare_gemeenten.profiel``) and where they come from:
each is the latest available value per gemeente on the current indeling.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kompas_lib.prepare.regions import latest_classification

# profile variable -> (indicator, transform, Dutch label)
PROFILE = {
    "inwoners": ("inwoners", np.log10, "inwoners (log)"),
    "aandeel_0_17": (None, None, "aandeel 0–17 jaar (%)"),
    "stedelijkheid": (None, None, "stedelijkheid (1 = zeer sterk)"),
    "eenouderhuishoudens": ("pct_eenouderhuishoudens", None, "eenouderhuishoudens (%)"),
    "minderjarigen_laag_inkomen": ("pct_minderjarigen_laag_inkomen", None, "minderjarigen laag inkomen (%)"),
    "bijstand": ("bijstand_per_1000", None, "bijstand per 1.000"),
    "psychisch_medicijngebruik_ouders": ("psychisch_medicijngebruik_ouders", None,
                                         "psychisch medicijngebruik ouders (per 100 minderjarigen)"),
}
# how a sentence names a characteristic ('een hoger aandeel eenoudergezinnen')
NOUN = {
    "inwoners": "aantal inwoners", "aandeel_0_17": "aandeel jongeren tot 18 jaar onder de inwoners",
    "stedelijkheid": "stedelijkheid", "eenouderhuishoudens": "aandeel eenoudergezinnen",
    "minderjarigen_laag_inkomen": "aandeel minderjarigen in een huishouden met een laag inkomen",
    "bijstand": "aantal mensen in de bijstand", "psychisch_medicijngebruik_ouders":
    "psychisch medicijngebruik van ouders",
}


def indicators_of(variables) -> set[str]:
    """The indicators behind profile ``variables`` (those that come from an indicator)."""
    return {PROFILE[v][0] for v in variables if v in PROFILE and PROFILE[v][0]}


def latest_values(facts: pd.DataFrame, indicator: str, codes) -> pd.Series:
    sel = facts[(facts["indicator"] == indicator) & facts["region_code"].isin(codes) & (facts["group_dim"] == "totaal")
                & facts["value"].notna()]
    return sel.sort_values("period_start").groupby("region_code")["value"].last()


def _profile(regions: pd.DataFrame, variables: list[str], value_of) -> pd.DataFrame:
    """One row per current gemeente, one column per variable; ``value_of(indicator, codes)`` gives an
    indicator's value per gemeente. Stedelijkheid is today's classification."""
    current = latest_classification(regions).set_index("gemeente_code")
    codes = current.index
    out = pd.DataFrame(index=codes)
    for var in variables:
        indicator, transform, _ = PROFILE[var]
        if var == "stedelijkheid":
            out[var] = current["stedelijkheid_code"].astype(float)
        elif var == "aandeel_0_17":
            out[var] = value_of("jongeren_0_17", codes) / value_of("inwoners", codes) * 100
        elif var == "inwoners":
            out[var] = transform(value_of("inwoners", codes).reindex(codes).fillna(current["inwoners"]))
        else:
            values = value_of(indicator, codes)
            out[var] = transform(values) if transform is not None else values
    return out


def build_profile(facts: pd.DataFrame, regions: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """The peer profile: each variable's latest value per current gemeente (raw values)."""
    return _profile(regions, variables, lambda indicator, codes: latest_values(facts, indicator, codes))


def label(var: str) -> str:
    return PROFILE[var][2]


def values_in_year(rows: pd.DataFrame, codes, year: int) -> pd.Series:
    """Per gemeente the full-year (or point-in-time) value of one indicator (``rows``: its facts) in
    ``year``; where that year is missing, the nearest year (an earlier one wins a tie)."""
    sel = rows[rows["region_code"].isin(codes) & (rows["group_dim"] == "totaal") & rows["value"].notna()
               & ~rows["period"].str.contains(r"-[HK]\d", regex=True)]
    if sel.empty:
        return pd.Series(np.nan, index=pd.Index(codes))
    years = sel["period_start"].dt.year
    distance = (years - year).abs() * 2 + (years > year)
    best = sel.assign(_d=distance.to_numpy()).sort_values(["_d", "period_start"])
    return best.groupby("region_code")["value"].first().reindex(codes)


def profile_in_year(facts_of, regions: pd.DataFrame, variables: list[str], year: int) -> pd.DataFrame:
    """Like :func:`build_profile`, but each variable from ``year`` (or the nearest year that has it),
    for the expected-use model of that year. ``facts_of(indicator)`` gives an indicator's facts."""
    return _profile(regions, variables, lambda indicator, codes: values_in_year(facts_of(indicator), codes, year))
