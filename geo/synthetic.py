"""Synthetic gazetteers for benchmarks and tests.

Names are built from syllables typical of place names in Pakistan ("Kot", "abad",
"Khel", "pur"...), so their character statistics (and thus fuzzy-index behaviour)
resemble the real gazetteer. Points are scattered around real towns of a seed
gazetteer, so they fall inside the bundled districts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["misspell", "synthetic_places"]

_HEADS = (
    "Ali", "Bagh", "Bas", "Chak", "Dera", "Dhok", "Fateh", "Ghulam", "Goth", "Gul",
    "Hassan", "Jam", "Kala", "Kili", "Kot", "Khan", "Mir", "Mian", "Mohammad", "Nau",
    "Pir", "Qila", "Rahim", "Sar", "Shah", "Sher", "Tando", "Umar", "Wadh", "Zar",
)
_MIDS = ("a", "ab", "al", "an", "ar", "ba", "da", "ga", "ja", "ka", "la", "ma", "na",
         "ra", "sa", "ta", "wa", "za", "ban", "dan", "gar", "jan", "kan", "lan", "man",
         "nar", "san", "tar", "war", "zan", "i", "u", "o")
_TAILS = ("abad", "pur", "kot", "wala", "ganj", "nagar", "garh", "zai", "khel", "dar",
          "an", "i", "ani", "ana", "gah", "sar", "ki", "wal", "jo", "ro")


def synthetic_places(seed_places: pd.DataFrame, n: int, *, seed: int = 0) -> pd.DataFrame:
    """Make *n* distinct synthetic places in the gazetteer CSV layout.

    Parameters
    ----------
    seed_places : pandas.DataFrame
        Real places with ``lat``, ``lon`` columns to scatter around.
    n : int
        How many places.
    seed : int
        Random seed; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, ascii_name, alt_names, lat, lon, feature_code, population,
        geonames_id`` (ids are ``syn-<i>``).
    """
    rng = np.random.default_rng(seed)
    names: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        k = max(n - len(out), 64) * 2
        heads = rng.choice(_HEADS, k)
        mids = rng.choice(_MIDS, (k, 2))
        tails = rng.choice(_TAILS, k)
        two = rng.random(k) < 0.35
        for h, (m1, m2), t, w in zip(heads, mids, tails, two, strict=True):
            word = (m1 + m2 + t).capitalize()
            name = f"{h} {word}" if w else f"{h}{m1}{t}"
            if name not in names:
                names.add(name)
                out.append(name)
                if len(out) == n:
                    break
    anchor = rng.integers(0, len(seed_places), n)
    lat = seed_places["lat"].to_numpy(dtype=float)[anchor] + rng.normal(0, 0.08, n)
    lon = seed_places["lon"].to_numpy(dtype=float)[anchor] + rng.normal(0, 0.08, n)
    return pd.DataFrame(
        {
            "name": out,
            "ascii_name": out,
            "alt_names": "",
            "lat": np.round(lat, 5),
            "lon": np.round(lon, 5),
            "feature_code": rng.choice(["PPL", "PPL", "PPL", "PPLA3", "PPLX"], n),
            "population": rng.integers(0, 200_000, n),
            "geonames_id": [f"syn-{i}" for i in range(n)],
        }
    )


def misspell(name: str, rng: np.random.Generator) -> str:
    """Apply one reporter-like error: a vowel swap, doubled or dropped letter, or swap.

    Parameters
    ----------
    name : str
        The correct name.
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    str
        A different spelling (or the same name when it is too short to change).
    """
    if len(name) < 4:
        return name
    i = int(rng.integers(1, len(name) - 1))
    kind = int(rng.integers(0, 4))
    c = name[i]
    if kind == 0 and c.lower() in "aeiou":
        swap = {"a": "e", "e": "i", "i": "ee", "o": "u", "u": "oo"}[c.lower()]
        return name[:i] + swap + name[i + 1 :]
    if kind == 1:
        return name[:i] + c + name[i:]
    if kind == 2:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
