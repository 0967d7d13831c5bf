"""``kg bench``: throughput, start-up, memory, write time and query latency.

For each corpus size N, on the synthetic corpus of :mod:`kg.run.corpus` (seeded,
so every run measures the same reports):

* **tokenisation vs extraction** — in this process, after a warm-up pass:
  raw ``spacy.blank("zh")`` + jieba over the texts, and Yibao KG's whole
  extraction and linking over the same documents (documents and characters
  per second, and their ratio);
* **builds** — ``kg build`` as child processes, timed from launch (start-up
  included), with peak memory of the whole process tree sampled every 100 ms
  (sampling every 20 ms took enough of the two cores to slow a ``-j 2`` build
  by 3 %):
  ``-j 1`` and ``-j J`` to Turtle (the outputs are compared byte for byte),
  and ``-j J --store`` into an Oxigraph store; each reports its phase times
  (extraction, graph, Turtle write, store write);
* **query latency** — the named queries of :mod:`kg.use.queries` (``kg query
  --list``), with the parameters of each one's example (the corpus's region and
  文号 in place of the seeds'), on the Turtle file read into Oxigraph (as ``kg
  query FILE`` reads it; the load timed too, and one ``kg query FILE`` end to
  end), on the Oxigraph store on disk, on the store copied into memory, and
  (up to :data:`RDFLIB_MAX_REPORTS` reports, each query within
  :data:`BUDGET_S`) on the Turtle output loaded in rdflib's in-memory graph
  (median of several runs each, after one warm-up run);

* **validation** — ``kg validate -j J`` of the Turtle (its default engine), up
  to :data:`VALIDATE_MAX_REPORTS` reports, with its peak memory.

Start-up is measured once, in fresh processes: bare spaCy+jieba
(:data:`BARE_START`), Yibao KG's pipeline, ``kg build`` of one small report end
to end cold and warm, and ``kg query`` of that report's Turtle.

``kg bench --corpus DIR`` measures only tokenisation against extraction, on the
reports of an existing folder (the seeds, say), ``--repeat`` times over.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.base.errors import QueryError
from kg.ingest.collect import collect, read_document
from kg.link.link import link
from kg.run.corpus import write_corpus
from kg.store.store import open_store
from kg.use import queries
from kg.use.sparql import load_graph, query


@dataclass
class Run:
    """One child process: wall seconds, peak memory of its process tree, its stderr timings."""

    seconds: float
    peak_mb: float
    timings: dict[str, float] = field(default_factory=dict)
    returncode: int = 0
    #: Triples of the graph, from ``kg build``'s summary.
    triples: int = 0


def run_measured(cmd: Sequence[str], interval: float = 0.1) -> Run:
    """Run ``cmd``; wall time and peak resident memory (MB) summed over it and its children."""
    import psutil  # lazy: optional (the scale extra)

    t0 = time.perf_counter()
    proc = psutil.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                procs = [proc, *proc.children(recursive=True)]
                total = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                peak = max(peak, total)
            except psutil.Error:
                pass
            stop.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    stop.set()
    sampler.join()
    timings: dict[str, float] = {}
    for line in err.decode("utf-8", "replace").splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError, AttributeError):
                timings = {k: float(v) for k, v in json.loads(line).items()}
    if proc.returncode not in (0, 1):
        tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {' / '.join(tail)}")
    built = re.search(rb"built \d+ report\(s\), (\d+) triples", out)
    return Run(seconds, peak / 2**20, timings, proc.returncode,
               int(built.group(1)) if built else 0)


def _kg() -> list[str]:
    return [sys.executable, "-m", "kg.cli"]


def tokenisation_vs_extraction(corpus: Path, repeat: int = 1) -> dict[str, float]:
    """Raw spaCy+jieba against Yibao KG's extraction + linking, same texts, this process
    (each timed over ``repeat`` passes, after a warm-up pass over up to 50 reports)."""
    # lazy: spaCy and jieba, which the bench's own process loads for this measure only
    import jieba
    import spacy

    from kg.extract.extract import extract
    from kg.extract.nlp import make_nlp

    files_, _ = collect([corpus])
    docs = [read_document(p) for p in files_]
    chars = sum(len(d.text) for d in docs) * repeat
    jieba.setLogLevel(logging.WARNING)
    raw = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    warm = docs[: min(len(docs), 50)]
    for d in warm:
        raw(d.text)
    t0 = time.perf_counter()
    for _ in range(repeat):
        for d in docs:
            raw(d.text)
    t_raw = time.perf_counter() - t0
    nlp = make_nlp()
    for d in warm:
        link(extract(d, nlp))
    t0 = time.perf_counter()
    for _ in range(repeat):
        for d in docs:
            link(extract(d, nlp))
    t_kg = time.perf_counter() - t0
    return {"documents": len(docs), "characters": chars // repeat, "repeat": repeat,
            "raw_chars_per_s": chars / t_raw, "kg_chars_per_s": chars / t_kg,
            "kg_docs_per_s": len(docs) * repeat / t_kg, "ratio": t_raw / t_kg}


#: A 文号 the synthetic corpus cites (``bench/data/sentences.tsv``).
CORPUS_DOC_NUMBER = "医保发〔2021〕48号"


def named_params(graph: Any) -> dict[str, dict[str, str]]:
    """Parameters for each named query: those of its ``# example:`` line, with
    places and documents of the corpus instead of the seeds' (the region: the
    first, by code, that a report is about)."""
    rows = list(query(graph, "SELECT ?code WHERE { ?r dcterms:spatial/yb:adminCode ?code } "
                             "ORDER BY ?code LIMIT 1"))
    code = str(rows[0][0]) if rows else "100000"  # type: ignore[index]
    out: dict[str, dict[str, str]] = {}
    for q in queries.named_queries():
        _, _, tail = q.example.partition("--param")
        params = dict(item.split("=", 1) for item in tail.split() if "=" in item)
        for name in params:
            if q.param(name).kind == "region":
                params[name] = code
        if "subject" in params:
            params["subject"] = f"ybr:region/{code}"
        if "number" in params:
            params["number"] = CORPUS_DOC_NUMBER
        out[q.name] = params
    return out


#: rdflib's in-memory graph is measured up to this many reports (loading 2,000
#: reports' Turtle takes minutes, and some queries take longer still).
RDFLIB_MAX_REPORTS = 500
#: ``kg validate`` (its default engine: pyrudof where installed) is measured up to
#: this many reports.
VALIDATE_MAX_REPORTS = 2_000
#: A query slower than this (seconds, on its first run) is not run again.
BUDGET_S = 10.0


class _OverBudget(Exception):
    pass


@contextlib.contextmanager
def _budget(seconds: float) -> Any:
    """Raises :class:`_OverBudget` in the block after ``seconds`` (main thread, POSIX)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _OverBudget

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def named_latency(graph: Any, params: dict[str, dict[str, str]], repeat: int = 5,
                  budget: float = BUDGET_S) -> dict[str, dict[str, Any]]:
    """Each named query with ``params`` (median ms of ``repeat`` runs after a warm-up;
    a query whose warm-up takes over ``budget`` seconds gets ``median_ms`` None)."""
    out: dict[str, dict[str, Any]] = {}
    for name, p in params.items():
        try:
            with _budget(budget):
                rows = len(list(query(graph, name, p)))
        except (_OverBudget, QueryError) as exc:
            if isinstance(exc, QueryError) and not isinstance(exc.__cause__, _OverBudget):
                raise
            out[name] = {"params": p, "median_ms": None, "rows": None}
            continue
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            list(query(graph, name, p))
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = {"params": p, "median_ms": statistics.median(times), "rows": rows}
    return out


#: Bare ``spacy.blank("zh")`` with jieba, started in a fresh process: the floor of
#: any start-up that segments Chinese.
BARE_START = ("import logging, jieba, spacy; jieba.setLogLevel(logging.WARNING); "
              "spacy.blank('zh', config={'nlp': {'tokenizer': {'segmenter': 'jieba'}}})('医保')")


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's waited-for children so far
    (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: Sequence[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds of ``cmd`` run to its end."""
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    subprocess.run(list(cmd), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0, _children_cpu() - cpu0


def startup(workdir: Path) -> dict[str, float]:
    """Fresh processes: bare spaCy+jieba; Yibao KG's pipeline; ``kg build`` of one
    small report end to end (the second run: warm caches); ``kg query`` of that
    report's Turtle (a named query, end to end). Each in wall seconds (``…_s``)
    and CPU seconds, user + system (``…_cpu_s``: steadier than wall time on a
    loaded machine)."""
    out: dict[str, float] = {}

    def record(key: str, cmd: Sequence[str]) -> None:
        out[f"{key}_s"], out[f"{key}_cpu_s"] = _timed(cmd)

    record("bare_spacy_jieba", [sys.executable, "-c", BARE_START])
    record("pipeline", [sys.executable, "-c", "from kg.extract.nlp import make_nlp; make_nlp()"])
    one = write_corpus(workdir / "one", 1)[0]
    ttl = workdir / "one.ttl"
    build = [*_kg(), "build", str(one), "-o", str(ttl), "--no-progress"]
    record("build_one_report_cold", build)
    record("build_one_report", build)
    record("query_one_report", [*_kg(), "query", str(ttl), "region_hierarchy"])
    return out


def bench_size(n: int, workdir: Path, jobs: int, seed: int, repeat: int = 5) -> dict[str, Any]:
    """Every measurement for a corpus of ``n`` reports."""
    corpus = workdir / f"corpus-{n}"
    write_corpus(corpus, n, seed)
    res: dict[str, Any] = {"reports": n}
    res["extraction"] = tokenisation_vs_extraction(corpus)
    out1, outj = workdir / f"out-{n}-j1.ttl", workdir / f"out-{n}-j{jobs}.ttl"
    store = workdir / f"store-{n}"
    shutil.rmtree(store, ignore_errors=True)
    common = ["--no-progress", "--timings"]
    r1 = run_measured([*_kg(), "build", str(corpus), "-o", str(out1), "-j", "1", *common])
    rj = run_measured([*_kg(), "build", str(corpus), "-o", str(outj), "-j", str(jobs), *common])
    rs = run_measured([*_kg(), "build", str(corpus), "--store", str(store), "-j", str(jobs),
                       *common])
    res["build_j1_turtle"] = r1.__dict__
    res[f"build_j{jobs}_turtle"] = rj.__dict__
    res[f"build_j{jobs}_store"] = rs.__dict__
    res["identical_output"] = out1.read_bytes() == outj.read_bytes()
    res["extract_speedup"] = r1.timings.get("extract", 0) / max(rj.timings.get("extract", 1), 1e-9)
    res["build_speedup"] = r1.seconds / rj.seconds
    disk = open_store(store)
    params = named_params(disk)
    res["named_oxigraph"] = named_latency(disk, params, repeat=repeat)
    del disk
    t0 = time.perf_counter()
    memory = open_store(store, in_memory=True)
    res["store_memory_load_s"] = time.perf_counter() - t0
    res["named_oxigraph_memory"] = named_latency(memory, params, repeat=repeat)
    del memory
    t0 = time.perf_counter()
    on_file = load_graph(outj)
    res["turtle_oxigraph_load_s"] = time.perf_counter() - t0
    res["named_file"] = named_latency(on_file, params, repeat=repeat)
    del on_file
    first = next(iter(params))
    res["query_cli_s"] = run_measured(
        [*_kg(), "query", str(outj), first,
         *(["--param", *(f"{k}={v}" for k, v in params[first].items())] if params[first]
           else [])]).seconds
    if n <= VALIDATE_MAX_REPORTS:
        v = run_measured([*_kg(), "validate", str(outj), "-j", str(jobs)])
        res["validate"] = {"seconds": v.seconds, "peak_mb": v.peak_mb}
    if n <= RDFLIB_MAX_REPORTS:
        t0 = time.perf_counter()
        g = load_graph(out1, engine="rdflib")
        res["turtle_load_s"] = time.perf_counter() - t0
        res["named_rdflib"] = named_latency(g, params, repeat=max(1, repeat // 5))
        del g
    res["triples"] = rj.triples
    for p in (out1, outj):
        p.unlink(missing_ok=True)
    return res


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import psutil  # lazy: optional (the scale extra)
    import spacy  # lazy: for its version only (loading it takes 0.6 s)

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total
                                                                     / 2**30, 1),
            "python": platform.python_version(), "spacy": spacy.about.__version__,
            "platform": platform.platform(), "load_average": os.getloadavg()}


def run(sizes: Sequence[int], workdir: Path, jobs: int = 2, seed: int = 7,
        repeat: int = 5) -> dict[str, Any]:
    """Run the whole benchmark; returns its results (also printed as they come)."""
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "seed": seed, "jobs": jobs,
                               "startup": startup(workdir), "sizes": []}
    print(json.dumps({"startup": results["startup"]}), flush=True)
    for n in sizes:
        res = bench_size(n, workdir, jobs, seed, repeat)
        results["sizes"].append(res)
        print(json.dumps(res), flush=True)
    results["machine"]["load_average_after"] = os.getloadavg()
    return results


def markdown(results: dict[str, Any]) -> str:
    """The results as the tables of ``BENCHMARKS.md``."""
    j = results["jobs"]
    s = results["startup"]
    bare = s.get("bare_spacy_jieba_s")
    lines = [
        f"Start-up: pipeline in a fresh process {s['pipeline_s']:.2f} s; "
        f"`kg build` of one report, end to end, {s['build_one_report_s']:.2f} s"
        + (f" warm ({s['build_one_report_s'] / bare:.2f}× bare spaCy+jieba, {bare:.2f} s; "
           f"cold {s['build_one_report_cold_s']:.2f} s); `kg query` of its Turtle "
           f"{s['query_one_report_s']:.2f} s" if bare else "")
        + (f"; CPU (user+system): bare {s['bare_spacy_jieba_cpu_s']:.2f} s, pipeline "
           f"{s['pipeline_cpu_s']:.2f} s, one report warm {s['build_one_report_cpu_s']:.2f} s "
           f"({s['build_one_report_cpu_s'] / s['bare_spacy_jieba_cpu_s']:.2f}× bare)"
           if s.get("bare_spacy_jieba_cpu_s") else "") + ".",
        "",
        "| reports | chars | triples | raw spaCy+jieba chars/s | kg extraction chars/s "
        "(docs/s) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for r in results["sizes"]:
        e = r["extraction"]
        lines.append(f"| {r['reports']:,} | {e['characters']:,} | {r['triples']:,} | "
                     f"{e['raw_chars_per_s']:,.0f} | {e['kg_chars_per_s']:,.0f} "
                     f"({e['kg_docs_per_s']:.1f}) | {e['ratio']:.2f}× |")
    lines += ["", "| reports | build | wall s | peak MB | extract s | graph s | Turtle write s "
                  "| store write s |", "|---|---|---|---|---|---|---|---|"]
    for r in results["sizes"]:
        for key, label in (("build_j1_turtle", "-j 1 → .ttl"),
                           (f"build_j{j}_turtle", f"-j {j} → .ttl"),
                           (f"build_j{j}_store", f"-j {j} → --store")):
            b = r[key]
            t = b["timings"]

            def f(k: str, t: dict[str, float] = t) -> str:
                return f"{t[k]:.1f}" if k in t else "–"

            lines.append(f"| {r['reports']:,} | {label} | {b['seconds']:.1f} | "
                         f"{b['peak_mb']:,.0f} | {f('extract')} | {f('graph')} | {f('write')} "
                         f"| {f('store')} |")
    lines += ["", f"| reports | -j {j} extraction speed-up | -j {j} build speed-up "
                  f"| -j {j} output identical to -j 1 |", "|---|---|---|---|"]
    for r in results["sizes"]:
        lines.append(f"| {r['reports']:,} | {r['extract_speedup']:.2f}× | "
                     f"{r['build_speedup']:.2f}× | {'yes' if r['identical_output'] else 'NO'} |")
    sizes = results["sizes"]
    if sizes:
        last = sizes[-1]
        lines += ["", "| reports | Turtle into Oxigraph s | `kg query FILE` end to end s "
                      "| `kg validate -j` s | peak MB |", "|---|---|---|---|---|"]
        for r in sizes:
            v = r.get("validate")
            lines.append(f"| {r['reports']:,} | {r.get('turtle_oxigraph_load_s', 0):.1f} | "
                         f"{r.get('query_cli_s', 0):.1f} | "
                         + (f"{v['seconds']:.1f} | {v['peak_mb']:,.0f} |" if v else "– | – |"))
        lines += ["", "Named queries (`kg query --list`), median ms: rdflib's in-memory graph "
                      "(parsed from the Turtle) / the Turtle file read into Oxigraph (what "
                      "`kg query FILE` does) / Oxigraph store on disk / store copied into "
                      "memory, with the parameters of each query's example (the corpus's "
                      "region and 文号 in place of the seeds'); rows at the largest size. "
                      f"rdflib up to {RDFLIB_MAX_REPORTS:,} reports (–: not measured; "
                      f"> {BUDGET_S:,.0f} s: its first run took longer and it was not timed). "
                      "Loading: " + "; ".join(
                          f"{r['reports']:,} reports: "
                          + (f"Turtle into rdflib {r['turtle_load_s']:.1f} s, "
                             if "turtle_load_s" in r else "")
                          + f"store into memory {r['store_memory_load_s']:.1f} s"
                          for r in sizes) + ".", "",
                  "| named query | parameters | " + " | ".join(f"{r['reports']:,}" for r in sizes)
                  + f" | rows ({last['reports']:,}) |",
                  "|---|---|" + "---|" * (len(sizes) + 1)]
        def ms(r: dict[str, Any], key: str, name: str) -> str:
            value = r.get(key, {}).get(name, {}).get("median_ms")
            if value is None:
                return "–" if key not in r else f"> {BUDGET_S:,.0f} s"
            return f"{value:,.0f}"

        for name, q in sizes[0]["named_oxigraph"].items():
            cells = [f"{ms(r, 'named_rdflib', name)} / {ms(r, 'named_file', name)} / "
                     f"{ms(r, 'named_oxigraph', name)} / "
                     f"{ms(r, 'named_oxigraph_memory', name)}" for r in sizes]
            params = " ".join(f"{k}={v}" for k, v in q["params"].items()) or "–"
            lines.append(f"| {name} | {params} | " + " | ".join(cells)
                         + f" | {last['named_oxigraph'][name]['rows']:,} |")
    return "\n".join(lines) + "\n"
