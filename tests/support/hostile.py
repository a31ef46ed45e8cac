"""Hostile content for the escaping tests: a copy of the bundled dataset with script,
HTML, markdown, JavaScript-URL, template-literal and spreadsheet-formula payloads in every
free-text field of every table (plus an unknown column whose name is a formula), still
valid; and the checks that nothing from it became live markup or a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import folium
import pandas as pd
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.bundled import dataset_dir
from geo.maps.web.pointlayers import popup_table
from geo.maps.web.viewlayers import ViewFinish, walk

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
            elif table == "incidents" and (i % 2 == 0 or locate_all) and original["location"]:
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

_ALLOWED_TAGS = {"div", "span", "b", "br", "p", "table", "tr", "th", "td"}
"""Tags our popups, tooltips and legend write; anything else in them came from data."""

class Markup(HTMLParser):
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

def parse_html(text: str) -> Markup:
    p = Markup()
    p.feed(text)
    p.close()
    return p

def live_attrs(p: Markup) -> list[str]:
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

def check_fragment(fragment: str, where: str) -> None:
    """An HTML string built by us around data: only our tags, no handlers, no JS URLs."""
    p = parse_html(fragment)
    tags = {t for t, _ in p.tags}
    assert tags <= _ALLOWED_TAGS, (where, tags - _ALLOWED_TAGS, fragment[:300])
    assert not live_attrs(p), (where, live_attrs(p))

def check_document(page: str) -> None:
    """The whole map file: folium's own scripts only, no live markup from the data."""
    p = parse_html(page)
    assert not live_attrs(p), live_attrs(p)
    assert not {t for t, _ in p.tags} & {"svg", "img", "iframe", "object", "embed"}
    for script in p.scripts:
        # Data sits in scripts as JSON or in tooltip template literals; neither may
        # hold the payloads' markup or a way out of the literal.
        for bad in ("<script", "<img", "<svg"):
            assert bad not in script, bad
    # folium.Tooltip writes its text into a JavaScript template literal.
    for literal in re.findall(r"bindTooltip\(\s*`(.*?)`\s*,\s*\{", page, flags=re.S):
        assert "`" not in literal and "${" not in literal, literal
        check_fragment(literal, "template literal")
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

def check_map(m: folium.Map) -> None:
    page = m.get_root().render()
    check_document(page)
    n = 0
    for f, fields in _features(m):
        for key in fields:
            check_fragment(str(f["properties"][key]), key)
            n += 1
    for key, texts in popup_table(m).items():  # popups and tooltips, written once
        for text in texts:
            check_fragment(str(text), key)
            n += 1
    assert n, "the map holds features with text"
    legends = [el.render() for el in m.get_root().html._children.values()
               if type(el) is folium.Element]  # attribution
    legends += [json.loads(el.legend_json) for el in walk(m) if isinstance(el, ViewFinish)]
    assert legends
    for legend in legends:
        check_fragment(legend, "legend")

def hostile_gazetteer(gaz: Gazetteer) -> SimpleNamespace:
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

def live_markdown(text: str) -> list[str]:
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

def assert_no_live_markdown(at: AppTest) -> list[str]:
    values = _markdown_values(at)
    assert values
    live = [x for v in values for x in live_markdown(v)]
    assert not live, live
    for v in values:
        for p in MARKUP:
            assert p not in v, (p, v)
    return values

NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))

def formulas(rows: list[list[str]]) -> list[str]:
    return [c for r in rows for c in r
            if c[:1] in DANGER and not NUMBER.fullmatch(c)]
