"""The words of casualty figures (:mod:`geo.extraction.figures`): numbers as news
writes them, the people they count by side, the verbs of what happened to them, the
qualifiers, and the words around a number that make it something else (an age, a
unit, a speaker, a group counted already).

Tables, not logic: a new noun, verb or idiom is added here.
"""

from __future__ import annotations

import re

UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD = rf"(?:{'|'.join(TENS + UNITS)}|hundred|thousand)"
NUMBER_TEMPLATE = (
    r"(?<![\w.,])(?:"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+)"
    rf"|(?P<words>{WORD}(?:(?:-|\s+|\s+and\s+){WORD})*)"
    r"|(?P<vague>several|dozens|a\s+dozen|scores)"
    r"|(?P<one>an?|one|another)(?=\s+(?:[\w'-]+\s+){0,2}(?:%s)\b)"
    r"|(?P<another>another)(?=\s+(?:was|were|had been|has been|person|man|woman)\b|"
    r"\s*[,.;]|\s*$)"
    r")(?![\w])")
"""A number as stated; ``%s``: the people nouns (for "a policeman")."""

# Who is counted: the first of these nouns within a few words after the number.
SIDES = {
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
NOUN = {side: re.compile(rf"^(?:{'|'.join(words.split())})$", re.IGNORECASE)
         for side, words in SIDES.items()}
ANY_NOUN = "|".join(w for words in SIDES.values() for w in words.split())
NUMBER = re.compile(NUMBER_TEMPLATE % ANY_NOUN, re.IGNORECASE)

# What happened to them: the casualty verbs (and words standing for them).
OUTCOMES = (
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
VERB = re.compile(rf"\b(?:{'|'.join(f'(?P<{k}>{v})' for k, v in OUTCOMES)})\b",
                   re.IGNORECASE)
QUALIFIER = (("at_least", r"at least|no fewer than|not less than"),
              ("more_than", r"more than|over|upwards of|in excess of"),
              ("nearly", r"nearly|almost|close to"),
              ("about", r"about|around|some|approximately|roughly|an estimated"),
              ("up_to", r"up to|as many as|at most"))
BEFORE = re.compile(rf"(?:{'|'.join(f'(?P<{k}>{v})' for k, v in QUALIFIER)})\s*$",
                     re.IGNORECASE)
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
FILLER = re.compile(r"^(?:more|other|further|additional|security|pakistani|local|"
                     r"frontier|corps|of|the|their|his|her|its|armed|suspected|baloch|"
                     r"innocent|unarmed|paramilitary|police|army|wounded|injured|dead|[A-Z][\w-]*)$")
JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:(?:her|his|their)\s+)?$",
                   re.IGNORECASE)
BREAKDOWN = re.compile(r"^\s*,?\s*(?:including|among them|of whom|among whom)\s+$",
                        re.IGNORECASE)
THING = re.compile(r"\s+(?:stations?|posts?|vehicles?|vans?|lines|checkpoints?|checkposts?|"
                    r"camps?|training|headquarters|buildings?|compounds?|mobiles?|chief|"
                    r"hideouts?|mess|spokesm[ae]n|force|department|party|sources?|groups?|convoys?|"
                    r"outfits?|organi[sz]ations?|wing|movement)\b",
                    re.IGNORECASE)
# "civilians and security personnel": another side counted in the same number.
OTHER_SIDE = re.compile(r"\s*(?:,\s*|\s+(?:and|or|&)\s+)(?P<rest>.*)", re.DOTALL)
WORDS = re.compile(r"[\w'’-]+")
UNIT = re.compile(r"^(?:days?|hours?|weeks?|months?|years?|minutes?|km|kilomet(?:er|re)s?|"
                   r"miles?|vehicles?|buses|bus|trucks?|cars?|attacks?|locations?|places|"
                   r"districts?|rounds?|rockets?|grenades?|times|percent|per|cent|million|"
                   r"billion|crore|lakh|rupees?|dollars?|said|was|were|had|has|have|is|are|"
                   r"in|on|at|from|by|with|after|before|when|while|who|that|which|and|or|but|\d+)$",
                   re.IGNORECASE)
SONS_OF_SOIL = re.compile(r"sons\s+of\s+(?:the\s+)?soil\b", re.IGNORECASE)
MEMBERS = re.compile(r"^(?:members?|ranks|personnel)$", re.IGNORECASE)
OUTCOME_WORD = re.compile(r"^(?:wounded|injured|killed|dead|hurt)$", re.IGNORECASE)
NOUN_SOON = re.compile(rf"^\s+(?:[\w'-]+\s+)?(?:{ANY_NOUN})\b", re.IGNORECASE)
# A sentence naming an earlier year is history unless it also speaks of now.
NOW = re.compile(r"\bthis year\b|\bso far\b|\bthis week\b|\btoday\b|\byesterday\b|"
                  r"\b(?:on|late on|early on|last)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
                  re.IGNORECASE)
AND_HIS = re.compile(r"\s+and\s+(?:his|her|their)\s+(?P<who>[\w'-]+)\b", re.IGNORECASE)
# "Two were killed": a number and its outcome, the people not named.
BARE = re.compile(r"\s+(?:were|have been|had been|are|got)\s+(?:\w+\s+)?"
                   r"(?:killed|injured|wounded|dead|abducted|kidnapped|martyred|shot dead)\b",
                   re.IGNORECASE)
# A verb after its subject, active: "killing ...", "killed five people".
AGENT = re.compile(r"(?:killing|injuring|wounding|kills|abducting|kidnapping)\b|"
                    r"(?:killed|injured|wounded|abducted|kidnapped)\s+(?:\d|an?\s|the\s|"
                    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|dozens|"
                    r"scores|at least|more than|nearly|some|about)\b)", re.IGNORECASE)
OBJECT = re.compile(r"^\s*(?:(?:at least|more than|nearly|about|some|up to|over|around|"
                     r"almost|another|all|as many as)\s+)?$", re.IGNORECASE)
MORE = re.compile(r"\b(?:another|a further|and|the)\s+$", re.IGNORECASE)
OF_THEM_DONE = re.compile(r"\s*(?:[,.;]|$|were|was|had|have|died|\w+ed\b)", re.IGNORECASE)
OF_THEM = re.compile(r"\s+of\s+(?:them|whom|those)\b", re.IGNORECASE)
THE = re.compile(r"\bthe\s+$", re.IGNORECASE)
SPEECH = re.compile(r"\b(?:said|says|told|according|added|stated|claimed)\b", re.IGNORECASE)
SPEAKER = re.compile(r"[^,.;]{0,60}?\b(?:said|says|told|added)\b", re.IGNORECASE)
AGE = re.compile(r"[\s-]+(?:years?|months?)[\s-]+old\b", re.IGNORECASE)
NUMBER_OF = re.compile(r"number\s+of\s+([\w-]+)\s+(?:killed|dead)", re.IGNORECASE)
TOLL = re.compile(
    r"\b(?:(?:death\s+)?toll(?:\s+(?:among|of)\s+(?:the\s+)?(?P<who2>[\w-]+))?|number\s+of\s+(?:the\s+)?(?P<who>[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?P<verb>killed|dead|injured|wounded)|number\s+of\s+(?:the\s+)?(?P<verb2>dead|injured))"
    r"\b[^.;]{0,80}?\b(?:rose|risen|climbed|jumped|reached|increased|went\s+up|stood|stands|"
    r"at)\s+(?:to\s+|at\s+)?(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\b", re.IGNORECASE)
MONEY = re.compile(r"(?:rs\.?|pkr|\$|usd|rupees?)\s*$", re.IGNORECASE)
# A verb whose object the figure is, when nothing happened to them ("police detained
# 14 people", "a bus carrying 40 passengers").
NOT_CASUALTY = re.compile(
    r"\b(?:detained|arrested|held|apprehended|deployed|evacuated|carrying|carried|sent|"
    r"dispatched|questioned|identified|recovered|mobili[sz]ed|trained|hired|employed|"
    r"registered|displaced)\s+(?:(?:at least|more than|nearly|about|some|over)\s+)?$",
    re.IGNORECASE)
RANGE = re.compile(r"\s*(to|-|–|and)\s*(\d+)", re.IGNORECASE)
BETWEEN = re.compile(r"between\s*$", re.IGNORECASE)
