"""Events a report places without a figure, and places that are not where it happened."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import Gazetteer
from geo.extraction.events import find_events
from geo.extraction.places import find_places

SUNDAY = dt.date(2026, 2, 1)


def _events(gaz: Gazetteer, text: str) -> list[tuple[str, dt.date | None]]:
    return [(str(e.place.match.name), e.day)
            for e in find_events(text, SUNDAY, find_places(text, gaz))]


def test_an_attack_at_a_place_is_an_event_on_its_day(gaz: Gazetteer) -> None:
    assert _events(gaz, "Militants stormed a police station in Kalat on Saturday.") == [
        ("Kalat", dt.date(2026, 1, 31))]


@pytest.mark.parametrize("text", [
    "QUETTA, Jan 31 - The wounded were shifted to Quetta after the attack.",
    "An Islamabad-based group counted the attacks on police.",
    "The jail, 70 km southeast of Quetta, was attacked.",
    "The soldier killed in the attack was a resident of Chakwal.",
    "Militants may attack Quetta again, officials warned.",
    "In 2019, militants attacked Gwadar.",
    "The group has also carried out attacks on Chinese nationals in Karachi.",
    "The convoy was travelling from Parachinar to Peshawar when it came under attack.",
])
def test_places_that_are_not_where_an_event_happened(gaz: Gazetteer, text: str) -> None:
    assert _events(gaz, text) == []
