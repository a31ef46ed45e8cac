"""Administrative boundaries: which district and province a point falls in.

The bundled layer is OCHA's COD-AB for Pakistan (v01, 2022): 160 districts and 7
provinces, WGS84. Any district file with the same four columns can replace it.
Points are located by a vectorised spatial join (``geopandas.sjoin``); points that
fall just outside every polygon (coastal towns on a simplified coastline) are
snapped to the nearest district within ``max_distance_km`` and flagged as such.

Neighbouring countries (Natural Earth for the bundled layer) come along as optional
context for maps: read on first use, never used to locate a point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo import bundled
from geo.errors import DataError, Problem

__all__ = ["AdminPoint", "Boundaries", "DISTRICT_COLUMNS"]

DISTRICT_COLUMNS = ("district_name", "district_pcode", "province_name", "province_pcode")
PROVINCE_COLUMNS = ("province_name", "province_pcode")
NEIGHBOUR_COLUMNS = ("country_name",)


@dataclass(frozen=True, slots=True)
class AdminPoint:
    """The point at which a whole district or province is coded.

    Attributes
    ----------
    lon, lat : float
        WGS84 coordinates.
    coded_at : str
        ``"district-centroid"`` / ``"province-centroid"`` when the area centroid lies
        inside the polygon, else ``"district-interior-point"`` / ... (a point
        guaranteed inside, used for concave shapes).
    """

    lon: float
    lat: float
    coded_at: str


def _read_vector(path: Path) -> gpd.GeoDataFrame:
    """A vector file as a GeoDataFrame.

    RFC 7946 GeoJSON (a FeatureCollection with no ``crs`` member, so WGS84: the
    bundled layers) is read by geopandas from its features; anything else through
    pyogrio (GDAL), imported only then: loading GDAL costs a new server's first page
    0.03-0.08 s. Both give the same frame for the bundled files (tested).
    """
    if path.suffix.lower() in (".geojson", ".json"):
        with path.open("rb") as fh:
            doc: Any = json.load(fh)
        if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" and "crs" not in doc:
            gdf = gpd.GeoDataFrame.from_features(doc, crs="EPSG:4326")
            return gdf[[*(c for c in gdf.columns if c != "geometry"), "geometry"]]
    import pyogrio

    return pyogrio.read_dataframe(path)


def _read_layer(path: Path, required: tuple[str, ...]) -> gpd.GeoDataFrame:
    name = str(path)
    if not path.exists():
        raise DataError.single(name, "file not found")
    try:
        gdf = _read_vector(path)
    except Exception as exc:  # pyogrio, json and shapely raise several types
        raise DataError.single(name, f"cannot read as a vector layer: {exc}") from exc
    missing = [c for c in required if c not in gdf.columns]
    problems = [Problem(name, None, c, None, "required column is missing") for c in missing]
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326") and not missing:
        gdf = gdf.to_crs("EPSG:4326")
    if not missing:
        bad = ~gdf.geometry.is_valid | gdf.geometry.is_empty
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(
                Problem(name, int(i) + 1, "geometry", None, "invalid or empty polygon")
            )
    if problems:
        raise DataError(problems)
    return gdf.set_crs("EPSG:4326", allow_override=True)


def utm_crs(gdf: gpd.GeoDataFrame) -> str:
    """The WGS84 UTM zone at the centre of the layer's bounds, as ``EPSG:326xx/327xx``.

    The arithmetic rule, not ``estimate_utm_crs()``, which queries the PROJ database
    (0.1 s per call) for the same answer away from the Norway/Svalbard exceptions.

    Examples
    --------
    >>> import shapely
    >>> utm_crs(gpd.GeoDataFrame(geometry=[shapely.Point(66.99, 30.18)], crs="EPSG:4326"))
    'EPSG:32642'
    """
    x0, y0, x1, y1 = gdf.to_crs("EPSG:4326").total_bounds
    lon, lat = (x0 + x1) / 2, (y0 + y1) / 2
    zone = min(max(int((lon + 180) // 6) + 1, 1), 60)
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _interior_points(gdf: gpd.GeoDataFrame, level: str) -> list[AdminPoint]:
    """Centroid in an equal-distance projection, or an interior point when outside."""
    utm = utm_crs(gdf)
    projected = gdf.geometry.to_crs(utm)
    centroids = gpd.GeoSeries(projected.centroid, crs=utm)
    inside = centroids.within(projected).to_numpy()
    reps = projected.representative_point()
    chosen = gpd.GeoSeries(np.where(inside, centroids, reps), crs=utm).to_crs("EPSG:4326")
    return [
        AdminPoint(
            float(pt.x),
            float(pt.y),
            f"{level}-centroid" if ok else f"{level}-interior-point",
        )
        for pt, ok in zip(chosen, inside, strict=True)
    ]


class Boundaries:
    """District and province polygons with point location.

    Use :meth:`load`; the constructor takes already validated layers.

    Parameters
    ----------
    districts : geopandas.GeoDataFrame
        One row per district with :data:`DISTRICT_COLUMNS` and polygon geometry.
    provinces : geopandas.GeoDataFrame or None
        One row per province with ``province_name``, ``province_pcode``.
    vintage : str
        A sentence saying which boundary edition this is.
    neighbours_path : path or None
        A vector file of neighbouring countries with a ``country_name`` column, read
        on first use of :attr:`neighbours`; None, or a file that does not exist,
        means no neighbours.
    """

    def __init__(
        self,
        districts: gpd.GeoDataFrame,
        provinces: gpd.GeoDataFrame | None,
        *,
        vintage: str = "",
        neighbours_path: Path | None = None,
    ) -> None:
        self.districts = districts.reset_index(drop=True)
        if provinces is None:
            provinces = self.districts.dissolve(by=list(PROVINCE_COLUMNS), as_index=False)
        self.provinces = provinces.reset_index(drop=True)
        self.vintage = vintage
        self.neighbours_path = neighbours_path
        self._district_points = _interior_points(self.districts, "district")
        self._province_points = _interior_points(self.provinces, "province")
        self._utm = utm_crs(self.districts)

    @classmethod
    def load(
        cls,
        districts: str | Path | None = None,
        provinces: str | Path | None = None,
        neighbours: str | Path | None = None,
    ) -> Boundaries:
        """Read district (and province) polygons.

        Parameters
        ----------
        districts : path, optional
            A vector file with columns ``district_name, district_pcode,
            province_name, province_pcode`` (``name_variants``, pipe-separated, is
            optional). Default: the bundled OCHA 2022 layer.
        provinces : path, optional
            Province polygons with ``province_name, province_pcode``. Default: the
            bundled layer when *districts* is also the default, else the districts
            dissolved by province.
        neighbours : path, optional
            Neighbouring countries (``country_name`` and polygons), drawn as context
            on briefing maps. Default: the bundled ``neighbours.geojson`` when
            *districts* is also the default (none when the data folder lacks it),
            else none.

        Returns
        -------
        Boundaries

        Raises
        ------
        DataError
            When a file is missing, unreadable, lacks a column or has invalid shapes.
        """
        default = districts is None
        dist = _read_layer(Path(districts or bundled.districts_path()), DISTRICT_COLUMNS)
        prov = None
        if provinces is not None or default:
            prov = _read_layer(Path(provinces or bundled.provinces_path()), PROVINCE_COLUMNS)
        vintage = bundled.BOUNDARY_VINTAGE if default else f"user boundaries from {districts}"
        near = Path(neighbours) if neighbours is not None else None
        if near is not None and not near.exists():
            raise DataError.single(str(near), "file not found")
        if near is None and default:
            near = bundled.neighbours_path()
        return cls(dist, prov, vintage=vintage, neighbours_path=near)

    @cached_property
    def neighbours(self) -> gpd.GeoDataFrame | None:
        """Neighbouring countries, read on first use: context for maps, not for locating.

        Coarse outlines (Natural Earth 1:50m for the bundled layer) that do not overlap
        the districts' country; they need not meet its border exactly.

        Returns
        -------
        geopandas.GeoDataFrame or None
            ``country_name`` and polygon geometry, WGS84; None when there is no such
            file (a data folder without ``neighbours.geojson``, user boundaries).

        Raises
        ------
        DataError
            When the file is unreadable, lacks ``country_name`` or has invalid shapes.
        """
        path = self.neighbours_path
        if path is None or not path.exists():
            return None
        return _read_layer(path, NEIGHBOUR_COLUMNS)

    # -- lookups -------------------------------------------------------------------
    def district_point(self, index: int) -> AdminPoint:
        """The point at which district number *index* is coded."""
        return self._district_points[index]

    def province_point(self, index: int) -> AdminPoint:
        """The point at which province number *index* is coded."""
        return self._province_points[index]

    def locate(
        self,
        lon: np.ndarray | list[float],
        lat: np.ndarray | list[float],
        *,
        max_distance_km: float = 5.0,
    ) -> pd.DataFrame:
        """Find the district of each point.

        Parameters
        ----------
        lon, lat : array-like of float
            WGS84 coordinates, longitude first.
        max_distance_km : float
            Points outside every polygon but within this distance of one are
            assigned to the nearest district (simplified coastlines put some port
            towns a few hundred metres offshore).

        Returns
        -------
        pandas.DataFrame
            One row per point, in input order: ``district_index`` (-1 when none),
            ``district_name``, ``district_pcode``, ``province_name``,
            ``province_pcode``, ``how`` (``within``, ``nearest`` or ``outside``) and
            ``distance_km`` (0 when within).
        """
        lon_a = np.asarray(lon, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
        pts = gpd.GeoDataFrame(
            {"_i": np.arange(len(lon_a))},
            geometry=gpd.points_from_xy(lon_a, lat_a),
            crs="EPSG:4326",
        )
        joined = gpd.sjoin(pts, self.districts[["geometry"]], how="left", predicate="within")
        # A point on a shared border can match twice: keep the first district.
        joined = joined[~joined.index.duplicated(keep="first")]
        idx = joined["index_right"].to_numpy(dtype=float, copy=True)
        how = np.where(np.isnan(idx), "outside", "within").astype(object)
        dist_km = np.zeros(len(lon_a))
        missing = np.flatnonzero(np.isnan(idx))
        if len(missing):
            far = pts.iloc[missing].to_crs(self._utm)
            near = gpd.sjoin_nearest(
                far,
                self.districts[["geometry"]].to_crs(self._utm),
                how="left",
                max_distance=max_distance_km * 1000.0,
                distance_col="_d",
            )
            near = near[~near.index.duplicated(keep="first")]
            found = near["index_right"].notna().to_numpy()
            rows = near.index.to_numpy()[found]
            idx[rows] = near["index_right"].to_numpy(dtype=float)[found]
            how[rows] = "nearest"
            dist_km[rows] = near["_d"].to_numpy(dtype=float)[found] / 1000.0
        di = np.nan_to_num(idx, nan=-1).astype(int)
        out = pd.DataFrame({"district_index": di})
        for col in DISTRICT_COLUMNS:
            values = np.empty(len(self.districts) + 1, dtype=object)
            values[:-1] = self.districts[col].astype(object).to_numpy()
            out[col] = pd.Series(values[di], dtype=object)  # index -1 takes the None
        out["how"] = how
        out["distance_km"] = dist_km
        return out

    def contains(self, district_index: int, lon: float, lat: float) -> bool:
        """Whether the point lies inside (or on the edge of) a district polygon."""
        return bool(self.districts.geometry.iloc[district_index].covers(Point(lon, lat)))
