"""The rules of an own file beyond one cell: its header, the rules between columns of a row, parts
that exceed their whole, and rows that repeat a key.

Each check makes one pass over the rows (a duplicate names the line of the row it repeats), so a file
with many problems costs no more than a clean one.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import numpy as np
import pandas as pd

from kompas_lib.sources.template_specs import Spec


def _num(x: float) -> str:
    """A number as written in a Dutch message: 30, 8,5 (no exponent, decimal comma)."""
    return str(int(x)) if float(x).is_integer() else f"{x:.10g}".replace(".", ",")


def header_problems(columns: list[str], source: str, spec: Spec, header_line: int) -> list[str]:
    """A template column the file lacks (naming the file's column it probably is), and a column the
    template does not have (unless it is such a misspelling)."""
    missing = [c for c in spec.names if c not in columns]
    extra = [c for c in columns if c not in spec.names]
    problems = []
    for c in missing:
        near = difflib.get_close_matches(c, extra, n=1)
        problems.append(f"{source}: regel {header_line}: kolom '{c}' ontbreekt"
                        + (f" (bedoelt u '{near[0]}'?)" if near else "")
                        + f"; zie het sjabloon kompas_lib/templates/{spec.file}")
    for c in extra:
        if not difflib.get_close_matches(c, missing, n=1):
            problems.append(f"{source}: regel {header_line}: kolom '{c}' hoort niet bij het sjabloon; verwijder de "
                            f"kolom of geef haar een naam uit kompas_lib/templates/{spec.file}")
    return problems


def _filled(values: pd.Series) -> pd.Series:
    """Whether each cell holds something: a text that is not empty, or a number (not NaN)."""
    return values.notna() & (values.astype(object) != "")


def rule_problems(df: pd.DataFrame, spec: Spec, at: Callable[[int], str]) -> list[str]:
    """The rules between columns: at least one of ``one_of`` filled, ``needs`` filled in pairs, and
    ``not_before`` dates in order."""
    problems = []
    if spec.one_of:
        names = (", ".join(spec.one_of) if len(spec.one_of) <= 6
                 else f"{spec.one_of[0]} tot en met {spec.one_of[-1]}")
        filled = pd.concat([_filled(df[c]) for c in spec.one_of], axis=1).any(axis=1)
        for i in np.where(~filled)[0]:
            problems.append(f"{at(i)}: kolommen {names}: alle leeg; vul er minstens één in")
    for col, other in spec.needs:
        for i in np.where((df[col] != "") & (df[other] == ""))[0]:
            problems.append(f"{at(i)}: kolom '{other}' is leeg, maar '{col}' is ingevuld; vul beide in of laat "
                            "beide leeg")
    for later, earlier in spec.not_before:
        late, early = df[later].to_numpy(), df[earlier].to_numpy()
        for i in np.where((df[later] != "") & (df[earlier] != "") & (df[later] < df[earlier]))[0]:
            problems.append(f"{at(i)}: kolom '{later}': {late[i]} ligt vóór {earlier} {early[i]}")
    return problems


def bound_problems(df: pd.DataFrame, spec: Spec, at: Callable[[int], str]) -> list[str]:
    """A part (or the sum of several) larger than its whole (``bounds``, where ``bounded_when`` holds)."""
    problems = []
    for nums, den in spec.bounds:
        nums = (nums,) if isinstance(nums, str) else tuple(nums)
        applies = pd.Series(True, index=df.index)
        for c, vals in spec.bounded_when.items():
            applies &= df[c].isin(vals)
        total = df[list(nums)].sum(axis=1, min_count=len(nums))
        what = " + ".join(nums) + " = "
        part, whole = total.to_numpy(), df[den].to_numpy()
        for i in np.where(applies & (total > df[den]))[0]:
            problems.append(f"{at(i)}: kolom '{nums[-1]}': {what}{_num(part[i])} is meer dan "
                            f"{den} = {_num(whole[i])}; het deel kan niet groter zijn dan het geheel")
    return problems


def duplicate_problems(df: pd.DataFrame, spec: Spec, at: Callable[[int], str],
                        line_of: Callable[[int], int]) -> list[str]:
    """A row with the same key as an earlier row (naming that row's line); one pass over the rows."""
    problems = []
    keyed = df[list(spec.key)].astype(object).fillna("").astype(str)  # empty keys compare as equal
    involved = np.where(keyed.duplicated(keep=False))[0]  # rows that share their key with another row
    first: dict[tuple, int] = {}
    for i, key in zip(involved, zip(*(keyed[c].to_numpy()[involved].tolist() for c in spec.key))):
        j = first.setdefault(key, i)
        if j != i:
            problems.append(f"{at(i)}: kolommen {', '.join(spec.key)}: dezelfde combinatie als op regel "
                            f"{line_of(j)}; elke combinatie mag maar één keer voorkomen")
    return problems
