"""Block 2 — middelen beside the results: what jeugdzorg costs the gemeente, begroot against
gerealiseerd, per inwoner and per jongere, over the years, against Nederland and the comparable
gemeenten (seed 4: can the council see what the money buys?).

Money is shown beside the results, never as their cause: more euros per jongere is neither better
nor worse by itself. CBS publishes the costs per gemeente only (table 83454NED); Nederland is the sum
over the gemeenten with a figure that year, a jeugdregio or provincie the sum over its gemeenten of
today, the comparable gemeenten their pooled sum.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis import cells, wording
from kompas_lib.analysis.figures import TrendFigure
from kompas_lib.analysis.methods.comparison import PEERS, benchmarked
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.samenwerkingsverband import partly_words
from kompas_lib.analysis.section import Section
from kompas_lib.core import fmt
from kompas_lib.core.periods import FIRST_FULL_YEAR, parse_period
from kompas_lib.prepare.regions import COUNTRY_CODE as COUNTRY

REALISED = "kosten_jeugdzorg_per_inwoner"
BUDGETED = "kosten_jeugdzorg_begroot_per_inwoner"
YOUTH = "jongeren_jeugdzorg"  # its denominator: the jongeren tot 23 jaar of each year
COMPLETE = 0.9  # Nederland as a sum only in years where at least 90 % of the gemeenten have a figure
TITLE = "Middelen: wat kost de jeugdzorg?"
CAUTION = ("Geld zegt niet wat het oplevert: meer of minder euro per jongere is niet vanzelf beter of slechter. Lees "
           "de bedragen naast de resultaten hierboven, niet als hun oorzaak: wat zetten we in, en komen de resultaten "
           "dichterbij?")


def country_sum(facts: pd.DataFrame, gemeenten, label: str = COUNTRY) -> pd.DataFrame:
    """Per full year the sum of the counts over the gemeenten with a figure (numerator, denominator, value
    as numerator / denominator, and how many gemeenten): Nederland where CBS publishes gemeenten only — no
    value in a year where fewer than :data:`COMPLETE` of the gemeenten have one."""
    rows = facts[facts["region_code"].isin(gemeenten) & (facts["period_type"] == "jaar")
                 & (facts["group_dim"] == "totaal") & facts["numerator"].notna() & facts["denominator"].notna()]
    g = rows.groupby("period", sort=True)
    out = pd.DataFrame({"numerator": g["numerator"].sum(), "denominator": g["denominator"].sum(),
                        "gemeenten": g.size()}).reset_index()
    out["value"] = out["numerator"] / out["denominator"]
    out.loc[out["gemeenten"] < COMPLETE * len(gemeenten), "value"] = float("nan")  # a sum of a few is no Nederland
    out["region_code"] = label
    return out


def _no_figures(scope: Scope) -> str:
    """Why there is no cost series: no figures at all, or (a region) gemeenten without one, named — a sum without
    them would be too low."""
    text = (f"Er zijn geen cijfers over de kosten van jeugdzorg voor {scope.focus.name} in de gebruikte tabellen "
            "(CBS publiceert ze per gemeente).")
    codes = scope.comparison.members.get(scope.focus.code, ()) if scope.focus.level != "gemeente" else ()
    if not codes:
        return text
    f = scope.ind(REALISED)
    have = set(f.loc[f["region_code"].isin(codes) & (f["group_dim"] == "totaal") & f["numerator"].notna(),
                     "region_code"])
    without = sorted(scope.names.get(c, c) for c in codes if c not in have)
    if not without or len(without) == len(codes):
        return text
    names = without[0] if len(without) == 1 else ", ".join(without[:-1]) + " en " + without[-1]
    return (f"Voor {names} staan geen kosten van jeugdzorg in de gebruikte tabellen. Een som over de andere gemeenten "
            f"van {scope.focus.name} zou te laag zijn; daarom staan hier geen bedragen. De gemeenten die wel een "
            "bedrag hebben, tonen het in hun eigen rapport.")


def _yearly(s: pd.DataFrame, code: str) -> pd.DataFrame:
    own = s[(s["region_code"] == code) & (s["period_type"] == "jaar") & s["value"].notna()]
    return own.drop_duplicates("period").set_index("period")


def middelen(scope: Scope) -> Section:
    """Begroot and gerealiseerd per year (totals, per inwoner, per jongere tot 23 jaar), against
    Nederland and the comparable gemeenten, with the trend as a figure."""
    cat = scope.catalogue.indicators
    if REALISED not in cat:
        return Section("middelen", TITLE, heading=2, text="De catalogus heeft geen kostenindicator.")
    cmp = scope.comparison
    real = benchmarked(cmp, cat[REALISED], scope.ind(REALISED), period_type=None)
    own = _yearly(scope.own_series(REALISED, None), scope.focus.code)  # a region: its gemeenten of today summed
    if own.empty:
        return Section("middelen", TITLE, heading=2, text=_no_figures(scope))
    plan = _yearly(scope.own_series(BUDGETED, None), scope.focus.code) if BUDGETED in cat else pd.DataFrame()
    youth = _yearly(scope.own_series(YOUTH, None), scope.focus.code)
    nl = country_sum(scope.ind(REALISED), scope.shared.gemeenten).set_index("period")
    peers = _yearly(real, PEERS)
    peer_label = cmp.labels.get(PEERS, "vergelijkbare gemeenten")
    rows, data = [], []
    for period, r in own.sort_index(key=lambda p: p.astype(int)).iterrows():
        budget = plan["numerator"].get(period) if len(plan) else None
        jong = youth["denominator"].get(period) if len(youth) else None
        data.append({"jaar": period, "begroot": budget, "gerealiseerd": r["numerator"], "per_inwoner": r["value"],
                     "per_jongere_tot_23": r["numerator"] / jong if jong else None,
                     "nederland_per_inwoner": nl["value"].get(period),
                     "vergelijkbaar_per_inwoner": peers["value"].get(period) if len(peers) else None})
        rows.append({
            "Jaar": parse_period(period).label,
            "Begroot": cells.value(budget, "euro"),
            "Gerealiseerd": cells.value(r["numerator"], "euro"),
            "Verschil met begroting (% van begroot)": cells.signed((r["numerator"] / budget - 1) * 100, 1) if budget else None,
            "Per inwoner": cells.value(r["value"], "euro"),
            "Per jongere tot 23 jaar": cells.value(r["numerator"] / jong, "euro") if jong else None,
            f"{scope.country} per inwoner": cells.value(nl["value"].get(period), "euro"),
            f"{peer_label} per inwoner": cells.value(peers["value"].get(period), "euro") if len(peers) else None,
        })
    table = pd.DataFrame(rows)
    if table[f"{peer_label} per inwoner"].isna().all():
        table = table.drop(columns=f"{peer_label} per inwoner")
    last_period = own.index[own.index.astype(int).argmax()]
    last = own.loc[last_period]
    label = parse_period(last_period).label
    text = [f"In {label} gaf {scope.focus.name} {fmt.value(last['numerator'], 'euro')} uit aan jeugdzorg "
            f"(gerealiseerd), {fmt.value(last['value'], 'euro')} per inwoner"]
    jong = youth["denominator"].get(last_period) if len(youth) else None
    if jong:
        text.append(f" en {fmt.value(last['numerator'] / jong, 'euro')} per jongere tot 23 jaar")
    budget = plan["numerator"].get(last_period) if len(plan) else None
    if budget:
        diff = (last["numerator"] / budget - 1) * 100
        text.append(f". Begroot was {fmt.value(budget, 'euro')}: er is {fmt.pct(abs(diff), 1)} "
                    f"{'meer' if diff >= 0 else 'minder'} uitgegeven dan begroot")
    if last_period in nl.index and pd.notna(nl.loc[last_period, "value"]):
        n = int(nl.loc[last_period, "gemeenten"])
        text.append(f". In {scope.country} was het {fmt.value(nl.loc[last_period, 'value'], 'euro')} per inwoner "
                    f"(de som van de {n} gemeenten met een cijfer)")
    if last_period in peers.index:
        text.append(f", bij de {peer_label} samen {fmt.value(peers.loc[last_period, 'value'], 'euro')}")
    full = own[own.index.astype(int) >= FIRST_FULL_YEAR]  # 2015, the first Jeugdwet year, was not complete
    first_period = full.index[full.index.astype(int).argmin()] if len(full) else last_period
    if first_period != last_period:
        first = own.loc[first_period]
        text.append(f". Sinds {parse_period(first_period).label} is het bedrag per inwoner "
                    f"{'gestegen' if last['value'] >= first['value'] else 'gedaald'} van "
                    f"{fmt.value(first['value'], 'euro')} naar {fmt.value(last['value'], 'euro')} (in euro's van elk "
                    "jaar, niet gecorrigeerd voor prijsstijging)")
    text.append(". " + CAUTION)
    partly = partly_words(scope)
    if partly:
        text.append(f" {partly}; die gemeenten tellen met hun hele bedrag mee, want de kosten zijn er alleen per "
                    "gemeente.")
    trend = pd.concat([own.reset_index(), peers.reset_index(), nl.reset_index().assign(period_type="jaar")],
                      ignore_index=True)
    trend = trend[trend["value"].notna()].copy()
    trend["period_start"] = pd.to_datetime(trend["period"].astype(str) + "-01-01")
    trend["region_name"] = trend["region_code"].map({scope.focus.code: scope.focus.name, PEERS: peer_label,
                                                      COUNTRY: f"{scope.country} (som van de gemeenten)"})
    source = wording.source_line(scope.who, real["source_table"].dropna().unique(), list(own.index))
    fig = TrendFigure(trend, f"Kosten jeugdzorg per inwoner in {scope.focus.name}: "
                             f"{fmt.value(last['value'], 'euro')} in {label}", source, focus=scope.focus.name,
                      ylabel="euro per inwoner", percent=False,
                      order=(scope.focus.name, f"{scope.country} (som van de gemeenten)", peer_label))
    return Section("middelen", TITLE, heading=2, text="".join(text), table=table, data=pd.DataFrame(data),
                   figure=fig, source=source,
                   caption="Bedragen in euro's van elk jaar. Begroot en gerealiseerd zoals "
                           + ("de gemeente ze aan CBS rapporteert" if scope.focus.level == "gemeente" else
                              "de gemeenten ze aan CBS rapporteren, opgeteld") + "; per jongere: gedeeld door het aantal jongeren tot 23 jaar in dat "
                           f"jaar. {scope.country}: de som van de gemeenten, alleen in jaren waarin ten minste "
                           f"{fmt.number(COMPLETE * 100)} % van de gemeenten een bedrag heeft.")
