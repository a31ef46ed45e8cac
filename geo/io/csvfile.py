"""Read CSV tables as text, keeping each row's spreadsheet number for error messages.

Every reader in ``geo`` goes through :func:`read_csv`, so problems are always
reported as ``file:row: field: message`` with the row as a spreadsheet shows it
(the header is row 1). UTF-8 (with or without BOM) or cp1252; ``,`` or ``;``; Windows,
Unix or old Mac line ends. pyarrow's reader first, pandas' C reader when row numbers
would shift, Python's csv module for rows longer than the header.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo.errors import DataError, Problem
from geo.io.limits import check_columns, check_rows
from geo.io.tables import ROW, arrow_text, recode_categories

__all__ = ["read_csv"]


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


_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, as surrogateescape keeps them
_MAX_NOTES = 20


def _legacy(raw: bytes, label: str) -> tuple[bytes, str, list[Problem]]:
    """Bytes, encoding and notes for a file that is not valid UTF-8 throughout.

    A file with no UTF-8 text at all (every non-ASCII byte outside UTF-8) is a legacy
    file: read as cp1252, with one note saying so and why. Otherwise the UTF-8 text
    stays as written and only the bytes that are not UTF-8 are read as cp1252; each
    cell holding such bytes is noted with its row and column (the first
    ``_MAX_NOTES``, then one note counting the others). The bytes returned are then
    UTF-8.
    """
    text = raw.decode("utf-8", errors="surrogateescape")
    utf8 = re.search("[^\x00-\x7f\udc80-\udcff]", text) is not None  # a BOM counts
    head = re.split(rb"\r\n|\r|\n", raw, maxsplit=1)[0]
    delimiter = ";" if head.count(b";") > head.count(b",") else ","
    bad = _cells_not_utf8(text.removeprefix("\ufeff"), delimiter)
    if not utf8:
        row, _field, cell = next(bad, (None, None, ""))
        byte = _ESCAPED.findall(cell)[0].encode("utf-8", "surrogateescape")[0] if cell else 0
        return raw, "cp1252", [Problem(
            label, None, None, None, f"read as cp1252 (the Windows encoding spreadsheets "
            f"save): the file is not UTF-8 (row {row}: byte 0x{byte:02X}) and holds no "
            "UTF-8 text; save it as UTF-8 if a letter looks wrong")]
    notes: list[Problem] = []
    more: list[int] = []
    for row, field, cell in bad:
        if len(notes) == _MAX_NOTES:
            more.append(row)
            continue
        codes = " ".join(f"0x{b:02X}" for b in
                         "".join(_ESCAPED.findall(cell)).encode("utf-8", "surrogateescape"))
        notes.append(Problem(label, row, field, _cp1252(cell)[:80],
                             f"not valid UTF-8 ({codes}): read as cp1252, the Windows "
                             "encoding, in this cell; the rest of the file is UTF-8. "
                             "Save the file as UTF-8"))
    if more:
        rows = ", ".join(map(str, dict.fromkeys(more[:20]))) + (", ..." if len(more) > 20 else "")
        notes.append(Problem(label, None, None, None, f"{len(more)} more cells not valid "
                             f"UTF-8 read as cp1252 (rows {rows})"))
    return _cp1252(text.removeprefix("\ufeff")).encode("utf-8"), "utf-8", notes


def _cp1252(text: str) -> str:
    """*text* decoded with surrogateescape, its bytes that are not UTF-8 read as cp1252."""
    return _ESCAPED.sub(lambda m: m[0].encode("utf-8", "surrogateescape")
                        .decode("cp1252", errors="replace"), text)


def _cells_not_utf8(text: str, delimiter: str) -> Iterator[tuple[int, str | None, str]]:
    """(spreadsheet row, column, cell) of each cell of *text* holding bytes that are not
    UTF-8 (records counted as :func:`read_csv` counts them)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    for row, rec in enumerate(reader, start=1):
        header = header or [c.strip() for c in rec]
        if _ESCAPED.search(delimiter.join(rec)):
            for i, cell in enumerate(rec):
                if _ESCAPED.search(cell):
                    yield row, header[i] if i < len(header) and row > 1 else None, cell


def read_csv(
    path: str | Path | bytes, *, required: Iterable[str], label: str | None = None,
    compact: bool = False,
) -> pd.DataFrame:
    """Read a CSV file as strings.

    Parameters
    ----------
    path : path or bytes
        The file, or its content (from an archive or an upload; give *label*).
        UTF-8 (with or without BOM) or cp1252; ``,`` or ``;`` delimited.
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
        ``attrs["problems"]`` lists rows with more cells than the header (the row
        keeps the header's cells; the caller rejects it).

    Raises
    ------
    DataError
        When the file is missing, empty, has more columns than
        :func:`geo.io.limits.check_columns` allows (checked on the header line, before
        parsing), or lacks required columns (all listed).
    """
    if isinstance(path, bytes):
        raw, name = path, label or "data"
    else:
        name = label or str(path)
        if not Path(path).is_file():
            raise DataError.single(name, "file not found")
        raw = Path(path).read_bytes()
    encoding = _encoding(raw, whole=False)
    notes: list[Problem] = []
    if encoding == "cp1252":  # not UTF-8 in the first MiB: maybe a few cells only
        raw, encoding, notes = _legacy(raw, name)
    # The header ends at the first line break, Windows, Unix or old Mac (\r alone).
    first = re.split(rb"\r\n|\r|\n", raw, maxsplit=1)[0].decode(encoding, errors="replace")
    if not first.strip():
        raise DataError.single(name, "file is empty: expected a header row")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if first.count('"') % 2:  # quotes come in pairs ("" for one in a cell)
        raise DataError.single(name, "a quote in the header row is not closed on its line: "
                               "the header would run on into the records", row=1)
    try:
        names = next(csv.reader([first], delimiter=delimiter))
    except csv.Error as exc:
        raise DataError.single(name, f"cannot read the header row: {exc}", row=1) from exc
    check_columns(name, len(names))  # before parsing: thousands of columns take minutes
    # Rows at most: line breaks past the header's (counted in C: 0.05 s per 100 MB).
    check_rows(name, max(raw.count(b"\n"), raw.count(b"\r")) - 1)
    twice = sorted(n for n, k in Counter(m.strip() for m in names).items() if k > 1)
    if twice:
        raise DataError([Problem(name, 1, n, None, "column appears more than once in the "
                                 "header") for n in twice])
    try:
        df = _parse(raw, delimiter, encoding, names, compact, name)
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        raise DataError.single(name, f"cannot parse as CSV: {exc}") from exc
    row_problems: list[Problem] = df.attrs.pop("problems", [])
    notes += df.attrs.pop("notes", [])  # bytes not UTF-8 after the first MiB
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
            df = df.drop(index=df.index[maybe[blank]]).reset_index(drop=True)
    df.attrs["problems"] = row_problems  # rows to reject (see _python_parse)
    df.attrs["notes"] = notes  # how bytes that are not UTF-8 were read
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


def _strip_categories(s: pd.Series) -> pd.Categorical:
    """Strip a categorical's values (merging those that become equal); missing is ""."""
    return recode_categories(
        s, lambda v: pc.utf8_trim_whitespace(arrow_text(pd.Series(v).astype("str")))
        .to_numpy(zero_copy_only=False), missing="")


def _parse(raw: bytes, delimiter: str, encoding: str, names: list[str],
           compact: bool, label: str) -> pd.DataFrame:
    """pyarrow's multi-threaded reader when row numbers stay exact, else pandas' C reader,
    else (rows with more cells than the header) Python's csv module.

    pyarrow skips blank lines and rejects line breaks inside quoted cells; either
    would shift spreadsheet row numbers, so such files take the C reader, which keeps
    blank lines as rows. A file found not to be UTF-8 after the first MiB is read as
    :func:`_legacy` says (``attrs["notes"]``).
    """
    notes: list[Problem] = []
    if encoding != "cp1252":
        try:
            df = _arrow_parse(raw, delimiter, names, compact)
        except Exception:  # noqa: BLE001 - any pyarrow refusal falls back to the C reader
            df = None
        lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
        # pyarrow drops blank lines and splits quoted cells on line breaks; either
        # changes the row count, and then the C reader keeps rows exact.
        if df is not None and len(df) + 1 == lines:
            return df
        if _encoding(raw) == "cp1252":  # pyarrow refused: not UTF-8 after the first MiB
            raw, encoding, notes = _legacy(raw, label)
    try:
        with warnings.catch_warnings():
            # pandas drops the extra cells of a long row with a mere warning
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                io.BytesIO(raw), dtype=str, keep_default_na=False, na_values=[],
                sep=delimiter, encoding=encoding, encoding_errors="replace",
                skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL, index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        df = _python_parse(raw, delimiter, encoding, label)
    df.attrs["notes"] = notes
    return df


def _python_parse(raw: bytes, delimiter: str, encoding: str, label: str) -> pd.DataFrame:
    """Record by record, for files with rows longer than the header: such a row keeps
    the header's cells and is reported with its extra cells (in ``attrs["problems"]``),
    so it is rejected without losing anything."""
    text = raw.decode("utf-8-sig" if encoding.startswith("utf-8") else encoding,
                      errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    n = len(header)
    rows, problems = [], []
    for row, rec in enumerate(reader, start=2):
        if len(rec) > n:
            extra = rec[n:]
            if any(c.strip() for c in extra):
                problems.append(Problem(label, row, None, delimiter.join(extra)[:200],
                                        f"{len(rec)} cells, but the header has {n}: a "
                                        "delimiter or quote is out of place"))
            rec = rec[:n]
        rows.append(rec + [""] * (n - len(rec)))
    df = pd.DataFrame(rows, columns=header, dtype=object)
    df.attrs["problems"] = problems
    return df


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
