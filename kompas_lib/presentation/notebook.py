"""What a notebook needs to stay thin: one call to start, small helpers to show results.

    ctx = nb.start(gemeente, params_file)
    nb.header(ctx, "Staat van de jeugd")
    nb.figure(ctx, fig, data, "jeugdhulp_trend")

Everything shown goes through these helpers, so formats, captions, privacy and exports are the
same in every block.
"""

from __future__ import annotations

import html
import json
import logging
import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from kompas_lib.analysis.methods.benchmarks import Focus
from kompas_lib.core import fmt, io, paths
from kompas_lib.core.errors import DataError
from kompas_lib.core.registry import Registry, load_registry
from kompas_lib.prepare.facts import load_facts, load_regions
from kompas_lib.prepare.regions import COUNTRY_CODE
from kompas_lib.presentation.report import report_dir


@dataclass
class Context:
    params: object
    facts: pd.DataFrame
    regions: pd.DataFrame
    registry: Registry
    focus: Focus
    names: dict[str, str]
    prepare_info: dict
    out_dir: Path
    params_path: Path | None = None
    exports: list[str] = field(default_factory=list)

    def own_file(self, configured: str | None, demo_name: str) -> Path | None:
        """A gemeente's own data file: the params value (relative to the params file), or — with the
        demo data — the demo's file of that name."""
        if configured:
            p = Path(configured)
            return p if p.is_absolute() else ((self.params_path.parent / p) if self.params_path else p).resolve()
        if self.fictitious:
            demo = Path(self.prepare_info["source"]["root"]) / demo_name
            return demo if demo.is_file() else None
        return None

    def ind(self, indicator: str) -> pd.DataFrame:
        """The facts of one indicator (split once; the full table has millions of rows)."""
        if not hasattr(self, "_by_indicator"):
            self._by_indicator = dict(tuple(self.facts.groupby("indicator", sort=False)))
        return self._by_indicator.get(indicator, self.facts.iloc[0:0])

    @property
    def fictitious(self) -> bool:
        return bool(self.prepare_info.get("source", {}).get("fictief"))

    @property
    def threshold(self) -> int:
        return int(self.params.privacy.drempel)


def region_catalogue(facts: pd.DataFrame, regions: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """code -> (name, level) for every region in the data."""
    cat = {}
    latest = regions.sort_values("jaar").drop_duplicates("gemeente_code", keep="last")
    for r in latest.itertuples(index=False):
        cat[r.gemeente_code] = (r.gemeente_naam, "gemeente")
    named = facts[["region_code", "region_name", "region_level"]].drop_duplicates("region_code", keep="last")
    for r in named.itertuples(index=False):
        cat.setdefault(r.region_code, (r.region_name, r.region_level))
    return cat


def _quiet() -> None:
    warnings.filterwarnings("ignore")
    logging.getLogger().setLevel(logging.ERROR)
    pd.set_option("display.max_rows", 200)


def start(gemeente: str, params_file: str | None = None, *, processed: Path | None = None) -> Context:
    """Load params, facts and regions for one gemeente or jeugdregio; prepare data if needed."""
    from kompas_lib.core.params import load_params

    _quiet()
    processed = Path(processed or paths.processed_dir())
    if not (processed / "facts.parquet").is_file():
        from kompas_lib.prepare.facts import prepare
        from kompas_lib.sources import choose_source

        prepare(choose_source("auto"), processed, progress=False)
    facts, regions = load_facts(processed), load_regions(processed)
    info = json.loads((processed / "prepare.json").read_text(encoding="utf-8"))
    cat = region_catalogue(facts, regions)
    params = load_params(Path(params_file) if params_file else None, gemeente,
                         known_regions={c: n for c, (n, _) in cat.items()})
    code = params.gemeente
    if code not in cat:
        raise DataError(f"There are no figures for {code} in the prepared data.")
    name, level = cat[code]
    focus = Focus(code, params.naam or name, level)
    ctx = Context(params, facts, regions, load_registry(), focus, {c: n for c, (n, _) in cat.items()},
                  info, report_dir(code, focus.name), Path(params_file) if params_file else None)
    return ctx


def md(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def header(ctx: Context, block_title: str) -> None:
    src = ctx.prepare_info.get("source", {})
    kind = {"snapshot": "CBS StatLine (offline kopie)", "live": "CBS StatLine (opgehaald met cbsodata)",
            "demo": "fictieve gegevens (Demoland)"}.get(src.get("kind"), src.get("kind"))
    lines = [f"# {block_title} — {ctx.focus.name}",
             f"*Kwaliteitskompas jeugd · {ctx.focus.name} ({ctx.focus.code}) · bron: {kind} · "
             f"gemaakt op {fmt_date(date.today())}*"]
    if ctx.fictitious:
        lines.insert(1, "> **Fictieve gegevens.** Alle cijfers in dit rapport zijn verzonnen voor oefening en "
                        "training (Demoland). Ze zeggen niets over een echte gemeente.")
    md("\n\n".join(lines))


MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]


def fmt_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def export(ctx: Context, data: pd.DataFrame, name: str) -> Path:
    """Write the data behind a figure or table as CSV beside the report (Dutch Excel-friendly)."""
    target = ctx.out_dir / "data" / f"{name}.csv"
    io.write_csv(data, target, sep=";", decimal=",", encoding="utf-8-sig")
    ctx.exports.append(str(target))
    return target


def figure(ctx: Context, fig, data: pd.DataFrame, name: str) -> None:
    """Show a figure as an embedded PNG with its title as alt text, and export its data."""
    import base64

    from IPython.display import HTML, display

    from kompas_lib.presentation.render import to_png

    title = fig.axes[0].get_title() if fig.axes else name
    export(ctx, data, name)
    png = base64.b64encode(to_png(fig)).decode("ascii")
    display(HTML(f'<img class="kompas-figuur" src="data:image/png;base64,{png}" alt="{html.escape(title)}">'))


NUMERIC_CELL = (r"^(–|[<>]?\u00a0?[−+-]?(€\u00a0)?[\d.,]+(\u00a0%| per 1\.000)?|[\d,]+–[\d,]+"
                r"|\d{4}(-H[12])?)$")


def table(df: pd.DataFrame, caption: str | None = None) -> None:
    """Show an already formatted (string) table in the house style."""
    from IPython.display import HTML, display

    numeric = [bool(len(df)) and df[c].astype(str).str.match(NUMERIC_CELL).all() for c in df.columns]
    align = ["num" if n else "txt" for n in numeric]
    head = "".join(f'<th class="{a}">{html.escape(str(c))}</th>' for c, a in zip(df.columns, align))
    rows = "".join("<tr>" + "".join(f'<td class="{a}">{html.escape(str(v))}</td>' for v, a in zip(r, align))
                   + "</tr>" for r in df.itertuples(index=False))
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    display(HTML(f'<table class="kompas">{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'))


def sources_appendix(ctx: Context, tables: list[str]) -> None:
    """Appendix 'bronnen en definities' for the CBS tables a block used."""
    meta = ctx.prepare_info.get("table_metadata", {})
    rows = []
    for t in dict.fromkeys(tables):
        m = meta.get(t, {})
        concept = next((c.titel for c in ctx.registry.concepts.values() if any(s.id == t for s in c.tables)), "")
        rows.append({"Tabel": t, "Onderwerp": m.get("title") or concept,
                     "Gewijzigd bij CBS": m.get("modified", "–"), "Opgehaald": m.get("fetched_at", "–")})
    table(pd.DataFrame(rows), "Bron: CBS StatLine, open data (CC BY 4.0)." if not ctx.fictitious
          else "Bron: fictieve gegevens (Demoland), gemaakt door de demogenerator.")


__all__ = ["start", "header", "md", "figure", "table", "export", "sources_appendix", "COUNTRY_CODE", "fmt"]
