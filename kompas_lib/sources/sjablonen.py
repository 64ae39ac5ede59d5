"""CSV templates for a gemeente's own data (blocks 2–6) and their validation.

Each template is described once (:data:`~kompas_lib.sources.template_specs.SPECS`): its columns, their kind and the rules between them.
:func:`load` reads a file and stops with one message per problem naming the file, the line and the
column, in words a policy analyst can act on. The empty templates live in ``kompas_lib/templates/``.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.core import fmt
from kompas_lib.core.entry import MAX_DIGITS, NumberProblem, clean_text, parse_number
from kompas_lib.core.errors import DataError
from kompas_lib.core.periods import parse_period

from kompas_lib.sources.template_specs import Col, SPECS, Spec, TEMPLATES


MAX_SHOWN = 25  # problems listed in one message; the rest are counted
MAX_CELL_CHARS = 10_000  # a longer cell is refused: about three pages of text, far beyond any template field


class TemplateError(DataError):
    """A file made from a template cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        n = len(problems)
        shown = problems[:MAX_SHOWN] + ([f"… en nog {n - MAX_SHOWN} meer"] if n > MAX_SHOWN else [])
        head = "1 probleem gevonden:" if n == 1 else f"{n} problemen gevonden:"
        super().__init__(head + "\n" + "\n".join(shown))


def template(name: str) -> pd.DataFrame:
    return pd.read_csv(TEMPLATES / SPECS[name].file, sep=";", dtype=str)


def _line(i: int) -> int:
    return i + 2


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")


def parse_date(text: str) -> str | None:
    """'2024-03-12' or '12-03-2024' -> '2024-03-12'; None when it is not a date."""
    from datetime import datetime

    for f in DATE_FORMATS:
        try:
            return datetime.strptime(text, f).date().isoformat()
        except ValueError:
            continue
    return None


def _num(x: float) -> str:
    """A number as written in a Dutch message: 30, 8,5 (no exponent, decimal comma)."""
    return str(int(x)) if float(x).is_integer() else f"{x:.10g}".replace(".", ",")


def validate(raw: pd.DataFrame, source: str, spec: Spec, known_codes: dict[str, str] | None = None,
             known_indicators: set[str] | None = None, lines: list[int] | None = None,
             header_line: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """Check ``raw`` (every cell text) against ``spec``; return the typed frame and one Dutch message
    per problem. ``lines`` gives each row's line in the file (default: row i on line i + 2)."""

    def line_of(i: int) -> int:
        return lines[i] if lines is not None else _line(i)

    def at(i: int) -> str:
        return f"{source}: regel {line_of(i)}"

    raw = raw.copy()
    raw.columns = [clean_text(str(c))[0] for c in raw.columns]
    problems = _header_problems(list(raw.columns), source, spec, header_line)
    if any(c not in raw.columns for c in spec.names):
        return pd.DataFrame(columns=spec.names), problems
    texts = {}
    for col in spec.columns:
        texts[col.name], found = _clean_column(raw[col.name].fillna("").astype(str).tolist(), col, at)
        problems += found
    df = pd.DataFrame(texts, index=raw.index, columns=spec.names)
    for col in spec.columns:
        typed, found = _typed_column(df[col.name], col, at, known_codes, known_indicators)
        problems += found
        if typed is not None:
            df[col.name] = typed
    problems += _rule_problems(df, spec, at)
    problems += _bound_problems(df, spec, at)
    problems += _duplicate_problems(df, spec, at, line_of)
    return df, problems


def _header_problems(columns: list[str], source: str, spec: Spec, header_line: int) -> list[str]:
    """A template column the file lacks (naming the file's column it probably is), and a column the
    template does not have (unless it is such a misspelling)."""
    missing = [c for c in spec.names if c not in columns]
    extra = [c for c in columns if c not in spec.names]
    problems = []
    for c in missing:
        near = difflib.get_close_matches(c, extra, n=1)
        problems.append(f"{source}: regel {header_line}: kolom '{c}' ontbreekt"
                        + (f" (bedoelt u '{near[0]}'?)" if near else "")
                        + f"; zie het sjabloon kompas_lib/templates/{spec.file}")
    for c in extra:
        if not difflib.get_close_matches(c, missing, n=1):
            problems.append(f"{source}: regel {header_line}: kolom '{c}' hoort niet bij het sjabloon; verwijder de "
                            f"kolom of geef haar een naam uit kompas_lib/templates/{spec.file}")
    return problems


def _unique_map(values: pd.Series, fn: Callable[[str], object]) -> dict[str, object]:
    """``fn`` of every distinct value (files repeat their codes, periods and names: each is judged once)."""
    return {v: fn(v) for v in pd.unique(values)}


MAX_SUGGESTED = 100  # distinct wrong values that get a 'bedoelt u …?' (each costs a fuzzy search)


def _suggestions(values: pd.Series, allowed: list[str] | tuple[str, ...], cutoff: float = 0.6) -> dict[str, list[str]]:
    """The nearest allowed value for each of the first :data:`MAX_SUGGESTED` distinct ``values``; later
    ones get none, so a file of any length is checked in time proportional to its length."""
    distinct = pd.unique(values)
    near = {v: difflib.get_close_matches(v, allowed, n=1, cutoff=cutoff) for v in distinct[:MAX_SUGGESTED]}
    return near | {v: [] for v in distinct[MAX_SUGGESTED:]}


def _clean_column(values: list[str], col: Col, at: Callable[[int], str]) -> tuple[list[str], list[str]]:
    """The column's text normalised (:func:`~kompas_lib.core.entry.clean_text`: spaces, NFC, trimmed) and
    one problem per cell that is too long or holds a refused character (control, invisible, bidi); each
    distinct text is judged once."""
    judged: dict[str, tuple[str, str | None]] = {}
    out, problems = [], []
    for i, v in enumerate(values):
        text, problem = judged.get(v) or judged.setdefault(v, _clean_cell(v))
        out.append(text)
        if problem:
            problems.append(f"{at(i)}: kolom '{col.name}': {problem}")
    return out, problems


def _clean_cell(text: str) -> tuple[str, str | None]:
    if len(text) > MAX_CELL_CHARS:
        return clean_text(text)[0], (f"de tekst is te lang ({fmt.count(len(text))} tekens); een cel mag hoogstens "
                                     f"{fmt.count(MAX_CELL_CHARS)} tekens bevatten")
    return clean_text(text)


def _typed_column(values: pd.Series, col: Col, at: Callable[[int], str], known_codes: dict[str, str] | None,
                  known_indicators: set[str] | None) -> tuple[object, list[str]]:
    """One column's values converted to its kind (None: it stays text) and its problems, row by row
    (an empty required cell first)."""
    empty = values == ""
    problems = ([f"{at(i)}: kolom '{col.name}' is leeg; deze kolom is verplicht" for i in np.where(empty)[0]]
                if col.required else [])
    typed, found = None, []
    if col.kind in ("count", "number"):
        typed, found = _numbers(values, empty, col, at)
    elif col.kind == "enum":
        found = _enum_problems(values, empty, col, at)
    elif col.kind == "period":
        typed, found = _period_codes(values, col, at)
    elif col.kind == "gemeente":
        found = _gemeente_problems(values, col, at, known_codes)
    elif col.kind == "list":
        typed = [[x.strip() for x in v.split("|") if x.strip()] for v in values]
    elif col.kind == "datum":
        typed, found = _dates(values, col, at)
    elif col.kind == "indicator" and known_indicators is not None:
        found = _indicator_problems(values, col, at, known_indicators)
    return typed, problems + found


def _numbers(values: pd.Series, empty: pd.Series, col: Col, at: Callable[[int], str]) -> tuple[pd.Series, list[str]]:
    """A count or number column as numbers by the rule of :func:`~kompas_lib.core.entry.parse_number`
    (decimal comma; no thousands points without one, no e-notation, no inf or nan); a text that is no
    number, a negative number and for a count a fraction are problems."""
    whole = col.kind == "count"
    text = values.tolist()
    num = np.full(len(text), np.nan)
    parsed: dict[str, tuple[float, str | None]] = {}
    problems = []
    for i, v in enumerate(text):
        if not v:
            continue
        if v.isascii() and v.isdigit() and len(v) <= MAX_DIGITS:  # the common case
            num[i] = float(v)
            continue
        num[i], problem = parsed.get(v) or parsed.setdefault(v, _parse_or_problem(v, whole))
        if problem:
            problems.append(f"{at(i)}: kolom '{col.name}': {problem}")
    negative = np.where(num < 0)[0]
    fraction = np.where(~np.isnan(num) & (num % 1 != 0))[0] if whole else []
    num = pd.Series(num, index=values.index)
    what = "een aantal" if whole else "de waarde"
    problems += [f"{at(i)}: kolom '{col.name}': {text[i]} is negatief; {what} kan niet kleiner zijn dan 0"
                 for i in negative]
    problems += [f"{at(i)}: kolom '{col.name}': {text[i]} is geen geheel getal; een aantal heeft geen decimalen"
                 for i in fraction]
    return num, problems


def _parse_or_problem(text: str, whole: bool) -> tuple[float, str | None]:
    try:
        return parse_number(text, whole), None
    except NumberProblem as exc:
        return np.nan, str(exc)


def _enum_problems(values: pd.Series, empty: pd.Series, col: Col, at: Callable[[int], str]) -> list[str]:
    """A value outside the allowed ones (naming the allowed value it probably is)."""
    bad = ~empty & ~values.isin(col.allowed)
    near = _suggestions(values[bad], col.allowed)
    return [f"{at(i)}: kolom '{col.name}': '{v}' is niet toegestaan" + (f" (bedoelt u '{near[v][0]}'?)" if near[v] else "")
            + f"; toegestaan: {', '.join(col.allowed)}" for i, v in zip(np.where(bad)[0], values[bad].tolist())]


def _period_codes(values: pd.Series, col: Col, at: Callable[[int], str]) -> tuple[list, list[str]]:
    """Period codes (None for an empty or unknown period); a year, half year or quarter is allowed."""
    known = _unique_map(values, _period_code)
    codes = [known[p] for p in values.tolist()]
    problems = [f"{at(i)}: kolom '{col.name}': '{p}' is geen periode; schrijf bijvoorbeeld 2023, '1e halfjaar 2023' "
                "of '1e kwartaal 2023'" for i, (p, code) in enumerate(zip(values, codes)) if p and code is None]
    return codes, problems


def _period_code(text: str) -> str | None:
    """The code of a year, half year or quarter; None for anything else."""
    try:
        per = parse_period(text)
    except DataError:
        return None
    return per.code if per.type in ("jaar", "halfjaar", "kwartaal") else None


def _gemeente_problems(values: pd.Series, col: Col, at: Callable[[int], str],
                       known_codes: dict[str, str] | None) -> list[str]:
    """A code that is not GM with 4 digits, or (with ``known_codes``) no known gemeente."""
    def problem(code: str) -> str | None:
        if not re.match(r"^GM\d{4}$", code):
            return f"'{code}' is geen gemeentecode; een gemeentecode is GM met 4 cijfers, bijvoorbeeld GM0344"
        if known_codes is not None and code not in known_codes:
            near = _near_code(code, known_codes)
            return f"gemeentecode {code} is onbekend" + (f" (bedoelt u {near} {known_codes[near]}?)" if near else "")
        return None

    judged = _unique_map(values[values != ""], problem)
    return [f"{at(i)}: kolom '{col.name}': {judged[v]}" for i, v in enumerate(values.tolist()) if judged.get(v)]


def _near_code(code: str, known: dict[str, str]) -> str | None:
    """The known code one typing slip away from ``code`` (one digit wrong, or two neighbouring digits
    swapped), the nearest in number first; a fixed number of look-ups whatever the size of the file."""
    digits = code[2:]
    slips = {digits[:k] + d + digits[k + 1:] for k in range(4) for d in "0123456789"}
    slips |= {digits[:k] + digits[k + 1] + digits[k] + digits[k + 2:] for k in range(3)}
    hits = sorted((abs(int(c) - int(digits)), c) for c in slips if c != digits and "GM" + c in known)
    return "GM" + hits[0][1] if hits else None


def _dates(values: pd.Series, col: Col, at: Callable[[int], str]) -> tuple[list[str], list[str]]:
    """ISO dates ('' for an empty or unreadable cell); a text that is no date is a problem."""
    problems = []
    known = _unique_map(values, lambda v: parse_date(v) if v else None)
    dates = [known[v] for v in values.tolist()]
    for i, (v, d) in enumerate(zip(values.tolist(), dates)):
        if v and d is None:
            problems.append(f"{at(i)}: kolom '{col.name}': '{v}' is geen datum; schrijf bijvoorbeeld "
                            "2024-03-12 (jaar-maand-dag) of 12-03-2024 (dag-maand-jaar)")
    return [d or "" for d in dates], problems


def _indicator_problems(values: pd.Series, col: Col, at: Callable[[int], str], known_indicators: set[str]) -> list[str]:
    """An indicator id that is not in the catalogue (naming the id it probably is)."""
    bad = (values != "") & ~values.isin(known_indicators)
    near = _suggestions(values[bad], sorted(known_indicators))
    return [f"{at(i)}: kolom '{col.name}': '{v}' is geen indicator uit de catalogus"
            + (f" (bedoelt u '{near[v][0]}'?)" if near[v] else "")
            + "; laat de kolom leeg of gebruik een id uit kompas_lib/data/tables.yml"
            for i, v in zip(np.where(bad)[0], values[bad].tolist())]


def _rule_problems(df: pd.DataFrame, spec: Spec, at: Callable[[int], str]) -> list[str]:
    """The rules between columns: at least one of ``one_of`` filled, ``needs`` filled in pairs, and
    ``not_before`` dates in order."""
    problems = []
    if spec.one_of:
        filled = (df[list(spec.one_of)] != "").any(axis=1)
        for i in np.where(~filled)[0]:
            problems.append(f"{at(i)}: kolommen {', '.join(spec.one_of)}: alle leeg; vul er minstens één in")
    for col, other in spec.needs:
        for i in np.where((df[col] != "") & (df[other] == ""))[0]:
            problems.append(f"{at(i)}: kolom '{other}' is leeg, maar '{col}' is ingevuld; vul beide in of laat "
                            "beide leeg")
    for later, earlier in spec.not_before:
        late, early = df[later].to_numpy(), df[earlier].to_numpy()
        for i in np.where((df[later] != "") & (df[earlier] != "") & (df[later] < df[earlier]))[0]:
            problems.append(f"{at(i)}: kolom '{later}': {late[i]} ligt vóór {earlier} {early[i]}")
    return problems


def _bound_problems(df: pd.DataFrame, spec: Spec, at: Callable[[int], str]) -> list[str]:
    """A part (or the sum of several) larger than its whole (``bounds``, where ``bounded_when`` holds)."""
    problems = []
    for nums, den in spec.bounds:
        nums = (nums,) if isinstance(nums, str) else tuple(nums)
        applies = pd.Series(True, index=df.index)
        for c, vals in spec.bounded_when.items():
            applies &= df[c].isin(vals)
        total = df[list(nums)].sum(axis=1, min_count=len(nums))
        what = " + ".join(nums) + " = "
        part, whole = total.to_numpy(), df[den].to_numpy()
        for i in np.where(applies & (total > df[den]))[0]:
            problems.append(f"{at(i)}: kolom '{nums[-1]}': {what}{_num(part[i])} is meer dan "
                            f"{den} = {_num(whole[i])}; het deel kan niet groter zijn dan het geheel")
    return problems


def _duplicate_problems(df: pd.DataFrame, spec: Spec, at: Callable[[int], str],
                        line_of: Callable[[int], int]) -> list[str]:
    """A row with the same key as an earlier row (naming that row's line); one pass over the rows."""
    problems = []
    keyed = df[list(spec.key)].astype(object).fillna("").astype(str)  # empty keys compare as equal
    involved = np.where(keyed.duplicated(keep=False))[0]  # rows that share their key with another row
    first: dict[tuple, int] = {}
    for i, key in zip(involved, zip(*(keyed[c].to_numpy()[involved].tolist() for c in spec.key))):
        j = first.setdefault(key, i)
        if j != i:
            problems.append(f"{at(i)}: kolommen {', '.join(spec.key)}: dezelfde combinatie als op regel "
                            f"{line_of(j)}; elke combinatie mag maar één keer voorkomen")
    return problems


# --- reading a file ---------------------------------------------------------------------------

UTF8_BOM = b"\xef\xbb\xbf"
# Excel's CSV UTF-8 format: named after the comma, but with Dutch settings Excel separates by ';'
EXCEL_CSV = "Bestand > Opslaan als > 'CSV UTF-8 (door komma's gescheiden) (*.csv)'"
SAVE_AS_CSV = f"sla het op via {EXCEL_CSV}; met Nederlandse instellingen zet Excel dan ';' tussen de kolommen"
SEPARATORS = {",": "komma's", "\t": "tabs"}


def _fail(message: str) -> TemplateError:
    """The error for a file that cannot be read at all: one problem."""
    return TemplateError([message])


def _not_text(data: bytes) -> str | None:
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


def _decode(data: bytes, path: Path) -> str:
    """The file's text (UTF-8, with or without BOM); a message naming the first line that is not UTF-8."""
    body = data.removeprefix(UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[:exc.start].count(b"\n") + 1
        begin = max(body.rfind(sep, 0, exc.start) for sep in (b"\n", b";", b" ")) + 1
        ends = [i for i in (body.find(sep, exc.start) for sep in (b"\n", b"\r", b";", b" ")) if i >= 0]
        word = body[begin:min(ends, default=len(body))].decode("utf-8", errors="replace")[:40]
        raise _fail(f"{path}: regel {line}: het bestand is niet opgeslagen als UTF-8: bij '{word}' staat een teken "
                    "dat geen UTF-8 is (vaak een é, ë of ï uit een ouder Excel- of Windows-bestand). Open het "
                    f"bestand in Excel en {SAVE_AS_CSV}") from None


def _check_separator(text: str, path: Path) -> None:
    """Stop when the header line is separated by commas or tabs instead of ';' (and the lines below it
    have no ';' either: a title line above the column names is reported elsewhere)."""
    filled = list(islice(((i + 1, t) for i, t in enumerate(text.splitlines()) if t.strip()), 5))
    if any(";" in t for _, t in filled):
        return
    n, header = filled[0]
    sep = max(SEPARATORS, key=header.count)
    if header.count(sep) == 0:
        return
    raise _fail(f"{path}: regel {n}: de kolommen zijn gescheiden door {SEPARATORS[sep]} in plaats van door "
                f"puntkomma's (;). Maak het bestand opnieuw met ';' tussen de kolommen: in Excel met Nederlandse "
                f"instellingen via {EXCEL_CSV}, in LibreOffice door bij het opslaan ';' als scheidingsteken te "
                f"kiezen, of door in een teksteditor de {SEPARATORS[sep]} tussen de kolommen te vervangen door ';'")


def _parse(text: str, path: Path) -> tuple[list[str], list[list[str]], list[int], int]:
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
            raise _fail(f"{path}: regel {last + 1}: een cel is te lang (meer dan {fmt.count(csv.field_size_limit())} "
                        f"tekens); een cel mag hoogstens {fmt.count(MAX_CELL_CHARS)} tekens bevatten. Maak de tekst "
                        "korter; hoort hij niet zo lang te zijn, dan ontbreekt waarschijnlijk een afsluitend "
                        "aanhalingsteken (\")") from None
        raise _fail(f"{path}: regel {last + 1}: de aanhalingstekens (\") kloppen niet: een tekst die met \" "
                    "begint, moet ook met \" eindigen, direct gevolgd door ';' of het einde van de regel. Schrijf "
                    "een \" binnen zo'n tekst als \"\", of haal de aanhalingstekens weg") from None
    return header or [], rows, lines, header_line


def _check_header_first(header: list[str], rows: list[list[str]], lines: list[int], path: Path, spec: Spec) -> None:
    """Stop when the column names are not on the first line but a few lines lower (a title above them)."""

    def known(row: list[str]) -> int:
        return len({c.strip() for c in row} & set(spec.names))

    if known(header) > 0:
        return
    for row, n in list(zip(rows, lines))[:10]:
        if known(row) >= len(spec.names) / 2:
            raise _fail(f"{path}: de kolomnamen staan op regel {n}, maar horen op de eerste regel te staan; haal "
                        f"de regel(s) erboven weg (zie het sjabloon kompas_lib/templates/{spec.file})")


def _frame(header: list[str], rows: list[list[str]], lines: list[int], header_line: int,
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


def load(path: Path, name: str, known_codes: dict[str, str] | None = None,
         known_indicators: set[str] | None = None) -> pd.DataFrame:
    """Read and validate a file made from template ``name``; raise :class:`TemplateError` listing every
    problem (file, line, column).

    Before its rows, the file as a whole is checked, each case with its own message: a folder, an empty
    file, an Excel or other binary file under a .csv name, a file that is not UTF-8 (the first bad line
    is named; no other encoding is guessed), commas or tabs instead of ';', a title above the column
    names and quotes that do not close. Problems are listed in file order."""
    spec = SPECS[name]
    path = Path(path)
    if path.is_dir():
        raise _fail(f"{path}: is een map, geen bestand; geef in het instellingenbestand onder '{spec.params_key}' "
                    f"het pad naar het CSV-bestand zelf, bijvoorbeeld {path / spec.file}")
    if not path.is_file():
        raise _fail(f"{path}: bestand niet gevonden; maak het van het sjabloon kompas_lib/templates/{spec.file} "
                    f"en zet het pad in het instellingenbestand onder '{spec.params_key}'")
    try:
        data = path.read_bytes()
    except OSError as exc:
        why = "geen toegang" if isinstance(exc, PermissionError) else (exc.strerror or type(exc).__name__)
        raise _fail(f"{path}: het bestand kan niet worden gelezen ({why}); controleer of u het mag openen en of "
                    "het niet ergens anders nog openstaat") from None
    what = _not_text(data)
    if what:
        suffix = f", ook al eindigt de naam op '{path.suffix}'" if path.suffix else ""
        raise _fail(f"{path}: dit is {what}, geen CSV-bestand in UTF-8{suffix}. Open het in Excel en {SAVE_AS_CSV}")
    text = _decode(data, path)
    if not text.strip():
        raise _fail(f"{path}: het bestand is leeg; vul het sjabloon kompas_lib/templates/{spec.file} (laat de "
                    "kopregel met de kolomnamen staan en zet daaronder uw gegevens) en sla het op als CSV UTF-8 "
                    "met ';' tussen de kolommen")
    _check_separator(text, path)
    header, rows, lines, header_line = _parse(text, path)
    _check_header_first(header, rows, lines, path, spec)
    raw, lines, problems = _frame(header, rows, lines, header_line, path)
    df, found = validate(raw, str(path), spec, known_codes, known_indicators, lines, header_line)
    problems += found
    if problems:
        raise TemplateError(sorted(problems, key=lambda m: _line_of(m, str(path))))
    return df


def _line_of(message: str, source: str) -> int:
    """The line a problem message is about (0 when it names none), to list problems in file order."""
    prefix = f"{source}: regel "
    if not message.startswith(prefix):
        return 0
    digits = message[len(prefix):len(prefix) + 12].partition(":")[0]
    return int(digits) if digits.isdigit() else 0
