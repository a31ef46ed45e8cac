"""The page's sections under the map: district ranking and table, timeline, places not
on the map. Each draws into the current Streamlit container from a summary."""

from __future__ import annotations

import streamlit as st

from geo.analysis.locate import unresolved_places
from geo.analysis.ranking import top_district_lines
from geo.analysis.summary import Summary
from geo.analysis.timeline import area_periods, timeline
from geo.maps.symbology import CATEGORY_COLOURS, CATEGORY_LABELS, measure_label

__all__ = ["district_table", "timeline_charts", "top_districts", "unresolved_table"]

_FIGURE_WORDS = {"best": "", "low": ": lowest claims", "high": ": highest claims",
                 "militant": ": claimed only by militants"}


def top_districts(s: Summary, measure: str, categories: tuple[str, ...]) -> None:
    """The districts with the most of the map's shading measure, a line each."""
    ranked = top_district_lines(s, measure, categories)
    what = measure_label(measure)
    st.caption(f"Districts with the most {what} (the map's shading); every district "
               "and its claims range in the next tab.")
    st.markdown("\n".join(ranked) if ranked else f"No district has {what} here.")


def district_table(s: Summary, shown: list[str]) -> None:
    """Every district's incidents and figure sums, headers in words."""
    table = s.districts[["district", "province", "incidents",
                         *[f"{c}_{x}" for c in shown for x in _FIGURE_WORDS]]]
    st.caption("Sums of the incidents' figures under the policy, with the sums of their "
               "lowest and highest claims; a figure only militants give has its own "
               "column, never in the sum. Empty: no figure.")
    st.dataframe(table, hide_index=True, key="districts", column_config={
        "district": "District", "province": "Province",
        "incidents": st.column_config.NumberColumn("Incidents", format="%d"),
        **{f"{c}_{x}": st.column_config.NumberColumn(CATEGORY_LABELS[c] + w, format="%d")
           for c in shown for x, w in _FIGURE_WORDS.items()}})


def timeline_charts(s: Summary, shown: list[str]) -> None:
    """One chart per category: located figures per period as bars, area-wide figures
    as lines over the period each covers. Never added together."""
    import altair as alt  # only when the timeline is open: 0.2 s

    long, period = timeline(s.incidents, shown)
    spans = area_periods(s.areas, shown)
    if not len(long) and not len(spans):
        st.info("No casualty figures in this selection.")
        return
    st.caption(f"Per category, never added together. Bars: the located incidents' "
               f"figures per {period}. Lines: area-wide figures over the period "
               "each covers, as stated (not incidents; dashed: only militants give it).")
    labels = {c: CATEGORY_LABELS[c] for c in shown}
    colours = alt.Scale(domain=list(labels.values()), range=[CATEGORY_COLOURS[c] for c in shown])
    long = long.assign(category=long["category"].map(labels))
    spans = spans.assign(category=spans["category"].map(labels))
    days = alt.Axis(format="%d %b %Y", tickCount={"interval": "day", "step": 1})
    bars = alt.Chart(long).mark_bar(width={"band": 0.9}).encode(
        x=alt.X("period:T", title=f"Date (per {period})", axis=days),
        y=alt.Y("count:Q", title="People", axis=alt.Axis(tickCount=4)),
        color=alt.Color("category:N", scale=colours, legend=None),
        tooltip=[alt.Tooltip("period:T", title=period.capitalize()),
                 alt.Tooltip("count:Q", title="Located", format=",.0f")])
    lines = alt.Chart(spans).mark_rule(strokeWidth=3).encode(
        x="start:T", x2="end:T", y="count:Q",
        color=alt.Color("category:N", scale=colours, legend=None),
        strokeDash=alt.condition("datum.militant", alt.value([4, 3]), alt.value([1, 0])),
        tooltip=[alt.Tooltip("area:N", title="Area"), alt.Tooltip("start:T", title="From"),
                 alt.Tooltip("end:T", title="Until (not including)"),
                 alt.Tooltip("count:Q", title="Area-wide figure", format=",.0f"),
                 alt.Tooltip("who:N", title="Per")])
    for label in [lb for lb in labels.values()
                  if lb in set(long["category"]) | set(spans["category"])]:
        one = alt.layer(bars.transform_filter(alt.datum.category == label),
                        lines.transform_filter(alt.datum.category == label))
        st.altair_chart(one.properties(title=label, height=180), width="stretch")


def unresolved_table(s: Summary, shown: list[str], limit: int) -> None:
    """The incidents not on the map, with their figures; past *limit* of them, one row
    per place as written (fix a name once)."""
    if not len(s.unresolved):
        st.caption("Every incident in this selection is on the map.")
    elif len(s.unresolved) <= limit:
        st.caption("Not on the map: the place is not reported or could not be "
                   "resolved. Their figures are kept (class: who gives each).")
        figs = [f"{c}_{x}" for c in shown for x in ("best", "class")
                if s.unresolved[f"{c}_best"].notna().any()]
        st.dataframe(s.unresolved[["incident_id", "location", "admin1", "admin2", "reason",
                                   "suggestions", *figs]], hide_index=True, key="unresolved")
    else:
        places = unresolved_places(s.unresolved)
        st.caption(f"{len(s.unresolved):,} incidents at {len(places):,} places as "
                   "written; every incident is in the download below.")
        st.dataframe(places, hide_index=True, key="unresolved")
