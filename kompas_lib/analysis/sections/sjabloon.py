"""What a block shows when a gemeente's own file is missing or unusable: the template's columns in
plain words, or what is wrong with the file. Shared by blocks 2–5."""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis.section import Section
from kompas_lib.sources.template_specs import SPECS

KIND_WORDS = {"text": "tekst", "gemeente": "gemeentecode", "period": "periode (bijvoorbeeld 2024)", "count": "aantal",
              "number": "getal", "enum": "een van de vaste waarden", "list": "resultaten (bijvoorbeeld R1|R3)",
              "datum": "datum (bijvoorbeeld 2025-03-12)",
              "indicator": "indicator uit de catalogus (bijvoorbeeld vsv), of leeg"}


def template_table(name: str) -> pd.DataFrame:
    """The columns of a template, one per row: what each holds and whether it must be filled."""
    rows = [{"Kolom": c.name,
             "Inhoud": f"een van: {', '.join(c.allowed)}" if c.kind == "enum" and c.allowed
             else KIND_WORDS.get(c.kind, c.kind),
             "Verplicht": "ja" if c.required else "nee"}
            for c in SPECS[name].columns]
    return pd.DataFrame(rows, columns=["Kolom", "Inhoud", "Verplicht"])


def missing_file_sections(kind: str, what: str, no_file_text: str, own) -> list[Section]:
    """What to show when an own file is absent (what to collect and the template's columns) or unusable
    (why: one paragraph per problem found in the file)."""
    if own.problem:
        text = f"**Het bestand met {what} is niet te gebruiken.**\n\n" + "\n\n".join(own.problem.splitlines())
        return [Section(id=f"{kind}_probleem", title=f"Bestand met {what}", text=text)]
    return [Section(id=f"{kind}_sjabloon", title=f"Sjabloon voor {what}", text=no_file_text,
                    table=template_table(kind), detail=True)]
