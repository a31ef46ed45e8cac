"""geo.textsafe: text from data made safe for markdown, HTML, links and CSV."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.textsafe import WORD_JOINER, csv_cell, html_link, md_link, md_text, safe_url
from tests.support.hostile import (
    BAD_URLS,
    PAYLOADS,
    live_markdown,
    parse_html,
)


@given(st.one_of(st.integers().map(str), st.integers(min_value=0).map(lambda i: f"+{i}"),
                 st.floats(allow_nan=False, allow_infinity=False).map(repr),
                 st.decimals(allow_nan=False, allow_infinity=False).map(str)))
def test_numbers_written_as_text_are_left_alone(text: str) -> None:
    assert csv_cell(text) == text


@given(st.one_of(st.integers(), st.floats(allow_nan=False)))
def test_numbers_are_left_alone(value: float) -> None:
    assert csv_cell(value) == value


@given(st.sampled_from("=+-@\t\r"), st.text())
def test_csv_cell_prefixes_formula_text(first: str, rest: str) -> None:
    text = first + rest + "x"  # no number ends in "x"
    assert csv_cell(text) == "'" + text


def test_csv_cell_examples() -> None:
    assert [csv_cell(v) for v in ("-5", "+3.2", "1e-3", "-\u0663", "-inf", "=1", "'=1", "")] \
        == ["-5", "+3.2", "1e-3", "'-\u0663", "'-inf", "'=1", "'=1", ""]
    assert csv_cell(-5) == -5 and csv_cell(None) is None and csv_cell(True) is True


@pytest.mark.parametrize("text", [*PAYLOADS, "a\\<b>", "line\n# heading", "_x_ ~~y~~ | t |",
                                  "1. one", "www.evil.example", "x@evil.example"])
def test_md_text_leaves_nothing_live(text: str) -> None:
    out = md_text(text)
    assert not live_markdown(out), out
    assert "\n" not in out and "\r" not in out
    shown = re.sub(r"\\(.)", r"\1", out)
    assert shown.replace(WORD_JOINER, "") == re.sub(r"\r\n|[\r\n]", " ", text)  # same text
    for autolink in (r"https?://", r"www\.", r"@\w"):  # GFM links these after unescaping
        assert not re.search(autolink, shown, re.IGNORECASE), shown


@pytest.mark.parametrize("url", [*BAD_URLS, "  javascript:alert(1)", "java\nscript:x",
                                 "//evil.example/x", "https:evil", "file:///etc/passwd",
                                 "http://a b", "", None, float("nan")])
def test_only_http_urls_become_links(url: str | None) -> None:
    assert safe_url(url) is None
    assert "<a" not in html_link("t", url) and "](" not in md_link("t", url)


@pytest.mark.parametrize("url", ["http://example.org", "HTTPS://example.org/a?b=1&c=(2)"])
def test_http_urls_become_links(url: str) -> None:
    assert safe_url(url) == url
    p = parse_html(html_link("<b>t</b>", url))
    assert [(t, dict(a)["href"]) for t, a in p.tags] == [("a", url)]
    assert md_link("t", url).lower().startswith("[t](http") and " " not in md_link("t", url)
