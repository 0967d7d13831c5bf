"""The ``kg`` command line.

::

    kg build PATH... -o OUT [--format turtle|trig|nt|json-ld] [--no-ontology]
             [-j N] [--store DIR] [--cache DIR] [--scheduler ADDRESS]
    kg query GRAPH QUERY [--format table|csv|json] [--short] [--param NAME=VALUE ...]
                   [--engine oxigraph|rdflib]
    kg query --list | --show NAME
    kg export GRAPH [--to graphml|gexf|json] [--view full|entities|citations|cooperation]
    kg validate GRAPH [-j N] [--engine pyshacl|rudof]
    kg check GRAPH [--fail-on CHECK,...|all|none] [--format table|csv|turtle] [-o REPORT]
    kg table GRAPH [-o OUT.csv|OUT.parquet]
    kg text FILE
    kg serve GRAPH [--port N] [--timeout SECONDS] [--allow-service]
    kg push GRAPH --endpoint URL [--prune]
    kg bench [--reports N ...] [--jobs J] [--json OUT] | --corpus DIR [--repeat N]
    kg --version

Every command takes ``-q`` (nothing but errors). An output's extension names
its writer (:mod:`kg.base.filetypes`); ``-o -`` is standard output. Each error
is one line on standard error.

Exit codes: 0 success; 1 ``build``: some inputs were skipped (the rest was
written), ``validate``: the graph violates the shapes; 2 no input could be
built (nothing written), or the Dask scheduler failed; 3 output could not be
written (or is refused: an input, an extension no writer of the command
knows), or a push was refused; 4 bad query; 5 graph file unreadable; 6
ontology files missing; 7 the SPARQL server could not start; 8 an unexpected
error (a bug); 9 an optional package is missing (pandas for ``table``,
pyarrow for Parquet); 130 interrupted, 128 + N stopped by signal N (SIGTERM,
SIGHUP); 141 the reader of standard output went away. ``check`` exits 1 when
it finds an inconsistency of a check that ``--fail-on`` names.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kg.base.errors import KgError, NoReportsError, OutputError, QueryError
from kg.base.files import write_atomic
from kg.base.filetypes import STDOUT, check_not_input
from kg.base.version import __version__

if TYPE_CHECKING:
    from kg.graph.turtle import Counts
    from kg.run.work import Progress

# Each command imports the modules it runs when it runs (the "lazy" imports
# below): together they load rdflib, spaCy, pyshacl, networkx and oxrdflib
# (0.1-1.5 s), and `kg --help` needs none of them.

T = TypeVar("T")

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_NOTHING_BUILT = 2
#: An unexpected error: a bug of kg.
EXIT_BUG = 8
EXIT_INTERRUPTED = 130
#: The reader of standard output went away (128 + SIGPIPE, as a shell reports it).
EXIT_BROKEN_PIPE = 141


def _progress(enabled: bool | None, unit: str = "report", desc: str = "building") -> Progress:
    """A progress bar on standard error over what is wrapped: always (``enabled``), never
    (``False``), or when standard error is a terminal and there is more than one item."""
    def wrap(items: Iterable[T], total: int) -> Iterable[T]:
        show = enabled if enabled is not None else (total > 1 and sys.stderr.isatty())
        if not show:
            return items
        from tqdm import tqdm  # lazy: only a command with a progress bar needs it

        bar: Iterable[T] = tqdm(items, total=total, unit=unit, file=sys.stderr, desc=desc)
        return bar

    return wrap


def _say(args: argparse.Namespace, text: str, *, to_stdout: bool = True) -> None:
    """Print what a command tells the user (nothing with ``-q``); to standard error
    when standard output carries the output (``-o -``)."""
    if getattr(args, "quiet", False):
        return
    stream = sys.stdout if to_stdout and getattr(args, "output", None) != STDOUT else sys.stderr
    print(text, file=stream)


def _write_out(output: str, data: bytes) -> None:
    """``data`` to the file ``output`` (atomically), or to standard output for ``-``."""
    if output == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, data)


def cmd_build(args: argparse.Namespace) -> int:
    # lazy: rdflib (and spaCy where the build extracts)
    from kg.graph.serialize import format_for, serialize
    from kg.ingest.manifest import supplied
    from kg.run.build import build_reports
    from kg.run.summary import BuildSummary, counts_of

    if not args.output and not args.store:
        raise OutputError("give an output file (-o OUT), a store (--store DIR), or both")
    t0 = time.perf_counter()
    manifest = supplied(args.manifest, args.region)  # checked before any report is read
    fmt = format_for(args.output, args.format) if args.output else None
    if args.output:
        check_not_input(args.output, args.paths)
    cache = args.cache
    if cache is None and args.store:
        from kg.store.store import META_DIR  # lazy: oxrdflib

        cache = Path(args.store) / META_DIR / "cache"
    progress = _progress(False if args.quiet else args.progress)
    result = build_reports(args.paths, progress=progress, jobs=args.jobs,
                           cache=cache, scheduler=args.scheduler, triples=bool(args.store),
                           turtle=fmt == "turtle", manifest=manifest)
    for err in result.errors:
        print(f"kg: skipped {err}", file=sys.stderr)
    if not args.quiet:
        for path, warning in result.warnings:
            print(f"kg: warning: {path}: {warning}", file=sys.stderr)
    if not result.packed:
        print("kg: no report could be built; nothing written", file=sys.stderr)
        return EXIT_NOTHING_BUILT
    ontology = not args.no_ontology
    lines: list[str] = []
    counts: Counts | None = None
    if args.store:
        from kg.store.store import write_store  # lazy: oxrdflib

        t1 = time.perf_counter()
        update = write_store(args.store, result.report_ntriples(ontology=ontology))
        result.timings["store"] = time.perf_counter() - t1
        lines.append(f"store {args.store}: {update.written} graph(s) written, "
                     f"{update.unchanged} unchanged, {update.removed} removed")
    if args.output and fmt:
        t1 = time.perf_counter()
        if fmt == "turtle":  # the canonical Turtle, straight from the reports' fragments
            counts = result.write_turtle(args.output, ontology=ontology)
        if counts is None:
            graph = (result.dataset(ontology=ontology) if fmt == "trig"
                     else result.graph(ontology=ontology))
            result.timings["graph"] = time.perf_counter() - t1
            t1 = time.perf_counter()
            _write_out(args.output, serialize(graph, fmt))
            counts = counts_of(graph)
        result.timings["write"] = time.perf_counter() - t1
        lines.append(f"wrote {'standard output' if args.output == STDOUT else args.output} "
                     f"({fmt})")
    if counts is None:
        from kg.store.store import store_graph  # lazy: oxrdflib

        t1 = time.perf_counter()
        counts = counts_of(store_graph(args.store))
        result.timings["summary"] = time.perf_counter() - t1
    if args.cache is not None or args.store:
        lines.insert(0, f"extracted {len(result.extracted)} report(s), "
                        f"{result.cached} from the cache")
    summary = BuildSummary(len(result.packed), len(result.errors), counts,
                           time.perf_counter() - t0)
    _say(args, "\n".join([summary.text(), *lines]))
    if args.timings:
        print(json.dumps({k: round(v, 3) for k, v in result.timings.items()}), file=sys.stderr)
    return EXIT_PARTIAL if result.errors else EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    # lazy: rdflib
    from kg.use import queries
    from kg.use.sparql import format_result, load_graph, query

    if args.list:
        width = max(len(n) for n in queries.names())
        for q in queries.named_queries():
            names = ", ".join(p.name for p in q.params)
            print(f"{q.name:<{width}}  {q.title}  [{names}]")
        return EXIT_OK
    if args.show:
        print(queries.named_query(args.show).sparql, end="")
        return EXIT_OK
    if args.graph is None or args.query is None:
        raise QueryError("kg query needs GRAPH and QUERY (or --list, or --show NAME)")
    text = args.query
    if _names_a_file(text):
        path = Path(text)
        if not path.is_file():
            raise NoReportsError(text, "no such query file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read the query ({exc})") from exc
    params: dict[str, str] = {}
    for p in args.param or []:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise QueryError(f"--param {p!r}: write NAME=VALUE")
        params[name] = value
    graph = load_graph(args.graph, engine=args.engine)
    out = format_result(query(graph, text, params), args.format, short=args.short)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK


def _names_a_file(text: str) -> bool:
    """Whether a query argument names a file (``.rq``, or any existing file) rather
    than being SPARQL text, which can be of any length."""
    if "\n" in text or "{" in text or len(text) > 4096:
        return False
    if text.endswith(".rq"):
        return True
    try:
        return Path(text).is_file()
    except OSError:  # a name too long for the file system: not a file
        return False


def cmd_export(args: argparse.Namespace) -> int:
    # lazy: rdflib and networkx
    from kg.use.export import FORMATS, export_bytes, format_for
    from kg.use.sparql import load_graph
    from kg.use.views import region_subgraph, to_networkx

    view = args.view
    if args.region and view != "entities":
        raise QueryError("--region works on the entities view (add --view entities)")
    graph_path = Path(args.graph)
    if args.output:
        fmt = format_for(args.output, args.to)
        out = args.output
        check_not_input(out, [graph_path])
    else:
        if args.to is None:
            raise OutputError("give the format (--to graphml|gexf|json) or an output file (-o)")
        fmt = args.to
        out = str(graph_path.with_name(f"{graph_path.stem}.{view}{FORMATS[fmt]}"))
    G = to_networkx(load_graph(graph_path), view=view)
    if args.region:
        G = region_subgraph(G, args.region)
    _write_out(out, export_bytes(G, fmt))
    _say(args, f"wrote {'standard output' if out == STDOUT else out} ({fmt}, {view} view: "
               f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    # lazy: rdflib and pyshacl
    from kg.graph.validate import default_engine, validate, validate_file
    from kg.use.sparql import load_graph

    engine = default_engine() if args.engine == "auto" else args.engine
    progress = _progress(False if args.quiet else None, unit="part", desc="validating")
    if Path(args.graph).is_dir():  # a store: its default graph, through rdflib's API
        report = validate(load_graph(args.graph), jobs=args.jobs, engine=engine,
                          progress=progress)
    else:  # a file, read as a stream: no store, no rdflib graph
        report = validate_file(args.graph, jobs=args.jobs, engine=engine, progress=progress)
    _say(args, report.text(limit=args.limit))
    return EXIT_OK if report.conforms else 1


def _check_names(text: str) -> tuple[str, ...]:
    """``--fail-on``: check names separated by commas, ``all`` or ``none``."""
    # lazy: kg.use.check loads rdflib
    from kg.use.check import CHECKS

    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if names == ("all",):
        return tuple(CHECKS)
    if names == ("none",):
        return ()
    unknown = [n for n in names if n not in CHECKS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown check {', '.join(unknown) or repr(text)}: give all, none or some of "
            f"{','.join(CHECKS)}")
    return names


def cmd_check(args: argparse.Namespace) -> int:
    # lazy: rdflib
    from kg.graph.serialize import serialize, write_graph
    from kg.use.check import CHECKS, check
    from kg.use.sparql import load_graph

    report = check(load_graph(args.graph))
    if args.format == "turtle":
        sys.stdout.write(serialize(report.graph(), "turtle").decode("utf-8"))
    elif args.format == "csv":
        sys.stdout.write(report.csv())
    elif report.findings:
        print(report.table())
    if args.output:
        fmt = write_graph(report.graph(), args.output)
        _say(args, f"kg check: wrote {args.output} ({fmt})", to_stdout=False)
    _say(args, f"kg check: {report.summary()}", to_stdout=False)
    fail_on = tuple(CHECKS) if args.fail_on is None else args.fail_on
    return 1 if report.count(fail_on) else EXIT_OK


def cmd_table(args: argparse.Namespace) -> int:
    # lazy: rdflib (and pandas, in kg.use.observations)
    from kg.use.observations import csv_bytes, observations, table_format, write_table
    from kg.use.sparql import load_graph

    if args.output:
        table_format(args.output)  # a bad suffix fails before the graph is read
    df = observations(load_graph(args.graph))
    if not args.output:
        sys.stdout.write(csv_bytes(df).decode("utf-8"))
        return EXIT_OK
    fmt = write_table(df, args.output)
    _say(args, f"wrote {args.output} ({fmt}: {len(df)} observations, {len(df.columns)} columns)")
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    # lazy: rdflib and oxrdflib
    from kg.run.bench import markdown, run
    from kg.run.corpus import write_corpus

    if args.write_corpus:
        paths = write_corpus(args.write_corpus, args.reports[0], args.seed)
        print(f"wrote {len(paths)} report(s) to {args.write_corpus}")
        return EXIT_OK
    if args.corpus:
        from kg.run.bench import tokenisation_vs_extraction  # lazy, as above

        r = tokenisation_vs_extraction(Path(args.corpus), repeat=args.repeat)
        print(f"{r['documents']} report(s) x {args.repeat}, {r['characters']:,} characters\n"
              f"raw spaCy+jieba tokenisation: {r['raw_chars_per_s']:,.0f} chars/s\n"
              f"Yibao KG extraction + linking: {r['kg_chars_per_s']:,.0f} chars/s\n"
              f"ratio: {r['ratio']:.2f}x (goal >= 0.4x)")
        return EXIT_OK
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="kg-bench-"))
    results = run(args.reports, workdir, jobs=args.jobs, seed=args.seed, repeat=args.repeat)
    if args.json:
        write_atomic(args.json, json.dumps(results, indent=1).encode("utf-8"))
    print(markdown(results))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    # lazy: rdflib and oxrdflib
    from kg.store.serve import serve_forever

    return serve_forever(args.graph, args.port, query_timeout=args.timeout,
                         allow_service=args.allow_service, quiet=args.quiet)


def cmd_push(args: argparse.Namespace) -> int:
    # lazy: rdflib and oxrdflib
    from kg.store.push import push

    t0 = time.perf_counter()
    result = push(args.graph, args.endpoint, name=args.graph_name, prune=args.prune,
                  query_endpoint=args.query_endpoint)
    pruned = f", removed {result.removed} stale report graph(s)" if args.prune else ""
    _say(args, f"pushed {result.graphs} graph(s), {result.triples} triples to {args.endpoint}"
               f"{pruned} in {time.perf_counter() - t0:.1f}s")
    return EXIT_OK


def cmd_text(args: argparse.Namespace) -> int:
    # lazy: charset-normalizer and selectolax
    from kg.ingest.collect import read_document

    doc = read_document(args.file)
    sys.stdout.write(doc.text)
    if not doc.text.endswith("\n"):
        sys.stdout.write("\n")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``kg``."""
    ap = argparse.ArgumentParser(prog="kg", description="Yibao KG: 医保 reports → RDF graph")
    ap.add_argument("--version", action="version", version=f"kg (yibao-kg) {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    # -q for every command: nothing but errors on the terminal
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing but errors (the exit code tells the rest)")

    b = sub.add_parser("build", parents=[common],
                       help="build a graph from report files and folders")
    b.add_argument("paths", nargs="+", help=".txt/.md/.html files or folders of them")
    b.add_argument("-o", "--output",
                   help="output file (.ttl, .trig, .nt, .jsonld; -: standard output)")
    b.add_argument("--format", choices=["turtle", "trig", "nt", "json-ld"])
    b.add_argument("--no-ontology", action="store_true",
                   help="leave the ontology and SKOS schemes out of the output")
    b.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="always show a progress bar")
    b.add_argument("--no-progress", dest="progress", action="store_false")
    b.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="extract in N worker processes (0: one per CPU; default 1)")
    b.add_argument("--store", metavar="DIR",
                   help="write into an on-disk Oxigraph store, one named graph per report")
    b.add_argument("--manifest", metavar="FILE",
                   help="a CSV or JSON-lines file of what the texts may not say, one row per "
                        "report: file, url, region, issued, publisher, kind, title")
    b.add_argument("--region", metavar="CODE",
                   help="the region of reports whose text names none (a GB/T 2260 code or an "
                        "official name); a manifest's row wins over it")
    b.add_argument("--cache", metavar="DIR",
                   help="reuse linked reports of earlier builds; extract only new or changed "
                        "files (default with --store: DIR/yibao-kg/cache)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="extract on the Dask cluster whose scheduler is at ADDRESS")
    b.add_argument("--timings", action="store_true",
                   help="print the seconds of each phase as JSON on stderr")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", parents=[common],
                       help="run a SPARQL query (text, .rq file or named) on a graph")
    q.add_argument("graph", nargs="?")
    q.add_argument("query", nargs="?", help="SPARQL text, a .rq file or a named query")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--param", nargs="+", action="extend", metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE: prefix:name or <IRI> as written, a six-digit "
                        "code as ybr:region/{code}, a bare name as the vocabulary term "
                        "(InsuredPersons → ind:InsuredPersons), else a literal")
    q.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph",
                   help="read a graph file into Oxigraph (default: seconds, and SPARQL in "
                        "Oxigraph) or parse it with rdflib (SPARQL in rdflib's engine)")
    q.add_argument("--short", action="store_true",
                   help="CSV with prefixed names as the table shows them (default: SPARQL 1.1 "
                        "CSV, full IRIs)")
    q.add_argument("--list", action="store_true", help="list the named queries")
    q.add_argument("--show", metavar="NAME", help="print a named query's text")
    q.set_defaults(func=cmd_query)

    x = sub.add_parser("export", parents=[common],
                       help="write a networkx view of a graph (GraphML, GEXF, JSON)")
    x.add_argument("graph")
    x.add_argument("--to", choices=["graphml", "gexf", "json"],
                   help="GraphML or GEXF (Gephi), or networkx node-link JSON "
                        "(default: from -o's extension)")
    x.add_argument("--view", default="full",
                   choices=["full", "entities", "citations", "cooperation"],
                   help="the whole graph (default), or a focused view")
    x.add_argument("--region", metavar="CODE",
                   help="only this region's corner of the entities view")
    x.add_argument("-o", "--output", help="output file (default: GRAPH.VIEW.graphml|gexf|json; "
                                          "-: standard output)")
    x.set_defaults(func=cmd_export)

    v = sub.add_parser("validate", parents=[common],
                       help="check a graph against the SHACL shapes")
    v.add_argument("graph")
    v.add_argument("--limit", type=int, default=50, help="results to list (default 50)")
    v.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="validate a large graph's parts in N processes (0: one per CPU)")
    v.add_argument("--engine", choices=("auto", "pyshacl", "rudof"), default="auto",
                   help="the SHACL engine: pyrudof, much faster on large graphs (pip install "
                        "'yibao-kg[fast-validate]'), or pySHACL; auto (default): pyrudof "
                        "where it is installed")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("check", parents=[common],
                       help="find inconsistencies between the numbers of a graph "
                            "(parts and totals, schemes, changes, reports)")
    c.add_argument("graph", help="a graph file or a store folder")
    c.add_argument("--fail-on", type=_check_names, metavar="CHECK,...",
                   help="the checks whose findings make the exit code 1: all (default), none, "
                        "or names separated by commas (parts-exceed-total, scheme-sum-mismatch, "
                        "change-mismatch, cross-report-conflict, rate-over-100, "
                        "target-before-report)")
    c.add_argument("--format", choices=["table", "csv", "turtle"], default="table",
                   help="what to print: a table (default), CSV, or the SHACL-style report")
    c.add_argument("-o", "--output", metavar="REPORT",
                   help="also write the findings as a SHACL validation report in RDF "
                        "(.ttl, .nt, .jsonld)")
    c.set_defaults(func=cmd_check)

    tb = sub.add_parser("table", parents=[common],
                        help="every observation as one row of a table (CSV, Parquet)")
    tb.add_argument("graph", help="a graph file or a store folder")
    tb.add_argument("-o", "--output", metavar="OUT",
                    help="a .csv file, or .parquet (needs pyarrow); default: CSV on stdout")
    tb.set_defaults(func=cmd_table)

    sv = sub.add_parser("serve", parents=[common],
                        help="a read-only SPARQL endpoint on 127.0.0.1 (Ctrl-C stops)")
    sv.add_argument("graph", help="a store folder (kg build --store) or a graph file")
    sv.add_argument("--port", type=int, default=7878, help="port (default 7878; 0: any free)")
    sv.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                    help="how long one query may run before it is cancelled (default 5)")
    sv.add_argument("--allow-service", action="store_true",
                    help="let queries use SERVICE (the server then fetches the URLs they name)")
    sv.set_defaults(func=cmd_serve)

    pu = sub.add_parser("push", parents=[common],
                        help="PUT each report's graph to a SPARQL Graph Store endpoint")
    pu.add_argument("graph", help="a TriG file or a store folder (one named graph per report)")
    pu.add_argument("--endpoint", required=True,
                    help="the Graph Store URL (Oxigraph: http://HOST:7878/store)")
    pu.add_argument("--graph", dest="graph_name", metavar="IRI",
                    help="for a one-graph file: the graph to replace (default: the default graph)")
    pu.add_argument("--prune", action="store_true",
                    help="then remove the endpoint's report graphs that were not pushed "
                         "(reports no longer in the build)")
    pu.add_argument("--query-endpoint", metavar="URL",
                    help="the SPARQL query URL that lists the endpoint's graphs for --prune "
                         "(default: the Graph Store URL with /store → /query)")
    pu.set_defaults(func=cmd_push)

    bn = sub.add_parser("bench", parents=[common],
                        help="benchmark on a synthetic corpus (see BENCHMARKS.md)")
    bn.add_argument("--reports", type=int, nargs="+", default=[100], metavar="N",
                    help="corpus sizes to measure (default 100)")
    bn.add_argument("--jobs", type=int, default=2, help="worker processes of the -j run")
    bn.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    bn.add_argument("--repeat", type=int, default=5, help="runs of each query (median)")
    bn.add_argument("--workdir", help="folder for corpora, outputs and stores (default: a temp)")
    bn.add_argument("--json", help="also write the results as JSON to this file")
    bn.add_argument("--corpus", metavar="DIR",
                    help="only measure extraction against raw tokenisation on the reports of "
                         "DIR (e.g. seeds), --repeat times over")
    bn.add_argument("--write-corpus", metavar="DIR",
                    help="only write a corpus of the first --reports size to DIR")
    bn.set_defaults(func=cmd_bench)

    t = sub.add_parser("text", parents=[common],
                       help="print a report's text as kg reads it (offsets index it)")
    t.add_argument("file")
    t.set_defaults(func=cmd_text)
    return ap


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop as Ctrl-C does (outputs stay as they were)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the command as Ctrl-C does, while it runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Stopped(signum)

    signals = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    before = {sig: signal.signal(sig, stop) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _run(args: argparse.Namespace) -> int:
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a reader that went away shows here, not at exit
    except KgError as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return exc.exit_code
    except _Stopped as stop:
        print(f"kg: stopped ({signal.Signals(stop.signum).name})", file=sys.stderr)
        return 128 + stop.signum
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader of the output went away (kg query … | head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # a bug: one line, the traceback on request
        if os.environ.get("KG_DEBUG"):
            raise
        print(f"kg: internal error ({type(exc).__name__}: {' '.join(str(exc).split())}); "
              f"run again with KG_DEBUG=1 for the traceback, and please report it",
              file=sys.stderr)
        return EXIT_BUG
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    args = parser().parse_args(argv)
    with _stop_on_signals():
        return _run(args)


if __name__ == "__main__":
    sys.exit(main())
