"""The catalogue filler: the tables and columns the catalogue asks for that the Demoland generators
do not write.

A new indicator is one edit of the catalogue (tables.yml, or the file KOMPAS_CATALOGUE names), also
when it asks for a CBS column or table the generators do not know. After they have run, every table
of a concept with indicators is checked against what its indicators need (region, period, filter
and group columns; count, value, denominator and subgroup columns), and what is missing is filled
from a simple, seeded model (:class:`~.model.IndicatorModel`): a table the demo does not know is
written from scratch, a known table gets the missing columns (and rows for a filter value it lacks).
Figures the generators write are never changed. What was filled is listed in the table's metadata
(``aangevuld``), so that a new indicator never breaks ``prepare`` on the demo.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core import io
from kompas_lib.core.errors import DataError
from kompas_lib.core.periods import parse_period
from kompas_lib.core.registry import Concept, Indicator, Registry, TableSpan, resolve_any
from kompas_lib.sources.demoland.country import (
    COUNTRY, GROOTTEKLASSEN_JZ, JEUGDREGIOS, PROVINCIES, YEARS, gemeenten_in, table_meta, write_table,
)
from kompas_lib.sources.demoland.model import MODEL_NOTE, IndicatorModel, first_name


def _applies(ind: Indicator, table_id: str) -> bool:
    return not ind.alleen_tabellen or table_id in ind.alleen_tabellen


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


def _read_or_new(out: Path, g: pd.DataFrame, concept: Concept, span: TableSpan,
                 inds: list[Indicator]) -> tuple[pd.DataFrame, Path | None, bool]:
    """(table, its file, whether its cells are quoted): a known table as written (every cell text), or
    for a table the demo does not know the rows of :func:`_new_table` (no file yet)."""
    path = _table_csv(out, span.id)
    if path is None:
        return _new_table(g, concept, span, inds), None, False
    df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return df, path, path.read_text(encoding="utf-8-sig").startswith('"')


def _add_dimension_columns(df: pd.DataFrame, inds: list[Indicator], known: bool) -> list[str]:
    """Add (in place) the dimension columns the catalogue filters or groups on that the table lacks:
    every row is that category ('Totaal' for a group). Returns those added to a known table."""
    first_measure = 1 if "ID" in df.columns else 0
    added = []
    for ind in inds:
        dims = [(f.kolommen, f.waarden[0]) for f in [*ind.filter, *ind.noemer_filter] if not f.optioneel]
        for cols, value in dims + [([c], "Totaal") for c in ind.groepen]:
            if not any(c in df.columns for c in cols):
                df.insert(first_measure, cols[0], value)
                added += [cols[0]] if known else []
    return added


def _add_missing_rows(df: pd.DataFrame, concept: Concept, inds: list[Indicator],
                      known: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """The table with rows for every filter value it lacks (see :func:`_skeleton_rows`), and per row
    whether it is new (every row of a table written from scratch)."""
    new_row = np.zeros(len(df), dtype=bool) if known else np.ones(len(df), dtype=bool)
    for ind in inds:
        for _, filters in _row_sets(ind):
            if len(df) and not _match(df, filters).any():
                extra = _skeleton_rows(df, concept, filters, ind.groepen)
                df = pd.concat([df, extra], ignore_index=True)
                new_row = np.concatenate([new_row, np.ones(len(extra), dtype=bool)])
    return df, new_row


def _add_measure_columns(df: pd.DataFrame, inds: list[Indicator],
                         models: dict[str, IndicatorModel]) -> tuple[list[tuple], list[str]]:
    """The measure columns the indicators need, as ``(column, indicator, role, split)``, and the
    columns among them the table lacked: those are added (in place, empty) where CBS would have them."""
    fills, added = [], []
    for ind in inds:
        columns = [(ind.teller, "teller", 1.0), (ind.waarde, "waarde", 1.0), (ind.noemer, "noemer", 1.0)]
        for dim, grps in ind.kolomgroepen.items():
            columns += [(grp.kolommen, "groep", float(s)) for grp, s in zip(grps, models[ind.id].splits[dim])]
        for spec, role, split in columns:
            if not spec:
                continue
            col = resolve_any(df.columns, spec)
            if col is None:
                col = _new_name(first_name(spec), df.columns)
                _insert(df, col)
                added.append(col)
            fills.append((col, ind, role, split))
    return fills, added


def _region_keys(df: pd.DataFrame, concept: Concept) -> list[str]:
    """Per row the key :func:`_places` knows its region by: the region code, else the region title
    (lower case); the country for a table without regions."""
    code_col = resolve_any(df.columns, concept.code_kolom)
    titles = df[code_col] if code_col else (df[concept.regio] if concept.regio in df.columns else None)
    return ([COUNTRY.lower()] * len(df) if titles is None else
            [str(t).strip().lower() or str(r).strip().lower() for t, r in
             zip(titles, df[concept.regio] if concept.regio in df.columns else titles)])


def _row_weights(df: pd.DataFrame, inds: list[Indicator]) -> np.ndarray:
    """Per row its share of the region's figures: 1 for a total, 1/n for each of the n categories of
    a group column."""
    weight = np.ones(len(df))
    for col in dict.fromkeys(c for ind in inds for c in ind.groepen if c in df.columns):
        part = ~df[col].str.strip().str.lower().str.startswith("totaal")
        if part.any():
            weight[part.to_numpy()] /= df.loc[part, col].nunique()
    return weight


class _RowFigures:
    """(numerator, denominator, value) per row of one table and indicator: what the table publishes
    (before filling), the rest modelled. ``cache`` keeps the gemeenten, places and model values per
    year across tables; the other lookups are per table."""

    def __init__(self, df: pd.DataFrame, g: pd.DataFrame, concept: Concept, span: TableSpan,
                 inds: list[Indicator], models: dict[str, IndicatorModel], seed: int, cache: dict) -> None:
        self.g, self.models, self.seed, self.cache = g, models, seed, cache
        self.region_keys = _region_keys(df, concept)
        self.period_titles = [span.periode] * len(df) if span.periode else list(df.get("Perioden", [""] * len(df)))
        self.weight = _row_weights(df, inds)
        self.published = df.copy()  # the figures the table had before filling (new cells are still empty)
        self.columns_of = {ind.id: {role: resolve_any(df.columns, spec) for role, spec in
                                    (("teller", ind.teller), ("waarde", ind.waarde), ("noemer", ind.noemer)) if spec}
                           for ind in inds}
        self.periods, self.regions, self.rows_seen = {}, {}, {}

    def _period(self, title: str):
        """The parsed period of a title; None for a period the demo cannot place (it gets no figure)."""
        if title not in self.periods:
            try:
                self.periods[title] = parse_period(title)
            except DataError:
                self.periods[title] = None
        return self.periods[title]

    def modelled(self, i: int, ind: Indicator):
        """The model's (numerator, denominator, value) for row ``i``; None where the demo cannot
        place its region or period."""
        title = str(self.period_titles[i]).strip()
        period = self._period(title)
        if period is None:
            return None
        year = period.year
        if year not in self.cache:
            gy = gemeenten_in(self.g, year)
            self.cache[year] = (gy, _places(gy))
        gy, places = self.cache[year]
        hit = places.get(self.region_keys[i])
        if hit is None:
            return None
        key = (ind.id, year, period.type)
        if key not in self.cache:
            self.cache[key] = self.models[ind.id].gemeenten(gy, year, period.type, self.seed)
        weight = self.weight[i] * hit[1]
        rkey = (ind.id, self.region_keys[i], title, weight)
        if rkey not in self.regions:
            self.regions[rkey] = self.models[ind.id].region(self.cache[key], hit[0], weight)
        return self.regions[rkey]

    def number(self, col: str | None, i: int, factor: float = 1.0) -> float | None:
        """The figure the table publishes in ``col`` on row ``i`` (× ``factor``); None when there is none."""
        try:
            x = float(self.published.at[i, col]) * factor if col else np.nan
        except ValueError:
            return None
        return x if np.isfinite(x) else None

    def of(self, i: int, ind: Indicator, row_role: str):
        """(numerator, denominator, value) of row ``i``: what the table publishes, the rest modelled."""
        key = (ind.id, i, row_role)
        if key not in self.rows_seen:
            hit = self.modelled(i, ind)
            if hit is not None and row_role == "teller":
                cols = self.columns_of[ind.id]
                hit = self.models[ind.id].reconcile(hit, self.number(cols.get("teller"), i, ind.teller_factor),
                                                    self.number(cols.get("noemer"), i),
                                                    self.number(cols.get("waarde"), i, ind.waarde_factor))
            self.rows_seen[key] = hit
        return self.rows_seen[key]


def _fill_cells(df: pd.DataFrame, fills: list[tuple], new_row: np.ndarray, added: list[str],
                figures: _RowFigures, models: dict[str, IndicatorModel]) -> None:
    """Write (in place) the figures into the empty cells of the new rows and of the added columns."""
    for col in dict.fromkeys(c for c, *_ in fills):
        todo = (new_row | (col in added)) & (df[col] == "").to_numpy()
        cells = df[col].to_numpy(dtype=object).copy()
        for _, ind, role, split in [f for f in fills if f[0] == col]:
            sets = _row_sets(ind) if role == "teller" else [(role, _row_sets(ind)[0][1])]
            for row_role, filters in sets:
                rows = np.flatnonzero(todo & _match(df, filters))
                for i in rows:
                    hit = figures.of(i, ind, row_role)
                    if hit is not None:
                        v = models[ind.id].cell(row_role if role == "teller" else role, *hit, split=split)
                        cells[i] = "" if not np.isfinite(v) else f"{round(float(v), 1):.1f}"
                todo[rows] = False
        df[col] = cells


def _write_filled(out: Path, concept: Concept, span: TableSpan, df: pd.DataFrame, path: Path | None,
                  quoted: bool, added: list[str], new_row: np.ndarray) -> None:
    """Write the filled table (a known one over its own file, in its own quoting; a new one as the
    generators write theirs) and record in its metadata what was filled (``aangevuld``)."""
    if path is not None:
        if "ID" in df.columns:
            df["ID"] = [str(i) for i in range(len(df))]
        io.write_csv(df, path, sep=";", encoding="utf-8-sig", index=False, **({"quoting": 1} if quoted else {}))
    else:
        write_table(out, span.id, df, concept.titel)
    meta_file = out / span.id / f"{span.id}.json"
    meta = {**table_meta(span.id, concept.titel),
            **(json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {})}
    meta["aangevuld"] = {"kolommen": added, "nieuwe_tabel": path is None, "rijen_toegevoegd": int(new_row.sum()),
                         "toelichting": MODEL_NOTE}
    io.write_json(meta_file, meta)


def _fill_table(out: Path, g: pd.DataFrame, concept: Concept, span: TableSpan, inds: list[Indicator],
                models: dict[str, IndicatorModel], seed: int, cache: dict) -> list[str] | None:
    """Write or extend one table so that every catalogue column its indicators need is there.
    Returns the columns added (all measure columns for a table written from scratch), None when
    the table needed nothing. ``cache`` keeps the gemeenten, regions and model values per year
    across tables."""
    df, path, quoted = _read_or_new(out, g, concept, span, inds)
    known = path is not None
    before = (list(df.columns), len(df))
    added = _add_dimension_columns(df, inds, known)  # for a new table: only its measure columns follow
    df, new_row = _add_missing_rows(df, concept, inds, known)
    fills, measures_added = _add_measure_columns(df, inds, models)
    added += measures_added
    if known and (list(df.columns), len(df)) == before:
        return None
    _fill_cells(df, fills, new_row, added, _RowFigures(df, g, concept, span, inds, models, seed, cache), models)
    _write_filled(out, concept, span, df, path, quoted, added, new_row)
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


def fill_catalogue(out: Path, g: pd.DataFrame, registry: Registry, seed: int) -> dict[str, list[str]]:
    """Fill every table and column the catalogue asks for that the Demoland generators did not write.
    Returns table id -> columns added (empty when only rows for a new filter value were added)."""
    models = {ind.id: IndicatorModel.build(ind, g, seed) for ind in registry.indicators.values()}
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
