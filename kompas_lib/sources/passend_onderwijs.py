"""Samenwerkingsverbanden passend onderwijs: the official regulation that assigns every postcode area and
gemeente to a PO and a VO samenwerkingsverband (*Regeling regio-indeling samenwerkingsverbanden passend
onderwijs PO en VO*, BWBR0032324), read as published — no meaning is changed here.

Where the files are: a folder ``passend_onderwijs`` with ``BWBR0032324/<version date>/README.md`` (the
regulation as Markdown, one folder per version). A source folder's own ``passend_onderwijs`` comes first
(Demoland writes one), else the one *beside* it (``<KOMPAS_CBS_DIR>/../passend_onderwijs``, as in the
shared data folder; for CBS online ``data/raw/passend_onderwijs``). No folder: no samenwerkingsverbanden,
and no error — the rest of the workbook does not need them.

Versions: the newest version is the source of truth. The 2015 version has the bijlage as one table
``| PC4 | gemeente | PO SWV | VO SWV |`` (a row per postcode area, gemeente names of that time); the 2013
version has Bijlage 1 (PO) and 2 (VO) as ``| samenwerkingsverband | gemeentenaam |`` with the code on the
first row of each verband and split gemeenten written as "Tynaarlo (postcodes 9471, …)". Neither names the
verbanden (only codes such as PO2001; DUO writes "PO 20-01"), so a verband is named by its code and its
largest gemeente (see :func:`kompas_lib.prepare.regions.attach_verbanden`). The postcodes 3197–3199 (the
Europoort, no inhabitants) belong to no verband ("Europoort" in both columns) and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kompas_lib.core.errors import DataError
from kompas_lib.core.prepare_info import REGULATION, REGULATION_FOLDER as FOLDER, regulation_folder
TITLE = "Regeling regio-indeling samenwerkingsverbanden passend onderwijs PO en VO"
CODE = re.compile(r"^(PO|VO)\d{4}$")
KINDS = ("PO", "VO")
_ROW = re.compile(r"^\|(.*)\|\s*$")


@dataclass(frozen=True)
class Regulation:
    """One version of the regulation: ``table`` has a row per postcode area (``pc4``, ``gemeente`` as
    named then, ``PO``, ``VO``: the codes, None for an area in no verband); ``version`` is its date."""

    version: str
    path: Path
    table: pd.DataFrame

    def codes(self, kind: str) -> list[str]:
        return sorted(self.table[kind].dropna().unique())

    def split(self, kind: str) -> list[str]:
        """Gemeenten (as named then) whose postcode areas lie in more than one verband of ``kind``."""
        n = self.table.dropna(subset=[kind]).groupby("gemeente")[kind].nunique()
        return sorted(n[n > 1].index)


def folder_for(root: Path | None) -> Path | None:
    """The ``passend_onderwijs`` folder of a source folder ``root``: its own, else the one beside it;
    None when neither exists. The rule lives beside the fingerprint of the raw files
    (:func:`kompas_lib.core.prepare_info.regulation_folder`), so what prepare reads is what it covers."""
    return regulation_folder(root)


def versions(folder: Path) -> list[Path]:
    """The regulation's version files, oldest first (folders named by their date, YYYY-MM-DD)."""
    base = Path(folder) / REGULATION
    found = [p / "README.md" for p in base.iterdir() if re.match(r"^\d{4}-\d{2}-\d{2}$", p.name)]
    return sorted(p for p in found if p.is_file())


def _cells(line: str) -> list[str] | None:
    m = _ROW.match(line.strip())
    return [c.strip() for c in m.group(1).split("|")] if m else None


def _broken(path: Path, what: str) -> DataError:
    return DataError(f"Het bestand met de indeling in samenwerkingsverbanden passend onderwijs, {path}, is niet te "
                     f"lezen: {what}. Zet er een ongewijzigde kopie van de regeling (BWBR0032324) neer of haal de map "
                     f"'{FOLDER}' weg; zonder die map heeft het werkboek geen samenwerkingsverbanden.")


def parse_postcode_table(text: str, path: Path) -> pd.DataFrame:
    """The bijlage of the 2015 version: the rows of the table headed ``PC4 | gemeente | PO SWV | VO SWV``."""
    rows, header = [], None
    for n, line in enumerate(text.splitlines(), start=1):
        cells = _cells(line)
        if cells is None:
            continue
        if header is None:
            if [c.lower() for c in cells[:4]] == ["pc4", "gemeente", "po swv", "vo swv"]:
                header = n
            continue
        if set("".join(cells)) <= set(":- "):
            continue
        if len(cells) < 4 or not re.match(r"^\d{4}$", cells[0]):
            raise _broken(path, f"regel {n} is geen rij 'postcode | gemeente | PO | VO'")
        po, vo = (c if CODE.match(c) else None for c in cells[2:4])
        rows.append({"pc4": cells[0], "gemeente": cells[1], "PO": po, "VO": vo})
    if header is None or not rows:
        raise _broken(path, "de tabel 'PC4 | gemeente | PO SWV | VO SWV' ontbreekt")
    table = pd.DataFrame(rows)
    if table["pc4"].duplicated().any():
        raise _broken(path, f"postcode {table.loc[table['pc4'].duplicated(), 'pc4'].iloc[0]} staat er twee keer in")
    return table


_PART = re.compile(r"^(?P<name>.*?)\s*\((?P<mu>m\.u\.v\.?\s*)?postcodes?\s*(?P<pcs>[^)]*)\)$")


def parse_bijlagen(text: str, path: Path) -> pd.DataFrame:
    """Bijlage 1 (PO) and 2 (VO) of the 2013 version: a row per verband and gemeente (``kind``, ``code``,
    ``gemeente``), with ``postcodes`` (the areas named, or empty) and ``behalve`` (True for 'm.u.v.')."""
    rows, kind, code = [], None, None
    for line in text.splitlines():
        if line.startswith("### Bijlage"):
            kind = {"1": "PO", "2": "VO"}.get(line.split()[-1])
            code = None
            continue
        cells = _cells(line)
        if kind is None or cells is None or len(cells) < 2 or cells[0].lower() == "samenwerkingsverband":
            continue
        if cells[0] not in ("---", ":---") and CODE.match(cells[0]):
            code = cells[0]
        elif cells[0] not in ("---", ":---") or code is None or cells[1] in ("---", ":---"):
            continue
        m = _PART.match(cells[1])
        name, pcs, behalve = (m["name"], re.findall(r"\d{4}", m["pcs"]), bool(m["mu"])) if m else (cells[1], [], False)
        rows.append({"kind": kind, "code": code, "gemeente": name, "postcodes": tuple(pcs), "behalve": behalve})
    if not rows:
        raise _broken(path, "de bijlagen met samenwerkingsverbanden en gemeenten ontbreken")
    return pd.DataFrame(rows)


def read_version(path: Path) -> Regulation:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _broken(path, type(exc).__name__) from None
    version = Path(path).parent.name
    if "| PC4" in text:
        return Regulation(version, Path(path), parse_postcode_table(text, Path(path)))
    bijlagen = parse_bijlagen(text, Path(path))
    # without postcodes: a gemeente named in one verband per kind, or split as the text says (no areas)
    table = bijlagen.pivot_table(index="gemeente", columns="kind", values="code", aggfunc="first").reset_index()
    return Regulation(version, Path(path), table.assign(pc4=None).reindex(columns=["pc4", "gemeente", *KINDS]))


def read_newest(root: Path | None) -> Regulation | None:
    """The newest version beside (or in) the source folder ``root``; None when there is none."""
    folder = folder_for(root)
    if folder is None:
        return None
    found = versions(folder)
    return read_version(found[-1]) if found else None


__all__ = ["FOLDER", "KINDS", "REGULATION", "TITLE", "Regulation", "folder_for", "parse_bijlagen", "parse_postcode_table",
           "read_newest", "read_version", "versions"]
