"""Findings: what stands out for a region on one indicator — the block-1 signal rules in one place.

For each region (a gemeente, or a jeugdregio or provincie on today's borders) and indicator: its latest
figure (full years or school years where it has them) against Nederland and against the
distribution of its comparable gemeenten (:mod:`.spread`), and a trend break in its own series
(:mod:`.signals`). Publication rounding is allowed for in both (a difference or break that rounding
can explain is none).

The one function :func:`indicator_findings` judges any number of regions at once; a report judges
its own region with it, and :func:`country` judges every gemeente with it — so a gemeente gets the
same verdict in its own report, in any other report and in the table of the whole country.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from kompas_lib.analysis.methods import spread as spread_model
from kompas_lib.analysis.methods.comparison import PEERS
from kompas_lib.analysis.methods.signals import count_slack, trend_break
from kompas_lib.core.periods import FIRST_FULL_YEAR
from kompas_lib.prepare.regions import COUNTRY_CODE as COUNTRY
YEARLY = ("jaar", "schooljaar")
COLUMNS = ["region_code", "indicator", "soort", "ref", "period", "value", "ref_value", "direction", "z",
           "z_least", "possible", "earlier"]
MIN_PEERS = 3
GEMEENTEN = "GEMEENTEN"  # pseudo reference: the position among all gemeenten
SAME_LEVEL = "REGIO'S"  # pseudo reference: a jeugdregio's position among all jeugdregio's (on today's borders)
# the 'opvallend' tier (a descriptive position, not a test), in both of the latest two periods. A ratio to
# Nederland (or to the middle gemeente) is no rule: where a few large gemeenten pull the national figure
# up, two thirds of it is where most gemeenten are (196 of 342 gemeenten were 'opvallend laag' in bijstand
# with 'at most two thirds of Nederland'; against the middle gemeente still 79 'hoog'). The ratio to the
# middle figure is said in the sentence of a position, as a description.
DECILE = 0.10  # among the 10 % gemeenten with the highest or the lowest figure
MIN_PEERS_POSITION = 5  # the highest or lowest of the gemeente and at least this many comparable gemeenten


FIELDS = ["region_code", "period", "period_type", "period_start", "numerator", "denominator", "value"]


def _shown(r: dict) -> bool:
    v = r["value"]
    return v is not None and v == v  # not missing, not nan


def _latest(rows: list[dict]) -> tuple[list[dict], dict | None]:
    """A region's rows (sorted by time) on full years (or school years) when it has those, and its
    latest row with a value."""
    yearly = [r for r in rows if r["period_type"] in YEARLY]
    if any(_shown(r) for r in yearly):
        rows = yearly
    shown = [r for r in rows if _shown(r)]
    return rows, (shown[-1] if shown else None)


def pooled_value(rows: list[dict], ind) -> float:
    """The comparable gemeenten as one figure (to test a minimum difference against): the sum of counts
    over the sum of denominators, the mean count for plain counts, else the mean of the values."""
    num = np.array([r["numerator"] for r in rows], dtype=float)
    den = np.array([r["denominator"] for r in rows], dtype=float)
    if np.isfinite(num).all() and np.isfinite(den).all() and den.sum() > 0:
        return float(num.sum() / den.sum() * ind.ratio_scale)
    if np.isfinite(num).all() and ind.eenheid == "aantal":
        return float(num.mean())
    return float(np.mean([r["value"] for r in rows]))


def _record(code, ind, soort, ref, period, value, ref_value, verdict, earlier=None) -> dict:
    return {"region_code": code, "indicator": ind.id, "soort": soort, "ref": ref, "period": period, "value": value,
            "ref_value": ref_value, "direction": verdict.direction, "z": verdict.z, "z_least": verdict.z_least,
            "possible": verdict.possible, "earlier": earlier}


def _bounds(r: dict, rounding: float, scale: float, step: float) -> tuple[float, float]:
    """The interval a published figure stands for (its rounding: see :func:`.signals.count_slack`); a
    region's figure is a sum over its ``_k`` member gemeenten, each count rounded, so off by k·r/2."""
    h = float(count_slack([r["denominator"] / r.get("_k", 1)], rounding, scale, step)[0])
    return max(r["value"] - h, 0.0), r["value"] + h


def _middle(at: dict) -> float | None:
    """The middle figure among the rows ``at`` (the median), to describe a position with."""
    values = [x["value"] for x in at.values() if _shown(x)]
    return float(np.median(values)) if len(values) >= 5 else None


def _position(rule: str, r: dict, ind, at: dict | None, chosen, rounding: float, step: float):
    """'hoger' / 'lager' when figure ``r`` holds the position of ``rule`` whatever its rounding, else None.
    ``deciel``: among the DECILE of ``at`` with the highest (lowest) figure; ``vergelijkbaar``: higher
    (lower) than each comparable gemeente. ``at``: the rows of the period that ``r`` is placed among — the gemeenten, or the
    regions of its level (None: no position)."""
    if at is None or r["region_code"] not in at:
        return None
    lo, hi = _bounds(r, rounding, ind.ratio_scale, step)
    if rule == "deciel":
        values = np.array([x["value"] for x in at.values() if _shown(x)], dtype=float)
        if len(values) < 1 / DECILE * 3:
            return None
        low, high = np.quantile(values, [DECILE, 1 - DECILE])
        return "hoger" if lo >= high else "lager" if hi <= low else None
    others = [at[c] for c in chosen if c in at and _shown(at[c])]
    if len(others) < MIN_PEERS_POSITION:
        return None
    bounds = [_bounds(x, rounding, ind.ratio_scale, step) for x in others]
    if lo > max(b[1] for b in bounds):
        return "hoger"
    if hi < min(b[0] for b in bounds):
        return "lager"
    return None


def _standing(code, ind, rows: list[dict], rows_of, chosen, rounding: float, step: float,
              among: str = GEMEENTEN) -> list[dict]:
    """The 'opvallend' records of one region: each rule that holds, in the same direction, in both of
    its latest two periods (the rule of :func:`_position`; not a test, so not counted as one). The
    decile is among ``among``: the gemeenten, or for a jeugdregio the regions of its level."""
    shown = [r for r in rows if _shown(r)][-2:]
    if len(shown) < 2:
        return []
    out = []
    for rule, ref in (("deciel", among), ("vergelijkbaar", PEERS)):
        if rule == "vergelijkbaar" and not chosen:
            continue
        found = [_position(rule, r, ind, rows_of(r["period"]), chosen, rounding, step) for r in shown]
        if found[0] is not None and found[0] == found[1]:
            last = shown[-1]
            mid = _middle(rows_of(last["period"]) or {}) if rule == "deciel" else None
            ref_value = np.nan if mid is None else mid  # the middle figure, to describe the position with
            ratio = last["value"] / mid if mid else np.nan
            out.append(_record(code, ind, "positie", ref, last["period"], last["value"], ref_value,
                               spread_model.Verdict(ratio, found[1], False), earlier=shown[0]["period"]))
    return out


def indicator_findings(ind, own: pd.DataFrame, country: pd.DataFrame, gemeente_rows: Callable[[str], pd.DataFrame],
                       spread_for: Callable[[str, str], spread_model.Spread | None],
                       peers_of: Mapping[str, Sequence[str]], rounding: float, step: float,
                       level_rows: Callable[[str], pd.DataFrame] | None = None,
                       members: Mapping[str, int] | None = None) -> list[dict]:
    """The findings of the regions in ``own`` (rows of the 'totaal' group of one indicator, any period
    type) on indicator ``ind``: one record per comparison made (against Nederland when ``country`` has
    rows; against the comparable gemeenten where ``peers_of`` names them) and per trend test.

    ``gemeente_rows(period)``: the gemeente rows of that period (the peers come from them);
    ``spread_for(code, period)``: the between-gemeente spread region ``code`` is judged against. A
    difference smaller than the indicator's ``minimaal_verschil`` never stands out (it is still a
    comparison made). For a region that is no gemeente, ``level_rows(period)`` are the rows of every
    region of its level (sums over their members, with column ``_k``, the number of members): its
    position is taken among those; ``members`` gives each region's number of member gemeenten (the
    rounding of a sum)."""
    out = []
    nl = {r["period"]: r for r in _records(country)}
    level: dict[str, dict[str, dict]] = {}

    def level_of(period: str) -> dict[str, dict] | None:
        if level_rows is None:
            return None
        if period not in level:
            rows = level_rows(period)
            level[period] = {r["region_code"]: dict(r, _k=k) for r, k in zip(_records(rows), rows["_k"])}
        return level[period]
    by_period: dict[str, dict[str, dict]] = {}

    def rows_of(period: str) -> dict[str, dict]:
        if period not in by_period:
            by_period[period] = {r["region_code"]: r for r in _records(gemeente_rows(period))}
        return by_period[period]
    units: dict[str, list[dict]] = {}
    for r in _records(own.sort_values("period_start", kind="stable")):
        r["_k"] = (members or {}).get(r["region_code"], 1)
        units.setdefault(r["region_code"], []).append(r)
    for code, rows in units.items():
        rows, last = _latest(rows)
        if last is None:
            continue
        period = last["period"]
        sp = spread_for(code, period)
        if period in nl:
            ref = nl[period]
            verdict = spread_model.against(last, ref, sp)
            out.append(_record(code, ind, "verschil", COUNTRY, period, last["value"], ref["value"],
                               _at_least(verdict, ind, last["value"], ref["value"])))
        chosen = peers_of.get(code, ())
        if chosen:
            at = rows_of(period)
            rows_p = [at[c] for c in chosen if c in at]
            shown = [r for r in rows_p if _shown(r)]
            if len(shown) >= max(MIN_PEERS, len(chosen) // 2):
                verdict = spread_model.against_peers(last, rows_p, sp)
                pooled = pooled_value(shown, ind)
                out.append(_record(code, ind, "verschil", PEERS, period, last["value"], pooled,
                                   _at_least(verdict, ind, last["value"], pooled)))
        trend = [r for r in rows if r["period_start"].year >= FIRST_FULL_YEAR]
        if ind.eenheid in spread_model.SCALES and len(trend) >= 5:
            slack = count_slack([r["denominator"] for r in trend], rounding, ind.ratio_scale, step)
            brk = trend_break([r["value"] for r in trend], resolution=step, slack=slack)
            direction = {"stijging": "hoger", "daling": "lager"}.get(brk)
            out.append(_record(code, ind, "trendbreuk", None, period, last["value"], np.nan,
                               spread_model.Verdict(np.nan, direction, True)))
        if ind.eenheid in spread_model.SCALES:
            is_gemeente = code in rows_of(period)

            def at_of(p, is_gemeente=is_gemeente):
                return rows_of(p) if is_gemeente else level_of(p)

            out += _standing(code, ind, rows, at_of, chosen, rounding, step,
                             GEMEENTEN if is_gemeente else SAME_LEVEL)
    return out


def _records(rows: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts with float counts (missing = nan): cheap to take apart one region at a time."""
    cols = {c: rows[c].to_numpy(dtype=float, na_value=np.nan) if c in ("numerator", "denominator", "value")
            else rows[c].tolist() for c in FIELDS}
    return [dict(zip(FIELDS, values), _yv={}) for values in zip(*(cols[c] for c in FIELDS))]


def _at_least(verdict: spread_model.Verdict, ind, value: float, ref_value: float) -> spread_model.Verdict:
    """No direction when the difference is below the indicator's ``minimaal_verschil``."""
    if verdict.direction and ind.minimaal_verschil is not None and abs(value - ref_value) < ind.minimaal_verschil:
        return spread_model.Verdict(verdict.z, None, verdict.possible, verdict.z_least)
    return verdict


def frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=COLUMNS)


def country(indicators, facts_of: Callable[[str], pd.DataFrame], gemeenten: Sequence[str],
            gemeente_rows: Callable[[str, str], pd.DataFrame], spreads: Callable[..., dict],
            peers_of: Mapping[str, Sequence[str]], rounding: Callable[[str], float],
            step: Callable[[str], float], no_peers_on: set[str] = frozenset()) -> pd.DataFrame:
    """The findings of every gemeente in ``gemeenten`` on each of ``indicators`` (the country table):
    ``facts_of(id)`` an indicator's facts, ``gemeente_rows(id, period)`` its gemeente rows of a period,
    ``spreads(ind, period, rounding, step)`` each gemeente's spread without itself, ``peers_of`` each
    gemeente's comparable gemeenten (not used for the indicators in ``no_peers_on``: the peers were
    chosen on them)."""
    records = []
    codes = set(gemeenten)
    for ind in indicators:
        f = facts_of(ind.id)
        f = f[f["group_dim"] == "totaal"]
        own = f[f["region_code"].isin(codes)]
        r, s = rounding(ind.id), step(ind.id)

        def spread_for(code, period, ind=ind, r=r, s=s):
            return spreads(ind, period, r, s).get(code)

        records += indicator_findings(ind, own, f[f["region_code"] == COUNTRY],
                                      lambda period, ind=ind: gemeente_rows(ind.id, period), spread_for,
                                      {} if ind.id in no_peers_on else peers_of, r, s)
    return frame(records)


def share_positions(rows: pd.DataFrame, dim: str, code: str, gemeenten: Sequence[str], rounding: float) -> pd.DataFrame:
    """Opvallend in a split: for each group of ``dim`` (e.g. verwijzer 'geen verwijzer') the share of the
    total for region ``code``, placed among the gemeenten' shares in the latest two full years — among the
    DECILE highest or lowest in both, whatever the rounding of the counts (each count ± r/2, so a share
    moves between (k − r/2)/(n + r/2) and (k + r/2)/(n − r/2)). ``rows``: the split's facts (counts in
    ``value``; 'totaal' rows and rows of ``dim``). One row per group that holds: group, direction, the
    share and the middle gemeente's share (percentages), the two periods."""
    cols = ["group", "direction", "period", "earlier", "value", "middle"]
    yearly = rows[(rows["period_type"] == "jaar") & rows["group_dim"].isin(["totaal", dim]) & rows["value"].notna()]
    own = yearly[(yearly["region_code"] == code) & (yearly["group_dim"] == dim)]
    periods = sorted(own["period"].unique(), key=lambda p: int(p))[-2:]
    if len(periods) < 2:
        return pd.DataFrame(columns=cols)
    found: dict[str, list] = {}
    h = rounding / 2
    for period in periods:
        at = yearly[(yearly["period"] == period) & yearly["region_code"].isin([*gemeenten, code])]
        total = at[at["group_dim"] == "totaal"].drop_duplicates("region_code").set_index("region_code")["value"]
        groups = at[at["group_dim"] == dim]
        for group, g in groups.groupby("group_value", sort=False):
            k = g.drop_duplicates("region_code").set_index("region_code")["value"]
            n = total.reindex(k.index)
            ok = n > rounding
            shares = (k[ok] / n[ok]).dropna()
            if code not in shares.index or len(shares) < 1 / DECILE * 3:
                continue
            kc, nc = float(k[code]), float(n[code])
            lo, hi = max(kc - h, 0.0) / (nc + h), (kc + h) / max(nc - h, 1.0)
            low, high = np.quantile(shares.to_numpy(dtype=float), [DECILE, 1 - DECILE])
            direction = "hoger" if lo >= high else "lager" if hi <= low else None
            found.setdefault(group, []).append((direction, period, float(shares[code]) * 100,
                                                float(np.median(shares)) * 100))
    out = []
    for group, hits in found.items():
        if len(hits) == 2 and hits[0][0] is not None and hits[0][0] == hits[1][0]:
            out.append({"group": group, "direction": hits[1][0], "period": hits[1][1], "earlier": hits[0][1],
                        "value": hits[1][2], "middle": hits[1][3]})
    return pd.DataFrame(out, columns=cols)


def share_positions_all(rows: pd.DataFrame, dim: str, gemeenten: Sequence[str], rounding: float) -> pd.DataFrame:
    """:func:`share_positions` for every gemeente in ``gemeenten`` at once (the country table of a split):
    the same rule, with each period's and group's deciles computed once instead of once per gemeente. One
    row per gemeente and group that holds, with ``region_code``; in :func:`share_positions`' order per
    gemeente."""
    cols = ["region_code", "group", "direction", "period", "earlier", "value", "middle"]
    yearly = rows[(rows["period_type"] == "jaar") & rows["group_dim"].isin(["totaal", dim]) & rows["value"].notna()
                  & rows["region_code"].isin(gemeenten)]
    if yearly.empty:
        return pd.DataFrame(columns=cols)
    split = yearly[yearly["group_dim"] == dim]
    h = rounding / 2
    hits: list[pd.DataFrame] = []
    for period in split["period"].unique():
        at = yearly[yearly["period"] == period]
        total = at[at["group_dim"] == "totaal"].drop_duplicates("region_code").set_index("region_code")["value"]
        for group, g in at[at["group_dim"] == dim].groupby("group_value", sort=False, observed=True):
            k = g.drop_duplicates("region_code").set_index("region_code")["value"]
            n = total.reindex(k.index)
            ok = (n > rounding).to_numpy()
            k, n = k[ok].astype(float), n[ok].astype(float)
            shares = k / n
            fine = shares.notna().to_numpy()
            k, n, shares = k[fine], n[fine], shares[fine]
            if len(shares) < 1 / DECILE * 3:
                continue
            kv, nv = k.to_numpy(), n.to_numpy()
            lo = np.maximum(kv - h, 0.0) / (nv + h)
            hi = (kv + h) / np.maximum(nv - h, 1.0)
            low, high = np.quantile(shares.to_numpy(dtype=float), [DECILE, 1 - DECILE])
            direction = np.where(lo >= high, "hoger", np.where(hi <= low, "lager", ""))
            hits.append(pd.DataFrame({"region_code": shares.index.astype(str), "group": group, "period": period,
                                      "direction": direction, "value": shares.to_numpy(float) * 100,
                                      "middle": float(np.median(shares.to_numpy(float))) * 100}))
    if not hits:
        return pd.DataFrame(columns=cols)
    every = pd.concat(hits, ignore_index=True)
    # per gemeente: its own latest two periods of the split (as share_positions takes them)
    own_periods = (split[["region_code", "period"]].drop_duplicates().assign(_y=lambda d: d["period"].astype(int))
                   .sort_values(["region_code", "_y"]).groupby("region_code", observed=True).tail(2))
    two = own_periods.groupby("region_code", observed=True)["period"].agg(list)
    two = two[two.map(len) == 2]
    every = every[every["region_code"].isin(two.index)]
    last = every["region_code"].map(lambda c: two[c][1])
    first = every["region_code"].map(lambda c: two[c][0])
    now, before = every[every["period"] == last], every[every["period"] == first]
    both = now.merge(before[["region_code", "group", "direction", "period"]], on=["region_code", "group"],
                     suffixes=("", "_before"))
    both = both[(both["direction"] != "") & (both["direction"] == both["direction_before"])]
    out = both.rename(columns={"period_before": "earlier"})[cols]
    return out.reset_index(drop=True)
