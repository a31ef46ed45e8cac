"""The command line, ``python -m geo``.

Modules
-------
commands  The ``geo`` group and its data commands (resolve, validate, summary, export...).
options   Options and helpers the commands share (filters, figure policy, ``--data``).
summarytext  ``geo summary`` as text.
convert   ``geo convert``: a dataset as Parquet or CSV.
extract   ``geo extract``: reports (text, saved web pages) to dataset rows.
history   ``geo history`` and ``geo undo``: a dataset's edit log, and taking a batch back.
maps      ``geo map`` and ``geo render``.
"""

from geo.cli.commands import main

__all__ = ["main"]
