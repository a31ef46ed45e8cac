"""GeoNames dump import: populated places and admin divisions kept, other classes
counted, bad lines reported by number; the result works as a gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import DataError, Gazetteer
from geo.cli.commands import main
from geo.importers.geonames import import_geonames
from geo.io.csvfile import read_csv
from geo.io.tables import ROW

SAMPLE = Path(__file__).parent / "data" / "PK_sample.txt"


def test_kept_skipped_and_reported(tmp_path: Path) -> None:
    got = import_geonames(SAMPLE, tmp_path / "pk.csv")
    assert list(got.places["name"]) == ["Quetta", "Gwadar", "Quetta District", "Turbat"]
    assert dict(got.skipped) == {"A.PCLI": 1, "H": 1}  # a country and a river are not places
    assert [(p.row, p.field) for p in got.problems] == [(6, None), (7, "latitude")]
    assert "6 fields; a GeoNames dump line has 19" in str(got.problems[0])


def test_imported_file_is_a_gazetteer(tmp_path: Path) -> None:
    out = tmp_path / "pk.csv"
    import_geonames(SAMPLE, out)
    gaz = Gazetteer.load(out, bundled=False)
    m = gaz.resolve("Kwatah")  # an alternate name
    assert (m.name, m.precision, m.district) == ("Quetta", 1, "Quetta")
    d = gaz.resolve("Quetta District")
    assert d.precision == 3 and "administrative unit (ADM2)" in d.note
    assert gaz.resolve("Gwādar").name == "Gwadar"
    assert not gaz.resolve("GWD").resolved  # airport codes are not place names
    both = Gazetteer.load(out)  # on top of the bundled places
    assert both.resolve("Turbat").resolved and both.resolve("Nushki").resolved


def test_cli_and_errors(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["gazetteer", "import", str(SAMPLE), "--out",
                                    str(tmp_path / "g.csv")])
    assert res.exit_code == 1  # two unreadable lines, reported
    assert "wrote 4 names" in res.output and "3 populated places, 1 administrative" in \
        res.output and "PK_sample.txt:7: latitude" in res.output
    res = CliRunner().invoke(main, ["resolve", "Kwatah", "--gazetteer",
                                    str(tmp_path / "g.csv"), "--no-bundled"])
    assert res.exit_code == 0 and "Quetta" in res.output
    (tmp_path / "latin1.txt").write_bytes("Kh\xe1r\xe1n\t".encode("latin-1"))
    with pytest.raises(DataError, match="UTF-8"):
        import_geonames(tmp_path / "latin1.txt")
    (tmp_path / "csv.txt").write_text("name,lat,lon\nQuetta,30,67\n", encoding="utf-8")
    with pytest.raises(DataError, match="no line in the GeoNames dump layout"):
        import_geonames(tmp_path / "csv.txt")


def test_gazetteer_file_is_written_as_every_product_csv(tmp_path: Path) -> None:
    out = tmp_path / "pk.csv"
    got = import_geonames(SAMPLE, out)
    body = out.read_bytes()
    # CRLF rows: the writer quotes any cell holding a CR or LF, so rows never split
    assert body.count(b"\r\n") == body.count(b"\n") == len(got.places) + 1
    back = read_csv(out, required=list(got.places.columns))
    assert back.drop(columns=ROW).to_numpy().tolist() == got.places.to_numpy().tolist()
