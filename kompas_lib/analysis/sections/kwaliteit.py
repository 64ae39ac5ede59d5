"""Block 4 — quality of input: do providers and voorzieningen have their quality in order?

The section follows the questions of step 4 of the Kwaliteitskompas; each question is answered with
the input indicators that belong to it. :func:`secties` is the block's builder.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section
from kompas_lib.analysis.sections.sjabloon import missing_file_sections
from kompas_lib.analysis.wording import own_data_who, source_line
from kompas_lib.analysis import cells
from kompas_lib.sources.template_specs import INPUT_INDICATORS, SHARE_INDICATORS

NO_FILE = ("Er is nog geen bestand met kwaliteitsgegevens. Vraag aanbieders per periode om teller en noemer van: "
           + "; ".join(INPUT_INDICATORS.values()) + ". Het sjabloon heeft deze kolommen:")
FOR_PARTNERS = ("Dit blok is nog leeg: er zijn nog geen gegevens over de kwaliteit van de input. Het beantwoordt "
                "drie vragen — werken aanbieders met interventies waarvan bekend is dat ze werken, zijn de "
                "professionals goed opgeleid en geregistreerd, en hebben ze genoeg tijd en continuïteit voor hun "
                "cliënten? Wat we aanbieders vragen aan te leveren: per jaar teller en noemer van die indicatoren.")

QUESTIONS = [
    ("Werken aanbieders met interventies waarvan bekend is dat ze werken?", ["effectieve_interventies"]),
    ("Zijn de professionals goed opgeleid en geregistreerd?", ["geregistreerde_professionals", "scholing"]),
    ("Hebben professionals genoeg tijd en continuïteit voor hun cliënten?", ["caseload", "verloop_personeel"]),
]


def values(df: pd.DataFrame) -> pd.DataFrame:
    """Value per row: a percentage for shares, clients per fte for caseload."""
    out = df.copy()
    share = out["indicator"].isin(SHARE_INDICATORS)
    out["waarde"] = (out["teller"] / out["noemer"]).where(out["noemer"] > 0) * share.map({True: 100, False: 1})
    return out


def question_table(df: pd.DataFrame, indicators: list[str], threshold: int) -> pd.DataFrame:
    """Latest period per provider for the given indicators; shares on fewer than ``threshold`` people
    are not shown."""
    v = values(df[df["indicator"].isin(indicators)])
    if v.empty:
        return pd.DataFrame()
    v = v.sort_values("periode").groupby(["aanbieder", "indicator"]).tail(1)
    rows = []
    for r in v.sort_values(["indicator", "aanbieder"]).itertuples(index=False):
        small = r.indicator in SHARE_INDICATORS and r.noemer < threshold
        shown = cells.too_small(reason=f"minder dan {threshold} personen of interventies") if small else (
            cells.pct(r.waarde) if r.indicator in SHARE_INDICATORS else cells.number(r.waarde, 1))
        rows.append({"Indicator": INPUT_INDICATORS[r.indicator], "Aanbieder": r.aanbieder, "Periode": r.periode,
                     "Waarde": shown})
    return pd.DataFrame(rows)


def secties(scope: Scope) -> list[Section]:
    """Block 4: without a usable file what to collect (or what is wrong); then per question of step 4
    a heading with the latest value per provider (``input_<first indicator>.csv``)."""
    own = scope.local.inputkwaliteit
    if not own.present:  # one line for partners (the questions in it), the template for the analyst
        return missing_file_sections("inputkwaliteit", "kwaliteitsgegevens", NO_FILE, own, FOR_PARTNERS)
    sections = []
    who = own_data_who(scope.fictitious)
    caption = f"Aandelen op minder dan {scope.threshold} personen of interventies worden niet getoond."
    for question, indicators in QUESTIONS:
        sid = "input_" + indicators[0]
        table = question_table(own.frame, indicators, scope.threshold)
        if table.empty:
            sections.append(Section(id=sid, title=question, heading=3,
                                    text="Geen gegevens voor deze vraag in het bestand."))
            continue
        data = table.assign(Waarde=[c.x if isinstance(c, cells.Number) else None for c in table["Waarde"]])
        sections.append(Section(id=sid, title=question, heading=3, table=table, data=data, caption=caption,
                                source=source_line(who, (), table["Periode"])))
    return sections
