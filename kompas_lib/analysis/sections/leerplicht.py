"""Block 1 — the gemeente's own leerplicht and passend-onderwijs data (template ``leerplicht.csv``), per
schooljaar: leerplichtigen, absoluut and langdurig relatief verzuim, vrijstellingen by article of the
Leerplichtwet, thuiszitters, pupils in sbo and so and the deelnamepercentages as samenwerkingsverbanden
compute them (sbo and so pupils over the pupils in basisonderwijs and sbo together).

A region's figures are its own rows when the file has them (a samenwerkingsverband's code), otherwise
the sum of its member gemeenten' rows, said in the text with how many of them the file holds. Counts
below the privacy threshold are never shown, and neither is a rate computed from one.
"""

from __future__ import annotations

import pandas as pd

from kompas_lib.analysis import cells, wording
from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.samenwerkingsverband import partly_words
from kompas_lib.analysis.section import Section
from kompas_lib.analysis.sections.sjabloon import missing_file_sections
from kompas_lib.core import fmt
from kompas_lib.core.periods import parse_period
from kompas_lib.sources.template_specs import LEERPLICHT_COUNTS, LEERPLICHT_VRIJSTELLINGEN

DEELNAME_CAUTION = ("Een hoger of lager deelnamepercentage is op zich niet goed of slecht: een school met een sterke "
                    "zorgstructuur kan juist kinderen aantrekken die veel steun nodig hebben, en een school die weinig "
                    "signaleert, verwijst ook weinig door. Bespreek het cijfer met scholen en het samenwerkingsverband "
                    "voordat u er iets van vindt.")
NO_FILE = ("Er is nog geen bestand met leerplichtgegevens. Vraag de afdeling leerplicht (en het samenwerkingsverband "
           "passend onderwijs) per schooljaar om de aantallen uit de leerplichtadministratie en de thuiszitterslijst. "
           "Het sjabloon heeft deze kolommen:")
FOR_PARTNERS = ("Leerplicht en passend onderwijs zijn nog niet in beeld: de gemeente houdt die cijfers zelf bij. Wat "
                "we leerplicht en het samenwerkingsverband vragen aan te leveren: per schooljaar het aantal "
                "leerplichtigen, absoluut en langdurig relatief verzuim, vrijstellingen per artikel, thuiszitters en "
                "het aantal leerlingen in het speciaal (basis)onderwijs.")
VRIJSTELLINGEN = {  # the articles of the Leerplichtwet 1969 in words (art. 3a/3b is vervangende leerplicht)
    "vrijstelling_5a": "Vrijstelling art. 5a (lichamelijke of psychische gronden)",
    "vrijstelling_5b": "Vrijstelling art. 5b (bezwaar tegen de richting van de scholen)",
    "vrijstelling_5c": "Vrijstelling art. 5c (ingeschreven op een school in het buitenland)",
    "vrijstelling_15": "Vrijstelling art. 15 (op andere wijze voldoende onderwijs)",
    "vrijstelling_3a": "Vervangende leerplicht (art. 3a/3b)",
    "vrijstelling_11": "Vrijstelling van geregeld schoolbezoek (art. 11)",
}
assert set(VRIJSTELLINGEN) == set(LEERPLICHT_VRIJSTELLINGEN)
MEASURES = {  # column -> row label in the table
    "leerplichtigen": "Leerplichtigen (5 tot 18 jaar)",
    "absoluut_verzuim": "Absoluut verzuim (niet ingeschreven)",
    "langdurig_relatief_verzuim": "Langdurig relatief verzuim",
    "thuiszitters": "Thuiszitters",
    **VRIJSTELLINGEN,
    "leerlingen_bao_sbo": "Leerlingen basisonderwijs en sbo",
    "leerlingen_sbo": "Leerlingen speciaal basisonderwijs (sbo)",
    "leerlingen_so": "Leerlingen speciaal onderwijs (so)",
}
PER_1000 = ("absoluut_verzuim", "langdurig_relatief_verzuim", "thuiszitters")  # also per 1.000 leerplichtigen
YEARS_SHOWN = 4


def members(scope: Scope) -> tuple[str, ...]:
    """The gemeenten the focus stands for: itself, or a region's gemeenten of today."""
    if scope.focus.level == "gemeente":
        return (scope.focus.code,)
    return tuple(scope.comparison.members.get(scope.focus.code, ()))


def _frame(scope: Scope) -> pd.DataFrame | None:
    own = scope.local.leerplicht
    return own.frame if own.present else None


def _summed(rows: pd.DataFrame, members: int | None = None) -> pd.DataFrame:
    """Per schooljaar the sum of ``rows``, with how many rows: a count that is empty in any of that year's
    rows stays empty (never a partial sum), and with ``members`` only the schooljaren in which that many
    rows are there."""
    g = rows.groupby("schooljaar", sort=True)
    cols = list(LEERPLICHT_COUNTS)
    out = g[cols].sum(min_count=1).where(g[cols].count().eq(g.size(), axis=0))
    out["_n"] = g.size()
    return out if members is None else out[out["_n"] == members]


def focus_series(scope: Scope, codes: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    """The focus's counts per schooljaar (index) and how they were made: its own rows, or the sum of
    its gemeenten's rows (``how`` says which, in words)."""
    df = _frame(scope)
    if df is None:
        return pd.DataFrame(), ""
    own = df[df["regio_code"] == scope.focus.code]
    if len(own):
        return _summed(own), ""
    rows = df[df["regio_code"].isin(codes)]
    if rows.empty or len(codes) == 1:
        return pd.DataFrame(), ""
    found = rows["regio_code"].nunique()
    summed = _summed(rows, found)
    how = (f"de som van de {found} gemeenten" if found == len(codes) else
           f"de som van de {found} van de {len(codes)} gemeenten die in het bestand staan")
    if summed.empty:
        return summed, how
    missing = sorted(set(rows["schooljaar"]) - set(summed.index))
    if missing:
        how += (f"; {_and([_label(m) for m in missing])} niet, omdat daar niet elke gemeente een regel heeft")
    return summed, how


def focus_rows(scope: Scope, codes, per_member: bool = False) -> dict[str, dict]:
    """Per gemeente of ``codes`` the counts of its latest schooljaar in the own file (empty without a file)."""
    df = _frame(scope)
    if df is None:
        return {}
    rows = df[df["regio_code"].isin(codes)].sort_values("schooljaar")
    return {code: r.to_dict() for code, r in rows.groupby("regio_code").tail(1).set_index("regio_code").iterrows()}


def _label(code: str) -> str:
    return parse_period(code).label.removeprefix("schooljaar ")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _share(num, den, scale: float):
    return num / den * scale if pd.notna(num) and pd.notna(den) and den > 0 else None


def table(series: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows: each measure (and verzuim and thuiszitters per 1.000, the deelname sbo and so); columns: the
    latest :data:`YEARS_SHOWN` schooljaren. Counts below ``threshold``, and rates from them, are not shown."""
    years = list(series.index)[-YEARS_SHOWN:]
    rows, data = [], []

    def add(label: str, values: list, kind: str):
        if all(v is None or pd.isna(v) for v, _ in values):
            return
        row = {"Maat": label}
        for y, (v, small) in zip(years, values):
            row[_label(y)] = (cells.below(threshold) if small else cells.count(v) if kind == "aantal"
                              else cells.number(v, 1) if kind == "per_1000" else cells.pct(v))
            data.append({"schooljaar": y, "maat": label, "waarde": None if small else v})
        rows.append(row)

    for col, label in MEASURES.items():
        vals = [series.at[y, col] for y in years]
        add(label, [(v, pd.notna(v) and v < threshold) for v in vals], "aantal")
        if col in PER_1000:
            add(f"{label} per 1.000 leerplichtigen",
                [(_share(series.at[y, col], series.at[y, "leerplichtigen"], 1000),
                  pd.notna(series.at[y, col]) and series.at[y, col] < threshold) for y in years], "per_1000")
    for col, label in (("leerlingen_sbo", "Deelname sbo (% van de leerlingen in basisonderwijs en sbo)"),
                       ("leerlingen_so", "Deelname so (% van de leerlingen in basisonderwijs en sbo)")):
        add(label, [(_share(series.at[y, col], series.at[y, "leerlingen_bao_sbo"], 100),
                     pd.notna(series.at[y, col]) and series.at[y, col] < threshold) for y in years], "percentage")
    return pd.DataFrame(rows), pd.DataFrame(data, columns=["schooljaar", "maat", "waarde"])


def _text(scope: Scope, series: pd.DataFrame, how: str) -> str:
    t = scope.threshold
    last = series.index[-1]
    r = series.loc[last]
    whose = f"{scope.focus.name} ({how})" if how else scope.focus.name
    parts = [f"Uit de eigen leerplichtadministratie van {whose}, schooljaar {_label(last)}:"]
    facts = []
    if pd.notna(r["leerplichtigen"]):
        facts.append(f"{fmt.count(r['leerplichtigen'])} leerplichtigen")
    for col, words in (("thuiszitters", "thuiszitters"), ("absoluut_verzuim", "jongeren niet ingeschreven (absoluut "
                                                                              "verzuim)"),
                       ("langdurig_relatief_verzuim", "jongeren met langdurig relatief verzuim")):
        v = r[col]
        if pd.notna(v):
            facts.append(f"minder dan {t} {words}" if v < t else f"{fmt.count(v)} {words}")
    parts.append(", ".join(facts) + "." if facts else "geen aantallen ingevuld.")
    if how and partly_words(scope):
        parts.append(f"{partly_words(scope)}; hun aantallen tellen hier helemaal mee.")
    first = series.index[0]
    a, b = series.at[first, "thuiszitters"], r["thuiszitters"]
    if first != last and pd.notna(a) and pd.notna(b) and min(a, b) >= t:
        parts.append(f"Het aantal thuiszitters ging van {fmt.count(a)} in {_label(first)} naar {fmt.count(b)}; of "
                     "dat een echte verandering is, hangt ook af van hoe de lijst wordt bijgehouden. Kijk naar de "
                     "richting over meer jaren, niet naar een verschil van een paar kinderen.")
    if series[["leerlingen_sbo", "leerlingen_so"]].notna().any().any():
        parts.append("De deelname aan sbo en so is berekend zoals samenwerkingsverbanden dat doen: leerlingen in het "
                     "sbo of so gedeeld door alle leerlingen in basisonderwijs en sbo samen. " + DEELNAME_CAUTION)
    return " ".join(parts)


def leerplicht(scope: Scope) -> list[Section]:
    """The own leerplicht file for the focus (or what to collect, or what is wrong with the file)."""
    own = scope.local.leerplicht
    if not own.present:
        return missing_file_sections("leerplicht", "leerplichtgegevens", NO_FILE, own, FOR_PARTNERS)
    series, how = focus_series(scope, members(scope))
    title = "Leerplicht en passend onderwijs (eigen gegevens)"
    if series.empty:
        codes = ", ".join(sorted(own.frame["regio_code"].unique())[:8])
        why = (f"heeft voor geen enkel schooljaar een regel van elke gemeente van {scope.focus.name} die erin staat "
               "(een som van een deel zou te laag zijn)" if how else f"heeft geen regels voor {scope.focus.name}")
        return [Section("leerplicht", title, heading=3,
                        text=f"Het bestand met leerplichtgegevens ({own.name}) {why}; het bevat regels voor {codes}.")]
    shown, data = table(series, scope.threshold)
    who = wording.own_data_who(scope.fictitious)
    return [Section("leerplicht", title, heading=3, text=_text(scope, series, how), table=shown, data=data,
                    source=wording.source_line(who),
                    caption=f"Aantallen onder {scope.threshold} worden niet getoond, en ook geen cijfer per 1.000 of "
                            "percentage dat erop berust. Definities van verzuim en thuiszitters zoals de gemeente ze "
                            "zelf hanteert.")]
