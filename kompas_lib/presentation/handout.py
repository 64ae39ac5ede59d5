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
         "margin:.6rem 0;background:#F7F9FB}.kompas-momentopname table.keuzes :is(th,td){text-align:left;"
         "padding-right:1rem}.kompas-momentopname table.keuzes th{font-weight:600}.kompas-momentopname .noot{color:#4A5561;font-style:italic}</style>")


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


def widget_snapshot(state: dict, model_id: str) -> str:
    """Static HTML of what the widget ``model_id`` (and everything inside it) showed, from the saved
    widget state: a table of the chosen values (empty text boxes as lines to fill in), then the HTML, labels and outputs it displayed."""
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
            value = _choice(model)
            hint = (s.get("placeholder") or "").strip("\u200b ")  # ipywidgets' default is a zero-width space
            if value or "placeholder" in s:  # an empty text box is a line to fill in on paper
                choices.append((s.get("description") or "", value, hint))
        for child in s.get("children", []):
            if _ref(child):
                visit(_ref(child))

    visit(model_id)
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" if v else
                   f'<tr><th>{html.escape(k)}</th><td class="noot">{html.escape(hint)} ……………………</td></tr>'
                   for k, v, hint in choices)
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
    from nbconvert import HTMLExporter

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
    body, _ = HTMLExporter().from_notebook_node(with_snapshots(nb))
    return io.write_text(Path(out_dir) / f"{notebook.stem}.html", body)
