"""The renderer's crop: one drawing, cropped to what was drawn, is the box matplotlib's own tight crop
measures (issue 23: a figure is laid out once, not twice), for every kind of figure a report draws."""

from __future__ import annotations

import re

import pytest

from kompas_lib.presentation import render, svgtext, svgwriter


@pytest.fixture(scope="module")
def demo_figures(demo_scope):
    """One figure specification of each kind, from sections of the demo's report."""
    from kompas_lib.analysis.sections import kaart, resultaat, staat, verwacht

    first_trend = staat.trend(demo_scope, demo_scope.placed(staat.BLOCK, "trend")[0].id)
    sections = [first_trend, staat.trechter_jeugdzorg(demo_scope), staat.wijken(demo_scope),
                *verwacht.gebruik(demo_scope), kaart.kaart(demo_scope), *resultaat.resultaat_figuren(demo_scope)]
    one_each = {}
    for s in sections:
        if s is not None and s.figure is not None:
            one_each.setdefault(s.figure.kind, s.figure)
    return list(one_each.values())


def test_every_kind_of_figure_is_cropped_to_the_box_matplotlib_measures(demo_figures):
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    kinds = {spec.kind for spec in demo_figures}
    assert kinds == {"trend", "funnel", "bars", "target", "band", "map"}, kinds
    for spec in demo_figures:
        fig = render.draw(spec)
        fig.dpi, (w, h) = 72, fig.get_size_inches()
        renderer = MixedModeRenderer(fig, w, h, 72, svgwriter._TextBoxes(w * 72, h * 72, _Sink()))
        fig.draw(renderer)
        mine, tight = svgwriter.drawn_box(fig, renderer), fig.get_tightbbox(renderer)
        render.plt.close(fig)
        assert max(abs(a - b) for a, b in zip(mine.extents, tight.extents)) * 72 < 0.05, (spec.kind, spec.title)


class _Sink:
    def write(self, text):
        return len(text)


def test_the_svg_has_the_size_of_matplotlibs_tight_crop_and_shows_it_through_its_view_box(demo_figures):
    import io

    def size(root: str) -> tuple[float, float]:
        return tuple(float(re.search(rf'{a}="([-\d.]+)pt"', root)[1]) for a in ("width", "height"))

    spec = next(s for s in demo_figures if s.kind == "trend")
    root = re.search(r"<svg\b[^>]*>", render.to_svg(render.draw(spec)).decode("utf-8"))[0]
    buf = io.BytesIO()
    fig = render.draw(spec)
    fig.savefig(buf, format="svg", bbox_inches="tight")
    render.plt.close(fig)
    theirs = re.search(r"<svg\b[^>]*>", buf.getvalue().decode("utf-8"))[0]
    (w, h), (tw, th) = size(root), size(theirs)
    assert abs(w - tw) < 0.05 and abs(h - th) < 0.05
    x, y, vw, vh = (float(v) for v in re.search(r'viewBox="([^"]+)"', root)[1].split())
    assert (vw, vh) == (w, h) and -7.3 < x < 20  # from the caption (at 1 % of the width) less the 0,1 inch margin


def test_font_heights_looked_up_once_give_the_bytes_of_matplotlibs_own_lookup(demo_figures, monkeypatch):
    """The renderer answers matplotlib's question for a font's ascent, descent and line gap from a cache; a
    figure of every kind (titles, captions of several lines, legends, bold and small text) is the same SVG
    as when matplotlib reads them from the font for each text itself."""
    ours = [render.to_svg(render.draw(spec)) for spec in demo_figures]
    assert svgwriter._font_height.cache_info().currsize >= 3  # several sizes and weights were asked
    monkeypatch.delattr(svgwriter._TextBoxes, "_get_font_height_metrics")
    theirs = [render.to_svg(render.draw(spec)) for spec in demo_figures]
    assert ours == theirs


def test_axes_without_a_label_skip_placing_it_and_draw_the_same_bytes(demo_figures, monkeypatch):
    """An axis without a label does not measure its tick labels again to place the label; every kind of figure
    (axes with and without labels, a map without axes) is the same SVG as when matplotlib places every label."""
    import contextlib

    fig = render.draw(next(s for s in demo_figures if s.kind == "trend"))
    with svgwriter._unlabelled_axes_kept_still(fig):
        assert fig.axes[0].xaxis._autolabelpos is False  # no x label on a trend: kept still
        assert fig.axes[0].yaxis._autolabelpos is True  # its y label is placed by its tick labels
    assert fig.axes[0].xaxis._autolabelpos is True  # and given back afterwards (a kept figure is drawn again)
    render.plt.close(fig)
    ours = [render.to_svg(render.draw(spec)) for spec in demo_figures]
    monkeypatch.setattr(svgwriter, "_unlabelled_axes_kept_still", lambda fig: contextlib.nullcontext())
    assert ours == [render.to_svg(render.draw(spec)) for spec in demo_figures]


def test_crop_refuses_what_is_not_a_matplotlib_svg():
    with pytest.raises(ValueError, match="no <svg> element"):
        svgtext.crop("<html></html>", (0, 0, 1, 1))
    out = svgtext.crop('<svg xmlns:xlink="x" width="576pt" height="302.4pt" viewBox="0 0 576 302.4" id="a">',
                       (5.76, 3.0, 560.25, 290.5))
    assert out == ('<svg xmlns:xlink="x" width="560.25pt" height="290.5pt" viewBox="5.76 3 560.25 290.5" id="a">')


def test_bar_ticks_are_labelled_with_the_value_they_stand_at():
    """Bars up to 18 %: every tick label reads its own position (no '2 %' at 2,5 %); below 5 % one decimal."""
    import pandas as pd

    from kompas_lib.core import fmt

    for top, decimals in ((18.2, 0), (3.3, 1)):
        data = pd.DataFrame({"wijk": ["A", "B", "C"], "aandeel": [top / 3, top / 2, top]})
        fig = render.bars(data, category="wijk", value="aandeel", title="Wijken", caption="Bron.")
        ax = fig.axes[0]
        fig.canvas.draw()
        for tick in ax.get_xticks():
            if ax.get_xlim()[0] <= tick <= ax.get_xlim()[1]:
                shown = ax.xaxis.get_major_formatter()(tick, None)
                assert shown == f"{fmt.number(tick, decimals)} %" and round(tick, decimals) == tick, (top, tick)
        render.plt.close(fig)


@pytest.mark.filterwarnings("ignore:No artists with labels found")  # the trend without figures has no legend
def test_a_figure_drawn_on_the_previous_figure_of_its_kind_is_the_same_bytes_as_one_drawn_new(demo_scope):
    """svg_of draws each trend (funnel, bar chart) on the figure of the one of its sort before it, emptied; the
    result must not depend on what was drawn there before — in both orders, with small values, a shorter period,
    a break, years as text and as numbers between trends over dates, a logarithmic and a linear axis, bars of
    another height, order and scale — and draw() itself still gives a new figure each time."""
    from dataclasses import replace

    from kompas_lib.analysis.sections import staat, verwacht

    trends = [s.figure for s in staat.trends(demo_scope) if s.figure is not None]
    assert len(trends) >= 2
    first = trends[0]
    small = replace(first, data=first.data.assign(value=first.data["value"] / 20), title="kleine waarden")  # < 5 %
    starts = sorted(first.data["period_start"].unique())
    short = replace(first, data=first.data[first.data["period_start"] >= starts[-3]], title="drie jaar")  # less x
    broken = replace(first, breaks=((first.data["period_start"].max(), "nieuwe tabel"),), percent=False)
    years = first.data.assign(jaar=first.data["period_start"].dt.year)
    as_text = replace(first, data=years.assign(jaar=years["jaar"].astype(str)), x="jaar", breaks=())  # categories
    as_number = replace(first, data=years, x="jaar", breaks=())
    empty = replace(first, data=first.data.iloc[0:0], breaks=(), title="geen cijfers")  # an axes without units
    funnels = [s.figure for s in [staat.trechter_jeugdzorg(demo_scope), *verwacht.gebruik(demo_scope)]
               if s is not None and s.figure is not None and s.figure.kind == "funnel"]
    units = funnels[0].data
    middle = units[units["n"].between(units["n"].median() / 3, units["n"].median() * 3)]
    linear = replace(funnels[0], data=middle, title="lineair")  # sizes within a factor ten: a linear axis
    bars = next(s.figure for s in [staat.wijken(demo_scope), *staat.groepen(demo_scope)]
                if s is not None and s.figure is not None and s.figure.kind == "bars")
    few = replace(bars, data=bars.data.iloc[:2], title="twee")  # less high, fewer categories
    tenths = replace(bars, data=bars.data.assign(**{bars.value: bars.data[bars.value] / 20}))  # ticks with decimals
    counts = replace(bars, percent=False, data=bars.data.iloc[::-1])  # other order, other labels' places
    scales = set()
    for specs in ([trends[0], small, as_text, short, as_number, broken, empty, *trends[1:], as_text, as_number],
                  [*funnels, linear, funnels[0]], [bars, few, tenths, counts, bars]):
        fresh = [render.to_svg(render.draw(spec)) for spec in specs]
        assert [render.svg_of(spec) for spec in specs] == fresh
        assert [render.svg_of(spec) for spec in reversed(specs)] == fresh[::-1]
        assert render.draw(specs[0]) is not render.draw(specs[0])
        scales |= {render.draw(spec).axes[0].get_xscale() for spec in specs if spec.kind == "funnel"}
    assert len(render._KEPT[("bars",)].axes[0].containers) == 1  # the kept figure holds the last bars only
    render.close_all()
    assert scales == {"log", "linear"}
