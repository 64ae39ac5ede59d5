"""Read a raw CBS table file (the ``DataFrame(cbsodata.get_data(id))`` layout written with ``;``).

The reader keeps every cell as text first, strips the padding CBS puts around codes and names,
and only then converts measure columns to numbers. A cell that is not a number never silently
becomes 0: it becomes missing, with the reason kept beside it.

CBS symbols (StatLine 'verklaring van tekens'):

* empty cell      -> missing, reason ``leeg`` (no figure published)
* ``.``           -> missing, reason ``onbekend`` (figure unknown, insufficiently reliable or secret)
* ``x``           -> missing, reason ``geheim`` (secret)
* ``-`` / ``nihil``  -> 0, because CBS uses it for *nihil* (exactly zero)
* other text      -> missing, reason ``onleesbaar: <text>``
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core.errors import DataError

MISSING_MARKERS = {"": "leeg", ".": "onbekend", "x": "geheim", "?": "onbekend"}
NIHIL_MARKERS = {"-", "nihil"}


def read_raw(path: str | Path) -> pd.DataFrame:
    """Read a CBS raw CSV as strings, padding stripped. BOM and ``;`` are handled."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"CBS table file not found: {path}.")
    try:
        df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(
            f"{path} is not a readable CBS table ({exc}). It should be a ';'-separated UTF-8 file "
            "as written by cbsodata; delete it and fetch or copy the table again."
        ) from exc
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    for col in df.columns:
        df[col] = df[col].str.strip()
    return df


def to_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Convert a text column to floats; return ``(numbers, reasons)``.

    ``reasons`` is ``None`` where the number is valid and a short Dutch reason where it is missing.
    Accepts CBS floats (``318610.0``) and decimal commas (``12,5``, StatLine exports).
    """
    text = values.fillna("").astype(str).str.strip()
    cleaned = text.str.replace("\u00a0", "", regex=False)
    # decimal comma: only when there is no dot (StatLine web exports)
    comma = cleaned.str.contains(",", regex=False) & ~cleaned.str.contains(".", regex=False)
    cleaned = cleaned.where(~comma, cleaned.str.replace(",", ".", regex=False))
    numbers = pd.to_numeric(cleaned, errors="coerce")
    lower = text.str.lower()
    nihil = lower.isin(NIHIL_MARKERS)
    numbers = numbers.mask(nihil, 0.0)
    reasons = pd.Series(np.where(numbers.isna(), None, None), index=values.index, dtype=object)
    missing = numbers.isna()
    if missing.any():
        mapped = lower[missing].map(MISSING_MARKERS)
        other = mapped.isna()
        mapped[other] = "onleesbaar: " + text[missing][other]
        reasons[missing] = mapped
    return numbers.astype(float), reasons


def require_columns(df: pd.DataFrame, columns, table_id: str) -> None:
    """Stop with a clear message when a table lacks the columns the registry names."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(
            f"CBS table {table_id} does not have the column(s) {', '.join(missing)} that the table "
            f"registry (kompas_lib/data/tables.yml) expects. CBS may have changed the table. "
            f"Columns present: {', '.join(df.columns[:30])}{' …' if len(df.columns) > 30 else ''}."
        )
