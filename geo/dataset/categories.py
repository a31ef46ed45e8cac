"""The casualty categories: one table from which every other part derives.

A claim counts people in exactly one category. Everything that lists the categories
is derived from :data:`TABLE`, in its order:

* the ``category`` vocabulary of ``claims.csv`` (:data:`geo.dataset.schema.CATEGORIES`),
  and with it the ``<category>_best/_low/_high`` columns of summaries and exports;
* the map labels and colours (:data:`geo.maps.symbology.CATEGORY_LABELS`,
  :data:`~geo.maps.symbology.CATEGORY_COLOURS`), so every map layer and legend;
* the ACLED export: which categories are summed into ``fatalities`` and which are
  written in ``tags`` (:mod:`geo.export.acled`);
* the category table of the codebook (:func:`codebook_table`, printed in
  ``docs/data-format.md``; a test checks it is the same).

A new category is one more :class:`Category` row here (at the end, so existing colours
and orders stay), and the codebook's table pasted again from :func:`codebook_table`
(``python -m geo.dataset.categories`` prints it). Modules read the table when they are
imported, so it is fixed for a process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["ACLED_TREATMENTS", "TABLE", "AcledTreatment", "Category", "codebook_table",
           "names"]

AcledTreatment = Literal["fatalities", "combined", "tag"]
"""How the ACLED export carries a category: ``"fatalities"``, summed into ACLED's one
``fatalities`` number; ``"combined"``, a count of several sides together, which is
ACLED's ``fatalities`` only when the incident has no per-side figure (it is never
added to them) and is also written in ``tags``; ``"tag"``, written in ``tags`` as
``name=N`` (ACLED has no column for it, and it is not silently dropped)."""

ACLED_TREATMENTS: tuple[str, ...] = get_args(AcledTreatment)
"""Every :data:`AcledTreatment`."""

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


@dataclass(frozen=True)
class Category:
    """One casualty category.

    Attributes
    ----------
    name : str
        The value of ``category`` in ``claims.csv``, and the prefix of the figure
        columns (``<name>_best`` ...): lower case letters, digits and ``_``.
    label : str
        What maps, legends and tables call it ("Civilians killed").
    colour : str
        Its symbol colour on every map, ``#rrggbb`` (lower case).
    killed : bool
        Whether it counts deaths.
    combined : bool
        Whether it counts several sides together ("civilians and security forces"). Such
        a figure overlaps the per-side ones: it is shown on its own line and never added
        to them.
    acled : {"fatalities", "tag"}
        Its treatment in the ACLED export (:data:`AcledTreatment`).
    description : str
        One line for the codebook: who is counted.

    Raises
    ------
    ValueError
        When a field is malformed (a name that cannot be a column prefix, a colour that
        is not ``#rrggbb``, an unknown ACLED treatment, an empty label or description).
    """

    name: str
    label: str
    colour: str
    killed: bool
    acled: AcledTreatment
    description: str
    combined: bool = False

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"category name {self.name!r}: lower case letters, digits, _")
        if not _COLOUR.match(self.colour):
            raise ValueError(f"category {self.name}: colour {self.colour!r} is not #rrggbb")
        if self.acled not in ACLED_TREATMENTS:
            raise ValueError(f"category {self.name}: ACLED treatment {self.acled!r} is not "
                             f"one of {', '.join(ACLED_TREATMENTS)}")
        if self.combined != (self.acled == "combined"):
            raise ValueError(f"category {self.name}: a combined category, and only one, "
                             "has the ACLED treatment 'combined'")
        if not self.label.strip() or not self.description.strip():
            raise ValueError(f"category {self.name}: label and description are required")


TABLE: tuple[Category, ...] = (
    Category("killed_civilians", "Civilians killed", "#d7301f", killed=True,
             acled="fatalities",
             description="Civilians: people not taking part in the fighting."),
    Category("killed_security_forces", "Security forces killed", "#2166ac", killed=True,
             acled="fatalities",
             description="Soldiers, paramilitary forces and police."),
    Category("killed_militants", "Militants killed", "#1b7837", killed=True,
             acled="fatalities",
             description="Members of non-state armed groups."),
    Category("killed_unknown", "Killed (side not stated)", "#762a83", killed=True,
             acled="fatalities",
             description="The dead whose side the source does not state."),
    Category("injured", "Injured", "#f08c00", killed=False, acled="tag",
             description="People injured, on any side."),
    Category("abducted", "Abducted / kidnapped", "#8c510a", killed=False, acled="tag",
             description="People abducted, kidnapped or taken captive, on any side."),
    Category("freed_prisoners", "Prisoners freed", "#c51b7d", killed=False, acled="tag",
             description="Prisoners freed from custody by an attack (a jailbreak)."),
    Category("killed_combined", "Killed, sides combined", "#525252", killed=True,
             acled="combined", combined=True,
             description="One count of the dead of several sides together (\"civilians "
                         "and security forces\"); never added to the per-side figures."),
)
"""The casualty categories, in the order of every list, legend and export column.

The colours are distinct in pairs for common colour-vision deficiencies."""


def names() -> tuple[str, ...]:
    """The categories' names, in the order of :data:`TABLE` (as it is now).

    Returns
    -------
    tuple of str
        Unique names.

    Raises
    ------
    ValueError
        When two categories share a name.

    Examples
    --------
    >>> names()[:2]
    ('killed_civilians', 'killed_security_forces')
    """
    out = tuple(c.name for c in TABLE)
    if len(set(out)) != len(out):
        raise ValueError(f"category names repeat: {', '.join(out)}")
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def codebook_table() -> str:
    """The codebook's table of the categories of :data:`TABLE`, as Markdown (the text
    ``docs/data-format.md`` holds).

    Returns
    -------
    str
        A header, a rule and one row per category; no trailing newline.
    """
    rows = ["| category | label | killed | ACLED export | who is counted |",
            "|---|---|---|---|---|"]
    for c in TABLE:
        acled = {"fatalities": "summed into `fatalities`",
                 "combined": f"`fatalities` when no per-side figure; in `tags` as "
                             f"`{c.name}=N`",
                 "tag": f"in `tags` as `{c.name}=N`"}[c.acled]
        rows.append(f"| `{c.name}` | {_cell(c.label)} | {'yes' if c.killed else 'no'} | "
                    f"{acled} | {_cell(c.description)} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m geo.dataset.categories: the codebook table
    print(codebook_table())
