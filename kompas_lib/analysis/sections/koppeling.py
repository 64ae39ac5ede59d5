"""Block 6 — which rows of the gemeente's own files ``duiding`` and ``verbeteracties`` belong to which
signal of blocks 1–5.

A row names a signal by its block, its subject (or, for a result, its id alone: 'R2') and, in the
duiding file, its period; spaces and capitals do not count. :func:`duiding_of` gives a signal's latest
conversation; rows that match no signal in the current list are counted, so the report can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kompas_lib.analysis.scope import Scope
from kompas_lib.analysis.section import Signal
from kompas_lib.core import fmt
from kompas_lib.core.errors import DataError
from kompas_lib.core.periods import parse_period
from kompas_lib.sources.template_specs import DUIDINGSVRAGEN

AGREED_STATUS = ("open", "lopend", "afgerond")
NOT_DISCUSSED = "nog niet besproken"


def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


def _subject_keys(subject: str) -> set[str]:
    """A signal is named by its full subject or, for a result ('R2 · …'), by its id alone."""
    return {_norm(subject), _norm(str(subject).split(" · ")[0])}


def _period_keys(period: str) -> set[str]:
    keys = {_norm(period)}
    try:
        keys.add(_norm(parse_period(period).label))
    except (DataError, ValueError):
        pass
    return keys


def _matches(block: str, subject: str, period: str, sig: Signal) -> bool:
    if block and int(block) != sig.block:
        return False
    if _norm(subject) not in _subject_keys(sig.subject):
        return False
    return not period or _norm(period) in _period_keys(sig.period)


def _date_words(iso: str) -> str:
    return fmt.date_words(iso)


@dataclass(frozen=True)
class Duiding:
    """The latest conversation about one signal (rows of the duiding file with the same date)."""

    datum: str  # ISO date
    aanwezig: str
    answers: dict  # question column -> answer ('' when not answered)
    voices: tuple[tuple[str, str], ...]  # (rol, citaat)
    earlier: tuple[str, ...]  # ISO dates of earlier conversations


def _duiding_rows(scope: Scope) -> pd.DataFrame | None:
    own = scope.local.duiding
    return own.frame if own.present else None


def duiding_of(sig: Signal, rows: pd.DataFrame | None) -> Duiding | None:
    """What the duiding file says about a signal (its latest conversation), or None."""
    if rows is None or rows.empty:
        return None
    hit = rows[[_matches(b, o, p, sig) for b, o, p in zip(rows["blok"], rows["onderwerp"], rows["periode"])]]
    if hit.empty:
        return None
    latest = hit["datum"].max()
    now = hit[hit["datum"] == latest]
    answers = {q: " ".join(dict.fromkeys(a for a in now[q] if a)) for q in DUIDINGSVRAGEN}
    present = "; ".join(dict.fromkeys(a for a in now["aanwezig"] if a))
    voices = tuple((r, c) for r, c in zip(now["stem_rol"], now["stem_citaat"]) if c)
    earlier = tuple(sorted({d for d in hit["datum"] if d != latest}))
    return Duiding(latest, present, answers, voices, earlier)


def _unmatched(rows: pd.DataFrame | None, signals: list[Signal]) -> int:
    """How many rows of the duiding file belong to no signal in the current list."""
    if rows is None or rows.empty:
        return 0
    return sum(not any(_matches(b, o, p, s) for s in signals)
               for b, o, p in zip(rows["blok"], rows["onderwerp"], rows["periode"]))


def _unmatched_note(n: int) -> str:
    if not n:
        return ""
    regels = "regel" if n == 1 else "regels"
    hoort = "hoort" if n == 1 else "horen"
    return (f"{n} {regels} uit het bestand {hoort} bij signalen die nu niet in de lijst staan (bijvoorbeeld uit een "
            "vorige cyclus, of een onderwerp dat anders gespeld is).")


def _discussed_cell(d: Duiding | None) -> str:
    return f"ja, {_date_words(d.datum)}" if d else NOT_DISCUSSED


def _has_action(sig: Signal, actions: pd.DataFrame | None) -> bool:
    if actions is None or actions.empty:
        return False
    agreed = actions[actions["status"].isin(AGREED_STATUS)]
    return any(_matches(b, o, "", sig) for b, o in zip(agreed["blok"], agreed["onderwerp"]))


def _actions(scope: Scope) -> pd.DataFrame | None:
    own = scope.local.verbeteracties
    return own.frame if own.present else None
