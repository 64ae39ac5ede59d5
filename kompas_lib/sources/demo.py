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

The catalogue in use (``tables.yml`` or ``KOMPAS_CATALOGUE``) may ask for tables and columns the
generators here do not know; those are filled afterwards from a simple seeded model (see
:class:`_Model` and :func:`_fill_catalogue`) and listed in the table's metadata (``aangevuld``),
in ``README.txt`` and in the manifest, so that a new indicator never breaks ``prepare`` on the demo.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core import io
from kompas_lib.core.errors import DataError
from kompas_lib.core.periods import parse_period
from kompas_lib.core.registry import Concept, Indicator, Registry, TableSpan, load_registry, resolve_any

SEED = 20240601
COUNTRY = "Demoland"
NOTE = "Fictieve gegevens voor oefening en training; geen echte cijfers."

PROVINCIES = [("PV91", "Noorderland"), ("PV92", "Middenland"), ("PV93", "Zuiderland")]
JEUGDREGIOS = [("JZ91", "Demo-Noord", "PV91"), ("JZ92", "Demo-Kust", "PV91"), ("JZ93", "Demo-Midden", "PV92"),
               ("JZ94", "Demo-Rivier", "PV92"), ("JZ95", "Demo-Zuid", "PV93")]
GEMEENTE_NAMEN = [
    "Waterveen", "Bergstede", "Lindehoven", "Oosterbroek", "Kraaiendam", "Wilgenburg", "Heuvelrade",
    "Zandwijk", "Meerdijk", "Eikenrode", "Vlietstad", "Duinoord", "Ruisvelde", "Kanaalzijl", "Molenvliet",
    "Velddorp", "Brugmond", "Haverdam", "Sluisbroek", "Ijzerveld", "Kleiwerd", "Rietmeer", "Dijkhuizen",
    "Polderstad", "Groenmeer", "Beukenhorst", "Ravenwoud", "Stroomdal", "Hoogvenne", "Klaverwijk",
    "Noordveld", "Oud-Kempen", "Heidebroek",
]
OUTLIER_FACTOR = 1.9  # Waterveen: clearly above the rest, a difference worth a duiding
# The profile drives use, so the expected-use model has something to find: per gemeente a stable
# latent score for one-parent households, low incomes and parents' psychiatric medication (drawn from
# a stream of its own, so the other draws stay as they were), which raises the gemeente's use by these
# factors per standard deviation and shows in its maatstaven. Waterveen keeps an average profile.
PROFILE_EFFECT = {"z_eenouder": 0.06, "z_laag_inkomen": 0.05, "z_psych": 0.08}
TREND_BREAK = ("GM9003", 2023, 1.4)  # Lindehoven: jeugdzorg use jumps from 2023 on (a trend break)
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
        "factor": np.exp(rng.normal(0, 0.12, n) * 2 / 3),  # sd 0,08: with the profile about 0,13 in all
        "n_wijken": rng.integers(3, 9, n),
    })
    df.loc[df["inwoners"] > 150_000, "factor"] *= 1.15
    # training material: Waterveen (the first gemeente) uses clearly more jeugdzorg than gemeenten like it
    df.loc[0, "factor"] = OUTLIER_FACTOR
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


def _with_profile(g: pd.DataFrame, rng) -> pd.DataFrame:
    """The latent profile scores (see PROFILE_EFFECT) and their effect on the gemeente's use."""
    g = g.copy()
    for col, effect in PROFILE_EFFECT.items():
        g[col] = rng.normal(0, 1, len(g))
        g.loc[0, col] = 0.0  # Waterveen: the outlier is its own, not its profile's
        g["factor"] *= np.exp(effect * g[col])
    return g


def _successor(g: pd.DataFrame) -> pd.Series:
    parts = g[g.code.isin(MERGED)]
    row = parts.iloc[0].copy()
    row["code"], row["naam"] = SUCCESSOR
    row["inwoners"] = parts["inwoners"].sum()
    for col in ("share_0_17", "share_0_22", "factor", *PROFILE_EFFECT):
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
    io.write_json(out / table_id / f"{table_id}.json", _meta(table_id, title))


def display_id(table_id: str) -> str:
    """The fictitious table number a Demoland table is shown under ('DL-3F9A'): fixed per CBS id, but
    unlike any CBS number, so no reader mistakes a Demoland figure for a CBS table. The folder keeps the
    CBS id because the catalogue reads tables by it; preparation relabels the facts."""
    return "DL-" + hashlib.sha1(table_id.encode()).hexdigest()[:4].upper()


def _meta(table_id: str, title: str) -> dict:
    return {"table_id": table_id, "weergave_id": display_id(table_id), "title": f"FICTIEF – {title} (Demoland)",
            "modified": "2025-01-01", "source": "demo", "fictief": True, "note": NOTE}


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
            if row.code == TREND_BREAK[0] and y >= TREND_BREAK[1]:
                rates[(row.code, y)] *= TREND_BREAK[2]
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


AGE_SPLIT = np.array([0.06, 0.46, 0.42, 0.06])


def _subgroup_splits(g: pd.DataFrame, rng) -> dict[str, tuple]:
    """Per gemeente its own split by age, household and verwijzer around the national one, so the
    subgroup tables have something to discuss; Waterveen: many children of one-parent households and
    more referrals by the gemeentelijke toegang."""
    out = {}
    for code in [*g.code, SUCCESSOR[0]]:
        out[code] = tuple(rng.dirichlet(split * 60) for split in (AGE_SPLIT, HOUSEHOLD_SPLIT, VERWIJZER_SPLIT))
    out[g.code.iloc[0]] = (np.array([0.04, 0.40, 0.48, 0.08]), np.array([0.42, 0.50, 0.08]),
                           np.array([0.45, 0.22, 0.02, 0.08, 0.04, 0.01, 0.12, 0.06]))
    return out


def _wijken(out: Path, g: pd.DataFrame, rates, rng) -> None:
    own_split = _subgroup_splits(g, rng)

    def parts(c, code=None):
        age, household, verwijzer = own_split.get(code, (AGE_SPLIT, HOUSEHOLD_SPLIT, VERWIJZER_SPLIT))
        traj = _r5(c * 1.4)
        return [*_r5(c * age), *_r5(c * household), traj, *_r5(traj * verwijzer)]

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
                rows.append(("Totaal alle jeugdzorg in natura", row.naam, title, c, *parts(c, row.code),
                             row.naam, "Gemeente", row.code, ""))
                for j, w in enumerate(wijk_weights[row.code]):
                    wc = _r5(counts[row.code] * w * np.exp(rng.normal(0, 0.1)))
                    split = parts(wc, row.code)
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
        z = {col: gy[col].to_numpy(float) for col in PROFILE_EFFECT}  # the latent profile, plus a little noise
        single = np.round(hh_kids * (0.10 + 0.05 * city) * np.exp(0.15 * z["z_eenouder"]
                                                                   + 0.3 * rng.normal(0, 0.1, len(gy))))
        low = np.round(young * (0.08 + 0.07 * city) * np.exp(0.2 * z["z_laag_inkomen"]
                                                             + 0.3 * rng.normal(0, 0.15, len(gy))))
        w15 = np.round(inw * 0.64)
        bijstand = np.round(w15 * (0.025 + 0.025 * city) * np.exp(rng.normal(0, 0.15, len(gy))))
        psych = np.round(young * 0.048 * np.exp(0.15 * z["z_psych"] + 0.3 * rng.normal(0, 0.1, len(gy))))
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
    io.write_json(out / "70072NED" / "70072NED.json", _meta("70072NED", "Regionale kerncijfers Nederland"))


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


# Block 6 — a previous cycle in Waterveen (GM9001): what partners said about its signals, and the
# actions they agreed. Fixed rows (no random numbers): the other demo gemeenten read the same files and
# simply do not match most rows.
DUIDING = [  # blok, onderwerp, periode, datum, aanwezig, herkennen, verklaren, vinden, nodig, stem_rol, stem_citaat
    ("2", "R2", "", "2025-03-12", "Leerplicht, RBL, twee vo-scholen, wijkteam, jongerenraad",
     "Ja. Scholen zien vooral jongeren in het mbo die in het eerste jaar afhaken.",
     "Na de overstap naar het mbo valt de begeleiding weg; wachttijden bij de jeugd-ggz spelen mee.",
     "Niet acceptabel: het doel van 1,5 % komt zo niet in zicht.",
     "Een warme overdracht van vo naar mbo en sneller hulp bij schoolverzuim.", "", ""),
    ("2", "R2", "", "2025-03-12", "", "", "", "", "", "jongere",
     "Op het mbo wist niemand dat ik op mijn vorige school hulp had. Ik moest alles opnieuw vertellen."),
    ("2", "R2", "", "2025-03-12", "", "", "", "", "", "professional",
     "We zien ze pas als ze al weken niet meer komen."),
    ("3", "R4", "", "2025-03-12", "Beleid onderwijs en jeugd, samenwerkingsverband VO, wijkteam",
     "Ja: er is geen activiteit die scholen en jeugdhulp echt samenbrengt.",
     "Het resultaat is nieuw; er is nog niemand die het trekt.",
     "Een gemis: scholen vragen er zelf om.",
     "Een trekker aanwijzen en één route beschrijven, met scholen en jeugdhulp samen.", "ouder",
     "Ik heb mijn verhaal bij vier loketten moeten doen."),
    ("5", "Beëindigd volgens plan", "2023", "2024-02-20", "Contractmanagement, Jeugdhulp De Linde",
     "Deels: de aanbieder had meer zware gezinnen gekregen.", "Meer verwijzingen met jeugdbescherming.",
     "Geen reden om af te rekenen, wel om te volgen.", "Casuïstiekoverleg met de toegang.", "", ""),
]
ACTIES = [  # actie, aanspreekpunt, voor, blok, onderwerp, indicator, start, evaluatie, status, evaluatie
    ("Verzuimspreekuur op alle vo-scholen", "Teamleider leerplicht", "gemeente", "2", "R2", "vsv",
     "2023-09-01", "2024-07-01", "afgerond", "Spreekuur draait op vijf van de zes scholen; loopt door als gewoon werk."),
    ("Warme overdracht van vo naar mbo", "Coördinator RBL", "gemeente", "2", "R2", "vsv",
     "2025-04-01", "2027-07-01", "lopend", ""),
    ("Eén ondersteuningsroute school en jeugdhulp beschrijven", "Beleidsadviseur onderwijs en jeugd", "gemeente",
     "3", "R4", "", "2025-04-01", "2025-12-01", "lopend", ""),
    ("Casuïstiekoverleg met de toegang over afsluiten volgens plan", "Kwaliteitsmedewerker Jeugdhulp De Linde",
     "aanbieder", "5", "Beëindigd volgens plan", "", "2024-03-01", "2024-12-31", "open", ""),
    ("Gezinsaanpak bij dreigende ondertoezichtstelling", "Teamleider wijkteam", "gemeente", "2", "R1",
     "pct_jeugdbescherming", "2022-01-15", "2027-01-15", "lopend", ""),
]


def _verbetercyclus(out: Path) -> None:
    d = pd.DataFrame(DUIDING, columns=["blok", "onderwerp", "periode", "datum", "aanwezig", "herkennen", "verklaren",
                                       "vinden", "nodig", "stem_rol", "stem_citaat"])
    io.write_csv(d, out / "duiding.csv", sep=";", encoding="utf-8", index=False)
    a = pd.DataFrame(ACTIES, columns=["actie", "aanspreekpunt", "voor", "blok", "onderwerp", "indicator", "startdatum",
                                      "evaluatiedatum", "status", "evaluatie"])
    io.write_csv(a, out / "verbeteracties.csv", sep=";", encoding="utf-8", index=False)


PROVIDERS = ["Jeugdhulp De Linde", "Stichting Opgroeien Demo", "Kompaan Jeugdzorg", "De Brug Ambulant",
             "Gezinshuis Het Anker", "Jeugd-GGZ Horizon"]
# training material: De Linde ends clearly fewer trajectories as planned (outside the funnel limits);
# Het Anker is small (a few trajectories a year): its share wobbles, but stays inside the limits
PROVIDER_QUALITY = [-1.1, 0.3, 0.3, 0.25, 0.1, 0.3]
PROVIDER_SIZE = [1.5, 1.0, 0.8, 0.6, 0.1, 0.5]
UNKNOWN_END = 0.06  # 'einde onbekend', as in CBS's outcome tables


def _aanbieders(out: Path, g: pd.DataFrame, rng) -> None:
    rows = []
    latest = gemeenten_in(g, 2024)
    for p_i, provider in enumerate(PROVIDERS):  # every provider serves every gemeente (blocks 4 and 5 agree)
        quality = PROVIDER_QUALITY[p_i]
        for row in latest.itertuples(index=False):
            for y in range(2019, 2025):
                for zorgvorm in ("ambulant", "daghulp", "verblijf"):
                    size = row.inwoners / 4000 * (0.3 if zorgvorm == "verblijf" else 1.0) * PROVIDER_SIZE[p_i]
                    n = int(rng.poisson(max(size, 0.3)))
                    unknown = rng.binomial(n, UNKNOWN_END)
                    plan = rng.binomial(n - unknown, 1 / (1 + np.exp(-(0.85 + quality))))
                    early = n - unknown - plan
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


# --- Catalogue columns the generators above do not write ------------------------------------------
#
# A new indicator is one edit of the catalogue (tables.yml, or the file KOMPAS_CATALOGUE names), also
# when it asks for a CBS column or table the generators above do not know. After they have run, every
# table of a concept with indicators is checked against what its indicators need (region, period,
# filter and group columns; count, value, denominator and subgroup columns), and what is missing is
# filled from a simple, seeded model (:class:`_Model`): a table the demo does not know is written from
# scratch, a known table gets the missing columns (and rows for a filter value it lacks). Figures the
# generators above write are never changed.

PERIOD_SHARE = {"halfjaar": 0.7, "kwartaal": 0.45, "maand": 0.2, "peildatum": 0.75}  # of a full year's count
MODEL_NOTE = ("Aangevuld volgens de catalogus met een eenvoudig model (een aandeel van de inwoners, of een "
              "percentage rond een basiswaarde met spreiding tussen gemeenten); geen echte cijfers.")


def _rng(seed: int, *keys) -> np.random.Generator:
    """A random stream of its own per ``(seed, keys)``: adding an indicator changes no other figure."""
    return np.random.default_rng([seed, *(zlib.crc32(str(k).encode("utf-8")) for k in keys)])


def _first(spec: str | list[str]) -> str:
    return spec if isinstance(spec, str) else spec[0]


def _applies(ind: Indicator, table_id: str) -> bool:
    return not ind.alleen_tabellen or table_id in ind.alleen_tabellen


@dataclass(frozen=True)
class _Model:
    """How the demo invents the figures of one catalogue indicator, per gemeente and year.

    * ``count`` (unit aantal or euro, no denominator or published value): inhabitants × a share
      (0,05–1 %; for euro 100–600 per inhabitant) × the gemeente's spread; a half year or a peildatum
      counts less than a full year (:data:`PERIOD_SHARE`);
    * ``level`` (a count column that is an average, 'gemiddeld'): a level of 30–300 with spread;
    * ``ratio`` (the rest: percentages, per 1.000, …): a value around a base rate (5–25 %; 55–75 %
      when higher is better, 3–12 % when lower is better, spread on the logit scale; 5–60 per 1.000,
      …) with between-gemeente spread, a denominator that is a share of the inhabitants (1–30 %, one
      share per denominator column, so indicators sharing it agree; all inhabitants for a rate per
      1.000 or per inhabitant without a denominator column) and the numerator that follows.

    Gemeente counts are rounded and summed to the higher levels; rates of higher levels follow from
    those sums (population-weighted means). Spread: the gemeente factor of the demo, a stable effect
    per indicator and gemeente, yearly noise and a small trend."""

    ind: Indicator
    kind: str
    base: float
    den_share: float
    slope: float
    effect: dict  # gemeente code -> stable effect of this indicator
    splits: dict  # kolomgroepen dim -> shares of the count

    @classmethod
    def build(cls, ind: Indicator, g: pd.DataFrame, seed: int) -> _Model:
        rng = _rng(seed, "indicator", ind.id)
        published_ratio = bool(ind.waarde or ind.noemer or ind.noemer_filter)
        if ind.eenheid in ("aantal", "euro") and not published_ratio:
            text = f"{ind.titel} {_first(ind.teller or '')}".lower()
            kind = "level" if "gemiddeld" in text else "count"
        else:
            kind = "ratio"
        if kind == "count":
            base = float(10 ** rng.uniform(-3.3, -2)) if ind.eenheid == "aantal" else float(rng.uniform(100, 600))
        elif kind == "level":
            base = float(rng.uniform(30, 300))
        else:
            lo, hi = {"percentage": (5, 25), "per_1000": (5, 60), "euro": (150, 600)}.get(ind.eenheid, (0.5, 3))
            if ind.eenheid == "percentage":  # 'beëindigd volgens plan' is high, 'voortijdig afgesloten' low
                lo, hi = {"hoger_beter": (55, 75), "lager_beter": (3, 12)}.get(ind.polariteit, (lo, hi))
            base = float(rng.uniform(lo, hi))
        den_key = _first(ind.noemer) if ind.noemer else ind.id
        effect = dict(zip(g.code, np.exp(rng.normal(0, 0.12, len(g)))))
        weights = g.set_index("code").loc[list(MERGED), "inwoners"]
        effect[SUCCESSOR[0]] = float(np.average([effect[c] for c in MERGED], weights=weights))
        per_inhabitant = not ind.noemer and ind.eenheid in ("per_1000", "euro")  # CBS: per 1.000 / per inwoner
        den_share = 1.0 if per_inhabitant else float(10 ** _rng(seed, "noemer", den_key).uniform(-2, -0.5))
        return cls(ind, kind, base, den_share,
                   float(rng.normal(0.01, 0.02)), effect,
                   {dim: rng.dirichlet(np.full(len(grps), 3.0)) for dim, grps in ind.kolomgroepen.items()})

    def gemeenten(self, gy: pd.DataFrame, year: int, ptype: str, seed: int) -> dict[str, np.ndarray]:
        """Inhabitants, numerator, denominator and value of the gemeenten ``gy`` of ``year``."""
        pop = gy.inwoners.to_numpy(float) * (1 + 0.004 * (year - 2024))
        noise = np.exp(_rng(seed, "indicator", self.ind.id, year).normal(0, 0.04, len(gy)))
        spread = gy.factor.to_numpy(float) ** 0.5 * np.array([self.effect[c] for c in gy.code]) * noise
        level = self.base * spread * (1 + self.slope) ** (year - 2015)
        nan = np.full(len(gy), np.nan)
        if self.kind == "count":
            num = np.round(pop * level * PERIOD_SHARE.get(ptype, 1.0))
            return {"pop": pop, "num": num, "den": nan, "val": num}
        if self.kind == "level":
            return {"pop": pop, "num": np.round(level, 1), "den": nan, "val": np.round(level, 1)}
        if self.ind.eenheid == "percentage":  # spread on the logit scale keeps it between 0 and 100 %
            logit = np.log(self.base / (100 - self.base)) + np.log(spread) + self.slope * (year - 2015)
            level = 100 / (1 + np.exp(-logit))
        den = np.round(pop * self.den_share)
        num = np.round(level * den / self.ind.ratio_scale)
        return {"pop": pop, "num": num, "den": den, "val": num / den * self.ind.ratio_scale}

    def region(self, v: dict, idx, weight: float) -> tuple[float, float, float]:
        """(numerator, denominator, value) of a region made of gemeenten ``idx`` (× ``weight``, for a
        wijk or a subgroup's row)."""
        idx = np.asarray(idx)
        if self.kind == "level":
            val = float(np.average(v["val"][idx], weights=v["pop"][idx]))
            return val, np.nan, val
        num = float(v["num"][idx].sum()) * weight
        num = float(np.round(num)) if weight != 1 else num
        if self.kind == "count":
            return num, np.nan, num
        den = float(v["den"][idx].sum()) * weight
        den = float(np.round(den)) if weight != 1 else den
        return num, den, (num / den * self.ind.ratio_scale if den > 0 else np.nan)

    def reconcile(self, model: tuple, num: float | None, den: float | None, val: float | None) -> tuple:
        """(numerator, denominator, value) of a row whose table already publishes some of them
        (``None``: not published): those win and the model fills the rest consistently, e.g. a new
        count column on an existing denominator is that denominator × the modelled rate."""
        m_num, m_den, m_val = model
        if self.kind == "level":
            v = num if num is not None else (val if val is not None else m_val)
            return v, np.nan, v
        if self.kind == "count":
            n = num if num is not None else m_num
            return n, np.nan, n
        scale = self.ind.ratio_scale
        if num is not None and den is not None:
            return num, den, (val if val is not None else (num / den * scale if den > 0 else np.nan))
        v = val if val is not None else m_val
        if den is not None:
            return float(np.round(v * den / scale)), den, v
        if num is not None:
            return num, (num / v * scale if v > 0 else np.nan), v
        if val is not None:
            return float(np.round(v * m_den / scale)), m_den, v
        return model

    def cell(self, role: str, num: float, den: float, val: float, split: float = 1.0) -> float:
        """The published cell for a role: 'teller', 'waarde', 'noemer', 'noemer_rij' (the count
        column on the rows of ``noemer_filter``) or 'groep' (a subgroup column, ``split`` of the count)."""
        ind = self.ind
        if role == "waarde":
            return val / ind.waarde_factor
        if role == "noemer":
            return den
        if role == "noemer_rij":
            return den / ind.teller_factor
        ratio_from_counts = self.kind == "ratio" and (ind.waarde or ind.noemer or ind.noemer_filter)
        count = (num if self.kind == "count" or ratio_from_counts else val) / ind.teller_factor  # else it is the value
        return count if role == "teller" else float(np.round(count * split, 0 if ind.teller_factor == 1 else 1))


def _places(gy: pd.DataFrame) -> dict[str, tuple[np.ndarray, float]]:
    """Region title or code (lower case) -> (rows of the gemeenten ``gy`` of a year, weight) for the
    country, provincies, jeugdregio's, COROP, size classes, gemeenten and wijken."""
    out: dict[str, tuple[np.ndarray, float]] = {}

    def add(keys, idx, weight=1.0):
        for k in keys:
            out.setdefault(str(k).strip().lower(), (np.asarray(idx), weight))

    add([COUNTRY, "Nederland", "NL01"], gy.index)
    for code, name in PROVINCIES:
        add([f"{name} (PV)", code], gy.index[gy.pv_code == code])
    for code, name, _ in JEUGDREGIOS:
        add([f"{name} (JZ)", code], gy.index[gy.jz_code == code])
    for code in sorted(gy.cr_code.unique()):
        sel = gy.cr_code == code
        add([f"{gy.loc[sel, 'cr_naam'].iloc[0]} (CR)", code], gy.index[sel])
    for lo, label in GROOTTEKLASSEN_JZ:
        hi = next((l2 for l2, _ in GROOTTEKLASSEN_JZ if l2 > lo), 10**9)
        add([label], gy.index[(gy.inwoners >= lo) & (gy.inwoners < hi)])
    for i, r in zip(gy.index, gy.itertuples(index=False)):
        add([r.naam, f"{r.naam} (gemeente)", r.code], [i])
        shares = np.arange(int(r.n_wijken)) % 3 + 1.0
        for j, share in enumerate(shares / shares.sum()):
            add([f"WK{r.code[2:]}{j:02d}"], [i], float(share))
    return out


def _regions_of(g: pd.DataFrame, year: int) -> list[tuple[str, str]]:
    """(title, code) of the country, provincies, jeugdregio's, COROP and gemeenten, in CBS order."""
    gy = gemeenten_in(g, year)
    out = [(COUNTRY, "NL01")] + [(f"{name} (PV)", code) for code, name in PROVINCIES]
    out += [(f"{name} (JZ)", code) for code, name, _ in JEUGDREGIOS]
    out += [(f"{gy.loc[gy.cr_code == c, 'cr_naam'].iloc[0]} (CR)", c) for c in sorted(gy.cr_code.unique())]
    return out + list(zip(gy.naam, gy.code))


def _years_of(span: TableSpan) -> list[int]:
    """The demo years a table covers (the demo's own years, clipped to the table's span)."""
    if span.periode:
        return [parse_period(span.periode).year]
    lo, last = max(span.van, YEARS[0]), max(YEARS[-1], span.van)
    hi = min(span.tot if span.tot is not None else last, last)
    return list(range(lo, hi + 1)) if lo <= hi else list(range(span.van, span.tot + 1))[-len(YEARS):]


def _new_name(spec: str, columns) -> str:
    """A column name for a spec: the name itself, or for 'Prefix*' the prefix with a CBS-like number."""
    if not spec.endswith("*"):
        return spec
    return f"{spec[:-1].rstrip('_')}_{len(columns)}"


def _insert(df: pd.DataFrame, name: str, value="") -> None:
    """Add a measure column where CBS has it: before the first column with a higher number suffix."""
    def number(c):
        m = re.search(r"_(\d+)$", str(c))
        return int(m.group(1)) if m else None

    n = number(name)
    pos = next((i for i, c in enumerate(df.columns) if n is not None and (number(c) or -1) > n), len(df.columns))
    df.insert(pos, name, value)


def _match(df: pd.DataFrame, filters) -> np.ndarray:
    """Rows that pass the catalogue filters (as prepare reads them)."""
    mask = np.ones(len(df), dtype=bool)
    for flt in filters:
        col = next((c for c in flt.kolommen if c in df.columns), None)
        if col is None:
            if flt.optioneel:
                continue
            return np.zeros(len(df), dtype=bool)
        mask &= df[col].str.strip().isin(flt.waarden).to_numpy()
    return mask


def _row_sets(ind: Indicator) -> list[tuple[str, list]]:
    """(role of the count column, filters) for the rows an indicator reads: its own rows and, with
    ``noemer_filter``, the rows that give its denominator."""
    sets = [("teller", list(ind.filter))]
    if ind.noemer_filter:
        replaced = {c for f in ind.noemer_filter for c in f.kolommen}
        sets.append(("noemer_rij", [f for f in ind.filter if not set(f.kolommen) & replaced] + list(ind.noemer_filter)))
    return sets


def _table_csv(out: Path, table_id: str) -> Path | None:
    folder = out / table_id
    if (folder / f"{table_id}.csv").is_file():
        return folder / f"{table_id}.csv"
    csvs = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    return csvs[0] if len(csvs) == 1 else None


def _new_table(g: pd.DataFrame, concept: Concept, span: TableSpan, inds: list[Indicator]) -> pd.DataFrame:
    """The dimension columns of a table the demo does not know: one row per combination of the
    catalogue's filter values (groups: their 'Totaal'), region (country, provincies, jeugdregio's,
    COROP and gemeenten; none when the concept is national) and year (one 'YYYY' period per year of
    the span; no Perioden column for a fixed period)."""
    combos = []
    for ind in inds:
        for _, filters in _row_sets(ind):
            combo = {f.kolommen[0]: f.waarden[0] for f in filters}
            combos.append(combo | {c: "Totaal" for c in ind.groepen if c not in combo})
    dims = list(dict.fromkeys(c for combo in combos for c in combo))
    default = {d: next(combo[d] for combo in combos if d in combo) for d in dims}
    combos = list(dict.fromkeys(tuple(combo.get(d, default[d]) for d in dims) for combo in combos))
    rows = []
    for combo in combos:
        for year in _years_of(span):
            regions = _regions_of(g, year) if concept.regio else [(None, "NL01")]
            if concept.code_kolom:  # as the wijk tables: codes for the country and gemeenten only
                regions = [(t, c) for t, c in regions if c[:2] in ("NL", "GM")]
            for title, code in regions:
                row = {concept.status_kolom: "Definitief"} if concept.status_kolom else {}
                row |= dict(zip(dims, combo))
                if concept.regio:
                    row[concept.regio] = title
                if not span.periode:
                    row["Perioden"] = str(year)
                if concept.code_kolom:
                    row[_new_name(concept.code_kolom, row)] = code
                rows.append(row)
    return pd.DataFrame(rows).fillna("")


def _skeleton_rows(df: pd.DataFrame, concept: Concept, filters, groepen) -> pd.DataFrame:
    """Rows for a filter value a known table lacks: its regions × periods, with that value and no figures."""
    code_col = resolve_any(df.columns, concept.code_kolom)
    keys = [c for c in [concept.regio, code_col, "Perioden", concept.status_kolom, *groepen] if c and c in df.columns]
    rows = df.drop_duplicates(keys).copy() if keys else df.head(1).copy()
    for col in rows.columns:
        filled = rows[col][rows[col] != ""]
        if col not in keys and col != "ID" and len(filled) and pd.to_numeric(filled, errors="coerce").notna().all():
            rows[col] = ""  # a measure of another category: no figure
    for flt in filters:
        col = next((c for c in flt.kolommen if c in rows.columns), None)
        if col is not None:
            rows[col] = flt.waarden[0]
    return rows


def _fill_table(out: Path, g: pd.DataFrame, concept: Concept, span: TableSpan, inds: list[Indicator],
                models: dict[str, _Model], seed: int, cache: dict) -> list[str] | None:
    """Write or extend one table so that every catalogue column its indicators need is there.
    Returns the columns added (all measure columns for a table written from scratch), None when
    the table needed nothing. ``cache`` keeps the gemeenten, regions and model values per year
    across tables."""
    path = _table_csv(out, span.id)
    known = path is not None
    if known:
        df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        quoted = path.read_text(encoding="utf-8-sig").startswith('"')
    else:
        df = _new_table(g, concept, span, inds)
    before = (list(df.columns), len(df))
    first_measure = 1 if "ID" in df.columns else 0
    added = []  # columns added to a known table (for a new table: its measure columns)
    for ind in inds:  # dimension columns the catalogue filters or groups on: every row is that category
        dims = [(f.kolommen, f.waarden[0]) for f in [*ind.filter, *ind.noemer_filter] if not f.optioneel]
        for cols, value in dims + [([c], "Totaal") for c in ind.groepen]:
            if not any(c in df.columns for c in cols):
                df.insert(first_measure, cols[0], value)
                added += [cols[0]] if known else []
    new_row = np.zeros(len(df), dtype=bool) if known else np.ones(len(df), dtype=bool)
    for ind in inds:  # rows for a filter value the table lacks
        for _, filters in _row_sets(ind):
            if len(df) and not _match(df, filters).any():
                extra = _skeleton_rows(df, concept, filters, ind.groepen)
                df = pd.concat([df, extra], ignore_index=True)
                new_row = np.concatenate([new_row, np.ones(len(extra), dtype=bool)])
    fills = []  # (column, indicator, role, split)
    for ind in inds:
        columns = [(ind.teller, "teller", 1.0), (ind.waarde, "waarde", 1.0), (ind.noemer, "noemer", 1.0)]
        for dim, grps in ind.kolomgroepen.items():
            columns += [(grp.kolommen, "groep", float(s)) for grp, s in zip(grps, models[ind.id].splits[dim])]
        for spec, role, split in columns:
            if not spec:
                continue
            col = resolve_any(df.columns, spec)
            if col is None:
                col = _new_name(_first(spec), df.columns)
                _insert(df, col)
                added.append(col)
            fills.append((col, ind, role, split))
    if known and (list(df.columns), len(df)) == before:
        return None

    code_col = resolve_any(df.columns, concept.code_kolom)
    titles = df[code_col] if code_col else (df[concept.regio] if concept.regio in df.columns else None)
    region_keys = ([COUNTRY.lower()] * len(df) if titles is None else
                   [str(t).strip().lower() or str(r).strip().lower() for t, r in
                    zip(titles, df[concept.regio] if concept.regio in df.columns else titles)])
    period_titles = [span.periode] * len(df) if span.periode else list(df.get("Perioden", [""] * len(df)))
    weight = np.ones(len(df))
    for col in dict.fromkeys(c for ind in inds for c in ind.groepen if c in df.columns):
        part = ~df[col].str.strip().str.lower().str.startswith("totaal")
        if part.any():
            weight[part.to_numpy()] /= df.loc[part, col].nunique()
    periods, regions, rows_seen = {}, {}, {}
    published = df.copy()  # the figures the table had before filling (new cells are still empty)
    columns_of = {ind.id: {role: resolve_any(df.columns, spec) for role, spec in
                           (("teller", ind.teller), ("waarde", ind.waarde), ("noemer", ind.noemer)) if spec}
                  for ind in inds}

    def modelled(i: int, ind: Indicator):
        """The model's (numerator, denominator, value) for row ``i``; None where the demo cannot
        place its region or period."""
        title = str(period_titles[i]).strip()
        if title not in periods:
            try:
                periods[title] = parse_period(title)
            except DataError:  # a period the demo cannot place gets no figure
                periods[title] = None
        period = periods[title]
        if period is None:
            return None
        year = period.year
        if year not in cache:
            gy = gemeenten_in(g, year)
            cache[year] = (gy, _places(gy))
        gy, places = cache[year]
        hit = places.get(region_keys[i])
        if hit is None:
            return None
        key = (ind.id, year, period.type)
        if key not in cache:
            cache[key] = models[ind.id].gemeenten(gy, year, period.type, seed)
        rkey = (ind.id, region_keys[i], title, weight[i] * hit[1])
        if rkey not in regions:
            regions[rkey] = models[ind.id].region(cache[key], hit[0], weight[i] * hit[1])
        return regions[rkey]

    def number(col: str | None, i: int, factor: float = 1.0) -> float | None:
        try:
            x = float(published.at[i, col]) * factor if col else np.nan
        except ValueError:
            return None
        return x if np.isfinite(x) else None

    def figures(i: int, ind: Indicator, row_role: str):
        """(numerator, denominator, value) of row ``i``: what the table publishes, the rest modelled."""
        key = (ind.id, i, row_role)
        if key not in rows_seen:
            hit = modelled(i, ind)
            if hit is not None and row_role == "teller":
                cols = columns_of[ind.id]
                hit = models[ind.id].reconcile(hit, number(cols.get("teller"), i, ind.teller_factor),
                                               number(cols.get("noemer"), i),
                                               number(cols.get("waarde"), i, ind.waarde_factor))
            rows_seen[key] = hit
        return rows_seen[key]

    for col in dict.fromkeys(c for c, *_ in fills):
        todo = (new_row | (col in added)) & (df[col] == "").to_numpy()
        cells = df[col].to_numpy(dtype=object).copy()
        for _, ind, role, split in [f for f in fills if f[0] == col]:
            sets = _row_sets(ind) if role == "teller" else [(role, _row_sets(ind)[0][1])]
            for row_role, filters in sets:
                rows = np.flatnonzero(todo & _match(df, filters))
                for i in rows:
                    hit = figures(i, ind, row_role)
                    if hit is not None:
                        v = models[ind.id].cell(row_role if role == "teller" else role, *hit, split=split)
                        cells[i] = "" if not np.isfinite(v) else f"{round(float(v), 1):.1f}"
                todo[rows] = False
        df[col] = cells
    if known:
        if "ID" in df.columns:
            df["ID"] = [str(i) for i in range(len(df))]
        io.write_csv(df, path, sep=";", encoding="utf-8-sig", index=False, **({"quoting": 1} if quoted else {}))
    else:
        _write(out, span.id, df, concept.titel)
    meta_file = out / span.id / f"{span.id}.json"
    meta = {**_meta(span.id, concept.titel),
            **(json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {})}
    meta["aangevuld"] = {"kolommen": added, "nieuwe_tabel": not known, "rijen_toegevoegd": int(new_row.sum()),
                         "toelichting": MODEL_NOTE}
    io.write_json(meta_file, meta)
    return added


def _remove_earlier_fills(out: Path) -> None:
    """Remove the tables an earlier run wrote from scratch for its catalogue, so that the result
    depends on this catalogue only (known tables are rewritten by their generators anyway)."""
    for meta_file in sorted(out.glob("*/*.json")):
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(meta, dict) and (meta.get("aangevuld") or {}).get("nieuwe_tabel") and meta.get("fictief"):
            table_id = meta_file.stem
            for f in (meta_file.parent / f"{table_id}.csv", meta_file):
                f.unlink(missing_ok=True)
            if not any(meta_file.parent.iterdir()):
                meta_file.parent.rmdir()


def _fill_catalogue(out: Path, g: pd.DataFrame, registry: Registry, seed: int) -> dict[str, list[str]]:
    """Fill every table and column the catalogue asks for that the generators above did not write.
    Returns table id -> columns added (empty when only rows for a new filter value were added)."""
    models = {ind.id: _Model.build(ind, g, seed) for ind in registry.indicators.values()}
    _remove_earlier_fills(out)
    filled, cache = {}, {}
    for concept_id, concept in registry.concepts.items():
        for span in concept.tables:
            inds = [i for i in registry.indicators_of(concept_id) if _applies(i, span.id)]
            if inds:
                added = _fill_table(out, g, concept, span, inds, models, seed, cache)
                if added is not None:
                    filled[span.id] = added
    return filled


def generate_demo(out_dir: Path, seed: int = SEED, registry: Registry | None = None) -> dict:
    """Write Demoland into ``out_dir`` (same seed and catalogue -> byte-identical files). Returns a
    manifest; ``aangevuld`` lists the tables and columns filled for the catalogue (``registry``,
    default the catalogue in use, see :func:`~kompas_lib.core.registry.catalogue_path`)."""
    out = Path(out_dir)
    registry = registry or load_registry()
    rng = np.random.default_rng(seed)
    g = _with_profile(_gemeenten(rng), _rng(seed, "profiel"))
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
    _verbetercyclus(out)
    _herindelingen(out, g)
    filled = _fill_catalogue(out, g, registry, seed)
    listed = "".join(f"- {t}: {', '.join(c) or 'rijen voor een nieuwe categorie'}\n" for t, c in filled.items())
    io.write_text(out / "README.txt", "FICTIEVE GEGEVENS — Demoland\n\n" + NOTE + "\nGemaakt door kompas_lib.demo "
                  f"(seed {seed}). Zelfde indeling als CBS-tabellen, zodat het werkboek ze zonder internet kan gebruiken.\n"
                  + (f"\n{MODEL_NOTE}\n{listed}" if filled else ""))
    return {"folder": str(out), "gemeenten": int(len(gemeenten_in(g, 2024))), "jeugdregios": len(JEUGDREGIOS),
            "tables": sorted(p.name for p in out.iterdir() if p.is_dir()), "seed": seed, "aangevuld": filled}
