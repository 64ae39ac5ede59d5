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


def bronnen(scope: Scope, table_ids) -> Section:
    """'Bijlage: bronnen': per table its subject and when CBS changed it and it was fetched (from the
    metadata prepare recorded), with the licence as caption. Tables in the order given, once each."""
    meta = scope.prepare_info.get("table_metadata", {})
    rows = []
    for t in dict.fromkeys(table_ids):
        m = meta.get(t, {})
        rows.append({"Tabel": t, "Onderwerp": m.get("title") or concept_title(scope, t),
                     "Gewijzigd bij CBS": m.get("modified") or MISSING, "Opgehaald": m.get("fetched_at") or MISSING})
    source = LICENCE_DEMO if scope.fictitious else LICENCE_CBS
    if not rows:
        return Section("bijlage_bronnen", "Bijlage: bronnen", text="Dit blok gebruikt geen tabellen van CBS.",
                       source=source)
    return Section("bijlage_bronnen", "Bijlage: bronnen", table=pd.DataFrame(rows), source=source)
