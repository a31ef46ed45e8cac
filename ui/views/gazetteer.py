"""The gazetteer page: the gazetteer's places on an offline map, and a name resolver.

Widgets -> ``geo`` calls -> render; the shared gazetteer is cached in :mod:`ui.data`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import ATTRIBUTION, BOUNDARY_VINTAGE
from geo.maps.web.gazetteermap import gazetteer_map
from geo.textsafe import md_text
from ui.data import load_gazetteer

st.title("Incident map: gazetteer")
gaz = load_gazetteer()

provinces = sorted(gaz.boundaries.provinces["province_name"].tolist())
province = st.sidebar.selectbox(
    "Province", provinces, index=provinces.index("Balochistan"), key="province"
)
names_text = st.sidebar.text_area(
    "Place names to resolve (one per line)",
    value="Quetta\nNoshki\nGwadar port\nPasni, Gwadar\nnear Kalat\nKech\nPanjgoor",
    key="names",
    max_chars=5000,  # many names; each longer than the library's MAX_NAME_CHARS is refused
)
names = [n for n in names_text.splitlines() if n.strip()]
matches = gaz.resolve_many(names, province=province)

table = pd.DataFrame([m.to_dict() if m.resolved else {**m.to_dict(), "name": None}
                      for m in matches])
st.subheader("Resolved names")
st.dataframe(table, hide_index=True, key="matches")
unresolved = [m for m in matches if not m.resolved]
if unresolved:
    st.warning("Unresolved: " + "; ".join(
        f"{md_text(m.query)} (did you mean: "
        f"{', '.join(map(md_text, m.suggestions)) or 'nothing close'})"
        for m in unresolved))

st_folium(gazetteer_map(gaz, province=province, matches=matches),
          height=600, use_container_width=True, returned_objects=[], key="map")
st.caption(f"{ATTRIBUTION}. Boundary vintage: {BOUNDARY_VINTAGE}.")
