"""The interactive map (folium/Leaflet), self-contained and offline.

Modules
-------
incidentmap    The incident map: base map, casualty layers, choropleth.
legend         The incident map's legend.
placelayout    Symbols at one place side by side; labels of places and districts.
pointlayers    Layers of individual incidents.
clusterlayers  Layers of H3 clusters for many incidents.
viewlayers     The swappable group of layers with its own legend, menu and extent.
rawjs          Folium elements whose data go into the page as raw JSON.
offline        Every asset inlined from installed packages: no CDN.
gazetteermap   The gazetteer's places on a map; attribution and bounds.
"""
