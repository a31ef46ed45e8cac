"""ACLED's codes for the columns the ACLED export derives: the country's ISO number and
ACLED region, actor types from ACLED's actor naming conventions, ``interaction``."""

from __future__ import annotations

import json
import re

from geo import bundled

__all__ = ["ACLED_REGIONS", "ACTOR_PATTERNS", "ISO_NUMERIC", "SCALES", "actor_type",
           "interaction", "layer_country"]

ISO_NUMERIC = {"PK": 586, "AF": 4, "IN": 356, "IR": 364}
"""ISO 3166-1 alpha-2 -> numeric code (ACLED's ``iso``), for Pakistan and its
neighbours."""
ACLED_REGIONS = {586: "South Asia", 4: "South Asia", 356: "South Asia", 364: "Middle East"}
"""ISO numeric code -> ACLED's region name."""

_INTER = ("State forces", "Rebel group", "Political militia", "Identity militia",
          "Rioters", "Protesters", "Civilians", "External/Other forces")
"""ACLED's actor types; their numeric codes are 1-8 in this order."""
ACTOR_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^(Military|Police) Forces of (?P<country>[^(]+?)\s*(\(|$)", "State forces"),
    (r"^Government of (?P<country>[^(]+?)\s*(\(|$)", "State forces"),
    (r"^Civilians\b", "Civilians"),
    (r"^Protesters\b", "Protesters"),
    (r"^Rioters\b", "Rioters"),
    (r"^Unidentified Armed Group\b", "Political militia"),
    (r"\b(Communal|Ethnic|Clan) Militia\b", "Identity militia"),
)
"""ACLED's actor naming conventions -> actor type. State forces of another country than
the event's are ``External/Other forces``."""
SCALES = {"militant_claim": "New media"}
"""Source kind -> ACLED's ``source_scale``, where one is sensible (a militant claim is
published on social media or messaging channels: ACLED's "New media")."""


def layer_country(path: str | None = None) -> tuple[str, str]:
    """The boundary layer's country.

    Parameters
    ----------
    path : str, optional
        A country outline (GeoJSON) with ``country_name`` and ``country_code`` (ISO
        alpha-2); default: the bundled one.

    Returns
    -------
    tuple of str
        (name, alpha-2 code); "" where the layer does not say.
    """
    with open(path or bundled.country_path(), encoding="utf-8") as fh:
        props = (json.load(fh).get("features") or [{}])[0].get("properties") or {}
    return str(props.get("country_name") or ""), str(props.get("country_code") or "")


def actor_type(actor: str, country: str = "") -> str:
    """ACLED's type of an actor named by its conventions.

    Parameters
    ----------
    actor : str
        The actor as ACLED would name it ("Police Forces of Pakistan (2018-)").
    country : str
        The event's country: state forces of another one are external forces.

    Returns
    -------
    str
        One of ACLED's actor type labels, "" when the name does not tell.

    Examples
    --------
    >>> actor_type("Police Forces of Pakistan (2018-)", "Pakistan")
    'State forces'
    >>> actor_type("Military Forces of India (2014-)", "Pakistan")
    'External/Other forces'
    >>> actor_type("BLA: Baloch Liberation Army")
    ''
    """
    for pattern, kind in ACTOR_PATTERNS:
        m = re.search(pattern, actor.strip())
        if m:
            own = m.groupdict().get("country")
            if own and country and own.strip().casefold() != country.casefold():
                return "External/Other forces"
            return kind
    return ""


def _inter_label(value: str) -> str:
    """An ``inter1`` value (numeric code or text label) as ACLED's text label."""
    v = value.strip()
    if v.isdigit() and 1 <= int(v) <= len(_INTER):
        return _INTER[int(v) - 1]
    return next((t for t in _INTER if t.casefold() == v.casefold()), "")


def interaction(a: str, b: str) -> str:
    """ACLED's ``interaction`` label.

    Parameters
    ----------
    a, b : str
        ``inter1`` and ``inter2`` (text labels or numeric codes); *b* "" when there is
        no second actor.

    Returns
    -------
    str
        The two types, lower code first ("State forces-Civilians"), "X only" without a
        second actor, "" when a type is unknown.
    """
    la, lb = _inter_label(a), _inter_label(b)
    if not la:
        return ""
    if not b.strip():
        return f"{la} only"
    if not lb:
        return ""
    first, second = sorted((la, lb), key=_INTER.index)
    return f"{first}-{second}"
