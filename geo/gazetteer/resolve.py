"""Resolve place names as reporters spell them to coordinates, district and precision.

A :class:`Gazetteer` holds populated places (the bundled GeoNames extract plus any
user file in the same columns), the district and province polygons, and a curated
alias table. :meth:`Gazetteer.resolve` runs a chain of stages and returns a
:class:`~geo.gazetteer.match.Match`, never ``None``:

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

A name longer than :data:`~geo.gazetteer.normalise.MAX_NAME_CHARS` characters is
unresolved before any of these stages run.

Candidates are ranked by the requested district/province, then kind (a town beats
a district of the same name), GeoNames feature class (admin seats first) and
population. Districts and provinces are always found by point-in-polygon.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo import bundled as _bundled
from geo.errors import DataError, Problem
from geo.gazetteer._index import Cand, PlaceIndex
from geo.gazetteer.boundaries import Boundaries
from geo.gazetteer.match import Match
from geo.gazetteer.normalise import (
    ParsedQuery,
    name_length_problem,
    parse_query,
    several_names,
)
from geo.gazetteer.places import read_aliases, read_places

__all__ = ["Gazetteer"]

_SUGGEST_CUTOFF = 45.0
_PLAIN = ParsedQuery(core="")


class Gazetteer(PlaceIndex):
    """Places, admin units and aliases with a resolver.

    Build with :meth:`load`. The constructor takes a frame from
    :func:`geo.gazetteer.places.read_places` (possibly several concatenated), loaded
    :class:`~geo.gazetteer.boundaries.Boundaries` and an alias frame.

    Parameters
    ----------
    places, boundaries, aliases, aliases_label
        As for :class:`geo.gazetteer._index.PlaceIndex`.
    fuzzy_threshold : float
        Minimum fuzzy score (0-100) to accept a fuzzy match.
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
        super().__init__(places, boundaries, aliases, aliases_label=aliases_label)
        self.fuzzy_threshold = float(fuzzy_threshold)

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
            lon``), added to the bundled places; a place whose GeoNames id an earlier
            file already holds is skipped.
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
                frames.append(read_places(path).assign(_file=str(path)))
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
        places = pd.concat(frames, ignore_index=True)
        # A place already read (same GeoNames id) is not added twice: the first file
        # wins, so the bundled, curated rows stay when a full dump is added on top.
        gid = places["geonames_id"].astype(str)
        places = places[~(gid.duplicated() & (gid != ""))].reset_index(drop=True)
        return cls(
            places,
            boundaries or Boundaries.load(),
            alias_df,
            fuzzy_threshold=fuzzy_threshold,
        )

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

    # -- resolution --------------------------------------------------------------------
    def resolve(
        self, name: str, *, province: str | None = None, district: str | None = None
    ) -> Match:
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
            Resolved, or with ``resolved=False``, an ``error`` and ``suggestions``
            (none for a name longer than ``MAX_NAME_CHARS``, which is not looked up).
        """
        text = name.strip() if isinstance(name, str) else ""
        if not text:
            return Match(query=name, resolved=False, error="empty place name")
        too_long = name_length_problem(text)
        if too_long:
            return Match(query=name, resolved=False, error=too_long)
        exact = self._exact_cands.get(text)
        if exact is None and (parts := several_names(text)):  # "Quetta and Kalat"
            each = [m for m in (self.resolve(p, province=province, district=district)
                                 for p in parts) if m.resolved]
            if len({(m.name, m.kind) for m in each}) > 1:
                return Match(query=name, resolved=False, suggestions=tuple(
                    m.name or "" for m in each), error="names several places: " + "; ".join(
                    f"{m.name} ({m.district})" for m in each) + ": code one incident per "
                    "place, or give coordinates")
        if exact is not None and province is None and district is None:
            return self._build(name, self._rank(exact, None, None), "exact", 100.0,
                               _PLAIN, [], None, None)
        parsed = parse_query(text)
        notes: list[str] = []
        dset, pset, others = self._hints(province, district, parsed, notes)
        cands = list(exact or ())
        # The least-stripped form that names something wins: "near Model Town" is
        # Model Town (near it), not "Model"; "Mastung district" is the district.
        if not cands:
            for key, qualifier, descriptor in parsed.steps:
                found = self._keys.get(key)
                if found:
                    cands = list(found)
                    parsed = ParsedQuery(key, qualifier, descriptor, parsed.context,
                                         parsed.steps)
                    break
        if not cands:
            for core in others:
                cands = list(self._keys.get(core, []))
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
        hits = self._fuzzy_hits(parsed.core, _SUGGEST_CUTOFF, self.fuzzy_threshold)
        good = [(k, s) for k, s in hits[:6] if s >= self.fuzzy_threshold]
        if good:
            scored: dict[tuple[str, int], tuple[Cand, float]] = {}
            for k, score in good:
                for c in self._keys[self._key_list[k]]:
                    if (c[0], c[1]) not in scored:  # hits come best first
                        scored[(c[0], c[1])] = (c, score)
            order = sorted(scored.values(), key=lambda cs: (
                self._miss(cs[0], dset, pset), -cs[1], self._sort_key(cs[0])))
            best, miss = order[0][1], self._miss(order[0][0], dset, pset)
            if miss == 0 or not (dset or pset):
                notes.append(f"fuzzy match of {parsed.core!r} to {self._key_list[good[0][0]]!r}")
                tied = [c for c, sc in order if sc == best and self._miss(c, dset, pset) == miss]
                return self._build(query, [c for c, _ in order], "fuzzy", best, parsed, notes,
                                   dset, pset, tied=tied)
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

    def _build(
        self, query: str, ranked: list[Cand], method: str, score: float, parsed: ParsedQuery,
        notes: list[str], dset: set[int] | None, pset: set[str] | None,
        tied: list[Cand] | None = None,
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
            fields = self._place_fields[i]
            precision = 1
            if str(fields["feature_code"]).startswith("ADM"):  # GeoNames admin division
                precision = 3
                notes.append(f"an administrative unit ({fields['feature_code']}): coded at "
                             "its GeoNames point")
            elif parsed.qualifier in ("near", "part", "district"):
                precision = 2
                notes.append(f"{parsed.descriptor or 'descriptor'!r}: near or part of the place")
            if self._how[i] == "nearest":
                notes.append(f"point is {self._dist_km[i]:.1f} km outside the district polygons; "
                             "assigned to the nearest district")
            elif self._how[i] == "outside":
                notes.append("point lies outside the boundary layer")
        else:
            pt = (self.boundaries.district_point(i) if kind == "district"
                  else self.boundaries.province_point(i))
            precision = 3
            notes.append(f"{kind} only: coded at the {pt.coded_at.replace('-', ' ')}")
            fields = {"name": self._d_name[i] if kind == "district" else self._v_name[i],
                      "kind": kind, "lat": pt.lat, "lon": pt.lon, "coded_at": pt.coded_at}
            if kind == "district":
                fields.update(self._admin_fields(i))
            else:
                fields.update(province=self._v_name[i], province_pcode=self._v_pcode[i])
        return Match(
            query=query, resolved=True, precision=precision, score=score, method=method,
            ambiguous=ambiguous, alternatives=alternatives, note="; ".join(notes),
            **fields,  # type: ignore[arg-type]
        )

    def admin_unit(self, name: str) -> tuple[str, str, str] | None:
        """Find a district or province by name, variant, alias or P-code.

        Parameters
        ----------
        name : str
            "Balochistan", "PK2", "Kech", "Turbat district"...

        Returns
        -------
        tuple of (level, name, pcode) or None
            ``level`` is ``"province"`` or ``"district"``; provinces win a tie. None
            for a name longer than ``MAX_NAME_CHARS``.
        """
        if name_length_problem(name):
            return None
        parsed = parse_query(name)
        for level in ("province", "district"):
            if parsed.qualifier and parsed.qualifier != level:
                continue
            found = sorted(self._admin_keys(parsed.core or name, level))
            if len(found) == 1:
                i = found[0]
                if level == "province":
                    return level, self._v_name[i], self._v_pcode[i]
                return level, self._d_name[i], self._d_pcode[i]
        return None

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
        with self.batch():
            for n in names:
                if n not in cache:
                    cache[n] = self.resolve(n, province=province, district=district)
                m = cache[n]
                out.append(m if m.query == n else _replace(m, query=n))
        return out


def _replace(match: Match, **changes: object) -> Match:
    return dataclasses.replace(match, **changes)  # type: ignore[arg-type]
