"""What every benchmark prints for its targets at the end: one line per target, PASS, FAIL or n/a."""

from __future__ import annotations


def print_check(met: bool | None, text: str) -> None:
    """One target's line; `met` None when the target could not be measured in this run."""
    print(f"  {'n/a ' if met is None else 'PASS' if met else 'FAIL'}  {text}")
