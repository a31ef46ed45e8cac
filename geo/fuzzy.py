"""Fuzzy search over gazetteer keys: rapidfuzz scoring behind an n-gram index.

Scoring a query against every key costs time linear in the gazetteer. For small
key lists (below ``brute_force_below``) that is what happens: rapidfuzz's
``cdist`` scores all keys in C. Above it, candidates are first narrowed to the keys
sharing the most character trigrams with the query (Dice coefficient over padded
trigrams of the :func:`~geo.normalize.skeleton` keys), and only those are scored.
``benchmarks/gazetteer_bench.py`` measures how often the narrowed search finds the
same best score as the full scan.

The score (0-100) is the mean of three rapidfuzz similarities: ``ratio`` on the
normalised keys and on their skeletons, so both exact spelling and
transliteration-level similarity count, and the optimal-string-alignment similarity
(``OSA``: a swap of two neighbouring letters is one edit, as typists make it) on the
keys: "panjgoor" vs "panjgur" scores 85 (ratio 80, skeleton 100, OSA 75). On
labelled misspellings of a 50,000-name gazetteer the OSA term lifts the share of
right answers from 85 % to 89 % (``benchmarks/run.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from geo.normalize import skeleton

__all__ = ["FuzzyIndex"]


def _grams(text: str) -> set[str]:
    """Padded character trigrams: "kech" -> {"  k", " ke", "kec", "ech", "ch ", "h  "}."""
    padded = f"  {text}  "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class FuzzyIndex:
    """Search normalised keys for the most similar ones.

    Parameters
    ----------
    keys : sequence of str
        Normalised keys (see :func:`geo.normalize.normalise`).
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

    def search(
        self,
        key: str,
        *,
        limit: int = 5,
        score_cutoff: float = 0.0,
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
        exhaustive : bool
            Score every key even in indexed mode (used to check the index).

        Returns
        -------
        list of (int, float)
            Key positions and scores, best first; ties keep key order.
        """
        if not key or not self.keys:
            return []
        skel = skeleton(key)
        if self.indexed and not exhaustive:
            ids = self._candidate_ids(skel)
            if len(ids) == 0:
                return []
            keys = self._key_arr[ids].tolist()
            skels = self._skel_arr[ids].tolist()
        else:
            ids = np.arange(len(self.keys))
            keys, skels = self.keys, self.skeletons
        plain = process.cdist([key], keys, scorer=fuzz.ratio, dtype=np.float32, workers=1)[0]
        folded = process.cdist([skel], skels, scorer=fuzz.ratio, dtype=np.float32, workers=1)[0]
        swaps = process.cdist([key], keys, scorer=OSA.normalized_similarity, dtype=np.float32,
                              workers=1)[0]
        scores = (plain.astype(np.float64) + folded + 100.0 * swaps) / 3.0
        order = np.lexsort((ids, -scores))[:limit]
        return [
            (int(ids[j]), round(float(scores[j]), 1))
            for j in order
            if scores[j] >= score_cutoff
        ]
