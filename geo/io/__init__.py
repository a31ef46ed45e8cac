"""Reading and writing files: CSV, dates as spreadsheets write them, GeoJSON and
Parquet input, vectorised text tables, and atomic writes.

Modules
-------
csvfile   CSV tables as text, each row keeping its spreadsheet number.
dates     Dates in the formats spreadsheets write, read once per distinct value.
geojson   Incidents from a GeoJSON FeatureCollection, as the table a CSV gives.
parquet   Datasets as (Geo)Parquet: the same text tables, columnar and compressed.
tables    Vectorised work on text columns: membership, numbers, dates, row numbers.
atomic    Atomic writes: a file is the old one or the complete new one.
"""
