"""Analysis of a loaded dataset: locate incidents, filter, summarise.

Modules
-------
filter     :class:`Filter`: one view's filters (dates, district, types, sources, policy).
locate     Attach incidents to coordinates and district polygons.
summary    District summaries and per-category totals under a policy (no figure: NaN).
areas      Area-wide figures beside located ones, netted only when like.
headline   Each category's headline figure and who gives it.
analysed   :class:`Analysis`: a dataset located once, its summaries cached.
cache      The disk cache of analysed datasets.
clusters   Located incidents clustered into H3 hexagon cells.
timeline   Figures per period, for charts.
ranking    The districts that lead a summary on one measure, in words.
"""
