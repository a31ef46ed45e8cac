"""A report's text as paragraphs and sentences, each with its character offsets and
its paragraph's locator (``¶N``, as the source register cites them).

Paragraphs are separated by blank lines; a text whose blank lines separate nothing
(copy pasted from a page often has one line per paragraph, and blank lines at its end)
is split at line breaks. Sentences come from pysbd,
a rule-based splitter that needs no data download and knows abbreviations ("Lt. Col.",
"a.m."), so a figure is never cut from its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pysbd

__all__ = ["Sentence", "paragraph_spans", "sentences"]

_BLANK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"\n\s*")
_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=True)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a report.

    Attributes
    ----------
    text : str
        The sentence, as in the report (``document[start:end]``).
    start, end : int
        Character offsets into the report's text.
    paragraph : int
        Its paragraph, from 1 (the locator ``¶N``).
    """

    text: str
    start: int
    end: int
    paragraph: int

    @property
    def locator(self) -> str:
        """``"¶3"``."""
        return f"¶{self.paragraph}"


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph that holds any text.

    Examples
    --------
    >>> paragraph_spans("One.\\n\\nTwo. Three.\\n")
    [(0, 4), (6, 17)]
    >>> paragraph_spans("One.\\nTwo.")
    [(0, 4), (5, 9)]
    >>> paragraph_spans("One.\\nTwo.\\n\\n\\n")
    [(0, 4), (5, 9)]
    """
    blocks = [b for b in _BLANK.split(text) if b.strip()]
    sep = _BLANK if len(blocks) > 1 else _LINE
    spans, pos = [], 0
    for m in [*sep.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + len(chunk.rstrip())))
        pos = m.end() if m else len(text)
    return spans


def sentences(text: str) -> list[Sentence]:
    """Every sentence of *text*, in order, with offsets and paragraph numbers.

    Examples
    --------
    >>> [(s.text, s.locator) for s in sentences(
    ...     "Lt. Col. Khan said 12 were hurt. Two died.\\n\\nPolice said so.")]
    [('Lt. Col. Khan said 12 were hurt.', '¶1'), ('Two died.', '¶1'), ('Police said so.', '¶2')]
    """
    out: list[Sentence] = []
    for number, (start, end) in enumerate(paragraph_spans(text), start=1):
        for span in _SEGMENTER.segment(text[start:end]):
            piece = span.sent.strip()
            if not piece:
                continue
            offset = start + span.start + (len(span.sent) - len(span.sent.lstrip()))
            out.append(Sentence(piece, offset, offset + len(piece), number))
    return out
