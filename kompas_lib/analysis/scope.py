"""The inputs of every section builder: the facts, the region table, the catalogue, the params, the
focus region and the gemeente's own files — read once by the presentation layer, passed in here.

Nothing in the analysis layer reads files: a :class:`Scope` is built from frames that are already
loaded (``kompas_lib.presentation.notebook.start`` does that; tests build one from demo facts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from kompas_lib.analysis.methods.benchmarks import Focus
from kompas_lib.core.params import KompasParams
from kompas_lib.core.registry import Indicator, Registry
from kompas_lib.sources.local import LocalData
from kompas_lib.core.prepare_info import PrepareInfo

COUNTRY_NAME_FALLBACK = "Nederland"


@dataclass
class Scope:
    params: KompasParams
    facts: pd.DataFrame
    regions: pd.DataFrame
    catalogue: Registry
    focus: Focus
    names: dict[str, str]
    prepare_info: PrepareInfo
    local: LocalData = field(default_factory=LocalData)

    @cached_property
    def shared(self):
        """What this fact table gives every gemeente alike, computed once per process (see
        :mod:`.shared`)."""
        from kompas_lib.analysis.shared import shared

        return shared(self.facts, self.regions)

    def ind(self, indicator: str) -> pd.DataFrame:
        """The facts of one indicator (split once: the full table has millions of rows)."""
        return self.shared.ind(indicator)

    def placed(self, block: int, placement: str) -> list[Indicator]:
        """Catalogue indicators the block shows at ``placement``, narrowed by params ``indicatoren``."""
        return self.catalogue.placed(block, placement, self.params.indicatoren)

    @property
    def fictitious(self) -> bool:
        return self.prepare_info.fictitious

    @property
    def threshold(self) -> int:
        return int(self.params.privacy.drempel)

    @property
    def who(self) -> str:
        """Who published the figures, as a source line names it."""
        return "fictieve gegevens (Demoland)" if self.fictitious else "CBS"

    @property
    def country(self) -> str:
        return self.names.get("NL01", COUNTRY_NAME_FALLBACK)

    @cached_property
    def focus_key(self) -> tuple:
        """What makes one report's values (comparison, expected use) its own: the focus and the
        params. The blocks of one report share them; another focus or other params start afresh."""
        return self.focus, self.params.model_dump_json()

    @cached_property
    def comparison(self):
        """The benchmarks of the focus region (built once per report, shared by its blocks; see
        :mod:`..methods.comparison`)."""
        from kompas_lib.analysis.methods import comparison

        p = self.params

        def make():
            profile = (self.shared.profile(tuple(p.vergelijkbare_gemeenten.profiel))
                       if self.focus.level == "gemeente" else None)
            return comparison.build(self.regions, self.focus, p, self.names, profile, self.shared.current)

        return self.shared.for_focus(self.focus_key, "comparison", make)

    def verdict(self, ind: Indicator, s: pd.DataFrame, period: str, ref_code: str):
        """The one verdict for the focus's figure of ``period`` against a region or the peers
        (``s``: the benchmarked series), with the indicator's CBS rounding."""
        from kompas_lib.analysis.methods import comparison

        return comparison.verdict(self.comparison, ind, s, period, ref_code, self.spread(ind, period),
                                  self.shared.spread_rows(ind.id, period))

    def findings(self, indicators: list[Indicator]) -> pd.DataFrame:
        """What stands out for the focus on each of ``indicators`` (:mod:`..methods.findings`): one row
        per comparison made with the benchmarks the params choose (Nederland, the comparable gemeenten —
        not on the characteristics they were chosen on) and per trend test.

        A gemeente compared with its nearest gemeenten on a profile reads its rows of the country table
        (:meth:`.shared.Shared.country_findings`, kept once per preparation), so it has the same verdicts
        in every report by construction; a region, or a gemeente with a fixed list of comparable
        gemeenten, gets its own (:meth:`own_findings`, the same rule)."""
        from kompas_lib.analysis.methods.comparison import PEERS
        from kompas_lib.analysis.methods.findings import COUNTRY

        cfg = self.params.vergelijkbare_gemeenten
        benchmarks = set(self.comparison.codes.values())
        if self.focus.level != "gemeente" or cfg.vaste_lijst or not {COUNTRY, PEERS} <= benchmarks:
            return self.own_findings(indicators)
        table = self.shared.country_findings(self.catalogue, indicators, tuple(cfg.profiel), cfg.k)
        return table[table["region_code"] == self.focus.code].reset_index(drop=True)

    def own_findings(self, indicators: list[Indicator]) -> pd.DataFrame:
        """:meth:`findings` computed for the focus alone. Made once per report."""
        from kompas_lib.analysis.methods import findings, profiel
        from kompas_lib.analysis.methods.benchmarks import series
        from kompas_lib.analysis.methods.comparison import PEERS, on_current_borders

        def make():
            cmp = self.comparison
            cfg = self.params.vergelijkbare_gemeenten
            no_peers = set() if cfg.vaste_lijst else profiel.indicators_of(cfg.profiel)
            peers = {self.focus.code: cmp.peer_codes} if PEERS in cmp.codes.values() else {}
            records = []
            for ind in indicators:
                facts = self.ind(ind.id)
                own = on_current_borders(series(facts, ind.id, [self.focus.code], None), ind, facts, cmp.members,
                                         (self.focus.code,))
                country = (series(facts, ind.id, [findings.COUNTRY], None) if findings.COUNTRY in cmp.codes.values()
                           else facts.iloc[0:0])
                level = None if self.focus.level == "gemeente" else (
                    lambda period, ind=ind, facts=facts: self._level_rows(ind, facts, period))
                records += findings.indicator_findings(
                    ind, own, country, lambda period, ind=ind: self.shared.spread_rows(ind.id, period),
                    lambda code, period, ind=ind: self.spread(ind, period), {} if ind.id in no_peers else peers,
                    self.catalogue.rounding(ind.id), self.catalogue.value_step(ind.id), level,
                    {c: len(m) for c, m in cmp.members.items()})
            return findings.frame(records)

        return self.shared.for_focus(self.focus_key, ("findings", tuple(i.id for i in indicators)), make)

    def _level_rows(self, ind: Indicator, facts: pd.DataFrame, period: str) -> pd.DataFrame:
        """Every region of the focus's level (all jeugdregio's, or all provincies) in ``period``, each the
        sum of its current member gemeenten (as the focus itself), with ``_k`` its number of members."""
        from kompas_lib.analysis.methods.comparison import member_sums

        prefix = self.focus.code[:2]
        at = facts[facts["period"] == period].head(1)
        rows = []
        for code, gemeenten in self.shared.members.items():
            if not code.startswith(prefix):
                continue
            sums = member_sums(facts, ind, code, tuple(gemeenten))
            if (code, period) in sums.index and len(at):
                r = sums.loc[(code, period)]
                rows.append({"region_code": code, "period": period, "period_type": at["period_type"].iloc[0],
                             "period_start": at["period_start"].iloc[0], "numerator": r["num"],
                             "denominator": r["den"], "value": r["value"], "_k": len(gemeenten)})
        return pd.DataFrame(rows, columns=["region_code", "period", "period_type", "period_start", "numerator",
                                           "denominator", "value", "_k"])

    def own_series(self, indicator: str, period_type: str | None = "jaar") -> pd.DataFrame:
        """The focus region's own series of ``indicator`` on today's borders — the one place every block
        reads it from: a gemeente's series is harmonised for herindelingen in the facts, a jeugdregio or
        provincie is the sum of its current member gemeenten (not CBS's historical region total, whose
        territory changed; see :func:`..methods.comparison.on_current_borders`)."""
        from kompas_lib.analysis.methods import comparison
        from kompas_lib.analysis.methods.benchmarks import series

        ind = self.catalogue.indicators[indicator]
        facts = self.ind(indicator)
        s = series(facts, indicator, [self.focus.code], period_type=period_type)
        s = comparison.on_current_borders(s, ind, facts, self.comparison.members, (self.focus.code,))
        # a region CBS publishes nothing for (a samenwerkingsverband) gets its member sums of every period type
        return s if period_type is None else s[s["period_type"] == period_type].reset_index(drop=True)

    def spread(self, ind: Indicator, period: str):
        """The between-gemeente spread of ``ind`` in ``period`` the focus is judged against (see
        :mod:`..methods.spread`): for a gemeente the spread of all other gemeenten — the same yardstick in
        its own report and in any other — for a region as a whole that of all gemeenten."""
        rounding, step = self.catalogue.rounding(ind.id), self.catalogue.value_step(ind.id)
        without = self.shared.spreads_without(ind, period, rounding, step)
        if self.focus.code in without:
            return without[self.focus.code]
        return self.shared.spread_all(ind, period, rounding, step)

    def tables_used(self) -> set[str]:
        return set(self.prepare_info.tables_used)

    def table_label(self, table_id: str) -> str:
        """How the report names a catalogue table: its id, or the fictitious number of a demo table."""
        return self.prepare_info.table_label(table_id)
