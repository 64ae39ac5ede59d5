"""Wijken and subgroups of a gemeente from the per-wijk jeugdzorg tables.

CBS publishes per wijk the number of youths with jeugdzorg (and age groups, household position,
trajecten by verwijzer) but not the number of youths living in the wijk, so a wijk figure is shown
as a count and as its share of the gemeente's total — not as a rate. Wijk codes that are new in the
latest year (a changed wijkindeling) are flagged, never joined silently to earlier years.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.methods.benchmarks import series
from kompas_lib.analysis import cells

WIJK_INDICATOR = "jongeren_jeugdzorg_wijk"


def latest_year(facts: pd.DataFrame, code: str, indicator: str = WIJK_INDICATOR) -> str | None:
    s = facts[(facts["indicator"] == indicator) & (facts["region_code"] == code) & (facts["period_type"] == "jaar")
              & facts["value"].notna()]
    return s["period"].max() if not s.empty else None


def wijk_table(facts: pd.DataFrame, gemeente: str, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """(shown, data, period): per wijk the count, its share of the gemeente total and whether the wijk
    code is new compared with the previous year. Counts under ``threshold`` are not shown."""
    period = latest_year(facts, gemeente)
    if period is None:
        return pd.DataFrame(), pd.DataFrame(), None
    prefix = "WK" + gemeente[2:]
    wk = facts[(facts["indicator"] == WIJK_INDICATOR) & (facts["region_level"] == "wijk")
               & facts["region_code"].str.startswith(prefix) & (facts["group_dim"] == "totaal")]
    now = wk[wk["period"] == period].sort_values("region_code")
    prev_period = str(int(period) - 1)
    prev_codes = set(wk.loc[wk["period"] == prev_period, "region_code"])
    total = facts[(facts["indicator"] == WIJK_INDICATOR) & (facts["region_code"] == gemeente)
                  & (facts["period"] == period) & (facts["group_dim"] == "totaal")]["value"]
    total = float(total.iloc[0]) if len(total) else float("nan")
    data = now[["region_code", "region_name", "period", "value", "source_table"]].rename(columns={"value": "aantal"})
    data["aandeel_van_gemeente"] = data["aantal"] / total * 100
    data["klein"] = data["aantal"].isna() | (data["aantal"] < threshold)
    data["nieuwe_code"] = ~data["region_code"].isin(prev_codes) if prev_codes else False
    data.loc[data["klein"], ["aantal", "aandeel_van_gemeente"]] = float("nan")  # suppressed before export
    shown = pd.DataFrame({
        "Wijk": data["region_name"],
        "Code": data["region_code"],
        "Jongeren met jeugdzorg": [cells.below(threshold) if k else cells.count(a)
                                   for k, a in zip(data["klein"], data["aantal"])],
        "Aandeel van de gemeente": [cells.pct(a) for a in data["aandeel_van_gemeente"]],
        "Let op": ["nieuwe of gewijzigde wijkcode" if n else "" for n in data["nieuwe_code"]],
    })
    return shown, data, period


SUBGROUP_INDICATORS = {"leeftijd": WIJK_INDICATOR, "huishouden": WIJK_INDICATOR, "verwijzer": "trajecten_wijk"}
SUBGROUP_TITLES = {"leeftijd": "Leeftijd", "huishouden": "Huishoudenssituatie", "verwijzer": "Verwijzer (trajecten)"}


def subgroup_table(facts: pd.DataFrame, code: str, dim: str, threshold: int,
                   reference: str = "NL01") -> tuple[pd.DataFrame, str | None]:
    """Distribution over one subgroup dimension for ``code`` and the reference (shares of the total),
    for the latest full year. Counts under ``threshold`` are suppressed."""
    indicator = SUBGROUP_INDICATORS[dim]
    period = latest_year(facts, code, indicator)
    if period is None:
        return pd.DataFrame(), None
    rows = []
    for who in (code, reference):
        s = series(facts, indicator, [who], period_type="jaar")  # totals
        s = s[s["period"] == period]
        g = facts[(facts["indicator"] == indicator) & (facts["region_code"] == who) & (facts["period"] == period)
                  & (facts["group_dim"] == dim)]
        total = float(s["value"].iloc[0]) if len(s) and pd.notna(s["value"].iloc[0]) else float("nan")
        for r in g.itertuples(index=False):
            small = pd.isna(r.value) or r.value < threshold
            rows.append({"region_code": who, "groep": r.group_value, "aantal": None if small else r.value,
                         "aandeel": None if small else r.value / total * 100, "periode": period,
                         "source_table": r.source_table})
    return pd.DataFrame(rows), period
