"""A process whose category table has two more categories, and what every output makes
of them (run by ``tests/dataset/test_categories.py``).

``python -m tests.support.extra_category OUT`` adds :data:`EXTRA` to
:data:`geo.dataset.categories.TABLE` before any other ``geo`` module is imported (each
reads the table when it is imported, as it does in a real run), writes a copy of the
bundled dataset with claims in the new categories under ``OUT``, runs the exports and
maps on it, and writes what they show to ``OUT/report.json``.

Nothing happens on import: the patch is made in :func:`main` only.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from geo.dataset import categories

EXTRA = (
    categories.Category("killed_bystanders", "Bystanders killed", "#123456", killed=True,
                        acled="fatalities", description="People killed near the attack."),
    categories.Category("displaced", "Displaced", "#abcdef", killed=False, acled="tag",
                        description="People who left their homes."),
)
"""Added categories: one summed into ACLED's fatalities, one written in its tags."""

INCIDENT = "BAL26-007"
"""The incident given claims in the new categories (Pasni; 1 injured, under "lowest")."""

CLAIMS = [  # claim_id, incident_id, area, period_start, period_end, category, value
    ("C900", INCIDENT, "", "", "", "killed_bystanders", "2"),
    ("C901", INCIDENT, "", "", "", "displaced", "40"),
    ("C902", "", "Balochistan", "2026-01-31", "2026-02-01", "killed_bystanders", "9"),
]
"""Claims in the new categories, by the reporting outlet of source S003."""


def _dataset(folder: Path) -> Path:
    """A copy of the bundled dataset with :data:`CLAIMS` added."""
    from geo.bundled import dataset_dir

    shutil.copytree(dataset_dir(), folder)
    with (folder / "claims.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with (folder / "claims.csv").open("a", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, restval="")
        for cid, inc, area, start, end, cat, value in CLAIMS:
            w.writerow({"claim_id": cid, "incident_id": inc, "area": area,
                        "period_start": start, "period_end": end, "source_id": "S003",
                        "claimant": "Reporting outlet (unattributed)",
                        "claimant_type": "outlet", "category": cat, "value": value,
                        "qualifier": "exact"})
    return folder


def _observe(out: Path) -> dict[str, Any]:
    """What the schema, summaries, exports and maps make of the added categories."""
    import folium
    import pandas as pd
    from matplotlib.text import Text

    from geo import Gazetteer
    from geo.analysis.summary import summarise
    from geo.dataset.records import read_dataset
    from geo.dataset.schema import CATEGORIES
    from geo.export.acled import acled_frame, acled_sidecar
    from geo.export.summary_json import summary_to_dict
    from geo.export.tables import district_frame, incident_frame, write_csv, write_geojson
    from geo.maps.static.render import render_map
    from geo.maps.symbology import CATEGORY_COLOURS, CATEGORY_LABELS
    from geo.maps.web.incidentmap import incident_map
    from geo.maps.web.viewlayers import legend_html, walk

    new = [c.name for c in EXTRA]
    labels = [c.label for c in EXTRA]
    ds = read_dataset(_dataset(out / "data"))
    gaz = Gazetteer.load()
    s = summarise(ds, gaz)  # lowest figures
    report: dict[str, Any] = {
        "categories": list(CATEGORIES),
        "labels": {c: CATEGORY_LABELS.get(c) for c in new},
        "colours": {c: CATEGORY_COLOURS.get(c) for c in new},
        "problems": [str(p) for p in ds.problems],
        "claims_read": sorted(ds.claims.loc[ds.claims["category"].astype(str).isin(new),
                                            "claim_id"].astype(str)),
    }
    inc = s.incidents.set_index(s.incidents["incident_id"].astype(str))
    report["summary_columns"] = [c for c in s.incidents.columns if c.startswith(tuple(new))]
    report["summary_figures"] = {f"{c}_{st}": float(inc.loc[INCIDENT, f"{c}_{st}"])
                                 for c in new for st in ("best", "low", "high")}
    report["district_columns"] = [c for c in s.districts.columns if c.startswith(tuple(new))]
    totals = s.totals.set_index(s.totals["category"].astype(str))
    report["totals"] = {c: float(totals.loc[c, "total_best"]) for c in new}
    json_totals: dict[str, dict[str, Any]] = summary_to_dict(s)["totals"]  # type: ignore[assignment]
    report["json_totals"] = {c: json_totals[c]["total_best"] for c in new}

    frame = incident_frame(s, ds)
    write_geojson(frame, out / "incidents.geojson")
    feats = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    props = next(f["properties"] for f in feats if f["properties"]["incident_id"] == INCIDENT)
    report["geojson"] = {k: v for k, v in props.items() if k.startswith(tuple(new))}
    write_csv(frame, out / "incidents.csv")
    got = pd.read_csv(out / "incidents.csv", dtype=str, keep_default_na=False)
    report["csv"] = {k: v for k, v in got.set_index("incident_id").loc[INCIDENT].items()
                     if k.startswith(tuple(new))}
    districts = district_frame(s, gaz.boundaries.districts)
    report["district_export_columns"] = [c for c in districts.columns
                                         if c.startswith(tuple(new))]

    acled = acled_frame(s, ds).set_index("event_id_cnty")
    report["acled"] = {"fatalities": int(acled.loc[INCIDENT, "fatalities"]),
                       "tags": str(acled.loc[INCIDENT, "tags"]),
                       "killed_best": {c.removesuffix("_best"): float(v) for c, v
                                       in frame.set_index("incident_id").loc[INCIDENT].items()
                                       if c.startswith("killed_") and c.endswith("_best")
                                       and pd.notna(v)}}
    report["acled_sidecar"] = acled_sidecar(s, len(acled))

    legends = {}
    for how, m in (("points", incident_map(s, gaz)),
                   ("clusters", incident_map(s, gaz, max_points=1))):
        layers = [e.layer_name for e in walk(m) if isinstance(e, folium.GeoJson)]
        legends[how] = {"legend": legend_html(m), "layers": [n for n in layers if n]}
    report["web"] = legends
    fig = render_map(s, gaz, ds)
    report["static"] = sorted({(t.get_text(), str(t.get_color())) for t in fig.findobj(Text)
                               if isinstance(t, Text) and t.get_text() in labels})
    return report


def main(argv: list[str]) -> None:
    """Add :data:`EXTRA` to the table, then write ``<OUT>/report.json``."""
    out = Path(argv[0])
    early = [m for m in ("geo.dataset.schema", "geo.maps.symbology") if m in sys.modules]
    if early:
        raise SystemExit(f"imported before the table was extended: {', '.join(early)}")
    categories.TABLE = (*categories.TABLE, *EXTRA)
    report = _observe(out)
    (out / "report.json").write_text(json.dumps(report, indent=1, default=str),
                                     encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
