"""``python -m geo`` and the ``geo`` command."""

from __future__ import annotations

from geo.cli import main


def run(prog_name: str | None = None) -> None:
    """Run the command line.

    Parameters
    ----------
    prog_name : str, optional
        Name shown in help and usage messages.
    """
    main(prog_name=prog_name)


if __name__ == "__main__":
    run("python -m geo")
