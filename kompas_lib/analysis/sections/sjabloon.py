"""What a block shows when a gemeente's own file is missing or unusable: for partners one line (what the
block will show and what we ask them to deliver), for the analyst the template's columns in plain
words (a section for the analyst, left out of the partners' report), or what is wrong with the file.
Shared by blocks 3–6."""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.section import Section
from kompas_lib.sources.template_specs import SPECS

KIND_WORDS = {"text": "tekst", "gemeente": "gemeentecode", "period": "periode (bijvoorbeeld 2024)", "count": "aantal",
              "number": "getal", "enum": "een van de vaste waarden", "list": "resultaten (bijvoorbeeld R1|R3)",
              "datum": "datum (bijvoorbeeld 2025-03-12)",
              "indicator": "indicator uit de catalogus (bijvoorbeeld vsv), of leeg",
              "regio": "gemeentecode (GM0344) of code van een samenwerkingsverband (PO2601, VO2601)",
              "schooljaar": "schooljaar (bijvoorbeeld 2023/2024)"}


def template_table(name: str) -> pd.DataFrame:
    """The columns of a template, one per row: what each holds and whether it must be filled."""
    rows = [{"Kolom": c.name,
             "Inhoud": f"een van: {', '.join(c.allowed)}" if c.kind == "enum" and c.allowed
             else KIND_WORDS.get(c.kind, c.kind),
             "Verplicht": "ja" if c.required else "nee"}
            for c in SPECS[name].columns]
    return pd.DataFrame(rows, columns=["Kolom", "Inhoud", "Verplicht"])


def template_section(kind: str, what: str, no_file_text: str) -> Section:
    """For the analyst: what to collect and the template's columns (not in the partners' report)."""
    return Section(id=f"{kind}_sjabloon", title=f"Sjabloon voor {what}", text=no_file_text,
                   table=template_table(kind), detail=True, for_analyst=True)


def missing_file_sections(kind: str, what: str, no_file_text: str, own, partners: str) -> list[Section]:
    """What to show when an own file is absent — for partners the one line ``partners`` (what is still
    missing and what we ask), for the analyst the template — or unusable (why: one paragraph per
    problem found in the file)."""
    if own.problem:
        text = f"**Het bestand met {what} is niet te gebruiken.**\n\n" + "\n\n".join(own.problem.splitlines())
        return [Section(id=f"{kind}_probleem", title=f"Bestand met {what}", text=text)]
    return [Section(id=f"{kind}_ontbreekt", title=f"Nog geen {what}", text=partners),
            template_section(kind, what, no_file_text)]
