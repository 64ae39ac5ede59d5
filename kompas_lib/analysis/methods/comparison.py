"""Who a gemeente is compared with, built once per report: the benchmark regions of the params
(Nederland, provincie, jeugdregio, grootteklasse), the comparable gemeenten, and their labels.

Every block-1 section takes its benchmarks from one :class:`Comparison`, so a figure is compared
with the same regions, under the same names, everywhere in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kompas_lib.analysis.methods import peers, spread
from kompas_lib.analysis.methods.benchmarks import (
    Focus,
    benchmark_codes,
    kept_beside,
    latest_common_period,
    peek_beside,
    series,
    series_rows,
    texts_at,
)
from kompas_lib.core.errors import KompasError
from kompas_lib.core.registry import Indicator
from kompas_lib.prepare.regions import SWV_LEVEL

PEERS = "VERGELIJKBAAR"  # pseudo region code of the pooled comparable gemeenten
FIXED_BENCHMARKS = ("nederland", "provincie", "jeugdregio", "grootteklasse")
LABEL_PREFIX = {"nederland": "", "provincie": "Provincie ", "jeugdregio": "Jeugdregio ", "grootteklasse": "Gemeenten "}


def size_class_label(name: str) -> str:
    """A grootteklasse as readers say it, in Dutch number format: CBS's '250 000 inwoners of meer' becomes
    'Gemeenten met 250.000 inwoners of meer', 'Minder dan 20 000 inwoners' 'Gemeenten met minder dan
    20.000 inwoners'."""
    text = re.sub(r"(?<!\d)(\d{1,3}) (\d{3})(?!\d)", r"\1.\2", name.strip())
    return LABEL_PREFIX["grootteklasse"] + "met " + text[:1].lower() + text[1:] if text else text


@dataclass
class Comparison:
    """The benchmarks of one focus region. ``codes``: benchmark kind -> region code (the comparable
    gemeenten as the pseudo code :data:`PEERS`); ``peer_table``: the comparable gemeenten with their
    distance and profile (empty for a region as a whole); ``labels``: region code -> display label."""

    focus: Focus
    codes: dict[str, str]
    peer_table: pd.DataFrame
    labels: dict[str, str]
    gemeenten: tuple[str, ...] = ()  # today's gemeenten: the population of the between-gemeente spread
    members: dict = field(default_factory=dict)  # provincie/jeugdregio code -> today's member gemeenten
    _by_indicator: dict = field(default_factory=dict, repr=False)
    _benchmarked: dict = field(default_factory=dict, repr=False)
    _verdicts: dict = field(default_factory=dict, repr=False)

    @property
    def peer_codes(self) -> list[str]:
        return list(self.peer_table.index) if len(self.peer_table) else []

    @property
    def region_codes(self) -> list[str]:
        """The focus and the benchmark region codes (PEERS included when used)."""
        return [self.focus.code, *self.codes.values()]


def build(regions: pd.DataFrame, focus: Focus, params, names: dict[str, str], profile: pd.DataFrame | None,
          current: pd.DataFrame | None = None) -> Comparison:
    """Benchmarks for ``focus`` as the params ask. ``profile``: the peer profile of every gemeente
    (:func:`..profiel.build_profile` with the params' variables; the same for every focus, so a batch
    builds it once); ``current``: today's indeling (computed from ``regions`` when not given)."""
    from kompas_lib.prepare.regions import latest_classification

    wanted = [b for b in params.benchmarks if b in FIXED_BENCHMARKS]
    codes = benchmark_codes(regions, focus, wanted)
    table = pd.DataFrame()
    if focus.level == "gemeente" and profile is not None:
        cfg = params.vergelijkbare_gemeenten
        try:
            table = peers.nearest(profile, focus.code, cfg.k, list(cfg.vaste_lijst) or None)
        except KompasError:
            table = pd.DataFrame()
    if len(table) and "vergelijkbare_gemeenten" in params.benchmarks:
        codes["vergelijkbare_gemeenten"] = PEERS
    labels = {focus.code: focus.name}
    for kind, code in codes.items():
        if kind == "vergelijkbare_gemeenten":
            labels[code] = f"{len(table)} vergelijkbare gemeenten"
        else:
            name = names.get(code, code)
            labels[code] = size_class_label(name) if kind == "grootteklasse" else LABEL_PREFIX[kind] + name
    current = latest_classification(regions) if current is None else current
    return Comparison(focus, codes, table, labels, tuple(current["gemeente_code"]), members_of(current))


def members_of(current: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """provincie, jeugdregio or samenwerkingsverband code -> its gemeenten on today's indeling (``current``;
    a gemeente that lies only partly in a samenwerkingsverband is a whole member of it, see
    :mod:`kompas_lib.prepare.regions`). The same for every report: worked out once per ``current`` table
    (do not change the dictionary returned)."""
    from kompas_lib.prepare.regions import verbanden

    def make() -> dict[str, tuple[str, ...]]:
        found = {code: tuple(g["gemeente_code"]) for col in ("provincie_code", "jeugdregio_code")
                 for code, g in current.groupby(col)}
        found.update({code: v.members for code, v in verbanden(current).items()})
        return found

    return kept_beside(current, ("members_of",), make)


ONE_BY_ONE = 4  # regions per indicator summed one by one before all are summed at once (about 45 ms against 0,5 s)


def on_current_borders(s: pd.DataFrame, ind: Indicator, facts: pd.DataFrame, members: dict,
                       wanted: tuple[str, ...] = ()) -> pd.DataFrame:
    """Provincies and jeugdregio's as wholes on today's borders: each period of such a region is the
    sum of its *current* member gemeenten (whose series are already harmonised for herindelingen),
    not CBS's historical region total, whose territory changed. A period keeps CBS's figure only when
    not every member has counts (e.g. indicators CBS publishes as a percentage only). A region in
    ``wanted`` for which CBS publishes no figure at all (e.g. the population of a jeugdregio) gets its
    member sums as rows of its own."""
    regions = [c for c in dict.fromkeys([*s["region_code"].unique(), *wanted]) if c in members]
    if not regions:
        return s
    every = kept_member_sums(facts, ind, members)
    if every is None:
        asked = kept_beside(facts, ("regions_summed", ind.id), set)  # regions of this indicator summed so far
        asked.update(regions)
        if len(asked) > ONE_BY_ONE:  # a batch: every region sooner or later, all at once is cheaper
            every = all_member_sums(facts, ind, members)
    if every is not None:  # every region's sums at hand (the country table, or computed once above)
        agg = every[every.index.get_level_values(0).isin(regions)] if len(every) else every
    else:  # one report without the country table: only its own provincie and jeugdregio
        sums = [member_sums(facts, ind, code, members[code]) for code in regions]
        agg = pd.concat([a for a in sums if len(a)]) if any(len(a) for a in sums) else pd.DataFrame()
    if agg.empty:
        return s
    present = set(s["region_code"].unique())
    absent = [c for c in regions if c not in present]
    if absent:
        s = pd.concat([s, _rows_from_sums(facts, ind, agg, absent, members)], ignore_index=True)
    out = s.copy()
    # each row's place among the sums (region, period); -1: not summed
    keys = pd.MultiIndex.from_arrays([out["region_code"].astype(object), out["period"].astype(object)])
    where = agg.index.get_indexer(keys)
    hit = where >= 0
    if not hit.any():
        return out
    sel = agg.iloc[where[hit]]
    summed_columns = [("numerator", "num"), ("value", "value")]
    if ind.eenheid != "aantal":  # a count's denominator stays as CBS gives it
        summed_columns.append(("denominator", "den"))
    for column, summed in summed_columns:
        values = out[column].to_numpy(dtype=float, copy=True)
        values[hit] = sel[summed].to_numpy(dtype=float)
        out[column] = values
    idx = out.index[hit]
    out.loc[idx, "harmonised"] = out.loc[idx, "harmonised"].astype(bool).to_numpy() | sel["harm"].to_numpy()
    out.loc[idx, "source_table"] = sel["tables"].to_numpy()
    return out


def _rows_from_sums(facts: pd.DataFrame, ind: Indicator, agg: pd.DataFrame, regions: list[str],
                    members: dict) -> pd.DataFrame:
    """Fact rows for regions CBS gives no figure of: the shape of a member's rows, per period of the sums
    (the values themselves are filled in from the sums by :func:`on_current_borders`)."""
    parts = []
    for code in regions:
        if code not in agg.index.get_level_values(0):
            continue
        periods = agg.loc[code].index
        rows = series(facts, ind.id, list(members[code]), period_type=None)
        rows = rows[rows["period"].isin(periods)].drop_duplicates("period")
        level = {"JZ": "jeugdregio", "PV": "provincie", "PO": SWV_LEVEL, "VO": SWV_LEVEL}.get(code[:2], "regio")
        parts.append(rows.assign(region_code=code, region_name=code, region_level=level))
    return pd.concat(parts, ignore_index=True) if parts else facts.iloc[0:0]


def member_links(members: dict) -> tuple:
    """``members`` (region -> its gemeenten) as a sorted, hashable key."""
    return tuple((region, tuple(gemeenten)) for region, gemeenten in sorted(members.items()))


def all_member_sums(facts: pd.DataFrame, ind: Indicator, members: dict) -> pd.DataFrame:
    """:func:`member_sums` of every region in ``members`` (code -> its current gemeenten) at once: one pass
    over the indicator's gemeente rows instead of one per region, kept beside ``facts`` (a batch worker
    needs every provincie, jeugdregio and samenwerkingsverband sooner or later)."""
    links = member_links(members)
    return kept_beside(facts, ("all_member_sums", ind.id, links),
                       lambda: _sums_over_members(facts, ind, dict(links)))


def keep_member_sums(facts: pd.DataFrame, ind: Indicator, members: dict, sums: pd.DataFrame) -> None:
    """Keep ``sums`` — :func:`all_member_sums` as read from the country table — beside ``facts``: every
    report of this process then looks its regions' sums up instead of summing."""
    kept_beside(facts, ("all_member_sums", ind.id, member_links(members)), lambda: sums)


def kept_member_sums(facts: pd.DataFrame, ind: Indicator, members: dict) -> pd.DataFrame | None:
    """:func:`all_member_sums` if it is kept beside ``facts`` already, else None."""
    return peek_beside(facts, ("all_member_sums", ind.id, member_links(members)))


def member_sums(facts: pd.DataFrame, ind: Indicator, region: str, gemeenten: tuple[str, ...]) -> pd.DataFrame:
    """Per period (index: region, period) the sums of a region's current member gemeenten where every
    member has its figure: num, den, value, harm (any member harmonised), tables (their source tables).
    The same for every report that shows this region, so kept beside ``facts``."""
    return kept_beside(facts, ("member_sums", ind.id, region, tuple(gemeenten)),
                       lambda: _sums_over_members(facts, ind, {region: tuple(gemeenten)}))


def _sums_over_members(facts: pd.DataFrame, ind: Indicator, members: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """The sums of :func:`member_sums` for each region in ``members``, indexed (region, period)."""
    links = pd.DataFrame([(r, g) for r, gemeenten in members.items() for g in gemeenten],
                         columns=["_region", "region_code"])
    own = series(facts, ind.id, list(dict.fromkeys(links["region_code"])), period_type=None)
    if own.empty:
        return pd.DataFrame()
    own = own.assign(region_code=own["region_code"].astype(str)).merge(links, on="region_code")
    own = own.assign(_num_missing=own["numerator"].isna(), _den_missing=own["denominator"].isna(),
                     _val_missing=own["value"].isna())
    keys = ["_region", "period"]
    g = own.groupby(keys, observed=True, sort=True)
    agg = pd.DataFrame({
        "rows": g.size(), "gemeenten": g["region_code"].nunique(),
        "num": g["numerator"].sum(min_count=1), "den": g["denominator"].sum(min_count=1),
        "val": g["value"].sum(min_count=1),
        "num_missing": g["_num_missing"].any(), "den_missing": g["_den_missing"].any(),
        "val_missing": g["_val_missing"].any(), "harm": g["harmonised"].any(),
        "tables": _tables_per(own, keys),
    })
    size = agg.index.get_level_values("_region").map(lambda r: len(members[r])).to_numpy()
    complete = (agg["rows"] == size) & (agg["gemeenten"] == size)
    if ind.eenheid == "aantal":
        agg = agg[complete & ~agg["val_missing"]]
        return agg.assign(num=agg["val"], den=float("nan"), value=agg["val"])
    agg = agg[complete & ~agg["num_missing"] & ~agg["den_missing"] & (agg["den"] > 0)]
    return agg.assign(value=agg["num"] / agg["den"] * ind.ratio_scale)


def _tables_per(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The source tables of each group, sorted and comma-joined ('85099NED,85100NED')."""
    tables = frame[keys].assign(_t=frame["source_table"].astype(str)).drop_duplicates()
    tables = tables.sort_values([*keys, "_t"], kind="stable")
    counts = tables.groupby(keys, observed=True, sort=True).size()
    out = tables.drop_duplicates(keys).set_index(keys)["_t"].reindex(counts.index)  # one table: itself
    several = counts.index[counts.to_numpy() > 1]  # a group over a table break: joined (few, so in Python)
    if len(several):
        joined = tables.set_index(keys).loc[several].groupby(level=keys, sort=True)["_t"].agg(",".join)
        out.loc[joined.index] = joined
    return out


def with_peers(cmp: Comparison, s: pd.DataFrame, ind: Indicator, facts: pd.DataFrame) -> pd.DataFrame:
    """Add the pooled series of the comparable gemeenten (sum of counts / sum of denominators, or the
    mean of the rates where only rates exist) as region :data:`PEERS`. ``facts``: the indicator's facts.
    A period counts when at least half the peers (and at least 3) have a figure. Plain arrays taken from
    ``facts`` at the peers' rows, not a pandas group-by: a report does this for every indicator."""
    codes = cmp.peer_codes
    if not codes or PEERS not in cmp.codes.values():
        return s
    at = series_rows(facts, ind.id, codes, period_type=None)
    wanted = set(s["period"].unique())
    periods = texts_at(facts["period"], at).tolist()
    num, den, val = (facts[c].to_numpy(dtype=float, na_value=np.nan)[at] for c in ("numerator", "denominator", "value"))
    tables = texts_at(facts["source_table"], at).tolist()
    by_period: dict[str, list[int]] = {}
    for i, p in enumerate(periods):
        if p in wanted and val[i] == val[i]:
            by_period.setdefault(p, []).append(i)
    need = max(3, len(codes) // 2)
    enough = sorted(p for p, idx in by_period.items() if len(idx) >= need)
    if not enough:
        return s
    out = {"numerator": [], "denominator": [], "value": [], "source_table": []}
    nan = float("nan")
    for p in enough:
        idx = by_period[p]
        n_, d_, v_ = num[idx], den[idx], val[idx]
        all_num, all_den = bool(np.isfinite(n_).all()), bool(np.isfinite(d_).all())
        num_sum, den_sum = float(np.nansum(n_)), float(np.nansum(d_))
        pooled = all_num and all_den and den_sum > 0
        mean_count = not pooled and all_num and ind.eenheid == "aantal"
        out["numerator"].append(num_sum if pooled else float(np.mean(n_)) if mean_count else nan)
        out["denominator"].append(den_sum if pooled else nan)
        out["value"].append(num_sum / den_sum * ind.ratio_scale if pooled
                            else float(np.mean(n_)) if mean_count else float(np.mean(v_)))
        out["source_table"].append(",".join(sorted({tables[i] for i in idx})))
    rows = facts.iloc[at[[by_period[p][0] for p in enough]]].reset_index(drop=True)
    rows = rows.assign(region_code=PEERS, region_name="Vergelijkbare gemeenten", harmonised=False,
                       **{k: np.asarray(v, dtype=object if k == "source_table" else float) for k, v in out.items()}
                       ).reindex(columns=s.columns)
    return pd.concat([s, rows], ignore_index=True)


def benchmarked(cmp: Comparison, ind: Indicator, facts: pd.DataFrame, period_type: str | None = "jaar") -> pd.DataFrame:
    """One indicator for the focus and all its benchmarks (peers pooled; provincies and jeugdregio's
    summed over today's member gemeenten), on periods of ``period_type`` (None: all). Built once per
    indicator and report, for all period types; do not change the frame returned."""
    if ind.id not in cmp._benchmarked:
        s = on_current_borders(series(facts, ind.id, cmp.region_codes, period_type=None), ind, facts, cmp.members,
                               (cmp.focus.code,))  # a samenwerkingsverband has no CBS figures of its own
        cmp._benchmarked[ind.id] = with_peers(cmp, s, ind, facts)
    s = cmp._benchmarked[ind.id]
    return s if period_type is None else s[s["period_type"] == period_type].reset_index(drop=True)


def latest_block(cmp: Comparison, ind: Indicator, facts: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
    """The indicator for the focus and its benchmarks on full years (or school years) when the focus
    has those, and the focus's latest row. Computed once per indicator."""
    if ind.id not in cmp._by_indicator:
        s = benchmarked(cmp, ind, facts, period_type=None)
        yearly = s["period_type"].isin(["jaar", "schooljaar"]).to_numpy(dtype=bool)
        own = (s["region_code"] == cmp.focus.code).to_numpy(dtype=bool) & s["value"].notna().to_numpy(dtype=bool)
        if (yearly & own).any():  # the focus has a figure for a full year: those rows only
            s = s[yearly]
        cmp._by_indicator[ind.id] = (s, latest_common_period(s, cmp.focus.code))
    return cmp._by_indicator[ind.id]


def verdict(cmp: Comparison, ind: Indicator, s: pd.DataFrame, period: str, ref_code: str,
            sp: spread.Spread | None, gemeente_rows: pd.DataFrame) -> spread.Verdict:
    """The one verdict for the focus's figure of ``period`` against region ``ref_code`` (or the
    comparable gemeenten, :data:`PEERS`). ``s`` is the benchmarked series (:func:`benchmarked`);
    ``sp`` the between-gemeente spread the focus is judged against (for a gemeente: the spread without
    it, the same in every report); ``gemeente_rows``: the indicator's gemeente rows of that period
    (the peers are taken from them). Cached per comparison."""
    key = (ind.id, period, ref_code)
    if key in cmp._verdicts:
        return cmp._verdicts[key]
    at = s[s["period"] == period].set_index("region_code")
    if cmp.focus.code not in at.index:
        result = spread.NO_VERDICT
    else:
        own = at.loc[cmp.focus.code]
        if ref_code == PEERS:
            rows = gemeente_rows[gemeente_rows["region_code"].isin(cmp.peer_codes)]
            result = spread.against_peers(own, [r for _, r in rows.iterrows()], sp)
        elif ref_code not in at.index:
            result = spread.NO_VERDICT
        else:
            result = spread.against(own, at.loc[ref_code], sp)
    cmp._verdicts[key] = result
    return result
