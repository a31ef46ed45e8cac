"""The incident page: incidents, casualty claims and district summaries on an offline map.

Widgets -> ``geo`` calls -> render; the caches are in :mod:`ui.data`, the filters and
the URL in :mod:`ui.filters`. The filters are mirrored in the URL query string, so a
view can be shared by link.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit_folium import st_folium

from geo import DataError
from geo.analysis.clusters import cluster_incidents
from geo.analysis.headline import headlines
from geo.analysis.summary import Summary
from geo.dataset.claims import area_claims, incident_claims
from geo.dataset.ingest import dataset_location, dataset_stamp
from geo.dataset.records import Dataset
from geo.dataset.rejects import problem_frame, rejects_zip
from geo.dataset.save import dataset_zip
from geo.export.tables import district_frame, export_bytes, incident_frame
from geo.gazetteer.match import PRECISION_MEANING, located_words
from geo.gazetteer.normalise import MAX_NAME_CHARS
from geo.maps.symbology import CATEGORY_LABELS
from geo.maps.web.incidentmap import base_map, describe_map, incident_layers, map_representation
from geo.textsafe import md_text
from ui.briefing import show_briefing
from ui.chrome import page_chrome
from ui.claimspanel import area_claims_md, incident_claims_md
from ui.data import (
    analysis_at,
    analysis_of_upload,
    default_dataset,
    keep_on_disk,
    load_gazetteer,
    roots,
    wait_warm,
    warming,
)
from ui.filters import (
    View,
    at_text,
    drawn,
    from_url,
    parse_at,
    reset_widgets,
    url_warnings,
)
from ui.filters import draw as draw_filters
from ui.filters import options as filter_options
from ui.sections import district_table, timeline_charts, top_districts, unresolved_table

# Up to this many incidents in view, the claims panel offers a list to pick from.
PICK_LIMIT = 5000
TITLE = "Incidents and casualty claims"
# The map: the same base (Leaflet, provinces) in every run, so its frame stays and only
# the layers (geo.maps.web.incidentmap.incident_layers) are replaced when a filter changes.
# It returns the clicked incident, and its centre: st_folium reports the centre once
# Leaflet has set the map up (and after a move), which ends a session's first view.
MAP_ARGS = {"height": 640, "use_container_width": True,
            "returned_objects": ["last_active_drawing", "center", "zoom"], "key": "map"}
FIRST_VIEW_SENT = "first_view_sent"  # session state: a first view was sent
AREA_OVERVIEW = 200  # area-wide claims in the overview (figures side by side)
AREA_DETAILS = 100  # area-wide claims written in full; beyond, the table


def page_frame() -> tuple[DeltaGenerator, DeltaGenerator, DeltaGenerator]:
    """The title, then the blocks of the status lines, the map and the headline: the
    same places in every run (while the server warms up too), so the map's frame is
    kept. The map comes first and fills the width."""
    page_chrome()
    st.title(TITLE)
    return st.container(), st.container(), st.container()


def data_report(ds: Dataset, uploaded: bool) -> None:
    """What the load left out and how it read other formats, with downloads of both."""
    if ds.problems:
        n = sum(len(r) for r in ds.rejected.values())
        st.warning(f"{n} row{'s' * (n != 1)} rejected ({len(ds.problems)} problem"
                   f"{'s' * (len(ds.problems) != 1)}); the valid rows are shown. Download "
                   "the rejected rows, fix them and add them back: nothing is lost.")
        with st.expander("Problems: file, row, field, value, what was expected"):
            st.dataframe(problem_frame(ds.problems), hide_index=True, key="problems")
            st.download_button("Rejected rows (zip)", lambda: rejects_zip(ds), "rejects.zip",
                               "application/zip", key="dl_rejects")
    if ds.notes:
        with st.expander(f"How values in other formats were read ({len(ds.notes)})"):
            st.dataframe(problem_frame(ds.notes), hide_index=True, key="notes")
    if uploaded:
        st.download_button("Your dataset as loaded (zip, valid rows)", lambda: dataset_zip(ds),
                           "dataset.zip", "application/zip", key="dl_dataset")


q = st.query_params
briefing = q.get("view") == "briefing"
st.set_page_config(page_title="Incident map", layout="wide",
                   initial_sidebar_state="collapsed" if briefing else "auto")
gaz = load_gazetteer()
limit_mb = int(st.get_option("server.maxUploadSize"))  # .streamlit/config.toml
uploads = st.sidebar.file_uploader(
    "Your dataset", type=["csv", "geojson", "parquet", "zip"], accept_multiple_files=True,
    key="upload", help=f"sources.csv, incidents.csv (or incidents.geojson) and claims.csv, "
    f"or the same tables as .parquet, or a zip of them; at most {limit_mb} MiB "
    f"({limit_mb * 2**20:,} bytes: the server counts a megabyte as 1,024 x 1,024 bytes).")
if uploads:
    st.sidebar.info("Your upload lives in this browser tab only: the filters start from "
                    "its dates; a reload shows the server's dataset again, and a link "
                    "shares the filters, not the data.")
if warming() and not uploads and not q.get("data") and not briefing:
    # A server just started: the map's frame loads while it reads the default dataset,
    # then the page runs again. Same places as below (page_frame, map), so the frame is
    # kept and only receives the layers.
    status, mapbox, _ = page_frame()
    status.caption("Reading the dataset...")
    with mapbox:
        st_folium(base_map(gaz), **MAP_ARGS)
    wait_warm()
    st.rerun()
try:
    if uploads:
        an = analysis_of_upload(tuple((f.name, f.file_id) for f in uploads), uploads,
                                limit_mb * 2**20)
    else:
        path = dataset_location(q["data"], roots()) if q.get("data") else default_dataset()
        an = analysis_at(path, dataset_stamp(path))
except DataError as exc:
    st.error("The dataset could not be loaded:\n\n" + "\n".join(
        f"- {md_text(p)}" for p in exc.problems[:50]))
    st.stop()

# --- filters (sidebar), initialised from the URL --------------------------------------
# Until the sidebar's widgets exist, the view is the one the link names: the map is sent
# before the widgets (drawn after it, showing the same view). A session's first run
# sends the headline and the map only; the map's first report of its centre starts the
# run that draws the rest, so the browser draws the map without building the widgets,
# the claims panel and the tabs at the same time (0.4 s sooner at 100,000 incidents,
# docs/performance.md). Later runs take the view from the widgets.
ds = an.dataset
# Another dataset (an upload, or an upload removed): the filters start from its own
# extent, not the last one's dates and district (which could hide valid incidents).
shown_data = tuple(f.file_id for f in uploads) if uploads else q.get("data", "")
opts = filter_options(an)
if st.session_state.get("shown_data", shown_data) != shown_data:
    for key in ("incident", "link"):
        st.session_state.pop(key, None)
    for key in ("from", "to", "event", "district", "source", "figures", "at"):
        if key in q:
            del q[key]
    if drawn():  # the widgets show the new extent (set, not dropped: see reset_widgets)
        reset_widgets(from_url(q, opts))
st.session_state["shown_data"] = shown_data
map_first = not drawn() and not briefing
v: View = from_url(q, opts) if map_first else draw_filters(st.sidebar, q, opts)
if "link" not in st.session_state:  # what the link asked for and does not get, said
    st.session_state["link"] = (v, url_warnings(q, opts, v))  # while its view is shown
st.query_params.from_dict({**v.query(q.get("data")), **({"at": q["at"]} if q.get("at") else {})})
s: Summary = an.summary(v.filter)
shown = list(v.categories)
stem = v.file_stem("upload" if uploads else ds.root.name)  # names of the downloads

# The map keeps the reader's view (zoom, centre) across filter changes: it is set only
# for a new dataset or district (fit to its incidents), or from the link's ``at`` when
# the session starts. The view the map reports goes back into the link.
view_for = f"{shown_data}|{v.filter.district or ''}"
if st.session_state.get("view_for") != view_for:
    st.session_state["view_at"] = (parse_at(q.get("at")) if "view_for" not in st.session_state
                                   else None)
    st.session_state["view_for"] = view_for


def static_map(fmt: str) -> bytes:
    """The briefing composition of this view (static, same filters), encoded as *fmt*."""
    from geo.maps.static.render import map_bytes, render_map  # matplotlib: 0.4 s, only when asked

    return map_bytes(render_map(s, gaz, ds, title=v.title or None, size=v.size,
                                categories=v.categories), fmt)


if v.briefing:
    show_briefing(static_map, v.size, stem)
    keep_on_disk(an)
    st.stop()

# The map's layers before anything else is drawn: what follows is then sent in one
# burst, and the browser does not redraw the page piece by piece while the server
# computes. Thousands of incidents are clustered (once, for the map and its caption).
clusters = (cluster_incidents(s.incidents)
            if map_representation(len(s.incidents)) == "clusters" else None)
layers = incident_layers(s, gaz, choropleth=v.measure, categories=v.categories,
                         clusters=clusters, online_tiles=v.tiles,
                         at=st.session_state["view_at"],
                         view_key=view_for)

# The status and headline blocks are filled after the map: the map is sent before the
# figures around it, so the browser draws it first.
status, mapbox, headline = page_frame()
with mapbox:
    state = st_folium(base_map(gaz), **MAP_ARGS, feature_group_to_add=layers)
centre, zoom = (state or {}).get("center"), (state or {}).get("zoom")
if centre and zoom is not None:
    st.query_params["at"] = at_text(centre["lat"], centre["lng"], zoom)

with status:
    data_report(ds, uploaded=bool(uploads))
    linked, unmet = st.session_state.get("link", (None, []))
    if unmet and linked == v:
        st.warning("This link asked for what this page cannot show:\n\n" + "\n".join(
            f"- {md_text(w)}" for w in unmet))
    unplaced = (f"; {len(s.unresolved):,} not on the map (place not reported or not "
                "resolved: see the tab below)" if len(s.unresolved) else "")
    st.caption(md_text(f"{describe_map(s, clusters=clusters)} {v.filter.date_from} to "
                       f"{v.filter.date_to}{unplaced}. Figures: {s.policy.label}."))

with headline:
    heads = headlines(s, tuple(shown), ds)  # categories with any figure or claim
    cols = st.columns(max(1, min(4, len(heads))))
    for i, hl in enumerate(heads):
        col = cols[i % len(cols)]
        col.metric(hl.label, hl.value(),
                   help="  \n".join(md_text(line) for line in hl.lines()))
        col.caption("  \n".join(md_text(line) for line in hl.brief()))
    if none := [CATEGORY_LABELS[c] for c in shown if c not in {h.category for h in heads}]:
        st.caption(md_text(f"No figure (no claim under this policy): {', '.join(none)}."))

if map_first and not st.session_state.get(FIRST_VIEW_SENT):
    st.session_state[FIRST_VIEW_SENT] = True
    st.stop()
if map_first:
    draw_filters(st.sidebar, q, opts)

# --- claims: the clicked incident's, and the area-wide ones, side by side --------------
left, right = st.columns(2, gap="large")
with left:
    st.subheader("Claims about one incident")
    clicked = ((state or {}).get("last_active_drawing") or {}).get("properties") or {}
    chosen = clicked.get("incident_id")
    ids = s.incidents["incident_id"]
    if len(ids) <= PICK_LIMIT:
        options = list(map(str, ids))
        # A new click on the map selects its incident; the list can still pick any other.
        if chosen != st.session_state.get("clicked"):
            st.session_state["clicked"] = chosen
            if chosen in options:
                st.session_state["incident"] = chosen
        if st.session_state.get("incident") not in options:
            st.session_state["incident"] = None
        pick = st.selectbox("Incident", options, index=None, key="incident",
                            placeholder="click a symbol on the map, or pick an id")
    else:  # a list of 100,000 ids would be megabytes sent to the browser on every run
        typed = st.text_input("Incident", key="incident_typed", max_chars=MAX_NAME_CHARS,
                              placeholder=f"an incident id (one of {len(ids):,})").strip()
        pick = typed if typed and bool((ids == typed).any()) else None
        if typed and not pick:
            st.caption(f"No incident {md_text(typed)} in this selection.")
    if pick:
        row = s.incidents[s.incidents["incident_id"].astype(str) == pick].iloc[0]
        st.markdown(f"**{md_text(pick)}**: {md_text(row['location'])} "
                    f"({md_text(row['district'])}), "
                    f"{row['event_date']:%Y-%m-%d}, {md_text(row['event_type'])}")
        st.caption(md_text(f"Precision {int(row['geo_precision'])}: "
                           f"{PRECISION_MEANING.get(int(row['geo_precision']), '')}; located by "
                           + located_words(str(row["located_by"]), row["locate_score"])))
        claims = incident_claims(ds, pick)
        n, k = len(claims), claims["source"].nunique()
        st.caption(f"{n} claim{'s' * (n != 1)} from {k} source{'s' * (k != 1)}, each as "
                   "stated" if n else "No casualty claims about this incident.")
        st.markdown(incident_claims_md(claims))
        here = s.incidents[(s.incidents["lon"] == row["lon"]) & (s.incidents["lat"] == row["lat"])]
        if len(here) > 1:
            st.caption("Also coded at this point (pick one above): " + ", ".join(
                md_text(i) for i in here["incident_id"].astype(str) if i != pick))
with right:
    st.subheader("Province- and district-wide claims")
    st.caption("Not located: figures for a whole area and period, as each claimant states "
               "them. They are compared with the located incidents only when both count "
               "the same people (see the headline's help).")
    areas = area_claims(ds)
    text, more = area_claims_md(areas, limit=AREA_OVERVIEW, details=False)
    st.markdown(text or "No area-wide claims in this dataset.")
    if more:
        st.caption(f"{more:,} more in the table below.")
    if len(areas):  # built when opened (as the tabs below)
        every = st.expander(f"Each area-wide claim in full ({len(areas):,}): words, source, "
                            "note", key="area_claims_open", on_change="rerun")
        if every.open:
            with every:
                full, rest = area_claims_md(areas, limit=AREA_DETAILS)
                st.markdown(full)
                if rest:
                    st.dataframe(areas, hide_index=True, key="area_claims", column_config={
                        "link": st.column_config.LinkColumn("source link",
                                                            display_text="open")})

# --- districts, timeline, unresolved: lazy tabs, downloads ------------------------------
# Only the open tab runs and is sent (on_change="rerun"), so a page of a large
# dataset draws the map without the browser also building a chart and tables.
# The first tab is a few lines: the district grid would compete with the map's first
# draw in the browser (about 0.3 s at 100,000 incidents), so it is one click away.
tab_top, tab_d, tab_t, tab_u = st.tabs(
    ["Top districts", "District table", "Timeline", "Unresolved places"],
    on_change="rerun", key="section")
if tab_top.open:
    with tab_top:
        top_districts(s, v.measure, v.categories)
if tab_d.open:
    with tab_d:
        district_table(s, shown)
if tab_t.open:
    with tab_t:
        timeline_charts(s, shown)
if tab_u.open:
    with tab_u:
        unresolved_table(s, shown, PICK_LIMIT // 10)
if len(s.unresolved):
    st.download_button("Unresolved incidents (CSV)", lambda: export_bytes(s.unresolved, "csv"),
                       f"{stem}_unresolved.csv", "text/csv", key="dl_unresolved")
st.subheader("Download")
d1, d2, d3 = st.columns(3)
# Built on click (Streamlit runs the callable then), not on every rerun.
d1.download_button("Incidents (GeoJSON)", lambda: export_bytes(incident_frame(s, ds), "geojson"),
                   f"{stem}_incidents.geojson", "application/geo+json", key="dl_incidents")
d2.download_button("Districts (GeoJSON)",
                   lambda: export_bytes(district_frame(s, gaz.boundaries.districts), "geojson"),
                   f"{stem}_districts.geojson", "application/geo+json", key="dl_districts")
d3.download_button("Incidents (CSV)", lambda: export_bytes(incident_frame(s, ds), "csv"),
                   f"{stem}_incidents.csv", "text/csv", key="dl_csv")
d4, d5, d6 = st.columns(3)
d4.download_button("Static map (PNG)", lambda: static_map("png"), f"{stem}_map.png",
                   "image/png", key="dl_png")
d5.download_button("Static map (PDF)", lambda: static_map("pdf"), f"{stem}_map.pdf",
                   "application/pdf", key="dl_pdf")
d6.download_button("Static map (SVG)", lambda: static_map("svg"), f"{stem}_map.svg",
                   "image/svg+xml", key="dl_svg")

# Once the page is sent: a server dataset analysed for it is written to the disk cache.
keep_on_disk(an)
