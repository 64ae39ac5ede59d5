"""Generated CBS OData responses, v3 *and* v4, for the same table, built at test time from a slice of a
real table of the snapshot (``../shared/data/cbs``; read, never copied).

The v4 shapes follow CBS's documented v4 layout and recorded public v4 answers (the test files of
the CBSOData4.jl client, recorded from CBS's v4 beta service): ``Properties`` is a single object
(Title, Modified, TemporalCoverage, ObservationCount, Version), the other lists are
``{"@odata.context": …, "value": [...]}`` with ``@odata.nextLink`` when there is more;
``Dimensions`` lists the time dimension first (as in the recordings), ``MeasureCodes`` carry
``Identifier`` ``M00xxxx``, ``Title``, ``DataType``, ``Index``; ``<Dim>Codes`` carry ``Identifier``,
``Title``, ``Index``, ``Status``; an observation is ``{"Id", "Measure", "ValueAttribute", "Value",
<dims>}`` in measure-major order, text measures with ``StringValue``. Region codes are space-padded in
v3 (``"GM0344    "``) and bare in v4, as CBS serves them.

What the snapshot does not hold is made up, the same way for both APIs: dimension codes (the
snapshot has titles only), measure titles (from the key's words: ``JongerenMetJeugdhMetVerblInNat_2``
-> 'Jongeren met jeugdh met verbl in nat'), data types (Long when every value is whole, else
Double; text stays String) and the period status (the last period voorlopig).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

HOST = "http://FIXTUREHOST"  # the fixture server puts its own address here
GEO = {"RegioS", "Regio", "WijkenEnBuurten", "Wijken"}
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


@dataclass
class Dim:
    key: str
    kind: str  # Dimension | TimeDimension | GeoDimension
    codes: list[tuple[str, str, str]]  # (code, title, status)


@dataclass
class Measure:
    key: str
    title: str
    datatype: str  # Long | Double | String
    values: list


@dataclass
class TableModel:
    table_id: str
    title: str
    dims: list[Dim]
    measures: list[Measure]
    modified: str = "2025-03-20T02:00:00"
    extra_v4_measure: dict | None = field(default=None)  # a measure v4 has and v3 has not

    @property
    def n_rows(self) -> int:
        return len(self.measures[0].values)

    def combos(self):
        return list(itertools.product(*[d.codes for d in self.dims]))


def _period_code(title: str, i: int) -> str:
    t = title.strip()
    if m := re.fullmatch(r"(\d)e halfjaar (\d{4})", t):
        return f"{m[2]}HJ0{m[1]}"
    if m := re.fullmatch(r"(\d{4})", t):
        return f"{m[1]}JJ00"
    if m := re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", t):
        return f"{m[3]}MM{MONTHS.index(m[2]) + 1:02d}"
    return f"P{i:06d}"


def _code(dim: str, title: str, i: int) -> str:
    if dim == "Perioden":
        return _period_code(title, i)
    if dim in GEO:
        return "NL01" if title == "Nederland" else f"GM{i:04d}"
    return f"T{1000 + i:06d}"


def _title_from_key(key: str) -> str:
    stem = re.sub(r"_\d+$", "", key)
    stem = stem[2:] if stem.startswith("k_") else stem
    words = re.findall(r"[A-Z]?[a-z]+|\d+|[A-Z]+(?![a-z])", stem)
    return " ".join([words[0]] + [w.lower() if not w.isupper() or len(w) == 1 else w for w in words[1:]])


def _parse(col: pd.Series) -> tuple[str, list]:
    vals = [None if v == "" else v for v in col]
    present = [v for v in vals if v is not None]
    try:
        nums = [float(v) for v in present]
    except ValueError:
        return "String", vals
    whole = all(n.is_integer() for n in nums)
    has_float_text = any("." in v for v in present)
    if whole and (not has_float_text or len(present) < len(vals)):
        return "Long", [None if v is None else int(float(v)) for v in vals]
    return "Double", [None if v is None else float(v) for v in vals]


def model_from_snapshot(csv: Path, table_id: str, title: str, keep: dict[str, int] | None = None) -> TableModel:
    """A complete cube from the first ``keep[dim]`` titles of some dimensions of a snapshot table."""
    df = pd.read_csv(csv, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    cols = list(df.columns)
    dims = [c for c in cols[1:] if not re.search(r"_\d+$", c)]
    measures = [c for c in cols if re.search(r"_\d+$", c)]
    assert cols == ["ID", *dims, *measures], f"{table_id}: dimensions not before measures"
    titles = {}
    for d in dims:
        seen = list(dict.fromkeys(df[d]))
        titles[d] = seen[: (keep or {}).get(d, len(seen))]
        df = df[df[d].isin(titles[d])]
    n = 1
    for d in dims:
        n *= len(titles[d])
    assert len(df) == n, f"{table_id}: the slice is not a complete cube ({len(df)} rows, {n} combinations)"
    order = list(itertools.product(*[titles[d] for d in dims]))
    assert list(df[dims].itertuples(index=False, name=None)) == order, f"{table_id}: rows not in cube order"
    model_dims = []
    for d in dims:
        last = len(titles[d]) - 1
        codes = [(_code(d, t, i), t, "Voorlopig" if d == "Perioden" and i == last else "Definitief")
                 for i, t in enumerate(titles[d])]
        kind = "TimeDimension" if d == "Perioden" else ("GeoDimension" if d in GEO else "Dimension")
        model_dims.append(Dim(d, kind, codes))
    model_measures = []
    for k in measures:
        datatype, values = _parse(df[k])
        model_measures.append(Measure(k, _title_from_key(k), datatype, values))
    return TableModel(table_id, title, model_dims, model_measures)


# ---------------------------------------------------------------- v3 (ODataFeed, as cbsodata reads it)

def _v3_code(dim: Dim, code: str) -> str:
    return code.ljust(10) if dim.kind == "GeoDimension" else code


def v3_docs(m: TableModel) -> dict[str, object]:
    """request path (lower case) -> JSON document of CBS's v3 ODataFeed for this table."""
    base = f"/odatafeed/odata/{m.table_id.lower()}"
    ctx = f"{HOST}/ODataFeed/odata/{m.table_id}/$metadata#Cbs.OData.WebAPI."
    names = ["TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties", "CategoryGroups",
             *[d.key for d in m.dims]]
    docs: dict[str, object] = {base: {"odata.metadata": f"{HOST}/ODataFeed/odata/{m.table_id}/$metadata",
                                      "value": [{"name": n, "url": f"{HOST}/ODataFeed/odata/{m.table_id}/{n}"}
                                                for n in names]}}
    docs[f"{base}/tableinfos"] = {"odata.metadata": ctx + "TableInfos", "value": [
        {"ID": 1, "Title": m.title, "ShortTitle": m.title[:40], "Identifier": m.table_id, "Modified": m.modified,
         "Period": f"{m.dims[-1].codes[0][1]} - {m.dims[-1].codes[-1][1]}", "Language": "nl"}]}
    props = []
    for i, d in enumerate(m.dims):
        props.append({"odata.type": f"Cbs.OData.{d.kind}", "ID": i, "Position": i, "ParentID": None,
                      "Type": d.kind, "Key": d.key, "Title": d.key, "Description": ""})
    for j, ms in enumerate(m.measures):
        props.append({"odata.type": "Cbs.OData.Topic", "ID": len(m.dims) + j, "Position": len(m.dims) + j,
                      "ParentID": None, "Type": "Topic", "Key": ms.key, "Title": ms.title, "Description": "",
                      "Datatype": ms.datatype, "Unit": "aantal", "Decimals": 0 if ms.datatype == "Long" else 1,
                      "Default": "Missing"})
    docs[f"{base}/dataproperties"] = {"odata.metadata": ctx + "DataProperties", "value": props}
    docs[f"{base}/categorygroups"] = {"odata.metadata": ctx + "CategoryGroups", "value": []}
    for d in m.dims:
        rows = [{"Key": _v3_code(d, c), "Title": t, "Description": None, "CategoryGroupID": None}
                for c, t, _ in d.codes]
        if d.kind == "TimeDimension":
            for r, (_, _, s) in zip(rows, d.codes):
                r["Status"] = s
        docs[f"{base}/{d.key.lower()}"] = {"odata.metadata": ctx + "Dimension", "value": rows}
    records = []
    for i, combo in enumerate(m.combos()):
        rec = {"ID": i}
        for d, (c, _, _) in zip(m.dims, combo):
            rec[d.key] = _v3_code(d, c)
        for ms in m.measures:
            rec[ms.key] = ms.values[i]
        records.append(rec)
    docs[f"{base}/typeddataset"] = {"odata.metadata": ctx + "TypedDataSet", "value": records}
    return docs


# ---------------------------------------------------------------- v4 (datasets.cbs.nl/odata/v1)

def v4_measures(m: TableModel) -> list[dict]:
    out = [{"Identifier": f"M{4200 + j:06d}", "Index": j + 1, "Title": ms.title, "Description": "",
            "MeasureGroupId": None, "DataType": ms.datatype, "Unit": "aantal",
            "Decimals": 0 if ms.datatype == "Long" else 1, "PresentationType": None}
           for j, ms in enumerate(m.measures)]
    if m.extra_v4_measure:
        out.append({"Identifier": "M009999", "Index": len(out) + 1, "DataType": "Long", "Unit": "aantal",
                    "Decimals": 0, **m.extra_v4_measure})
    return out


def v4_observations(m: TableModel) -> list[dict]:
    obs = []
    combos = m.combos()
    for ms, code in zip(m.measures, v4_measures(m)):
        for i, combo in enumerate(combos):
            v = ms.values[i]
            o = {"Id": len(obs), "Measure": code["Identifier"], "ValueAttribute": "None" if v is not None else "Missing"}
            if ms.datatype == "String":
                o["Value"], o["StringValue"] = None, v
            else:
                o["Value"] = None if v is None else float(v)
            for d, (c, _, _) in zip(m.dims, combo):
                o[d.key] = c
            obs.append(o)
    return obs


def v4_docs(m: TableModel, page_size: int = 10_000) -> dict[str, object]:
    """request path (lower case) -> JSON document (or a function of the query, for the pages)."""
    base = f"/odata/v1/cbs/{m.table_id.lower()}"
    root = f"{HOST}/odata/v1/CBS/{m.table_id}"
    dims = sorted(m.dims, key=lambda d: d.kind != "TimeDimension")  # time first, as recorded
    names = ["MeasureCodes", "Dimensions", *[f"{d.key}{s}" for d in dims for s in ("Groups", "Codes")],
             "Observations", "Properties"]
    docs: dict[str, object] = {base: {"@odata.context": f"{root}/$metadata", "value": [
        {"name": n, "kind": "Singleton" if n == "Properties" else "EntitySet", "url": n} for n in names]}}
    obs = v4_observations(m)
    docs[f"{base}/properties"] = {
        "@odata.context": f"{root}/$metadata#Properties", "Identifier": m.table_id, "Catalog": "CBS",
        "Title": m.title, "Modified": m.modified + "+01:00", "ObservationsModified": m.modified + "+01:00",
        "TemporalCoverage": f"{m.dims[-1].codes[0][1]} - {m.dims[-1].codes[-1][1]}", "ObservationCount": len(obs),
        "Version": m.modified.replace("-", "").replace(":", "").replace("T", "")[:12], "Status": "Regulier",
        "DatasetType": "Numeric", "Language": "nl", "License": "https://creativecommons.org/licenses/by/4.0/"}
    docs[f"{base}/dimensions"] = {"@odata.context": f"{root}/$metadata#Dimensions", "value": [
        {"Identifier": d.key, "Title": d.key, "Description": "", "Kind": d.kind, "MapYear": None,
         "ReleasePolicy": "True" if d.kind == "TimeDimension" else None} for d in dims]}
    docs[f"{base}/measurecodes"] = {"@odata.context": f"{root}/$metadata#MeasureCodes", "value": v4_measures(m)}
    for d in dims:
        docs[f"{base}/{d.key.lower()}codes"] = {"@odata.context": f"{root}/$metadata#{d.key}Codes", "value": [
            {"Identifier": c, "Index": i + 1, "Title": t, "Description": "", "DimensionGroupId": None,
             **({"Status": s} if d.kind == "TimeDimension" else {})} for i, (c, t, s) in enumerate(d.codes)]}
        docs[f"{base}/{d.key.lower()}groups"] = {"@odata.context": f"{root}/$metadata#{d.key}Groups", "value": []}

    def page(query: dict) -> dict:
        skip = int(query.get("$skip", ["0"])[0])
        doc = {"@odata.context": f"{root}/$metadata#Observations", "value": obs[skip: skip + page_size]}
        if skip + page_size < len(obs):
            doc["@odata.nextLink"] = f"{root}/Observations?$skip={skip + page_size}"
        return doc

    docs[f"{base}/observations"] = page
    return docs


def service_docs() -> dict[str, object]:
    """The v4 catalogue root, answered by CBS for any reachability check."""
    return {"/odata/v1/cbs": {"@odata.context": f"{HOST}/odata/v1/CBS/$metadata", "value": [
        {"name": "Catalogs", "kind": "EntitySet", "url": "Catalogs"},
        {"name": "Datasets", "kind": "EntitySet", "url": "Datasets"}]}}


def dumps(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False)
