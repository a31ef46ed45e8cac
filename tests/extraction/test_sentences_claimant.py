"""Sentences with their paragraphs, and who gives their figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.extraction.claimant import attribution, claimant_type
from geo.extraction.sentences import paragraph_spans, sentences


def test_sentences_keep_offsets_paragraphs_and_abbreviations() -> None:
    text = ("QUETTA: Gunmen attacked a police station at 3 a.m. on Saturday. Lt. Col. "
            "Ahmed said 12 were hurt.\n\nThe BLA claimed it.\n\nOfficials said 5 died.")
    got = sentences(text)
    assert [s.locator for s in got] == ["¶1", "¶1", "¶2", "¶3"]
    assert got[1].text == "Lt. Col. Ahmed said 12 were hurt."
    assert all(text[s.start:s.end] == s.text for s in got)


def test_one_line_per_paragraph_when_there_are_no_blank_lines() -> None:
    assert [s.locator for s in sentences("First one.\nSecond one.\nThird.")] == [
        "¶1", "¶2", "¶3"]


@given(st.text(max_size=400))
def test_any_text_splits_into_sentences_found_at_their_offsets(text: str) -> None:
    for s in sentences(text):
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text
    spans = paragraph_spans(text)
    assert all(a < b for a, b in spans) and spans == sorted(spans)


@pytest.mark.parametrize(("sentence", "who", "kind"), [
    ("Security forces killed 92 militants, the military's media wing said.",
     "the military's media wing", "military"),
    ("Chief Minister Sarfraz Bugti said 31 civilians were killed.",
     "Chief Minister Sarfraz Bugti", "government"),
    ("Officials said at least 15 security personnel died.", "Officials", "official"),
    ("Two police officers were killed by a grenade, Reuters reported.", "Reuters", "media"),
    ("The attackers killed 11 labourers, said a police official.", "a police official",
     "police"),
    ("According to the Civil Hospital, 11 bodies were received.", "the Civil Hospital",
     "hospital"),
    ("The Baloch Liberation Army claimed it had killed 84 soldiers.",
     "The Baloch Liberation Army", "militant"),
])
def test_who_gives_the_figures(sentence: str, who: str, kind: str) -> None:
    assert attribution(sentence) == (who, kind)


@pytest.mark.parametrize("sentence", ["Gunmen killed six people in Kharan.",
                                      "It said 84 soldiers were killed."])
def test_no_one_quoted_means_the_outlet(sentence: str) -> None:
    assert attribution(sentence) is None


def test_types_of_claimants() -> None:
    assert claimant_type("Inter-Services Public Relations") == "military"
    assert claimant_type("Levies force") == "police"
    assert claimant_type("a passer-by") == "other"
