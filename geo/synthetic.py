"""Synthetic gazetteers for benchmarks and tests.

Names are built from syllables typical of place names in Pakistan ("Kot", "abad",
"Khel", "pur"...), so their character statistics (and thus fuzzy-index behaviour)
resemble the real gazetteer. Points are scattered around real towns of a seed
gazetteer, so they fall inside the bundled districts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.dataset import categories

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


_EVENTS = [
    ("Battles", "Armed clash"), ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Explosions/Remote violence", "Suicide bomb"), ("Explosions/Remote violence", "Grenade"),
    ("Violence against civilians", "Attack"),
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Strategic developments", "Looting/property destruction"),
]
_CLAIMANTS = [("Provincial government", "government"), ("Pakistan military", "military"),
              ("District police", "police"), ("Officials (unnamed)", "official"),
              ("District hospital", "hospital"), ("Militant group", "militant"),
              ("Reporting outlet", "outlet")]
_CATS = [c.name for c in categories.TABLE if c.name != "freed_prisoners"]
"""Categories of incident claims, drawn uniformly: every category but the rare freed
prisoners (a jailbreak), in table order."""
_AREA_CATS = ("killed_civilians", "killed_security_forces", "killed_militants")
"""Categories of the province-month claims: deaths by side, as governments report them."""


def synthetic_dataset(places: pd.DataFrame, n: int, *, seed: int = 0,
                      claims_per_incident: float = 2.0) -> dict[str, pd.DataFrame]:
    """Make a realistic synthetic dataset of *n* incidents (text tables, CSV-ready).

    Incidents cluster around real towns of *places* (weighted towards larger ones),
    dates spread over 2018-2025, each has 0-4 claims from several sources and claimant
    types; about 1 % carry place names no gazetteer knows (up to 1,000 distinct ones,
    each recurring), 4 % explicit coordinates, and there are province-level claims
    for each province and month.

    Parameters
    ----------
    places : pandas.DataFrame
        Located gazetteer places (``Gazetteer.places``: name, lat, lon, province_name).
    n : int
        Number of incidents.
    seed : int
        Random seed.
    claims_per_incident : float
        Mean number of claims per incident.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sources``, ``incidents`` and ``claims`` in the dataset CSV layout.
    """
    rng = np.random.default_rng(seed)
    towns = places[places["province_name"].notna()].reset_index(drop=True)
    weight = np.log1p(towns["population"].to_numpy(dtype=float)) + 1.0
    anchor = rng.choice(len(towns), n, p=weight / weight.sum())
    names = towns["name"].to_numpy(dtype=object)[anchor]
    kind = rng.random(n)
    location = names.copy()
    near = kind < 0.05
    location[near] = "near " + names[near]
    bogus = (kind >= 0.05) & (kind < 0.06)
    # Unknown villages recur like known towns do: a pool of up to 1,000 names.
    pool = np.array([f"Zzq{i:04d} Goth" for i in range(max(1, min(1000, n // 100)))],
                    dtype=object)
    location[bogus] = pool[rng.integers(0, len(pool), int(bogus.sum()))]
    explicit = kind >= 0.96
    lat = np.where(explicit, towns["lat"].to_numpy()[anchor] + rng.normal(0, 0.05, n), np.nan)
    lon = np.where(explicit, towns["lon"].to_numpy()[anchor] + rng.normal(0, 0.05, n), np.nan)
    days = rng.integers(0, 8 * 365, n)
    dates = (pd.Timestamp("2018-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    ev = rng.integers(0, len(_EVENTS), n)
    n_src = 40
    src_ids = np.array([f"SRC{i:03d}" for i in range(n_src)], dtype=object)
    s1, s2 = rng.integers(0, n_src, n), rng.integers(0, n_src, n)
    ids = np.char.add("INC", np.char.zfill(np.arange(n).astype(str), 8)).astype(object)
    incidents = pd.DataFrame({
        "incident_id": ids, "event_date": dates, "time_precision": "1",
        "location": np.where(explicit, "", location),
        "admin1": towns["province_name"].to_numpy(dtype=object)[anchor], "admin2": "",
        "latitude": pd.Series(lat).round(5).astype(str).replace("nan", ""),
        "longitude": pd.Series(lon).round(5).astype(str).replace("nan", ""),
        "geo_precision": "", "event_type": [_EVENTS[i][0] for i in ev],
        "sub_event_type": [_EVENTS[i][1] for i in ev], "actor1": "Unidentified armed group",
        "actor2": "", "target_type": "", "description": "synthetic incident",
        "source_ids": np.where(s1 == s2, src_ids[s1], src_ids[s1] + ";" + src_ids[s2]),
        "operation_id": "",
    })
    k = rng.poisson(claims_per_incident, n).clip(0, 4)
    owner = np.repeat(np.arange(n), k)
    m = len(owner)
    who = rng.integers(0, len(_CLAIMANTS), m)
    claims = pd.DataFrame({
        "claim_id": np.char.add("C", np.char.zfill(np.arange(m).astype(str), 9)).astype(object),
        "incident_id": ids[owner], "area": "", "period_start": "", "period_end": "",
        "source_id": src_ids[rng.integers(0, n_src, m)],
        "claimant": [_CLAIMANTS[i][0] for i in who],
        "claimant_type": [_CLAIMANTS[i][1] for i in who],
        "category": np.array(_CATS, dtype=object)[rng.integers(0, len(_CATS), m)],
        "value": rng.poisson(3, m).astype(str), "value_max": "", "qualifier": "",
        "value_text": "", "claim_date": dates[owner], "locator": "",
    })
    months = pd.period_range("2018-01", "2025-12", freq="M")
    provs = sorted(towns["province_name"].unique())
    area = pd.DataFrame([(p, mo.start_time.strftime("%Y-%m-%d"), mo.end_time.strftime("%Y-%m-%d"),
                          c) for p in provs for mo in months for c in _AREA_CATS],
                        columns=["area", "period_start", "period_end", "category"])
    area["claim_id"] = [f"A{i:08d}" for i in range(len(area))]
    area["incident_id"] = ""
    area["source_id"] = src_ids[rng.integers(0, n_src, len(area))]
    area["claimant"], area["claimant_type"] = "Provincial government", "government"
    area["value"] = (rng.poisson(max(1.0, n / 5000), len(area)) + 1).astype(str)
    area[["value_max", "qualifier", "value_text", "locator"]] = ""
    area["claim_date"] = area["period_end"]
    claims = pd.concat([claims, area[claims.columns]], ignore_index=True)
    sources = pd.DataFrame({
        "source_id": src_ids, "publisher": [f"Outlet {i}" for i in range(n_src)],
        "title": "synthetic source", "published": "2018-01-01", "url": "", "kind": "news",
    })
    return {"sources": sources, "incidents": incidents, "claims": claims}
