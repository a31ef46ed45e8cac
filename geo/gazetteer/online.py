"""Optional online geocoding for names the offline gazetteer cannot resolve.

Off unless asked for (``--online``). Through geopy: Nominatim (OpenStreetMap) with a
proper user agent, geopy's ``RateLimiter`` (one request a second, Nominatim's policy),
and an on-disk JSON cache, so a name is asked once, answers and misses alike. Queries
are restricted to the dataset's country. An online answer never replaces an offline
one: :func:`resolve_online` asks only when the gazetteer has no answer, and marks what
it returns ``method="online"`` with the geocoder's name and what it found. With no
network the geocoder raises :class:`OnlineUnavailable`, and callers say so and carry
on offline.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from geo.errors import OnlineUnavailable
from geo.gazetteer.match import Match
from geo.gazetteer.normalise import name_length_problem
from geo.gazetteer.resolve import Gazetteer
from geo.io.atomic import atomic_write

__all__ = ["USER_AGENT", "OnlineGeocoder", "OnlineHit",
           "boundary_country", "default_cache", "resolve_online"]

USER_AGENT = "geo-incidents/0.1 (offline incident mapping; online look-ups on request)"
_SETTLEMENTS = {"city", "town", "village", "hamlet", "suburb", "neighbourhood", "locality",
                "quarter", "isolated_dwelling"}


def boundary_country() -> str:
    """ISO code of the bundled boundary layer's country (``pk``): the dataset's region."""
    from geo.bundled import country_path

    doc = json.loads(country_path().read_text(encoding="utf-8"))
    return str(doc["features"][0]["properties"]["country_code"]).lower()


def default_cache() -> Path:
    """``$XDG_CACHE_HOME/geo-incidents/geocoder.json`` (``~/.cache`` by default)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "geo-incidents" / "geocoder.json"


@dataclass(frozen=True, slots=True)
class OnlineHit:
    """What the geocoder found for a name."""

    lat: float
    lon: float
    address: str
    kind: str  # e.g. "place/town", "boundary/administrative"


class OnlineGeocoder:
    """A geopy geocoder with a rate limit and an on-disk cache.

    Parameters
    ----------
    cache : path
        JSON file of earlier answers (created on first use).
    country : str
        ISO 3166-1 alpha-2 code the look-ups are restricted to.
    geocoder : geopy geocoder, optional
        Default: ``Nominatim(user_agent=USER_AGENT)``. Tests pass a fake.
    min_delay : float
        Seconds between requests.
    """

    def __init__(self, cache: str | Path, country: str = "pk", geocoder: Any = None,
                 min_delay: float = 1.0) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self.geocoder = geocoder or Nominatim(user_agent=USER_AGENT, timeout=10)
        self.name = type(self.geocoder).__name__
        self.country = country.lower()
        self._ask = RateLimiter(self.geocoder.geocode, min_delay_seconds=min_delay,
                                max_retries=0, swallow_exceptions=False)
        self.cache_path = Path(cache)
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._cache: dict[str, dict[str, Any] | None] = (
            json.loads(self.cache_path.read_text(encoding="utf-8"))
            if self.cache_path.is_file() else {})
        self.asked = 0
        self.unavailable: str | None = None  # set at the first failure: ask no more

    def lookup(self, name: str) -> OnlineHit | None:
        """The geocoder's answer for *name* (cached), or None when it has none.

        Raises
        ------
        OnlineUnavailable
            The service could not be reached; nothing is cached then.
        """
        from geopy.exc import GeopyError

        key = f"{self.country}:{' '.join(name.casefold().split())}"
        if key not in self._cache:
            if self.unavailable:
                raise OnlineUnavailable(self.unavailable)
            try:
                loc = self._ask(name, exactly_one=True, country_codes=self.country,
                                addressdetails=False)
            except (GeopyError, OSError) as exc:
                self.unavailable = f"{self.name} could not be reached: {exc}"
                raise OnlineUnavailable(self.unavailable) from exc
            self.asked += 1
            raw = getattr(loc, "raw", None) or {}
            self._cache[key] = None if loc is None else {
                "lat": float(loc.latitude), "lon": float(loc.longitude),
                "address": str(loc.address),
                "kind": f"{raw.get('class', '')}/{raw.get('type', '')}".strip("/")}
            atomic_write(self.cache_path, json.dumps(self._cache, ensure_ascii=False,
                                                     indent=1))
        hit = self._cache[key]
        return None if hit is None else OnlineHit(**hit)


def resolve_online(gazetteer: Gazetteer, name: str, online: OnlineGeocoder | None,
                   **hints: str | None) -> Match:
    """Resolve offline; ask *online* only when the gazetteer has no answer.

    Returns
    -------
    Match
        The offline match when resolved (never replaced); else the online answer
        (``method="online"``, precision 1 for a settlement, 3 for an administrative
        area, 2 otherwise, district from the polygons), else the unresolved match,
        its error saying whether the geocoder was unreachable or had no answer.
    """
    m = gazetteer.resolve(name, **hints)
    if m.resolved or online is None or not name.strip() or name_length_problem(name):
        return m  # resolved, offline, or not a place name: nothing to ask
    try:
        hit = online.lookup(name)
    except OnlineUnavailable as exc:
        return replace(m, error=f"{m.error}; online look-up unavailable ({exc})")
    if hit is None:
        return replace(m, error=f"{m.error}; {online.name} has no answer either")
    kind = hit.kind.split("/")[-1]
    precision = 1 if kind in _SETTLEMENTS else 3 if hit.kind.startswith("boundary") else 2
    where = gazetteer.boundaries.locate([hit.lon], [hit.lat]).iloc[0]
    inside = where["how"] != "outside"
    return replace(
        m, resolved=True, name=hit.address.split(",")[0], kind="place", lat=hit.lat,
        lon=hit.lon, precision=precision, method="online", score=0.0, error=None,
        suggestions=(), coded_at="place",
        district=where["district_name"] if inside else None,
        district_pcode=where["district_pcode"] if inside else None,
        province=where["province_name"] if inside else None,
        province_pcode=where["province_pcode"] if inside else None,
        note=f"online: {online.name} ({hit.kind}): {hit.address}",
    )
