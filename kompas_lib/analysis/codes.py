"""From what a user types on the command line to the region codes of a run.

A code (GM0344, JZ22, PV26, NL01), in any case, or a name ('Utrecht', 'Land van Cuijk'). Every
problem is named at once, in plain Dutch: an empty code, a malformed one, a gemeente that was merged
away (into which gemeente, since when), a name that fits several regions, a name nobody knows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from kompas_lib.core.errors import KompasError

CODE = re.compile(r"^(GM\d{4}|JZ\d{2}|PV\d{2}|NL01|PO\d{4}|VO\d{4})$")
LEVELS = {"gemeente": "gemeente", "jeugdregio": "jeugdregio", "provincie": "provincie", "land": "land",
          "samenwerkingsverband": "samenwerkingsverband passend onderwijs"}


def successors(code: str, herindelingen: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(year, code, name) of the gemeenten that took over ``code`` (from 1 January of that year);
    empty when ``code`` was not merged or split away."""
    rows = herindelingen[(herindelingen["oud_code"] == code) & (herindelingen["nieuw_code"] != code)]
    return sorted({(int(r.jaar), r.nieuw_code, r.nieuw_naam) for r in rows.itertuples(index=False)})


def merged_away(code: str, name: str, succ: list[tuple[int, str, str]]) -> str:
    year = succ[0][0]
    if len(succ) == 1:
        new, new_name = succ[0][1], succ[0][2]
        return (f"{code} ({name}) bestaat sinds 1 januari {year} niet meer: de gemeente is opgegaan in {new} "
                f"({new_name}). Maak het rapport voor {new}; de cijfers van de jaren ervoor zijn daarin omgerekend "
                "naar de huidige grenzen.")
    parts = ", ".join(f"{c} ({n})" for _, c, n in succ)
    return (f"{code} ({name}) bestaat sinds 1 januari {year} niet meer: de gemeente is verdeeld over {parts}. "
            "Maak het rapport voor een van die gemeenten.")


def _named(name: str, level: str) -> str:
    """'Utrecht' for a gemeente, 'provincie Utrecht' for another region."""
    return name if level == "gemeente" else f"{LEVELS.get(level, level)} {name}"


def _suggest(text: str, catalogue: Mapping[str, tuple[str, str]], current: set[str]) -> str:
    """The nearest codes and names; of regions with the same name (Utrecht: gemeente and provincie) the
    gemeente first, then provincie, jeugdregio, land."""
    order = list(LEVELS)
    names: dict[str, list[str]] = {}
    for c, (n, level) in sorted(catalogue.items(), key=lambda item: order.index(item[1][1]) if item[1][1] in LEVELS
                                else len(order)):
        if level in LEVELS and (level != "gemeente" or c in current):
            names.setdefault(n.lower(), []).append(c)
    near = difflib.get_close_matches(text.lower(), list(names), n=3, cutoff=0.6)
    hits = [c for n in near for c in names[n]]
    hits += difflib.get_close_matches(text.upper(), [c for c in catalogue if CODE.match(c)], n=2, cutoff=0.7)
    hits = list(dict.fromkeys(hits))
    if hits:
        return "bedoelt u " + " of ".join(f"{c} ({_named(*catalogue[c])})" for c in hits[:3]) + "?"
    return f"zoek de code op met 'kompas regions {text}'."


def resolve(texts: Iterable[str], catalogue: Mapping[str, tuple[str, str]], current: Iterable[str],
            herindelingen: pd.DataFrame) -> list[str]:
    """The codes meant by ``texts`` (codes or names), in order and once each; a KompasError that names
    every problem when any text does not give exactly one current region."""
    current = set(current)
    out, problems = [], []
    for text in texts:
        raw = (text or "").strip()
        if not raw:
            problems.append("Een lege code: geef een gemeente- of regiocode, bv. GM0344 (Utrecht) of JZ22.")
            continue
        code = raw.upper()
        if CODE.match(code):
            if code.startswith("GM") and code not in current:
                succ = successors(code, herindelingen)
                name = catalogue.get(code, (code, ""))[0]
                if succ:
                    problems.append(merged_away(code, name, succ))
                elif code in catalogue:
                    problems.append(f"{code} ({name}) is geen gemeente meer in de huidige indeling; "
                                    f"{_suggest(name, catalogue, current)}")
                else:
                    problems.append(f"{code} is geen bekende gemeente; {_suggest(code, catalogue, current)}")
                continue
            if code not in catalogue:
                problems.append(f"{code} staat niet in de gegevens; {_suggest(code, catalogue, current)}")
                continue
            out.append(code)
            continue
        known = {c: n for c, (n, level) in catalogue.items() if level in LEVELS and (level != "gemeente" or c in current)}
        hits = [c for c, n in known.items() if n.lower() == raw.lower()]
        if not hits:  # 'Bergen' for 'Bergen (NH)' and 'Bergen (L)'
            hits = [c for c, n in known.items() if n.lower().startswith(raw.lower() + " (")]
        if len(hits) == 1:
            out.append(hits[0])
        elif hits:
            options = ", ".join(f"{c} ({catalogue[c][0]}, {LEVELS[catalogue[c][1]]})" for c in sorted(hits))
            problems.append(f"'{raw}' past bij meer dan één regio: {options}. Geef de code.")
        elif re.match(r"^(GM|JZ|PV|NL|PO|VO)\d*$", code):
            problems.append(f"'{raw}' is geen geldige code (GM, PO of VO + 4 cijfers, JZ of PV + 2 cijfers, of NL01); "
                            f"{_suggest(raw, catalogue, current)}")
        else:
            problems.append(f"'{raw}' is geen code of naam van een gemeente of regio; {_suggest(raw, catalogue, current)}")
    if problems:
        raise KompasError("\n".join(problems))
    return list(dict.fromkeys(out))
