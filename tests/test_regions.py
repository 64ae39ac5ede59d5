import pandas as pd
import pytest

from kompas_lib.prepare.regions import (
    RegionIndex,
    grootteklasse,
    parse_gebieden,
    parse_region_title,
)
from kompas_lib.sources import FolderSource


@pytest.mark.parametrize("title, name, suffix", [
    ("Twente (JZ)", "Twente", "JZ"),
    ("Drenthe (PV)", "Drenthe", "PV"),
    ("Noord-Drenthe (CR)", "Noord-Drenthe", "CR"),
    ("Noord-Nederland (LD)", "Noord-Nederland", "LD"),
    ("Utrecht (gemeente)", "Utrecht", "gemeente"),
    ("'s-Gravenhage (gemeente)", "'s-Gravenhage", "gemeente"),
    ("Bergen (L.)", "Bergen (L.)", None),
    ("  Aa en Hunze   ", "Aa en Hunze", None),
])
def test_region_title_suffixes(title, name, suffix):
    assert parse_region_title(title) == (name, suffix)


def test_grootteklasse_bounds():
    assert grootteklasse(19_999) == "GK000"
    assert grootteklasse(20_000) == "GK020"
    assert grootteklasse(374_238) == "GK250"


@pytest.fixture(scope="module")
def gebieden(snapshot_dir):
    src = FolderSource(snapshot_dir, "snapshot")
    return {y: parse_gebieden(src.read_table(t), y, t)
            for y, t in {2017: "83553NED", 2019: "84378NED", 2024: "85755NED"}.items()}


def test_gebieden_columns_found_by_code_prefix_in_every_layout(gebieden):
    for year, g in gebieden.items():
        utrecht = g[g.gemeente_code == "GM0344"].iloc[0]
        assert utrecht.provincie_code == "PV26", year
        assert utrecht.jeugdregio_code.startswith("JZ"), year
        assert utrecht.corop_code.startswith("CR"), year
        assert utrecht.ggd_code.startswith("GG"), year
        assert utrecht.stedelijkheid_naam == "Zeer sterk stedelijk", year
        assert utrecht.grootteklasse_code == "GK250", year
    assert len(gebieden[2024]) == 342 and len(gebieden[2017]) == 388


def test_titles_map_to_codes_per_year(gebieden):
    regions = pd.concat(gebieden.values(), ignore_index=True)
    idx = RegionIndex.build(regions)
    assert idx.lookup("Utrecht (gemeente)", 2023) == ("GM0344", "gemeente")
    assert idx.lookup("Utrecht (PV)", 2023) == ("PV26", "provincie")
    assert idx.lookup("Nederland", 2020) == ("NL01", "land")
    assert idx.lookup("Bergen (L.)", 2024) == ("GM0893", "gemeente")
    assert idx.lookup("Noord-Drenthe (CR)", 2024) == ("CR07", "corop")
    assert idx.lookup("Groningen (PV)", 2017) == ("PV20", "provincie")
    jz = idx.lookup("Twente (JZ)", 2024)
    assert jz is not None and jz[1] == "jeugdregio"
    assert idx.lookup("Atlantis", 2024) is None


def test_herindelingen_registry_covers_every_disappearing_code(snapshot_dir):
    """Every gemeente code that disappears between two Gebieden years is in herindelingen.csv with
    that year, and its successor exists in that year."""
    from kompas_lib.core.registry import load_registry

    src = FolderSource(snapshot_dir, "snapshot")
    her = src.herindelingen()
    years = load_registry().gebieden_tables
    codes = {y: set(parse_gebieden(src.read_table(t), y, t).gemeente_code) for y, t in years.items()}
    for y in sorted(codes)[1:]:
        gone = codes[y - 1] - codes[y]
        listed = her[her.jaar == y]
        assert gone == set(listed.oud_code), (y, gone ^ set(listed.oud_code))
        assert set(listed.nieuw_code) <= codes[y], y


def test_every_successor_in_herindelingen_is_a_gemeente_of_the_gebieden_tables(snapshot_dir):
    """A successor code (also of a name change) is a gemeente in the Gebieden table of its year, or of the first
    year the snapshot has: De Friese Meren (GM1921) became De Fryske Marren under a new code, GM1940, in 2016 —
    a row that kept GM1921 left De Fryske Marren without its 2015 figures."""
    from kompas_lib.core.registry import load_registry
    from kompas_lib.prepare.herindeling import successor_map

    src = FolderSource(snapshot_dir, "snapshot")
    her = src.herindelingen()
    years = load_registry().gebieden_tables
    codes = {y: set(parse_gebieden(src.read_table(t), y, t).gemeente_code) for y, t in years.items()}
    for row in her.itertuples(index=False):
        year = max(row.jaar, min(codes))
        assert row.nieuw_code in codes[year], (row.oud_naam, row.nieuw_code, year)
        assert row.oud_code != row.nieuw_code, row  # a name change under the same code needs no row
    final, _ = successor_map(her)
    assert final["GM1921"] == "GM1940"
    assert not any(c == "GM1921" for y in codes for c in codes[y])


def test_de_fryske_marren_has_the_figures_cbs_publishes_under_de_friese_meren(real, snapshot_dir):
    """CBS publishes 2015 (and schooljaar 2015/'16) under De Friese Meren; on today's borders they are De Fryske
    Marren's (GM1940)."""
    from conftest import read_cbs

    raw = read_cbs(snapshot_dir, "84134NED")
    raw = raw[(raw["VormenVanJeugdzorg"].str.strip() == "JZ Totaal jeugdzorg") & (raw["RegioS"].str.strip() ==
                                                                                   "De Friese Meren")]
    cbs_2015 = float(raw.loc[raw["Perioden"].str.strip() == "2015", "JongerenMetJeugdzorg_1"].iloc[0])
    f = real.facts
    jz = f[(f["indicator"] == "jongeren_jeugdzorg") & (f["region_code"] == "GM1940") & (f["group_dim"] == "totaal")
           & (f["period"] == "2015")]
    assert jz["numerator"].tolist() == [cbs_2015]
    vsv = f[(f["indicator"] == "vsv") & (f["region_code"] == "GM1940") & (f["group_dim"] == "totaal")]
    assert vsv.loc[vsv["period"] == "2015/2016", "numerator"].tolist() == [40.0]  # 84780NED: 40 of 4.790


def test_member_sums_of_all_regions_at_once_equal_each_region_alone(make_real_scope):
    """A batch sums every provincie, jeugdregio and samenwerkingsverband in one pass (all_member_sums); each
    region's rows are exactly what member_sums gives it alone — counts, a percentage with its numerator and
    denominator, and a per-inwoner figure."""
    from kompas_lib.analysis.methods.comparison import all_member_sums, member_sums

    scope = make_real_scope("GM0344")
    members = scope.shared.members
    regions = sorted(members)[::9] + ["JZ19", "PV26"]
    for ind_id in ("jongeren_jeugdzorg", "trajecten_jeugdbescherming", "kosten_jeugdzorg_per_inwoner"):
        ind = scope.catalogue.indicators[ind_id]
        every = all_member_sums(scope.facts, ind, members)
        assert every.index.get_level_values(0).nunique() > 100, ind_id
        for region in regions:
            alone = member_sums(scope.facts, ind, region, tuple(members[region]))
            mine = every[every.index.get_level_values(0) == region]
            if alone.empty:
                assert mine.empty, (ind_id, region)
                continue
            pd.testing.assert_frame_equal(mine, alone, check_dtype=False, obj=f"{ind_id} {region}")
