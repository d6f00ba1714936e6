"""`python -m loadtests.soak` (what `make soak` runs) starts as a plain process, without Django settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _plain_env() -> dict[str, str]:
    # pytest-django exports DJANGO_SETTINGS_MODULE; `make soak` runs without it (and without TESTING).
    hidden = {"DJANGO_SETTINGS_MODULE", "TESTING"}
    return {name: value for name, value in os.environ.items() if name not in hidden}


def test_it_starts_without_django_settings():
    done = subprocess.run(
        [sys.executable, "-m", "loadtests.soak", "--help"],
        cwd=ROOT,
        env=_plain_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "--duration" in done.stdout


def test_it_reads_the_write_path_titles_in_english():
    # The soak tells outcomes by the titles the dashboard shows an English session.
    script = (
        "import runpy, sys\n"
        "sys.argv = ['soak', '--help']\n"
        "try:\n"
        "    runpy.run_module('loadtests.soak', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "from loadtests.soak.pages import told_in_place\n"
        "print(told_in_place(200, '<h2>We do not know yet whether the change was applied</h2>').outcome)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=_plain_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("unknown")
