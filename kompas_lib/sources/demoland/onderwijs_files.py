"""Demoland's onderwijs en jeugd: the CBS pupil tables the catalogue reads (85701NED pupils in bo and sbo
per woongemeente; 85490NED pupils on special schools and 83295NED sbo, for the country and the
provincies only, as CBS publishes them), and the own files on onderwijs and wachttijden, in the layout of the templates
``leerplicht.csv`` (per gemeente and schooljaar: leerplichtigen, verzuim, vrijstellingen by article,
thuiszitters, pupils in sbo and so) and ``wachttijden.csv`` (per aanbieder, zorgvorm and half year:
clients who started, the median wait from aanmelding to start, who is still waiting).

Drawn from a random stream of their own (:func:`~.country.random_stream`), so adding them changed no
other demo figure. Waterveen (GM9001), the training gemeente, has a rising number of thuiszitters and
one provider whose wait grows: something to discuss. Some rows have fewer clients than the privacy
threshold, so the report's suppression is visible in the demo too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core import io
from kompas_lib.sources.demoland.cbs_tables import _fmt, _per_gemeente
from kompas_lib.sources.demoland.country import COUNTRY, gemeenten_in, write_table
from kompas_lib.sources.template_specs import SPECS

SCHOOLJAREN = (2020, 2021, 2022, 2023)  # 2020/2021 … 2023/2024
CBS_SCHOOLJAREN = range(2015, 2025)  # 2015/'16 … 2024/'25
PUPILS_PER_INHABITANT = 0.083  # bo + sbo by woongemeente
SPECIAL_PER_INHABITANT = 0.0042  # so + vso
TRAINING_GEMEENTE = "GM9001"
# per leerplichtige (5 to 18 years): rough national orders of magnitude, for a believable picture only
RATES = {"absoluut_verzuim": 0.0022, "langdurig_relatief_verzuim": 0.0030, "vrijstelling_5a": 0.0035,
         "vrijstelling_5b": 0.0004, "vrijstelling_5c": 0.0012, "vrijstelling_15": 0.0006, "vrijstelling_3a": 0.0003,
         "vrijstelling_11": 0.0008, "thuiszitters": 0.0018}
SHARE_LEERPLICHTIG = 0.165  # of the inhabitants
SBO, SO = 0.024, 0.019  # deelname sbo and so (of bao + sbo)

WAIT_PROVIDERS = {  # aanbieder -> (zorgvormen, median weeks in 2023, change per half year, size)
    "Jeugdhulp De Linde": (("ambulant", "verblijf"), 7.0, 0.2, 1.0),
    "Jeugd-GGZ Horizon": (("ambulant", "daghulp"), 11.0, 1.3, 0.8),  # the wait grows
    "Stichting Opgroeien Demo": (("ambulant",), 5.0, -0.2, 1.2),
    "Gezinshuis Het Anker": (("verblijf",), 14.0, 0.0, 0.05),  # a handful of children: below the threshold
}
HALF_YEARS = ("1e halfjaar 2023", "2e halfjaar 2023", "1e halfjaar 2024", "2e halfjaar 2024")


def _title(start: int) -> str:
    return f"{start}/'{str(start + 1)[-2:]}"


def _r10(x):
    return np.round(np.asarray(x, dtype=float) / 10.0) * 10.0


def _pupil_tables(out: Path, g: pd.DataFrame, rng: np.random.Generator) -> None:
    """85701NED (every region), 85490NED and 83295NED (the country and provincies only)."""
    bo, special, sbo = [], [], []
    for start in CBS_SCHOOLJAREN:
        gy, groups = _per_gemeente(g, start + 1)
        inw = gy.inwoners.to_numpy()
        pupils = inw * PUPILS_PER_INHABITANT * np.exp(rng.normal(0, 0.03, len(gy)))
        so = inw * SPECIAL_PER_INHABITANT * np.exp(rng.normal(0, 0.12, len(gy)))
        in_sbo = pupils * SBO * np.exp(rng.normal(0, 0.15, len(gy)))
        for name, idx in groups:
            bo.append(("Totaal mannen en vrouwen", "Totaal (speciaal) basisonderwijs", name, _title(start),
                       float(_r10(pupils[idx].sum()))))
            if name == COUNTRY or name.endswith("(PV)"):
                special.append(("Totaal mannen en vrouwen", "Totaal (voortgezet) speciaal onderwijs", "Totaal", "Totaal",
                                "Totaal", name, _title(start), float(_r10(so[idx].sum()))))
                if start <= 2021:
                    sbo.append(("Totaal mannen en vrouwen", "Totaal", name, _title(start),
                                round(pupils[idx].sum()), round(in_sbo[idx].sum())))
    df = pd.DataFrame(bo, columns=["Geslacht", "Onderwijssoort", "Regiokenmerken", "Perioden", "x"])
    df["LeerlingenStudenten_1"] = _fmt(df.pop("x"), None)
    write_table(out, "85701NED", df, "Leerlingen en studenten; onderwijssoort, woonregio")
    df = pd.DataFrame(special, columns=["Geslacht", "Onderwijssoort", "Cluster", "Herkomstland", "GeboortelandOuders",
                                        "Regiokenmerken", "Perioden", "x"])
    df["LeerlingenOpSpecialeScholen_1"] = _fmt(df.pop("x"), None)
    write_table(out, "85490NED", df, "Leerlingen op speciale scholen; herkomst, woonregio")
    df = pd.DataFrame(sbo, columns=["Geslacht", "Migratieachtergrond", "Regiokenmerken", "Perioden", "a", "b"])
    df["LeerlingenSpeciaalBasisonderwijs_1"] = _fmt(df.pop("a"), None)
    df["LeerlingenSpeciaalBasisonderwijs_7"] = _fmt(df.pop("b"), None)
    write_table(out, "83295NED", df, "Leerlingen (speciaal) basisonderwijs; migratieachtergrond, woonregio")


def _leerplicht(out: Path, g: pd.DataFrame, rng: np.random.Generator) -> None:
    rows = []
    for start in SCHOOLJAREN:
        for r in gemeenten_in(g, 2024).itertuples(index=False):  # the file is kept on today's borders
            n = int(round(r.inwoners * SHARE_LEERPLICHTIG * np.exp(rng.normal(0, 0.01))))
            row = {"regio_code": r.code, "schooljaar": f"{start}/{start + 1}", "leerplichtigen": n}
            for col, rate in RATES.items():
                rise = 1 + 0.18 * (start - SCHOOLJAREN[0]) if (col == "thuiszitters" and r.code == TRAINING_GEMEENTE) else 1
                row[col] = int(rng.poisson(n * rate * rise))
            pupils = int(round(r.inwoners * PUPILS_PER_INHABITANT * np.exp(rng.normal(0, 0.01))))
            row["leerlingen_bao_sbo"] = pupils
            row["leerlingen_sbo"] = int(rng.binomial(pupils, SBO * np.exp(rng.normal(0, 0.15))))
            row["leerlingen_so"] = int(rng.binomial(pupils, SO * np.exp(rng.normal(0, 0.15))))
            rows.append(row)
    df = pd.DataFrame(rows).reindex(columns=SPECS["leerplicht"].names)
    io.write_csv(df, out / "leerplicht.csv", sep=";", encoding="utf-8", index=False)


def _wachttijden(out: Path, rng: np.random.Generator) -> None:
    rows = []
    for provider, (forms, weeks, step, size) in WAIT_PROVIDERS.items():
        for form in forms:
            for k, period in enumerate(HALF_YEARS):
                started = int(rng.poisson(120 * size * (0.4 if form == "verblijf" else 1.0)))
                median = max(1.0, weeks + step * (k - 2) + rng.normal(0, 0.6))
                waiting = int(rng.poisson(started * median / 26))
                rows.append((provider, form, period, started, round(median, 1), waiting))
    df = pd.DataFrame(rows, columns=SPECS["wachttijden"].names)
    df["wachttijd_mediaan_weken"] = df["wachttijd_mediaan_weken"].map(lambda w: f"{w:.1f}".replace(".", ","))
    io.write_csv(df, out / "wachttijden.csv", sep=";", encoding="utf-8", index=False)


def write_onderwijs_files(out: Path, g: pd.DataFrame, rng: np.random.Generator) -> None:
    """Write the pupil tables, ``leerplicht.csv`` and ``wachttijden.csv`` into ``out``, drawing from ``rng`` in
    a fixed order."""
    _pupil_tables(out, g, rng)
    _leerplicht(out, g, rng)
    _wachttijden(out, rng)
