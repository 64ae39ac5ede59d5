"""What prepared data were made from: one typed value for ``data/processed/prepare.json``.

``prepare`` writes it; everything that needs to know the source of the facts (fictitious or not,
which tables, their CBS dates, the demo folder with Demoland's own files) reads this value instead
of digging in the JSON. It records exactly what the facts were made from: the kind of source, its
folder and a fingerprint of the raw files in it (:func:`raw_fingerprint`), so a run can tell whether
the prepared data are still the data it is asked to use (:mod:`kompas_lib.pipeline.provenance`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from kompas_lib.core import fmt
from kompas_lib.core.errors import DataError

FILE = "prepare.json"
SOURCE_KINDS = {"snapshot": "CBS StatLine (offline kopie)", "live": "CBS StatLine (online opgehaald)",
                "demo": "fictieve gegevens (Demoland)"}
REGULATION_FOLDER = "passend_onderwijs"  # the samenwerkingsverbanden's regulation (sources.passend_onderwijs)
REGULATION = "BWBR0032324"


def local_day(stamp: object) -> str:
    """The day of an ISO time stamp on this computer's clock, 'YYYY-MM-DD' ('' when it is none): a table
    fetched at 00:30 in the Netherlands has ``fetched_at`` 23:30 UTC of the day before, and belongs to the
    day the user fetched it (``prepared_at`` is local time too)."""
    from datetime import datetime

    text = str(stamp or "").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text[:10] if len(text) >= 10 and text[4:5] == "-" else ""
    return (moment.astimezone() if moment.tzinfo else moment).date().isoformat()


def regulation_folder(root: Path | None) -> Path | None:
    """The folder with the regulation of the samenwerkingsverbanden passend onderwijs for the source folder
    ``root``: its own ``passend_onderwijs`` (Demoland writes one), else the one beside it (as in the shared
    data folder, and ``data/raw/passend_onderwijs`` beside CBS online); None when neither holds the
    regulation. Prepare reads it from here, and :func:`raw_fingerprint` covers it."""
    if root is None:
        return None
    root = Path(root)
    for candidate in (root / REGULATION_FOLDER, root.parent / REGULATION_FOLDER):
        if (candidate / REGULATION).is_dir():
            return candidate
    return None


def _json_modified(f: Path) -> str:
    """The 'modified' date a table's JSON description holds (CBS's own date), '' without one."""
    try:
        meta = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "?"
    return str(meta.get("modified") or meta.get("Modified") or "") if isinstance(meta, dict) else ""


def raw_fingerprint(root: Path) -> str:
    """A fingerprint of the raw files in a source folder: the name, size and modification time of
    every file in it and one level down (``<root>/<TABLEID>/<TABLEID>.csv``, the tables' JSON
    descriptions, a demo's own files and ``herindelingen.csv``), with the 'modified' date CBS put
    in each JSON, and of every file of the regulation folder that prepare reads the samenwerkingsverbanden
    from (:func:`regulation_folder`, in or beside ``root``, at any depth), hashed. It reads no table, so
    it takes milliseconds for a 60 MB snapshot; a table fetched again, a file copied over another, a
    new version of the regulation or another folder gives another fingerprint. Hidden files (temporary
    files of a download) do not count. '' when ``root`` is not a folder."""
    root = Path(root)
    if not root.is_dir():
        return ""
    h = hashlib.sha256()
    for f in sorted([*root.glob("*"), *root.glob("*/*")]):
        rel = f.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        try:
            st = f.stat()
        except OSError:
            continue
        if not f.is_file():
            continue
        line = f"{rel.as_posix()}\t{st.st_size}\t{st.st_mtime_ns}"
        if f.suffix.lower() == ".json" and st.st_size < 10_000_000:
            line += "\t" + _json_modified(f)
        h.update(line.encode("utf-8", "surrogateescape") + b"\n")
    regulation = regulation_folder(root)
    if regulation is not None:  # beside the folder: not reached by the loop above
        for f in sorted(regulation.rglob("*")):
            rel = f.relative_to(regulation)
            if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                continue
            try:
                st = f.stat()
            except OSError:
                continue
            line = f"{REGULATION_FOLDER}/{rel.as_posix()}\t{st.st_size}\t{st.st_mtime_ns}"
            h.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class SourceInfo:
    kind: str = ""  # snapshot | live | demo
    root: str = ""  # the folder the raw tables were read from
    fictitious: bool = False
    fingerprint: str = ""  # raw_fingerprint(root) when the tables were read; '' for data prepared before it existed

    @property
    def label(self) -> str:
        """The source in words for the report: 'CBS StatLine (offline kopie)', 'fictieve gegevens (Demoland)'."""
        return SOURCE_KINDS.get(self.kind, self.kind or "onbekend")

    @property
    def folder_name(self) -> str:
        return Path(self.root).name if self.root else ""


def _frozen(d: Mapping | None) -> dict:
    return dict(d or {})


@dataclass(frozen=True)
class PrepareInfo:
    """The record of one preparation (see :func:`kompas_lib.prepare.facts.prepare`)."""

    source: SourceInfo = SourceInfo()
    tables_used: tuple[str, ...] = ()
    tables_absent: tuple[str, ...] = ()
    gebieden_tables: tuple[str, ...] = ()
    table_metadata: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: _frozen({}))
    table_labels: Mapping[str, str] = field(default_factory=lambda: _frozen({}))  # CBS id -> shown id (demo)
    unmatched_region_titles: tuple[str, ...] = ()
    indicators_skipped: tuple[Mapping[str, Any], ...] = ()
    n_facts: int = 0
    seconds: float = 0.0
    prepared_at: str = ""  # local time the preparation finished, 'YYYY-MM-DD HH:MM:SS'

    @property
    def fictitious(self) -> bool:
        return self.source.fictitious

    @property
    def demo_root(self) -> Path | None:
        """Demoland's folder (its own files, herindelingen); None for CBS data."""
        return Path(self.source.root) if self.source.fictitious and self.source.root else None

    def table_label(self, table_id: str) -> str:
        return self.table_labels.get(table_id, table_id)

    def fetch_days(self) -> list[str]:
        """The local days ('YYYY-MM-DD', sorted) on which the tables used were fetched from CBS; empty for a
        snapshot or Demoland."""
        return sorted(d for d in (local_day(m.get("fetched_at")) for m in self.table_metadata.values()) if d)

    def modified_range(self) -> tuple[str, str] | None:
        """First and last date on which CBS changed the tables used (None without dates)."""
        dates = sorted(str(m.get("modified"))[:10] for m in self.table_metadata.values() if m.get("modified"))
        return (dates[0], dates[-1]) if dates else None

    def describe(self) -> str:
        """What the data are, for a message: 'CBS StatLine (offline kopie) uit /data/cbs (voorbereid op
        2026-12-03 om 14:05)'."""
        where = f" uit {self.source.root}" if self.source.root else ""
        when = ""
        if self.prepared_at:
            day, _, clock = self.prepared_at.partition(" ")
            when = f" (voorbereid op {day}" + (f" om {clock[:5]}" if clock else "") + ")"
        return f"{self.source.label}{where}{when}"

    def to_json(self) -> dict:
        """The JSON form written to ``prepare.json`` (Dutch key ``fictief`` kept for existing folders)."""
        return {
            "source": {"kind": self.source.kind, "root": self.source.root, "fictief": self.source.fictitious,
                       "fingerprint": self.source.fingerprint},
            "prepared_at": self.prepared_at,
            "gebieden_tables": list(self.gebieden_tables),
            "tables_used": list(self.tables_used),
            "tables_absent": list(self.tables_absent),
            "table_metadata": {k: dict(v) for k, v in self.table_metadata.items()},
            "table_labels": dict(self.table_labels),
            "unmatched_region_titles": list(self.unmatched_region_titles),
            "indicators_skipped": [dict(s) for s in self.indicators_skipped],
            "n_facts": self.n_facts,
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "PrepareInfo":
        src = d.get("source") or {}
        return cls(
            source=SourceInfo(str(src.get("kind") or ""), str(src.get("root") or ""), bool(src.get("fictief")),
                              str(src.get("fingerprint") or "")),
            prepared_at=str(d.get("prepared_at") or ""),
            tables_used=tuple(d.get("tables_used") or ()),
            tables_absent=tuple(d.get("tables_absent") or ()),
            gebieden_tables=tuple(d.get("gebieden_tables") or ()),
            table_metadata=_frozen({k: _frozen(v) for k, v in (d.get("table_metadata") or {}).items()}),
            table_labels=_frozen(d.get("table_labels")),
            unmatched_region_titles=tuple(d.get("unmatched_region_titles") or ()),
            indicators_skipped=tuple(_frozen(s) for s in d.get("indicators_skipped") or ()),
            n_facts=int(d.get("n_facts") or 0),
            seconds=float(d.get("seconds") or 0.0),
        )

    @classmethod
    def read(cls, processed: Path) -> "PrepareInfo":
        """Read ``prepare.json`` of a processed folder, with a Dutch message when it is missing or damaged."""
        f = Path(processed) / FILE
        try:
            return cls.from_json(json.loads(f.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise DataError(f"De voorbereide gegevens in {processed} zijn niet compleet ({FILE} ontbreekt). "
                            "Bereid ze opnieuw voor met 'kompas prepare'.") from None
        except (ValueError, AttributeError, TypeError) as e:
            raise DataError(f"{f} is beschadigd ({e}). Bereid de gegevens opnieuw voor met 'kompas prepare'.") from None


__all__ = ["PrepareInfo", "SourceInfo", "SOURCE_KINDS", "FILE", "REGULATION", "REGULATION_FOLDER", "raw_fingerprint",
           "regulation_folder"]


def source_label(info) -> str:
    """The source of a report's data, on its front page and under each block's title. Tables fetched from
    CBS say when: 'CBS StatLine (live opgehaald op 3 maart 2026)' when every table was fetched on the day
    the data were prepared, else 'CBS StatLine (eerder opgehaalde kopie van 12 februari 2026)' with the
    oldest fetch date (days on this computer's clock); other sources as :attr:`SourceInfo.label`
    ('CBS StatLine (offline kopie)', 'fictieve gegevens (Demoland)')."""
    fetched = info.fetch_days()
    if info.source.kind != "live" or not fetched:
        return info.source.label
    try:
        first = fmt.date_words(fetched[0])
    except ValueError:
        return info.source.label
    if fetched[0] == fetched[-1] == info.prepared_at[:10]:
        return f"CBS StatLine (live opgehaald op {first})"
    return f"CBS StatLine (eerder opgehaalde kopie van {first})"
