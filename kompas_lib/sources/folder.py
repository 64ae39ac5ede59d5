"""Read CBS tables from a folder in snapshot layout, and choose which source to use."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kompas_lib.core import paths
from kompas_lib.core.errors import DataError, SourceUnavailable
from kompas_lib.sources.cbs_csv import read_raw

log = logging.getLogger(__name__)

HERINDELINGEN_FILE = "herindelingen.csv"
KINDS = ("snapshot", "live", "demo")
KIND_WORDS = {"snapshot": "de map met CBS-tabellen", "live": "de map met opgehaalde CBS-tabellen",
              "demo": "de map met demogegevens"}


@dataclass(frozen=True)
class FolderSource:
    root: Path
    kind: str  # snapshot | live | demo

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))

    @property
    def fictitious(self) -> bool:
        return self.kind == "demo"

    def table_file(self, table_id: str) -> Path | None:
        """The CSV of a table: ``<root>/<ID>/<ID>.csv``, else the only CSV in ``<root>/<ID>/``."""
        folder = self.root / table_id
        exact = folder / f"{table_id}.csv"
        if exact.is_file():
            return exact
        if folder.is_dir():
            csvs = sorted(folder.glob("*.csv"))
            if len(csvs) == 1:
                return csvs[0]
        return None

    def has_table(self, table_id: str) -> bool:
        return self.table_file(table_id) is not None

    def read_table(self, table_id: str) -> pd.DataFrame:
        f = self.table_file(table_id)
        if f is None:
            raise DataError(
                f"CBS-tabel {table_id} staat niet in {KIND_WORDS.get(self.kind, 'de map')} {self.root}. Haal haar op "
                f"met 'kompas fetch {table_id}' (internet nodig) of gebruik een kopie die haar wel heeft."
            )
        return read_raw(f, table_id)

    def metadata(self, table_id: str) -> dict:
        """Metadata JSON written by the live fetcher or the demo generator; minimal if absent."""
        f = self.root / table_id / f"{table_id}.json"
        meta = {"table_id": table_id, "source": self.kind}
        if f.is_file():
            try:
                meta.update(json.loads(f.read_text(encoding="utf-8")))
            except (OSError, TypeError, ValueError) as exc:  # JSON and decoding errors are ValueErrors
                where = f" (regel {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
                raise DataError(
                    f"CBS-tabel {table_id}: het bestand met de beschrijving van de tabel, {f}, is beschadigd{where}. "
                    f"Haal de tabel opnieuw op met 'kompas fetch {table_id} --refresh' (internet nodig) of gebruik "
                    "een andere kopie van de CBS-tabellen.") from None
        return meta

    def herindelingen(self) -> pd.DataFrame:
        """Municipal mergers: the folder's own ``herindelingen.csv`` (demo) or the package's (CBS)."""
        own = self.root / HERINDELINGEN_FILE
        f = own if own.is_file() else paths.PACKAGE_DATA / HERINDELINGEN_FILE
        try:
            df = pd.read_csv(f, sep=";", dtype=str, encoding="utf-8-sig").apply(lambda s: s.str.strip())
            df["jaar"] = df["jaar"].astype(int)
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:  # pandas parse errors are ValueErrors
            what = f"kolom {exc} ontbreekt" if isinstance(exc, KeyError) else "de inhoud klopt niet"
            raise DataError(
                f"Het bestand met gemeentelijke herindelingen {f} is niet te lezen ({what}). Het hoort "
                "een CSV-bestand met ';' te zijn met onder meer de kolommen jaar, oud_code, oud_naam, nieuw_code "
                "en soort; herstel het of gebruik een andere kopie.") from None
        return df


def choose_source(kind: str = "auto", *, cbs_dir: Path | None = None, fetch_missing: bool = True) -> FolderSource:
    """Pick the data source.

    ``auto``: a snapshot folder from ``KOMPAS_CBS_DIR`` if set; else a live cache in
    ``data/raw/cbs`` (fetching missing tables when CBS is reachable); else the demo data.
    """
    if kind not in ("auto", *KINDS):
        raise DataError(f"Onbekende gegevensbron '{kind}'; toegestaan: auto, snapshot, live, demo.")
    snapshot = cbs_dir or paths.snapshot_dir_from_env()
    if kind == "snapshot" or (kind == "auto" and snapshot):
        if not snapshot:
            raise SourceUnavailable(
                "Er is geen map met CBS-tabellen opgegeven. Zet KOMPAS_CBS_DIR op een map met CBS-tabellen "
                "(<map>/<TABELID>/<TABELID>.csv), bijvoorbeeld KOMPAS_CBS_DIR=../shared/data/cbs."
            )
        if not Path(snapshot).is_dir():
            what = "een bestand, geen map" if Path(snapshot).exists() else "een map die niet bestaat"
            raise SourceUnavailable(
                f"KOMPAS_CBS_DIR wijst naar {snapshot}; dat is {what}. Verbeter het pad (de map met per tabel een "
                "map <TABELID>/<TABELID>.csv), of haal KOMPAS_CBS_DIR weg om CBS online te gebruiken (zonder "
                "internet: de demogegevens)."
            )
        return FolderSource(Path(snapshot), "snapshot")
    if kind in ("live", "auto"):
        from kompas_lib.core.registry import load_registry
        from kompas_lib.sources.live import cbs_reachable, fetch_tables

        cache = paths.live_cache_dir()
        wanted = load_registry().all_table_ids()
        reachable = cbs_reachable() if (kind == "live" or fetch_missing) else False
        if reachable and fetch_missing:
            missing = [t for t in wanted if not (cache / t / f"{t}.json").is_file()]
            if missing:
                fetch_tables(missing, cache)
        if reachable or (cache.is_dir() and any(cache.iterdir())):
            return FolderSource(cache, "live")
        if kind == "live":
            raise SourceUnavailable(
                "CBS is niet bereikbaar (geen internet, of de website van CBS is uit de lucht) en er zijn nog geen "
                "tabellen opgehaald in data/raw/cbs. Zet KOMPAS_CBS_DIR op een map met CBS-tabellen, of gebruik "
                "--bron demo."
            )
        log.warning("CBS is niet bereikbaar en er is geen map met CBS-tabellen: de fictieve demogegevens "
                    "(Demoland) worden gebruikt.")
    from kompas_lib.sources.demoland import generate_demo

    demo = paths.demo_dir()
    generate_demo(demo)
    return FolderSource(demo, "demo")
