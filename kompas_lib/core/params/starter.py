"""The starter params file that ``kompas params new`` writes: valid as it is, with an example
ambition marked VOORBEELD and comments that say what each key is for."""

from __future__ import annotations

import math
import re
from pathlib import Path

import yaml

from kompas_lib.core import io, paths
from kompas_lib.core.entry import clean_text, has_line_break
from kompas_lib.core.errors import ParamsError
from kompas_lib.core.params.messages import ALLOWED
from kompas_lib.core.params.models import CODE_RE, FIRST_YEAR

STARTER = """\
# Params voor {naam} ({code}) — Kwaliteitskompas jeugd
# Dit bestand wordt over params/default.yml gelegd: wat hier niet staat, komt uit default.yml.
# Controleren zonder rapport: kompas run --gemeente {code} (stopt met een duidelijke melding bij een fout).

gemeente: {code}
{naam_yaml}

# Met welke regio's vergelijken we? Kies uit: nederland, provincie, jeugdregio, grootteklasse,
# vergelijkbare_gemeenten.
benchmarks:
  - nederland
  - jeugdregio

# Welke jaren tonen we? eind_jaar weglaten = tot en met het laatste jaar met cijfers.
periode:
  start_jaar: {start}

# Vergelijkbare gemeenten: de k gemeenten die het meest lijken op deze gemeente.
vergelijkbare_gemeenten:
  k: 15
  # vaste_lijst: [GM0363, GM0599]   # eigen keuze in plaats van de berekende

# Privacy: aantallen onder deze drempel worden in rapporten en exports niet getoond.
privacy:
  drempel: 10

# Ambities en maatschappelijke resultaten (blok 2). Formuleer positief ('we willen dat meer kinderen …'),
# en maak elk resultaat meetbaar: een indicator met richting, basis, doel en doeljaar. Noem bij elke ambitie
# het besluit waarin ze is vastgesteld (bron: 'Raadsbesluit Jeugdbeleid 2024-2027, 12 maart 2024').
# Hieronder een voorbeeld: het rapport zet er overal VOORBEELD bij, tot u het vervangt en 'voorbeeld: true'
# weghaalt.
ambities:
  - ambitie: We willen dat meer kinderen veilig en gezond thuis opgroeien.
    voorbeeld: true
    # bron: Raadsbesluit Jeugdbeleid 2024-2027, 12 maart 2024
    resultaten:
      - id: R1
        titel: Minder jongeren hebben een jeugdbeschermingsmaatregel nodig
        soort: inhoudelijk
        indicatoren:
          - indicator: pct_jeugdbescherming
            richting: lager
            basis: {{periode: "2021"}}
            doel: 0.9
            doeljaar: 2027
      - id: R2
        titel: Minder jongeren verlaten school zonder startkwalificatie
        soort: inhoudelijk
        indicatoren:
          - indicator: vsv
            richting: lager
            basis: {{periode: "2021/2022"}}
            doel: 2.0
            doeljaar: 2027
      - id: R3
        titel: Jeugdhulp wordt vaker volgens plan afgerond
        soort: proces
        indicatoren: []   # nog niet meetbaar: kies een indicator en een norm

# Eigen gegevens (blok 2–4), gemaakt met de sjablonen in kompas_lib/templates/ (pad t.o.v. dit bestand):
# lokale_gegevens:
#   indicatoren: eigen_indicatoren.csv
#   activiteiten: activiteiten.csv
#   inputkwaliteit: inputkwaliteit.csv
#   duiding: duiding.csv                 # blok 6: wat partners over de signalen zeiden
#   verbeteracties: verbeteracties.csv   # blok 6: afgesproken verbeteracties
#   leerplicht: leerplicht.csv           # blok 1: leerplicht en passend onderwijs per schooljaar
#   wachttijden: wachttijden.csv         # blok 4: wachttijden per aanbieder en zorgvorm

# Uitkomsten van aanbieders (blok 5): pad naar het eigen bestand, gemaakt met het sjabloon
# kompas_lib/templates/aanbieders_uitkomsten.csv (pad ten opzichte van dit params-bestand).
# aanbieders:
#   bestand: ../data/raw/aanbieders_uitkomsten.csv
"""


def new_params_file(code: str, name: str | None = None, dest_dir: Path | None = None,
                    overwrite: bool = False) -> Path:
    """Write a starter ``params/<code>.yml`` that validates as it is. ``name`` (any length) is written
    as one YAML scalar, quoted where YAML needs it; a name with a line break or an invisible character
    is refused before anything is written."""
    code = code.strip().upper()
    if not CODE_RE.match(code):
        raise ParamsError(f"{code}: geen regiocode; toegestaan: {ALLOWED['gemeente']}")
    target = Path(dest_dir or paths.params_dir()) / f"{code}.yml"
    if target.exists() and not overwrite:
        raise ParamsError(f"{target} bestaat al; pas het aan, of gebruik --force om het te vervangen door een nieuw startbestand.")
    naam = _starter_name(name, code)
    naam_yaml = yaml.safe_dump({"naam": naam}, allow_unicode=True, width=math.inf).strip()
    text = STARTER.format(code=code, naam=naam, naam_yaml=naam_yaml, start=FIRST_YEAR)
    if yaml.safe_load(text).get("naam") != naam or text.count("\n") != STARTER.count("\n"):
        raise ParamsError(f"de naam '{naam[:60]}' kan niet in een params-bestand worden gezet; kies een eenvoudiger "
                          "naam (letters, cijfers, spaties en leestekens)")
    io.write_text(target, text)
    return target


def _starter_name(name: str | None, code: str) -> str:
    """The name for a starter file: one line, no invisible characters, spaces normalised; the code when
    none is given."""
    if name and has_line_break(name):
        first = re.split(r"[\n\r\x0b\x0c\x85\u2028\u2029]", name.strip())[0].strip()
        raise ParamsError(f"de naam bevat een regeleinde; geef de naam op één regel, bijvoorbeeld --naam \"{first}\"")
    naam, problem = clean_text(name or "")
    if problem:
        raise ParamsError(f"de naam bevat {problem}")
    return naam or code
