"""Benchmarks (`make bench`, i.e. `python -m bench`): each module measures one thing and prints ratios.

Not tests: they print numbers and never fail the build. Every module has `main() -> None`, which
prints its lines and ends each figure with `BENCH <name> value=<number> target<=<number>` (or
`target>=`) so a script can read them.
"""
