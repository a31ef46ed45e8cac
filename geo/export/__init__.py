"""Exports: what a summary shows, as files other tools read.

Modules
-------
tables        Incidents and districts as RFC 7946 GeoJSON and as CSV.
acled         Incidents in ACLED's column layout.
summary_json  A summary as JSON (``geo summary --json``).
"""
