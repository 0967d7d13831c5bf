"""One exception tree for everything Yibao KG raises on purpose.

Every error carries a message that fits on one line and, for input problems,
names the file::

    >>> from kg.base.errors import EmptyFileError
    >>> str(EmptyFileError("seeds/a.txt", "file is empty"))
    'seeds/a.txt: file is empty'

Catch :class:`KgError` to handle all of them; catch :class:`InputError` to skip
one bad report and go on with the rest.
"""

from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Base class of every error Yibao KG raises on purpose."""

    exit_code = 1


class InputError(KgError):
    """A report (or a path given as input) cannot be read as a report."""

    exit_code = 2

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # pickles with its own class (sent back from worker processes)
        return type(self), (self.path, self.problem)


class MissingPathError(InputError):
    """The path does not exist."""


class NoReportsError(InputError):
    """A folder (or the whole input) holds no file with a supported extension."""


class UnsupportedFileError(InputError):
    """The file's extension is not one of .txt, .md, .html, .htm."""


class EmptyFileError(InputError):
    """The file has no bytes, or only whitespace."""


class BinaryFileError(InputError):
    """The file is binary (NUL bytes, an image, an archive...)."""


class DecodeError(InputError):
    """The bytes are not text in UTF-8, UTF-8 with BOM or GB18030/GBK."""


class FileTooLargeError(InputError):
    """The file is over the documented size limit."""


class NoContentError(InputError):
    """The file decodes, but holds no recognisable report text (e.g. only navigation)."""


class ExtractionError(InputError):
    """Extracting or linking one report failed unexpectedly (a bug or a limit of the
    extractor met by this report); the other reports are still built."""


class DuplicateReportError(InputError):
    """The file has the same bytes as a report given before it: built once, from the first."""


class OutputError(KgError):
    """An output file cannot be written."""

    exit_code = 3


class QueryError(KgError):
    """A SPARQL query is malformed, or a named query or parameter is unknown."""

    exit_code = 4


class GraphLoadError(KgError):
    """A graph file cannot be read or parsed."""

    exit_code = 5


class OntologyError(KgError):
    """The ontology files are missing or inconsistent (a packaging bug)."""

    exit_code = 6


class MissingDependencyError(KgError):
    """An optional package a feature needs is not installed (pandas for ``kg table``,
    pyarrow for Parquet); the message names the extra that installs it."""

    exit_code = 9


class ManifestError(KgError):
    """A manifest (``kg build --manifest``) or a ``--region`` value cannot be used: the
    message names the manifest and the row. Nothing is built."""

    exit_code = 2

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")
