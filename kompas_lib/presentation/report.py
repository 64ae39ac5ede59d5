"""Where a report goes and what it looks like as HTML (no code, Dutch, printable, self-contained)."""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kompas_lib.analysis.section import Agenda
from kompas_lib.core import io, paths
from kompas_lib.presentation.workbook import TABLES_DIR as AGENDA_DIR  # emptied before every run


def slug(name: str) -> str:
    """'Súdwest-Fryslân' -> 'sudwest-fryslan'."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-zA-Z0-9]+", "-", s).strip("-").lower()
    return s or "regio"


def report_dir(code: str, name: str, root: Path | None = None) -> Path:
    return Path(root or paths.reports_dir()) / f"{code}-{slug(name)}"


# around a section for the analyst only (Section.for_analyst): the partners' report leaves it out
ANALYST_START, ANALYST_END = "<!--kompas-analist-->", "<!--/kompas-analist-->"
ANALYST_BANNER = (
    '<div class="kompas-analist-uitleg" role="note">Uitgave voor de analist: dit rapport bevat ook de aanwijzingen '
    "voor het aanleveren van eigen gegevens (gemarkeerd met 'Voor de analist'). Stuur partners het gewone rapport."
    "</div>")

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
table.kompas { border-collapse: collapse; margin: .5rem 0 1rem 0; font-size: .85rem; max-width: 100%;
  table-layout: auto; }
.jp-OutputArea-output { overflow-x: auto; }
table.kompas th, table.kompas td { border-bottom: 1px solid #DDD; padding: .25rem .6rem; vertical-align: top; }
table.kompas .num { text-align: right; }
table.kompas td.num { white-space: nowrap; }
table.kompas td.num, table.kompas th.num { width: 1%; }
table.kompas td.lang { min-width: 18em; }
table.kompas .txt { text-align: left; }
table.kompas caption { caption-side: bottom; text-align: left; color: #555; font-size: .8rem; padding-top: .3rem; }
.kompas-caption { color: #555; font-size: .8rem; }
img.kompas-figuur { max-width: 100%; height: auto; }
.kompas-voorblad { max-width: 72rem; padding: 1rem 0 2rem 0; }
.kompas-voorblad h1 { font-size: 2rem; margin-bottom: .2rem; }
.kompas-voorblad .kompas-meta { color: #444; }
nav.kompas-inhoud ol { line-height: 1.6; }
nav.kompas-inhoud > ol > li > a { font-weight: bold; font-size: 1rem; }
nav.kompas-inhoud ol ol { font-size: .9rem; font-weight: normal; }
nav.kompas-inhoud a { color: #0B4F8A; text-decoration: none; }
.kompas-analist { border-left: 4px solid #8A6D3B; background: #FBF8F1; padding: .3rem .8rem; margin: .5rem 0; }
.kompas-analist-kop { font-weight: bold; color: #8A6D3B; margin: .2rem 0; }
.kompas-analist-uitleg { background: #FBF8F1; border: 2px solid #8A6D3B; padding: .6rem 1rem; margin: .5rem 0 1rem 0; }
details.kompas-detail > summary { cursor: pointer; color: #0B4F8A; margin: .4rem 0; }
@media print {
  @page { size: A4; margin: 10mm 10mm; }
  :root { --jp-content-font-size0: 7.5pt; --jp-content-font-size1: 9pt; --jp-content-font-size2: 10.5pt;
          --jp-content-font-size3: 12pt; --jp-content-font-size4: 14pt; --jp-content-font-size5: 17pt;
          --jp-content-line-height: 1.35; }
  body { font-size: 9pt; }
  .jp-Cell { break-inside: auto; padding: 0; }
  /* nbconvert keeps every output on one page, which leaves half-empty pages before long tables */
  .jp-OutputArea-child { break-inside: auto !important; }
  .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li { font-size: 9pt; margin-bottom: .45em; }
  .jp-RenderedHTMLCommon h1 { font-size: 16pt; } .jp-RenderedHTMLCommon h2 { font-size: 13pt; }
  .jp-RenderedHTMLCommon h3 { font-size: 11pt; }
  .kompas-voorblad { font-size: 9pt; }
  .kompas-voorblad h1 { font-size: 18pt; }
  nav.kompas-inhoud ol { line-height: 1.25; margin-top: .2rem; margin-bottom: .2rem; }
  nav.kompas-inhoud > ol { columns: 3; font-size: 8pt; }
  nav.kompas-inhoud > ol > li > a { font-size: 8.5pt; }
  nav.kompas-inhoud ol ol { font-size: 8pt; }
  /* blocks follow each other without a forced page break (an empty block is one line) */
  h1, h2, h3, h4 { break-after: avoid; }
  img.kompas-figuur { break-inside: avoid; max-height: 66mm; max-width: 100%; width: auto; display: block; }
  table.kompas { font-size: 7pt; width: 100%; margin: .3rem 0 .6rem 0; }
  table.kompas th, table.kompas td { padding: .12rem .35rem; }
  table.kompas td.lang { min-width: 0; }  /* wide tables fit A4: long text wraps at word ends */
  table.kompas tr, table.kompas caption { break-inside: avoid; }
  .jp-OutputArea-output { overflow: visible; }
  .kompas-fictief { position: static; }
  details.kompas-detail::details-content { content-visibility: visible; display: block; }
  details.kompas-detail > summary { display: none; }
  details.kompas-detail table.kompas { font-size: 6.5pt; line-height: 1.2; }  /* reference tables: smaller, all there */
  details.kompas-detail table.kompas th, details.kompas-detail table.kompas td { padding: .05rem .3rem; }
}
</style>
"""


@dataclass(frozen=True)
class FrontPage:
    """What the front page of a report says: title, who made it, for which region, from which data."""

    title: str
    region: str
    code: str
    made: str  # date in Dutch words
    source: str  # 'CBS StatLine (offline kopie)' …
    organisation: str | None = None
    notes: list[str] = field(default_factory=list)  # data status lines (table dates, voorlopig …)
    agenda: list[tuple[str, str, str, str]] = field(default_factory=list)  # (blok, what stands out, met wie, vraag)
    agenda_rule: str = ""
    going_well: list[str] = field(default_factory=list)  # favourable signals, in words
    missing: list[str] = field(default_factory=list)  # one line per block without own data


AGENDA_FILE = "agenda.json"  # beside the shown tables
NO_AGENDA = ("Er staan geen signalen op de agenda: geen verschil valt buiten de gewone verschillen tussen "
             "gemeenten, geen ontwikkeling buigt duidelijk af en geen cijfer staat bij de 10 % hoogste of laagste "
             "gemeenten. Dat is ook een uitkomst: bespreek met partners of het beeld klopt met wat zij zien.")


def save_agenda(folder: Path, agenda: Agenda) -> Path:
    """Keep block 6's agenda for the front page (JSON, atomic): per item block, sentence, with whom and
    what is asked; what goes well; what is still missing. A favourable item is said once on the front
    page, under what goes well (block 6 keeps it on its agenda)."""
    def padded(values: tuple[str, ...]) -> list[str]:
        return list(values) + [""] * (len(agenda.items) - len(values))

    items = [{"blok": s.block, "onderwerp": s.subject, "soort": s.kind, "periode": s.period, "tekst": f or s.text,
              "sectie": s.section, "met_wie": w, "vraag": a}
             for s, w, f, a in zip(agenda.items, padded(agenda.who), padded(agenda.front), padded(agenda.ask))
             if s not in agenda.going_well]
    good = [{"blok": s.block, "tekst": s.text} for s in agenda.going_well]
    return io.write_json(Path(folder) / AGENDA_DIR / AGENDA_FILE,
                         {"items": items, "gaat_goed": good, "nog_niet": list(agenda.missing)})


@dataclass(frozen=True)
class FrontAgenda:
    """What the front page takes from block 6: the agenda items (blok, sentence, met wie, vraag), the
    line shown instead when there are none, what goes well, and what is still missing."""

    items: list[tuple[str, str, str, str]] = field(default_factory=list)
    rule: str = ""
    going_well: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def load_agenda(folder: Path) -> FrontAgenda:
    """Block 6's agenda for the front page; empty when block 6 did not run."""
    f = Path(folder) / AGENDA_DIR / AGENDA_FILE
    if not f.is_file():
        return FrontAgenda()
    data = json.loads(f.read_text(encoding="utf-8"))
    items = [(str(i["blok"]), i["tekst"], i.get("met_wie", ""), i.get("vraag", "")) for i in data["items"]]
    return FrontAgenda(items, "" if items else NO_AGENDA, [g["tekst"] for g in data.get("gaat_goed", [])],
                       list(data.get("nog_niet", [])))


def ascii_id(text: str) -> str:
    """A plain anchor id from a heading: 'Blok 1 · Staat van de jeugd' -> 'blok-1-staat-van-de-jeugd'."""
    return slug(html_lib.unescape(re.sub(r"<[^>]+>", "", text))) or "sectie"


def _headings(html: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Give h1/h2 plain ids and return them: (html, [(level, id, text)])."""
    found, used = [], set()

    def repl(m):
        level, attrs, inner = int(m.group(1)), m.group(2), m.group(3)
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip()
        hid = ascii_id(text)
        while hid in used:
            hid += "-2"
        used.add(hid)
        found.append((level, hid, text))
        attrs = re.sub(r'\s*id="[^"]*"', "", attrs)
        return f'<h{level} id="{hid}"{attrs}>{inner}</h{level}>'

    html = re.sub(r"<h([12])([^>]*)>(.*?)</h\1>", repl, html, flags=re.S)
    return html, found


def front_page_html(front: FrontPage, headings: list[tuple[int, str, str]]) -> str:
    e = html_lib.escape
    meta = [f"{e(front.region)} ({e(front.code)})", f"gemaakt op {e(front.made)}", f"bron: {e(front.source)}"]
    if front.organisation:
        meta.insert(0, e(front.organisation))
    notes = "".join(f"<li>{e(n)}</li>" for n in front.notes)
    items, open_sub = [], False
    for level, hid, text in headings:
        if level == 1:
            if open_sub:
                items.append("</ol></li>")
                open_sub = False
            items.append(f'<li><a href="#{hid}">{e(text)}</a>')
            items.append("<ol>")
            open_sub = True
        elif open_sub:
            items.append(f'<li><a href="#{hid}">{e(text)}</a></li>')
    if open_sub:
        items.append("</ol></li>")
    glance = ""
    if front.agenda or front.agenda_rule or front.going_well or front.missing:
        glance = "<h2>In één oogopslag</h2>"
        if front.going_well:
            glance += ("<h3>Wat gaat goed</h3><ul>" + "".join(f"<li>{e(t)}</li>" for t in front.going_well)
                       + "</ul>")
        if front.agenda:
            glance += ("<h3>Wat we met u willen bespreken</h3><p>De agenda van blok 6, in een vaste volgorde"
                       + (f" ({e(front.agenda_rule)})" if front.agenda_rule else "") + ":</p><ol>"
                       + "".join(f"<li><strong>Blok {e(b)}</strong> — {e(t)}"
                                 + (f"<br><em>Met wie:</em> {e(w)}" if w else "")
                                 + (f"<br><em>Vraag aan u:</em> {e(a)}" if a else "") + "</li>"
                                 for b, t, w, a in front.agenda) + "</ol>")
        elif front.agenda_rule:
            glance += f"<p>{e(front.agenda_rule)}</p>"
        if front.missing:
            glance += ("<h3>Wat we nog missen</h3><p>Wat we partners vragen aan te leveren, zodat het volgende "
                       "rapport er meer over kan zeggen:</p><ul>" + "".join(f"<li>{e(m)}</li>" for m in front.missing)
                       + "</ul>")
    return (f'<section class="kompas-voorblad"><h1>{e(front.title)}</h1>'
            f'<p class="kompas-meta">{" · ".join(meta)}</p>'
            + (f'<ul class="kompas-meta">{notes}</ul>' if notes else "") + glance
            + f'<nav class="kompas-inhoud" aria-label="Inhoud"><h2>Inhoud</h2><ol>{"".join(items)}</ol></nav>'
            "</section>")


def postprocess_html(html: str, fictitious: bool, front: FrontPage | None = None, *, analyst: bool = False) -> str:
    """Make the exported notebooks one report to mail: Dutch, no scripts (nothing loaded from the
    internet, nothing that runs), house CSS, plain heading ids, a front page with the table of
    contents, and — for demo data — a banner on top. The partners' edition (the default) leaves out the
    sections for the analyst; ``analyst=True`` keeps them, under a banner that says so."""
    if not analyst:
        html = re.sub(re.escape(ANALYST_START) + ".*?" + re.escape(ANALYST_END), "", html, flags=re.S)
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S | re.I)
    html = re.sub(r'<link\b[^>]*href="https?://[^"]*"[^>]*>', "", html, flags=re.I)
    html = re.sub(r'<html lang="[^"]*"', '<html lang="nl"', html, count=1)
    html = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", html, flags=re.S)  # '¶' links with old ids
    html = html.replace("</head>", REPORT_CSS + "</head>", 1)
    html, headings = _headings(html)
    top = ((FICTIEF_BANNER if fictitious else "") + (ANALYST_BANNER if analyst else "")
           + (front_page_html(front, headings) if front else ""))
    if top:
        html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + top, html, count=1)
    return html
