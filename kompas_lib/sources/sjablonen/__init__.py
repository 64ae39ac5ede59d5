"""CSV templates for a gemeente's own data (blocks 2–6) and their validation.

Each template is described once (:data:`~kompas_lib.sources.template_specs.SPECS`): its columns, their
kind and the rules between them. :func:`load` reads a file and stops with one message per problem
naming the file, the line and the column, in words a policy analyst can act on. The empty templates
live in ``kompas_lib/templates/``.

The work is split by concept: :mod:`.reading` (bytes to a text frame, the file as a whole),
:mod:`.columns` (one column by its kind), :mod:`.rules` (header, rules between columns, bounds,
duplicates) and :mod:`.problems` (the error and the order of its problems). This module ties them
together and keeps the names other modules import (``load``, ``validate``, ``template``, ``SPECS``,
``TemplateError``, ``MAX_SUGGESTED``, ``parse_date``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kompas_lib.core.entry import clean_text
from kompas_lib.sources.sjablonen.columns import (MAX_CELL_CHARS, MAX_SUGGESTED, clean_column, parse_date,
                                                  typed_column)
from kompas_lib.sources.sjablonen.problems import MAX_SHOWN, TemplateError, fail, in_file_order
from kompas_lib.sources.sjablonen.reading import (EXCEL_CSV, SAVE_AS_CSV, check_header_first, check_separator,
                                                  decode, frame, not_text, parse)
from kompas_lib.sources.sjablonen.rules import (bound_problems, duplicate_problems, header_problems,
                                                rule_problems)
from kompas_lib.sources.template_specs import SPECS, TEMPLATES, Col, Spec

__all__ = ["Col", "EXCEL_CSV", "MAX_CELL_CHARS", "MAX_SHOWN", "MAX_SUGGESTED", "SAVE_AS_CSV", "SPECS", "Spec",
           "TemplateError", "load", "parse_date", "template", "validate"]


def template(name: str) -> pd.DataFrame:
    """The empty template ``name`` as shipped (its header; every cell text)."""
    return pd.read_csv(TEMPLATES / SPECS[name].file, sep=";", dtype=str)


def validate(raw: pd.DataFrame, source: str, spec: Spec, known_codes: dict[str, str] | None = None,
             known_indicators: set[str] | None = None, lines: list[int] | None = None,
             header_line: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """Check ``raw`` (every cell text) against ``spec``; return the typed frame and one Dutch message
    per problem. ``lines`` gives each row's line in the file (default: row i on line i + 2)."""

    def line_of(i: int) -> int:
        return lines[i] if lines is not None else i + 2

    def at(i: int) -> str:
        return f"{source}: regel {line_of(i)}"

    raw = raw.copy()
    raw.columns = [clean_text(str(c))[0] for c in raw.columns]
    problems = header_problems(list(raw.columns), source, spec, header_line)
    if any(c not in raw.columns for c in spec.names):
        return pd.DataFrame(columns=spec.names), problems
    texts = {}
    for col in spec.columns:
        texts[col.name], found = clean_column(raw[col.name].fillna("").astype(str).tolist(), col, at)
        problems += found
    df = pd.DataFrame(texts, index=raw.index, columns=spec.names)
    for col in spec.columns:
        typed, found = typed_column(df[col.name], col, at, known_codes, known_indicators)
        problems += found
        if typed is not None:
            df[col.name] = typed
    problems += rule_problems(df, spec, at)
    problems += bound_problems(df, spec, at)
    problems += duplicate_problems(df, spec, at, line_of)
    return df, problems


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
        raise fail(f"{path}: is een map, geen bestand; geef in het instellingenbestand onder '{spec.params_key}' "
                   f"het pad naar het CSV-bestand zelf, bijvoorbeeld {path / spec.file}")
    if not path.is_file():
        raise fail(f"{path}: bestand niet gevonden; maak het van het sjabloon kompas_lib/templates/{spec.file} "
                   f"en zet het pad in het instellingenbestand onder '{spec.params_key}'")
    try:
        data = path.read_bytes()
    except OSError as exc:
        why = "geen toegang" if isinstance(exc, PermissionError) else (exc.strerror or type(exc).__name__)
        raise fail(f"{path}: het bestand kan niet worden gelezen ({why}); controleer of u het mag openen en of "
                   "het niet ergens anders nog openstaat") from None
    what = not_text(data)
    if what:
        suffix = f", ook al eindigt de naam op '{path.suffix}'" if path.suffix else ""
        raise fail(f"{path}: dit is {what}, geen CSV-bestand in UTF-8{suffix}. Open het in Excel en {SAVE_AS_CSV}")
    text = decode(data, path)
    if not text.strip():
        raise fail(f"{path}: het bestand is leeg; vul het sjabloon kompas_lib/templates/{spec.file} (laat de "
                   "kopregel met de kolomnamen staan en zet daaronder uw gegevens) en sla het op als CSV UTF-8 "
                   "met ';' tussen de kolommen")
    check_separator(text, path)
    header, rows, lines, header_line = parse(text, path)
    check_header_first(header, rows, lines, path, spec)
    raw, lines, problems = frame(header, rows, lines, header_line, path)
    df, found = validate(raw, str(path), spec, known_codes, known_indicators, lines, header_line)
    problems += found
    if problems:
        raise TemplateError(in_file_order(problems, str(path)))
    return df
