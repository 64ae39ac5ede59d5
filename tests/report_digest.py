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


def excel_cells(path: Path) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    if not Path(path).is_file():
        return {}
    wb = load_workbook(path, read_only=True)
    return {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def digest(report_folder: Path) -> dict:
    folder = Path(report_folder)
    return {"html": html_text(folder / "rapport.html"), "excel": excel_cells(folder / "tabellen.xlsx")}


def differences(before: dict, after: dict, limit: int = 40) -> list[str]:
    """Readable differences (line by line for the HTML, cell by cell for Excel)."""
    import difflib

    out = [line for line in difflib.unified_diff(before["html"], after["html"], "before", "after", lineterm="", n=0)
           if not line.startswith(("---", "+++", "@@"))]
    for sheet in sorted(set(before["excel"]) | set(after["excel"])):
        a, b = before["excel"].get(sheet), after["excel"].get(sheet)
        if a is None or b is None:
            out.append(f"sheet {sheet!r}: only {'after' if a is None else 'before'}")
            continue
        for r in range(max(len(a), len(b))):
            ra = a[r] if r < len(a) else []
            rb = b[r] if r < len(b) else []
            for c in range(max(len(ra), len(rb))):
                va = ra[c] if c < len(ra) else None
                vb = rb[c] if c < len(rb) else None
                if va != vb and not (isinstance(va, float) and isinstance(vb, float) and abs(va - vb) < 1e-9):
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
