"""The one comparison model: τ² against statsmodels and a hand computation, verdicts on a synthetic
country with known outliers, false-alarm rates of the signal and trend rules by simulation."""

import math

import numpy as np
import pandas as pd
import pytest

from kompas_lib.analysis.methods import signals, spread


def test_dersimonian_laird_by_hand():
    # three units, y = 0, 1, 2 with variance 1 each: Q = 2, c = 3 - 3/3 = 2, tau² = (2 - 2)/2 = 0
    assert spread.dersimonian_laird([0, 1, 2], [1, 1, 1]) == (0.0, 1.0)
    # y = 0, 2, 4 with variance 1: Q = 8, c = 2, tau² = (8 - 2)/2 = 3; equal weights -> mean 2
    assert spread.dersimonian_laird([0, 2, 4], [1, 1, 1]) == (3.0, 2.0)


def test_tau2_equals_statsmodels():
    from statsmodels.stats.meta_analysis import combine_effects

    rng = np.random.default_rng(1)
    n = rng.integers(500, 50_000, 200)
    p = np.clip(rng.normal(0.11, 0.02, 200), 0.01, 0.5)
    k = rng.binomial(n, p)
    y, v = spread.transform(k, n, "percentage")
    tau2, mu = spread.dersimonian_laird(y, v)
    ref = combine_effects(y, v, method_re="dl")
    assert tau2 == pytest.approx(ref.tau2, rel=1e-9) and mu == pytest.approx(ref.mean_effect_re, rel=1e-9)


def test_variance_stabilising_scales():
    y, v = spread.transform(25, 100, "percentage")
    assert y == pytest.approx(math.asin(0.5)) and v == pytest.approx(1 / 400)
    y, v = spread.transform(9, 1000, "per_1000")  # 9 per 1.000 inhabitants: Poisson, sqrt scale
    assert y == pytest.approx(math.sqrt(0.009)) and v == pytest.approx(1 / 4000)
    assert spread.back(y, "per_1000", 1000) == pytest.approx(9)
    assert spread.estimate([1] * 20, [10] * 20, [100] * 20, "euro", 1) is None  # no verdict on euro


def country(rng, units=300, outliers=()):
    """Gemeenten with real between-gemeente differences (τ on the arcsine scale 0,03) and known outliers."""
    n = rng.integers(1_000, 60_000, units)
    theta = math.asin(math.sqrt(0.11)) + rng.normal(0, 0.03, units)
    for i, shift in outliers:
        theta[i] += shift
    k = rng.binomial(n, np.sin(theta) ** 2)
    return pd.DataFrame({"numerator": k.astype(float), "denominator": n.astype(float), "value": k / n * 100})


def verdicts(df):
    sp = spread.estimate(df.numerator, df.denominator, df.value, "percentage", 100)
    ref = pd.Series({"numerator": df.numerator.sum(), "denominator": df.denominator.sum(),
                     "value": df.numerator.sum() / df.denominator.sum() * 100})
    return [spread.against(r, ref, sp) for _, r in df.iterrows()]


def test_known_outliers_are_found_and_ordinary_gemeenten_are_not_flagged():
    rng = np.random.default_rng(7)
    df = country(rng, outliers=[(0, 0.2), (1, -0.2)])
    v = verdicts(df)
    assert v[0].direction == "hoger" and v[1].direction == "lager"
    assert sum(x.stands_out for x in v[2:]) <= 3  # of 298 ordinary gemeenten, ~0,6 expected


def test_false_alarm_rate_on_noise_is_near_nominal():
    rng = np.random.default_rng(11)
    flagged = tests = 0
    for _ in range(20):
        v = verdicts(country(rng))
        flagged += sum(x.stands_out for x in v)
        tests += len(v)
    rate = flagged / tests
    assert rate < 0.01, rate  # nominal 0,2 %; binomial census counts alone would flag most gemeenten
    z = np.array([x.z for x in verdicts(country(rng))])
    assert 0.02 <= np.mean(np.abs(z) >= spread.Z95) <= 0.09  # the 95 % limits hold about 5 % out


def test_peers_are_a_distribution_not_a_pooled_sample():
    peers = [pd.Series({"numerator": float(k), "denominator": 10_000.0, "value": k / 100})
             for k in (900, 1000, 1100, 1200, 1300, 1000, 1100, 1200)]
    sp = spread.Spread("percentage", 100, 0.0, 0.0, 300, True)
    own = pd.Series({"numerator": 1400.0, "denominator": 10_000.0, "value": 14.0})
    # 14 % against peers of 9–13 %: pooled binomial would call it 'hoger'; the peers' spread does not
    assert spread.against_peers(own, peers, sp).direction is None
    far = pd.Series({"numerator": 3000.0, "denominator": 10_000.0, "value": 30.0})
    assert spread.against_peers(far, peers, sp).direction == "hoger"


def test_trend_break_rule_by_hand_and_false_alarm_rate():
    assert signals.trend_break([10, 10.2, 10.4, 10.5, 10.7, 13.0]) == "stijging"
    assert signals.trend_break([10, 10.2, 10.4, 10.5, 10.7, 10.9]) is None
    assert signals.trend_break([10, 11, 12, 13]) is None  # fewer than 4 earlier points: no verdict
    # a flat published series that moves one rounding step: the float residuals are ~1e-16, not 0
    flat = [0.3, 0.3, 0.3, 0.3, 0.3, 0.2]
    assert signals.trend_break([0.1 * 3] * 5 + [0.2]) is None and signals.trend_break(flat, resolution=0.1) is None
    assert signals.trend_break([2.0, 2.0, 2.0, 2.0, 2.0, 3.5], resolution=0.1) == "stijging"  # a real jump stays
    assert signals.trend_break([5.0, 5.1, 5.0, 5.1, 5.0, 5.2], resolution=0.1) is None  # within one step
    rng = np.random.default_rng(3)
    runs = 4000
    alarms = sum(signals.trend_break(5 + 0.3 * np.arange(8) + rng.normal(0, 0.5, 8)) is not None for _ in range(runs))
    assert alarms / runs < 0.006  # nominal 0,2 % per series


def test_cbs_rounding_to_five_widens_margins_where_counts_are_small():
    from kompas_lib.analysis.methods.uncertainty import wilson, wilson_rounded

    _, v_plain = spread.transform(10, 200, "percentage")
    _, v_round = spread.transform(10, 200, "percentage", rounding=5)
    # delta method by hand: p = 0,05, dy/dk = 1/(2·200·√(0,05·0,95)) = 0,011471; variance 25/12 · dy/dk²
    assert v_round - v_plain == pytest.approx(25 / 12 * (1 / (2 * 200 * math.sqrt(0.05 * 0.95))) ** 2)
    _, v_big = spread.transform(10_000, 100_000, "percentage", rounding=5)
    assert v_big == pytest.approx(1 / 400_000, rel=1e-3)  # irrelevant for large counts
    lo, hi = wilson_rounded(10, 200, 5)
    assert lo == pytest.approx(wilson(7.5, 200)[0]) and hi == pytest.approx(wilson(12.5, 200)[1])


@pytest.mark.parametrize("counted", [True, False])
def test_spread_without_each_equals_estimating_without_that_gemeente(counted):
    """The closed form for all gemeenten at once against the plain estimate on the other gemeenten."""
    df = country(np.random.default_rng(11), units=60, outliers=[(3, 0.2)])
    if not counted:  # only published one-decimal percentages, as CBS gives for pct_jeugdbescherming
        df = df.assign(numerator=np.nan, denominator=np.nan, value=df["value"].round(1))
    df.loc[5, "value"] = np.nan  # a gemeente without a figure is still given its yardstick
    df.loc[5, ["numerator", "denominator"]] = np.nan
    fast = spread.estimate_without_each(df.numerator, df.denominator, df.value, "percentage", 100, 5, 0.1)
    for i in range(len(df)):
        rest = df.drop(index=i)
        slow = spread.estimate(rest.numerator, rest.denominator, rest.value, "percentage", 100, 5, 0.1)
        assert fast[i].with_counts == slow.with_counts and fast[i].units == slow.units
        assert fast[i].tau2 == pytest.approx(slow.tau2, rel=1e-9, abs=1e-15)
        assert fast[i].mu == pytest.approx(slow.mu, rel=1e-9)


def test_a_difference_rounding_can_explain_is_no_verdict():
    sp = spread.Spread("percentage", 100, 0.0, 0.0, 300, True, rounding=10)
    ref = pd.Series({"numerator": 50_000.0, "denominator": 1_000_000.0, "value": 5.0})  # 5,0 %
    # 0 of 1.000 (published in tens: really 0–4) against 5 %: beyond −3,09 on the count as published …
    own = pd.Series({"numerator": 0.0, "denominator": 1000.0, "value": 0.0})
    v = spread.against(own, ref, sp)
    assert v.z < -spread.Z_ALERT
    # … but not for 5 of 1.000 against 49.995 of a million: by hand on the arcsine scale, with the variance of
    # the published counts
    y_up, _ = spread.transform(5, 1000, "percentage")
    y_ref_low, _ = spread.transform(49_995, 1_000_000, "percentage")
    _, v_ref = spread.transform(50_000, 1_000_000, "percentage", 10)
    _, v_own = spread.transform(0, 1000, "percentage", 10)
    assert v.z_least == pytest.approx((y_up - y_ref_low) / math.sqrt(v_own + v_ref), rel=1e-9)
    assert -spread.Z_ALERT < v.z_least < 0 and v.direction is None
    far = spread.against(pd.Series({"numerator": 10.0, "denominator": 1000.0, "value": 1.0}), ref, sp)
    assert far.z_least < -spread.Z_ALERT and far.direction == "lager"  # 1 % of 1.000: no rounding explains it
    # one decimal, no counts: 0,3 against 0,1 with a tiny spread differs by more than rounding, 0,2 against 0,1 not
    values = spread.Spread("percentage", 100, 1e-7, 0.0, 300, False, step=0.1)
    assert spread.against(pd.Series({"value": 0.3}), pd.Series({"value": 0.1}), values).direction == "hoger"
    near = spread.against(pd.Series({"value": 0.2}), pd.Series({"value": 0.1}), values)
    assert near.z > spread.Z_ALERT and near.z_least == 0 and near.direction is None


def test_trend_break_moves_every_value_within_its_rounding_first():
    # earlier 4 values flat at 1,0, last 1,4, published in steps of 0,1 (slack 0,05 each):
    # the prediction's weights for m = 4 are −0,5, 0, 0,5, 1 (Σ|w| = 2), so rounding can close
    # 0,05 + 2·0,05 = 0,15 of the gap of 0,4; the residuals (0 here) can grow by at most
    # ‖slack‖ = √(4 · 0,05²) = 0,1, so s = 0,1/√(m − 2)
    values = [1.0, 1.0, 1.0, 1.0, 1.4]
    se = 0.1 / math.sqrt(2) * math.sqrt(1 + 1 / 4 + 2.5 ** 2 / 5)
    crit = float(spread.stats.t.ppf(1 - spread.ALPHA / 2, 2)) * se
    assert (0.4 - 0.15 > crit) == (signals.trend_break(values, resolution=0.1) is not None)
    assert signals.trend_break([1.0, 1.0, 1.0, 1.0, 1.0 + 0.15 + crit * 0.99], resolution=0.1) is None
    assert signals.trend_break([1.0, 1.0, 1.0, 1.0, 1.0 + 0.15 + crit * 1.01], resolution=0.1) == "stijging"
    # counts rounded to 10 of 2.400 pupils: slack 5/2.400 of 100 = 0,21 procentpunt per value
    assert signals.count_slack([2400.0], 10, 100, 0.1)[0] == pytest.approx(500 / 2400)
    assert signals.count_slack([np.nan], 10, 100, 0.1)[0] == 0.05
