"""The exception tree of the ``geo`` package.

Every error subclasses :class:`GeoError` and a builtin, so callers can catch either
(``except LookupError`` catches an unknown place, ``except ValueError`` bad data).
Extra data rides as attributes, never only in the message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "DataError",
    "FilterError",
    "GeoError",
    "OnlineUnavailable",
    "PolicyError",
    "Problem",
    "UnknownPlaceError",
]


class GeoError(Exception):
    """Base class of every error raised by ``geo``."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input file.

    Attributes
    ----------
    file : str
        The file's name as the user gave it.
    row : int or None
        The row as a spreadsheet shows it (the header is row 1, the first data row is 2);
        ``None`` when the problem concerns the whole file (a missing column, say).
    field : str or None
        The column concerned, if any.
    value : str or None
        The offending value as read, if any.
    message : str
        What was expected.
    """

    file: str
    row: int | None
    field: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [where]
        if self.field is not None:
            parts.append(self.field)
        text = self.message
        if self.value is not None:
            text = f"{text} (got {self.value!r})"
        parts.append(text)
        return ": ".join(parts)

    def note(self) -> str:
        """As a note (how a value was understood): ``file:row: field: 'value' message``."""
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [where, *([self.field] if self.field is not None else [])]
        value = f"{self.value!r} " if self.value is not None else ""
        return ": ".join(parts) + f": {value}{self.message}"


class DataError(GeoError, ValueError):
    """An input file could not be read as documented.

    Parameters
    ----------
    problems : sequence of Problem
        Every problem found; validation reports them all at once.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in input data"
        lines = [str(p) for p in self.problems[:50]]
        if n > 50:
            lines.append(f"... and {n - 50} more")
        super().__init__(head + ":\n" + "\n".join(lines))

    @classmethod
    def single(
        cls,
        file: str,
        message: str,
        *,
        row: int | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> DataError:
        """Build an error holding one problem."""
        return cls([Problem(file, row, field, value, message)])


class UnknownPlaceError(GeoError, LookupError):
    """A place name could not be resolved.

    Parameters
    ----------
    name : str
        The name as the caller gave it.
    suggestions : iterable of str
        Up to five near names from the gazetteer, best first.
    """

    def __init__(self, name: str, suggestions: Iterable[str] = ()) -> None:
        self.name = name
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        msg = f"Unknown place {name!r}"
        if self.suggestions:
            quoted = ", ".join(repr(s) for s in self.suggestions)
            msg += f"; did you mean {quoted}?"
        else:
            msg += "; no similar name in the gazetteer."
        super().__init__(msg)


class PolicyError(GeoError, ValueError):
    """A figure policy could not be parsed, or names a source or claimant the dataset
    lacks (:class:`geo.dataset.policy.Policy`)."""


class FilterError(GeoError, ValueError):
    """A filter value could not be used: a date that is not YYYY-MM-DD, a range that
    ends before it starts, a district or province no boundary names
    (:class:`geo.analysis.filter.Filter`).

    Parameters
    ----------
    field : str
        The filter's field (``date_from``, ``district``...).
    value : str
        The value as given.
    message : str
        What was expected.
    """

    def __init__(self, field: str, value: str, message: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}: {message} (got {value!r})")


class OnlineUnavailable(GeoError, ConnectionError):
    """The online geocoder could not be reached (no network, refused, timed out)."""
