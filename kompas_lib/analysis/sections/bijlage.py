"""Appendix sections every block can add: the sources (CBS tables) it used, with their dates."""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section

LICENCE_CBS = "Bron: CBS StatLine, open data (CC BY 4.0)."
LICENCE_DEMO = "Bron: fictieve gegevens (Demoland), gemaakt door de demogenerator."
MISSING = "–"


def concept_title(scope: Scope, table_id: str) -> str:
    """The catalogue's title of the concept a table belongs to ('' when the catalogue does not know it)."""
    return next((c.titel for c in scope.catalogue.concepts.values() if any(t.id == table_id for t in c.tables)), "")


def tables_used(scope: Scope, blocks=(1, 2, 3, 4, 5, 6)) -> list[str]:
    """The source tables behind the given blocks: every table, in these data, of a concept with an
    indicator of one of the blocks."""
    used = scope.tables_used()
    concepts = {i.concept for i in scope.catalogue.indicators.values() if i.blok in blocks}
    return sorted({t.id for cid in concepts for t in scope.catalogue.concepts[cid].tables if t.id in used})


def bronnen(scope: Scope, table_ids) -> Section:
    """'Bijlage: bronnen': per table its subject and when CBS changed it and it was fetched (from the
    metadata prepare recorded), with the licence as caption. Tables in the order given, once each."""
    meta = scope.prepare_info.table_metadata
    rows = []
    for t in dict.fromkeys(table_ids):
        m = meta.get(t, {})
        rows.append({"Tabel": scope.table_label(t), "Onderwerp": m.get("title") or concept_title(scope, t),
                     "Gewijzigd bij CBS": m.get("modified") or MISSING, "Opgehaald": m.get("fetched_at") or MISSING})
    source = LICENCE_DEMO if scope.fictitious else LICENCE_CBS
    ids = set(table_ids)
    caveats = []
    if scope.prepare_info.source.kind == "snapshot":  # what the offline copy misses
        caveats = [f"**{c.titel}:** {c.snapshot_let_op}" for c in scope.catalogue.concepts.values()
                   if c.snapshot_let_op and any(t.id in ids for t in c.tables)]
    text = "\n\n".join(["Let op bij de offline kopie van CBS-tabellen:", *caveats]) if caveats else ""
    if not rows:
        return Section("bijlage_bronnen", "Bijlage: bronnen", text="Dit blok gebruikt geen tabellen van CBS.",
                       source=source)
    return Section("bijlage_bronnen", "Bijlage: bronnen", text=text, table=pd.DataFrame(rows), source=source,
                   detail=len(rows) > 8)


def overgeslagen(scope: Scope, block: int) -> Section | None:
    """Catalogue indicators of ``block`` that preparation could not read from (some of) their tables,
    with the reason — so a missing row in the overview is explained, not silent. None when all were read."""
    skipped = [s for s in scope.prepare_info.indicators_skipped
               if s.get("indicator") in scope.catalogue.indicators
               and scope.catalogue.indicators[s["indicator"]].blok == block]
    if not skipped:
        return None
    rows = [{"Indicator": scope.catalogue.indicators[s["indicator"]].titel, "Tabel": scope.table_label(s["table"]) if s.get("table") else MISSING,
             "Waarom niet gelezen": s.get("reason") or MISSING} for s in skipped]
    return Section("bijlage_overgeslagen", "Niet gelezen uit de bron", table=pd.DataFrame(rows),
                   text=("Deze indicatoren uit de catalogus konden niet (of niet voor alle jaren) uit de gebruikte "
                         "tabellen worden gelezen. Ze ontbreken daarom in de tabellen hierboven, of alleen voor de "
                         "jaren van die tabel."))


# --- definitions and methods of the whole report ----------------------------------------------------

POLARITY = {"neutraal": "neutraal", "hoger_beter": "hoger is beter",
            "lager_beter": "lager is beter"}


def definities(scope: Scope) -> Section:
    rows = [{"Indicator": ind.titel, "Definitie": ind.definitie, "Eenheid": ind.unit_label,
             "Richting": POLARITY[ind.polariteit]}
            for ind in scope.catalogue.indicators.values()]
    return Section("definities", "Definities", table=pd.DataFrame(rows), detail=True,
                   caption=("Definities uit de indicatorcatalogus van het werkboek. Richting 'neutraal': meer of "
                            "minder is niet vanzelf beter of slechter."))


METHODS = [
    ("Marge van een percentage", "Wilson-interval (95 %) uit teller en noemer, verbreed waar CBS aantallen op "
                                 "vijftallen afrondt."),
    ("Verschil met Nederland of vergelijkbare gemeenten",
     "'Uitzonderlijk' alleen als het verschil buiten de 99,8 %-grenzen van de gewone verschillen tussen gemeenten "
     "valt (random-effects-model); als geen gemeente echt afwijkt, gebeurt dat bij ongeveer 1 op de 500 "
     "vergelijkingen."),
    ("Trechterfiguur", "Grenzen rond het landelijke cijfer op 95 % en 99,8 %, met dezelfde verschillen tussen "
                       "gemeenten; als geen gemeente echt afwijkt, valt ongeveer 5 % buiten de 95 %-grenzen."),
    ("Trendbreuk", "Het laatste jaar valt buiten de 99,8 %-voorspelmarge van een rechte lijn door de eerdere jaren "
                   "(vanaf 2016, minstens vier jaren)."),
    ("Vergelijkbare gemeenten", "k dichtstbijzijnde gemeenten (euclidische afstand) op gestandaardiseerde "
                                "kenmerken; het aantal en de kenmerken kiest de gemeente zelf (standaard: zie hierboven)."),
    ("Bevolkingseffect en gebruikseffect", "Verandering in aantallen = verandering in aantal jongeren × gemiddeld "
                                           "gebruik + verandering in gebruik × gemiddeld aantal jongeren."),
    ("Herindelingen", "Aantallen van voorgangers opgeteld; percentages opnieuw berekend, of gewogen naar het aantal "
                      "jongeren als alleen een percentage bestaat."),
    ("Kleine aantallen", "CBS rondt aantallen af op vijftallen; aantallen onder de privacydrempel worden niet "
                         "getoond of geëxporteerd."),
    ("Uitkomsten per aanbieder", "Trechterfiguur met exacte binomiale grenzen rond het gemiddelde; verbreed als "
                                 "aanbieders meer verschillen dan kleine aantallen verklaren. Geen ranglijst."),
]


def methoden() -> Section:
    return Section("methoden", "Methoden", table=pd.DataFrame(METHODS, columns=["Methode", "Toelichting"]),
                   caption="Methoden; een uitgebreide toelichting staat bij de documentatie van het werkboek.")
