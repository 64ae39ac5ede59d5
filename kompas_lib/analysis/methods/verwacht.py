"""Expected use: how many youths would use care in a gemeente with this profile?

A negative binomial GLM (NB2, log link) over all gemeenten of one year:

    y_i ~ NB(μ_i, α),  log μ_i = log e_i + β₀ + Σ_k β_k z_ik

with y_i the count (youths with jeugdzorg), e_i the exposure (youths of that age), z_ik the profile
characteristics standardised over the gemeenten (so exp(β_k) is the rate ratio per standard
deviation) and α the overdispersion: the squared coefficient of variation of the rate between
gemeenten that the profile does not explain. Why negative binomial and not quasi-binomial: the
differences between gemeenten are multiplicative (a gemeente's rate is some percent above or below
its expectation whatever its size), so their variance grows with μ², which NB2 models and a
quasi-binomial variance φ·μ does not — that would make the intervals of large gemeenten too narrow
and those of small ones too wide.

* **Out of sample.** A gemeente's (or jeugdregio's) expectation comes from a fit *without* it
  (β refitted with α fixed at the all-gemeenten estimate), so its own count cannot pull the
  expectation towards itself.
* **Prediction interval** for the count: the NB distribution with the expectation's mean and a
  variance that adds the between-gemeente spread α μ², the Poisson noise μ and the uncertainty of
  the fitted coefficients (var log μ̂ = xᵀ Σ x), moment-matched to a negative binomial. The ratio
  observed / expected is judged against it, at the same levels as every other verdict in a report
  (95 % for the figure, 99,8 % for 'uitzonderlijk', :mod:`.spread`).
* **Contributions**: how many youths each characteristic adds to or takes from the expectation
  compared with a gemeente with the national average profile — a log-mean Divisia split, so the
  parts add up exactly to the difference (Ang 2004).
* **Curvature**: a characteristic named in ``curved`` also enters squared (standardised, then squared),
  so its effect may flatten or steepen towards the extremes. Size is curved: a straight line in
  log(inwoners) overestimated the use of the largest gemeenten (chosen by leave-one-out deviance).
* **Outside the fitted range**: an expectation for a gemeente whose characteristic lies beyond the
  lowest or highest value of the gemeenten it was estimated from is an extrapolation;
  :attr:`Expectation.outside` names those characteristics, and the report says so.
* **Explained spread**: 1 − α / α₀ (α₀ of the model without characteristics): the share of the
  differences between gemeenten beyond chance that the profile accounts for.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from kompas_lib.analysis.methods import profiel
from kompas_lib.analysis.methods.spread import ALPHA

LEVEL95 = 0.95
LEVEL_ALERT = 1 - ALPHA  # 99,8 %
MIN_GEMEENTEN = 30


@dataclass(frozen=True)
class Fit:
    """The model of one outcome and year over a set of gemeenten."""

    variables: tuple[str, ...]
    codes: pd.Index  # the gemeenten it was fitted on (rows of y, e, z)
    y: np.ndarray
    e: np.ndarray
    z: np.ndarray  # design without the constant: standardised characteristics, then squares of the curved ones
    centre: np.ndarray  # mean and sd used to standardise
    scale: np.ndarray
    params: np.ndarray  # β₀, β_1 … β_K, then γ of each curved characteristic
    cov: np.ndarray
    alpha: float
    alpha0: float  # overdispersion without characteristics
    curved: tuple[str, ...] = ()
    _loo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def explained(self) -> float:
        """Share of the between-gemeente spread beyond chance that the profile explains (0–1)."""
        return max(0.0, 1 - self.alpha / self.alpha0) if self.alpha0 > 0 else float("nan")

    @property
    def raw(self) -> np.ndarray:
        """The characteristics of the fitted gemeenten as given (rows × variables)."""
        return self.z[:, :len(self.variables)] * self.scale + self.centre

    def x(self, raw: np.ndarray) -> np.ndarray:
        """Design rows (with constant) for raw characteristics (rows × variables)."""
        z = (np.atleast_2d(raw) - self.centre) / self.scale
        return _design(_expand(z, self.variables, self.curved))

    def coefficients(self) -> pd.DataFrame:
        """Rate ratio per standard deviation of each characteristic, with its 95 % interval; a curved
        characteristic has a second row (``kwadraat``): the ratio per squared standard deviation."""
        se = np.sqrt(np.diag(self.cov))[1:]
        b = self.params[1:]
        q = stats.norm.ppf(0.975)
        names = [*self.variables, *self.curved]
        sd = [*self.scale, *(self.scale[self.variables.index(v)] for v in self.curved)]
        return pd.DataFrame({"variable": names, "kwadraat": [False] * len(self.variables) + [True] * len(self.curved),
                             "sd": sd, "ratio": np.exp(b), "laag": np.exp(b - q * se), "hoog": np.exp(b + q * se)})

    def log_terms(self, raw: np.ndarray, ref: np.ndarray) -> np.ndarray:
        """Per characteristic, the log of the expectation at ``raw`` minus that at ``ref`` (one profile
        each): β_k Δz_k, plus γ_k Δ(z_k²) for a curved one."""
        z, z0 = (raw - self.centre) / self.scale, (ref - self.centre) / self.scale
        k = len(self.variables)
        terms = self.params[1:k + 1] * (z - z0)
        for j, v in enumerate(self.curved):
            i = self.variables.index(v)
            terms[i] += self.params[k + 1 + j] * (z[i] ** 2 - z0[i] ** 2)
        return terms


def _expand(z: np.ndarray, variables: tuple[str, ...], curved: tuple[str, ...]) -> np.ndarray:
    """Standardised characteristics followed by the squares of the curved ones."""
    return np.column_stack([z, *(z[:, variables.index(v)] ** 2 for v in curved)])


def _design(z: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(len(z)), z])


def irls(y, e, xd, alpha: float, start: np.ndarray, tol: float = 1e-10, max_iter: int = 50):
    """β and its covariance of the NB2 GLM with α fixed, by iteratively reweighted least squares from
    ``start`` — the estimator statsmodels' ``GLM(family=NegativeBinomial(alpha))`` computes, without
    its per-call overhead (a leave-one-out over 342 gemeenten is 342 refits). Weights μ/(1 + αμ)
    (expected information of the log link); covariance (XᵀWX)⁻¹."""
    beta, off = np.asarray(start, dtype=float), np.log(e)
    for _ in range(max_iter):
        eta = xd @ beta + off
        mu = np.exp(eta)
        w = mu / (1 + alpha * mu)
        z = eta - off + (y - mu) / mu
        xtw = xd.T * w
        new = np.linalg.solve(xtw @ xd, xtw @ z)
        done = np.max(np.abs(new - beta)) < tol
        beta = new
        if done:
            break
    mu = np.exp(xd @ beta + off)
    info = (xd.T * (mu / (1 + alpha * mu))) @ xd
    return beta, np.linalg.inv(info)


def _glm(y, e, xd, alpha, start=None):
    import statsmodels.api as sm  # here, not at import: a report reads fits kept beside the data (0,6 s)

    return sm.GLM(y, xd, family=sm.families.NegativeBinomial(alpha=alpha), offset=np.log(e)).fit(
        start_params=start)


def _nb_alpha(y, e, xd) -> tuple[float, np.ndarray]:
    """Maximum-likelihood α (and β) of an NB2 model (BFGS; Newton can step to a negative α)."""
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.NegativeBinomial(y, xd, offset=np.log(e), loglike_method="nb2").fit(disp=0, method="bfgs",
                                                                                   maxiter=500)
    return float(res.params[-1]), np.asarray(res.params[:-1])


def fit(frame: pd.DataFrame, variables: list[str] | tuple[str, ...], curved: list[str] | tuple[str, ...] = ()
        ) -> Fit | None:
    """Fit the model on ``frame`` (index gemeente code; columns y, e and the characteristics); the
    characteristics in ``curved`` (a subset of ``variables``) also enter squared.

    Rows with a missing or non-positive exposure, or a missing count or characteristic, are left out.
    None when fewer than 30 gemeenten remain or the model cannot be estimated."""
    data = _fit_data(frame, variables, curved)
    if data is None:
        return None
    variables, curved, codes, y, e, z, centre, scale = data
    xd = _design(z)
    try:
        alpha, start = _nb_alpha(y, e, xd)
        alpha0, _ = _nb_alpha(y, e, np.ones((len(y), 1)))
        res = _glm(y, e, xd, alpha, start)
    except (np.linalg.LinAlgError, ValueError):
        return None
    if not (np.isfinite(alpha) and alpha > 0 and np.all(np.isfinite(res.params))):
        return None
    return Fit(variables, codes, y, e, z, centre, scale, np.asarray(res.params), np.asarray(res.cov_params()),
               alpha, alpha0, curved)


def _fit_data(frame: pd.DataFrame, variables, curved):
    """What :func:`fit` estimates from: the gemeenten kept, their counts, exposures and standardised design
    (with its centre and scale); None when too few gemeenten remain."""
    variables = tuple(variables)
    curved = tuple(v for v in variables if v in set(curved))
    d = frame.loc[:, ["y", "e", *variables]].astype(float)
    d = d[(d["e"] > 0) & d.notna().all(axis=1) & (d["y"] >= 0)]
    if len(d) < max(MIN_GEMEENTEN, len(variables) + len(curved) + 10):
        return None
    raw = d[list(variables)].to_numpy()
    centre, scale = raw.mean(axis=0), raw.std(axis=0, ddof=1)
    scale = np.where(scale > 0, scale, 1.0)
    z = _expand((raw - centre) / scale, variables, curved)
    return variables, curved, d.index, d["y"].to_numpy(), d["e"].to_numpy(), z, centre, scale


def estimates(model: Fit | None) -> pd.DataFrame:
    """The estimates of a fit as a table to keep (one row per coefficient: its value, its row of the
    covariance matrix, and α and α₀ repeated); empty for no fit. :func:`from_estimates` makes the fit again
    from it and the frame, without estimating."""
    if model is None:
        return pd.DataFrame({"param": pd.Series(dtype=float)})
    out = pd.DataFrame(model.cov, columns=[f"cov{i}" for i in range(len(model.params))])
    return out.assign(param=model.params, alpha=model.alpha, alpha0=model.alpha0)


def from_estimates(frame: pd.DataFrame, variables, curved, kept: pd.DataFrame) -> Fit | None:
    """The :func:`fit` of ``frame`` whose :func:`estimates` are ``kept``: the same fit, without
    estimating it again (nor importing statsmodels)."""
    data = _fit_data(frame, variables, curved)
    if data is None or kept.empty:
        return None
    variables, curved, codes, y, e, z, centre, scale = data
    cov = kept[[f"cov{i}" for i in range(len(kept))]].to_numpy(dtype=float)
    return Fit(variables, codes, y, e, z, centre, scale, kept["param"].to_numpy(dtype=float), cov,
               float(kept["alpha"].iloc[0]), float(kept["alpha0"].iloc[0]), curved)


@dataclass(frozen=True)
class Expectation:
    """Observed and expected count of a gemeente or a group of gemeenten (summed)."""

    observed: float
    expected: float
    log_var: float  # variance of log(expected) from the coefficients
    variance: float  # of the count around the expectation (all sources)
    parts: pd.DataFrame  # per member: code, observed, expected, x (raw characteristics)
    # characteristics of a member beyond the range of the gemeenten the expectation was estimated from:
    # (member code, variable, its value, lowest, highest of the others)
    outside: tuple[tuple[str, str, float, float, float], ...] = ()

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected > 0 else float("nan")

    def interval(self, level: float = LEVEL95) -> tuple[float, float]:
        """Prediction interval of the count (the quantiles of a moment-matched NB)."""
        return count_interval(self.expected, self.variance, level)

    def ratio_interval(self, level: float = LEVEL95) -> tuple[float, float]:
        lo, hi = self.interval(level)
        return lo / self.expected, hi / self.expected

    def verdict(self) -> str:
        """'hoger' / 'lager' when the observed count lies outside the 99,8 % prediction interval
        (uitzonderlijk, as everywhere in the report), else 'zoals verwacht'."""
        lo, hi = self.interval(LEVEL_ALERT)
        return "hoger" if self.observed > hi else "lager" if self.observed < lo else "zoals verwacht"

    def inside95(self) -> bool:
        lo, hi = self.interval(LEVEL95)
        return bool(lo <= self.observed <= hi)


def count_interval(mean: float, variance: float, level: float) -> tuple[float, float]:
    """Central ``level`` interval of a count with this mean and variance: negative binomial when
    overdispersed, Poisson otherwise."""
    tail = (1 - level) / 2
    if mean <= 0:
        return 0.0, 0.0
    if variance <= mean * (1 + 1e-9):
        lo, hi = stats.poisson.ppf([tail, 1 - tail], mean)
    else:
        n = mean ** 2 / (variance - mean)
        lo, hi = stats.nbinom.ppf([tail, 1 - tail], n, n / (n + mean))
    return float(lo), float(hi)


def count_variance(mu: np.ndarray, alpha: float, log_var: float) -> float:
    """Variance of the summed count: Poisson + between-gemeente spread per member, times the
    coefficient uncertainty (log-normal), plus the latter's effect on the sum's level."""
    g = math.exp(log_var)
    return float(g * (mu + alpha * mu ** 2).sum() + mu.sum() ** 2 * (g - 1))


def expect(model: Fit, frame: pd.DataFrame, members, *, refit: bool = True) -> Expectation | None:
    """The expectation for ``members`` (one code or several, summed) from a fit without them.

    ``frame`` holds y, e and the raw characteristics of (at least) the members. With ``refit`` the
    coefficients are estimated again on the other gemeenten (α kept); else the model's own."""
    members = [members] if isinstance(members, str) else list(members)
    own = frame.reindex(members)[["y", "e", *model.variables]].astype(float).dropna()
    own = own[own["e"] > 0]
    if own.empty:
        return None
    keep = ~model.codes.isin(own.index) if refit else np.ones(len(model.codes), dtype=bool)
    if refit and not keep.all():
        xd = _design(model.z[keep])
        params, cov = irls(model.y[keep], model.e[keep], xd, model.alpha, model.params)
    else:
        params, cov = model.params, model.cov
    xs = model.x(own[list(model.variables)].to_numpy())
    mu = own["e"].to_numpy() * np.exp(xs @ params)
    w = mu / mu.sum()  # log of the sum: gradient is the expectation-weighted mean design row
    xbar = w @ xs
    log_var = float(xbar @ cov @ xbar)
    parts = pd.DataFrame({"code": own.index, "observed": own["y"].to_numpy(), "expected": mu})
    for k, v in enumerate(model.variables):
        parts[v] = own[v].to_numpy()
    return Expectation(float(own["y"].sum()), float(mu.sum()), log_var, count_variance(mu, model.alpha, log_var), parts,
                       outside_range(model, own[list(model.variables)], keep))


def outside_range(model: Fit, raw: pd.DataFrame, keep: np.ndarray) -> tuple[tuple[str, str, float, float, float], ...]:
    """The characteristics of ``raw`` (rows: members) beyond the lowest or highest value among the
    gemeenten ``keep`` selects from the fit (those the expectation was estimated from)."""
    base = model.raw[keep]
    if not len(base):
        return ()
    lo, hi = base.min(axis=0), base.max(axis=0)
    out = []
    for code, row in zip(raw.index, raw.to_numpy(dtype=float)):
        for k, v in enumerate(model.variables):
            if row[k] < lo[k] - 1e-12 or row[k] > hi[k] + 1e-12:
                out.append((str(code), v, float(row[k]), float(lo[k]), float(hi[k])))
    return tuple(out)


def leave_one_out(model: Fit, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """For every gemeente of the fit: observed, expected without it, the 95 % and 99,8 % intervals
    and whether the observed count lies inside its own 95 % interval (cached on the fit). The same
    numbers as :func:`expect` for that one gemeente, computed on the fit's arrays."""
    if "table" not in model._loo:
        xd = _design(model.z)
        raw = model.raw
        rest_lo = _min_without_each(raw)
        rest_hi = -_min_without_each(-raw)
        rows = []
        for i, code in enumerate(model.codes):
            keep = np.ones(len(model.y), dtype=bool)
            keep[i] = False
            params, cov = irls(model.y[keep], model.e[keep], xd[keep], model.alpha, model.params)
            mu = model.e[i] * math.exp(float(xd[i] @ params))
            log_var = float(xd[i] @ cov @ xd[i])
            ex = Expectation(float(model.y[i]), mu, log_var, count_variance(np.array([mu]), model.alpha, log_var),
                             pd.DataFrame())
            lo, hi = ex.interval(LEVEL95)
            lo2, hi2 = ex.interval(LEVEL_ALERT)
            rows.append({"code": code, "observed": ex.observed, "expected": mu, "ratio": ex.ratio, "log_var": log_var,
                         "laag95": lo, "hoog95": hi, "laag998": lo2, "hoog998": hi2,
                         "binnen95": lo <= ex.observed <= hi, "oordeel": ex.verdict(),
                         "buiten_bereik": bool(np.any((raw[i] < rest_lo[i]) | (raw[i] > rest_hi[i])))})
        model._loo["table"] = pd.DataFrame(rows).set_index("code")
    return model._loo["table"]


def _min_without_each(a: np.ndarray) -> np.ndarray:
    """Row i: the column minima of ``a`` without row i (the smallest, or for the row holding it the second)."""
    order = np.sort(a, axis=0)
    first, second = order[0], order[1] if len(a) > 1 else np.full(a.shape[1], np.inf)
    return np.where(a == first, second, first)


def calibration(loo: pd.DataFrame) -> float:
    """Share of gemeenten whose observed count lies inside their own out-of-sample 95 % interval."""
    return float(loo["binnen95"].mean()) if len(loo) else float("nan")


SIZE_CLASSES = ((0, 2_500, "minder dan 2.500"), (2_500, 5_000, "2.500 tot 5.000"),
                (5_000, 10_000, "5.000 tot 10.000"), (10_000, 25_000, "10.000 tot 25.000"),
                (25_000, math.inf, "25.000 of meer"))


def calibration_by_size(model: Fit, loo: pd.DataFrame) -> pd.DataFrame:
    """Calibration per size class of the exposure (the number of young people of the outcome's age):
    gemeenten, the share inside their own out-of-sample 95 % interval, and the mean of observed /
    expected. A model that fits the many small gemeenten can miss the few large ones; this shows it."""
    size = pd.Series(model.e, index=model.codes).reindex(loo.index)
    rows = []
    for low, high, label in SIZE_CLASSES:
        at = loo[(size >= low) & (size < high)]
        if len(at):
            rows.append({"klasse": label, "gemeenten": len(at), "binnen95": float(at["binnen95"].mean()),
                         "verhouding": float(at["ratio"].mean())})
    return pd.DataFrame(rows, columns=["klasse", "gemeenten", "binnen95", "verhouding"])


def reference_profile(model: Fit) -> np.ndarray:
    """The national average profile: the characteristics averaged over the gemeenten, weighted by
    their exposure (so it describes the average youth, as the national figure does)."""
    return np.average(model.raw, axis=0, weights=model.e)


def contributions(model: Fit, ex: Expectation) -> pd.DataFrame:
    """Per characteristic: the gemeente's value, the national average and how many youths it adds
    to (+) or takes from (−) the expectation compared with a gemeente of the same size with the
    average profile. Log-mean Divisia: the parts add up to expected − expected at the average profile."""
    ref = reference_profile(model)
    shares = np.zeros(len(model.variables))
    for _, row in ex.parts.iterrows():
        terms = model.log_terms(row[list(model.variables)].to_numpy(dtype=float), ref)
        mu, mu0 = float(row["expected"]), float(row["expected"]) / math.exp(terms.sum())
        lmean = (mu - mu0) / math.log(mu / mu0) if abs(mu - mu0) > 1e-9 * mu else mu
        shares += lmean * terms
    own = np.average(ex.parts[list(model.variables)].to_numpy(dtype=float), axis=0, weights=ex.parts["expected"])
    return pd.DataFrame({"variable": model.variables, "waarde": own, "gemiddeld": ref, "bijdrage": shares})


def _population(facts_of, indicators: list[str], codes, year: int) -> pd.Series:
    """The population of ``year`` from the first indicator that has that year (else the one whose
    years come nearest)."""
    def gap(ind: str) -> int:
        years = facts_of(ind)["period_start"].dt.year.unique()
        return int(np.abs(years - year).min()) if len(years) else 10 ** 6

    best = min(indicators, key=lambda ind: (gap(ind), indicators.index(ind)))
    return profiel.values_in_year(facts_of(best), codes, year)


def model_frame(facts_of, regions: pd.DataFrame, outcome: str, noemer: list[str],
                variables: list[str] | tuple[str, ...], year: int, scale: float = 100.0,
                prof: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per current gemeente: y (the count of ``outcome`` in the full year), e (its
    population) and the raw characteristics of that year (``facts_of(indicator)`` gives an
    indicator's facts). With ``noemer`` the count is the published percentage of that population;
    without, the indicator's own numerator and denominator. ``prof``: the characteristics of that year
    (:func:`.profiel.profile_in_year`) when the caller already has them (they are the same for every
    outcome)."""
    if prof is None:
        prof = profiel.profile_in_year(facts_of, regions, list(variables), year)
    codes = prof.index
    f = facts_of(outcome)
    rows = f[(f["period"] == str(year)) & (f["group_dim"] == "totaal")
             & f["region_code"].isin(codes)].drop_duplicates("region_code").set_index("region_code")
    if noemer:
        e = _population(facts_of, noemer, codes, year)
        y = rows["value"].reindex(codes) / scale * e
    else:
        e, y = rows["denominator"].reindex(codes), rows["numerator"].reindex(codes)
    return pd.concat([pd.DataFrame({"y": y, "e": e}, index=codes), prof], axis=1)


def full_years(rows: pd.DataFrame) -> list[int]:
    """The years with a full-year figure in ``rows`` (the facts of one indicator)."""
    periods = rows["period"].unique()
    return sorted(int(p) for p in periods if isinstance(p, str) and p.isdigit())


__all__ = [
    "LEVEL95",
    "LEVEL_ALERT",
    "Expectation",
    "Fit",
    "calibration",
    "contributions",
    "count_interval",
    "count_variance",
    "expect",
    "irls",
    "fit",
    "full_years",
    "leave_one_out",
    "model_frame",
    "outside_range",
    "reference_profile",
]
