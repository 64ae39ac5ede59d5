"""Where the report's map gets its shapes: the boundaries of today's gemeenten, and Demoland's tiles.

* :func:`gemeenten` reads the simplified boundaries of the 342 gemeenten of 2025 that ship with the
  package (``geodata/gemeenten_2025.geojson``: CBS Gebiedsindelingen via PDOK, CC BY 4.0, simplified
  by cartomap/nl; see ``geodata/README.md``), once per process.
* :func:`schematic` lays out a diagram for a fictitious country: one square tile per gemeente, the
  gemeenten of a jeugdregio in one block — no invented geography.
* :func:`outline` gives the boundary of a group of gemeenten (a jeugdregio or provincie is the union
  of its gemeenten): the edges that are not shared by two members, joined into lines. No geometry
  library is needed: shared borders have the same vertices on both sides (the file was simplified with
  its topology kept), so an interior edge is one that occurs twice.

Shapes are in kilometres on a flat projection (x east, y north): equirectangular about 52,2° N, which
distorts lengths across the Netherlands by less than 3 %.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

GEODATA = Path(__file__).resolve().parent / "geodata"
BOUNDARIES = GEODATA / "gemeenten_2025.geojson"
YEAR = 2025
ATTRIBUTION = "CBS, Kadaster (CBS Gebiedsindelingen via PDOK), CC BY 4.0"
LAT0, LON0 = 52.2, 5.3  # the middle of the country: the projection's centre
KM_PER_DEGREE = 111.32

Shape = tuple[np.ndarray, ...]  # the rings of one area, each an (n, 2) array of x, y in km, closed (first = last)


@dataclass(frozen=True)
class Shapes:
    """The areas of a map by code (``shapes``) and their names; ``source`` names where they come from
    (empty for a schematic map)."""

    shapes: Mapping[str, Shape]
    names: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    schematic: bool = False


def project(lon_lat: np.ndarray) -> np.ndarray:
    """WGS84 longitude/latitude (degrees) -> x, y in km about the middle of the Netherlands."""
    lon, lat = lon_lat[:, 0], lon_lat[:, 1]
    return np.column_stack([(lon - LON0) * KM_PER_DEGREE * math.cos(math.radians(LAT0)),
                            (lat - LAT0) * KM_PER_DEGREE])


def _rings(geometry: dict) -> list[list]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


@lru_cache(maxsize=1)
def gemeenten() -> Shapes:
    """The gemeenten of 2025 (GM code -> rings), read once per process from the file shipped with the
    package."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    shapes, names = {}, {}
    for f in data["features"]:
        code = f["properties"]["statcode"].strip()
        shapes[code] = tuple(project(np.asarray(r, dtype=float)) for r in _rings(f["geometry"]))
        names[code] = f["properties"]["statnaam"]
    return Shapes(shapes, names, f"{ATTRIBUTION}; grenzen van {YEAR}")


def _square(x: float, y: float) -> np.ndarray:
    return np.array([(x, y), (x, y + 1), (x + 1, y + 1), (x + 1, y), (x, y)], dtype=float)


def schematic(rows: Sequence[Sequence[tuple[str, Sequence[str]]]], names: Mapping[str, str] | None = None) -> Shapes:
    """A tile map: ``rows`` top to bottom (e.g. one per provincie), each a sequence of groups (a
    jeugdregio's code and its gemeenten' codes) placed side by side. A group is a block of square tiles
    (as square as it can be, filled row by row in the order given); blocks are one tile apart and every
    row is centred. The same input gives the same map."""
    gap = 1.0
    placed, widths = [], []
    for row in rows:
        blocks = []
        for _, codes in row:
            w = max(1, math.ceil(math.sqrt(len(codes))))
            blocks.append((codes, w, math.ceil(len(codes) / w)))
        placed.append(blocks)
        widths.append(sum(w for _, w, _ in blocks) + gap * max(len(blocks) - 1, 0))
    widest = max(widths, default=0.0)
    shapes: dict[str, Shape] = {}
    top = 0.0
    for blocks, width in zip(placed, widths):
        x0 = (widest - width) / 2
        for codes, w, _ in blocks:
            for i, code in enumerate(codes):
                shapes[code] = (_square(x0 + i % w, top - 1 - i // w),)
            x0 += w + gap
        top -= max((h for _, _, h in blocks), default=0) + gap
    return Shapes(shapes, dict(names or {}), "", schematic=True)


def _key(p) -> tuple[float, float]:
    return (round(float(p[0]), 3), round(float(p[1]), 3))  # to the metre: the same vertex on both sides


def outline(shapes: Mapping[str, Shape], codes: Iterable[str]) -> tuple[np.ndarray, ...]:
    """The boundary of the union of the areas ``codes``: every edge of their rings that is not shared
    by two of them, joined into lines (a closed line ends where it starts). Codes without a shape are
    left out."""
    count: Counter = Counter()
    for code in dict.fromkeys(codes):
        for ring in shapes.get(code, ()):
            keys = [_key(p) for p in ring]
            for a, b in zip(keys, keys[1:]):
                if a != b:
                    count[(a, b) if a < b else (b, a)] += 1
    adjacent: dict[tuple, set] = defaultdict(set)
    for (a, b), n in count.items():
        if n == 1:
            adjacent[a].add(b)
            adjacent[b].add(a)
    lines = []

    def walk(start):
        line, here = [start], start
        while adjacent[here]:
            there = min(adjacent[here])
            adjacent[here].discard(there)
            adjacent[there].discard(here)
            line.append(there)
            here = there
        lines.append(np.array(line, dtype=float))

    for start in sorted(v for v in adjacent if len(adjacent[v]) % 2):  # open lines first (a ragged edge)
        while adjacent[start]:
            walk(start)
    for start in sorted(adjacent):
        while adjacent[start]:
            walk(start)
    return tuple(lines)


__all__ = ["ATTRIBUTION", "Shape", "Shapes", "gemeenten", "outline", "project", "schematic"]
