import pandas as pd

from kompas_lib.analysis.methods.benchmarks import Focus, benchmark_codes
from kompas_lib.analysis.methods.spread import NO_VERDICT, Verdict
from kompas_lib.analysis.wording import (
    change_sentence,
    compare_to,
    small_numbers,
)


def row(num, den, value=None, period="2023"):
    return pd.Series({"numerator": num, "denominator": den, "value": value if value is not None else num / den * 100,
                      "period": period})


def test_compare_words_the_verdict_of_the_model():
    out = Verdict(3.5, "hoger")
    assert compare_to(out, 11.0, "Nederland", "percentage") == (
        "hoger dan 11,0\u00a0% in Nederland (uitzonderlijk: buiten de gewone verschillen tussen gemeenten)")
    # Utrecht's 4,1 % against 8,3 %: clearly lower, yet within the ordinary differences between gemeenten
    assert compare_to(Verdict(1.0, None), 8.3, "Nederland", "percentage", 4.1) == (
        "lager dan 8,3\u00a0% in Nederland, binnen de gewone verschillen tussen gemeenten")
    assert compare_to(Verdict(1.0, None), 8.3, "Nederland", "percentage", 8.32).startswith("vergelijkbaar met")
    assert compare_to(NO_VERDICT, 347, "Nederland", "euro") == "tegenover €\u00a0347 in Nederland"


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


def test_a_jeugdregio_counts_its_young_people_as_the_sum_of_its_gemeenten(make_real_scope):
    """CBS publishes no population per jeugdregio: the report adds up today's member gemeenten (JZ19 Utrecht
    West: 2.789 + 1.977 + 11.016 + 8.758 + 13.215 = 37.755 in 2024), and says that it did."""
    from kompas_lib.analysis.methods.benchmarks import series
    from kompas_lib.analysis.sections import staat, verwacht

    scope = make_real_scope("JZ19")
    members = scope.shared.members["JZ19"]
    own = series(scope.ind("jongeren_0_17"), "jongeren_0_17", list(members))
    total = own[own["period"] == "2024"]["value"].sum()
    sentence = staat._population_sentence(scope)
    assert total == 37755 and "37.755 jongeren tot 18 jaar" in sentence
    assert "opgeteld over de gemeenten van nu" in sentence and "niet beschikbaar" not in sentence
    assert "de gemeenten van Utrecht West samen" in " ".join(s.text for s in verwacht.gebruik(scope))


def test_a_jeugdregios_funnel_names_its_gemeenten(make_real_scope):
    """In a jeugdregio's report the funnel's points are its gemeenten, drawn apart and named."""
    from kompas_lib.analysis.sections import staat
    from kompas_lib.presentation import render

    scope = make_real_scope("JZ19")
    spec = staat.trechter_jeugdzorg(scope).figure
    members = set(scope.comparison.members["JZ19"])
    assert set(spec.members) == members and spec.members_label == "gemeenten van Utrecht West"
    fig = render.draw(spec)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {scope.names[c] for c in members} <= texts
    assert "andere gemeenten" not in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
