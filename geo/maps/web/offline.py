"""Make folium maps self-contained: no CDN, every asset from an installed package.

folium points its maps at public CDNs (Leaflet, jQuery, Bootstrap, awesome-markers).
With no network the map is silently blank. :func:`make_offline` rewrites every
element's ``default_js``/``default_css`` in a map: assets the map needs are replaced by
``data:`` URIs built from the installed XStatic packages (images referenced by the
CSS are inlined too); assets it does not use are dropped; any other remote asset
raises, so a new plugin can never bring a CDN link back unnoticed.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import folium
from branca.element import Element

from geo.maps.web.viewlayers import walk

__all__ = ["LOCAL_ASSETS", "asset_urls", "make_offline"]

# Assets folium declares that our maps do not use (Bootstrap popups, awesome-markers).
UNUSED = frozenset({
    "jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
    "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css",
})


def _xstatic_dir(module: str) -> Path:
    mod = __import__(f"xstatic.pkg.{module}", fromlist=["BASE_DIR"])
    return Path(mod.BASE_DIR)


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _css_with_inlined_images(path: Path) -> str:
    text = path.read_text(encoding="utf-8")

    def inline(m: re.Match[str]) -> str:
        ref = path.parent / m.group(1)
        mime = "image/png" if ref.suffix == ".png" else "image/svg+xml"
        return f"url({_data_uri(ref.read_bytes(), mime)})"

    return re.sub(r"url\((images/[^)]+)\)", inline, text)


@lru_cache(maxsize=1)
def _local_assets() -> dict[str, str]:
    leaflet = _xstatic_dir("leaflet")
    return {
        "leaflet": _data_uri((leaflet / "leaflet.js").read_bytes(), "text/javascript"),
        "leaflet_css": _data_uri(
            _css_with_inlined_images(leaflet / "leaflet.css").encode("utf-8"), "text/css"
        ),
    }


LOCAL_ASSETS = ("leaflet", "leaflet_css")
"""Asset names served from installed packages."""


def asset_urls(m: folium.Map) -> list[str]:
    """Every JS/CSS URL the map's elements declare (what a browser would fetch)."""
    urls = []
    for elem in walk(m):
        urls += [u for _, u in getattr(elem, "default_js", [])]
        urls += [u for _, u in getattr(elem, "default_css", [])]
    return urls


def _localise(assets: list[tuple[str, str]], owner: Element) -> list[tuple[str, str]]:
    local = _local_assets()
    out = []
    for name, url in assets:
        if name in local:
            out.append((name, local[name]))
        elif name in UNUSED:
            continue
        elif url.startswith(("http://", "https://", "//")):
            msg = (f"{type(owner).__name__} needs remote asset {name!r} ({url}); "
                   "add it to geo.maps.web.offline from an installed package")
            raise ValueError(msg)
        else:
            out.append((name, url))
    return out


E = TypeVar("E", bound=Element)


def make_offline(m: E) -> E:
    """Rewrite the map's assets so it renders with no network; returns the same map.

    Parameters
    ----------
    m : folium.Map or any element
        A map (or a group of layers) built with elements whose assets are known here.

    Returns
    -------
    folium.Map or the element
        The same object; ``asset_urls(m)`` then holds only ``data:`` URIs.

    Raises
    ------
    ValueError
        When an element needs a remote asset that no installed package provides.
    """
    for elem in walk(m):
        for attr in ("default_js", "default_css"):
            assets = getattr(elem, attr, None)
            if assets:
                # Instance attribute: the class-level CDN lists stay untouched.
                setattr(elem, attr, _localise(list(assets), elem))
    return m
