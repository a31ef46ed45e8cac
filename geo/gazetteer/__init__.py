"""The gazetteer: place names as reporters spell them, resolved to coordinates,
district and an honest precision code.

Modules
-------
resolve     :class:`Gazetteer`: load places and boundaries, resolve names.
match       The value objects it returns: :class:`Place` and :class:`Match`.
normalise   Reporters' spellings turned into comparable keys; descriptor words parsed.
places      Read gazetteer and alias tables, validating every row.
boundaries  District and province polygons: which unit a point falls in.
online      Optional online geocoding (Nominatim via geopy) for what is left.

``_index`` (lookup tables and ranking) and ``_fuzzy`` (fuzzy search) are private.
"""
