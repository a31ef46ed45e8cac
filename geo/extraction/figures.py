"""Casualty figures in one sentence: the number as stated, who was counted and what
happened to them, mapped to the dataset's categories and qualifiers.

A figure is a number (digits, number words read by ``text2num``, or the codebook's
vague words: several = 3, dozens = 12, scores = 40; "a policeman" = 1) followed by the
people it counts ("15 security personnel", "three children"), with a casualty verb in
the same sentence ("were killed", "killing", "injured", "abducted", "freed"). The
people decide the side (soldiers, police, Levies: security forces; militants,
attackers: militants; civilians, passengers, labourers, women, children: civilians;
"people" or no noun: side not stated), the verb the outcome. What is not a casualty
figure is left out because it counts no people (years, "40-hour", "12 attacks", money)
or no casualty happened to them ("a bus carrying 40 passengers", "12 suspects were
arrested"); a sentence about another year than the report's is history, not news.

Counts joined by commas and "and" about one outcome ("five men, three women and three
children were killed") are one figure, their sum, with the words as stated. A verb's
own object binds first ("killed 84 soldiers and captured 18 others"); who did it is
not a casualty ("a suicide bomber ..., killing"); nor is a speaker ("a doctor said"),
an age, or a group counted already ("the three workers", "several of them women").
The words themselves are in :mod:`geo.extraction.figurewords`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

from geo.dataset.schema import VAGUE_NUMBERS
from geo.extraction import figurewords as fw

__all__ = ["Figure", "find_figures"]

@dataclass(frozen=True)
class Figure:
    """One casualty figure in a sentence.

    Attributes
    ----------
    value, value_max : int, int or None
        The figure (``value_max`` for a range "20 to 25").
    qualifier : str
        One of :data:`geo.dataset.schema.QUALIFIERS`.
    category : str
        A casualty category (``killed_civilians``, ``injured``, ``abducted``...).
    start, end : int
        Character offsets of the figure's words in the sentence (``text``).
    text : str
        The words as stated ("five men, three women and three children").
    """

    value: int
    value_max: int | None
    qualifier: str
    category: str
    start: int
    end: int
    text: str


def _value(m: re.Match[str]) -> int | None:
    """The number a match states, or None when it is not one."""
    if m["digits"]:
        return int(m["digits"].replace(",", ""))
    if m["vague"]:
        return VAGUE_NUMBERS["dozens" if "dozen" in m["vague"].lower()
                             else m["vague"].lower()]
    if m["one"] or m["another"]:
        return 1
    try:
        return int(text2num(m["words"].lower().replace("-", " "), "en"))
    except ValueError:
        return None


def _side(rest: str) -> tuple[str, int] | None:
    """The side of the people named in the first words of *rest*, and the offset where
    their noun ends; None when the number counts something else (a noun that names a
    thing, "a police station", or a unit, "two days", counts no people).

    A noun may follow up to two other words ("a port employee", "a nine-year-old
    girl"); "members of the security forces" counts the people the "of" names; a
    number followed by its outcome alone ("and 22 wounded") counts people of no stated
    side."""
    pos, others = 0, 0
    for word in fw.WORDS.finditer(rest[:80]):
        w = word[0]
        if word.start() - pos > 3 or rest[pos:word.start()].strip(" \"“”'‘’"):
            return None  # another clause
        if fw.SONS_OF_SOIL.match(rest, word.start()):  # soldiers, in military releases
            return "security_forces", word.end()
        for side, noun in fw.NOUN.items():
            if noun.match(w):
                return None if fw.THING.match(rest[word.end():]) else (side, word.end())
        if fw.UNIT.match(w):
            return None
        if fw.OUTCOME_WORD.match(w) and not others and word.start() < 2:
            if not fw.NOUN_SOON.match(rest[word.end():]):
                return "unknown", 0
        pos = word.end()
        if fw.MEMBERS.match(w) and rest[pos:pos + 4] == " of ":
            continue
        if not fw.FILLER.match(w):
            others += 1
            if others > 2:
                return None
    return None


def _outcome(sentence: str, start: int, end: int) -> str | None:
    """The casualty verb nearest to the figure in its clause, as an outcome: not across
    a speech verb ("a Levies official told ... that five had died"), nor one before a
    figure that is the speaker ("were wounded, a doctor said")."""
    best: tuple[int, str] | None = None
    part = " of " in sentence[start:end]  # "six of the abducted miners were released"
    for v in fw.VERB.finditer(sentence):
        if part and start <= v.start() < end:
            continue
        between = sentence[end:v.start()] if v.start() >= end else sentence[v.end():start]
        if ";" in between or len(between) > 80 or fw.SPEECH.search(between):
            continue  # another clause, or someone speaking of it
        if v.start() < start and fw.SPEAKER.match(sentence, end):
            continue  # "..., a doctor at the hospital said": the speaker, not a casualty
        if v.start() >= end and fw.AGENT.match(sentence, v.start()):
            continue  # "a suicide bomber ..., killing": who did it, not a casualty
        kind = next(k for k, _ in fw.OUTCOMES if v[k])
        # "two others were injured": a verb after the people binds closer than one
        # before them ("killed and two others"), unless another figure comes between
        # ("killed 84 soldiers and captured 18 others": captured is the 18's).
        dist = v.start() - end if v.start() >= end else start - v.end() + 10
        if v.start() >= end and fw.NUMBER.search(sentence, end, v.start()):
            dist += 100
        if v.end() <= start and fw.OBJECT.match(sentence[v.end():start]):
            dist = 0  # "killed 84 soldiers": the verb's own object
        if best is None or dist < best[0]:
            best = (dist, kind)
    return best[1] if best else None


def _category(outcome: str, side: str) -> str:
    if outcome == "killed":
        return f"killed_{side}"
    return {"injured": "injured", "abducted": "abducted", "freed": "freed_prisoners"}[outcome]


def find_figures(sentence: str, report_year: int | None = None) -> list[Figure]:
    """The casualty figures of one sentence, in order.

    Parameters
    ----------
    sentence : str
        One sentence of a report.
    report_year : int, optional
        The year the report was published: a sentence naming an earlier year is about
        the past and gives no figure.

    Returns
    -------
    list of Figure

    Examples
    --------
    >>> [(f.value, f.qualifier, f.category) for f in find_figures(
    ...     "At least 15 security personnel were killed and 24 policemen injured.")]
    [(15, 'at_least', 'killed_security_forces'), (24, 'exact', 'injured')]
    >>> find_figures("The 40-hour operation covered 12 locations in 2026.", 2026)
    []
    """
    if (report_year is not None and not fw.NOW.search(sentence)
            and any(int(y) < report_year for y in fw.YEAR.findall(sentence))):
        return []
    found: list[Figure] = []
    parts: dict[int, list[Figure]] = {}  # a total's breakdown ("including four soldiers")
    parts_end = -1  # the end of a breakdown being skipped ("including five men, ...")
    for m in fw.NUMBER.finditer(sentence):
        value = _value(m)
        if (value is None or fw.MONEY.search(sentence[:m.start()])
                or (found and m.start() < found[-1].end)):
            continue
        start, end = m.start(), m.end()
        of_them = fw.OF_THEM.match(sentence, end)
        if (fw.AGE.match(sentence, end)  # "a 12-year-old boy": an age
                or fw.NOT_CASUALTY.search(sentence, 0, start)  # "police detained 14 people"
                or (of_them and not fw.OF_THEM_DONE.match(sentence, of_them.end()))
                or (fw.THE.search(sentence, 0, start) and _side(sentence[end:]))):
            continue  # "several of them women", "the three workers": counted already
        value_max = None
        rng = fw.RANGE.match(sentence, end)
        between = fw.BETWEEN.search(sentence, 0, start)
        if (rng and m["digits"] and int(rng[2]) > value
                and (between or rng[1].lower() != "and")):  # "between 5 and 8", "20 to 25"
            value_max, end = int(rng[2]), rng.end()
            start = between.start() if between else start
        bare = ((m["digits"] and not fw.YEAR.fullmatch(m["digits"])) or m["words"]) and \
            fw.BARE.match(sentence, end)  # "Two were killed"
        side = ("unknown", 0) if m["another"] or bare else _side(sentence[end:])
        if of_them:  # "pulled passengers off buses and shot dead seven of them"
            earlier = [k for w in fw.WORDS.finditer(sentence, 0, start)
                       for k, noun in fw.NOUN.items() if noun.match(w[0])]
            side = (earlier[-1], of_them.end() - end) if earlier else None
        if side is None and found and fw.MORE.search(sentence, 0, start):
            side = (found[-1].category.removeprefix("killed_"), 0)  # "and another 41"
            if found[-1].category in ("injured", "abducted", "freed_prisoners"):
                side = None
        if side is None:
            continue
        noun_end = end + side[1]
        both = fw.OTHER_SIDE.match(sentence[noun_end:])
        if (both and not fw.NUMBER.match(both["rest"])  # "... and 31 civilians": a figure
                and not m["one"]  # "a tribal elder and his guard": another person
                and (side[0] == "unknown" or "," not in both[0][:both.start("rest")])):
            other = _side(both["rest"])
            if other and (side[0] == "unknown" or other[0] != side[0]) and other[0] != "unknown":
                if side[0] == "unknown":  # "people, civilians and law enforcement"
                    third = fw.OTHER_SIDE.match(both["rest"][other[1]:])
                    more = _side(third["rest"]) if third else None
                    if third and more and more[0] not in (other[0], "unknown"):
                        side = ("combined", side[1])
                        noun_end += (both.start("rest") + other[1] + third.start("rest")
                                     + more[1])
                else:
                    side = ("combined", side[1])
                    noun_end += both.start("rest") + other[1]
        plus = fw.AND_HIS.match(sentence, noun_end)
        if (plus and not fw.NUMBER.match(plus["who"]) and not plus["who"].endswith("s")
                and _side(" " + plus["who"])):  # "a tribal elder and his guard": one more
            value, noun_end = value + 1, plus.end()
        outcome = _outcome(sentence, start, noun_end)
        if outcome is None:
            continue
        q = fw.BEFORE.search(sentence[max(0, start - 30):start])
        qualifier = ("range" if value_max is not None else
                     next(k for k, _ in fw.QUALIFIER if q[k]) if q else
                     m["vague"].lower().replace("a ", "").replace("dozen", "dozens")
                     .replace("dozenss", "dozens") if m["vague"] else "exact")
        if q:
            start -= len(q[0])
        fig = Figure(value, value_max, qualifier, _category(outcome, side[0]), start,
                     noun_end, sentence[start:noun_end])
        prev = found[-1] if found else None
        if ((prev and fw.BREAKDOWN.match(sentence[prev.end:start]))
                or (parts_end >= 0 and fw.JOIN.match(sentence[parts_end:start]))):
            parts_end = noun_end  # "11 people, including five men...": the same people
            parts.setdefault(len(found) - 1, []).append(fig)
            continue
        parts_end = -1
        if (prev and prev.category == fig.category and prev.value_max is None
                and value_max is None and fw.JOIN.match(sentence[prev.end:start])):
            fig = Figure(prev.value + value, None, prev.qualifier, fig.category,
                         prev.start, noun_end, sentence[prev.start:noun_end])
            found[-1] = fig
        else:
            found.append(fig)
    return sorted(_with_parts(found, parts, sentence) + _tolls(sentence, found),
                  key=lambda f: f.start)


def _tolls(sentence: str, found: list[Figure]) -> list[Figure]:
    """Tolls stated as a total reaching a number: "the death toll rose to 12", "the
    number of civilians killed rose to ten", "the toll among policemen rose to three",
    "put the number of dead at 15"."""
    out = []
    for m in fw.TOLL.finditer(sentence):
        number = fw.NUMBER.match(sentence, m.start("n"))
        value = _value(number) if number else None
        if (value is None or any(f.start <= m.start("n") < f.end for f in found)
                or fw.YEAR.fullmatch(m["n"])):
            continue
        named = fw.NUMBER_OF.search(m[0])
        said = m["who"] or m["who2"] or (named[1] if named else None)
        who = _side(" " + said) if said else None
        outcome = "injured" if re.match(r"inj|wou", m["verb"] or "", re.IGNORECASE) \
            else "killed"
        side = who[0] if who else "unknown"
        start = m.start()
        out.append(Figure(value, None, "exact", _category(outcome, side), start,
                          number.end(), sentence[start:number.end()]))  # type: ignore[union-attr]
    return out


def _with_parts(found: list[Figure], parts: dict[int, list[Figure]], sentence: str
                ) -> list[Figure]:
    """Totals with their breakdowns: parts of one side adding up to a total of people
    whose side is not stated give it their side ("11 people, including five men, three
    women and three children": 11 civilians); otherwise each side's part is a figure of
    its own, and a total whose parts are of several sides counts them together
    (``killed_combined``) ("12 people,
    including four soldiers": 12 people, 4 of them security forces; "50 people,
    including 30 civilians and 20 soldiers": 50 combined, 30 civilians, 20 security
    forces)."""
    out: list[Figure] = []
    for i, total in enumerate(found):
        mine = [p for p in parts.get(i, []) if p.category.startswith("killed_")]
        if total.category != "killed_unknown" or not mine:
            out.append(total)
            continue
        sides = {p.category for p in mine}
        if len(sides) == 1 and sum(p.value for p in mine) == total.value:
            out.append(Figure(total.value, total.value_max, total.qualifier, sides.pop(),
                              total.start, total.end, total.text))
            continue
        out.append(Figure(total.value, total.value_max, total.qualifier,
                          "killed_combined" if len(sides) > 1 else total.category,
                          total.start, total.end, total.text))
        for side in sorted(sides, key=[p.category for p in mine].index):
            same = [p for p in mine if p.category == side]
            out.append(Figure(sum(p.value for p in same), None, same[0].qualifier, side,
                              same[0].start, same[-1].end,
                              sentence[same[0].start:same[-1].end]))
    return out
