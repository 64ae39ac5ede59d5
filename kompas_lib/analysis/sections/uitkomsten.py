"""Block 5 — outcome of youth care: the national benchmark from CBS and the providers' own figures.

Outcome figures are for learning, not for punishing: providers are compared in funnel plots with
control limits (overdispersion-adjusted), labelled binnen / boven / onder de grenzen and listed
alphabetically — never ranked. Cells under the privacy threshold are never shown or exported.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kompas_lib.analysis.methods import aanbieders
from kompas_lib.analysis.methods.benchmarks import series
from kompas_lib.analysis.methods.funnel import funnel_table
from kompas_lib.core import fmt
from kompas_lib.core.errors import KompasError
from kompas_lib.core.periods import parse_period
from kompas_lib.prepare.regions import latest_classification
from kompas_lib.presentation import render as plots  # TEMP

NATIONAL = ["nl_beeindigd_volgens_plan", "nl_voortijdig_afgesloten", "nl_einde_onbekend", "nl_herhaald_beroep",
            "nl_gemiddelde_duur"]
PROVIDER_MEASURES = ["volgens_plan", "voortijdig", "herhaald_beroep_12mnd", "doelrealisatie", "tevredenheid"]
REGIONAL_TABLE = "85097NED"


def _who(ctx) -> str:
    return "fictieve gegevens (Demoland)" if ctx.fictitious else "CBS"


def national_table(ctx) -> tuple[pd.DataFrame, pd.DataFrame]:  # noqa: D401
    """Latest full-year national outcome figures (totaal verwijzer)."""
    rows, data = [], []
    for ind_id in NATIONAL:
        ind = ctx.registry.indicators[ind_id]
        s = series(ctx.ind(ind_id), ind_id, ["NL01"])
        s = s[s["value"].notna()]
        if s.empty:
            continue
        last = s.iloc[-1]
        value = fmt.number(last["value"], 0) + " dagen" if ind.eenheid == "aantal" else fmt.pct(last["value"])
        rows.append({"Indicator": ind.titel.replace(" (landelijk)", "").replace(" (landelijk, dagen)", ""),
                     "Jaar": parse_period(last["period"]).label, "Landelijk": value,
                     "Aantal trajecten": fmt.count(last["denominator"]) if pd.notna(last["denominator"]) else "–"})
        data.append(s.tail(1))
    return pd.DataFrame(rows), (pd.concat(data, ignore_index=True) if data else pd.DataFrame())


def national_trend(ctx):
    ids = ["nl_beeindigd_volgens_plan", "nl_voortijdig_afgesloten", "nl_herhaald_beroep"]
    frames = []
    for ind_id in ids:
        s = series(ctx.ind(ind_id), ind_id, ["NL01"])
        frames.append(s.assign(region_name=ctx.registry.indicators[ind_id].titel.replace(" (landelijk)", "")))
    data = pd.concat(frames, ignore_index=True)
    if data["value"].notna().sum() == 0:
        return None, data
    last = data.dropna(subset=["value"])["period"].max()
    plan = data[(data["indicator"] == ids[0]) & (data["period"] == last)]["value"]
    title = f"Landelijk {fmt.pct(plan.iloc[0])} van de trajecten volgens plan beëindigd in {last}" if len(plan) else "Uitkomsten jeugdhulp, landelijk"
    names = list(dict.fromkeys(data["region_name"]))
    fig = plots.trend(data, title=title, focus=names[0], ylabel="% van de trajecten", order=names,
                      caption=(f"Bron: {_who(ctx)}, tabel {', '.join(sorted(set(data['source_table'])))}. Vanaf 2021 "
                               "publiceert CBS een aparte categorie 'einde onbekend'; daardoor dalen de andere percentages."))
    return fig, data[["indicator", "region_name", "period", "numerator", "denominator", "value", "source_table"]]


def national_reasons(ctx) -> pd.DataFrame:
    s = ctx.ind("nl_voortijdig_afgesloten")
    s = s[(s["region_code"] == "NL01") & (s["period_type"] == "jaar")]
    last = s[s["value"].notna()]["period"].max()
    at = s[s["period"] == last]
    total = at[at["group_dim"] == "totaal"]["numerator"]
    reasons = at[at["group_dim"] == "reden"]
    if reasons.empty or total.empty:
        return pd.DataFrame()
    return pd.DataFrame({"Reden van voortijdig afsluiten": reasons["group_value"],
                         f"Aantal ({last})": [fmt.count(v) for v in reasons["value"]],
                         "Aandeel": [fmt.pct(v / total.iloc[0] * 100) for v in reasons["value"]]})


def national_by_verwijzer(ctx) -> pd.DataFrame:
    s = ctx.ind("nl_beeindigd_volgens_plan")
    s = s[(s["region_code"] == "NL01") & (s["period_type"] == "jaar") & (s["group_dim"] == "verwijzer")]
    if s.empty:
        return pd.DataFrame()
    last = s[s["value"].notna()]["period"].max()
    at = s[s["period"] == last]
    return pd.DataFrame({"Verwijzer": at["group_value"], f"Beëindigd volgens plan ({last})": [fmt.pct(v) for v in at["value"]],
                         "Beëindigde trajecten": [fmt.count(v) for v in at["denominator"]]})


def regional_note(ctx) -> str:
    if REGIONAL_TABLE in ctx.prepare_info.get("tables_used", []):
        return f"De regionale CBS-tabel {REGIONAL_TABLE} is aanwezig."
    return (f"De CBS-tabel met uitkomsten per gemeente ({REGIONAL_TABLE}) zit niet in de gebruikte gegevens (zij is alleen "
            "online op te halen, met `kompas fetch`). Dit hoofdstuk werkt daarom met de gegevens van aanbieders en het "
            "landelijke cijfer als maatstaf.")


# --- aanbieders -----------------------------------------------------------------------------------

def provider_file(ctx) -> Path | None:
    """The provider file: params 'aanbieders.bestand' (relative to the params file), or the demo file."""
    return ctx.own_file(ctx.params.aanbieders.bestand, "aanbieders_uitkomsten.csv")


def provider_data(ctx) -> tuple[pd.DataFrame | None, str]:
    """(rows for the focus region, message). None when there is no file or it is invalid."""
    path = provider_file(ctx)
    if path is None:
        return None, ("Er is nog geen bestand met uitkomsten van aanbieders. Vraag aanbieders (of een vertrouwde derde) "
                      "per aanbieder, gemeente, periode en zorgvorm om de aantallen in het sjabloon hieronder, en zet het "
                      "pad in het params-bestand onder `aanbieders: bestand:`.")
    current = latest_classification(ctx.regions)
    known = dict(zip(current["gemeente_code"], current["gemeente_naam"]))
    try:
        df = aanbieders.load(path, known)
    except KompasError as exc:
        return None, f"Het bestand met uitkomsten van aanbieders is niet te gebruiken. {exc}"
    if ctx.focus.level == "gemeente":
        members = [ctx.focus.code]
    elif ctx.focus.level == "jeugdregio":
        members = list(current.loc[current["jeugdregio_code"] == ctx.focus.code, "gemeente_code"])
    else:
        members = list(current["gemeente_code"])
    own = df[df["gemeente_code"].isin(members)]
    if own.empty:
        return None, f"Het bestand {path.name} bevat geen trajecten voor {ctx.focus.name}."
    return own, f"Gegevens van {own['aanbieder'].nunique()} aanbieders uit {path.name}."


def latest_year(df: pd.DataFrame) -> str:
    years = [p for p in df["periode"].unique() if parse_period(p).type == "jaar"]
    return max(years) if years else max(df["periode"])


def provider_funnel(ctx, df: pd.DataFrame, measure: str):
    """(figure, shown table, export data, sentence) for one outcome measure, latest year."""
    m = aanbieders.MEASURES[measure]
    year = latest_year(df)
    r = aanbieders.rates(df[df["periode"] == year], measure, ["aanbieder"], ctx.threshold)
    ok = r[~r["klein"]]
    if len(ok) < 2:
        return None, pd.DataFrame(), r, f"{m.titel}: te weinig aanbieders met genoeg trajecten voor een vergelijking."
    units = pd.DataFrame({"code": ok["aanbieder"], "name": ok["aanbieder"], "k": ok["k"], "n": ok["n"]})
    table, par = funnel_table(units)
    verdict = dict(zip(table["code"], table["oordeel_95"]))
    counts = table["oordeel_95"].value_counts()
    title = f"{m.titel} {year}: {counts.get('binnen de grenzen', 0)} van {len(table)} aanbieders binnen de grenzen"
    fig = plots.funnel(table, par["p_bar"], title=title, focus_code=None, tau2=par["tau2"],
                       xlabel="aantal trajecten (noemer)", points="aanbieders",
                       caption=(f"Bron: {'fictieve gegevens van aanbieders (Demoland)' if ctx.fictitious else 'gegevens van aanbieders (spiegelrapportages)'}, {year}. "
                                f"Grenzen rond het gemiddelde van deze aanbieders ({fmt.pct(par['p_bar'] * 100)})"
                                + (", verbreed voor overdispersie." if par["overdispersie"] else ".")))
    fig.axes[0].set_ylabel("% van de trajecten")
    shown = pd.DataFrame({
        "Aanbieder": r["aanbieder"],
        "Trajecten": [f"<\u00a0{ctx.threshold}" if k else fmt.count(n) for k, n in zip(r["klein"], r["n"])],
        m.titel: ["te klein" if k else fmt.pct(v * 100) for k, v in zip(r["klein"], r["rate"])],
        "95 %-marge": ["–" if k else f"{fmt.number(lo * 100, 1)}–{fmt.number(hi * 100, 1)}"
                       for k, lo, hi in zip(r["klein"], r["lo"], r["hi"])],
        "Ten opzichte van de grenzen": ["niet beoordeeld (te klein)" if k else verdict.get(a, "–")
                                        for k, a in zip(r["klein"], r["aanbieder"])],
    })
    if measure == "tevredenheid":
        resp = aanbieders.rates(df[df["periode"] == year], "respons", ["aanbieder"], ctx.threshold).set_index("aanbieder")
        shown.insert(3, "Respons", [fmt.pct(resp["rate"].get(a) * 100) if pd.notna(resp["rate"].get(a)) else "–"
                                    for a in r["aanbieder"]])
    sentence = (f"{m.titel}, {year}: per aanbieder met een 95 %-marge, in alfabetische volgorde. Binnen de grenzen betekent "
                "dat het verschil met het gemiddelde past bij de gebruikelijke spreiding; erbuiten is een reden voor een gesprek.")
    if measure == "tevredenheid":
        sentence += " Lees tevredenheid altijd samen met de respons: bij een lage respons zegt het percentage weinig."
    export = r.assign(oordeel=[verdict.get(a) for a in r["aanbieder"]], periode=year)
    return fig, shown, export, sentence


def provider_trend(ctx, df: pd.DataFrame, measure: str = "volgens_plan"):
    m = aanbieders.MEASURES[measure]
    years = df[[parse_period(p).type == "jaar" for p in df["periode"]]]
    r = aanbieders.rates(years, measure, ["aanbieder", "periode"], ctx.threshold)
    r = r[~r["klein"]].copy()
    if r["periode"].nunique() < 2:
        return None, r
    r["value"] = r["rate"] * 100
    r["period_start"] = [pd.Timestamp(parse_period(p).start) for p in r["periode"]]
    names = sorted(r["aanbieder"].unique())
    fig = plots.trend(r, title=f"{m.titel} per aanbieder, {min(r['periode'])}–{max(r['periode'])}",
                      caption="Bron: gegevens van aanbieders; jaren met minder trajecten dan de privacydrempel ontbreken.",
                      focus=names[0], ylabel="% van de trajecten", series="aanbieder", order=names)
    return fig, r.drop(columns=["period_start"])


def by_zorgvorm(ctx, df: pd.DataFrame) -> pd.DataFrame:
    year = latest_year(df)
    rows = []
    for measure in ["volgens_plan", "voortijdig", "herhaald_beroep_12mnd"]:
        r = aanbieders.rates(df[df["periode"] == year], measure, ["zorgvorm"], ctx.threshold)
        for z in r.itertuples(index=False):
            rows.append({"Zorgvorm": z.zorgvorm, "Indicator": aanbieders.MEASURES[measure].titel, "Jaar": year,
                         "Percentage": "te klein" if z.klein else fmt.pct(z.rate * 100)})
    return pd.DataFrame(rows)
