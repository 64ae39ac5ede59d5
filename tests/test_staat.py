import pandas as pd

from kompas_lib.analysis.methods.benchmarks import Focus, benchmark_codes
from kompas_lib.analysis.wording import (
    change_sentence,
    compare_to,
    small_numbers,
)


def row(num, den, value=None, period="2023"):
    return pd.Series({"numerator": num, "denominator": den, "value": value if value is not None else num / den * 100,
                      "period": period})


def test_compare_uses_a_two_proportion_test_when_counts_are_known():
    # 1200/10000 vs 110000/1000000: z = (0.12-0.11)/sqrt(p(1-p)(1/n1+1/n2)) ≈ 3.2 > 1.96
    assert compare_to(row(1200, 10_000), row(110_000, 1_000_000), "Nederland", "percentage").startswith(
        "hoger dan 11,0\u00a0% in Nederland (verschil groter dan toeval)")
    # 12/100 vs 11 %: z ≈ 0.32 -> not distinguishable from chance
    assert compare_to(row(12, 100), row(110_000, 1_000_000), "Nederland", "percentage").startswith(
        "niet duidelijk anders")


def test_compare_without_counts_gives_no_verdict():
    own = pd.Series({"numerator": float("nan"), "denominator": float("nan"), "value": 15.0})
    other = pd.Series({"numerator": float("nan"), "denominator": float("nan"), "value": 13.9})
    assert compare_to(own, other, "Nederland", "percentage") == "tegenover 13,9\u00a0% in Nederland"


def test_change_sentence():
    assert change_sentence(row(58, 1000, period="2015"), row(119, 1000), "percentage") == (
        "Sinds 2015 is het cijfer gestegen met 6,1 procentpunt (van 5,8\u00a0%)")
    assert "vrijwel gelijk" in change_sentence(row(50, 1000, period="2015"), row(50, 1000), "percentage")


def test_small_numbers():
    assert small_numbers(row(10, 180)) and small_numbers(row(40, 100_000)) and not small_numbers(row(500, 5000))


def test_benchmark_codes_from_latest_year():
    regions = pd.DataFrame({"jaar": [2023, 2024], "gemeente_code": ["GM0344", "GM0344"],
                            "provincie_code": ["PV26", "PV26"], "jeugdregio_code": ["JZ18", "JZ19"],
                            "grootteklasse_code": ["GK250", "GK250"]})
    got = benchmark_codes(regions, Focus("GM0344", "Utrecht", "gemeente"), ["nederland", "jeugdregio", "grootteklasse"])
    assert got == {"nederland": "NL01", "jeugdregio": "JZ19", "grootteklasse": "GK250"}
    assert benchmark_codes(regions, Focus("JZ19", "Utrecht Stad", "jeugdregio"), ["nederland", "jeugdregio"]) == {
        "nederland": "NL01"}
