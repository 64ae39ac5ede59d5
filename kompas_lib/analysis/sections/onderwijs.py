"""Block 1 — onderwijs en jeugd: the seed-5 indicators that public data carry, and the gemeente's own
leerplicht data, beside jeugdhulp for the same age group.

- *Naast elkaar* (:func:`naast_elkaar`): per gemeente (for a region: per member gemeente, and the region
  as their sum) the pupils in basisonderwijs and sbo (85701NED, by woongemeente), the jongeren of 4 to 18
  with jeugdzorg (the age groups of the wijk tables), jeugdhulp in natura and voortijdig schoolverlaten —
  and, from the own leerplicht file, thuiszitters and verzuim. Different registrations of the same age
  group, not the same children linked one to one.
- *Speciaal onderwijs als context* (:func:`speciaal_onderwijs`): CBS publishes pupils on special schools
  and the sbo deelname only for Nederland, landsdelen, provincies and the four largest gemeenten; shown
  as context, never as the gemeente's own figure.
- *Leerplicht* (:func:`leerplicht`, :mod:`.leerplicht`): the own file per schooljaar, with the seed's
  caution that a higher or lower deelnamepercentage is neither good nor bad by itself.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis import cells, wording
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Section
from kompas_lib.analysis.sections.leerplicht import DEELNAME_CAUTION, focus_rows, leerplicht, members
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period
from kompas_lib.prepare.regions import COUNTRY_CODE as COUNTRY

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
        return pd.DataFrame(columns=["period", "numerator"])
    rows = facts[facts["region_code"].isin(codes) & (facts["group_dim"] == "leeftijd")
                 & facts["group_value"].isin(SCHOOL_AGES) & facts["numerator"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=["period", "numerator"])
    last = rows.groupby("region_code")["period_start"].transform("max")
    rows = rows[rows["period_start"] == last]
    both = rows.groupby(["region_code", "period"])["group_value"].nunique() == len(SCHOOL_AGES)
    sums = rows.groupby(["region_code", "period"])["numerator"].sum()[both]
    return sums.reset_index("period")


def _label(period, short: bool = False) -> str:
    """'schooljaar 2023/'24' (or with ``short`` '2023/'24'), '2024'; '' for no period."""
    if not (isinstance(period, str) and period):
        return ""
    label = parse_period(period).label
    return label.removeprefix("schooljaar ") if short else label


def naast_elkaar(scope: Scope) -> Section:
    """One row per gemeente of the focus (and the region as their sum, and Nederland): pupils bo+sbo,
    jongeren 4–18 with jeugdzorg, jeugdhulp in natura (%), VSV (%) and, with the own file, thuiszitters
    and verzuim of the latest schooljaar."""
    codes = members(scope)
    if not codes:
        return Section("onderwijs_naast_elkaar", TITLE, heading=2,
                       text=f"Voor {scope.focus.name} zijn geen gemeenten bekend om de cijfers van te tonen.")
    pupils, vsv, hulp = (_latest(_ind(scope, i), (*codes, COUNTRY)) for i in (PUPILS, VSV, JEUGDHULP))
    jz = school_age_jeugdzorg(scope, (*codes, COUNTRY))
    own = focus_rows(scope, codes, per_member=True)
    rows, data = [], []
    names = scope.names
    order = sorted(codes, key=lambda c: names.get(c, c)) + [COUNTRY]
    for code in order:
        lp = own.get(code)
        rec = {"code": code, "naam": scope.country if code == COUNTRY else names.get(code, code),
               "leerlingen_bo_sbo": pupils["numerator"].get(code), "jeugdzorg_4_18": jz["numerator"].get(code),
               "jeugdhulp_pct": hulp["value"].get(code), "vsv_pct": vsv["value"].get(code),
               "thuiszitters": None if lp is None else lp.get("thuiszitters"),
               "absoluut_verzuim": None if lp is None else lp.get("absoluut_verzuim")}
        data.append(rec)
        rows.append({"Gemeente": rec["naam"],
                     "Leerlingen bo en sbo": cells.count(rec["leerlingen_bo_sbo"]),
                     "Jongeren 4–18 jaar met jeugdzorg": cells.count(rec["jeugdzorg_4_18"]),
                     "Jeugdhulp in natura (% tot 18 jaar)": cells.pct(rec["jeugdhulp_pct"]),
                     "Voortijdig schoolverlaters (%)": cells.pct(rec["vsv_pct"]),
                     **({"Thuiszitters (eigen telling)": _own_count(rec["thuiszitters"], scope.threshold),
                         "Absoluut verzuim (eigen telling)": _own_count(rec["absoluut_verzuim"], scope.threshold)}
                        if own else {})})
    table = pd.DataFrame(rows)
    data = pd.DataFrame(data)
    data.loc[data["thuiszitters"].fillna(scope.threshold) < scope.threshold, "thuiszitters"] = None
    data.loc[data["absoluut_verzuim"].fillna(scope.threshold) < scope.threshold, "absoluut_verzuim"] = None
    periods = {"leerlingen": pupils["period"], "jeugdzorg": jz["period"], "jeugdhulp": hulp["period"],
               "vsv": vsv["period"]}
    latest = {k: _label(v.max()) if len(v) else "" for k, v in periods.items()}
    text = _intro(scope, codes, pupils, jz, vsv, latest)
    caption = (f"Leerlingen: schooljaar {latest['leerlingen'].removeprefix('schooljaar ')} ({scope.table_label('85701NED')}, naar "
               f"woongemeente, afgerond op tientallen); jeugdzorg 4–18 jaar: {latest['jeugdzorg']} (wijktabellen, "
               f"som van 4–12 en 12–18 jaar); jeugdhulp: {latest['jeugdhulp']}; voortijdig schoolverlaten: "
               f"{latest['vsv']}. Per gemeente het laatste jaar met een cijfer.")
    if own:
        caption += (" Thuiszitters en verzuim uit de eigen leerplichtadministratie, laatste schooljaar; aantallen "
                    f"onder {scope.threshold} worden niet getoond.")
    tables = sorted({t for t in pd.concat([_ind(scope, i)["source_table"] for i in (PUPILS, VSV, JEUGDHULP, WIJK)
                                           if _ind(scope, i) is not None]).dropna().unique()})
    return Section("onderwijs_naast_elkaar", TITLE, text=text, table=table, data=data,
                   caption=caption, source=wording.source_line(scope.who, tables, []), note=SAME_CHILDREN)


def _own_count(x, threshold: int):
    return None if x is None or pd.isna(x) else cells.suppressed_count(x, threshold)


def _intro(scope: Scope, codes, pupils, jz, vsv, latest) -> str:
    """The picture in two or three sentences: pupils and jongeren with jeugdzorg of the focus, VSV
    against Nederland."""
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
    if len(codes) == 1 and codes[0] in vsv.index:
        v = vsv.loc[codes[0]]
        nl = vsv["value"].get(COUNTRY)
        parts.append(f"Van de leerlingen verliet {fmt.pct(v['value'], 1)} in {_label(v['period'])} het onderwijs "
                     "zonder startkwalificatie" + (f" ({scope.country}: {fmt.pct(nl, 1)})." if nl is not None
                                                   and pd.notna(nl) else "."))
    parts.append("Hoeveel kinderen naar het speciaal onderwijs gaan, publiceert CBS niet per gemeente; de landelijke "
                 "en provinciale cijfers staan hieronder als context.")
    return " ".join(parts)


def speciaal_onderwijs(scope: Scope) -> Section:
    """Pupils on special schools (so and vso) and the sbo deelname where CBS publishes them: Nederland,
    the focus's provincie (and the focus itself when it is one of the four largest gemeenten)."""
    sid, title = "onderwijs_speciaal", "Speciaal onderwijs: landelijke en provinciale context"
    special, sbo, pupils = _ind(scope, SPECIAL), _ind(scope, SBO), _ind(scope, PUPILS)
    if special is None and sbo is None:
        return Section(sid, title, heading=3, text="De catalogus heeft geen cijfers over het speciaal onderwijs.")
    wanted = [COUNTRY, *_provinces(scope), *members(scope)]
    rows, data = [], []
    for code in dict.fromkeys(wanted):
        s = _latest(special, [code])
        b = _latest(sbo, [code])
        p = pupils[(pupils["region_code"] == code) & (pupils["group_dim"] == "totaal")] if pupils is not None else None
        if s.empty and b.empty:
            continue
        per = s["period"].iloc[0] if len(s) else None
        base = p[p["period"] == per]["numerator"] if (p is not None and per is not None) else pd.Series(dtype=float)
        rec = {"code": code, "naam": scope.names.get(code, scope.country if code == COUNTRY else code),
               "schooljaar": _label(per, short=True), "leerlingen_so_vso": s["numerator"].iloc[0] if len(s) else None,
               "leerlingen_bo_sbo": base.iloc[0] if len(base) else None,
               "deelname_sbo_pct": b["value"].iloc[0] if len(b) else None,
               "deelname_sbo_schooljaar": _label(b["period"].iloc[0], short=True) if len(b) else ""}
        data.append(rec)
        rows.append({"Regio": rec["naam"], "Schooljaar": rec["schooljaar"] or "–",
                     "Leerlingen so en vso": cells.count(rec["leerlingen_so_vso"]),
                     "Leerlingen bo en sbo": cells.count(rec["leerlingen_bo_sbo"]),
                     "Deelname sbo (%)": cells.pct(rec["deelname_sbo_pct"]),
                     "Deelname sbo: schooljaar": rec["deelname_sbo_schooljaar"] or "–"})
    if not rows:
        return Section(sid, title, heading=3, text="Er zijn geen cijfers over het speciaal onderwijs in de gebruikte "
                                                   "tabellen.")
    text = ("CBS publiceert het aantal leerlingen op speciale scholen en de deelname aan het speciaal basisonderwijs "
            "alleen voor Nederland, de landsdelen, de provincies en de vier grootste gemeenten. Daarom staan ze hier "
            f"als context, niet als cijfer van {scope.focus.name}. De deelname sbo is het aantal leerlingen in het "
            "speciaal basisonderwijs gedeeld door alle leerlingen in basisonderwijs en sbo samen — dezelfde "
            "berekening als het deelnamepercentage van een samenwerkingsverband; CBS publiceert haar tot en met "
            "schooljaar 2021/'22. " + DEELNAME_CAUTION)
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
