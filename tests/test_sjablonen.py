"""Templates for blocks 2–4: every validation error names file, line and column."""

import pytest

from kompas_lib.sources.sjablonen import SPECS, TemplateError, load, template

ACT = ("Voorschoolse opvoedondersteuning;Consultatiebureau;preventie;R1|R2;Vroeg signaleren voorkomt zwaardere hulp;2023;420;;12;60\n"
       "Praktijkondersteuner jeugd;Huisartsen;eerstelijn;R2;Lichte hulp dichtbij, minder verwijzingen;2023;310;180;9;90\n")
INPUT = ("De Linde;2023;effectieve_interventies;18;24\nDe Linde;2023;caseload;96;8\n")


def write(tmp_path, name, body, header=None):
    p = tmp_path / f"{name}.csv"
    p.write_text((header or ";".join(SPECS[name].names)) + "\n" + body, encoding="utf-8")
    return p


def error(tmp_path, name, body, **kw):
    with pytest.raises(TemplateError) as e:
        load(write(tmp_path, name, body, **kw), name)
    return str(e.value)


def test_templates_match_their_specs():
    for name, spec in SPECS.items():
        assert list(template(name).columns) == spec.names


def test_good_files_load(tmp_path):
    act = load(write(tmp_path, "activiteiten", ACT), "activiteiten")
    assert act.resultaten.iloc[0] == ["R1", "R2"] and act.periode.iloc[0] == "2023"
    inp = load(write(tmp_path, "inputkwaliteit", INPUT), "inputkwaliteit")
    assert inp.teller.sum() == 114  # caseload 96 > noemer 8 is fine: not a share


def test_unknown_type_suggests_nearest(tmp_path):
    msg = error(tmp_path, "activiteiten", ACT.replace(";preventie;", ";preventief;"))
    assert "line 2: column 'type': 'preventief' is not allowed (did you mean 'preventie'?)" in msg


def test_negative_and_non_numeric(tmp_path):
    msg = error(tmp_path, "activiteiten", ACT.replace(";420;", ";-420;").replace(";310;", ";veel;"))
    assert "line 2: column 'bereik': negative count -420" in msg and "line 3: column 'bereik': 'veel' is not a number" in msg


def test_fraction_in_a_count(tmp_path):
    assert "column 'trajecten': 180.5 is not a whole number" in error(tmp_path, "activiteiten", ACT.replace(";180;", ";180.5;"))


def test_required_empty_and_bad_period(tmp_path):
    msg = error(tmp_path, "activiteiten", ACT.replace(";Huisartsen;", ";;").replace(";2023;420;", ";najaar 2023;420;"))
    assert "line 3: column 'partner' is empty" in msg and "line 2: column 'periode': 'najaar 2023' is not a period" in msg


def test_duplicate_rows(tmp_path):
    lines = ACT.splitlines()
    msg = error(tmp_path, "activiteiten", "\n".join([*lines, lines[1]]) + "\n")
    assert "line 4: columns activiteit, partner, periode: duplicate of line 3" in msg


def test_share_numerator_above_denominator(tmp_path):
    msg = error(tmp_path, "inputkwaliteit", INPUT.replace(";18;24", ";30;24"))
    assert "line 2: column 'teller': teller = 30 is more than noemer = 24" in msg


def test_unknown_input_indicator_and_missing_column(tmp_path):
    msg = error(tmp_path, "inputkwaliteit", INPUT.replace("caseload", "werkdruk"))
    assert "'werkdruk' is not allowed" in msg and "caseload" in msg
    msg = error(tmp_path, "inputkwaliteit", INPUT, header="aanbieder;periode;indicator;tellers;noemer")
    assert "line 1: column 'teller' is missing (is 'tellers' meant?)" in msg


def test_missing_file_points_at_the_template(tmp_path):
    with pytest.raises(TemplateError, match="activiteiten.csv"):
        load(tmp_path / "nope.csv", "activiteiten")


def test_gap_detection(tmp_path):
    from kompas_lib.analysis.sections.activiteiten import coverage

    act = load(write(tmp_path, "activiteiten", ACT + "Sport in de wijk;Sportbedrijf;preventie;;Meer bewegen;2023;900;;;\n"),
               "activiteiten")
    per_result, gaps, orphans = coverage(act, {"R1": "Veilig thuis", "R2": "Minder verwijzingen", "R3": "School"})
    assert dict(zip(per_result.resultaat, per_result.activiteiten.map(len))) == {"R1": 1, "R2": 2, "R3": 0}
    assert list(gaps.resultaat) == ["R3"]
    assert list(orphans.activiteit) == ["Sport in de wijk"]
