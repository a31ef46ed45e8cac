"""Where the bundled reference data lives, and how it must be credited.

The repository's ``data/`` folder ships with the code. ``GEO_DATA_DIR`` in the
environment points the package at another copy (for an installed wheel, say).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ATTRIBUTION",
    "BOUNDARY_ATTRIBUTION",
    "BOUNDARY_VINTAGE",
    "NEIGHBOUR_ATTRIBUTION",
    "PLACE_ATTRIBUTION",
    "data_dir",
]

BOUNDARY_ATTRIBUTION = "Administrative boundaries: OCHA/WFP via HDX, CC BY 3.0 IGO"
PLACE_ATTRIBUTION = "Place names: GeoNames, CC BY 4.0"
NEIGHBOUR_ATTRIBUTION = "Neighbouring countries: Natural Earth (public domain)"
"""Credit for the neighbouring countries drawn around the briefing maps."""
ATTRIBUTION = f"{BOUNDARY_ATTRIBUTION}; {PLACE_ATTRIBUTION}"
BOUNDARY_VINTAGE = (
    "OCHA COD-AB Pakistan v01 (valid 2022-09-09): districts as of about 2021-22; "
    "Hub and Usta Muhammad (2022) are not separate districts in this layer"
)


def data_dir() -> Path:
    """Return the folder holding the bundled reference data.

    Returns
    -------
    pathlib.Path
        ``$GEO_DATA_DIR`` when set, else the repository's ``data/`` folder.
    """
    env = os.environ.get("GEO_DATA_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data"


def districts_path() -> Path:
    """Path of the bundled district (ADM2) polygons."""
    return data_dir() / "pakistan_districts.geojson"


def provinces_path() -> Path:
    """Path of the bundled province (ADM1) polygons."""
    return data_dir() / "pakistan_provinces.geojson"


def country_path() -> Path:
    """Path of the bundled country outline (ADM0)."""
    return data_dir() / "pakistan_country.geojson"


def neighbours_path() -> Path:
    """Path of the bundled neighbouring countries (Natural Earth, context for maps)."""
    return data_dir() / "neighbours.geojson"


def gazetteer_path() -> Path:
    """Path of the bundled GeoNames-derived gazetteer."""
    return data_dir() / "gazetteer_pk.csv"


def dataset_dir() -> Path:
    """Folder of the bundled dataset (Balochistan attacks, 30 Jan - 1 Feb 2026)."""
    return data_dir() / "balochistan-2026"


def aliases_path() -> Path:
    """Path of the curated alias table."""
    return data_dir() / "aliases.csv"
