"""The script Streamlit runs for every visitor: the dashboard's pages.

The incident page is the default (``/``, where links carry their filters in the query
string); the coding desk turns reports into reviewed rows of a working dataset
(``/code``); the gazetteer page resolves names (``/gazetteer``).
"""

import streamlit as st

st.navigation([
    st.Page("views/incidents.py", title="Incidents", default=True),
    st.Page("views/coding.py", title="Code a report", url_path="code"),
    st.Page("views/gazetteer.py", title="Gazetteer", url_path="gazetteer"),
]).run()
