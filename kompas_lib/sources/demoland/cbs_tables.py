"""Demoland's tables in the raw formats of the real CBS tables (Gebieden in Nederland, jeugdzorg
kerncijfers and indicatoren, wijken, trajecten, kosten, VSV, Veilig Thuis, maatstaven, bevolking).

Counts are floats rounded to multiples of 5 as CBS does, titles stand in the dimension columns and
an empty cell is a missing figure, so ``prepare`` reads them unchanged. Calibration (real national
levels, rounded): jongeren met jeugdzorg 8,5 % (2015) rising to about 11 % (2023) of youth 0–22;
jeugdhulp in natura 10–14 % of youth 0–17; jeugdbescherming ~1,1 %; jeugdreclassering ~0,3 %.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core import io
from kompas_lib.sources.demoland.country import (
    COUNTRY, GROOTTEKLASSEN_JZ, MERGED, PROFILE_EFFECT, PROVINCIES, SUCCESSOR, TREND_BREAK_JEUGDBESCHERMING, aggregates,
    gemeenten_in, successor, table_meta, write_table,
)

WIJKNAMEN = ["Centrum", "Noord", "Oost", "Zuid", "West", "Buitengebied", "Haven", "De Horst"]

GEBIEDEN_IDS = {2017: "83553NED", 2018: "83859NED", 2019: "84378NED", 2020: "84721NED", 2021: "84929NED",
                2022: "85067NED", 2023: "85385NED", 2024: "85755NED"}
WIJK_IDS = {2015: "82964NED", 2016: "83563NED", 2017: "83782NED", 2018: "84316NED", 2019: "84615NED",
            2020: "84856NED", 2021: "85075NED", 2022: "85335NED", 2023: "85685NED", 2024: "85990NED"}
GROOTTE = [(0, 5_000, "1", "Minder dan 5 000 inwoners"), (5_000, 10_000, "2", "5 000 tot 10 000 inwoners"),
           (10_000, 20_000, "3", "10 000 tot 20 000 inwoners"), (20_000, 50_000, "4", "20 000 tot 50 000 inwoners"),
           (50_000, 100_000, "5", "50 000 tot 100 000 inwoners"), (100_000, 150_000, "6", "100 000 tot 150 000 inwoners"),
           (150_000, 250_000, "7", "150 000 tot 250 000 inwoners"), (250_000, 10**9, "8", "250 000 inwoners of meer")]
STEDELIJK = ["Zeer sterk stedelijk", "Sterk stedelijk", "Matig stedelijk", "Weinig stedelijk", "Niet stedelijk"]


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


def _periods(year: int, kind: str) -> list[tuple[str, float]]:
    """(title, factor of the full-year rate) for the periods a table publishes in a year."""
    if year == 2024:
        return [("1e half jaar 2024" if kind == "new" else "1e halfjaar 2024", 0.84)]
    out = []
    if kind == "quarter" and year == 2015:
        out.append(("1e kwartaal 2015", 0.74))
    out += [(f"1e halfjaar {year}", 0.84), (f"2e halfjaar {year}", 0.85), (str(year), 1.0)]
    return out


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
        write_table(out, tid, pd.DataFrame(cols), f"Gebieden in Nederland {year}")


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
                    for name, idx in aggregates(gy):
                        n, d = counts[idx].sum(), youth[idx].sum()
                        rows.append((vorm, name, title, n, n / d * 100))
                    for i, row in enumerate(gy.itertuples(index=False)):
                        n = np.nan if secret[i] else counts[i]
                        rows.append((vorm, row.naam, title, n, n / youth[i] * 100))
        df = pd.DataFrame(rows, columns=["VormenVanJeugdzorg", "RegioS", "Perioden", "c", "r"])
        df["JongerenMetJeugdzorg_1"] = _fmt(df.c, None)
        df["JongerenMetJeugdzorgRelatief_2"] = _fmt(df.r, 1)
        df["Jeugdzorgtrajecten_3"] = _fmt(_r5(df.c * 1.35), None)
        write_table(out, tid, df.drop(columns=["c", "r"]), "Kerncijfers over jeugdzorg")


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
            code, since, factor = TREND_BREAK_JEUGDBESCHERMING
            jb = np.where((gy.code == code).to_numpy() & (y >= since), jb * factor, jb)
            jbv = 47 + 6 * np.log(f) + rng.normal(0, 2, len(gy)) * noise
            jr = 0.4 * f * np.exp(-0.04 * (y - 2015) + rng.normal(0, 0.1, len(gy)) * noise)
            for title, f in _periods(y, "new" if tid == "85098NED" else "quarter"):
                vals = np.column_stack([base * f, verblijf, jb * (0.9 + 0.1 * f), jbv, jr * (0.9 + 0.1 * f)])
                small = youth < 1_500
                for name, idx in aggregates(gy):
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
        write_table(out, tid, df.drop(columns=list("abcde")), "Indicatoren jeugdzorg in natura; gemeenten")


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
    write_table(out, "85383NED", df.drop(columns=["a", "b"]), "Maatstaven gemeentefonds")


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
    succ = successor(g)
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
        write_table(out, tid, df, f"Jeugdzorg in natura per wijk {year}")


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
        write_table(out, tid, df.drop(columns="c"), "Jongeren met jeugdzorg in natura; geslacht, leeftijd")


def _per_gemeente(g: pd.DataFrame, year: int, with_aggregates: bool = True):
    """(title, member index) rows: country, provincies, jeugdregio's, COROP and every gemeente."""
    gy = gemeenten_in(g, year)
    groups = aggregates(gy) if with_aggregates else [(COUNTRY, gy.index)]
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
        write_table(out, tid, df, "Trajecten jeugdzorg in natura; regio, op peildatum")


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
    write_table(out, "83454NED", df.drop(columns=list("abcd")), "Gemeentelijke kosten jeugdzorg")


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
    write_table(out, "84780NED", df.drop(columns=list("abcd")), "Voortijdig schoolverlaters; geslacht, woonregio")


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
    write_table(out, "84847NED", df.drop(columns=list("abcd")), "Huiselijk geweld; kerncijfers Veilig Thuis, regio")


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
        write_table(out, tid, df, f"Maatstaven gemeentefonds; regio-indeling {year}")


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
    io.write_json(out / "70072NED" / "70072NED.json", table_meta("70072NED", "Regionale kerncijfers Nederland"))


def write_cbs_tables(out: Path, g: pd.DataFrame, rates: dict[tuple[str, int], float], rng) -> None:
    """Write every CBS-format table of Demoland into ``out``, drawing from ``rng`` in a fixed order."""
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
