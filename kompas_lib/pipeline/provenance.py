"""Are the prepared data the data this run asks for? Prepare again, or stop, before any report.

``prepare.json`` records what the facts were made from: the kind of source, its folder and a
fingerprint of the raw files in it (:class:`~kompas_lib.core.prepare_info.PrepareInfo`). A run asks
for a source with ``--bron`` (auto, snapshot, live, demo) and ``KOMPAS_CBS_DIR``. Before any report:

* nothing (or half of it) prepared: prepare from the source asked for;
* prepared from what is asked, and its raw files unchanged: use them;
* prepared from what is asked, but its raw files changed since (a table fetched again, another
  snapshot copied into the folder): prepare again from the same folder;
* prepared from another source than the one asked for (``KOMPAS_CBS_DIR`` set after the demo was
  prepared, or pointing at another snapshot; ``--bron demo`` on data prepared from CBS): prepare again
  from the source asked for, and say so;
* the source asked for cannot be used (``KOMPAS_CBS_DIR`` points nowhere, ``--bron snapshot`` without
  it, ``--bron live`` without internet or tables): stop with a message that says what is prepared and
  what was asked; no report is made.

``--bron auto`` without ``KOMPAS_CBS_DIR`` asks for nothing in particular: the data prepared last
are used (and prepared again when their raw files changed). Which folder counts as the same: for a
snapshot and the live cache the folder itself; any Demoland folder is Demoland (it is generated
byte for byte the same).

The check reads no table: it compares folders and :func:`~kompas_lib.core.prepare_info.raw_fingerprint`
(sizes and times of the raw files), a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kompas_lib.core import paths
from kompas_lib.core.errors import SourceUnavailable
from kompas_lib.core.prepare_info import FILE, PrepareInfo, raw_fingerprint
from kompas_lib.sources import FolderSource, choose_source

KIND_WORDS = {"snapshot": "de CBS-kopie", "live": "de opgehaalde CBS-tabellen",
              "demo": "de fictieve demogegevens (Demoland)"}


@dataclass(frozen=True)
class Asked:
    """The source a run asks for: its kind, its folder (None: any folder of that kind) and how it was
    asked ('--bron demo', 'KOMPAS_CBS_DIR', …)."""

    kind: str
    root: Path | None
    how: str

    def words(self) -> str:
        where = f" in {self.root}" if self.root is not None else ""
        return f"{KIND_WORDS.get(self.kind, self.kind)}{where} ({self.how})"


@dataclass(frozen=True)
class Plan:
    """What to do before the reports: ``source`` to prepare from (None: use what is prepared) and why
    (a line for the console, '' when nothing needs saying)."""

    source: FolderSource | None
    reason: str = ""


def prepared_info(processed: Path | None = None) -> PrepareInfo | None:
    """The record of the prepared data, or None when nothing (or only part of it) is prepared: the
    facts, the regions and prepare.json (written last) must all be there."""
    processed = Path(processed or paths.processed_dir())
    if not all((processed / f).is_file() for f in ("facts.parquet", "regions.parquet", FILE)):
        return None
    return PrepareInfo.read(processed)


def _same_folder(a: Path | str, b: Path | str) -> bool:
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


def asked_source(bron: str, info: PrepareInfo | None) -> Asked | None:
    """The source ``--bron`` and ``KOMPAS_CBS_DIR`` ask for; None for 'auto' without KOMPAS_CBS_DIR
    (whatever is prepared). Raises SourceUnavailable when what is asked cannot be used, with what is
    prepared in the message. Never goes online."""
    env = paths.snapshot_dir_from_env()
    now = f" Voorbereid zijn nu {info.describe()}; daarmee is geen rapport gemaakt." if info else ""
    if bron == "snapshot" or (bron == "auto" and env):
        how = "--bron snapshot" if bron == "snapshot" else "KOMPAS_CBS_DIR"
        if env is None:
            if info is not None and info.source.kind == "snapshot":
                return Asked("snapshot", None, how)  # any snapshot: the one prepared
            raise SourceUnavailable("U vroeg om een CBS-kopie (--bron snapshot), maar KOMPAS_CBS_DIR is niet gezet. "
                                    "Zet KOMPAS_CBS_DIR op de map met CBS-tabellen (<map>/<TABELID>/<TABELID>.csv)."
                                    + now)
        if not env.is_dir():
            what = "een bestand, geen map" if env.exists() else "een map die niet bestaat"
            instead = ("de al voorbereide gegevens te gebruiken" if info else
                       "CBS online te gebruiken (zonder internet: de demogegevens)")
            raise SourceUnavailable(f"KOMPAS_CBS_DIR wijst naar {env}; dat is {what}. Verbeter het pad (de map met "
                                    f"per tabel een map <TABELID>/<TABELID>.csv), of haal KOMPAS_CBS_DIR weg om "
                                    f"{instead}." + now)
        return Asked("snapshot", env, how)
    if bron == "live":
        return Asked("live", paths.live_cache_dir(), "--bron live")
    if bron == "demo":
        return Asked("demo", None, "--bron demo")
    return None


def plan(bron: str = "auto", processed: Path | None = None) -> Plan:
    """Decide whether the prepared data in ``processed`` can be used for a run asking ``bron`` (see the
    module's docstring). Raises SourceUnavailable (a KompasError) to stop."""
    info = prepared_info(processed)
    asked = asked_source(bron, info)
    if info is None:
        return Plan(_source_for(asked, bron))
    src = info.source
    same = asked is None or (src.kind == asked.kind and (asked.root is None or _same_folder(src.root, asked.root)))
    if not same:
        return Plan(_source_for(asked, bron),
                    f"Voorbereid waren {info.describe()}; u vraagt om {asked.words()}. Die worden nu eerst "
                    "voorbereid.")
    root = Path(src.root) if src.root else None
    if root is None or not root.is_dir():
        if src.kind == "demo":  # Demoland is made again, the same
            return Plan(choose_source("demo"), f"De map met demogegevens {src.root} bestaat niet meer; Demoland "
                                               "wordt opnieuw gemaakt en voorbereid.")
        return Plan(None, f"Let op: de map {src.root} waaruit de gegevens zijn voorbereid, bestaat niet meer; de "
                          "eerder voorbereide gegevens worden gebruikt.")
    if raw_fingerprint(root) != src.fingerprint:
        why = ("zijn veranderd sinds ze zijn voorbereid" if src.fingerprint else
               "zijn voorbereid met een oudere versie van kompas, die niet vastlegde welke bestanden het waren")
        return Plan(FolderSource(root, src.kind), f"De tabellen in {root} {why}; de gegevens worden opnieuw "
                                                  "voorbereid.")
    return Plan(None)


def _source_for(asked: Asked | None, bron: str) -> FolderSource:
    """The folder to prepare from for what was asked (may fetch missing live tables or generate Demoland)."""
    if asked is not None and asked.kind == "snapshot":
        return FolderSource(asked.root, "snapshot") if asked.root is not None else choose_source("snapshot")
    return choose_source(asked.kind if asked is not None else bron)


def data_line(info: PrepareInfo) -> str:
    """One line saying which data the reports are made from."""
    return f"Gegevens: {info.describe()}."


__all__ = ["Asked", "Plan", "asked_source", "plan", "prepared_info", "data_line"]
