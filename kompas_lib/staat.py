"""Block 1 — staat van de jeugd: the core jeugdzorg indicators of a gemeente against benchmarks.

Functions return data (frames, sentences, figures); the notebook only shows them.
"""

from __future__ import annotations

import pandas as pd

from . import fmt, plots
from .benchmarks import benchmark_codes, change, latest_common_period, series
from .periods import parse_period
from .signals import benchmark_direction

CORE_INDICATORS = [
    "jongeren_jeugdzorg",
    "pct_jeugdhulp_in_natura",
    "pct_jeugdhulp_met_verblijf",
    "pct_jeugdbescherming",
    "pct_jeugdreclassering",
]

def comparison_codes(ctx) -> dict[str, str]:
    wanted = [b for b in ctx.params.benchmarks if b in ("nederland", "provincie", "jeugdregio", "grootteklasse")]
    return benchmark_codes(ctx.regions, ctx.focus, wanted)


def region_labels(ctx) -> dict[str, str]:
    """Distinct display labels: the focus by its name, benchmarks with their kind
    ('Provincie Utrecht', 'Jeugdregio Utrecht Stad', 'Gemeenten 250 000 inwoners of meer')."""
    labels = {ctx.focus.code: ctx.focus.name}
    for kind, code in comparison_codes(ctx).items():
        name = ctx.names.get(code, code)
        labels[code] = {"nederland": name, "provincie": f"Provincie {name}",
                        "jeugdregio": f"Jeugdregio {name}", "grootteklasse": f"Gemeenten {name}"}[kind]
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
    s = series(ctx.facts, "jongeren_0_17", [ctx.focus.code])
    inw = series(ctx.facts, "inwoners", [ctx.focus.code])
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
        s = series(ctx.facts, ind_id, codes)
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
    s = series(ctx.facts, indicator, codes)
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
    """The source tables behind the figures of this block, in registry order."""
    used = set(ctx.prepare_info.get("tables_used", []))
    wanted = {ctx.registry.indicators[i].concept for i in [*CORE_INDICATORS, "jongeren_0_17", "inwoners"]}
    out = []
    for cid in wanted:
        out += [t.id for t in ctx.registry.concepts[cid].tables if t.id in used]
    return sorted(out)


def definitions(ctx) -> pd.DataFrame:
    rows = []
    polarity = {"neutraal": "neutraal (meer is niet vanzelf beter of slechter)", "hoger_beter": "hoger is beter",
                "lager_beter": "lager is beter"}
    for i in [*CORE_INDICATORS, "jongeren_0_17"]:
        ind = ctx.registry.indicators[i]
        rows.append({"Indicator": ind.titel, "Definitie": ind.definitie, "Eenheid": ind.eenheid,
                     "Richting": polarity[ind.polariteit]})
    return pd.DataFrame(rows)
