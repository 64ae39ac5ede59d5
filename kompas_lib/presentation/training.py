"""Widgets for NJi training sessions (notebooks in ``notebooks/training/``).

Three tools, each an object with its widgets as attributes (so a test can set values and press
buttons exactly as a participant does) and ``.ui`` to display:

* :class:`Verkenner` — choose gemeente, indicator, benchmarks and years; the trend, the funnel, the
  comparable gemeenten and the verdict sentence update at once. The sections come from the same
  builders as the report (:mod:`kompas_lib.analysis.sections.staat`): no second implementation.
* :class:`TestDeIndicatoren` — ambitie → resultaat → indicator → norm, checked the way block 2
  judges it (:func:`kompas_lib.analysis.oefening.test_indicator`); saved as a params fragment.
* :class:`Duiden` — the four duidingsvragen and a verbeteractie for a signal of the report, saved in
  the block-6 file formats so the next report shows them.

Wrong input (a typo in a gemeente name, a target in the wrong direction) gets a plain Dutch answer
in the tool's message line, never a traceback.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date
from pathlib import Path

import ipywidgets as w

from kompas_lib.analysis import oefening
from kompas_lib.core import io, paths
from kompas_lib.core.errors import KompasError
from kompas_lib.presentation import exercises
from kompas_lib.presentation import notebook as nb

BENCHMARK_LABELS = {"nederland": "land", "provincie": "provincie", "jeugdregio": "jeugdregio",
                    "grootteklasse": "gemeenten van dezelfde grootte", "vergelijkbare_gemeenten": "vergelijkbare gemeenten"}


def _message(text: str, kind: str = "info") -> str:
    colour = {"info": "#0B4F8A", "fout": "#B00020", "goed": "#1B6E20"}[kind]
    return f'<p style="color:{colour}">{html.escape(text)}</p>' if text else ""


class _Tool:
    """Common parts: the prepared data, the region catalogue, a message line and an output area."""

    def __init__(self, processed: Path | None = None):
        from kompas_lib.analysis.shared import shared

        self.processed = Path(processed or paths.processed_dir())
        first = min(shared(*nb.cached_tables(self.processed)).gemeenten)
        self._scope = nb.load_scope(first, processed=self.processed)
        self.regions = self._scope.shared.catalogue
        self.default = self._scope.focus.name  # the first gemeente by code (Waterveen in Demoland)
        self.message = w.HTML()
        self.out = w.HTML()

    def find(self, text: str) -> oefening.Found:
        """The gemeente the participant typed; in Demoland a real gemeente's name is recognised as such
        (never silently taken for a Demoland name that looks like it)."""
        real = ()
        if self._scope.prepare_info.fictitious:
            from kompas_lib.sources.geo import gemeenten

            real = tuple(gemeenten().names.values())
        return oefening.find_region(text, self.regions, real_names=real, country=self._scope.country)

    def scope_for(self, text: str, **params_update):
        """The scope of the gemeente the participant typed, or None with a message."""
        found = self.find(text)
        if found.code is None:
            self.message.value = _message(found.message, "fout")
            return None
        self.message.value = _message(found.message) if found.message else ""
        from kompas_lib.core.params import params_file_for

        # the gemeente's own params file, as its report uses it
        scope = nb.load_scope(found.code, params_file_for(found.code, None), processed=self.processed)
        if params_update:
            scope = replace(scope, params=scope.params.model_copy(update=params_update))
        return scope

    def gemeente_names(self) -> list[str]:
        return sorted(n for n, level in self.regions.values() if level == "gemeente")


class Verkenner(_Tool):
    """Explore one indicator for one gemeente: trend, funnel, comparable gemeenten, verdict."""

    def __init__(self, processed: Path | None = None, gemeente: str | None = None):
        super().__init__(processed)
        cat = self._scope.catalogue
        trend_ids = [i.id for i in cat.indicators.values() if i.eenheid in ("percentage", "per_1000")
                     and not self._scope.ind(i.id).empty]
        names = self.gemeente_names()
        self.gemeente = w.Combobox(value=gemeente or self.default, options=names, description="Gemeente",
                                   ensure_option=False)
        self.indicator = w.Dropdown(options=[(cat.indicators[i].titel, i) for i in trend_ids],
                                    value="jongeren_jeugdzorg" if "jongeren_jeugdzorg" in trend_ids else trend_ids[0],
                                    description="Indicator")
        self.benchmarks = w.SelectMultiple(options=[(v, k) for k, v in BENCHMARK_LABELS.items()],
                                           value=("nederland", "vergelijkbare_gemeenten"), description="Vergelijk met",
                                           rows=5)
        last = int(self._scope.facts["period_start"].max().year)
        self.jaren = w.IntRangeSlider(value=(2015, last), min=2015, max=last, description="Jaren")
        for widget in (self.gemeente, self.indicator, self.benchmarks, self.jaren):
            widget.observe(lambda _change: self.update(), names="value")
        self.sentence = ""
        self.oordeel: list[str] = []
        self.ui = w.VBox([w.HBox([self.gemeente, self.indicator]), w.HBox([self.benchmarks, self.jaren]),
                          self.message, self.out])
        self.update()

    def update(self) -> None:
        from kompas_lib.analysis.sections import staat
        from kompas_lib.core.params import Periode

        start, end = self.jaren.value
        wanted = list(self.benchmarks.value)
        scope = self.scope_for(self.gemeente.value, benchmarks=wanted,
                               periode=Periode(start_jaar=start, eind_jaar=end))
        if scope is None:
            self.out.value = ""
            return
        try:
            trend = staat.trend(scope, self.indicator.value)
            ind = scope.catalogue.indicators[self.indicator.value]
            sections = [trend]
            if ind.eenheid == "percentage":
                sections.append(staat.trechter_jeugdzorg(scope, self.indicator.value))
            if "vergelijkbare_gemeenten" in wanted:
                sections.append(staat.vergelijkbare_gemeenten(scope))
            oordeel = oefening.comparison_sentences(scope, self.indicator.value, wanted)
        except KompasError as exc:
            self.message.value = _message(str(exc), "fout")
            return
        if not wanted:
            oordeel = ["Kies hierboven minstens één vergelijking (Vergelijk met) om een oordeel te krijgen."]
        self.oordeel = oordeel
        self.sentence = " ".join([trend.text, *oordeel])
        items = "".join(f"<li>{html.escape(t)}</li>" for t in oordeel)
        self.out.value = (f'<div class="kompas-oordeel"><h4>Oordeel per vergelijking</h4><ul>{items}</ul></div>'
                          + "".join(nb.section_html(s) for s in sections if s is not None))


class TestDeIndicatoren(_Tool):
    """'Test de indicatoren': write an ambitie → resultaat → indicator → norm and have it checked."""

    def __init__(self, processed: Path | None = None, gemeente: str | None = None):
        super().__init__(processed)
        cat = self._scope.catalogue
        names = self.gemeente_names()
        self.gemeente = w.Combobox(value=gemeente or self.default, options=names, description="Gemeente",
                                   ensure_option=False)
        self.ambitie = w.Textarea(description="Ambitie", placeholder="Alle kinderen groeien veilig op")
        self.resultaat = w.Textarea(description="Resultaat",
                                    placeholder="Minder jongeren hebben jeugdhulp met verblijf nodig")
        # every answer starts empty: nothing is chosen for the participant (and the hand-out prints blanks)
        self.indicator = w.Dropdown(options=[(i.titel, i.id) for i in cat.indicators.values()], value=None,
                                    description="Indicator")
        self.richting = w.ToggleButtons(options=["hoger", "lager"], value=None, description="Richting")
        self.doel = w.Text(description="Doel", placeholder="bijvoorbeeld 1,6")
        self.doeljaar = w.Text(description="Doeljaar", placeholder=f"bijvoorbeeld {date.today().year + 4}")
        self.toets = w.Button(description="Test de indicator", button_style="primary")
        self.bewaar = w.Button(description="Bewaar als params-fragment")
        self.toets.on_click(lambda _b: self.check())
        self.bewaar.on_click(lambda _b: self.save())
        self.result: oefening.Toets | None = None
        self.saved: Path | None = None
        self.ui = w.VBox([self.gemeente, self.ambitie, self.resultaat, self.indicator, self.richting,
                          w.HBox([self.doel, self.doeljaar]), w.HBox([self.toets, self.bewaar]), self.message, self.out])

    def _numbers(self) -> tuple[float | None, int | None] | None:
        """The target and target year as typed ('1,6', '2029'); None with a message when one is no number."""
        from kompas_lib.core.entry import NumberProblem, parse_number

        try:
            doel = parse_number(self.doel.value) if self.doel.value.strip() else None
            jaar = parse_number(self.doeljaar.value, whole=True) if self.doeljaar.value.strip() else None
        except NumberProblem as exc:
            self.message.value = _message(f"{exc}.", "fout")
            return None
        if jaar is not None and (not float(jaar).is_integer() or not 2000 <= jaar <= 2100):
            self.message.value = _message(f"Het doeljaar '{self.doeljaar.value.strip()}' is geen jaartal; schrijf "
                                          "bijvoorbeeld 2029.", "fout")
            return None
        return doel, (int(jaar) if jaar is not None else None)

    def check(self) -> oefening.Toets | None:
        self.result = None
        scope = self.scope_for(self.gemeente.value)
        if scope is None:
            self.out.value = ""
            return None
        if self.indicator.value is None:
            self.message.value = _message("Kies eerst een indicator.", "fout")
            self.out.value = ""
            return None
        numbers = self._numbers()
        if numbers is None:
            self.out.value = ""
            return None
        self.result = oefening.test_indicator(scope, ambitie=self.ambitie.value, resultaat=self.resultaat.value,
                                              indicator=self.indicator.value, richting=self.richting.value or "",
                                              doel=numbers[0], doeljaar=numbers[1])
        rows = "".join(f"<tr><th>{html.escape(a)}</th><td>{html.escape(t)}</td></tr>" for a, t in self.result.regels)
        rows += "".join(f"<tr><th>{html.escape(word)}</th><td>{'✔' if ok else '✘'} {html.escape(why)}</td></tr>"
                        for word, ok, why in self.result.smart)
        self.out.value = f"<table class='kompas-oefening'>{rows}</table>"
        return self.result

    def save(self) -> Path | None:
        self.check()  # what is saved is what the tool says about the values as they are now
        if self.result is None or not self.result.fragment:
            self.message.value = _message("Er is nog niets te bewaren: maak de indicator eerst meetbaar, met een "
                                          "richting, een doel en een doeljaar.", "fout")
            return None
        found = self.find(self.gemeente.value)
        target = exercises.folder(found.code) / "resultaat.yml"
        self.saved = io.write_text(target, "# Params-fragment uit de oefening 'test de indicatoren'.\n"
                                           "# Plak dit in het params-bestand van de gemeente.\n" + self.result.fragment)
        self.message.value = _message(f"Bewaard als {target.name} in de map {target.parent}.", "goed")
        return self.saved


class Duiden(_Tool):
    """'Duiden': answer the four questions for a signal and agree a verbeteractie; saved in the block-6
    formats (duiding.csv, verbeteracties.csv) of the gemeente, so the next report shows them."""

    def __init__(self, processed: Path | None = None, gemeente: str | None = None, folder: Path | None = None):
        super().__init__(processed)
        names = self.gemeente_names()
        self.folder = folder
        self.gemeente = w.Combobox(value=gemeente or self.default, options=names, description="Gemeente",
                                   ensure_option=False)
        self.signaal = w.Dropdown(description="Signaal", options=[])
        from kompas_lib.analysis.sections.verbetercyclus import QUESTIONS

        self.antwoorden = {k: w.Textarea(description=k.capitalize(), placeholder=v) for k, v in QUESTIONS.items()}
        self.aanwezig = w.Text(description="Aanwezig", placeholder="gemeente, wijkteam, jongerenraad")
        self.actie = w.Text(description="Actie")
        self.aanspreekpunt = w.Text(description="Wie")
        self.evaluatie = w.DatePicker(description="Evalueren op")
        self.bewaar = w.Button(description="Bewaar duiding en actie", button_style="primary")
        self.bewaar.on_click(lambda _b: self.save())
        self.gemeente.observe(lambda _c: self.load_signals(), names="value")
        self.saved: list[Path] = []
        self.waar = w.HTML()
        self.ui = w.VBox([self.gemeente, self.signaal, *self.antwoorden.values(), self.aanwezig,
                          w.HBox([self.actie, self.aanspreekpunt, self.evaluatie]), self.bewaar, self.message, self.waar,
                          self.out])
        self.load_signals()

    def load_signals(self) -> None:
        from kompas_lib.analysis.sections.verbetercyclus import alle_signalen

        scope = self.scope_for(self.gemeente.value)
        if scope is None:
            self.signaal.options = []
            return
        signals = alle_signalen(scope)
        self.signaal.options = [(f"Blok {s.block} · {s.subject}: {s.kind}" + (f" ({s.period})" if s.period else ""), i)
                                for i, s in enumerate(signals)]
        self._signals, self._scope_now = signals, scope
        self.waar.value = _message(self.where())
        self.signaal.value = None  # the group chooses; on paper the hand-out lists the signals to tick
        if not signals:
            self.message.value = _message("Deze gemeente heeft geen signalen; kies een andere gemeente.")

    def _files(self) -> tuple[Path, Path, bool]:
        """Where the duiding and the verbeteractie go, and whether the gemeente's next report reads them
        there: the block-6 files its params name; else the exercise folder (:mod:`.exercises`), which the
        training report reads when the files come from Demoland (started from Demoland's example rows)."""
        from kompas_lib.core.params import params_file_for
        from kompas_lib.sources.local import own_paths

        scope = self._scope_now
        if self.folder is not None:
            return Path(self.folder) / "duiding.csv", Path(self.folder) / "verbeteracties.csv", False
        pfile = params_file_for(scope.focus.code, None)
        named = own_paths(scope.params, pfile, None)
        if named["duiding"] is not None and named["verbeteracties"] is not None:
            return named["duiding"], named["verbeteracties"], True
        here = exercises.folder(scope.focus.code)
        demo = scope.prepare_info.demo_root
        return here / "duiding.csv", here / "verbeteracties.csv", demo is not None

    def where(self) -> str:
        """A sentence for the participant: where the saved work is kept."""
        if getattr(self, "_scope_now", None) is None:
            return ""
        duiding, _, _ = self._files()
        return (f"Uw duiding en acties worden bewaard in de map {duiding.parent}. Die map staat los van de "
                "demogegevens: Demoland opnieuw maken wist haar niet.")

    def _problem(self, text: str) -> list[Path]:
        self.message.value = _message(text, "fout")
        return []

    def save(self) -> list[Path]:
        """Check everything, then write the duiding (and the verbeteractie) — or nothing, with the reason."""
        if self.signaal.value is None or not getattr(self, "_signals", None):
            return self._problem("Kies eerst een signaal.")
        answers = {k: " ".join(v.value.split()) for k, v in self.antwoorden.items()}
        if not any(answers.values()):
            return self._problem("Beantwoord minstens één van de vier vragen. Er is niets bewaard.")
        sig = self._signals[self.signaal.value]
        today = date.today()
        duiding = {"blok": str(sig.block), "onderwerp": sig.subject, "periode": sig.period, "datum": today.isoformat(),
                   "aanwezig": self.aanwezig.value.strip(), **answers, "stem_rol": "", "stem_citaat": ""}
        duiding_file, acties_file, read_by_report = self._files()
        demo = self._scope_now.prepare_info.demo_root if self.folder is None and read_by_report else None
        rows = [(duiding_file, "duiding", duiding, demo / duiding_file.name if demo else None)]
        if self.actie.value.strip():
            if not self.aanspreekpunt.value.strip() or self.evaluatie.value is None:
                return self._problem("Een verbeteractie heeft ook een aanspreekpunt (Wie) en een datum om te evalueren "
                                     "nodig. Vul die in en bewaar opnieuw; er is nog niets bewaard.")
            if self.evaluatie.value < today:
                return self._problem(f"De evaluatiedatum ({self.evaluatie.value:%d-%m-%Y}) ligt vóór vandaag, de "
                                     "startdatum van de actie. Kies een datum in de toekomst; er is nog niets bewaard.")
            rows.append((acties_file, "verbeteracties", {
                "actie": self.actie.value.strip(), "aanspreekpunt": self.aanspreekpunt.value.strip(), "voor": "gemeente",
                "blok": str(sig.block), "onderwerp": sig.subject, "indicator": "", "startdatum": today.isoformat(),
                "evaluatiedatum": self.evaluatie.value.isoformat(), "status": "open", "evaluatie": ""},
                demo / acties_file.name if demo else None))
        written, problems = exercises.save_rows(rows)
        if problems:
            return self._problem("Niet bewaard: " + "; ".join(problems) + ".")
        if self.folder is None and read_by_report and self._scope_now.prepare_info.demo_root is not None:
            exercises.report_params(self._scope_now.focus.code)
        self.saved = written
        names = " en ".join(f.name for f in written)
        where = written[0].parent
        if read_by_report:
            text = (f"Bewaard in {names} in de map {where}. Het volgende rapport van {self._scope_now.focus.name} "
                    "(make training-report) laat deze duiding zien in blok 6.")
        else:
            text = (f"Bewaard in {names} in de map {where}. Wilt u ze in het rapport zien, noem de bestanden dan in het "
                    "params-bestand van de gemeente onder lokale_gegevens (duiding en verbeteracties).")
        self.message.value = _message(text, "goed")
        return written


NO_NEWS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def quiet_jupyterlab(app_dir: Path | None = None) -> Path:
    """JupyterLab without its news question: ``overrides.json`` in the settings of the environment's
    JupyterLab (``<sys.prefix>/share/jupyter/lab/settings``), merged into what is there. Offline there
    is no news to fetch, and a pop-up asking about it is the first thing twelve participants would
    see. Used by ``make training``."""
    import json
    import sys

    target = Path(app_dir or Path(sys.prefix) / "share" / "jupyter" / "lab") / "settings" / "overrides.json"
    try:
        current = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    except ValueError:
        current = {}
    for plugin, values in NO_NEWS.items():
        current.setdefault(plugin, {}).update(values)
    return io.write_text(target, json.dumps(current, indent=2) + "\n")
