"""What a report says about a samenwerkingsverband passend onderwijs: which gemeenten it has, which of them
lie only partly in it (and which part), and that their figures count whole.

The membership itself is made at preparation (:func:`kompas_lib.prepare.regions.verband_membership`); a
verband's figures are sums over its members like those of a jeugdregio
(:func:`.methods.comparison.on_current_borders`). Nothing is divided over verbanden by postcode: CBS
publishes no figures per postcode area, so a gemeente split over two verbanden counts whole in both, and
the report says so.
"""

from __future__ import annotations

from kompas_lib.core import fmt
from kompas_lib.prepare.regions import SWV_LEVEL, Verband, plain_name, swv_label, verbanden

REGULATION = "BWBR0032324"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _postcodes(codes: list[str]) -> str:
    return ("postcode " if len(codes) == 1 else "postcodes ") + _and(codes)


def _former(names: list[str]) -> str:
    return ("de vroegere gemeente " if len(names) == 1 else "de vroegere gemeenten ") + _and(names)


def _same(a: str, b: str) -> str:
    return a.lower() == b.lower() or plain_name(a) == plain_name(b)


def part_words(gemeente: str, parts: list, elsewhere: list) -> str:
    """Which part of ``gemeente`` lies in the verband, from its herkomst here (``parts``: ``[name in 2015,
    postcodes here, postcodes elsewhere, split]`` per gemeente it was formed from) and in its other
    verbanden of the kind (``elsewhere``, the same lists) — e.g. 'postcode 3151', 'behalve postcodes 2911
    en 2912', 'de vroegere gemeente Weesp', 'het gebied van Amsterdam van 2015, zonder de vroegere gemeente
    Weesp'."""
    words, former, own_whole = [], [], False
    for name, here, other, split in parts:
        own = _same(name, gemeente)
        if split:
            words.append(f"een niet per postcode bekend deel van de vroegere gemeente {name}, die over meer gemeenten "
                         "is verdeeld")
        elif here:
            where = _postcodes(here) if len(here) <= len(other) else "behalve " + _postcodes(other)
            words.append(where if own else f"van de vroegere gemeente {name}: {where}")
        elif not own:
            former.append(name)
        else:
            own_whole = True
            words.append(f"het gebied van {gemeente} van 2015")
    if former:
        words.append(_former(former))
    text = _and(words)
    missing = [(name, split) for name, here, _, split in elsewhere if not here and not _same(name, gemeente)]
    if own_whole and missing:
        whole = [n for n, split in missing if not split]
        text += ", zonder " + _and(([_former(whole)] if whole else [])
                                   + [f"het deel van de vroegere gemeente {n}" for n, split in missing if split])
    return text


def members_text(code: str, current, names: dict[str, str], version: str | None = None,
                 fictitious: bool = False) -> str | None:
    """The sentences a verband's report adds under its member list: the regulation it comes from, and the
    members that lie only partly in it, with which part and where the rest lies, that their whole figures
    count and how many of the inhabitants counted live in them. None when ``code`` is no samenwerkingsverband
    of today's indeling (``current``)."""
    found = verbanden(current)
    v: Verband | None = found.get(code)
    if v is None:
        return None
    label = swv_label(code)
    source = ("Het gebied van een samenwerkingsverband passend onderwijs ligt per postcodegebied vast in de Regeling "
              "regio-indeling samenwerkingsverbanden passend onderwijs PO en VO"
              + (f" (versie van {_date(version)})" if version else "") + "; hier op de gemeenten van nu gelegd.")
    if fictitious:
        source = ("Het gebied van dit samenwerkingsverband passend onderwijs is verzonnen, zoals heel Demoland, maar "
                  "vastgelegd zoals in de echte regeling: per postcodegebied.")
    if not v.deels:
        return source + f" Alle gemeenten van {label} liggen er helemaal in."
    lines = []
    for g in sorted(v.deels, key=lambda c: names.get(c, c)):
        name = names.get(g, g)
        others = [c for c, o in found.items() if c != code and c[:2] == code[:2] and g in o.members]
        elsewhere = [p for c in others for p in found[c].herkomst.get(g, [])]
        rest = f"; de rest hoort bij {_and([swv_label(c) for c in others])}" if others else ""
        lines.append(f"{name} ({part_words(name, v.herkomst.get(g, []), elsewhere)}{rest})")
    n = len(v.deels)
    inwoners = dict(zip(current["gemeente_code"], current["inwoners"]))
    total = sum(inwoners.get(g, 0) or 0 for g in v.members)
    partly = sum(inwoners.get(g, 0) or 0 for g in v.deels)
    share = (f" Van de {fmt.count(total)} inwoners van alle gemeenten van {label} samen wonen er {fmt.count(partly)} "
             f"({fmt.pct(partly / total * 100, 0)}) in {'de gemeente' if n == 1 else 'gemeenten'} die er maar voor een "
             "deel in "
             f"{'ligt' if n == 1 else 'liggen'}; lees de cijfers van het samenwerkingsverband met dat in gedachten."
             if total > 0 else "")
    return (source + f" {'Eén gemeente ligt' if n == 1 else f'{n} gemeenten liggen'} maar voor een deel in {label}: "
            f"{_and(lines)}. CBS publiceert geen cijfers per postcodegebied; daarom "
            f"{'telt deze gemeente' if n == 1 else 'tellen deze gemeenten'} hier met {'haar' if n == 1 else 'hun'} "
            "hele cijfers mee, en ook in het andere samenwerkingsverband. Er wordt niets naar rato verdeeld, dus de "
            "cijfers gaan over een groter gebied dan dat van het samenwerkingsverband zelf." + share)


def partly_in(scope) -> tuple[str, ...]:
    """The gemeenten of a samenwerkingsverband in focus that lie only partly in it (sorted by name); () for any
    other focus."""
    if scope.focus.level != SWV_LEVEL:
        return ()
    v = verbanden(scope.shared.current).get(scope.focus.code)
    return tuple(sorted(v.deels, key=lambda c: scope.names.get(c, c))) if v is not None else ()


def partly_words(scope) -> str:
    """'Kempenland en Lindehoven liggen maar voor een deel in PO 92-01', or '' when every gemeente lies wholly in
    the focus (or it is no samenwerkingsverband)."""
    partly = [scope.names.get(c, c) for c in partly_in(scope)]
    if not partly:
        return ""
    return f"{_and(partly)} {'ligt' if len(partly) == 1 else 'liggen'} maar voor een deel in {swv_label(scope.focus.code)}"


def _date(version: str) -> str:
    try:
        y, m, d = (int(x) for x in version.split("-"))
        return f"{d} {fmt.MONTHS[m - 1]} {y}"
    except (ValueError, IndexError):
        return version


__all__ = ["SWV_LEVEL", "members_text", "part_words", "partly_in", "partly_words"]
