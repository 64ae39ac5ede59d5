"""Block 5 — outcome of youth care: the national benchmark from CBS and the providers' own figures.

Outcome figures are for learning, not for punishing: providers are compared in funnel plots with
control limits (overdispersion-adjusted), labelled binnen / boven / onder de grenzen and listed
alphabetically — never ranked. Cells under the privacy threshold are never shown or exported.

Every builder takes a :class:`~kompas_lib.analysis.scope.Scope` and returns a
:class:`~kompas_lib.analysis.section.Section` (or a list of them, or None when there is nothing to
show); the notebook only shows them. The provider rows come from the gemeente's own file, read and
validated once (``scope.local.aanbieders``).
"""

from __future__ import annotations

import re

import pandas as pd

from kompas_lib.analysis import cells, wording
from kompas_lib.analysis.methods import aanbieders as provider_data
from kompas_lib.analysis.methods.benchmarks import series, table_breaks
from kompas_lib.analysis.methods.funnel import funnel_table, limit_curve
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.figures import FunnelFigure, TrendFigure
from kompas_lib.analysis.section import Section, Signal
from kompas_lib.analysis.sections import bijlage
from kompas_lib.analysis.sections.sjabloon import template_table
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period
from kompas_lib.prepare.regions import COUNTRY_CODE, latest_classification

BLOCK = 5
PLAN = "nl_beeindigd_volgens_plan"  # the national figure the trend title states
UNKNOWN = "nl_einde_onbekend"  # a category CBS publishes from 2021: a break in the other series
EARLY = "nl_voortijdig_afgesloten"  # carries the reasons for ending early
PROVIDER_MEASURES = ["volgens_plan", "voortijdig", "herhaald_beroep_12mnd", "doelrealisatie", "tevredenheid"]
ZORGVORM_MEASURES = ["volgens_plan", "voortijdig", "herhaald_beroep_12mnd"]
REGIONAL_TABLE = "85097NED"
TREND_NOTE = ("Vanaf 2021 publiceert CBS een aparte categorie 'einde onbekend'; daardoor dalen de andere "
              "percentages.")
# How a signal names a provider measure inside a sentence ('valt boven de grenzen voor …').
MEASURE_PHRASE = {
    "volgens_plan": "trajecten beëindigd volgens plan",
    "voortijdig": "voortijdig afgesloten trajecten",
    "herhaald_beroep_12mnd": "herhaald beroep binnen 12 maanden",
    "doelrealisatie": "doelrealisatie",
    "tevredenheid": "cliënttevredenheid",
}
NO_PROVIDER_FILE = ("Er zijn nog geen uitkomsten per aanbieder. Wat we aanbieders vragen aan te leveren (zelf of via "
                    "een vertrouwde derde): per aanbieder, gemeente, jaar en zorgvorm het aantal afgesloten trajecten, "
                    "hoeveel volgens plan eindigden, hoeveel doelen bereikt werden en hoe tevreden cliënten waren.")
FOR_ANALYST = ("Vraag aanbieders (of een vertrouwde derde) per aanbieder, gemeente, periode en zorgvorm om de aantallen "
               "in het sjabloon hieronder, en zet de naam van het bestand in het instellingenbestand van de gemeente.")
TEMPLATE_INTRO = "Het sjabloon heeft deze kolommen (de betekenis staat in de toelichting bij de sjablonen):"


# --- het landelijke beeld -----------------------------------------------------------------------

SMALL_COUNT = ("te weinig trajecten, of een aantal (of het deel dat overblijft) onder {t}: niet getoond om "
               "privacyredenen")


def _short_title(title: str) -> str:
    return title.replace(" (landelijk, dagen)", "").replace(" (landelijk)", "")


def national_tables(scope: Scope) -> list[str]:
    """The CBS tables of the national outcome indicators (catalogue order, once each)."""
    ids = []
    for ind in [*scope.placed(BLOCK, "kerncijfer"), *scope.placed(BLOCK, "trend")]:
        ids += [t.id for t in scope.catalogue.concepts[ind.concept].tables]
    return list(dict.fromkeys(ids))


def landelijke_tabel(scope: Scope) -> Section:
    """Latest full-year national outcome figures (all verwijzers together), for the indicators the
    catalogue places in block 5 as kerncijfer."""
    rows, data = [], []
    for ind in scope.placed(BLOCK, "kerncijfer"):
        s = series(scope.ind(ind.id), ind.id, [COUNTRY_CODE])
        s = s[s["value"].notna()]
        if s.empty:
            continue
        last = s.iloc[-1]
        value = cells.number(last["value"], 0, "dagen") if ind.eenheid == "aantal" else cells.pct(last["value"])
        rows.append({"Indicator": _short_title(ind.titel), "Jaar": parse_period(last["period"]).label,
                     "Landelijk": value,
                     "Aantal trajecten": cells.count(last["denominator"])})
        data.append(s.tail(1))
    title = "Uitkomsten van de jeugdhulp, landelijk"
    if not scope.placed(BLOCK, "kerncijfer"):
        return Section("landelijk_uitkomsten", title,
                       text="Voor dit rapport zijn geen landelijke uitkomstcijfers gekozen.")
    if not rows:
        tables = national_tables(scope)
        named = f" ({', '.join(scope.table_label(t) for t in tables)})" if tables else ""
        return Section("landelijk_uitkomsten", title,
                       text=f"De landelijke uitkomsttabellen{named} zitten niet in deze gegevens.")
    data = pd.concat(data, ignore_index=True)
    return Section("landelijk_uitkomsten", title, table=pd.DataFrame(rows), data=data,
                   source=wording.series_source(scope.who, data, extra="Alle verwijzers samen."))


def landelijke_trend(scope: Scope) -> Section | None:
    """Trend figure of the national outcome indicators the catalogue places in block 5 as trend."""
    frames = [series(scope.ind(ind.id), ind.id, [COUNTRY_CODE]).assign(region_name=_short_title(ind.titel))
              for ind in scope.placed(BLOCK, "trend")]
    if not frames:
        return None
    data = pd.concat(frames, ignore_index=True)
    if data["value"].notna().sum() == 0:
        return None
    last = data.dropna(subset=["value"])["period"].max()
    plan = data[(data["indicator"] == PLAN) & (data["period"] == last)]["value"].dropna()
    title = (f"Landelijk {fmt.pct(plan.iloc[0])} van de trajecten volgens plan beëindigd in "
             f"{parse_period(last).label}" if len(plan) else "Uitkomsten jeugdhulp, landelijk")
    names = list(dict.fromkeys(data["region_name"]))
    unknown = scope.ind(UNKNOWN)
    unknown = unknown[(unknown["region_code"] == COUNTRY_CODE) & unknown["value"].notna()]
    breaks = [(b[0], "nieuwe tabel") for b in table_breaks(data[data["indicator"] == PLAN], COUNTRY_CODE)]
    if not unknown.empty:
        first = unknown["period_start"].min()
        breaks = [(at, label + (", 'einde onbekend'" if at == first else "")) for at, label in breaks] \
            or [(first, "'einde onbekend'")]
    spec = TrendFigure(data, title, wording.series_source(scope.who, data, extra=TREND_NOTE),
                       focus=names[0], ylabel="% van de trajecten", order=tuple(names), breaks=tuple(breaks))
    export = data[["indicator", "region_name", "period", "numerator", "denominator", "value", "source_table"]]
    return Section("landelijk_trend", title, figure=spec, data=export)


def landelijke_redenen(scope: Scope) -> Section | None:
    """Why trajecten end early (latest year, national): count and share of all early endings."""
    s = scope.ind(EARLY)
    s = s[(s["region_code"] == COUNTRY_CODE) & (s["period_type"] == "jaar")]
    if s.empty:
        return None
    last = s[s["value"].notna()]["period"].max()
    at = s[s["period"] == last]
    total = at[at["group_dim"] == "totaal"]["numerator"]
    reasons = at[at["group_dim"] == "reden"]
    if reasons.empty or total.empty:
        return None
    label = parse_period(last).label
    table = pd.DataFrame({"Reden van voortijdig afsluiten": list(reasons["group_value"]),
                          f"Aantal ({label})": [cells.count(v) for v in reasons["value"]],
                          "Aandeel": [cells.pct(v / total.iloc[0] * 100) for v in reasons["value"]]})
    return Section("landelijk_redenen_voortijdig", "Redenen van voortijdig afsluiten",
                   text="Waarom trajecten voortijdig eindigen:", table=table,
                   source=wording.source_line(scope.who, reasons["source_table"], [last]))


def landelijk_per_verwijzer(scope: Scope) -> Section | None:
    """Share ended according to plan per verwijzer (latest year, national)."""
    s = scope.ind(PLAN)
    s = s[(s["region_code"] == COUNTRY_CODE) & (s["period_type"] == "jaar") & (s["group_dim"] == "verwijzer")]
    if s.empty or s["value"].notna().sum() == 0:
        return None
    last = s[s["value"].notna()]["period"].max()
    at = s[s["period"] == last]
    table = pd.DataFrame({"Verwijzer": list(at["group_value"]),
                          f"Beëindigd volgens plan ({parse_period(last).label})": [cells.pct(v) for v in at["value"]],
                          "Beëindigde trajecten": [cells.count(v) for v in at["denominator"]]})
    return Section("landelijk_volgens_plan_verwijzer", "Volgens plan beëindigd per verwijzer",
                   text="Het aandeel dat volgens plan eindigt verschilt per verwijzer:", table=table,
                   source=wording.source_line(scope.who, at["source_table"], [last]))


def regionale_tabel(scope: Scope) -> Section:
    """Whether CBS's outcome table per gemeente is in the data (it is only available online)."""
    if REGIONAL_TABLE in scope.tables_used():
        text = f"De tabel met uitkomsten per gemeente ({scope.table_label(REGIONAL_TABLE)}) is aanwezig."
    else:
        online = "" if scope.fictitious else " (zij is alleen online op te halen)"
        text = (f"De tabel met uitkomsten per gemeente ({scope.table_label(REGIONAL_TABLE)}) zit niet in de "
                f"gebruikte gegevens{online}. Dit hoofdstuk werkt daarom met de gegevens van aanbieders en het "
                "landelijke cijfer als maatstaf.")
    return Section("landelijk_regionale_tabel", "Uitkomsten per gemeente bij CBS", text=text)


def landelijk(scope: Scope) -> list[Section]:
    """'Het landelijke beeld': table, trend, reasons for ending early, by verwijzer, regional note."""
    return [s for s in (landelijke_tabel(scope), landelijke_trend(scope), landelijke_redenen(scope),
                        landelijk_per_verwijzer(scope), regionale_tabel(scope)) if s is not None]


# --- aanbieders ---------------------------------------------------------------------------------

def _members(scope: Scope) -> list[str] | None:
    """The gemeenten of the focus region (today's indeling); None = all (the country)."""
    focus = scope.focus
    if focus.level == "gemeente":
        return [focus.code]
    current = latest_classification(scope.regions)
    if focus.level == "jeugdregio":
        return list(current.loc[current["jeugdregio_code"] == focus.code, "gemeente_code"])
    if focus.level == "samenwerkingsverband":
        return list(scope.shared.members.get(focus.code, ()))
    return None


def _file_name(scope: Scope) -> str:
    return scope.local.aanbieders.name or "het bestand"


def _without_folders(text: str, name: str | None) -> str:
    """A validation message names the file with its folders; the report is shared, so only its name."""
    if not name:
        return text
    return re.sub(r"(?<!\S)\S*[/\\]" + re.escape(name), name, text)


def provider_rows(scope: Scope) -> tuple[pd.DataFrame | None, str]:
    """(the provider rows of the focus region's gemeenten, message). None when there is no file, it is
    invalid, or it holds nothing for the focus region; the message says which."""
    own = scope.local.aanbieders
    if own.frame is None:
        if own.problem:
            problem = _without_folders(own.problem, own.name)
            return None, f"Het bestand met uitkomsten van aanbieders is niet te gebruiken. {problem}"
        return None, NO_PROVIDER_FILE
    members = _members(scope)
    df = own.frame if members is None else own.frame[own.frame["gemeente_code"].isin(members)]
    if df.empty:
        return None, f"Het bestand {_file_name(scope)} bevat geen trajecten voor {scope.focus.name}."
    return df, f"Gegevens van {df['aanbieder'].nunique()} aanbieders uit {_file_name(scope)}."


def aanbieders_intro(scope: Scope) -> Section:
    """Which provider file is used; without usable rows: what to collect and the template."""
    df, message = provider_rows(scope)
    if df is not None:
        return Section("aanbieders_bestand", "Uitkomsten per aanbieder", text=message)
    paragraphs = [p.strip() for p in message.splitlines() if p.strip()]
    if message == NO_PROVIDER_FILE:  # for partners one line; the template is for the analyst
        return Section("aanbieders_bestand", "Uitkomsten per aanbieder", text=message)
    text = "\n\n".join([*paragraphs, TEMPLATE_INTRO])
    return Section("aanbieders_bestand", "Uitkomsten per aanbieder", text=text, table=template_table("aanbieders"),
                   detail=True)


def aanbieders_sjabloon(scope: Scope) -> Section | None:
    """For the analyst, without a provider file: what to ask providers and the template's columns."""
    own = scope.local.aanbieders
    if own.frame is not None or own.problem:
        return None
    return Section("aanbieders_sjabloon", "Sjabloon voor uitkomsten per aanbieder",
                   text=FOR_ANALYST + "\n\n" + TEMPLATE_INTRO, table=template_table("aanbieders"), detail=True,
                   for_analyst=True)


def latest_year(df: pd.DataFrame) -> str:
    years = [p for p in df["periode"].unique() if parse_period(p).type == "jaar"]
    return max(years) if years else max(df["periode"])


def provider_who(scope: Scope) -> str:
    return "fictieve gegevens van aanbieders (Demoland)" if scope.fictitious else \
        "gegevens van aanbieders (spiegelrapportages)"


def _named(provider: str) -> str:
    return provider if provider.lower().startswith("aanbieder") else f"Aanbieder {provider}"


def provider_signals(verdicts: pd.DataFrame, measure: str, year: str) -> tuple[Signal, ...]:
    """One signal per provider outside the 99,8 % limits (columns code, oordeel_998), alphabetical: the
    level at which the report calls any difference uitzonderlijk. The 95 % limits stay in the figure and
    the table, as a first look, but put nothing on the agenda (with six providers and five measures they
    would give a signal by chance alone in about 40 % of reports)."""
    m = provider_data.MEASURES[measure]
    phrase = MEASURE_PHRASE.get(measure, m.titel[:1].lower() + m.titel[1:])
    label = parse_period(year).label
    out = verdicts[verdicts["oordeel_998"] != "binnen de grenzen"].sort_values("code")
    return tuple(Signal(block=BLOCK, subject=m.titel, kind="buiten de grenzen", period=year,
                        text=f"{_named(p)} valt {v.replace('grenzen', '99,8 %-grenzen')} voor {phrase} ({label}).",
                        section=f"aanbieders_{measure}")
                 for p, v in zip(out["code"], out["oordeel_998"]))


def _limits_cell(v95: str, v998: str) -> str:
    """Where a provider lies: 'binnen de grenzen', 'onder de 95 %-grenzen' or 'onder de 99,8 %-grenzen
    (uitzonderlijk)'."""
    if v998 != "binnen de grenzen":
        return v998.replace("grenzen", "99,8 %-grenzen (uitzonderlijk)")
    if v95 != "binnen de grenzen":
        return v95.replace("grenzen", "95 %-grenzen")
    return v95


def aanbieder_trechter(scope: Scope, measure: str, df: pd.DataFrame | None = None) -> Section | None:
    """One outcome measure, latest year: sentence, funnel figure, table per provider (alphabetical,
    small providers shown as '< drempel' without numbers), the data and a signal per provider outside
    the 95 % limits. None without provider rows. ``df`` = provider rows when already selected."""
    if df is None:
        df, _ = provider_rows(scope)
        if df is None:
            return None
    m = provider_data.MEASURES[measure]
    sid = f"aanbieders_{measure}"
    year = latest_year(df)
    label = parse_period(year).label
    r = provider_data.rates(df[df["periode"] == year], measure, ["aanbieder"], scope.threshold)
    ok = r[r["getoond"]]
    if len(ok) < 2:
        return Section(sid, m.titel, heading=3, data=r,
                       text=f"{m.titel}: te weinig aanbieders met genoeg trajecten voor een vergelijking.")
    units = pd.DataFrame({"code": ok["aanbieder"], "name": ok["aanbieder"], "k": ok["k"], "n": ok["n"]})
    table, par = funnel_table(units)
    verdict = {c: _limits_cell(a, b) for c, a, b in zip(table["code"], table["oordeel_95"], table["oordeel_998"])}
    counts = table["oordeel_95"].value_counts()
    title = (f"{m.titel} {label}: {counts.get('binnen de grenzen', 0)} van {len(table)} aanbieders binnen de "
             "95 %-grenzen")
    caption = wording.source_line(
        provider_who(scope), periods=[year],
        extra=f"Grenzen rond het gemiddelde van deze aanbieders ({fmt.pct(par['p_bar'] * 100)})"
              + (", verbreed voor overdispersie." if par["overdispersie"] else "."))
    spec = FunnelFigure(table.reset_index(drop=True), title, caption, p_bar=par["p_bar"],
                        curve=limit_curve(par["p_bar"], table["n"].min(), table["n"].max(), par["tau2"]),
                        focus_code=None, xlabel="aantal beëindigde trajecten", points="aanbieders",
                        ylabel="% van de trajecten")
    shown = pd.DataFrame({
        "Aanbieder": list(r["aanbieder"]),
        "Trajecten": [cells.below(scope.threshold) if k else cells.count(n) for k, n in zip(r["klein"], r["n"])],
        m.titel: [cells.pct(v * 100) if ok else cells.too_small(reason=SMALL_COUNT.format(t=scope.threshold))
                  for ok, v in zip(r["getoond"], r["rate"])],
        "95 %-marge": [cells.margin(lo * 100, hi * 100) if ok else None
                       for ok, lo, hi in zip(r["getoond"], r["lo"], r["hi"])],
        "Ten opzichte van de grenzen": [verdict.get(a, "–") if ok else "niet beoordeeld (te klein)"
                                        for ok, a in zip(r["getoond"], r["aanbieder"])],
    })
    if measure == "tevredenheid":
        resp = provider_data.rates(df[df["periode"] == year], "respons", ["aanbieder"], scope.threshold).set_index("aanbieder")
        shown.insert(3, "Respons", [cells.pct(resp["rate"].get(a) * 100) if pd.notna(resp["rate"].get(a)) else None
                                    for a in r["aanbieder"]])
    sentence = (f"{m.titel}, {label}: per aanbieder met een 95 %-marge, in alfabetische volgorde. Binnen de grenzen "
                "betekent dat het verschil met het gemiddelde past bij de gebruikelijke spreiding; buiten de "
                "95 %-grenzen is een reden om door te vragen, buiten de 99,8 %-grenzen is het verschil uitzonderlijk "
                "en komt het op de agenda van blok 6.")
    if measure == "tevredenheid":
        sentence += " Lees tevredenheid altijd samen met de respons: bij een lage respons zegt het percentage weinig."
    export = r.assign(oordeel=[verdict.get(a) for a in r["aanbieder"]], periode=year)
    return Section(sid, m.titel, heading=3, text=sentence, figure=spec, table=shown, data=export,
                   signals=provider_signals(table, measure, year))


def aanbieders_trechters(scope: Scope) -> list[Section]:
    """A funnel section per measure of :data:`PROVIDER_MEASURES` (none without provider rows)."""
    df, _ = provider_rows(scope)
    if df is None:
        return []
    return [aanbieder_trechter(scope, measure, df) for measure in PROVIDER_MEASURES]


def aanbieders(scope: Scope) -> list[Section]:
    """'Uitkomsten per aanbieder': which file, then a section per measure (or the template)."""
    return [s for s in (aanbieders_intro(scope), aanbieders_sjabloon(scope), *aanbieders_trechters(scope)) if s]


def aanbieders_trend(scope: Scope, measure: str = "volgens_plan") -> Section | None:
    """Trend per provider over the full years (years below the privacy threshold left out)."""
    df, _ = provider_rows(scope)
    if df is None:
        return None
    m = provider_data.MEASURES[measure]
    years = df[[parse_period(p).type == "jaar" for p in df["periode"]]]
    if years.empty:
        return None
    r = provider_data.rates(years, measure, ["aanbieder", "periode"], scope.threshold)
    r = r[r["getoond"]].copy()
    if r["periode"].nunique() < 2:
        return None
    r["value"] = r["rate"] * 100
    r["period_start"] = [pd.Timestamp(parse_period(p).start) for p in r["periode"]]
    names = sorted(r["aanbieder"].unique())
    title = f"{m.titel} per aanbieder, {wording.period_span(r['periode'])}"
    caption = wording.source_line(provider_who(scope), periods=r["periode"],
                                  extra="Jaren met minder trajecten dan de privacydrempel ontbreken.")
    spec = TrendFigure(r, title, caption, focus=names[0], ylabel="% van de trajecten", series="aanbieder",
                       order=tuple(names))
    return Section(f"aanbieders_trend_{measure}", title, figure=spec,
                   data=r.drop(columns=["period_start"]).reset_index(drop=True))


def per_zorgvorm(scope: Scope) -> Section | None:
    """Outcomes per zorgvorm, all providers together, latest year (small groups: 'te klein')."""
    df, _ = provider_rows(scope)
    if df is None:
        return None
    year = latest_year(df)
    rows = []
    for measure in ZORGVORM_MEASURES:
        r = provider_data.rates(df[df["periode"] == year], measure, ["zorgvorm"], scope.threshold)
        for z in r.itertuples(index=False):
            shown = (cells.pct(z.rate * 100) if z.getoond
                     else cells.too_small(reason=SMALL_COUNT.format(t=scope.threshold)))
            rows.append({"Zorgvorm": z.zorgvorm, "Indicator": provider_data.MEASURES[measure].titel,
                         "Jaar": parse_period(year).label, "Percentage": shown})
    return Section("aanbieders_zorgvorm", "Uitkomsten per zorgvorm", text="Uitkomsten per zorgvorm (alle aanbieders samen):",
                   table=pd.DataFrame(rows), source=wording.source_line(provider_who(scope), periods=[year]))


def ontwikkeling(scope: Scope) -> list[Section]:
    """'Ontwikkeling en zorgvormen': the trend per provider and the table per zorgvorm."""
    df, _ = provider_rows(scope)
    if df is None:
        return [Section("aanbieders_ontwikkeling", "Ontwikkeling en zorgvormen",
                        text="Zonder gegevens van aanbieders zijn er geen trends per aanbieder.")]
    return [s for s in (aanbieders_trend(scope), per_zorgvorm(scope)) if s is not None]


def signalen(scope: Scope) -> list[Signal]:
    """Block 5's 'wat valt op': every provider outside the 95 % limits, per measure."""
    return [sig for sec in aanbieders_trechters(scope) for sig in sec.signals]


# --- bijlage ------------------------------------------------------------------------------------

def bronnen(scope: Scope) -> Section:
    """The CBS tables behind the national outcome figures that are in the data."""
    used = scope.tables_used()
    return bijlage.bronnen(scope, [t for t in national_tables(scope) if t in used])
