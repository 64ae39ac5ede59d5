"""Fetch CBS tables live with ``cbsodata`` into the raw cache (snapshot layout).

``fetch_table('85098NED', cache)`` writes

* ``<cache>/85098NED/85098NED.csv`` — ``pandas.DataFrame(cbsodata.get_data(id))`` with ``;``, UTF-8 BOM
  (dimension codes already replaced by their titles by cbsodata, numbers typed);
* ``<cache>/85098NED/85098NED.json`` — table id, title, CBS ``Modified`` date, period, status
  (voorlopig/definitief from the Perioden metadata), fetch time, catalog, number of rows.

The CSV is written before the JSON, both atomically: a JSON means a complete CSV. Network errors and
server errors are retried with exponential backoff; an unknown table is not.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import cbsodata
import pandas as pd
import requests

from kompas_lib.core import io
from kompas_lib.core.errors import DataError, SourceUnavailable

log = logging.getLogger(__name__)
DEFAULT_CATALOG = "opendata.cbs.nl"
RETRY_STATUS = {429, 500, 502, 503, 504}


def _status_code(exc: Exception) -> int | None:
    for e in (exc, exc.__cause__):
        resp = getattr(e, "response", None)
        if resp is not None:
            return resp.status_code
    return None


def _with_https(use_https: bool, fn: Callable, *args, **kwargs):
    """Call a cbsodata function with ``options.use_https`` set, restoring it afterwards."""
    old = cbsodata.options.use_https
    cbsodata.options.use_https = use_https
    try:
        return fn(*args, **kwargs)
    finally:
        cbsodata.options.use_https = old


def is_cached(table_id: str, cache_dir: Path) -> bool:
    folder = Path(cache_dir) / table_id
    return (folder / f"{table_id}.csv").is_file() and (folder / f"{table_id}.json").is_file()


def _download(table_id: str, catalog_url: str, use_https: bool, timeout: float) -> tuple[pd.DataFrame, dict]:
    kw = {"catalog_url": catalog_url, "timeout": timeout}
    info = _with_https(use_https, cbsodata.get_info, table_id, **kw)
    data = _with_https(use_https, cbsodata.get_data, table_id, **kw)
    try:
        perioden = _with_https(use_https, cbsodata.get_meta, table_id, "Perioden", **kw)
        statuses = {str(p.get("Status", "")).lower() for p in perioden}
        status = "voorlopig" if any("voorlopig" in s for s in statuses) else ("definitief" if statuses else None)
    except (requests.RequestException, KeyError, ValueError):
        status = None
    return pd.DataFrame(data), {"title": info.get("Title"), "modified": info.get("Modified"),
                                "period": info.get("Period"), "status": status}


def fetch_table(table_id: str, cache_dir: Path, *, catalog_url: str | None = None, use_https: bool = True,
                retries: int = 3, backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep,
                refresh: bool = False, timeout: float = 60.0) -> Path:
    """Fetch one table into ``cache_dir`` (skipped when cached unless ``refresh``); returns the CSV path."""
    cache_dir = Path(cache_dir)
    csv = cache_dir / table_id / f"{table_id}.csv"
    if not refresh and is_cached(table_id, cache_dir):
        return csv
    catalog = catalog_url or DEFAULT_CATALOG
    last: Exception | None = None
    for attempt in range(retries + 1):
        try:
            df, meta = _download(table_id, catalog, use_https, timeout)
            break
        except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as exc:
            code = _status_code(exc)
            if code == 404:
                raise DataError(
                    f"CBS kent tabel {table_id} niet. Controleer het tabel-id in kompas_lib/data/tables.yml (CBS "
                    "vervangt soms een tabel door een nieuwe met een ander id).") from None
            if code is not None and code not in RETRY_STATUS:
                raise SourceUnavailable(f"CBS weigert tabel {table_id} te leveren (HTTP-fout {code}). Probeer het "
                                        "later opnieuw, of gebruik een kopie van de CBS-tabellen "
                                        "(KOMPAS_CBS_DIR).") from None
            last = exc
            if attempt < retries:
                delay = backoff * 2 ** attempt
                log.info("CBS not reachable for %s (%s); retry in %.0f s", table_id, exc, delay)
                sleep(delay)
    else:
        raise SourceUnavailable(
            f"CBS is niet bereikbaar voor tabel {table_id} ({retries + 1} keer geprobeerd: {type(last).__name__}). "
            "Er is geen internetverbinding, of de website van CBS is uit de lucht. Probeer het later opnieuw, zet "
            "KOMPAS_CBS_DIR op een map met een kopie van de CBS-tabellen, of werk zonder netwerk met de fictieve "
            "demogegevens.")
    if df.empty:
        raise DataError(f"CBS gaf geen enkele rij voor tabel {table_id}. Probeer het later opnieuw; blijft de tabel "
                        "leeg, controleer dan het tabel-id in kompas_lib/data/tables.yml.")
    io.write_csv(df, csv, sep=";", encoding="utf-8-sig", index=False)
    io.write_json(cache_dir / table_id / f"{table_id}.json", {
        "table_id": table_id, **meta, "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "source": "cbsodata", "catalog_url": catalog, "n_rows": int(len(df))})
    return csv


def fetch_tables(table_ids: Iterable[str], cache_dir: Path, **kwargs) -> dict[str, Path | Exception]:
    """Fetch several tables with a progress bar; one failing table does not stop the others."""
    from tqdm.auto import tqdm

    results: dict[str, Path | Exception] = {}
    bar = tqdm(list(table_ids), desc="CBS-tabellen ophalen", unit="tabel")
    for table_id in bar:
        bar.set_postfix_str(table_id)
        try:
            results[table_id] = fetch_table(table_id, cache_dir, **kwargs)
        except (DataError, SourceUnavailable) as exc:
            log.warning("%s", exc)
            results[table_id] = exc
    return results


def cbs_reachable(catalog_url: str | None = None, timeout: float = 3.0, use_https: bool = True) -> bool:
    """One quick request to the CBS catalogue; never raises."""
    url = f"{'https' if use_https else 'http'}://{catalog_url or DEFAULT_CATALOG}/ODataCatalog/Tables?$format=json&$top=1"
    try:
        return requests.get(url, timeout=timeout).status_code < 500
    except requests.RequestException:
        return False
