"""Templates for blocks 2–4: every validation error names file, line and column."""

import pytest

from kompas_lib.core.errors import DataError
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
    assert "regel 2: kolom 'type': 'preventief' is niet toegestaan (bedoelt u 'preventie'?)" in msg


def test_negative_and_non_numeric(tmp_path):
    msg = error(tmp_path, "activiteiten", ACT.replace(";420;", ";-420;").replace(";310;", ";veel;"))
    assert "regel 2: kolom 'bereik': -420 is negatief" in msg and "regel 3: kolom 'bereik': 'veel' is geen getal" in msg


def test_fraction_in_a_count(tmp_path):
    assert "kolom 'trajecten': 180.5 is geen geheel getal" in error(tmp_path, "activiteiten", ACT.replace(";180;", ";180.5;"))


def test_required_empty_and_bad_period(tmp_path):
    msg = error(tmp_path, "activiteiten", ACT.replace(";Huisartsen;", ";;").replace(";2023;420;", ";najaar 2023;420;"))
    assert "regel 3: kolom 'partner' is leeg" in msg and "regel 2: kolom 'periode': 'najaar 2023' is geen periode" in msg


def test_duplicate_rows(tmp_path):
    lines = ACT.splitlines()
    msg = error(tmp_path, "activiteiten", "\n".join([*lines, lines[1]]) + "\n")
    assert "regel 4: kolommen activiteit, partner, periode: dezelfde combinatie als op regel 3" in msg


def test_share_numerator_above_denominator(tmp_path):
    msg = error(tmp_path, "inputkwaliteit", INPUT.replace(";18;24", ";30;24"))
    assert "regel 2: kolom 'teller': teller = 30 is meer dan noemer = 24" in msg


def test_unknown_input_indicator_and_missing_column(tmp_path):
    msg = error(tmp_path, "inputkwaliteit", INPUT.replace("caseload", "werkdruk"))
    assert "'werkdruk' is niet toegestaan" in msg and "caseload" in msg
    msg = error(tmp_path, "inputkwaliteit", INPUT, header="aanbieder;periode;indicator;tellers;noemer")
    assert "regel 1: kolom 'teller' ontbreekt (bedoelt u 'tellers'?)" in msg


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


# --- the file itself: checked before its rows ------------------------------------------------------

def load_error(path, name="activiteiten"):
    with pytest.raises(DataError) as e:  # TemplateError is a DataError: the CLI prints it without a traceback
        load(path, name)
    assert isinstance(e.value, TemplateError)
    return str(e.value)


def test_a_folder_is_not_a_file(tmp_path):
    msg = load_error(tmp_path)
    assert f"{tmp_path}: is een map, geen bestand" in msg and "lokale_gegevens" in msg


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b" \r\n\n\t"])
def test_an_empty_file_points_at_the_template(tmp_path, content):
    p = tmp_path / "act.csv"
    p.write_bytes(content)
    msg = load_error(p)
    assert "het bestand is leeg" in msg and "kompas_lib/templates/activiteiten.csv" in msg


@pytest.mark.parametrize("magic, what", [(b"PK\x03\x04", "Excel-werkmap (.xlsx)"),
                                         (b"\xd0\xcf\x11\xe0", "oud Excel-bestand")])
def test_an_excel_file_saved_with_a_csv_name(tmp_path, magic, what):
    p = tmp_path / "act.csv"
    p.write_bytes(magic + b"\x14\x00\x06\x00" + b"[Content_Types].xml" + bytes(200))
    msg = load_error(p)
    assert what in msg and "geen CSV-bestand" in msg and "'.csv'" in msg and "CSV UTF-8" in msg


def test_binary_and_utf16_files_are_named_as_such(tmp_path):
    p = tmp_path / "act.csv"
    p.write_bytes(b"act\x00\x01\x02" * 10)
    assert "binair bestand" in load_error(p)
    p.write_bytes((";".join(SPECS["activiteiten"].names) + "\n").encode("utf-16"))
    assert "UTF-16" in load_error(p)


def test_a_latin1_file_names_its_first_bad_line(tmp_path):
    p = tmp_path / "act.csv"
    body = ACT + "Coöperatieve opvoedsteun;Wijkteam;preventie;;;2023;80;;;\n"
    p.write_bytes((";".join(SPECS["activiteiten"].names) + "\n" + body).encode("latin-1"))
    msg = load_error(p)
    assert f"{p}: regel 4: het bestand is niet opgeslagen als UTF-8" in msg and "CSV UTF-8" in msg
    assert "Co\ufffdperatieve" in msg  # the spot, shown without guessing the encoding


def test_a_utf8_bom_is_accepted(tmp_path):
    p = tmp_path / "act.csv"
    p.write_bytes(("\ufeff" + ";".join(SPECS["activiteiten"].names) + "\n" + ACT).encode("utf-8"))
    assert len(load(p, "activiteiten")) == 2


@pytest.mark.parametrize("sep, word", [(",", "komma's"), ("\t", "tabs")])
def test_commas_or_tabs_instead_of_semicolons(tmp_path, sep, word):
    p = tmp_path / "act.csv"
    p.write_text(";".join(SPECS["activiteiten"].names).replace(";", sep) + "\n" + ACT.replace(";", sep),
                 encoding="utf-8")
    msg = load_error(p)
    assert f"{p}: regel 1: de kolommen zijn gescheiden door {word} in plaats van door puntkomma's (;)" in msg
    assert "CSV UTF-8" in msg


def test_excel_leftovers_are_ignored_and_lines_stay_exact(tmp_path):
    """Empty rows (';;;;'), blank lines and trailing empty cells are skipped; a text over two lines
    counts both lines, so the line numbers in the messages are those an editor shows."""
    header = ";".join(SPECS["activiteiten"].names) + ";;"
    body = (ACT.replace("\n", ";;\n", 1).replace("Vroeg signaleren voorkomt zwaardere hulp",
                                                 '"Vroeg\nsignaleren voorkomt zwaardere hulp"')
            + ";;;;;;;;;;;;\n\n" + "Sport in de wijk;Sportbedrijf;preventief;;;2023;900;;;\n")
    p = tmp_path / "act.csv"
    p.write_text(header + "\n" + body, encoding="utf-8")
    msg = load_error(p)
    assert msg.startswith("1 probleem gevonden:")
    assert f"{p}: regel 7: kolom 'type': 'preventief' is niet toegestaan (bedoelt u 'preventie'?)" in msg


def test_layout_problems_are_reported_with_the_row_problems(tmp_path):
    body = ACT.replace(";Huisartsen;", ";Huisartsen;extra;") + 'Sport;Club;intensief;;;2023;"veel;;;\n'
    msg = error(tmp_path, "activiteiten", body)
    assert "regel 4: de aanhalingstekens (\") kloppen niet" in msg
    body = ACT.replace(";Huisartsen;eerstelijn;R2;Lichte hulp dichtbij, minder verwijzingen;",
                       ";Huisartsen;eerstelijn;R2;Lichte hulp;dichtbij;")
    msg = error(tmp_path, "activiteiten", body.replace(";420;", ";-420;"))
    lines = msg.splitlines()
    assert lines[0] == "2 problemen gevonden:"  # in file order; the broken row gives no further messages
    assert "regel 2: kolom 'bereik': -420 is negatief" in lines[1]
    assert "regel 3: 11 waarden, maar de kopregel (regel 1) heeft 10 kolommen" in lines[2]


def test_many_problems_are_counted_after_the_first_25(tmp_path):
    row = ACT.splitlines()[0].replace(";420;", ";veel;")
    body = "".join(row.replace("2023", str(1990 + i)) + "\n" for i in range(30))
    msg = error(tmp_path, "activiteiten", body)
    assert msg.startswith("30 problemen gevonden:") and msg.endswith("… en nog 5 meer")
    assert "regel 31: kolom 'bereik': 'veel' is geen getal" not in msg and "regel 26:" in msg


def test_a_title_above_the_column_names(tmp_path):
    p = tmp_path / "act.csv"
    p.write_text("Activiteiten gemeente Utrecht 2023\n\n" + ";".join(SPECS["activiteiten"].names) + "\n" + ACT,
                 encoding="utf-8")
    assert f"{p}: de kolomnamen staan op regel 3, maar horen op de eerste regel te staan" in load_error(p)
    p.write_text("Activiteiten, Utrecht\n" + ";".join(SPECS["activiteiten"].names) + "\n" + ACT, encoding="utf-8")
    assert "de kolomnamen staan op regel 2" in load_error(p)


# --- numbers as people type them (issue 26): the rule of core/entry.parse_number ------------------------

def act_row(**cells) -> str:
    """One activity line with some cells replaced (by column name)."""
    names = SPECS["activiteiten"].names
    row = dict(zip(names, ACT.splitlines()[0].split(";")))
    row.update(cells)
    return ";".join(row[n] for n in names) + "\n"


@pytest.mark.parametrize("cell, expected", [
    ("1.500", "regel 2: kolom 'bereik': '1.500': een punt tussen de duizendtallen is dubbelzinnig (het kan ook een "
              "decimaalpunt zijn); schrijf 1500, zonder punt"),
    ("1.500.000", "schrijf 1500000, zonder punt"),
    ("inf", "'inf' is geen getal; laat de cel leeg als het getal onbekend is"),
    ("nan", "'nan' is geen getal"),
    ("NaN", "'NaN' is geen getal"),
    ("1e400", "'1e400' is in e-notatie geschreven; schrijf het getal voluit"),
    ("1,5E+06", "'1,5E+06' is in e-notatie geschreven"),
    ("1 500", "'1 500' heeft een spatie tussen de cijfers; schrijf 1500"),
    ("1\u00a0500", "'1 500' heeft een spatie tussen de cijfers; schrijf 1500"),  # no-break space, as Excel writes it
    ("1" * 16, "is te groot: een getal heeft hier hoogstens 15 cijfers"),
    ("1.234,5", "1.234,5 is geen geheel getal"),  # read unambiguously, then refused as a fraction of a count
])
def test_counts_as_people_type_them(tmp_path, cell, expected):
    msg = error(tmp_path, "activiteiten", act_row(bereik=cell))
    assert expected in msg and "regel 2: kolom 'bereik'" in msg, msg


@pytest.mark.parametrize("cell, value", [("12,5", 12.5), ("12.5", 12.5), ("0.125", 0.125), ("1.234,5", 1234.5),
                                         ("1500", 1500.0), ("+7", 7.0), (",5", 0.5)])
def test_decimal_numbers_that_are_read(tmp_path, cell, value):
    act = load(write(tmp_path, "activiteiten", act_row(wachttijd_dagen=cell)), "activiteiten")
    assert act.wachttijd_dagen.iloc[0] == value


def test_a_thousands_point_in_a_decimal_column_names_both_readings(tmp_path):
    msg = error(tmp_path, "activiteiten", act_row(wachttijd_dagen="12.250"))
    assert ("regel 2: kolom 'wachttijd_dagen': '12.250': een punt tussen de duizendtallen is dubbelzinnig (het kan ook "
            "een decimaalpunt zijn); schrijf 12250, zonder punt, of 12,25 als de punt een decimaalpunt is") in msg


# --- characters you cannot see (issue 26) -----------------------------------------------------------

@pytest.mark.parametrize("text, code", [("Voorschool\u200bse opvoeding", "U+200B (zero width space)"),
                                        ("Voorschool\u200dse", "U+200D (zero width joiner)"),
                                        ("Voorschool\u2060se", "U+2060 (word joiner)"),
                                        ("Voorschool\ufeffse", "U+FEFF"),
                                        ("Voorschool\u202ese", "U+202E (right-to-left override; het verandert de "
                                                               "leesrichting)"),
                                        ("Voorschool\u2067se", "U+2067 (right-to-left isolate"),
                                        ("Voorschool\x1b[1mse", "onzichtbaar stuurteken U+001B (ESC)"),
                                        ("Voorschool\x07se", "onzichtbaar stuurteken U+0007 (BEL)")])
def test_invisible_characters_are_refused_naming_line_column_and_code(tmp_path, text, code):
    msg = error(tmp_path, "activiteiten", act_row(activiteit=text))
    assert f"regel 2: kolom 'activiteit': een onzichtbaar" in msg and code in msg and "na 'Voorschool'" in msg, msg
    assert msg.startswith("1 probleem gevonden:")  # the rest of the row is checked as a reader sees it


def test_names_that_look_the_same_are_the_same(tmp_path):
    """No-break spaces, double spaces, line breaks in a quoted cell and an é of two characters become the
    plain text; two providers that only differ so are one provider (a duplicate)."""
    rows = act_row(activiteit="Café  Jeugd", partner="Wijk team") + act_row(activiteit='"Cafe\u0301\u00a0Jeugd"',
                                                                           partner='"Wijk\nteam "')
    msg = error(tmp_path, "activiteiten", rows)
    assert "regel 3: kolommen activiteit, partner, periode: dezelfde combinatie als op regel 2" in msg
    act = load(write(tmp_path, "activiteiten", act_row(activiteit='"Cafe\u0301\u00a0 Jeugd\t"')), "activiteiten")
    assert act.activiteit.iloc[0] == "Caf\u00e9 Jeugd"


def test_an_invisible_character_in_a_column_name(tmp_path):
    header = ";".join(SPECS["activiteiten"].names).replace("partner", "part\u200bner")
    msg = error(tmp_path, "activiteiten", ACT, header=header)
    assert "regel 1: kolomnaam 'partner': een onzichtbaar teken U+200B (zero width space) na 'part'" in msg


# --- long cells (issue 26) --------------------------------------------------------------------------

def test_a_long_cell_is_refused_with_the_limit(tmp_path):
    msg = error(tmp_path, "activiteiten", act_row(beleidstheorie="x" * 10_001))
    assert "regel 2: kolom 'beleidstheorie': de tekst is te lang (10.001 tekens); een cel mag hoogstens 10.000" in msg
    load(write(tmp_path, "activiteiten", act_row(beleidstheorie="x" * 10_000)), "activiteiten")


def test_a_cell_beyond_the_csv_readers_limit(tmp_path):
    msg = error(tmp_path, "activiteiten", ACT + act_row(beleidstheorie="x" * 200_000))
    assert msg.startswith("1 probleem gevonden:")
    assert ("regel 4: een cel is te lang (meer dan 131.072 tekens); een cel mag hoogstens 10.000 tekens bevatten"
            in msg) and "aanhalingsteken" in msg


# --- scale (issue 26): one pass over the rows ---------------------------------------------------------

PROVIDER_HEADER = ";".join(SPECS["aanbieders"].names)


def provider_file(tmp_path, n: int, twice: bool = True, bad_code: bool = True):
    """``n`` provider lines; with ``twice`` every line comes twice, with ``bad_code`` every gemeente code is
    unknown (each a different one)."""
    lines = []
    for i in range(n // 2 if twice else n):
        code = f"GM{5000 + i % 5000:04d}" if bad_code else "GM0344"
        line = f"Aanbieder {i};{code};2023;ambulant;100;60;5;5;5;10;20;50;40;80;60"
        lines += [line, line] if twice else [line]
    p = tmp_path / "aanbieders.csv"
    p.write_text(PROVIDER_HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_validation_work_does_not_grow_with_the_problems(tmp_path, monkeypatch):
    """4.000 lines, half of them duplicates, each with another unknown code: every duplicate found in one
    pass and at most MAX_SUGGESTED fuzzy searches (before issue 26: a scan of the file per duplicate and a
    fuzzy search per code, 8 s for these 4.000 lines)."""
    import difflib
    import time

    from kompas_lib.sources import sjablonen

    calls = []
    real = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches", lambda *a, **k: calls.append(1) or real(*a, **k))
    p = provider_file(tmp_path, 4000)
    t0 = time.perf_counter()
    with pytest.raises(TemplateError) as e:
        load(p, "aanbieders", {"GM0344": "Utrecht", "GM5001": "Ergens"})
    assert time.perf_counter() - t0 < 3
    assert len(e.value.problems) == 2000 + 3998  # 2.000 duplicates; every code but GM5001 unknown
    assert (f"{p}: regel 4001: kolommen aanbieder, gemeente_code, periode, zorgvorm: dezelfde combinatie als op regel "
            "4000; elke combinatie mag maar één keer voorkomen") in e.value.problems
    assert len(calls) <= sjablonen.MAX_SUGGESTED


@pytest.mark.slow
def test_a_provider_file_of_100000_lines_is_validated_in_seconds(tmp_path):
    import time

    p = provider_file(tmp_path, 100_000, twice=False, bad_code=False)
    t0 = time.perf_counter()
    assert len(load(p, "aanbieders", {"GM0344": "Utrecht"})) == 100_000
    assert time.perf_counter() - t0 < 30  # about 4 s on the 2-core machine; was more than 10 minutes
