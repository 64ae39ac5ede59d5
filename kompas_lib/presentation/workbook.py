"""One Excel workbook beside the HTML report with every table the report shows.

While a notebook shows a section (:func:`kompas_lib.presentation.notebook.show`), its display table
is saved in ``tabellen/`` of the report folder; after all notebooks ran, :func:`build` turns those
into ``tabellen.xlsx``: an index sheet with a link to each table first, then one sheet per table in
report order (named by whole words, header frozen, a filter on the columns), the Dutch headers as shown,
numbers as numbers with the report's number format (percentages, counts, amounts; a margin as two
number columns '<header> ondergrens' and '<header> bovengrens' in the format of the figure it belongs to;
a suppressed figure as an empty cell with a comment saying why, repeated as a note line under the table,
so that a number column holds only numbers or empty cells) and text as text — text from a user's file can
never become a formula. The cells come typed from the section
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


SHEET_CHARS = 31  # Excel's limit for a sheet name
INDEX_SHEET = "Inhoud"


def _words_within(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary (never mid-word when avoidable)."""
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:·-–—(")
    return cut if len(cut) >= limit // 2 else text[:limit]


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\']", " ", title)).strip() or "Tabel"
    name, i = _words_within(base, SHEET_CHARS), 2
    while name.lower() in used or name.lower() == INDEX_SHEET.lower():
        suffix = f" ({i})"
        name, i = _words_within(base, SHEET_CHARS - len(suffix)) + suffix, i + 1
    used.add(name.lower())
    return name


class _Styles:
    """The few cell styles of a workbook (bold header, text wrapped or not, each number format), each set once
    through openpyxl's style properties and then copied to every other cell of that style — openpyxl's own
    way of copying a style (its worksheet copier does the same), not a style lookup per cell (that lookup
    was about a quarter of the time of making the workbook)."""

    def __init__(self):
        self.seen: dict[tuple, object] = {}

    def __call__(self, cell, key: tuple, apply) -> None:
        from copy import copy

        style = self.seen.get(key)
        if style is None:
            apply(cell)
            self.seen[key] = copy(cell._style)
        else:
            cell._style = copy(style)


def build(report_folder: Path) -> Path | None:
    """Write ``tabellen.xlsx`` from the saved tables (None when the report showed no tables)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    files = sorted((Path(report_folder) / TABLES_DIR).glob(TABLE_FILES))
    if not files:
        return None
    wb = Workbook()
    styled = _Styles()
    index = wb.active
    index.title = INDEX_SHEET
    index.append(["Tabblad", "Tabel", "Toelichting"])
    used: set[str] = set()
    for f in files:
        rec = json.loads(f.read_text(encoding="utf-8"))
        ws = wb.create_sheet(_sheet_name(rec["title"], used))
        index.append([ws.title, str(rec["title"]), str(rec.get("caption") or "")])
        link = index.cell(row=index.max_row, column=1)
        link.hyperlink = f"#'{ws.title}'!A1"
        link.style = "Hyperlink"
        for cell in index[index.max_row]:
            cell.data_type = "s"
        ws.append([str(c) for c in rec["columns"]])
        for cell in ws[1]:
            styled(cell, ("header",), lambda c: setattr(c, "font", Font(bold=True)))
            cell.data_type = "s"
        for r, row in enumerate(rec["rows"], start=2):
            for c, (value, number_format, comment) in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    wrap = len(value) > 40
                    styled(cell, ("text", wrap), lambda c, w=wrap: setattr(c, "alignment", Alignment(wrap_text=w, vertical="top")))
                elif number_format:
                    styled(cell, ("number", number_format), lambda c, f=number_format: setattr(c, "number_format", f))
                if comment:
                    cell.comment = Comment(comment, "Kwaliteitskompas")
        ws.freeze_panes = "A2"  # the header stays in view
        if rec["rows"] and rec["columns"]:
            ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(rec['columns'])).column_letter}{len(rec['rows']) + 1}"
        below = [rec["caption"]] if rec.get("caption") else []
        below += list(dict.fromkeys(comment for row in rec["rows"] for _, _, comment in row if comment))
        for i, line in enumerate(below):  # the caption, then why cells are empty (comments do not print)
            ws.cell(row=len(rec["rows"]) + 3 + i, column=1, value=str(line)).data_type = "s"
        for col in ws.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in col[: len(rec["rows"]) + 1])
            ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
    for cell in index[1]:
        cell.font = Font(bold=True)
    index.freeze_panes = "A2"
    for letter, width in (("A", 34), ("B", 50), ("C", 80)):
        index.column_dimensions[letter].width = width
    with io.atomic_path(Path(report_folder) / WORKBOOK) as tmp:
        wb.save(tmp)
    return Path(report_folder) / WORKBOOK
