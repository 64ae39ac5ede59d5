"""Reading a params file: safe YAML without aliases, where each key and value stands (for messages
that name the line), texts cleaned of invisible characters, and a file merged over the defaults."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from kompas_lib.core import paths
from kompas_lib.core.entry import clean_text, describe_char, refused_kind
from kompas_lib.core.errors import ParamsError

class _Marks:
    """Where each key and value of one params file stands, by key path (``('ambities', 0, 'ambitie')``),
    so a message can name the line and column of what it is about."""

    def __init__(self, node: yaml.Node | None = None):
        self.at: dict[tuple, tuple[yaml.Node, yaml.Node]] = {}
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                p = (*path, k.value if isinstance(k, yaml.ScalarNode) else None)
                self.at[p] = (k, v)
                self._walk(v, p)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self.at[(*path, i)] = (v, v)
                self._walk(v, (*path, i))

    def _find(self, loc: tuple) -> tuple[yaml.Node, yaml.Node] | None:
        for n in range(len(loc), 0, -1):
            if tuple(loc[:n]) in self.at:
                return self.at[tuple(loc[:n])]
        return None

    def where(self, loc: tuple, key: bool = False) -> str:
        """'regel 4, kolom 12: ' for a value (the line of its key for a section, or with ``key``), '' when
        the file does not hold it."""
        found = self._find(loc)
        if found is None:
            return ""
        k, v = found
        if key or not isinstance(v, yaml.ScalarNode):
            return f"regel {k.start_mark.line + 1}: "
        return f"regel {v.start_mark.line + 1}, kolom {v.start_mark.column + 1}: "

    def typed(self, loc: tuple) -> str | None:
        """The scalar at exactly ``loc`` as the file spells it ('.inf', 'yes'), or None."""
        found = self.at.get(tuple(loc))
        return found[1].value if found and isinstance(found[1], yaml.ScalarNode) else None


# text that must keep every character as typed: file paths (a folder name may hold two spaces)
PATH_KEYS = {("aanbieders", "bestand"), *(("lokale_gegevens", k) for k in ("indicatoren", "activiteiten",
                                                                          "inputkwaliteit", "duiding",
                                                                          "verbeteracties", "leerplicht",
                                                                          "wachttijden"))}


def _clean_strings(data, marks: _Marks, label: str, path: tuple = ()) -> tuple[object, list[str]]:
    """``data`` with every text normalised (:func:`~kompas_lib.core.entry.clean_text`; paths kept as
    typed) and a message for every key or text holding a control, invisible or bidi character."""
    problems: list[str] = []
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if isinstance(k, str) and clean_text(k)[1]:
                problems.append(f"{label}: {marks.where((*path, k), key=True)}sleutel '{clean_text(k)[0]}': "
                                f"{clean_text(k)[1]}")
            out[k], found = _clean_strings(v, marks, label, (*path, k))
            problems += found
        return out, problems
    if isinstance(data, list):
        cleaned = [_clean_strings(v, marks, label, (*path, i)) for i, v in enumerate(data)]
        return [c for c, _ in cleaned], [p for _, found in cleaned for p in found]
    if isinstance(data, str):
        text, problem = clean_text(data)
        if problem:
            key = ".".join(map(str, path)) or "(bovenste niveau)"
            problems.append(f"{label}: {marks.where(path)}{key}: {problem}")
        return (data if path in PATH_KEYS else text), problems
    return data, problems


YAML_PROBLEMS = {  # PyYAML's problem texts, as a policy analyst understands them
    "mapping values are not allowed here": "hier kan geen 'sleutel: waarde' staan (klopt het inspringen?)",
    "found character '\\t' that cannot start any token": "er staat een tab; gebruik spaties om in te springen",
    "could not find expected ':'": "na een sleutel ontbreekt de dubbele punt",
    "expected <block end>": "het inspringen klopt niet",
    "found undefined alias": "verwijzingen met '*' (YAML-aliassen) zijn niet toegestaan",
    "found unexpected end of stream": "het bestand houdt onverwacht op (ontbreekt een ']' of '}'?)",
    "expected ',' or ']'": "een lijst is niet afgesloten met ']'",
    "expected ',' or '}'": "een reeks is niet afgesloten met '}'",
    "found duplicate anchor": "verwijzingen met '&' (YAML-ankers) zijn niet toegestaan",
}


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases ('&a' / '*a'): a params file never needs them, and a few
    nested aliases can blow up to billions of values ('billion laughs')."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(problem="verwijzingen met '*' (YAML-aliassen) zijn niet toegestaan; "
                                               "schrijf de waarde voluit", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def _read_yaml(path: Path) -> dict:
    return _read_yaml_marked(path)[0]


def _read_yaml_marked(path: Path) -> tuple[dict, _Marks]:
    """The file's mapping and where each of its keys and values stands."""
    if path.is_dir():
        raise ParamsError(f"{path}: dit is een map, geen params-bestand. Geef het bestand zelf, bv. "
                          f"{paths.params_dir() / 'GM0344.yml'}.")
    if not path.is_file():
        raise ParamsError(
            f"{path}: params-bestand niet gevonden. Params-bestanden staan in {paths.params_dir()}; maak er een met "
            f"'kompas params new GM0344' (met uw eigen gemeentecode).")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ParamsError(
            f"{path}: regel {line}: het bestand is niet in UTF-8 opgeslagen (bijvoorbeeld Latin-1 of Windows-1252). "
            "Sla het op als UTF-8 (in Kladblok: Opslaan als, codering UTF-8).") from None
    loader = None
    try:
        loader = _NoAliasLoader(text)  # a SafeLoader: constructs no objects
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow at all (ESC, BEL, …)
        line = text[:exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        ch = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise ParamsError(f"{path}: regel {line}, kolom {column}: hier staat een onzichtbaar "
                          f"{refused_kind(ch) or 'teken'} {describe_char(ch)}; haal het weg (zo'n teken komt vaak "
                          "mee bij kopiëren uit een website, e-mail of Word)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" op regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = str(getattr(exc, "problem", None) or exc)
        if "could not determine a constructor" in problem or "!!" in problem:
            problem = "een YAML-label zoals '!!python/…' is niet toegestaan; gebruik gewone waarden"
        problem = next((dutch for english, dutch in YAML_PROBLEMS.items() if english in problem), problem)
        raise ParamsError(
            f"{path}: geen geldige YAML{where}: {problem}. Controleer het inspringen (spaties, geen tabs) en dat "
            "na elke sleutel een dubbele punt en een spatie staan ('k: 15').") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        return {}, _Marks()
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: (bovenste niveau): het bestand moet uit regels 'sleutel: waarde' bestaan; "
                          f"toegestaan: de sleutels van params/default.yml")
    return data, _Marks(node)


def _deep_merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out
