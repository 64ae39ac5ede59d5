import numpy as np
import pandas as pd

from kompas_lib.sources.cbs_csv import read_raw, to_number


def test_missing_is_not_zero_and_keeps_its_reason():
    values, reasons = to_number(pd.Series(["318610.0", "", ".", "x", "-", "12,5", "abc", "0"]))
    assert values.iloc[0] == 318610.0
    assert np.isnan(values.iloc[1]) and reasons.iloc[1] == "leeg"
    assert np.isnan(values.iloc[2]) and reasons.iloc[2] == "onbekend"
    assert np.isnan(values.iloc[3]) and reasons.iloc[3] == "geheim"
    assert values.iloc[4] == 0.0 and reasons.iloc[4] is None  # '-' is CBS 'nihil'
    assert values.iloc[5] == 12.5
    assert np.isnan(values.iloc[6]) and reasons.iloc[6].startswith("onleesbaar")
    assert values.iloc[7] == 0.0 and reasons.iloc[7] is None


def test_bom_separator_and_padding(tmp_path):
    f = tmp_path / "T.csv"
    f.write_bytes("\ufeffID;RegioS;Code_1;Waarde_2\n0;Utrecht (gemeente);GM0344    ;  135.5\n".encode("utf-8"))
    df = read_raw(f)
    assert list(df.columns) == ["ID", "RegioS", "Code_1", "Waarde_2"]
    assert df.loc[0, "Code_1"] == "GM0344"
    assert to_number(df["Waarde_2"])[0].iloc[0] == 135.5
