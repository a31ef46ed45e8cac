"""Optional online geocoding, with a fake geopy geocoder: asked only for names the
gazetteer cannot resolve, cached on disk, marked online, and never needed to carry on.
No test touches the network."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from geopy.exc import GeocoderUnavailable
from geopy.location import Location

import geo.cli.options
from geo import Gazetteer
from geo.analysis.locate import locate_incidents
from geo.bundled import dataset_dir
from geo.cli.commands import main
from geo.dataset.records import load_dataset
from geo.gazetteer.online import OnlineGeocoder, resolve_online


class FakeGeocoder:
    """geopy's geocoder interface, answering from a dict (or failing like no network)."""

    def __init__(self, answers: dict[str, tuple[float, float, str]], down: bool = False
                 ) -> None:
        self.answers, self.down = answers, down
        self.calls: list[tuple[str, str]] = []

    def geocode(self, query: str, exactly_one: bool = True, country_codes: str = "",
                **_kw: Any) -> Location | None:
        self.calls.append((query, country_codes))
        if self.down:
            raise GeocoderUnavailable("Name or service not known")
        if query not in self.answers:
            return None
        lat, lon, kind = self.answers[query]
        return Location(f"{query}, Balochistan, Pakistan", (lat, lon),
                        {"class": kind.split("/")[0], "type": kind.split("/")[1]})


ANSWERS = {"Zzq Goth": (27.1, 65.9, "place/village"), "Wadh tehsil": (27.3, 66.4,
                                                                        "boundary/administrative")}


def _online(tmp_path: Path, fake: FakeGeocoder) -> OnlineGeocoder:
    return OnlineGeocoder(tmp_path / "cache.json", geocoder=fake, min_delay=0)


def test_only_unresolved_names_are_asked_and_marked_online(gaz: Gazetteer,
                                                           tmp_path: Path) -> None:
    fake = FakeGeocoder(ANSWERS)
    online = _online(tmp_path, fake)
    offline = resolve_online(gaz, "Quetta", online)
    assert offline == gaz.resolve("Quetta") and fake.calls == []  # never replaced
    m = resolve_online(gaz, "Zzq Goth", online)
    assert (m.resolved, m.method, m.precision) == (True, "online", 1)  # a village
    assert m.province == "Balochistan" and m.district is not None
    assert "FakeGeocoder (place/village)" in m.note
    assert resolve_online(gaz, "Wadh tehsil", online).precision == 3  # an admin area
    assert fake.calls == [("Zzq Goth", "pk"), ("Wadh tehsil", "pk")]  # one country only


def test_answers_and_misses_are_cached_on_disk(gaz: Gazetteer, tmp_path: Path) -> None:
    fake = FakeGeocoder(ANSWERS)
    first = _online(tmp_path, fake)
    first.lookup("Zzq Goth")
    assert first.lookup("Nowhere Goth") is None
    again = _online(tmp_path, fake)  # a new run reads the cache
    assert again.lookup("zzq  goth").lat == 27.1 and again.lookup("Nowhere Goth") is None
    assert len(fake.calls) == 2 and again.asked == 0


def test_no_network_says_so_and_carries_on(gaz: Gazetteer, tmp_path: Path) -> None:
    fake = FakeGeocoder(ANSWERS, down=True)
    online = _online(tmp_path, fake)
    m = resolve_online(gaz, "Zzq Goth", online)
    assert not m.resolved and "online look-up unavailable" in m.error
    assert not resolve_online(gaz, "Wadh tehsil", online).resolved
    assert len(fake.calls) == 1  # after the first failure nothing more is asked
    assert not (tmp_path / "cache.json").exists()  # a failure is not cached as "no answer"


def test_dataset_locating_asks_for_unknown_places_only(gaz: Gazetteer, tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    shutil.copytree(dataset_dir(), folder)
    text = (folder / "incidents.csv").read_text(encoding="utf-8")
    (folder / "incidents.csv").write_text(text.replace(",Dalbandin,", ",Zzq Goth,", 1),
                                          encoding="utf-8")
    ds = load_dataset(folder)
    # BAL26-014's place is not reported: nothing to look up, online or not
    assert locate_incidents(ds.incidents, gaz).unresolved["incident_id"].astype(str
                                                                           ).tolist() == [
        "BAL26-014", "BAL26-016"]
    fake = FakeGeocoder(ANSWERS)
    located = locate_incidents(ds.incidents, gaz, _online(tmp_path, fake))
    assert located.unresolved["incident_id"].astype(str).tolist() == ["BAL26-014"]
    assert fake.calls == [("Zzq Goth", "pk")]
    row = located.incidents[located.incidents["place"] == "Zzq Goth"].iloc[0]
    assert row["located_by"] == "online"


def test_cli_online_flag_offline_by_default(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    fake = FakeGeocoder(ANSWERS, down=True)
    monkeypatch.setattr(geo.cli.options, "OnlineGeocoder",
                        lambda cache, country: OnlineGeocoder(tmp_path / "c.json", country,
                                                              geocoder=fake, min_delay=0))
    res = CliRunner().invoke(main, ["resolve", "Zzq Goth"])
    assert res.exit_code == 1 and fake.calls == []  # off unless asked
    res = CliRunner().invoke(main, ["resolve", "Zzq Goth", "Quetta", "--online"])
    assert res.exit_code == 1 and "online geocoding unavailable" in res.output
    assert "Quetta -> Quetta" in res.output  # the offline answer still given
    fake.down = False
    res = CliRunner().invoke(main, ["resolve", "Zzq Goth", "--online", "--json"])
    assert res.exit_code == 0 and '"method": "online"' in res.output
