"""The lookup tables behind :class:`~geo.gazetteer.resolve.Gazetteer`, and candidate ranking.

:class:`PlaceIndex` holds the places (with districts from point-in-polygon), the
admin units and every key that reaches them: exact names, normalised names and
GeoNames alternate names, district name variants, curated aliases. A *candidate*
is ``(kind, index, via, note)``: kind is ``place``, ``district`` or ``province``;
``via`` is the match method it was reached by.

Names longer than :data:`~geo.gazetteer.normalise.MAX_NAME_CHARS` (place names, ASCII
and alternate names, aliases) are refused before any of this is built.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from geo.errors import DataError, Problem
from geo.gazetteer._fuzzy import FuzzyIndex
from geo.gazetteer.boundaries import Boundaries
from geo.gazetteer.match import Place
from geo.gazetteer.normalise import MAX_NAME_CHARS, name_length_problem, normalise
from geo.io.tables import ROW

__all__ = ["FEATURE_RANK", "KIND_RANK", "Cand", "PlaceIndex"]

FEATURE_RANK = {
    "PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3, "PPLA4": 4, "PPL": 5, "": 6,
    "PPLL": 7, "PPLX": 8, "PPLF": 9, "PPLQ": 10, "PPLW": 10, "PPLH": 10,
}
"""GeoNames feature codes, most important first: capital, admin seats, towns, others."""
KIND_RANK = {"place": 0, "district": 1, "province": 2}

Cand = tuple[str, int, str, str]


def _shown(text: str) -> str:
    """The start of an over-long name, for a problem report."""
    text = text.strip()
    return text[:40] + "..." if len(text) > 40 else text


def _long_names(places: pd.DataFrame, aliases: pd.DataFrame | None,
                aliases_label: str) -> list[Problem]:
    """A problem for each place or alias name longer than ``MAX_NAME_CHARS``.

    Parameters
    ----------
    places : pandas.DataFrame
        Gazetteer rows; ``_file`` (else ``source_file``) names each row's file and
        ``_row`` its spreadsheet row, when present.
    aliases : pandas.DataFrame, optional
        Alias rows, with ``_file`` when read from several files.
    aliases_label : str
        The alias file's name when rows carry no ``_file``.

    Returns
    -------
    list of Problem
        One per offending cell: file, row, column, the name's start and the limit.
    """
    problems: list[Problem] = []
    n = len(places)
    file_col = "_file" if "_file" in places.columns else "source_file"
    files = places[file_col].tolist() if file_col in places.columns else ["<gazetteer>"] * n
    rows: list[int | None] = ([int(r) for r in places[ROW].tolist()]
                              if ROW in places.columns else [None] * n)
    found: list[tuple[int, int, str, str, str]] = []  # row position, field order, ...
    for order, field in enumerate(("name", "ascii_name", "alt_names")):
        if field not in places.columns:
            continue
        for i, cell in enumerate(places[field].tolist()):
            texts = cell if isinstance(cell, list) else [cell]
            if all(len(t) <= MAX_NAME_CHARS for t in texts if isinstance(t, str)):
                continue  # the common case, checked cheaply
            for text in texts:
                why = name_length_problem(text) if isinstance(text, str) else None
                if why:
                    found.append((i, order, field, text, why))
                    break
    for i, _, field, text, why in sorted(found):
        problems.append(Problem(str(files[i]), rows[i], field, _shown(text), why))
    if aliases is not None and "alias" in aliases.columns:
        for rec in aliases.to_dict("records"):
            why = name_length_problem(str(rec["alias"]))
            if why:
                row = int(rec[ROW]) if ROW in rec else None
                problems.append(Problem(str(rec.get("_file", aliases_label)), row, "alias",
                                        _shown(str(rec["alias"])), why))
    return problems


_BATCH = threading.local()  # .hits: fuzzy hits per (index id, core, ...) in a batch


class PlaceIndex:
    """Places, admin units and the keys that reach them.

    Parameters
    ----------
    places : pandas.DataFrame
        Gazetteer rows from :func:`geo.gazetteer.places.read_places`.
    boundaries : Boundaries
        District and province polygons; every place is located in them.
    aliases : pandas.DataFrame, optional
        Alias rows from :func:`geo.gazetteer.places.read_aliases`.
    aliases_label : str
        File name of the alias table, for error messages.

    Raises
    ------
    DataError
        For names longer than ``MAX_NAME_CHARS``, or aliases whose target is not found.
    """

    def __init__(
        self,
        places: pd.DataFrame,
        boundaries: Boundaries,
        aliases: pd.DataFrame | None = None,
        *,
        aliases_label: str = "aliases.csv",
    ) -> None:
        too_long = _long_names(places, aliases, aliases_label)
        if too_long:
            raise DataError(too_long)
        places = places.drop(columns="_file", errors="ignore")
        self.boundaries = boundaries
        self.aliases = aliases
        located = boundaries.locate(places["lon"].to_numpy(), places["lat"].to_numpy())
        self.places = pd.concat([places.reset_index(drop=True), located], axis=1)
        p = self.places
        self._name: list[str] = p["name"].tolist()
        self._lat: list[float] = p["lat"].astype(float).tolist()
        self._lon: list[float] = p["lon"].astype(float).tolist()
        self._didx: list[int] = p["district_index"].tolist()
        self._fcode: list[str] = p["feature_code"].tolist()
        self._frank: list[int] = [FEATURE_RANK.get(c, 6) for c in self._fcode]
        self._pop: list[int] = p["population"].tolist()
        self._pid: list[str] = [str(x) for x in p["place_id"].tolist()]
        self._how: list[str] = p["how"].tolist()
        self._dist_km: list[float] = p["distance_km"].tolist()
        d, v = boundaries.districts, boundaries.provinces
        self._d_name: list[str] = d["district_name"].tolist()
        self._d_pcode: list[str] = d["district_pcode"].tolist()
        self._d_prov: list[str] = d["province_name"].tolist()
        self._d_ppc: list[str] = d["province_pcode"].tolist()
        self._v_name: list[str] = v["province_name"].tolist()
        self._v_pcode: list[str] = v["province_pcode"].tolist()

        self._exact: dict[str, list[int]] = defaultdict(list)
        self._keys: dict[str, list[Cand]] = defaultdict(list)
        for i, rec in enumerate(p[["name", "ascii_name", "alt_names"]].itertuples(index=False)):
            for n in {rec.name, rec.ascii_name, *rec.alt_names}:
                if n:
                    self._exact[n].append(i)
                    key = normalise(n)
                    if key:
                        self._keys[key].append(("place", i, "normalised", ""))
        variants = d["name_variants"] if "name_variants" in d.columns else [""] * len(d)
        for i, (name, var) in enumerate(zip(self._d_name, variants, strict=True)):
            for n in {name, *str(var or "").split("|")}:
                if normalise(n):
                    self._keys[normalise(n)].append(("district", i, "district-name", ""))
        for i, name in enumerate(self._v_name):
            self._keys[normalise(name)].append(("province", i, "province-name", ""))
        if aliases is not None:
            self._add_aliases(aliases, aliases_label)
        self._keys = {k: list(dict.fromkeys(v)) for k, v in self._keys.items()}
        self._key_list = list(self._keys)
        self._fuzzy: FuzzyIndex | None = None
        self._fuzzy_lock = threading.Lock()
        # Exact text -> its places, plus admin units sharing the normalised key (so
        # "Kalat" also lists Kalat district), precomputed for the hot path.
        self._exact_cands: dict[str, list[Cand]] = {
            text: [("place", i, "exact", "") for i in dict.fromkeys(ids)]
            + [c for c in self._keys.get(normalise(text), ()) if c[0] != "place"]
            for text, ids in self._exact.items()
        }
        del self._exact
        # Per-place Match fields, so building a Match is one dict unpacking.
        self._place_fields: list[dict[str, object]] = [
            {
                "name": self._name[i], "kind": "place", "lat": self._lat[i],
                "lon": self._lon[i], "coded_at": "place", "place_id": self._pid[i],
                "feature_code": self._fcode[i], **self._admin_fields(self._didx[i]),
            }
            for i in range(len(self._name))
        ]
        # Normalised P-code -> admin units, for hints given as codes ("PK211").
        self._pcode_keys: dict[str, dict[str, list[int]]] = {}
        for kind, codes in (("district", self._d_pcode), ("province", self._v_pcode)):
            by_code = self._pcode_keys[kind] = defaultdict(list)
            for i, code in enumerate(codes):
                by_code[normalise(code)].append(i)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Resolve many names: inside the block (in this thread), the fuzzy search for
        a name is made once however many times the name comes with other hints.

        Examples
        --------
        >>> from geo import Gazetteer
        >>> gaz = Gazetteer.load()
        >>> with gaz.batch():
        ...     ms = [gaz.resolve("Panjgoor", district=d) for d in ("Panjgur", "Kech")]
        """
        outer = getattr(_BATCH, "hits", None)
        if outer is None:
            _BATCH.hits = {}
        try:
            yield
        finally:
            if outer is None:
                _BATCH.hits = None

    def _fuzzy_index(self) -> FuzzyIndex:
        """The fuzzy index of the keys, built on the first fuzzy look-up (0.06 s for the
        bundled gazetteer; a dataset from the analysis cache never needs it)."""
        with self._fuzzy_lock:
            if self._fuzzy is None:
                self._fuzzy = FuzzyIndex(self._key_list)
            return self._fuzzy

    def _fuzzy_hits(self, core: str, cutoff: float, accept: float) -> list[tuple[int, float]]:
        """The 10 best fuzzy hits for a name core (memoised inside :meth:`batch`)."""
        memo: dict[tuple, list[tuple[int, float]]] | None = getattr(_BATCH, "hits", None)
        key = (id(self), core, cutoff, accept)
        if memo is not None and key in memo:
            return memo[key]
        hits = self._fuzzy_index().search(core, limit=10, score_cutoff=cutoff, accept=accept)
        if memo is not None:
            memo[key] = hits
        return hits

    def _add_aliases(self, aliases: pd.DataFrame, label: str) -> None:
        problems: list[Problem] = []
        for rec in aliases.to_dict("records"):
            file, row = rec.get("_file", label), int(rec[ROW])
            kind = rec["target_type"]
            targets = [c for c in self._keys.get(normalise(rec["target"]), []) if c[0] == kind]
            if rec["target_province"]:
                want = normalise(rec["target_province"])
                targets = [c for c in targets if normalise(self._province_of(c) or "") == want]
            idx = sorted({c[1] for c in targets})
            if len(idx) != 1:
                what = "no" if not idx else f"{len(idx)}"
                hint = "" if not idx else "; add target_province"
                problems.append(Problem(file, row, "target", rec["target"],
                                        f"{what} {kind} of that name in the gazetteer{hint}"))
                continue
            key = normalise(rec["alias"])
            via = "alias" if kind == "place" else f"{kind}-name"
            self._keys[key].append((kind, idx[0], via, f"alias: {rec['note']}"))
        if problems:
            raise DataError(problems)

    # -- accessors ---------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._name)

    def place(self, index: int) -> Place:
        """The gazetteer entry at *index* as a :class:`~geo.gazetteer.match.Place`."""
        di = self._didx[index]
        return Place(
            name=self._name[index], lat=self._lat[index], lon=self._lon[index],
            feature_code=self._fcode[index], population=int(self._pop[index]),
            place_id=self._pid[index],
            district=self._d_name[di] if di >= 0 else None,
            district_pcode=self._d_pcode[di] if di >= 0 else None,
            province=self._d_prov[di] if di >= 0 else None,
            province_pcode=self._d_ppc[di] if di >= 0 else None,
        )

    def _admin_fields(self, di: int) -> dict[str, str | None]:
        if di < 0:
            return {"district": None, "district_pcode": None, "province": None,
                    "province_pcode": None}
        return {"district": self._d_name[di], "district_pcode": self._d_pcode[di],
                "province": self._d_prov[di], "province_pcode": self._d_ppc[di]}

    def _province_of(self, c: Cand) -> str | None:
        kind, i = c[0], c[1]
        if kind == "province":
            return self._v_name[i]
        di = i if kind == "district" else self._didx[i]
        return self._d_prov[di] if di >= 0 else None

    def _describe(self, c: Cand) -> str:
        kind, i = c[0], c[1]
        if kind == "place":
            di = self._didx[i]
            where = f"{self._d_name[di]}, {self._d_prov[di]}" if di >= 0 else "outside boundaries"
            return f"{self._name[i]} ({self._fcode[i] or 'place'}; {where})"
        if kind == "district":
            return f"{self._d_name[i]} district ({self._d_prov[i]})"
        return f"{self._v_name[i]} province"

    # -- hints -------------------------------------------------------------------------
    def _admin_keys(self, text: str, kind: str) -> set[int]:
        key = normalise(text)
        found = {c[1] for c in self._keys.get(key, ()) if c[0] == kind}
        found.update(self._pcode_keys[kind].get(key, ()))
        return found

    def _miss(self, c: Cand, dset: set[int] | None, pset: set[str] | None) -> int:
        kind, i = c[0], c[1]
        ppc: str | None
        if kind == "province":
            di, ppc = -1, self._v_pcode[i]
        else:
            di = i if kind == "district" else self._didx[i]
            ppc = self._d_ppc[di] if di >= 0 else None
        return int(dset is not None and di not in dset) + int(pset is not None and ppc not in pset)

    def _sort_key(self, c: Cand) -> tuple[int, int, int, int]:
        """Kind (town before district before province), feature class, population."""
        kind, i = c[0], c[1]
        if kind == "place":
            return (0, self._frank[i], -self._pop[i], i)
        return (KIND_RANK[kind], 0, 0, i)

    def _rank(self, cands: list[Cand], dset: set[int] | None, pset: set[str] | None) -> list[Cand]:
        """Order candidates: inside the requested admin units first, then by _sort_key."""
        if len(cands) == 1:
            return cands
        seen: dict[tuple[str, int], Cand] = {}
        for c in sorted(cands, key=lambda c: (self._miss(c, dset, pset), self._sort_key(c))):
            seen.setdefault((c[0], c[1]), c)
        return list(seen.values())

    def _same_thing(self, a: Cand, b: Cand) -> bool:
        """Whether two candidates name one location (a town and the district it heads)."""
        if a[0] == b[0]:
            return a[1] == b[1]
        (ka, ia), (kb, ib) = sorted([(a[0], a[1]), (b[0], b[1])], key=lambda c: KIND_RANK[c[0]])
        if ka == "place":
            di = self._didx[ia]
            if kb == "district":
                return di == ib
            return di >= 0 and self._d_ppc[di] == self._v_pcode[ib]
        return self._d_ppc[ia] == self._v_pcode[ib]

    def _describe_short(self, c: Cand) -> str:
        kind, i = c[0], c[1]
        return {"place": self._name, "district": self._d_name, "province": self._v_name}[kind][i]
