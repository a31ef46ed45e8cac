"""The coding desk's loop on the five seed articles: the time from a pasted report to
its candidates shown, beside the same page's rerun without extraction, and the share
of candidates a coder can accept unchanged.

``python -m benchmarks.coding_bench [--repeat 5]`` (needs ``../shared/seeds`` beside
the repository; see :mod:`benchmarks.extract_eval`). For each article the page
(``ui/views/coding.py`` under Streamlit's AppTest) runs, in turn, *repeat* times each:
the click on "Find incidents and claims" (reading the report, extraction, the review
tables, the preview against the bundled dataset), and a rerun of the same page with
the candidates already found (no extraction). Their difference, per 5 KB of text, is
what extraction adds to the page (target: at most 0.5 s per 5 KB report).

A candidate claim can be accepted unchanged when the bundled dataset (hand-coded from
the same article) has a claim with the same category, value and place (district, or
area for area-wide figures) from the same kind of claimant; a candidate incident when
the dataset has an incident of the article in the same district on the same day.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from streamlit.testing.v1 import AppTest

from benchmarks.extract_eval import Gold, found_by_us, ours, seed_set
from geo import Gazetteer
from tests.support import ROOT

PAGE = str(ROOT / "ui" / "views" / "coding.py")


def _page(gold: Gold) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.sidebar.text_input(key="coder").input("benchmark")
    at.text_area(key="desk_text").input(gold.text)
    at.text_input(key="desk_publisher").input(gold.publisher or "Seed")
    at.date_input(key="desk_published").set_value(gold.published)
    kind = gold.kind if gold.kind in ("news", "wire", "official_statement",
                                      "militant_claim") else "news"
    at.selectbox(key="desk_kind").set_value(kind)
    return at.run()


def timings(gold: Gold, repeat: int) -> tuple[float, float]:
    """Median seconds of the page with the click (extraction) and of its plain rerun,
    interleaved."""
    at = _page(gold)
    clicks, reruns = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        at.button(key="desk_extract").click().run()
        clicks.append(time.perf_counter() - t)
        if at.exception or at.error:
            raise RuntimeError(f"{gold.name}: {at.exception or [e.value for e in at.error]}")
        t = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - t)
    return statistics.median(clicks), statistics.median(reruns)


def acceptable(gold: Gold, gaz: Gazetteer) -> tuple[int, int, int, int]:
    """Candidate claims and incidents a coder can accept unchanged, and how many of each."""
    got = found_by_us(ours(gold, gaz))
    claims = sum(len(types & gold.claims.get(key, set()))
                 for key, types in got.claims.items())
    total = sum(len(types) for types in got.claims.values())
    incidents = len(got.incidents & gold.incidents)
    return claims, total, incidents, len(got.incidents)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    os.environ["GEO_CACHE_DIR"] = "off"
    os.environ["GEO_WORK_DIR"] = tempfile.mkdtemp(prefix="geo-bench-work-")
    gaz = Gazetteer.load()
    golds = seed_set(gaz)
    if not golds:
        raise SystemExit("the seed articles are not beside the repository (../shared/seeds)")
    print(f"{'article':34} {'KB':>5} {'page+extract s':>15} {'rerun s':>8} "
          f"{'added s/5KB':>12} {'claims ok':>10} {'incidents ok':>13}")
    per5, ok_c, all_c, ok_i, all_i = [], 0, 0, 0, 0
    for gold in golds:
        click, rerun = timings(gold, args.repeat)
        kb = len(gold.text.encode()) / 1000
        per5.append((click - rerun) * 5 / kb)
        c, tc, i, ti = acceptable(gold, gaz)
        ok_c, all_c, ok_i, all_i = ok_c + c, all_c + tc, ok_i + i, all_i + ti
        print(f"{gold.name[:34]:34} {kb:5.1f} {click:15.2f} {rerun:8.2f} {per5[-1]:12.2f} "
              f"{c:>4}/{tc:<5} {i:>6}/{ti:<6}")
    print(f"extraction adds {statistics.median(per5):.2f} s per 5 KB report (median; "
          f"max {max(per5):.2f}; target <= 0.5)")
    print(f"candidates a coder can accept unchanged: claims {ok_c}/{all_c} "
          f"({ok_c / max(all_c, 1):.0%}), incidents {ok_i}/{all_i} ({ok_i / max(all_i, 1):.0%})")


if __name__ == "__main__":
    main()
