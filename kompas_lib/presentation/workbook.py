"""One Excel workbook beside the HTML report with every table the report shows.

While a notebook shows a section (:func:`kompas_lib.presentation.notebook.show`), its display table
is saved in ``tabellen/`` of the report folder; after all notebooks ran, :func:`build` turns those
into ``tabellen.xlsx``: one sheet per table in report order, the Dutch headers as shown, numbers as
numbers (percentages, counts, amounts) and text as text — text from a user's file can never become a
formula.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from kompas_lib.core import io

TABLES_DIR = "tabellen"
WORKBOOK = "tabellen.xlsx"
MISSING = {"–", "-", ""}
_NUMBER = re.compile(r"^(?P<sign>[−+-]?)(?P<euro>€\u00a0)?(?P<num>\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:,\d+)?)"
                     r"(?P<suffix>\u00a0%| per 1\.000)?$")


def save_table(folder: Path, order: int, section_id: str, title: str, table: pd.DataFrame, caption: str) -> Path:
    """Keep one shown table for the workbook (JSON, atomic)."""
    record = {"id": section_id, "title": title, "caption": caption, "columns": [str(c) for c in table.columns],
              "rows": [[None if v is None else str(v) for v in r] for r in table.itertuples(index=False)]}
    return io.write_json(Path(folder) / TABLES_DIR / f"{order:05d}_{section_id}.json", record)


def parse_cell(text: str | None):
    """A shown cell back to a number where it is one: ('11,9 %') -> (11.9, '0.0 "%"'), ('2.045') ->
    (2045, '#,##0'); other text stays text (format None)."""
    if text is None:
        return None, None
    t = text.strip()
    if t in MISSING:
        return None, None
    m = _NUMBER.match(t)
    if not m:
        return t, None
    num = m.group("num")
    decimals = len(num.split(",")[1]) if "," in num else 0
    value = float(num.replace(".", "").replace(",", "."))
    if m.group("sign") in ("−", "-"):
        value = -value
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    if m.group("suffix") == "\u00a0%":
        fmt += ' "%"'
    elif m.group("suffix"):
        fmt += ' "per 1.000"'
    if m.group("euro"):
        fmt = '"€" ' + fmt
    return (int(value) if decimals == 0 and value.is_integer() else value), fmt


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
    from openpyxl.styles import Alignment, Font

    files = sorted((Path(report_folder) / TABLES_DIR).glob("*.json"))
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
            for c, text in enumerate(row, start=1):
                value, number_format = parse_cell(text)
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = Alignment(wrap_text=len(value) > 40, vertical="top")
                elif number_format:
                    cell.number_format = number_format
        if rec.get("caption"):
            ws.cell(row=len(rec["rows"]) + 3, column=1, value=rec["caption"]).data_type = "s"
        for col in ws.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in col[: len(rec["rows"]) + 1])
            ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
    with io.atomic_path(Path(report_folder) / WORKBOOK) as tmp:
        wb.save(tmp)
    return Path(report_folder) / WORKBOOK
