"""Read a dataset folder (sources, incidents, claims) into typed, cross-checked frames.

:func:`read_dataset` never loses a row: rows that fail validation are listed in
``Dataset.problems`` (file, spreadsheet row, field, value, message) and left out of
the typed frames; :func:`load_dataset` raises :class:`~geo.errors.DataError` with all
problems at once when there is any.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from geo import bundled
from geo.dataset.ingest import DatasetFiles, collect, table_files
from geo.dataset.schema import EVENT_TYPES, VAGUE_NUMBERS, validate_table
from geo.errors import DataError, Problem
from geo.io.csvfile import read_csv
from geo.io.dates import date_notes, read_dates
from geo.io.geojson import read_geojson_incidents
from geo.io.parquet import read_parquet_table
from geo.io.tables import (
    ROW,
    codes_of,
    index_in,
    isin,
    parse_cache,
    recode_categories,
    split_isin,
    to_dates,
    to_float,
)

__all__ = ["FILES", "PROBLEMS", "Dataset", "load_dataset", "read_dataset"]

FILES = {"sources": "sources.csv", "incidents": "incidents.csv", "claims": "claims.csv"}
PROBLEMS = "_problems"
"""Column of ``Dataset.rejected`` frames saying why each row was rejected."""
_REQUIRED = {
    "sources": ("source_id", "publisher", "title", "published", "kind"),
    "incidents": ("incident_id", "event_date", "event_type", "source_ids"),
    "claims": ("claim_id", "source_id", "claimant", "claimant_type", "category", "value"),
}


@dataclass
class Dataset:
    """A validated dataset.

    Attributes
    ----------
    root : pathlib.Path
        The folder read.
    sources, incidents, claims : pandas.DataFrame
        Valid rows, typed (dates as ``datetime64``, counts as integers), with the
        spreadsheet row in ``_row``; unknown extra columns are kept as text.
    problems : list of Problem
        Every row-level problem; the rows concerned are not in the frames.
    notes : list of Problem
        How values in other formats were understood (dates as day/month/year, Excel
        date numbers, ...): not errors, but worth a look.
    rejected : dict of str to pandas.DataFrame
        Per table, the rejected rows as read (text), so nothing is lost.
    files : dict of str to str
        Per table, the file it was read from (``claims.csv``, ``claims.parquet``,
        ``incidents.geojson``...).
    fingerprint : str
        Hash of the files' content (:attr:`geo.dataset.ingest.DatasetFiles.fingerprint`), a
        key for caches of derived results; ``""`` for frames built in memory.
    """

    root: Path
    sources: pd.DataFrame
    incidents: pd.DataFrame
    claims: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=lambda: dict(FILES))
    fingerprint: str = ""


def _bad_rows(problems: list[Problem], file: str) -> set[int]:
    # Row numbers of records (a CSV's header row 1 holds none; a GeoJSON's features
    # count from 1).
    return {p.row for p in problems if p.file == file and p.row is not None}


def _flag(df: pd.DataFrame, mask: np.ndarray | pd.Series, file: str, fld: str,
          message: str, problems: list[Problem]) -> None:
    for row, value in zip(df.loc[mask, ROW], df.loc[mask, fld], strict=True):
        problems.append(Problem(file, int(row), fld, str(value) or None, message))


def _sub_types_fit(event: pd.Series, sub: pd.Series) -> np.ndarray:
    """Rows whose sub_event_type is empty or a sub-type of their event_type, checked
    once per distinct (event_type, sub_event_type) pair of codes."""
    (ec, ev), (sc, sv) = codes_of(event), codes_of(sub)
    width = len(sv) + 1
    pair = (ec + 1) * width + (sc + 1)  # code -1 (missing) -> 0
    if (len(ev) + 1) * width <= 1 << 20:  # few types: a dense table, no sort
        seen = np.flatnonzero(np.bincount(pair, minlength=1))
        where = pair
    else:
        seen, where = np.unique(pair, return_inverse=True)
    ok = np.zeros(int(where.max(initial=0)) + 1, dtype=bool)
    for j, p in enumerate(seen.tolist()):
        e, s = divmod(p, width)
        s_text = str(sv[s - 1]) if s else ""
        fits = s_text == "" or s_text in EVENT_TYPES.get(str(ev[e - 1]) if e else "", ())
        ok[p if where is pair else j] = fits
    return ok[where]


def _dates(s: pd.Series) -> pd.Series:
    return pd.Series(to_dates(s), index=s.index)


def _text(df: pd.DataFrame, cols: tuple[str, ...]) -> None:
    for c in cols:
        if c not in df.columns:
            df[c] = ""


def read_dataset(path: str | Path | DatasetFiles | None = None) -> Dataset:
    """Read and validate a dataset, keeping the valid rows (see :func:`_read`)."""
    with parse_cache():
        return _read(path)


def _read(path: str | Path | DatasetFiles | None = None) -> Dataset:
    """Read and validate a dataset, keeping the valid rows.

    Parameters
    ----------
    path : path or DatasetFiles, optional
        A folder or ``.zip`` with ``sources.csv``, ``incidents.csv`` (or
        ``incidents.geojson``) and ``claims.csv``, each table as ``.parquet``
        instead if wished (incidents as GeoParquet), or files already in memory
        (:func:`geo.dataset.ingest.from_uploads`). Default: the bundled Balochistan 2026
        dataset.

    Returns
    -------
    Dataset
        With ``problems`` listing every rejected row and why.

    Raises
    ------
    DataError
        When the folder or one of the files is missing or unreadable, or lacks
        required columns (nothing can be loaded then).
    """
    got = path if isinstance(path, DatasetFiles) else collect(
        path if path is not None else bundled.dataset_dir())
    root = Path(got.origin)
    raw: dict[str, pd.DataFrame] = {}
    fatal: list[Problem] = []
    problems: list[Problem] = []
    # Each table from its .csv, .parquet (or incidents.geojson): one of them
    files, fatal = table_files(got.files)
    reader_notes: list[Problem] = []
    for table, name in files.items():
        try:
            if name not in got.files:
                fatal.append(Problem(name, None, None, None, "file not found"))
            elif name.endswith(".geojson"):
                raw[table], geo_problems = read_geojson_incidents(
                    got.files[name], required=_REQUIRED[table])
                problems += geo_problems
            elif name.endswith(".parquet"):
                raw[table] = read_parquet_table(got.files[name], required=_REQUIRED[table],
                                                label=name, geometry=table == "incidents")
            else:
                raw[table] = read_csv(got.files[name], required=_REQUIRED[table], label=name,
                                      compact=True)
            if table in raw:
                problems += raw[table].attrs.pop("problems", [])
                reader_notes += raw[table].attrs.pop("notes", [])
        except DataError as exc:
            fatal.extend(exc.problems)
    if fatal:
        raise DataError(fatal)
    for table, name in files.items():
        problems += validate_table(raw[table], table, name)

    src, inc, clm = raw["sources"], raw["incidents"], raw["claims"]
    _text(src, ("url", "author", "note"))
    _text(inc, ("time_precision", "location", "admin1", "admin2", "latitude", "longitude",
                "geo_precision", "sub_event_type", "actor1", "actor2", "target_type",
                "description", "operation_id"))
    _text(clm, ("incident_id", "area", "period_start", "period_end", "value_max",
                "qualifier", "value_text", "claim_date", "locator", "note", "subgroup"))

    # incidents: a place or coordinates; both coordinates or neither; sub-type fits type
    f = files["incidents"]
    has_lat, has_lon = inc["latitude"] != "", inc["longitude"] != ""
    _flag(inc, has_lat != has_lon, f, "latitude",
          "give both latitude and longitude, or neither", problems)
    _flag(inc, (inc["location"] == "") & ~(has_lat & has_lon) & (inc["admin1"] == ""), f,
          "location", "give a location (place name), latitude and longitude, or at least "
          "admin1 (the place is then not reported: the incident is kept off the map)",
          problems)
    fits = _sub_types_fit(inc["event_type"], inc["sub_event_type"])
    _flag(inc, ~fits, f, "sub_event_type",
          "not a sub-event type of this event_type", problems)
    no_sub = ((inc["event_type"] != "") & (inc["sub_event_type"] == "")).to_numpy()
    for row, event in zip(inc.loc[no_sub, ROW], inc.loc[no_sub, "event_type"], strict=True):
        subs = EVENT_TYPES.get(str(event), ())
        hint = f"; for {str(event)!r} one of: {', '.join(subs)}" if subs else ""
        problems.append(Problem(f, int(row), "sub_event_type", None,
                                f"required when event_type is given (event_type "
                                f"{str(event)!r}){hint}"))
    known_sources = src.loc[~src[ROW].isin(list(_bad_rows(problems, files["sources"]))),
                            "source_id"]
    missing_src = ~split_isin(inc["source_ids"], known_sources)
    _flag(inc, missing_src & (inc["source_ids"] != "").to_numpy(), f, "source_ids",
          f"names a source_id that is not in {files['sources']}", problems)

    # claims: tied to exactly one of incident / area; references exist; values coherent
    f = files["claims"]
    has_inc, has_area = clm["incident_id"] != "", clm["area"] != ""
    _flag(clm, has_inc == has_area, f, "incident_id",
          "give either incident_id or area (the admin area a figure covers), not both",
          problems)
    good_inc = inc.loc[~inc[ROW].isin(list(_bad_rows(problems, files["incidents"]))),
                       "incident_id"]
    # Position of each claim's incident among the valid incidents (-1: none); hashed
    # once here and reused to type the claims.
    inc_pos = index_in(clm["incident_id"], good_inc)
    _flag(clm, has_inc & (inc_pos < 0), f, "incident_id",
          f"no valid incident with this id in {files['incidents']}", problems)
    _flag(clm, ~isin(clm["source_id"], known_sources) & (clm["source_id"] != ""), f,
          "source_id", f"no valid source with this id in {files['sources']}", problems)
    start, end = _dates(clm["period_start"]), _dates(clm["period_end"])
    _flag(clm, has_area & ~has_inc & (start.isna() | end.isna()), f, "period_start",
          "a figure for an area needs period_start and period_end", problems)
    _flag(clm, (start > end).fillna(False), f, "period_end", "ends before period_start",
          problems)
    value = pd.Series(to_float(clm["value"]), index=clm.index)
    vmax = pd.Series(to_float(clm["value_max"]), index=clm.index)
    _flag(clm, (vmax < value).fillna(False), f, "value_max", "is below value", problems)
    _flag(clm, (clm["qualifier"] == "range") & vmax.isna(), f, "value_max",
          "a range needs value_max", problems)
    for word, n in VAGUE_NUMBERS.items():
        _flag(clm, (clm["qualifier"] == word) & (value != n), f, "value",
              f"qualifier {word!r} is coded as {n}", problems)

    notes = [n for table, cols in DATE_COLUMNS.items() for c in cols
             for n in _date_notes(raw[table], c, files[table])]
    ds = Dataset(root, src, inc, clm, problems, got.notes + reader_notes + notes,
                 files=files, fingerprint=got.fingerprint)
    return _typed(ds, inc_pos)


DATE_COLUMNS = {"sources": ("published",), "incidents": ("event_date",),
                "claims": ("period_start", "period_end", "claim_date")}


def _date_notes(df: pd.DataFrame, column: str, file: str) -> list[Problem]:
    """How the dates of one column that are not YYYY-MM-DD were read."""
    if column not in df.columns:
        return []
    s = df[column]
    if isinstance(s.dtype, pd.CategoricalDtype):  # once per distinct value
        codes = s.cat.codes.to_numpy()
        weights = np.bincount(codes[codes >= 0], minlength=len(s.cat.categories))
        _v, readings = read_dates(pd.Series(s.cat.categories.astype("str")), weights)
        # position: the first row holding each example category
        readings = [replace(r, position=int(np.argmax(codes == r.position)))
                    for r in readings]
    else:
        _v, readings = read_dates(s)
    rows = df[ROW].to_numpy()
    return [Problem(file, int(rows[r.position]), column, r.example, text)
            for r, text in zip(readings, date_notes(readings), strict=True)]


def _at(values: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """``values[pos]`` for dates, NaT where ``pos`` is -1."""
    return np.append(values.astype("datetime64[ns]"), np.datetime64("NaT"))[pos]


def _lookup(keys: pd.Series, index: pd.Series, values: np.ndarray) -> np.ndarray:
    """``keys.map(dict(zip(index, values)))`` for dates, hashed in C (NaT when absent)."""
    return _at(values, index_in(keys, index))


def _typed(ds: Dataset, inc_pos: np.ndarray) -> Dataset:
    """Parse the valid rows into typed columns.

    ``inc_pos`` is each claim's position among the valid incidents (-1 for none). The
    ``incident_id`` of incidents and claims becomes one shared categorical (the
    incidents' ids in file order, plus ``""`` for area figures), so grouping and
    joining later use integer codes, with no second hash of the ids.
    """
    def keep(t: str) -> np.ndarray | None:
        bad = _bad_rows(ds.problems, ds.files[t])
        return None if not bad else ~getattr(ds, t)[ROW].isin(list(bad)).to_numpy()

    def valid(t: str) -> pd.DataFrame:
        df: pd.DataFrame = getattr(ds, t)
        mask = keep(t)
        # Unfiltered when all rows passed, so parsed columns are reused from validation.
        return df.copy(deep=False) if mask is None else df[mask].copy()

    src, inc, clm = valid("sources"), valid("incidents"), valid("claims")
    mask = keep("claims")
    pos = inc_pos if mask is None else inc_pos[mask]
    src["published"] = _dates(src["published"])
    inc["event_date"] = _dates(inc["event_date"])
    inc["time_precision"] = np.nan_to_num(to_float(inc["time_precision"]), nan=1).astype(int)
    for c in ("latitude", "longitude", "geo_precision"):
        inc[c] = to_float(inc[c])
    clm["value"] = to_float(clm["value"]).astype(np.int64)
    clm["value_max"] = to_float(clm["value_max"])
    clm["qualifier"] = _replace(clm["qualifier"], "", "exact")
    # An incident's figures default to the incident's date; a claim's date to publication.
    inc_date = pd.Series(_at(inc["event_date"].to_numpy(), pos), index=clm.index)
    # Incidents and claims share one categorical dtype for incident_id (the incidents'
    # ids in file order, then "" for area figures): the codes are incident positions.
    ids = _unique_dtype(np.append(inc["incident_id"].to_numpy(dtype=object), ""))
    inc["incident_id"] = pd.Categorical.from_codes(np.arange(len(inc)), dtype=ids,
                                                   validate=False)
    clm["incident_id"] = pd.Categorical.from_codes(np.where(pos < 0, len(inc), pos),
                                                   dtype=ids, validate=False)
    clm["period_start"] = _dates(clm["period_start"]).fillna(inc_date)
    clm["period_end"] = _dates(clm["period_end"]).fillna(inc_date)
    published = pd.Series(_lookup(clm["source_id"], src["source_id"],
                                  src["published"].to_numpy()), index=clm.index)
    clm["claim_date"] = _dates(clm["claim_date"]).fillna(published)
    # Repetitive text columns are already categoricals (read_csv(compact=True)).
    return Dataset(ds.root, src.reset_index(drop=True), inc.reset_index(drop=True),
                   clm.reset_index(drop=True), ds.problems, ds.notes, _rejected(ds), ds.files,
                   ds.fingerprint)


def _unique_dtype(values: np.ndarray) -> pd.CategoricalDtype:
    """A categorical dtype of values known to be unique (valid ids: duplicates were
    rejected, and none is empty), without pandas hashing them again to check (0.3 s
    for a million ids). Falls back to the checked constructor."""
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fast is None:
        return pd.CategoricalDtype(values)
    return fast(pd.Index(values, dtype=object), False)


def _rejected(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Per table, the rejected rows as read, with a :data:`PROBLEMS` column saying why."""
    why: dict[tuple[str, int], list[str]] = {}
    for p in ds.problems:
        if p.row is not None:
            why.setdefault((p.file, p.row), []).append(
                f"{p.field}: {p.message}" if p.field else p.message)
    out = {}
    for table, name in ds.files.items():
        df: pd.DataFrame = getattr(ds, table)
        bad = df[ROW].isin([r for f, r in why if f == name]).to_numpy()
        if bad.any():
            rej = df[bad].astype({c: "object" for c in df.columns if c != ROW})
            rej[PROBLEMS] = ["; ".join(why[(name, int(r))]) for r in rej[ROW]]
            out[table] = rej.reset_index(drop=True)
    return out


def _replace(s: pd.Series, old: str, new: str) -> pd.Series:
    """``s.replace(old, new)``; for a categorical, on its categories (merging duplicates)."""
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return s.replace(old, new)
    return pd.Series(recode_categories(s, lambda v: np.where(v == old, new, v).astype(object)),
                     index=s.index)


def load_dataset(path: str | Path | DatasetFiles | None = None) -> Dataset:
    """Read a dataset folder and raise if anything in it is invalid.

    Parameters
    ----------
    path : path, optional
        The folder (default: the bundled dataset).

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        Listing every problem in every file.
    """
    ds = read_dataset(path)
    if ds.problems:
        raise DataError(sorted(ds.problems, key=lambda p: (p.file, p.row or 0)))
    return ds
