"""One Excel workbook beside the HTML report with every table the report shows.

While a notebook shows a section (:func:`kompas_lib.presentation.notebook.show`), its display table
is saved in ``tabellen/`` of the report folder; after all notebooks ran, :func:`build` turns those
into ``tabellen.xlsx``: one sheet per table in report order, the Dutch headers as shown, numbers as
numbers as numbers with the report's number format (percentages, counts, amounts; a margin as two
columns 'van' and 'tot'; a suppressed count as an empty cell with a comment saying why) and text as text —
text from a user's file can never become a formula. The cells come typed from the section
(:mod:`kompas_lib.presentation.cells`); nothing is parsed back from shown text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from kompas_lib.core import io
from kompas_lib.presentation import cells

TABLES_DIR = "tabellen"
TABLE_FILES = "[0-9][0-9][0-9][0-9][0-9]_*.json"  # one per shown table, in report order
WORKBOOK = "tabellen.xlsx"


def save_table(folder: Path, order: int, section_id: str, title: str, table: pd.DataFrame, caption: str) -> Path:
    """Keep one shown table for the workbook (JSON, atomic): Excel values with their number format and
    comment, as :func:`kompas_lib.presentation.cells.excel_table` makes them from the typed cells."""
    columns, rows = cells.excel_table(table)
    record = {"id": section_id, "title": title, "caption": caption, "columns": columns,
              "rows": [[list(c) for c in row] for row in rows]}
    return io.write_json(Path(folder) / TABLES_DIR / f"{order:05d}_{section_id}.json", record)


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Tabel"
    name, i = base, 2
    while name.lower() in used:
        name, i = f"{base[:25]} ({i})", i + 1
    used.add(name.lower())
    return name


def build(report_folder: Path) -> Path | None:
    """Write ``tabellen.xlsx`` from the saved tables (None when the report showed no tables)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    files = sorted((Path(report_folder) / TABLES_DIR).glob(TABLE_FILES))
    if not files:
        return None
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for f in files:
        rec = json.loads(f.read_text(encoding="utf-8"))
        ws = wb.create_sheet(_sheet_name(rec["title"], used))
        ws.append([str(c) for c in rec["columns"]])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for r, row in enumerate(rec["rows"], start=2):
            for c, (value, number_format, comment) in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = Alignment(wrap_text=len(value) > 40, vertical="top")
                elif number_format:
                    cell.number_format = number_format
                if comment:
                    cell.comment = Comment(comment, "Kwaliteitskompas")
        if rec.get("caption"):
            ws.cell(row=len(rec["rows"]) + 3, column=1, value=rec["caption"]).data_type = "s"
        for col in ws.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in col[: len(rec["rows"]) + 1])
            ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
    with io.atomic_path(Path(report_folder) / WORKBOOK) as tmp:
        wb.save(tmp)
    return Path(report_folder) / WORKBOOK
