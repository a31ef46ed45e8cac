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
children were killed") are one figure, their sum, with the words as stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

from geo.dataset.schema import VAGUE_NUMBERS

__all__ = ["Figure", "find_figures"]

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD = rf"(?:{'|'.join(_TENS + _UNITS)}|hundred|thousand)"
_NUMBER_TEMPLATE = (
    r"(?<![\w.,])(?:"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+)"
    rf"|(?P<words>{_WORD}(?:(?:-|\s+|\s+and\s+){_WORD})*)"
    r"|(?P<vague>several|dozens|a\s+dozen|scores)"
    r"|(?P<one>an?|one|another)(?=\s+(?:[\w'-]+\s+){0,2}(?:%s)\b)"
    r"|(?P<another>another)(?=\s+(?:was|were|had been|has been|person|man|woman)\b|"
    r"\s*[,.;]|\s*$)"
    r")(?![\w])")
"""A number as stated; ``%s``: the people nouns (for "a policeman")."""

# Who is counted: the first of these nouns within a few words after the number.
_SIDES = {
    "security_forces": "soldiers? troops? servicem[ae]n personnel policem[ae]n police "
                       "policemen officers? constables? levies guards? paramilitar(?:y|ies) "
                       "jawans? cops? commandos? sepoys? fc enforcement forces",
    "militants": "militants? attackers? terrorists? insurgents? fighters? gunm[ae]n "
                 "rebels? assailants? bombers? separatists? khwarij khawarij kharijis? "
                 "sarmachars? mujahid(?:een|in)? jihadis?",
    "civilians": "civilians? passengers? labou?rers? workers? wom[ae]n children child "
                 "m[ae]n boys? girls? students? pilgrims? bystanders? villagers? "
                 "residents? famil(?:y|ies) worshipp?ers? drivers? miners? passers?-?by "
                 "employees? fishermen fisherman traders? shopkeepers? teachers? "
                 "engineers? journalists? farmers? tribesmen tribesman elders? milkm[ae]n "
                 "vendors? commuters? tourists? doctors? nurses? schoolteachers? watchm[ae]n "
                 "brothers? sisters? sons? daughters? wi(?:fe|ves) husbands? grandmothers? "
                 "grandfathers? mothers? fathers? relatives? clerics? shepherds?",
    "unknown": "people persons? individuals? victims? others prisoners? inmates? "
               "detainees? hostages? captives? officials?",
}
_NOUN = {side: re.compile(rf"^(?:{'|'.join(words.split())})$", re.IGNORECASE)
         for side, words in _SIDES.items()}
_ANY_NOUN = "|".join(w for words in _SIDES.values() for w in words.split())
_NUMBER = re.compile(_NUMBER_TEMPLATE % _ANY_NOUN, re.IGNORECASE)

# What happened to them: the casualty verbs (and words standing for them).
_OUTCOMES = (
    ("freed", r"freed|freeing|released|releasing|rescued|set free|escaped|broke out|"
              r"liberat(?:ed|ing)"),
    ("abducted", r"abducted|kidnapped|taken hostage|held hostage|"
                 r"captured(?! (?:the|control|a|an)\b)|seized(?! (?:the|control|a|an)\b)|"
                 r"taken captive|hostages?|taken away|taken into custody|whisked away|"
                 r"carried off"),
    ("injured", r"injured|wounded|hurt|injuring|wounding|injuries|"
                r"treated for (?:\w+ )?(?:wounds|injuries)"),
    ("killed", r"killed|killing|dead|died|die|slain|martyred|lost their lives|shot dead|"
               r"embraced shahadat|embraced martyrdom|achieved martyrdom|was martyred|"
               r"ultimate sacrifice|sent to hell|to their end|succumbed|gunned down|"
               r"neutrali[sz]ed|lost (?:his|her) life|"
               r"perished|deaths?|bodies|(?:claimed|claiming|took|taking) (?:\w+ )?lives|massacred|"
               r"executed|kills?"),
)
_VERB = re.compile(rf"\b(?:{'|'.join(f'(?P<{k}>{v})' for k, v in _OUTCOMES)})\b",
                   re.IGNORECASE)
_QUALIFIER = (("at_least", r"at least|no fewer than|not less than"),
              ("more_than", r"more than|over|upwards of|in excess of"),
              ("nearly", r"nearly|almost|close to"),
              ("about", r"about|around|some|approximately|roughly|an estimated"),
              ("up_to", r"up to|as many as|at most"))
_BEFORE = re.compile(rf"(?:{'|'.join(f'(?P<{k}>{v})' for k, v in _QUALIFIER)})\s*$",
                     re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_FILLER = re.compile(r"^(?:more|other|further|additional|security|pakistani|local|"
                     r"frontier|corps|of|the|their|his|her|its|armed|suspected|baloch|"
                     r"innocent|unarmed|paramilitary|police|army|wounded|injured|dead|[A-Z][\w-]*)$")
_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:(?:her|his|their)\s+)?$",
                   re.IGNORECASE)
_BREAKDOWN = re.compile(r"^\s*,?\s*(?:including|among them|of whom|among whom)\s+$",
                        re.IGNORECASE)
_THING = re.compile(r"\s+(?:stations?|posts?|vehicles?|vans?|lines|checkpoints?|checkposts?|"
                    r"camps?|training|headquarters|buildings?|compounds?|mobiles?|chief|"
                    r"hideouts?|mess|spokesm[ae]n|force|department|party|sources?|groups?|convoys?|"
                    r"outfits?|organi[sz]ations?|wing|movement)\b",
                    re.IGNORECASE)
# "civilians and security personnel": another side counted in the same number.
_OTHER_SIDE = re.compile(r"\s*(?:,\s*|\s+(?:and|or|&)\s+)(?P<rest>.*)", re.DOTALL)
_WORDS = re.compile(r"[\w'’-]+")
_UNIT = re.compile(r"^(?:days?|hours?|weeks?|months?|years?|minutes?|km|kilomet(?:er|re)s?|"
                   r"miles?|vehicles?|buses|bus|trucks?|cars?|attacks?|locations?|places|"
                   r"districts?|rounds?|rockets?|grenades?|times|percent|per|cent|million|"
                   r"billion|crore|lakh|rupees?|dollars?|said|was|were|had|has|have|is|are|"
                   r"in|on|at|from|by|with|after|before|when|while|who|that|which)$",
                   re.IGNORECASE)
_SONS_OF_SOIL = re.compile(r"sons\s+of\s+(?:the\s+)?soil\b", re.IGNORECASE)
_MEMBERS = re.compile(r"^(?:members?|ranks|personnel)$", re.IGNORECASE)
_OUTCOME_WORD = re.compile(r"^(?:wounded|injured|killed|dead|hurt)$", re.IGNORECASE)
_NOUN_SOON = re.compile(rf"^\s+(?:[\w'-]+\s+)?(?:{_ANY_NOUN})\b", re.IGNORECASE)
# A sentence naming an earlier year is history unless it also speaks of now.
_NOW = re.compile(r"\bthis year\b|\bso far\b|\bthis week\b|\btoday\b|\byesterday\b|"
                  r"\b(?:on|late on|early on|last)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
                  re.IGNORECASE)
_AND_HIS = re.compile(r"\s+and\s+(?:his|her|their)\s+(?P<who>[\w'-]+)\b", re.IGNORECASE)
# "Two were killed": a number and its outcome, the people not named.
_BARE = re.compile(r"\s+(?:were|have been|had been|are|got)\s+(?:\w+\s+)?"
                   r"(?:killed|injured|wounded|dead|abducted|kidnapped|martyred|shot dead)\b",
                   re.IGNORECASE)
# A verb after its subject, active: "killing ...", "killed five people".
_AGENT = re.compile(r"(?:killing|injuring|wounding|kills|abducting|kidnapping)\b|"
                    r"(?:killed|injured|wounded|abducted|kidnapped)\s+(?:\d|an?\s|the\s|"
                    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|dozens|"
                    r"scores|at least|more than|nearly|some|about)\b)", re.IGNORECASE)
_OBJECT = re.compile(r"^\s*(?:(?:at least|more than|nearly|about|some|up to|over|around|"
                     r"almost|another|all|as many as)\s+)?$", re.IGNORECASE)
_MORE = re.compile(r"\b(?:another|a further|and|the)\s+$", re.IGNORECASE)
_OF_THEM_DONE = re.compile(r"\s*(?:[,.;]|$|were|was|had|have|died|\w+ed\b)", re.IGNORECASE)
_OF_THEM = re.compile(r"\s+of\s+(?:them|whom|those)\b", re.IGNORECASE)
_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_SPEECH = re.compile(r"\b(?:said|says|told|according|added|stated|claimed)\b", re.IGNORECASE)
_SPEAKER = re.compile(r"[^,.;]{0,60}?\b(?:said|says|told|added)\b", re.IGNORECASE)
_AGE = re.compile(r"[\s-]+(?:years?|months?)[\s-]+old\b", re.IGNORECASE)
_NUMBER_OF = re.compile(r"number\s+of\s+([\w-]+)\s+(?:killed|dead)", re.IGNORECASE)
_TOLL = re.compile(
    r"\b(?:(?:death\s+)?toll(?:\s+(?:among|of)\s+(?:the\s+)?(?P<who2>[\w-]+))?|number\s+of\s+(?:the\s+)?(?P<who>[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?P<verb>killed|dead|injured|wounded)|number\s+of\s+(?:the\s+)?(?P<verb2>dead|injured))"
    r"\b[^.;]{0,80}?\b(?:rose|risen|climbed|jumped|reached|increased|went\s+up|stood|stands|"
    r"at)\s+(?:to\s+|at\s+)?(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\b", re.IGNORECASE)
_MONEY = re.compile(r"(?:rs\.?|pkr|\$|usd|rupees?)\s*$", re.IGNORECASE)


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
    for word in _WORDS.finditer(rest[:80]):
        w = word[0]
        if word.start() - pos > 3 or rest[pos:word.start()].strip(" \"“”'‘’"):
            return None  # another clause
        if _SONS_OF_SOIL.match(rest, word.start()):  # soldiers, in military releases
            return "security_forces", word.end()
        for side, noun in _NOUN.items():
            if noun.match(w):
                return None if _THING.match(rest[word.end():]) else (side, word.end())
        if _UNIT.match(w):
            return None
        if _OUTCOME_WORD.match(w) and not others and word.start() < 2:
            if not _NOUN_SOON.match(rest[word.end():]):
                return "unknown", 0
        pos = word.end()
        if _MEMBERS.match(w) and rest[pos:pos + 4] == " of ":
            continue
        if not _FILLER.match(w):
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
    for v in _VERB.finditer(sentence):
        if part and start <= v.start() < end:
            continue
        between = sentence[end:v.start()] if v.start() >= end else sentence[v.end():start]
        if ";" in between or len(between) > 80 or _SPEECH.search(between):
            continue  # another clause, or someone speaking of it
        if v.start() < start and _SPEAKER.match(sentence, end):
            continue  # "..., a doctor at the hospital said": the speaker, not a casualty
        if v.start() >= end and _AGENT.match(sentence, v.start()):
            continue  # "a suicide bomber ..., killing": who did it, not a casualty
        kind = next(k for k, _ in _OUTCOMES if v[k])
        # "two others were injured": a verb after the people binds closer than one
        # before them ("killed and two others"), unless another figure comes between
        # ("killed 84 soldiers and captured 18 others": captured is the 18's).
        dist = v.start() - end if v.start() >= end else start - v.end() + 10
        if v.start() >= end and _NUMBER.search(sentence, end, v.start()):
            dist += 100
        if v.end() <= start and _OBJECT.match(sentence[v.end():start]):
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
    if (report_year is not None and not _NOW.search(sentence)
            and any(int(y) < report_year for y in _YEAR.findall(sentence))):
        return []
    found: list[Figure] = []
    parts: dict[int, list[Figure]] = {}  # a total's breakdown ("including four soldiers")
    parts_end = -1  # the end of a breakdown being skipped ("including five men, ...")
    for m in _NUMBER.finditer(sentence):
        value = _value(m)
        if (value is None or _MONEY.search(sentence[:m.start()])
                or (found and m.start() < found[-1].end)):
            continue
        start, end = m.start(), m.end()
        of_them = _OF_THEM.match(sentence, end)
        if (_AGE.match(sentence, end)  # "a 12-year-old boy": an age
                or (of_them and not _OF_THEM_DONE.match(sentence, of_them.end()))
                or (_THE.search(sentence, 0, start) and _side(sentence[end:]))):
            continue  # "several of them women", "the three workers": counted already
        value_max = None
        rng = re.match(r"\s*(?:to|-|–|and)\s*(\d+)", sentence[end:])
        if rng and m["digits"]:
            value_max, end = int(rng[1]), end + rng.end()
            between = re.search(r"between\s*$", sentence[:start], re.IGNORECASE)
            start = between.start() if between else start
        bare = ((m["digits"] and not _YEAR.fullmatch(m["digits"])) or m["words"]) and \
            _BARE.match(sentence, end)  # "Two were killed"
        side = ("unknown", 0) if m["another"] or bare else _side(sentence[end:])
        if of_them:  # "pulled passengers off buses and shot dead seven of them"
            earlier = [k for w in _WORDS.finditer(sentence, 0, start)
                       for k, noun in _NOUN.items() if noun.match(w[0])]
            side = (earlier[-1], of_them.end() - end) if earlier else None
        if side is None and found and _MORE.search(sentence, 0, start):
            side = (found[-1].category.removeprefix("killed_"), 0)  # "and another 41"
            if found[-1].category in ("injured", "abducted", "freed_prisoners"):
                side = None
        if side is None:
            continue
        noun_end = end + side[1]
        both = _OTHER_SIDE.match(sentence[noun_end:])
        if (both and not _NUMBER.match(both["rest"])  # "... and 31 civilians": a figure
                and not m["one"]  # "a tribal elder and his guard": another person
                and (side[0] == "unknown" or "," not in both[0][:both.start("rest")])):
            other = _side(both["rest"])
            if other and (side[0] == "unknown" or other[0] != side[0]) and other[0] != "unknown":
                if side[0] == "unknown":  # "people, civilians and law enforcement"
                    third = _OTHER_SIDE.match(both["rest"][other[1]:])
                    more = _side(third["rest"]) if third else None
                    if third and more and more[0] not in (other[0], "unknown"):
                        side = ("combined", side[1])
                        noun_end += (both.start("rest") + other[1] + third.start("rest")
                                     + more[1])
                else:
                    side = ("combined", side[1])
                    noun_end += both.start("rest") + other[1]
        plus = _AND_HIS.match(sentence, noun_end)
        if (plus and not _NUMBER.match(plus["who"]) and not plus["who"].endswith("s")
                and _side(" " + plus["who"])):  # "a tribal elder and his guard": one more
            value, noun_end = value + 1, plus.end()
        outcome = _outcome(sentence, start, noun_end)
        if outcome is None:
            continue
        q = _BEFORE.search(sentence[max(0, start - 30):start])
        qualifier = ("range" if value_max is not None else
                     next(k for k, _ in _QUALIFIER if q[k]) if q else
                     m["vague"].lower().replace("a ", "").replace("dozen", "dozens")
                     .replace("dozenss", "dozens") if m["vague"] else "exact")
        if q:
            start -= len(q[0])
        fig = Figure(value, value_max, qualifier, _category(outcome, side[0]), start,
                     noun_end, sentence[start:noun_end])
        prev = found[-1] if found else None
        if ((prev and _BREAKDOWN.match(sentence[prev.end:start]))
                or (parts_end >= 0 and _JOIN.match(sentence[parts_end:start]))):
            parts_end = noun_end  # "11 people, including five men...": the same people
            parts.setdefault(len(found) - 1, []).append(fig)
            continue
        parts_end = -1
        if (prev and prev.category == fig.category and prev.value_max is None
                and value_max is None and _JOIN.match(sentence[prev.end:start])):
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
    for m in _TOLL.finditer(sentence):
        number = _NUMBER.match(sentence, m.start("n"))
        value = _value(number) if number else None
        if (value is None or any(f.start <= m.start("n") < f.end for f in found)
                or _YEAR.fullmatch(m["n"])):
            continue
        named = _NUMBER_OF.search(m[0])
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
