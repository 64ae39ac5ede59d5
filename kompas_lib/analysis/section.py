"""What a block shows, in one shape: a :class:`Section`.

Section builders (``kompas_lib.analysis.sections``) return sections; the presentation layer shows
them (``kompas_lib.presentation.notebook.show``) and draws their figure specification
(``kompas_lib.analysis.figures``, drawn by ``kompas_lib.presentation.render.draw``). A table holds
typed cells (``kompas_lib.analysis.cells``), never formatted strings of numbers. A section holds no
matplotlib, IPython or file objects, so a builder can be tested on a fact table alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kompas_lib.analysis.figures import FigureSpec


@dataclass(frozen=True)
class Signal:
    """Something that stands out, for the conversation with partners ('wat valt op')."""

    block: int
    subject: str  # the indicator, result or provider measure it is about (Dutch title)
    kind: str  # verschil | trendbreuk | niet op koers | niet meetbaar | witte vlek | buiten de grenzen
    period: str
    text: str  # the Dutch sentence shown to partners
    section: str  # id of the section that shows the figures behind it
    tone: str = "vraag"  # gunstig | ongunstig | vraag (no direction is better): what the front page sorts by


@dataclass(frozen=True)
class Agenda:
    """Block 6's agenda as data: the signals for the next conversation, in agenda order, with whom
    to discuss each (``who``) and what is asked of them (``ask``); what goes well (favourable signals);
    and what the report still misses (one line per block without own data). The notebook saves it
    beside the report and the front page reads it from there (never from a shown table)."""

    items: tuple[Signal, ...] = ()
    who: tuple[str, ...] = ()
    # each item as the front page says it: a provider is never named there (that is for the conversation
    # with the provider itself); empty: the item's own sentence
    front: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    going_well: tuple[Signal, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """One piece of a block: plain Dutch text, a table of typed cells, the data behind it, a figure.

    Shown in this order: heading (only when ``heading`` > 0), ``text``, figure, table with its caption
    (``source`` first when there is no figure, whose caption already names it), ``note``.
    ``data`` is exported as ``<id>.csv``; it never holds cells below the privacy threshold.
    """

    id: str
    title: str
    text: str = ""
    table: pd.DataFrame | None = None
    caption: str = ""
    data: pd.DataFrame | None = None
    figure: FigureSpec | None = None
    source: str = ""
    note: str = ""
    signals: tuple[Signal, ...] = ()
    heading: int = 0
    detail: bool = False  # a reference table: folded away in the report (opens on click), not printed
    row_links: tuple[str | None, ...] = ()  # per table row: id of the section its first cell links to
    agenda: Agenda | None = None  # block 6's agenda section only: its items, for the front page
    # how-to for the analyst (a template's columns, where a file goes): shown in the notebook and in the
    # analyst's edition of the report, left out of the report partners read
    for_analyst: bool = False

    @property
    def table_caption(self) -> str:
        parts = [self.caption] if self.figure is not None else [self.source, self.caption]
        return " ".join(p for p in parts if p)
