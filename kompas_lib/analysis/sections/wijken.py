"""Wijken and subgroups of a gemeente from the per-wijk jeugdzorg tables.

CBS publishes per wijk the number of youths with jeugdzorg (and age groups, household position,
trajecten by verwijzer) but not the number of youths living in the wijk, so a wijk figure is shown
as a count and as its share of the gemeente's total — not as a rate. Wijk codes that are new in the
latest year (a changed wijkindeling) are flagged, never joined silently to earlier years.

The builders :func:`wijken`, :func:`groepen` and :func:`landelijke_context` belong to block 1 and are
shown from notebook 01 as ``staat.wijken`` etc.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.methods.benchmarks import series
from kompas_lib.analysis import cells, wording
from kompas_lib.analysis.figures import BarsFigure
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section
from kompas_lib.core.periods import parse_period

WIJK_INDICATOR = "jongeren_jeugdzorg_wijk"
COUNTRY = "NL01"
SUBGROUP_DIMS = ("leeftijd", "huishouden", "verwijzer")
MAX_WIJKEN_IN_FIGURE = 30


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


# --- wijken en groepen ---------------------------------------------------------------------------

def wijken(scope: Scope) -> Section:
    """The wijken of the focus gemeente: share of all its youths with jeugdzorg per wijk."""
    title = "Wijken"
    if scope.focus.level != "gemeente":
        return Section("wijken", title, text="Wijkcijfers horen bij een gemeente; voor een regio als geheel worden "
                                             "ze niet getoond.")
    shown, data, period = wijk_table(scope.ind(WIJK_INDICATOR), scope.focus.code, scope.threshold)
    if period is None or shown.empty:
        return Section("wijken", title, text=(f"Voor {scope.focus.name} zijn geen wijkcijfers beschikbaar in de "
                                              "gebruikte tabellen (de offline kopie mist per jaar de laatste gemeenten)."))
    source = wording.source_line(scope.who, data["source_table"], [data["period"].iloc[0]] if "period" in data else ())
    plot_data = data[~data["klein"]]
    fig = None
    if 2 <= len(plot_data) <= MAX_WIJKEN_IN_FIGURE:
        top = plot_data.loc[plot_data["aandeel_van_gemeente"].idxmax()]
        fig = BarsFigure(plot_data, f"Jongeren met jeugdzorg per wijk, {period}: de meeste in {top['region_name']}",
                         (f"Bron: {scope.who}, tabel {', '.join(wording.table_ids(data['source_table']))}, {period}. "
                          f"Aandeel van alle jongeren met jeugdzorg in {scope.focus.name}; wijken met minder dan "
                          f"{scope.threshold} jongeren niet getoond."),
                         category="region_name", value="aandeel_van_gemeente")
    n_small, n_new = int(data["klein"].sum()), int(data["nieuwe_code"].sum())
    text = (f"De verdeling over de wijken in {period}. CBS publiceert per wijk niet het aantal jongeren dat er woont, "
            "dus dit is het aandeel van de wijk in alle jongeren met jeugdzorg van de gemeente — een grote wijk "
            "heeft vanzelf een groter aandeel.")
    if n_small:
        text += f" {n_small} wijk(en) met minder dan {scope.threshold} jongeren of zonder cijfer worden niet getoond."
    if len(plot_data) > MAX_WIJKEN_IN_FIGURE:
        text += f" Met {len(plot_data)} wijken staat de verdeling alleen in de tabel."
    if n_new:
        text += (f" {n_new} wijkcode(s) bestonden het jaar ervoor nog niet (gewijzigde wijkindeling); die worden "
                 "niet met eerdere jaren vergeleken.")
    return Section("wijken", title, text=text, table=shown, data=data.drop(columns=["klein"]), figure=fig,
                   source=source, caption="Aantallen onder de privacydrempel worden niet getoond.")


def groep(scope: Scope, dim: str) -> Section:
    """One subgroup split of the focus region against Nederland."""
    data, period = subgroup_table(scope.ind(SUBGROUP_INDICATORS[dim]), scope.focus.code, dim,
                                              scope.threshold)
    title = SUBGROUP_TITLES[dim]
    sid = f"groepen_{dim}"
    if period is None or data.empty:
        return Section(sid, title, text=f"{title}: geen cijfers voor {scope.focus.name} in de gebruikte tabellen.")
    own = data[data["region_code"] == scope.focus.code]
    nl = data[data["region_code"] == COUNTRY].drop_duplicates("groep").set_index("groep")  # once, also for NL01
    shown = pd.DataFrame({
        title: own["groep"],
        f"Aantal {scope.focus.name}": [cells.count(v) if pd.notna(v) else cells.below(scope.threshold)
                                       for v in own["aantal"]],
        f"% {scope.focus.name}": [cells.pct(v) for v in own["aandeel"]],
        f"% {scope.country}": [cells.pct(nl["aandeel"].get(g)) for g in own["groep"]],
    })
    source = f"Bron: {scope.who}, tabel {', '.join(wording.table_ids(own['source_table']))}, {period}."
    fig = BarsFigure(own.dropna(subset=["aandeel"]),
                     f"{title} van jongeren met jeugdzorg in {scope.focus.name}, {period}", source,
                     category="groep", value="aandeel")
    unit = "trajecten" if dim == "verwijzer" else "jongeren met jeugdzorg"
    text = (f"Verdeling van de {unit} in {scope.focus.name} naar {title.lower()}, naast {scope.country}. Een andere "
            "verdeling kan komen door een andere bevolkingsopbouw; het is een vraag voor het gesprek, geen oordeel.")
    return Section(sid, title, text=text, table=shown, data=data, figure=fig, source=source)


def groepen(scope: Scope) -> list[Section]:
    return [groep(scope, dim) for dim in SUBGROUP_DIMS]


def landelijke_context(scope: Scope) -> Section | None:
    """Splits CBS publishes only for Nederland (sex at peildatum, vsv by herkomst, Halt): context."""
    rows = []
    s = scope.ind("jongeren_jeugdzorg_peildatum")
    s = s[(s["region_code"] == COUNTRY) & s["value"].notna()]
    if not s.empty:
        last = s["period"].max()
        at = s[s["period"] == last].set_index(["group_dim", "group_value"])["value"]
        total = at.get(("totaal", "totaal"))
        for sex in ("Mannen", "Vrouwen"):
            v = at.get(("geslacht", sex))
            if v is not None and total:
                rows.append({"Onderwerp": f"Jongeren met jeugdzorg in natura: {sex.lower()}",
                             "Peildatum": parse_period(last).label, "Aantal": cells.count(v),
                             "Aandeel": cells.pct(v / total * 100)})
    v = scope.ind("vsv_herkomst")
    v = v[v["value"].notna()]
    if not v.empty:
        last = v.sort_values("period_start")["period"].iloc[-1]
        for r in v[v["period"] == last].itertuples(index=False):
            who = "alle jongeren" if r.group_dim == "totaal" else r.group_value.lower()
            rows.append({"Onderwerp": f"Voortijdig schoolverlaters 18–25 jaar: {who}",
                         "Peildatum": parse_period(last).label, "Aantal": cells.count(r.numerator),
                         "Aandeel": cells.pct(r.value)})
    h = scope.ind("halt_jongeren")
    h = h[(h["group_dim"] == "totaal") & h["value"].notna()]
    if not h.empty:
        last = h.sort_values("period_start").iloc[-1]
        rows.append({"Onderwerp": "Halt-jongeren", "Peildatum": parse_period(last["period"]).label,
                     "Aantal": cells.count(last["value"]), "Aandeel": None})
    if not rows:
        return None
    return Section("landelijke_context", "Alleen landelijk", table=pd.DataFrame(rows),
                   text=(f"Deze cijfers bestaan alleen voor {scope.country} als geheel, niet per gemeente. Ze geven "
                         "context, geen vergelijking."))
