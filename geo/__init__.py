"""geo: offline incident mapping — gazetteer, casualty claims, summaries, export.

The library never imports streamlit; ``dashboard.py`` is the UI on top of it.
"""

from geo.bundled import ATTRIBUTION, BOUNDARY_VINTAGE
from geo.errors import DataError, GeoError, Problem, UnknownPlaceError
from geo.gazetteer.match import Match, Place
from geo.gazetteer.resolve import Gazetteer

__all__ = [
    "ATTRIBUTION",
    "BOUNDARY_VINTAGE",
    "DataError",
    "Gazetteer",
    "GeoError",
    "Match",
    "Place",
    "Problem",
    "UnknownPlaceError",
]
__version__ = "0.1.0"
