"""What is the same for every gemeente of one prepared fact table, computed once per process.

A batch worker keeps one warm kernel with the fact table in memory and makes many reports with it.
The indexes of that table (its rows per indicator), today's indeling and region catalogue, the peer
profile of all gemeenten and the selections behind the between-gemeente spread do not depend on
the gemeente, so they are computed once here and reused by every report of the process.

The benchmarks of one focus region (its :class:`~kompas_lib.analysis.methods.comparison.Comparison`,
which caches series, spreads and verdicts) are kept for the *current* focus only: the blocks of one
report share them, and the next gemeente starts from a clean slate, so nothing computed for one
gemeente is visible to another.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property

import numpy as np
import pandas as pd

from kompas_lib.analysis.methods import findings, peers, profiel, spread, verwacht
from kompas_lib.analysis.methods.comparison import all_member_sums, keep_member_sums, member_links, members_of
from kompas_lib.prepare.regions import latest_classification, region_catalogue

KEEP = 3  # fact tables kept per process (a worker has one; the test session switches between a few)


class Shared:
    """The gemeente-independent indexes of one fact table and region table (see the module text)."""

    def __init__(self, facts: pd.DataFrame, regions: pd.DataFrame):
        self.facts = facts
        self.regions = regions
        self._profiles: dict[tuple[str, ...], pd.DataFrame] = {}
        self._year_profiles: dict[tuple, pd.DataFrame] = {}
        self._spread_rows: dict[tuple[str, str], pd.DataFrame] = {}
        self._spreads_without: dict[tuple, dict] = {}
        self._models: dict[tuple, tuple] = {}
        self._fit_keys: dict[int, tuple] = {}  # id of a fit made by expected_model -> its key
        self._focus_key: object = None
        self._focus_values: dict = {}
        # where results that are the same for every report of this fact table are kept between processes
        # (``get(key)``/``put(key, frame)``; the presentation layer attaches one beside the prepared data)
        self.store = None

    def _kept(self, key: tuple, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A country table: from this process's memory, else from the store, else made (and stored)."""
        if key not in self._models:
            found = self.store.get(key) if self.store is not None else None
            if found is None:
                found = make()
                if self.store is not None:
                    self.store.put(key, found)
            self._models[key] = found
        return self._models[key]

    @cached_property
    def by_indicator(self) -> dict[str, pd.DataFrame]:
        """The facts of each indicator (split once: the full table has millions of rows). Prepared facts are
        sorted by indicator, so each indicator is one run of rows and its frame a slice of the table
        (no copy: a worker's kernel holds the facts once, not twice); other frames are split by groupby."""
        codes, names = pd.factorize(self.facts["indicator"])  # small integers, not a string per row
        if len(codes) == 0:
            return {}
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        if len(set(codes[starts].tolist())) < len(starts):  # an indicator in more than one run: not sorted
            return {str(k): v for k, v in self.facts.groupby("indicator", sort=False, observed=True)}
        ends = np.r_[starts[1:], len(codes)]
        return {str(names[codes[a]]): self.facts.iloc[a:b] for a, b in zip(starts, ends)}

    def ind(self, indicator: str) -> pd.DataFrame:
        return self.by_indicator.get(indicator, self.facts.iloc[0:0])

    @cached_property
    def current(self) -> pd.DataFrame:
        """Today's indeling: one row per gemeente of the latest year."""
        return latest_classification(self.regions)

    @cached_property
    def gemeenten(self) -> tuple[str, ...]:
        return tuple(self.current["gemeente_code"])

    @cached_property
    def catalogue(self) -> dict[str, tuple[str, str]]:
        return region_catalogue(self.facts, self.regions)

    @cached_property
    def harmonised_until(self) -> dict[str, int]:
        """Gemeente code -> the last year whose figures were recomputed for a herindeling."""
        h = self.facts[self.facts["harmonised"]]
        return h.groupby("region_code", observed=True)["period_start"].max().dt.year.astype(int).to_dict()

    def profile(self, variables: tuple[str, ...]) -> pd.DataFrame:
        """The peer profile of every current gemeente (see :mod:`.methods.profiel`)."""
        if variables not in self._profiles:
            self._profiles[variables] = profiel.build_profile(self.facts, self.regions, list(variables))
        return self._profiles[variables]

    @cached_property
    def members(self) -> dict[str, tuple[str, ...]]:
        """provincie or jeugdregio code -> its gemeenten on today's indeling."""
        return members_of(self.current)

    def profile_in_year(self, variables: tuple[str, ...], year: int) -> pd.DataFrame:
        """Every current gemeente's characteristics in ``year`` (:func:`.methods.profiel.profile_in_year`):
        the same for every outcome of the expected-use model, so computed once per year."""
        key = (variables, year)
        if key not in self._year_profiles:
            self._year_profiles[key] = profiel.profile_in_year(self.ind, self.regions, list(variables), year)
        return self._year_profiles[key]

    def expected_model(self, outcome: str, noemer: tuple[str, ...], variables: tuple[str, ...], year: int,
                       curved: tuple[str, ...] = ()):
        """(fit, frame) of the expected-use model of one outcome and year over all gemeenten
        (:mod:`.methods.verwacht`); the fit is None when the data do not carry it. The frame (every
        gemeente's count, population and characteristics) and the fit's estimates are country tables."""
        key = (outcome, noemer, variables, year, curved)
        if key not in self._models:
            frame = self._kept(("verwacht_frame", outcome, noemer, variables, year), lambda: verwacht.model_frame(
                self.ind, self.regions, outcome, list(noemer), variables, year,
                prof=self.profile_in_year(variables, year)))
            kept = self._kept(("verwacht_fit", *key),
                              lambda: verwacht.estimates(verwacht.fit(frame, variables, curved)))
            fit = verwacht.from_estimates(frame, variables, curved, kept)
            self._models[key] = (fit, frame)
            if fit is not None:
                self._fit_keys[id(fit)] = key
        return self._models[key]

    def leave_one_out(self, fit, frame: pd.DataFrame) -> pd.DataFrame:
        """:func:`.methods.verwacht.leave_one_out` of a fit made by :meth:`expected_model`: a country table
        (one refit per gemeente, about 0,4 s), kept once per preparation."""
        key = self._fit_keys.get(id(fit))
        if key is not None and "table" not in fit._loo:
            fit._loo["table"] = self._kept(("verwacht_loo", *key), lambda: verwacht.leave_one_out(fit, frame))
        return verwacht.leave_one_out(fit, frame)

    def country_member_sums(self, indicators) -> None:
        """Every provincie, jeugdregio and samenwerkingsverband summed over its current member gemeenten on
        each of ``indicators`` (:func:`.methods.comparison.all_member_sums`): one country table for all of
        them, kept once per preparation, then kept beside each indicator's facts, where every report's
        benchmarks look their regions up."""
        indicators = [ind for ind in indicators if len(self.ind(ind.id))]

        def make() -> pd.DataFrame:
            parts = [all_member_sums(self.ind(ind.id), ind, self.members).assign(indicator=ind.id)
                     for ind in indicators]
            parts = [p for p in parts if len(p)]
            return pd.concat(parts) if parts else pd.DataFrame({"indicator": pd.Series(dtype=str)})

        table = self._kept(("member_sums", tuple(i.id for i in indicators), member_links(self.members)), make)
        found = dict(list(table.groupby("indicator", sort=False)))
        for ind in indicators:  # an indicator with no complete region has an empty table: nothing to sum again
            rows = found.get(ind.id, table.iloc[0:0])
            keep_member_sums(self.ind(ind.id), ind, self.members, rows.drop(columns="indicator"))

    def spread_rows(self, indicator: str, period: str) -> pd.DataFrame:
        """The 'totaal' rows of today's gemeenten for one indicator and period: the population of
        the between-gemeente spread (each report leaves its own gemeente out)."""
        key = (indicator, period)
        if key not in self._spread_rows:
            f = self.ind(indicator)
            self._spread_rows[key] = f[(f["period"] == period) & (f["group_dim"] == "totaal")
                                       & f["region_code"].isin(self.gemeenten)]
        return self._spread_rows[key]

    def spreads_without(self, ind, period: str, rounding: float, step: float = 0.0) -> dict:
        """Gemeente code -> the between-gemeente spread of ``ind`` in ``period`` over today's gemeenten
        without that gemeente: the yardstick of *that* gemeente's verdict, whichever report shows it
        (its own, a neighbour's funnel). Computed once per indicator and period, for all at once."""
        key = (ind.id, period, rounding, step)
        if key not in self._spreads_without:
            rows = self.spread_rows(ind.id, period)
            k, n, v = (rows[c].to_numpy(float) for c in ("numerator", "denominator", "value"))
            found = spread.estimate_without_each(k, n, v, ind.eenheid, ind.ratio_scale, rounding, step)
            self._spreads_without[key] = dict(zip(rows["region_code"].to_numpy(), found))
        return self._spreads_without[key]

    def spread_all(self, ind, period: str, rounding: float, step: float = 0.0):
        """The between-gemeente spread of ``ind`` in ``period`` over all of today's gemeenten (the
        yardstick of a region as a whole)."""
        rows = self.spread_rows(ind.id, period)
        if rows.empty:
            return None
        return spread.estimate(rows["numerator"], rows["denominator"], rows["value"], ind.eenheid, ind.ratio_scale,
                               rounding, step)

    def peers_of_all(self, variables: tuple[str, ...], k: int) -> dict[str, list[str]]:
        """Every current gemeente's comparable gemeenten (k nearest on the profile ``variables``); a
        gemeente whose profile is incomplete has none."""
        key = ("peers", variables, k)
        if key not in self._models:
            found = peers.nearest_all(self.profile(variables), k)
            self._models[key] = {code: found.get(code, []) for code in self.gemeenten}
        return self._models[key]

    def country_findings(self, catalogue, indicators, variables: tuple[str, ...], k: int) -> pd.DataFrame:
        """The findings of every current gemeente (:func:`.methods.findings.country`) on ``indicators``,
        against Nederland and its k comparable gemeenten on the profile ``variables``: the country table
        every report reads a gemeente's findings from (its own, the map, a region's member table). Made
        per indicator once per preparation (kept in the store) and per process."""
        no_peers = profiel.indicators_of(variables)
        parts = []
        for ind in indicators:
            r, s = catalogue.rounding(ind.id), catalogue.value_step(ind.id)
            key = ("findings", ind.id, variables, k, r, s)
            parts.append(self._kept(key, lambda ind=ind: findings.country(
                [ind], self.ind, self.gemeenten, self.spread_rows, self.spreads_without,
                self.peers_of_all(variables, k), catalogue.rounding, catalogue.value_step, no_peers)))
        parts = [p for p in parts if len(p)]
        return pd.concat(parts, ignore_index=True) if parts else findings.frame([])

    def split_positions(self, indicator: str, dim: str, rounding: float) -> pd.DataFrame:
        """The opvallend groups of every current gemeente in one split (:func:`.methods.findings.
        share_positions_all`): the country table of a split, made once per preparation."""
        return self._kept(("splits", indicator, dim, rounding), lambda: findings.share_positions_all(
            self.ind(indicator), dim, self.gemeenten, rounding))

    def for_focus(self, focus_key: object, name: str, make: Callable[[], object]):
        """A value of the current focus (e.g. its comparison), made once and shared by the blocks of
        its report; asking for another focus forgets everything of the previous one."""
        if focus_key != self._focus_key:
            self._focus_key, self._focus_values = focus_key, {}
        if name not in self._focus_values:
            self._focus_values[name] = make()
        return self._focus_values[name]


_SHARED: OrderedDict[tuple[int, int], Shared] = OrderedDict()


def shared(facts: pd.DataFrame, regions: pd.DataFrame) -> Shared:
    """The :class:`Shared` of these two frames (the same objects give the same Shared)."""
    key = (id(facts), id(regions))
    found = _SHARED.get(key)
    if found is None or found.facts is not facts or found.regions is not regions:
        found = _SHARED[key] = Shared(facts, regions)
        while len(_SHARED) > KEEP:
            _SHARED.popitem(last=False)
    _SHARED.move_to_end(key)
    return found
