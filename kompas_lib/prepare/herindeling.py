"""Herindelingen: put every gemeente series on the latest indeling.

When gemeenten merge, the series of the new gemeente is extended backwards:

* counts of the predecessors are summed;
* percentages are recomputed from the summed numerator and denominator;
* where a table publishes only a percentage, it is weighted by the denominator of the indicator
  named in the registry's ``gewicht`` and marked ``gewogen``;
* when a predecessor's figure is missing for a period, the harmonised figure is missing too
  (reason given), never a partial sum.

A gemeente split over several others (``opsplitsing``, e.g. Haaren in 2021) cannot be allocated
without data on its parts: its own rows stay under its old code, and the receiving gemeenten's
earlier figures get a note that they exclude that part.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kompas_lib.core.registry import Registry

KEY = ["indicator", "period", "group_dim", "group_value"]


def successor_map(herindelingen: pd.DataFrame) -> tuple[dict[str, str], dict[str, list[str]]]:
    """``(old -> final code, split code -> receiving codes)`` with chains followed to the end."""
    direct = {}
    splits: dict[str, list[str]] = {}
    for row in herindelingen.itertuples(index=False):
        if row.soort == "opsplitsing":
            splits.setdefault(row.oud_code, []).append(row.nieuw_code)
        elif row.oud_code != row.nieuw_code:
            direct[row.oud_code] = row.nieuw_code
    final = {}
    for old in direct:
        code, seen = old, set()
        while code in direct and code not in seen:
            seen.add(code)
            code = direct[code]
        final[old] = code
    return final, splits


def _weights(facts: pd.DataFrame, registry: Registry) -> pd.Series:
    """Per fact row the weight for rate-only indicators (denominator of the 'gewicht' indicator)."""
    w = pd.Series(np.nan, index=facts.index)
    for ind in registry.indicators.values():
        if not ind.gewicht:
            continue
        sel = facts["indicator"] == ind.id
        if not sel.any():
            continue
        ref = facts[facts["indicator"] == ind.gewicht].set_index(["region_code", "period"])["denominator"]
        ref = ref[~ref.index.duplicated()]
        keys = pd.MultiIndex.from_frame(facts.loc[sel, ["region_code", "period"]])
        w.loc[sel] = ref.reindex(keys).to_numpy()
    return w


def preexisting_targets(facts: pd.DataFrame, herindelingen: pd.DataFrame, regions: pd.DataFrame | None,
                        final: dict[str, str]) -> set[str]:
    """Successor codes that existed before their merger (e.g. Amsterdam before Weesp joined).

    For those, the successor's own figure is part of the sum; a newly created code (Land van
    Cuijk) has no figure of its own before the merger. Decided from the Gebieden tables where
    they cover the year before the merger, else from whether the code has data before it.
    """
    merger_year: dict[str, int] = {}
    for row in herindelingen.itertuples(index=False):
        tgt = final.get(row.oud_code)
        if tgt:
            merger_year[tgt] = min(merger_year.get(tgt, 9999), int(row.jaar))
    out = set()
    first_regions_year = int(regions["jaar"].min()) if regions is not None and len(regions) else 9999
    for tgt, year in merger_year.items():
        if year - 1 >= first_regions_year:
            if ((regions["jaar"] == year - 1) & (regions["gemeente_code"] == tgt)).any():
                out.add(tgt)
        else:
            own = facts[(facts["region_code"] == tgt) & facts["value"].notna()]
            if (own["period_end"] < pd.Timestamp(year, 1, 1)).any():
                out.add(tgt)
    return out


def harmonise(facts: pd.DataFrame, herindelingen: pd.DataFrame, registry: Registry,
              regions: pd.DataFrame | None = None) -> pd.DataFrame:
    if facts.empty or herindelingen is None or herindelingen.empty:
        return facts
    final, splits = successor_map(herindelingen)
    existing = preexisting_targets(facts, herindelingen, regions, final)
    facts = facts.copy()
    gm = facts["region_level"] == "gemeente"
    target = facts["region_code"].where(~facts["region_code"].isin(final.keys()),
                                        facts["region_code"].map(final))
    facts["_target"] = target.where(gm)
    # groups touched by a merger: a target code receiving rows from another code
    contributing = gm & (facts["_target"] != facts["region_code"]) & facts["_target"].notna()
    touched = facts.loc[contributing, KEY + ["_target"]].drop_duplicates()
    if not touched.empty:
        facts = _merge_groups(facts, touched, existing, registry)
    # receiving gemeenten of a split: note that their earlier figures exclude that part
    for old, receivers in splits.items():
        periods = facts.loc[facts["region_code"] == old, ["indicator", "period"]].drop_duplicates()
        if periods.empty:
            continue
        hit = facts["region_code"].isin(receivers) & facts.set_index(["indicator", "period"]).index.isin(
            pd.MultiIndex.from_frame(periods))
        note = f"excl. deel van opgesplitste gemeente {old}"
        facts.loc[hit, "status"] = facts.loc[hit, "status"].fillna("").map(
            lambda s: f"{s}; {note}" if s else note)
    facts = facts.drop(columns=[c for c in ("_target", "_w") if c in facts])
    return facts


def _merge_groups(facts: pd.DataFrame, touched: pd.DataFrame, existing: set[str], registry: Registry) -> pd.DataFrame:
    """Replace the touched (indicator, period, group, target) cells by the harmonised sums (vectorised)."""
    facts["_w"] = _weights(facts, registry)
    g_keys = KEY + ["_target"]
    m = facts.merge(touched, on=g_keys, how="inner")
    own = m["region_code"] == m["_target"]
    # after the merger CBS still lists the old gemeenten, empty: such cells keep the target's own row
    others_valid = m["value"].notna() & ~own
    has_other = others_valid.groupby([m[k] for k in g_keys]).transform("any")
    m = m[has_other]
    own = m["region_code"] == m["_target"]
    # a newly created code has no figure of its own before the merger
    m = m[~own | m["_target"].isin(existing)]
    if m.empty:
        return facts.drop(columns="_w")
    m = m.assign(
        _nan=m["value"].isna(), _num_ok=m["numerator"].notna(), _den_ok=m["denominator"].notna(),
        _w_ok=m["_w"].notna(), _wv=m["_w"] * m["value"])
    grp = m.groupby(g_keys, sort=False)
    agg = grp.agg(first_idx=("value", lambda x: x.index[0]), any_nan=("_nan", "any"), num_ok=("_num_ok", "all"),
                  den_ok=("_den_ok", "all"), w_ok=("_w_ok", "all"), num=("numerator", "sum"),
                  den=("denominator", "sum"), w=("_w", "sum"), wv=("_wv", "sum"),
                  tables=("source_table", lambda x: ",".join(sorted(set(x)))),
                  names=("region_name", lambda x: ", ".join(sorted(set(x))))).reset_index()
    new = m.loc[agg["first_idx"]].reset_index(drop=True)
    new["region_code"] = agg["_target"].to_numpy()
    new["region_level"] = "gemeente"
    new["harmonised"] = True
    new["source_table"] = agg["tables"].to_numpy()
    scale = agg["indicator"].map(lambda i: registry.indicators[i].ratio_scale if i in registry.indicators else 100.0)
    is_count = (new["unit"] == "aantal").to_numpy()
    summable = (agg["num_ok"] & (is_count | agg["den_ok"])).to_numpy()
    weighted = (~summable & agg["w_ok"] & (agg["w"] > 0)).to_numpy()
    missing = agg["any_nan"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(agg["den"] > 0, agg["num"] / agg["den"] * scale, np.nan)
    value = np.where(is_count, agg["num"], ratio)
    value = np.where(weighted, agg["wv"] / agg["w"], value)
    ok = ~missing & (summable | weighted)
    new["numerator"] = np.where(ok & summable, agg["num"], np.nan)
    new["denominator"] = np.where(ok & summable & agg["den_ok"].to_numpy(), agg["den"], np.nan)
    new["value"] = np.where(ok, value, np.nan)
    new["status"] = np.where(ok & weighted, "herberekend, gewogen", "herberekend")
    reason = np.where(missing, "herindeling: niet alle voorgangers bekend (" + agg["names"] + ")",
                      "herindeling: geen noemer of gewicht om op te tellen")
    new["missing_reason"] = np.where(ok, None, reason)
    new = new[list(facts.columns)]
    # drop the target's own old-indeling rows of the replaced cells, then add the harmonised rows
    replaced = facts.merge(new[KEY + ["region_code"]], on=KEY + ["region_code"], how="left",
                           indicator=True)["_merge"].eq("both").to_numpy()
    return pd.concat([facts[~replaced], new], ignore_index=True).drop(columns="_w")
