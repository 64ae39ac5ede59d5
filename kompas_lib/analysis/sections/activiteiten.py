"""Block 3 — activities: which activities and partners serve which result, and where the gaps are.

Output (bereik, trajecten) and throughput (wachttijd, doorlooptijd) describe what is done, not what it
achieves: they are labelled as output, never as effect.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.core import fmt


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
        "Bereik (output)": [fmt.count(v) for v in latest["bereik"]],
        "Wachttijd (dagen)": [fmt.number(v, 0) for v in latest["wachttijd_dagen"]],
    })
