"""Vectorised work on text columns read by :func:`geo.io.csvfile.read_csv`: Arrow-backed
membership tests, numbers and dates parsed once per distinct value, and the
spreadsheet row column :data:`ROW` that keeps every message ``file:row: field``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import Problem
from geo.io.dates import read_dates

__all__ = [
    "ROW", "arrow_text", "codes_of", "index_in", "isin", "numeric_column", "parse_cache",
    "recode_categories", "split_isin", "to_dates", "to_float",
]

ROW = "_row"
"""Name of the column holding each record's spreadsheet row number."""


def recode_categories(s: pd.Series, fn: Callable[[np.ndarray], np.ndarray],
                      missing: str | None = None) -> pd.Categorical:
    """Apply *fn* to a categorical's values, merging those that become equal.

    Parameters
    ----------
    s : pandas.Series
        Categorical.
    fn : callable
        Maps the array of category values (object) to new values, same length.
    missing : str, optional
        Value for missing cells (default: they stay missing).

    Returns
    -------
    pandas.Categorical
    """
    merged, values = pd.factorize(fn(s.cat.categories.to_numpy(dtype=object)))
    codes = s.cat.codes.to_numpy()
    cats = pd.Index(values, dtype=object)
    if missing is not None and (codes < 0).any():
        cats = cats.append(pd.Index([missing], dtype=object)).unique()
        codes = np.where(codes < 0, cats.get_loc(missing), merged[codes])
    else:
        codes = np.where(codes < 0, -1, merged[codes])
    return pd.Categorical.from_codes(codes, categories=cats, validate=False)


def codes_of(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code per row as int64, -1 where missing; the distinct values): a categorical's
    own codes, else one hash pass."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64), s.cat.categories.to_numpy(object)
    codes, values = pd.factorize(s)
    return codes.astype(np.int64), np.asarray(values, dtype=object)


def _per_value(series: pd.Series, parse: Callable[[pd.Series], np.ndarray]) -> np.ndarray:
    """``parse(series)``, computed once per category when *series* is categorical."""
    if isinstance(series.dtype, pd.CategoricalDtype) and not series.hasnans:
        cats = pd.Series(series.cat.categories.astype("str"))
        return parse(cats)[series.cat.codes.to_numpy()]
    return parse(series)


def arrow_text(values: Iterable[str] | pd.Series) -> pa.Array:
    """Text as one contiguous Arrow array (chunks combined, so indices are global)."""
    if isinstance(values, pd.Series | pd.Index):
        arr = pa.array(pd.Series(values).astype("str").fillna(""), type=pa.large_string())
    else:
        arr = pa.array(list(values), type=pa.large_string())
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def isin(series: pd.Series, values: Iterable[str] | pd.Series) -> np.ndarray:
    """``series.isin(values)`` for text, in C (pandas' Arrow path loops in Python)."""
    value_set = arrow_text(values)

    def parse(s: pd.Series) -> np.ndarray:
        return np.asarray(pc.is_in(arrow_text(s), value_set=value_set)
                          .to_numpy(zero_copy_only=False), dtype=bool)
    return _per_value(series, parse)


def index_in(series: pd.Series, values: Iterable[str] | pd.Series) -> np.ndarray:
    """Position of each text in ``values`` (first occurrence), -1 where absent; hashed in C."""
    value_set = arrow_text(values)

    def parse(s: pd.Series) -> np.ndarray:
        pos = pc.index_in(arrow_text(s), value_set=value_set)
        return np.asarray(pos.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    return _per_value(series, parse)


def split_isin(series: pd.Series, values: Iterable[str] | pd.Series,
               sep: str = ";", *, how: str = "all") -> np.ndarray:
    """Rows whose ``sep``-separated items are ``all`` (or, ``how="any"``, any) in ``values``.

    Empty items are ignored (a row with no item passes ``all`` and fails ``any``).
    """
    value_set = arrow_text(values)

    def parse(s: pd.Series) -> np.ndarray:
        parts = pc.split_pattern(arrow_text(s), sep)
        flat = pc.utf8_trim_whitespace(pc.list_flatten(parts))
        parent = pc.list_parent_indices(parts).to_numpy()
        hit = pc.is_in(flat, value_set=value_set).to_numpy(zero_copy_only=False)
        item = pc.not_equal(flat, "").to_numpy(zero_copy_only=False)
        if how == "any":
            return np.bincount(parent[hit & item], minlength=len(s)) > 0
        return np.bincount(parent[~hit & item], minlength=len(s)) == 0
    return _per_value(series, parse)


_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


def to_float(series: pd.Series) -> np.ndarray:
    """Parse text as floats, vectorised; NaN where the text is empty or not a number."""
    return _memo("float", series, lambda s: _per_value(s, _to_float))


def _to_float(series: pd.Series) -> np.ndarray:
    arr = arrow_text(series)
    empty = pc.equal(arr, "")
    try:  # the common case: every non-empty cell is a number; one C++ cast
        cast = pc.cast(pc.if_else(empty, pa.scalar(None, pa.large_string()), arr),
                       pa.float64())
        return np.array(cast.to_numpy(zero_copy_only=False), dtype=float)  # writable
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    ok = np.asarray(pc.match_substring_regex(arr, _NUMBER).to_numpy(zero_copy_only=False),
                    dtype=bool)
    out = np.full(len(arr), np.nan)
    if ok.any():
        out[ok] = pc.cast(arr.filter(pa.array(ok)), pa.float64()).to_numpy(zero_copy_only=False)
    return out


def numeric_column(
    df: pd.DataFrame,
    column: str,
    *,
    file: str,
    problems: list[Problem],
    low: float | None = None,
    high: float | None = None,
    required: bool = True,
) -> np.ndarray:
    """Parse a text column as floats, recording a problem for each bad cell.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from :func:`read_csv`.
    column : str
        The column to parse.
    file : str
        The file name for messages.
    problems : list of Problem
        Problems are appended here.
    low, high : float, optional
        The inclusive valid range.
    required : bool
        Whether an empty cell is a problem.

    Returns
    -------
    numpy.ndarray
        Floats, NaN where the cell was empty or bad.
    """
    raw = df[column].to_numpy(dtype=object)
    values = to_float(df[column])
    rows = df[ROW].to_numpy()
    rng = ""
    if low is not None and high is not None:
        rng = f" in [{low:g}, {high:g}]"
    for i in np.flatnonzero(~np.isfinite(values)):
        if raw[i] == "" and not required:
            continue
        msg = "required value is empty" if raw[i] == "" else f"expected a number{rng}"
        problems.append(Problem(file, int(rows[i]), column, raw[i] or None, msg))
    bad_range = np.zeros(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        if low is not None:
            bad_range |= values < low
        if high is not None:
            bad_range |= values > high
    for i in np.flatnonzero(bad_range):
        problems.append(Problem(file, int(rows[i]), column, raw[i], f"expected a number{rng}"))
    values[bad_range] = np.nan
    return values


def to_dates(series: pd.Series) -> np.ndarray:
    """Parse date text as ``datetime64[ns]`` (ISO, or the formats of :mod:`geo.io.dates`);
    NaT where empty or not a real date."""
    return _memo("dates", series, lambda s: _per_value(s, lambda t: read_dates(t)[0]))


_CACHE: dict[tuple[str, int], tuple[object, np.ndarray]] | None = None


def _memo(kind: str, series: pd.Series, parse: Callable[[pd.Series], np.ndarray]
          ) -> np.ndarray:
    """Reuse a parse of the same column within :func:`parse_cache` (validation, then typing)."""
    if _CACHE is None:
        return parse(series)
    data = series.array
    key = (kind, id(data))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is data:
        return hit[1].copy()
    out = parse(series)
    _CACHE[key] = (data, out)  # keeps `data` alive, so its id is not reused meanwhile
    return out.copy()


@contextmanager
def parse_cache() -> Iterator[None]:
    """Within the block, each column is parsed as numbers or dates at most once."""
    global _CACHE
    outer = _CACHE
    _CACHE = {} if outer is None else outer
    try:
        yield
    finally:
        _CACHE = outer
