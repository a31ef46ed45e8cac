"""Read CSV tables as text, keeping each row's spreadsheet number for error messages.

Every reader in ``geo`` goes through :func:`read_csv`, so problems are always
reported as ``file:row: field: message`` with the row as a spreadsheet shows it
(the header is row 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo.errors import DataError, Problem

__all__ = [
    "ROW", "arrow_text", "index_in", "isin", "numeric_column", "parse_cache", "read_csv",
    "recode_categories", "split_isin", "to_dates", "to_float",
]

ROW = "_row"
"""Name of the column holding each record's spreadsheet row number."""


def _encoding(raw: bytes, *, whole: bool = True) -> str:
    """UTF-8 (with or without BOM) or, when the bytes are not UTF-8, cp1252.

    With ``whole=False`` only the first MiB is checked: pyarrow's reader validates
    the rest as UTF-8 while it parses, and a refusal sends the file through
    :func:`_encoding` again, whole.
    """
    if raw.isascii():
        return "utf-8"
    try:
        (raw if whole else raw[: 1 << 20]).decode("utf-8")
    except UnicodeDecodeError as exc:
        if whole or exc.start < (1 << 20) - 4:  # not a character cut at the 1 MiB mark
            # Spreadsheets on Windows save cp1252 (a superset of Latin-1's printable range).
            return "cp1252"
    return "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"


def read_csv(
    path: str | Path, *, required: Iterable[str], label: str | None = None,
    compact: bool = False,
) -> pd.DataFrame:
    """Read a CSV file as strings.

    Parameters
    ----------
    path : path
        The file. UTF-8 (with or without BOM) or cp1252; ``,`` or ``;`` delimited.
    required : iterable of str
        Columns that must be present.
    label : str, optional
        The name used in messages (default: the path as given).
    compact : bool
        From 1,000 rows on, store columns with few distinct values (event types,
        dates, sources, places...) as categoricals: stripped, checked and parsed once
        per distinct value instead of once per row.

    Returns
    -------
    pandas.DataFrame
        All columns as ``object`` strings with surrounding spaces removed and empty
        cells as ``""``, plus :data:`ROW`, the spreadsheet row number (blank lines count
        as rows, as in a spreadsheet; a cell with a line break stays one row).

    Raises
    ------
    DataError
        When the file is missing, empty, or lacks required columns (all listed).
    """
    path = Path(path)
    name = label or str(path)
    if not path.is_file():
        raise DataError.single(name, "file not found")
    raw = path.read_bytes()
    encoding = _encoding(raw, whole=False)
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise DataError.single(name, "file is empty: expected a header row")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    names = next(csv.reader([first], delimiter=delimiter))
    try:
        df = _parse(path, raw, delimiter, encoding, names, compact)
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError.single(name, f"cannot parse as CSV: {exc}") from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(
            [Problem(name, 1, c, None, "required column is missing") for c in missing]
        )
    df[ROW] = np.arange(2, len(df) + 2)
    for col in df.columns[:-1]:
        if isinstance(df[col].dtype, pd.CategoricalDtype):  # encoded by the reader
            df[col] = _strip_categories(df[col])
            continue
        text = df[col] if df[col].dtype == "str" else df[col].astype("str")
        text = text.fillna("") if text.hasnans else text
        few = _few_values(text) if compact and len(df) >= 1000 else None
        df[col] = few if few is not None else text.str.strip()
    # Rows with every cell empty (",,,," or a blank line) are not records.
    maybe = np.flatnonzero((df.iloc[:, 0] == "").to_numpy())
    if len(maybe):
        blank = (df.iloc[maybe, :-1] == "").all(axis=1).to_numpy()
        if blank.any():
            return df.drop(index=df.index[maybe[blank]]).reset_index(drop=True)
    return df


def _few_values(text: pd.Series) -> pd.Categorical | None:
    """*text* stripped, as a categorical, when it has fewer distinct values than half its rows."""
    arr = arrow_text(text)
    head = arr.slice(0, 10_000)  # ids, coordinates, free text: mostly distinct at once
    if pc.count_distinct(head).as_py() * 3 >= len(head):  # the reader's rule too
        return None
    enc = pc.dictionary_encode(arr)
    if len(enc.dictionary) * 2 >= len(text):
        return None
    cat = pd.Categorical.from_codes(enc.indices.to_numpy(zero_copy_only=False),
                                    categories=pd.Index(enc.dictionary.to_pylist(),
                                                        dtype=object), validate=False)
    return _strip_categories(pd.Series(cat))


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


def _strip_categories(s: pd.Series) -> pd.Categorical:
    """Strip a categorical's values (merging those that become equal); missing is ""."""
    return recode_categories(
        s, lambda v: pc.utf8_trim_whitespace(arrow_text(pd.Series(v).astype("str")))
        .to_numpy(zero_copy_only=False), missing="")


def _per_value(series: pd.Series, parse: Callable[[pd.Series], np.ndarray]) -> np.ndarray:
    """``parse(series)``, computed once per category when *series* is categorical."""
    if isinstance(series.dtype, pd.CategoricalDtype) and not series.hasnans:
        cats = pd.Series(series.cat.categories.astype("str"))
        return parse(cats)[series.cat.codes.to_numpy()]
    return parse(series)


def _parse(path: Path, raw: bytes, delimiter: str, encoding: str, names: list[str],
           compact: bool) -> pd.DataFrame:
    """pyarrow's multi-threaded reader when row numbers stay exact, else pandas' C reader.

    pyarrow skips blank lines and rejects line breaks inside quoted cells; either
    would shift spreadsheet row numbers, so such files take the C reader, which keeps
    blank lines as rows.
    """
    if encoding != "cp1252" and len(set(names)) == len(names):
        try:
            df = _arrow_parse(raw, delimiter, names, compact)
        except Exception:  # noqa: BLE001 - any pyarrow refusal falls back to the C reader
            df = None
        lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
        # pyarrow drops blank lines and splits quoted cells on line breaks; either
        # changes the row count, and then the C reader keeps rows exact.
        if df is not None and len(df) + 1 == lines:
            return df
        encoding = _encoding(raw)  # pyarrow refused: maybe not UTF-8 after the first MiB
    return pd.read_csv(
        path, dtype=str, keep_default_na=False, na_values=[], sep=delimiter,
        encoding=encoding, encoding_errors="replace", skip_blank_lines=False,
        quoting=csv.QUOTE_MINIMAL,
    )


_BOM = b"\xef\xbb\xbf"


def _arrow_parse(raw: bytes, delimiter: str, names: list[str], compact: bool
                 ) -> pd.DataFrame:
    """All columns as text; with *compact*, columns repetitive in the first MiB as
    dictionaries (categoricals), encoded by the reader while it parses."""
    body = raw[len(_BOM):] if raw.startswith(_BOM) else raw
    parse = pacsv.ParseOptions(delimiter=delimiter)
    text = {n: pa.large_string() for n in names}

    def options(types: dict[str, pa.DataType]) -> pacsv.ConvertOptions:
        return pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                    quoted_strings_can_be_null=False)
    if compact:
        head = body[: body.rfind(b"\n", 0, 1 << 20) + 1] or body
        sample = pacsv.read_csv(io.BytesIO(head), parse_options=parse,
                                convert_options=options(text))
        if sample.num_rows >= 1000:  # ids and free text stay plain text
            for n in names:
                if pc.count_distinct(sample[n]).as_py() * 3 < sample.num_rows:
                    text[n] = pa.dictionary(pa.int32(), pa.large_string())
    table = pacsv.read_csv(io.BytesIO(body), parse_options=parse,
                           convert_options=options(text))
    return table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype(
        "pyarrow", na_value=np.nan)}.get)


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
    """Parse YYYY-MM-DD text as ``datetime64[ns]``; NaT where empty or not a real date."""
    return _memo("dates", series, lambda s: _per_value(s, _to_dates))


def _to_dates(series: pd.Series) -> np.ndarray:
    arr = arrow_text(series)
    text = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)
    try:  # one C++ pass when every non-empty cell is a valid date
        parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=False)
        return np.array(parsed.to_numpy(zero_copy_only=False), dtype="datetime64[ns]")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    values = pd.to_datetime(pd.Series(text.to_pandas()), format="%Y-%m-%d", errors="coerce")
    return values.to_numpy(dtype="datetime64[ns]")


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
