"""Block 1 — staat van de jeugd: section builders.

Each builder takes a :class:`~kompas_lib.analysis.scope.Scope` and returns one
:class:`~kompas_lib.analysis.section.Section` (or a list): text, a display table, the data behind it
and a figure specification. Which indicators appear where comes from the catalogue
(``plaatsing``); who the gemeente is compared with from ``scope.comparison``.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from kompas_lib.analysis import cells, wording
from kompas_lib.analysis import samenwerkingsverband as swv
from kompas_lib.analysis.samenwerkingsverband import SWV_LEVEL
from kompas_lib.analysis.methods import profiel
from kompas_lib.analysis.methods import spread as spread_model
from kompas_lib.analysis.methods.benchmarks import (
    change,
    latest_common_period,
    series,
    table_breaks,
)
from kompas_lib.analysis.methods.comparison import PEERS, benchmarked, latest_block
from kompas_lib.analysis.methods.uncertainty import wilson_rounded
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.figures import FunnelFigure, TrendFigure
from kompas_lib.analysis.section import Section
from kompas_lib.analysis.sections.signalen import (  # noqa: F401 - block 1's 'wat valt op', shown as staat.*
    gemeenten_van_de_regio,
    opvallend,
    signalen,
    tone,
)
from kompas_lib.analysis.sections.kaart import kaart  # noqa: F401 - block 1's map, shown as staat.kaart
from kompas_lib.analysis.sections import wijken as wijk_tables
from kompas_lib.analysis.sections.wijken import groep, groepen, landelijke_context, wijken  # noqa: F401 - block 1's
# wijk and group sections live beside their tables; notebook 01 shows them as staat.wijken, staat.groepen, ...
from kompas_lib.core import fmt
from kompas_lib.core.periods import FIRST_FULL_YEAR, parse_period
from kompas_lib.core.registry import DOMAINS

BLOCK = 1
COUNTRY = "NL01"
FUNNEL_INDICATOR = "jongeren_jeugdzorg"
DATA_COLUMNS = ["indicator", "region_code", "region_name", "period", "numerator", "denominator", "value", "unit",
                "status", "source_table"]


def _table_source(scope: Scope, data: pd.DataFrame) -> str:
    return wording.source_line(scope.who, data.get("source_table", ()),
                               extra=f"Aantallen onder {scope.threshold} worden niet getoond. "
                                     "'–' = geen cijfer gepubliceerd.")


# --- jongeren in de gemeente ----------------------------------------------------------------------

CBS_ROUNDING = 5  # CBS rounds youth-care counts to multiples of 5


def _population_sentence(scope: Scope) -> str:
    """How many young people live in the focus region (for a jeugdregio or provincie: the sum over its
    current gemeenten, as every other figure of the region) and their share of all inwoners."""
    s, inw = scope.own_series("jongeren_0_17"), scope.own_series("inwoners")
    last = latest_common_period(s, scope.focus.code)
    if last is None:
        return "Het aantal jongeren tot 18 jaar is voor deze regio niet beschikbaar in de gebruikte tabellen."
    total = inw[(inw["period"] == last["period"]) & inw["value"].notna()]
    share = ""
    if not total.empty and total.iloc[0]["value"] > 0:
        share = (f", {fmt.pct(last['value'] / total.iloc[0]['value'] * 100)} van alle "
                 f"{fmt.count(total.iloc[0]['value'])} inwoners")
    summed = " (opgeteld over de gemeenten van nu)" if scope.focus.level != "gemeente" else ""
    return (f"In {scope.focus.name} woonden in {parse_period(last['period']).label} "
            f"{fmt.count(last['value'])} jongeren tot 18 jaar{share}{summed} (bron: tabel "
            f"{', '.join(wording.table_ids([last['source_table']]))}).")


def _signed(x: float) -> str:
    """'+701', '−33' (a minus sign, not a hyphen), '0'."""
    return fmt.count(x) if round(x) == 0 else ("+" if x > 0 else "\u2212") + fmt.count(abs(x))


def _decomposition_sentence(scope: Scope, indicator: str = FUNNEL_INDICATOR) -> str | None:
    """Split the change in the number of youths with jeugdzorg into a population and a rate effect."""
    from kompas_lib.analysis.methods.demography import decompose_change

    s = scope.own_series(indicator)  # on today's borders, as the trend of the same report
    s = s[s["numerator"].notna() & s["denominator"].notna() & (s["period_start"].dt.year >= FIRST_FULL_YEAR)]
    if len(s) < 2:
        return None
    a, b = s.iloc[0], s.iloc[-1]
    d = decompose_change(a["denominator"], a["numerator"] / a["denominator"],
                         b["denominator"], b["numerator"] / b["denominator"])
    la, lb = parse_period(a["period"]).label, parse_period(b["period"]).label
    if abs(d.change) < CBS_ROUNDING:
        return (f"Het aantal jongeren met jeugdzorg in {scope.focus.name} is tussen {la} en {lb} vrijwel gelijk "
                f"gebleven ({fmt.count(a['numerator'])} en {fmt.count(b['numerator'])}; CBS rondt af op vijftallen).")
    word_ = "gestegen" if d.change > 0 else "gedaald"
    return (f"Het aantal jongeren met jeugdzorg in {scope.focus.name} is tussen {la} en {lb} {word_} van "
            f"{fmt.count(a['numerator'])} naar {fmt.count(b['numerator'])} ({'+' if d.change > 0 else '−'}"
            f"{fmt.count(abs(d.change))}). Daarvan komt {_signed(d.population_effect)} door een veranderd aantal "
            f"jongeren en {_signed(d.rate_effect)} door een veranderd gebruik per jongere. Een daling die alleen uit "
            "het aantal jongeren komt, is dus geen verbetering."
            + wording.break_note(table_breaks(s, scope.focus.code), a["period_start"], b["period_start"]))


def _members_sentence(scope: Scope) -> str | None:
    members = scope.comparison.members.get(scope.focus.code)
    if scope.focus.level == "gemeente" or not members:
        return None
    names = sorted(scope.names.get(c, c) for c in members)
    text = (f"{scope.focus.name} bestaat nu uit {len(names)} gemeente{'n' if len(names) != 1 else ''}: "
            f"{', '.join(names)}. Cijfers van de regio als geheel zijn, ook voor eerdere jaren, opgeteld uit deze "
            "gemeenten op hun huidige grenzen (waar CBS aantallen publiceert).")
    if scope.focus.level == SWV_LEVEL:  # which members lie only partly in it (their whole figures count)
        text += " " + (swv.members_text(scope.focus.code, scope.shared.current, scope.names,
                                        scope.prepare_info.table_metadata.get(swv.REGULATION, {}).get("versie"),
                                        scope.fictitious) or "")
    return text


def bevolking(scope: Scope) -> Section:
    """The size of the youth population and where the change in jeugdzorg comes from."""
    parts = [_members_sentence(scope), _population_sentence(scope), _decomposition_sentence(scope)]
    return Section("bevolking", "Jongeren in de gemeente", text="\n\n".join(p for p in parts if p))


CARE_AGES = {"0 tot 4 jaar": (0, 4), "4 tot 12 jaar": (4, 12), "12 tot 18 jaar": (12, 18), "18 tot 23 jaar": (18, 23)}
NO_STANDARDISATION = ("Een vergelijking met het verwachte aantal op grond van de leeftijdsopbouw is hier niet "
                      "mogelijk: CBS publiceert de leeftijdsgroepen niet (te weinig jongeren) of de bevolking naar "
                      "leeftijd ontbreekt.")


def _age_bands(facts: pd.DataFrame, code: str) -> tuple[dict, str] | tuple[None, None]:
    rows = facts[(facts["region_code"] == code) & (facts["group_dim"] == "leeftijd") & facts["value"].notna()]
    if rows.empty:
        return None, None
    last = rows["period"].max()
    bands = {}
    for r in rows[rows["period"] == last].itertuples(index=False):
        lo, hi = [int(x) for x in r.group_value.replace(" jaar", "").split(" tot ")]
        bands[(lo, hi)] = r.value
    return bands, last


def verwacht_naar_leeftijd(scope: Scope) -> Section:
    """Observed against expected youths with jeugdzorg given the age structure (national rates per
    age group), with exact limits — or a sentence why that is not possible here."""
    from kompas_lib.analysis.methods.demography import indirect, regroup

    none = Section("verwacht_naar_leeftijd", "Verwacht gebruik naar leeftijd", text=NO_STANDARDISATION)
    if scope.focus.level != "gemeente":
        return none
    care = scope.ind(wijk_tables.WIJK_INDICATOR)
    care = care[(care["group_dim"] == "leeftijd") & care["value"].notna()]
    own = care[care["region_code"] == scope.focus.code]
    nl = care[care["region_code"] == COUNTRY]
    periods = sorted(set(own["period"]) & set(nl["period"]), key=lambda p: parse_period(p).start)
    periods = [p for p in periods if own[own["period"] == p]["group_value"].nunique() == len(CARE_AGES)]
    pop_own, pop_year = _age_bands(scope.ind("bevolking_leeftijd"), scope.focus.code)
    pop_nl, _ = _age_bands(scope.ind("bevolking_leeftijd"), COUNTRY)
    if not periods or not pop_own or not pop_nl:
        return none
    period = periods[-1]
    groups = list(CARE_AGES)
    try:
        p_own = regroup(pop_own, [CARE_AGES[g] for g in groups])
        p_nl = regroup(pop_nl, [CARE_AGES[g] for g in groups])
    except ValueError:
        return none
    obs_nl = nl[nl["period"] == period].set_index("group_value")["value"].reindex(groups)
    obs_own = own[own["period"] == period].set_index("group_value")["value"].reindex(groups)
    rates = (obs_nl / pd.Series(p_nl, index=groups)).to_numpy()
    if obs_own.isna().any() or obs_own.sum() < scope.threshold:
        return none
    res = indirect(float(obs_own.sum()), p_own, rates)
    verdict = ("meer dan je op grond van de leeftijdsopbouw verwacht" if res.ratio > 1 else
               "minder dan je op grond van de leeftijdsopbouw verwacht" if res.ratio < 1 else
               "wat je op grond van de leeftijdsopbouw verwacht")
    text = (f"Als jongeren in {scope.focus.name} per leeftijdsgroep even vaak jeugdzorg hadden als in {scope.country}, "
            f"zouden het er in {parse_period(period).label} {fmt.count(res.expected)} zijn; het werkelijke aantal is "
            f"{fmt.count(res.observed)}: {verdict}. Verhouding {fmt.number(res.ratio, 2)} (95 %-marge "
            f"{fmt.number(res.low, 2)}–{fmt.number(res.high, 2)}). Die marge houdt alleen rekening met de "
            "onzekerheid van het aantal zelf, niet met de gewone verschillen tussen gemeenten; dit is daarom geen "
            f"oordeel 'uitzonderlijk'. Benadering: de bevolking naar leeftijd is van 1 januari {pop_year} en in groepen van vijf "
            "jaar, gelijk verdeeld over de jaren.")
    data = pd.DataFrame({"leeftijd": groups, "waargenomen": obs_own.where(obs_own >= scope.threshold).to_numpy(),
                         "bevolking": p_own, "landelijk_gebruik": rates,
                         "verwacht": [p * r for p, r in zip(p_own, rates)],
                         "periode_zorg": period, "peildatum_bevolking": pop_year})
    return Section("verwacht_naar_leeftijd", "Verwacht gebruik naar leeftijd", text=text, data=data)


# --- kerncijfers en overzicht --------------------------------------------------------------------

def kerncijfers(scope: Scope) -> Section:
    """Latest full-year figure per kerncijfer indicator for the focus region and its benchmarks."""
    cmp = scope.comparison
    rows, data = [], []
    count_col = f"Aantal {scope.focus.name}"
    for ind in scope.placed(BLOCK, "kerncijfer"):
        s = benchmarked(cmp, ind, scope.ind(ind.id))
        last = latest_common_period(s, scope.focus.code)
        if last is None:
            continue
        at = s[s["period"] == last["period"]].set_index("region_code")
        row = {"Indicator": ind.titel, "Eenheid": ind.unit_label, "Periode": parse_period(last["period"]).label}
        row[count_col] = (cells.suppressed_count(last["numerator"], scope.threshold)
                          if ind.eenheid == "percentage" and pd.notna(last["numerator"]) else None)
        row[scope.focus.name] = cells.value(last["value"], ind.eenheid)
        for code in cmp.codes.values():
            row[cmp.labels[code]] = cells.value(at["value"].get(code) if code in at.index else None, ind.eenheid)
        row[f"Verschil met {cmp.labels.get(COUNTRY, scope.country)}"] = wording.verdict_cell(
            scope.verdict(ind, s, last["period"], COUNTRY))
        rows.append(row)
        data.append(s[s["period"] == last["period"]][DATA_COLUMNS])
    data = _suppress(pd.concat(data, ignore_index=True) if data else pd.DataFrame(), scope.threshold)
    return Section("kerncijfers", "Kerncijfers jeugdzorg", table=pd.DataFrame(rows), data=data,
                   source=_table_source(scope, data),
                   caption=("De percentages hebben elk hun eigen basis (kolom Eenheid): jeugdhulp telt jongeren tot "
                            "18 jaar, jeugdzorg jongeren tot 23 jaar; daarom kan een deel groter lijken dan het geheel."))


def _suppress(data: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Counts below the privacy threshold are blanked in exported data (the rate stays: it is public)."""
    if data.empty or "numerator" not in data:
        return data
    out = data.copy()
    small = out["numerator"] < threshold
    if "unit" in out:
        small &= out["unit"] == "percentage"
    out.loc[small, "numerator"] = float("nan")
    return out


def alle_indicatoren(scope: Scope) -> Section:
    """Every overview indicator with a figure for the focus: latest value with a 95 % margin (where
    counts are known), Nederland and the comparable gemeenten; grouped by domain (catalogue order)."""
    cmp = scope.comparison
    rows, data = [], []
    placed = scope.placed(BLOCK, "overzicht")
    for dom, dom_title in DOMAINS.items():
        for ind in [i for i in placed if i.domein == dom]:
            s, last = latest_block(cmp, ind, scope.ind(ind.id))
            if last is None:
                continue
            latest = s[s["period"] == last["period"]]
            at = latest.set_index("region_code")["value"]
            margin = None
            if ind.eenheid == "percentage" and pd.notna(last["numerator"]) and pd.notna(last["denominator"]):
                lo, hi = wilson_rounded(last["numerator"], last["denominator"], scope.catalogue.rounding(ind.id))
                margin = cells.margin(lo * 100, hi * 100)
            comparable = ind.eenheid != "aantal"  # counts of other regions are not comparable with the focus's
            rows.append({"Domein": dom_title, "Indicator": ind.titel, "Eenheid": ind.unit_label,
                         "Periode": parse_period(last["period"]).label,
                         scope.focus.name: _value_or_rounded(scope, ind, last), "95 %-marge": margin,
                         cmp.labels.get(COUNTRY, scope.country): cells.value(at.get(COUNTRY), ind.eenheid)
                         if comparable else None,
                         "Vergelijkbare gemeenten": cells.value(at.get(PEERS), ind.eenheid) if comparable else None})
            data.append(latest)
    table = pd.DataFrame(rows)
    if PEERS not in cmp.codes.values() and "Vergelijkbare gemeenten" in table:
        table = table.drop(columns="Vergelijkbare gemeenten")
    data = _suppress(pd.concat(data, ignore_index=True) if data else pd.DataFrame(), scope.threshold)
    return Section("alle_indicatoren", "Alle indicatoren naar domein", table=table, data=data, detail=True,
                   source=f"Bron: {scope.who}; zie de bijlage voor tabellen en definities.")


ROUNDED = {5: "vijftallen", 10: "tientallen", 100: "honderdtallen"}


def _value_or_rounded(scope: Scope, ind, last) -> cells.Cell:
    """The focus's figure; a count CBS publishes below its rounding unit (a published 0 of 200, rounded
    to hundreds, is 0 to 49) is shown as 'minder dan 50 van 200', never as 0,0 %."""
    step = scope.catalogue.rounding(ind.id)
    k, n = last.get("numerator"), last.get("denominator")
    if step > 1 and ind.eenheid == "percentage" and pd.notna(k) and pd.notna(n) and k < step:
        return cells.Suppressed(shown=f"minder dan {fmt.count(step / 2)} van {fmt.count(n)}",
                                reason=f"CBS publiceert dit aantal afgerond op {ROUNDED.get(step, fmt.count(step))}")
    return cells.value(last["value"], ind.eenheid)


# --- vergelijkbare gemeenten ---------------------------------------------------------------------

def vergelijkbare_gemeenten(scope: Scope) -> Section:
    """The chosen comparable gemeenten with distance and profile."""
    t = scope.comparison.peer_table
    title = "Vergelijkbare gemeenten"
    if t.empty:
        return Section("vergelijkbare_gemeenten", title,
                       text=("Vergelijkbare gemeenten worden alleen voor een gemeente bepaald (niet voor een regio "
                             "als geheel), en alleen als haar profiel compleet is."))
    cfg = scope.params.vergelijkbare_gemeenten
    shown = pd.DataFrame({"Gemeente": [scope.names.get(c, c) for c in t.index],
                          "Afstand": [cells.number(d, 2) for d in t["distance"]]})
    for var in [c for c in t.columns if c != "distance"]:
        vals = 10 ** t[var] if var == "inwoners" else t[var]
        shown[profiel.label(var).replace(" (log)", "")] = [
            cells.count(v) if var == "inwoners" else cells.number(v, 1) for v in vals]
    how = ("een lijst die de gemeente zelf heeft gekozen" if cfg.vaste_lijst else
           f"de {cfg.k} gemeenten met het meest gelijke profiel (afstand op gestandaardiseerde kenmerken)")
    return Section("vergelijkbare_gemeenten", title, text=f"Vergelijkbare gemeenten voor {scope.focus.name}: {how}.",
                   table=shown, data=t.reset_index(),
                   caption="Afstand: hoe kleiner, hoe meer het profiel lijkt (gestandaardiseerde kenmerken).")


# --- trends --------------------------------------------------------------------------------------

TREND_COLUMNS = ["indicator", "region_code", "region_name", "period", "numerator", "denominator", "value",
                 "status", "missing_reason", "source_table", "harmonised"]


def trend(scope: Scope, indicator: str) -> Section:
    """The trend of one indicator (full years) against the benchmarks, with a sentence."""
    ind = scope.catalogue.indicators[indicator]
    cmp = scope.comparison
    sid = f"trend_{indicator}"
    s = benchmarked(cmp, ind, scope.ind(indicator))
    end = scope.params.periode.eind_jaar or 9999
    s = s[s["period_start"].dt.year.between(scope.params.periode.start_jaar, end)].copy()
    s["region_name"] = s["region_code"].map(cmp.labels)
    last = latest_common_period(s, scope.focus.code)
    if last is None:
        return Section(sid, ind.titel, text=f"Voor {ind.titel.lower()} zijn geen cijfers van {scope.focus.name} beschikbaar.")
    label = parse_period(last["period"]).label
    title = f"{ind.titel} in {scope.focus.name}: {fmt.value(last['value'], ind.eenheid)} in {label}"
    nl = s[(s["region_code"] == COUNTRY) & (s["period"] == last["period"])]
    sentence = [f"In {label} was het cijfer voor {ind.titel.lower()} in {scope.focus.name} "
                f"{fmt.value(last['value'], ind.eenheid)}"]
    if not nl.empty and pd.notna(nl.iloc[0]["value"]):
        nl_label = cmp.labels.get(COUNTRY, scope.country)
        v = scope.verdict(ind, s, last["period"], COUNTRY)
        sentence.append(", " + wording.compare_to(v, nl.iloc[0]["value"], nl_label, ind.eenheid, last["value"]))
        title += f" ({nl_label} {fmt.value(nl.iloc[0]['value'], ind.eenheid)})"
    ch = change(s, scope.focus.code, first_year=FIRST_FULL_YEAR)
    breaks = table_breaks(s, scope.focus.code)
    if ch is not None:
        sentence.append(". " + wording.change_sentence(*ch, ind.eenheid) + "."
                        + wording.break_note(breaks, ch[0]["period_start"], ch[1]["period_start"]))
    else:
        sentence.append(".")
    if wording.small_numbers(last):
        sentence.append(f" Let op: in {scope.focus.name} gaat het om weinig jongeren; een paar jongeren meer of "
                        "minder laat het percentage van jaar tot jaar sterk schommelen.")
    source = wording.series_source(scope.who, s)
    percent = ind.eenheid == "percentage"
    fig = TrendFigure(s, title, source, focus=scope.focus.name, ylabel=ind.unit_label, percent=percent,
                      order=tuple(cmp.labels.values()), breaks=tuple((b[0], "nieuwe tabel") for b in breaks))
    return Section(sid, ind.titel, text="".join(sentence), data=_suppress(s[TREND_COLUMNS].assign(unit=ind.eenheid),
                                                                            scope.threshold).drop(columns="unit"),
                   figure=fig, source=source)


def trends(scope: Scope) -> list[Section]:
    """One trend section per catalogue indicator placed as a block-1 trend; a note on herindeling."""
    out = [trend(scope, ind.id) for ind in scope.placed(BLOCK, "trend")]
    notes = [harmonisation_note(scope)]
    if any(c in scope.comparison.members for c in scope.comparison.region_codes):
        notes.append("Provincies en jeugdregio's zijn in deze figuren opgeteld uit hun huidige gemeenten, ook voor "
                     "eerdere jaren, zodat het gebied over de hele periode hetzelfde is.")
    note = " ".join(n for n in notes if n)
    if note and out:
        out[-1] = replace(out[-1], note=note)
    return out


def harmonisation_note(scope: Scope) -> str | None:
    """A sentence when the focus gemeente's series include summed predecessors."""
    until = scope.shared.harmonised_until.get(scope.focus.code)
    if until is None:
        return None
    return (f"{scope.focus.name} is ontstaan of gegroeid door een herindeling. Cijfers tot en met "
            f"{until} zijn omgerekend naar de huidige gemeente: aantallen van de "
            "voorgangers opgeteld, percentages opnieuw berekend uit teller en noemer; waar CBS alleen een percentage "
            "publiceert, is gewogen naar het aantal jongeren (aangegeven als 'herberekend, gewogen').")


# --- trechterfiguur ------------------------------------------------------------------------------

def trechter_jeugdzorg(scope: Scope, indicator: str = FUNNEL_INDICATOR) -> Section:
    """Funnel plot of all gemeenten (or the jeugdregio's gemeenten) on the latest full year, with
    limits from the one comparison model: around Nederland, widened by the spread between gemeenten."""
    import numpy as np

    ind = scope.catalogue.indicators[indicator]
    title = "Alle gemeenten in één beeld"
    members = scope.shared.current
    if scope.focus.level in ("jeugdregio", SWV_LEVEL):
        members = members[members["gemeente_code"].isin(scope.shared.members.get(scope.focus.code, ()))]
    facts = scope.ind(indicator)
    s = series(facts, indicator, list(members["gemeente_code"]) + [COUNTRY])
    years = s[s["value"].notna() & (s["region_code"] != COUNTRY)].groupby("period").size()
    if years.empty:
        return Section("trechter_jeugdzorg", title, text="Voor de trechterfiguur zijn geen cijfers beschikbaar.")
    period = years[years >= 0.8 * years.max()].index.max()
    at = s[(s["period"] == period) & s["numerator"].notna() & s["denominator"].notna() & (s["denominator"] > 0)]
    nl = at[at["region_code"] == COUNTRY]
    sp = scope.spread(ind, period)
    if nl.empty or sp is None or not sp.with_counts:
        return Section("trechter_jeugdzorg", title, text="Voor de trechterfiguur zijn geen aantallen beschikbaar.")
    ref = nl.iloc[0]
    y_ref, v_ref = spread_model.transform(ref["numerator"], ref["denominator"], ind.eenheid, sp.rounding)
    units = at[at["region_code"] != COUNTRY]
    table = pd.DataFrame({"code": units["region_code"].to_numpy(),
                          "name": [scope.names.get(c, c) for c in units["region_code"]],
                          "k": units["numerator"].to_numpy(), "n": units["denominator"].to_numpy()})
    table["rate"] = table["k"] / table["n"]
    # each gemeente against the spread without itself: its verdict is the same in every report (its own,
    # or the funnel of any other gemeente's report)
    without = scope.shared.spreads_without(ind, period, sp.rounding, sp.step)
    verdicts = [spread_model.against(r, ref, without.get(r["region_code"]) or sp) for _, r in units.iterrows()]
    table["z"] = [v.z for v in verdicts]
    table["z_afronding"] = [v.z_least for v in verdicts]  # what rounding cannot explain: the verdict's z
    for label, zc in (("95", spread_model.Z95), ("998", spread_model.Z_ALERT)):
        lo, hi = spread_model.funnel_limits(sp, float(y_ref), table["n"], zc, float(v_ref))
        table[f"lo{label}"], table[f"hi{label}"] = lo / ind.ratio_scale, hi / ind.ratio_scale
        table[f"oordeel_{label}"] = np.where(table["z_afronding"] >= zc, "boven de grenzen",
                                             np.where(table["z_afronding"] <= -zc, "onder de grenzen",
                                                      "binnen de grenzen"))
    n_grid = np.geomspace(max(table["n"].min() * 0.8, 10), table["n"].max() * 1.2, 300)
    curve = pd.DataFrame({"n": n_grid})
    for label, zc in (("95", spread_model.Z95), ("998", spread_model.Z_ALERT)):
        lo, hi = spread_model.funnel_limits(sp, float(y_ref), n_grid, zc, float(v_ref))
        curve[f"lo{label}"], curve[f"hi{label}"] = lo / ind.ratio_scale, hi / ind.ratio_scale
    period_label = parse_period(period).label
    # a jeugdregio's gemeenten are named in its funnel (at most a dozen labels stay readable)
    members = (tuple(scope.comparison.members.get(scope.focus.code, ())) if scope.focus.level in ("jeugdregio", SWV_LEVEL)
               else ())
    members = members if len(members) <= 12 else ()
    focus_rows = table[table["code"] == scope.focus.code]
    if not focus_rows.empty:
        where = focus_rows["oordeel_998"].iloc[0]
        fig_title = (f"{ind.titel} {period_label}: {scope.focus.name} valt {where}"
                     + (" (uitzonderlijk)" if where != "binnen de grenzen" else ""))
    else:
        fig_title = (f"{ind.titel} {period_label}: {int((table['oordeel_998'] == 'binnen de grenzen').sum())} van "
                     f"{len(table)} gemeenten binnen de grenzen")
    source = wording.source_line(scope.who, at["source_table"], [period])
    caption = (f"{source} Elke stip is een gemeente; lijnen rond het cijfer van {scope.country}: 95 %-grenzen "
               "(gestreept) en 99,8 %-grenzen (gestippeld), verbreed voor de gewone verschillen tussen gemeenten.")
    out95 = int((table["oordeel_95"] != "binnen de grenzen").sum())
    out998 = int((table["oordeel_998"] != "binnen de grenzen").sum())
    text = (f"In {period_label} vallen {out95} van de {len(table)} gemeenten ({fmt.pct(out95 / len(table) * 100)}) "
            f"buiten de 95 %-grenzen — als geen gemeente echt afweek, zou dat ongeveer 5 % zijn — en {out998} buiten "
            f"de 99,8 %-grenzen. Alleen buiten de 99,8 %-grenzen noemt dit rapport een verschil uitzonderlijk. De "
            "grenzen houden rekening met de gewone verschillen tussen gemeenten, niet alleen met het aantal jongeren. "
            "Een punt buiten de grenzen is een reden om door te vragen, geen rangorde: de figuur zegt niets over "
            "welke gemeente het 'beter' doet.")
    data = table.rename(columns={"k": "teller", "n": "noemer", "rate": "aandeel"})
    data.insert(0, "periode", period)
    fig = FunnelFigure(table, fig_title, caption, p_bar=float(ref["numerator"] / ref["denominator"]), curve=curve,
                       ref_label=scope.country, ylabel=ind.unit_label,
                       xlabel="aantal jongeren (de basis van het percentage)",
                       focus_code=scope.focus.code if scope.focus.level == "gemeente" else None,
                       members=members, members_label=f"gemeenten van {scope.focus.name}" if members else "")
    return Section("trechter_jeugdzorg", title, text=text, data=data, figure=fig, source=source)
