"""HTML to text (:func:`html_to_text`).

``.html``/``.htm`` files (and a ``.txt``/``.md`` that holds a whole HTML
page) are parsed with selectolax (lexbor). Scripts, styles, hidden elements
and obvious page chrome (``<nav>``, page-level ``<header>``/``<footer>``,
elements whose class or id says nav/menu/breadcrumb/footer/share) are
dropped; block elements become line breaks and table cells are separated by
a tab. The resulting text *is* the document's text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from kg.ingest.decode import MIN_HAN_CHARS, _han_count, _words

try:
    from selectolax.lexbor import LexborHTMLParser as _HTMLParser
except ImportError:  # pragma: no cover - an old selectolax without the lexbor backend
    from selectolax.parser import (  # type: ignore[attr-defined, no-redef, assignment, unused-ignore]
        HTMLParser as _HTMLParser,
    )

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = ["HtmlText", "html_to_text"]


# ---------------------------------------------------------------------------
# HTML to text
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HtmlText:
    """What :func:`html_to_text` makes of a page.

    ``text`` is the page's text; ``title_hints`` are title candidates from
    ``<meta name=ArticleTitle>``, ``<title>`` and ``<h1>`` (the title is taken
    from the text only where one of them appears there); ``links_only`` is set
    when the page's text is all navigation or link lists.
    """

    text: str
    title_hints: tuple[str, ...] = ()
    links_only: bool = False


_DROP_TAGS: Final = _words(
    "script style noscript template head iframe frame frameset object embed applet svg "
    "math canvas video audio map select option button textarea input datalist dialog"
)
_PARAGRAPH_TAGS: Final = _words(
    "p h1 h2 h3 h4 h5 h6 table ul ol dl blockquote pre section article main header footer "
    "aside figure hr"
)
_LINE_TAGS: Final = _words(
    "div li tr dt dd caption thead tbody tfoot address center details summary fieldset "
    "legend figcaption form nav hgroup body html"
)
_CHROME_WORDS: Final = _words(
    "nav navbar navigation menu menubar breadcrumb breadcrumbs crumb crumbs footer foot "
    "share sharebox sitemap toolbar topbar"
)
_CHROME_PREFIXES: Final = ("nav", "menu", "breadcrumb", "crumb", "footer", "bdshare", "share")
_CHROME_SUFFIXES: Final = ("nav", "navbar", "menu", "crumb", "crumbs", "footer", "share")
_CLASS_TOKEN = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WS_RUN = re.compile(r"[ \t\n\r\f\v\xa0]+")
_SOFT = "\x00"  # marks a whitespace run with a line break in the HTML source
_SPACE_RUN = re.compile(r"[ \x00]+")
_SPACE_AROUND_TAB = re.compile(r" *\t *")
_LINE_EDGE = " \t\u3000"


def _chrome_token(token: str) -> bool:
    t = token.lower()
    return (
        t in _CHROME_WORDS
        or t.startswith(_CHROME_PREFIXES)
        or t.endswith(_CHROME_SUFFIXES)
    )


def _says_chrome(node: LexborNode) -> bool:
    attrs = node.attributes
    if (attrs.get("role") or "").lower() == "navigation":
        return True
    for name in ("class", "id"):
        value = attrs.get(name)
        if value and any(_chrome_token(t) for t in _CLASS_TOKEN.findall(value)):
            return True
    return False


def _is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


class _Builder:
    """Accumulates the text of a page: inline text, line breaks, cell tabs."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.trailing_newlines = 0
        self.pending_newlines = 0
        self.pending_tab = False
        self.flat = 0  # > 0 inside a small table cell: breaks become spaces
        self.rows: list[int] = []

    def brk(self, n: int) -> None:
        if self.flat:
            self.out.append(" ")
        else:
            self.pending_newlines = max(self.pending_newlines, n)

    def newline(self) -> None:
        if self.flat:
            self.out.append(" ")
            return
        self._flush()
        self.out.append("\n")
        self.trailing_newlines += 1

    def cell(self) -> None:
        if self.rows:
            if self.rows[-1] > 0:
                self.pending_tab = True
            self.rows[-1] += 1

    def text(self, s: str) -> None:
        if not s:
            return
        if not s.strip(" " + _SOFT):
            if self.trailing_newlines == 0 and self.out:
                self.out.append(s)
            return
        self._flush()
        if self.pending_tab:
            if self.trailing_newlines == 0 and self.out:
                self.out.append("\t")
            self.pending_tab = False
        self.out.append(s)
        self.trailing_newlines = 0

    def _flush(self) -> None:
        if self.pending_newlines and self.out:
            missing = self.pending_newlines - self.trailing_newlines
            if missing > 0:
                self.out.append("\n" * missing)
                self.trailing_newlines += missing
                self.pending_tab = False
        self.pending_newlines = 0

    def result(self) -> str:
        raw = "".join(self.out)
        raw = _SPACE_RUN.sub(_space_replacement, raw)
        lines: list[str] = []
        blank = True
        for line in raw.split("\n"):
            line = _SPACE_AROUND_TAB.sub("\t", line.strip(_LINE_EDGE))
            if not line:
                if not blank:
                    lines.append("")
                blank = True
                continue
            lines.append(line)
            blank = False
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines)


def _space_replacement(m: re.Match[str]) -> str:
    run = m.group()
    if _SOFT not in run:
        return " "
    s = m.string
    before = s[m.start() - 1] if m.start() > 0 else ""
    after = s[m.end()] if m.end() < len(s) else ""
    if before and after and _wide(before) and _wide(after):
        return ""
    return " "


def _collapse_ws(s: str) -> str:
    return _WS_RUN.sub(lambda m: _SOFT if ("\n" in m.group() or "\r" in m.group()) else " ", s)


def html_to_text(html: str) -> HtmlText:
    """The text of an HTML page, without scripts, styles and page chrome.

    Block elements become line breaks (paragraphs, headings and tables are set
    off by a blank line), table cells are separated by a tab, runs of blank
    lines are collapsed and lines are stripped.
    """
    tree = _HTMLParser(html)
    root = tree.body if tree.body is not None else tree.root
    hints: list[str] = []
    for meta in tree.css("meta"):
        name = (meta.attributes.get("name") or meta.attributes.get("property") or "").lower()
        content = meta.attributes.get("content")
        if content and name in ("articletitle", "og:title"):
            hints.append(content)
    title_node = tree.css_first("title")
    if title_node is not None:
        hints.append(title_node.text())
    if root is None:
        return HtmlText("", tuple(_clean_hints(hints)), links_only=False)

    walker = _Walker(root, hints)
    walker.run()
    total, outside = walker.han_total, walker.han_outside_links
    links_only = outside < MIN_HAN_CHARS <= total
    return HtmlText(walker.builder.result(), tuple(_clean_hints(hints)), links_only=links_only)


class _Walker:
    """Walks a page's DOM depth-first (with an explicit stack) into a _Builder."""

    def __init__(self, root: LexborNode, hints: list[str]) -> None:
        self.root = root
        self.hints = hints
        self.builder = _Builder()
        self.page_han = _han_count(root.text())
        self.h1_count = len(root.css("h1"))
        self.han_total = 0
        self.han_outside_links = 0
        self.link_depth = 0
        self.article_depth = 0

    def run(self) -> None:
        # (node, entering, small table cell); deep pages must not exhaust recursion.
        stack: list[tuple[LexborNode, bool, bool]] = [(self.root, True, False)]
        while stack:
            node, entering, flat = stack.pop()
            tag = (node.tag or "").lower()
            if tag == "-text":
                self.text(node.text_content or "")
            elif tag.startswith(("-", "!", "_")):
                continue  # comments, doctype
            elif not entering:
                self.leave(node, tag, flat)
            elif node is self.root or not self.dropped(node, tag):
                if tag == "br":
                    self.builder.newline()
                    continue
                flat = self.enter(node, tag)
                stack.append((node, False, flat))
                children = list(node.iter(include_text=True))
                stack.extend((child, True, False) for child in reversed(children))

    def text(self, content: str) -> None:
        self.builder.text(_collapse_ws(content))
        han = _han_count(content)
        self.han_total += han
        if not self.link_depth:
            self.han_outside_links += han

    def dropped(self, node: LexborNode, tag: str) -> bool:
        if tag in _DROP_TAGS or _is_hidden(node):
            return True
        chrome = tag == "nav" or _says_chrome(node)
        if not chrome and tag in ("header", "footer") and self.article_depth == 0:
            holds_title = self.h1_count == 1 and node.css_first("h1") is not None
            chrome = not (tag == "header" and holds_title)
        if not chrome:
            return False
        # Conservative: never drop what holds most of the page's text.
        han = _han_count(node.text())
        return not (han >= 100 and han * 2 >= self.page_han)

    def enter(self, node: LexborNode, tag: str) -> bool:
        b = self.builder
        if tag in _PARAGRAPH_TAGS:
            b.brk(2)
        elif tag in _LINE_TAGS:
            b.brk(1)
        if tag == "h1":
            self.hints.append(node.text())
        elif tag == "a" and "href" in node.attributes:
            self.link_depth += 1
        elif tag in ("article", "main"):
            self.article_depth += 1
        elif tag == "tr":
            b.rows.append(0)
        elif tag in ("td", "th"):
            b.cell()
            # A small cell's paragraphs stay on the row's line; a layout cell keeps them.
            if node.css_first("table") is None and len(node.text()) <= 200:
                b.flat += 1
                return True
        return False

    def leave(self, node: LexborNode, tag: str, flat: bool) -> None:
        b = self.builder
        if flat:
            b.flat -= 1
        if tag == "a" and "href" in node.attributes:
            self.link_depth -= 1
        elif tag in ("article", "main"):
            self.article_depth -= 1
        elif tag == "tr" and b.rows:
            b.rows.pop()
        if tag in _PARAGRAPH_TAGS:
            b.brk(2)
        elif tag in _LINE_TAGS:
            b.brk(1)


def _clean_hints(hints: Sequence[str]) -> list[str]:
    out: list[str] = []
    for h in hints:
        h = _WS_RUN.sub(" ", h).strip(" \u3000")
        if h and h not in out:
            out.append(h)
    return out


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip("\ufeff \t\r\n")
    head = re.sub(r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*", "", head, flags=re.DOTALL)
    if re.match(r"<!doctype\s+html|<html[\s>]", head, re.IGNORECASE):
        return True
    return bool(
        re.match(r"<(?:head|meta|title|body)[\s>]", head, re.IGNORECASE)
        and re.search(r"</(?:body|html|head|title|p|div)>", text[:65536], re.IGNORECASE)
    )
