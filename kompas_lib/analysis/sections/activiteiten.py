"""Block 3 — activities: which activities and partners serve which result, and where the gaps are.

Output (bereik, trajecten) and throughput (wachttijd, doorlooptijd) describe what is done, not what it
achieves: they are labelled as output, never as effect.

:func:`secties` is the block's builder; :func:`coverage`, :func:`output_trend` and
:func:`shown_overview` are pure helpers on the validated activities frame.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.figures import TrendFigure
from kompas_lib.analysis.section import Section, Signal
from kompas_lib.analysis.sections.sjabloon import missing_file_sections
from kompas_lib.analysis.wording import own_data_who, period_span, source_line
from kompas_lib.analysis import cells

NO_FILE = ("Er is nog geen bestand met activiteiten. Verzamel per activiteit: partner, type (preventie, "
           "basisvoorziening, eerstelijn, intensief), de resultaten die ze dient, de beleidstheorie in één zin en "
           "per periode bereik, trajecten, wachttijd en doorlooptijd. Het sjabloon heeft deze kolommen:")
FOR_PARTNERS = ("Dit blok is nog leeg: er zijn nog geen gegevens over activiteiten. Wat we partners vragen aan te "
                "leveren: per activiteit wie haar uitvoert, voor welk resultaat ze werkt, en per jaar het bereik, het "
                "aantal trajecten en de wachttijd.")
NO_RESULTS = ("Er zijn nog geen resultaten vastgelegd (blok 2); activiteiten kunnen daarom nergens aan gekoppeld "
              "worden. Eerst komen de ambities en resultaten.")


def result_ids(params) -> dict[str, str]:
    return {r.id: r.titel for a in params.ambities for r in a.resultaten}


def coverage(activities: pd.DataFrame, results: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(results with their activities, results without any activity = gaps, activities serving no
    known result). Pure: works on the validated activities frame and the result ids of the params."""
    acts = activities.drop_duplicates(["activiteit", "partner"])
    links = acts.explode("resultaten")
    served = links[links["resultaten"].isin(results)]
    per_result = pd.DataFrame([
        {"resultaat": rid, "titel": title,
         "activiteiten": sorted(served.loc[served["resultaten"] == rid, "activiteit"].unique())}
        for rid, title in results.items()], columns=["resultaat", "titel", "activiteiten"])
    gaps = per_result[per_result["activiteiten"].map(len) == 0][["resultaat", "titel"]].reset_index(drop=True)
    known = acts["resultaten"].map(lambda ids: any(i in results for i in ids))
    orphans = acts[~known][["activiteit", "partner", "type", "resultaten"]].reset_index(drop=True)
    return per_result, gaps, orphans


def output_trend(activities: pd.DataFrame) -> pd.DataFrame:
    """Output and throughput per type of activity and period (sums of bereik/trajecten, mean waiting times)."""
    g = activities.groupby(["type", "periode"], sort=True)
    return g.agg(bereik=("bereik", "sum"), trajecten=("trajecten", "sum"), wachttijd_dagen=("wachttijd_dagen", "mean"),
                 doorlooptijd_dagen=("doorlooptijd_dagen", "mean"), activiteiten=("activiteit", "nunique")).reset_index()


def shown_overview(activities: pd.DataFrame, results: dict[str, str]) -> pd.DataFrame:
    latest = activities[activities["periode"] == activities["periode"].max()]
    return pd.DataFrame({
        "Activiteit": latest["activiteit"], "Partner": latest["partner"], "Type": latest["type"],
        "Voor resultaat": [", ".join(i for i in ids if i in results) or "geen bekend resultaat" for ids in latest["resultaten"]],
        "Beleidstheorie": latest["beleidstheorie"],
        "Bereik (output)": [cells.count(v) for v in latest["bereik"]],
        "Wachttijd (dagen)": [cells.number(v, 0) for v in latest["wachttijd_dagen"]],
    })


def _per_result_section(per_result: pd.DataFrame, results: dict[str, str], source: str) -> Section:
    shown = (per_result.assign(activiteiten=per_result["activiteiten"].map(lambda a: ", ".join(a) or "–"))
             .rename(columns={"resultaat": "Resultaat", "titel": "Titel", "activiteiten": "Activiteiten"}))
    data = per_result.assign(activiteiten=per_result["activiteiten"].map(", ".join))
    return Section(id="activiteiten_per_resultaat", title="Welke resultaten hebben activiteiten?", heading=3,
                   text="" if results else NO_RESULTS, table=shown, data=data, source=source)


def _gaps_section(gaps: pd.DataFrame, period: str) -> Section | None:
    if gaps.empty:
        return None
    signals = tuple(
        Signal(block=3, subject=f"{r.resultaat} · {r.titel}", kind="witte vlek", period=period,
               text=f"Voor resultaat {r.resultaat} · {r.titel} is geen enkele activiteit bekend (witte vlek).",
               section="activiteiten_per_resultaat")
        for r in gaps.itertuples())
    text = ("**Witte vlekken:** deze resultaten hebben geen enkele activiteit: "
            + "; ".join(f"{r.resultaat} ({r.titel})" for r in gaps.itertuples()) + ".")
    return Section(id="witte_vlekken", title="Witte vlekken", text=text, signals=signals)


def _orphans_section(orphans: pd.DataFrame) -> Section | None:
    if orphans.empty:
        return None
    text = ("**Activiteiten zonder resultaat:** deze activiteiten dienen geen bekend resultaat — horen ze bij een "
            "ambitie die nog niet is uitgewerkt, of kunnen ze anders? " + "; ".join(orphans["activiteit"]) + ".")
    return Section(id="activiteiten_zonder_resultaat", title="Activiteiten zonder resultaat", text=text)


def _output_section(trend: pd.DataFrame, who: str) -> Section:
    title = "Bereik per type activiteit (output, geen effect)"
    source = source_line(who, (), trend["periode"])
    figure = None
    if trend["periode"].nunique() > 1:
        types = sorted(trend["type"].unique())
        figure = TrendFigure(trend, title, source, x="periode", y="bereik", series="type", focus=types[0],
                             order=tuple(types), ylabel="bereik (aantal)", percent=False)
    return Section(id="output_per_type", title=title, data=trend, figure=figure, source=source)


def secties(scope: Scope) -> list[Section]:
    """Block 3: without a usable file what to collect (or what is wrong); otherwise which results have
    activities, the gaps (signals 'witte vlek'), activities without a result, the latest overview and
    the output per type of activity."""
    own = scope.local.activiteiten
    if not own.present:
        return missing_file_sections("activiteiten", "activiteiten", NO_FILE, own, FOR_PARTNERS)
    data = own.frame
    who = own_data_who(scope.fictitious)
    results = result_ids(scope.params)
    per_result, gaps, orphans = coverage(data, results)
    latest = data["periode"].max()
    sections = [
        _per_result_section(per_result, results, source_line(who, (), data["periode"])),
        _gaps_section(gaps, period_span(data["periode"])),
        _orphans_section(orphans),
        Section(id="activiteiten_overzicht", title="Overzicht van de activiteiten (laatste periode)", heading=3,
                table=shown_overview(data, results), source=source_line(who, (), [latest])),
        _output_section(output_trend(data), who),
    ]
    return [s for s in sections if s is not None]
