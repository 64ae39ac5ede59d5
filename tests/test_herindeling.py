import numpy as np
import pandas as pd
import pytest

from kompas_lib.core.registry import load_registry
from kompas_lib.prepare.herindeling import harmonise, successor_map

HER = pd.DataFrame([
    (2022, "GM0001", "Oud-A", "GM0009", "Nieuw", "samenvoeging"),
    (2022, "GM0002", "Oud-B", "GM0009", "Nieuw", "samenvoeging"),
    (2021, "GM0005", "Splits", "GM0006", "Ontvanger", "opsplitsing"),
    (2019, "GM0003", "Ouder", "GM0001", "Oud-A", "samenvoeging"),
], columns=["jaar", "oud_code", "oud_naam", "nieuw_code", "nieuw_naam", "soort"])


def fact(ind, code, period, num, den, val, unit="percentage"):
    start = pd.Timestamp(int(period[:4]), 1, 1)
    return dict(indicator=ind, region_code=code, region_level="gemeente", region_name=code, period=period,
                period_type="jaar", period_start=start, period_end=start + pd.offsets.YearEnd(0),
                group_dim="totaal", group_value="totaal", numerator=num, denominator=den, value=val, unit=unit,
                status="", missing_reason=None if not np.isnan(val) else "leeg", source_table="T1", harmonised=False)


def test_chains_are_followed_to_the_latest_code():
    final, splits = successor_map(HER)
    assert final == {"GM0001": "GM0009", "GM0002": "GM0009", "GM0003": "GM0009"}
    assert splits == {"GM0005": ["GM0006"]}


def test_counts_summed_and_rates_recomputed_from_numerator_and_denominator():
    facts = pd.DataFrame([
        fact("jongeren_jeugdzorg", "GM0001", "2020", 100, 1000, 10.0),
        fact("jongeren_jeugdzorg", "GM0002", "2020", 50, 2000, 2.5),
        fact("jongeren_jeugdzorg", "GM0009", "2020", np.nan, np.nan, np.nan),  # listed empty before it existed
        fact("jongeren_jeugdzorg", "GM0009", "2022", 160, 3100, 5.16),  # after the merger: own figure kept
        fact("jongeren_jeugdzorg", "GM0001", "2022", np.nan, np.nan, np.nan),
    ])
    out = harmonise(facts, HER, load_registry())
    r2020 = out[(out.region_code == "GM0009") & (out.period == "2020")].iloc[0]
    assert r2020.numerator == 150 and r2020.denominator == 3000
    assert r2020.value == pytest.approx(5.0)  # not the mean of 10 and 2.5
    assert bool(r2020.harmonised) and "herberekend" in r2020.status
    r2022 = out[(out.region_code == "GM0009") & (out.period == "2022")].iloc[0]
    assert r2022.value == 5.16 and not r2022.harmonised
    # the predecessors' own rows stay available under their old codes
    assert ((out.region_code == "GM0001") & (out.period == "2020")).any()


def test_rate_only_indicator_is_weighted_by_denominator_and_flagged():
    facts = pd.DataFrame([
        fact("jongeren_jeugdzorg", "GM0001", "2020", 100, 1000, 10.0),
        fact("jongeren_jeugdzorg", "GM0002", "2020", 50, 3000, 5 / 3),
        fact("pct_jeugdhulp_in_natura", "GM0001", "2020", np.nan, np.nan, 12.0),
        fact("pct_jeugdhulp_in_natura", "GM0002", "2020", np.nan, np.nan, 8.0),
    ])
    out = harmonise(facts, HER, load_registry())
    r = out[(out.region_code == "GM0009") & (out.indicator == "pct_jeugdhulp_in_natura")].iloc[0]
    assert r.value == pytest.approx((12 * 1000 + 8 * 3000) / 4000)
    assert r.status == "herberekend, gewogen"


def test_missing_predecessor_makes_the_sum_missing_not_partial():
    facts = pd.DataFrame([
        fact("jongeren_jeugdzorg", "GM0001", "2020", 100, 1000, 10.0),
        fact("jongeren_jeugdzorg", "GM0002", "2020", np.nan, np.nan, np.nan),
    ])
    out = harmonise(facts, HER, load_registry())
    r = out[out.region_code == "GM0009"].iloc[0]
    assert np.isnan(r.value) and "niet alle voorgangers" in r.missing_reason


def test_existing_successor_adds_its_own_figure():
    her = pd.DataFrame([(2023, "GM0457", "Weesp", "GM0363", "Amsterdam", "samenvoeging")],
                       columns=HER.columns)
    regions = pd.DataFrame({"jaar": [2022, 2022], "gemeente_code": ["GM0363", "GM0457"]})
    facts = pd.DataFrame([
        fact("jongeren_jeugdzorg", "GM0363", "2022", 1000, 10000, 10.0),
        fact("jongeren_jeugdzorg", "GM0457", "2022", 50, 1000, 5.0),
    ])
    out = harmonise(facts, her, load_registry(), regions)
    ams = out[out.region_code == "GM0363"]
    assert len(ams) == 1 and ams.iloc[0].numerator == 1050 and ams.iloc[0].denominator == 11000


def test_split_gemeente_is_not_allocated_but_noted():
    facts = pd.DataFrame([
        fact("jongeren_jeugdzorg", "GM0005", "2020", 20, 200, 10.0),
        fact("jongeren_jeugdzorg", "GM0006", "2020", 100, 1000, 10.0),
    ])
    out = harmonise(facts, HER, load_registry())
    r = out[out.region_code == "GM0006"].iloc[0]
    assert r.numerator == 100 and "opgesplitste gemeente GM0005" in r.status
