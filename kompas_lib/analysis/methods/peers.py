"""Comparable gemeenten: k nearest neighbours on a standardised profile (DESIGN.md §4)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kompas_lib.core.errors import DataError


def standardise(profile: pd.DataFrame) -> pd.DataFrame:
    """z-scores per column (mean 0, sd 1 over all gemeenten); constant columns become 0."""
    sd = profile.std(ddof=0).replace(0, np.nan)
    return ((profile - profile.mean()) / sd).fillna(0.0)


def nearest(profile: pd.DataFrame, focus: str, k: int = 15, fixed: list[str] | None = None) -> pd.DataFrame:
    """The ``k`` gemeenten closest to ``focus`` (Euclidean distance on z-scores).

    ``profile``: one row per gemeente (index = code), one column per profile variable. Gemeenten with
    a missing variable are left out. ``fixed``: the user's own list, which overrides the choice
    (distances are still shown). Returns columns ``distance`` and the raw profile, nearest first.
    """
    complete = profile.dropna()
    if focus not in complete.index:
        why = (f"er ontbreekt: {', '.join(profile.columns[profile.loc[focus].isna()])}" if focus in profile.index
               else "de gemeente staat niet in de gegevens")
        raise DataError(f"Het profiel van {focus} is onvolledig ({why}); vergelijkbare gemeenten zijn niet te "
                        "bepalen. Kies in het instellingenbestand onder 'vergelijkbare_gemeenten.profiel' kenmerken "
                        "die er wel zijn.")
    z = standardise(complete)
    dist = np.sqrt(((z - z.loc[focus]) ** 2).sum(axis=1)).drop(focus)
    chosen = [c for c in fixed if c in dist.index] if fixed else list(dist.nsmallest(k).index)
    out = complete.loc[chosen].copy()
    out.insert(0, "distance", dist.loc[chosen])
    return out.sort_values("distance")


def nearest_all(profile: pd.DataFrame, k: int = 15) -> dict[str, list[str]]:
    """For every gemeente with a complete profile, the codes of its ``k`` nearest gemeenten, nearest
    first — :func:`nearest` for all of them at once (one distance matrix; ties in the order of the
    profile, as ``nsmallest`` keeps them)."""
    complete = profile.dropna()
    z = standardise(complete).to_numpy(dtype=float)
    codes = complete.index.to_numpy()
    d = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(d, np.inf)
    order = np.argsort(d, axis=1, kind="stable")[:, :k]
    return {str(code): [str(c) for c in codes[row]] for code, row in zip(codes, order)}
