"""The prepared tables as every process reads them: the fact table's columns (the data contract, DESIGN.md
§3) and the reading of ``facts.parquet`` and ``regions.parquet``, with a message in Dutch that says to run
``kompas prepare`` (again) when a file is missing, damaged or from an older version. Writing them is
:func:`kompas_lib.prepare.facts.prepare`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kompas_lib.core import paths
from kompas_lib.core.errors import DataError
from kompas_lib.prepare.regions import GEBIEDEN_COLUMNS

FACT_COLUMNS = [
    "indicator", "region_code", "region_level", "region_name", "period", "period_type",
    "period_start", "period_end", "group_dim", "group_value", "numerator", "denominator", "value",
    "unit", "status", "missing_reason", "source_table", "harmonised", "suppressed",
]


# Text columns with few distinct values, read as pandas categoricals: the fact table of the real snapshot
# takes 117 MiB instead of 401 MiB in memory, and filtering it moves small integer codes instead of text
# (``period`` stays text: its order is used).
CATEGORY_COLUMNS = ["indicator", "region_code", "region_level", "region_name", "period_type", "group_dim",
                    "group_value", "unit", "status", "missing_reason", "source_table"]


def _read_by_column(f: Path, categories: list[str]) -> pd.DataFrame:
    """A parquet file read one column at a time, each freed in Arrow as soon as pandas has it: the same frame
    as ``pd.read_parquet`` (``categories`` as categoricals), with a peak of about 240 MiB above the frame for
    the real fact table instead of 450 (a batch worker's kernel reads it once; its peak is the worker's)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    present = set(pq.read_schema(f).names)  # a file without some of them is reported by the caller
    source = pq.ParquetFile(f, read_dictionary=[c for c in categories if c in present])
    columns = {}
    for name in source.schema_arrow.names:
        table = source.read(columns=[name], use_threads=False)
        columns[name] = table.to_pandas(split_blocks=True, self_destruct=True)[name]
        del table
        pa.default_memory_pool().release_unused()
    return pd.DataFrame(columns)


def _read_prepared(name: str, columns: list[str], out_dir: Path | None,
                   categories: list[str] | None = None) -> pd.DataFrame:
    """Read one prepared parquet file; a missing, damaged or outdated file is a :class:`DataError`
    that says to run ``kompas prepare`` (again)."""
    folder = Path(out_dir or paths.processed_dir())
    f = folder / name
    if not f.is_file():
        raise DataError(f"De voorbereide gegevens ontbreken: {f} bestaat nog niet. Voer eerst 'kompas prepare' uit "
                        "(of 'make report').")
    again = f"Voer 'kompas prepare' opnieuw uit; dat maakt de bestanden in {folder} opnieuw."
    try:
        df = _read_by_column(f, categories) if categories else pd.read_parquet(f)
    except Exception:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, … for a damaged file
        raise DataError(f"De voorbereide gegevens in {folder} zijn beschadigd of gemaakt met een oudere versie van "
                        f"kompas: {name} is niet te lezen. {again}") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"De voorbereide gegevens in {folder} zijn beschadigd of gemaakt met een oudere versie van "
                        f"kompas: in {name} ontbreken de kolommen {', '.join(missing)}. {again}")
    for c in categories or ():  # categories in text order, so sorting a column sorts as text would
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].cat.reorder_categories(sorted(df[c].cat.categories))
    return df


def load_facts(out_dir: Path | None = None) -> pd.DataFrame:
    return _read_prepared("facts.parquet", FACT_COLUMNS, out_dir, CATEGORY_COLUMNS)


def load_regions(out_dir: Path | None = None) -> pd.DataFrame:
    return _read_prepared("regions.parquet", GEBIEDEN_COLUMNS, out_dir)
