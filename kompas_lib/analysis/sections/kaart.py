"""Block 1 — the map: every gemeente coloured by where it stands on the figures that stand out for the
focus, with the focus and its jeugdregio outlined; notebook 01 shows it as ``staat.kaart``.

Which figures: those of the focus's findings — uitzonderlijk differences first, then opvallend
positions (the list above the map), at most :data:`MAX_PANELS`; when nothing stands out, the first
kerncijfer. The colour of a gemeente is its verdict in the country table
(:meth:`..shared.Shared.country_findings`), so a gemeente has the same colour in every report and reads
as in its own report: uitzonderlijk (the tested tier) before opvallend (a position). The shapes are
the simplified boundaries shipped with the package (:mod:`kompas_lib.sources.geo`), or for a
fictitious country a schematic map of tiles grouped by jeugdregio.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kompas_lib.analysis import wording
from kompas_lib.analysis.figures import MapFigure
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section
from kompas_lib.core.registry import Indicator
from kompas_lib.sources import geo

BLOCK = 1
MAX_PANELS = 3
NO_FIGURE = "geen cijfer"
NEITHER = "geen van beide"
# the legend, in order, with each class's place on the diverging scale the renderer colours
CLASSES = (("uitzonderlijk hoog", 2), ("opvallend hoog", 1), (NEITHER, 0), ("opvallend laag", -1),
           ("uitzonderlijk laag", -2), (NO_FIGURE, None))
TIER = {("verschil", "hoger"): "uitzonderlijk hoog", ("verschil", "lager"): "uitzonderlijk laag",
        ("positie", "hoger"): "opvallend hoog", ("positie", "lager"): "opvallend laag"}


def _chosen(scope: Scope) -> tuple[list[Indicator], bool]:
    """The indicators on the map and whether they stand out for the focus: uitzonderlijk first, then
    opvallend, in catalogue order; rates only (a count follows the size of a gemeente)."""
    signal = [i for i in scope.placed(BLOCK, "signaal") if i.eenheid != "aantal"]
    found = scope.findings(scope.placed(BLOCK, "signaal"))
    found = found[found["direction"].notna()]
    ranked = [i for soort in ("verschil", "positie")
              for i in signal if i.id in set(found.loc[found["soort"] == soort, "indicator"])]
    chosen = list({i.id: i for i in ranked}.values())[:MAX_PANELS]
    if chosen:
        return chosen, True
    ids = {i.id for i in signal}
    first = [i for i in scope.placed(BLOCK, "kerncijfer") if i.id in ids][:1]
    return first, False


def tiers(table: pd.DataFrame, indicator: str, codes) -> dict[str, str]:
    """Each gemeente's class on one indicator from its findings (the country table): uitzonderlijk
    before opvallend, 'geen van beide' when it has a figure, else 'geen cijfer'."""
    out = {c: NO_FIGURE for c in codes}
    t = table[(table["indicator"] == indicator) & table["region_code"].isin(out)]
    out.update({c: NEITHER for c in t.loc[t["value"].notna(), "region_code"]})
    for soort in ("positie", "verschil"):  # the stronger tier last: it wins
        hit = t[(t["soort"] == soort) & t["direction"].notna()].drop_duplicates("region_code")
        out.update({c: TIER[(soort, d)] for c, d in zip(hit["region_code"], hit["direction"])})
    return out


def _own_tier(scope: Scope, ind: Indicator, table: pd.DataFrame) -> str:
    """The focus's own class: a gemeente's from the country table, a region's from its own findings."""
    if scope.focus.level == "gemeente":
        return tiers(table, ind.id, [scope.focus.code])[scope.focus.code]
    found = scope.findings(scope.placed(BLOCK, "signaal"))
    found = found[(found["region_code"] == scope.focus.code)]
    return tiers(found, ind.id, [scope.focus.code])[scope.focus.code]


def _country(scope: Scope, indicators: list[Indicator]) -> pd.DataFrame:
    """The country table's rows of ``indicators`` (kept once per preparation; see
    :meth:`..shared.Shared.country_findings`)."""
    cfg = scope.params.vergelijkbare_gemeenten
    return scope.shared.country_findings(scope.catalogue, indicators, tuple(cfg.profiel), cfg.k)


def _shapes(scope: Scope) -> geo.Shapes:
    """The real boundaries, or for a fictitious country tiles: a row per provincie, a block per jeugdregio."""
    if not scope.fictitious:
        return geo.gemeenten()
    cur = scope.shared.current.sort_values(["provincie_code", "jeugdregio_code", "gemeente_code"])
    rows = [[(jz, tuple(g["gemeente_code"])) for jz, g in pv.groupby("jeugdregio_code", sort=True)]
            for _, pv in cur.groupby("provincie_code", sort=True)]
    return geo.schematic(rows, dict(zip(cur["gemeente_code"], cur["gemeente_naam"])))


def _group_labels(scope: Scope, shapes: geo.Shapes) -> tuple:
    """The name of each jeugdregio above its block of tiles (a schematic map has no other landmarks)."""
    cur = scope.shared.current
    out = []
    for region, g in cur.groupby("jeugdregio_code", sort=True):
        rings = [r for c in g["gemeente_code"] for r in shapes.shapes.get(c, ())]
        if rings:
            points = np.concatenate(rings)
            name = scope.names.get(region, g["jeugdregio_naam"].iloc[0])
            out.append((float(points[:, 0].min()), float(points[:, 1].max()), name, "groep"))
    return tuple(out)


def _outlines(scope: Scope, shapes: geo.Shapes) -> tuple[tuple, tuple, str]:
    """(legend label, lines, style) for the focus and — for a gemeente — its jeugdregio; the focus's
    name written beside its outline; and a sentence saying what is outlined."""
    focus = scope.focus
    out, alone = [], ""
    if focus.level == "gemeente":
        cur = scope.shared.current
        row = cur[cur["gemeente_code"] == focus.code]
        region = row["jeugdregio_code"].iloc[0] if len(row) else None
        members = scope.shared.members.get(region, ()) if region else ()
        region_name = scope.names.get(region, row["jeugdregio_naam"].iloc[0]) if region else ""
        if len(members) > 1:
            out.append((f"jeugdregio {region_name}", geo.outline(shapes.shapes, members), "regio"))
        elif region:
            alone = f", in zijn eentje ook jeugdregio {region_name}"
        own = (focus.code,)
    else:
        own = scope.shared.members.get(focus.code, ())
    lines = geo.outline(shapes.shapes, own)
    if not lines:
        return tuple(out), (), ""
    out.insert(0, (focus.name, lines, "focus"))
    points = np.concatenate(lines)
    label = (float(points[:, 0].max()), float(points[:, 1].mean()), focus.name, "focus")
    said = "; ".join(f"{'dik omlijnd' if style == 'focus' else 'gestippeld'}: {name}" for name, _, style in out)
    return tuple(out), (label,), f"{said[:1].upper()}{said[1:]}{alone}."


def kaart(scope: Scope) -> Section | None:
    """'Op de kaart': every gemeente coloured by its class on the figures that stand out for the focus
    (at most three maps side by side), the focus and its jeugdregio outlined. None when there is no
    indicator to map or no shape for any gemeente."""
    indicators, standing_out = _chosen(scope)
    if not indicators:
        return None
    shapes = _shapes(scope)
    table = _country(scope, indicators)
    gemeenten = [c for c in scope.shared.gemeenten if c in shapes.shapes]
    if not gemeenten:
        return None
    names = {c: scope.names.get(c, shapes.names.get(c, c)) for c in gemeenten}
    rows, panels, tables, periods, older = [], [], [], [], False
    for ind in indicators:
        classes = tiers(table, ind.id, gemeenten)
        latest = table[(table["indicator"] == ind.id) & (table["soort"] != "trendbreuk")
                       & table["region_code"].isin(gemeenten)].drop_duplicates("region_code").set_index("region_code")
        own = _own_tier(scope, ind, table)
        panel = f"{ind.titel}\n{scope.focus.name}: {own}"
        panels.append(panel)
        for code in gemeenten:
            rows.append({"panel": panel, "indicator": ind.id, "code": code, "name": names[code],
                         "period": latest["period"].get(code), "value": latest["value"].get(code, np.nan),
                         "klasse": classes[code]})
        if latest.empty:
            continue
        period = latest["period"].mode().iloc[0]  # the latest period of most gemeenten
        older |= bool((latest["period"] != period).any())
        f = scope.ind(ind.id)
        used = f[(f["group_dim"] == "totaal") & f["region_code"].isin(latest.index) & (f["period"] == period)]
        tables += list(used["source_table"].dropna())
        periods.append(period)
    data = pd.DataFrame(rows)
    outlines, labels, outlined = _outlines(scope, shapes)
    if shapes.schematic:
        labels += _group_labels(scope, shapes)
    name = scope.focus.name
    n = len(indicators)
    title = (f"{name} valt op bij {n} {'cijfer' if n == 1 else 'cijfers'}; de kaart toont alle gemeenten"
             if standing_out else f"Bij {name} valt geen cijfer op; de kaart toont alle gemeenten")
    if shapes.schematic:
        where = ("Schematische kaart: elk vakje is een gemeente, gegroepeerd per jeugdregio; de ligging is niet "
                 "echt.")
    else:
        where = f"Kaart: {shapes.source}."
    extra = "Eigen berekening" + ("; per gemeente haar laatste cijfer. " if older else ". ") + where
    source = wording.source_line(scope.who, tables, periods, extra=extra)
    text = ("Elke gemeente heeft op de kaart de kleur van haar plaats bij het cijfer: *uitzonderlijk* hoog of laag als "
            "het verschil buiten de gewone verschillen tussen gemeenten valt, *opvallend* als de gemeente bij de "
            "hoogste of laagste gemeenten hoort — een plaats, geen toets. "
            + ("Hoog of laag zegt niet vanzelf of het goed of slecht is. " if standing_out else
               f"Voor {name} valt geen cijfer op; de kaart toont het eerste kerncijfer. ")
            + outlined).strip()
    figure = MapFigure(data[["panel", "code", "name", "klasse"]], title, source, panels=tuple(panels),
                       shapes=shapes.shapes, classes=CLASSES, outlines=outlines, labels=labels)
    export = data.drop(columns=["panel"]).rename(columns={"code": "region_code", "name": "region_name"})
    return Section("kaart", f"{name} op de kaart", text=text, data=export, figure=figure, source=source,
                   heading=3)
