"""Outcome data from providers (spiegelrapportages): the measures and their rates.

A gemeente receives per aanbieder, gemeente, period and zorgvorm the counts of the harmonised
outcome indicators (see ``templates/aanbieders_uitkomsten.csv`` and docs/templates.md). The file is
read and validated once, as one of the gemeente's own files (``kompas_lib.sources.local``, with
``sjablonen.load(path, "aanbieders", known)``; the empty template is ``sjablonen.template("aanbieders")``).
Rates come with Wilson intervals; cells below the privacy threshold are never shown or exported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kompas_lib.analysis.methods.uncertainty import wilson
from kompas_lib.sources.sjablonen import SPECS, TemplateError

COLUMNS = SPECS["aanbieders"].names
ProviderDataError = TemplateError  # the provider file is validated like every other template


@dataclass(frozen=True)
class Measure:
    id: str
    titel: str
    teller: list[str]
    noemer: str
    polariteit: str


MEASURES = {
    "volgens_plan": Measure("volgens_plan", "Beëindigd volgens plan", ["beeindigd_volgens_plan"], "trajecten_beeindigd", "hoger_beter"),
    "voortijdig": Measure("voortijdig", "Voortijdig afgesloten (uitval)",
                          ["voortijdig_eenzijdig_client", "voortijdig_eenzijdig_aanbieder", "voortijdig_overig"],
                          "trajecten_beeindigd", "lager_beter"),
    "herhaald_beroep_12mnd": Measure("herhaald_beroep_12mnd", "Herhaald beroep binnen 12 maanden",
                                     ["herhaald_beroep_12mnd"], "trajecten_beeindigd", "lager_beter"),
    "tevredenheid": Measure("tevredenheid", "Cliënttevredenheid (positief oordeel)", ["tevredenheid_positief"],
                            "tevredenheid_respons", "hoger_beter"),
    "respons": Measure("respons", "Respons op de tevredenheidsvraag", ["tevredenheid_respons"], "trajecten_beeindigd",
                       "hoger_beter"),
    "doelrealisatie": Measure("doelrealisatie", "Doelrealisatie (doelen bereikt)", ["doel_bereikt"], "doel_gemeten",
                              "hoger_beter"),
}


def rates(df: pd.DataFrame, measure: str, by: list[str], threshold: int) -> pd.DataFrame:
    """k, n, rate and Wilson interval per group, with what privacy allows to show.

    ``klein``: n below ``threshold`` — the group carries no numbers at all. ``teller_klein``: n is large
    enough, but the count k or its complement n − k is below ``threshold`` — n may be shown, but k, the
    rate and its interval are blank (from n and a rate anyone could derive k). ``getoond``: neither; only
    these groups are shown, plotted, exported with their rate, and used for funnel limits."""
    m = MEASURES[measure]
    g = df.assign(_k=df[m.teller].sum(axis=1), _n=df[m.noemer]).groupby(by, sort=True)[["_k", "_n"]].sum().reset_index()
    g = g.rename(columns={"_k": "k", "_n": "n"})
    g["klein"] = g["n"] < threshold
    g["teller_klein"] = ~g["klein"] & ((g["k"] < threshold) | (g["n"] - g["k"] < threshold))
    g["getoond"] = ~(g["klein"] | g["teller_klein"])
    lo, hi = wilson(g["k"], g["n"].where(g["n"] > 0))
    g["rate"], g["lo"], g["hi"] = g["k"] / g["n"], lo, hi
    g.loc[g["klein"], "n"] = np.nan
    g.loc[~g["getoond"], ["k", "rate", "lo", "hi"]] = np.nan
    g.insert(0, "indicator", measure)
    return g
