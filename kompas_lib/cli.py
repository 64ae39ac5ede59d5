"""The ``kompas`` command.

    kompas prepare [--bron auto|snapshot|live|demo]
    kompas run --gemeente GM0344 [GM0363 …] [--params FILE] [--bron …]
    kompas params new GM0344 [--naam Utrecht] [--force]
    kompas regions [ZOEKTERM]
    kompas fetch [TABLEID …]
    kompas demo

Problems the user can fix are printed as one plain message (no traceback), exit code 2.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import traceback
from pathlib import Path

from kompas_lib.core import paths
from kompas_lib.core.errors import KompasError

DEMO_GEMEENTE = "GM9001"
DEFAULT_GEMEENTE = "GM0344"


def default_gemeente() -> str:
    """Utrecht for real CBS data; the first Demoland gemeente when the prepared data are the demo (and
    no CBS folder is set: with KOMPAS_CBS_DIR the run prepares that)."""
    from kompas_lib.core.prepare_info import PrepareInfo

    if paths.snapshot_dir_from_env():
        return DEFAULT_GEMEENTE
    try:
        if PrepareInfo.read(paths.processed_dir()).fictitious:
            return DEMO_GEMEENTE
    except KompasError:  # nothing prepared yet
        pass
    return DEFAULT_GEMEENTE


def _prepare(args) -> int:
    from kompas_lib.sources import choose_source

    return _prepare_from(choose_source(args.bron))


def _prepare_from(source) -> int:
    from kompas_lib.prepare.facts import prepare

    result = prepare(source)
    rep = result.report
    print(f"Bron: {source.kind} ({source.root})" + ("  — FICTIEVE GEGEVENS" if source.fictitious else ""))
    print(f"{rep['n_facts']} feiten uit {len(rep['tables_used'])} tabellen in {rep['seconds']} s "
          f"-> {paths.processed_dir() / 'facts.parquet'}")
    from kompas_lib.presentation.session import country_tables

    seconds = country_tables(paths.processed_dir(), progress=True)
    from kompas_lib.core import fmt

    print(f"Landelijke tabellen gemaakt in {fmt.number(seconds, 1)} s (wat opvalt per gemeente, de regio's op de "
          "grenzen van nu, het model van het verwachte gebruik; elk rapport leest ze)")
    if rep["tables_absent"]:
        print("Niet in deze bron (overgeslagen): " + ", ".join(rep["tables_absent"]))
    if rep["unmatched_region_titles"]:
        print(f"Let op: {len(rep['unmatched_region_titles'])} regionamen zonder code (zie prepare.json).")
    skipped = rep.get("indicators_skipped") or []
    if skipped:
        print("Indicatoren overgeslagen: " + ", ".join(sorted({s["indicator"] for s in skipped})))
        for s in [s for s in skipped if s.get("column")][:10]:  # a column CBS renamed or removed
            print(f"  - {s['indicator']}: tabel {s['table']} heeft geen kolom {s['column']} (de catalogus "
                  "kompas_lib/data/tables.yml verwacht die; CBS heeft de tabel mogelijk veranderd)")
    return 0


def _ensure_prepared(bron: str) -> None:
    """Prepared data made from the source this run asks for (``--bron``, ``KOMPAS_CBS_DIR``): prepare
    (again) when nothing is prepared, the raw files changed or another source is asked for; stop with
    a message when the source asked for cannot be used (kompas_lib/pipeline/provenance.py)."""
    from kompas_lib.pipeline.provenance import plan

    todo = plan(bron)
    if todo.reason:
        print(todo.reason)
    if todo.source is not None:
        _prepare_from(todo.source)


def _check_run_options(args) -> str | None:
    """The run's options checked before anything is prepared or made: a Dutch message, or None."""
    from kompas_lib.pipeline.batch import JOBS_PER_CPU, cpus, max_jobs

    if args.jobs is not None and args.jobs < 1:
        return "Fout in de opdracht: --jobs moet 1 of meer zijn (het aantal rapporten dat tegelijk wordt gemaakt)."
    if args.jobs is not None and args.jobs > max_jobs():
        return (f"Fout in de opdracht: --jobs {args.jobs} is te veel: deze computer heeft {cpus()} processorkern"
                f"{'en' if cpus() != 1 else ''}, dus hoogstens {max_jobs()} rapporten tegelijk ({JOBS_PER_CPU} per "
                "kern). Elk rekenproces houdt de gegevens in het geheugen (met de echte CBS-gegevens ongeveer "
                "1 GB); meer processen dan kernen maken het niet sneller. Laat --jobs weg voor het aantal kernen.")
    if args.scheduler and args.executor == "lokaal":
        return ("Fout in de opdracht: --scheduler hoort bij --executor dask; laat --executor lokaal weg om het "
                "Dask-cluster te gebruiken, of laat --scheduler weg om op deze computer te rekenen.")
    if args.scheduler:
        args.executor = "dask"  # an address means the cluster
        from kompas_lib.pipeline.cluster import check_address

        check_address(args.scheduler)
    if args.executor == "dask" and not args.scheduler:
        return ("Fout in de opdracht: geef bij --executor dask ook het adres van de scheduler, bv. "
                "--scheduler tcp://host:8786.")
    args.executor = args.executor or "lokaal"
    return None


def _start_kernel_early(args) -> None:
    """One report: start its kernel before the command imports papermill and checks the params, so the
    kernel starts and loads the tables on the other core meanwhile. When the data must be prepared first
    (or any doubt), that kernel is shut down again and the run starts its own."""
    one = (args.gemeente and len(args.gemeente) == 1 and not (args.alle or args.regio or args.provincie)
           and args.jobs in (None, 1) and args.executor in (None, "lokaal") and not args.scheduler)
    if not one or not paths.notebooks_dir().is_dir():  # no notebooks: the run's own checks say so
        return
    from kompas_lib.pipeline.kernel import discard_worker_kernel, start_early

    try:
        start_early(paths.notebooks_dir(), paths.processed_dir())  # first: checking imports pandas (0,4 s)
        from kompas_lib.pipeline.provenance import plan

        again = plan(args.bron).source is not None
    except Exception:  # noqa: BLE001 - a problem here is reported by the run's own checks
        again = True
    if again:  # the data are prepared first: this kernel would hold the old tables
        discard_worker_kernel()


def _run(args) -> int:
    import time

    _start_kernel_early(args)
    from kompas_lib.core.prepare_info import PrepareInfo
    from kompas_lib.pipeline.batch import (
        cpus,
        resolve_codes,
        run_many,
        select_codes,
        summary,
    )
    from kompas_lib.pipeline.provenance import data_line

    problem = _check_run_options(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    _ensure_prepared(args.bron)
    print(data_line(PrepareInfo.read(paths.processed_dir())))
    if args.gemeente:
        codes = resolve_codes(args.gemeente)
    else:
        codes = select_codes(alle=args.alle, regio=args.regio, provincie=args.provincie)
    if args.params:  # one params file for all: a mistake in it stops everything, before any report starts
        from kompas_lib.core.params import load_params

        for code in codes:
            load_params(Path(args.params), code)
    jobs = args.jobs or min(cpus(), len(codes))
    t0 = time.perf_counter()
    results = run_many(codes, Path(args.params) if args.params else None, jobs=jobs, force=args.opnieuw,
                       timeout=args.timeout, executor=args.executor, scheduler=args.scheduler,
                       analyst=args.voor_analist)
    failed = [r for r in results if not r.ok]
    if len(results) <= 10:
        for r in results:
            if r.skipped:
                print(f"{r.code}: niets veranderd sinds het vorige rapport -> {r.report}")
            elif r.ok:
                print(f"{r.code}: rapport klaar in {r.seconds:.1f} s -> {r.report}")
    print(summary(results, time.perf_counter() - t0) + f" Overzicht: {paths.reports_dir() / 'index.html'}")
    if failed:
        print(f"\n{len(failed)} van {len(results)} mislukt:", file=sys.stderr)
        for r in failed:
            print(f"- {r.code}: {r.message}", file=sys.stderr)
        return 1
    return 0


def _params(args) -> int:
    from kompas_lib.core.params import new_params_file

    if args.action != "new":
        raise KompasError("Gebruik: kompas params new GM0344")
    name = args.naam
    if name is None and (paths.processed_dir() / "facts.parquet").is_file():
        from kompas_lib.prepare.regions import region_catalogue
        from kompas_lib.prepare.facts import load_facts, load_regions

        cat = region_catalogue(load_facts(), load_regions())
        if args.code.upper() in cat:
            name = cat[args.code.upper()][0]
    path = new_params_file(args.code.upper(), name, overwrite=args.force)
    print(f"Params-bestand geschreven: {path}")
    return 0


def _regions(args) -> int:
    from kompas_lib.prepare.regions import region_catalogue
    from kompas_lib.prepare.facts import load_facts, load_regions

    _ensure_prepared("auto")
    cat = region_catalogue(load_facts(), load_regions())
    term = (args.term or "").lower()
    for code, (name, level) in sorted(cat.items()):
        if level in ("gemeente", "jeugdregio", "land", "provincie", "samenwerkingsverband") and (term in code.lower() or term in name.lower()):
            print(f"{code}\t{level}\t{name}")
    return 0


def _fetch(args) -> int:
    from kompas_lib.core.registry import load_registry
    from kompas_lib.core.errors import SourceUnavailable
    from kompas_lib.sources import live

    ids = args.tables or load_registry().all_table_ids()
    cache = paths.live_cache_dir()
    if not live.cbs_reachable():  # one line, and the tables fetched earlier stay as they are
        raise SourceUnavailable("CBS geeft geen antwoord, via de nieuwe koppeling (OData v4) noch via de oude (OData "
                                f"v3); er is niets opgehaald en het rapport gebruikt {live.fallback_words(cache)}.")
    print(f"CBS-tabellen ophalen naar {cache} (eerst OData v4, anders OData v3):")
    results = live.fetch_tables(ids, cache, refresh=args.refresh,
                                on_done=lambda r: print("  " + live.result_line(r), flush=True))
    print("\n".join(live.summary(results)))
    return 0 if all(r.ok for r in results.values()) else 1


def _demo(args) -> int:
    from kompas_lib.sources.demoland import generate_demo

    manifest = generate_demo(paths.demo_dir())
    print(f"Fictieve gegevens (Demoland) geschreven naar {paths.demo_dir()}: {manifest}")
    return 0


def _handout(args) -> int:
    from kompas_lib.presentation.handout import make_handout, read_notebook

    notebooks = [Path(n) for n in args.notebooks] or sorted((paths.notebooks_dir() / "training").glob("*.ipynb"))
    folders = [str(n) for n in notebooks if n.is_dir()]
    if folders:
        raise KompasError(f"{', '.join(folders)}: dat is een map, geen notebook. Geef de notebooks zelf, bv. "
                          f"{', '.join(str(Path(f) / '*.ipynb') for f in folders)}.")
    missing = [str(n) for n in notebooks if not n.is_file()]
    if missing or not notebooks:
        raise KompasError(f"Notebook niet gevonden: {', '.join(missing) or 'geen trainingsnotebooks'}.")
    for n in notebooks:  # every file checked before the first hand-out is made
        read_notebook(n)
    out_dir = paths.reports_dir() / "hand-outs"
    for n in notebooks:
        print(f"hand-out gemaakt: {make_handout(n, out_dir, timeout=args.timeout)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = DutchParser(prog="kompas", description="Kwaliteitskompas jeugd: data voorbereiden en rapporten maken.")
    p.add_argument("-v", "--verbose", action="store_true", help="meer uitleg in de uitvoer")
    sub = p.add_subparsers(dest="command", required=True)
    bron = dict(choices=["auto", "snapshot", "live", "demo"], default="auto",
                help="gegevensbron: auto (KOMPAS_CBS_DIR, anders CBS online, anders demo), snapshot, live of demo")

    sp = sub.add_parser("prepare", help="CBS-tabellen omzetten naar data/processed/facts.parquet")
    sp.add_argument("--bron", **bron)
    sp.set_defaults(func=_prepare)

    sr = sub.add_parser("run", help="rapport(en) maken voor een of meer gemeenten of jeugdregio's")
    which = sr.add_mutually_exclusive_group(required=True)
    which.add_argument("--gemeente", "-g", nargs="+", help="code(s), bv. GM0344 of JZ19")
    which.add_argument("--alle", action="store_true", help="elke gemeente van het laatste jaar")
    which.add_argument("--regio", help="de gemeenten van een jeugdregio of samenwerkingsverband passend onderwijs "
                                       "en de regio zelf, bv. JZ19 of PO2601")
    which.add_argument("--provincie", help="de gemeenten van een provincie en de provincie zelf, bv. PV26")
    sr.add_argument("--jobs", "-j", type=int,
                    help="rapporten tegelijk (standaard: het aantal processorkernen; hoogstens 4 per kern)")
    sr.add_argument("--executor", choices=["lokaal", "dask"],
                    help="lokaal (standaard): werkprocessen op deze machine; dask: taken naar een Dask-cluster "
                         "(zie --scheduler)")
    sr.add_argument("--scheduler", help="adres van de Dask-scheduler, bv. tcp://host:8786 (dan rekent het Dask-cluster)")
    sr.add_argument("--opnieuw", action="store_true", help="ook rapporten maken waarvan niets veranderd is")
    sr.add_argument("--voor-analist", action="store_true",
                    help="ook rapport-voor-analist.html maken: het rapport met de aanwijzingen voor eigen bestanden")
    sr.add_argument("--timeout", type=seconds, default=600,
                    help=f"seconden per notebookcel voordat die gemeente mislukt (meer dan 0, hoogstens {MAX_TIMEOUT})")
    sr.add_argument("--params", help="params-bestand (standaard params/<code>.yml als dat bestaat)")
    sr.add_argument("--bron", **bron)
    sr.set_defaults(func=_run)

    spa = sub.add_parser("params", help="params-bestanden")
    spa.add_argument("action", choices=["new"])
    spa.add_argument("code", help="gemeentecode, bv. GM0344")
    spa.add_argument("--naam", help="naam van de gemeente (anders uit de gegevens)")
    spa.add_argument("--force", action="store_true", help="bestaand bestand overschrijven")
    spa.set_defaults(func=_params)

    sg = sub.add_parser("regions", help="codes en namen van gemeenten en regio's opzoeken")
    sg.add_argument("term", nargs="?", help="deel van naam of code")
    sg.set_defaults(func=_regions)

    sf = sub.add_parser("fetch", help="CBS-tabellen online ophalen (OData v4, anders v3; internet nodig)")
    sf.add_argument("tables", nargs="*", help="tabel-id's (standaard: alle uit het register)")
    sf.add_argument("--refresh", action="store_true", help="ook tabellen die al zijn opgehaald")
    sf.set_defaults(func=_fetch)

    sh = sub.add_parser("hand-out", help="trainingsnotebooks als HTML-hand-out (ook zonder internet te lezen)")
    sh.add_argument("notebooks", nargs="*", help="notebooks (standaard: alle in notebooks/training)")
    sh.add_argument("--timeout", type=seconds, default=600,
                    help=f"seconden per notebookcel (meer dan 0, hoogstens {MAX_TIMEOUT})")
    sh.set_defaults(func=_handout)

    sd = sub.add_parser("demo", help="fictieve gegevens (Demoland) maken")
    sd.set_defaults(func=_demo)
    return p


MAX_TIMEOUT = 86_400  # seconds: one notebook cell may take at most a day


def seconds(text: str) -> float:
    """``--timeout``: seconds per notebook cell, more than 0 and at most :data:`MAX_TIMEOUT` (a comma as
    decimal sign is fine); argparse turns a refusal into 'Fout in de opdracht: --timeout: …'."""
    import math

    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen getal") from None
    if math.isnan(value):
        raise argparse.ArgumentTypeError(f"'{text}' is geen getal; geef het aantal seconden, bv. 600")
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(
            f"{text} kan niet: geef het aantal seconden dat één notebookcel mag duren, meer dan 0 en hoogstens "
            f"{MAX_TIMEOUT} (een dag); standaard 600")
    return value


ARGPARSE_DUTCH = [  # argparse's own messages, as a policy analyst reads them
    (r"the following arguments are required: (.*)", r"deze onderdelen ontbreken: \1"),
    (r"one of the arguments (.*) is required", r"geef een van: \1"),
    (r"argument (\S+): invalid int value: '(.*)'", r"\1: '\2' is geen geheel getal"),
    (r"argument (\S+): invalid float value: '(.*)'", r"\1: '\2' is geen getal"),
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"\1: '\2' kan niet; kies uit \3"),
    (r"argument (\S+): expected one argument", r"\1: daarna hoort een waarde"),
    (r"argument (\S+): expected at least one argument", r"\1: daarna hoort minstens één code"),
    (r"argument (\S+): not allowed with argument (\S+)", r"\1 en \2 gaan niet samen; kies er één"),
    (r"unrecognized arguments: (.*)", r"onbekende onderdelen: \1"),
    (r"^argument (\S+): ", r"\1: "),  # the Dutch message of a type check (--timeout)
]


class DutchParser(argparse.ArgumentParser):
    """argparse with its error messages in Dutch, and without a traceback."""

    def error(self, message: str):
        for pattern, dutch in ARGPARSE_DUTCH:
            message = re.sub(pattern, dutch, message)
        self.exit(2, f"Fout in de opdracht: {message}\nHulp: {self.prog} --help\n")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return args.func(args)
    except KompasError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Afgebroken. Wat al klaar was, is bewaard; half geschreven bestanden zijn niet achtergebleven.",
              file=sys.stderr)
        return 130
    except OSError as exc:  # disk full, no permission, a folder where a file should be
        if args.verbose:
            traceback.print_exc()
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"Fout bij lezen of schrijven{where}: {exc.strerror or exc}. Controleer of de schijf vol is en of u "
              "in die map mag schrijven.", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, the traceback with -v
        if args.verbose:
            traceback.print_exc()
        print(f"Onverwachte fout ({type(exc).__name__}: {exc}). Dit is waarschijnlijk een fout in het programma; "
              "draai de opdracht opnieuw met -v en stuur de uitvoer naar de beheerders.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
