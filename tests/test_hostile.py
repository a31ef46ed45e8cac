"""Hostile content: data files written by an attacker must not inject markup anywhere.

A copy of the bundled dataset gets script, HTML, markdown, JavaScript-URL, template-
literal and spreadsheet-formula payloads in every free-text field of every table
(plus an extra, unknown column), keeping the rows valid. Then nothing from the data may
become live markup in the folium map (library and ``geo map`` file), in the markdown the
Streamlit pages render, or a formula in a CSV export.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import folium
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.analysis.summary import summarise
from geo.bundled import dataset_dir
from geo.cli.commands import main
from geo.dataset.records import load_dataset
from geo.export.tables import export_bytes, incident_frame, write_csv
from geo.maps.web.gazetteermap import gazetteer_map
from geo.maps.web.incidentmap import incident_map
from geo.maps.web.pointlayers import popup_table
from geo.maps.web.viewlayers import ViewFinish, walk
from geo.textsafe import csv_cell, html_link, html_text, md_link, md_text, safe_url

MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "![t](http://evil.example/t.png)",
    "`${alert(1)}`",  # ends / interpolates a JavaScript template literal
    ":red[x] $x^2$ **b**",  # Streamlit colour directive, math, emphasis
]
FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "x\r=1+1",  # a bare carriage return would start a new row in a spreadsheet
]
PAYLOADS = MARKUP + FORMULAS
ALL = " ".join(PAYLOADS)
BAD_URLS = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)"]
EXTRA = "=extra(1)"  # an unknown column whose very name is a formula
FREE_TEXT = {
    "sources": ["publisher", "author", "title", "published_basis", "seed_file",
                "register", "note", EXTRA],
    "incidents": ["location", "admin1", "admin2", "actor1", "actor2", "target_type",
                  "description", EXTRA],
    "claims": ["area", "claimant", "value_text", "locator", "note", EXTRA],
}
"""Every free-text field per table (ids, dates, numbers and vocabularies are validated)."""
NUMBER_TEXTS = ["-5", "+3.2"]  # text cells that are plain numbers stay as they are
DANGER = tuple("=+-@\t\r")  # first characters of a spreadsheet formula


def _hostile(row: int, original: str) -> str:
    """One payload first (cell start matters for CSV and URLs), then the original, then all."""
    return f"{PAYLOADS[row % len(PAYLOADS)]} {original} {ALL}".strip()


def build_hostile(folder: Path, gaz: Gazetteer, copies: int = 1,
                  locate_all: bool = False) -> Path:
    """Write the hostile copy of the bundled dataset (incidents repeated *copies* times).

    Even incidents (all with *locate_all*) get the coordinates of their original place,
    so they are located with hostile place names and admin hints; odd ones keep a
    resolvable name with the payloads appended (most end up unresolved, which is
    allowed). Odd area claims keep their area; even ones name a hostile area (reported
    as unknown).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for table, fields in FREE_TEXT.items():
        with (dataset_dir() / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if table == "incidents" and copies > 1:
            rows = [{**r, "incident_id": f"{r['incident_id']}.{k}" if k else r["incident_id"]}
                    for k in range(copies) for r in rows]
        for i, r in enumerate(rows):
            original = dict(r)
            # Some cells hold only a number, or only the CR payload (no quote or comma
            # in it that would make the CSV writer quote the cell anyway).
            r[EXTRA] = {4: NUMBER_TEXTS[i % 2], 3: FORMULAS[-1]}.get(i % 5, "")
            for f in fields:
                if f == EXTRA and r[EXTRA]:
                    continue
                r[f] = _hostile(i, r[f])
            if table == "sources":
                r["url"] = BAD_URLS[i % len(BAD_URLS)]
            elif table == "incidents" and (i % 2 == 0 or locate_all):
                m = gaz.resolve(original["location"], province=original["admin1"] or None,
                                district=original["admin2"] or None)
                assert m.resolved, original
                r["latitude"], r["longitude"] = f"{m.lat:.5f}", f"{m.lon:.5f}"
            elif table == "incidents":
                r["admin1"], r["admin2"] = original["admin1"], original["admin2"]
            elif table == "claims" and (r["incident_id"] or i % 2):
                r["area"] = original["area"]
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer) -> Path:
    return build_hostile(tmp_path_factory.mktemp("hostile"), gaz)


def test_the_hostile_dataset_is_valid_and_carries_every_payload(hostile: Path,
                                                                gaz: Gazetteer) -> None:
    ds = load_dataset(hostile)  # raises if any row were rejected
    frames = {"sources": ds.sources, "incidents": ds.incidents, "claims": ds.claims}
    tested = 0
    for table, fields in FREE_TEXT.items():
        for f in fields:
            text = " ".join(frames[table][f].astype(str))
            for p in PAYLOADS:
                assert p in text, (table, f, p)
                tested += 1
    assert tested == len(PAYLOADS) * sum(map(len, FREE_TEXT.values())) == 13 * 22
    assert set(ds.sources["url"]) == set(BAD_URLS)
    s = summarise(ds, gaz, "lowest")
    assert len(s.incidents) >= 9 and len(s.unresolved) >= 1 and s.unknown_areas


# --- HTML: the folium maps -------------------------------------------------------------

_ALLOWED_TAGS = {"div", "span", "b", "br", "p", "table", "tr", "th", "td"}
"""Tags our popups, tooltips and legend write; anything else in them came from data."""


class _Markup(HTMLParser):
    """Collects start tags, their attributes and the text of every <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _parse(text: str) -> _Markup:
    p = _Markup()
    p.feed(text)
    p.close()
    return p


def _live_attrs(p: _Markup) -> list[str]:
    bad = []
    for tag, attrs in p.tags:
        for name, value in attrs:
            v = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name.startswith("on") or (name in ("href", "src", "action", "formaction")
                                         and v.startswith(("javascript:", "vbscript:"))):
                bad.append(f"<{tag} {name}={value!r}>")
            if v.startswith("data:") and not v.startswith(("data:image/", "data:text/css",
                                                           "data:text/javascript",
                                                           "data:application/javascript")):
                bad.append(f"<{tag} {name}={value!r}>")
    return bad


def _check_fragment(fragment: str, where: str) -> None:
    """An HTML string built by us around data: only our tags, no handlers, no JS URLs."""
    p = _parse(fragment)
    tags = {t for t, _ in p.tags}
    assert tags <= _ALLOWED_TAGS, (where, tags - _ALLOWED_TAGS, fragment[:300])
    assert not _live_attrs(p), (where, _live_attrs(p))


def _check_document(page: str) -> None:
    """The whole map file: folium's own scripts only, no live markup from the data."""
    p = _parse(page)
    assert not _live_attrs(p), _live_attrs(p)
    assert not {t for t, _ in p.tags} & {"svg", "img", "iframe", "object", "embed"}
    for script in p.scripts:
        # Data sits in scripts as JSON or in tooltip template literals; neither may
        # hold the payloads' markup or a way out of the literal.
        for bad in ("<script", "<img", "<svg"):
            assert bad not in script, bad
    # folium.Tooltip writes its text into a JavaScript template literal.
    for literal in re.findall(r"bindTooltip\(\s*`(.*?)`\s*,\s*\{", page, flags=re.S):
        assert "`" not in literal and "${" not in literal, literal
        _check_fragment(literal, "template literal")
    assert page.count("<script") == len(p.scripts)


def _features(m: folium.Map) -> Iterator[tuple[dict, set[str]]]:
    """Each GeoJSON feature with the properties folium inserts as HTML (the fields of
    the layer's ``GeoJsonTooltip`` / ``GeoJsonPopup``)."""
    for layer in walk(m):
        if isinstance(layer, folium.GeoJson) and isinstance(layer.data, dict):
            fields = {f for c in layer._children.values()
                      if isinstance(c, folium.GeoJsonTooltip | folium.GeoJsonPopup)
                      for f in c.fields}
            for feature in layer.data.get("features", []):
                yield feature, fields


def _check_map(m: folium.Map) -> None:
    page = m.get_root().render()
    _check_document(page)
    n = 0
    for f, fields in _features(m):
        for key in fields:
            _check_fragment(str(f["properties"][key]), key)
            n += 1
    for key, texts in popup_table(m).items():  # popups and tooltips, written once
        for text in texts:
            _check_fragment(str(text), key)
            n += 1
    assert n, "the map holds features with text"
    legends = [el.render() for el in m.get_root().html._children.values()
               if type(el) is folium.Element]  # attribution
    legends += [json.loads(el.legend_json) for el in walk(m) if isinstance(el, ViewFinish)]
    assert legends
    for legend in legends:
        _check_fragment(legend, "legend")


@pytest.mark.parametrize("policy", ["lowest", "claimant"])
def test_incident_map_has_no_live_markup(hostile: Path, gaz: Gazetteer, policy: str) -> None:
    ds = load_dataset(hostile)
    if policy == "claimant":  # the legend names the claimant
        policy = "claimant:" + str(ds.claims["claimant"].iloc[0])
    s = summarise(ds, gaz, policy)
    m = incident_map(s, gaz, choropleth="killed_civilians")
    _check_map(m)
    popups = " ".join(popup_table(m)["popup"])
    assert all(html_text(p) in popups for p in PAYLOADS)  # shown, as text


def test_cli_map_file_has_no_live_markup(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    res = CliRunner().invoke(main, ["map", "--data", str(hostile), "--out", str(out)])
    assert res.exit_code == 1, res.output  # some hostile places are unresolved
    _check_document(out.read_text(encoding="utf-8"))


def _hostile_gazetteer(gaz: Gazetteer) -> SimpleNamespace:
    """Balochistan's boundaries and places with hostile names (what the maps read)."""
    b, evil = gaz.boundaries, " ".join(MARKUP)

    def spoil(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
        df = df[df["province_name"] == "Balochistan"]
        return df.assign(**{c: df[c].astype(str) + " " + evil for c in cols})
    return SimpleNamespace(
        boundaries=SimpleNamespace(provinces=spoil(b.provinces, "province_name"),
                                   districts=spoil(b.districts, "district_name",
                                                   "province_name")),
        places=spoil(gaz.places, "name", "district_name", "feature_code"))


def test_gazetteer_map_escapes_names_and_queries(gaz: Gazetteer) -> None:
    base = gaz.resolve("Quetta")
    fields = {f: getattr(base, f) for f in base.__dataclass_fields__}
    matches = [type(base)(**{**fields, "query": p, "name": p}) for p in MARKUP]
    m = gazetteer_map(gaz, province="Balochistan", matches=matches)
    _check_document(m.get_root().render())
    _check_map(gazetteer_map(_hostile_gazetteer(gaz), matches=matches))  # type: ignore[arg-type]


def test_incident_map_escapes_boundary_names(gaz: Gazetteer) -> None:
    s = summarise(load_dataset(), gaz, "lowest")
    _check_map(incident_map(s, _hostile_gazetteer(gaz)))  # type: ignore[arg-type]


# --- Streamlit: markdown-rendering elements ---------------------------------------------

_MD_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")


def _strip_code_spans(text: str) -> str:
    """Drop CommonMark code spans (they render literally), keeping backslash escapes."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            out.append(text[i:i + 2])
            i += 2
            continue
        if text[i] == "`":
            run = re.match(r"`+", text[i:]).group()  # type: ignore[union-attr]
            close = re.compile(rf"(?<!`){run}(?!`)").search(text, i + len(run))
            if close:
                out.append("\x01")
                i = close.end()
                continue
            out.append(run)
            i += len(run)
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


_LIVE = {
    "raw HTML or autolink": r"<[A-Za-z/!?]",
    "link": r"\]\s*[(\[]",
    "image": r"!\[",
    "URL autolink": r"(?i)\b(?:https?|javascript|vbscript|data):|www\.",
    "math": r"\$",
    "directive": r":[a-z]+(?:\[|/)",
}


def _live_markdown(text: str) -> list[str]:
    """Markdown constructs that would render as more than text (escapes removed first)."""
    plain = _MD_ESCAPE.sub("\x00", _strip_code_spans(text))
    return [f"{name}: {m.group()!r} in {text[:200]!r}" for name, rx in _LIVE.items()
            for m in re.finditer(rx, plain)]


def _markdown_values(at: AppTest) -> list[str]:
    """The markdown source of every element that renders markdown (main and sidebar)."""
    values = [e.value for kind in ("markdown", "caption", "error", "warning", "info",
                                   "success", "title", "header", "subheader")
              for e in at.get(kind)]
    values += [m.label for m in at.metric]
    return [str(v) for v in values]


def _assert_no_live_markdown(at: AppTest) -> list[str]:
    values = _markdown_values(at)
    assert values
    live = [x for v in values for x in _live_markdown(v)]
    assert not live, live
    for v in values:
        for p in MARKUP:
            assert p not in v, (p, v)
    return values


def test_dashboard_renders_data_as_text(hostile: Path,
                                        run_page: Callable[..., AppTest]) -> None:
    at = run_page("dashboard.py", data=str(hostile))
    assert not at.exception, at.exception
    _assert_no_live_markdown(at)
    ids = at.selectbox(key="incident").options
    at.selectbox(key="incident").set_value(ids[0]).run()  # location etc. in markdown
    assert not at.exception, at.exception
    shown = " ".join(_assert_no_live_markdown(at))
    assert md_text(PAYLOADS[0]) in shown  # shown, as text
    claimant = next(o for o in at.sidebar.selectbox(key="figures").options
                    if o.startswith("claimant:") and "<" in o)
    at.sidebar.selectbox(key="figures").set_value(claimant).run()  # the caption names it
    assert not at.exception, at.exception
    assert md_text(claimant.removeprefix("claimant:")) in " ".join(_assert_no_live_markdown(at))


def test_dashboard_load_errors_render_values_as_text(tmp_path: Path, gaz: Gazetteer,
                                                     run_page: Callable[..., AppTest]) -> None:
    folder = build_hostile(tmp_path / "bad", gaz)
    path = folder / "claims.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for i, p in enumerate(MARKUP):  # invalid values are quoted in the error
        df.loc[i, "category"] = p
        df.loc[len(MARKUP) + i, "claim_id"] = p
    df.to_csv(path, index=False)
    at = run_page("dashboard.py", data=str(folder))
    assert not at.exception and "rows rejected" in at.warning[0].value  # the rest loads
    _assert_no_live_markdown(at)
    problems = next(d.value for d in at.dataframe if "message" in d.value.columns)
    shown = set(problems["value"])  # a grid of plain text cells, never rendered as markup
    assert set(MARKUP) <= shown
    assert "2" in set(problems.loc[problems["file"] == "claims.csv", "row"])


def test_gazetteer_page_renders_names_as_text(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/1_Gazetteer.py")
    at.text_area(key="names").input("\n".join(["Quetta", *MARKUP])).run()
    assert not at.exception, at.exception
    assert at.warning, "unresolved names are listed"
    _assert_no_live_markdown(at)


# --- CSV export -----------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _formulas(rows: list[list[str]]) -> list[str]:
    return [c for r in rows for c in r
            if c[:1] in DANGER and not _NUMBER.fullmatch(c)]


# 60 x 18 incidents, all located: text columns stay categoricals up to the export.
@pytest.mark.parametrize("copies", [1, 60])
def test_csv_export_neutralises_formulas_keeps_numbers(tmp_path: Path, gaz: Gazetteer,
                                                       copies: int) -> None:
    ds = load_dataset(build_hostile(tmp_path / "d", gaz, copies=copies,
                                    locate_all=copies > 1))
    s = summarise(ds, gaz, "lowest")
    frame = incident_frame(s, ds)
    rows = _rows(export_bytes(frame, "csv"))
    assert not _formulas(rows), _formulas(rows)[:5]
    header, body = rows[0], rows[1:]
    assert len(body) == len(frame) == 18 * copies
    assert "'" + EXTRA in header
    back = dict(zip(header, zip(*body, strict=True), strict=True))
    for col in frame.columns.drop("geometry"):
        got, want = back[csv_cell(col)], frame[col].tolist()
        for g, w in zip(got, want, strict=True):
            if isinstance(w, str):
                assert g == (w if w[:1] not in DANGER or _NUMBER.fullmatch(w)
                             else "'" + w), (col, g, w)
            elif isinstance(w, float) and not isinstance(w, bool):
                assert (g == "" and math.isnan(w)) or float(g) == w, (col, g, w)
            elif isinstance(w, int) and not isinstance(w, bool):
                assert int(g) == w, (col, g, w)
    extra = set(back["'" + EXTRA])
    assert set(NUMBER_TEXTS) <= extra  # number-like text is not prefixed


def test_csv_cli_export_neutralises_formulas(hostile: Path) -> None:
    res = CliRunner().invoke(main, ["export", "--data", str(hostile), "--format", "csv",
                                    "--out", "-"])
    assert res.exit_code == 0, res.output
    rows = _rows(res.stdout_bytes)
    assert len(rows) == 19 and not _formulas(rows), _formulas(rows)[:5]


_settings = settings(deadline=None, max_examples=200,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
_numbers = st.one_of(st.integers(-10**12, 10**12),
                     st.floats(allow_nan=False, allow_infinity=False, width=64))


@_settings
@given(values=st.lists(_numbers, min_size=1, max_size=8), texts=st.lists(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=12), min_size=1, max_size=8))
def test_csv_numbers_round_trip_and_formulas_are_prefixed(
        tmp_path: Path, values: list[float], texts: list[str]) -> None:
    n = max(len(values), len(texts))
    values = (values * n)[:n]
    texts = (texts * n)[:n]
    starts = [c + t for c, t in zip("=+-@\t\r" * n, texts, strict=False)]
    df = pd.DataFrame({"n": pd.Series(values, dtype=float), "text": texts,
                       "formula": starts, "number_text": [repr(v) for v in values],
                       "cat": pd.Categorical(starts)})
    path = tmp_path / "x.csv"
    write_csv(df, path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert [float(v) for v in back["n"]] == [float(v) for v in values]
    assert back["number_text"].tolist() == [repr(v) for v in values]
    for col in ("formula", "cat"):
        assert back[col].tolist() == ["'" + s if not _NUMBER.fullmatch(s) else s
                                      for s in starts]
    assert back["text"].tolist() == [csv_cell(t) for t in texts]


@given(st.one_of(_numbers, st.from_regex(_NUMBER, fullmatch=True)))
def test_csv_cell_leaves_numbers_alone(value: float | str) -> None:
    assert csv_cell(value) == value or value != value


@given(st.sampled_from("=+-@\t\r"), st.text())
def test_csv_cell_prefixes_formula_text(first: str, rest: str) -> None:
    text = first + rest
    assert csv_cell(text) == (text if _NUMBER.fullmatch(text) else "'" + text)


def test_csv_cell_examples() -> None:
    assert [csv_cell(v) for v in ("-5", "+3.2", "1e-3", "-\u0663", "-inf", "=1", "'=1", "")] \
        == ["-5", "+3.2", "1e-3", "'-\u0663", "'-inf", "'=1", "'=1", ""]
    assert csv_cell(-5) == -5 and csv_cell(None) is None and csv_cell(True) is True


# --- the helpers ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [*PAYLOADS, "a\\<b>", "line\n# heading", "_x_ ~~y~~ | t |",
                                  "1. one", "www.evil.example", "x@evil.example"])
def test_md_text_leaves_nothing_live(text: str) -> None:
    out = md_text(text)
    assert not _live_markdown(out), out
    assert "\n" not in out and "\r" not in out
    assert re.sub(r"\\(.)", r"\1", out) == re.sub(r"\r\n|[\r\n]", " ", text)  # same text


@pytest.mark.parametrize("url", [*BAD_URLS, "  javascript:alert(1)", "java\nscript:x",
                                 "//evil.example/x", "https:evil", "file:///etc/passwd",
                                 "http://a b", "", None, float("nan")])
def test_only_http_urls_become_links(url: str | None) -> None:
    assert safe_url(url) is None
    assert "<a" not in html_link("t", url) and "](" not in md_link("t", url)


@pytest.mark.parametrize("url", ["http://example.org", "HTTPS://example.org/a?b=1&c=(2)"])
def test_http_urls_become_links(url: str) -> None:
    assert safe_url(url) == url
    p = _parse(html_link("<b>t</b>", url))
    assert [(t, dict(a)["href"]) for t, a in p.tags] == [("a", url)]
    assert md_link("t", url).lower().startswith("[t](http") and " " not in md_link("t", url)


def test_cli_never_sends_control_characters_from_data_to_the_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from click.testing import CliRunner

    from geo.bundled import dataset_dir

    folder = tmp_path / "ds"
    shutil.copytree(dataset_dir(), folder)
    text = (folder / "claims.csv").read_text(encoding="utf-8")
    (folder / "claims.csv").write_text(
        text.replace("C001,,Balochistan", "C001,,Bal\x1b]0;pwned\x07och\x9b2Jistan"),
        encoding="utf-8")
    out = "".join(CliRunner().invoke(main, [cmd, "--data", str(folder)]).output
                  for cmd in ("validate", "summary"))
    assert "pwned" in out  # the value is shown, its control characters escaped
    assert not any(c in out for c in "\x1b\x07\x9b")
    from geo.cli.options import echo

    echo("x\x1b[2J\x9b\ty")  # every line the CLI prints goes through echo
    assert capsys.readouterr().out == "x\\u001b[2J\\u009b\ty\n"


def test_source_links_are_http_only(hostile: Path, gaz: Gazetteer) -> None:
    from geo.dataset.claims import area_claims, incident_claims

    ds = load_dataset(hostile)
    links = [*area_claims(ds)["link"], *incident_claims(ds, "BAL26-005")["link"]]
    assert links and all(u is None or u.startswith(("http://", "https://")) for u in links)
    ok = ds.sources.assign(url="https://example.org/report?id=1")
    import dataclasses

    good = incident_claims(dataclasses.replace(ds, sources=ok), "BAL26-005")
    assert set(good["link"]) == {"https://example.org/report?id=1"}


def test_static_map_svg_and_pdf_carry_no_markup_from_the_data(hostile: Path,
                                                              gaz: Gazetteer) -> None:
    from geo.maps.static.render import map_bytes, render_map

    ds = load_dataset(hostile)
    fig = render_map(summarise(ds, gaz, "lowest"), gaz, ds, dpi=60)
    svg = map_bytes(fig, "svg").decode("utf-8")
    p = _parse(svg)
    assert not _live_attrs(p), _live_attrs(p)[:3]
    assert not p.scripts and {t for t, _ in p.tags}.isdisjoint({"img", "foreignobject", "a"})
    assert "&lt;script&gt;alert(1)" in svg  # the payloads are there, as escaped text
    assert map_bytes(fig, "pdf").startswith(b"%PDF") and b"/JavaScript" not in map_bytes(
        fig, "pdf")
