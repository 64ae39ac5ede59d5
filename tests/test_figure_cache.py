"""A figure that is the same in many reports is drawn once per process (issue 23), and never mistaken for
another: the key is a hash of everything the figure is drawn from."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kompas_lib.analysis.figures import MapFigure, TrendFigure
from kompas_lib.presentation import view


def _trend(values, title="Jeugdhulp in Nederland"):
    data = pd.DataFrame({"period_start": pd.to_datetime(["2022-01-01", "2023-01-01"]), "value": values,
                         "region_name": ["Nederland", "Nederland"]})
    return TrendFigure(data, title, "Bron: CBS.", focus="Nederland")


def test_the_same_figure_is_drawn_once_and_another_again(monkeypatch):
    from kompas_lib.presentation import render

    drawn = []
    real_draw = render.draw
    monkeypatch.setattr(render, "draw", lambda spec: drawn.append(spec.title) or real_draw(spec))
    view._DRAWN.clear()
    first = view._figure_html(_trend([10.0, 11.0]))
    again = view._figure_html(_trend([10.0, 11.0]))  # a new but equal specification (the next gemeente)
    assert first == again and len(drawn) == 1
    other = view._figure_html(_trend([10.0, 11.5]))
    retitled = view._figure_html(_trend([10.0, 11.0], title="Jeugdhulp in Utrecht"))
    assert len(drawn) == 3 and len({first, other, retitled}) == 3


def test_arrays_are_hashed_whole_not_by_their_shortened_repr():
    """numpy abbreviates long arrays in repr ('...'): two maps whose rings differ only in the middle must
    still be two figures."""
    ring = np.zeros((5000, 2))
    moved = ring.copy()
    moved[2500, 0] = 1.0
    assert repr(ring) == repr(moved)
    data = pd.DataFrame({"panel": ["a"], "code": ["GM0001"], "name": ["A"], "klasse": ["gewoon"]})

    def spec(r):
        return MapFigure(data, "Kaart", "Bron.", panels=("a",), shapes={"GM0001": (r,)},
                         classes=(("gewoon", 0),))

    assert view._spec_hash(spec(ring)) != view._spec_hash(spec(moved))
    assert view._spec_hash(spec(ring)) == view._spec_hash(spec(ring.copy()))
