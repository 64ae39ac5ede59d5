"""Block 1 — onderwijs en jeugd: the seed-5 indicators that public data carry, and the gemeente's own
leerplicht data, beside jeugdhulp for the same age group.

- *Naast elkaar* (:func:`naast_elkaar`): per gemeente (for a region: per member gemeente, and the region
  as their sum) the pupils in basisonderwijs and sbo (85701NED, by woongemeente), the jongeren of 4 to 18
  with jeugdzorg (the age groups of the wijk tables), jeugdhulp in natura and voortijdig schoolverlaten —
  and, from the own leerplicht file, thuiszitters and verzuim. Different registrations of the same age
  group, not the same children linked one to one. A verband's members that lie only partly in it are
  marked 'deels'; the region's row is a sum only where every member has a figure of the same period (never
  a partial sum), and an own count below the threshold is hidden together with one other when a sum would
  tell it by difference.
- *Speciaal onderwijs als context* (:func:`speciaal_onderwijs`): CBS publishes pupils on special schools
  and the sbo deelname only for Nederland, landsdelen, provincies and the four largest gemeenten; shown
  as context, and as the gemeente's own figure only for those four.
- *Leerplicht* (:func:`leerplicht`, :mod:`.leerplicht`): the own file per schooljaar, with the seed's
  caution that a higher or lower deelnamepercentage is neither good nor bad by itself.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis import cells, wording
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section
from kompas_lib.analysis.samenwerkingsverband import partly_in
from kompas_lib.analysis.sections.leerplicht import DEELNAME_CAUTION, focus_rows, focus_series, leerplicht, members
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period
from kompas_lib.prepare.regions import COUNTRY_CODE as COUNTRY, SWV_LEVEL, swv_label

PUPILS = "leerlingen_bo_sbo"
SPECIAL = "leerlingen_speciale_scholen"
SBO = "deelname_sbo"
VSV = "vsv"
JEUGDHULP = "pct_jeugdhulp_in_natura"
WIJK = "jongeren_jeugdzorg_wijk"  # its leeftijd groups at gemeente level: 4 tot 12 and 12 tot 18 jaar
SCHOOL_AGES = ("4 tot 12 jaar", "12 tot 18 jaar")
TITLE = "Onderwijs en jeugd"
SAME_CHILDREN = ("De cijfers komen uit verschillende registraties (CBS-onderwijstellingen, de jeugdzorgstatistiek en "
                 "de eigen leerplichtadministratie). Ze gaan over dezelfde leeftijdsgroep, niet over dezelfde kinderen "
                 "één op één: lees ze naast elkaar, als vraag voor het gesprek tussen gemeente, scholen en "
                 "samenwerkingsverband, niet als verklaring van het een door het ander.")


def _latest(facts: pd.DataFrame, codes, group: tuple[str, str] = ("totaal", "totaal")) -> pd.DataFrame:
    """Per region of ``codes`` its latest row (by period start) for ``group``."""
    if facts is None or facts.empty:
        return pd.DataFrame(columns=["region_code", "period", "numerator", "denominator", "value"])
    rows = facts[facts["region_code"].isin(codes) & (facts["group_dim"] == group[0])
                 & (facts["group_value"] == group[1]) & facts["value"].notna()]
    return rows.sort_values("period_start").groupby("region_code").tail(1).set_index("region_code")


def _ind(scope: Scope, indicator: str) -> pd.DataFrame | None:
    return scope.ind(indicator) if indicator in scope.catalogue.indicators else None


def school_age_jeugdzorg(scope: Scope, codes) -> pd.DataFrame:
    """Per gemeente the jongeren of 4 to 18 with jeugdzorg in the latest year of the wijk tables (the
    sum of the groups 4–12 and 12–18 on the gemeente's own row), with ``period``."""
    facts = _ind(scope, WIJK)
    if facts is None or facts.empty:
        return pd.DataFrame(columns=["period", "numerator", "source_table"])
    rows = facts[facts["region_code"].isin(codes) & (facts["group_dim"] == "leeftijd")
                 & facts["group_value"].isin(SCHOOL_AGES) & facts["numerator"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=["period", "numerator", "source_table"])
    last = rows.groupby("region_code")["period_start"].transform("max")
    rows = rows[rows["period_start"] == last]
    g = rows.groupby(["region_code", "period"], observed=True)
    both = g["group_value"].nunique() == len(SCHOOL_AGES)
    sums = pd.DataFrame({"numerator": g["numerator"].sum(), "source_table": g["source_table"].first()})[both]
    return sums.reset_index("period")


def _label(period, short: bool = False) -> str:
    """'schooljaar 2023/'24' (or with ``short`` '2023/'24'), '2024'; '' for no period."""
    if not (isinstance(period, str) and period):
        return ""
    label = parse_period(period).label
    return label.removeprefix("schooljaar ") if short else label


def _region_sum(frame: pd.DataFrame, codes, column: str = "numerator"):
    """The sum of ``codes``' latest figures when every one has a figure of the same period, else None (never a
    partial sum); with that period."""
    have = [c for c in codes if c in frame.index and pd.notna(frame.at[c, column])]
    if len(have) != len(codes) or frame.loc[have, "period"].nunique() != 1:
        return None, None
    return float(frame.loc[have, column].sum()), frame.loc[have[0], "period"]


def _own_latest(scope: Scope, indicator: str, period) -> float | None:
    """The focus region's own value of ``indicator`` in ``period`` (a jeugdregio's or verband's member sum where
    counts exist; None where only percentages are published and no sum can be made)."""
    if indicator not in scope.catalogue.indicators or period is None:
        return None
    own = scope.own_series(indicator, None)
    at = own.loc[(own["region_code"] == scope.focus.code) & (own["period"] == period), "value"].dropna()
    return float(at.iloc[0]) if len(at) else None


def _hidden(values: dict[str, float | None], threshold: int, with_sum: bool) -> set[str]:
    """The codes whose own count is not shown: below ``threshold``, and — when a sum of all of them is shown too
    (a region's row here, its leerplicht table) and exactly one is below — also the smallest other one, so the
    hidden count cannot be told by difference."""
    small = {c for c, v in values.items() if v is not None and pd.notna(v) and v < threshold}
    shown = sorted((v, c) for c, v in values.items() if c not in small and v is not None and pd.notna(v))
    if with_sum and len(small) == 1 and shown:
        small.add(shown[0][1])
    return small


def naast_elkaar(scope: Scope) -> Section:
    """One row per gemeente of the focus (for a region also the region as their sum), and Nederland: pupils
    bo+sbo, jongeren 4–18 with jeugdzorg, jeugdhulp in natura (%), VSV (%) and, with the own file, thuiszitters
    and verzuim of the latest schooljaar. A verband's members that lie only partly in it are marked."""
    codes = members(scope)
    if not codes:
        return Section("onderwijs_naast_elkaar", TITLE, heading=2,
                       text=f"Voor {scope.focus.name} zijn geen gemeenten bekend om de cijfers van te tonen.")
    region = scope.focus.level != "gemeente"
    pupils, vsv, hulp = (_latest(_ind(scope, i), (*codes, COUNTRY)) for i in (PUPILS, VSV, JEUGDHULP))
    jz = school_age_jeugdzorg(scope, (*codes, COUNTRY))
    own = focus_rows(scope, codes, per_member=True)
    partly = set(partly_in(scope))
    names = scope.names
    hulp_title, vsv_title = (f"{scope.catalogue.indicators[i].titel} ({scope.catalogue.indicators[i].unit_label})"
                             for i in (JEUGDHULP, VSV))
    own_cols = {"thuiszitters": "Thuiszitters (eigen telling)", "absoluut_verzuim": "Absoluut verzuim (eigen telling)"}
    recs = []
    for code in sorted(codes, key=lambda c: names.get(c, c)):
        lp = own.get(code) or {}
        recs.append({"code": code, "naam": names.get(code, code) + (" (deels)" if code in partly else ""),
                     "leerlingen_bo_sbo": pupils["numerator"].get(code), "jeugdzorg_4_18": jz["numerator"].get(code),
                     "jeugdhulp_pct": hulp["value"].get(code), "vsv_pct": vsv["value"].get(code),
                     **{c: lp.get(c) for c in own_cols}})
    if region:
        n_pupils, p_pupils = _region_sum(pupils, codes)
        n_jz, _ = _region_sum(jz, codes)
        series, _how = focus_series(scope, codes)
        last = series.iloc[-1] if len(series) else {}
        recs.append({"code": scope.focus.code, "naam": f"{_short(scope)} samen", "leerlingen_bo_sbo": n_pupils,
                     "jeugdzorg_4_18": n_jz,
                     "jeugdhulp_pct": _own_latest(scope, JEUGDHULP, hulp["period"].get(codes[0])),
                     "vsv_pct": _own_latest(scope, VSV, vsv["period"].max() if len(vsv) else None),
                     **{c: (last.get(c) if len(series) else None) for c in own_cols}})
    recs.append({"code": COUNTRY, "naam": scope.country, "leerlingen_bo_sbo": pupils["numerator"].get(COUNTRY),
                 "jeugdzorg_4_18": jz["numerator"].get(COUNTRY), "jeugdhulp_pct": hulp["value"].get(COUNTRY),
                 "vsv_pct": vsv["value"].get(COUNTRY), **dict.fromkeys(own_cols)})
    data = pd.DataFrame(recs)
    for col in own_cols:  # never shown, never exported: below the threshold, or tellable by difference
        hide = _hidden(dict(zip(data["code"], data[col])), scope.threshold, with_sum=region)
        data[f"{col}_klein"] = data["code"].isin(hide)
    rows = []
    for r in data.to_dict("records"):
        rows.append({"Gemeente": r["naam"],
                     "Leerlingen basisonderwijs en sbo": cells.count(r["leerlingen_bo_sbo"]),
                     "Jongeren 4–18 jaar met jeugdzorg": cells.count(r["jeugdzorg_4_18"]),
                     hulp_title: cells.pct(r["jeugdhulp_pct"]), vsv_title: cells.pct(r["vsv_pct"]),
                     **({label: (cells.below(scope.threshold) if r[f"{col}_klein"] else
                                 None if r[col] is None or pd.isna(r[col]) else cells.count(r[col]))
                         for col, label in own_cols.items()} if own else {})})
    for col in own_cols:
        data.loc[data[f"{col}_klein"], col] = None
    data = data.drop(columns=[f"{c}_klein" for c in own_cols])
    periods = {"leerlingen": pupils["period"], "jeugdzorg": jz["period"], "jeugdhulp": hulp["period"],
               "vsv": vsv["period"]}
    latest = {k: _label(v.max()) if len(v) else "" for k, v in periods.items()}
    text = _intro(scope, codes, pupils, jz, vsv, latest, partly)
    caption = (f"Leerlingen: schooljaar {latest['leerlingen'].removeprefix('schooljaar ')} ({scope.table_label('85701NED')}, naar "
               f"woongemeente, afgerond op tientallen); jeugdzorg 4–18 jaar: {latest['jeugdzorg']} (wijktabellen, "
               f"som van 4–12 en 12–18 jaar); jeugdhulp: {latest['jeugdhulp']}; voortijdig schoolverlaten: "
               f"{latest['vsv']}. Per gemeente het laatste jaar met een cijfer.")
    if region:
        caption += (f" {_short(scope)} samen: de som van de gemeenten (een percentage uit de opgetelde aantallen); leeg "
                    "waar niet elke gemeente een cijfer heeft of CBS alleen een percentage publiceert.")
    if own:
        caption += (" Thuiszitters en verzuim uit de eigen leerplichtadministratie, laatste schooljaar; aantallen "
                    f"onder {scope.threshold} worden niet getoond" + (", en ook geen aantal waaruit zo'n klein aantal "
                                                                      "af te leiden is." if region else "."))
    used = [pupils, vsv, hulp, jz]
    tables = sorted({t for f in used if "source_table" in f for t in f["source_table"].dropna().unique()})
    return Section("onderwijs_naast_elkaar", TITLE, text=text, table=pd.DataFrame(rows), data=data,
                   caption=caption, source=wording.source_line(scope.who, tables, []), note=SAME_CHILDREN)


def _short(scope: Scope) -> str:
    """The focus's short name: 'PO 28-03' for a samenwerkingsverband, else its name."""
    return swv_label(scope.focus.code) if scope.focus.level == SWV_LEVEL else scope.focus.name


def _intro(scope: Scope, codes, pupils, jz, vsv, latest, partly) -> str:
    """The picture in two or three sentences: pupils and jongeren with jeugdzorg of the focus, VSV
    against Nederland, and which gemeenten lie only partly in it."""
    focus = scope.focus.name
    own = [c for c in codes if c in pupils.index]
    parts = []
    if own:
        n = pupils.loc[own, "numerator"].sum()
        where = f"in {focus}" if len(codes) == 1 else f"in de {len(own)} gemeenten van {focus} samen"
        parts.append(f"In {latest['leerlingen']} woonden {where} {fmt.count(n)} leerlingen van het basisonderwijs "
                     "en het speciaal basisonderwijs")
        with_jz = [c for c in codes if c in jz.index]
        if with_jz:
            parts[-1] += (f"; in {latest['jeugdzorg']} hadden {fmt.count(jz.loc[with_jz, 'numerator'].sum())} "
                          "jongeren van 4 tot 18 jaar jeugdzorg")
        parts[-1] += "."
    nl = vsv["value"].get(COUNTRY)
    versus = f" ({scope.country}: {fmt.pct(nl, 1)})." if nl is not None and pd.notna(nl) else "."
    if len(codes) == 1 and codes[0] in vsv.index:
        v = vsv.loc[codes[0]]
        parts.append(f"Van de leerlingen tot 23 jaar verliet {fmt.pct(v['value'], 1)} in {_label(v['period'])} het "
                     "onderwijs zonder startkwalificatie" + versus)
    elif len(codes) > 1 and len(vsv):
        period = vsv["period"].max()
        v = _own_latest(scope, VSV, period)
        if v is not None:
            parts.append(f"Van de leerlingen tot 23 jaar in deze gemeenten samen verliet {fmt.pct(v, 1)} in "
                         f"{_label(period)} het onderwijs zonder startkwalificatie" + versus)
    if partly:
        who = sorted(scope.names.get(c, c) for c in partly)
        listed = who[0] if len(who) == 1 else ", ".join(who[:-1]) + " en " + who[-1]
        one = len(who) == 1
        parts.append(f"{listed} {'ligt' if one else 'liggen'} maar voor een deel in {_short(scope)} ('deels' in de "
                     f"tabel) en {'telt' if one else 'tellen'} met de cijfers van de hele gemeente mee.")
    return " ".join(parts)


def speciaal_onderwijs(scope: Scope) -> Section:
    """Pupils on special schools (so and vso) and the sbo deelname where CBS publishes them: Nederland,
    the focus's provincie (and the focus's gemeenten that are among the four largest)."""
    sid, title = "onderwijs_speciaal", "Speciaal onderwijs: landelijke en provinciale context"
    special, sbo, pupils = _ind(scope, SPECIAL), _ind(scope, SBO), _ind(scope, PUPILS)
    if special is None and sbo is None:
        return Section(sid, title, heading=3, text="De catalogus heeft geen cijfers over het speciaal onderwijs.")
    provinces = _provinces(scope)
    wanted = [COUNTRY, *provinces, *members(scope)]
    names = {c: scope.names.get(c, scope.country if c == COUNTRY else c) for c in wanted}
    for c in provinces:  # 'Utrecht (provincie)' beside the gemeente Utrecht
        names[c] = f"{names[c]} (provincie)"
    rows, data = [], []
    for code in dict.fromkeys(wanted):
        s = _latest(special, [code])
        b = _latest(sbo, [code])
        p = pupils[(pupils["region_code"] == code) & (pupils["group_dim"] == "totaal")] if pupils is not None else None
        if s.empty and b.empty:
            continue
        per = s["period"].iloc[0] if len(s) else None
        base = p[p["period"] == per]["numerator"] if (p is not None and per is not None) else pd.Series(dtype=float)
        rec = {"code": code, "naam": names[code], "schooljaar": _label(per, short=True),
               "leerlingen_so_vso": s["numerator"].iloc[0] if len(s) else None,
               "leerlingen_bo_sbo": base.iloc[0] if len(base) else None,
               "deelname_sbo_pct": b["value"].iloc[0] if len(b) else None,
               "deelname_sbo_schooljaar": _label(b["period"].iloc[0], short=True) if len(b) else ""}
        data.append(rec)
        rows.append({"Regio": rec["naam"], "Schooljaar": rec["schooljaar"] or "–",
                     "Leerlingen so en vso": cells.count(rec["leerlingen_so_vso"]),
                     "Leerlingen basisonderwijs en sbo": cells.count(rec["leerlingen_bo_sbo"]),
                     "Deelname sbo (% van de leerlingen in basisonderwijs en sbo)": cells.pct(rec["deelname_sbo_pct"]),
                     "Deelname sbo: schooljaar": rec["deelname_sbo_schooljaar"] or "–"})
    if not rows:
        return Section(sid, title, heading=3, text="Er zijn geen cijfers over het speciaal onderwijs in de gebruikte "
                                                   "tabellen.")
    own = [scope.names.get(c, c) for c in members(scope) if c in {r["code"] for r in data}]
    focus = scope.focus.name
    if not own:
        whose = f"Daarom staan ze hier als context, niet als cijfer van {focus}."
    elif scope.focus.level == "gemeente":
        whose = f"{focus} is een van die gemeenten; de landelijke en provinciale cijfers staan ernaast als context."
    else:
        whose = (f"Van de gemeenten van {focus} hoort {' en '.join(own)} daarbij; voor de andere zijn er alleen de "
                 "provinciale en landelijke cijfers, als context.")
    last_sbo = max((r["deelname_sbo_schooljaar"] for r in data if r["deelname_sbo_schooljaar"]), default="")
    text = ("CBS publiceert het aantal leerlingen op speciale scholen en de deelname aan het speciaal basisonderwijs "
            f"alleen voor Nederland, de landsdelen, de provincies en de vier grootste gemeenten. {whose} De deelname "
            "sbo is het aantal leerlingen in het speciaal basisonderwijs gedeeld door alle leerlingen in "
            "basisonderwijs en sbo samen — dezelfde berekening als het deelnamepercentage van een "
            "samenwerkingsverband" + (f"; CBS publiceert haar tot en met schooljaar {last_sbo}. " if last_sbo else ". ")
            + DEELNAME_CAUTION)
    tables = sorted({t for f in (special, sbo) if f is not None for t in f["source_table"].dropna().unique()})
    return Section(sid, title, heading=3, text=text, table=pd.DataFrame(rows), data=pd.DataFrame(data),
                   source=wording.source_line(scope.who, tables, []),
                   caption="So en vso samen: de offline kopie van de CBS-tabel heeft ze niet apart.")


def _provinces(scope: Scope) -> list[str]:
    """The provincie(s) and landsdeel (landsdelen) of the focus's gemeenten of today."""
    cur = scope.shared.current
    if "provincie_code" not in cur.columns:
        return []
    return sorted(set(cur.loc[cur["gemeente_code"].isin(members(scope)), "provincie_code"].dropna()))


def secties(scope: Scope) -> list[Section]:
    """Block 1's onderwijs en jeugd: side by side, special education as context, the own leerplicht data."""
    return [naast_elkaar(scope), speciaal_onderwijs(scope), *leerplicht(scope)]
