"""Our incidents in ACLED's column layout, so coded data can be merged with theirs.

One row per incident in :data:`~geo.importers.acled.ACLED_COLUMNS`, unlocated incidents
included (no coordinates, their figures kept). What ACLED cannot express is collapsed in
the CSV; the sidecar (:func:`acled_sidecar`, written beside ``FILE.csv`` as
``FILE.json``) keeps every claim of every exported incident and the sources they cite,
so :func:`geo.importers.acled.import_acled` restores the dataset's meaning. Collapsed:

* ``fatalities`` is one whole number: the sum of the best figures (under the figure
  policy) of the categories treated ``"fatalities"`` (:data:`KILLED`), from claims that
  are not militant (:data:`~geo.dataset.schema.CLAIMANT_CLASSES`). A figure that only
  militants give is not counted: it is written in ``tags`` as
  ``militant_claim:CATEGORY=N``. The ``"combined"`` categories (:data:`COMBINED`, one
  count of several sides) are ``fatalities`` only when the incident has no per-side
  killed figure, never added to one, and always in ``tags`` as ``CATEGORY=N``. An
  incident with no figure at all has ``fatalities`` 0 (ACLED has no empty count) and the
  tag :data:`NOT_REPORTED`;
* the categories treated ``"tag"`` (:data:`OTHER`: injured, abducted...) have no ACLED
  column: they are in ``tags`` as ``injured=N`` etc.;
* per-claim figures, claimants, ranges and subgroups: only in the sidecar;
* ``civilian_targeting`` follows the event: ``Violence against civilians``, or a
  ``target_type`` or ``actor2`` naming civilians (never the figures);
* ``iso``, ``country``, ``region``: the boundary layer's country (its ISO 3166-1 numeric
  code and ACLED's region name from :data:`ISO_NUMERIC` and :data:`ACLED_REGIONS`);
  ``admin1``/``admin2``: the province and district the incident falls in (an
  unlocated incident: its admin hints as given); ``admin3``: empty, as the bundled layer
  has no third level;
* ``inter1``/``inter2``/``interaction``: from ACLED's actor naming conventions
  (:data:`ACTOR_PATTERNS`: "Military Forces of X", "Civilians (X)"...); an actor of
  unknown type leaves them empty and is listed in the sidecar;
* ``source``: the publishers cited; ``source_scale``: ``New media`` when every cited
  source is a militant claim, else empty (our source kinds do not say a source's
  scale);
* columns imported from ACLED (``acled_*``) go back to their place and win over what
  is derived here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import pandas as pd

from geo.analysis.summary import Summary
from geo.dataset import categories
from geo.dataset.policy import scope_figures
from geo.dataset.records import Dataset
from geo.dataset.schema import CLAIMANT_CLASSES
from geo.export._acled_codes import (
    ACLED_REGIONS,
    ACTOR_PATTERNS,
    ISO_NUMERIC,
    SCALES,
    actor_type,
    interaction,
    layer_country,
)
from geo.export.tables import incident_frame
from geo.importers.acled import (
    ACLED_COLUMNS,
    ACLED_SOURCE,
    NOT_REPORTED,
    OUR_TAG,
    SIDECAR_FORMAT,
)
from geo.io.tables import ROW

__all__ = ["ACLED_REGIONS", "ACTOR_PATTERNS", "COMBINED", "DATE_FORMATS", "ISO_NUMERIC",
           "KILLED", "NOT_REPORTED", "OTHER", "SIDECAR_FORMAT", "acled_frame",
           "acled_sidecar", "actor_type", "layer_country"]

KILLED: tuple[str, ...] = tuple(c.name for c in categories.TABLE if c.acled == "fatalities")
"""Categories summed into ACLED's ``fatalities``."""
COMBINED: tuple[str, ...] = tuple(c.name for c in categories.TABLE if c.acled == "combined")
"""Categories that count several sides together: ``fatalities`` only without a per-side
figure, and always in ``tags``."""
OTHER: tuple[str, ...] = tuple(c.name for c in categories.TABLE if c.acled == "tag")
"""Categories written in ACLED's ``tags`` as ``name=N``."""
MILITANT = "militant_claim"
"""Prefix of the tags holding figures that only militants claim."""
DateFormat = Literal["acled", "iso"]
DATE_FORMATS: tuple[str, ...] = ("acled", "iso")
"""``event_date`` as ACLED writes it (``31 January 2026``) or as YYYY-MM-DD."""

_DISORDER = {"Protests": "Demonstrations", "Riots": "Political violence; Demonstrations",
             "Strategic developments": "Strategic developments"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_CIVILIANS = r"(?i)\bcivilians?\b"
_CARRIED = {"incident_id", "event_date", "time_precision", "location", "admin1", "admin2",
            "latitude", "longitude", "geo_precision", "event_type", "sub_event_type",
            "actor1", "actor2", "description", ROW}
"""Incident columns the CSV itself carries; the sidecar keeps the others."""


def _figures(dataset: Dataset, ids: pd.Series, summary: Summary) -> pd.DataFrame:
    """Per incident (index: id) and category: ``C`` the best non-militant figure under
    the policy, ``militant:C`` the best militant figure where no other claim gives one."""
    clm = dataset.claims
    clm = clm[clm["incident_id"].astype(str).isin(set(ids))]
    militant = (clm["claimant_type"].astype(str).map(CLAIMANT_CLASSES) == "militant").to_numpy()
    out = pd.DataFrame(index=pd.Index(ids.unique(), dtype=object))
    for prefix, part in (("", clm[~militant]), (f"{MILITANT}:", clm[militant])):
        figs = scope_figures(part.reset_index(drop=True), summary.policy)
        figs = figs[figs["best"].notna()]
        if len(figs):
            figs = pd.DataFrame({"incident_id": figs["incident_id"].astype(str),
                                 "category": figs["category"].astype(str),
                                 "best": figs["best"].astype(float)})
            wide = figs.pivot(index="incident_id", columns="category", values="best")
            out = out.join(wide.add_prefix(prefix))
    for c in categories.names():
        for col in (c, f"{MILITANT}:{c}"):
            if col not in out:
                out[col] = np.nan
        out.loc[out[c].notna(), f"{MILITANT}:{c}"] = np.nan  # others give a figure
    return out


def _each(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """``values.map(fn)``, calling *fn* once per distinct value."""
    text = values.astype(str)
    return text.map({v: fn(v) for v in pd.unique(text)}).astype(object)


def _tags(base: pd.Series, figs: pd.DataFrame, not_reported: np.ndarray) -> pd.Series:
    """``tags``: the passthrough tags (without ours, which are written again), then the
    combined, tag-treated and militant-only figures, then :data:`NOT_REPORTED`."""
    named = [*COMBINED, *OTHER, *(f"{MILITANT}:{c}" for c in (*KILLED, *COMBINED, *OTHER))]
    parts = [_each(base, lambda t: "; ".join(
        x.strip() for x in t.split(";")
        if x.strip() and x.strip() != "nan" and not OUR_TAG.fullmatch(x.strip())))]
    for n in named:
        v = figs[n].to_numpy(dtype=float)
        has = ~np.isnan(v)
        parts.append(pd.Series(np.where(has, n + "=" + np.nan_to_num(v).astype(np.int64)
                                        .astype(str), ""), index=base.index, dtype=object))
    parts.append(pd.Series(np.where(not_reported, NOT_REPORTED, ""), index=base.index,
                           dtype=object))
    joined = parts[0].str.cat(parts[1:], sep="; ")
    # the empty parts leave runs of separators: one between tags, none at the ends
    joined = joined.str.replace(r"(?:; ){2,}", "; ", regex=True)
    return joined.str.replace(r"^(?:; )+|(?:; )+$", "", regex=True).astype(object)


def _dates(iso: pd.Series, how: str) -> pd.Series:
    """YYYY-MM-DD text as ``how`` writes it (``acled``: ``31 January 2026``)."""
    if how == "iso":
        return iso.astype(object)
    return _each(iso, lambda d: f"{d[8:10]} {_MONTHS[int(d[5:7]) - 1]} {d[:4]}")


def acled_frame(summary: Summary, dataset: Dataset, *, date_format: DateFormat = "acled",
                country: tuple[str, str] | None = None) -> pd.DataFrame:
    """Incidents of *summary* (its filters and policy), located or not, as ACLED rows.

    Parameters
    ----------
    summary : Summary
        From :func:`geo.analysis.summary.summarise`: the incidents and figure policy.
    dataset : Dataset
        The summarised dataset (its claims give the figures, its sources the names).
    date_format : {"acled", "iso"}
        ``event_date`` as ``31 January 2026`` (ACLED's export) or ``2026-01-31``.
    country : (str, str), optional
        (name, ISO alpha-2) of the incidents' country; default :func:`layer_country`.

    Returns
    -------
    pandas.DataFrame
        Exactly :data:`~geo.importers.acled.ACLED_COLUMNS`; counts are integers,
        coordinates at ACLED's 4 decimals.
    """
    if date_format not in DATE_FORMATS:
        raise ValueError(f"date_format must be one of {', '.join(DATE_FORMATS)}, "
                         f"not {date_format!r}")
    f = pd.DataFrame(incident_frame(summary, dataset)).drop(columns="geometry",
                                                            errors="ignore")
    f = f.reset_index(drop=True)
    extra = dataset.incidents.set_index(dataset.incidents["incident_id"].astype(str))
    passthrough = {c.removeprefix("acled_"): c for c in extra.columns if c.startswith("acled_")}
    ids = f["incident_id"].astype(str)

    def kept(col: str, default: Any) -> pd.Series:
        """The ``acled_`` passthrough where given, else *default*."""
        base = pd.Series(default, index=f.index, dtype=object)
        if col in passthrough:
            got = ids.map(extra[passthrough[col]].astype(str))
            return got.where(got.notna() & (got != "") & (got != "nan"), base)
        return base

    def text(col: str, frame: pd.DataFrame = f) -> pd.Series:
        s = frame[col].astype(object) if col in frame else pd.Series("", index=f.index)
        return s.where(s.notna(), "").astype(str)

    figs = _figures(dataset, ids, summary).reindex(ids.to_numpy())
    side = figs[list(KILLED)]
    has_side = side.notna().any(axis=1).to_numpy()
    combined = figs[list(COMBINED)].sum(axis=1, min_count=1).to_numpy()
    fatalities = np.where(has_side, side.sum(axis=1).to_numpy(),
                          np.nan_to_num(combined, nan=0)).astype(np.int64)
    not_reported = ~has_side & np.isnan(combined)

    name, alpha2 = country if country is not None else layer_country()
    iso = ISO_NUMERIC.get(alpha2)
    hints = extra.reindex(ids.to_numpy())
    located = f["located"].astype(bool).to_numpy()
    admin = {lvl: np.where(located, text(col), text(lvl, hints.set_axis(f.index)))
             for lvl, col in (("admin1", "province"), ("admin2", "district"))}
    actors = {k: text(k) for k in ("actor1", "actor2")}
    derived = {k: _each(actors[k], lambda a: actor_type(a, name)) for k in actors}
    inter1, inter2 = kept("inter1", derived["actor1"]), kept("inter2", derived["actor2"])
    second = inter2.astype(str).where(actors["actor2"] != "", "")
    pairs = _each(inter1.astype(str) + "\x1f" + second,
                  lambda k: interaction(*k.split("\x1f")))
    civ = ((f["event_type"].astype(str) == "Violence against civilians")
           | text("target_type").str.contains(_CIVILIANS)
           | actors["actor2"].str.contains(_CIVILIANS)).to_numpy()

    names = dict(zip(dataset.sources["source_id"].astype(str),
                     dataset.sources["publisher"].astype(str), strict=True))
    kinds = dict(zip(dataset.sources["source_id"].astype(str),
                     dataset.sources["kind"].astype(str).map(SCALES), strict=True))

    def cited(ids_: str) -> list[str]:
        return [i for i in ids_.split(";") if i and i != ACLED_SOURCE]

    def scale(ids_: str) -> str:
        got = [kinds.get(i) for i in cited(ids_)]
        ok = got and all(isinstance(k, str) for k in got)
        return "-".join(dict.fromkeys(str(k) for k in got)) if ok else ""

    source_ids = text("source_ids")

    out = pd.DataFrame({
        "event_id_cnty": ids,
        "event_date": _dates(f["event_date"], date_format),
        "year": pd.to_datetime(f["event_date"]).dt.year.astype(np.int64),
        "time_precision": f["time_precision"].astype(np.int64),
        "disorder_type": kept("disorder_type", f["event_type"].map(_DISORDER)
                              .fillna("Political violence")),
        "event_type": f["event_type"], "sub_event_type": f["sub_event_type"],
        "actor1": actors["actor1"], "assoc_actor_1": kept("assoc_actor_1", ""),
        "inter1": inter1, "actor2": actors["actor2"],
        "assoc_actor_2": kept("assoc_actor_2", ""), "inter2": inter2,
        "interaction": kept("interaction", pd.Series(pairs, index=f.index)),
        "civilian_targeting": np.where(civ, "Civilian targeting", ""),
        "iso": kept("iso", "" if iso is None else str(iso)),
        "region": kept("region", ACLED_REGIONS.get(iso or 0, "")),
        "country": kept("country", name),
        "admin1": admin["admin1"], "admin2": admin["admin2"],
        "admin3": kept("admin3", ""),
        "location": f["location"], "latitude": f["lat"].astype(float).round(4),
        "longitude": f["lon"].astype(float).round(4), "geo_precision": f["geo_precision"],
        "source": _each(source_ids, lambda x: "; ".join(names.get(i, i) for i in cited(x))),
        "source_scale": kept("source_scale", _each(source_ids, scale)),
        "notes": text("description"), "fatalities": fatalities,
        "tags": _tags(kept("tags", ""), figs.set_index(f.index), not_reported),
        "timestamp": kept("timestamp", str(int(dt.datetime.now(dt.UTC).timestamp()))),
    })
    return out[list(ACLED_COLUMNS)]


def _listed(names: tuple[str, ...]) -> str:
    """``"a, b and c"``."""
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else \
        "".join(names)


def _as_text(df: pd.DataFrame) -> list[dict[str, str]]:
    """Rows as text, as the dataset's CSV files hold them (dates YYYY-MM-DD, whole
    numbers without a decimal point, empty cells "")."""
    cols = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            t = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(s):
            whole = s.notna() & (s == s.round())
            t = s.astype(str).where(~whole, s.fillna(0).astype(np.int64).astype(str))
            t = t.where(s.notna(), "")
        else:
            t = s.astype(object).where(s.notna(), "").astype(str)
        cols[c] = t.where(t.notna(), "").astype(str).tolist()
    names = list(cols)
    return [dict(zip(names, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def acled_sidecar(summary: Summary, frame: pd.DataFrame | int,
                  dataset: Dataset | None = None, *,
                  date_format: DateFormat = "acled") -> dict[str, Any]:
    """What the ACLED file holds, what it collapsed and, given *dataset*, everything
    needed to restore it: every claim of every exported incident, the sources they and
    the incidents cite, and the incident columns ACLED has no place for.

    Parameters
    ----------
    summary : Summary
        As given to :func:`acled_frame`.
    frame : pandas.DataFrame or int
        The frame :func:`acled_frame` made (or only its number of rows).
    dataset : Dataset, optional
        The summarised dataset; without it the sidecar only describes the file.
    date_format : {"acled", "iso"}
        As given to :func:`acled_frame`.

    Returns
    -------
    dict
        JSON-ready; :func:`geo.importers.acled.import_acled` reads it back.
    """
    rows = frame if isinstance(frame, int) else len(frame)
    meta: dict[str, Any] = {
        "format": SIDECAR_FORMAT,
        "version": 2,
        "rows": rows,
        "figure_policy": summary.policy.label,
        "date_format": {"acled": "event_date as ACLED writes it (31 January 2026)",
                        "iso": "event_date as YYYY-MM-DD"}[date_format],
        "fatalities": f"sum of {_listed(KILLED)} under the figure policy, from claims "
                      f"that are not militant; {_listed(COMBINED)} (several sides "
                      "counted together) only when none of them has a figure; 0 when "
                      f"no claim gives one, tagged {NOT_REPORTED}",
        "tags": {
            NOT_REPORTED: "no claim gives a killed figure: the fatalities 0 is ACLED's "
                          "convention for an empty count, not a reported zero",
            f"{MILITANT}:CATEGORY=N": "a figure that only militants claim; not counted "
                                      "in fatalities",
            "CATEGORY=N": f"the figure of {_listed(COMBINED + OTHER)}, which ACLED "
                          "has no column for",
        },
        "columns": {
            "iso, country, region": "the boundary layer's country; ISO 3166-1 numeric "
                                    "code; ACLED's region name",
            "admin1, admin2": "province and district of the boundary layer (an "
                              "unlocated incident: its admin hints as given)",
            "admin3": "empty: the boundary layer has no third level",
            "inter1, inter2, interaction": "from ACLED's actor naming conventions; "
                                           "empty for an actor of unknown type",
            "source_scale": "New media when every cited source is a militant claim; "
                            "else empty (source kinds do not say a source's scale)",
            "civilian_targeting": "the event: Violence against civilians, or a target "
                                  "or second actor naming civilians",
        },
        "not_expressed": ["per-source and per-claimant figures (only the policy's figure)",
                          "low/high ranges across claims",
                          f"{', '.join(COMBINED + OTHER)} (in tags as name=N)",
                          "area-wide figures not tied to an incident"],
        "unlocated_incidents": int(len(summary.unresolved)),
    }
    if not isinstance(frame, int):
        unknown = set()
        for actor, inter in (("actor1", "inter1"), ("actor2", "inter2")):
            a, t = frame[actor].astype(str), frame[inter].astype(str)
            unknown |= set(a[(a != "") & (t == "")])
        meta["actors_of_unknown_type"] = sorted(unknown)
    if dataset is not None:
        ids = (frame["event_id_cnty"].astype(str) if not isinstance(frame, int)
               else incident_frame(summary, dataset)["incident_id"].astype(str))
        meta.update(_restorable(dataset, ids))
    return meta


def _restorable(dataset: Dataset, ids: pd.Series) -> dict[str, Any]:
    """The claims, cited sources and uncarried incident columns of incidents *ids*."""
    want = set(ids)
    inc = dataset.incidents[dataset.incidents["incident_id"].astype(str).isin(want)]
    clm = dataset.claims[dataset.claims["incident_id"].astype(str).isin(want)]
    clm = clm.drop(columns=[ROW], errors="ignore").copy()
    dates = inc.set_index(inc["incident_id"].astype(str))["event_date"]
    on_day = clm["incident_id"].astype(str).map(dates)
    for c in ("period_start", "period_end"):  # an incident's own day is the default
        clm[c] = clm[c].where(clm[c] != on_day)
    own = [c for c in inc.columns if c not in _CARRIED and not c.startswith("acled_")]
    kept = inc[own].set_index(inc["incident_id"].astype(str))
    cited = set(clm["source_id"].astype(str))
    for s in inc["source_ids"].astype(str):
        cited |= set(s.split(";"))
    src = dataset.sources[dataset.sources["source_id"].astype(str).isin(cited)]
    return {
        "incident_ids": list(ids),
        "passthrough": sorted(c.removeprefix("acled_") for c in inc.columns
                              if c.startswith("acled_")),
        "incidents": dict(zip(kept.index, _as_text(kept.reset_index(drop=True)),
                              strict=True)),
        "claims": _as_text(clm),
        "sources": _as_text(src.drop(columns=[ROW], errors="ignore")),
    }
