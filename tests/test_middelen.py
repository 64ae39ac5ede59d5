"""Block 2's middelen: begroot against gerealiseerd, per inwoner and per jongere, against Nederland (a sum
over the gemeenten) and the comparable gemeenten — against CBS table 83454NED and by hand."""

import pandas as pd
import pytest

from kompas_lib.analysis.sections import middelen


def test_nederland_is_the_sum_of_the_gemeenten_only_where_nearly_all_have_a_figure():
    rows = []
    for i in range(10):
        rows.append({"region_code": f"GM{i:04d}", "period": "2022", "period_type": "jaar", "group_dim": "totaal",
                     "numerator": 1000.0 * (i + 1), "denominator": 10.0})
        if i < 8:  # 2021: only 8 of 10 gemeenten
            rows.append({"region_code": f"GM{i:04d}", "period": "2021", "period_type": "jaar", "group_dim": "totaal",
                         "numerator": 500.0, "denominator": 10.0})
    out = middelen.country_sum(pd.DataFrame(rows), [f"GM{i:04d}" for i in range(10)]).set_index("period")
    assert out.loc["2022", "value"] == pytest.approx(55000 / 100) and out.loc["2022", "gemeenten"] == 10
    assert pd.isna(out.loc["2021", "value"]) and out.loc["2021", "gemeenten"] == 8  # 80 % < 90 %: no Nederland


def test_utrecht_middelen_are_cbs_figures(make_real_scope, snapshot_dir):
    """Utrecht 2023 in 83454NED: begroot 127.024 and gerealiseerd 127.714 (x € 1.000), € 347 per inwoner."""
    sec = middelen.middelen(make_real_scope("GM0344"))
    data = sec.data.set_index("jaar")
    raw = pd.read_csv(snapshot_dir / "83454NED" / "83454NED.csv", sep=";", encoding="utf-8-sig")
    row = raw[(raw["VormenVanJeugdzorg"] == "JZ Totaal jeugdzorg") & (raw["Regio"].str.strip() == "Utrecht (gemeente)")
              & (raw["Perioden"].str.strip() == "2023")]
    assert data.loc["2023", "gerealiseerd"] == pytest.approx(float(row["GerealiseerdeKosten_2"].iloc[0]) * 1000)
    assert data.loc["2023", "begroot"] == pytest.approx(float(row["BegroteKosten_1"].iloc[0]) * 1000)
    assert data.loc["2023", "per_inwoner"] == pytest.approx(float(row["GerealiseerdeKostenPer1000Inwoners_4"].iloc[0]))
    assert "0,5\xa0% meer uitgegeven dan begroot" in sec.text and "Sinds 2016" in sec.text
    assert "niet vanzelf beter of slechter" in sec.text and sec.figure is not None
    assert 250 < data.loc["2023", "nederland_per_inwoner"] < 400


def test_a_jeugdregio_spends_the_sum_of_its_gemeenten(make_real_scope):
    scope = make_real_scope("JZ19")
    data = middelen.middelen(scope).data.set_index("jaar")
    f = scope.ind(middelen.REALISED)
    members = scope.comparison.members["JZ19"]
    own = f[f["region_code"].isin(members) & (f["period"] == "2022") & (f["group_dim"] == "totaal")]
    assert len(own) == len(members)
    assert data.loc["2022", "gerealiseerd"] == pytest.approx(own["numerator"].sum())
