"""Resolve place names as reporters spell them to coordinates, district and precision.

A :class:`Gazetteer` holds populated places (the bundled GeoNames extract plus any
user file in the same columns), the district and province polygons, and a curated
alias table. :meth:`Gazetteer.resolve` runs a chain of stages and returns a
:class:`~geo.match.Match`, never ``None``:

1. **exact**: the text equals a name or GeoNames alternate name;
2. **alias** / **normalised** / **district-name** / **province-name**: the
   normalised core (case, diacritics, punctuation and descriptor words such as
   "city", "port", "district", "near" removed) equals a curated alias, a place
   name, or an admin unit's name or variant;
3. **fuzzy**: rapidfuzz similarity above ``fuzzy_threshold``;
4. the longest run of words that names a place ("Mastung Central Jail" -> Mastung,
   precision 2);
5. a district given as context ("Some village, Kech") -> that district, precision 3;
6. otherwise unresolved, with up to five suggestions.

Candidates are ranked by the requested district/province, then kind (a town beats
a district of the same name), GeoNames feature class (admin seats first) and
population. Districts and provinces are always found by point-in-polygon.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo import bundled as _bundled
from geo.boundaries import Boundaries
from geo.errors import DataError, Problem
from geo.fuzzy import FuzzyIndex
from geo.match import Match, Place
from geo.normalize import ParsedQuery, normalise, parse_query
from geo.places import read_aliases, read_places
from geo.tables import ROW

__all__ = ["FEATURE_RANK", "Gazetteer"]

FEATURE_RANK = {
    "PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3, "PPLA4": 4, "PPL": 5, "": 6,
    "PPLL": 7, "PPLX": 8, "PPLF": 9, "PPLQ": 10, "PPLW": 10, "PPLH": 10,
}
_KIND_RANK = {"place": 0, "district": 1, "province": 2}
_SUGGEST_CUTOFF = 45.0

# A candidate: (kind, index into that kind's table, how it was reached, note).
_Cand = tuple[str, int, str, str]


class Gazetteer:
    """Places, admin units and aliases with a resolver.

    Build with :meth:`load`. The constructor takes a frame from
    :func:`geo.places.read_places` (possibly several concatenated), loaded
    :class:`~geo.boundaries.Boundaries` and an alias frame.

    Parameters
    ----------
    places : pandas.DataFrame
        Gazetteer rows.
    boundaries : Boundaries
        District and province polygons.
    aliases : pandas.DataFrame, optional
        Alias rows from :func:`geo.places.read_aliases`.
    fuzzy_threshold : float
        Minimum fuzzy score (0-100) to accept a fuzzy match.
    aliases_label : str
        File name of the alias table, for error messages.
    """

    def __init__(
        self,
        places: pd.DataFrame,
        boundaries: Boundaries,
        aliases: pd.DataFrame | None = None,
        *,
        fuzzy_threshold: float = 80.0,
        aliases_label: str = "aliases.csv",
    ) -> None:
        self.boundaries = boundaries
        self.fuzzy_threshold = float(fuzzy_threshold)
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
        self._keys: dict[str, list[_Cand]] = defaultdict(list)
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
        self._exact = dict(self._exact)
        self._keys = {k: list(dict.fromkeys(v)) for k, v in self._keys.items()}
        self._key_list = list(self._keys)
        self._fuzzy = FuzzyIndex(self._key_list)

    # -- construction ------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        *extra: str | Path,
        bundled: bool = True,
        aliases: Sequence[str | Path] = (),
        boundaries: Boundaries | None = None,
        fuzzy_threshold: float = 80.0,
    ) -> Gazetteer:
        """Read the bundled gazetteer, aliases and boundaries, plus user files.

        Parameters
        ----------
        *extra : path
            User gazetteer CSVs in the bundled file's columns (at least ``name, lat,
            lon``), added to the bundled places.
        bundled : bool
            Include the bundled GeoNames extract and alias table.
        aliases : sequence of path
            Extra alias tables.
        boundaries : Boundaries, optional
            Default: the bundled OCHA layer.
        fuzzy_threshold : float
            Minimum fuzzy score (0-100).

        Returns
        -------
        Gazetteer

        Raises
        ------
        DataError
            Listing every problem in every file read.
        """
        paths = ([_bundled.gazetteer_path()] if bundled else []) + [Path(e) for e in extra]
        if not paths:
            raise DataError.single("<gazetteer>", "no gazetteer file given and bundled=False")
        alias_paths = ([_bundled.aliases_path()] if bundled else []) + [Path(a) for a in aliases]
        problems: list[Problem] = []
        frames, alias_frames = [], []
        for path in paths:
            try:
                frames.append(read_places(path))
            except DataError as exc:
                problems.extend(exc.problems)
        for path in alias_paths:
            try:
                frame = read_aliases(path)
                frame["_file"] = str(path)
                alias_frames.append(frame)
            except DataError as exc:
                problems.extend(exc.problems)
        if problems:
            raise DataError(problems)
        alias_df = pd.concat(alias_frames, ignore_index=True) if alias_frames else None
        return cls(
            pd.concat(frames, ignore_index=True),
            boundaries or Boundaries.load(),
            alias_df,
            fuzzy_threshold=fuzzy_threshold,
        )

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
        """The gazetteer entry at *index* as a :class:`~geo.match.Place`."""
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

    def _province_of(self, c: _Cand) -> str | None:
        kind, i = c[0], c[1]
        if kind == "province":
            return self._v_name[i]
        di = i if kind == "district" else self._didx[i]
        return self._d_prov[di] if di >= 0 else None

    def _describe(self, c: _Cand) -> str:
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
        codes = self._d_pcode if kind == "district" else self._v_pcode
        found.update(i for i, code in enumerate(codes) if normalise(code) == key)
        return found

    def _hints(
        self, province: str | None, district: str | None, parsed: ParsedQuery, notes: list[str]
    ) -> tuple[set[int] | None, set[str] | None, list[str]]:
        dset: set[int] | None = None
        pset: set[str] | None = None
        if district:
            dset = self._admin_keys(district, "district")
            if not dset:
                notes.append(f"district hint {district!r} is not a known district; ignored")
                dset = None
        if province:
            found = self._admin_keys(province, "province")
            pset = {self._v_pcode[i] for i in found} or None
            if pset is None:
                notes.append(f"province hint {province!r} is not a known province; ignored")
        others: list[str] = []
        for ctx in parsed.context:
            ds, ps = self._admin_keys(ctx, "district"), self._admin_keys(ctx, "province")
            if ds and dset is None:
                dset = ds
                notes.append(f"context {ctx!r} read as district")
            elif ps and pset is None:
                pset = {self._v_pcode[i] for i in ps}
            elif not ds and not ps:
                others.append(ctx)
        return dset, pset, others

    def _miss(self, c: _Cand, dset: set[int] | None, pset: set[str] | None) -> int:
        kind, i = c[0], c[1]
        if kind == "province":
            di, ppc = -1, self._v_pcode[i]
        else:
            di = i if kind == "district" else self._didx[i]
            ppc = self._d_ppc[di] if di >= 0 else None
        return int(dset is not None and di not in dset) + int(pset is not None and ppc not in pset)

    def _rank(self, cands: list[_Cand], dset: set[int] | None, pset: set[str] | None) -> list[_Cand]:
        def key(c: _Cand) -> tuple[int, int, int, int, int]:
            kind, i = c[0], c[1]
            place = kind == "place"
            return (self._miss(c, dset, pset), _KIND_RANK[kind],
                    self._frank[i] if place else 0, -self._pop[i] if place else 0, i)

        seen: dict[tuple[str, int], _Cand] = {}
        for c in sorted(cands, key=key):
            seen.setdefault((c[0], c[1]), c)
        return list(seen.values())

    # -- resolution --------------------------------------------------------------------
    def resolve(self, name: str, *, province: str | None = None, district: str | None = None) -> Match:
        """Resolve one place name.

        Parameters
        ----------
        name : str
            The place as reported: "Noshki", "Gwadar port", "Pasni, Gwadar",
            "near Kalat", "Mastung district", "Panjgoor"...
        province, district : str, optional
            Names (or P-codes) of the admin units the place should be in; candidates
            inside them are preferred.

        Returns
        -------
        Match
            Resolved, or with ``resolved=False``, an ``error`` and ``suggestions``.
        """
        text = name.strip() if isinstance(name, str) else ""
        if not text:
            return Match(query=name, resolved=False, error="empty place name")
        if province is None and district is None:
            ids = self._exact.get(text)
            if ids is not None:
                key = normalise(text)
                cands = [("place", i, "exact", "") for i in ids]
                cands += [c for c in self._keys.get(key, ()) if c[0] != "place"]
                return self._build(name, self._rank(cands, None, None), "exact", 100.0,
                                   ParsedQuery(core=key), [], None, None)
        parsed = parse_query(text)
        notes: list[str] = []
        dset, pset, others = self._hints(province, district, parsed, notes)
        exact_ids = self._exact.get(text, [])
        cands = [("place", i, "exact", "") for i in exact_ids]
        for core in [parsed.core, *others]:
            cands += self._keys.get(core, [])
            if cands:
                break
        if parsed.qualifier == "province":
            cands = [c for c in cands if c[0] == "province"] or cands
        elif parsed.qualifier == "district":
            wanted = [c for c in cands if c[0] == "district"]
            if not wanted and cands:
                notes.append(f"no district named {parsed.core!r}; coded at the place")
            cands = wanted or cands
        if cands:
            ranked = self._rank(cands, dset, pset)
            return self._build(name, ranked, ranked[0][2], 100.0, parsed, notes, dset, pset)
        return self._resolve_loose(name, parsed, notes, dset, pset)

    def _resolve_loose(
        self, query: str, parsed: ParsedQuery, notes: list[str],
        dset: set[int] | None, pset: set[str] | None,
    ) -> Match:
        hits = self._fuzzy.search(parsed.core, limit=10, score_cutoff=_SUGGEST_CUTOFF)
        good = [(k, s) for k, s in hits if s >= self.fuzzy_threshold]
        if good:
            scored = [(c, s) for k, s in good for c in self._keys[self._key_list[k]]]
            best = max(s for _, s in scored)
            top = [c for c, s in scored if s == best]
            ranked = self._rank(top, dset, pset) + self._rank([c for c, _ in scored], dset, pset)
            ranked = list(dict.fromkeys(ranked))
            if self._miss(ranked[0], dset, pset) == 0 or not (dset or pset):
                notes.append(f"fuzzy match of {parsed.core!r} to {self._key_list[good[0][0]]!r}")
                return self._build(query, ranked, "fuzzy", best, parsed, notes, dset, pset,
                                   tied=self._rank(top, dset, pset))
        tokens = parsed.core.split()
        for n in range(len(tokens) - 1, 0, -1):
            for part in (" ".join(tokens[:n]), " ".join(tokens[-n:])):
                cands = [c for c in self._keys.get(part, []) if c[0] == "place"]
                if cands:
                    notes.append(f"matched {part!r} within {parsed.core!r}")
                    rest = parsed.core.replace(part, "", 1).strip()
                    sub = ParsedQuery(parsed.core, "part", rest, parsed.context)
                    ranked = self._rank(cands, dset, pset)
                    return self._build(query, ranked, ranked[0][2], 100.0, sub, notes, dset, pset)
        suggestions = tuple(dict.fromkeys(
            self._describe_short(c) for k, _ in hits for c in self._keys[self._key_list[k]]
        ))[:5]
        if dset:
            di = sorted(dset)[0]
            notes.append(f"{parsed.core!r} is not in the gazetteer; coded at the district "
                         "given as context")
            m = self._build(query, [("district", di, "district-name", "")], "district-name",
                            100.0, ParsedQuery(parsed.core), notes, dset, pset)
            return _replace(m, suggestions=suggestions)
        return Match(query=query, resolved=False, suggestions=suggestions,
                     error=f"no place matches {parsed.core or query!r}"
                     + (f" (best fuzzy score {hits[0][1]:.0f} < {self.fuzzy_threshold:.0f})"
                        if hits else ""))

    def _same_thing(self, a: _Cand, b: _Cand) -> bool:
        """Whether two candidates name one location (a town and the district it heads)."""
        if a[0] == b[0]:
            return a[1] == b[1]
        (ka, ia), (kb, ib) = sorted([(a[0], a[1]), (b[0], b[1])], key=lambda c: _KIND_RANK[c[0]])
        if ka == "place":
            di = self._didx[ia]
            if kb == "district":
                return di == ib
            return di >= 0 and self._d_ppc[di] == self._v_pcode[ib]
        return self._d_ppc[ia] == self._v_pcode[ib]

    def _describe_short(self, c: _Cand) -> str:
        kind, i = c[0], c[1]
        return {"place": self._name, "district": self._d_name, "province": self._v_name}[kind][i]

    def _build(
        self, query: str, ranked: list[_Cand], method: str, score: float, parsed: ParsedQuery,
        notes: list[str], dset: set[int] | None, pset: set[str] | None,
        tied: list[_Cand] | None = None,
    ) -> Match:
        best = ranked[0]
        kind, i, _via, cnote = best
        notes = list(notes)
        if cnote:
            notes.append(cnote)
        if (dset or pset) and self._miss(best, dset, pset):
            notes.append("no candidate inside the requested district/province; best is elsewhere")
        tied = ranked if tied is None else tied
        others = [c for c in tied if not self._same_thing(best, c)]
        ambiguous = bool(others)
        if ambiguous:
            notes.append(f"ambiguous: {len(others) + 1} candidates; chose by requested admin "
                         "area, then kind, feature class, population")
        alternatives = tuple(self._describe(c) for c in ranked[1:6])
        if kind == "place":
            di = self._didx[i]
            precision, coded_at = 1, "place"
            if parsed.qualifier in ("near", "part", "district"):
                precision = 2
                notes.append(f"{parsed.descriptor or 'descriptor'!r}: near or part of the place")
            if self._how[i] == "nearest":
                notes.append(f"point is {self._dist_km[i]:.1f} km outside the district polygons; "
                             "assigned to the nearest district")
            elif self._how[i] == "outside":
                notes.append("point lies outside the boundary layer")
            lat, lon, name = self._lat[i], self._lon[i], self._name[i]
            pid, fcode = self._pid[i], self._fcode[i]
        elif kind == "district":
            di, precision, pid, fcode, name = i, 3, "", "", self._d_name[i]
            pt = self.boundaries.district_point(i)
            lat, lon, coded_at = pt.lat, pt.lon, pt.coded_at
            notes.append(f"district only: coded at the {coded_at.replace('-', ' ')}")
        else:
            di, precision, pid, fcode, name = -1, 3, "", "", self._v_name[i]
            pt = self.boundaries.province_point(i)
            lat, lon, coded_at = pt.lat, pt.lon, pt.coded_at
            notes.append(f"province only: coded at the {coded_at.replace('-', ' ')}")
        in_d = di >= 0
        return Match(
            query=query, resolved=True, name=name, kind=kind, lat=lat, lon=lon,
            district=self._d_name[di] if in_d else None,
            district_pcode=self._d_pcode[di] if in_d else None,
            province=self._d_prov[di] if in_d else (self._v_name[i] if kind == "province" else None),
            province_pcode=self._d_ppc[di] if in_d else (
                self._v_pcode[i] if kind == "province" else None),
            precision=precision, coded_at=coded_at, score=score, method=method,
            place_id=pid, feature_code=fcode, ambiguous=ambiguous, alternatives=alternatives,
            note="; ".join(notes),
        )

    def resolve_many(
        self, names: Sequence[str], *, province: str | None = None, district: str | None = None
    ) -> list[Match]:
        """Resolve several names, each distinct name once.

        Parameters
        ----------
        names : sequence of str
            Place names.
        province, district : str, optional
            Hints applied to every name.

        Returns
        -------
        list of Match
            In input order.
        """
        cache: dict[str, Match] = {}
        out = []
        for n in names:
            if n not in cache:
                cache[n] = self.resolve(n, province=province, district=district)
            m = cache[n]
            out.append(m if m.query == n else _replace(m, query=n))
        return out


def _replace(match: Match, **changes: object) -> Match:
    return dataclasses.replace(match, **changes)  # type: ignore[arg-type]
