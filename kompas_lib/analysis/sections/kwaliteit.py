"""Block 4 — quality of input: do providers and voorzieningen have their quality in order?

The section follows the questions of step 4 of the Kwaliteitskompas; each question is answered with
the input indicators that belong to it.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.core import fmt
from kompas_lib.sources.sjablonen import INPUT_INDICATORS, SHARE_INDICATORS

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
        shown = "te klein" if small else (fmt.pct(r.waarde) if r.indicator in SHARE_INDICATORS else fmt.number(r.waarde, 1))
        rows.append({"Indicator": INPUT_INDICATORS[r.indicator], "Aanbieder": r.aanbieder, "Periode": r.periode,
                     "Waarde": shown})
    return pd.DataFrame(rows)
