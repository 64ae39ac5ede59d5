"""Demoland itself: its gemeenten and regions, the 2022 merger, its jeugdzorg rates, and how its
tables are labelled and written.

Demoland has 33 gemeenten until 2021; on 1 January 2022 Oud-Kempen (GM9032) and Heidebroek
(GM9033) merge into Kempenland (GM9040) — 32 gemeenten from 2022, in 5 jeugdregio's. Every table is
written in the layout of the CBS snapshot (``<out>/<TABLEID>/<TABLEID>.csv``, ``;``, UTF-8 with BOM)
with a metadata JSON that says ``"fictief": true``. The CBS-format tables
(:mod:`.cbs_tables`), the gemeente's own files (:mod:`.own_files`) and the catalogue filler
(:mod:`.filler`) all build on this module.
"""

from __future__ import annotations

import hashlib
import zlib
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
# Waterveen, the default gemeente of the training, gets a trend break of its own: from 2023 on clearly
# more youths with jeugdbescherming (a factor on its drawn figures, no extra random draws)
TREND_BREAK_JEUGDBESCHERMING = ("GM9001", 2023, 1.5)
MERGE_YEAR = 2022
MERGED = ("GM9032", "GM9033")
SUCCESSOR = ("GM9040", "Kempenland")
YEARS = list(range(2015, 2025))
# national share of youth 0–22 with jeugdzorg per year (full year), real levels rounded
NATIONAL_RATE = {2015: 8.5, 2016: 9.3, 2017: 9.7, 2018: 10.0, 2019: 10.3, 2020: 10.2, 2021: 10.6,
                 2022: 10.8, 2023: 11.0, 2024: 11.1}
GROOTTEKLASSEN_JZ = [(0, "Minder dan 20 000 inwoners"), (20_000, "20 000 tot 50 000 inwoners"),
                     (50_000, "50 000 tot 100 000 inwoners"), (100_000, "100 000 tot 150 000 inwoners"),
                     (150_000, "150 000 tot 250 000 inwoners"), (250_000, "250 000 inwoners of meer")]


def draw_gemeenten(rng) -> pd.DataFrame:
    """The gemeenten of Demoland before the merger, with their size, regions and own jeugdzorg factor."""
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


def with_profile(g: pd.DataFrame, rng) -> pd.DataFrame:
    """The latent profile scores (see PROFILE_EFFECT) and their effect on the gemeente's use."""
    g = g.copy()
    for col, effect in PROFILE_EFFECT.items():
        g[col] = rng.normal(0, 1, len(g))
        g.loc[0, col] = 0.0  # Waterveen: the outlier is its own, not its profile's
        g["factor"] *= np.exp(effect * g[col])
    return g


def successor(g: pd.DataFrame) -> pd.Series:
    """Kempenland, the gemeente the merged gemeenten form: their sums and population-weighted means."""
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
    merged = pd.concat([g[~g.code.isin(MERGED)], successor(g).to_frame().T], ignore_index=True)
    return merged.astype(g.dtypes.to_dict())


def write_table(out: Path, table_id: str, df: pd.DataFrame, title: str) -> None:
    """Write a table in the CBS snapshot layout (with an ID column) and its metadata."""
    df = df.copy()
    df.insert(0, "ID", range(len(df)))
    io.write_csv(df, out / table_id / f"{table_id}.csv", sep=";", encoding="utf-8-sig", index=False)
    io.write_json(out / table_id / f"{table_id}.json", table_meta(table_id, title))


def display_id(table_id: str) -> str:
    """The fictitious table number a Demoland table is shown under ('DL-3F9A'): fixed per CBS id, but
    unlike any CBS number, so no reader mistakes a Demoland figure for a CBS table. The folder keeps the
    CBS id because the catalogue reads tables by it; preparation relabels the facts."""
    return "DL-" + hashlib.sha1(table_id.encode()).hexdigest()[:4].upper()


def table_meta(table_id: str, title: str) -> dict:
    """The metadata JSON of a Demoland table: fictitious, with its display id."""
    return {"table_id": table_id, "weergave_id": display_id(table_id), "title": f"FICTIEF – {title} (Demoland)",
            "modified": "2025-01-01", "source": "demo", "fictief": True, "note": NOTE}


def draw_rates(g: pd.DataFrame, rng) -> dict[tuple[str, int], float]:
    """Full-year share (%) of youth 0–22 with jeugdzorg per gemeente and year."""
    rates = {}
    for row in g.itertuples(index=False):
        for y in YEARS:
            rates[(row.code, y)] = NATIONAL_RATE[y] * row.factor * float(np.exp(rng.normal(0, 0.03)))
            if row.code == TREND_BREAK[0] and y >= TREND_BREAK[1]:
                rates[(row.code, y)] *= TREND_BREAK[2]
    succ = successor(g)
    for y in YEARS:
        rates[(succ.code, y)] = float(np.average([rates[(c, y)] for c in MERGED],
                                                 weights=g.set_index("code").loc[list(MERGED), "inwoners"]))
    return rates


def aggregates(gy: pd.DataFrame) -> list[tuple[str, pd.Index]]:
    """Region title -> member rows, for Demoland, provincies, jeugdregio's and COROP."""
    groups = [(COUNTRY, gy.index)]
    for code, name in PROVINCIES:
        groups.append((f"{name} (PV)", gy.index[gy.pv_code == code]))
    for code, name, _ in JEUGDREGIOS:
        groups.append((f"{name} (JZ)", gy.index[gy.jz_code == code]))
    for code in sorted(gy.cr_code.unique()):
        groups.append((f"{gy.loc[gy.cr_code == code, 'cr_naam'].iloc[0]} (CR)", gy.index[gy.cr_code == code]))
    return groups


def random_stream(seed: int, *keys) -> np.random.Generator:
    """A random stream of its own per ``(seed, keys)``: adding an indicator changes no other figure."""
    return np.random.default_rng([seed, *(zlib.crc32(str(k).encode("utf-8")) for k in keys)])


# Samenwerkingsverbanden passend onderwijs, written as the real regulation's bijlage (a row per postcode
# area): PO and VO verbanden by provincie, PV92's PO split in two. On purpose two members lie only partly
# in a verband: Kempenland (the 2022 merger of Oud-Kempen and Heidebroek, which lay in different
# verbanden) and Lindehoven (one of its three postcode areas lies in PO 92-02). No random draws: the
# other tables stay as they were.
SWV_VERSION = "2020-01-01"
SWV_PO = {"JZ91": "PO9101", "JZ92": "PO9101", "JZ93": "PO9201", "JZ94": "PO9202", "JZ95": "PO9301"}
SWV_SPLIT = ("GM9003", "PO9202")  # Lindehoven's last postcode area


def write_passend_onderwijs(out: Path, g: pd.DataFrame) -> None:
    """``<out>/passend_onderwijs/BWBR0032324/<version>/README.md``: the postcode table of the regulation
    (PC4 | gemeente | PO SWV | VO SWV) for the gemeenten before the merger, three areas each."""
    lines = ["FICTIEF – indeling in samenwerkingsverbanden passend onderwijs van Demoland", "", "### Bijlage", "",
             "| PC4  | gemeente  | PO SWV  | VO SWV  |", "|:---|:---|:---|:---|"]
    for i, row in enumerate(g.itertuples(index=False)):
        for j in range(3):
            po = SWV_SPLIT[1] if (row.code == SWV_SPLIT[0] and j == 2) else SWV_PO[row.jz_code]
            vo = row.pv_code.replace("PV", "VO") + "01"
            lines.append(f"| {9000 + 10 * i + j}  | {row.naam}  | {po}  | {vo}  |")
    io.write_text(out / "passend_onderwijs" / "BWBR0032324" / SWV_VERSION / "README.md", "\n".join(lines) + "\n")
