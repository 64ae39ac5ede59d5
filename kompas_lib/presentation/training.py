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
import pandas as pd

from kompas_lib.analysis import oefening
from kompas_lib.core import io, paths
from kompas_lib.core.errors import KompasError
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

    def scope_for(self, text: str, **params_update):
        """The scope of the gemeente the participant typed, or None with a message."""
        found = oefening.find_region(text, self.regions)
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
        except KompasError as exc:
            self.message.value = _message(str(exc), "fout")
            return
        self.sentence = trend.text
        self.out.value = "".join(nb.section_html(s) for s in sections if s is not None)


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
        self.indicator = w.Dropdown(options=[(i.titel, i.id) for i in cat.indicators.values()], description="Indicator")
        self.richting = w.ToggleButtons(options=["hoger", "lager"], value="lager", description="Richting")
        self.doel = w.FloatText(description="Doel", value=0.0)
        self.doeljaar = w.IntText(description="Doeljaar", value=date.today().year + 3)
        self.toets = w.Button(description="Test de indicator", button_style="primary")
        self.bewaar = w.Button(description="Bewaar als params-fragment")
        self.toets.on_click(lambda _b: self.check())
        self.bewaar.on_click(lambda _b: self.save())
        self.result: oefening.Toets | None = None
        self.saved: Path | None = None
        self.ui = w.VBox([self.gemeente, self.ambitie, self.resultaat, self.indicator, self.richting,
                          w.HBox([self.doel, self.doeljaar]), w.HBox([self.toets, self.bewaar]), self.message, self.out])

    def check(self) -> oefening.Toets | None:
        scope = self.scope_for(self.gemeente.value)
        if scope is None:
            self.out.value = ""
            return None
        self.result = oefening.test_indicator(scope, ambitie=self.ambitie.value, resultaat=self.resultaat.value,
                                              indicator=self.indicator.value, richting=self.richting.value,
                                              doel=self.doel.value, doeljaar=self.doeljaar.value)
        rows = "".join(f"<tr><th>{html.escape(a)}</th><td>{html.escape(t)}</td></tr>" for a, t in self.result.regels)
        rows += "".join(f"<tr><th>{html.escape(word)}</th><td>{'✔' if ok else '✘'} {html.escape(why)}</td></tr>"
                        for word, ok, why in self.result.smart)
        self.out.value = f"<table class='kompas-oefening'>{rows}</table>"
        return self.result

    def save(self) -> Path | None:
        if self.result is None:
            self.check()
        if self.result is None or not self.result.fragment:
            self.message.value = _message("Er is nog niets te bewaren: maak de indicator eerst meetbaar, met een "
                                          "richting, een doel en een doeljaar.", "fout")
            return None
        found = oefening.find_region(self.gemeente.value, self.regions)
        target = paths.reports_dir() / "oefeningen" / f"{found.code}-resultaat.yml"
        self.saved = io.write_text(target, "# Params-fragment uit de oefening 'test de indicatoren'.\n"
                                           "# Plak dit in het params-bestand van de gemeente.\n" + self.result.fragment)
        self.message.value = _message(f"Bewaard als {target.name} in de map met oefeningen.", "goed")
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
        self.ui = w.VBox([self.gemeente, self.signaal, *self.antwoorden.values(), self.aanwezig,
                          w.HBox([self.actie, self.aanspreekpunt, self.evaluatie]), self.bewaar, self.message, self.out])
        self.load_signals()

    def load_signals(self) -> None:
        from kompas_lib.analysis.sections.verbetercyclus import alle_signalen

        scope = self.scope_for(self.gemeente.value)
        if scope is None:
            self.signaal.options = []
            return
        signals = alle_signalen(scope)
        self.signaal.options = [(f"Blok {s.block} · {s.subject} ({s.period})", i) for i, s in enumerate(signals)]
        self._signals, self._scope_now = signals, scope
        self.signaal.value = 0 if signals else None
        if not signals:
            self.message.value = _message("Deze gemeente heeft geen signalen; kies een andere gemeente.")

    def _files(self) -> tuple[Path, Path, bool]:
        """Where the duiding and the verbeteractie go, and whether the gemeente's next report reads them
        there: the block-6 files its params name (or Demoland's own), else a folder of exercises."""
        from kompas_lib.core.params import params_file_for
        from kompas_lib.sources.local import own_paths

        scope = self._scope_now
        if self.folder is None:
            read = own_paths(scope.params, params_file_for(scope.focus.code, None), scope.prepare_info.demo_root)
            if read["duiding"] is not None and read["verbeteracties"] is not None:
                return read["duiding"], read["verbeteracties"], True
        folder = Path(self.folder or paths.reports_dir() / "oefeningen" / scope.focus.code)
        return folder / "duiding.csv", folder / "verbeteracties.csv", False

    def save(self) -> list[Path]:
        if self.signaal.value is None or not getattr(self, "_signals", None):
            self.message.value = _message("Kies eerst een signaal.", "fout")
            return []
        answers = {k: " ".join(v.value.split()) for k, v in self.antwoorden.items()}
        if not any(answers.values()):
            self.message.value = _message("Beantwoord minstens één van de vier vragen.", "fout")
            return []
        sig = self._signals[self.signaal.value]
        today = date.today().isoformat()
        duiding = {"blok": str(sig.block), "onderwerp": sig.subject, "periode": sig.period, "datum": today,
                   "aanwezig": self.aanwezig.value.strip(), **answers, "stem_rol": "", "stem_citaat": ""}
        duiding_file, acties_file, read_by_report = self._files()
        written = [self._append(duiding_file, duiding)]
        if self.actie.value.strip():
            if not self.aanspreekpunt.value.strip() or self.evaluatie.value is None:
                self.message.value = _message("Een verbeteractie heeft ook een aanspreekpunt en een datum om te "
                                              "evalueren nodig. De duiding is wel bewaard.", "fout")
                self.saved = written
                return written
            actie = {"actie": self.actie.value.strip(), "aanspreekpunt": self.aanspreekpunt.value.strip(),
                     "voor": "gemeente", "blok": str(sig.block), "onderwerp": sig.subject, "indicator": "",
                     "startdatum": today, "evaluatiedatum": self.evaluatie.value.isoformat(), "status": "open",
                     "evaluatie": ""}
            written.append(self._append(acties_file, actie))
        self.saved = written
        names = " en ".join(f.name for f in written)
        if read_by_report:
            text = (f"Bewaard in {names}. Het volgende rapport van {self._scope_now.focus.name} laat deze duiding "
                    "zien in blok 6.")
        else:
            text = (f"Bewaard in {names} in de map met oefeningen. Wilt u ze in het rapport zien, noem de bestanden "
                    "dan in het params-bestand van de gemeente onder lokale_gegevens (duiding en verbeteracties).")
        self.message.value = _message(text, "goed")
        return written

    @staticmethod
    def _append(target: Path, row: dict) -> Path:
        """Add one row to a block-6 file (made from the template when new), written atomically; a row
        with the same key (the same signal on the same day, saved again) replaces the earlier one."""
        from kompas_lib.sources.sjablonen import SPECS, template

        name = target.stem
        current = (pd.read_csv(target, sep=";", dtype=str, keep_default_na=False) if target.is_file()
                   else template(name).iloc[0:0])
        added = pd.DataFrame([row]).reindex(columns=current.columns).fillna("")
        key = list(SPECS[name].key)
        same = current[key].astype(str).apply(tuple, axis=1).isin(added[key].astype(str).apply(tuple, axis=1))
        new = pd.concat([current[~same], added], ignore_index=True)
        return io.write_csv(new, target, sep=";", index=False)
