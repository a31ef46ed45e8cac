"""A report as a document: its text and what is known about it (title, publisher,
publication date, address), and its dateline ("QUETTA, March 10 (Reuters) - "), the
first stage of reading a report.

A report comes as plain text (a file or pasted) or as a saved web page. A page's main
text, title, date, site name and canonical address come from trafilatura, which reads
the page's markup offline and leaves out navigation, footers, comments, scripts and
styles; nothing in a page is run. Values given by the caller win over the page's.
Text is only decoded, its line breaks made ``"\\n"`` and its ends stripped: the
characters in between are kept as they are, since later stages cite evidence by
character offsets into :attr:`Document.text`.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import trafilatura

__all__ = ["Document", "ReportError", "dateline", "document_from_bytes", "document_from_html",
           "document_from_text", "read_document"]

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_TEXT_SUFFIXES = {".txt", ".md"}
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""",
                      re.IGNORECASE)
_CONTROL = bytes(b for b in [*range(32), 127] if b not in b"\t\n\r")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = (r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
          r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WORD = r"[A-ZÀ-ÖØ-Þ][\w.'’-]*"
_DATELINE = re.compile(
    rf"[ \t]*(?P<place>{_WORD}(?: {_WORD}){{0,3}})"
    rf"(?:,[ \t]*{_WORD}(?: {_WORD}){{0,2}})?"  # a region or country: "PESHAWAR, Pakistan"
    rf"(?:,?[ \t]+(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?[ \t]+(?P<m1>{_MONTH})|"
    rf"(?P<m2>{_MONTH})[ \t]+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)"
    r"(?:,?[ \t]+(?P<year>(?:19|20)\d\d))?)?"
    r"(?:[ \t]*\([^()\n]{1,40}\))?"  # the agency: "(Reuters)"
    r"[ \t]*(?:(?<=[\s)])--?|--?(?=\s|$)|[–—:])[ \t]*")
# capitalised words that start sentences and headline labels, never a dateline's place
_NOT_PLACES = {"on", "in", "at", "by", "the", "a", "an", "last", "this", "since", "until",
               "from", "for", "breaking", "update", "updated", "exclusive", "live", "watch",
               "video", "analysis", "opinion", "editorial", "correction", "corrected",
               "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass(frozen=True)
class Document:
    """A report's text and what is known about it.

    Attributes
    ----------
    text : str
        Paragraphs one per line or between blank lines, as given (one per line from a
        page).
    name : str
        The file's name, or the name given for pasted text.
    title, publisher, url : str
        As given, else the page's title, site name (or host name) and canonical
        address, else ``""``.
    published : datetime.date or None
        As given, else the page's date, else the dateline's if it states its year.
    dateline_place : str
        The dateline's place as written (``"PESHAWAR"``), ``""`` without a dateline.
    dateline_date : datetime.date or None
        The dateline's date, its year from :attr:`published` unless it states one.
    """

    text: str
    name: str
    title: str
    published: dt.date | None
    publisher: str
    url: str
    dateline_place: str
    dateline_date: dt.date | None


class ReportError(ValueError):
    """A file or text that cannot be read as a report; ``str()`` is ``"name: message"``."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message

    def __reduce__(self) -> tuple[type[ReportError], tuple[str, str]]:
        return type(self), (self.name, self.message)


def _dateline(text: str) -> tuple[str, int | None, int | None, int | None, int]:
    """The dateline's place, month, day and stated year, and its end (0 if none)."""
    m = _DATELINE.match(text)
    if not m:
        return "", None, None, None, 0
    place, month = m["place"], m["m1"] or m["m2"]
    letters = [c for c in place if c.isalpha()]
    if (place.split()[0].strip(".").lower() in _NOT_PLACES
            or not (month or all(c.isupper() for c in letters))):
        return "", None, None, None, 0
    if not month:
        return place, None, None, None, m.end()
    number = _MONTHS.index(month[:3].lower()) + 1
    return place, number, int(m["d1"] or m["d2"]), int(m["year"]) if m["year"] else None, m.end()


def _date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(year, month, day) if year and month and day else None
    except ValueError:  # "Feb 30"
        return None


def dateline(text: str, year: int | None) -> tuple[str, dt.date | None, int]:
    """The dateline opening *text*: a place of up to four words (a region after a comma
    left out), a day and month (and year), the agency in parentheses, then a dash or
    colon. A place not in capitals needs the date: a sentence is no dateline.

    Parameters
    ----------
    text : str
    year : int or None
        The year of a date that states none (no date without it).

    Returns
    -------
    (str, datetime.date or None, int)
        The place as written, the date, and the offset where the report's first sentence
        begins; ``("", None, 0)`` without a dateline.

    Examples
    --------
    >>> dateline("QUETTA, March 10 (Reuters) - Two were killed.", 2026)
    ('QUETTA', datetime.date(2026, 3, 10), 29)
    >>> dateline("Gwadar, 31 January 2025 - Two were killed.", None)
    ('Gwadar', datetime.date(2025, 1, 31), 26)
    >>> dateline("On Monday, police said: two were killed.", 2026)
    ('', None, 0)
    """
    place, month, day, stated, end = _dateline(text)
    return place, _date(stated or year, month, day), end


def document_from_text(text: str, name: str = "pasted text", *,
                       published: dt.date | None = None, publisher: str | None = None,
                       url: str | None = None, title: str | None = None) -> Document:
    """A report from its text (line breaks made ``"\\n"``, ends stripped).

    Parameters
    ----------
    text, name : str
        The text, and what to call it in messages.
    published : datetime.date, optional
        Without it, the date of a dateline that states its year.
    publisher, url, title : str, optional

    Raises
    ------
    ReportError
        When *text* holds nothing but whitespace.

    Examples
    --------
    >>> d = document_from_text("TURBAT, Jan. 2 - Two died.", published=dt.date(2026, 1, 3))
    >>> d.dateline_place, d.dateline_date, d.text[17:]
    ('TURBAT', datetime.date(2026, 1, 2), 'Two died.')
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ReportError(name, "no text")
    place, month, day, stated, _ = _dateline(text)
    when = _date(stated, month, day)
    if when is None and published is not None:
        when = _date(published.year, month, day)
        if when is not None and (when - published).days > 1:  # Dec 31 in January
            when = _date(published.year - 1, month, day)
    return Document(text, name, title or "", published or (when if stated else None),
                    publisher or "", url or "", place, when)


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def document_from_html(html: str, name: str, *, published: dt.date | None = None,
                       publisher: str | None = None, url: str | None = None) -> Document:
    """A report from a saved web page: its main text, one paragraph per line, and its
    metadata (given values win). A first line repeating the title is left out.

    Raises
    ------
    ReportError
        When trafilatura finds no main text in the page.
    """
    try:
        page = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True,  # else a short report's page gains its menu's links
            # the date from the page's markup only, and never judged against today
            date_extraction_params={"original_date": True, "extensive_search": False,
                                    "max_date": "2199-12-31"})
    except (ValueError, TypeError) as exc:  # malformed markup lxml cannot parse
        raise ReportError(name, f"not a readable page ({exc})") from exc
    text = getattr(page, "text", None) or ""
    title = (getattr(page, "title", None) or "").strip()
    lines = text.strip().split("\n", 1)
    if title and " ".join(lines[0].split()).casefold() == " ".join(title.split()).casefold():
        text = lines[1] if len(lines) > 1 else ""
    if not text.strip():
        raise ReportError(name, "no main text found in the page")
    page_url = getattr(page, "url", None) or ""
    if not page_url.lower().startswith(("http://", "https://")):
        page_url = ""
    site = getattr(page, "sitename", None) or getattr(page, "hostname", None) or ""
    return document_from_text(
        text, name, title=title,
        published=published if published is not None else _iso_date(getattr(page, "date", None)),
        publisher=publisher if publisher is not None else site,
        url=url if url is not None else page_url)


def _decode(data: bytes, name: str, charset: str | None = None) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16")
    if b"\0" in data or len(data) - len(data.translate(None, _CONTROL)) > len(data) / 10:
        raise ReportError(name, "not text (binary content)")
    for encoding in ("utf-8-sig", charset, "cp1252"):
        try:
            if encoding:
                return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReportError(name, "not text (neither UTF-8 nor Windows-1252)")


def read_document(path: str | os.PathLike[str], *, published: dt.date | None = None,
                  publisher: str | None = None, url: str | None = None,
                  max_bytes: int = 10 * 2**20) -> Document:
    """A report from a file: a saved web page (``.html``, ``.htm``, ``.xhtml``, or no
    ``.txt``/``.md`` and ``<html`` in the first kilobyte) or plain text; UTF-8 (or
    UTF-16 with a byte order mark), else the page's declared charset, else Windows-1252.

    Raises
    ------
    ReportError
        When the file cannot be read, is larger than *max_bytes*, is not text, or holds
        no text.
    """
    name = Path(path).name or os.fspath(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a folder, or a pipe that would block
            raise ReportError(name, "cannot be read: not a regular file")
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise ReportError(name, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        size = f"{max_bytes / 2**20:g} MB" if max_bytes >= 2**20 else f"{max_bytes} bytes"
        raise ReportError(name, f"larger than {size}")
    return document_from_bytes(data, name, published=published, publisher=publisher, url=url)


def document_from_bytes(data: bytes, name: str, *, published: dt.date | None = None,
                        publisher: str | None = None, url: str | None = None) -> Document:
    """A report from a file's bytes (an upload), read as :func:`read_document` reads a
    file: a web page by *name*'s suffix or its first kilobyte, else plain text.

    Raises
    ------
    ReportError
        When the bytes are not text, or hold no text.
    """
    suffix = Path(name).suffix.lower()
    head = data[:1024].lower()
    if suffix in _HTML_SUFFIXES or (suffix not in _TEXT_SUFFIXES
                                    and (b"<html" in head or b"<!doctype html" in head)):
        declared = _CHARSET.search(data[:4096])
        html = _decode(data, name, declared[1].decode("ascii") if declared else None)
        if not html.strip():
            raise ReportError(name, "no text")
        return document_from_html(html, name, published=published, publisher=publisher,
                                  url=url)
    return document_from_text(_decode(data, name), name, published=published,
                              publisher=publisher, url=url)
