"""Block 1 — staat van de jeugd: the core jeugdzorg indicators of a gemeente against benchmarks.

Functions return data (frames, sentences, figures); the notebook only shows them.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.methods import peers, profiel
from kompas_lib.analysis.methods.benchmarks import (
    benchmark_codes,
    change,
    latest_common_period,
    series,
)
from kompas_lib.analysis.methods.signals import benchmark_direction
from kompas_lib.core import fmt
from kompas_lib.core.errors import KompasError
from kompas_lib.core.periods import parse_period
from kompas_lib.presentation import render as plots  # TEMP

CORE_INDICATORS = [
    "jongeren_jeugdzorg",
    "pct_jeugdhulp_in_natura",
    "pct_jeugdhulp_met_verblijf",
    "pct_jeugdbescherming",
    "pct_jeugdreclassering",
]

PEERS = "VERGELIJKBAAR"


def comparison_codes(ctx) -> dict[str, str]:
    """Benchmark label -> region code; comparable gemeenten appear as the pseudo-code ``PEERS``."""
    wanted = [b for b in ctx.params.benchmarks if b in ("nederland", "provincie", "jeugdregio", "grootteklasse")]
    codes = benchmark_codes(ctx.regions, ctx.focus, wanted)
    if "vergelijkbare_gemeenten" in ctx.params.benchmarks and peer_codes(ctx):
        codes["vergelijkbare_gemeenten"] = PEERS
    return codes


def peer_table(ctx) -> pd.DataFrame:
    """The comparable gemeenten with distance and raw profile (empty for a region as a whole)."""
    if ctx.focus.level != "gemeente":
        return pd.DataFrame()
    cache = getattr(ctx, "_peers", None)
    if cache is None:
        cfg = ctx.params.vergelijkbare_gemeenten
        prof = profiel.build_profile(ctx.facts, ctx.regions, list(cfg.profiel))
        try:
            cache = peers.nearest(prof, ctx.focus.code, cfg.k, list(cfg.vaste_lijst) or None)
        except KompasError:
            cache = pd.DataFrame()
        ctx._peers = cache
    return cache


def peer_codes(ctx) -> list[str]:
    t = peer_table(ctx)
    return list(t.index) if len(t) else []


def with_peers(ctx, s: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Add the pooled series of the comparable gemeenten (sum of counts / sum of denominators, or the
    mean of the rates where only rates exist) as region ``PEERS``."""
    codes = peer_codes(ctx)
    if not codes or "vergelijkbare_gemeenten" not in ctx.params.benchmarks:
        return s
    src = series(ctx.ind(indicator), indicator, codes, period_type=None)
    src = src[src["period"].isin(s["period"].unique())]
    rows = []
    for period, g in src.groupby("period"):
        g = g[g["value"].notna()]
        if len(g) < max(3, len(codes) // 2):
            continue
        first = g.iloc[0].to_dict()
        if g["numerator"].notna().all() and g["denominator"].notna().all() and g["denominator"].sum() > 0:
            num, den = g["numerator"].sum(), g["denominator"].sum()
            val = num / den * ctx.registry.indicators[indicator].ratio_scale
        elif g["numerator"].notna().all() and ctx.registry.indicators[indicator].eenheid == "aantal":
            num, den, val = g["numerator"].mean(), float("nan"), g["numerator"].mean()
        else:
            num, den, val = float("nan"), float("nan"), g["value"].mean()
        first.update(region_code=PEERS, region_name="Vergelijkbare gemeenten", numerator=num, denominator=den,
                     value=val, harmonised=False, source_table=",".join(sorted(set(g["source_table"]))))
        rows.append(first)
    return pd.concat([s, pd.DataFrame(rows)], ignore_index=True) if rows else s


def region_labels(ctx) -> dict[str, str]:
    """Distinct display labels: the focus by its name, benchmarks with their kind
    ('Provincie Utrecht', 'Jeugdregio Utrecht Stad', 'Gemeenten 250 000 inwoners of meer')."""
    labels = {ctx.focus.code: ctx.focus.name}
    for kind, code in comparison_codes(ctx).items():
        name = ctx.names.get(code, code)
        labels[code] = {"nederland": name, "provincie": f"Provincie {name}",
                        "jeugdregio": f"Jeugdregio {name}", "grootteklasse": f"Gemeenten {name}",
                        "vergelijkbare_gemeenten": f"{len(peer_codes(ctx))} vergelijkbare gemeenten"}[kind]
    return labels


def _source_caption(ctx, s: pd.DataFrame) -> str:
    tables = sorted({t for ts in s["source_table"].dropna() for t in str(ts).split(",")})
    periods = s.dropna(subset=["value"])["period"]
    span = ""
    if len(periods):
        first, last = parse_period(periods.min()).label, parse_period(periods.max()).label
        span = f", {first}–{last}"
    who = "fictieve gegevens (Demoland)" if ctx.fictitious else "CBS"
    note = " Herindeling: cijfers van de voorgangers opgeteld (zie toelichting)." if s["harmonised"].any() else ""
    return f"Bron: {who}, tabel {', '.join(tables)}{span}.{note}"


def population(ctx) -> str:
    """A sentence on the size of the youth population (latest year available)."""
    s = series(ctx.ind("jongeren_0_17"), "jongeren_0_17", [ctx.focus.code])
    inw = series(ctx.ind("inwoners"), "inwoners", [ctx.focus.code])
    last = latest_common_period(s, ctx.focus.code)
    if last is None:
        return ("Het aantal jongeren tot 18 jaar is voor deze regio niet beschikbaar in de gebruikte "
                "tabellen.")
    total = inw[(inw["period"] == last["period"]) & inw["value"].notna()]
    share = ""
    if not total.empty and total.iloc[0]["value"] > 0:
        share = f", {fmt.pct(last['value'] / total.iloc[0]['value'] * 100)} van alle {fmt.count(total.iloc[0]['value'])} inwoners"
    return (f"In {ctx.focus.name} woonden in {parse_period(last['period']).label} "
            f"{fmt.count(last['value'])} jongeren tot 18 jaar{share} (bron: tabel {last['source_table']}).")


def kerncijfers(ctx, indicators: list[str] = CORE_INDICATORS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Latest full-year figure per indicator for the focus region and its benchmarks.

    Returns ``(shown, data)``: a formatted Dutch table and the underlying numbers.
    """
    bench = comparison_codes(ctx)
    codes = [ctx.focus.code, *bench.values()]
    rows, data = [], []
    for ind_id in indicators:
        ind = ctx.registry.indicators[ind_id]
        s = with_peers(ctx, series(ctx.ind(ind_id), ind_id, codes), ind_id)
        last = latest_common_period(s, ctx.focus.code)
        if last is None:
            continue
        at = s[s["period"] == last["period"]].set_index("region_code")
        row = {"Indicator": ind.titel, "Periode": parse_period(last["period"]).label}
        count_col = f"Aantal {ctx.focus.name}"
        if ind.eenheid == "percentage" and pd.notna(last["numerator"]):
            row[count_col] = fmt.suppressed_count(last["numerator"], ctx.threshold)
        else:
            row[count_col] = "–"
        row[ctx.focus.name] = fmt.value(last["value"], ind.eenheid)
        labels = region_labels(ctx)
        for code in bench.values():
            v = at["value"].get(code) if code in at.index else None
            row[labels[code]] = fmt.value(v, ind.eenheid)
        rows.append(row)
        d = s[s["period"] == last["period"]][["indicator", "region_code", "region_name", "period", "numerator",
                                              "denominator", "value", "unit", "status", "source_table"]]
        data.append(d)
    shown = pd.DataFrame(rows)
    return shown, (pd.concat(data, ignore_index=True) if data else pd.DataFrame())


def _compare_word(a: float, b: float, unit: str) -> str:
    """Only used for changes over time in counts or rates: 'gelijk aan' within rounding."""
    tol = 0.05 if unit == "percentage" else 0.5
    if pd.isna(a) or pd.isna(b):
        return ""
    if abs(a - b) < tol:
        return "gelijk aan"
    return "hoger dan" if a > b else "lager dan"


def compare_to(own: pd.Series, other: pd.Series, other_label: str, unit: str) -> str:
    """Compare two rates honestly: with a two-proportion z-test (95 %) where counts and
    denominators are known, otherwise only the numbers, without a verdict."""
    shown = f"{fmt.value(other['value'], unit)} in {other_label}"
    have_n = all(pd.notna(x) and x > 0 for x in (own["numerator"], own["denominator"],
                                                   other["numerator"], other["denominator"]))
    if unit != "percentage" or not have_n:
        return f"tegenover {shown}"
    direction = benchmark_direction(own["numerator"], own["denominator"], other["numerator"], other["denominator"])
    if direction is None:
        return f"niet duidelijk anders dan {shown} (verschil niet groter dan toeval)"
    return f"{direction} dan {shown} (verschil groter dan toeval)"


def trend(ctx, indicator: str):
    """Figure, data and a sentence for the trend of one indicator (full years)."""
    ind = ctx.registry.indicators[indicator]
    bench = comparison_codes(ctx)
    codes = [ctx.focus.code, *bench.values()]
    s = with_peers(ctx, series(ctx.ind(indicator), indicator, codes), indicator)
    start = ctx.params.periode.start_jaar
    end = ctx.params.periode.eind_jaar or 9999
    s = s[s["period_start"].dt.year.between(start, end)].copy()
    labels = region_labels(ctx)
    s["region_name"] = s["region_code"].map(labels)
    last = latest_common_period(s, ctx.focus.code)
    if last is None:
        return None, s, f"Voor {ind.titel.lower()} zijn geen cijfers van {ctx.focus.name} beschikbaar."
    label = parse_period(last["period"]).label
    title = f"{ind.titel} in {ctx.focus.name}: {fmt.value(last['value'], ind.eenheid)} in {label}"
    nl = s[(s["region_code"] == "NL01") & (s["period"] == last["period"])]
    sentence = [f"In {label} was het cijfer voor {ind.titel.lower()} in {ctx.focus.name} "
                f"{fmt.value(last['value'], ind.eenheid)}"]
    if not nl.empty and pd.notna(nl.iloc[0]["value"]):
        nl_label = labels.get("NL01", "Nederland")
        sentence.append(", " + compare_to(last, nl.iloc[0], nl_label, ind.eenheid))
        title += f" ({nl_label} {fmt.value(nl.iloc[0]['value'], ind.eenheid)})"
    ch = change(s, ctx.focus.code)
    if ch is not None:
        first, lastrow = ch
        sentence.append(". " + change_sentence(first, lastrow, ind.eenheid))
    sentence.append(".")
    if small_numbers(last):
        sentence.append(f" Let op: in {ctx.focus.name} gaat het om weinig jongeren; een paar jongeren meer of "
                        "minder laat het percentage van jaar tot jaar sterk schommelen.")
    caption = _source_caption(ctx, s)
    fig = plots.trend(s, title=title, caption=caption, focus=ctx.focus.name,
                      ylabel="% van de jongeren" if ind.eenheid == "percentage" else "aantal",
                      percent=ind.eenheid == "percentage", order=list(labels.values()))
    data = s[["indicator", "region_code", "region_name", "period", "numerator", "denominator", "value",
              "status", "missing_reason", "source_table", "harmonised"]]
    return fig, data, "".join(sentence)


SMALL_COUNT = 50
SMALL_POPULATION = 2_000


def small_numbers(row: pd.Series) -> bool:
    """True when a rate rests on few youths (count under 50 or population under 2.000)."""
    num, den = row.get("numerator"), row.get("denominator")
    return bool((pd.notna(num) and num < SMALL_COUNT) or (pd.notna(den) and den < SMALL_POPULATION))


def change_sentence(first: pd.Series, last: pd.Series, unit: str) -> str:
    """'Sinds 2015 is het cijfer gestegen met 6,1 procentpunt (van 5,8 %).'"""
    diff = last["value"] - first["value"]
    since = f"Sinds {parse_period(first['period']).label}"
    amount = fmt.number(abs(diff), 1) + " procentpunt" if unit == "percentage" else fmt.count(abs(diff))
    if _compare_word(last["value"], first["value"], unit) == "gelijk aan":
        return f"{since} is het cijfer vrijwel gelijk gebleven ({fmt.value(first['value'], unit)})"
    word = "gestegen" if diff > 0 else "gedaald"
    return f"{since} is het cijfer {word} met {amount} (van {fmt.value(first['value'], unit)})"


def harmonisation_note(ctx) -> str | None:
    """A sentence when the focus gemeente's series include summed predecessors."""
    own = ctx.facts[(ctx.facts["region_code"] == ctx.focus.code) & ctx.facts["harmonised"]]
    if own.empty:
        return None
    periods = own["period_start"].dt.year
    return (f"{ctx.focus.name} is ontstaan of gegroeid door een herindeling. Cijfers tot en met "
            f"{int(periods.max())} zijn omgerekend naar de huidige gemeente: aantallen van de voorgangers "
            "opgeteld, percentages opnieuw berekend uit teller en noemer; waar CBS alleen een percentage "
            "publiceert, is gewogen naar het aantal jongeren (aangegeven als 'herberekend, gewogen').")


def table_caption(ctx, data: pd.DataFrame) -> str:
    tables = sorted({t for ts in data.get("source_table", pd.Series(dtype=str)).dropna() for t in str(ts).split(",")})
    who = "fictieve gegevens (Demoland)" if ctx.fictitious else "CBS"
    return (f"Bron: {who}, tabel {', '.join(tables)}. Aantallen onder {ctx.threshold} worden niet getoond. "
            "'–' = geen cijfer gepubliceerd.")


def tables_used(ctx) -> list[str]:
    """The source tables behind this block (every concept with an indicator the block shows)."""
    used = set(ctx.prepare_info.get("tables_used", []))
    concepts = {i.concept for i in ctx.registry.indicators.values()}
    return sorted(t.id for cid in concepts for t in ctx.registry.concepts[cid].tables if t.id in used)


def definitions(ctx) -> pd.DataFrame:
    rows = []
    polarity = {"neutraal": "neutraal (meer is niet vanzelf beter of slechter)", "hoger_beter": "hoger is beter",
                "lager_beter": "lager is beter"}
    for ind in ctx.registry.indicators.values():
        rows.append({"Indicator": ind.titel, "Definitie": ind.definitie, "Eenheid": ind.eenheid,
                     "Richting": polarity[ind.polariteit]})
    return pd.DataFrame(rows)


# --- vergelijkbare gemeenten ---------------------------------------------------------------------

def peers_shown(ctx) -> tuple[pd.DataFrame, str]:
    """The chosen comparable gemeenten with distance and profile, for the report."""
    t = peer_table(ctx)
    if t.empty:
        return t, ("Vergelijkbare gemeenten worden alleen voor een gemeente bepaald (niet voor een regio als "
                   "geheel), en alleen als haar profiel compleet is.")
    cfg = ctx.params.vergelijkbare_gemeenten
    shown = pd.DataFrame({"Gemeente": [ctx.names.get(c, c) for c in t.index],
                          "Afstand": [fmt.number(d, 2) for d in t["distance"]]})
    for var in [c for c in t.columns if c != "distance"]:
        vals = 10 ** t[var] if var == "inwoners" else t[var]
        shown[profiel.label(var).replace(" (log)", "")] = [
            fmt.count(v) if var == "inwoners" else fmt.number(v, 1) for v in vals]
    how = ("de eigen lijst uit het params-bestand" if cfg.vaste_lijst else
           f"de {cfg.k} gemeenten met het meest gelijke profiel (afstand op gestandaardiseerde kenmerken)")
    return shown, f"Vergelijkbare gemeenten voor {ctx.focus.name}: {how}."


# --- funnel plot ---------------------------------------------------------------------------------

FUNNEL_INDICATOR = "jongeren_jeugdzorg"


def funnel_section(ctx, indicator: str = FUNNEL_INDICATOR):
    """Funnel plot of all gemeenten (or the jeugdregio's gemeenten) on the latest full year."""
    from kompas_lib.analysis.methods.funnel import funnel_table
    from kompas_lib.prepare.regions import latest_classification

    ind = ctx.registry.indicators[indicator]
    current = latest_classification(ctx.regions)
    members = current
    if ctx.focus.level == "jeugdregio":
        members = current[current["jeugdregio_code"] == ctx.focus.code]
    s = series(ctx.ind(indicator), indicator, list(members["gemeente_code"]) + ["NL01"])
    years = s[s["value"].notna() & (s["region_code"] != "NL01")].groupby("period").size()
    if years.empty:
        return None, pd.DataFrame(), "Voor de trechterfiguur zijn geen cijfers beschikbaar."
    period = years[years >= 0.8 * years.max()].index.max()
    at = s[(s["period"] == period) & s["numerator"].notna() & s["denominator"].notna()]
    nl = at[at["region_code"] == "NL01"]
    units = at[at["region_code"] != "NL01"]
    units = pd.DataFrame({"code": units["region_code"], "name": [ctx.names.get(c, c) for c in units["region_code"]],
                          "k": units["numerator"], "n": units["denominator"]})
    p_bar = float(nl["numerator"].iloc[0] / nl["denominator"].iloc[0]) if not nl.empty else None
    table, par = funnel_table(units, p_bar)
    label = parse_period(period).label
    ref = "het landelijke cijfer" if not nl.empty else "het gemiddelde"
    focus_rows = table[table["code"] == ctx.focus.code]
    if not focus_rows.empty:
        verdict = focus_rows["oordeel_95"].iloc[0]
        title = f"{ind.titel} {label}: {ctx.focus.name} valt {verdict}"
    else:
        counts = table["oordeel_95"].value_counts()
        title = (f"{ind.titel} {label}: {counts.get('binnen de grenzen', 0)} van {len(table)} gemeenten "
                 "binnen de grenzen")
    who = "fictieve gegevens (Demoland)" if ctx.fictitious else "CBS"
    caption = (f"Bron: {who}, tabel {', '.join(sorted(set(at['source_table'])))}, {label}. Elke stip is een gemeente; "
               f"lijnen: 95 %- en 99,8 %-grenzen rond {ref}"
               + (", verbreed voor overdispersie." if par["overdispersie"] else "."))
    fig = plots.funnel(table, par["p_bar"], title=title, caption=caption,
                       focus_code=ctx.focus.code if ctx.focus.level == "gemeente" else None, tau2=par["tau2"])
    summary = table["oordeel_95"].value_counts()
    sentence = (f"In {label} vallen {summary.get('binnen de grenzen', 0)} gemeenten binnen de 95 %-grenzen, "
                f"{summary.get('boven de grenzen', 0)} erboven en {summary.get('onder de grenzen', 0)} eronder. "
                "Een punt buiten de grenzen is een reden om door te vragen, geen rangorde: de figuur zegt niets "
                "over welke gemeente het 'beter' doet.")
    if par["overdispersie"]:
        sentence += (" Omdat veel gemeenten buiten de gewone grenzen vallen (overdispersie), zijn de grenzen "
                     "verbreed: verschillen tussen gemeenten zijn groter dan toeval alleen verklaart.")
    data = table.rename(columns={"k": "teller", "n": "noemer", "rate": "aandeel"})
    data.insert(0, "periode", period)
    return fig, data, sentence


# --- demografie ----------------------------------------------------------------------------------

def decomposition_sentence(ctx, indicator: str = "jongeren_jeugdzorg") -> str | None:
    """Split the change in the number of youths with jeugdzorg into a population and a rate effect."""
    from kompas_lib.analysis.methods.demography import decompose_change

    s = series(ctx.ind(indicator), indicator, [ctx.focus.code])
    s = s[s["numerator"].notna() & s["denominator"].notna()]
    if len(s) < 2:
        return None
    a, b = s.iloc[0], s.iloc[-1]
    d = decompose_change(a["denominator"], a["numerator"] / a["denominator"],
                         b["denominator"], b["numerator"] / b["denominator"])
    la, lb = parse_period(a["period"]).label, parse_period(b["period"]).label
    word = "gestegen" if d.change > 0 else "gedaald"
    return (f"Het aantal jongeren met jeugdzorg in {ctx.focus.name} is tussen {la} en {lb} {word} van "
            f"{fmt.count(a['numerator'])} naar {fmt.count(b['numerator'])} ({'+' if d.change > 0 else '−'}"
            f"{fmt.count(abs(d.change))}). Daarvan komt {fmt.count(d.population_effect)} door een veranderd aantal "
            f"jongeren en {fmt.count(d.rate_effect)} door een veranderd gebruik per jongere. Een daling die alleen uit "
            "het aantal jongeren komt, is dus geen verbetering.")


# --- signalen ------------------------------------------------------------------------------------

def latest_block(ctx, ind) -> tuple[pd.DataFrame, pd.Series | None]:
    """The indicator for the focus and its benchmarks (peers pooled), on full years (or school
    years) when the focus has those, and the focus's latest row."""
    bench = comparison_codes(ctx)
    s = with_peers(ctx, series(ctx.ind(ind.id), ind.id, [ctx.focus.code, *bench.values()], period_type=None), ind.id)
    yearly = s[s["period_type"].isin(["jaar", "schooljaar"])]
    if not yearly[(yearly["region_code"] == ctx.focus.code) & yearly["value"].notna()].empty:
        s = yearly
    return s, latest_common_period(s, ctx.focus.code)


def signal_table(ctx) -> pd.DataFrame:
    """'Wat valt op': indicators that differ from Nederland or the comparable gemeenten by more than
    chance, and trend breaks — worded by polarity, in catalogue order (not sorted by size)."""
    from kompas_lib.analysis.methods.signals import trend_break, word, word_trend

    rows = []
    labels = region_labels(ctx)
    for ind in ctx.registry.indicators.values():
        if ind.alleen_landelijk or ind.domein == "context" or ind.concept in ("jeugdzorg_wijken",):
            continue
        s, last = latest_block(ctx, ind)
        if last is None:
            continue
        at = s[s["period"] == last["period"]].set_index("region_code")
        found: dict[str, list[str]] = {}
        for code in ("NL01", PEERS):
            if code not in at.index:
                continue
            ref = at.loc[code]
            direction = benchmark_direction(last["numerator"], last["denominator"], ref["numerator"], ref["denominator"])
            if direction:
                found.setdefault(direction, []).append(labels.get(code, code))
        for direction, refs in found.items():
            rows.append({"Indicator": ind.titel, "Soort": "verschil", "Periode": parse_period(last["period"]).label,
                         "Wat valt op": word(ind.titel, ind.polariteit, direction, " en ".join(refs))})
        own = s[s["region_code"] == ctx.focus.code].sort_values("period_start")
        brk = trend_break(own["value"].tolist())
        if brk:
            rows.append({"Indicator": ind.titel, "Soort": "trendbreuk", "Periode": parse_period(last["period"]).label,
                         "Wat valt op": word_trend(ind.titel, ind.polariteit, brk)})
    return pd.DataFrame(rows, columns=["Indicator", "Soort", "Periode", "Wat valt op"])


# --- wijken en subgroepen ------------------------------------------------------------------------

MAX_WIJKEN_IN_FIGURE = 30


def wijken_section(ctx):
    """(shown table, export data, figure or None, sentence) for the wijken of the focus gemeente."""
    from kompas_lib.analysis.sections import wijken

    if ctx.focus.level != "gemeente":
        return None, pd.DataFrame(), None, "Wijkcijfers horen bij een gemeente; voor een regio als geheel worden ze niet getoond."
    shown, data, period = wijken.wijk_table(ctx.ind(wijken.WIJK_INDICATOR), ctx.focus.code, ctx.threshold)
    if period is None or shown.empty:
        return None, pd.DataFrame(), None, (f"Voor {ctx.focus.name} zijn geen wijkcijfers beschikbaar in de gebruikte "
                                             "tabellen (de offline kopie mist per jaar de laatste gemeenten).")
    who = "fictieve gegevens (Demoland)" if ctx.fictitious else "CBS"
    plot_data = data[~data["klein"]]
    fig = None
    if 2 <= len(plot_data) <= MAX_WIJKEN_IN_FIGURE:
        top = plot_data.loc[plot_data["aandeel_van_gemeente"].idxmax()]
        fig = plots.bars(plot_data, category="region_name", value="aandeel_van_gemeente",
                         title=f"Jongeren met jeugdzorg per wijk, {period}: de meeste in {top['region_name']}",
                         caption=(f"Bron: {who}, tabel {', '.join(sorted(set(data['source_table'])))}, {period}. Aandeel van "
                                  f"alle jongeren met jeugdzorg in {ctx.focus.name}; wijken met minder dan "
                                  f"{ctx.threshold} jongeren niet getoond."))
    n_small, n_new = int(data["klein"].sum()), int(data["nieuwe_code"].sum())
    sentence = (f"De verdeling over de wijken in {period}. CBS publiceert per wijk niet het aantal jongeren dat er woont, "
                "dus dit is het aandeel van de wijk in alle jongeren met jeugdzorg van de gemeente — een grote wijk "
                "heeft vanzelf een groter aandeel.")
    if n_small:
        sentence += f" {n_small} wijk(en) met minder dan {ctx.threshold} jongeren of zonder cijfer worden niet getoond."
    if len(plot_data) > MAX_WIJKEN_IN_FIGURE:
        sentence += f" Met {len(plot_data)} wijken staat de verdeling alleen in de tabel."
    if n_new:
        sentence += (f" {n_new} wijkcode(s) bestonden het jaar ervoor nog niet (gewijzigde wijkindeling); die worden "
                     "niet met eerdere jaren vergeleken.")
    return shown, data.drop(columns=["klein"]), fig, sentence


def subgroup_section(ctx, dim: str):
    """(shown, data, figure, sentence) for one subgroup split of the focus gemeente against Nederland."""
    from kompas_lib.analysis.sections import wijken

    data, period = wijken.subgroup_table(ctx.ind(wijken.SUBGROUP_INDICATORS[dim]), ctx.focus.code, dim, ctx.threshold)
    title = wijken.SUBGROUP_TITLES[dim]
    if period is None or data.empty:
        return None, pd.DataFrame(), None, f"{title}: geen cijfers voor {ctx.focus.name} in de gebruikte tabellen."
    own, nl = data[data["region_code"] == ctx.focus.code], data[data["region_code"] == "NL01"].set_index("groep")
    nl_name = ctx.names.get("NL01", "Nederland")
    shown = pd.DataFrame({
        title: own["groep"],
        f"Aantal {ctx.focus.name}": [fmt.count(v) if pd.notna(v) else f"<\u00a0{ctx.threshold}" for v in own["aantal"]],
        f"% {ctx.focus.name}": [fmt.pct(v) for v in own["aandeel"]],
        f"% {nl_name}": [fmt.pct(nl["aandeel"].get(g)) for g in own["groep"]],
    })
    who = "fictieve gegevens (Demoland)" if ctx.fictitious else "CBS"
    fig = plots.bars(own.dropna(subset=["aandeel"]), category="groep", value="aandeel",
                     title=f"{title} van jongeren met jeugdzorg in {ctx.focus.name}, {period}",
                     caption=f"Bron: {who}, tabel {', '.join(sorted(set(own['source_table'])))}, {period}.")
    unit = "trajecten" if dim == "verwijzer" else "jongeren met jeugdzorg"
    sentence = (f"Verdeling van de {unit} in {ctx.focus.name} naar {title.lower()}, naast {nl_name}. Een andere "
                "verdeling kan komen door een andere bevolkingsopbouw; het is een vraag voor het gesprek, geen oordeel.")
    return shown, data, fig, sentence


def national_context(ctx) -> tuple[pd.DataFrame, str]:
    """Splits CBS publishes only for Nederland (sex × age at peildatum, Halt): context, said so."""
    rows = []
    f = ctx.facts
    s = f[(f["indicator"] == "jongeren_jeugdzorg_peildatum") & (f["region_code"] == "NL01") & f["value"].notna()]
    if not s.empty:
        last = s["period"].max()
        at = s[s["period"] == last].set_index(["group_dim", "group_value"])["value"]
        total = at.get(("totaal", "totaal"))
        for sex in ("Mannen", "Vrouwen"):
            v = at.get(("geslacht", sex))
            if v is not None and total:
                rows.append({"Onderwerp": f"Jongeren met jeugdzorg in natura: {sex.lower()}",
                             "Peildatum": parse_period(last).label, "Aantal": fmt.count(v), "Aandeel": fmt.pct(v / total * 100)})
    v = ctx.ind("vsv_herkomst")
    v = v[v["value"].notna()]
    if not v.empty:
        last = v.sort_values("period_start")["period"].iloc[-1]
        for r in v[v["period"] == last].itertuples(index=False):
            who = "alle jongeren" if r.group_dim == "totaal" else r.group_value.lower()
            rows.append({"Onderwerp": f"Voortijdig schoolverlaters 18–25 jaar: {who}", "Peildatum": parse_period(last).label,
                         "Aantal": fmt.count(r.numerator), "Aandeel": fmt.pct(r.value)})
    h = f[(f["indicator"] == "halt_jongeren") & (f["group_dim"] == "totaal") & f["value"].notna()]
    if not h.empty:
        last = h.sort_values("period_start").iloc[-1]
        rows.append({"Onderwerp": "Halt-jongeren", "Peildatum": parse_period(last["period"]).label,
                     "Aantal": fmt.count(last["value"]), "Aandeel": "–"})
    return pd.DataFrame(rows), (f"Deze cijfers bestaan alleen voor {ctx.names.get('NL01', 'Nederland')} als geheel, niet per "
                                "gemeente. Ze geven context, geen vergelijking.")


# --- overzicht van alle indicatoren ---------------------------------------------------------------

DOMAIN_TITLES = {"jeugdhulp": "Jeugdhulp", "veiligheid": "Veiligheid", "onderwijs": "Onderwijs",
                 "participatie": "Participatie en gezin", "gezondheid": "Gezondheid", "context": "Context"}


def overview(ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every catalogue indicator with a figure for the focus: latest value with a 95 % margin (where
    counts are known), Nederland and the comparable gemeenten; grouped by domain."""
    from kompas_lib.analysis.methods.uncertainty import wilson

    rows, data = [], []
    bench = comparison_codes(ctx)
    labels = region_labels(ctx)
    for dom in DOMAIN_TITLES:
        for ind in [i for i in ctx.registry.indicators.values() if i.domein == dom]:
            if ind.alleen_landelijk or ind.concept == "jeugdzorg_wijken":
                continue
            s, last = latest_block(ctx, ind)
            if last is None:
                continue
            at = s[s["period"] == last["period"]].set_index("region_code")["value"]
            margin = "–"
            if ind.eenheid == "percentage" and pd.notna(last["numerator"]) and pd.notna(last["denominator"]):
                lo, hi = wilson(last["numerator"], last["denominator"])
                margin = f"{fmt.number(lo * 100, 1)}–{fmt.number(hi * 100, 1)}"
            rows.append({"Domein": DOMAIN_TITLES[dom], "Indicator": ind.titel,
                         "Periode": parse_period(last["period"]).label,
                         ctx.focus.name: fmt.value(last["value"], ind.eenheid), "95 %-marge": margin,
                         # counts of other regions are not comparable with the gemeente's count
                         labels.get("NL01", "Nederland"): fmt.value(at.get("NL01"), ind.eenheid) if ind.eenheid != "aantal" else "–",
                         "Vergelijkbare gemeenten": fmt.value(at.get(PEERS), ind.eenheid) if ind.eenheid != "aantal" else "–"})
            data.append(s[s["period"] == last["period"]])
    out = pd.DataFrame(rows)
    if not bench.get("vergelijkbare_gemeenten") and "Vergelijkbare gemeenten" in out:
        out = out.drop(columns="Vergelijkbare gemeenten")
    return out, (pd.concat(data, ignore_index=True) if data else pd.DataFrame())


def methods_table() -> pd.DataFrame:
    return pd.DataFrame([
        {"Methode": "Marge van een percentage", "Toelichting": "Wilson-interval (95 %) uit teller en noemer."},
        {"Methode": "Verschil met Nederland of vergelijkbare gemeenten",
         "Toelichting": "Toets op twee proporties (95 %): 'verschil groter dan toeval' of 'niet groter dan toeval'."},
        {"Methode": "Trechterfiguur", "Toelichting": "Grenzen p̄ ± z·√(p̄(1−p̄)/n) op 95 % en 99,8 %, verbreed voor "
                                                   "overdispersie (Spiegelhalter) als veel gemeenten erbuiten vallen."},
        {"Methode": "Vergelijkbare gemeenten", "Toelichting": "k dichtstbijzijnde gemeenten (euclidische afstand) op "
                                                            "gestandaardiseerde kenmerken; k en kenmerken in het params-bestand."},
        {"Methode": "Bevolkingseffect en gebruikseffect", "Toelichting": "Verandering in aantallen = verandering in aantal "
                                                                        "jongeren × gemiddeld gebruik + verandering in gebruik × gemiddeld aantal jongeren."},
        {"Methode": "Herindelingen", "Toelichting": "Aantallen van voorgangers opgeteld; percentages opnieuw berekend, "
                                                   "of gewogen naar het aantal jongeren als alleen een percentage bestaat."},
        {"Methode": "Kleine aantallen", "Toelichting": "CBS rondt aantallen af op vijftallen; aantallen onder de "
                                                      "privacydrempel worden niet getoond of geëxporteerd."},
    ])


# --- verwacht gebruik gegeven de leeftijdsopbouw (indirecte standaardisatie) -----------------------

CARE_AGES = {"0 tot 4 jaar": (0, 4), "4 tot 12 jaar": (4, 12), "12 tot 18 jaar": (12, 18), "18 tot 23 jaar": (18, 23)}


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


def standardised(ctx) -> tuple[str | None, pd.DataFrame]:
    """Observed against expected youths with jeugdzorg given the age structure (national rates per
    age group), with exact limits; (sentence, data) or (None, empty) where the data do not allow it."""
    from kompas_lib.analysis.methods.demography import indirect, regroup
    from kompas_lib.analysis.sections.wijken import WIJK_INDICATOR

    if ctx.focus.level != "gemeente":
        return None, pd.DataFrame()
    care = ctx.ind(WIJK_INDICATOR)
    care = care[(care["group_dim"] == "leeftijd") & care["value"].notna()]
    own = care[care["region_code"] == ctx.focus.code]
    nl = care[care["region_code"] == "NL01"]
    periods = sorted(set(own["period"]) & set(nl["period"]), key=lambda p: parse_period(p).start)
    periods = [p for p in periods if own[own["period"] == p]["group_value"].nunique() == len(CARE_AGES)]
    pop_own, pop_year = _age_bands(ctx.ind("bevolking_leeftijd"), ctx.focus.code)
    pop_nl, _ = _age_bands(ctx.ind("bevolking_leeftijd"), "NL01")
    if not periods or not pop_own or not pop_nl:
        return None, pd.DataFrame()
    period = periods[-1]
    groups = list(CARE_AGES)
    try:
        p_own = regroup(pop_own, [CARE_AGES[g] for g in groups])
        p_nl = regroup(pop_nl, [CARE_AGES[g] for g in groups])
    except ValueError:
        return None, pd.DataFrame()
    obs_nl = nl[nl["period"] == period].set_index("group_value")["value"].reindex(groups)
    obs_own = own[own["period"] == period].set_index("group_value")["value"].reindex(groups)
    rates = (obs_nl / pd.Series(p_nl, index=groups)).to_numpy()
    if obs_own.isna().any() or obs_own.sum() < ctx.threshold:
        return None, pd.DataFrame()
    res = indirect(float(obs_own.sum()), p_own, rates)
    nl_name = ctx.names.get("NL01", "Nederland")
    if res.low > 1:
        verdict = "meer dan je op grond van de leeftijdsopbouw verwacht (verschil groter dan toeval)"
    elif res.high < 1:
        verdict = "minder dan je op grond van de leeftijdsopbouw verwacht (verschil groter dan toeval)"
    else:
        verdict = "ongeveer wat je op grond van de leeftijdsopbouw verwacht (verschil niet groter dan toeval)"
    sentence = (f"Als jongeren in {ctx.focus.name} per leeftijdsgroep even vaak jeugdzorg hadden als in {nl_name}, zouden "
                f"het er in {parse_period(period).label} {fmt.count(res.expected)} zijn; het werkelijke aantal is "
                f"{fmt.count(res.observed)}: {verdict}. Verhouding {fmt.number(res.ratio, 2)} (95 %-marge "
                f"{fmt.number(res.low, 2)}–{fmt.number(res.high, 2)}). Benadering: de bevolking naar leeftijd is van "
                f"1 januari {pop_year} en in groepen van vijf jaar, gelijk verdeeld over de jaren.")
    data = pd.DataFrame({"leeftijd": groups, "waargenomen": obs_own.where(obs_own >= ctx.threshold).to_numpy(),
                         "bevolking": p_own,
                         "landelijk_gebruik": rates, "verwacht": [p * r for p, r in zip(p_own, rates)],
                         "periode_zorg": period, "peildatum_bevolking": pop_year})
    return sentence, data
