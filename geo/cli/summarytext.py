"""``geo summary`` as text: the headline of each category and who gives it, the
districts, the area-wide figures beside what is located, what is not on the map."""

from __future__ import annotations

from typing import Any

from geo.cli.options import echo
from geo.maps.symbology import CATEGORY_LABELS

__all__ = ["print_summary"]


def _fmt(fig: dict[str, Any] | None) -> str:
    """``"5 (5-11)"``; ``"no figure (claims 5-11)"`` when the policy picks none."""
    if not fig or fig.get("best") is None and fig.get("low") is None:
        return "no figure"
    best, low, high = fig.get("best"), fig.get("low"), fig.get("high")
    if best is None:
        return f"no figure (claims {low}-{high})" if low != high else \
            f"no figure (claims {low})"
    return f"{best} ({low}-{high})" if low != high else f"{best}"


def print_summary(d: dict[str, Any]) -> None:
    """Print :func:`~geo.export.summary_json.summary_to_dict`'s view as text: headlines
    (who gives each figure), districts, area-wide figures; unresolved incidents (with
    the figures they keep) on stderr. Data text is escaped by :func:`echo`."""
    echo(f"Figure policy: {d['figure_policy']}; {d['incidents']} located incidents")
    echo("Headline figures (no figure is never shown as 0; militant claims never summed):")
    for cat, h in d["headlines"].items():
        echo(f"  {CATEGORY_LABELS[cat]}: {h['text'][0]}")
        for line in h["text"][1:]:
            echo(f"      {line}")
    for r in d["districts"]:
        figs = ", ".join(f"{k} {_fmt(v)}" + (f" (+{v['militant']} militant claim)"
                                            if v.get("militant") is not None else "")
                         for k, v in r["figures"].items())
        n = r['incidents']
        echo(f"{r['district']} ({r['province']}): {n} incident{'s' if n != 1 else ''}"
             + (f"; {figs}" if figs else ""))
    echo("Area-wide figures (province or district over a period):")
    for r in d["unattributed"]:
        tag = "" if r["headline"] else " (part of the period)"
        who = f" per {r['best_claimant']}" if r["best_claimant"] else ""
        who += " (militant claim)" if r["best_class"] == "militant" else ""
        part = (f"unattributed {r['unattributed_best']}" if r["unattributed_best"] is not None
                else r["comparison"])
        echo(f"  {r['area']} {r['period_start']}..{r['period_end']} {r['category']}: "
             f"{_fmt(r['total'])}{who}{tag}; located {r['located']['best'] or '-'}; {part}")
    for r in d["unresolved"]:
        figs = ", ".join(f"{k} {_fmt(v)}" + (" (militant claim)" if v["class"] == "militant"
                                             else "") for k, v in r["figures"].items())
        echo(f"unresolved: {r['incident_id']} {r['location']!r}: {r['reason']}"
             + (f" (figures kept: {figs})" if figs else ""), err=True)
