"""Reading an own file: from bytes on disk to a text frame with each row's line.

Before any cell is judged, the file as a whole is checked, each case with its own message: an Excel or
other binary file under a .csv name, text that is not UTF-8 (the first bad line is named; no other
encoding is guessed), commas or tabs instead of ';', a title above the column names, quotes that do
not close, a row wider than the header, a column without a name or named twice.
"""

from __future__ import annotations

import csv
import io
from itertools import islice
from pathlib import Path

import pandas as pd

from kompas_lib.core import fmt
from kompas_lib.core.entry import clean_text
from kompas_lib.sources.sjablonen.columns import MAX_CELL_CHARS
from kompas_lib.sources.sjablonen.problems import fail
from kompas_lib.sources.template_specs import Spec

UTF8_BOM = b"\xef\xbb\xbf"
# Excel's CSV UTF-8 format: named after the comma, but with Dutch settings Excel separates by ';'
EXCEL_CSV = "Bestand > Opslaan als > 'CSV UTF-8 (door komma's gescheiden) (*.csv)'"
SAVE_AS_CSV = f"sla het op via {EXCEL_CSV}; met Nederlandse instellingen zet Excel dan ';' tussen de kolommen"
SEPARATORS = {",": "komma's", "\t": "tabs"}


def not_text(data: bytes) -> str | None:
    """What a file that is no UTF-8 text is (in words for a message), judged by its first bytes."""
    if data.startswith(b"PK\x03\x04"):
        return "een Excel-werkmap (.xlsx) of een ander zip-bestand"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "een oud Excel-bestand (.xls)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "een tekstbestand in UTF-16 (in Excel: 'Unicode-tekst')"
    if b"\x00" in data[:4096]:
        return "een binair bestand, geen tekst"
    return None


def decode(data: bytes, path: Path) -> str:
    """The file's text (UTF-8, with or without BOM); a message naming the first line that is not UTF-8."""
    body = data.removeprefix(UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[:exc.start].count(b"\n") + 1
        begin = max(body.rfind(sep, 0, exc.start) for sep in (b"\n", b";", b" ")) + 1
        ends = [i for i in (body.find(sep, exc.start) for sep in (b"\n", b"\r", b";", b" ")) if i >= 0]
        word = body[begin:min(ends, default=len(body))].decode("utf-8", errors="replace")[:40]
        raise fail(f"{path}: regel {line}: het bestand is niet opgeslagen als UTF-8: bij '{word}' staat een teken "
                   "dat geen UTF-8 is (vaak een é, ë of ï uit een ouder Excel- of Windows-bestand). Open het "
                   f"bestand in Excel en {SAVE_AS_CSV}") from None


def check_separator(text: str, path: Path) -> None:
    """Stop when the header line is separated by commas or tabs instead of ';' (and the lines below it
    have no ';' either: a title line above the column names is reported elsewhere)."""
    filled = list(islice(((i + 1, t) for i, t in enumerate(text.splitlines()) if t.strip()), 5))
    if any(";" in t for _, t in filled):
        return
    n, header = filled[0]
    sep = max(SEPARATORS, key=header.count)
    if header.count(sep) == 0:
        return
    raise fail(f"{path}: regel {n}: de kolommen zijn gescheiden door {SEPARATORS[sep]} in plaats van door "
               f"puntkomma's (;). Maak het bestand opnieuw met ';' tussen de kolommen: in Excel met Nederlandse "
               f"instellingen via {EXCEL_CSV}, in LibreOffice door bij het opslaan ';' als scheidingsteken te "
               f"kiezen, of door in een teksteditor de {SEPARATORS[sep]} tussen de kolommen te vervangen door ';'")


def parse(text: str, path: Path) -> tuple[list[str], list[list[str]], list[int], int]:
    """``(header, rows, line of each row, line of the header)``; rows without any value are skipped.
    A row's line is where it starts (a quoted text may run over several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    header: list[str] | None = None
    header_line, rows, lines, last = 0, [], [], 0
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if not any(c.strip() for c in row):
                continue
            if header is None:
                header, header_line = row, start
            else:
                rows.append(row)
                lines.append(start)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise fail(f"{path}: regel {last + 1}: een cel is te lang (meer dan {fmt.count(csv.field_size_limit())} "
                       f"tekens); een cel mag hoogstens {fmt.count(MAX_CELL_CHARS)} tekens bevatten. Maak de tekst "
                       "korter; hoort hij niet zo lang te zijn, dan ontbreekt waarschijnlijk een afsluitend "
                       "aanhalingsteken (\")") from None
        raise fail(f"{path}: regel {last + 1}: de aanhalingstekens (\") kloppen niet: een tekst die met \" "
                   "begint, moet ook met \" eindigen, direct gevolgd door ';' of het einde van de regel. Schrijf "
                   "een \" binnen zo'n tekst als \"\", of haal de aanhalingstekens weg") from None
    return header or [], rows, lines, header_line


def check_header_first(header: list[str], rows: list[list[str]], lines: list[int], path: Path, spec: Spec) -> None:
    """Stop when the column names are not on the first line but a few lines lower (a title above them)."""

    def known(row: list[str]) -> int:
        return len({c.strip() for c in row} & set(spec.names))

    if known(header) > 0:
        return
    for row, n in list(zip(rows, lines))[:10]:
        if known(row) >= len(spec.names) / 2:
            raise fail(f"{path}: de kolomnamen staan op regel {n}, maar horen op de eerste regel te staan; haal "
                       f"de regel(s) erboven weg (zie het sjabloon kompas_lib/templates/{spec.file})")


def frame(header: list[str], rows: list[list[str]], lines: list[int], header_line: int,
           path: Path) -> tuple[pd.DataFrame, list[int], list[str]]:
    """The rows as a text frame under the header, their lines, and the problems of the file's layout:
    a row with more values than the header has columns (left out of the frame, so its shifted values
    give no further messages), a column without a name that holds values, a column named twice.
    Trailing empty cells and empty unnamed columns (left by Excel) are ignored."""
    problems: list[str] = []
    names = []
    for c in header:
        name, problem = clean_text(c)
        names.append(name)
        if problem:
            problems.append(f"{path}: regel {header_line}: kolomnaam '{name}': {problem}")
    width = len(names)
    cells, kept_lines = [], []
    for row, n in zip(rows, lines):
        used = len(row) if len(row) <= width else max((j + 1 for j, c in enumerate(row) if c.strip()), default=0)
        if used > width:
            problems.append(f"{path}: regel {n}: {used} waarden, maar de kopregel (regel {header_line}) heeft "
                            f"{width} {'kolom' if width == 1 else 'kolommen'}; staat er een ';' in een tekst? Zet die "
                            "tekst tussen aanhalingstekens (\"…\") of haal de ';' weg")
        else:
            cells.append((row + [""] * width)[:width])
            kept_lines.append(n)
    keep: list[int] = []
    twice: set[str] = set()
    for j, name in enumerate(names):
        if name == "":
            if any(r[j].strip() for r in cells):
                problems.append(f"{path}: regel {header_line}: kolom {j + 1} heeft geen naam, maar er staan wel "
                                "waarden in; geef haar een naam uit het sjabloon of verwijder haar")
        elif name in names[:j]:
            if name not in twice:
                twice.add(name)
                problems.append(f"{path}: regel {header_line}: kolom '{name}' staat meer dan één keer in de "
                                "kopregel; verwijder de dubbele kolom")
        else:
            keep.append(j)
    frame = pd.DataFrame([[r[j] for j in keep] for r in cells], columns=[names[j] for j in keep], dtype=str)
    return frame, kept_lines, problems
