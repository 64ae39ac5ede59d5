"""Prepare: raw CBS tables -> one tidy fact table and the region table, for all regions at once.

``kompas prepare`` writes

* ``data/processed/regions.parquet`` – per year, each gemeente and the regions it belongs to;
* ``data/processed/facts.parquet``   – one row per indicator × region × period × group, with
  the columns of :data:`FACT_COLUMNS` (DESIGN.md §3);
* ``data/processed/prepare.json``    – what was read: source (kind, folder, a fingerprint of its raw
  files, see :func:`~kompas_lib.core.prepare_info.raw_fingerprint`), tables, metadata, titles that could
  not be matched to a region code, and the indicators skipped because the source lacks their table
  or a column they need (``indicators_skipped``).

Series of merged gemeenten are put on the latest indeling (:mod:`kompas_lib.herindeling`).
Writing is atomic and the result depends only on the input, so re-running is safe.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from kompas_lib.core import io, paths
from kompas_lib.core.errors import DataError
from kompas_lib.core.periods import parse_period
from kompas_lib.core.registry import Concept, Indicator, Registry, load_registry, resolve_any
from kompas_lib.core.prepare_info import FILE as PREPARE_INFO, PrepareInfo, SourceInfo, raw_fingerprint
from kompas_lib.prepare.herindeling import harmonise
from kompas_lib.prepare.loading import CATEGORY_COLUMNS, FACT_COLUMNS, load_facts, load_regions  # noqa: F401
from kompas_lib.prepare.regions import COUNTRY_CODE, RegionIndex, parse_gebieden
from kompas_lib.sources import FolderSource
from kompas_lib.sources.cbs_csv import require_columns, to_number
from kompas_lib.sources.demoland import display_id

COUNTRY_TABLES = "country"  # results computed once from the facts (kompas_lib/presentation/country_store.py)
log = logging.getLogger(__name__)


@dataclass
class PrepareResult:
    facts: pd.DataFrame
    regions: pd.DataFrame
    report: dict = field(default_factory=dict)  # prepare.json as written (PrepareInfo.to_json)

    @property
    def info(self) -> PrepareInfo:
        return PrepareInfo.from_json(self.report)


def build_regions(source: FolderSource, registry: Registry) -> tuple[pd.DataFrame, list[str]]:
    frames, used = [], []
    for year, table_id in sorted(registry.gebieden_tables.items()):
        if not source.has_table(table_id):
            continue
        frames.append(parse_gebieden(source.read_table(table_id), year, table_id))
        used.append(table_id)
    if not frames:
        raise DataError(
            f"Er staat geen tabel 'Gebieden in Nederland' in {source.root}. Zonder die tabel zijn de namen van "
            f"gemeenten niet aan hun codes te koppelen. Verwacht minstens één van: "
            f"{', '.join(registry.gebieden_tables.values())}; haal er een op met 'kompas fetch <tabel-id>' "
            "(internet nodig) of gebruik een kopie van de CBS-tabellen die ze heeft."
        )
    return pd.concat(frames, ignore_index=True), used


def _filter_rows(raw: pd.DataFrame, ind: Indicator, table_id: str, filters=None) -> pd.DataFrame:
    mask = pd.Series(True, index=raw.index)
    for flt in ind.filter if filters is None else filters:
        col = next((c for c in flt.kolommen if c in raw.columns), None)
        if col is None and flt.optioneel:
            continue
        if col is None:
            raise DataError(
                f"CBS-tabel {table_id} heeft geen van de kolommen {', '.join(flt.kolommen)} waarop indicator "
                f"{ind.id} filtert. Waarschijnlijk heeft CBS de tabel veranderd; pas de catalogus "
                "kompas_lib/data/tables.yml aan (of meld het aan wie kompas beheert)."
            )
        mask &= raw[col].isin(flt.waarden)
    return raw[mask]


def is_total(title) -> bool:
    """'Totaal', 'Totaal mannen en vrouwen', 'Totaal verwijzer', 'Totaal perspectief', …"""
    return str(title).strip().lower().startswith("totaal")


def _denominator_rows(raw: pd.DataFrame, rows: pd.DataFrame, ind: Indicator, teller: str, table_id: str,
                      regio: str | None) -> pd.Series:
    """The denominator from other rows of the same table: the filters of ``noemer_filter`` replace
    those on the same columns (e.g. VSV: 'Voortijdig schoolverlaters' over 'Totaal')."""
    replaced = {c for f in ind.noemer_filter for c in f.kolommen}
    filters = [f for f in ind.filter if not set(f.kolommen) & replaced] + list(ind.noemer_filter)
    den_rows = _filter_rows(raw, ind, table_id, filters)
    keys = [c for c in [regio, "Perioden", *ind.groepen] if c]
    den_values, _ = to_number(den_rows[teller])
    lookup = pd.Series(den_values.to_numpy() * ind.teller_factor, index=pd.MultiIndex.from_frame(den_rows[keys]))
    lookup = lookup[~lookup.index.duplicated()]
    return pd.Series(lookup.reindex(pd.MultiIndex.from_frame(rows[keys])).to_numpy())


def _groups(rows: pd.DataFrame, groepen: dict[str, str], table_id: str) -> tuple[list[str], list[str]]:
    """group_dim / group_value per row. A row with totals in every group column is 'totaal'; with one
    non-total column it is that dimension ('leeftijd', '4 tot 12 jaar'); with several, the dims are
    joined ('geslacht×leeftijd', 'Mannen | 4 tot 12 jaar')."""
    n = len(rows)
    if not groepen:
        return ["totaal"] * n, ["totaal"] * n
    require_columns(rows, list(groepen), table_id)
    cols = {dim: rows[col].to_numpy() for col, dim in groepen.items()}
    dims, values = [], []
    for i in range(n):
        parts = [(dim, v[i]) for dim, v in cols.items() if not is_total(v[i])]
        dims.append("×".join(d for d, _ in parts) or "totaal")
        values.append(" | ".join(str(v) for _, v in parts) or "totaal")
    return dims, values


def _period_frame(titles: pd.Series) -> pd.DataFrame:
    uniq = pd.unique(titles)
    parsed = {t: parse_period(t) for t in uniq}
    return pd.DataFrame({
        "period_title": list(parsed),
        "period": [p.code for p in parsed.values()],
        "period_type": [p.type for p in parsed.values()],
        "period_start": [pd.Timestamp(p.start) for p in parsed.values()],
        "period_end": [pd.Timestamp(p.end) for p in parsed.values()],
        "period_year": [p.year for p in parsed.values()],
        "period_status": [p.status for p in parsed.values()],
    })


# Why an indicator was skipped for a table (prepare.json ``indicators_skipped``), in plain Dutch.
SKIP_TABLE = "de tabel staat niet in deze bron"
SKIP_COLUMN = "de kolom staat niet in de tabel"
SKIP_FILTER = "de kolom waarop de catalogus filtert staat niet in de tabel"
SKIP_GROUP = "de kolom met groepen staat niet in de tabel"
SKIP_REGION = "de kolom met regio's staat niet in de tabel"
SKIP_PERIOD = "de kolom met perioden staat niet in de tabel"


def _spec_text(spec: str | list[str]) -> str:
    return spec if isinstance(spec, str) else " of ".join(spec)


def missing_columns(columns, ind: Indicator, concept: Concept) -> list[tuple[str, str]]:
    """``(column, reason)`` for each column the catalogue needs for ``ind`` that ``columns`` lacks:
    region and period columns, filters (unless optional), groups, count, value and denominator.
    Subgroup columns (``kolomgroepen``) are optional and not checked."""
    columns = list(columns)
    out = []
    if concept.regio and concept.regio not in columns:
        out.append((concept.regio, SKIP_REGION))
    if "Perioden" not in columns:
        out.append(("Perioden", SKIP_PERIOD))
    for flt in [*ind.filter, *ind.noemer_filter]:
        if not flt.optioneel and not any(c in columns for c in flt.kolommen):
            out.append((_spec_text(flt.kolom), SKIP_FILTER))
    out += [(c, SKIP_GROUP) for c in ind.groepen if c not in columns]
    out += [(_spec_text(spec), SKIP_COLUMN) for spec in (ind.teller, ind.waarde, ind.noemer)
            if spec and resolve_any(columns, spec) is None]
    return list(dict.fromkeys(out))


def applies_to(ind: Indicator, table_id: str) -> bool:
    """Whether ``ind`` is read from ``table_id`` (``alleen_tabellen`` narrows a concept's tables)."""
    return not ind.alleen_tabellen or table_id in ind.alleen_tabellen


REGION_LEVELS = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}  # by the first letters of a code


def _skip_lacking(columns, ind: Indicator, concept: Concept, table_id: str, skipped: list[dict] | None) -> bool:
    """Whether the table lacks a column ``ind`` needs (see :func:`missing_columns`); if so, that is
    logged and appended to ``skipped``, one entry per missing column."""
    lacking = missing_columns(columns, ind, concept)
    if not lacking:
        return False
    log.info("Indicator %s skipped for table %s: no column %s.", ind.id, table_id, ", ".join(c for c, _ in lacking))
    if skipped is not None:
        skipped += [{"indicator": ind.id, "table": table_id, "column": col, "reason": reason}
                    for col, reason in lacking]
    return True


def _period_columns(titles: pd.Series, table_id: str) -> pd.DataFrame:
    """Per row its period title and the parsed period (code, type, start, end, year, status)."""
    try:
        periods = _period_frame(titles)
    except DataError as exc:  # name the table: an unknown period form means CBS changed it
        raise DataError(f"CBS-tabel {table_id}, kolom 'Perioden': {exc}") from None
    df = pd.DataFrame({"period_title": titles.to_numpy()})
    return df.merge(periods, on="period_title", how="left")


def _region_columns(rows: pd.DataFrame, years: pd.Series, concept: Concept, index: RegionIndex) -> dict:
    """``region_code``, ``region_level`` and ``region_name`` per row: codes from the concept's code
    column, else the region titles looked up in the Gebieden index of the row's year."""
    code_col = resolve_any(rows.columns, concept.code_kolom)
    titles = rows[concept.regio].to_numpy() if concept.regio else np.array(["Nederland"] * len(rows))
    if code_col:
        codes = rows[code_col].replace("", None).to_numpy()
        levels = pd.Series(codes).str[:2].map(REGION_LEVELS).to_numpy()
        return {"region_code": codes, "region_level": levels, "region_name": titles}
    pairs = pd.DataFrame({"t": titles, "y": years.to_numpy()}).drop_duplicates()
    look = {(t, y): index.lookup(t, y) for t, y in pairs.itertuples(index=False)}
    hits = [look[(t, y)] for t, y in zip(titles, years)]
    return {"region_code": [h[0] if h else None for h in hits], "region_level": [h[1] if h else None for h in hits],
            "region_name": titles}


def _measures(raw: pd.DataFrame, rows: pd.DataFrame, ind: Indicator, table_id: str, regio: str | None):
    """``(numerator, denominator, value, reasons)`` per row (None: not published and not derivable).
    The count, value and denominator columns the table publishes (× the catalogue's factors) come
    first; a denominator may come from other rows (``noemer_filter``); the rest is derived
    (:func:`_derived_measures`). ``reasons``: why a cell is empty, from the first column that says."""
    teller, waarde, noemer = (resolve_any(rows.columns, spec) for spec in (ind.teller, ind.waarde, ind.noemer))
    num = den = val = None
    reasons = pd.Series([None] * len(rows), dtype=object)
    if teller:
        num, r = to_number(rows[teller].reset_index(drop=True))
        num = num * ind.teller_factor
        reasons = reasons.where(reasons.notna(), r)
    if waarde:
        val, r = to_number(rows[waarde].reset_index(drop=True))
        val = val * ind.waarde_factor
        reasons = reasons.where(reasons.notna(), r)
    if noemer:
        den, r = to_number(rows[noemer].reset_index(drop=True))
        reasons = reasons.where(reasons.notna(), r)
    elif ind.noemer_filter and teller:
        den = _denominator_rows(raw, rows, ind, teller, table_id, regio)
    val, den = _derived_measures(num, den, val, ind)
    return num, den, val, reasons


def _derived_measures(num, den, val, ind: Indicator):
    """``(value, denominator)`` completed from the counts: a ratio computed from numerator and
    denominator, the count itself as the value of a count, and with ``noemer_afgeleid`` the
    denominator that follows from count and value."""
    if val is None and num is not None and den is not None:  # a ratio computed from the counts
        with np.errstate(divide="ignore", invalid="ignore"):
            val = (num / den * ind.ratio_scale).where(den > 0)
    if val is None:  # a count: the value is the count
        val = num
    if den is None and ind.noemer_afgeleid and num is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            den = (num / val * ind.ratio_scale).where(val > 0)
    return val, den


def _row_status(rows: pd.DataFrame, concept: Concept) -> np.ndarray:
    """The table's own status per row (lower case; '' when it has no status column)."""
    status_col = concept.status_kolom if concept.status_kolom in rows.columns else None
    return rows[status_col].str.lower().to_numpy() if status_col else np.array([""] * len(rows))


def _indicator_facts(raw: pd.DataFrame, rows: pd.DataFrame, ind: Indicator, concept: Concept, table_id: str,
                     index: RegionIndex) -> pd.DataFrame:
    """The facts of one indicator from its rows of a table: period, region, measures, status and group."""
    df = _period_columns(rows["Perioden"], table_id)
    for name, values in _region_columns(rows, df["period_year"], concept, index).items():
        df[name] = values
    num, den, val, reasons = _measures(raw, rows, ind, table_id, concept.regio)
    df["numerator"] = num.to_numpy() if num is not None else np.nan
    df["denominator"] = den.to_numpy() if den is not None else np.nan
    df["value"] = val.to_numpy()
    df["missing_reason"] = reasons.where(pd.isna(df["value"]), None).to_numpy()
    df["status"] = np.where(df["period_status"].notna(), df["period_status"], _row_status(rows, concept))
    df["indicator"] = ind.id
    df["unit"] = ind.eenheid
    df["group_dim"], df["group_value"] = _groups(rows, ind.groepen, table_id)
    df["source_table"] = table_id
    return df


def _subgroup_column_facts(df: pd.DataFrame, rows: pd.DataFrame, ind: Indicator) -> list[pd.DataFrame]:
    """Facts of the subgroups a table publishes as separate columns (``kolomgroepen``): copies of the
    indicator's total rows (column subgroups split the totals only) with the subgroup's count as
    numerator and value."""
    base = (df["group_dim"] == "totaal").to_numpy()
    out = []
    for dim, groups in ind.kolomgroepen.items():
        for grp in groups:
            col = resolve_any(rows.columns, grp.kolommen)
            if col is None:
                continue
            g_num, g_reason = to_number(rows[col].reset_index(drop=True))
            g_num, g_reason = g_num[base], g_reason[base]
            gdf = df[base].copy()
            gdf["numerator"] = g_num.to_numpy()
            gdf["value"] = g_num.to_numpy()
            gdf["denominator"] = np.nan
            gdf["missing_reason"] = g_reason.where(g_num.isna(), None).to_numpy()
            gdf["group_dim"], gdf["group_value"] = dim, grp.waarde
            out.append(gdf)
    return out


def _prefer_definitief(facts: pd.DataFrame) -> pd.DataFrame:
    """One fact per indicator, region, period and group: a table may hold a voorlopig and a
    definitief figure for the same cell; the definitief one is kept."""
    rank = facts["status"].map({"definitief": 0, "nader voorlopig": 1, "voorlopig": 2}).fillna(1)
    facts = facts.assign(_rank=rank).sort_values("_rank", kind="stable")
    key = ["indicator", "region_code", "period", "group_dim", "group_value"]
    return facts.drop_duplicates(key, keep="first").drop(columns="_rank")


def facts_from_table(raw: pd.DataFrame, table_id: str, registry: Registry, concept_id: str,
                     index: RegionIndex, fixed_period: str | None = None,
                     skipped: list[dict] | None = None) -> pd.DataFrame:
    """All indicator facts of one raw table. Rows whose region could not be matched to a code keep
    ``region_code`` None (the caller reports and drops them).

    An indicator whose columns the table lacks (see :func:`missing_columns`) gives no facts; it is
    appended to ``skipped`` as ``{indicator, table, column, reason}``, one entry per missing column."""
    concept = registry.concepts[concept_id]
    if fixed_period is not None:
        raw = raw.assign(Perioden=fixed_period)
    out = []
    for ind in registry.indicators_of(concept_id):
        if not applies_to(ind, table_id) or _skip_lacking(raw.columns, ind, concept, table_id, skipped):
            continue
        rows = _filter_rows(raw, ind, table_id)
        if rows.empty:
            continue
        df = _indicator_facts(raw, rows, ind, concept, table_id, index)
        out += [df, *_subgroup_column_facts(df, rows, ind)]
    if not out:
        return pd.DataFrame(columns=FACT_COLUMNS)
    facts = pd.concat(out, ignore_index=True)
    if concept.overslaan:
        facts = facts[~facts["region_name"].astype(str).str.match("|".join(concept.overslaan))]
    return _prefer_definitief(facts)


def relabel_tables(values: pd.Series, labels: dict[str, str]) -> pd.Series:
    """``source_table`` values (one id or comma-joined ids) with every id replaced by its label; a
    fictitious source shows its own table numbers instead of the CBS ids its folders are named by."""
    if not labels:
        return values
    distinct = pd.Series(values.dropna().unique(), dtype=object)
    mapped = {v: ",".join(labels.get(t, t) for t in str(v).split(",")) for v in distinct}
    return values.map(mapped)


def prepare(source: FolderSource, out_dir: Path | None = None, *, registry: Registry | None = None,
            progress: bool = True) -> PrepareResult:
    """Build and write ``regions.parquet``, ``facts.parquet`` and ``prepare.json``."""
    t0 = time.perf_counter()
    registry = registry or load_registry()
    out_dir = Path(out_dir or paths.processed_dir())
    fingerprint = raw_fingerprint(source.root)  # before reading: a file changed meanwhile shows next time
    regions, gebieden_used = build_regions(source, registry)
    herindelingen = source.herindelingen()
    index = RegionIndex.build(regions, herindelingen, country_name="Demoland" if source.fictitious else "Nederland")

    jobs = [(cid, span) for cid, c in registry.concepts.items() for span in c.tables]
    frames, used, absent, unmatched, meta, skipped = [], [], [], set(), {}, []
    bar = tqdm(jobs, desc="CBS-tabellen verwerken", unit="tabel", disable=not progress)
    for concept_id, span in bar:
        bar.set_postfix_str(span.id)
        if not registry.indicators_of(concept_id):
            continue
        if not source.has_table(span.id):
            absent.append(span.id)
            skipped += [{"indicator": ind.id, "table": span.id, "column": None, "reason": SKIP_TABLE}
                        for ind in registry.indicators_of(concept_id) if applies_to(ind, span.id)]
            continue
        raw = source.read_table(span.id)
        facts = facts_from_table(raw, span.id, registry, concept_id, index, span.periode, skipped)
        if facts.empty:  # every indicator of the table was skipped (a column CBS renamed): the reason is recorded
            continue
        # a table only contributes the years the registry assigns to it
        facts = facts[facts["period_start"].dt.year.between(span.van, span.tot or 9999)
                      | facts["period_end"].dt.year.between(span.van, span.tot or 9999)]
        # rows without a region code: report those that carry a figure; CBS keeps listing defunct
        # gemeenten with empty cells in later periods, which need no code
        lost = facts["region_code"].isna()
        unmatched.update(f"{span.id}: {t}" for t in facts.loc[lost & facts["value"].notna(), "region_name"].unique())
        facts = facts[~lost]
        frames.append(facts)
        used.append(span.id)
        meta[span.id] = source.metadata(span.id)
    facts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FACT_COLUMNS)
    facts["harmonised"] = False
    facts = harmonise(facts, herindelingen, registry, regions)
    known = {c: index.name(c) for c in facts["region_code"].unique() if index.level(c)}
    facts["region_name"] = facts["region_code"].map(known).fillna(facts["region_name"])
    facts["suppressed"] = False
    labels = {t: display_id(t) for t in registry.all_table_ids()} if source.fictitious else {}
    facts["source_table"] = relabel_tables(facts["source_table"], labels)
    regions, swv_meta = _with_verbanden(source, regions, index, herindelingen, unmatched)
    meta.update(swv_meta)
    facts = facts[FACT_COLUMNS].sort_values(
        ["indicator", "region_code", "period_start", "period_end"], kind="stable").reset_index(drop=True)
    for col in ("numerator", "denominator", "value"):
        facts[col] = facts[col].astype(float)

    # prepare.json goes first and comes back last: facts without it are never taken for the old ones
    (out_dir / PREPARE_INFO).unlink(missing_ok=True)
    shutil.rmtree(out_dir / COUNTRY_TABLES, ignore_errors=True)  # tables computed from the old facts
    io.write_parquet(regions, out_dir / "regions.parquet")
    io.write_parquet(facts, out_dir / "facts.parquet")
    info = PrepareInfo(
        source=SourceInfo(source.kind, str(Path(source.root).resolve()), source.fictitious, fingerprint),
        gebieden_tables=tuple(gebieden_used), tables_used=tuple(used), tables_absent=tuple(sorted(set(absent))),
        table_metadata=meta, table_labels=labels, unmatched_region_titles=tuple(sorted(unmatched)),
        indicators_skipped=tuple(skipped), n_facts=int(len(facts)), seconds=round(time.perf_counter() - t0, 2),
        prepared_at=time.strftime("%Y-%m-%d %H:%M:%S"))
    report = info.to_json()
    io.write_json(out_dir / PREPARE_INFO, report)
    return PrepareResult(facts, regions, report)


def _with_verbanden(source: FolderSource, regions: pd.DataFrame, index: RegionIndex, herindelingen: pd.DataFrame,
                    unmatched: set[str]) -> tuple[pd.DataFrame, dict]:
    """The samenwerkingsverbanden passend onderwijs on today's gemeenten, when the regulation lies in or
    beside the source folder (:mod:`kompas_lib.sources.passend_onderwijs`); without it the regions table
    gets empty membership columns and the workbook has no verbanden."""
    from kompas_lib.prepare.regions import attach_verbanden, latest_classification, verband_membership
    from kompas_lib.sources import passend_onderwijs

    regulation = passend_onderwijs.read_newest(source.root)
    if regulation is None:
        return attach_verbanden(regions, None), {}
    current = set(latest_classification(regions)["gemeente_code"])
    membership, unknown = verband_membership(regulation.table, index, herindelingen, current)
    unmatched.update(f"{passend_onderwijs.REGULATION}: {name}" for name in unknown)
    meta = {passend_onderwijs.REGULATION: {
        "table_id": passend_onderwijs.REGULATION, "title": passend_onderwijs.TITLE, "versie": regulation.version,
        "bestand": str(regulation.path), "fictief": source.fictitious}}
    return attach_verbanden(regions, membership), meta


__all__ = ["prepare", "load_facts", "load_regions", "FACT_COLUMNS", "CATEGORY_COLUMNS", "COUNTRY_CODE"]
