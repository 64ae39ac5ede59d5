"""Where a report goes and what it looks like as HTML (no code, Dutch, printable, self-contained)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kompas_lib.core import paths


def slug(name: str) -> str:
    """'Súdwest-Fryslân' -> 'sudwest-fryslan'."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-zA-Z0-9]+", "-", s).strip("-").lower()
    return s or "regio"


def report_dir(code: str, name: str, root: Path | None = None) -> Path:
    return Path(root or paths.reports_dir()) / f"{code}-{slug(name)}"


FICTIEF_BANNER = (
    '<div class="kompas-fictief" role="note">FICTIEVE GEGEVENS – dit rapport gebruikt verzonnen '
    "cijfers voor Demoland (oefen- en trainingsdata). Het zegt niets over een echte gemeente.</div>"
)

REPORT_CSS = """
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; }
.jp-Cell, .jp-OutputArea { max-width: 72rem; }
.kompas-fictief { background: #FFF3CD; border: 2px solid #B8860B; color: #5C4400; padding: .6rem 1rem;
  font-weight: bold; margin: .5rem 0 1rem 0; }
table.kompas { border-collapse: collapse; margin: .5rem 0 1rem 0; font-size: .85rem; max-width: 100%; }
.jp-OutputArea-output { overflow-x: auto; }
table.kompas th, table.kompas td { border-bottom: 1px solid #DDD; padding: .25rem .6rem; vertical-align: top; }
table.kompas .num { text-align: right; }
table.kompas td.num { white-space: nowrap; }
table.kompas .txt { text-align: left; }
table.kompas caption { caption-side: bottom; text-align: left; color: #555; font-size: .8rem; padding-top: .3rem; }
.kompas-caption { color: #555; font-size: .8rem; }
img.kompas-figuur { max-width: 100%; height: auto; }
@media print { .jp-Cell { break-inside: avoid; } .kompas-fictief { position: static; } }
</style>
"""


def postprocess_html(html: str, fictitious: bool) -> str:
    """Add house CSS and, for demo data, a banner on top of every report page."""
    html = html.replace("</head>", REPORT_CSS + "</head>", 1)
    if fictitious:
        html = re.sub(r"(<body[^>]*>)", r"\1" + FICTIEF_BANNER, html, count=1)
    return html
