"""Allow ``python -m geo``."""

from geo.cli import main

main(prog_name="python -m geo")
