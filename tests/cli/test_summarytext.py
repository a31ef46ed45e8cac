"""``geo summary`` as text: every figure says who gives it; militant claims are marked."""

from __future__ import annotations

from click.testing import CliRunner

from geo.cli.commands import main


def test_the_text_summary_says_who_gives_each_figure() -> None:
    res = CliRunner().invoke(main, ["summary"])
    assert res.exit_code == 0, res.output  # BAL26-014 has no place on purpose: no error
    out = res.stdout
    assert ("Civilians killed: 31 per Chief Minister Sarfraz Bugti (Balochistan government) "
            "(government), S000") in out
    assert "militants claim 84 (Baloch Liberation Army (militant)" in out
    assert "abducted: 18 per Baloch Liberation Army (militant claim)" in out
    assert "not compared: the area figure counts only police officers" in out
    assert "Killed, sides combined: dozens: 12 per Pakistani officials (unnamed) (official), S000" \
        in out  # the qualifier as the claim words it
    assert "figures kept: killed_security_forces 3 (militant claim)" in res.stderr


def test_no_figure_is_said_not_zero() -> None:
    res = CliRunner().invoke(main, ["summary", "--figures", "official"])
    assert res.exit_code == 0, res.output
    assert "Abducted / kidnapped: no figure (only militants give one)" in res.stdout


def test_asking_for_the_militants_shows_their_claims_marked() -> None:
    res = CliRunner().invoke(main, ["summary", "--figures", "claimant:Baloch Liberation Army"])
    assert res.exit_code == 0, res.output
    assert ("Security forces killed: 84 claimed by Baloch Liberation Army (militant), S003"
            in res.stdout)
    assert "Quetta (Balochistan): 4 incidents; killed_security_forces no figure (claims 2)" \
        in res.stdout
