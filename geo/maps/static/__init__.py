"""Static briefing maps (PNG, PDF, SVG) with matplotlib: no browser, no network.

Modules
-------
render     The composition: map, inset, panel, footer; saving to files.
briefing   The words around it: title, subtitle, headline figures, sources.
panel      The side panel: headline figures and the legend.
placement  Where labels and symbols go so that nothing hides anything else.
context    The neighbouring countries around the map, and their names.
"""
