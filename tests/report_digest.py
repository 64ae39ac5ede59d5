"""What a reader gets from a report, as plain data: the visible text of ``rapport.html`` (one line per
block element, figures by their alt text) and every cell value of ``tabellen.xlsx``.

Used to check that a refactoring leaves reports unchanged in content::

    python tests/report_digest.py reports/GM0344-utrecht > before.json
    ... change the code, make the report again ...
    python tests/report_digest.py reports/GM0344-utrecht --compare before.json
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

BLOCK = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "caption", "summary", "figcaption", "table", "ul", "ol",
         "section", "details", "br", "td", "th"}
DATE = re.compile(r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november"
                  r"|december) \d{4}\b")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.skip = 0

    def flush(self):
        text = " ".join("".join(self.buf).split())
        if text:
            self.lines.append(DATE.sub("<datum>", text))
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        if tag in BLOCK:
            self.flush()
        if tag == "img":
            self.flush()
            self.lines.append("[figuur] " + (dict(attrs).get("alt") or ""))

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1
        if tag in BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def html_text(path: Path) -> list[str]:
    p = _Text()
    p.feed(Path(path).read_text(encoding="utf-8"))
    p.flush()
    return p.lines


class _Tables(HTMLParser):
    """The report's tables (class 'kompas') as rows of cell texts, in report order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "kompas" in (dict(attrs).get("class") or "").split():
            self.tables.append([])
            self.depth = 1
        elif self.depth and tag == "tr":
            self.tables[-1].append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.depth and tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_tables(path: Path) -> list[list[list[str]]]:
    p = _Tables()
    p.feed(Path(path).read_text(encoding="utf-8"))
    return [t for t in p.tables if t]


def excel_cells(path: Path) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    if not Path(path).is_file():
        return {}
    from kompas_lib.presentation.workbook import INDEX_SHEET

    wb = load_workbook(path, read_only=True)
    return {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets
            if ws.title != INDEX_SHEET}


def excel_notes(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet the comments of the workbook's cells by (row, column), both counted from 0 as in
    :func:`excel_cells` (a read-only workbook has no comments, so this one loads it in full)."""
    from openpyxl import load_workbook

    if not Path(path).is_file():
        return {}
    from kompas_lib.presentation.workbook import INDEX_SHEET

    wb = load_workbook(path)
    return {ws.title: {(c.row - 1, c.column - 1): c.comment.text for row in ws.iter_rows() for c in row if c.comment}
            for ws in wb.worksheets if ws.title != INDEX_SHEET}


def digest(report_folder: Path) -> dict:
    folder = Path(report_folder)
    notes = excel_notes(folder / "tabellen.xlsx")
    return {"html": html_text(folder / "rapport.html"), "excel": excel_cells(folder / "tabellen.xlsx"),
            "notes": {sheet: [[r, c, t] for (r, c), t in sorted(n.items())] for sheet, n in notes.items()}}


def dutch_number(text: str) -> float | None:
    """A number as the report shows it ('1.234,5', '15,0 %', '170 dagen', 'klasse 2,5', '−3'), else None."""
    m = re.fullmatch(r"(?:klasse |factor |€\s)?([−+-]?[\d.]*\d(?:,\d+)?)(?:\s%| per 1\.000| dagen| klasse)?",
                     str(text).strip())
    return float(m.group(1).replace("−", "-").replace(".", "").replace(",", ".")) if m else None


def same_cell(shown, value, note: str | None = None) -> bool:
    """An Excel cell holds what the report shows: the same text, the same number, a text period
    where an older workbook had a number, or an empty cell for a figure not shown ('< 10', 'te klein')
    whose ``note`` (the cell's comment) says so ('Leeg: minder dan 10 — …', 'Leeg: te klein — …'); an
    older workbook left '< 10' empty without a note of that form."""
    if shown == value:
        return True
    if isinstance(shown, str) and isinstance(value, str):
        return " ".join(shown.split()) == " ".join(value.split())  # the HTML parser reads a no-break space
    if value is None:
        if shown in ("–", "", None):
            return True
        if isinstance(shown, str) and note and note.startswith("Leeg: "):
            words = re.sub(r"^<\s*(?=\d)", "minder dan ", " ".join(shown.split()))
            return note.startswith(f"Leeg: {words}")
        return isinstance(shown, str) and re.match(r"<\s\d", shown) is not None
    if isinstance(shown, (int, float)) and isinstance(value, (int, float)):
        return abs(shown - value) < 1e-9
    if isinstance(shown, (int, float)) and isinstance(value, str):
        return str(shown) == value
    if isinstance(shown, str) and isinstance(value, (int, float)):
        v = dutch_number(shown)
        return v is not None and abs(v - value) < 1e-9
    return False


MARGIN = re.compile(r"([\d.,]+) ?– ?([\d.,]+)")


def as_excel_layout(rows: list[list], header: list) -> list[list]:
    """Rows of shown text laid out as the workbook lays them out: a margin column ('7,2–9,1') as two
    columns '<name> ondergrens' and '<name> bovengrens' (in older workbooks '<name>: van' and '<name>: tot')."""
    out = []
    for i, row in enumerate(rows):
        r, col = [], 0
        while len(r) < len(header):
            h = header[len(r)]
            v = row[col] if col < len(row) else None
            if isinstance(h, str) and h.endswith((" ondergrens", ": van")):
                m = MARGIN.fullmatch(v) if isinstance(v, str) else None
                r += [h, header[len(r) + 1]] if i == 0 else (
                    [dutch_number(m.group(1)), dutch_number(m.group(2))] if m else [v, None])
            else:
                r.append(v)
            col += 1
        out.append(r)
    return out


def differences(before: dict, after: dict, limit: int = 40) -> list[str]:
    """What a reader would see change: HTML lines, and Excel cells apart from the typed-cell layout
    (margins in two columns, suppressed figures empty with a note, numbers with units as numbers)."""
    import difflib

    out = [line for line in difflib.unified_diff(before["html"], after["html"], "before", "after", lineterm="", n=0)
           if not line.startswith(("---", "+++", "@@"))]
    for sheet in sorted(set(before["excel"]) | set(after["excel"])):
        a, b = before["excel"].get(sheet), after["excel"].get(sheet)
        if a is None or b is None:
            out.append(f"sheet {sheet!r}: only {'after' if a is None else 'before'}")
            continue
        split = a and any(isinstance(h, str) and h.endswith((" ondergrens", ": van")) for h in a[0])
        a = as_excel_layout(a, b[0]) if b and not split else a  # a workbook from before typed cells
        notes = {(r, c): t for r, c, t in after.get("notes", {}).get(sheet, [])}
        for r in range(max(len(a), len(b))):
            ra = a[r] if r < len(a) else []
            rb = b[r] if r < len(b) else []
            for c in range(max(len(ra), len(rb))):
                va = ra[c] if c < len(ra) else None
                vb = rb[c] if c < len(rb) else None
                if not same_cell(va, vb, notes.get((r, c))):
                    out.append(f"sheet {sheet!r} R{r + 1}C{c + 1}: {va!r} -> {vb!r}")
    return out[:limit] if limit else out


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--compare":
        before = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
        diff = differences(before, json.loads(json.dumps(digest(folder), default=str)), limit=0)
        print("\n".join(diff) or "no differences")
        sys.exit(1 if diff else 0)
    print(json.dumps(digest(folder), ensure_ascii=False, indent=0, default=str))
