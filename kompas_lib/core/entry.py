"""Numbers and text as people type them into their own files and params files.

One rule for each, used by the own-file validator (:mod:`kompas_lib.sources.sjablonen`) and the
params loader (:mod:`kompas_lib.core.params`); docs/templates.md states the rules for users.

**Numbers** (:func:`parse_number`). Accepted: digits (``1500``), a decimal comma or point
(``12,5``, ``12.5``, ``0.125``), a sign, and points between thousands *when a decimal comma follows*
(``1.234,5``: unambiguous, the way Dutch text writes it). Refused, each with what to write instead:

- points between thousands without a decimal comma (``1.500``, ``12.250``, ``1.500.000``): a Dutch
  reader means 1500, an English export 1,5 — the file cannot say which, so it must say 1500 or 1,5;
- scientific notation (``1e400``, ``1,5E+06`` as Excel writes a wide number): write the number out;
- ``inf``, ``nan``, ``NaN``, ``#N/B`` and other words: not numbers (leave a cell empty when unknown);
- spaces between digits (``1 500``): write 1500;
- a number of more than :data:`MAX_DIGITS` digits before the decimal separator: too large to be a
  count or a measure, and beyond exact arithmetic.

**Text** (:func:`clean_text`). Normalised, because they look the same and so must be the same: every
kind of space or line break (tab, line breaks, no-break space, thin spaces …) becomes one plain space,
runs of spaces become one, the text is trimmed, and letters are put in NFC form (an é typed as e plus
an accent equals the é of one character). Refused, naming the character as U+XXXX, because they cannot
be seen and would make two names that look the same differ (or show a name reversed): control
characters (ESC, BEL, …), zero-width and other invisible format characters (U+200B–U+200D, U+2060,
U+FEFF inside text, the soft hyphen U+00AD; every character of category Cf, and the blank Hangul and
Braille letters of :data:`INVISIBLE_LETTERS`), and characters that change the reading direction
(U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

MAX_DIGITS = 15  # digits before the decimal separator; floats are exact up to 2**53 (16 digits)

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)")
_THOUSANDS_COMMA = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+")
_THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)[eE][+-]?[0-9]+")
_SPACED = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?")
_NOT_A_NUMBER = re.compile(r"[+-]?(?:inf|infinity|nan|na|n/a|#n/[ab]|#getal!|#deel/0!|#waarde!|∞)", re.IGNORECASE)


class NumberProblem(ValueError):
    """A text that is not read as a number; the message says why and what to write (Dutch, no place)."""


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def parse_number(text: str, whole: bool = False) -> float:
    """The number ``text`` stands for (see the module docstring for the rule); ``whole`` tailors the
    hint to a count column. Raises :class:`NumberProblem` with a Dutch message."""
    t = text.strip()
    if _THOUSANDS.fullmatch(t):
        plain = t.replace(".", "")
        problem = (f"'{t}': een punt tussen de duizendtallen is dubbelzinnig (het kan ook een decimaalpunt zijn); "
                   f"schrijf {plain}, zonder punt")
        if not whole and t.count(".") == 1:
            problem += f", of {format_number(float(t))} als de punt een decimaalpunt is"
        raise NumberProblem(problem)
    if _DECIMAL.fullmatch(t):
        value_text = t.replace(",", ".")
    elif _THOUSANDS_COMMA.fullmatch(t):
        value_text = t.replace(".", "").replace(",", ".")
    elif _EXPONENT.fullmatch(t):
        raise NumberProblem(f"'{t}' is in e-notatie geschreven; schrijf het getal voluit, zonder e (Excel schrijft "
                            "een breed getal zo als de kolom te smal is: maak de kolom breder of kies de opmaak Getal)")
    elif _SPACED.fullmatch(t):
        raise NumberProblem(f"'{t}' heeft een spatie tussen de cijfers; schrijf {t.replace(' ', '')} (zonder spatie)")
    elif _NOT_A_NUMBER.fullmatch(t):
        raise NumberProblem(f"'{t}' is geen getal; laat de cel leeg als het getal onbekend is")
    else:
        raise NumberProblem(f"'{t}' is geen getal; schrijf een getal zoals 1500 of 12,5")
    before = _digits(value_text.split(".")[0]).lstrip("0")
    if len(before) > MAX_DIGITS:
        raise NumberProblem(f"'{t[:20]}…' is te groot: een getal heeft hier hoogstens {MAX_DIGITS} cijfers vóór de "
                            "komma")
    value = float(value_text)
    if not math.isfinite(value):  # cannot happen within MAX_DIGITS; a guard for the rule above
        raise NumberProblem(f"'{t}' is geen getal")
    return value


def format_number(x: float) -> str:
    """How to write ``x`` in an own file: digits, a decimal comma, no thousands points (parses back to
    ``x`` exactly for finite numbers of at most :data:`MAX_DIGITS` digits before the comma)."""
    text = format(Decimal(repr(float(x))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace(".", ",")


# --- text ---------------------------------------------------------------------------------------

# whitespace that is shown as a space (or a line break, which HTML shows as a space): normalised
_WHITESPACE = frozenset("\t\n\r\x0b\x0c\x85\u2028\u2029")
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROL_NAMES = dict(enumerate("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK "
                                "SYN ETB CAN EM SUB ESC FS GS RS US".split())) | {0x7F: "DEL"}
# letters and marks that show nothing (used to make names that look alike): refused like format characters
INVISIBLE_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
# every character that may need work: not printable ASCII (a fast test for the common, plain case)
_NEEDS_WORK = re.compile(r"[^\x20-\x7e]| {2}")


def is_space(ch: str) -> bool:
    return ch in _WHITESPACE or unicodedata.category(ch) == "Zs"


def refused_kind(ch: str) -> str | None:
    """Why a character is refused in text (Dutch words), or None when it is allowed."""
    if ch in _WHITESPACE:
        return None
    cat = unicodedata.category(ch)
    if cat == "Cc":
        return "stuurteken"
    if cat == "Cf" or ch in INVISIBLE_LETTERS:
        return "teken"
    return None


def describe_char(ch: str) -> str:
    """'U+200B (zero width space)': the code and, where known, a name (and what a bidi character does)."""
    code = ord(ch)
    name = CONTROL_NAMES.get(code) or unicodedata.name(ch, "").lower()
    if ch in BIDI:
        name += "; het verandert de leesrichting"
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def clean_text(text: str) -> tuple[str, str | None]:
    """``(normalised text, problem)``. The problem (Dutch, or None) names the first refused character
    as U+XXXX and the visible text before it; the normalised text then has refused characters left out,
    so further checks see what a reader sees. Idempotent: ``clean_text(clean_text(t)[0])[0]`` equals
    ``clean_text(t)[0]``."""
    if not _NEEDS_WORK.search(text):
        return text.strip(), None
    problem = None
    kept = []
    for i, ch in enumerate(text):
        kind = refused_kind(ch)
        if kind is None:
            kept.append(" " if is_space(ch) else ch)
        elif problem is None:
            before = "".join(kept).strip()
            where = f"na '{before[-20:]}'" if before else "aan het begin"
            problem = (f"een onzichtbaar {kind} {describe_char(ch)} {where}; haal het weg (zo'n teken komt vaak mee bij kopiëren uit "
                       "een website, e-mail of Word)")
    return unicodedata.normalize("NFC", re.sub(" {2,}", " ", "".join(kept)).strip()), problem


def has_line_break(text: str) -> bool:
    """True when ``text`` holds a line break of any kind (a YAML reader would start a new line there)."""
    return any(ch in "\n\r\x0b\x0c\x85\u2028\u2029" for ch in text)
