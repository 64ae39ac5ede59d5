"""The one formatter of table cells: typed values (:mod:`kompas_lib.analysis.cells`) to Dutch text for
HTML and notebooks, to numbers with an Excel number format for the workbook, and to alignment.

Nothing here parses text back into a number: a cell is a number because the builder said so.
"""

from __future__ import annotations

import math
from dataclasses import replace

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
    if not len(table):
        return table.astype(object)
    return pd.DataFrame([[text(v) for v in row] for row in table.itertuples(index=False, name=None)],
                        index=table.index, columns=table.columns, dtype=object)


def _plain_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _excel_format(cell: Number) -> str:
    f = _plain_format(cell.decimals)
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


def note(cell: Suppressed) -> str:
    """Why an Excel cell is empty: 'Leeg: minder dan 10 — niet getoond om privacyredenen' (a count below
    the privacy threshold), else 'Leeg: <what the report shows> — <reason>'."""
    if cell.threshold is not None:
        return f"Leeg: minder dan {cell.threshold} — niet getoond om privacyredenen"
    shown = cell.shown or "niet getoond"
    reason = cell.reason
    if reason.startswith(shown):  # 'minder dan 10: niet getoond (privacy)' repeats what is shown
        reason = reason[len(shown):].lstrip(" :—–-")
    return f"Leeg: {shown} — {reason}" if reason else f"Leeg: {shown}"


def excel(cell, value: Number | None = None) -> list[tuple]:
    """A cell as Excel cells: ``[(value, number_format, comment)]``. A margin gives two (low, high) in the
    number format of ``value``, the figure it belongs to, with the margin's decimals (a percentage's margin
    '7,2 %'); a suppressed figure is an empty cell with a note why (:func:`note`)."""
    if isinstance(cell, Number):
        if cell.missing:
            return [(None, None, None)]
        return [(_rounded(cell.x, cell.decimals), _excel_format(cell), None)]
    if isinstance(cell, Margin):
        if cell.missing:
            return [(None, None, None), (None, None, None)]
        f = (_excel_format(replace(value, decimals=cell.decimals)) if isinstance(value, Number)
             else _plain_format(cell.decimals))
        return [(_rounded(cell.low, cell.decimals), f, None), (_rounded(cell.high, cell.decimals), f, None)]
    if isinstance(cell, Suppressed):
        return [(None, None, note(cell))]
    t = text(cell)
    return [(None if t == MISSING else t, None, None)]


MARGIN_LOW, MARGIN_HIGH = "ondergrens", "bovengrens"


def margin_columns(table: pd.DataFrame) -> list[bool]:
    """Per column: it holds margins (two Excel columns, '<header> ondergrens' and '<header> bovengrens')."""
    return [any(isinstance(v, Margin) for v in table.iloc[:, c]) for c in range(table.shape[1])]


def _margin_owners(table: pd.DataFrame) -> dict[int, tuple[int | None, Number | None]]:
    """Per margin column: the number column it belongs to (the nearest one to its left) and a figure of
    that column beside a margin, for rows whose own figure is not a number (suppressed or missing)."""
    numeric, margins = numeric_columns(table), margin_columns(table)
    owners: dict[int, tuple[int | None, Number | None]] = {}
    for c, is_margin in enumerate(margins):
        if not is_margin:
            continue
        left = [j for j in range(c) if numeric[j] and not margins[j]]
        owner = left[-1] if left else None
        fallback = None
        if owner is not None:
            fallback = next((table.iat[r, owner] for r in range(len(table))
                             if isinstance(table.iat[r, owner], Number) and isinstance(table.iat[r, c], Margin)
                             and not table.iat[r, c].missing), None)
        owners[c] = (owner, fallback)
    return owners


def excel_table(table: pd.DataFrame) -> tuple[list[str], list[list[tuple]]]:
    """Headers and rows of Excel cells; a margin column becomes '<header> ondergrens' and '<header>
    bovengrens', numbers in the format of the figure the margin belongs to (the nearest number column to
    its left, e.g. '95 %-marge' beside a percentage). Number columns hold only numbers or empty cells."""
    margins = margin_columns(table)
    owners = _margin_owners(table)
    headers: list[str] = []
    for name, is_margin in zip(table.columns, margins):
        headers += [f"{name} {MARGIN_LOW}", f"{name} {MARGIN_HIGH}"] if is_margin else [str(name)]
    rows = []
    for i in range(len(table)):
        row: list[tuple] = []
        for c, is_margin in enumerate(margins):
            v = table.iat[i, c]
            if is_margin:
                owner, fallback = owners[c]
                mine = table.iat[i, owner] if owner is not None else None
                cells = excel(v, mine if isinstance(mine, Number) else fallback)
                if len(cells) == 1:  # a missing or text cell in a margin column
                    cells = cells + [(None, None, None)]
            else:
                cells = excel(v)
            row += cells
        rows.append(row)
    return headers, rows


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for CSV: typed cells become their values (a margin two columns '<header> ondergrens' and
    '<header> bovengrens', a suppressed figure empty); frames without typed cells come back unchanged."""
    typed = any(isinstance(v, (Number, Margin, Suppressed)) for i in range(frame.shape[1])
                if frame.dtypes.iloc[i] == object for v in frame.iloc[:, i].tolist())  # typed cells are objects
    if not typed:
        return frame
    headers, rows = excel_table(frame)
    return pd.DataFrame([[v for v, _, _ in row] for row in rows], columns=headers)


__all__ = ["plain", "text", "is_number", "numeric_columns", "shown", "excel", "excel_table", "margin_columns", "note"]
