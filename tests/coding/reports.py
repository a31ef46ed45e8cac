"""Short made-up reports for the coding-desk tests, and their extraction."""

from __future__ import annotations

import datetime as dt

from geo.extraction.document import document_from_text
from geo.extraction.grouping import Extraction
from geo.extraction.pipeline import extract_document
from geo.gazetteer.resolve import Gazetteer

PUBLISHED = dt.date(2026, 3, 4)  # a Wednesday: Monday is 2 March, Sunday 1 March

REPORT = ("A roadside bomb killed three policemen in Turbat on Monday, police said.\n\n"
          "In Gwadar, gunmen shot dead two labourers on Sunday, officials said.\n\n"
          "The military said 12 militants were killed across Balochistan in February.")
"""Two incidents (Turbat: 3 police; Gwadar: 2 civilians) and a province-wide figure."""

OTHER = ("Four soldiers died when militants stormed a post near Panjgur on Tuesday, "
         "the army said.")

TOWNS = ("Turbat", "Gwadar", "Khuzdar", "Panjgur", "Kalat", "Mastung", "Pasni", "Kharan")


def extract(gaz: Gazetteer, text: str = REPORT, name: str = "report.txt", url: str = "",
            published: dt.date = PUBLISHED) -> Extraction:
    """*text* as extracted rows."""
    doc = document_from_text(text, name, published=published, url=url)
    return extract_document(doc, gaz)


def numbered(gaz: Gazetteer, n: int) -> Extraction:
    """Report number *n* (0 to a few hundred): one incident and one claim, each *n* a
    different town, day, toll and URL, so no two are the same report or incident."""
    day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
    town = TOWNS[n % len(TOWNS)]
    text = (f"Gunmen killed {n % 90 + 2} soldiers at a checkpoint near {town} on "
            f"{day:%d %B %Y}, the military said.")
    return extract(gaz, text, f"report-{n}.txt", f"https://example.org/report/{n}",
                   day + dt.timedelta(days=1))
