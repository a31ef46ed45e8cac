"""The Streamlit dashboard: its pages and their helpers. ``geo`` never imports this.
"""
