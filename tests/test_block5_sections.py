"""Block 5 section builders on the demo (Demoland): export names, funnel signals without ranking,
suppression of small providers in table and data, the template when there is no provider file.
Pure builders on a Scope: seconds, no papermill."""

import dataclasses

import pandas as pd
import pytest

from kompas_lib.analysis.methods.aanbieders import COLUMNS, MEASURES
from kompas_lib.analysis.section import FigureSpec, Section, Signal
from kompas_lib.analysis.sections import bijlage, uitkomsten
from kompas_lib.sources import sjablonen
from kompas_lib.sources.local import OwnFile
from kompas_lib.sources.demoland import display_id
from kompas_lib.core.prepare_info import PrepareInfo
from kompas_lib.presentation.cells import shown

MEASURE_IDS = [f"aanbieders_{m}" for m in uitkomsten.PROVIDER_MEASURES]
# (aanbieder, ended, according to plan): B ends far less often according to plan; Klein Praktijk has 7 trajecten
PROVIDERS = [("Jeugdhulp Noord", 220, 170), ("Aanbieder B", 180, 110), ("De Brug", 140, 105),
             ("Horizon", 160, 122), ("Klein Praktijk", 7, 6)]


def provider_frame(tmp_path, gemeente="GM9001", providers=PROVIDERS, year="2024") -> pd.DataFrame:
    """A provider file as a gemeente receives it, validated the way load_scope validates it."""
    rows = []
    for name, n, plan in providers:
        early = n - plan
        rows.append([name, gemeente, year, "ambulant", n, plan, early // 2, early // 4, early - early // 2 - early // 4,
                     n // 20, n // 10, n // 2, int(n / 2 * 0.8), n // 2, int(n / 2 * 0.7)])
    path = tmp_path / "aanbieders.csv"
    pd.DataFrame(rows, columns=COLUMNS).to_csv(path, sep=";", index=False)
    return sjablonen.load(path, "aanbieders", {gemeente: "Waterveen"})


def with_providers(scope, own: OwnFile):
    return dataclasses.replace(scope, local=dataclasses.replace(scope.local, aanbieders=own))


@pytest.fixture
def own_scope(demo_scope, tmp_path):
    return with_providers(demo_scope, OwnFile("aanbieders", "aanbieders.csv", provider_frame(tmp_path)))


def all_sections(scope) -> list[Section]:
    return [*uitkomsten.landelijk(scope), *uitkomsten.aanbieders(scope), *uitkomsten.ontwikkeling(scope),
            uitkomsten.bronnen(scope)]


def test_every_builder_returns_sections_with_the_export_names(demo_scope):
    secs = all_sections(demo_scope)
    assert all(isinstance(s, Section) for s in secs)
    assert all(s.figure is None or isinstance(s.figure, FigureSpec) for s in secs)
    ids = [s.id for s in secs]
    assert len(ids) == len(set(ids)), "section ids are export names and must be unique"
    assert {"landelijk_uitkomsten", "aanbieders_trend_volgens_plan", *MEASURE_IDS} <= set(ids)
    assert not [i for i in ids if i.endswith("_figuur")]  # each measure is exported once
    exported = {s.id for s in secs if s.data is not None and not s.data.empty}
    assert {"aanbieders_trend_volgens_plan", *MEASURE_IDS} <= exported
    assert exported <= {"landelijk_uitkomsten", "landelijk_trend", "aanbieders_trend_volgens_plan", *MEASURE_IDS}
    for sid in MEASURE_IDS:
        sec = next(s for s in secs if s.id == sid)
        measure = sid.removeprefix("aanbieders_")
        assert sec.heading == 3 and sec.title == MEASURES[measure].titel
        assert sec.figure.kind == "funnel" and sec.text and not sec.table.empty


def without_national_tables(scope):
    """The scope as with data that lack CBS's national outcome tables (the offline demo used to)."""
    ids = [i.id for i in scope.catalogue.indicators.values() if i.concept == "outcome_jeugdhulp_nl"]
    info = dataclasses.replace(scope.prepare_info, tables_used=tuple(
        t for t in scope.tables_used() if t not in ("82970NED", "85096NED")))
    return dataclasses.replace(scope, facts=scope.facts[~scope.facts["indicator"].isin(ids)], prepare_info=info)


def test_without_the_national_outcome_tables_the_report_says_so(demo_scope):
    scope = without_national_tables(demo_scope)
    sec = uitkomsten.landelijke_tabel(scope)
    assert sec.id == "landelijk_uitkomsten" and sec.table is None and sec.data is None
    labels = f"{display_id('82970NED')}, {display_id('85096NED')}"  # Demoland's own table numbers
    assert sec.text == f"De landelijke uitkomsttabellen ({labels}) zitten niet in deze gegevens."
    assert uitkomsten.landelijke_trend(scope) is None and uitkomsten.landelijke_redenen(scope) is None
    assert uitkomsten.landelijk_per_verwijzer(scope) is None
    assert [s.id for s in uitkomsten.landelijk(scope)] == ["landelijk_uitkomsten", "landelijk_regionale_tabel"]
    assert display_id("85097NED") in uitkomsten.regionale_tabel(scope).text
    bron = uitkomsten.bronnen(scope)
    assert bron.table is None and bron.text and bron.source.startswith("Bron: fictieve gegevens (Demoland)")


def test_national_table_equals_the_facts(demo_scope):
    sec = uitkomsten.landelijke_tabel(demo_scope)
    if sec.table is None:
        pytest.skip("these demo data have no national outcome tables")
    placed = demo_scope.placed(5, "kerncijfer")
    assert list(sec.data["indicator"]) == [i.id for i in placed if i.id in set(sec.data["indicator"])]
    f = demo_scope.ind("nl_beeindigd_volgens_plan")
    f = f[(f.region_code == "NL01") & (f.group_dim == "totaal") & (f.period_type == "jaar")].dropna(subset=["value"])
    last = f.sort_values("period_start").iloc[-1]
    row = sec.data[sec.data.indicator == "nl_beeindigd_volgens_plan"].iloc[0]
    assert row.value == pytest.approx(last.value) and row.period == last.period
    assert shown(sec.table).iloc[0]["Landelijk"] == f"{last.value:.1f}".replace(".", ",") + "\u00a0%"
    assert sec.source.startswith("Bron: fictieve gegevens (Demoland), tabel")


def test_the_catalogue_decides_the_national_indicators(demo_scope):
    placed = [i.id for i in demo_scope.placed(5, "kerncijfer")]
    assert placed == ["nl_beeindigd_volgens_plan", "nl_voortijdig_afgesloten", "nl_einde_onbekend",
                      "nl_herhaald_beroep", "nl_gemiddelde_duur"]
    assert [i.id for i in demo_scope.placed(5, "trend")] == ["nl_beeindigd_volgens_plan", "nl_voortijdig_afgesloten",
                                                            "nl_herhaald_beroep"]
    assert uitkomsten.national_tables(demo_scope) == ["82970NED", "85096NED"]


def test_funnel_signals_name_providers_outside_the_limits_without_ranking(own_scope):
    sec = uitkomsten.aanbieder_trechter(own_scope, "volgens_plan")
    verdicts = dict(zip(sec.table["Aanbieder"], sec.table["Ten opzichte van de grenzen"]))
    assert verdicts["Horizon"] == "binnen de grenzen"
    b = sec.data.set_index("aanbieder").loc["Aanbieder B"]
    assert verdicts["Aanbieder B"] == "onder de 99,8 %-grenzen (uitzonderlijk)" == b["oordeel"]
    assert sec.signals == (Signal(block=5, subject="Beëindigd volgens plan", kind="buiten de grenzen", period="2024",
                                  text="Aanbieder B valt onder de 99,8 %-grenzen voor trajecten beëindigd volgens plan "
                                       "(2024).", section="aanbieders_volgens_plan"),)
    # every signal of the block: one per provider outside the 99,8 % limits (the level of 'uitzonderlijk'),
    # pointing at its section; outside only the 95 % limits is in the table and the figure, not on the agenda
    signals = uitkomsten.signalen(own_scope)
    rows = [(s.id, r.Aanbieder, r[-1]) for s in uitkomsten.aanbieders_trechters(own_scope) for r in s.table.itertuples()]
    assert len(signals) == sum(v.endswith("(uitzonderlijk)") for _, _, v in rows)
    assert all(v in ("binnen de grenzen", "niet beoordeeld (te klein)") or "%-grenzen" in v for _, _, v in rows)
    for s in signals:
        assert s.block == 5 and s.kind == "buiten de grenzen" and s.section in MEASURE_IDS
        assert not any(w in s.text.lower() for w in ("beste", "slechtste", "rang", "hoogste", "laagste", "plaats"))
    # a provider outside only the 95 % limits puts nothing on the agenda
    both = pd.DataFrame({"code": ["Horizon", "Jeugdhulp Noord"], "oordeel_95": ["boven de grenzen"] * 2,
                         "oordeel_998": ["boven de grenzen", "binnen de grenzen"]})
    named = uitkomsten.provider_signals(both, "tevredenheid", "2024")
    assert [n.text for n in named] == ["Aanbieder Horizon valt boven de 99,8 %-grenzen voor cliënttevredenheid (2024)."]


def test_providers_are_alphabetical_not_ranked(own_scope):
    for sec in uitkomsten.aanbieders_trechters(own_scope):
        names = list(sec.table["Aanbieder"])
        assert names == sorted(names)
        assert list(sec.data["aanbieder"]) == sorted(sec.data["aanbieder"])


def test_small_provider_is_suppressed_in_table_figure_and_data(own_scope):
    threshold = own_scope.threshold
    assert threshold == 10
    for sec in [*uitkomsten.aanbieders_trechters(own_scope)]:
        table = shown(sec.table)
        small = table[table["Aanbieder"] == "Klein Praktijk"].iloc[0]
        assert small["Trajecten"] == "<\u00a010"
        assert small[sec.title] == "te klein" and small["95 %-marge"] == "–"
        assert small["Ten opzichte van de grenzen"] == "niet beoordeeld (te klein)"
        assert "7" not in "".join(small.astype(str))  # its own count is never shown
        d = sec.data[sec.data["aanbieder"] == "Klein Praktijk"]
        assert d[["k", "n", "rate", "lo", "hi"]].isna().all().all()
        assert (sec.data["n"].dropna() >= threshold).all()
        assert "Klein Praktijk" not in set(sec.figure.data["code"])  # not drawn, not in the limits
    trend = uitkomsten.aanbieders_trend(own_scope)
    assert trend is None  # one year only: no trend
    zorg = shown(uitkomsten.per_zorgvorm(own_scope).table)
    assert zorg["Percentage"].map(lambda t: t.endswith("%") or t == "te klein").all()


def test_a_count_or_its_complement_below_the_threshold_is_never_shown(own_scope, tmp_path):
    """16 trajecten of which 1 volgens plan: n may be shown, but not the rate (k = 1 would follow), and
    15 of 16 (n − k = 1 left) neither; the others are untouched."""
    frame = provider_frame(tmp_path, providers=[("Een", 100, 70), ("Twee", 120, 80), ("Drie", 90, 60),
                                                ("Bijna niemand", 16, 1), ("Bijna iedereen", 16, 15)])
    scope = dataclasses.replace(own_scope, local=dataclasses.replace(own_scope.local, aanbieders=OwnFile(
        "aanbieders", "aanbieders.csv", frame)))
    sec = uitkomsten.aanbieder_trechter(scope, "volgens_plan")
    table = shown(sec.table).set_index("Aanbieder")
    for name in ("Bijna niemand", "Bijna iedereen"):
        row = table.loc[name]
        assert row["Trajecten"] == "16" and row[sec.title] == "te klein" and row["95 %-marge"] == "–"
        d = sec.data.set_index("aanbieder").loc[name]
        assert d[["k", "rate", "lo", "hi"]].isna().all() and d["n"] == 16
        assert name not in set(sec.figure.data["code"])
    assert table.loc["Een", sec.title] == "70,0\u00a0%"


def test_demo_providers_of_the_focus_gemeente_only(demo_scope):
    df, message = uitkomsten.provider_rows(demo_scope)
    whole = demo_scope.local.aanbieders.frame
    assert set(df["gemeente_code"]) == {"GM9001"} and len(df) < len(whole)
    assert message == f"Gegevens van {df['aanbieder'].nunique()} aanbieders uit aanbieders_uitkomsten.csv."
    trend = uitkomsten.aanbieders_trend(demo_scope)
    assert trend.figure.kind == "trend" and "period_start" not in trend.data
    assert trend.data["periode"].nunique() >= 2 and (trend.data["n"] >= demo_scope.threshold).all()


def test_jeugdregio_takes_the_rows_of_its_gemeenten(make_demo_scope, demo_scope):
    region = make_demo_scope("JZ91")
    df, _ = uitkomsten.provider_rows(region)
    from kompas_lib.prepare.regions import latest_classification

    current = latest_classification(region.regions)
    members = set(current.loc[current["jeugdregio_code"] == "JZ91", "gemeente_code"])
    assert set(df["gemeente_code"]) <= members and "GM9001" in set(df["gemeente_code"])
    assert df["aanbieder"].nunique() >= 4


def test_without_a_file_partners_read_what_is_asked_and_the_analyst_gets_the_template(demo_scope):
    scope = with_providers(demo_scope, OwnFile("aanbieders"))
    intro = uitkomsten.aanbieders_intro(scope)
    assert intro.text.startswith("Er zijn nog geen uitkomsten per aanbieder. Wat we aanbieders vragen aan te leveren")
    assert intro.table is None and not intro.for_analyst and "sjabloon" not in intro.text
    template = uitkomsten.aanbieders_sjabloon(scope)
    assert template.for_analyst and "instellingenbestand" in template.text
    assert list(template.table["Kolom"]) == list(sjablonen.template("aanbieders").columns) == COLUMNS
    assert uitkomsten.aanbieders_trechters(scope) == [] and uitkomsten.signalen(scope) == []
    dev = uitkomsten.ontwikkeling(scope)
    assert [s.text for s in dev] == ["Zonder gegevens van aanbieders zijn er geen trends per aanbieder."]
    assert [s.id for s in uitkomsten.aanbieders(scope)] == ["aanbieders_bestand", "aanbieders_sjabloon"]


def test_an_invalid_file_is_explained_without_its_folders(demo_scope):
    problem = ("1 probleem gevonden:\n/home/beleid/geheim/aanbieders.csv: regel 2: kolom 'periode': "
               "'zomer' is geen periode")
    scope = with_providers(demo_scope, OwnFile("aanbieders", "aanbieders.csv", None, problem))
    intro = uitkomsten.aanbieders_intro(scope)
    assert intro.text.startswith("Het bestand met uitkomsten van aanbieders is niet te gebruiken.")
    assert "aanbieders.csv: regel 2: kolom 'periode'" in intro.text and "/home/beleid" not in intro.text
    assert not intro.table.empty and uitkomsten.aanbieders_trechters(scope) == []


def test_a_file_without_rows_for_the_focus_region(demo_scope, tmp_path):
    frame = provider_frame(tmp_path, gemeente="GM9002")
    scope = with_providers(demo_scope, OwnFile("aanbieders", "aanbieders.csv", frame))
    intro = uitkomsten.aanbieders_intro(scope)
    assert intro.text.startswith(f"Het bestand aanbieders.csv bevat geen trajecten voor {demo_scope.focus.name}.")


def test_too_few_providers_for_a_funnel(demo_scope, tmp_path):
    frame = provider_frame(tmp_path, providers=[("Een", 100, 70), ("Klein", 5, 4)])
    scope = with_providers(demo_scope, OwnFile("aanbieders", "aanbieders.csv", frame))
    sec = uitkomsten.aanbieder_trechter(scope, "volgens_plan")
    assert sec.figure is None and sec.table is None and "te weinig aanbieders" in sec.text
    assert sec.data[sec.data.aanbieder == "Klein"][["k", "n"]].isna().all().all()


def test_builders_read_no_files(own_scope, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("a section builder read a file")

    for name in ("read_csv", "read_parquet", "read_excel"):
        monkeypatch.setattr(pd, name, refuse)
    monkeypatch.setattr(sjablonen, "load", refuse)
    monkeypatch.setattr("builtins.open", refuse)
    assert all_sections(own_scope) and uitkomsten.signalen(own_scope)


def test_sources_appendix(demo_scope):
    used = sorted(demo_scope.tables_used())[:2]
    sec = bijlage.bronnen(demo_scope, [used[0], used[1], used[0]])
    assert sec.id == "bijlage_bronnen" and sec.data is None
    assert list(sec.table.columns) == ["Tabel", "Onderwerp", "Gewijzigd bij CBS", "Opgehaald"]
    assert list(sec.table["Tabel"]) == [display_id(t) for t in used] and sec.table["Onderwerp"].str.len().gt(0).all()
    assert sec.table_caption == "Bron: fictieve gegevens (Demoland), gemaakt door de demogenerator."
    real = dataclasses.replace(demo_scope, prepare_info=PrepareInfo())
    assert bijlage.bronnen(real, ["85096NED"]).table_caption == "Bron: CBS StatLine, open data (CC BY 4.0)."
    assert bijlage.bronnen(real, ["85096NED"]).table.iloc[0].tolist() == [
        "85096NED", "Jeugdhulptrajecten in natura; verwijzer, perspectief (landelijk)", "–", "–"]
    block5 = uitkomsten.bronnen(demo_scope)  # the national outcome tables that are in the data
    shown = [] if block5.table is None else list(block5.table["Tabel"])
    assert shown == [display_id(t) for t in ("82970NED", "85096NED") if t in demo_scope.tables_used()]


def test_figures_draw(own_scope, demo_scope):
    import matplotlib.pyplot as plt

    from kompas_lib.presentation.render import draw

    for sec in [*uitkomsten.aanbieders_trechters(own_scope), uitkomsten.aanbieders_trend(demo_scope)]:
        fig = draw(sec.figure)
        assert fig.axes[0].get_title(loc="left") == sec.figure.title
        plt.close(fig)
