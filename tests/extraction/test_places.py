"""Place mentions in a report: found at once, on word boundaries, resolved in context."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.extraction.places import find_places

REPORT = ("QUETTA, Jan 31 - Militants attacked police stations in Quetta and a camp of "
          "labourers near Gwadar. Doctors at Turbat Teaching Hospital received bodies. "
          "In Noshki the guards were killed; a tank was destroyed. Militants also struck "
          "in Tank district of Khyber Pakhtunkhwa. Hub residents fled.")


def test_places_are_found_and_resolved(gaz: Gazetteer) -> None:
    got = find_places(REPORT, gaz)
    assert all(REPORT[m.start:m.end] == m.text for m in got)
    named = [(m.text, m.match.name, m.match.district) for m in got]
    assert named[:5] == [("QUETTA", "Quetta", "Quetta"), ("Quetta", "Quetta", "Quetta"),
                         ("Gwadar", "Gwadar", "Gwadar"), ("Turbat", "Turbat", "Kech"),
                         ("Noshki", "Nushki", "Nushki")]  # the hospital's town, an alias
    texts = [m.text for m in got]
    assert "Khyber Pakhtunkhwa" in texts and "Khyber" not in texts  # the longest name
    assert texts.count("Tank") == 1  # "Tank district", not "a tank"
    assert "Hub" not in texts  # a common word without a place cue


def test_no_place_inside_a_word(gaz: Gazetteer) -> None:
    assert find_places("The Quettawala family and Gwadarian traders.", gaz) == []


@settings(max_examples=50, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_gives_mentions_at_their_offsets(gaz: Gazetteer, text: str) -> None:
    for m in find_places(text, gaz):
        assert text[m.start:m.end] == m.text


def test_every_repetition_of_a_name_is_found(gaz: Gazetteer) -> None:
    got = find_places((REPORT + " ") * 20, gaz)
    assert len(got) == 20 * len(find_places(REPORT, gaz))


def test_a_misspelt_place_after_a_cue_is_found_and_an_unknown_one_listed(
        gaz: Gazetteer) -> None:
    got = {m.text: m.match for m in find_places(
        "Two were killed in Khuzdaar and a blast near Panjgoor hit a post in the "
        "Mangochar area, officials in President House said.", gaz)}
    assert (got["Khuzdaar"].name, got["Khuzdaar"].method) == ("Khuzdar", "fuzzy")
    assert got["Panjgoor"].name == "Panjgur"
    assert not got["Mangochar"].resolved and got["Mangochar"].suggestions
    assert "President" not in got  # a weak cue and no place: not listed
