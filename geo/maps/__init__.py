"""Maps: the interactive web map (``web``) and static briefing maps (``static``),
drawn with one symbology (:mod:`geo.maps.symbology`).
"""
