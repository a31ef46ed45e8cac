"""How well ``geo extract`` reads reports: precision and recall against hand-coded
answers, beside a plain regex extractor run on the same reports, and its speed.

``python -m benchmarks.extract_eval [--repeat 3] [--memory 1000]`` prints, per
development set and extractor:

* claims: precision and recall of distinct (category, value, where) triples of each
  report, *where* being the district of the claim's incident or the area of an
  area-wide claim;
* claimant: share of matched claims whose claimant type is one the answer gives;
* places: precision and recall of the districts of each report's incidents;
* dates: share of matched incident districts with an incident on the answer's day;

then reports per second on one core (text to dataset rows, place resolution
included, the gazetteer loaded once) and, with ``--memory N``, the peak memory of
``python -m geo extract`` on a folder of N reports.

Development set 1 is the five seed articles (``../shared/seeds``, beside the
repository) against the bundled dataset coded from them; set 2 is
``benchmarks/data/reports``: short reports with their answer keys (its README). Set 3,
``benchmarks/data/heldout``, has the same form but other places and writers' habits,
and is kept apart from development: it only measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo import Gazetteer
from geo.bundled import dataset_dir
from geo.extraction.document import document_from_text
from geo.extraction.grouping import Extraction
from geo.extraction.pipeline import extract_document
from geo.extraction.places import find_places
from tests.support import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
REPORTS = ROOT / "benchmarks" / "data" / "reports"
HELDOUT = ROOT / "benchmarks" / "data" / "heldout"


@dataclass
class Gold:
    """One report and its answers."""

    name: str
    text: str
    published: dt.date
    claims: dict[tuple[str, int, str], set[str]]  # (category, value, where) -> claimant types
    incidents: set[tuple[str, dt.date]]  # (district, day)
    kind: str = "news"  # a source kind of the dataset (official_statement, militant_claim...)
    publisher: str = ""


@dataclass
class Found:
    """What an extractor found in one report."""

    claims: dict[tuple[str, int, str], set[str]] = field(default_factory=dict)
    incidents: set[tuple[str, dt.date]] = field(default_factory=set)


def _district(gaz: Gazetteer, location: str, province: str, cache: dict[str, str]) -> str:
    if location not in cache:
        m = gaz.resolve(location, province=province or None) if location else None
        cache[location] = str(m.district) if m is not None and m.resolved else ""
    return cache[location]


def seed_set(gaz: Gazetteer) -> list[Gold]:
    """The five seed articles and their claims and incidents in the bundled dataset."""
    root = dataset_dir()
    src = pd.read_csv(root / "sources.csv", dtype=str, keep_default_na=False)
    inc = pd.read_csv(root / "incidents.csv", dtype=str, keep_default_na=False)
    clm = pd.read_csv(root / "claims.csv", dtype=str, keep_default_na=False)
    cache: dict[str, str] = {}
    where_of = {r.incident_id: _district(gaz, r.location, r.admin1, cache)
                for r in inc.itertuples()}
    out = []
    for s in src.itertuples():
        path = SEEDS / s.seed_file
        if not path.exists():
            continue
        claims: dict[tuple[str, int, str], set[str]] = {}
        for c in clm[clm["source_id"] == s.source_id].itertuples():
            where = f"area:{c.area}" if c.area else where_of.get(c.incident_id, "")
            claims.setdefault((c.category, int(c.value), where), set()).add(c.claimant_type)
        mine = inc[inc["source_ids"].str.split(";").apply(lambda ids, i=s.source_id: i in ids)]
        incidents = {(where_of[r.incident_id], dt.date.fromisoformat(r.event_date))
                     for r in mine.itertuples() if where_of[r.incident_id]}
        out.append(Gold(s.seed_file, path.read_text(encoding="utf-8"),
                        dt.date.fromisoformat(s.published), claims, incidents, s.kind,
                        s.publisher))
    return out


_KINDS = {"official": "official_statement", "militant": "militant_claim", "wire": "wire",
          "explainer": "analysis", "local": "news"}
"""The answer keys' kinds as the dataset's source kinds (what ``--kind`` says)."""


def written_set(folder: Path = REPORTS) -> list[Gold]:
    """The reports of *folder* (``benchmarks/data/reports``) and their answer keys."""
    out = []
    for key_path in sorted(folder.glob("*.json")):
        key = json.loads(key_path.read_text(encoding="utf-8"))
        claims: dict[tuple[str, int, str], set[str]] = {}
        for c in key["claims"]:
            where = c["district"] or f"area:{c['area']}"
            types = c["claimant_type"]
            claims.setdefault((c["category"], int(c["value"]), where), set()).update(
                [types] if isinstance(types, str) else types)
        incidents = {(i["district"], dt.date.fromisoformat(i["event_date"]))
                     for i in key["incidents"]}
        out.append(Gold(key_path.stem, key_path.with_suffix(".txt").read_text(encoding="utf-8"),
                        dt.date.fromisoformat(key["published"]), claims, incidents,
                        _KINDS.get(key["kind"], "news"), key["publisher"]))
    return out


def ours(gold: Gold, gaz: Gazetteer) -> Extraction:
    """The pipeline of ``geo extract`` on one report (the source's kind as ``--kind``)."""
    doc = document_from_text(gold.text, gold.name, published=gold.published,
                             publisher=gold.publisher)
    return extract_document(doc, gaz, kind=gold.kind)


def found_by_us(ex: Extraction) -> Found:
    """Our rows as triples and incident districts."""
    got = Found()
    district = dict(zip(ex.incidents["incident_id"], ex.incidents["admin2"], strict=True))
    for c in ex.claims.itertuples():
        where = f"area:{c.area}" if c.area else district[c.incident_id]
        got.claims.setdefault((c.category, int(c.value), where), set()).add(c.claimant_type)
    got.incidents = {(r.admin2, dt.date.fromisoformat(r.event_date))
                     for r in ex.incidents.itertuples()}
    return got


_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_PLAIN = re.compile(r"\b(\d+|" + "|".join(_WORDS) + r")\s+((?:[\w-]+\s+){0,3}?)"
                    r"(?:(?:were|was|have been|had been|are)\s+)?"
                    r"(killed|dead|died|injured|wounded)\b", re.IGNORECASE)


def baseline(gold: Gold, gaz: Gazetteer) -> Found:
    """A plain regex extractor: a number, up to three words, then killed or injured, in
    one sentence; the side from a noun among those words; the nearest gazetteer name in
    the text as the place; the outlet as claimant; every figure on the report's day."""
    mentions = [m for m in find_places(gold.text, gaz) if m.match.resolved]
    got = Found()
    for m in _PLAIN.finditer(gold.text):
        number = m[1].lower()
        value = int(number) if number.isdigit() else _WORDS[number]
        between, verb = m[2].lower(), m[3].lower()
        if verb in ("injured", "wounded"):
            category = "injured"
        elif re.search(r"soldier|police|security|personnel|troop", between):
            category = "killed_security_forces"
        elif re.search(r"militant|attacker|terrorist|insurgent", between):
            category = "killed_militants"
        elif re.search(r"civilian|passenger|labou?rer|women|children", between):
            category = "killed_civilians"
        else:
            category = "killed_unknown"
        if not mentions:
            continue
        near = min(mentions, key=lambda p: abs(p.start - m.start()))
        where = (f"area:{near.match.name}" if near.match.kind == "province"
                 else str(near.match.district))
        got.claims.setdefault((category, value, where), set()).add("outlet")
        if not where.startswith("area:"):
            got.incidents.add((where, gold.published))
    return got


@dataclass
class Score:
    """Counts over a set of reports."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    claimant_ok: int = 0
    places_tp: int = 0
    places_fp: int = 0
    places_fn: int = 0
    dates_ok: int = 0

    def add(self, gold: Gold, got: Found) -> None:
        """Count one report."""
        hit = gold.claims.keys() & got.claims.keys()
        self.tp += len(hit)
        self.fp += len(got.claims.keys() - hit)
        self.fn += len(gold.claims.keys() - hit)
        self.claimant_ok += sum(bool(gold.claims[k] & got.claims[k]) for k in hit)
        gold_d = {d for d, _ in gold.incidents}
        got_d = {d for d, _ in got.incidents}
        self.places_tp += len(gold_d & got_d)
        self.places_fp += len(got_d - gold_d)
        self.places_fn += len(gold_d - got_d)
        self.dates_ok += sum(any((d, day) in got.incidents for dd, day in gold.incidents
                                 if dd == d) for d in gold_d & got_d)

    def row(self) -> dict[str, float]:
        """Precision, recall and shares."""
        def share(a: int, b: int) -> float:
            return round(a / b, 2) if b else float("nan")

        return {"claims P": share(self.tp, self.tp + self.fp),
                "claims R": share(self.tp, self.tp + self.fn),
                "claimant": share(self.claimant_ok, self.tp),
                "places P": share(self.places_tp, self.places_tp + self.places_fp),
                "places R": share(self.places_tp, self.places_tp + self.places_fn),
                "dates": share(self.dates_ok, self.places_tp),
                "gold claims": self.tp + self.fn}


def evaluate(sets: dict[str, list[Gold]], gaz: Gazetteer,
             verbose: bool = False) -> pd.DataFrame:
    """The table: one row per set and extractor."""
    rows = []
    for name, golds in sets.items():
        for who, run in (("ours", lambda g: found_by_us(ours(g, gaz))),
                         ("regex baseline", lambda g: baseline(g, gaz))):
            score = Score()
            for g in golds:
                got = run(g)
                score.add(g, got)
                if verbose and who == "ours":
                    _explain(g, got)
            rows.append({"set": name, "extractor": who, "reports": len(golds), **score.row()})
    return pd.DataFrame(rows)


def _explain(gold: Gold, got: Found) -> None:
    for k in sorted(got.claims.keys() - gold.claims.keys(), key=str):
        print(f"  {gold.name}: extra   {k} {sorted(got.claims[k])}")
    for k in sorted(gold.claims.keys() - got.claims.keys(), key=str):
        print(f"  {gold.name}: missed  {k} {sorted(gold.claims[k])}")
    for k in sorted(gold.claims.keys() & got.claims.keys(), key=str):
        if not gold.claims[k] & got.claims[k]:
            print(f"  {gold.name}: claimant {k} {sorted(got.claims[k])} "
                  f"not {sorted(gold.claims[k])}")
    for d in sorted({d for d, _ in gold.incidents} & {d for d, _ in got.incidents}):
        want = {day for dd, day in gold.incidents if dd == d}
        have = {day for dd, day in got.incidents if dd == d}
        if not want & have:
            print(f"  {gold.name}: date    {d} {sorted(map(str, have))} not "
                  f"{sorted(map(str, want))}")
    for d in sorted({d for d, _ in gold.incidents} ^ {d for d, _ in got.incidents}):
        print(f"  {gold.name}: place   {d} {'missed' if d in dict(gold.incidents) else 'extra'}")


def speed(golds: Iterable[Gold], gaz: Gazetteer, repeat: int) -> dict[str, float]:
    """Reports per second on one core, best of *repeat* passes: as measured on these
    reports (their mean size given), and per 5 KB of text (the size the target names)."""
    golds = list(golds)
    ours(golds[0], gaz)  # the place automaton is built once per gazetteer
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for g in golds:
            ours(g, gaz)
        best = min(best, time.perf_counter() - t0)
    kb = sum(len(g.text.encode()) for g in golds) / 1024
    return {"reports": len(golds), "mean KB": round(kb / len(golds), 1),
            "reports/s": round(len(golds) / best, 1), "KB/s": round(kb / best),
            "5 KB reports/s": round(kb / best / 5, 1)}


def memory(golds: list[Gold], n: int) -> dict[str, float]:
    """Peak memory of ``python -m geo extract`` (one worker) on a folder of *n*
    reports (the development reports, each copy with its own first line)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        for i in range(n):
            g = golds[i % len(golds)]
            (folder / f"{i:05d}.txt").write_text(f"Copy {i}.\n\n{g.text}", encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geo", "extract", str(folder), "--published",
                        "2026-02-01", "--out", str(Path(tmp) / "out"), "--jobs", "1"],
                       check=True, capture_output=True)
        took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"reports": n, "seconds": round(took, 1), "peak MB": round(peak)}


def main(argv: list[str] | None = None) -> None:
    """Print the evaluation tables, the speed and (``--memory``) the peak memory."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory", type=int, default=0, metavar="N",
                    help="also measure `geo extract` on a folder of N reports")
    ap.add_argument("--explain", action="store_true", help="list every miss of ours")
    args = ap.parse_args(argv)
    gaz = Gazetteer.load()
    sets = {"1: seed articles": seed_set(gaz), "2: written reports": written_set(),
            "3: held out": written_set(HELDOUT)}
    sets = {k: v for k, v in sets.items() if v}
    pd.set_option("display.width", 200)
    print(evaluate(sets, gaz, verbose=args.explain).to_string(index=False))
    every = [g for golds in sets.values() for g in golds]
    print("\nspeed, one core:", speed(every, gaz, args.repeat))
    if args.memory:
        print("memory:", memory(every, args.memory))


if __name__ == "__main__":
    main()
