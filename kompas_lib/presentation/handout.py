"""HTML hand-outs of the training notebooks that can be read without internet.

A notebook's widgets are drawn in the browser by scripts from the internet; the hand-out keeps
their state embedded (so they work wherever those scripts load) and adds below each tool a static
snapshot of what it showed when the hand-out was made: the choices in its controls and its output
(texts, tables and figures). The snapshot is read from the saved widget state, so it shows exactly
what the widget showed, without running anything again.
"""

from __future__ import annotations

import html
from pathlib import Path

import nbformat

from kompas_lib.core import fmt, io
from kompas_lib.core.errors import KompasError

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SNAPSHOT_NOTE = ("Momentopname bij het maken van deze hand-out. De knoppen en keuzelijsten hierboven werken "
                 "alleen in JupyterLab (of met internet); deze kopie is altijd te lezen.")
STYLE = ("<style>.kompas-momentopname{border:1px solid #C8D3DF;border-left:4px solid #0B4F8A;padding:.6rem 1rem;"
         "margin:.6rem 0;background:#F7F9FB}.kompas-momentopname table.keuzes{width:100%;border-collapse:collapse}"
         ".kompas-momentopname table.keuzes :is(th,td){text-align:left;vertical-align:top;padding:.25rem 1rem .25rem 0}"
         ".kompas-momentopname table.keuzes th{font-weight:600;width:8rem}"
         ".kompas-momentopname .noot{color:#4A5561;font-style:italic}"
         ".kompas-momentopname .lijn{display:block;border-bottom:1px dotted #4A5561;height:1.7em}"
         ".kompas-momentopname ul.opties{list-style:none;margin:0;padding:0;columns:2;column-gap:1.5rem}"
         ".kompas-momentopname ul.opties li{break-inside:avoid}</style>")
# On paper (A4): the hand-out is for pens. JupyterLab's own print rule keeps each output in one piece
# ('break-inside: avoid-page'), which pushes a long snapshot to page 2 and leaves page 1 nearly empty;
# here outputs may break between rows, wide tables shrink instead of being cut, prompts go.
PRINT_STYLE = """<style>
@page { size: A4; margin: 14mm 13mm 16mm; }
@media print {
  body, .jp-Notebook { margin: 0 !important; padding: 0 !important; max-width: none !important; }
  .jp-InputPrompt, .jp-OutputPrompt, .jp-OutputArea-prompt { display: none !important; }
  .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output,
  .kompas-momentopname, .kompas-sectie { break-inside: auto !important; overflow: visible !important; }
  .jp-OutputArea-output { width: 100% !important; }
  .kompas-momentopname { background: none; border-left-width: 2px; padding: 0 0 0 3mm; }
  .kompas-momentopname table { width: 100% !important; font-size: 8pt; table-layout: auto; }
  .kompas-momentopname :is(th, td) { white-space: normal !important; word-break: normal !important;
    overflow-wrap: normal !important; padding-left: 1.5mm !important; padding-right: 1.5mm !important; }
  .kompas-momentopname td.num { white-space: nowrap !important; }
  .kompas-momentopname :is(tr, img, svg, li, h3, h4) { break-inside: avoid; }
  .kompas-momentopname table.keuzes tr { break-inside: auto; }  /* a long list of options may go on */
  .kompas-momentopname :is(h3, h4) { break-after: avoid; }
  .kompas-momentopname img { max-width: 100% !important; height: auto !important; }
  .kompas-momentopname .lijn { height: 2.2em; }
}
</style>"""



def _ref(value) -> str | None:
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def _choice(model: dict) -> str:
    """The value a control shows, as text ('' for none)."""
    s = model["state"]
    labels = s.get("_options_labels")
    if labels is not None:
        index = s.get("index")
        if index is None:
            return ""
        return ", ".join(labels[i] for i in index) if isinstance(index, list) else labels[index]
    value = s.get("value")
    if isinstance(value, dict) and {"year", "month", "date"} <= set(value):  # DatePicker: month counts from 0
        return f"{value['date']:02d}-{value['month'] + 1:02d}-{value['year']}"
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]}–{value[1]}"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return fmt.number(value, 0 if value.is_integer() else 1)
    return "" if value is None else str(value)


def _outputs_html(outputs: list[dict]) -> str:
    parts = []
    for out in outputs:
        data = out.get("data", {})
        if "text/html" in data:
            parts.append("".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"])
        elif "image/png" in data:
            parts.append(f'<img alt="figuur" src="data:image/png;base64,{data["image/png"]}">')
        elif "text/plain" in data or out.get("output_type") == "stream":
            text = data.get("text/plain", out.get("text", ""))
            parts.append(f"<pre>{html.escape(''.join(text) if isinstance(text, list) else text)}</pre>")
    return "".join(parts)


def _control_row(name: str, s: dict, value: str) -> str | None:
    """One row of the snapshot's table: the value a control holds; or, when nothing is chosen or typed,
    what a participant fills in on paper — the options to tick (a list with nothing chosen), long lines
    to write on (three for a text area) with the box's example above them, a date to fill in."""
    label = html.escape(s.get("description") or "")
    if value:
        return f"<tr><th>{label}</th><td>{html.escape(value)}</td></tr>"
    options = s.get("_options_labels")
    if options:
        items = "".join(f"<li>☐ {html.escape(str(o))}</li>" for o in options)
        return f'<tr><th>{label}</th><td><span class="noot">kruis aan</span><ul class="opties">{items}</ul></td></tr>'
    if name == "DatePickerModel":
        hint = "datum (dag, maand, jaar)"
    elif "placeholder" in s:  # a text box
        hint = (s.get("placeholder") or "").strip("\u200b ")  # ipywidgets' default is a zero-width space
    else:
        return None
    lines = '<span class="lijn"></span>' * (3 if name == "TextareaModel" else 1)
    example = f'<span class="noot">{html.escape(hint)}</span>' if hint else ""
    return f'<tr><th>{label}</th><td class="invul">{example}{lines}</td></tr>'


def widget_snapshot(state: dict, model_id: str) -> str:
    """Static HTML of what the widget ``model_id`` (and everything inside it) showed, from the saved
    widget state: a table of the chosen values (what is still open as options to tick and lines to fill
    in, :func:`_control_row`), then the HTML, labels and outputs it displayed."""
    choices, shown, seen = [], [], set()

    def visit(mid: str) -> None:
        if mid in seen or mid not in state:
            return
        seen.add(mid)
        model = state[mid]
        name, s = model.get("model_name", ""), model.get("state", {})
        if name in ("HTMLModel", "HTMLMathModel"):
            shown.append(s.get("value") or "")
        elif name == "LabelModel":
            shown.append(f"<p>{html.escape(str(s.get('value') or ''))}</p>")
        elif name == "OutputModel":
            shown.append(_outputs_html(s.get("outputs", [])))
        elif name == "ButtonModel":
            pass
        elif "description" in s and ("value" in s or "index" in s):
            row = _control_row(name, s, _choice(model))
            if row:
                choices.append(row)
        for child in s.get("children", []):
            if _ref(child):
                visit(_ref(child))

    visit(model_id)
    rows = "".join(choices)
    table = f'<table class="keuzes">{rows}</table>' if rows else ""
    return (f'{STYLE}<div class="kompas-momentopname"><p class="noot">{html.escape(SNAPSHOT_NOTE)}</p>'
            f'{table}{"".join(shown)}</div>')


def with_snapshots(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with a static snapshot output after every widget output (in place, returned)."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            outputs.append(out)
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view and view.get("model_id") in state:
                outputs.append(nbformat.v4.new_output(
                    "display_data", data={"text/html": widget_snapshot(state, view["model_id"])}))
        cell.outputs = outputs
    return nb


def read_notebook(notebook: Path) -> nbformat.NotebookNode:
    """The notebook in ``notebook``, or a KompasError saying why that file is not one (not JSON, not
    UTF-8, JSON without the notebook's parts)."""
    notebook = Path(notebook)
    what = (f"{notebook} is geen Jupyter-notebook" + (f" (het bestand eindigt op '{notebook.suffix}')"
                                                      if notebook.suffix.lower() != ".ipynb" else ""))
    advice = "Geef een .ipynb-bestand dat in JupyterLab opent, bv. een notebook uit notebooks/training."
    try:
        raw = notebook.read_bytes()
    except OSError as exc:
        raise KompasError(f"{notebook} is niet te lezen ({exc.strerror or exc}).") from None
    if not raw.strip():
        raise KompasError(f"{what}: het bestand is leeg. {advice}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KompasError(f"{what}: het is geen tekst in UTF-8 (misschien een ander soort bestand). {advice}") from None
    try:
        nb = nbformat.reads(text, as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise KeyError("cells")
    except nbformat.reader.NotJSONError:
        raise KompasError(f"{what}: de inhoud is geen notebook (JSON) maar gewone tekst of iets anders. "
                          f"{advice}") from None
    except (nbformat.ValidationError, KeyError, TypeError, ValueError, AttributeError):
        raise KompasError(f"{what}: de inhoud is JSON, maar niet in de vorm van een notebook (de cellen "
                          f"ontbreken of kloppen niet). {advice}") from None
    return nb


def make_handout(notebook: Path, out_dir: Path, *, timeout: float = 600) -> Path:
    """Run ``notebook`` (in its own folder), keep the widget state, add the snapshots and write
    ``<out_dir>/<name>.html`` atomically. A file that is not a notebook, a cell that fails or runs
    longer than ``timeout`` seconds, or a kernel that dies: a KompasError in Dutch, nothing written."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = Path(notebook)
    nb = read_notebook(notebook)
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                       extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no kernel chatter in English
                       resources={"metadata": {"path": str(notebook.parent)}}).execute()
    except CellTimeoutError:
        raise KompasError(f"hand-out van {notebook.name} niet gemaakt: een cel liep langer dan {timeout:g} seconden. "
                          "Verhoog --timeout, of kijk in JupyterLab wat die cel doet.") from None
    except DeadKernelError:
        raise KompasError(f"hand-out van {notebook.name} niet gemaakt: het rekenproces (kernel) stopte onverwacht, "
                          "bijvoorbeeld omdat het geheugen op was.") from None
    except CellExecutionError as exc:
        raise KompasError(f"hand-out van {notebook.name} niet gemaakt: een cel gaf een fout ({exc.ename}: "
                          f"{exc.evalue}). Open het notebook in JupyterLab en voer het uit om te zien welke.") from None
    return io.write_text(Path(out_dir) / f"{notebook.stem}.html", handout_html(nb))


def handout_html(nb: nbformat.NotebookNode) -> str:
    """The HTML of an executed notebook as a hand-out: the snapshots added, printable on A4."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(with_snapshots(nb))
    return body.replace("</head>", PRINT_STYLE + "\n</head>", 1)
