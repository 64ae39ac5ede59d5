"""The batch index: ``reports/index.html`` lists every report the batches made, with its status and,
for a failure, the reason in Dutch; ``reports/index.json`` keeps that state from batch to batch.

The page is self-contained (no scripts, nothing loaded from elsewhere), Dutch (``lang="nl"``) and
styled with the report's own CSS (:data:`kompas_lib.presentation.report.REPORT_CSS`). Every text
that comes from users or data (codes, names, messages, paths) is escaped. Both files are written
atomically.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from urllib.parse import quote

from kompas_lib.core import fmt, io, paths
from kompas_lib.pipeline.run import RunResult
from kompas_lib.presentation.report import REPORT_CSS

TITLE = "Kwaliteitskompas jeugd — rapporten"
STATUSES = ("gelukt", "niets veranderd", "mislukt")

# what the index needs beyond the report's CSS: the page's margins and the status of a row
INDEX_CSS = """
<style>
body { margin: 1.5rem 2rem; color: #222; }
main.kompas-index { max-width: 72rem; }
main.kompas-index h1 { font-size: 2rem; margin-bottom: .4rem; }
main.kompas-index .kompas-meta { color: #444; }
table.kompas thead th { border-bottom: 2px solid #888; text-align: left; }
table.kompas thead th.num { text-align: right; }
table.kompas td.kompas-reden { white-space: pre-line; }
table.kompas td.kompas-status, table.kompas td.kompas-tijd { white-space: nowrap; }
table.kompas tr.kompas-mislukt td { background: #FDECEA; }
table.kompas tr.kompas-mislukt td.kompas-status { color: #8B1A10; font-weight: bold; }
table.kompas tr.kompas-niets-veranderd td.kompas-status { color: #555; }
main.kompas-index a { color: #0B4F8A; }
</style>
"""


def _status(s: dict) -> str:
    return s.get("status") or ("gelukt" if s["ok"] else "mislukt")


def update_state(state: dict, results: list[RunResult], root: Path) -> dict:
    """The index's state with this batch's results: a skipped report keeps its earlier entry (status
    'niets veranderd'), every other code gets this run's result."""
    for r in results:
        if r.skipped and r.code in state:
            state[r.code]["status"] = "niets veranderd"
            state[r.code]["name"] = r.name or state[r.code].get("name", "")
            continue
        state[r.code] = {"ok": r.ok, "report": str(r.report.relative_to(root)) if r.report else None,
                         "message": r.message, "time": time.strftime("%Y-%m-%d %H:%M"), "name": r.name,
                         "status": "niets veranderd" if r.skipped else ("gelukt" if r.ok else "mislukt"),
                         "seconds": round(r.seconds, 1)}
    return state


def _row(code: str, s: dict) -> str:
    e = html.escape
    status = _status(s)
    if s.get("report"):
        href = quote(str(s["report"]).replace("\\", "/"))
        what = f'<td class="txt"><a href="{e(href)}">rapport openen</a></td>'
    else:
        what = f'<td class="txt lang kompas-reden">{e(s.get("message") or "")}</td>'
    seconds = fmt.number(s.get("seconds"), 1) if s.get("seconds") is not None else ""
    return (f'<tr class="kompas-{e(status.replace(" ", "-"))}"><td class="txt">{e(code)}</td>'
            f'<td class="txt">{e(s.get("name") or "")}</td><td class="txt kompas-status">{e(status)}</td>{what}'
            f'<td class="txt kompas-tijd">{e(str(s.get("time") or ""))}</td><td class="num">{e(seconds)}</td></tr>')


def index_html(state: dict) -> str:
    """The index page of ``state`` (code -> entry of index.json): failures first, with their reason."""
    counts = {k: sum(1 for s in state.values() if _status(s) == k) for k in STATUSES}
    n = len(state)
    rows = "".join(_row(code, s) for code, s in sorted(state.items(), key=lambda kv: (kv[1]["ok"], kv[0])))
    header = "".join(f'<th scope="col" class="{cls}">{label}</th>' for label, cls in (
        ("Code", "txt"), ("Naam", "txt"), ("Status", "txt"), ("Rapport of reden", "txt"), ("Gemaakt", "txt"),
        ("Seconden", "num")))
    return ("<!doctype html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(TITLE)}</title>\n{REPORT_CSS}{INDEX_CSS}</head>\n<body>\n"
            f'<main class="kompas-index">\n<h1>{html.escape(TITLE)}</h1>\n'
            f'<p class="kompas-meta">{n} rapport{"en" if n != 1 else ""}: {counts["gelukt"]} gemaakt, '
            f'{counts["niets veranderd"]} ongewijzigd (niets veranderd sinds de vorige keer), '
            f'{counts["mislukt"]} mislukt. Mislukte rapporten staan bovenaan, met de reden.</p>\n'
            '<table class="kompas">\n<caption>Gemaakt: de laatste keer dat het rapport gemaakt is (of dat het is '
            "geprobeerd). Seconden: hoe lang dat duurde.</caption>\n"
            f"<thead><tr>{header}</tr></thead>\n<tbody>{rows}</tbody>\n</table>\n</main>\n</body>\n</html>\n")


def write_index(results: list[RunResult]) -> Path:
    """reports/index.html: every report of this batch with its status (kept from earlier batches)."""
    root = paths.reports_dir()
    state_file = root / "index.json"
    state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.is_file() else {}
    io.write_json(state_file, update_state(state, results, root))
    return io.write_text(root / "index.html", index_html(state))
