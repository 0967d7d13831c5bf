"""The ``kg`` command line.

::

    kg build PATH... -o OUT [--format turtle|trig|nt|json-ld] [--no-ontology]
    kg query GRAPH QUERY [--format table|csv|json] [--param NAME=VALUE ...]
    kg query --list | --show NAME
    kg export GRAPH --to graphml|gexf|json [--view full|entities|citations|cooperation]
    kg validate GRAPH
    kg text FILE

Exit codes: 0 success; 1 ``build``: some inputs were skipped (the rest was
written), ``validate``: the graph violates the shapes; 2 no input could be
built (nothing written); 3 output could not be written; 4 bad query; 5 graph
file unreadable; 6 ontology files missing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError, NoReportsError, QueryError

if TYPE_CHECKING:
    from kg.build import Progress

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_NOTHING_BUILT = 2


def _progress(enabled: bool | None) -> Progress:
    def wrap(items: Iterable[Path], total: int) -> Iterable[Path]:
        show = enabled if enabled is not None else (total > 1 and sys.stderr.isatty())
        if not show:
            return items
        from tqdm import tqdm

        bar: Iterable[Path] = tqdm(items, total=total, unit="report", file=sys.stderr,
                                   desc="building")
        return bar

    return wrap


def summary(graph: object, n_reports: int, seconds: float) -> str:
    """A short summary of a built graph: reports, triples, entities by type, observations."""
    from rdflib import Graph
    from rdflib.namespace import RDF

    from kg.namespaces import YB

    assert isinstance(graph, Graph)
    instance_classes = ("Report", "Region", "Agency", "Organization", "Person",
                        "PolicyDocument", "Observation", "Evidence")
    types = Counter(
        str(o).rsplit("#", 1)[-1]
        for s, o in graph.subject_objects(RDF.type)
        if str(o).startswith(str(YB)) and str(o).rsplit("#", 1)[-1] in instance_classes
    )
    programs = {o for o in graph.objects(None, YB.mentions) if "/program/" in str(o)}
    parts = [f"{n} {t}" for t, n in sorted(types.items()) if t not in ("Report", "Observation")]
    return "\n".join([
        f"built {n_reports} report(s), {len(graph)} triples in {seconds:.1f}s",
        f"entities: {', '.join(parts) or 'none'}; {len(programs)} program(s) mentioned",
        f"observations: {types.get('Observation', 0)}",
    ])


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build_reports
    from kg.serialize import format_for, write_graph

    t0 = time.perf_counter()
    fmt = format_for(args.output, args.format)
    result = build_reports(args.paths, progress=_progress(args.progress))
    for err in result.errors:
        print(f"kg: skipped {err}", file=sys.stderr)
    if not result.reports:
        print("kg: no report could be built; nothing written", file=sys.stderr)
        return EXIT_NOTHING_BUILT
    ontology = not args.no_ontology
    graph = result.dataset(ontology=ontology) if fmt == "trig" else result.graph(ontology=ontology)
    write_graph(graph, args.output, fmt)
    print(summary(graph, len(result.reports), time.perf_counter() - t0))
    print(f"wrote {args.output} ({fmt})")
    return EXIT_PARTIAL if result.errors else EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from kg import queries
    from kg.query import format_result, load_graph, query

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
    if text.endswith(".rq") or Path(text).is_file():
        path = Path(text)
        if not path.is_file():
            raise NoReportsError(text, "no such query file")
        text = path.read_text(encoding="utf-8")
    params: dict[str, str] = {}
    for p in args.param or []:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise QueryError(f"--param {p!r}: write NAME=VALUE")
        params[name] = value
    graph = load_graph(args.graph)
    print(format_result(query(graph, text, params), args.format))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from kg.export import FORMATS, write_export
    from kg.query import load_graph
    from kg.views import region_subgraph, to_networkx

    view = args.view
    if args.region and view != "entities":
        raise QueryError("--region works on the entities view (add --view entities)")
    graph_path = Path(args.graph)
    out = args.output or str(graph_path.with_name(f"{graph_path.stem}.{view}{FORMATS[args.to]}"))
    G = to_networkx(load_graph(graph_path), view=view)
    if args.region:
        G = region_subgraph(G, args.region)
    write_export(G, out, args.to)
    print(f"wrote {out} ({args.to}, {view} view: {G.number_of_nodes()} nodes, "
          f"{G.number_of_edges()} edges)")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.query import load_graph
    from kg.validate import validate

    report = validate(load_graph(args.graph))
    print(report.text(limit=args.limit))
    return EXIT_OK if report.conforms else 1


def cmd_text(args: argparse.Namespace) -> int:
    from kg.ingest import read_document

    doc = read_document(args.file)
    sys.stdout.write(doc.text)
    if not doc.text.endswith("\n"):
        sys.stdout.write("\n")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``kg``."""
    ap = argparse.ArgumentParser(prog="kg", description="Yibao KG: 医保 reports → RDF graph")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build a graph from report files and folders")
    b.add_argument("paths", nargs="+", help=".txt/.md/.html files or folders of them")
    b.add_argument("-o", "--output", required=True, help="output file (.ttl, .trig, .nt, .jsonld)")
    b.add_argument("--format", choices=["turtle", "trig", "nt", "json-ld"])
    b.add_argument("--no-ontology", action="store_true",
                   help="leave the ontology and SKOS schemes out of the output")
    b.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="always show a progress bar")
    b.add_argument("--no-progress", dest="progress", action="store_false")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run a SPARQL query (text, .rq file or named) on a graph")
    q.add_argument("graph", nargs="?")
    q.add_argument("query", nargs="?", help="SPARQL text, a .rq file or a named query")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--param", nargs="*", metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE: prefix:name or <IRI> as written, a six-digit "
                        "code as ybr:region/{code}, a bare name as the vocabulary term "
                        "(InsuredPersons → ind:InsuredPersons), else a literal")
    q.add_argument("--list", action="store_true", help="list the named queries")
    q.add_argument("--show", metavar="NAME", help="print a named query's text")
    q.set_defaults(func=cmd_query)

    x = sub.add_parser("export", help="write a networkx view of a graph (GraphML, GEXF, JSON)")
    x.add_argument("graph")
    x.add_argument("--to", required=True, choices=["graphml", "gexf", "json"],
                   help="GraphML or GEXF (Gephi), or networkx node-link JSON")
    x.add_argument("--view", default="full",
                   choices=["full", "entities", "citations", "cooperation"],
                   help="the whole graph (default), or a focused view")
    x.add_argument("--region", metavar="CODE",
                   help="only this region's corner of the entities view")
    x.add_argument("-o", "--output", help="output file (default: GRAPH.VIEW.graphml|gexf|json)")
    x.set_defaults(func=cmd_export)

    v = sub.add_parser("validate", help="check a graph against the SHACL shapes")
    v.add_argument("graph")
    v.add_argument("--limit", type=int, default=50, help="results to list (default 50)")
    v.set_defaults(func=cmd_validate)

    t = sub.add_parser("text", help="print a report's text as kg reads it (offsets index it)")
    t.add_argument("file")
    t.set_defaults(func=cmd_text)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except KgError as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
