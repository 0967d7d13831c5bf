"""Named SPARQL queries: the ``*.rq`` files of this package.

Each file starts with a comment header that says what it answers and which
parameters it takes::

    # title: Observations of one indicator by region and period
    # answers: How did one indicator develop per region and period?
    # param indicator (ind): an indicator, e.g. InsuredPersons → ind:InsuredPersons
    # param region (region): a GB/T 2260 code, e.g. 320412 → ybr:region/320412
    # example: kg query seeds.ttl indicator_by_region --param indicator=InsuredPersons
    # binding: ...

A parameter's kind (in parentheses) names the vocabulary a bare value is
looked up in: ``ind``, ``prog``, ``ins``, ``yb`` or ``ybu`` (a term of that
vocabulary), ``region`` (a six-digit code), ``iri`` (a prefixed name or
``<IRI>``) or ``literal`` (a plain string). Every parameter is optional: left
out, its variable is unbound and matches everything.

A parameter's variable is bound before the query runs (rdflib's
``initBindings``; on a store, a ``VALUES`` block opening the WHERE clause), so
a query never computes it (no ``(… AS ?name)`` or ``BIND(… AS ?name)``: SPARQL
forbids assigning a bound variable). A parameter that filters an optional
value is written ``OPTIONAL { ?x p ?name } FILTER(!BOUND(?name) || EXISTS { ?x p
?name })``, which keeps only its own value when bound and every row when not.

On a store, Oxigraph plans the query without knowing which parameters the
VALUES block binds, and looks most patterns up row by row. What keeps a named
query fast there (tests/test_named_queries.py checks that the store still
answers as rdflib does):

* a UNION branch is planned on its own: it holds every pattern it joins (a
  pattern after the UNION is joined with the branch row by row), and starts
  with the pattern of a parameter, if any;
* a class test (``?x a yb:Observation``) that binds nothing is written
  ``FILTER EXISTS { ?x a yb:Observation }``: as a pattern it is estimated the
  smallest and starts the search at every member of the class;
* a parameter's test comes right after the pattern that binds its subject, so
  that it runs before the other look-ups;
* an OPTIONAL of more than two patterns (or with a UNION) is worked out for
  the whole graph first; a shorter one (the rest as EXISTS tests) is looked up
  row by row (pyoxigraph 0.5);
* a sub-select is worked out on its own, for the whole graph, before anything
  outside it applies (a parameter included): several counts per row are one
  UNION branch each (every branch binds only its own variable, so each
  ``COUNT(DISTINCT …)`` sees only its own rows), looked up row by row after the
  patterns that pick the rows; a sub-select is for a small table joined with
  a parameter afterwards (``region_hierarchy``: each region with each region
  it lies in);
* an empty UNION branch (``{ }``) has the UNION worked out for the whole
  graph: a branch that keeps every row repeats a pattern the row already
  matched (``{ ?region a yb:Region }``);
* a UNION branch is looked up row by row only as plain patterns, tests and a
  ``BIND`` at its end (a ``BIND`` or ``VALUES`` first has it worked out for
  the whole graph), its patterns ordered without knowing what the row binds:
  it starts with a plain pattern on a variable the row binds (``?given
  yb:adminCode ?code``), never with a ``?x yb:jurisdiction? ?y`` of two free
  ends (rdflib, for its part, looks a group's patterns up row by row after a
  UNION only when nothing comes before the UNION: write the UNION first);
* Oxigraph knows when it plans whether a parameter is bound, so ``BOUND(?p)``
  picks a plan: an OPTIONAL whose test is false for the call is left out, and
  ``BIND(?p AS ?given)`` lets patterns start from the parameter's value
  without assigning the parameter (``cooperation``: from the region when
  given, every pair once when not);
* an EXISTS test over a path (``FILTER EXISTS { ?s yb:evidence/yb:text ?t }``)
  costs about a millisecond a row.

    >>> q = named_query("funds_by_region")
    >>> q.title
    'Fund revenue, expenditure and balance by region and year'
    >>> [(p.name, p.kind) for p in q.params]
    [('region', 'region'), ('year', 'literal'), ('insurance', 'ins')]
    >>> "funds_by_region" in names()
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kg.base.errors import QueryError

#: The kinds a parameter can be declared with.
KINDS = ("ind", "prog", "ins", "yb", "ybu", "region", "iri", "literal")

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_FIELD = re.compile(r"#\s*(title|answers|example|binding):\s?(.*)")
_PARAM = re.compile(r"#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([a-z]+)\):\s*(.+)")


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: the variable it binds, its kind, what it means."""

    name: str
    kind: str
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    """A named query: its file's header fields and its SPARQL text."""

    name: str
    title: str
    answers: str
    params: tuple[Param, ...]
    example: str
    binding: str
    sparql: str

    def param(self, name: str) -> Param:
        """The parameter called ``name`` (raises :class:`QueryError` if it has none)."""
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"named query {self.name} has no parameter {name!r} (it takes {known})")


def is_name(text: str) -> bool:
    """Whether ``text`` has the form of a query name (never valid SPARQL)."""
    return _NAME.fullmatch(text) is not None


def parse(name: str, text: str) -> NamedQuery:
    """A named query from the text of its ``.rq`` file (raises :class:`QueryError`)."""
    fields: dict[str, list[str]] = {}
    params: list[tuple[str, str, list[str]]] = []
    last: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        m = _FIELD.fullmatch(stripped)
        if re.match(r"#\s*param\b", stripped):
            pm = _PARAM.fullmatch(stripped)
            if pm is None or pm.group(2) not in KINDS:
                raise QueryError(f"{name}.rq: bad parameter line {stripped!r}")
            last = [pm.group(3).strip()]
            params.append((pm.group(1), pm.group(2), last))
        elif m:
            last = fields.setdefault(m.group(1), [])
            last.append(m.group(2).strip())
        elif last is not None and stripped.lstrip("#").strip():
            last.append(stripped.lstrip("#").strip())

    def field(key: str) -> str:
        if key not in fields:
            raise QueryError(f"{name}.rq: the header has no '# {key}:' line")
        return " ".join(fields[key])

    return NamedQuery(name=name, title=field("title"), answers=field("answers"),
                      params=tuple(Param(n, k, " ".join(doc)) for n, k, doc in params),
                      example=field("example"),
                      binding=field("binding"), sparql=text)


@cache
def _all() -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = parse(name, entry.read_text(encoding="utf-8"))
    return out


def names() -> list[str]:
    """The names of all named queries, sorted."""
    return sorted(_all())


def named_queries() -> list[NamedQuery]:
    """All named queries, sorted by name."""
    return [_all()[n] for n in names()]


def named_query(name: str) -> NamedQuery:
    """The named query ``name`` (raises :class:`QueryError` naming the choices)."""
    try:
        return _all()[name]
    except KeyError:
        raise QueryError(
            f"no named query {name!r} (kg query --list shows the {len(_all())} there are)"
        ) from None
