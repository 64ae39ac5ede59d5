"""Block 6 — verbetercyclus: signals gathered from blocks 1–5, the agenda rule, duiding and the register
of verbeteracties (on the Demoland files of GM9001), and validation of both templates."""

from dataclasses import replace
from datetime import date

import pytest

from kompas_lib.analysis.section import Signal
from kompas_lib.analysis.sections import verbetercyclus as v
from kompas_lib.sources.local import LocalData, read_own_file
from kompas_lib.sources.sjablonen import SPECS

HEADER = ";".join(SPECS["duiding"].names)
ACT_HEADER = ";".join(SPECS["verbeteracties"].names)


@pytest.fixture(scope="module")
def signals(demo_scope):
    return v.alle_signalen(demo_scope)


def with_file(scope, tmp_path, kind, header, body):
    path = tmp_path / f"{kind}.csv"
    path.write_text(header + "\n" + body, encoding="utf-8")
    own = read_own_file(kind, path)
    return replace(scope, local=replace(scope.local, **{kind: own})), own


def test_signals_from_several_blocks(demo_scope, signals):
    kinds = {(s.block, s.kind) for s in signals}
    assert (2, "niet op koers") in kinds and (2, "niet meetbaar") in kinds and (3, "witte vlek") in kinds
    assert [s.block for s in signals] == sorted(s.block for s in signals)
    overview = v.signalen_overzicht(demo_scope, signals)
    assert overview.id == "verbetercyclus_signalen" and len(overview.table) == len(signals)
    assert list(overview.table.columns) == ["Blok", "Onderwerp", "Soort", "Periode", "Wat valt op", "Besproken?"]


def test_discussed_and_not_discussed(demo_scope, signals):
    table = v.signalen_overzicht(demo_scope, signals).table
    table = table.assign(R=table["Onderwerp"].str.split(" · ").str[0]).set_index(["Blok", "Soort", "R"]).sort_index()
    assert table.loc[("2", "niet op koers", "R2"), "Besproken?"] == "ja, 12 maart 2025"
    assert table.loc[("3", "witte vlek", "R4"), "Besproken?"] == "ja, 12 maart 2025"
    assert table.loc[("2", "niet meetbaar", "R4"), "Besproken?"] == v.NOT_DISCUSSED
    # Demoland's Waterveen also gets new, undiscussed signals to practise with (training material)
    assert (table.loc["1", "Besproken?"] == v.NOT_DISCUSSED).all()
    secs = {s.id: s for s in v.duiding(demo_scope, signals)}
    r2 = next(s for s in secs.values() if "R2" in s.title)
    answers = dict(zip(r2.table["Vraag"], r2.table["Antwoord"]))
    assert answers["Herkennen we het beeld?"].startswith("Ja.") and "Stem van een jongere" in answers
    assert "Aan tafel" in answers
    assert "niet meetbaar" in list(secs["duiding_open"].table["Soort"])
    # the demo file holds one row about a signal of an earlier cycle
    assert secs["duiding_open"].note.startswith("1 regel uit het bestand hoort bij signalen")


def test_agenda_rule_at_most_seven():
    sig = lambda b, subj, kind: Signal(b, subj, kind, "2023", f"{subj} {kind}", "s")  # noqa: E731

    class Cat:  # the agenda only needs titles, polarity and domain of the catalogue
        indicators = {
            "a": type("I", (), {"titel": "Met richting", "polariteit": "lager_beter", "domein": "onderwijs"})(),
            "b": type("I", (), {"titel": "Zonder richting", "polariteit": "neutraal", "domein": "jeugdhulp"})()}

    class S:
        catalogue = Cat()
        local = LocalData()

    signals = [sig(1, "Zonder richting", "verschil"), sig(1, "Met richting", "trendbreuk"),
               sig(2, "R4 · x", "niet meetbaar"), sig(2, "R2 · y", "niet op koers"),
               sig(3, "R4 · x", "witte vlek"), *(sig(5, "Uitval", "buiten de grenzen") for _ in range(4))]
    order = v.agenda_order(S(), signals)
    assert [g for _, g, _ in order] == [1, 2, 3, 4, 4, 4, 4, 5, 5]
    assert [s.subject for s, _, _ in order][-2:] == ["Zonder richting", "R4 · x"]  # rest: block order
    sec = v.agenda(S(), signals)
    assert len(sec.table) == v.MAX_AGENDA and list(sec.table["Nr."]) == [str(i) for i in range(1, 8)]
    assert sec.text.startswith(v.AGENDA_RULE) and "De overige 2 signalen" in sec.text
    assert list(sec.agenda.items) == [s for s, _, _ in order][: v.MAX_AGENDA]  # the agenda as data


def test_front_page_reads_the_agenda_as_data_whatever_the_table_headers_say(tmp_path):
    from kompas_lib.analysis.section import Agenda
    from kompas_lib.presentation.report import NO_AGENDA, load_agenda, save_agenda

    from kompas_lib.presentation.report import FrontAgenda, FrontPage, front_page_html

    assert load_agenda(tmp_path) == FrontAgenda()  # block 6 did not run: nothing said
    save_agenda(tmp_path, Agenda())
    assert load_agenda(tmp_path) == FrontAgenda(rule=NO_AGENDA)
    hostile = Signal(2, "R1 · <b>x</b>", "niet op koers", "2023", "=cmd() & <script>", "resultaten")
    good = Signal(1, "Vsv", "verschil", "2023", "Vsv: lager dan Nederland — gunstiger.", "signalen", "gunstig")
    # the favourable item is on block 6's agenda too; the front page says it once, under what goes well
    save_agenda(tmp_path, Agenda((hostile, good), who=("de partners", "scholen"), ask=("Wat is er nodig?", "Wat werkt?"),
                                 going_well=(good,), missing=("Blok 3 · x.",)))
    found = load_agenda(tmp_path)
    assert found == FrontAgenda([("2", "=cmd() & <script>", "de partners", "Wat is er nodig?")], "",
                                ["Vsv: lager dan Nederland — gunstiger."], ["Blok 3 · x."])
    page = front_page_html(FrontPage("T", "R", "GM1", "vandaag", "CBS", None, [], found.items, found.rule,
                                     found.going_well, found.missing), [])
    assert "=cmd() &amp; &lt;script&gt;" in page and "<script>" not in page  # escaped where it is shown
    for heading in ("Wat gaat goed", "Wat we met u willen bespreken", "Met wie:", "Vraag aan u:", "Wat we nog missen"):
        assert heading in page


def test_agenda_puts_settled_signals_last(demo_scope, signals):
    sec = v.agenda(demo_scope, signals)
    assert len(sec.table) <= v.MAX_AGENDA
    # R2 (niet op koers) and the witte vlek are discussed and have an action: they go after the open ones
    settled = sec.table["Waarom hier"].str.contains("al besproken, actie afgesproken").tolist()
    assert settled == sorted(settled)  # every settled signal after every open one
    small = v.agenda(demo_scope, [s for s in signals if s.block > 1])  # without Waterveen's block-1 signals
    assert list(small.table["Soort"]) == ["niet meetbaar", "niet op koers", "niet op koers", "witte vlek"] or \
        small.table["Waarom hier"].str.contains("al besproken").tolist() == sorted(
            small.table["Waarom hier"].str.contains("al besproken").tolist())


def test_overdue_actions_are_marked(demo_scope):
    reg = v.verbeteracties(demo_scope, today=date(2025, 1, 1))[0]
    status = dict(zip(reg.table["Actie"], reg.table["Status"]))
    assert status["Casuïstiekoverleg met de toegang over afsluiten volgens plan"] == "open, te laat"
    assert status["Eén ondersteuningsroute school en jeugdhulp beschrijven"] == "lopend"
    assert status["Verzuimspreekuur op alle vo-scholen"] == "afgerond"  # finished actions are never late
    later = v.verbeteracties(demo_scope, today=date(2026, 1, 1))[0]
    assert (later.table["Status"].str.endswith("te laat")).sum() == 2 and "2 acties zijn te laat" in later.text
    assert later.data["te_laat"].sum() == 2


def test_indicator_change_is_not_called_an_effect(demo_scope):
    secs = {s.id: s for s in v.verbeteracties(demo_scope, today=date(2026, 1, 1))}
    ind = secs["verbeteracties_indicatoren"].table.set_index("Actie")
    sentence = ind.loc["Gezinsaanpak bij dreigende ondertoezichtstelling", "Wat veranderde"]
    assert sentence.startswith("Sinds 2022 is het cijfer") and v.NOT_CAUSAL in sentence
    assert "nog geen meting" in ind.loc["Verzuimspreekuur op alle vo-scholen", "Wat veranderde"]


def test_invalid_duiding_file_names_file_line_and_column(demo_scope, tmp_path, signals):
    body = "2;R2;;12-13-2025;;ja;;;;;\n7;R4;;2025-03-12;;;;;;;\n2;R2;;2025-03-12;;;;;;jongere;\n"
    scope, own = with_file(demo_scope, tmp_path, "duiding", HEADER, body)
    assert not own.present
    msg = own.problem
    assert f"{tmp_path / 'duiding.csv'}: regel 2: kolom 'datum': '12-13-2025' is geen datum" in msg
    assert "regel 3: kolom 'blok': '7' is niet toegestaan" in msg
    assert "regel 3: kolommen herkennen, verklaren, vinden, nodig, stem_citaat: alle leeg" in msg
    assert "regel 4: kolom 'stem_citaat' is leeg, maar 'stem_rol' is ingevuld" in msg
    secs = v.duiding(scope, signals)
    assert secs[0].id == "duiding_probleem" and "regel 2: kolom 'datum'" in secs[0].text


def test_invalid_register_names_line_and_column(demo_scope, tmp_path):
    body = ("Actie;Wie;gemeente;2;R2;vsw;2025-05-01;2025-04-01;lopend;\n"
            "Actie 2;Wie;provincie;;R1;;2025-05-01;2026-04-01;bezig;\n")
    (tmp_path / "verbeteracties.csv").write_text(ACT_HEADER + "\n" + body, encoding="utf-8")
    own = read_own_file("verbeteracties", tmp_path / "verbeteracties.csv",
                        known_indicators=set(demo_scope.catalogue.indicators))
    msg = own.problem
    assert "regel 2: kolom 'indicator': 'vsw' is geen indicator uit de catalogus (bedoelt u 'vsv'?)" in msg
    assert "regel 2: kolom 'evaluatiedatum': 2025-04-01 ligt vóór startdatum 2025-05-01" in msg
    assert "regel 3: kolom 'voor': 'provincie' is niet toegestaan" in msg
    assert "regel 3: kolom 'status': 'bezig' is niet toegestaan" in msg


def test_file_text_stays_plain_text(demo_scope, tmp_path, signals):
    body = ('2;R2;;2025-03-12;<b>wethouder</b>;<script>alert(1)</script>;=cmd();**vet**;;jongere;'
            '"=HYPERLINK(""http://x"")"\n')
    scope, own = with_file(demo_scope, tmp_path, "duiding", HEADER, body)
    assert own.present, own.problem
    sec = next(s for s in v.duiding(scope, signals) if "R2" in s.title)
    answers = dict(zip(sec.table["Vraag"], sec.table["Antwoord"]))
    assert answers["Herkennen we het beeld?"] == "<script>alert(1)</script>"
    assert answers["Hoe verklaren we het?"] == "=cmd()"
    assert answers["Wat vinden we ervan?"] == "**vet**"
    assert answers["Aan tafel"] == "<b>wethouder</b>"
    assert answers["Stem van een jongere"] == '“=HYPERLINK("http://x")”'
    for s in v.duiding(scope, signals):  # file text never reaches text, title or note (those carry markup)
        assert not any(x in f"{s.title} {s.text} {s.note}" for x in ("<script", "=cmd", "**vet", "<b>"))


def test_without_own_files_the_templates_are_shown(demo_scope, signals):
    scope = replace(demo_scope, local=LocalData())
    d = v.duiding(scope, signals)
    assert [s.id for s in d] == ["duiding_ontbreekt", "duiding_sjabloon"]
    assert not d[0].for_analyst and d[0].table is None and d[1].for_analyst
    assert list(d[1].table["Kolom"]) == SPECS["duiding"].names
    assert "datum (bijvoorbeeld 2025-03-12)" in set(d[1].table["Inhoud"])
    a = v.verbeteracties(scope)
    assert [s.id for s in a] == ["verbeteracties_ontbreekt", "verbeteracties_sjabloon"]
    overview = v.signalen_overzicht(scope, signals)
    assert set(overview.table["Besproken?"]) == {v.NOT_DISCUSSED}
    nxt = v.volgende_cyclus(scope, signals).table
    assert any("R4" in w for w in nxt["Wat"])
    assert any("duiding" in w for w in nxt["Wat"]) and any("verbeteracties" in w for w in nxt["Wat"])
    assert f"{len(signals)} van de {len(signals)} signalen" in set(nxt["Wat"])


def test_the_front_page_never_names_a_provider():
    provider = Signal(5, "Voortijdig afgesloten trajecten", "buiten de grenzen", "2024",
                      "Aanbieder Jeugdhulp De Linde valt boven de 99,8 %-grenzen voor voortijdig afgesloten trajecten.",
                      "uitkomsten_aanbieders")
    said = v.front_text(provider)
    assert "De Linde" not in said and "Voortijdig afgesloten trajecten" in said and "2024" in said
    other = Signal(1, "Vsv", "verschil", "2023", "Vsv: hoger dan Nederland.", "signalen")
    assert v.front_text(other) == other.text
