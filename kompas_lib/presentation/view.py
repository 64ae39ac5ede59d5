"""How a section looks in a notebook and in the report: HTML in the house style, and its exports.

:func:`start` begins a notebook (quiet warnings, Dutch messages instead of tracebacks, the scope).

:func:`show` puts sections into the notebook (heading, text, figure, table of typed cells, note), saves
each shown table for the Excel workbook, the block-6 agenda for the front page, and the data behind
each section as CSV beside the report. Cells become Dutch text in :mod:`kompas_lib.presentation.cells`.
"""

from __future__ import annotations

from collections import OrderedDict

import html
import logging
import re
import time
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from kompas_lib.analysis.section import Section
from kompas_lib.core import fmt, io
from kompas_lib.core.prepare_info import source_label
from kompas_lib.core.errors import KompasError
from kompas_lib.presentation import cells, workbook
from kompas_lib.presentation.report import ANALYST_END, ANALYST_START, report_dir, save_agenda
from kompas_lib.presentation.session import Context, load_scope



def _quiet() -> None:
    warnings.filterwarnings("ignore")
    logging.getLogger().setLevel(logging.ERROR)
    pd.set_option("display.max_rows", 200)


def start(gemeente: str, params_file: str | None = None, *, processed: Path | None = None) -> Context:
    """Load everything one gemeente or jeugdregio needs (prepare data first if needed)."""
    _quiet()
    _short_errors()
    scope = load_scope(gemeente, params_file, processed=processed)
    return Context(scope, report_dir(scope.focus.code, scope.focus.name))


def _short_errors() -> None:
    """In a notebook, a problem the user can fix (a :class:`KompasError`) shows its Dutch message, as
    on the command line, instead of a traceback; the cell still fails (papermill sees the error)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "_showtraceback"):
        return

    def handler(sh, etype, evalue, tb, tb_offset=None):
        sh._showtraceback(etype, evalue, [f"Fout: {evalue}"])

    shell.set_custom_exc((KompasError,), handler)


def reset_namespace() -> None:
    """Empty the notebook kernel's namespace (a batch worker's kernel between two gemeenten)."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=False)


def md(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def header(ctx: Context, block_title: str) -> None:
    m = re.search(r"Blok (\d+)", block_title)
    ctx.block = int(m.group(1)) if m else (ctx.block or 9)  # the appendix and extra notebooks after the blocks
    kind = source_label(ctx.scope.prepare_info)
    rapport = ctx.params.rapport
    title = rapport.titel or f"Kwaliteitskompas jeugd · {ctx.focus.name}"
    made_by = f" · {rapport.organisatie}" if rapport.organisatie else ""
    lines = [f"# {_md_escape(block_title)} — {_md_escape(ctx.focus.name)}",
             f"*{_md_escape(title)} ({ctx.focus.code}){_md_escape(made_by)} · bron: {kind} · "
             f"gemaakt op {fmt_date(date.today())}*"]
    if ctx.fictitious:
        lines.insert(1, "> **Fictieve gegevens.** Alle cijfers in dit rapport zijn verzonnen voor oefening en "
                        "training (Demoland). Ze zeggen niets over een echte gemeente.")
    md("\n\n".join(lines))


fmt_date = fmt.date_words  # the report's one Dutch date format


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_people(data: pd.DataFrame) -> pd.DataFrame:
    """An export as people open it in a spreadsheet: floats rounded to 7 significant digits (no
    64829,54545454545; exact enough to recompute any shown figure) and text that a spreadsheet would run as a formula ('=…', '+…', '-…',
    '@…') prefixed with a quote, so it stays text."""
    out = data.copy()
    for i in range(out.shape[1]):  # by position: two columns may have the same header
        col = out.iloc[:, i]
        if pd.api.types.is_float_dtype(col.dtype):
            values = col.to_numpy(dtype=float, na_value=np.nan).tolist()
            out.isetitem(i, [float(f"{v:.7g}") if v == v else v for v in values])  # v == v: not NaN
        elif col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            values = col.tolist()
            guarded = ["'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in values]
            if guarded != values:  # the column keeps its type when nothing needed a quote
                out.isetitem(i, guarded)
    return out


def export(ctx: Context, data: pd.DataFrame, name: str) -> Path:
    """Write the data behind a figure or table as CSV beside the report (Dutch Excel-friendly)."""
    target = ctx.out_dir / "data" / f"{name}.csv"
    io.write_csv(for_people(cells.plain(data)), target, sep=";", decimal=",", encoding="utf-8-sig")
    ctx.exports.append(str(target))
    return target


def _md_escape(text: str) -> str:
    """Text from params files shown in a markdown heading: no markup, no HTML."""
    return re.sub(r"([\\`*_\[\]#<>|])", r"\\\1", str(text))


def _inline(text: str) -> str:
    """Escaped HTML of a builder's text, with **bold** and *italic* kept (nothing else is markup)."""
    out = html.escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", out)


def paragraphs(text: str) -> str:
    """Paragraphs (blank-line separated) as HTML."""
    return "".join(f"<p>{_inline(p.strip())}</p>" for p in re.split(r"\n\s*\n", text) if p.strip())


def _figure_html(spec) -> str:
    svg = _drawn(spec)
    return f'<img class="kompas-figuur" src="data:image/svg+xml;base64,{svg}" alt="{html.escape(spec.title)}">'


FIGURE_SECONDS = [0.0]  # time spent drawing figures in this process since it was last taken


def take_figure_seconds() -> float:
    """Seconds spent drawing figures since the last call (a batch worker's timing of one report)."""
    spent, FIGURE_SECONDS[0] = FIGURE_SECONDS[0], 0.0
    return spent


_DRAWN: OrderedDict[str, str] = OrderedDict()  # content hash of a figure specification -> its SVG (base64)
DRAWN_KEEP = 64


def _drawn(spec) -> str:
    """The figure as base64 SVG, drawn once per process for each distinct specification: a figure that is
    the same in every report (Nederland's trend, the national outcomes, a jeugdregio's members) is drawn
    by a batch worker once, not once per gemeente."""
    import base64

    from kompas_lib.presentation.render import svg_of

    key = _spec_hash(spec)
    if key not in _DRAWN:
        t0 = time.perf_counter()
        _DRAWN[key] = base64.b64encode(svg_of(spec)).decode("ascii")
        FIGURE_SECONDS[0] += time.perf_counter() - t0
        while len(_DRAWN) > DRAWN_KEEP:
            _DRAWN.popitem(last=False)
    _DRAWN.move_to_end(key)
    return _DRAWN[key]


def _spec_hash(spec) -> str:
    """A hash of everything a figure is drawn from: its kind, title, caption, options and data (frames by
    their values, index and column names)."""
    import hashlib
    from collections.abc import Mapping

    import numpy as np

    h = hashlib.sha256()

    def feed(value) -> None:
        if isinstance(value, np.ndarray):
            h.update(repr((value.shape, str(value.dtype))).encode())
            h.update(np.ascontiguousarray(value).tobytes())
        elif isinstance(value, pd.DataFrame):
            h.update(repr((list(value.columns), list(value.dtypes.astype(str)))).encode())
            h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        elif isinstance(value, pd.Series):
            feed(value.to_frame())
        elif isinstance(value, Mapping):
            for k in sorted(value, key=repr):
                h.update(repr(k).encode())
                feed(value[k])
        elif isinstance(value, (list, tuple)):
            h.update(f"{type(value).__name__}{len(value)}".encode())
            for v in value:
                feed(v)
        else:
            h.update(repr(value).encode())
        h.update(b"\x00")

    feed((spec.kind, spec.title, spec.caption, spec.options, spec.data))
    return h.hexdigest()


def section_html(sec: Section, on_table=None) -> str:
    """One section in the house style (heading, text, figure, table, note) as HTML. ``on_table`` is
    called with the section when its table is shown (the report saves it for the workbook)."""
    parts = []
    if sec.heading:
        level = min(max(sec.heading, 2), 4)
        parts.append(f"<h{level}>{html.escape(sec.title)}</h{level}>")
    if sec.text:
        parts.append(paragraphs(sec.text))
    if sec.figure is not None:
        parts.append(_figure_html(sec.figure))
    if sec.table is not None and not sec.table.empty:
        shown = table_html(sec.table, sec.table_caption or None, sec.row_links)
        if on_table is not None:
            on_table(sec)
        if sec.detail:
            shown = (f'<details class="kompas-detail"><summary>Tabel tonen: {html.escape(sec.title)} '
                     f'({len(sec.table)} regels)</summary>{shown}</details>')
        parts.append(shown)
    elif sec.source and sec.figure is None and sec.text:
        parts.append(f'<p class="kompas-bron">{html.escape(sec.source)}</p>')
    if sec.note:
        parts.append(f"<p><em>{_inline(sec.note)}</em></p>")
    if not parts:
        return ""
    if sec.for_analyst:
        return (f'{ANALYST_START}<div class="kompas-sectie kompas-analist" id="sectie-{html.escape(sec.id)}">'
                '<p class="kompas-analist-kop">Voor de analist</p>' + "\n".join(parts) + f"</div>{ANALYST_END}")
    return f'<div class="kompas-sectie" id="sectie-{html.escape(sec.id)}">' + "\n".join(parts) + "</div>"


def show(ctx: Context, *sections: Section | None) -> None:
    """Show sections in the house style: heading, text, figure, table with caption, note; export each
    section's data as ``<id>.csv`` beside the report."""
    from IPython.display import HTML, display

    def save(sec: Section) -> None:
        ctx.shown_tables += 1
        workbook.save_table(ctx.out_dir, ctx.block * 1000 + ctx.shown_tables, sec.id, sec.title, sec.table,
                            sec.table_caption)

    for sec in sections:
        if sec is None:
            continue
        shown = section_html(sec, None if sec.for_analyst else save)  # the how-to stays out of the workbook
        if sec.agenda is not None:
            save_agenda(ctx.out_dir, sec.agenda)
        if sec.data is not None and not sec.data.empty:
            export(ctx, sec.data, sec.id)
        if shown:
            display(HTML(shown))


def table_html(df: pd.DataFrame, caption: str | None = None, row_links=()) -> str:
    """A table of typed cells (:mod:`kompas_lib.analysis.cells`) in the house style: each cell its Dutch
    text, number columns right-aligned; ``row_links`` make each row's first cell a link to a section."""
    texts = cells.shown(df)
    numeric = cells.numeric_columns(df)
    long_text = [bool(len(texts)) and texts.iloc[:, c].str.len().mean() > 60 for c in range(texts.shape[1])]
    align = ["num" if n else ("txt lang" if lt else "txt") for n, lt in zip(numeric, long_text)]
    head = "".join(f'<th class="{a}">{html.escape(str(c))}</th>' for c, a in zip(df.columns, align))
    links = list(row_links) + [None] * (len(df) - len(row_links))

    def cell(v, a, link):
        text = html.escape(str(v))
        return f'<td class="{a}">' + (f'<a href="#sectie-{html.escape(link)}">{text}</a>' if link else text) + "</td>"

    rows = "".join("<tr>" + "".join(cell(v, a, link if i == 0 else None) for i, (v, a) in enumerate(zip(r, align)))
                   + "</tr>" for r, link in zip(texts.itertuples(index=False), links))
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="kompas">{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
