"""Turn place names as reporters write them into comparable keys.

Two keys are used:

* :func:`normalise` folds case, accents/diacritics, punctuation, apostrophes and
  spacing, and joins initials ("D. I. Khan" -> "di khan"). Two spellings that differ
  only in these ways share a normalised key.
* :func:`skeleton` additionally folds the vowel and consonant variation common in
  romanised Urdu/Balochi/Pashto names (o/u, e/i, w/v, q/k, doubled letters), so
  "Panjgoor" and "Panjgur" or "Mastong" and "Mastung" are close for fuzzy matching.

:func:`parse_query` splits off what reporters add around a name: "Quetta city",
"Gwadar port", "Mastung district", "Pasni, Gwadar", "near Kalat", "10 km north of
Turbat", "Kech (Turbat)".

No place name is longer than :data:`MAX_NAME_CHARS` characters: the gazetteer refuses
longer names in its files and leaves longer queries unresolved (see
:func:`name_length_problem`), so the work done per name stays bounded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["MAX_NAME_CHARS", "ParsedQuery", "name_length_problem", "normalise", "parse_query",
           "skeleton"]

MAX_NAME_CHARS = 200
"""The longest place name, in characters (surrounding white space not counted), that
the gazetteer reads. The longest bundled name has under 60; longer text (a pasted
paragraph, a whole report in a ``location`` cell) is not a place name, and the fuzzy
look-up's memory grows with the square of a name's length."""

_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’`]s\b", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['’`ʼʻ]")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _join_initials(tokens: list[str]) -> list[str]:
    """Join runs of single letters: ['d', 'i', 'khan'] -> ['di', 'khan']."""
    out: list[str] = []
    run = ""
    for tok in tokens:
        if len(tok) == 1 and tok.isalpha():
            run += tok
            continue
        if run:
            out.append(run)
            run = ""
        out.append(tok)
    if run:
        out.append(run)
    return out


def normalise(name: str) -> str:
    """Return the normalised key of a place name.

    Parameters
    ----------
    name : str
        Any text.

    Returns
    -------
    str
        Lower-case text without diacritics or punctuation, single-spaced, with
        initials joined. Empty when *name* holds no letters or digits.

    Examples
    --------
    >>> normalise("  Khārān  Kalāt ")
    'kharan kalat'
    >>> normalise("D. I. Khan")
    'di khan'
    """
    if not name.isascii():
        name = _strip_marks(name)
    name = _APOSTROPHE.sub("", name.casefold())
    name = _PUNCT.sub(" ", name)
    tokens = name.split()
    if any(len(t) == 1 for t in tokens):
        tokens = _join_initials(tokens)
    return " ".join(tokens)


def name_length_problem(text: str) -> str | None:
    """Why *text* is too long to be a place name, or ``None`` when it is not.

    Parameters
    ----------
    text : str
        A name as given (surrounding white space is not counted).

    Returns
    -------
    str or None
        ``"longer than 200 characters: not a place name"`` for text longer than
        :data:`MAX_NAME_CHARS`, else ``None``.

    Examples
    --------
    >>> name_length_problem("Quetta") is None
    True
    >>> name_length_problem("x" * 201)
    'longer than 200 characters: not a place name'
    """
    if len(text) <= MAX_NAME_CHARS or len(text.strip()) <= MAX_NAME_CHARS:
        return None
    return f"longer than {MAX_NAME_CHARS} characters: not a place name"


_SKELETON_TABLE = str.maketrans({"q": "k", "w": "v", "o": "u", "e": "i"})
_FINAL_H = re.compile(r"(?<=[aiu])h\b")  # Shah/Sha folded; Sindh/Sind is not
_DOUBLED = re.compile(r"([a-z])\1+")  # Quetta/Queta, Kharaan/Kharan, oo/ou -> uu -> u


def skeleton(key: str) -> str:
    """Fold transliteration variants of a normalised key.

    Parameters
    ----------
    key : str
        A key from :func:`normalise`.

    Returns
    -------
    str
        The key with o/u, e/i, w/v, q/k, ph/f folded, and doubled letters collapsed.

    Examples
    --------
    >>> skeleton("panjgoor") == skeleton("panjgur")
    True
    """
    key = key.replace("ph", "f").replace("ck", "k").replace("ey", "i").replace("ou", "u")
    key = _FINAL_H.sub("", key.translate(_SKELETON_TABLE))
    return _DOUBLED.sub(r"\1", key)


# --- descriptors reporters add around a place name --------------------------------

# Words that add nothing to the location: "Quetta city", "the town of Kalat".
_NEUTRAL_PREFIXES = (
    "the port city of",
    "the city of",
    "the town of",
    "the village of",
    "the provincial capital",
    "provincial capital",
    "port city of",
    "city of",
    "town of",
    "village of",
    "the",
    "in",
    "at",
)
_NEUTRAL_SUFFIXES = ("main city", "city", "town", "village", "proper", "port city", "city centre")

# Words that move the event off the named point: near it, or in part of it (precision 2).
_NEAR_PREFIXES = (
    "on the outskirts of",
    "in the outskirts of",
    "in the vicinity of",
    "outskirts of",
    "suburbs of",
    "vicinity of",
    "close to",
    "nearby",
    "near",
    "outside",
    "around",
)
_DIRECTIONS = (
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "north east",
    "north west",
    "south east",
    "south west",
)
_DISTANCE = re.compile(
    r"^(?:about |some |around )?\d+(?:\.\d+)?\s*(?:km|kms|kilometres|kilometers|miles|mi)\b\s*"
    r"(?:(?:" + "|".join(_DIRECTIONS) + r")\s+)?(?:of|from)\s+"
)
_DIRECTION_OF = re.compile(r"^(?:" + "|".join(_DIRECTIONS) + r")(?:ern)?\s+(?:of\s+)?")
_PART_SUFFIXES = (
    "outskirts",
    "suburbs",
    "surroundings",
    "vicinity",
    "environs",
    "cantonment",
    "cantt",
    "airport",
    "port",
    "area",
    "areas",
    "bypass",
)
# Words that name a larger unit instead of the town (precision 3).
_ADMIN_SUFFIXES = {
    "district": "district",
    "distt": "district",
    "dist": "district",
    "division": "district",
    "agency": "district",
    "province": "province",
}
_ADMIN_PREFIXES = {"district": "district", "distt": "district", "province of": "province"}


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A place query split into its parts.

    Attributes
    ----------
    core : str
        The normalised name to look up.
    qualifier : {"", "near", "part", "district", "province"}
        What the descriptors said: nothing, near the place, part of it, or that
        the name is a larger unit.
    descriptor : str
        The descriptor words that were removed, for notes.
    context : tuple of str
        Normalised names given as context: "Pasni, Gwadar" -> ("gwadar",),
        "Kech (Turbat)" -> ("turbat",).
    steps : tuple of (key, qualifier, descriptor)
        Every intermediate form while descriptors were removed, least stripped
        first, so a resolver can prefer the longest form that names a place
        ("near Model Town" -> "model town", not "model").
    """

    core: str
    qualifier: str = ""
    descriptor: str = ""
    context: tuple[str, ...] = ()
    steps: tuple[tuple[str, str, str], ...] = ()


def _alternation(words: tuple[str, ...] | list[str], *, prefix: bool) -> re.Pattern[str]:
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^({body}) " if prefix else rf" ({body})$")


_NEUTRAL_PRE = _alternation(_NEUTRAL_PREFIXES, prefix=True)
_NEAR_PRE = _alternation(_NEAR_PREFIXES, prefix=True)
_ADMIN_PRE = _alternation(list(_ADMIN_PREFIXES), prefix=True)
_ADMIN_SUF = _alternation(list(_ADMIN_SUFFIXES), prefix=False)
_NEUTRAL_SUF = _alternation(_NEUTRAL_SUFFIXES, prefix=False)
_PART_SUF = _alternation(_PART_SUFFIXES, prefix=False)
_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]?")
_SEPARATORS = re.compile(r"[,;/]")
_CONJUNCTION = re.compile(r"\s+and\s+|\s*&\s*", re.IGNORECASE)


def several_names(text: str) -> list[str]:
    """The parts of a place joined by "and" or "&" ("Quetta and Kalat"), or ``[]``.

    Examples
    --------
    >>> several_names("Quetta and Kalat"), several_names("Quetta & Mastung")
    (['Quetta', 'Kalat'], ['Quetta', 'Mastung'])
    >>> several_names("Pasni, Gwadar")
    []
    """
    parts = [p.strip() for p in _CONJUNCTION.split(text) if p.strip()]
    return parts if len(parts) > 1 else []


def _cut(key: str, pattern: re.Pattern[str]) -> tuple[str, str]:
    m = pattern.search(key)
    if m is None or len(m.group(0)) >= len(key):
        return key, ""
    return key[: m.start()] + key[m.end() :], m.group(1)


def parse_query(text: str) -> ParsedQuery:
    """Split a reported place into the name to look up, qualifiers and context.

    Parameters
    ----------
    text : str
        The place as reported.

    Returns
    -------
    ParsedQuery
        ``core`` may be empty when the text holds no name.

    Examples
    --------
    >>> q = parse_query("Pasni, Gwadar")
    >>> q.core, q.qualifier, q.context
    ('pasni', '', ('gwadar',))
    >>> parse_query("near Kalat").qualifier
    'near'
    >>> q = parse_query("Mastung district")
    >>> q.core, q.qualifier, [k for k, _, _ in q.steps]
    ('mastung', 'district', ['mastung district', 'mastung'])
    """
    if "'" in text or "’" in text or "`" in text:
        text = _POSSESSIVE.sub("", text)
    # Parenthesised text and later comma/semicolon segments are context, not the name.
    context: list[str] = []
    if "(" in text or "[" in text:
        for inner in _BRACKETED.findall(text):
            key = normalise(inner)
            if key:
                context.append(key)
        text = _BRACKETED.sub(" ", text)
    segments = [s for s in (normalise(s) for s in _SEPARATORS.split(text)) if s]
    if not segments:
        return ParsedQuery(core="", context=tuple(context))
    key, context = segments[0], segments[1:] + context

    qualifier = ""
    descriptors: list[str] = []
    steps: list[tuple[str, str, str]] = []

    def step(k: str) -> None:
        if k and (not steps or steps[-1][0] != k):
            steps.append((k, qualifier, " ".join(descriptors)))

    step(key)
    # Repeat: "near the town of Kalat", "the Quetta city area".
    for _ in range(4):
        before = key
        key, p = _cut(key, _NEUTRAL_PRE)
        if p:
            descriptors.append(p)
            step(key)
        key, p = _cut(key, _NEAR_PRE)
        if p:
            descriptors.append(p)
            qualifier = "near"
            step(key)
        m = _DISTANCE.match(key) or _DIRECTION_OF.match(key)
        if m and m.end() < len(key):
            descriptors.append(key[: m.end()].strip())
            key = key[m.end() :]
            qualifier = "near"
            step(key)
        key, p = _cut(key, _ADMIN_PRE)
        if p:
            descriptors.append(p)
            qualifier = _ADMIN_PREFIXES[p]
            step(key)
        key, s = _cut(key, _ADMIN_SUF)
        if s:
            descriptors.append(s)
            qualifier = _ADMIN_SUFFIXES[s]
            step(key)
        key, s = _cut(key, _NEUTRAL_SUF)
        if s:
            descriptors.append(s)
            step(key)
        key, s = _cut(key, _PART_SUF)
        if s:
            descriptors.append(s)
            if qualifier not in ("district", "province"):
                qualifier = qualifier or "part"
            step(key)
        if key == before:
            break
    return ParsedQuery(
        core=key,
        qualifier=qualifier,
        descriptor=" ".join(descriptors),
        context=tuple(context),
        steps=tuple(steps),
    )
