"""The coding desk: a report becomes candidate incidents and claims, which the coder
checks beside their sentences, corrects, and saves into a working dataset that keeps
every edit and who made it (:mod:`geo.coding`).

Widgets -> ``geo`` calls -> render. Everything from the report or a coder reaches the
page escaped (markdown: :func:`geo.textsafe.md_text`; the report's HTML:
:func:`geo.coding.highlight.highlight_html`); tables show text as text.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from urllib.parse import quote

import streamlit as st
from streamlit_folium import st_folium

from geo import DataError
from geo.coding.highlight import MARK_STYLE, highlight_html
from geo.coding.log import read_log, undone
from geo.coding.preview import preview
from geo.coding.review import apply_review, review_tables
from geo.coding.store import save_batch, undo, working_copy
from geo.dataset.records import FILES
from geo.dataset.save import csv_bytes
from geo.extraction.document import ReportError
from geo.extraction.pipeline import extract_document
from geo.extraction.texttables import read_tables
from geo.maps.web.gazetteermap import gazetteer_map
from geo.textsafe import md_text
from ui.chrome import page_chrome
from ui.data import default_dataset, load_gazetteer, work_dir
from ui.desk import (
    claim_columns,
    history_frame,
    incident_columns,
    last_batch,
    overview,
    read_report,
    report_choices,
    server_datasets,
    working_copies,
)

st.set_page_config(page_title="Code a report", layout="wide")
page_chrome()
st.title("Code a report")
st.caption("Paste or upload a news report: the incidents and casualty figures found in it "
           "are listed beside their sentences. Check and correct them, then save them into "
           "a working dataset; every save is kept in its history, with who made it, and "
           "can be undone.")
gaz = load_gazetteer()

coder = st.sidebar.text_input(
    "Your name", key="coder", max_chars=80, placeholder="who is coding",
    help="Kept with every row you save and in the dataset's history (asked once per "
         "browser tab).").strip()

# --- 1. the report ---------------------------------------------------------------------
how = st.radio("Report", ["paste", "upload", "server"], horizontal=True, key="desk_from",
               format_func={"paste": "Paste its text", "upload": "Upload a file",
                            "server": "A file on the server"}.get)
text, upload, path = "", None, None
if how == "paste":
    text = st.text_area("Report text", key="desk_text", height=200,
                        placeholder="The report's text, as published")
elif how == "upload":
    upload = st.file_uploader("Report file", type=["txt", "text", "md", "html", "htm"],
                              key="desk_file")
else:
    offered = report_choices()
    if not offered:
        st.info("This server offers no folder of reports (set GEO_REPORT_DIR).")
    path = st.selectbox("Report on the server", offered, index=None, key="desk_path",
                        format_func=lambda p: p.name)
c1, c2, c3, c4, c5 = st.columns([2, 3, 2, 3, 2])
publisher = c1.text_input("Publisher", key="desk_publisher", max_chars=200)
title = c2.text_input("Title", key="desk_title", max_chars=500)
published = c3.date_input("Published", value=None, key="desk_published",
                          min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))
url = c4.text_input("Address (URL)", key="desk_url", max_chars=2000)
kind = c5.selectbox("Kind", ["news", "wire", "official_statement", "militant_claim"],
                    key="desk_kind")
if st.button("Find incidents and claims", type="primary", key="desk_extract"):
    try:
        doc = read_report(how, text=text, upload=upload, path=path, published=published,
                          publisher=publisher, title=title, url=url)
        ex = extract_document(doc, gaz, kind=kind)
    except ReportError as exc:
        st.error(md_text(str(exc)))
    else:
        n = st.session_state.get("desk_n", 0) + 1
        st.session_state.update(desk_n=n, desk={"doc": doc, "ex": ex})

desk = st.session_state.get("desk")
if desk is None:
    st.stop()
doc, ex, n = desk["doc"], desk["ex"], st.session_state["desk_n"]

# --- 2. candidates beside the text -------------------------------------------------------
found = (f"{len(ex.incidents)} incident{'s' * (len(ex.incidents) != 1)} and "
         f"{len(ex.claims)} claim{'s' * (len(ex.claims) != 1)} found in "
         f"{doc.name} ({len(doc.text):,} characters)")
st.subheader(md_text(found))
if not len(ex.claims) and not len(ex.incidents):
    st.warning("No incident and no casualty figure found: nothing to code in this report.")
if ex.unplaced:
    st.caption(md_text(f"{len(ex.unplaced)} figure(s) with no place, left out: " + "; ".join(
        c.evidence[:120] for c in ex.unplaced[:5])))
if ex.unresolved:
    st.caption(md_text("Places the gazetteer does not know: " + "; ".join(
        f"{m.text} (did you mean: {', '.join(m.match.suggestions) or 'nothing close'})"
        for m in ex.unresolved[:10])))
left, right = st.columns([4, 6], gap="medium")
with right:
    listed = overview(ex)
    cc = st.column_config
    pick = st.dataframe(listed, hide_index=True, key=f"desk_pick_{n}", on_select="rerun",
                        selection_mode="single-row", height=min(420, 38 + 35 * len(listed)),
                        column_config={"row": cc.TextColumn("row", width="small"),
                                       "kind": cc.TextColumn("kind", width="small"),
                                       "confidence": cc.TextColumn("conf.", width="small")})
    chosen = pick.selection.rows if hasattr(pick, "selection") else []
    selected = str(listed.iloc[chosen[0]]["row"]) if chosen else None
    st.caption("Select a row to see its sentence in the text.")
with left:
    legend = ('<div class="geo-legend"><span class="p">place</span><span class="f">figure'
              '</span><span class="c">claimant</span><span class="s">sentence used</span>'
              '<span class="sel">selected</span></div>')
    scroll = ("<script>var e=document.getElementById('geo-selected');"
              "if(e){e.scrollIntoView({block:'center'});}</script>")
    # Our own markup only: every piece of the report is escaped by highlight_html.
    st.iframe(MARK_STYLE + legend + '<div class="geo-report">'
              + highlight_html(doc.text, ex, selected) + "</div>" + scroll, height=460)

st.subheader("Check and correct")
inc0, clm0 = review_tables(ex)
inc_ed = st.data_editor(inc0, key=f"desk_inc_{n}", hide_index=True,
                        column_config=incident_columns(),
                        column_order=["accept", "incident_id", "location", "event_date",
                                      "event_type", "sub_event_type", "admin2",
                                      "confidence", "evidence"])
clm_ed = st.data_editor(clm0, key=f"desk_clm_{n}", hide_index=True,
                        column_config=claim_columns(inc0["incident_id"].tolist()),
                        column_order=["accept", "claim_id", "incident_id", "area", "category",
                                      "value", "value_max", "qualifier", "value_text",
                                      "claimant", "claimant_type", "claim_date", "locator",
                                      "confidence", "evidence"])
rv = apply_review(ex, inc_ed, clm_ed, gaz)
if rv.problems:
    st.error("Fix these before saving:\n\n" + "\n".join(
        f"- {md_text(p.file)} row {p.row}, {md_text(p.field)} = "
        f"{md_text(repr(p.value))}: {md_text(p.message)}" for p in rv.problems))
matches = [gaz.resolve(loc) for loc in rv.extraction.incidents["location"]]
m1, m2 = st.columns([2, 3])
with m1:
    st.markdown("**Where the incidents would go**")
    for loc, m in zip(rv.extraction.incidents["location"], matches, strict=True):
        st.caption(md_text(
            f"{loc}: {m.name}, {m.district} district (precision {m.precision}, "
            f"{m.method}{f' {m.score:.0f}' if m.method == 'fuzzy' else ''})" if m.resolved
            else f"{loc}: not found (did you mean: {', '.join(m.suggestions) or 'nothing close'}"
                 "); it is saved and listed as unresolved"))
with m2:
    located = [m for m in matches if m.resolved]
    st_folium(gazetteer_map(gaz, province=located[0].province if located else None,
                            matches=located, fit_matches=True), height=420,
              use_container_width=True,
              returned_objects=[], key="desk_map")

# --- 3. what the dataset becomes, and saving ------------------------------------------------
st.subheader("Save")
copies = working_copies()
base = default_dataset()
choices = [*copies, None]
if (saved_into := st.session_state.pop("desk_target_next", None)) in copies:
    st.session_state["desk_target"] = saved_into  # a new copy: the next save goes there
target = st.selectbox(
    "Dataset to save into", choices, key="desk_target",
    format_func=lambda p: (f"{p.name} (working copy)" if p is not None else
                           "a new working copy of a dataset the server offers"))
if target is None:
    offered = server_datasets()
    base = st.selectbox("Copy of", offered, index=offered.index(base.resolve())
                        if base.resolve() in offered else 0, key="desk_base",
                        format_func=lambda p: p.name,
                        help="The server's datasets are read-only: your rows go into a copy.")
name = target.name if target is not None else st.text_input(
    "Name of the new working copy", value=f"{base.name}-coded", key="desk_copy_name",
    max_chars=64)
opened_key = f"desk_opened_{target}"
if opened_key not in st.session_state:  # what this tab saw of the dataset's history
    st.session_state[opened_key] = last_batch(target) if target is not None else ""
try:
    tables = read_tables(target if target is not None else base)
    pv = preview(tables, [rv.extraction], gaz)
except (DataError, ValueError) as exc:
    st.error("The dataset cannot take these rows: " + md_text(str(exc)))
    st.stop()
rep = pv.reports[0]
if rep.duplicate_of:
    st.info(md_text(f"This report is in the dataset already (source {rep.duplicate_of}): "
                    "saving adds nothing."))
else:
    def count(n: int, what: str) -> str:
        return f"{n:,} {what}{'s' * (n != 1)}"

    st.markdown(md_text(
        f"Saving adds {count(len(pv.sources), 'source')}, "
        f"{count(len(pv.incidents), 'new incident')} and "
        f"{count(len(rep.claims_added), 'claim')}; "
        f"{count(len(rep.incidents_attached), 'incident')} of the report "
        f"{'is' if len(rep.incidents_attached) == 1 else 'are'} already in the dataset "
        "and get its claims."))
    if len(pv.attached):
        st.markdown("**Claims beside the dataset's own** (a different figure for the same "
                    "incident is kept as a second claim, never merged)")
        cc = st.column_config
        st.dataframe(pv.attached, hide_index=True, key="desk_attached", column_config={
            "incident_id": "incident", "location": "place", "event_date": "date",
            "in_dataset": cc.TextColumn("in the dataset (value, claimant, source)",
                                        width="large"),
            "new": cc.TextColumn("from this report", width="large"),
            "conflict": cc.CheckboxColumn("figures differ")})
    if len(pv.incidents):
        st.markdown("**New incidents**")
        st.dataframe(pv.incidents[["incident_id", "event_date", "location", "admin2",
                                   "event_type"]], hide_index=True, key="desk_new",
                     column_config={"incident_id": "incident", "event_date": "date",
                                    "location": "place", "admin2": "district",
                                    "event_type": "event type"})
accepted = len(rv.extraction.incidents) + len(rv.extraction.claims)
ready = bool(coder) and not rv.problems and not rep.duplicate_of and accepted > 0
if not coder:
    st.caption("Give your name (sidebar) to save.")
if not accepted:
    st.caption("Nothing is accepted: nothing to save.")
s1, s2 = st.columns(2)
if s1.button("Save", type="primary", disabled=not ready, key="desk_save"):
    try:
        folder = target if target is not None else working_copy(base, work_dir(), name)
        saved = save_batch(folder, [rv.extraction], gaz, coder=coder, rows=rv.rows,
                           opened=st.session_state[opened_key])
    except (DataError, ValueError) as exc:
        st.error("Not saved: " + md_text(str(exc)))
    else:
        st.session_state[f"desk_opened_{folder}"] = last_batch(folder)
        if saved.batch is None:
            st.info("Nothing saved: the report was saved into this dataset meanwhile.")
        else:
            st.session_state["desk_saved"] = (
                f"Saved as batch {saved.batch.batch} into {folder.name}: "
                f"+{len(saved.batch.incidents_added)} incidents, "
                f"+{len(saved.batch.claims_added)} claims."
                + (f" {saved.batch.note}." if saved.batch.note else ""), folder.name)
            st.session_state["desk_target_next"] = folder
            st.rerun()
if (done := st.session_state.pop("desk_saved", None)) is not None:
    st.success(md_text(done[0]))
    st.markdown(f"[Open it on the map](/?data={quote(done[1])})")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
    for t, frame in pv.tables.items():
        zf.writestr(FILES[t], csv_bytes(frame))
s2.download_button("Download the dataset with these rows (zip)", buf.getvalue(),
                   f"{name}.zip", "application/zip", key="desk_zip")

if target is not None:
    with st.expander("History of this dataset", expanded=False):
        log = read_log(target)
        st.dataframe(history_frame(log), hide_index=True, key="desk_history")
        live = [b for b in log if b.action == "add" and b.batch not in undone(log)]
        if live and st.button(f"Undo the last batch ({md_text(live[-1].batch)})", key="desk_undo",
                              disabled=not coder):
            try:
                undo(target, live[-1].batch, coder=coder)
            except DataError as exc:
                st.error("Not undone: " + md_text(str(exc)))
            else:
                st.session_state[opened_key] = last_batch(target)
                st.rerun()
