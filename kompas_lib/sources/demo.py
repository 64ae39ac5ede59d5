"""Demoland: a deterministic, fictitious country in the raw formats of the real CBS tables.

The demo data are the offline default and the training dataset. They are written in exactly the
layout of the CBS snapshot (``<out>/<TABLEID>/<TABLEID>.csv``, ``;``, UTF-8 with BOM, titles in the
dimension columns, counts as floats, empty = missing), so ``prepare`` reads them unchanged. Every
table carries a metadata JSON with ``"fictief": true`` and a title starting with ``FICTIEF``.

Calibration (real national levels, rounded): jongeren met jeugdzorg 8,5 % (2015) rising to about
11 % (2023) of youth 0–22; jeugdhulp in natura 10–14 % of youth 0–17; jeugdbescherming ~1,1 %;
jeugdreclassering ~0,3 %; counts rounded to multiples of 5 as CBS does.

Demoland has 33 gemeenten until 2021; on 1 January 2022 Oud-Kempen (GM9032) and Heidebroek
(GM9033) merge into Kempenland (GM9040) — 32 gemeenten from 2022, in 5 jeugdregio's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core import io

SEED = 20240601
COUNTRY = "Demoland"
NOTE = "Fictieve gegevens voor oefening en training; geen echte cijfers."

PROVINCIES = [("PV91", "Noorderland"), ("PV92", "Middenland"), ("PV93", "Zuiderland")]
JEUGDREGIOS = [("JZ91", "Demo-Noord", "PV91"), ("JZ92", "Demo-Kust", "PV91"), ("JZ93", "Demo-Midden", "PV92"),
               ("JZ94", "Demo-Rivier", "PV92"), ("JZ95", "Demo-Zuid", "PV93")]
GEMEENTE_NAMEN = [
    "Waterveen", "Bergstede", "Lindehoven", "Oosterbroek", "Kraaiendam", "Wilgenburg", "Heuvelrade",
    "Zandwijk", "Meerdijk", "Eikenrode", "Vlietstad", "Duinoord", "Ruisvelde", "Kanaalzijl", "Molenbeek",
    "Veldhoven-Demo", "Brugmond", "Haverdam", "Sluisbroek", "Ijzerveld", "Kleiwerd", "Rietmeer", "Dijkhuizen",
    "Polderstad", "Groenlo-Demo", "Beukenhorst", "Ravenwoud", "Stroomdal", "Hoogvenne", "Klaverwijk",
    "Noordveld", "Oud-Kempen", "Heidebroek",
]
MERGE_YEAR = 2022
MERGED = ("GM9032", "GM9033")
SUCCESSOR = ("GM9040", "Kempenland")
WIJKNAMEN = ["Centrum", "Noord", "Oost", "Zuid", "West", "Buitengebied", "Haven", "De Horst"]

GEBIEDEN_IDS = {2017: "83553NED", 2018: "83859NED", 2019: "84378NED", 2020: "84721NED", 2021: "84929NED",
                2022: "85067NED", 2023: "85385NED", 2024: "85755NED"}
WIJK_IDS = {2015: "82964NED", 2016: "83563NED", 2017: "83782NED", 2018: "84316NED", 2019: "84615NED",
            2020: "84856NED", 2021: "85075NED", 2022: "85335NED", 2023: "85685NED", 2024: "85990NED"}
YEARS = list(range(2015, 2025))
# national share of youth 0–22 with jeugdzorg per year (full year), real levels rounded
NATIONAL_RATE = {2015: 8.5, 2016: 9.3, 2017: 9.7, 2018: 10.0, 2019: 10.3, 2020: 10.2, 2021: 10.6,
                 2022: 10.8, 2023: 11.0, 2024: 11.1}
GROOTTE = [(0, 5_000, "1", "Minder dan 5 000 inwoners"), (5_000, 10_000, "2", "5 000 tot 10 000 inwoners"),
           (10_000, 20_000, "3", "10 000 tot 20 000 inwoners"), (20_000, 50_000, "4", "20 000 tot 50 000 inwoners"),
           (50_000, 100_000, "5", "50 000 tot 100 000 inwoners"), (100_000, 150_000, "6", "100 000 tot 150 000 inwoners"),
           (150_000, 250_000, "7", "150 000 tot 250 000 inwoners"), (250_000, 10**9, "8", "250 000 inwoners of meer")]
STEDELIJK = ["Zeer sterk stedelijk", "Sterk stedelijk", "Matig stedelijk", "Weinig stedelijk", "Niet stedelijk"]
GROOTTEKLASSEN_JZ = [(0, "Minder dan 20 000 inwoners"), (20_000, "20 000 tot 50 000 inwoners"),
                     (50_000, "50 000 tot 100 000 inwoners"), (100_000, "100 000 tot 150 000 inwoners"),
                     (150_000, "150 000 tot 250 000 inwoners"), (250_000, "250 000 inwoners of meer")]


def _r5(x):
    """Round counts to multiples of 5, as CBS does for youth-care counts."""
    return np.round(np.asarray(x, dtype=float) / 5.0) * 5.0


def _fmt(values, decimals: int | None) -> list[str]:
    """CBS raw cell text: '318610.0' for counts, '11.2' for percentages, '' for missing."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append("")
        elif decimals is None:
            out.append(f"{float(v):.1f}")
        else:
            out.append(f"{round(float(v), decimals):.{decimals}f}")
    return out


def _gemeenten(rng) -> pd.DataFrame:
    n = len(GEMEENTE_NAMEN)
    pop = np.exp(rng.normal(np.log(30_000), 0.9, n)).clip(5_200, 340_000)
    pop[0], pop[1] = 336_000, 158_000  # two cities, so every grootteklasse is used
    jz = [JEUGDREGIOS[i % len(JEUGDREGIOS)] for i in range(n)]
    df = pd.DataFrame({
        "code": [f"GM{9001 + i}" for i in range(n)],
        "naam": GEMEENTE_NAMEN,
        "inwoners": np.round(pop),
        "jz_code": [j[0] for j in jz], "jz_naam": [j[1] for j in jz], "pv_code": [j[2] for j in jz],
        "share_0_17": rng.uniform(0.17, 0.22, n),
        "share_0_22": rng.uniform(0.25, 0.30, n),
        "factor": np.exp(rng.normal(0, 0.18, n)),
        "n_wijken": rng.integers(3, 9, n),
    })
    df.loc[df["inwoners"] > 150_000, "factor"] *= 1.15
    df["pv_naam"] = df["pv_code"].map(dict(PROVINCIES))
    df["cr_code"] = [f"CR9{i % 6 + 1}" for i in range(n)]
    df["cr_naam"] = [f"Demo-COROP {i % 6 + 1}" for i in range(n)]
    df["gg_code"] = df["pv_code"].str.replace("PV", "GG")
    df["gg_naam"] = "GGD " + df["pv_naam"]
    df["mc_code"] = df["jz_code"].str.replace("JZ", "MC")
    df["mc_naam"] = "RMC " + df["jz_naam"]
    df["stedelijk"] = np.select([df.inwoners > 150_000, df.inwoners > 60_000, df.inwoners > 25_000,
                                 df.inwoners > 12_000], [1, 2, 3, 4], 5)
    return df


def _successor(g: pd.DataFrame) -> pd.Series:
    parts = g[g.code.isin(MERGED)]
    row = parts.iloc[0].copy()
    row["code"], row["naam"] = SUCCESSOR
    row["inwoners"] = parts["inwoners"].sum()
    for col in ("share_0_17", "share_0_22", "factor"):
        row[col] = float(np.average(parts[col], weights=parts["inwoners"]))
    row["n_wijken"] = int(parts["n_wijken"].sum())
    return row


def gemeenten_in(g: pd.DataFrame, year: int) -> pd.DataFrame:
    """The gemeenten of Demoland in a given year (the merger applies from 2022)."""
    if year < MERGE_YEAR:
        return g.reset_index(drop=True)
    merged = pd.concat([g[~g.code.isin(MERGED)], _successor(g).to_frame().T], ignore_index=True)
    return merged.astype(g.dtypes.to_dict())


def _periods(year: int, kind: str) -> list[tuple[str, float]]:
    """(title, factor of the full-year rate) for the periods a table publishes in a year."""
    if year == 2024:
        return [("1e half jaar 2024" if kind == "new" else "1e halfjaar 2024", 0.84)]
    out = []
    if kind == "quarter" and year == 2015:
        out.append(("1e kwartaal 2015", 0.74))
    out += [(f"1e halfjaar {year}", 0.84), (f"2e halfjaar {year}", 0.85), (str(year), 1.0)]
    return out


def _write(out: Path, table_id: str, df: pd.DataFrame, title: str) -> None:
    df = df.copy()
    df.insert(0, "ID", range(len(df)))
    io.write_csv(df, out / table_id / f"{table_id}.csv", sep=";", encoding="utf-8-sig", index=False)
    io.write_json(out / table_id / f"{table_id}.json", {
        "table_id": table_id, "title": f"FICTIEF – {title} (Demoland)", "modified": "2025-01-01",
        "source": "demo", "fictief": True, "note": NOTE})


def _gebieden(out: Path, g: pd.DataFrame) -> None:
    for year, tid in GEBIEDEN_IDS.items():
        gy = gemeenten_in(g, year)
        pad = lambda s, n: [str(x).ljust(n) for x in s]  # noqa: E731
        grootte = [next((c, t) for lo, hi, c, t in GROOTTE if lo <= v < hi) for v in gy.inwoners]
        cols = {
            "RegioS": list(gy.naam), "Code_1": pad(gy.code, 10), "Naam_2": pad(gy.naam, 50), "SorteringNaam_3": pad(gy.naam, 50),
            "Code_4": pad(["AM91"] * len(gy), 10), "Naam_5": pad(["Demo-arbeidsmarkt"] * len(gy), 50),
            "Code_10": pad(gy.cr_code, 10), "Naam_11": pad(gy.cr_naam, 50),
            "Code_16": pad(gy.gg_code, 10), "Naam_17": pad(gy.gg_naam, 50),
            "Code_18": pad(gy.jz_code, 10), "Naam_19": pad(gy.jz_naam, 50),
            "Code_26": pad(["LD91"] * len(gy), 10), "Naam_27": pad(["Demoland-Oost"] * len(gy), 50),
            "Code_28": pad(gy.pv_code, 10), "Naam_29": pad(gy.pv_naam, 50),
            "Code_34": pad(gy.mc_code, 10), "Naam_35": pad(gy.mc_naam, 50),
            "Code_52": [c for c, _ in grootte], "Omschrijving_53": pad([t for _, t in grootte], 50),
            "Code_54": [str(s) for s in gy.stedelijk], "Omschrijving_55": pad([STEDELIJK[s - 1] for s in gy.stedelijk], 50),
            "Inwonertal_56": [str(int(v * (1 + 0.004 * (year - 2024)))) for v in gy.inwoners],
        }
        _write(out, tid, pd.DataFrame(cols), f"Gebieden in Nederland {year}")


def _rates(g: pd.DataFrame, rng) -> dict[tuple[str, int], float]:
    """Full-year share (%) of youth 0–22 with jeugdzorg per gemeente and year."""
    rates = {}
    for row in g.itertuples(index=False):
        for y in YEARS:
            rates[(row.code, y)] = NATIONAL_RATE[y] * row.factor * float(np.exp(rng.normal(0, 0.03)))
    succ = _successor(g)
    for y in YEARS:
        rates[(succ.code, y)] = float(np.average([rates[(c, y)] for c in MERGED],
                                                 weights=g.set_index("code").loc[list(MERGED), "inwoners"]))
    return rates


def _aggregates(gy: pd.DataFrame) -> list[tuple[str, pd.Index]]:
    """Region title -> member rows, for Demoland, provincies, jeugdregio's and COROP."""
    groups = [(COUNTRY, gy.index)]
    for code, name in PROVINCIES:
        groups.append((f"{name} (PV)", gy.index[gy.pv_code == code]))
    for code, name, _ in JEUGDREGIOS:
        groups.append((f"{name} (JZ)", gy.index[gy.jz_code == code]))
    for code in sorted(gy.cr_code.unique()):
        groups.append((f"{gy.loc[gy.cr_code == code, 'cr_naam'].iloc[0]} (CR)", gy.index[gy.cr_code == code]))
    return groups


def _kerncijfers(out: Path, g: pd.DataFrame, rates, rng) -> None:
    for tid, years in (("84134NED", range(2015, 2021)), ("85099NED", range(2021, 2025))):
        rows = []
        for vorm, share in (("JZ Totaal jeugdzorg", 1.0), ("JZ Totaal jeugdzorg in natura", 0.93)):
            for y in years:
                gy = gemeenten_in(g, y)
                youth = (gy.inwoners * gy.share_0_22).to_numpy()
                for title, f in _periods(y, "new" if tid == "85099NED" else "old"):
                    counts = _r5(youth * np.array([rates[(c, y)] for c in gy.code]) / 100 * f * share)
                    secret = (youth < 1_800) & (rng.random(len(gy)) < 0.15)
                    for name, idx in _aggregates(gy):
                        n, d = counts[idx].sum(), youth[idx].sum()
                        rows.append((vorm, name, title, n, n / d * 100))
                    for i, row in enumerate(gy.itertuples(index=False)):
                        n = np.nan if secret[i] else counts[i]
                        rows.append((vorm, row.naam, title, n, n / youth[i] * 100))
        df = pd.DataFrame(rows, columns=["VormenVanJeugdzorg", "RegioS", "Perioden", "c", "r"])
        df["JongerenMetJeugdzorg_1"] = _fmt(df.c, None)
        df["JongerenMetJeugdzorgRelatief_2"] = _fmt(df.r, 1)
        df["Jeugdzorgtrajecten_3"] = _fmt(_r5(df.c * 1.35), None)
        _write(out, tid, df.drop(columns=["c", "r"]), "Kerncijfers over jeugdzorg")


def _indicatoren(out: Path, g: pd.DataFrame, rates, rng) -> None:
    for tid, years in (("82972NED", range(2015, 2021)), ("85098NED", range(2021, 2025))):
        rows = []
        for y in years:
            gy = gemeenten_in(g, y)
            youth = (gy.inwoners * gy.share_0_17).to_numpy()
            base = np.array([rates[(c, y)] for c in gy.code]) * 1.18
            # gemeente effects are stable over the years; the yearly noise shrinks with the number of youths
            noise = 1 / np.sqrt(youth / 2_000)
            f = gy.factor.to_numpy()
            verblijf = (11.5 - 0.25 * (y - 2015)) * f ** -0.5 + rng.normal(0, 0.6, len(gy)) * noise
            jb = (1.25 - 0.03 * (y - 2015)) * f ** 1.2 * np.exp(rng.normal(0, 0.08, len(gy)) * noise)
            jbv = 47 + 6 * np.log(f) + rng.normal(0, 2, len(gy)) * noise
            jr = 0.4 * f * np.exp(-0.04 * (y - 2015) + rng.normal(0, 0.1, len(gy)) * noise)
            for title, f in _periods(y, "new" if tid == "85098NED" else "quarter"):
                vals = np.column_stack([base * f, verblijf, jb * (0.9 + 0.1 * f), jbv, jr * (0.9 + 0.1 * f)])
                small = youth < 1_500
                for name, idx in _aggregates(gy):
                    rows.append((name, title, *np.average(vals[idx], axis=0, weights=youth[idx])))
                for lo, label in GROOTTEKLASSEN_JZ:
                    hi = next((l2 for l2, _ in GROOTTEKLASSEN_JZ if l2 > lo), 10**9)
                    idx = np.where((gy.inwoners >= lo) & (gy.inwoners < hi))[0]
                    if len(idx):
                        rows.append((label, title, *np.average(vals[idx], axis=0, weights=youth[idx])))
                for i, row in enumerate(gy.itertuples(index=False)):
                    v = vals[i].copy()
                    if small[i]:
                        v[3:] = np.nan  # too few youths: CBS publishes no figure
                    rows.append((row.naam, title, *v))
        df = pd.DataFrame(rows, columns=["RegioS", "Perioden", "a", "b", "c", "d", "e"])
        for col, name in zip("abcde", ["JongerenMetJeugdhulpInNatura_1", "JongerenMetJeugdhMetVerblInNat_2",
                                       "JongerenMetJeugdbescherming_3", "JeugdbeschEnJeugdhMetVerblInNat_4",
                                       "JongerenMetJeugdreclassering_5"]):
            df[name] = _fmt(df[col], 1)
        _write(out, tid, df.drop(columns=list("abcde")), "Indicatoren jeugdzorg in natura; gemeenten")


def _bevolking(out: Path, g: pd.DataFrame) -> None:
    rows = []
    for y in (2023, 2024):
        gy = gemeenten_in(g, y)
        inw = np.round(gy.inwoners.to_numpy() * (1 + 0.004 * (y - 2024)))
        young = np.round(inw * gy.share_0_17.to_numpy())
        rows.append(("Definitief", COUNTRY, str(y), inw.sum(), young.sum()))
        for code, name in PROVINCIES:
            idx = (gy.pv_code == code).to_numpy()
            rows.append(("Definitief", f"{name} (PV)", str(y), inw[idx].sum(), young[idx].sum()))
        for i, row in enumerate(gy.itertuples(index=False)):
            rows.append(("Definitief", row.naam, str(y), inw[i], young[i]))
    df = pd.DataFrame(rows, columns=["StatusCijfer", "RegioS", "Perioden", "a", "b"])
    df["InwonersTotaal_1"] = _fmt(df.a, None)
    df["InwonersJongerDan18_2"] = _fmt(df.b, None)
    _write(out, "85383NED", df.drop(columns=["a", "b"]), "Maatstaven gemeentefonds")


WIJK_COLUMNS = ["TotaalJongerenMetJeugdzorgInNatura_1", "k_0Tot4Jaar_2", "k_4Tot12Jaar_3", "k_12Tot18Jaar_4",
                "k_18Tot23Jaar_5", "ThuiswonendKindInEenouderhuishouden_6", "ThuiswonendKindBijEenPaar_7",
                "AnderHuishouden_8", "TotaalTrajectenInNatura_9", "GemeentelijkeToegang_10", "Huisarts_11",
                "Jeugdarts_12", "GecertificeerdeInstelling_13", "MedischSpecialist_14", "RechterOfficierVanJustitie_15",
                "GeenVerwijzer_16", "VerwijzerOnbekend_17"]
HOUSEHOLD_SPLIT = np.array([0.27, 0.65, 0.08])
VERWIJZER_SPLIT = np.array([0.31, 0.32, 0.03, 0.08, 0.04, 0.01, 0.14, 0.07])


def _wijken(out: Path, g: pd.DataFrame, rates, rng) -> None:
    age_split = np.array([0.06, 0.46, 0.42, 0.06])

    def parts(c):
        traj = _r5(c * 1.4)
        return [*_r5(c * age_split), *_r5(c * HOUSEHOLD_SPLIT), traj, *_r5(traj * VERWIJZER_SPLIT)]

    wijk_weights = {}
    for row in g.itertuples(index=False):
        wijk_weights[row.code] = rng.dirichlet(np.full(int(row.n_wijken), 3.0))
    succ = _successor(g)
    wijk_weights[succ.code] = np.concatenate([wijk_weights[c] * w for c, w in zip(
        MERGED, g.set_index("code").loc[list(MERGED), "inwoners"] / g.set_index("code").loc[list(MERGED), "inwoners"].sum())])
    for year, tid in WIJK_IDS.items():
        gy = gemeenten_in(g, year)
        rows = []
        for title, f in _periods(year, "old"):
            counts = {}
            for row in gy.itertuples(index=False):
                youth = row.inwoners * row.share_0_22
                counts[row.code] = youth * rates[(row.code, year)] / 100 * f * 0.93
            total = _r5(sum(counts.values()))
            rows.append(("Totaal alle jeugdzorg in natura", COUNTRY, title, total, *parts(total),
                         "", "Land", "NL01", ""))
            for row in gy.itertuples(index=False):
                c = _r5(counts[row.code])
                rows.append(("Totaal alle jeugdzorg in natura", row.naam, title, c, *parts(c),
                             row.naam, "Gemeente", row.code, ""))
                for j, w in enumerate(wijk_weights[row.code]):
                    wc = _r5(counts[row.code] * w * np.exp(rng.normal(0, 0.1)))
                    split = parts(wc)
                    if wc < 10:  # tiny wijk: secret
                        wc, split = np.nan, [np.nan] * (len(WIJK_COLUMNS) - 1)
                    name = f"Wijk {j:02d} {WIJKNAMEN[j % len(WIJKNAMEN)]}"
                    rows.append(("Totaal alle jeugdzorg in natura", name, title, wc, *split,
                                 row.naam, "Wijk", f"WK{row.code[2:]}{j:02d}", "1"))
        df = pd.DataFrame(rows, columns=["VormenVanJeugdzorg", "Wijken", "Perioden", *WIJK_COLUMNS,
                                         "Gemeentenaam_18", "SoortRegio_19", "Codering_20", "IndelingswijzigingWijken_21"])
        for col in WIJK_COLUMNS:
            df[col] = _fmt(df[col], None)
        _write(out, tid, df, f"Jeugdzorg in natura per wijk {year}")


AGE_GROUPS = [("0 tot 4 jaar", 0.07), ("4 tot 12 jaar", 0.45), ("12 tot 18 jaar", 0.41), ("18 tot 23 jaar", 0.07)]
SEX = [("Mannen", 0.56), ("Vrouwen", 0.44)]


def _geslacht_leeftijd(out: Path, g: pd.DataFrame, rates, rng) -> None:
    """National youth in jeugdzorg in natura by sex and age group, at peildata (as 82969NED/85095NED)."""
    for tid, years in (("82969NED", range(2015, 2021)), ("85095NED", range(2021, 2025))):
        rows = []
        for y in years:
            gy = gemeenten_in(g, y)
            total = float(sum(gy.inwoners * gy.share_0_22 * [rates[(c, y)] for c in gy.code]) / 100 * 0.62)
            dates = [f"30 juni {y}"] + ([f"31 december {y}"] if y < 2024 else [])
            for title in dates:
                t = total * (1 + rng.normal(0, 0.01))
                for sex, s_share in [("Totaal mannen en vrouwen", 1.0), *SEX]:
                    rows.append((sex, "Totaal", title, _r5(t * s_share)))
                    for age, a_share in AGE_GROUPS:
                        tilt = 1.1 if (sex == "Mannen" and age == "4 tot 12 jaar") else 1.0
                        rows.append((sex, age, title, _r5(t * s_share * a_share * tilt)))
        df = pd.DataFrame(rows, columns=["Geslacht", "Leeftijd", "Perioden", "c"])
        df["TotaalJongerenMetJeugdzorgInNatura_1"] = _fmt(df.c, None)
        _write(out, tid, df.drop(columns="c"), "Jongeren met jeugdzorg in natura; geslacht, leeftijd")


def _per_gemeente(g: pd.DataFrame, year: int, with_aggregates: bool = True):
    """(title, member index) rows: country, provincies, jeugdregio's, COROP and every gemeente."""
    gy = gemeenten_in(g, year)
    groups = _aggregates(gy) if with_aggregates else [(COUNTRY, gy.index)]
    return gy, groups + [(r.naam, pd.Index([i])) for i, r in zip(gy.index, gy.itertuples(index=False))]


def _trajecten(out: Path, g: pd.DataFrame, rates, rng) -> None:
    """Lopende trajecten on peildata (as 82968NED/85094NED): a subset of the real columns."""
    cols = ["TotaalJeugdzorgtrajectenInNatura_1", "TotaalJeugdhulptrajectenInNatura_2", "TotaalJeugdhulpZonderVerblijf_3",
            "TotaalJeugdhulpMetVerblijf_9", "TotaalJeugdbeschermingstrajecten_14", "TotaalJeugdreclasseringstrajecten_22"]
    shares = np.array([1.0, 0.90, 0.82, 0.08, 0.085, 0.015])
    for tid, years in (("82968NED", range(2015, 2021)), ("85094NED", range(2021, 2025))):
        rows = []
        for y in years:
            gy, groups = _per_gemeente(g, y)
            youth = (gy.inwoners * gy.share_0_22).to_numpy()
            base = youth * np.array([rates[(c, y)] for c in gy.code]) / 100 * 0.75
            for title in [f"30 juni {y}"] + ([f"31 december {y}"] if y < 2024 else []):
                noise = np.exp(rng.normal(0, 0.02, len(gy)))
                for name, idx in groups:
                    tot = float((base * noise)[idx].sum())
                    rows.append((name, title, *_r5(tot * shares)))
        df = pd.DataFrame(rows, columns=["RegioS", "Perioden", *cols])
        for c in cols:
            df[c] = _fmt(df[c], None)
        _write(out, tid, df, "Trajecten jeugdzorg in natura; regio, op peildatum")


def _kosten(out: Path, g: pd.DataFrame, rng) -> None:
    """Gerealiseerde kosten jeugdzorg per gemeente (as 83454NED), gemeenten only."""
    rows = []
    for y in range(2015, 2024):
        gy = gemeenten_in(g, y)
        for r in gy.itertuples(index=False):
            per_inw = (180 + 18 * (y - 2015)) * r.factor * np.exp(rng.normal(0, 0.05))
            total_k = per_inw * r.inwoners / 1000
            for title, f in (("1e halfjaar", 0.5), ("2e halfjaar", 0.5)):
                rows.append(("JZ Totaal jeugdzorg", r.naam, f"{title} {y}", np.nan, round(total_k * f), np.nan, round(per_inw * f)))
            rows.append(("JZ Totaal jeugdzorg", r.naam, str(y), round(total_k * 0.97), round(total_k), round(per_inw * 0.97),
                         round(per_inw)))
    df = pd.DataFrame(rows, columns=["VormenVanJeugdzorg", "Regio", "Perioden", "a", "b", "c", "d"])
    for col, name in zip("abcd", ["BegroteKosten_1", "GerealiseerdeKosten_2", "BegroteKostenPer1000Inwoners_3",
                                  "GerealiseerdeKostenPer1000Inwoners_4"]):
        df[name] = _fmt(df[col], 0)
    _write(out, "83454NED", df.drop(columns=list("abcd")), "Gemeentelijke kosten jeugdzorg")


def _vsv(out: Path, g: pd.DataFrame, rng) -> None:
    """Voortijdig schoolverlaters per schooljaar (as 84780NED)."""
    rows = []
    for y in range(2015, 2023):
        gy, groups = _per_gemeente(g, y + 1, with_aggregates=False)
        pupils = np.round(gy.inwoners.to_numpy() * 0.085)
        rate = 0.021 * gy.factor.to_numpy() * np.exp(rng.normal(0, 0.15, len(gy)))
        vsv = _r5(pupils * rate * 2) / 2
        for name, idx in groups:
            n, k = pupils[idx].sum(), vsv[idx].sum()
            rows.append(("Totaal mannen en vrouwen", name, f"{y}/'{str(y + 1)[-2:]}", n, k, n - k, round(k / n * 100)))
    df = pd.DataFrame(rows, columns=["Geslacht", "Regiokenmerken", "Perioden", "a", "b", "c", "d"])
    for col, name in zip("abcd", ["Leerlingen_1", "VoortijdigSchoolverlaters_2", "NietVoortijdigSchoolverlaters_3",
                                  "VoortijdigSchoolverlatersPercentage_4"]):
        df[name] = _fmt(df[col], None if col != "d" else 1)
    _write(out, "84780NED", df.drop(columns=list("abcd")), "Voortijdig schoolverlaters; geslacht, woonregio")


def _veilig_thuis(out: Path, g: pd.DataFrame, rng) -> None:
    """Adviezen and meldingen Veilig Thuis, counts and per 100 000 inwoners (as 84847NED)."""
    rows = []
    for y in range(2019, 2025):
        gy, groups = _per_gemeente(g, y)
        inw = gy.inwoners.to_numpy()
        for title, f in [(f"1e halfjaar {y}", 0.5)] + ([(f"2e halfjaar {y}", 0.5), (str(y), 1.0)] if y < 2024 else []):
            adv = _r5(inw * 0.0062 * f * np.exp(rng.normal(0, 0.15, len(gy))))
            mel = _r5(inw * 0.0075 * f * np.exp(rng.normal(0, 0.15, len(gy))))
            for name, idx in groups:
                n = inw[idx].sum()
                rows.append((name, title, adv[idx].sum(), mel[idx].sum(), round(adv[idx].sum() / n * 100_000),
                             round(mel[idx].sum() / n * 100_000)))
    df = pd.DataFrame(rows, columns=["RegioS", "Perioden", "a", "b", "c", "d"])
    for col, name in zip("abcd", ["GestarteAdviezen_1", "OntvangenMeldingenTotaal_2", "GestarteAdviezen_13",
                                  "OntvangenMeldingenTotaal_14"]):
        df[name] = _fmt(df[col], None if col in "ab" else 0)
    _write(out, "84847NED", df.drop(columns=list("abcd")), "Huiselijk geweld; kerncijfers Veilig Thuis, regio")


MAATSTAF_IDS = {2019: "84590NED", 2020: "84860NED", 2021: "85052NED", 2022: "85309NED"}


def _maatstaven(out: Path, g: pd.DataFrame, rng) -> None:
    """Maatstaven gemeentefonds per verdeeljaar (as 84590NED … 85309NED), NL and gemeenten."""
    for year, tid in MAATSTAF_IDS.items():
        gy, groups = _per_gemeente(g, year, with_aggregates=False)
        inw = gy.inwoners.to_numpy()
        city = (gy.stedelijk.to_numpy() <= 2).astype(float)
        young = np.round(inw * gy.share_0_17.to_numpy())
        hh_kids = np.round(young / 1.8)
        single = np.round(hh_kids * (0.10 + 0.05 * city) * np.exp(rng.normal(0, 0.1, len(gy))))
        low = np.round(young * (0.08 + 0.07 * city) * np.exp(rng.normal(0, 0.15, len(gy))))
        w15 = np.round(inw * 0.64)
        bijstand = np.round(w15 * (0.025 + 0.025 * city) * np.exp(rng.normal(0, 0.15, len(gy))))
        psych = np.round(young * 0.048 * np.exp(rng.normal(0, 0.1, len(gy))))
        rows = []
        for name, idx in groups:
            rows.append((name, w15[idx].sum(), young[idx].sum(), hh_kids[idx].sum(), single[idx].sum(), young[idx].sum(),
                         low[idx].sum(), bijstand[idx].sum(), psych[idx].sum()))
        cols = ["InwonersVan15Tot65Jaar_1", "InwonersTot18Jaar_2", "TotaalMetThuiswonendeKinderen_4",
                "Eenouderhuishoudens2OfMeerKinderen_6", "TotaalMinderjarigeKinderen_19",
                "InHuishoudensTot120SociaalMinimum_20", f"PersonenMetBijstand3112{year - 1}_26",
                f"PsychischMedicijngebruikOuders{year - 1}_29"]
        df = pd.DataFrame(rows, columns=["RegioS", *cols])
        for c in cols:
            df[c] = _fmt(df[c], None)
        _write(out, tid, df, f"Maatstaven gemeentefonds; regio-indeling {year}")


POP_HEADER = "Bevolking/Bevolkingssamenstelling op 1 januari/"
POP_BANDS = [("Jonger dan 5 jaar", 0.052), ("5 tot 10 jaar", 0.054), ("10 tot 15 jaar", 0.057),
             ("15 tot 20 jaar", 0.060), ("20 tot 25 jaar", 0.066)]


def _bevolking_leeftijd(out: Path, g: pd.DataFrame, rng) -> None:
    """Population by age on 1 January 2025 as a StatLine web export (as the 70072NED copy): quoted
    label headers, no ID column."""
    gy, groups = _per_gemeente(g, 2024, with_aggregates=False)
    inw = np.round(gy.inwoners.to_numpy() * 1.004)
    youth_factor = gy.share_0_17.to_numpy() / 0.195
    rows = []
    for name, idx in groups:
        bands = [np.round(inw[idx] * share * youth_factor[idx]).sum() for _, share in POP_BANDS]
        rows.append(["2025", name, int(inw[idx].sum()), *[int(b) for b in bands]])
    cols = ["Perioden", "Regio's", POP_HEADER + "Totale bevolking (aantal)",
            *[POP_HEADER + f"Leeftijd/Leeftijdsgroepen/{label} (aantal)" for label, _ in POP_BANDS]]
    df = pd.DataFrame(rows, columns=cols)
    target = out / "70072NED" / "Regionale_kerncijfers_Nederland_demo.csv"
    io.write_csv(df, target, sep=";", encoding="utf-8-sig", index=False, quoting=1)
    io.write_json(out / "70072NED" / "70072NED.json", {
        "table_id": "70072NED", "title": "FICTIEF – Regionale kerncijfers Nederland (Demoland)", "modified": "2025-01-01",
        "source": "demo", "fictief": True, "note": NOTE})


ACTIVITIES = [  # (activiteit, partner, type, resultaten, beleidstheorie, base reach)
    ("Voorschoolse opvoedondersteuning", "Consultatiebureau Demoland", "preventie", "R1",
     "Ouders die vroeg steun krijgen, komen minder vaak in een crisis.", 600),
    ("Praktijkondersteuner jeugd bij de huisarts", "Huisartsen Waterveen", "eerstelijn", "R1|R3",
     "Lichte hulp dichtbij voorkomt verwijzing naar zwaardere zorg.", 320),
    ("Schoolmaatschappelijk werk", "Samenwerkingsverband VO", "basisvoorziening", "R2",
     "Vroeg signaleren op school houdt jongeren in het onderwijs.", 450),
    ("Intensieve gezinsbegeleiding", "Jeugdhulp De Linde", "intensief", "R1",
     "Intensieve hulp thuis voorkomt uithuisplaatsing.", 60),
    ("Sportstimulering in de wijk", "Sportbedrijf Waterveen", "preventie", "",
     "Meer bewegen versterkt weerbaarheid (nog aan geen resultaat gekoppeld).", 900),
]


def _activiteiten(out: Path, rng) -> None:
    rows = []
    for y in range(2021, 2025):
        for name, partner, kind, res, theory, reach in ACTIVITIES:
            r = reach * (1 + 0.06 * (y - 2021)) * np.exp(rng.normal(0, 0.05))
            traj = round(r * 0.6) if kind in ("eerstelijn", "intensief") else ""
            rows.append((name, partner, kind, res, theory, str(y), round(r), traj,
                         round(rng.uniform(5, 40)), round(rng.uniform(40, 200))))
    df = pd.DataFrame(rows, columns=["activiteit", "partner", "type", "resultaten", "beleidstheorie", "periode", "bereik",
                                     "trajecten", "wachttijd_dagen", "doorlooptijd_dagen"])
    io.write_csv(df, out / "activiteiten.csv", sep=";", encoding="utf-8", index=False)


def _inputkwaliteit(out: Path, rng) -> None:
    rows = []
    for provider in PROVIDERS:
        staff = int(rng.integers(25, 120))
        for y in range(2022, 2025):
            interventions = int(rng.integers(8, 30))
            rows += [
                (provider, str(y), "effectieve_interventies", int(interventions * rng.uniform(0.4, 0.9)), interventions),
                (provider, str(y), "geregistreerde_professionals", int(staff * rng.uniform(0.75, 0.98)), staff),
                (provider, str(y), "caseload", round(staff * rng.uniform(10, 16)), staff),
                (provider, str(y), "verloop_personeel", int(staff * rng.uniform(0.08, 0.22)), staff),
                (provider, str(y), "scholing", int(staff * rng.uniform(0.4, 0.9)), staff),
            ]
    df = pd.DataFrame(rows, columns=["aanbieder", "periode", "indicator", "teller", "noemer"])
    io.write_csv(df, out / "inputkwaliteit.csv", sep=";", encoding="utf-8", index=False)


def _lokale_indicatoren(out: Path, rng) -> None:
    """A local indicator for the demo params: share of youths reached by the wijkteam within 2 weeks."""
    rows = []
    for y in range(2020, 2025):
        n = int(rng.integers(380, 460))
        rows.append(("binnen_twee_weken_geholpen", str(y), int(n * (0.62 + 0.035 * (y - 2020))), n, ""))
    df = pd.DataFrame(rows, columns=["indicator", "periode", "teller", "noemer", "waarde"])
    io.write_csv(df, out / "lokale_indicatoren.csv", sep=";", encoding="utf-8", index=False)


PROVIDERS = ["Jeugdhulp De Linde", "Stichting Opgroeien Demo", "Kompaan Jeugdzorg", "De Brug Ambulant",
             "Gezinshuis Het Anker", "Jeugd-GGZ Horizon"]


def _aanbieders(out: Path, g: pd.DataFrame, rng) -> None:
    rows = []
    latest = gemeenten_in(g, 2024)
    for p_i, provider in enumerate(PROVIDERS):
        quality = rng.normal(0, 0.25)
        regions = {JEUGDREGIOS[(p_i + d) % len(JEUGDREGIOS)][0] for d in (0, 2, 3)}  # each serves three regions
        served = latest[latest.jz_code.isin(regions)]
        for row in served.itertuples(index=False):
            for y in range(2019, 2025):
                for zorgvorm in ("ambulant", "daghulp", "verblijf"):
                    n = int(rng.poisson(max(row.inwoners / 4000 * (0.3 if zorgvorm == "verblijf" else 1.0), 2)))
                    plan = rng.binomial(n, 1 / (1 + np.exp(-(0.85 + quality))))
                    early = n - plan
                    client = rng.binomial(early, 0.45)
                    aanb = rng.binomial(early - client, 0.4)
                    resp = rng.binomial(n, 0.45)
                    h6 = rng.binomial(n, 0.07)  # herhaald beroep within 6 months is part of that within 12
                    rows.append((provider, row.code, str(y), zorgvorm, n, plan, client, aanb, early - client - aanb,
                                 h6, h6 + rng.binomial(n - h6, 0.06), resp, rng.binomial(resp, 0.82),
                                 (m := rng.binomial(n, 0.7)), rng.binomial(m, 0.75)))
    df = pd.DataFrame(rows, columns=[
        "aanbieder", "gemeente_code", "periode", "zorgvorm", "trajecten_beeindigd", "beeindigd_volgens_plan",
        "voortijdig_eenzijdig_client", "voortijdig_eenzijdig_aanbieder", "voortijdig_overig",
        "herhaald_beroep_6mnd", "herhaald_beroep_12mnd", "tevredenheid_respons", "tevredenheid_positief",
        "doel_gemeten", "doel_bereikt"])
    io.write_csv(df, out / "aanbieders_uitkomsten.csv", sep=";", encoding="utf-8", index=False)


def _herindelingen(out: Path, g: pd.DataFrame) -> None:
    names = dict(zip(g.code, g.naam))
    df = pd.DataFrame([(MERGE_YEAR, c, names[c], *SUCCESSOR, "samenvoeging") for c in MERGED],
                      columns=["jaar", "oud_code", "oud_naam", "nieuw_code", "nieuw_naam", "soort"])
    io.write_csv(df, out / "herindelingen.csv", sep=";", encoding="utf-8-sig", index=False)


def generate_demo(out_dir: Path, seed: int = SEED) -> dict:
    """Write Demoland into ``out_dir`` (same seed -> byte-identical files). Returns a manifest."""
    out = Path(out_dir)
    rng = np.random.default_rng(seed)
    g = _gemeenten(rng)
    rates = _rates(g, rng)
    _gebieden(out, g)
    _kerncijfers(out, g, rates, rng)
    _indicatoren(out, g, rates, rng)
    _bevolking(out, g)
    _wijken(out, g, rates, rng)
    _geslacht_leeftijd(out, g, rates, rng)
    _trajecten(out, g, rates, rng)
    _kosten(out, g, rng)
    _vsv(out, g, rng)
    _veilig_thuis(out, g, rng)
    _maatstaven(out, g, rng)
    _bevolking_leeftijd(out, g, rng)
    _activiteiten(out, rng)
    _inputkwaliteit(out, rng)
    _lokale_indicatoren(out, rng)
    _aanbieders(out, g, rng)
    _herindelingen(out, g)
    io.write_text(out / "README.txt", "FICTIEVE GEGEVENS — Demoland\n\n" + NOTE + "\nGemaakt door kompas_lib.demo "
                  f"(seed {seed}). Zelfde indeling als CBS-tabellen, zodat het werkboek ze zonder internet kan gebruiken.\n")
    return {"folder": str(out), "gemeenten": int(len(gemeenten_in(g, 2024))), "jeugdregios": len(JEUGDREGIOS),
            "tables": sorted(p.name for p in out.iterdir() if p.is_dir()), "seed": seed}
