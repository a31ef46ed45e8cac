"""Reports to dataset rows: read each file (:mod:`geo.extraction.document`), find its
places and figures, group them into a source, incidents and claims
(:mod:`geo.extraction.grouping`).

:func:`extract_document` is the whole pipeline for one report, a pure function of the
document and the gazetteer; it can be pickled, so any runner can map it over many
reports (Dask's ``client.map``, Spark's ``rdd.map``, each worker loading its own
gazetteer once). :func:`extract_files` does that here, over local processes, with
results in the order of the files and one file's problem never stopping the others.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from geo.extraction.claimant import source_claimant
from geo.extraction.document import Document, ReportError, read_document
from geo.extraction.events import find_events
from geo.extraction.grouping import Extraction, group_report
from geo.extraction.places import find_places
from geo.extraction.report import read_report
from geo.extraction.sentences import sentences
from geo.gazetteer.resolve import Gazetteer

__all__ = ["REPORT_SUFFIXES", "FileResult", "extract_document", "extract_file",
           "extract_files", "report_files"]

REPORT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
"""The files of a folder read as reports (lower or upper case)."""

GazetteerSource = Gazetteer | Callable[[], Gazetteer]
"""A gazetteer, or a picklable function that loads one (such as ``Gazetteer.load``)."""

_WORKER_GAZETTEER: Gazetteer | None = None  # each worker process's own, loaded once


@dataclass(frozen=True)
class FileResult:
    """One file's outcome.

    Attributes
    ----------
    path : pathlib.Path
        The file as listed by :func:`report_files`.
    extraction : Extraction or None
        Its rows; None when it could not be read.
    error : str
        ``"name: message"`` when it could not be read, else ``""``.
    """

    path: Path
    extraction: Extraction | None
    error: str


def extract_document(doc: Document, gazetteer: Gazetteer, *, kind: str = "news"
                     ) -> Extraction:
    """One report as dataset rows.

    Parameters
    ----------
    doc : Document
        The report (:func:`~geo.extraction.document.read_document`,
        :func:`~geo.extraction.document.document_from_text`).
    gazetteer : Gazetteer
    kind : str
        The source's ``kind`` (``news``, ``wire``, ``official_statement``...). The
        figures nobody is quoted for in an official statement or a militant claim are
        its publisher's (:func:`~geo.extraction.claimant.source_claimant`).

    Returns
    -------
    Extraction

    Raises
    ------
    ReportError
        When the report has no publication date (relative days count back from it).
    """
    if doc.published is None:
        raise ReportError(doc.name, "no publication date: give --published YYYY-MM-DD")
    mentions = find_places(doc.text, gazetteer)
    sents = sentences(doc.text)
    candidates = read_report(doc.text, doc.published, gazetteer, mentions,
                             source_claimant(kind, doc.publisher), sents)
    events = find_events(doc.text, doc.published, mentions, sents)
    return group_report(candidates, mentions, text=doc.text, published=doc.published,
                        title=doc.title, publisher=doc.publisher, url=doc.url, kind=kind,
                        name=doc.name, events=events)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def report_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The report files of *paths*: each file as given, and each folder's files with a
    suffix of :data:`REPORT_SUFFIXES`, in its subfolders too, sorted by path.

    Hidden files and folders (names starting with ``.``, such as macOS's ``._name``
    copies) are left out. A path that does not exist, and a folder with no report
    file, are kept as they are, so reading them reports the problem with the others.

    Examples
    --------
    >>> report_files(["no/such/file.txt"])
    [PosixPath('no/such/file.txt')]
    """
    out: list[Path] = []
    for given in paths:
        p = Path(given)
        if not p.is_dir():
            out.append(p)
            continue
        found = sorted(f for f in p.rglob("*") if f.suffix.lower() in REPORT_SUFFIXES
                       and f.is_file() and not _hidden(f, p))
        out.extend(found or [p])
    return out


def extract_file(path: Path, gazetteer: Gazetteer, *, published: dt.date | None = None,
                 publisher: str | None = None, url: str | None = None,
                 kind: str = "news") -> FileResult:
    """Read and extract one file; its problem, if any, in :attr:`FileResult.error`.

    Parameters
    ----------
    path : pathlib.Path
    gazetteer : Gazetteer
    published, publisher, url : optional
        Given values win over the file's own (a page's metadata, a dateline's date).
    kind : str
        The source's ``kind``.

    Returns
    -------
    FileResult
    """
    try:
        if path.is_dir():
            raise ReportError(path.name or str(path), "a folder with no report file ("
                              + ", ".join(REPORT_SUFFIXES) + ")")
        doc = read_document(path, published=published, publisher=publisher, url=url)
        return FileResult(path, extract_document(doc, gazetteer, kind=kind), "")
    except ReportError as exc:
        return FileResult(path, None, str(exc))
    except (OSError, UnicodeError) as exc:
        return FileResult(path, None, f"{path.name}: {exc}")


def _load_worker(factory: Callable[[], Gazetteer]) -> None:
    """A worker process's initializer: its gazetteer, loaded once."""
    global _WORKER_GAZETTEER
    _WORKER_GAZETTEER = factory()


def _extract_in_worker(task: tuple[Path, dt.date | None, str | None, str | None, str]
                       ) -> FileResult:
    path, published, publisher, url, kind = task
    assert _WORKER_GAZETTEER is not None, "the pool's initializer loads it"
    return extract_file(path, _WORKER_GAZETTEER, published=published, publisher=publisher,
                        url=url, kind=kind)


def extract_files(paths: Sequence[Path], gazetteer: GazetteerSource = Gazetteer.load, *,
                  jobs: int | None = None, published: dt.date | None = None,
                  publisher: str | None = None, url: str | None = None,
                  kind: str = "news", progress: Callable[[int], None] | None = None
                  ) -> list[FileResult]:
    """Read and extract report files, in parallel processes when there are several.

    Parameters
    ----------
    paths : sequence of pathlib.Path
        The files (:func:`report_files`).
    gazetteer : Gazetteer or callable
        A gazetteer, or a picklable function that loads one. Each worker process calls
        the function once; a gazetteer itself cannot be sent to other processes, so
        with one the files are read in this process.
    jobs : int, optional
        Worker processes (default: ``os.cpu_count()``). With one job or one file the
        files are read in this process.
    published, publisher, url : optional
        Given to every file (the file's own values otherwise). *url* only with one file.
    kind : str
        The sources' ``kind``.
    progress : callable, optional
        Called with 1 as each file is done (``click.progressbar``'s ``update``).

    Returns
    -------
    list of FileResult
        In the order of *paths*; the same whatever *jobs* is.

    Raises
    ------
    ValueError
        When *url* is given with several files.
    """
    if url and len(paths) > 1:
        raise ValueError(f"a URL names one report, not {len(paths)} files")
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    tick = progress or (lambda _n: None)
    if workers <= 1 or isinstance(gazetteer, Gazetteer):
        gaz = gazetteer if isinstance(gazetteer, Gazetteer) else gazetteer()
        out = []
        for p in paths:
            out.append(extract_file(p, gaz, published=published, publisher=publisher,
                                    url=url, kind=kind))
            tick(1)
        return out
    tasks = [(p, published, publisher, url, kind) for p in paths]
    chunk = max(1, min(16, len(paths) // (workers * 4)))
    results = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_load_worker,
                             initargs=(gazetteer,)) as pool:
        for result in pool.map(_extract_in_worker, tasks, chunksize=chunk):
            results.append(result)
            tick(1)
    return results
