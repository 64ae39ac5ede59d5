"""Fetch CBS tables live into the raw cache (snapshot layout), from OData v4 or else OData v3.

``fetch_table('85098NED', cache)`` writes

* ``<cache>/85098NED/85098NED.csv`` — the table as ``pandas.DataFrame(cbsodata.get_data(id))`` gives it,
  ``;``-separated, UTF-8 with BOM (dimension titles, v3 keys as column names, numbers typed), whichever
  API served it;
* ``<cache>/85098NED/85098NED.json`` — table id, title, CBS ``Modified`` date, period, status
  (voorlopig/definitief), fetch time, number of rows, and which API (``api``) and URL (``url``) served it.

CBS's OData v4 service (:mod:`.live_v4`, ``datasets.cbs.nl/odata/v1``) is tried first; a table it
does not serve, an outage of it, or a table whose measures differ from v3 (:mod:`.live_keys`) falls
back to OData v3 through ``cbsodata`` (:mod:`.live_v3`). The CSV is written before the JSON, both
atomically: a JSON means a complete CSV. Every request is retried with exponential backoff; an
unknown table is not. A v4 fetch that breaks keeps its pages and goes on from there the next time.

The addresses can be set with ``KOMPAS_CBS_V4_URL`` (e.g. ``https://datasets.cbs.nl/odata/v1``) and
``KOMPAS_CBS_V3_URL`` (e.g. ``https://opendata.cbs.nl``), for a mirror or a stand-in during tests.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit

import pandas as pd
import requests

from kompas_lib.core import io, paths
from kompas_lib.core.errors import DataError, SourceUnavailable
from kompas_lib.core.prepare_info import local_day
from kompas_lib.sources import live_keys, live_v3, live_v4
from kompas_lib.sources.live_v3 import DEFAULT_CATALOG

log = logging.getLogger(__name__)
RETRY_STATUS = live_v4.RETRY_STATUS
API_WORDS = {"v4": "OData v4", "v3": "OData v3"}
API_NAMES = {"v4": "de nieuwe koppeling van CBS (OData v4)", "v3": "de oude koppeling van CBS (OData v3)"}
SILENT_BEFORE = "eerder geen antwoord"  # an API not asked again in this fetch (see fetch_tables)
Progress = Callable[[str, str, int, int, "int | None"], None]


@dataclass(frozen=True)
class Endpoints:
    """Where the two APIs live: the v3 host (``opendata.cbs.nl``) and the v4 base URL."""

    v3_host: str = DEFAULT_CATALOG
    use_https: bool = True
    v4_url: str = live_v4.DEFAULT_V4_URL

    @classmethod
    def resolve(cls, catalog_url: str | None = None, use_https: bool = True,
                v4_url: str | None = None) -> "Endpoints":
        """Arguments first, then ``KOMPAS_CBS_V3_URL`` / ``KOMPAS_CBS_V4_URL``, then CBS's addresses. A
        v3 host given without a v4 URL serves both (``<host>/odata/v1``), as a local stand-in does."""
        env3, env4 = os.environ.get("KOMPAS_CBS_V3_URL"), os.environ.get("KOMPAS_CBS_V4_URL")
        if catalog_url is None and env3:
            parts = urlsplit(env3 if "://" in env3 else f"https://{env3}")
            catalog_url, use_https = parts.netloc, parts.scheme == "https"
        if v4_url is None:
            v4_url = env4 or (f"{'https' if use_https else 'http'}://{catalog_url}/odata/v1" if catalog_url
                              else live_v4.DEFAULT_V4_URL)
        return cls(catalog_url or DEFAULT_CATALOG, use_https, v4_url.rstrip("/"))


@dataclass
class FetchResult:
    table_id: str
    api: str = ""  # 'v4' | 'v3' | 'cache' | '' (failed)
    url: str = ""
    rows: int = 0
    pages: int = 0
    notes: tuple[str, ...] = ()
    error: Exception | None = None
    path: Path | None = None
    fetched_at: str = ""
    unanswered: tuple[str, ...] = ()  # APIs that gave no answer after their retries (another one delivered)

    @property
    def ok(self) -> bool:
        return self.error is None


def is_cached(table_id: str, cache_dir: Path) -> bool:
    folder = Path(cache_dir) / table_id
    return (folder / f"{table_id}.csv").is_file() and (folder / f"{table_id}.json").is_file()


def _header(csv: Path) -> list[str] | None:
    try:
        return list(pd.read_csv(csv, sep=";", encoding="utf-8-sig", nrows=0).columns)
    except (OSError, ValueError):
        return None


def _known_layout(table_id: str, cache_dir: Path, ep: Endpoints, use_v3: bool, timeout: float):
    """v3 keys (with titles where known) and dimension order for a table fetched from v4; see live_keys."""
    if use_v3:
        props = live_v3.data_properties(table_id, ep.v3_host, ep.use_https, min(timeout, 10.0))
        if props:
            return props[0], props[1], "v3 DataProperties"
    snapshot = paths.snapshot_dir_from_env()
    for folder in (Path(cache_dir), snapshot):
        if folder is None:
            continue
        cols = _header(folder / table_id / f"{table_id}.csv")
        if cols and live_keys.measure_keys_in_header(cols):
            return ([(k, None) for k in live_keys.measure_keys_in_header(cols)],
                    live_keys.dimensions_in_header(cols), f"kopie in {folder}")
    return None, None, "titels"


def _via_v4(table_id, cache_dir, ep, http, progress, use_v3, timeout):
    work = Path(cache_dir) / table_id / live_v4.PARTIAL
    table = live_v4.download(table_id, ep.v4_url, http, work,
                             (lambda p, r, t: progress(table_id, "v4", p, r, t)) if progress else None)
    known, dims, keys_from = _known_layout(table_id, cache_dir, ep, use_v3, timeout)
    keys = live_keys.match_keys(table_id, table.measures, known)
    df = live_v4.to_wide(table, keys, live_v4.dimension_order(table, dims))
    p = table.properties
    meta = {"title": p.get("Title"), "modified": p.get("Modified"), "period": p.get("TemporalCoverage"),
            "status": table.period_status, "source": "CBS OData v4", "api": API_WORDS["v4"], "url": table.url,
            "catalog_url": ep.v4_url, "pages": table.pages, "n_observations": len(table.observations),
            "keys_from": keys_from}
    return df, meta, work


def _via_v3(table_id, ep, retries, backoff, sleep, timeout):
    reason = ""
    for attempt in range(retries + 1):
        try:
            df, meta = live_v3.download(table_id, ep.v3_host, ep.use_https, timeout)
            break
        except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as exc:
            code = live_v3.status_code(exc)
            if code == 404:
                raise live_v4.NotServed(table_id) from None
            if code is not None and code not in RETRY_STATUS:
                raise live_v4.Refused(table_id, code) from None
            reason = f"HTTP {code}" if code else type(exc).__name__
            if attempt < retries:
                delay = backoff * 2 ** attempt
                log.info("CBS OData v3 not reachable for %s (%s); retry in %.0f s", table_id, exc, delay)
                sleep(delay)
    else:
        raise live_v4.Unreachable(table_id, reason)
    url = live_v3.feed_url(table_id, ep.v3_host, ep.use_https)
    return df, {**meta, "source": "cbsodata", "api": API_WORDS["v3"], "url": url, "catalog_url": ep.v3_host}


def _reason_words(reason: str) -> str:
    if reason.startswith("HTTP "):
        return "HTTP-fout " + reason[5:]
    if "Timeout" in reason:
        return "geen antwoord binnen de wachttijd"
    if reason == "NotServed":
        return "kent de tabel niet"
    if reason == SILENT_BEFORE:
        return "gaf eerder in deze ronde geen antwoord"
    return {"ConnectionError": "geen verbinding", "geen JSON": "onleesbaar antwoord"}.get(reason, reason)


def _failure(table_id: str, errors: dict[str, Exception], tries: int) -> Exception:
    """One Dutch message for a table no API delivered."""
    changed = [e for e in errors.values() if isinstance(e, live_keys.MeasuresChanged)]
    if errors and all(isinstance(e, live_v4.NotServed) for e in errors.values()):
        return DataError(f"CBS kent tabel {table_id} niet. Controleer het tabel-id in kompas_lib/data/tables.yml (CBS "
                         "vervangt soms een tabel door een nieuwe met een ander id).")
    if changed:
        return DataError(f"De onderwerpen van CBS-tabel {table_id} zijn in de nieuwe koppeling (OData v4) anders dan "
                         f"in de oude ({'; '.join(changed[0].details)}), en de oude koppeling (OData v3) levert de "
                         "tabel nu niet. De eerder opgehaalde tabel blijft staan; probeer het later opnieuw of "
                         "controleer de kolommen in kompas_lib/data/tables.yml.")
    refused = [e for e in errors.values() if isinstance(e, live_v4.Refused)]
    if refused and len(refused) == len(errors):
        return SourceUnavailable(f"CBS weigert tabel {table_id} te leveren (HTTP-fout {refused[0].status}). Probeer "
                                 "het later opnieuw, of gebruik een kopie van de CBS-tabellen (KOMPAS_CBS_DIR).")
    how = ", ".join(f"{API_WORDS[a]}: {_reason_words(getattr(e, 'reason', '') or type(e).__name__)}"
                    for a, e in errors.items())
    return SourceUnavailable(
        f"CBS is niet bereikbaar voor tabel {table_id} ({how}; {tries} keer geprobeerd). Er is geen "
        "internetverbinding, of CBS is uit de lucht. Probeer het later opnieuw, zet KOMPAS_CBS_DIR op een map met "
        "een kopie van de CBS-tabellen, of werk zonder netwerk met de fictieve demogegevens.")


def fetch_one(table_id: str, cache_dir: Path, *, catalog_url: str | None = None, use_https: bool = True,
              v4_url: str | None = None, apis: Iterable[str] = ("v4", "v3"), retries: int = 3,
              backoff: float = 1.0, sleep: Callable[[float], None] | None = None, refresh: bool = False,
              timeout: float = 60.0, progress: Progress | None = None, silent: Iterable[str] = ()) -> FetchResult:
    """Fetch one table into ``cache_dir`` (skipped when cached unless ``refresh``); raises a Dutch
    :class:`DataError` or :class:`SourceUnavailable` when no API delivers it. ``silent``: APIs that gave
    no answer earlier in this fetch; they count as unreachable without being asked."""
    cache_dir = Path(cache_dir)
    csv = cache_dir / table_id / f"{table_id}.csv"
    if not refresh and is_cached(table_id, cache_dir):
        meta = json.loads((csv.with_suffix(".json")).read_text(encoding="utf-8") or "{}")
        return FetchResult(table_id, "cache", str(meta.get("url") or ""), int(meta.get("n_rows") or 0),
                           path=csv, fetched_at=str(meta.get("fetched_at") or ""))
    ep = Endpoints.resolve(catalog_url, use_https, v4_url)
    apis = tuple(apis)
    sleep = sleep or time.sleep
    http = live_v4.Http(timeout=timeout, retries=retries, backoff=backoff, sleep=sleep)
    errors: dict[str, Exception] = {}
    notes: list[str] = []
    work = None
    for api in apis:
        if api in silent:
            errors[api] = live_v4.Unreachable(table_id, SILENT_BEFORE)
            continue
        try:
            if api == "v4":
                df, meta, work = _via_v4(table_id, cache_dir, ep, http, progress, "v3" in apis, timeout)
            else:
                df, meta = _via_v3(table_id, ep, retries, backoff, sleep, timeout)
            break
        except live_keys.MeasuresChanged as exc:
            errors[api] = exc
            notes.append(f"Tabel {table_id}: de onderwerpen verschillen tussen de nieuwe en de oude koppeling van CBS "
                         f"({'; '.join(exc.details)}); de tabel is uit de oude koppeling (OData v3) gehaald.")
        except (live_v4.NotServed, live_v4.Unreachable, live_v4.Refused) as exc:
            errors[api] = exc
    else:
        raise _failure(table_id, errors, retries + 1)
    v4_failed = errors.get("v4") if "v4" not in silent else None
    if api != "v4" and v4_failed is not None and not isinstance(v4_failed, live_keys.MeasuresChanged):
        reason = "levert deze tabel niet" if isinstance(errors["v4"], live_v4.NotServed) else "gaf geen antwoord"
        notes.append(f"Tabel {table_id}: de nieuwe koppeling van CBS (OData v4) {reason}; de oude (OData v3) wel.")
    if df.empty:
        raise DataError(f"CBS gaf geen enkele rij voor tabel {table_id}. Probeer het later opnieuw; blijft de tabel "
                        "leeg, controleer dan het tabel-id in kompas_lib/data/tables.yml.")
    fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    io.write_csv(df, csv, sep=";", encoding="utf-8-sig", index=False)
    io.write_json(cache_dir / table_id / f"{table_id}.json",
                  {"table_id": table_id, **meta, "fetched_at": fetched_at, "n_rows": int(len(df))})
    if work is not None:
        live_v4.clear_partial(work)
    unanswered = tuple(a for a, e in errors.items() if isinstance(e, live_v4.Unreachable) and a not in silent)
    return FetchResult(table_id, api, meta["url"], int(len(df)), int(meta.get("pages") or 0), tuple(notes),
                       path=csv, fetched_at=fetched_at, unanswered=unanswered)


def fetch_table(table_id: str, cache_dir: Path, **kwargs) -> Path:
    """Fetch one table (see :func:`fetch_one`); returns the CSV path."""
    return fetch_one(table_id, cache_dir, **kwargs).path


def print_progress(table_id: str, api: str, pages: int, rows: int, total: int | None) -> None:
    """Progress of a v4 fetch on stderr: one line per table, rewritten per page on a terminal."""
    of = f" van {fmt_int(total)}" if total else ""
    line = f"  {table_id}: {API_WORDS[api]}, pagina {pages}, {fmt_int(rows)}{of} waarnemingen"
    if sys.stderr.isatty():
        print("\r" + line, end="", file=sys.stderr, flush=True)
    else:
        log.info(line)


def fetch_tables(table_ids: Iterable[str], cache_dir: Path, progress: Progress | None = print_progress,
                 on_done: Callable[[FetchResult], None] | None = None, **kwargs) -> dict[str, FetchResult]:
    """Fetch several tables; one failing table does not stop the others. An API that gave no answer after
    its retries while the other one delivered the table is not asked again for the tables after it (with
    v4 down, each table would wait 1 + 2 + 4 s for it first)."""
    results: dict[str, FetchResult] = {}
    silent: set[str] = set()
    for table_id in table_ids:
        try:
            res = fetch_one(table_id, cache_dir, progress=progress, silent=frozenset(silent), **kwargs)
        except (DataError, SourceUnavailable) as exc:
            if on_done is None:  # else the caller shows it
                log.warning("%s", exc)
            res = FetchResult(table_id, error=exc)
        if res.unanswered:
            silent |= set(res.unanswered)
            names = " en ".join(API_NAMES[a] for a in res.unanswered)
            res.notes += (f"Na tabel {table_id} is {names} niet meer gevraagd, omdat die geen antwoord gaf.",)
        results[table_id] = res
        if on_done:
            on_done(res)
    return results


def fmt_int(n: int | None) -> str:
    return f"{int(n or 0):,}".replace(",", ".")


def result_line(r: FetchResult) -> str:
    if r.error is not None:
        return f"{r.table_id:<10} niet opgehaald: {r.error}"
    if r.api == "cache":
        return f"{r.table_id:<10} al opgehaald op {local_day(r.fetched_at) or '?'} ({fmt_int(r.rows)} rijen)"
    word = "pagina" if r.pages == 1 else "pagina's"
    pages = f", {r.pages} {word}" if r.pages else ""
    return f"{r.table_id:<10} {API_WORDS[r.api]:<9} {fmt_int(r.rows):>7} rijen{pages}  {r.url}"


def summary(results: dict[str, FetchResult]) -> list[str]:
    """The closing table: per table where it came from, then the notes (measures changed, fallbacks)."""
    lines = ["Tabel      Bron      Rijen", *[result_line(r) for r in results.values()]]
    counts = {k: sum(1 for r in results.values() if r.ok and r.api == k) for k in ("v4", "v3", "cache")}
    failed = sum(1 for r in results.values() if not r.ok)
    lines.append(f"{counts['v4']} uit OData v4, {counts['v3']} uit OData v3, {counts['cache']} al opgehaald, "
                 f"{failed} niet opgehaald.")
    lines += [n for r in results.values() for n in r.notes]
    return lines


def fallback_words(cache_dir: Path) -> str:
    """What a report uses when CBS does not answer, as choose_source('auto') decides it."""
    snapshot = paths.snapshot_dir_from_env()
    if snapshot and snapshot.is_dir():
        return f"de kopie van de CBS-tabellen in {snapshot} (KOMPAS_CBS_DIR)"
    dates = sorted(local_day(json.loads(f.read_text(encoding="utf-8")).get("fetched_at"))
                   for f in Path(cache_dir).glob("*/*.json") if f.stem == f.parent.name)
    dates = [d for d in dates if d]
    if dates:
        when = dates[0] if dates[0] == dates[-1] else f"{dates[0]} tot {dates[-1]}"
        return f"de eerder opgehaalde CBS-tabellen van {when} (in {cache_dir})"
    return "de fictieve gegevens van Demoland (oefengegevens, niet echt)"


def reachable_apis(catalog_url: str | None = None, timeout: float = 3.0, use_https: bool = True,
                   v4_url: str | None = None) -> list[str]:
    """Which APIs answer one quick request ('v4', 'v3'); never raises."""
    ep = Endpoints.resolve(catalog_url, use_https, v4_url)
    urls = {"v4": f"{ep.v4_url}/{live_v4.CATALOG}",
            "v3": f"{'https' if ep.use_https else 'http'}://{ep.v3_host}/ODataCatalog/Tables?$format=json&$top=1"}
    out = []
    for api, url in urls.items():
        try:
            if requests.get(url, timeout=timeout).status_code < 500:
                out.append(api)
        except requests.RequestException:
            pass
    return out


def cbs_reachable(catalog_url: str | None = None, timeout: float = 3.0, use_https: bool = True,
                  v4_url: str | None = None) -> bool:
    """Does OData v4 or v3 answer? Never raises."""
    return bool(reachable_apis(catalog_url, timeout, use_https, v4_url))
