"""Value objects returned by the gazetteer: :class:`Place` and :class:`Match`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from geo.errors import UnknownPlaceError

__all__ = ["METHODS", "METHOD_WORDS", "PRECISION_MEANING", "Match", "Method", "Place",
           "located_words"]

Method = Literal[
    "exact", "alias", "normalised", "fuzzy", "district-name", "province-name", "online",
    "unresolved"
]
METHODS: tuple[str, ...] = (
    "exact",
    "alias",
    "normalised",
    "fuzzy",
    "district-name",
    "province-name",
    "online",
    "unresolved",
)

METHOD_WORDS = {
    "exact": "the name as written",
    "alias": "a known other spelling",
    "normalised": "the name once spelling and descriptors are normalised",
    "fuzzy": "a fuzzy match: an approximate spelling, check it",
    "district-name": "a district's name: coded at the district's centre",
    "province-name": "a province's name: coded at the province's centre",
    "online": "an online geocoder",
    "explicit": "coordinates given in the data",
    "unresolved": "not located",
}
"""How a place was located, in words (the methods of :data:`METHODS`, and ``explicit``
for coordinates given in the data)."""


def located_words(method: str, score: float | None = None) -> str:
    """``"a fuzzy match: an approximate spelling, check it (similarity 91)"``.

    Examples
    --------
    >>> located_words("alias")
    'a known other spelling'
    >>> located_words("fuzzy", 90.6)
    'a fuzzy match: an approximate spelling, check it (similarity 91)'
    """
    words = METHOD_WORDS.get(method, method)
    if method == "fuzzy" and score is not None and score == score:
        words += f" (similarity {score:.0f})"
    return words


PRECISION_MEANING = {
    1: "the named town or village itself",
    2: "near the named town, or a part of it or of a small area; coded at the town",
    3: "only a larger unit (district or province) is known; coded at its centroid",
}
"""ACLED ``geo_precision`` codes as this package uses them."""


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry, with its district found by point-in-polygon.

    Attributes
    ----------
    name : str
        Primary name.
    lat, lon : float
        WGS84 coordinates.
    feature_code : str
        GeoNames feature code (``PPLA2`` = second-order admin seat, ...), may be empty.
    population : int
        0 when unknown.
    place_id : str
        GeoNames id or the user's id, may be empty.
    district, district_pcode, province, province_pcode : str or None
        From the boundary layer; ``None`` when the point is outside it.
    """

    name: str
    lat: float
    lon: float
    feature_code: str
    population: int
    place_id: str
    district: str | None
    district_pcode: str | None
    province: str | None
    province_pcode: str | None

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0:
            raise ValueError(f"Latitude must be in the [-90; 90] range, got {self.lat}")
        if not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"Longitude must be in the [-180; 180] range, got {self.lon}")


@dataclass(frozen=True, slots=True)
class Match:
    """The answer to one place query; never ``None``, possibly unresolved.

    Attributes
    ----------
    query : str
        The text as asked.
    resolved : bool
        Whether coordinates were found. When False, ``error`` and ``suggestions``
        say why and what was close.
    name : str or None
        The matched place, district or province.
    kind : {"place", "district", "province"} or None
        What was matched.
    lat, lon : float or None
        Where the query is coded (WGS84).
    district, district_pcode, province, province_pcode : str or None
        The admin units containing the point (point-in-polygon), or the matched unit.
    precision : int or None
        ACLED geo_precision: 1 the town itself, 2 near/part of it, 3 a larger unit.
    coded_at : str
        ``place``, ``district-centroid``, ``province-centroid`` (or
        ``...-interior-point`` when a concave unit's centroid lies outside it).
    score : float
        0-100: 100 for exact/alias/normalised/admin matches, the similarity for fuzzy.
    method : str
        One of :data:`METHODS`.
    place_id, feature_code : str
        From the gazetteer ("" for admin units).
    ambiguous : bool
        Whether other candidates matched as well as the chosen one.
    alternatives : tuple of str
        The other candidates, described.
    note : str
        Anything a reader should know (why precision is 2, which hint was used...).
    suggestions : tuple of str
        For unresolved queries: up to five near names, best first.
    error : str or None
        For unresolved queries: what went wrong.
    """

    query: str
    resolved: bool
    name: str | None = None
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    district: str | None = None
    district_pcode: str | None = None
    province: str | None = None
    province_pcode: str | None = None
    precision: int | None = None
    coded_at: str = ""
    score: float = 0.0
    method: str = "unresolved"
    place_id: str = ""
    feature_code: str = ""
    ambiguous: bool = False
    alternatives: tuple[str, ...] = ()
    note: str = ""
    suggestions: tuple[str, ...] = ()
    error: str | None = None

    def raise_for_unresolved(self) -> Match:
        """Return self, or raise :class:`~geo.errors.UnknownPlaceError` when unresolved."""
        if not self.resolved:
            raise UnknownPlaceError(self.query, self.suggestions)
        return self

    def to_dict(self) -> dict[str, Any]:
        """A flat JSON-ready dict.

        Resolved: ``query, name, kind, lat, lon, district, district_pcode, province,
        province_pcode, precision, coded_at, score, method, place_id, feature_code,
        ambiguous, alternatives, note``. Unresolved: ``query, error, suggestions``.
        """
        if not self.resolved:
            return {"query": self.query, "error": self.error, "suggestions": list(self.suggestions)}
        return {
            "query": self.query,
            "name": self.name,
            "kind": self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "district": self.district,
            "district_pcode": self.district_pcode,
            "province": self.province,
            "province_pcode": self.province_pcode,
            "precision": self.precision,
            "coded_at": self.coded_at,
            "score": self.score,
            "method": self.method,
            "place_id": self.place_id,
            "feature_code": self.feature_code,
            "ambiguous": self.ambiguous,
            "alternatives": list(self.alternatives),
            "note": self.note,
        }
