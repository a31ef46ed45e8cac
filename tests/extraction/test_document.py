"""Reports as documents: datelines, text files in each encoding, files that are not
reports, and saved web pages (main text and metadata, boilerplate and scripts left out)."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.extraction.document import (
    Document,
    ReportError,
    dateline,
    document_from_html,
    document_from_text,
    read_document,
)


@pytest.mark.parametrize(("text", "place", "date", "body"), [
    ("QUETTA, March 10 (Reuters) - Two were killed.", "QUETTA", dt.date(2026, 3, 10),
     "Two were killed."),
    ("PESHAWAR, Pakistan, Jan 31 (AP) — Two were killed.", "PESHAWAR", dt.date(2026, 1, 31),
     "Two were killed."),
    ("QUETTA: Two were killed.", "QUETTA", None, "Two were killed."),
    ("TURBAT, Feb. 2 – Two were killed.", "TURBAT", dt.date(2026, 2, 2), "Two were killed."),
    ("Gwadar, 31 January 2025 -Two were killed.", "Gwadar", dt.date(2025, 1, 31),
     "Two were killed."),
    ("KARACHI (Dawn) - Two were killed.", "KARACHI", None, "Two were killed."),
    ("DERA ISMAIL KHAN, March 3 - Two were killed.", "DERA ISMAIL KHAN", dt.date(2026, 3, 3),
     "Two were killed."),
    ("Dera Ismail Khan, 3rd Sept, 2024: Two were killed.", "Dera Ismail Khan",
     dt.date(2024, 9, 3), "Two were killed."),
    ("ISLAMABAD, Jan 31 (APP): Two were killed.", "ISLAMABAD", dt.date(2026, 1, 31),
     "Two were killed."),
    ("KHARAN -- Two were killed.", "KHARAN", None, "Two were killed."),
    ("QUETTA, Feb 30 - Two were killed.", "QUETTA", None, "Two were killed."),  # no such day
])
def test_datelines(text: str, place: str, date: dt.date | None, body: str) -> None:
    got_place, got_date, end = dateline(text, 2026)
    assert (got_place, got_date, text[end:]) == (place, date, body)


def test_dateline_without_a_year_has_no_date_but_keeps_its_place() -> None:
    assert dateline("QUETTA, March 10 (Reuters) - Two died.", None)[:2] == ("QUETTA", None)


@pytest.mark.parametrize("text", [
    "Militants attacked a checkpoint - police said.",
    "On Monday, March 3 - police said two died.",
    "On Monday, police said: two were killed.",
    "Police: five killed in Quetta.",  # a Title Case word needs a date
    "Pakistan - five killed.",
    "BREAKING: five killed in Quetta.",
    "Five killed in Quetta: police",
    "March 3 - Two were killed.",
    "Two were killed.\nQUETTA: a dateline not on the first line.",
    "QUETTA police said two were killed.",
    "KARACHI-based groups said so.",
    "",
])
def test_not_datelines(text: str) -> None:
    assert dateline(text, 2026) == ("", None, 0)


def test_the_year_comes_from_publication_and_rolls_back_at_new_year() -> None:
    jan2 = dt.date(2026, 1, 2)
    d = document_from_text("QUETTA, Dec 31 (Reuters) - Two died.", published=jan2)
    assert (d.dateline_date, d.published) == (dt.date(2025, 12, 31), jan2)
    # a day after publication is the same year (time zones), not the year before
    assert document_from_text("QUETTA, Jan 3 - x", published=jan2).dateline_date == dt.date(
        2026, 1, 3)


def test_publication_falls_back_to_a_dateline_that_states_its_year() -> None:
    assert document_from_text("Gwadar, 31 January 2025 - x").published == dt.date(2025, 1, 31)
    d = document_from_text("QUETTA, March 10 - x")
    assert (d.published, d.dateline_place, d.dateline_date) == (None, "QUETTA", None)


def test_text_is_normalised_only_at_line_breaks_and_ends() -> None:
    d = document_from_text("\r\n  QUETTA: Two\tdied.\r\n\r\nThree  hurt.\rEnd. \n", "r.txt")
    assert d == Document("QUETTA: Two\tdied.\n\nThree  hurt.\nEnd.", "r.txt", "", None, "", "",
                         "QUETTA", None)


def test_given_values_are_kept() -> None:
    d = document_from_text("x", published=dt.date(2026, 1, 1), publisher="Dawn",
                           url="https://dawn.com/1", title="T")
    assert (d.name, d.published, d.publisher, d.url, d.title) == (
        "pasted text", dt.date(2026, 1, 1), "Dawn", "https://dawn.com/1", "T")


@pytest.mark.parametrize("text", ["", "  \n\t\r\n "])
def test_no_text(text: str) -> None:
    with pytest.raises(ReportError, match=r"^pasted text: no text$"):
        document_from_text(text)


def test_report_error() -> None:
    exc = ReportError("a.txt", "no text")
    assert (str(exc), exc.name, exc.message) == ("a.txt: no text", "a.txt", "no text")
    assert isinstance(exc, ValueError)
    again = pickle.loads(pickle.dumps(exc))  # crosses process pools
    assert (str(again), again.name, again.message) == (str(exc), "a.txt", "no text")


@pytest.mark.parametrize(("data", "suffix"), [
    ("PESHAWAR – 5 killed\nMore.".encode(), ".txt"),
    ("PESHAWAR – 5 killed\nMore.".encode("utf-8-sig"), ".txt"),
    (b"PESHAWAR \x96 5 killed\r\nMore.", ".txt"),  # Windows-1252 en dash
    ("PESHAWAR – 5 killed\nMore.".encode("utf-16"), ""),
    ("PESHAWAR – 5 killed\nMore.".encode(), ".md"),
    ("PESHAWAR – 5 killed\nMore.".encode(), ""),
])
def test_text_files(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"report{suffix}"
    path.write_bytes(data)
    d = read_document(path, published=dt.date(2026, 2, 1))
    assert (d.text, d.name, d.dateline_place) == (
        "PESHAWAR – 5 killed\nMore.", f"report{suffix}", "PESHAWAR")


@pytest.mark.parametrize(("data", "message"), [
    (b"QUETTA: two\x00died", "not text (binary content)"),
    (bytes(range(1, 32)) * 3 + b"some text", "not text (binary content)"),
    (b"", "no text"),
    (b" \n\t\r\n", "no text"),
    (b"QUETTA \x81\x8d - undefined in Windows-1252 \xff\xfe\xc3",
     "not text (neither UTF-8 nor Windows-1252)"),
])
def test_files_that_are_not_reports(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReportError) as info:
        read_document(path)
    assert (info.value.name, info.value.message) == ("bad.txt", message)
    assert str(info.value) == f"bad.txt: {message}"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"^gone\.txt: cannot be read: No such file"):
        read_document(tmp_path / "gone.txt")
    with pytest.raises(ReportError, match=r"cannot be read: not a regular file"):
        read_document(tmp_path)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("QUETTA: " + "x" * 200)
    with pytest.raises(ReportError, match=r"^big\.txt: larger than 100 bytes$"):
        read_document(path, max_bytes=100)
    assert read_document(path, max_bytes=208).text.startswith("QUETTA")
    path.write_bytes(b"x" * (2**20 + 1))
    with pytest.raises(ReportError, match=r"^big\.txt: larger than 1 MB$"):
        read_document(path, max_bytes=2**20)


PARAGRAPHS = [
    "PESHAWAR, Feb 1 (Reuters) - Five people were killed and twelve injured when a bomb "
    "exploded near a crowded market in Peshawar on Sunday morning, police said. The blast "
    "damaged several shops and vehicles parked along the road.",
    "Senior police official Ahmed Khan told reporters that the device had been planted on a "
    "motorcycle. He said the injured were taken to Lady Reading Hospital, where three of them "
    "were in critical condition.",
    "No group immediately claimed responsibility for the attack. Militants have stepped up "
    "attacks in the province over the past year, targeting security forces and civilians.",
    "The provincial government announced compensation for the families of the victims. "
    "Security was tightened across the city after the explosion, officials said.",
]
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Five killed in Peshawar blast | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="Five killed in Peshawar blast">
<meta property="article:published_time" content="2026-02-01T10:00:00Z">
<link rel="canonical" href="https://example.org/a">
<style>.STYLE_TEXT {{ color: red }}</style>
<script>var leak = "SCRIPT_TEXT"; document.write("SCRIPT_TEXT");</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World NAV_TEXT</a></li></ul></nav>
<article><h1>Five killed in Peshawar blast</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<script>console.log("SCRIPT_TEXT")</script>
</article>
<footer><p>Copyright 2026 Example News FOOTER_TEXT. All rights reserved.</p></footer>
</body></html>
"""


def test_saved_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    d = read_document(path)
    assert d.text == "\n".join(PARAGRAPHS)  # one paragraph per line; no headline
    for boilerplate in ("SCRIPT_TEXT", "STYLE_TEXT", "NAV_TEXT", "FOOTER_TEXT", "Home"):
        assert boilerplate not in d.text
    assert (d.name, d.title, d.publisher, d.url, d.published) == (
        "page.html", "Five killed in Peshawar blast", "Example News", "https://example.org/a",
        dt.date(2026, 2, 1))
    assert (d.dateline_place, d.dateline_date) == ("PESHAWAR", dt.date(2026, 2, 1))


def test_page_sniffed_without_an_html_extension(tmp_path: Path) -> None:
    path = tmp_path / "article"
    path.write_text(PAGE.replace('<meta charset="utf-8">', ""), encoding="cp1252")
    assert read_document(path).text == "\n".join(PARAGRAPHS)


def test_given_values_win_over_the_page() -> None:
    d = document_from_html(PAGE, "p.html", published=dt.date(2026, 2, 3), publisher="Dawn",
                           url="https://dawn.com/1")
    assert (d.published, d.publisher, d.url, d.title) == (
        dt.date(2026, 2, 3), "Dawn", "https://dawn.com/1", "Five killed in Peshawar blast")


def test_short_page_keeps_no_menu() -> None:
    html = ("<html><body><nav><a href=/>Home</a></nav><article><p>QUETTA: Two were killed "
            "on Monday, police said.</p></article><footer>About us</footer></body></html>")
    d = document_from_html(html, "p.html")
    assert (d.text, d.dateline_place) == ("QUETTA: Two were killed on Monday, police said.",
                                          "QUETTA")


def test_page_without_metadata() -> None:
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</body></html>"
    d = document_from_html(html, "p.html")
    assert (d.title, d.publisher, d.url, d.published) == ("", "", "", None)
    assert d.dateline_date is None  # no year to give "Feb 1"


def test_page_metadata_that_is_not_usable() -> None:
    html = PAGE.replace("2026-02-01T10:00:00Z", "yesterday").replace(
        "https://example.org/a", "javascript:alert(1)")
    d = document_from_html(html, "p.html")
    assert (d.published, d.url) == (None, "")


@pytest.mark.parametrize("html", [
    "", "<html></html>", "<html><body><script>alert('x')</script></body></html>",
    "<html><head><title>Only a title</title></head><body><h1>Only a title</h1></body></html>",
])
def test_page_without_main_text(tmp_path: Path, html: str) -> None:
    with pytest.raises(ReportError, match=r"^empty\.html: no main text found in the page$"):
        document_from_html(html, "empty.html")


def test_empty_page_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<!doctype html><html><head><style>p {}</style></head><body>"
                    "<script>document.write('x')</script></body></html>")
    with pytest.raises(ReportError, match=r"^empty\.html: no main text found in the page$"):
        read_document(path)


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1).filter(str.strip), st.none() | st.dates(dt.date(1990, 1, 1)))
def test_any_text_reads(text: str, published: dt.date | None) -> None:
    d = document_from_text(text, published=published)
    assert d.text and d.text == d.text.strip()
    _, _, end = dateline(d.text, 2026)
    assert 0 <= end <= len(d.text)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["QUETTA", "Dera Ismail Khan", "D.I. KHAN"]),
       st.sampled_from([", March 10", ", 3 Feb. 2025", ""]),
       st.sampled_from([" (Reuters)", ""]), st.sampled_from([" - ", " — ", ": ", " – "]),
       st.text(max_size=40))
def test_dateline_ends_where_the_body_begins(place: str, date: str, agency: str, sep: str,
                                             body: str) -> None:
    text = place + date + agency + sep + body.lstrip(" \t")
    got, _, end = dateline(text, 2026)
    if date or place.isupper():
        assert (got, text[end:]) == (place, body.lstrip(" \t"))


def test_page_in_its_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "arabic.htm"
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1256"').replace(
        "Senior police official", "Senior police official (شرطة)")
    path.write_bytes(page.encode("cp1256"))
    assert "official (شرطة) Ahmed" in read_document(path).text


@pytest.mark.parametrize(("published", "day"), [
    (dt.date(9999, 12, 31), dt.date(9999, 12, 31)), (dt.date(1, 1, 1), None)])
def test_dateline_at_the_ends_of_the_calendar(published: dt.date, day: dt.date | None) -> None:
    assert document_from_text("QUETTA, Dec 31 - x", published=published).dateline_date == day
