"""CBS's OData v3 service (``opendata.cbs.nl``), read with ``cbsodata``.

``cbsodata.get_data`` reads the ``TypedDataSet`` of the ODataFeed (paging with ``odata.nextLink``)
and replaces dimension keys by their titles; ``pandas.DataFrame`` of it is the snapshot layout.
"""

from __future__ import annotations

from typing import Callable

import cbsodata
import pandas as pd
import requests

DEFAULT_CATALOG = "opendata.cbs.nl"
TOPIC = "Topic"
DIMENSION_TYPES = {"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"}


def status_code(exc: Exception) -> int | None:
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


def feed_url(table_id: str, catalog_url: str, use_https: bool) -> str:
    return f"{'https' if use_https else 'http'}://{catalog_url}/ODataFeed/odata/{table_id}"


def download(table_id: str, catalog_url: str, use_https: bool, timeout: float) -> tuple[pd.DataFrame, dict]:
    """The table as cbsodata gives it, and its title, modified date, period and status."""
    kw = {"catalog_url": catalog_url, "timeout": timeout}
    info = _with_https(use_https, cbsodata.get_info, table_id, **kw) or {}
    data = _with_https(use_https, cbsodata.get_data, table_id, **kw)
    try:
        perioden = _with_https(use_https, cbsodata.get_meta, table_id, "Perioden", **kw)
        statuses = {str(p.get("Status", "")).lower() for p in perioden}
        status = "voorlopig" if any("voorlopig" in s for s in statuses) else ("definitief" if statuses else None)
    except (requests.RequestException, KeyError, ValueError):
        status = None
    return pd.DataFrame(data), {"title": info.get("Title"), "modified": info.get("Modified"),
                                "period": info.get("Period"), "status": status}


def data_properties(table_id: str, catalog_url: str, use_https: bool,
                    timeout: float) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The v3 measure keys with their titles, and the dimension keys, in v3 order; None when v3 does
    not answer (one try, short: it is only a help for a table fetched from v4)."""
    try:
        props = _with_https(use_https, cbsodata.get_meta, table_id, "DataProperties", catalog_url=catalog_url,
                            timeout=timeout)
    except (requests.RequestException, KeyError, ValueError):
        return None
    topics = [(p["Key"], p.get("Title")) for p in props if p.get("Type") == TOPIC and p.get("Key")]
    dims = [p["Key"] for p in props if p.get("Type") in DIMENSION_TYPES and p.get("Key")]
    return (topics, dims) if topics else None
