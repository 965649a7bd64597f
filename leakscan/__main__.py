"""``python -m leakscan`` is ``leakscan``."""

from .cli import main

main()
