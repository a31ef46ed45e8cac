"""The dashboard's filters (UI layer): read from the URL, drawn as sidebar widgets.

One place decides what a link means: :func:`from_url` gives the view a query string
names (each value checked against the dataset's options, anything else left at its
default), and :func:`draw` draws the widgets with exactly those defaults and returns
the :class:`View` they show: a :class:`geo.analysis.filter.Filter` (what the summary
takes) and how the page shows it (layers, shading, tiles, briefing).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.state.query_params_proxy import QueryParamsProxy

from geo.analysis.analysed import Analysis
from geo.analysis.filter import Filter
from geo.dataset.policy import Policy
from geo.dataset.schema import CATEGORIES
from geo.maps.symbology import CATEGORY_LABELS

__all__ = ["MEASURES", "SIZES", "TITLE_LIMIT", "Options", "View", "at_text",
           "draw", "drawn", "from_url", "options", "parse_at", "policy_label", "reset_widgets",
           "url_warnings"]

SIZES = ("1920x1080", "a4-landscape")
"""Briefing sizes (``size`` in the URL)."""

MEASURES = ("incidents", *CATEGORIES)
"""What the districts can be shaded by (``shade`` in the URL)."""

TITLE_LIMIT = 120
"""Characters of a briefing title (``title`` in the URL)."""


def parse_at(text: object) -> tuple[float, float, int] | None:
    """The map view ``at=lat,lon,zoom`` of a link (``"29.9,66.8,8"``), or None when
    *text* is not one (latitude -90..90, longitude -180..180, zoom 0..18).

    Examples
    --------
    >>> parse_at("29.91,66.8,8"), parse_at("91,0,5"), parse_at("x")
    ((29.91, 66.8, 8), None, None)
    """
    parts = str(text or "").split(",")
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        return None
    if len(parts) != 3 or not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 18):
        return None
    return lat, lon, zoom


def at_text(lat: float, lon: float, zoom: int) -> str:
    """``at`` for a link: ``"29.9123,66.8000,8"`` (4 decimals: about 10 m)."""
    return f"{lat:.4f},{lon:.4f},{int(zoom)}"


@dataclasses.dataclass(frozen=True)
class Options:
    """What the filters can take for one dataset."""

    first: dt.date
    last: dt.date
    events: list[str]
    districts: list[str]  # "All" first
    policies: list[str]
    sources: list[str]
    find_district: Callable[[str], str | None] = lambda _name: None
    """A district of :attr:`districts` named in any spelling the gazetteer knows
    (case, variants, aliases: "quetta", "Noshki"), else None."""
    publishers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Each source id's publisher, for the policy labels."""


@dataclasses.dataclass(frozen=True)
class View:
    """One view of the page: the filter, and how the page shows its result."""

    filter: Filter
    categories: tuple[str, ...]  # the casualty layers shown
    measure: str  # the district shading: "incidents" or a category
    tiles: bool
    briefing: bool
    size: str
    title: str = ""  # the briefing's title; empty: the default one

    def file_stem(self, dataset: str) -> str:
        """A download's name for this view: dataset, place, dates and policy, as
        ``balochistan-2026_quetta_2026-01-30_2026-02-01_official``."""
        f = self.filter
        dates = [d.isoformat() for d in (f.date_from, f.date_to) if d]
        parts = [dataset, f.district or "all-districts", *dates, str(f.policy)]
        return "_".join(p for p in (_slug(x) for x in parts) if p)

    def query(self, data: str | None) -> dict[str, Any]:
        """The query string that names this view (and the dataset *data*, if any)."""
        f = self.filter
        return {
            "from": f.date_from.isoformat() if f.date_from else "",
            "to": f.date_to.isoformat() if f.date_to else "",
            "event": list(f.event_types), "district": f.district or "",
            "layer": list(self.categories), "shade": self.measure, "figures": str(f.policy),
            "source": list(f.sources), "tiles": "1" if self.tiles else "0",
            **({"view": "briefing", "size": self.size} if self.briefing else {}),
            **({"title": self.title} if self.title else {}),
            **({"data": data} if data else {}),
        }


def _slug(text: str) -> str:
    """Lower-case letters, digits, ``-`` and ``.``: safe in a file name anywhere."""
    return re.sub(r"[^a-z0-9.]+", "-", text.casefold()).strip("-.")[:60]


def options(an: Analysis) -> Options:
    """The filter options of an analysed dataset. Dates span its incidents and the
    periods of its area-wide figures."""
    ds = an.dataset
    first, last = (d.date() if d is not None else dt.date.today() for d in an.span)
    sources = list(ds.sources["source_id"].astype(str))
    districts = sorted(map(str, an.located.incidents["district"].dropna().unique()))

    def find_district(name: str) -> str | None:
        unit = an.gazetteer.admin_unit(name) if name.strip() else None
        return unit[1] if unit and unit[0] == "district" and unit[1] in districts else None

    return Options(
        first=first, last=last,
        events=sorted(map(str, ds.incidents["event_type"].unique())),  # distinct, then text
        districts=["All", *districts],
        policies=["lowest", "official", "highest", *[f"source:{s}" for s in sources],
                  *[f"claimant:{c}" for c in sorted(map(str, ds.claims["claimant"].unique()))]],
        sources=sources, find_district=find_district,
        publishers=dict(zip(sources, ds.sources["publisher"].astype(str), strict=True)))


POLICY_WORDS = {
    "lowest": ("Lowest claim (conservative)",
               "the lowest figure anyone but militants gives, as ACLED codes until "
               "corroborated"),
    "official": ("Official figures",
                 "the latest figure of the government, military, police or unnamed "
                 "officials; never a militant claim"),
    "highest": ("Highest claim",
                "the highest figure anyone but militants gives"),
}
"""Each fixed policy's label and one-sentence meaning."""


def policy_label(policy: str, o: Options) -> str:
    """The figure policy in words: "Lowest claim (conservative)", "As reported by S001
    (publisher)", "As claimed by Baloch Liberation Army"."""
    if policy in POLICY_WORDS:
        return POLICY_WORDS[policy][0]
    kind, _, arg = policy.partition(":")
    if kind == "source":
        who = o.publishers.get(arg, "")
        return f"As reported by {arg}" + (f" ({who})" if who else "")
    return f"As claimed by {arg}"


POLICY_HELP = (
    "Which claim gives each figure; every claim stays in the data. "
    + " ".join(f"**{label}**: {meaning}." for label, meaning in POLICY_WORDS.values())
    + " **As reported by a source / claimed by a claimant**: that source's or claimant's "
      "latest figure. A figure only militants give is shown marked and never summed.")


def _day(q: Mapping[str, Any], key: str, o: Options, default: dt.date) -> dt.date:
    try:
        return min(max(dt.date.fromisoformat(q.get(key, "")), o.first), o.last)
    except (TypeError, ValueError):
        return default


def _one(q: Mapping[str, Any], key: str, choices: list[str], default: str) -> str:
    got = q.get(key)
    return got if got in choices else default


def _view(date_from: dt.date, date_to: dt.date, events: list[str], district: str,
          categories: list[str], measure: str, policy: str, sources: list[str], tiles: bool,
          briefing: bool, size: str, title: str) -> View:
    return View(Filter(date_from=date_from, date_to=date_to, event_types=tuple(events),
                       district=None if district == "All" else district,
                       sources=tuple(sources), policy=Policy.parse(policy)),
                categories=tuple(c for c in CATEGORIES if c in categories), measure=measure,
                tiles=tiles, briefing=briefing, size=size,
                title=" ".join(str(title).split())[:TITLE_LIMIT])


def from_url(q: QueryParamsProxy, o: Options) -> View:
    """The view the query string *q* names; a value the dataset does not offer is left
    at its default (everything shown, lowest figures)."""
    def many(key: str, choices: list[str]) -> list[str]:
        return [v for v in q.get_all(key) if v in choices]

    date_from, date_to = _day(q, "from", o, o.first), _day(q, "to", o, o.last)
    if date_to < date_from:  # a range that ends before it starts: the whole span
        date_from, date_to = o.first, o.last
    district = _one(q, "district", o.districts, "All")
    if district == "All" and q.get("district"):  # "quetta", "Noshki": the same district
        district = o.find_district(str(q.get("district"))) or "All"
    return _view(
        date_from, date_to, many("event", o.events), district,
        many("layer", list(CATEGORIES)) or list(CATEGORIES),
        _one(q, "shade", list(MEASURES), MEASURES[0]), _one(q, "figures", o.policies, "lowest"),
        many("source", o.sources), q.get("tiles") == "1", q.get("view") == "briefing",
        _one(q, "size", list(SIZES), SIZES[0]), q.get("title", ""))


def url_warnings(q: QueryParamsProxy, o: Options, v: View) -> list[str]:
    """What the link asked for that the page does not show, one plain sentence each
    (parameter, what was asked, what is shown instead); empty when all was honoured.

    Parameters
    ----------
    q : QueryParamsProxy
        The query string.
    o : Options
        The dataset's filter options.
    v : View
        What :func:`from_url` made of *q*.

    Returns
    -------
    list of str
        Plain text (escape it for markdown).
    """
    out = []
    f = v.filter
    span = f"{o.first} to {o.last}"
    for key, got in (("from", f.date_from), ("to", f.date_to)):
        asked = q.get(key)
        if not asked:
            continue
        try:
            day = dt.date.fromisoformat(str(asked))
        except ValueError:
            out.append(f"{key}: '{asked}' is not a date (YYYY-MM-DD); showing {got}.")
            continue
        if day != got:
            out.append(f"{key}: {day} is outside the data ({span}); showing {got}.")
    asked = q.get("district")
    if asked and asked != (f.district or "All") and f.district is None:
        out.append(f"district: '{asked}' is not a district with incidents here; "
                   "showing all districts.")
    asked = q.get("figures")
    if asked and asked != str(f.policy):
        out.append(f"figures: '{asked}' is not a figure policy of this dataset; showing "
                   f"{policy_label(str(f.policy), o).lower()}.")
    for key, choices, shown in (("event", o.events, f.event_types),
                                ("source", o.sources, f.sources),
                                ("layer", list(CATEGORIES), v.categories)):
        for value in q.get_all(key):
            if value not in choices:
                out.append(f"{key}: '{value}' is not one of this dataset's; "
                           + ("left out." if shown else "showing all."))
    for key, choices, got in (("shade", list(MEASURES), v.measure),
                              ("size", list(SIZES), v.size)):
        asked = q.get(key)
        if asked and asked not in choices:
            out.append(f"{key}: '{asked}' is not an option; showing {got}.")
    if (asked := q.get("at")) and parse_at(asked) is None:
        out.append(f"at: '{asked}' is not a map view (latitude,longitude,zoom); showing "
                   "the incidents' extent.")
    if len(asked := " ".join(str(q.get("title", "")).split())) > TITLE_LIMIT:
        out.append(f"title: cut to its first {TITLE_LIMIT} characters.")
    return out


def reset_widgets(v: View) -> None:
    """Set the filter widgets to show *v* (another dataset's extent).

    Set, not removed from the session: a widget removed from the session state comes
    back with its new default on the server, but the browser keeps showing (and sends
    back at the next change) the value it had, the previous dataset's dates.
    """
    f = v.filter
    st.session_state.update({
        "dates": (f.date_from, f.date_to), "events": list(f.event_types),
        "district": f.district or "All", "layers": list(v.categories), "shade": v.measure,
        "figures": str(f.policy), "sources": list(f.sources)})


def drawn() -> bool:
    """Whether this session's filter widgets exist (drawn in an earlier run): until
    then the view is the one the URL names."""
    return "district" in st.session_state


def draw(sb: DeltaGenerator, q: QueryParamsProxy, o: Options) -> View:
    """Draw the filter widgets in *sb*, with the URL's view as defaults; return the
    view they show."""
    d = from_url(q, o)
    f = d.filter
    sb.header("Filters")
    span = sb.date_input("Date range", (f.date_from, f.date_to), o.first, o.last,
                         key="dates")
    date_from, date_to = ((span[0], span[-1]) if isinstance(span, tuple) and span
                          else (o.first, o.last))
    events = sb.multiselect("Event type", o.events, list(f.event_types), key="events")
    district = sb.selectbox("District", o.districts,
                            index=o.districts.index(f.district or "All"), key="district")
    categories = sb.multiselect("Casualty layers", list(CATEGORIES), list(d.categories),
                                format_func=CATEGORY_LABELS.get, key="layers")
    measure = sb.selectbox(
        "District shading", MEASURES, index=MEASURES.index(d.measure),
        format_func=lambda c: "Incidents" if c == "incidents" else CATEGORY_LABELS[c],
        key="shade")
    policy = sb.selectbox(
        "Figure policy", o.policies, index=o.policies.index(str(f.policy)), key="figures",
        format_func=lambda p: policy_label(p, o), help=POLICY_HELP)
    sources = sb.multiselect("Reported by source", o.sources, list(f.sources), key="sources",
                             format_func=lambda sid: f"{sid}: {o.publishers.get(sid, '')}")
    tiles = sb.toggle("Offer online tile layers", value=d.tiles, key="tiles")
    briefing = sb.toggle("Briefing view (screenshot-ready)", value=d.briefing, key="briefing")
    size = sb.selectbox("Briefing size", SIZES, index=SIZES.index(d.size), key="size")
    title = sb.text_input("Briefing title", d.title, max_chars=TITLE_LIMIT, key="title",
                          placeholder="Incidents and casualty claims, <province>",
                          help="The static map's title (PNG, PDF, SVG and briefing view).")
    return _view(date_from, date_to, events, district, categories, measure, policy,
                 sources, tiles, briefing, size, title)
