"""SVG text of a drawn figure made smaller and cropped: plain text work on what the renderer
(:mod:`kompas_lib.presentation.render`) wrote, no matplotlib."""

from __future__ import annotations

import re

import numpy as np

_ROOT = re.compile(r'(<svg\b[^>]*?)\bwidth="[^"]*"(\s+)height="[^"]*"(\s+)viewBox="[^"]*"')


def _short(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def crop(svg: str, box: tuple[float, float, float, float]) -> str:
    """The SVG shown through ``box`` (x, y from the top left, width, height; in points): its size becomes the
    box's and its view box the box, so what lies outside is not shown and nothing inside moves."""
    x, y, w, h = box
    root = f'\\1width="{_short(w)}pt"\\2height="{_short(h)}pt"\\3viewBox="{_short(x)} {_short(y)} {_short(w)} {_short(h)}"'
    out, n = _ROOT.subn(root, svg, count=1)
    if n != 1:
        raise ValueError("no <svg> element with width, height and viewBox to crop")
    return out


_PATH_DATA = re.compile(rb' d="([^"]*)"')
_TENTHS: dict[int, str] = {}  # a coordinate in tenths of a point -> its text (the same few hundred recur)


def _tenths(v: int) -> str:
    """A coordinate in tenths of a point as short text: 12.5, -.5, 3."""
    text = _TENTHS.get(v)
    if text is None:
        text = f"{v / 10:.1f}".rstrip("0").rstrip(".")
        text = "0" if text in ("-0", "") else text
        text = text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text
        if len(_TENTHS) < 100_000:
            _TENTHS[v] = text
    return text


def _compact(match: re.Match) -> bytes:
    """One path's data with coordinates to 0,1 pt and every line-to relative to the point before it."""
    tokens = match.group(1).decode("ascii").split()  # matplotlib writes 'M x y L x y … z', space-separated
    letters = [i for i, t in enumerate(tokens) if t.isalpha()]
    numbers = [t for t in tokens if not t.isalpha()]
    values = iter(np.rint(np.array(numbers, dtype=float) * 10).astype(np.int64).tolist() if numbers else ())
    out: list[str] = []
    x0 = y0 = sx = sy = 0  # the current point and the start of the subpath, in tenths
    relative = False  # the last command written is 'l': further pairs need no letter
    for at, nxt in zip(letters, [*letters[1:], len(tokens)]):
        letter, count = tokens[at], nxt - at - 1
        if letter in "Zz":
            out.append("z")
            x0, y0, relative = sx, sy, False
        elif letter == "M" and count == 2:
            x0 = sx = next(values)
            y0 = sy = next(values)
            out += ["M", _tenths(x0), _tenths(y0)]
            relative = False
        elif letter == "L" and count == 2:
            x, y = next(values), next(values)
            if not relative:
                out.append("l")
                relative = True
            out += [_tenths(x - x0), _tenths(y - y0)]
            x0, y0 = x, y
        else:  # curves (markers) and anything else stay absolute
            pairs = [next(values) for _ in range(count)]
            out += [letter, *(_tenths(v) for v in pairs)]
            if count >= 2:
                x0, y0 = pairs[-2], pairs[-1]
            relative = False
    return b' d="' + " ".join(out).replace(" -", "-").encode("ascii") + b'"'


def compact_path_data(svg: bytes) -> bytes:
    """Path coordinates to 0,1 pt (0,035 mm: nothing visible moves) instead of matplotlib's six decimals,
    each line-to relative to the point before: a map of all gemeenten is mostly coordinates, and this
    makes it less than half as large."""
    return _PATH_DATA.sub(_compact, svg)


