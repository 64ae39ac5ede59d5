"""The map of block 1 (staat.kaart): the shipped boundaries, jeugdregio outlines as unions of their
gemeenten, every gemeente coloured as its own report judges it, Demoland's schematic map, and a figure
small and quick enough for a batch of 342 reports."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from conftest import read_cbs
from kompas_lib.analysis.figures import MapFigure
from kompas_lib.analysis.sections import kaart as kaart_module
from kompas_lib.analysis.sections import staat
from kompas_lib.presentation import render, svgtext
from kompas_lib.sources import geo

DEVELOPER_WORDS = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|_|GEMEENTEN|VERGELIJKBAAR|\{|\}")


def _edges(rings) -> Counter:
    out: Counter = Counter()
    for ring in rings:
        keys = [geo._key(p) for p in ring]
        out.update(frozenset(e) for e in zip(keys, keys[1:]) if e[0] != e[1])
    return out


def test_the_shipped_boundaries_are_the_current_gemeenten_of_the_snapshot(snapshot_dir):
    gebieden = read_cbs(snapshot_dir, "85755NED")  # Gebieden in Nederland 2024
    codes = set(gebieden["Code_1"].str.strip())
    shapes = geo.gemeenten().shapes
    assert len(shapes) == 342 and set(shapes) == codes
    assert geo.BOUNDARIES.stat().st_size < 200_000
    readme = (geo.GEODATA / "README.md").read_text(encoding="utf-8")
    assert "CBS, Kadaster (CBS Gebiedsindelingen via PDOK), CC BY 4.0" in readme and "c7e75dca" in readme
    assert geo.gemeenten() is geo.gemeenten()  # read once per process


def test_two_neighbours_make_one_outline_without_their_shared_border():
    shapes = geo.gemeenten().shapes
    pair = ("GM0392", "GM0397")  # Haarlem and Heemstede
    shared = _edges(shapes[pair[0]]) & _edges(shapes[pair[1]])
    assert shared, "Haarlem and Heemstede are neighbours"
    lines = geo.outline(shapes, pair)
    assert len(lines) == 1 and np.allclose(lines[0][0], lines[0][-1])  # one closed line around both
    drawn = _edges(lines)
    assert not set(drawn) & set(shared)
    both = sum(_edges(shapes[pair[0]]).values()) + sum(_edges(shapes[pair[1]]).values())
    assert sum(drawn.values()) == both - 2 * len(shared)


def test_every_jeugdregio_outline_runs_only_along_its_border(snapshot_dir):
    """Each edge of a jeugdregio's outline belongs to exactly one of its gemeenten, and to no other gemeente
    of the region (on the other side: a gemeente of another region, or the sea or the border)."""
    gebieden = read_cbs(snapshot_dir, "85755NED")
    region_of = dict(zip(gebieden["Code_1"].str.strip(), gebieden["Code_18"].str.strip()))
    shapes = geo.gemeenten().shapes
    owners: dict = {}
    for code, shape in shapes.items():
        for edge in _edges(shape):
            owners.setdefault(edge, []).append(code)
    regions = sorted(set(region_of.values()))
    assert len(regions) == 42
    for region in regions:
        members = [c for c, r in region_of.items() if r == region]
        drawn = _edges(geo.outline(shapes, members))
        assert drawn, region
        for edge in drawn:
            inside = [c for c in owners[edge] if region_of[c] == region]
            assert len(inside) == 1, (region, edge, owners[edge])


def test_a_tile_map_groups_the_gemeenten_of_a_region():
    rows = [[("JZ1", ("A", "B", "C")), ("JZ2", ("D",))], [("JZ3", ("E", "F"))]]
    tiles = geo.schematic(rows)
    assert tiles.schematic and set(tiles.shapes) == set("ABCDEF")
    again = geo.schematic(rows).shapes
    assert all(np.array_equal(tiles.shapes[c][0], again[c][0]) for c in again)  # the same input, the same map
    for shape in tiles.shapes.values():
        (ring,) = shape
        assert len(ring) == 5 and np.ptp(ring[:, 0]) == 1 and np.ptp(ring[:, 1]) == 1
    (line,) = geo.outline(tiles.shapes, ("A", "B", "C"))  # a 2x2 block with one tile missing
    assert len(line) == 9 and np.array_equal(line[0], line[-1])  # eight unit edges around the L, closed


def test_compact_path_data_keeps_every_point_to_a_tenth_of_a_point():
    rng = np.random.default_rng(7)
    points = rng.uniform(-50, 900, size=(40, 2))
    d = "M " + " L ".join(f"{x:f} {y:f}" for x, y in points) + " z M 1.25 2.5 C 1 2 3 4 5 6 L 7.04 8 z"
    svg = svgtext.compact_path_data(f'<path d="{d}" id="x"/>'.encode())
    out = re.search(rb' d="([^"]*)"', svg).group(1).decode()
    assert len(out) < len(d) * 0.6
    # read it back: absolute move-to, relative line-to, absolute curves
    tokens = re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)", out)
    here, read, command = np.zeros(2), [], None
    numbers: list[float] = []

    def flush():
        nonlocal here
        pairs = np.array(numbers, dtype=float).reshape(-1, 2) if numbers else np.zeros((0, 2))
        for i, p in enumerate(pairs):
            if command == "M" and i == 0 or command in ("C",):
                here = p
            elif command in ("l", "M"):
                here = here + p
            read.append(here.copy())
    for t in tokens:
        if t.isalpha():
            flush()
            command, numbers = t, []
        else:
            numbers.append(float(t))
    flush()
    assert np.allclose(np.array(read[:40]), points, atol=0.051)
    assert np.allclose(read[-1], (7.0, 8.0), atol=0.051)


@pytest.fixture(scope="module")
def utrecht(make_real_scope):
    scope = make_real_scope("GM0344")
    return scope, staat.kaart(scope)


def test_the_map_appears_for_utrecht_with_its_source_and_every_gemeente(utrecht):
    scope, sec = utrecht
    assert sec is not None and sec.id == "kaart" and isinstance(sec.figure, MapFigure)
    fig = sec.figure
    assert 1 <= len(fig.panels) <= kaart_module.MAX_PANELS
    for panel in fig.panels:
        assert len(fig.data[fig.data["panel"] == panel]) == 342
    assert "CBS, Kadaster (CBS Gebiedsindelingen via PDOK), CC BY 4.0" in fig.caption
    assert fig.caption.startswith("Bron: CBS, tabel")
    assert [o[2] for o in fig.outlines] == ["focus"] and fig.outlines[0][0] == "Utrecht"  # its jeugdregio is itself
    assert "uitzonderlijk" in sec.text and "opvallend" in sec.text and "geen toets" in sec.text
    for text in (sec.text, sec.title, fig.title, fig.caption, *fig.panels, *(c for c, _ in fig.classes)):
        assert not DEVELOPER_WORDS.search(text), text
    # the indicators are those of Utrecht's findings: uitzonderlijk first, then opvallend
    found = scope.findings(scope.placed(1, "signaal"))
    standing = set(found.loc[found["direction"].notna() & found["soort"].isin(["verschil", "positie"]), "indicator"])
    assert set(sec.data["indicator"]) <= standing and sec.data["indicator"].nunique() == len(fig.panels)
    svg = render.to_svg(render.draw(fig))
    assert len(svg) < 150_000


def test_a_gemeente_has_the_colour_of_its_own_report(utrecht, make_real_scope):
    """The class on the map is the verdict each gemeente gets in its own report (uitzonderlijk before
    opvallend): for Utrecht on every map, and for one gemeente of each class that occurs."""
    scope, sec = utrecht
    data = sec.data
    picked = [(ind, "GM0344") for ind in dict.fromkeys(data["indicator"])]
    picked += [tuple(data.loc[data["klasse"] == k, ["indicator", "region_code"]].iloc[0])
               for k, _ in kaart_module.CLASSES if k != "geen cijfer" and (data["klasse"] == k).any()]
    assert len(picked) >= len(set(data["indicator"])) + 3
    for ind, code in picked:
        indicator = scope.catalogue.indicators[ind]
        own = make_real_scope(code).findings([indicator])
        own = own[own["direction"].notna()]
        tested, position = own[own["soort"] == "verschil"], own[own["soort"] == "positie"]
        row = tested.iloc[0] if len(tested) else position.iloc[0] if len(position) else None
        expected = "geen van beide" if row is None else kaart_module.TIER[(row["soort"], row["direction"])]
        mapped = data[(data["indicator"] == ind) & (data["region_code"] == code)]["klasse"].iloc[0]
        assert mapped == expected, (ind, code)
        if code == "GM0344":  # and the panel says so
            assert f"{indicator.titel}\nUtrecht: {expected}" in sec.figure.panels


def test_demoland_gets_a_schematic_map_of_its_own(demo_scope, make_demo_scope):
    sec = staat.kaart(demo_scope)
    fig = sec.figure
    gemeenten = set(demo_scope.shared.gemeenten)
    assert set(fig.shapes) == gemeenten
    assert all(len(shape) == 1 and len(shape[0]) == 5 for shape in fig.shapes.values())  # one square tile each
    assert "Schematische kaart" in fig.caption and "PDOK" not in fig.caption
    assert [style for _, _, style in fig.outlines] == ["focus", "regio"]
    regions = {name for _, _, name, kind in fig.labels if kind == "groep"}
    assert regions == set(demo_scope.shared.current["jeugdregio_naam"])
    region = make_demo_scope("JZ91")  # a region's report outlines the region itself
    outlined, _, said = kaart_module._outlines(region, kaart_module._shapes(region))
    assert [(label, style) for label, _, style in outlined] == [(region.focus.name, "focus")]
    members = region.shared.members["JZ91"]
    assert _edges(outlined[0][1]) == _edges(geo.outline(fig.shapes, members)) and said.startswith("Dik omlijnd")
    svg = render.to_svg(render.draw(fig))
    assert b"<svg" in svg and len(svg) < 60_000
