"""CBS's OData v4 service (``https://datasets.cbs.nl/odata/v1/CBS/<TABLEID>``), read with plain ``requests``.

A v4 table is *long*: one observation per measure and dimension combination,
``{"Id": 0, "Measure": "M001924", "Value": 5.5, "ValueAttribute": "None", "Perioden": "2021HJ01",
"RegioS": "GM0344"}`` (text measures carry ``StringValue``), with the titles in separate lists:
``Properties`` (title, ``Modified``, ``TemporalCoverage``), ``Dimensions`` (identifier, kind),
``MeasureCodes`` (identifier, title, ``DataType``, ``Index``) and one ``<Dimension>Codes`` list per
dimension (identifier, title, ``Index``, ``Status`` for periods). Every list may be paged with
``@odata.nextLink``.

:func:`download` fetches all of it, page by page, each request retried with exponential backoff;
the observation pages are kept in a hidden folder beside the cache so a broken fetch goes on where
it stopped. :func:`to_wide` turns the observations into exactly the frame ``cbsodata`` makes from
the v3 ``TypedDataSet`` (see :mod:`.live_keys` for the column names), so the snapshot layout stays
the same whichever API served the table.

Why not the ``cbsodata4`` package: see docs/architecture.md ('CBS live: OData v4 en v3').
"""

from __future__ import annotations

import itertools
import json
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import requests

log = logging.getLogger(__name__)

DEFAULT_V4_URL = "https://datasets.cbs.nl/odata/v1"
CATALOG = "CBS"
RETRY_STATUS = {429, 500, 502, 503, 504}
INTEGER_TYPES = {"long", "integer", "int", "short", "int32", "int64"}
TEXT_TYPES = {"string", "text"}
PARTIAL = ".v4-onderweg"  # hidden: not part of the cache's fingerprint


class NotServed(Exception):
    """The v4 service answers but does not serve this table (HTTP 404)."""


class Unreachable(Exception):
    """No answer after all retries (connection errors, time-outs, 5xx)."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.reason = reason


class Refused(Exception):
    """A final HTTP error that retrying does not help (400, 401, 403 …)."""

    def __init__(self, url: str, status: int):
        super().__init__(f"{url}: HTTP {status}")
        self.status = status


@dataclass
class Http:
    """GET of one JSON document with retries and exponential backoff (1, 2, 4 … times ``backoff``)."""

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, url: str) -> dict:
        reason = ""
        for attempt in range(self.retries + 1):
            try:
                r = self.session.get(url, timeout=self.timeout, headers={"Accept": "application/json"})
                if r.status_code == 404:
                    raise NotServed(url)
                if r.status_code in RETRY_STATUS:
                    reason = f"HTTP {r.status_code}"
                elif r.status_code >= 400:
                    raise Refused(url, r.status_code)
                else:
                    r.encoding = "utf-8"
                    return json.loads(r.text)
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = type(exc).__name__
            except ValueError:  # not JSON: a proxy's error page, a cut-off answer
                reason = "geen JSON"
            if attempt < self.retries:
                delay = self.backoff * 2 ** attempt
                log.info("CBS OData v4: %s for %s; retry in %.0f s", reason, url, delay)
                self.sleep(delay)
        raise Unreachable(url, reason)

    def get_all(self, url: str) -> list[dict]:
        """All records of a (possibly paged) list."""
        out: list[dict] = []
        while url:
            doc = self.get(url)
            out.extend(doc.get("value") or [])
            url = doc.get("@odata.nextLink")
        return out


@dataclass
class V4Table:
    table_id: str
    url: str
    properties: dict
    dimensions: list[dict]
    codes: dict[str, list[dict]]
    measures: list[dict]
    observations: list[dict]
    pages: int

    @property
    def period_status(self) -> str | None:
        statuses = {str(c.get("Status") or "").lower() for d in self.dimensions if d.get("Kind") == "TimeDimension"
                    for c in self.codes.get(d["Identifier"], [])}
        statuses.discard("")
        if not statuses:
            return None
        return "voorlopig" if any("voorlopig" in s for s in statuses) else "definitief"


def table_url(base_url: str, table_id: str) -> str:
    return f"{base_url.rstrip('/')}/{CATALOG}/{table_id}"


def download(table_id: str, base_url: str, http: Http, work_dir: Path,
             progress: Callable[[int, int, int | None], None] | None = None) -> V4Table:
    """Fetch a table's lists and all observation pages. Pages already kept in ``work_dir`` by an
    earlier, broken fetch of the same version of the table are not fetched again."""
    root = table_url(base_url, table_id)
    props = http.get(f"{root}/Properties")  # NotServed when v4 does not have the table
    dims = http.get_all(f"{root}/Dimensions")
    measures = http.get_all(f"{root}/MeasureCodes")
    codes = {d["Identifier"]: http.get_all(f"{root}/{d['Identifier']}Codes") for d in dims}
    version = str(props.get("Version") or props.get("Modified") or "")
    total = props.get("ObservationCount")
    pages = _Pages(Path(work_dir), version)
    url = pages.next_url or f"{root}/Observations"
    while url:
        doc = http.get(url)
        url = doc.get("@odata.nextLink")
        pages.add(doc.get("value") or [], url)
        if progress:
            progress(pages.n, pages.rows, total)
    obs = pages.all()
    return V4Table(table_id, root, props, dims, codes, measures, obs, pages.n)


class _Pages:
    """Observation pages on disk (``page_00001.json`` …) with ``state.json`` holding the next link."""

    def __init__(self, folder: Path, version: str):
        self.folder = folder
        state = self._state()
        if state.get("version") != version or state.get("done"):
            shutil.rmtree(folder, ignore_errors=True)
            state = {}
        folder.mkdir(parents=True, exist_ok=True)
        self.version = version
        self.n = int(state.get("pages") or 0)
        self.rows = int(state.get("rows") or 0)
        self.next_url = state.get("next")
        if self.n:
            log.info("CBS OData v4: resuming after page %d (%d observations kept)", self.n, self.rows)

    def _state(self) -> dict:
        try:
            return json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def add(self, values: list[dict], next_url: str | None) -> None:
        self.n += 1
        self.rows += len(values)
        (self.folder / f"page_{self.n:05d}.json").write_text(json.dumps(values), encoding="utf-8")
        tmp = self.folder / "state.tmp"
        tmp.write_text(json.dumps({"version": self.version, "pages": self.n, "rows": self.rows, "next": next_url,
                                   "done": next_url is None}), encoding="utf-8")
        tmp.replace(self.folder / "state.json")

    def all(self) -> list[dict]:
        out: list[dict] = []
        for i in range(1, self.n + 1):
            out.extend(json.loads((self.folder / f"page_{i:05d}.json").read_text(encoding="utf-8")))
        return out


def clear_partial(work_dir: Path) -> None:
    shutil.rmtree(work_dir, ignore_errors=True)


def dimension_order(table: V4Table, known: list[str] | None = None) -> list[str]:
    """The dimensions in v3's column order: the order ``known`` from v3 or an earlier copy when it
    names the same dimensions, else v4's order with the time dimension last (as CBS orders v3 tables)."""
    ids = [d["Identifier"] for d in table.dimensions]
    if known and sorted(known) == sorted(ids):
        return list(known)
    return [d["Identifier"] for d in table.dimensions if d.get("Kind") != "TimeDimension"] + \
           [d["Identifier"] for d in table.dimensions if d.get("Kind") == "TimeDimension"]


def _typed(value, data_type: str):
    if value is None:
        return None
    t = data_type.lower()
    if t in TEXT_TYPES:
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if t in INTEGER_TYPES and number.is_integer() else number


def to_wide(table: V4Table, keys: dict[str, str], dims: list[str]) -> pd.DataFrame:
    """The observations as the frame ``pandas.DataFrame(cbsodata.get_data(id))`` gives for v3: one row
    per combination of dimension codes (all combinations, in code-list order, like TypedDataSet),
    columns ``ID``, the dimensions with their titles, then the measures under their v3 keys in
    ``MeasureCodes`` order, numbers typed by the measure's ``DataType``, no value = empty."""
    lists = []
    for d in dims:
        codes = sorted(table.codes.get(d, []), key=lambda c: (c.get("Index") is None, c.get("Index") or 0))
        lists.append([(str(c["Identifier"]).strip(), c.get("Title")) for c in codes])
    combos = list(itertools.product(*lists))
    row_of = {tuple(code for code, _ in combo): i for i, combo in enumerate(combos)}
    measures = sorted(table.measures, key=lambda m: (m.get("Index") is None, m.get("Index") or 0))
    types = {m["Identifier"]: str(m.get("DataType") or "Double") for m in measures}
    columns = [keys[m["Identifier"]] for m in measures]
    values: dict[str, list] = {c: [None] * len(combos) for c in columns}
    unknown = 0
    for o in table.observations:
        i = row_of.get(tuple(str(o.get(d, "")).strip() for d in dims))
        key = keys.get(o.get("Measure"))
        if i is None or key is None:
            unknown += 1
            continue
        v = o.get("Value")
        if v is None:
            v = o.get("StringValue")
        values[key][i] = _typed(v, types[o["Measure"]])
    if unknown:
        log.warning("CBS OData v4 %s: %d observations with a code outside the code lists left out",
                    table.table_id, unknown)
    records = []
    for i, combo in enumerate(combos):
        rec = {"ID": i}
        for d, (code, title) in zip(dims, combo):
            rec[d] = title if title is not None else code
        for c in columns:
            rec[c] = values[c][i]
        records.append(rec)
    return pd.DataFrame(records)

