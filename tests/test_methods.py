"""Analysis methods against hand-computed expectations."""

import math
import re

import numpy as np
import pandas as pd
import pytest

from kompas_lib.analysis.methods import demography, funnel, peers, signals, uncertainty


def test_wilson_interval_by_hand():
    # k=10, n=100, z=1.959964: centre=(0.1+z²/200)/(1+z²/100), half=z*sqrt(0.0009+z²/40000)/(1+z²/100)
    z = 1.959963984540054
    centre = (0.1 + z**2 / 200) / (1 + z**2 / 100)
    half = z * math.sqrt(0.1 * 0.9 / 100 + z**2 / 40000) / (1 + z**2 / 100)
    lo, hi = uncertainty.wilson(10, 100)
    assert lo == pytest.approx(centre - half) and hi == pytest.approx(centre + half)
    assert lo == pytest.approx(0.0552, abs=1e-4) and hi == pytest.approx(0.1744, abs=1e-4)


def test_clopper_pearson_and_poisson_known_values():
    lo, hi = uncertainty.clopper_pearson(0, 10)
    assert lo == 0 and hi == pytest.approx(1 - 0.025 ** (1 / 10))  # exact for k = 0
    plo, phi = uncertainty.poisson_exact(0)
    assert plo == 0 and phi == pytest.approx(-math.log(0.025))  # 3.689
    plo, phi = uncertainty.poisson_exact(10)
    assert plo == pytest.approx(4.7954, abs=1e-3) and phi == pytest.approx(18.3904, abs=1e-3)


def test_funnel_limits_by_hand():
    # exact binomial for small n: 20 trajecten at p̄ = 10 %: the 2,5 % and 97,5 % quantiles are 0 and 5
    lo, hi = funnel.limits(0.1, 20, funnel.Z95)
    assert (lo, hi) == (0.0, 0.25)
    lo, hi = funnel.limits(0.1, 400, funnel.Z95)  # quantiles 29 and 52 of Binomial(400; 0,1)
    assert (lo, hi) == (29 / 400, 52 / 400)
    # with overdispersion: p̄ ± z·√(p̄(1−p̄)/n + τ²)
    lo, hi = funnel.limits(0.1, 400, funnel.Z998, tau2=0.0001)
    assert hi == pytest.approx(0.1 + 3.090232 * math.sqrt(0.015 ** 2 + 0.0001), abs=1e-6)
    assert list(funnel.classify([60, 40, 20], [400, 400, 400], 0.1)) == [
        "boven de grenzen", "binnen de grenzen", "onder de grenzen"]


def test_overdispersion_by_hand():
    k = np.array([10, 30, 50, 70, 90, 20])
    n = np.array([500] * 6)
    p = k.sum() / n.sum()  # 270/3000 = 0.09
    od = funnel.overdispersion(k, n, p, winsor=0.0)
    s2 = p * (1 - p) / 500
    z = (k / n - p) / math.sqrt(s2)
    phi = float(np.mean(z**2))
    w = np.full(6, 1 / s2)
    tau2 = (6 * phi - 5) / (w.sum() - (w**2).sum() / w.sum())
    assert od.adjusted and od.phi == pytest.approx(phi) and od.tau2 == pytest.approx(tau2)
    # no overdispersion when the units scatter like binomial noise
    calm = funnel.overdispersion([45, 50, 55], [500, 500, 500], 0.1, winsor=0.0)
    assert not calm.adjusted and calm.tau2 == 0


def test_funnel_table_keeps_input_order_no_ranking():
    units = pd.DataFrame({"code": ["a", "b", "c"], "name": ["A", "B", "C"], "k": [90, 10, 50], "n": [500, 500, 500]})
    table, params = funnel.funnel_table(units, adjust=False)
    assert list(table.code) == ["a", "b", "c"] and params["p_bar"] == pytest.approx(150 / 1500)
    assert list(table.oordeel_95) == ["boven de grenzen", "onder de grenzen", "binnen de grenzen"]


def test_knn_peers_on_a_small_frame():
    profile = pd.DataFrame({"x": [0.0, 1.0, 2.0, 10.0, np.nan], "y": [0.0, 0.0, 0.0, 0.0, 1.0]},
                           index=["F", "A", "B", "C", "D"])
    # y is constant over the complete rows -> z = 0; x z-scores: mean 3.25, sd = sqrt(((-3.25)²+(-2.25)²+(-1.25)²+6.75²)/4)
    out = peers.nearest(profile, "F", k=2)
    sd = math.sqrt((3.25**2 + 2.25**2 + 1.25**2 + 6.75**2) / 4)
    assert list(out.index) == ["A", "B"]
    assert out.distance.tolist() == pytest.approx([1 / sd, 2 / sd])
    fixed = peers.nearest(profile, "F", fixed=["C"])
    assert list(fixed.index) == ["C"] and fixed.distance.iloc[0] == pytest.approx(10 / sd)


def test_indirect_standardisation_by_hand():
    res = demography.indirect(observed=30, population_by_age=[1000, 2000], national_rate_by_age=[0.01, 0.02])
    assert res.expected == pytest.approx(50) and res.ratio == pytest.approx(0.6)
    lo, hi = uncertainty.poisson_exact(30)
    assert res.low == pytest.approx(lo / 50) and res.high == pytest.approx(hi / 50)


def test_change_decomposition_adds_up_and_blames_population():
    d = demography.decompose_change(pop0=10_000, rate0=0.10, pop1=9_000, rate1=0.10)
    assert d.change == pytest.approx(-100) and d.population_effect == pytest.approx(-100) and d.rate_effect == 0
    d = demography.decompose_change(pop0=10_000, rate0=0.10, pop1=9_000, rate1=0.12)
    assert d.population_effect == pytest.approx(-1000 * 0.11)
    assert d.rate_effect == pytest.approx(0.02 * 9500)
    assert d.population_effect + d.rate_effect == pytest.approx(d.change)


def test_signal_rules():
    assert signals.trend_break([10, 10.2, 10.4, 10.5, 10.7, 13.0]) == "stijging"
    assert signals.trend_break([10, 10.2, 10.4, 10.5, 10.7, 10.9]) is None
    assert signals.trend_break([10, 11, 12]) is None  # too little history
    neutral = signals.word("Jeugdhulp", "neutraal", "hoger", "Nederland")
    assert "niet vanzelf goed of slecht" in neutral and "ongunstiger" not in neutral
    assert "ongunstiger" in signals.word("Voortijdig schoolverlaters", "lager_beter", "hoger", "Nederland")
    assert "gunstiger" in signals.word("Voortijdig schoolverlaters", "lager_beter", "lager", "Nederland")


def test_regroup_age_bands_evenly():
    bands = {(0, 5): 500, (5, 10): 1000}
    # 0-4 = 4 years of 100; 4-12 = 1 year of 100 + 5 of 200 (only to 10) -> needs coverage to 12
    assert demography.regroup(bands, [(0, 4), (4, 10)]) == pytest.approx([400, 100 + 1000])
    with pytest.raises(ValueError):
        demography.regroup(bands, [(4, 12)])


def _series(values, start=2019, n=None):
    rows = [{"year": start + i, "value": v} for i, v in enumerate(values)]
    if n is not None:
        for r in rows:
            r["denominator"] = n
            r["numerator"] = r["value"] / 100 * n
    return pd.DataFrame(rows)


def test_on_track_judgement_by_hand():
    from kompas_lib.analysis.methods import targets as doelen

    # path from 10 % (2020) to 6 % (2024), aim lower: expected in 2023 = 10 - 4 * 3/4 = 7 %
    assert doelen.path_value(2020, 10, 2024, 6, 2023) == pytest.approx(7.0)
    clearly_on = doelen.judge(_series([10.0, 9.8, 9.0, 8.3, 6.0], n=20_000), base_year=2020, base_value=10,
                              target=6, target_year=2024, direction="lager")
    assert clearly_on.verdict == "op koers" and clearly_on.high <= clearly_on.expected
    clearly_off = doelen.judge(_series([10.0, 10.0, 10.5, 10.8, 11.0], n=20_000), base_year=2020, base_value=10,
                               target=6, target_year=2024, direction="lager")
    assert clearly_off.verdict == "niet op koers" and clearly_off.low > clearly_off.expected
    # 8/100 against an expected 6,0 % in 2024: Wilson 4,1–15,0 straddles the path
    uncertain = doelen.judge(_series([10.0, 10.0, 9.0, 8.0, 8.0], n=100), base_year=2020, base_value=10,
                             target=6, target_year=2024, direction="lager")
    assert uncertain.verdict == "nog niet te zeggen" and uncertain.low < uncertain.expected < uncertain.high
    # a near-complete count (sampling margin ±0,1) whose earlier years wobble by ±0,2 around their line:
    # 2,35 % against an expected 1,96 % is within that wobble (±0,50), so not yet 'niet op koers'
    wobbly = _series([2.6, 2.2, 2.6, 2.2, 2.35], n=60_000)
    sd = doelen.year_to_year_sd([2.6, 2.2, 2.6, 2.2])
    j = doelen.judge(wobbly, base_year=2019, base_value=2.6, target=1.8, target_year=2024, direction="lager")
    assert sd == pytest.approx(np.sqrt(((np.array([2.6, 2.2, 2.6, 2.2]) - [2.52, 2.44, 2.36, 2.28]) ** 2).sum() / 2))
    assert j.verdict == "nog niet te zeggen" and j.high - j.low == pytest.approx(2 * 1.96 * sd)
    lo, hi = (float(x) * 100 for x in uncertainty.wilson(0.0235 * 60_000, 60_000))
    assert lo > j.expected  # the sampling margin alone would have said 'niet op koers'


def test_on_track_without_counts_uses_the_wobble_of_earlier_years():
    from kompas_lib.analysis.methods import targets as doelen

    s = _series([50.0, 51.0, 50.0, 51.0, 50.0, 60.0])  # around their flat line 50,4: sd √(1,2/3) = 0,632
    j = doelen.judge(s, base_year=2019, base_value=50, target=55, target_year=2024, direction="hoger")
    assert j.low == pytest.approx(60 - 1.96 * np.sqrt(1.2 / 3), abs=1e-3) and j.verdict == "op koers"
    none_yet = doelen.judge(s, base_year=2024, base_value=60, target=70, target_year=2030, direction="hoger")
    assert none_yet.verdict == "nog niet te zeggen" and none_yet.reason == "nog geen meting na het basisjaar"


def test_target_margins_on_the_indicators_own_scale():
    from kompas_lib.analysis.methods import targets

    years = [2019, 2020, 2021, 2022, 2023]
    # per 1.000: 5,5 per 1.000 = 110 events in 20.000 inhabitants; Poisson limits 90,4–132,6 events
    s = pd.DataFrame({"year": years, "value": [6.0, 5.9, 5.8, 5.6, 5.5], "numerator": [120, 118, 116, 112, 110],
                      "denominator": [20_000] * 5})
    lo, hi, how = targets.margin(s, 1000, "per_1000")
    assert lo == pytest.approx(90.34 / 20, abs=0.01) and hi == pytest.approx(132.6 / 20, abs=0.01) and "Poisson" in how
    j = targets.judge(s, base_year=2019, base_value=6.0, target=4.0, target_year=2024, direction="lager",
                      scale=1000, unit="per_1000")
    # norm 2023: 6 - 2 * 4/5 = 4,4; the margin 4,5–6,6 lies wholly above it: not on course
    assert j.expected == pytest.approx(4.4) and j.verdict == targets.NIET_OP_KOERS
    # percentage: Wilson on the proportion, times 100
    p = s.assign(value=s.numerator / s.denominator * 100)
    lo, hi, _ = targets.margin(p, 100, "percentage")
    assert 0.45 < lo < 0.55 < hi < 0.67
    # euro: counts are no sample; the margin comes from the wobble of earlier years (or none)
    e = pd.DataFrame({"year": years, "value": [300.0, 310.0, 305.0, 320.0, 330.0], "numerator": [1.0] * 5,
                      "denominator": [1.0] * 5})
    lo, hi, how = targets.margin(e, 1, "euro")
    earlier, t = np.array([300.0, 310.0, 305.0, 320.0]), np.arange(4.0)
    slope, intercept = np.polyfit(t, earlier, 1)
    sd = np.sqrt(((earlier - intercept - slope * t) ** 2).sum() / 2)  # around their own straight line
    assert hi - lo == pytest.approx(2 * 1.96 * sd) and "schommeling" in how


def test_an_outlying_provider_does_not_widen_its_own_limits():
    """Five providers of 200 trajectories; one ends 40 % as planned, the others about 70 %. With τ² from
    all five the outlier's own deviation widens the limits until it is inside; judged against the
    others it is outside, and the others stay inside."""
    import pandas as pd

    k = np.array([140, 144, 142, 138, 80])
    n = np.array([200, 200, 200, 200, 200])
    naive = funnel.overdispersion(k, n, k.sum() / n.sum())
    lo, _ = funnel.limits(k.sum() / n.sum(), n[-1:], funnel.Z998, naive.tau2)
    assert naive.tau2 > 0 and lo[0] < 80 / 200  # with the naive yardstick 40 % would be inside
    assert list(funnel.outlying_units(k.astype(float), n.astype(float))) == [False] * 4 + [True]
    table, par = funnel.funnel_table(pd.DataFrame({"code": list("abcde"), "name": list("abcde"), "k": k, "n": n}))
    assert par["p_bar"] == pytest.approx(564 / 800) and par["tau2"] == 0.0  # from the four others
    assert list(table["oordeel_998"]) == ["binnen de grenzen"] * 4 + ["onder de grenzen"]


def test_a_size_class_reads_as_dutch_with_the_thousands_dot():
    from kompas_lib.analysis.methods.comparison import size_class_label
    from kompas_lib.prepare.regions import GROOTTEKLASSEN

    labels = [size_class_label(title) for _, _, title in GROOTTEKLASSEN]
    assert labels[0] == "Gemeenten met minder dan 20.000 inwoners"
    assert labels[4] == "Gemeenten met 150.000 tot 250.000 inwoners"
    assert labels[-1] == "Gemeenten met 250.000 inwoners of meer"
    assert not any(re.search(r"\d \d{3}", label) for label in labels)


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("period_type", ["jaar", None])
def test_series_rows_and_order_are_pandas_sort_of_the_selected_rows(categorical, period_type):
    """benchmarks.series works out the order on positions; it must be what selecting the rows and sorting
    them with pandas (stable, by region then start, missing starts last) gives — ties and all."""
    from kompas_lib.analysis.methods.benchmarks import series

    rng = np.random.default_rng(7)
    n = 400
    starts = pd.to_datetime(rng.choice(["2019-01-01", "2020-01-01", "2021-01-01", "2020-04-01"], n))
    starts = starts.where(rng.random(n) > 0.05)  # some missing starts
    facts = pd.DataFrame({
        "indicator": rng.choice(["a", "b"], n), "group_dim": rng.choice(["totaal", "leeftijd"], n, p=[0.8, 0.2]),
        "region_code": rng.choice(["GM0344", "GM0014", "NL01", "PV26", "GM1680"], n),
        "period_type": rng.choice(["jaar", "kwartaal"], n), "period_start": starts, "value": np.arange(n, dtype=float)})
    if categorical:  # categories not in alphabetical order: pandas sorts by the categories' order
        facts["region_code"] = pd.Categorical(facts["region_code"], categories=["PV26", "GM1680", "NL01", "GM0344", "GM0014"])
    codes = ["NL01", "GM0344", "XX99", "PV26", "GM0344"]
    got = series(facts, "a", codes, period_type=period_type)
    rows = facts[(facts["indicator"] == "a") & (facts["group_dim"] == "totaal") & facts["region_code"].isin(codes)]
    if period_type:
        rows = rows[rows["period_type"] == period_type]
    expected = rows.sort_values(["region_code", "period_start"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    assert series(facts, "a", ["XX99"]).empty


def _peer_facts(rows: list[tuple]) -> pd.DataFrame:
    """Facts of indicator 'x' ('totaal' rows): (region, period, numerator, denominator, value, table)."""
    frame = pd.DataFrame(rows, columns=["region_code", "period", "numerator", "denominator", "value", "source_table"])
    return frame.assign(indicator="x", group_dim="totaal", region_name=frame["region_code"], period_type="jaar",
                        period_start=pd.to_datetime(frame["period"].str[:4] + "-01-01"), harmonised=False)


@pytest.mark.parametrize("categorical", [False, True])
def test_the_comparable_gemeenten_are_pooled_by_hand(categorical):
    """with_peers, against sums worked out by hand: counts pooled (sum / sum), a period only when at least half
    of the peers and at least three have a figure, the mean of the rates where a peer has no counts, and the
    source tables of the pooled rows joined."""
    from kompas_lib.analysis.methods.benchmarks import Focus
    from kompas_lib.analysis.methods.comparison import PEERS, Comparison, with_peers
    from kompas_lib.core.registry import Indicator

    peers = ["GM0002", "GM0003", "GM0004", "GM0005"]
    facts = _peer_facts([
        ("GM0001", "2021JJ00", 5, 50, 10.0, "T1"), ("GM0001", "2022JJ00", 6, 50, 12.0, "T1"),
        ("GM0001", "2023JJ00", 7, 50, 14.0, "T1"),
        ("GM0002", "2021JJ00", 10, 100, 10.0, "T1"), ("GM0003", "2021JJ00", 30, 200, 15.0, "T1"),
        ("GM0004", "2021JJ00", 2, 50, 4.0, "T2"),  # 2021: three of four peers, counts: pooled 42 / 350
        ("GM0002", "2022JJ00", None, None, 20.0, "T1"), ("GM0003", "2022JJ00", 9, 100, 9.0, "T1"),
        ("GM0004", "2022JJ00", 1, 10, 10.0, "T1"),  # 2022: a peer without counts: mean of 20, 9, 10
        ("GM0002", "2023JJ00", 1, 10, 10.0, "T1"), ("GM0005", "2023JJ00", 1, 10, 10.0, "T1"),  # two: too few
    ])
    if categorical:
        facts["region_code"] = facts["region_code"].astype("category")
        facts["source_table"] = facts["source_table"].astype("category")
    ind = Indicator(id="x", concept="x", titel="x", definitie="x", eenheid="percentage", polariteit="neutraal",
                    domein="jeugdhulp")
    cmp = Comparison(Focus("GM0001", "Eén", "gemeente"), {"vergelijkbare_gemeenten": PEERS},
                     pd.DataFrame({"distance": [0.1] * 4}, index=peers), {})
    own = facts[facts["region_code"] == "GM0001"].reset_index(drop=True)
    got = with_peers(cmp, own, ind, facts)
    pooled = got[got["region_code"] == PEERS].set_index("period")
    assert list(pooled.index) == ["2021JJ00", "2022JJ00"]  # 2023: two of four peers have a figure
    assert pooled.loc["2021JJ00", "numerator"] == 42 and pooled.loc["2021JJ00", "denominator"] == 350
    assert pooled.loc["2021JJ00", "value"] == pytest.approx(42 / 350 * 100)
    assert pooled.loc["2021JJ00", "source_table"] == "T1,T2"
    assert np.isnan(pooled.loc["2022JJ00", "numerator"]) and np.isnan(pooled.loc["2022JJ00", "denominator"])
    assert pooled.loc["2022JJ00", "value"] == pytest.approx((20 + 9 + 10) / 3)
    assert list(got.columns) == list(own.columns) and len(got) == len(own) + 2
    assert (got.iloc[: len(own)].to_numpy() == own.to_numpy()).all()  # the focus's rows unchanged, first


@pytest.mark.parametrize("categorical", [False, True])
def test_texts_at_gives_what_str_gives_for_every_value_and_missing_ones(categorical):
    from kompas_lib.analysis.methods.benchmarks import texts_at

    column = pd.Series(["b", None, "a", "b"], dtype="category" if categorical else "str")
    positions = np.array([3, 1, 2])
    assert texts_at(column, positions).tolist() == ["b", "nan", "a"]
    assert texts_at(column, np.array([], dtype=np.intp)).tolist() == []
