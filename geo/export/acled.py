"""Our incidents in ACLED's column layout, so coded data can be merged with theirs.

One row per incident in :data:`~geo.importers.acled.ACLED_COLUMNS`. What ACLED cannot express
is collapsed, and the sidecar says how (:func:`acled_sidecar`):

* ``fatalities`` is one number: the sum of the categories whose ACLED treatment is
  ``"fatalities"`` (the killed ones, :data:`KILLED`) under the chosen figure policy, 0
  when no claim gives one (ACLED's convention). Every other claim, range and claimant
  is lost here; the dataset keeps them;
* the categories treated as ``"tag"`` (:data:`OTHER`: injured, abducted...) have no
  ACLED column: they stay in ``tags`` as ``injured=N`` etc., so they are not silently
  dropped. Both lists come from :data:`geo.dataset.categories.TABLE`, whose treatments
  are exactly these two, so every category reaches the export;
* ``civilian_targeting`` is set when civilians were killed or targeted;
* columns imported from ACLED (``acled_*``) go back to their place; others are
  derived (``disorder_type`` from the event type, ``year``, ``admin1``/``admin2``
  from the district polygons) or left empty (``inter1``, ``iso``, ``region``...);
* an incident that could not be located keeps its place name but no coordinates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from geo.analysis.summary import Summary
from geo.dataset import categories
from geo.dataset.records import Dataset
from geo.export.tables import incident_frame
from geo.importers.acled import ACLED_COLUMNS, ACLED_SOURCE

__all__ = ["acled_frame", "acled_sidecar"]

KILLED: tuple[str, ...] = tuple(c.name for c in categories.TABLE if c.acled == "fatalities")
"""Categories summed into ACLED's ``fatalities``."""
OTHER: tuple[str, ...] = tuple(c.name for c in categories.TABLE if c.acled == "tag")
"""Categories written in ACLED's ``tags`` as ``name=N``."""
_DISORDER = {"Protests": "Demonstrations", "Riots": "Political violence; Demonstrations",
             "Strategic developments": "Strategic developments"}


def acled_frame(summary: Summary, dataset: Dataset) -> pd.DataFrame:
    """Incidents of *summary* (its filters and policy) as ACLED rows.

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`~geo.importers.acled.ACLED_COLUMNS`, as text and numbers.
    """
    f = pd.DataFrame(incident_frame(summary, dataset)).drop(columns="geometry",
                                                            errors="ignore")
    extra = dataset.incidents.set_index(dataset.incidents["incident_id"].astype(str))
    passthrough = {c.removeprefix("acled_"): c for c in extra.columns if c.startswith("acled_")}
    ids = f["incident_id"].astype(str)

    def kept(col: str, default: Any) -> pd.Series:
        if col in passthrough:
            got = ids.map(extra[passthrough[col]].astype(str))
            return got.where(got.notna() & (got != ""), default)
        return pd.Series(default, index=f.index, dtype=object) if np.isscalar(default) \
            else pd.Series(default, index=f.index)

    killed = sum(f[f"{c}_best"].fillna(0) for c in KILLED).astype(int)
    civ = (f["killed_civilians_best"].fillna(0) > 0) | (f["target_type"].astype(str)
                                                         .str.lower() == "civilians")
    names = dataset.sources.set_index(dataset.sources["source_id"].astype(str))["publisher"]
    source = [
        "; ".join(str(names.get(i, i)) for i in str(ids_).split(";")
                  if i and i != ACLED_SOURCE)
        for ids_ in f["source_ids"]]
    tags = [
        "; ".join([t for t in [str(base)] if t and t != "nan"]
                  + [f"{c}={int(v)}" for c in OTHER if pd.notna(v := row[f"{c}_best"])])
        for base, (_i, row) in zip(kept("tags", ""), f.iterrows(), strict=True)]
    dates = pd.to_datetime(f["event_date"])
    out = pd.DataFrame({
        "event_id_cnty": ids,
        "event_date": f["event_date"],
        "year": dates.dt.year.astype(str),
        "time_precision": f["time_precision"],
        "disorder_type": kept("disorder_type", f["event_type"].map(_DISORDER)
                              .fillna("Political violence")),
        "event_type": f["event_type"], "sub_event_type": f["sub_event_type"],
        "actor1": f["actor1"], "assoc_actor_1": kept("assoc_actor_1", ""),
        "inter1": kept("inter1", ""), "actor2": f["actor2"],
        "assoc_actor_2": kept("assoc_actor_2", ""), "inter2": kept("inter2", ""),
        "interaction": kept("interaction", ""),
        "civilian_targeting": np.where(civ, "Civilian targeting", ""),
        "iso": kept("iso", ""), "region": kept("region", ""), "country": kept("country", ""),
        "admin1": f["province"].astype(object).where(f["province"].notna(), ""),
        "admin2": f["district"].astype(object).where(f["district"].notna(), ""),
        "admin3": kept("admin3", ""),
        "location": f["location"], "latitude": f["lat"].round(4),
        "longitude": f["lon"].round(4), "geo_precision": f["geo_precision"],
        "source": source, "source_scale": kept("source_scale", ""),
        "notes": f["description"], "fatalities": killed, "tags": tags,
        "timestamp": kept("timestamp", str(int(dt.datetime.now(dt.UTC).timestamp()))),
    })
    return out[list(ACLED_COLUMNS)]


def _listed(names: tuple[str, ...]) -> str:
    """``"a, b and c"``."""
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else \
        "".join(names)


def acled_sidecar(summary: Summary, n: int) -> dict[str, Any]:
    """What the ACLED file holds and what it collapsed (write it beside the CSV)."""
    return {
        "format": "ACLED export columns (geo-incidents)",
        "rows": n,
        "figure_policy": summary.policy.label,
        "fatalities": f"sum of {_listed(KILLED)} under the figure policy; 0 when no "
                      "claim gives a figure",
        "not_expressed": ["per-source and per-claimant figures (only the policy's figure)",
                          "low/high ranges across claims",
                          f"{', '.join(OTHER)} (in tags as name=N)",
                          "area-wide figures not tied to an incident"],
        "unlocated_incidents": int(len(summary.unresolved)),
    }
