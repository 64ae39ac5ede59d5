"""The executed notebooks of one gemeente joined into one HTML report: what must not reach partners
removed (parameters, stderr), exported without code by nbconvert, and finished by
:func:`kompas_lib.presentation.report.postprocess_html` (front page, table of contents, house CSS,
no scripts)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import nbformat

from kompas_lib.core.fmt import date_words
from kompas_lib.core.prepare_info import PrepareInfo, source_label  # source_label: the line under the title
from kompas_lib.presentation.report import FrontAgenda, FrontPage, load_agenda, postprocess_html


def _strip_for_sharing(nb) -> None:
    """Remove what must not reach partners: stderr, warnings, the parameters cells."""
    keep = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        keep.append(cell)
    nb.cells = keep


def source_words(info: PrepareInfo) -> str:
    """Which data a report was made from, in one sentence for its front page notes: the folder's name
    (not its whole path) and the first characters of the fingerprint of its raw files, e.g. 'Gemaakt
    uit de gegevensmap 'cbs' (kenmerk 50f2494a): zo is na te gaan welke gegevens zijn gebruikt.' — the
    kind of source itself is on the line under the title."""
    parts = []
    if info.source.folder_name:
        parts.append(f"de gegevensmap '{info.source.folder_name}'")
    if info.source.fingerprint:
        parts.append(f"kenmerk {info.source.fingerprint[:8]}")
    if not parts:
        return ""
    return f"Gemaakt uit {' met '.join(parts) if len(parts) == 1 else parts[0] + ' (' + parts[1] + ')'}: zo is na te gaan welke gegevens zijn gebruikt."


def modified_words(info: PrepareInfo) -> str:
    """When CBS last changed the tables used, for the front page notes ('' for Demoland or without dates):
    'CBS-tabellen bijgewerkt door CBS tussen 3 maart 2025 en 20 maart 2025.', or 'op D' for one day."""
    from datetime import date

    modified = info.modified_range()
    if not modified or info.fictitious:
        return ""
    try:
        first, last = (date_words(date.fromisoformat(d)) for d in modified)
    except ValueError:
        first, last = modified
    when = f"op {first}" if first == last else f"tussen {first} en {last}"
    return f"CBS-tabellen bijgewerkt door CBS {when}."


def front_page(code: str, name: str, params, info: PrepareInfo, facts, report_folder: Path | None = None) -> FrontPage:
    """The front page's facts: title, region, date, data source and its status."""
    from datetime import date

    notes = [w for w in (modified_words(info),) if w]
    status = facts.loc[facts["region_code"] == code, "status"].astype(str)
    if status.str.contains("voorlopig", case=False).any():
        notes.append("Een deel van de cijfers is voorlopig; CBS kan ze later nog aanpassen.")
    used = source_words(info)
    if used:
        notes.append(used)
    agenda = load_agenda(report_folder) if report_folder else FrontAgenda()
    return FrontPage(params.rapport.titel or f"Kwaliteitskompas jeugd — {name}", name, code, date_words(date.today()),
                     source_label(info), params.rapport.organisatie, notes, agenda.items, agenda.rule,
                     agenda.going_well, agenda.missing)


class _AsWritten(str):
    """Stands in for BeautifulSoup in nbconvert's HTML exporter: the page as the template wrote it. The
    exporter parses the whole page (a megabyte: the figures are in it) only to give images without a
    description a placeholder (every figure here has one) and to make every output area a stop for the
    Tab key (a report's text is not a row of controls); parsing and writing it out again was about a third
    of assembling a report."""

    def __new__(cls, markup, features=None):
        return super().__new__(cls, markup)

    def select(self, _selector):
        return []


@lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process (its templates are loaded once), without the exporter's final pass
    over the whole page (:class:`_AsWritten`), checking the notebook's format once."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters import html as html_module

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            parser = getattr(html_module, "BeautifulSoup", None)
            if parser is None:  # another nbconvert: its own way
                return super().from_notebook_node(nb, resources, **kw)
            html_module.BeautifulSoup = _AsWritten
            try:
                return super().from_notebook_node(nb, resources, **kw)
            finally:
                html_module.BeautifulSoup = parser

    # optimistic validation: the notebook is checked against the notebook format once, after all of the
    # exporter's preprocessors, not after each of its twelve (each check walked the whole report)
    return ReportExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                          embed_images=True, optimistic_validation=True)


_WARMED: list = []


def warm_up() -> None:
    """Load the exporter's templates and the workbook library in a thread of their own, once per process:
    the first report of a process does this while its notebooks run in the kernel (the command is idle
    then), not after them (about 0,8 s)."""
    if _WARMED:
        return
    import threading

    def work() -> None:
        import openpyxl  # noqa: F401 - imported for its cost, once

        _exporter().from_notebook_node(nbformat.v4.new_notebook())

    thread = threading.Thread(target=work, name="kompas-warm-up", daemon=True)
    _WARMED.append(thread)
    thread.start()


def to_html(executed: list, fictitious: bool, title: str, front: FrontPage | None = None,
            *, analyst: bool = False) -> str | tuple[str, str]:
    """One HTML page of the executed notebooks, in their order, without code: the partners' edition;
    with ``analyst=True`` the pair (partners' edition, analyst's edition), from one template pass."""
    if _WARMED:
        _WARMED[0].join()  # not two template loads at once
    combined = nbformat.v4.new_notebook()
    combined.metadata = executed[0].metadata
    combined.metadata["title"] = title
    for nb in executed:
        _strip_for_sharing(nb)
        combined.cells.extend(nb.cells)
    body, _ = _exporter().from_notebook_node(combined)
    page = postprocess_html(body, fictitious, front)
    return (page, postprocess_html(body, fictitious, front, analyst=True)) if analyst else page
