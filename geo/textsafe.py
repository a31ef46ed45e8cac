"""Text from data files, made safe for where it is shown: markdown, HTML, links, CSV.

Dataset files may be written by an attacker, so every text that comes from them is
treated as hostile wherever it is rendered:

* :func:`md_text` for Streamlit's markdown (``st.markdown``, ``st.caption``,
  ``st.error``, widget and metric labels...), which would otherwise render links,
  images (a tracking pixel), emphasis, colour directives and math from data;
* :func:`html_text` for HTML, including folium tooltips, whose text folium writes into a
  JavaScript template literal (so ```` ` ````, ``$`` and ``\\`` are escaped too);
* :func:`safe_url`, :func:`html_link` and :func:`md_link`: only ``http``/``https``
  URLs become links, anything else (``javascript:``, ``data:``, ``vbscript:``...)
  stays text;
* :func:`csv_cell` for CSV files meant for spreadsheets: a text cell that a
  spreadsheet would run as a formula gets a leading ``'``; numbers are left alone.

Pure functions of the standard library only; ``geo`` never imports streamlit.
"""

from __future__ import annotations

import html
import math
import re
import string
from typing import Any
from urllib.parse import quote, urlsplit

__all__ = [
    "FORMULA_START",
    "PLAIN_NUMBER",
    "WORD_JOINER",
    "csv_cell",
    "html_link",
    "html_text",
    "md_link",
    "md_text",
    "safe_url",
]

FORMULA_START = "=+-@\t\r"
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV
injection): ``= + - @``, tab and carriage return."""

PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
"""A decimal number as text (``-5``, ``+3.2``, ``1e-3``; ASCII digits only): such cells
are left as they are."""

_NUMBER = re.compile(PLAIN_NUMBER)
_FORMULA_CHARS = frozenset(FORMULA_START)
# Every ASCII punctuation character but "." and ":", which are escaped only where they
# could start something: "www." and "http:" (autolinks), "1." (a list), ":name"
# (Streamlit directives). So "claims.csv:2" stays as it is written.
_MD_SPECIAL = re.compile(
    "([" + re.escape(string.punctuation.replace(".", "").replace(":", "")) + "]"
    r"|:(?!\d)|(?i:www)\.|^\s*\d+\.)"
)
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_AUTOLINK = re.compile(r"(?i)https?(?=:)|www(?=\.)|@")
WORD_JOINER = "\u2060"
"""Put by :func:`md_text` inside what a markdown renderer would turn into a link."""
_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_URL_SCHEMES = frozenset({"http", "https"})
# Characters kept as they are when a URL is written into markdown; the rest (spaces,
# quotes, parentheses, < >, backslash, backtick...) are percent-encoded.
_URL_SAFE = "/:?#[]@!$&*+,;=%~-._"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def md_text(value: Any) -> str:
    """Escape text for Streamlit markdown, so that it renders literally.

    Every ASCII punctuation character is backslash-escaped (CommonMark renders an
    escaped punctuation character as itself), which disarms links, images, raw HTML,
    emphasis, code, headings, lists, tables, autolinks, Streamlit's ``:colour[...]``
    directives and ``$...$`` math. ``.`` and ``:`` are escaped only where they could
    start something (``www.``, ``javascript:``, a leading ``1.``), so ``file.csv:2``
    reads as written. Line breaks become spaces, so the text stays inline (in a list
    item, say).

    Escapes do not stop the autolinks of Streamlit's renderer (GitHub-flavoured
    markdown finds ``http://``, ``www.`` and ``name@host`` in the text after escapes
    are resolved), so a word joiner (U+2060, invisible and never a line break) is put
    inside each: after ``http``/``https`` before ``:``, after ``www`` before ``.``, and
    after ``@``.

    Parameters
    ----------
    value : object
        Any value; ``None`` and NaN give ``""``, others are converted with ``str``.

    Returns
    -------
    str
        Markdown source that displays as *value*.

    Examples
    --------
    >>> md_text("[x](javascript:alert(1))")
    '\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\)'
    >>> print(md_text("![t](x.png) <b>*hi*</b>, claims.csv:2"))
    \\!\\[t\\]\\(x.png\\) \\<b\\>\\*hi\\*\\<\\/b\\>\\, claims.csv:2
    >>> md_text("http://evil.example") == "http\\u2060\\\\:\\\\/\\\\/evil.example"
    True
    >>> md_text("Quetta")
    'Quetta'
    >>> md_text(None)
    ''
    """
    if _missing(value):
        return ""
    text = _AUTOLINK.sub(lambda m: m.group() + WORD_JOINER, _LINE_BREAK.sub(" ", str(value)))
    return _MD_SPECIAL.sub(_backslash, text)


def _backslash(m: re.Match[str]) -> str:
    s = m.group()
    return s[:-1] + "\\" + s[-1]


def html_text(value: Any) -> str:
    """Escape text for HTML element content or a quoted attribute value.

    :func:`html.escape` (``& < > " '``), plus ```` ` ````, ``$`` and ``\\`` as
    character references: folium writes tooltip text into a JavaScript template
    literal, where these would end the literal, interpolate ``${...}`` or break the
    script. A browser shows the same characters either way.

    Parameters
    ----------
    value : object
        Any value; ``None`` and NaN give ``""``, others are converted with ``str``.

    Returns
    -------
    str
        HTML text that displays as *value*.

    Examples
    --------
    >>> html_text('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> html_text("`${alert(1)}`")
    '&#96;&#36;{alert(1)}&#96;'
    >>> html_text(float("nan"))
    ''
    """
    if _missing(value):
        return ""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE)


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain ``http``/``https`` link, else ``None``.

    Parsed with :func:`urllib.parse.urlsplit`: the scheme must be http or https (any
    case) and a host must be present. URLs holding whitespace or control characters
    are refused (browsers drop some of them, which would change the scheme read).

    Parameters
    ----------
    url : object
        Typically a ``url`` cell of ``sources.csv``; surrounding spaces are ignored.

    Returns
    -------
    str or None
        The stripped URL, or ``None`` when it must not become a link (show it as
        text instead).

    Examples
    --------
    >>> safe_url(" https://example.org/a?b=1 ")
    'https://example.org/a?b=1'
    >>> [safe_url(u) for u in ("javascript:alert(1)", "JaVaScRiPt:alert(1)",
    ...                        "data:text/html,<b>x</b>", "vbscript:msgbox(1)",
    ...                        "java\\nscript:alert(1)", "//evil.example", "http:evil",
    ...                        "ftp://example.org", "", None)]
    [None, None, None, None, None, None, None, None, None, None]
    """
    if _missing(url):
        return None
    text = str(url).strip()
    if not text or any(c.isspace() or not c.isprintable() for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
    if parts.scheme.lower() not in _URL_SCHEMES or not parts.netloc:
        return None
    return text


def html_link(text: Any, url: Any) -> str:
    """An HTML link to *url* if :func:`safe_url` allows it, else *text* (escaped).

    Parameters
    ----------
    text : object
        The link text (escaped with :func:`html_text`).
    url : object
        The target.

    Returns
    -------
    str
        ``<a href=... rel="noopener noreferrer" target="_blank">text</a>``, or the
        escaped text alone.

    Examples
    --------
    >>> html_link("Dawn", "https://dawn.com/x?a=1&b=2")
    '<a href="https://dawn.com/x?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">Dawn</a>'
    >>> html_link("<b>x</b>", "javascript:alert(1)")
    '&lt;b&gt;x&lt;/b&gt;'
    """
    target = safe_url(url)
    if target is None:
        return html_text(text)
    return (f'<a href="{html_text(target)}" rel="noopener noreferrer" target="_blank">'
            f"{html_text(text)}</a>")


def md_link(text: Any, url: Any) -> str:
    """A markdown link to *url* if :func:`safe_url` allows it, else *text* (escaped).

    Parameters
    ----------
    text : object
        The link text (escaped with :func:`md_text`).
    url : object
        The target; characters that could end the link (spaces, parentheses, ``<``,
        quotes...) are percent-encoded.

    Returns
    -------
    str
        Markdown source.

    Examples
    --------
    >>> md_link("Dawn", "https://dawn.com/a_(b)")
    '[Dawn](https://dawn.com/a_%28b%29)'
    >>> md_link("[x]", "javascript:alert(1)")
    '\\\\[x\\\\]'
    """
    target = safe_url(url)
    if target is None:
        return md_text(text)
    return f"[{md_text(text)}]({quote(target, safe=_URL_SAFE)})"


def csv_cell(value: Any) -> Any:
    """Neutralise a spreadsheet formula in one CSV cell; leave everything else alone.

    A text cell starting with one of :data:`FORMULA_START` gets a leading ``'``
    (spreadsheets then show it as text), unless the whole text is a plain number
    (:data:`PLAIN_NUMBER`, such as ``-5`` or ``+3.2``). Non-text values (numbers,
    dates, ``None``) are returned unchanged.

    Parameters
    ----------
    value : object
        One cell (or a header).

    Returns
    -------
    object
        *value*, or ``"'" + value`` for a formula.

    Examples
    --------
    >>> csv_cell('=HYPERLINK("http://evil.example")')
    '\\'=HYPERLINK("http://evil.example")'
    >>> [csv_cell(v) for v in ("@SUM(A1)", "-2+3", "\\tx", "ok", "-5", "+3.2", -5, 2.5)]
    ["'@SUM(A1)", "'-2+3", "'\\tx", 'ok', '-5', '+3.2', -5, 2.5]
    """
    if (isinstance(value, str) and value[:1] in _FORMULA_CHARS
            and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value
