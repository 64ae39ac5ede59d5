"""The one formatter of table cells: typed values (:mod:`kompas_lib.analysis.cells`) to Dutch text for
HTML and notebooks, to numbers with an Excel number format for the workbook, and to alignment.

Nothing here parses text back into a number: a cell is a number because the builder said so.
"""

from __future__ import annotations

import math

import pandas as pd

from kompas_lib.analysis.cells import Margin, Number, Suppressed
from kompas_lib.core import fmt

MISSING = fmt.MISSING


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT


def text(cell) -> str:
    """The Dutch text of a cell: '2.045', '15,0 %', '7,2–9,1', '< 10', '–' for missing."""
    if isinstance(cell, Number):
        return _number_text(cell)
    if isinstance(cell, Margin):
        if cell.missing:
            return MISSING
        sep = " – " if cell.spaced else "–"
        return f"{fmt.number(cell.low, cell.decimals)}{sep}{fmt.number(cell.high, cell.decimals)}"
    if isinstance(cell, Suppressed):
        return f"<\u00a0{cell.threshold}" if cell.threshold is not None else cell.shown
    if _missing(cell):
        return MISSING
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        raise TypeError(f"a bare number in a table ({cell!r}): wrap it in a cell type of kompas_lib.analysis.cells")
    return str(cell)


def _number_text(cell: Number) -> str:
    if cell.missing:
        return MISSING
    if cell.kind == "percentage":
        return fmt.pct(cell.x, cell.decimals)
    if cell.kind == "per_1000":
        return f"{fmt.number(cell.x, cell.decimals)} per 1.000"
    if cell.kind == "euro":
        return f"€\u00a0{fmt.number(cell.x, cell.decimals)}"
    if cell.signed:
        half = 0.5 * 10 ** -cell.decimals
        sign = "+" if cell.x >= half else ("−" if cell.x <= -half else "")
        return sign + fmt.number(abs(cell.x), cell.decimals)
    shown = fmt.number(cell.x, cell.decimals)
    shown = f"{cell.prefix} {shown}" if cell.prefix else shown
    return f"{shown} {cell.unit}" if cell.unit else shown


def is_number(cell) -> bool:
    """A cell that belongs in a number column (right-aligned, a number in Excel)."""
    return isinstance(cell, (Number, Margin, Suppressed))


def numeric_columns(table: pd.DataFrame) -> list[bool]:
    """Per column: every cell is a number, a margin, a suppressed count or missing (and one is not missing)."""
    out = []
    for c in range(table.shape[1]):
        col = table.iloc[:, c]
        present = [v for v in col if not _missing(v)]
        out.append(bool(present) and all(is_number(v) for v in present))
    return out


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The table as people read it: every cell its Dutch text."""
    return table.apply(lambda col: col.map(text)) if len(table) else table.astype(object)


def _excel_format(cell: Number) -> str:
    f = "#,##0" + ("." + "0" * cell.decimals if cell.decimals else "")
    if cell.kind == "percentage":
        return f + ' "%"'
    if cell.kind == "per_1000":
        return f + ' "per 1.000"'
    if cell.kind == "euro":
        return '"€" ' + f
    if cell.signed:
        return f"+{f};−{f};0"
    return (f'"{cell.prefix} "' if cell.prefix else "") + f + (f' "{cell.unit}"' if cell.unit else "")


def _rounded(x: float, decimals: int):
    """Excel holds the number as shown (rounded as in the report), an integer when it has no decimals."""
    v = round(float(x), decimals)
    return int(v) if decimals == 0 else v


def excel(cell) -> list[tuple]:
    """A cell as Excel cells: ``[(value, number_format, comment)]``; a margin gives two (low, high)."""
    if isinstance(cell, Number):
        if cell.missing:
            return [(None, None, None)]
        return [(_rounded(cell.x, cell.decimals), _excel_format(cell), None)]
    if isinstance(cell, Margin):
        f = "#,##0" + ("." + "0" * cell.decimals if cell.decimals else "")
        if cell.missing:
            return [(None, None, None), (None, None, None)]
        return [(_rounded(cell.low, cell.decimals), f, None), (_rounded(cell.high, cell.decimals), f, None)]
    if isinstance(cell, Suppressed):
        return [(None if cell.threshold is not None else cell.shown, None, cell.reason or None)]
    t = text(cell)
    return [(None if t == MISSING else t, None, None)]


def margin_columns(table: pd.DataFrame) -> list[bool]:
    """Per column: it holds margins (two Excel columns, 'van' and 'tot')."""
    return [any(isinstance(v, Margin) for v in table.iloc[:, c]) for c in range(table.shape[1])]


def excel_table(table: pd.DataFrame) -> tuple[list[str], list[list[tuple]]]:
    """Headers and rows of Excel cells; a margin column becomes '<header>: van' and '<header>: tot'."""
    margins = margin_columns(table)
    headers: list[str] = []
    for name, is_margin in zip(table.columns, margins):
        headers += [f"{name}: van", f"{name}: tot"] if is_margin else [str(name)]
    rows = []
    for r in table.itertuples(index=False):
        row: list[tuple] = []
        for v, is_margin in zip(r, margins):
            cells = excel(v)
            if is_margin and len(cells) == 1:  # a missing or text cell in a margin column
                cells = cells + [(None, None, None)]
            row += cells
        rows.append(row)
    return headers, rows


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for CSV: typed cells become their values (a margin two columns 'van' and 'tot', a
    suppressed count empty); frames without typed cells come back unchanged."""
    typed = any(isinstance(v, (Number, Margin, Suppressed)) for c in frame.columns for v in frame[c])
    if not typed:
        return frame
    headers, rows = excel_table(frame)
    return pd.DataFrame([[v for v, _, _ in row] for row in rows], columns=headers)


__all__ = ["plain", "text", "is_number", "numeric_columns", "shown", "excel", "excel_table", "margin_columns"]
