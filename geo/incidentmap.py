"""The interactive incident map: casualty layers, district choropleth, honest precision.

Everything is drawn with no tile server: provinces and districts from the bundled
boundaries are the basemap; OpenStreetMap and CartoDB tiles are optional overlays,
off by default. Each casualty category is one ``GeoJson`` layer of circle markers
(area proportional to the count, canvas renderer), so a few thousand incidents stay
one JavaScript object per layer instead of one Python object per point. Above
``max_points`` located incidents the point layers are left out and the district
choropleth carries the map (said in the legend).

Every text from data is HTML-escaped here (:func:`geo.textsafe.html_text`), before it
reaches a popup, tooltip or the legend: folium's ``GeoJsonPopup`` and
``GeoJsonTooltip`` insert property values as HTML.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.gazetteer import Gazetteer
from geo.match import PRECISION_MEANING
from geo.schema import CATEGORIES
from geo.summary import Summary
from geo.symbology import (
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    NEUTRAL,
    NO_FIGURE,
    legend_sizes,
    no_figure,
    radius,
)
from geo.textsafe import html_text as _esc
from geo.webassets import make_offline
from geo.webmap import add_attribution, bounds

__all__ = ["CHOROPLETH_RAMP", "MAX_POINTS", "NO_FIGURE", "incident_map"]

MAX_POINTS = 5000
"""Located incidents above which only the district choropleth is drawn."""

CHOROPLETH_RAMP = ("#ececec", "#cccccc", "#a8a8a8", "#858585", "#636363")
"""Five classes, light to dark grey: no hue, so the casualty colours stay readable on top."""

_TILES = (
    ("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
     "&copy; OpenStreetMap contributors"),
    ("CartoDB light (online)", "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
     "&copy; OpenStreetMap contributors &copy; CARTO"),
)


def _fmt(best: float, low: float, high: float) -> str:
    if np.isnan(best) and np.isnan(low):
        return "no figure under this policy"
    text = "—" if np.isnan(best) else f"{best:,.0f}"
    if not np.isnan(low) and not np.isnan(high) and low != high:
        text += f" (claims range {low:,.0f}–{high:,.0f})"
    return text


def _popup(r: dict[str, Any]) -> str:
    """Escaped HTML: place, district, date, type, description, figures, sources."""
    prec = int(r.get("geo_precision") or 3)
    rows = [
        ("Place", f"{_esc(r.get('location'))} &rarr; {_esc(r.get('place'))}"),
        ("District", f"{_esc(r.get('district'))}, {_esc(r.get('province'))}"),
        ("Date", _esc(str(r.get("event_date"))[:10])),
        ("Event", f"{_esc(r.get('event_type'))}: {_esc(r.get('sub_event_type'))}"),
        ("Precision", f"{prec}: {_esc(PRECISION_MEANING.get(prec, ''))}"),
    ]
    for cat in CATEGORIES:
        if r.get(f"{cat}_n", 0):
            rows.append((_esc(CATEGORY_LABELS[cat]),
                         _esc(_fmt(r[f"{cat}_best"], r[f"{cat}_low"], r[f"{cat}_high"]))))
    rows.append(("Sources", _esc(r.get("source_ids"))))
    if r.get("also_here"):
        rows.append(("Same point", _esc(r["also_here"])))
    body = "".join(f"<tr><th style='text-align:left;padding-right:6px'>{k}</th><td>{v}</td></tr>"
                   for k, v in rows)
    desc = _esc(r.get("description"))
    return (f"<div style='font-size:12px'><b>{_esc(r.get('incident_id'))}</b>"
            f"<table>{body}</table>"
            + (f"<p style='max-width:320px;margin:4px 0 0'>{desc}</p>" if desc else "")
            + "</div>")


def _points(incidents: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """One dict per located incident with its escaped popup and tooltip."""
    cols = [c for c in incidents.columns if c != "geometry"]
    records = pd.DataFrame(incidents[cols]).astype(
        {c: object for c in cols if isinstance(incidents[c].dtype, pd.CategoricalDtype)}
    ).to_dict("records")
    # Incidents coded at the same point overlap exactly: each popup names the others.
    at: dict[tuple[float, float], list[str]] = {}
    for r in records:
        at.setdefault((r["lon"], r["lat"]), []).append(str(r["incident_id"]))
    out = []
    for r in records:
        r["also_here"] = ", ".join(i for i in at[(r["lon"], r["lat"])]
                                   if i != str(r["incident_id"]))
        r["popup"] = _popup(r)
        r["tooltip"] = (f"{_esc(r.get('place') or r.get('location'))} "
                        f"({_esc(str(r.get('event_date'))[:10])})")
        out.append(r)
    return out


def _feature(r: dict[str, Any], radius_px: float, category: str) -> dict[str, Any]:
    """A point Feature of one incident in one layer (symbol size and escaped texts)."""
    props = {"incident_id": str(r["incident_id"]), "radius": radius_px,
             "precision": int(r["geo_precision"]), "popup": r["popup"],
             "tooltip": r["tooltip"], "category": category}
    return {"type": "Feature", "geometry": {"type": "Point",
                                            "coordinates": [float(r["lon"]), float(r["lat"])]},
            "properties": props}


def _layer(name: str, features: list[dict[str, Any]], colour: str, show: bool
           ) -> folium.GeoJson:
    def style(f: dict[str, Any]) -> dict[str, Any]:
        p = f["properties"]
        exact = p["precision"] == 1
        # Precision 2-3: hollow and dashed, so nobody reads them as exact places.
        return {"radius": p["radius"], "color": colour, "weight": 1.5 if exact else 2,
                "fill": exact, "fillColor": colour, "fillOpacity": 0.55 if exact else 0.0,
                "dashArray": None if exact else "4 3", "opacity": 0.9}
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name=name, show=show,
        marker=folium.CircleMarker(), style_function=style,
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=360),
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    )


def _choropleth(summary: Summary, gazetteer: Gazetteer, measure: str
                ) -> tuple[folium.GeoJson, list[tuple[str, str]]]:
    """District polygons of the provinces in view, coloured by *measure*."""
    d = gazetteer.boundaries.districts
    provinces = set(summary.incidents["province_pcode"].dropna().astype(str))
    d = d[d["province_pcode"].isin(provinces)] if provinces else d.iloc[:0]
    col = "incidents" if measure == "incidents" else f"{measure}_best"
    per_pcode = pd.Series(summary.districts[col].to_numpy(dtype=float),
                          index=summary.districts["district_pcode"].astype(str))
    v = per_pcode.reindex(d["district_pcode"].astype(str)).to_numpy(dtype=float)
    top = float(np.nanmax(v)) if np.isfinite(v).any() else 0.0
    # Whole-number classes (counts): one per value when few, else five equal steps.
    edges = np.unique(np.ceil(np.linspace(0, top, len(CHOROPLETH_RAMP) + 1)[1:]))
    edges = edges[edges > 0]
    ramp = [CHOROPLETH_RAMP[j] for j in
            np.linspace(0, len(CHOROPLETH_RAMP) - 1, len(edges)).round().astype(int)]
    label = "incidents" if measure == "incidents" else CATEGORY_LABELS[measure].lower()
    feats = []
    for (_, row), val in zip(d.iterrows(), v, strict=True):
        k = int(np.searchsorted(edges, val, "left")) if np.isfinite(val) and val > 0 else -1
        tip = (f"<b>{_esc(row['district_name'])}</b> ({_esc(row['province_name'])})<br>"
               + (f"{val:,.0f} {label}" if np.isfinite(val) else f"no {label}"))
        feats.append({"type": "Feature", "geometry": row["geometry"].__geo_interface__,
                      "properties": {"tooltip": tip, "fill": ramp[k] if k >= 0 else ""}})

    def style(f: dict[str, Any]) -> dict[str, Any]:
        fill = f["properties"]["fill"]
        return {"color": "#888", "weight": 0.7, "fillColor": fill or "#ffffff",
                "fillOpacity": 0.6 if fill else 0.0}
    layer = folium.GeoJson({"type": "FeatureCollection", "features": feats},
                           name=f"Districts: {label}", style_function=style,
                           tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False))
    lo = np.r_[0, edges[:-1]] + 1
    classes = [(ramp[i], f"{edges[i]:,.0f}" if lo[i] >= edges[i]
                else f"{lo[i]:,.0f}–{edges[i]:,.0f}") for i in range(len(edges))]
    return layer, [(c, f"{t} {'incident' if t == '1' and measure == 'incidents' else label}")
                   for c, t in classes]


def incident_map(summary: Summary, gazetteer: Gazetteer, *, choropleth: str = "incidents",
                 categories: tuple[str, ...] = CATEGORIES, online_tiles: bool = True,
                 max_points: int = MAX_POINTS) -> folium.Map:
    """Build the offline incident map for a summary.

    Parameters
    ----------
    summary : Summary
        From :func:`geo.summary.summarise` (its filters and figure policy apply).
    gazetteer : Gazetteer
        For the boundaries.
    choropleth : str
        ``"incidents"`` or a category of :data:`geo.schema.CATEGORIES`.
    categories : tuple of str
        Casualty layers to draw (the others are left out).
    online_tiles : bool
        Offer OpenStreetMap / CartoDB overlays (off until switched on).
    max_points : int
        Above this many located incidents, draw only the choropleth.

    Returns
    -------
    folium.Map
        Self-contained: Leaflet is inlined, no asset URL starts with ``http``.
    """
    if choropleth != "incidents" and choropleth not in CATEGORIES:
        raise ValueError(f"choropleth must be 'incidents' or a category, not {choropleth!r}")
    b = gazetteer.boundaries
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
    folium.GeoJson(
        b.provinces[["province_name", "geometry"]], name="Provinces", control=False,
        style_function=lambda _f: {"color": "#777", "weight": 1.2, "fillColor": "#f4f1ea",
                                   "fillOpacity": 1.0},
    ).add_to(m)
    if online_tiles:
        for name, url, attr in _TILES:
            folium.TileLayer(url, name=name, attr=attr, overlay=True, show=False).add_to(m)
    layer, classes = _choropleth(summary, gazetteer, choropleth)
    layer.add_to(m)
    inc = summary.incidents
    drawn: list[tuple[str, str, str]] = []  # (colour, label, how)
    sizes: list[int] = []
    largest = 0.0
    if 0 < len(inc) <= max_points:
        recs = _points(inc)
        best = {c: np.array([np.nan_to_num(r[f"{c}_best"]) for r in recs]) for c in categories}
        largest = max([float(v.max()) for v in best.values() if len(v)] + [0.0])
        sizes = legend_sizes(largest)
        for c in categories:
            r_px = radius(best[c], largest)
            feats = [_feature(r, float(px), c) for r, px in zip(recs, r_px, strict=True)
                     if px > 0]
            if feats:
                _layer(CATEGORY_LABELS[c], feats, CATEGORY_COLOURS[c], True).add_to(m)
                drawn.append((CATEGORY_COLOURS[c], CATEGORY_LABELS[c], f"{len(feats)} incidents"))
        # No positive figure in any category under this policy (none reported, or
        # only claims the policy does not accept): a small neutral marker, never gone.
        none = [_feature(r, 3.0, "") for r, n in zip(recs, no_figure(inc), strict=True) if n]
        if none:
            _layer(NO_FIGURE, none, NEUTRAL, True).add_to(m)
            drawn.append((NEUTRAL, NO_FIGURE, f"{len(none)} incidents"))
    folium.LayerControl(collapsed=True).add_to(m)
    _legend(m, summary, drawn, (sizes, largest), classes,
            points_left_out=len(inc) > max_points)
    # Room on the right for the legend, so it does not cover incidents.
    m.fit_bounds(bounds(inc if len(inc) else b.districts, pad=0.3),
                 padding_top_left=(10, 10), padding_bottom_right=(250, 10))
    return make_offline(m)


def _legend(m: folium.Map, summary: Summary, drawn: list[tuple[str, str, str]],
            scale: tuple[list[int], float], classes: list[tuple[str, str]],
            points_left_out: bool) -> None:
    sizes, largest = scale
    items = "".join(
        f"<div><span style='display:inline-block;width:11px;height:11px;border-radius:50%;"
        f"background:{c};opacity:.8;margin-right:4px'></span>{_esc(label)} "
        f"<span style='color:#666'>({_esc(how)})</span></div>" for c, label, how in drawn)
    size_row = "".join(
        f"<span style='display:inline-block;margin-right:6px;text-align:center'>"
        f"<span style='display:inline-block;border:1px solid #333;border-radius:50%;"
        f"width:{2 * r:.0f}px;height:{2 * r:.0f}px'></span><br>{v:,}</span>"
        for v, r in zip(sizes, radius(sizes, largest), strict=True))  # the map's scale
    ramp = "".join(f"<div><span style='display:inline-block;width:14px;height:10px;"
                   f"background:{c};border:1px solid #999;margin-right:4px'></span>"
                   f"{_esc(t)}</div>" for c, t in classes)
    note = ("<div><b>Too many incidents for points: districts only.</b></div>"
            if points_left_out else "")
    if len(summary.unresolved):
        note += (f"<div><b>{len(summary.unresolved):,} incidents not on the map</b> "
                 "(place not resolved).</div>")
    html_text = (
        "<div id='geo-legend' style='position:absolute;top:56px;right:10px;z-index:1000;"
        "background:rgba(255,255,255,.92);padding:4px 6px;font:11px sans-serif;"
        "max-width:230px;max-height:calc(100% - 120px);overflow:auto;"
        "border:1px solid #bbb;border-radius:4px'>"
        f"<b>Figures: {_esc(summary.policy.label)}</b>{note}{items}"
        + (f"<div style='margin-top:4px'>{size_row}</div>" if size_row else "")
        + "<div style='margin-top:4px'>Filled: precision 1 (the town). Hollow, dashed: "
          "near a town or only the district known (2-3).</div>"
        + (f"<div style='margin-top:4px'>{ramp}</div>" if ramp else "")
        + "</div>")
    m.get_root().html.add_child(folium.Element(html_text))  # type: ignore[attr-defined]
    add_attribution(m, left_px=110)  # right of the scale bar
