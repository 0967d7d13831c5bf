"""A cited document's title as an identity.

Two reports citing the same document write its title with other brackets,
quotes or spaces; :func:`normalise_title` gives the form they share. Linking
keys citations by it (:mod:`kg.link.link`), and the cross-report merge of
document identities compares titles by it (:mod:`kg.graph.rdfgraph`).
"""

from __future__ import annotations

import re


def normalise_title(title: str) -> str:
    """A title's identity form: no whitespace, no 《》 or quotes, ASCII brackets.

        >>> normalise_title("《关于印发〈办法〉的通知》 ")
        '关于印发<办法>的通知'
    """
    table = str.maketrans({"（": "(", "）": ")", "〈": "<", "〉": ">", "“": '"', "”": '"'})
    return re.sub(r"[\s《》]", "", title.translate(table))
