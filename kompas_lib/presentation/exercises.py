"""Participants' saved work in a training: where it lives, and how a row is checked and saved.

Everything a participant saves — a duiding, a verbeteractie, a params fragment from 'test de
indicatoren' — goes to a folder of its own, :func:`folder`: ``KOMPAS_OEFENINGEN_DIR`` when set,
else ``oefeningen/`` in the project folder (``KOMPAS_HOME``), one subfolder per gemeente. That is
outside ``data/`` (which ``kompas demo``, ``kompas prepare --bron demo`` and ``make report BRON=demo``
rebuild) and outside ``reports/`` (which ``make clean`` empties), so no rebuild reaches it.

A row is checked by the same validator as a gemeente's own file (:func:`kompas_lib.sources.sjablonen.load`)
before anything is written: the new content is written to a temporary file, read back through the
validator, and only then written in place. A saved exercise therefore never stops the next report.

For a gemeente whose block-6 files come from Demoland, the first save starts from a copy of Demoland's
example rows, and :func:`report_params` writes ``params.yml`` beside the saved files: the gemeente's own
params (``params/<code>.yml``) with ``lokale_gegevens`` pointing at them. ``make training-report`` makes
the report with that file (:func:`params_option`), so the report shows the participants' duiding.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import yaml

from kompas_lib.core import io, paths
from kompas_lib.core.params import PATH_KEYS, params_file_for
from kompas_lib.core.registry import load_registry
from kompas_lib.sources.sjablonen import TemplateError, load, template
from kompas_lib.sources.template_specs import SPECS

ENV = "KOMPAS_OEFENINGEN_DIR"
PARAMS_NAME = "params.yml"
# how the widgets call a template column, for the participant's message
LABELS = {"datum": "de datum van vandaag", "startdatum": "de startdatum (vandaag)", "evaluatiedatum": "Evalueren op",
          "aanspreekpunt": "Wie", "actie": "Actie", "aanwezig": "Aanwezig", "onderwerp": "Signaal", "blok": "Signaal",
          "herkennen": "Herkennen", "verklaren": "Verklaren", "vinden": "Vinden", "nodig": "Nodig"}


def folder(code: str | None = None) -> Path:
    """The folder of participants' saved work (of gemeente ``code`` when given)."""
    env = os.environ.get(ENV)
    root = Path(env).expanduser().resolve() if env else paths.project_root() / "oefeningen"
    return root / code if code else root


def _current(target: Path, name: str, start: Path | None = None) -> pd.DataFrame:
    """The file's rows as text; a new file begins with the rows of ``start`` (Demoland's examples, so
    the report keeps them), else with the template's columns."""
    for source in (target, start):
        if source is not None and source.is_file():
            return pd.read_csv(source, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return template(name).iloc[0:0]


def _with_row(current: pd.DataFrame, name: str, row: dict) -> pd.DataFrame:
    """``current`` with ``row`` added; a row with the same key (the same signal on the same day, saved
    again) replaces the earlier one."""
    added = pd.DataFrame([row]).reindex(columns=current.columns).fillna("")
    key = list(SPECS[name].key)
    same = current[key].astype(str).apply(tuple, axis=1).isin(added[key].astype(str).apply(tuple, axis=1))
    return pd.concat([current[~same], added], ignore_index=True)


def _plain(problem: str, source: str, new_line: int, target: Path) -> str:
    """A validator's message for the participant: without the temporary file's name, the columns called
    as in the widget; a problem in an earlier row names the file and the line."""
    m = re.match(rf"^{re.escape(source)}: regel (\d+): (.*)$", problem, flags=re.S)
    if not m:
        return problem.replace(source, str(target))
    line, text = int(m.group(1)), m.group(2)
    text = re.sub(r"kolom '([a-z_]+)'", lambda c: f"'{LABELS.get(c.group(1), c.group(1))}'", text)
    if line != new_line:
        return (f"{target} had al een fout op regel {line} ({text}); laat de trainer die regel herstellen of het "
                "bestand weghalen")
    return text[0].upper() + text[1:]


def save_rows(rows: list[tuple[Path, str, dict, Path | None]]) -> tuple[list[Path], list[str]]:
    """Add each ``(file, template name, row, start)`` (``start``: the rows a new file begins with). Every
    file's new content is first written to a temporary file and read back through the own-file
    validator. All or nothing: with any problem nothing is written (no file, no folder) and the problems
    come back in plain Dutch; otherwise each file is replaced atomically."""
    import tempfile

    indicators = set(load_registry().indicators)
    checked, problems = [], []
    with tempfile.TemporaryDirectory(prefix="kompas-oefening-") as tmp:
        for target, name, row, start in rows:
            frame = _with_row(_current(target, name, start), name, row)
            trial = Path(tmp) / target.name
            frame.to_csv(trial, sep=";", index=False, encoding="utf-8")
            try:
                load(trial, name, known_indicators=indicators if name == "verbeteracties" else None)
            except TemplateError as exc:
                problems += [_plain(p, str(trial), len(frame) + 1, target) for p in exc.problems]
            else:
                checked.append((target, frame))
    if problems:
        return [], problems
    for target, frame in checked:
        io.write_csv(frame, target, sep=";", index=False, encoding="utf-8")
    return [t for t, _ in checked], []


def report_params(code: str) -> Path | None:
    """(Re)write ``<folder>/<code>/params.yml`` — the gemeente's params file with ``lokale_gegevens``
    naming the saved duiding and verbeteracties — and return it; None when nothing was saved for it."""
    here = folder(code)
    saved = {k: here / f"{k}.csv" for k in ("duiding", "verbeteracties") if (here / f"{k}.csv").is_file()}
    if not saved:
        return None
    own = params_file_for(code, None)
    data = (yaml.safe_load(own.read_text(encoding="utf-8")) if own else None) or {}
    for section, key in PATH_KEYS:  # the own file's other paths stay valid from the new folder
        value = (data.get(section) or {}).get(key)
        if own and isinstance(value, str) and value and not Path(value).is_absolute():
            data[section][key] = str((own.parent / value).resolve())
    data["gemeente"] = code
    data.setdefault("lokale_gegevens", {}).update({k: p.name for k, p in saved.items()})
    head = ("# Gemaakt door de training (kompas_lib/presentation/exercises.py): de params van de gemeente"
            + (f" ({own.name})" if own else "") + ",\n# met de bewaarde duiding en verbeteracties uit de oefening "
            "'duiden'. Wordt bij elke bewaring opnieuw geschreven.\n")
    return io.write_text(here / PARAMS_NAME, head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def params_option(text: str, processed: Path | None = None) -> str:
    """'--params <file>' for the report of the gemeente ``text`` (a code or a name) when participants saved
    work for it, else '' (used by ``make training-report``)."""
    code = text.strip().upper()
    if not re.match(r"^GM\d{4}$", code):
        regions = pd.read_parquet(Path(processed or paths.processed_dir()) / "regions.parquet",
                                  columns=["gemeente_code", "gemeente_naam"])
        hits = regions.loc[regions["gemeente_naam"].str.casefold() == text.strip().casefold(), "gemeente_code"]
        code = str(hits.iloc[0]) if len(hits) else code
    made = report_params(code)
    return f"--params {made}" if made else ""
