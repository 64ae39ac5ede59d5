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

from .registry import Registry

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
    """Replace the touched (indicator, period, group, target) cells by the harmonised sums."""
    facts["_w"] = _weights(facts, registry)
    members = facts.merge(touched, on=KEY + ["_target"], how="inner")
    new_rows = []
    for (ind, period, gdim, gval, tgt), grp in members.groupby(KEY + ["_target"], sort=False):
        others = grp[grp["region_code"] != tgt]
        if others["value"].isna().all():
            continue  # after the merger CBS still lists the old gemeenten, empty: keep the own row
        if tgt not in existing:
            grp = others  # a new code has no figure of its own before the merger
        first = grp.iloc[0]
        row = first.to_dict()
        row.update(region_code=tgt, region_level="gemeente", harmonised=True,
                   source_table=",".join(sorted(set(grp["source_table"]))))
        names = ", ".join(sorted(set(grp["region_name"])))
        if grp["value"].isna().any():
            row.update(numerator=np.nan, denominator=np.nan, value=np.nan, status="herberekend",
                       missing_reason=f"herindeling: niet alle voorgangers bekend ({names})")
        elif grp["numerator"].notna().all() and (first["unit"] == "aantal" or grp["denominator"].notna().all()):
            num = grp["numerator"].sum()
            den = grp["denominator"].sum() if grp["denominator"].notna().all() else np.nan
            scale = registry.indicators[ind].ratio_scale if ind in registry.indicators else 100.0
            val = num if first["unit"] == "aantal" else (num / den * scale if den > 0 else np.nan)
            row.update(numerator=num, denominator=den, value=val, status="herberekend",
                       missing_reason=None)
        elif grp["_w"].notna().all() and grp["_w"].sum() > 0:
            val = float(np.average(grp["value"], weights=grp["_w"]))
            row.update(numerator=np.nan, denominator=np.nan, value=val, status="herberekend, gewogen",
                       missing_reason=None)
        else:
            row.update(numerator=np.nan, denominator=np.nan, value=np.nan, status="herberekend",
                       missing_reason="herindeling: geen noemer of gewicht om op te tellen")
        new_rows.append(row)
    new = pd.DataFrame(new_rows, columns=list(facts.columns))
    # drop the target's own old-indeling rows of the replaced cells, then add the harmonised rows
    own = facts.merge(new[KEY + ["region_code"]], on=KEY + ["region_code"], how="left",
                      indicator=True)["_merge"].eq("both").to_numpy()
    return pd.concat([facts[~own], new], ignore_index=True)
