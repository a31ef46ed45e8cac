"""Fuzzy search over gazetteer keys: rapidfuzz scoring behind an n-gram index.

Scoring a query against every key costs time linear in the gazetteer. For small
key lists (below ``brute_force_below``) that is what happens: rapidfuzz's
``cdist`` scores all keys in C. Above it, candidates are first narrowed to the keys
sharing the most character trigrams with the query (Dice coefficient over padded
trigrams of the :func:`~geo.gazetteer.normalise.skeleton` keys), and only those are scored.
``benchmarks/gazetteer_bench.py`` measures how often the narrowed search finds the
same best score as the full scan.

Most misspellings are one edit away (a dropped, doubled, swapped or changed letter),
and for those even the n-gram count is more work than needed. Indexed searches first
look up the keys that share a one-letter deletion with the query (the "symmetric
delete" idea of SymSpell: a shared deletion covers one insertion, deletion,
substitution or swap of neighbours, and a few two-edit pairs). The lookup is a binary
search over a sorted array of deletion hashes, about 12 entries per key. When one of
those close keys scores at least ``accept``, they alone are ranked; otherwise the
n-gram search runs. The lookup compares keys, not skeletons: collapsing doubled
letters would put "zaanngah" two edits from "zanangah", one swap away as spelt.

A key's deletions hold about the square of its length in characters, so only keys
of at most :data:`~geo.gazetteer.normalise.MAX_NAME_CHARS` characters get them (a
longer indexed key is reached through its n-grams), and a longer query finds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from geo.gazetteer.normalise import MAX_NAME_CHARS, skeleton

__all__ = ["FuzzyIndex"]


def _deletes(text: str) -> set[str]:
    """The text and its one-letter deletions: "kech" -> {"kech", "ech", "kch", "keh", "kec"}.

    Text longer than ``MAX_NAME_CHARS`` gives only itself: at most
    ``MAX_NAME_CHARS + 1`` strings of at most that length.
    """
    if len(text) > MAX_NAME_CHARS:
        return {text}
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


class _DeleteIndex:
    """Strings found through hashes of their one-letter deletions.

    Parameters
    ----------
    texts : sequence of str
        The indexed strings, by position (repeats allowed).
    """

    def __init__(self, texts: Sequence[str]) -> None:
        codes, uniques = pd.factorize(pd.Series(texts, dtype=object), sort=False)
        order = np.argsort(codes, kind="stable")
        self._starts = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        self._keys = order.astype(np.intp)
        hashes: list[int] = []
        groups: list[int] = []
        for g, sk in enumerate(uniques):
            dels = _deletes(sk)
            hashes.extend(map(hash, dels))
            groups.extend([g] * len(dels))
        h = np.asarray(hashes, dtype=np.int64)
        by_hash = np.argsort(h, kind="stable")
        # Distinct hashes, and where each one's groups start in the sorted groups
        self._hashes, self._first, self._count = np.unique(
            h[by_hash], return_index=True, return_counts=True)
        self._groups = np.asarray(groups, dtype=np.intp)[by_hash]
        self._one_each = len(uniques) == len(texts)  # a group is a string

    def close(self, text: str) -> np.ndarray:
        """Positions of the strings sharing a one-letter deletion (or none) with text,
        sorted.

        A hash collision can add a string; scoring the result removes it.
        """
        h = np.fromiter(map(hash, _deletes(text)), dtype=np.int64)
        pos = np.searchsorted(self._hashes, h)
        pos[pos == len(self._hashes)] = 0
        pos = pos[self._hashes[pos] == h]
        if not len(pos):
            return np.zeros(0, dtype=np.intp)
        first, count = self._first[pos], self._count[pos]
        if count.max() == 1:
            groups = self._groups[first]
        else:
            groups = np.concatenate([self._groups[a : a + n] for a, n in
                                     zip(first.tolist(), count.tolist(), strict=True)])
        groups = np.unique(groups)
        if self._one_each:
            return self._keys[self._starts[groups]]  # one string per group, in order
        return np.sort(np.concatenate([self._keys[self._starts[g] : self._starts[g + 1]]
                                       for g in groups.tolist()]))


def _grams(text: str) -> set[str]:
    """Padded character trigrams: "kech" -> {"  k", " ke", "kec", "ech", "ch ", "h  "}."""
    padded = f"  {text}  "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class FuzzyIndex:
    """Search normalised keys for the most similar ones.

    Parameters
    ----------
    keys : sequence of str
        Normalised keys (see :func:`geo.gazetteer.normalise.normalise`).
    brute_force_below : int
        Key count under which every key is scored.
    candidates : int
        How many n-gram candidates are scored in indexed mode.
    slack : int
        In indexed mode, only keys sharing at least (best shared count - slack)
        trigrams with the query are ranked.
    budget : int
        Posting-list entries counted per query before the most common trigrams
        (at most a fifth of the query's) are skipped.
    """

    def __init__(
        self,
        keys: Sequence[str],
        *,
        brute_force_below: int = 1000,
        candidates: int = 64,
        slack: int = 3,
        budget: int = 6000,
    ) -> None:
        self.keys: list[str] = list(keys)
        self.skeletons: list[str] = [skeleton(k) for k in self.keys]
        self.candidates = candidates
        self.slack = slack
        self.budget = budget
        self.indexed = len(self.keys) >= brute_force_below
        self._key_arr = np.asarray(self.keys, dtype=object)
        self._skel_arr = np.asarray(self.skeletons, dtype=object)
        self._postings: dict[str, np.ndarray] = {}
        self._gram_counts = np.zeros(0)
        if self.indexed:
            postings: dict[str, list[int]] = defaultdict(list)
            counts = np.empty(len(self.keys), dtype=np.float64)
            for i, sk in enumerate(self.skeletons):
                grams = _grams(sk)
                counts[i] = len(grams)
                for g in grams:
                    postings[g].append(i)
            self._postings = {g: np.asarray(v, dtype=np.intp) for g, v in postings.items()}
            self._gram_counts = counts
        self._close = _DeleteIndex(self.keys) if self.indexed else None

    def __len__(self) -> int:
        return len(self.keys)

    def _candidate_ids(self, skel: str) -> np.ndarray:
        grams = _grams(skel)
        lists = sorted((self._postings[g] for g in grams if g in self._postings), key=len)
        if not lists:
            return np.zeros(0, dtype=np.intp)
        # Counting costs one step per posting. The rarest trigrams carry the signal,
        # so past a budget the most common ones (at most a fifth) are left out.
        keep, total = len(lists), 0
        for n, postings in enumerate(lists, 1):
            total += len(postings)
            if total > self.budget and n >= 0.8 * len(lists):
                keep = n
                break
        lists = lists[:keep]
        counts = np.bincount(np.concatenate(lists), minlength=len(self.keys))
        # Keys sharing far fewer trigrams than the best cannot rank among the top by
        # Dice; dropping them keeps the ranking below cheap.
        floor = max(1, int(counts.max()) - self.slack)
        hit = np.flatnonzero(counts >= floor)
        if len(hit) <= self.candidates:
            return hit
        dice = counts[hit] / (keep + self._gram_counts[hit])
        top = np.argpartition(-dice, self.candidates - 1)[: self.candidates]
        return hit[top]

    def _score(self, key: str, skel: str, ids: np.ndarray) -> np.ndarray:
        """Scores (0-100) of the keys at ids against key (and its skeleton skel)."""
        keys = self._key_arr[ids].tolist()
        skels = self._skel_arr[ids].tolist()
        if len(keys) <= 8:  # a few scalar calls cost less than setting up three cdist
            plain = np.array([fuzz.ratio(key, k) for k in keys], dtype=np.float32)
            folded = np.array([fuzz.ratio(skel, k) for k in skels], dtype=np.float32)
            swaps = np.array([OSA.normalized_similarity(key, k) for k in keys],
                             dtype=np.float32)
        else:  # the same float32 values cdist computes
            plain = process.cdist([key], keys, scorer=fuzz.ratio, dtype=np.float32,
                                  workers=1)[0]
            folded = process.cdist([skel], skels, scorer=fuzz.ratio, dtype=np.float32,
                                   workers=1)[0]
            swaps = process.cdist([key], keys, scorer=OSA.normalized_similarity,
                                  dtype=np.float32, workers=1)[0]
        return (plain.astype(np.float64) + folded + 100.0 * swaps) / 3.0

    def search(
        self,
        key: str,
        *,
        limit: int = 5,
        score_cutoff: float = 0.0,
        accept: float | None = None,
        exhaustive: bool = False,
    ) -> list[tuple[int, float]]:
        """Return the best-scoring keys.

        Parameters
        ----------
        key : str
            A normalised query key.
        limit : int
            How many results at most.
        score_cutoff : float
            Results scoring below this (0-100) are left out.
        accept : float, optional
            In indexed mode, when a key sharing a one-letter deletion with the query
            scores at least this, only those close keys are ranked and the n-gram
            search is skipped. Without it, the n-gram search always runs.
        exhaustive : bool
            Score every key even in indexed mode (used to check the index).

        Returns
        -------
        list of (int, float)
            Key positions and scores, best first; ties keep key order. Empty for a
            key longer than ``MAX_NAME_CHARS``: that is not a place name.
        """
        if not key or not self.keys or len(key) > MAX_NAME_CHARS:
            return []
        skel = skeleton(key)
        scores = None
        if self._close is not None and not exhaustive and accept is not None:
            ids = self._close.close(key)
            if len(ids):
                scores = self._score(key, skel, ids)
                if scores.max() < accept:
                    scores = None
        if scores is None:
            if self.indexed and not exhaustive:
                ids = self._candidate_ids(skel)
                if len(ids) == 0:
                    return []
            else:
                ids = np.arange(len(self.keys))
            scores = self._score(key, skel, ids)
        order = np.lexsort((ids, -scores))[:limit]
        return [
            (int(ids[j]), round(float(scores[j]), 1))
            for j in order
            if scores[j] >= score_cutoff
        ]
