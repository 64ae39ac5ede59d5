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
from collections import defaultdict
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


# --- samenwerkingsverbanden passend onderwijs ------------------------------------------------------
#
# The regulation (:mod:`kompas_lib.sources.passend_onderwijs`) assigns postcode areas of the gemeenten of
# 2015 to verbanden; article 3 keeps those areas when gemeenten merge. On today's indeling that gives:
#
# * a gemeente is a *member* of every verband that holds at least one postcode area of the gemeenten it
#   was formed from (its 2015 self, the gemeenten merged into it, and a gemeente split over it since);
# * it is a *whole* member when all of that lies in one verband of the kind (PO or VO), else a member
#   *deels* (partly) of each: a gemeente split by postcode (Rotterdam, Zuidplas, …), a merger of gemeenten
#   from different verbanden, and a receiver of a split gemeente from another verband (which of the split
#   gemeente's areas went where is not in the data, so every receiver counts as partly in its verband);
# * a verband's figures are sums over its members, each counted whole: no figure is divided over
#   verbanden by postcode share (there are no figures per postcode), and the report names the members
#   that lie only partly in the verband.
#
# The membership is kept in four columns of the latest year's rows of ``regions.parquet`` (every region
# code elsewhere in that table is one value per gemeente; a gemeente can be in two verbanden):
# ``swv_po`` and ``swv_vo`` (the codes, space-separated), ``swv_deels`` (the codes it lies only partly in)
# and ``swv_herkomst`` (JSON: for each partial membership the 2015 gemeenten and, where only some of
# their postcode areas lie in the verband, which postcodes lie in it and which not).

SWV_COLUMNS = ["swv_po", "swv_vo", "swv_deels", "swv_herkomst"]
SWV_LEVEL = "samenwerkingsverband"
SWV_KIND = {"PO": "PO", "VO": "VO"}  # code prefix -> kind (primair, voortgezet onderwijs)


def swv_label(code: str) -> str:
    """A verband's code as DUO writes it: 'PO2806' -> 'PO 28-06'."""
    return f"{code[:2]} {code[2:4]}-{code[4:]}" if re.match(r"^(PO|VO)\d{4}$", code) else code


def plain_name(name: str) -> str:
    """A name without accents, hyphens and dots ('Súdwest-Fryslân' = 'Sudwest Fryslan')."""
    import unicodedata

    flat = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[-.'’]", " ", flat).split()).lower()


def _code_of_2015(name: str, index: RegionIndex) -> str | None:
    hit = index.lookup(name, 2015)
    if hit and hit[1] == "gemeente":
        return hit[0]
    plain = plain_name(name)
    found = {code for key, (code, level) in index.fallback.items() if level == "gemeente" and plain_name(key) == plain}
    return found.pop() if len(found) == 1 else None


def verband_membership(table: pd.DataFrame, index: RegionIndex, herindelingen: pd.DataFrame | None,
                       current: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """Today's gemeenten in the verbanden of the regulation's postcode ``table`` (pc4, gemeente, PO, VO).

    Returns a row per (kind, verband, gemeente of today): ``kind``, ``code``, ``gemeente_code``, ``deels``
    and ``herkomst``: per 2015 gemeente it was formed from, ``[name, postcodes in this verband, postcodes in
    another, split]`` (both lists empty when all of that gemeente lies here; ``split`` when that gemeente was
    split over several of today's gemeenten, so which of its areas this one got is unknown) — and the 2015
    names that match no gemeente."""
    from kompas_lib.prepare.herindeling import successor_map

    has_h = herindelingen is not None and len(herindelingen)
    final, splits = successor_map(herindelingen) if has_h else ({}, {})
    # a renamed gemeente may also have got a new code (De Friese Meren GM1921 -> De Fryske Marren GM1940)
    renamed = ({plain_name(r.oud_naam): plain_name(r.nieuw_naam) for r in herindelingen.itertuples(index=False)
                if r.soort == "naamswijziging"} if has_h else {})
    today_by_name = {plain_name(index.name(c)): c for c in current}
    rows, unknown = [], []
    for name, part in table.groupby("gemeente", sort=True):
        code = _code_of_2015(name, index)
        code = final.get(code, code)
        today = [final.get(c, c) for c in splits.get(code, [code])] if code else []
        today = [c for c in dict.fromkeys(today) if c in current]
        if not today and renamed.get(plain_name(name)) in today_by_name:
            today = [today_by_name[renamed[plain_name(name)]]]
        if not today:
            unknown.append(name)
            continue
        for kind in SWV_KIND.values():
            areas = part.dropna(subset=[kind])
            for swv, pcs in areas.groupby(kind, sort=True):
                whole = len(pcs) == len(areas)
                here = [] if whole else sorted(pcs["pc4"])
                elsewhere = [] if whole else sorted(set(areas["pc4"]) - set(pcs["pc4"]))
                for c in today:
                    rows.append({"kind": kind, "code": swv, "gemeente_code": c,
                                 "part": [name, here, elsewhere, len(today) > 1]})
    if not rows:
        return pd.DataFrame(columns=["kind", "code", "gemeente_code", "deels", "herkomst"]), unknown
    long = pd.DataFrame(rows)
    n = long.groupby(["kind", "gemeente_code"])["code"].transform("nunique")
    long["deels"] = n > 1
    out = (long.groupby(["kind", "code", "gemeente_code"], sort=True)
           .apply(lambda g: pd.Series({"deels": bool(g["deels"].iloc[0]),
                                       "herkomst": list(g["part"])}),
                  include_groups=False)
           .reset_index())
    return out, unknown


def attach_verbanden(regions: pd.DataFrame, membership: pd.DataFrame) -> pd.DataFrame:
    """The regions table with the :data:`SWV_COLUMNS` filled on the latest year's rows (empty elsewhere,
    and everywhere when ``membership`` is empty: no regulation, no verbanden)."""
    import json

    out = regions.copy()
    for col in SWV_COLUMNS:
        out[col] = ""
    if membership is None or membership.empty:
        return out
    last = out["jaar"] == out["jaar"].max()
    per = {}
    for g, m in membership.groupby("gemeente_code", sort=True):
        deels = m[m["deels"]]
        per[g] = {"swv_po": " ".join(m.loc[m["kind"] == "PO", "code"]),
                  "swv_vo": " ".join(m.loc[m["kind"] == "VO", "code"]),
                  "swv_deels": " ".join(deels["code"]),
                  "swv_herkomst": json.dumps(dict(zip(deels["code"], deels["herkomst"])), ensure_ascii=False)
                  if len(deels) else ""}
    for col in SWV_COLUMNS:
        out.loc[last, col] = out.loc[last, "gemeente_code"].map(lambda c, col=col: per.get(c, {}).get(col, ""))
    return out


@dataclass(frozen=True)
class Verband:
    """One samenwerkingsverband on today's indeling: its members (gemeente codes, sorted), those that lie
    only partly in it, and per partial member where that part comes from (2015 name, postcodes or [])."""

    code: str
    name: str
    members: tuple[str, ...]
    deels: tuple[str, ...] = ()
    herkomst: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def kind(self) -> str:
        return self.code[:2]


def verbanden(current: pd.DataFrame) -> dict[str, Verband]:
    """Every samenwerkingsverband of today's indeling (``current``: the latest year's rows), by code;
    empty when the regions table has no membership columns (no regulation at preparation)."""
    import json

    if "swv_po" not in current.columns:
        return {}
    members: dict[str, list[str]] = {}
    deels: dict[str, list[str]] = {}
    herkomst: dict[str, dict] = defaultdict(dict)
    inwoners = dict(zip(current["gemeente_code"], current["inwoners"].fillna(0)))
    names = dict(zip(current["gemeente_code"], current["gemeente_naam"]))
    for row in current[["gemeente_code", *SWV_COLUMNS]].itertuples(index=False):
        for code in f"{row.swv_po or ''} {row.swv_vo or ''}".split():
            members.setdefault(code, []).append(row.gemeente_code)
        for code in (row.swv_deels or "").split():
            deels.setdefault(code, []).append(row.gemeente_code)
        for code, parts in (json.loads(row.swv_herkomst) if row.swv_herkomst else {}).items():
            herkomst.setdefault(code, {})[row.gemeente_code] = parts
    out = {}
    for code, gm in sorted(members.items()):
        partly = tuple(sorted(deels.get(code, ())))
        # named after its largest gemeente that lies wholly in it, or mostly (its own 2015 area, not a
        # gemeente merged into it later): Amsterdam names PO 27-07, not PO 27-09 (Weesp's)
        core = [g for g in gm if g not in partly or any(
            plain_name(p[0]) == plain_name(names.get(g, "")) and len(p[1]) >= len(p[2]) for p in herkomst[code][g])]
        largest = max(core or gm, key=lambda g: (inwoners.get(g, 0), g))
        where = names.get(largest, largest) if len(gm) == 1 else f"regio {names.get(largest, largest)}"
        name = f"Samenwerkingsverband {swv_label(code)} {where}"
        out[code] = Verband(code, name, tuple(sorted(gm)), partly, dict(herkomst.get(code, {})))
    return out


def region_catalogue(facts: pd.DataFrame, regions: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """code -> (name, level) for every region in the data; gemeenten by their latest name."""
    cat = {}
    latest = regions.sort_values("jaar").drop_duplicates("gemeente_code", keep="last")
    for r in latest.itertuples(index=False):
        cat[r.gemeente_code] = (r.gemeente_naam, "gemeente")
    named = facts[["region_code", "region_name", "region_level"]].drop_duplicates("region_code", keep="last")
    for r in named.itertuples(index=False):
        cat.setdefault(r.region_code, (r.region_name, r.region_level))
    for code, v in verbanden(latest_classification(regions)).items():  # no CBS figures of their own
        cat.setdefault(code, (v.name, SWV_LEVEL))
    return cat
