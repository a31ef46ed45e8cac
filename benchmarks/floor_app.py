"""The smallest offline st_folium page (one marker): the start-up floor for the benchmark.

Run by ``benchmarks/dashboard_bench.py``; not part of the product.
"""

import folium
from streamlit_folium import st_folium

from geo.maps.web.offline import make_offline

m = folium.Map(tiles=None, location=[30.2, 67.0], zoom_start=6, prefer_canvas=True)
folium.GeoJson(
    {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [67.0, 30.2]},
        "properties": {"incident_id": "floor", "category": "", "radius": 5}}]},
    marker=folium.CircleMarker(),
).add_to(m)
st_folium(make_offline(m), height=400, returned_objects=[], key="map")
