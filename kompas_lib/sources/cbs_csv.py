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

import re
from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core.errors import DataError

UTF8_BOM = b"\xef\xbb\xbf"
MISSING_MARKERS = {"": "leeg", ".": "onbekend", "x": "geheim", "?": "onbekend"}
NIHIL_MARKERS = {"-", "nihil"}


def _again(table_id: str) -> str:
    """How to replace a table file that cannot be used (``--refresh``: a cached copy is fetched anew)."""
    return (f"Haal de tabel opnieuw op met 'kompas fetch {table_id} --refresh' (internet nodig) of gebruik een "
            "andere kopie van de CBS-tabellen (KOMPAS_CBS_DIR).")


def read_raw(path: str | Path, table_id: str | None = None) -> pd.DataFrame:
    """Read a CBS raw CSV as strings, padding stripped. BOM and ``;`` are handled.

    A missing, empty, unreadable or header-only file raises :class:`DataError` naming the table
    (``table_id``, default the file name) and how to get a good copy."""
    path = Path(path)
    table_id = table_id or path.stem
    if not path.is_file():
        raise DataError(f"CBS-tabel {table_id}: het bestand {path} bestaat niet. Haal de tabel op met 'kompas fetch "
                        f"{table_id}' (internet nodig) of gebruik een kopie van de CBS-tabellen die haar wel heeft.")
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
        size = path.stat().st_size
    except OSError as exc:
        raise DataError(f"CBS-tabel {table_id}: het bestand {path} kan niet worden gelezen "
                        f"({exc.strerror or type(exc).__name__}). Controleer of u het mag openen.") from None
    if size <= len(head) and not head.removeprefix(UTF8_BOM).strip():
        raise DataError(f"CBS-tabel {table_id}: het bestand {path} is leeg. {_again(table_id)}")
    if b"\x00" in head:
        raise DataError(f"CBS-tabel {table_id}: het bestand {path} is geen tekstbestand (het is beschadigd of een "
                        f"ander soort bestand). {_again(table_id)}")
    try:
        df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"CBS-tabel {table_id}: het bestand {path} is geen UTF-8-tekst zoals 'kompas fetch' het "
                        f"schrijft; het is beschadigd of anders opgeslagen. {_again(table_id)}") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"CBS-tabel {table_id}: het bestand {path} is leeg. {_again(table_id)}") from None
    except (pd.errors.ParserError, ValueError) as exc:
        where = re.search(r"line (\d+)", str(exc))
        at = f" (regel {where[1]} klopt niet)" if where else ""
        raise DataError(f"CBS-tabel {table_id}: het bestand {path} is geen leesbare CBS-tabel{at}; verwacht is een "
                        f"CSV-bestand met ';' tussen de kolommen, zoals 'kompas fetch' het schrijft. "
                        f"{_again(table_id)}") from None
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    if len(df.columns) == 1 and ("," in df.columns[0] or "\t" in df.columns[0]):
        raise DataError(f"CBS-tabel {table_id}: in het bestand {path} zijn de kolommen gescheiden door komma's of "
                        f"tabs in plaats van door ';' (zoals 'kompas fetch' ze schrijft). {_again(table_id)}")
    if df.empty:
        raise DataError(f"CBS-tabel {table_id}: het bestand {path} heeft alleen een kopregel en geen cijfers. "
                        f"{_again(table_id)}")
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
        names = ", ".join(f"'{c}'" for c in missing)
        present = ", ".join(map(str, df.columns[:30])) + (" …" if len(df.columns) > 30 else "")
        raise DataError(
            f"CBS-tabel {table_id} mist de {'kolom' if len(missing) == 1 else 'kolommen'} {names}, die de "
            "catalogus kompas_lib/data/tables.yml verwacht. Waarschijnlijk heeft CBS de tabel veranderd; pas de "
            "catalogus aan (of meld het aan wie kompas beheert). Als de tabel beschadigd is, haal haar opnieuw op "
            f"met 'kompas fetch {table_id} --refresh'. Kolommen in de tabel: {present}."
        )
