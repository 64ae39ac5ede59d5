"""Block 4 — wachttijden: how long clients wait from aanmelding to the start of help, per aanbieder and
zorgvorm (template ``wachttijden.csv``; seed 4: the rekenkamer's first question after the money).

Providers are listed alphabetically, never ranked. A row whose number of clients who started is below
the privacy threshold shows neither that number nor its median wait (a median of a handful of clients
tells about individuals); the same holds for the number still waiting.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis import cells, wording
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section
from kompas_lib.analysis.sections.sjabloon import missing_file_sections
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period

TITLE = "Wachttijden: van aanmelding tot start van de hulp"
NO_FILE = ("Er is nog geen bestand met wachttijden. Vraag aanbieders per periode en zorgvorm hoeveel cliënten met de "
           "hulp begonnen, hoeveel weken het van aanmelding tot start duurde (de mediaan) en hoeveel cliënten aan het "
           "eind van de periode nog wachtten. Het sjabloon heeft deze kolommen:")
FOR_PARTNERS = ("Wachttijden zijn nog niet in beeld. Wat we aanbieders vragen aan te leveren: per periode en zorgvorm "
                "het aantal cliënten dat begon, de mediane wachttijd van aanmelding tot start in weken, en hoeveel "
                "cliënten aan het eind van de periode nog wachtten.")
CAUTION = ("Een wachttijd zegt iets over de toegang tot de hulp, niet over de kwaliteit ervan; aanbieders met zware "
           "of schaarse hulp hebben vaak langere wachttijden. Vergelijk ze daarom niet als ranglijst, maar vraag "
           "wat er nodig is om cliënten sneller te helpen.")
PERIODS_SHOWN = 4


def _order(period: str) -> tuple:
    p = parse_period(period)
    return p.start, p.end


def table(df: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """One row per aanbieder and zorgvorm (alphabetical): the median wait in each of the latest
    :data:`PERIODS_SHOWN` periods, and clients started and still waiting in the latest period. Below
    ``threshold`` clients: no number and no median."""
    periods = sorted(df["periode"].dropna().unique(), key=_order)[-PERIODS_SHOWN:]
    last = periods[-1]
    rows, data = [], []
    for (provider, form), g in df.sort_values(["aanbieder", "zorgvorm"]).groupby(["aanbieder", "zorgvorm"], sort=True):
        by = g.set_index("periode")
        row = {"Aanbieder": provider, "Zorgvorm": form}
        for p in periods:
            small = p in by.index and by.at[p, "clienten_gestart"] < threshold
            median = by["wachttijd_mediaan_weken"].get(p)
            row[f"Weken {parse_period(p).label}"] = (cells.too_small(reason=f"minder dan {threshold} cliënten begonnen")
                                                     if small else cells.number(median, 1))
            data.append({"aanbieder": provider, "zorgvorm": form, "periode": p,
                         "clienten_gestart": None if small or p not in by.index else by.at[p, "clienten_gestart"],
                         "wachttijd_mediaan_weken": None if small else median,
                         "wachtend_einde_periode": (None if p not in by.index or pd.isna(by.at[p, "wachtend_einde_periode"])
                                                    or by.at[p, "wachtend_einde_periode"] < threshold
                                                    else by.at[p, "wachtend_einde_periode"])})
        started = by["clienten_gestart"].get(last)
        waiting = by["wachtend_einde_periode"].get(last)
        row["Begonnen (laatste periode)"] = None if started is None else cells.suppressed_count(started, threshold)
        row["Nog wachtend (eind laatste periode)"] = (None if waiting is None or pd.isna(waiting)
                                                     else cells.suppressed_count(waiting, threshold))
        rows.append(row)
    return pd.DataFrame(rows), pd.DataFrame(data), periods


def _text(df: pd.DataFrame, periods: list[str], threshold: int) -> str:
    last = periods[-1]
    now = df[(df["periode"] == last) & (df["clienten_gestart"] >= threshold)]
    label = parse_period(last).label
    if now.empty:
        return (f"In {label} begonnen bij elke aanbieder en zorgvorm minder dan {threshold} cliënten; daarom staan er "
                "geen wachttijden voor die periode. " + CAUTION)
    started = now["clienten_gestart"].sum()  # only rows that are shown: the rest could be told by difference
    low, high = now["wachttijd_mediaan_weken"].min(), now["wachttijd_mediaan_weken"].max()
    text = (f"In {label} begonnen {fmt.count(started)} cliënten met hulp bij de aanbieders en zorgvormen met ten minste "
            f"{threshold} cliënten. De mediane "
            f"wachttijd van aanmelding tot start lag per aanbieder en zorgvorm tussen {fmt.number(low, 1)} en "
            f"{fmt.number(high, 1)} weken")
    if len(periods) > 1:
        first = df[(df["periode"] == periods[0]) & (df["clienten_gestart"] >= threshold)]
        both = first.merge(now, on=["aanbieder", "zorgvorm"], suffixes=("_a", "_b"))
        longer = int((both["wachttijd_mediaan_weken_b"] > both["wachttijd_mediaan_weken_a"] + 1).sum())
        if len(both):
            text += (f"; bij {longer} van de {len(both)} combinaties is de wachttijd sinds "
                     f"{parse_period(periods[0]).label} meer dan een week langer geworden")
    return text + ". " + CAUTION


def secties(scope: Scope) -> list[Section]:
    """Block 4's wachttijden: the table per aanbieder and zorgvorm, or what to collect (or what is wrong)."""
    own = scope.local.wachttijden
    if not own.present:
        return missing_file_sections("wachttijden", "wachttijden", NO_FILE, own, FOR_PARTNERS)
    df = own.frame
    if df.empty:
        return [Section("wachttijden", TITLE, heading=2, text="Het bestand met wachttijden heeft nog geen regels.")]
    shown, data, periods = table(df, scope.threshold)
    return [Section("wachttijden", TITLE, heading=2, text=_text(df, periods, scope.threshold), table=shown,
                    data=data, source=wording.source_line(wording.own_data_who(scope.fictitious), (), periods),
                    caption=f"Mediane wachttijd in weken van aanmelding tot start. Bij minder dan {scope.threshold} "
                            "begonnen cliënten staan het aantal en de wachttijd er niet (privacy). Aanbieders op "
                            "alfabet, geen ranglijst.")]
