"""`make test` runs the suite on several workers with `--dist loadgroup`, and counts on it.

Modules that start something costly once (the demo, the soak's site, the large sandbox) mark their
tests `xdist_group`, so that one worker runs them all and the module fixture starts once. When the
grouping breaks, nothing fails: the tests spread over every worker and the run only gets slower. That
happened with pytest 9.2 (pytest-xdist issue 1386), so this test runs a small grouped suite the way
the Makefile runs ours and asks where its tests ran.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GROUPED = """
import os
import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(8))
def test_grouped(n):
    with open(os.environ["WHERE_FILE"], "a") as where:
        where.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")
"""


def test_a_group_runs_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    where = tmp_path / "where.txt"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "4",
            "--dist",
            "loadgroup",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-q",
            "test_grouped.py",
        ],
        cwd=tmp_path,
        env={"WHERE_FILE": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workers = where.read_text().split()
    assert len(workers) == 8
    assert len(set(workers)) == 1, f"one group ran on {sorted(set(workers))}: --dist loadgroup does not group"
