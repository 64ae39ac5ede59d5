"""What a worker process itself reads of the prepared data: region names and status, the last year
with figures, today's gemeenten and the herindelingen. The full fact table lives in the kernel; this
is read once per process and prepared version."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from kompas_lib.prepare.regions import region_catalogue
from kompas_lib.core.errors import DataError
from kompas_lib.core.memory import give_back
from kompas_lib.core.prepare_info import PrepareInfo
from kompas_lib.prepare.facts import load_regions


@lru_cache(maxsize=2)
def _region_columns(processed: Path, _version: tuple) -> tuple[pd.DataFrame, dict]:
    columns = ["region_code", "region_name", "region_level", "status"]
    try:
        # as categoricals: a few MB instead of about 100 MB of text per worker process
        facts = pd.read_parquet(processed / "facts.parquet", columns=columns, read_dictionary=columns)
    except Exception:  # noqa: BLE001 - any damage: the same advice as load_facts gives
        from kompas_lib.prepare.facts import load_facts

        load_facts(processed)  # raises the library's message (damaged, or from an older version)
        raise
    found = facts, region_catalogue(facts, load_regions(processed))
    give_back()  # what reading kept in Arrow's pool: about 90 MiB per process
    return found


@lru_cache(maxsize=2)
def _last_year(processed: Path, _version: tuple) -> int:
    import pyarrow.parquet as pq

    stats = pq.ParquetFile(processed / "facts.parquet").metadata  # the column's maximum per row group, not its rows
    index = stats.schema.to_arrow_schema().get_field_index("period_start")
    found = [stats.row_group(g).column(index).statistics for g in range(stats.num_row_groups)]
    if found and all(s is not None and s.has_min_max for s in found):
        return int(max(pd.Timestamp(s.max) for s in found).year)
    year = int(pd.read_parquet(processed / "facts.parquet", columns=["period_start"])["period_start"].max().year)
    give_back()
    return year


def region_facts(processed: Path) -> tuple[pd.DataFrame, dict]:
    """The region columns of the facts (code, name, level, status) and the region catalogue
    (code -> (name, level)), read once per process and prepared version."""
    files = [processed / "facts.parquet", processed / "regions.parquet"]
    for f in files:
        if not f.is_file():
            raise DataError(f"{f} bestaat nog niet. Draai eerst 'kompas prepare' (of 'make report').")
    version = tuple(f.stat().st_mtime_ns for f in files)
    return _region_columns(processed.resolve(), version)


def last_year(processed: Path) -> int:
    """The last year with figures in the prepared facts."""
    facts_file = processed / "facts.parquet"
    return _last_year(facts_file.parent.resolve(), (facts_file.stat().st_mtime_ns,))


def herindelingen(info: PrepareInfo) -> pd.DataFrame:
    """The mergers, renamings and splits of the source the facts were prepared from."""
    from kompas_lib.sources import FolderSource

    return FolderSource(Path(info.source.root or "."), info.source.kind or "snapshot").herindelingen()


def current_gemeenten(processed: Path) -> set[str]:
    """Today's gemeenten (the latest indeling of the prepared regions)."""
    from kompas_lib.prepare.regions import latest_classification

    return set(latest_classification(load_regions(processed))["gemeente_code"])
