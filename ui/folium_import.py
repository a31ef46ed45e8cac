"""streamlit-folium's ``st_folium`` (UI layer), imported without a scan of every module.

``streamlit_folium`` declares its component when it is imported, and Streamlit names
a component after the module that declares it: ``inspect.getmodule`` of the caller's
frame. For a file it has not seen, inspect then resolves the real path of every
loaded module's file, and once pandas, geopandas and folium are loaded that is
about 1,300 paths: 0.13 s of the server's Python thread (cProfile), paid in the
first page view of a new server. Here inspect's own cache of files and modules is
told which module ``streamlit_folium``'s file is before the import, so that look-up
is a dictionary hit with the same answer (the component keeps its name,
``streamlit_folium.st_folium``). Where inspect has no such cache, the import is as
before.

Import ``st_folium`` from here, before or after other modules.
"""

from __future__ import annotations

import importlib.util
import inspect
import os

__all__ = ["st_folium", "tell_inspect"]


def tell_inspect(module: str) -> bool:
    """Record *module*'s file in ``inspect``'s cache of files and modules (before it is
    imported); False when it is not installed or inspect has no such cache."""
    spec = importlib.util.find_spec(module)
    cache = getattr(inspect, "modulesbyfile", None)
    if spec is None or not spec.origin or not isinstance(cache, dict):
        return False
    path = os.path.normcase(os.path.abspath(spec.origin))
    for key in (path, os.path.realpath(path)):
        cache.setdefault(key, module)
    return True


tell_inspect("streamlit_folium")

from streamlit_folium import st_folium  # noqa: E402 - after inspect knows its file
