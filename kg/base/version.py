"""The package's version, ``kg.__version__``.

Kept here, below every stage, so that what needs it (the incremental build's
cache key, :mod:`kg.run.incremental`) reads it without reaching up to the
package's ``__init__``.
"""

__version__ = "0.1.0"
