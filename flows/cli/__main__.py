"""`python -m flows.cli ...`, the same as the `sohoa` console script."""

from flows.cli import main

main()
