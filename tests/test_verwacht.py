"""Expected use: the model against a synthetic country with known coefficients, the interval against
hand computations, and the report's sentences against the CBS figures."""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import read_cbs
from scipy import stats

from kompas_lib.analysis.methods import verwacht as model
from kompas_lib.analysis.sections import staat, verbetercyclus, verwacht
from kompas_lib.core import fmt

TRUE_BETA = np.array([math.log(0.10), 0.20, -0.10, 0.05])
TRUE_ALPHA = 0.02


def synthetic_country(n: int = 400, seed: int = 1) -> pd.DataFrame:
    """Gemeenten with three characteristics; counts drawn from the NB2 model with known β and α."""
    rng = np.random.default_rng(seed)
    raw = rng.normal([10, 40, 5], [2, 10, 1], size=(n, 3))
    e = np.exp(rng.normal(np.log(4000), 1.0, n)).round()
    z = (raw - raw.mean(axis=0)) / raw.std(axis=0, ddof=1)
    mu = e * np.exp(TRUE_BETA[0] + z @ TRUE_BETA[1:])
    lam = mu * rng.gamma(1 / TRUE_ALPHA, TRUE_ALPHA, n)  # gamma mixing: NB2 with this α
    y = rng.poisson(lam)
    return pd.DataFrame({"y": y, "e": e, "a": raw[:, 0], "b": raw[:, 1], "c": raw[:, 2]},
                        index=[f"GM{i:04d}" for i in range(n)])


@pytest.fixture(scope="module")
def country():
    frame = synthetic_country()
    return frame, model.fit(frame, ["a", "b", "c"])


def test_fit_recovers_the_known_coefficients(country):
    _, fit = country
    se = np.sqrt(np.diag(fit.cov))
    assert np.all(np.abs(fit.params - TRUE_BETA) < 3 * se), (fit.params, TRUE_BETA, se)
    assert 0.012 < fit.alpha < 0.03
    assert 0.6 < fit.explained <= 1  # most of the spread beyond chance comes from the characteristics


def test_leave_one_out_differs_from_in_sample(country):
    frame, _ = country
    code = frame.index[0]
    lifted = frame.copy()
    lifted.loc[code, "y"] = frame.loc[code, "y"] * 3  # one gemeente far above its expectation
    fit2 = model.fit(lifted, ["a", "b", "c"])
    inside = model.expect(fit2, lifted, code, refit=False)
    outside = model.expect(fit2, lifted, code)
    assert outside.expected < inside.expected  # in sample its own count pulls the expectation up
    assert outside.verdict() == "hoger"
    # the out-of-sample fit is the same model fitted on the other gemeenten, by an independent route
    other = model.fit(lifted.drop(index=code), ["a", "b", "c"])
    x = other.x(lifted.loc[[code], ["a", "b", "c"]].to_numpy())
    assert outside.expected == pytest.approx(float(lifted.loc[code, "e"] * np.exp(x @ other.params)[0]), rel=0.02)


def test_prediction_interval_covers_about_95_percent_of_simulated_gemeenten(country):
    frame, fit = country
    loo = model.leave_one_out(fit, frame)
    for code in frame.index[:5]:  # the table of all gemeenten says what the gemeente's own sentence says
        ex = model.expect(fit, frame, code)
        assert loo.loc[code, "expected"] == pytest.approx(ex.expected, rel=1e-9)
        assert (loo.loc[code, "laag95"], loo.loc[code, "hoog95"]) == ex.interval()
        assert loo.loc[code, "oordeel"] == ex.verdict()
    share = model.calibration(loo)
    assert 0.92 <= share <= 0.98


def test_calibration_by_size_counts_every_gemeente_once_by_hand(country):
    frame, fit = country
    loo = model.leave_one_out(fit, frame)
    by = model.calibration_by_size(fit, loo)
    assert by["gemeenten"].sum() == len(loo) and list(by["klasse"]) == [
        k for lo, hi, k in model.SIZE_CLASSES if ((frame["e"] >= lo) & (frame["e"] < hi)).any()]
    big = frame.index[frame["e"] >= 25_000]
    row = by.set_index("klasse").loc["25.000 of meer"]
    assert row["gemeenten"] == len(big) and row["binnen95"] == pytest.approx(loo.loc[big, "binnen95"].mean())
    assert row["verhouding"] == pytest.approx(loo.loc[big, "ratio"].mean())
    assert (by["binnen95"] > 0.8).all()  # the synthetic country is the model: every class is calibrated


def test_count_interval_by_hand():
    lo, hi = model.count_interval(100.0, 100.0, 0.95)  # no overdispersion: Poisson
    assert (lo, hi) == (stats.poisson.ppf(0.025, 100), stats.poisson.ppf(0.975, 100))
    mean, var = 100.0, 100 + 0.05 * 100 ** 2  # NB2 with α = 0,05: size 1/α = 20
    lo, hi = model.count_interval(mean, var, 0.95)
    assert (lo, hi) == tuple(stats.nbinom.ppf([0.025, 0.975], 20, 20 / 120))


def test_contributions_add_up_to_the_difference_with_the_average_profile(country):
    frame, fit = country
    ex = model.expect(fit, frame, list(frame.index[:3]))  # a group of gemeenten, as for a jeugdregio
    parts = model.contributions(fit, ex)
    ref = model.reference_profile(fit)
    at_average = sum(r.expected / math.exp(float(fit.params[1:] @ ((r[["a", "b", "c"]].to_numpy(dtype=float) - ref)
                                                                   / fit.scale)))
                     for _, r in ex.parts.iterrows())
    assert parts["bijdrage"].sum() == pytest.approx(ex.expected - at_average, rel=1e-9)
    assert ex.observed == frame["y"].iloc[:3].sum()


def curved_country(n: int = 400, seed: int = 2) -> pd.DataFrame:
    """Gemeenten whose use bends with size: log μ/e = β₀ + β s + γ s² (s standardised log size)."""
    rng = np.random.default_rng(seed)
    size = rng.normal(4.0, 0.4, n)  # log10 inwoners
    e = np.round(10 ** size * 0.2)
    s = (size - size.mean()) / size.std(ddof=1)
    mu = e * np.exp(math.log(0.1) + 0.15 * s - 0.12 * s ** 2)
    y = rng.poisson(mu * rng.gamma(1 / TRUE_ALPHA, TRUE_ALPHA, n))
    return pd.DataFrame({"y": y, "e": e, "inwoners": size, "b": rng.normal(0, 1, n)},
                        index=[f"GM{i:04d}" for i in range(n)])


def test_a_curved_characteristic_recovers_its_bend_and_mends_the_extremes():
    frame = curved_country()
    straight = model.fit(frame, ["inwoners", "b"])
    curved = model.fit(frame, ["inwoners", "b"], curved=["inwoners"])
    coef = curved.coefficients().set_index(["variable", "kwadraat"])
    bend = coef.loc[("inwoners", True)]
    assert bend["laag"] < math.exp(-0.12) < bend["hoog"] and bend["hoog"] < 1  # γ found, and below 0
    assert coef.loc[("b", False), "laag"] < 1 < coef.loc[("b", False), "hoog"]  # b has no effect
    big = frame.index[frame["inwoners"] >= frame["inwoners"].quantile(0.95)]
    ratio = {name: model.leave_one_out(f, frame).loc[big, "ratio"].mean() for name, f in
             (("straight", straight), ("curved", curved))}
    assert ratio["straight"] < 0.9 and abs(ratio["curved"] - 1) < 0.1, ratio  # a line overestimates the largest
    # the design of a new profile carries the square: the expectation equals e · exp(xβ) by hand
    ex = model.expect(curved, frame, frame.index[0], refit=False)
    z = (frame.loc[frame.index[0], ["inwoners", "b"]].to_numpy(float) - curved.centre) / curved.scale
    by_hand = frame["e"].iloc[0] * math.exp(curved.params @ [1, z[0], z[1], z[0] ** 2])
    assert ex.expected == pytest.approx(by_hand, rel=1e-12)


def test_contributions_of_a_curved_characteristic_add_up():
    frame = curved_country()
    fit = model.fit(frame, ["inwoners", "b"], curved=["inwoners"])
    ex = model.expect(fit, frame, list(frame.index[:4]))
    parts = model.contributions(fit, ex)
    ref = model.reference_profile(fit)
    at_average = 0.0
    for _, r in ex.parts.iterrows():  # by hand: log μ − log μ₀ = β Δz + γ Δ(z²) for the size term
        z, z0 = (r[["inwoners", "b"]].to_numpy(float) - fit.centre) / fit.scale, (ref - fit.centre) / fit.scale
        k = fit.params[1] * (z[0] - z0[0]) + fit.params[2] * (z[1] - z0[1]) + fit.params[3] * (z[0] ** 2 - z0[0] ** 2)
        at_average += r.expected / math.exp(k)
    assert parts["bijdrage"].sum() == pytest.approx(ex.expected - at_average, rel=1e-9)
    assert list(parts["variable"]) == ["inwoners", "b"]  # the square is part of its characteristic


def test_a_profile_beyond_the_fitted_range_is_flagged():
    frame = curved_country()
    fit = model.fit(frame, ["inwoners", "b"], curved=["inwoners"])
    largest, middle = frame["inwoners"].idxmax(), frame.index[(frame["inwoners"] - frame["inwoners"].median()).abs()
                                                              .argmin()]
    ex = model.expect(fit, frame, largest)
    second = frame["inwoners"].drop(index=largest).max()
    assert ("inwoners" in [o[1] for o in ex.outside]
            and [o for o in ex.outside if o[1] == "inwoners"][0][2:] == (frame.loc[largest, "inwoners"],
                                                                        frame["inwoners"].min(), second))
    assert not [o for o in model.expect(fit, frame, middle).outside if o[1] == "inwoners"]
    loo = model.leave_one_out(fit, frame)
    extremes = {frame[c].idxmax() for c in ("inwoners", "b")} | {frame[c].idxmin() for c in ("inwoners", "b")}
    assert set(loo.index[loo["buiten_bereik"]]) == extremes  # exactly the gemeenten holding a minimum or maximum


def test_too_few_gemeenten_give_no_model():
    assert model.fit(synthetic_country(n=20), ["a", "b", "c"]) is None


# --- real data ---------------------------------------------------------------------------------

def test_utrecht_sentence_matches_the_cbs_figures(make_real_scope, snapshot_dir):
    scope = make_real_scope("GM0344")
    main = verwacht.oordelen(scope)[0]
    raw = read_cbs(snapshot_dir, "85099NED")
    cbs = raw[(raw["RegioS"].str.strip() == "Utrecht (gemeente)") & (raw["Perioden"].str.strip() == str(main.year))
              & (raw["VormenVanJeugdzorg"].str.strip() == "JZ Totaal jeugdzorg")]
    observed = float(cbs["JongerenMetJeugdzorg_1"].iloc[0])
    assert main.outcome == "jongeren_jeugdzorg" and main.ex.observed == observed
    text = verwacht.sentence(scope, main)
    lo, hi = main.ex.interval()
    for number in (fmt.count(round(observed)), fmt.count(round(main.ex.expected)), fmt.count(round(lo)),
                   fmt.count(round(hi)), fmt.number(main.ex.ratio, 2)):
        assert number in text, number
    assert ("zoals verwacht" in text) == (main.ex.verdict() == "zoals verwacht")


def test_real_2023_calibration_is_between_90_and_98_percent(make_real_scope):
    scope = make_real_scope("GM0344")
    for o in verwacht.oordelen(scope):
        assert o.year == 2023
        loo = model.leave_one_out(o.fit, o.frame)
        share = model.calibration(loo)
        assert 0.90 <= share <= 0.98, (o.outcome, share)
        assert o.fit.curved == ("inwoners",)
        largest = model.calibration_by_size(o.fit, loo).iloc[-1]  # without the size bend: 81,8 % of the 11 largest
        assert largest["klasse"] == "25.000 of meer" and 0.90 <= largest["binnen95"] <= 1.0, (o.outcome, largest)
        assert 0.95 <= largest["verhouding"] <= 1.05, (o.outcome, largest)  # was 0,93 (jeugdzorg), 0,87
    main = verwacht.oordelen(scope)[0]
    size = model.calibration_by_size(main.fit, model.leave_one_out(main.fit, main.frame)).iloc[-1]
    assert 0.90 <= size["binnen95"] <= 0.98  # the appendix's class (jeugdzorg)


@pytest.mark.parametrize("code", ["GM0363", "GM0088", "GM1982", "JZ22", "PV26"])
def test_amsterdam_schiermonnikoog_land_van_cuijk_and_a_jeugdregio(make_real_scope, code):
    scope = make_real_scope(code)
    found = verwacht.oordelen(scope)
    assert [o.outcome for o in found][:2] == ["jongeren_jeugdzorg", "pct_jeugdhulp_in_natura"]
    assert "voorspellingsinterval" in verwacht.sentence(scope, found[0])
    if code in ("GM0363", "GM1982"):  # the sections themselves: for the small gemeente and the region
        return
    sections = verwacht.gebruik(scope)
    assert [s.id for s in sections][:3] == ["verwacht_gebruik", "verwacht_bijdragen", "verwacht_alle_gemeenten"]
    assert "voorspellingsinterval" in sections[0].text and "Verklaart ongeveer" in sections[1].table.columns[-1]
    if code in ("JZ22", "PV26"):  # a jeugdregio or provincie as a whole: the sum of its gemeenten
        f = scope.ind("jongeren_jeugdzorg")
        own = f[f["region_code"].isin(verwacht.members(scope)) & (f["period"] == str(found[0].year))
                & (f["group_dim"] == "totaal")]
        assert found[0].ex.observed == own["numerator"].sum() and len(found[0].ex.parts) == len(own)


def test_an_outlier_is_a_signal_in_block_1_and_block_6(make_real_scope):
    base = make_real_scope("GM0344")
    o = verwacht.oordelen(base)[0]
    loo = model.leave_one_out(o.fit, o.frame)
    code = loo.index[(loo["oordeel"] != "zoals verwacht") & (loo["observed"] >= 100)][0]
    scope = make_real_scope(code)
    own = verwacht.oordelen(scope)[0]
    assert own.ex.verdict() == loo.loc[code, "oordeel"]  # the same verdict in the figure and the sentence
    table = staat.signalen(scope).table
    assert "Jongeren met jeugdzorg (verwacht gebruik)" in set(table["Indicator"])
    assert any(s.section == "verwacht_gebruik" for s in verbetercyclus.alle_signalen(scope))
    assert "uitzonderlijk" in verwacht.sentence(scope, own) and "toeval" not in verwacht.sentence(scope, own)


def test_params_narrow_the_model_and_refuse_an_unknown_outcome(make_real_scope, tmp_path):
    from kompas_lib.core.errors import ParamsError

    own = tmp_path / "GM0344.yml"
    own.write_text("gemeente: GM0344\nverwacht_gebruik:\n  uitkomsten: [pct_jeugdbescherming]\n"
                   "  kenmerken: [bijstand, stedelijkheid]\n", encoding="utf-8")
    found = verwacht.oordelen(make_real_scope("GM0344", own))
    assert [o.outcome for o in found] == ["pct_jeugdbescherming"]
    assert found[0].fit.variables == ("bijstand", "stedelijkheid")
    bad = tmp_path / "bad.yml"
    bad.write_text("gemeente: GM0344\nverwacht_gebruik:\n  uitkomsten: [jeugdreclassering]\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="geen uitkomst van het model van het verwachte gebruik; toegestaan: jongeren_jeugdzorg"):
        make_real_scope("GM0344", bad)


def test_refit_equals_statsmodels_glm(country):
    """The leave-one-out refit (plain IRLS) is the estimator of statsmodels' GLM with α fixed."""
    import statsmodels.api as sm

    frame, fit = country
    keep = np.arange(len(fit.y)) != 7
    xd = np.column_stack([np.ones(keep.sum()), fit.z[keep]])
    ours, cov = model.irls(fit.y[keep], fit.e[keep], xd, fit.alpha, fit.params)
    ref = sm.GLM(fit.y[keep], xd, family=sm.families.NegativeBinomial(alpha=fit.alpha),
                 offset=np.log(fit.e[keep])).fit(tol=1e-12)
    assert np.allclose(ours, ref.params, rtol=0, atol=1e-8)
    assert np.allclose(cov, ref.cov_params(), rtol=1e-6, atol=0)


def test_the_country_as_a_whole_gets_no_expectation_and_its_report_builds(make_real_scope):
    scope = make_real_scope("NL01")  # accepted by the params (as PV codes now are)
    assert verwacht.oordelen(scope) == [] and "geen verwachting" in verwacht.gebruik(scope)[0].text
    assert all(s is not None for s in staat.groepen(scope))  # the country against itself: no crash
