"""Datasets: sources, incidents and the casualty claims about them.

Modules
-------
categories  The casualty categories: one table from which every other part derives.
schema      Column specs, vocabularies and vectorised validation.
records     Read a dataset folder into typed, cross-checked frames (:class:`Dataset`).
ingest      Where a dataset's files come from: a folder, a zip, or uploads.
policy      Which claim gives a figure (:class:`Policy`) and the figures per scope.
claims      Every claim about one incident or area, side by side.
save        Write a dataset back (CSV or Parquet), atomically.
rejects     The rows a load left out, as read, with their problems.
"""
