"""How ``kompas_lib/sources/geodata/gemeenten_2025.geojson`` was made (run once; the result is committed).

Input: the simplified 2025 gemeente boundaries of cartomap/nl as copied in SOURCES.md, source F
(``geo/Lars-Janssen_github.io/gemeente_2025.geojson``: 342 gemeenten, WGS84, 3 decimals, CBS
Gebiedsindelingen via PDOK, CC BY 4.0).

What is done to it:

1. Only the properties ``statcode`` and ``statnaam`` are kept; one feature per line, sorted by code.
2. The lines are simplified further for the report's map of the whole country, a few centimetres wide
   (three maps side by side print about 3,5 cm wide each: 1 mm is some 8 km, so 1,5 km is 0,2 mm),
   keeping the topology: every ring is cut into arcs at its nodes (a
   vertex where three or more gemeenten, or two and the sea or the border, meet), each arc is
   simplified once with Douglas–Peucker at ``TOLERANCE_KM`` and both gemeenten on either side of it get
   the same simplified arc. So shared borders stay identical on both sides (the jeugdregio outlines rely
   on that) and no gap or overlap appears. A small gemeente keeps its shape: an arc's tolerance is at
   most ``RELATIVE`` times the side of a square as large as the smallest gemeente it borders. Only
   original vertices are kept (still 3 decimals). A ring that would collapse keeps its arcs unsimplified.

    .venv/bin/python docs/make_geodata.py ../shared/data/geo/Lars-Janssen_github.io/gemeente_2025.geojson
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "kompas_lib" / "sources" / "geodata" / "gemeenten_2025.geojson"
TOLERANCE_KM = 1.5
RELATIVE = 0.12  # a gemeente of 10 km2: tolerance 0,38 km
KM_X = 111.32 * math.cos(math.radians(52.2))  # km per degree of longitude about the middle of the country
KM_Y = 111.32


def _rings(geometry: dict) -> list[list[list]]:
    """The polygons of a geometry, each a list of rings of integer points (degrees x 1000, exact)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[[(round(x * 1000), round(y * 1000)) for x, y in ring] for ring in polygon] for polygon in polygons]


def _area(ring: list[tuple]) -> float:
    """The area (km2) a ring encloses."""
    xy = [(x / 1000 * KM_X, y / 1000 * KM_Y) for x, y in ring]
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(xy, xy[1:]))) / 2


def _douglas_peucker(points: list[tuple], tolerance: float) -> list[tuple]:
    """The vertices of an open line kept by Douglas-Peucker (distances in km)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    xy = [(x / 1000 * KM_X, y / 1000 * KM_Y) for x, y in points]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = xy[i], xy[j]
        length = math.hypot(bx - ax, by - ay)
        far, at = -1.0, None
        for k in range(i + 1, j):
            px, py = xy[k]
            d = (abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length if length
                 else math.hypot(px - ax, py - ay))
            if d > far:
                far, at = d, k
        if at is not None and far > tolerance:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep) if k]


def simplify(features: list[dict], tolerance: float) -> None:
    """Simplify every ring of ``features`` in place, shared arcs alike on both sides (see the module text)."""
    rings = [ring for f in features for polygon in f["_rings"] for ring in polygon]
    neighbours: dict[tuple, set] = defaultdict(set)
    for ring in rings:
        for a, b in zip(ring, ring[1:]):
            if a != b:
                neighbours[a].add(b)
                neighbours[b].add(a)

    def arcs_of(ring: list[tuple]) -> list[list[tuple]]:
        points = ring[:-1]
        nodes = [i for i, p in enumerate(points) if len(neighbours[p]) != 2]
        if not nodes:  # an island, or a gemeente inside one other: cut at its smallest and farthest vertex
            first = points.index(min(points))
            far = max(range(len(points)), key=lambda i: (math.dist(points[i], points[first]), points[i]))
            nodes = sorted({first, far})
        start = nodes[0]
        turned = points[start:] + points[:start] + [points[start]]
        cuts = [i - start for i in nodes] + [len(points)]
        return [turned[a:b + 1] for a, b in zip(cuts, cuts[1:])]

    done: dict[tuple, list] = {}
    exact: set[tuple] = set()
    size: dict[tuple, float] = {}  # arc -> the side (km) of a square as large as the smallest gemeente beside it
    for f in features:
        side = math.sqrt(sum(_area(ring) for polygon in f["_rings"] for ring in polygon))
        for polygon in f["_rings"]:
            for ring in polygon:
                for arc in arcs_of(ring):
                    key = tuple(min(arc, arc[::-1]))
                    size[key] = min(size.get(key, math.inf), side)

    def simplified(arc: list[tuple]) -> list[tuple]:
        key = tuple(min(arc, arc[::-1]))
        if key not in done:
            done[key] = (list(key) if key in exact
                         else _douglas_peucker(list(key), min(tolerance, RELATIVE * size[key])))
        return done[key] if list(key) == arc else done[key][::-1]

    def rebuild(ring):
        out = []
        for arc in arcs_of(ring):
            part = simplified(arc)
            out += part if not out else part[1:]
        return out

    for _ in range(2):  # a ring that collapses keeps its arcs as they were (on both sides)
        again = False
        for ring in rings:
            if len(set(rebuild(ring))) < 4:
                for arc in arcs_of(ring):
                    key = tuple(min(arc, arc[::-1]))
                    if key not in exact:
                        exact.add(key)
                        done.pop(key, None)
                        again = True
        if not again:
            break
    for f in features:
        f["geometry"] = {"type": "Polygon" if len(f["_rings"]) == 1 else "MultiPolygon",
                         "coordinates": None}
        polygons = [[[[x / 1000, y / 1000] for x, y in rebuild(ring)] for ring in polygon] for polygon in f["_rings"]]
        f["geometry"]["coordinates"] = polygons[0] if len(polygons) == 1 else polygons


def main(source: str, tolerance: float = TOLERANCE_KM) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    features = [{"type": "Feature", "properties": {k: f["properties"][k] for k in ("statcode", "statnaam")},
                 "_rings": _rings(f["geometry"])}
                for f in sorted(data["features"], key=lambda f: f["properties"]["statcode"])]
    before = sum(len(r) for f in features for p in f["_rings"] for r in p)
    simplify(features, tolerance)
    after = sum(len(r) for f in features for p in f["geometry"]["coordinates"]
                for r in ([p] if f["geometry"]["type"] == "Polygon" else p))
    lines = [json.dumps({k: v for k, v in f.items() if k != "_rings"}, separators=(",", ":"), ensure_ascii=False)
             for f in features]
    OUT.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} gemeenten, {before} -> {after} points, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1], *(float(a) for a in sys.argv[2:3]))
