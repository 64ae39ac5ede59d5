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
}


def latest_values(facts: pd.DataFrame, indicator: str, codes) -> pd.Series:
    sel = facts[(facts["indicator"] == indicator) & facts["region_code"].isin(codes) & (facts["group_dim"] == "totaal")
                & facts["value"].notna()]
    return sel.sort_values("period_start").groupby("region_code")["value"].last()


def build_profile(facts: pd.DataFrame, regions: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """One row per current gemeente, one column per requested profile variable (raw values)."""
    current = latest_classification(regions).set_index("gemeente_code")
    codes = current.index
    out = pd.DataFrame(index=codes)
    for var in variables:
        indicator, transform, _ = PROFILE[var]
        if var == "stedelijkheid":
            out[var] = current["stedelijkheid_code"].astype(float)
        elif var == "aandeel_0_17":
            out[var] = latest_values(facts, "jongeren_0_17", codes) / latest_values(facts, "inwoners", codes) * 100
        elif var == "inwoners":
            inw = latest_values(facts, "inwoners", codes).reindex(codes).fillna(current["inwoners"])
            out[var] = transform(inw)
        else:
            out[var] = latest_values(facts, indicator, codes)
    return out


def label(var: str) -> str:
    return PROFILE[var][2]
