"""Regions: CBS region titles -> codes, and per year the regional classification of each gemeente.

CBS tables name regions by *title* ("Utrecht (gemeente)", "Twente (JZ)", "Drenthe (PV)"). The
"Gebieden in Nederland" table of each year holds, per gemeente, its code and the codes and names
of the regions it belongs to. From it we build, per year:

* a title -> code lookup for every level (gemeente, provincie, jeugdregio, COROP, …), and
* the classification table ``regions.parquet`` (gemeente -> provincie, jeugdregio, COROP,
  GGD-regio, RMC-regio, grootteklasse, stedelijkheid, inwoners).

The columns of Gebieden differ per year, so they are recognised by the *code prefix* of their
values (JZ, PV, CR, GG, MC, LD), never by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from kompas_lib.core.errors import DataError

COUNTRY_CODE = "NL01"
COUNTRY_TITLES = {"nederland": "Nederland", "demoland": "Demoland"}

# suffix in CBS titles -> (region level, code prefix)
LEVELS = {
    "LD": "landsdeel",
    "PV": "provincie",
    "CR": "corop",
    "JZ": "jeugdregio",
    "GG": "ggd",
    "MC": "rmc",
    "VT": "veiligthuis",
}
LEVEL_PREFIX = {v: k for k, v in LEVELS.items()}
SUFFIX_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<suffix>LD|PV|CR|JZ|GG|MC|VT|gemeente)\)$")

# Grootteklassen as used in the jeugdzorg tables (82972NED, 85098NED): code, lower bound, title
GROOTTEKLASSEN = [
    ("GK000", 0, "Minder dan 20 000 inwoners"),
    ("GK020", 20_000, "20 000 tot 50 000 inwoners"),
    ("GK050", 50_000, "50 000 tot 100 000 inwoners"),
    ("GK100", 100_000, "100 000 tot 150 000 inwoners"),
    ("GK150", 150_000, "150 000 tot 250 000 inwoners"),
    ("GK250", 250_000, "250 000 inwoners of meer"),
]
GROOTTEKLASSE_BY_TITLE = {t.lower(): c for c, _, t in GROOTTEKLASSEN}
GROOTTEKLASSE_NAME = {c: t for c, _, t in GROOTTEKLASSEN}


def grootteklasse(inwoners: float) -> str | None:
    """The jeugdzorg-table grootteklasse code for a number of inhabitants."""
    if inwoners is None or pd.isna(inwoners):
        return None
    code = None
    for c, lower, _ in GROOTTEKLASSEN:
        if inwoners >= lower:
            code = c
    return code


def parse_region_title(title: str) -> tuple[str, str | None]:
    """Split a CBS region title into ``(name, suffix)``; suffix is e.g. 'JZ', 'PV', 'gemeente' or None."""
    t = " ".join(str(title).split())
    m = SUFFIX_RE.match(t)
    if m:
        return m["name"], m["suffix"]
    return t, None


def _norm(s: str) -> str:
    return " ".join(str(s).split()).lower()


GEBIEDEN_COLUMNS = [
    "jaar", "gemeente_code", "gemeente_naam", "gemeente_titel",
    "provincie_code", "provincie_naam", "jeugdregio_code", "jeugdregio_naam",
    "corop_code", "corop_naam", "ggd_code", "ggd_naam", "rmc_code", "rmc_naam",
    "landsdeel_code", "landsdeel_naam", "veiligthuis_code", "veiligthuis_naam", "grootteklasse_code", "grootteklasse_naam",
    "stedelijkheid_code", "stedelijkheid_naam", "inwoners",
]


def parse_gebieden(raw: pd.DataFrame, year: int, table_id: str) -> pd.DataFrame:
    """Turn one year's raw *Gebieden in Nederland* table into one row per gemeente.

    Region columns are found by the prefix of the codes they hold; the two 'Omschrijving'
    columns are gemeentegrootte and stedelijkheid (in that order, as in every year so far).
    """
    if "Code_1" not in raw.columns or "RegioS" not in raw.columns:
        lacking = " en ".join(f"'{c}'" for c in ("RegioS", "Code_1") if c not in raw.columns)
        raise DataError(
            f"CBS-tabel {table_id} (Gebieden in Nederland {year}) mist de kolom(men) {lacking}. Waarschijnlijk heeft "
            "CBS de indeling van de tabel veranderd; controleer de tabel in de catalogus kompas_lib/data/tables.yml "
            f"of haal haar opnieuw op met 'kompas fetch {table_id} --refresh'."
        )
    cols = list(raw.columns)
    out = pd.DataFrame({
        "jaar": year,
        "gemeente_code": raw["Code_1"].str.strip(),
        "gemeente_titel": raw["RegioS"].str.strip(),
    })
    name_col = cols[cols.index("Code_1") + 1]
    out["gemeente_naam"] = raw[name_col].str.strip() if name_col.startswith("Naam") else out["gemeente_titel"]
    for i, col in enumerate(cols):
        if not col.startswith("Code_") or col == "Code_1" or i + 1 >= len(cols):
            continue
        nxt = cols[i + 1]
        values = raw[col].str.strip()
        prefixes = values.str[:2].unique()
        if len(prefixes) != 1 or prefixes[0] not in LEVELS or not nxt.startswith("Naam"):
            continue
        level = LEVELS[prefixes[0]]
        if f"{level}_code" in out:
            continue
        out[f"{level}_code"] = values
        out[f"{level}_naam"] = raw[nxt].str.strip()
    omschr = [c for c in cols if c.startswith("Omschrijving")]
    if len(omschr) >= 2:
        out["grootteklasse_cbs"] = raw[omschr[0]].str.strip()
        out["stedelijkheid_code"] = pd.to_numeric(raw[cols[cols.index(omschr[1]) - 1]].str.strip(), errors="coerce")
        out["stedelijkheid_naam"] = raw[omschr[1]].str.strip()
    inw = [c for c in cols if c.startswith("Inwonertal")]
    out["inwoners"] = pd.to_numeric(raw[inw[0]], errors="coerce") if inw else float("nan")
    out["grootteklasse_code"] = out["inwoners"].map(grootteklasse)
    out["grootteklasse_naam"] = out["grootteklasse_code"].map(GROOTTEKLASSE_NAME)
    for c in GEBIEDEN_COLUMNS:
        if c not in out:
            out[c] = None
    if out["gemeente_code"].duplicated().any() or not out["gemeente_code"].str.match(r"^GM\d{4}$").all():
        bad = out["gemeente_code"][out["gemeente_code"].duplicated() | ~out["gemeente_code"].str.match(r"^GM\d{4}$")]
        raise DataError(f"CBS-tabel {table_id} (Gebieden in Nederland {year}) heeft dubbele of onjuiste gemeentecodes "
                        f"in kolom 'Code_1' (bijvoorbeeld '{bad.iloc[0]}'; een gemeentecode is GM met 4 cijfers). "
                        f"Haal de tabel opnieuw op met 'kompas fetch {table_id} --refresh' of gebruik een andere "
                        "kopie.")
    return out[GEBIEDEN_COLUMNS]


@dataclass
class RegionIndex:
    """Title -> code lookup per year, built from the Gebieden tables and the herindelingen."""

    by_year: dict[int, dict[str, tuple[str, str]]] = field(default_factory=dict)
    fallback: dict[str, tuple[str, str]] = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (name, level)

    @classmethod
    def build(cls, regions: pd.DataFrame, herindelingen: pd.DataFrame | None = None,
              country_name: str = "Nederland") -> "RegionIndex":
        idx = cls()
        idx.names[COUNTRY_CODE] = (country_name, "land")
        for year, grp in sorted(regions.groupby("jaar"), key=lambda kv: kv[0]):
            table: dict[str, tuple[str, str]] = {}
            for row in grp.itertuples(index=False):
                entry = (row.gemeente_code, "gemeente")
                table[_norm(row.gemeente_titel)] = entry
                table[_norm(row.gemeente_naam)] = table.get(_norm(row.gemeente_naam), entry)
                table[_norm(f"{row.gemeente_naam} (gemeente)")] = entry
                table[_norm(row.gemeente_code)] = entry
                idx.names[row.gemeente_code] = (row.gemeente_naam, "gemeente")
                for level, prefix in LEVEL_PREFIX.items():
                    code = getattr(row, f"{level}_code", None)
                    name = getattr(row, f"{level}_naam", None)
                    if isinstance(code, str) and code and isinstance(name, str):
                        table[_norm(f"{name} ({prefix})")] = (code, level)
                        table[_norm(code)] = (code, level)
                        idx.names[code] = (name, level)
            for c, _, t in GROOTTEKLASSEN:
                table[_norm(t)] = (c, "grootteklasse")
                idx.names[c] = (t, "grootteklasse")
            idx.by_year[int(year)] = table
        # fallback: every title ever seen, latest year wins
        for year in sorted(idx.by_year):
            idx.fallback.update(idx.by_year[year])
        if herindelingen is not None:
            for row in herindelingen.itertuples(index=False):
                key = _norm(row.oud_naam)
                idx.fallback.setdefault(key, (row.oud_code, "gemeente"))
                idx.fallback.setdefault(_norm(row.oud_code), (row.oud_code, "gemeente"))
                idx.names.setdefault(row.oud_code, (row.oud_naam, "gemeente"))
        return idx

    def lookup(self, title: str, year: int | None = None) -> tuple[str, str] | None:
        """Code and level for a region title as used in a table of ``year``; None if unknown."""
        key = _norm(title)
        if key in COUNTRY_TITLES:
            return COUNTRY_CODE, "land"
        if year is not None and self.by_year:
            years = sorted(self.by_year, key=lambda y: (abs(y - year), -y))
            for y in years[:1]:
                hit = self.by_year[y].get(key)
                if hit:
                    return hit
        hit = self.fallback.get(key)
        if hit:
            return hit
        name, suffix = parse_region_title(title)
        if suffix == "gemeente":
            return self.fallback.get(_norm(name))
        return None

    def name(self, code: str) -> str:
        return self.names.get(code, (code, ""))[0]

    def level(self, code: str) -> str:
        return self.names.get(code, ("", ""))[1]

    def catalogue(self) -> dict[str, str]:
        """code -> display name for every known region (for params validation and menus)."""
        return {code: name for code, (name, _) in self.names.items()}


def latest_classification(regions: pd.DataFrame) -> pd.DataFrame:
    """One row per gemeente of the latest year: the current indeling."""
    last = regions["jaar"].max()
    return regions[regions["jaar"] == last].reset_index(drop=True)
