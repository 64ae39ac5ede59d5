"""Column names for a table fetched from CBS's OData v4 service: its v3 keys.

The snapshot layout names measures by their OData v3 key (``JongerenMetJeugdzorg_1``), and the
catalogue names those columns. v4 identifies a measure by a code of its own (``M001924``) and a
title, so the v3 keys are taken, in this order, from

1. the v3 ``DataProperties`` of the table (keys *and* titles; a small request that may answer when
   v3's large data requests fail),
2. the header of a copy of the table already on disk (an earlier fetch, or ``KOMPAS_CBS_DIR``),
3. the title itself by CBS's own rule for v3 keys: the words of the title joined in CamelCase
   (accents and punctuation dropped, ``k_`` before a leading digit) and ``_<n>`` for the n-th
   measure (checked: all 128 measures of KWB 2024's DataProperties and all 12 of 80137ned). CBS
   shortens long keys (``JongerenMetJeugdhMetVerblInNat_2``), so without 1 or 2 such a column gets
   the long form and preparation reports the catalogue's column as missing for that table.

A v3 key's number is the measure's place among all measures, the same order as v4's
``MeasureCodes`` (``Index``). When the measures do not line up — another number of measures, or a
title that does not fit the key at its place — the table's measures changed between the APIs and
:class:`MeasuresChanged` names them.
"""

from __future__ import annotations

import re
import unicodedata

KEY_NUMBER = re.compile(r"_(\d+)$")


class MeasuresChanged(Exception):
    def __init__(self, table_id: str, details: list[str]):
        self.table_id = table_id
        self.details = details
        super().__init__(f"{table_id}: " + "; ".join(details))


def key_from_title(title: str, n: int) -> str:
    """CBS's v3 key for the n-th measure with this title (before CBS shortens long keys)."""
    ascii_title = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_title)
    stem = "".join(w[0].upper() + w[1:] for w in words)
    if stem[:1].isdigit():
        stem = "k_" + stem
    return f"{stem}_{n}"


def measure_keys_in_header(columns) -> list[str]:
    """The measure columns of a table in snapshot layout (v3 keys end in ``_<n>``), in order."""
    return [c for c in columns if KEY_NUMBER.search(str(c))]


def dimensions_in_header(columns) -> list[str]:
    """The dimension columns of a table in snapshot layout: between ``ID`` and the first measure."""
    out = []
    for c in columns:
        if c == "ID":
            continue
        if KEY_NUMBER.search(str(c)):
            break
        out.append(str(c))
    return out


def _stem(key: str) -> str:
    stem = KEY_NUMBER.sub("", key)
    return stem[2:] if stem.startswith("k_") else stem


def _fits(key: str, title: str, n: int) -> bool:
    """Does the v3 key at place n fit the v4 title: the same number and the key's letters a shortening
    of the title's (in order, first letter equal)?"""
    m = KEY_NUMBER.search(key)
    if not m or int(m.group(1)) != n:
        return False
    short, full = _stem(key).lower(), _stem(key_from_title(title, n)).lower()
    if not short or not full or short[0] != full[0]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def _norm(title: str | None) -> str:
    return " ".join(str(title or "").split()).lower()


def match_keys(table_id: str, measures: list[dict], known: list[tuple[str, str | None]] | None) -> dict[str, str]:
    """v4 measure identifier -> v3 key. ``known``: the v3 keys in order, with their titles where
    known (from DataProperties), else None. Raises :class:`MeasuresChanged` when they do not line up."""
    ordered = sorted(measures, key=lambda m: (m.get("Index") is None, m.get("Index") or 0))
    if not known:
        return {m["Identifier"]: key_from_title(m.get("Title") or m["Identifier"], n)
                for n, m in enumerate(ordered, 1)}
    problems = []
    if len(known) != len(ordered):
        problems.append(f"{len(ordered)} onderwerpen in de nieuwe koppeling, {len(known)} in de oude")
    keys = {}
    for n, (m, (key, title)) in enumerate(zip(ordered, known), 1):
        v4_title = m.get("Title") or ""
        ok = _norm(v4_title) == _norm(title) if title is not None else _fits(key, v4_title, n)
        if not ok:
            problems.append(f"'{v4_title.strip()}' staat op de plaats van {key}")
        keys[m["Identifier"]] = key
    if problems:
        raise MeasuresChanged(table_id, problems[:3] + ([f"en nog {len(problems) - 3}"] if len(problems) > 3 else []))
    return keys

