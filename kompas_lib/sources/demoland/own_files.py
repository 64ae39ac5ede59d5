"""Demoland's own files: what a gemeente keeps itself, in the layout of the templates in
``kompas_lib/templates`` (activities, input quality, a local indicator, the previous cycle's duiding
and actions, providers' outcomes) and the list of herindelingen. Semicolon-separated CSV in the
folder root; Waterveen (GM9001) is the gemeente the training material is about.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core import io
from kompas_lib.sources.demoland.country import MERGE_YEAR, MERGED, SUCCESSOR, gemeenten_in

ACTIVITIES = [  # (activiteit, partner, type, resultaten, beleidstheorie, base reach)
    ("Voorschoolse opvoedondersteuning", "Consultatiebureau Demoland", "preventie", "R1",
     "Ouders die vroeg steun krijgen, komen minder vaak in een crisis.", 600),
    ("Praktijkondersteuner jeugd bij de huisarts", "Huisartsen Waterveen", "eerstelijn", "R1|R3",
     "Lichte hulp dichtbij voorkomt verwijzing naar zwaardere zorg.", 320),
    ("Schoolmaatschappelijk werk", "Samenwerkingsverband VO", "basisvoorziening", "R2",
     "Vroeg signaleren op school houdt jongeren in het onderwijs.", 450),
    ("Intensieve gezinsbegeleiding", "Jeugdhulp De Linde", "intensief", "R1",
     "Intensieve hulp thuis voorkomt uithuisplaatsing.", 60),
    ("Sportstimulering in de wijk", "Sportbedrijf Waterveen", "preventie", "",
     "Meer bewegen versterkt weerbaarheid (nog aan geen resultaat gekoppeld).", 900),
]


def _activiteiten(out: Path, rng) -> None:
    rows = []
    for y in range(2021, 2025):
        for name, partner, kind, res, theory, reach in ACTIVITIES:
            r = reach * (1 + 0.06 * (y - 2021)) * np.exp(rng.normal(0, 0.05))
            traj = round(r * 0.6) if kind in ("eerstelijn", "intensief") else ""
            rows.append((name, partner, kind, res, theory, str(y), round(r), traj,
                         round(rng.uniform(5, 40)), round(rng.uniform(40, 200))))
    df = pd.DataFrame(rows, columns=["activiteit", "partner", "type", "resultaten", "beleidstheorie", "periode", "bereik",
                                     "trajecten", "wachttijd_dagen", "doorlooptijd_dagen"])
    io.write_csv(df, out / "activiteiten.csv", sep=";", encoding="utf-8", index=False)


def _inputkwaliteit(out: Path, rng) -> None:
    rows = []
    for provider in PROVIDERS:
        staff = int(rng.integers(25, 120))
        for y in range(2022, 2025):
            interventions = int(rng.integers(8, 30))
            rows += [
                (provider, str(y), "effectieve_interventies", int(interventions * rng.uniform(0.4, 0.9)), interventions),
                (provider, str(y), "geregistreerde_professionals", int(staff * rng.uniform(0.75, 0.98)), staff),
                (provider, str(y), "caseload", round(staff * rng.uniform(10, 16)), staff),
                (provider, str(y), "verloop_personeel", int(staff * rng.uniform(0.08, 0.22)), staff),
                (provider, str(y), "scholing", int(staff * rng.uniform(0.4, 0.9)), staff),
            ]
    df = pd.DataFrame(rows, columns=["aanbieder", "periode", "indicator", "teller", "noemer"])
    io.write_csv(df, out / "inputkwaliteit.csv", sep=";", encoding="utf-8", index=False)


def _lokale_indicatoren(out: Path, rng) -> None:
    """A local indicator for the demo params: share of youths reached by the wijkteam within 2 weeks."""
    rows = []
    for y in range(2020, 2025):
        n = int(rng.integers(380, 460))
        rows.append(("binnen_twee_weken_geholpen", str(y), int(n * (0.62 + 0.035 * (y - 2020))), n, ""))
    df = pd.DataFrame(rows, columns=["indicator", "periode", "teller", "noemer", "waarde"])
    io.write_csv(df, out / "lokale_indicatoren.csv", sep=";", encoding="utf-8", index=False)


# Block 6 — a previous cycle in Waterveen (GM9001): what partners said about its signals, and the
# actions they agreed. Fixed rows (no random numbers): the other demo gemeenten read the same files and
# simply do not match most rows.
DUIDING = [  # blok, onderwerp, periode, datum, aanwezig, herkennen, verklaren, vinden, nodig, stem_rol, stem_citaat
    ("2", "R2", "", "2025-03-12", "Leerplicht, RBL, twee vo-scholen, wijkteam, jongerenraad",
     "Ja. Scholen zien vooral jongeren in het mbo die in het eerste jaar afhaken.",
     "Na de overstap naar het mbo valt de begeleiding weg; wachttijden bij de jeugd-ggz spelen mee.",
     "Niet acceptabel: het doel van 1,5 % komt zo niet in zicht.",
     "Een warme overdracht van vo naar mbo en sneller hulp bij schoolverzuim.", "", ""),
    ("2", "R2", "", "2025-03-12", "", "", "", "", "", "jongere",
     "Op het mbo wist niemand dat ik op mijn vorige school hulp had. Ik moest alles opnieuw vertellen."),
    ("2", "R2", "", "2025-03-12", "", "", "", "", "", "professional",
     "We zien ze pas als ze al weken niet meer komen."),
    ("3", "R4", "", "2025-03-12", "Beleid onderwijs en jeugd, samenwerkingsverband VO, wijkteam",
     "Ja: er is geen activiteit die scholen en jeugdhulp echt samenbrengt.",
     "Het resultaat is nieuw; er is nog niemand die het trekt.",
     "Een gemis: scholen vragen er zelf om.",
     "Een trekker aanwijzen en één route beschrijven, met scholen en jeugdhulp samen.", "ouder",
     "Ik heb mijn verhaal bij vier loketten moeten doen."),
    ("5", "Beëindigd volgens plan", "2023", "2024-02-20", "Contractmanagement, Jeugdhulp De Linde",
     "Deels: de aanbieder had meer zware gezinnen gekregen.", "Meer verwijzingen met jeugdbescherming.",
     "Geen reden om af te rekenen, wel om te volgen.", "Casuïstiekoverleg met de toegang.", "", ""),
]
ACTIES = [  # actie, aanspreekpunt, voor, blok, onderwerp, indicator, start, evaluatie, status, evaluatie
    ("Verzuimspreekuur op alle vo-scholen", "Teamleider leerplicht", "gemeente", "2", "R2", "vsv",
     "2023-09-01", "2024-07-01", "afgerond", "Spreekuur draait op vijf van de zes scholen; loopt door als gewoon werk."),
    ("Warme overdracht van vo naar mbo", "Coördinator RBL", "gemeente", "2", "R2", "vsv",
     "2025-04-01", "2027-07-01", "lopend", ""),
    ("Eén ondersteuningsroute school en jeugdhulp beschrijven", "Beleidsadviseur onderwijs en jeugd", "gemeente",
     "3", "R4", "", "2025-04-01", "2025-12-01", "lopend", ""),
    ("Casuïstiekoverleg met de toegang over afsluiten volgens plan", "Kwaliteitsmedewerker Jeugdhulp De Linde",
     "aanbieder", "5", "Beëindigd volgens plan", "", "2024-03-01", "2024-12-31", "open", ""),
    ("Gezinsaanpak bij dreigende ondertoezichtstelling", "Teamleider wijkteam", "gemeente", "2", "R1",
     "pct_jeugdbescherming", "2022-01-15", "2027-01-15", "lopend", ""),
]


def _verbetercyclus(out: Path) -> None:
    d = pd.DataFrame(DUIDING, columns=["blok", "onderwerp", "periode", "datum", "aanwezig", "herkennen", "verklaren",
                                       "vinden", "nodig", "stem_rol", "stem_citaat"])
    io.write_csv(d, out / "duiding.csv", sep=";", encoding="utf-8", index=False)
    a = pd.DataFrame(ACTIES, columns=["actie", "aanspreekpunt", "voor", "blok", "onderwerp", "indicator", "startdatum",
                                      "evaluatiedatum", "status", "evaluatie"])
    io.write_csv(a, out / "verbeteracties.csv", sep=";", encoding="utf-8", index=False)


PROVIDERS = ["Jeugdhulp De Linde", "Stichting Opgroeien Demo", "Kompaan Jeugdzorg", "De Brug Ambulant",
             "Gezinshuis Het Anker", "Jeugd-GGZ Horizon"]
# training material: De Linde ends clearly fewer trajectories as planned (outside the funnel limits);
# Het Anker is small (a few trajectories a year): its share wobbles, but stays inside the limits
PROVIDER_QUALITY = [-1.1, 0.3, 0.3, 0.25, 0.1, 0.3]
PROVIDER_SIZE = [1.5, 1.0, 0.8, 0.6, 0.1, 0.5]
UNKNOWN_END = 0.06  # 'einde onbekend', as in CBS's outcome tables


def _aanbieders(out: Path, g: pd.DataFrame, rng) -> None:
    rows = []
    latest = gemeenten_in(g, 2024)
    for p_i, provider in enumerate(PROVIDERS):  # every provider serves every gemeente (blocks 4 and 5 agree)
        quality = PROVIDER_QUALITY[p_i]
        for row in latest.itertuples(index=False):
            for y in range(2019, 2025):
                for zorgvorm in ("ambulant", "daghulp", "verblijf"):
                    size = row.inwoners / 4000 * (0.3 if zorgvorm == "verblijf" else 1.0) * PROVIDER_SIZE[p_i]
                    n = int(rng.poisson(max(size, 0.3)))
                    unknown = rng.binomial(n, UNKNOWN_END)
                    plan = rng.binomial(n - unknown, 1 / (1 + np.exp(-(0.85 + quality))))
                    early = n - unknown - plan
                    client = rng.binomial(early, 0.45)
                    aanb = rng.binomial(early - client, 0.4)
                    resp = rng.binomial(n, 0.45)
                    h6 = rng.binomial(n, 0.07)  # herhaald beroep within 6 months is part of that within 12
                    rows.append((provider, row.code, str(y), zorgvorm, n, plan, client, aanb, early - client - aanb,
                                 h6, h6 + rng.binomial(n - h6, 0.06), resp, rng.binomial(resp, 0.82),
                                 (m := rng.binomial(n, 0.7)), rng.binomial(m, 0.75)))
    df = pd.DataFrame(rows, columns=[
        "aanbieder", "gemeente_code", "periode", "zorgvorm", "trajecten_beeindigd", "beeindigd_volgens_plan",
        "voortijdig_eenzijdig_client", "voortijdig_eenzijdig_aanbieder", "voortijdig_overig",
        "herhaald_beroep_6mnd", "herhaald_beroep_12mnd", "tevredenheid_respons", "tevredenheid_positief",
        "doel_gemeten", "doel_bereikt"])
    io.write_csv(df, out / "aanbieders_uitkomsten.csv", sep=";", encoding="utf-8", index=False)


def _herindelingen(out: Path, g: pd.DataFrame) -> None:
    names = dict(zip(g.code, g.naam))
    df = pd.DataFrame([(MERGE_YEAR, c, names[c], *SUCCESSOR, "samenvoeging") for c in MERGED],
                      columns=["jaar", "oud_code", "oud_naam", "nieuw_code", "nieuw_naam", "soort"])
    io.write_csv(df, out / "herindelingen.csv", sep=";", encoding="utf-8-sig", index=False)


def write_own_files(out: Path, g: pd.DataFrame, rng) -> None:
    """Write Demoland's own files into ``out``, drawing from ``rng`` in a fixed order."""
    _activiteiten(out, rng)
    _inputkwaliteit(out, rng)
    _lokale_indicatoren(out, rng)
    _aanbieders(out, g, rng)
    _verbetercyclus(out)
    _herindelingen(out, g)
