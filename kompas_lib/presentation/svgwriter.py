"""A drawn matplotlib figure as the report's SVG: drawn once by one SVG renderer, cropped to what was drawn
(:func:`to_svg`); text measured once per process. The figures themselves are made by :mod:`.render`."""

from __future__ import annotations

import io
from contextlib import contextmanager
from functools import lru_cache

import matplotlib.pyplot as plt
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.font_manager import findfont, get_font
from matplotlib.textpath import text_to_path
from matplotlib.transforms import Bbox

from kompas_lib.presentation import svgtext


def to_svg(fig) -> bytes:
    """Render a figure to SVG with its text as text (the report's figures): less than half the PNG's
    size, faster to make (no rasterising, no text outlines), and sharp at any print size.

    Drawn once, by one SVG renderer, then cropped to what was drawn — legends and captions outside the
    axes included — by narrowing the SVG's view box. matplotlib's own crop (``bbox_inches="tight"``)
    lays every figure out twice (once to measure, once to draw: the second pass was about a fifth of a
    report's figure time); the box here is the one matplotlib would measure (every text drawn, the axes, the
    legends), taken from the single drawing (tests/test_render.py compares the two for every kind of figure)."""
    buf = io.StringIO()
    dpi = fig.dpi
    fig.dpi = 72  # SVG units are points, as matplotlib's SVG writer sets them
    try:
        width, height = fig.get_size_inches()
        svg = _TextBoxes(width * 72, height * 72, buf, image_dpi=dpi, metadata={"Date": None})
        renderer = MixedModeRenderer(fig, width, height, dpi, svg)
        with _unlabelled_axes_kept_still(fig):
            fig.draw(renderer)
        box = drawn_box(fig, renderer).padded(plt.rcParams["savefig.pad_inches"])
        renderer.finalize()
    finally:
        fig.dpi = dpi
    plt.close(fig)
    cropped = svgtext.crop(buf.getvalue(), (box.x0 * 72, (height - box.y1) * 72, box.width * 72, box.height * 72))
    return svgtext.compact_path_data(cropped.encode("utf-8"))


@contextmanager
def _unlabelled_axes_kept_still(fig):
    """While a figure is drawn: an axis without a label does not work out where its label would go (matplotlib
    measures every tick label again for that, about a twentieth of drawing a figure; an empty label is not drawn)."""
    still = [axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             if not axis.label.get_text() and getattr(axis, "_autolabelpos", False)]
    for axis in still:
        axis._autolabelpos = False
    try:
        yield
    finally:
        for axis in still:
            axis._autolabelpos = True


@lru_cache(maxsize=8192)
def _text_size(s: str, prop, ismath) -> tuple[float, float, float]:
    """Width, height and descent (points) of a text in a font: the same for every SVG figure (all are drawn
    at 72 dpi), so measured once per process, not once per figure (matplotlib caches per renderer, and every
    figure has a renderer of its own; measuring was about a tenth of a figure's time)."""
    return text_to_path.get_text_width_height_descent(s, prop, ismath)


@lru_cache(maxsize=256)
def _font_height(prop) -> tuple:
    """Ascent, descent and line gap (points) a font's tables give every line of text in it: what matplotlib
    looks up in the font file for each text each time it lays one out (about a tenth of a figure's time),
    looked up once per font and size. The same sums as matplotlib's own, at the 72 dpi of every SVG figure."""
    font = get_font(findfont(prop))
    for name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                       ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(name)
        if table is None:
            continue
        # matplotlib's own sum, in its order (1 / units per em * size * dpi / 72) with a dpi of 72: the same bits
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * 72 / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None  # matplotlib measures the text instead


class _TextBoxes(RendererSVG):
    """matplotlib's SVG renderer, noting where each line of text it draws lies (display units), with its
    text measurements shared by every figure."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.text_boxes = []

    def get_text_width_height_descent(self, s, prop, ismath):
        return _text_size(s, prop.copy(), ismath)  # a copy: a FontProperties' hash follows its mutable state

    def _get_font_height_metrics(self, prop):  # asked by matplotlib's text layout when a renderer has it
        return _font_height(prop.copy())

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if mtext is not None and s.strip():  # a one-line text (several lines: see drawn_box)
            self.text_boxes.append(mtext.get_window_extent(self))
        return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)


def drawn_box(fig, renderer) -> Bbox:
    """The box (inches) around what ``renderer`` drew of ``fig``: every line of text (tick labels, titles,
    legends, annotations, the caption), each visible axes and each legend — what
    ``Figure.get_tightbbox`` measures, without laying the figure out again."""
    boxes = list(renderer.text_boxes)  # the mixed-mode renderer passes this on to the SVG renderer
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, *ax.texts, ax.xaxis.label, ax.yaxis.label]
        if ax.get_visible() and ax.axison:
            boxes.append(ax.get_window_extent(renderer))
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            boxes.append(legend.get_window_extent(renderer))
    boxes += [legend.get_window_extent(renderer) for legend in fig.legends if legend.get_visible()]
    # a text of several lines is drawn line by line without its Text: its whole box, as the tight box has it
    boxes += [t.get_window_extent(renderer) for t in texts if t.get_visible() and "\n" in t.get_text()]
    boxes = [b for b in boxes if b.width or b.height]
    return Bbox.union(boxes).transformed(fig.dpi_scale_trans.inverted())
