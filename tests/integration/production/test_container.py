"""The Dockerfile, read and partly executed: there is no Docker engine here, so each claim the image
makes is checked where it can be: its instructions, its build context, its collectstatic step run on
that context, and its HEALTHCHECK command run against a server configured like the container.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from devservers.dashboard import PYTHON, REPO, migrate, production_env, running_dashboard

DOCKERFILE = REPO / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    logical, current = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    pairs = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        pairs.append((keyword.upper(), rest.strip()))
    return pairs


def _final_stage() -> list[tuple[str, str]]:
    pairs = _instructions()
    last_from = max(i for i, (keyword, _) in enumerate(pairs) if keyword == "FROM")
    return pairs[last_from:]


def _healthcheck_command() -> str:
    (args,) = [rest for keyword, rest in _final_stage() if keyword == "HEALTHCHECK"]
    return args.split(" CMD ", 1)[1]


def test_it_builds_in_stages_from_a_slim_python_image():
    pairs = _instructions()
    froms = [rest for keyword, rest in pairs if keyword == "FROM"]
    assert len(froms) >= 2
    assert froms[0].endswith(" AS build")
    (image_arg,) = [rest for keyword, rest in pairs if keyword == "ARG" and rest.startswith("PYTHON_IMAGE=")]
    assert re.fullmatch(r"PYTHON_IMAGE=python:3\.(1[2-9])-slim", image_arg), image_arg
    assert all(rest.startswith("${PYTHON_IMAGE}") for rest in froms)
    # The runtime stage takes the built virtualenv, not the build tools.
    assert ("COPY", "--from=build /opt/venv /opt/venv") in _final_stage()


def test_it_installs_runtime_requirements_only():
    runs = " ".join(rest for keyword, rest in _instructions() if keyword == "RUN")
    assert "-r /tmp/requirements.txt" in runs
    assert "requirements-test" not in DOCKERFILE.read_text()
    copies = [rest for keyword, rest in _instructions() if keyword == "COPY"]
    assert "requirements.txt /tmp/requirements.txt" in copies


def test_it_runs_as_an_unprivileged_user():
    stage = _final_stage()
    users = [(i, rest) for i, (keyword, rest) in enumerate(stage) if keyword == "USER"]
    assert users, "no USER in the final stage"
    index, user = users[-1]
    assert user not in {"root", "0", "0:0"}
    # Nothing after USER runs as root again, and the server starts after it.
    assert all(keyword != "RUN" for keyword, _ in stage[index:])
    assert stage[-1][0] == "CMD"


def test_it_starts_gunicorn_with_the_checked_in_config():
    keyword, args = _final_stage()[-1]
    assert keyword == "CMD"
    assert args == '["gunicorn", "-c", "gunicorn.conf.py", "telnyx_admin.wsgi"]'
    assert (REPO / "gunicorn.conf.py").is_file()


def test_it_collects_static_files_at_build_time_with_a_throwaway_key():
    (collect,) = [rest for keyword, rest in _final_stage() if keyword == "RUN" and "collectstatic" in rest]
    assert "SECRET_KEY=" in collect
    assert "DEBUG=0" in collect


def test_it_bakes_no_secret_into_the_image():
    for keyword, rest in _instructions():
        if keyword in {"ENV", "ARG", "LABEL"}:
            assert not re.search(r"SECRET_KEY|TELNYX_API_KEY|PASSWORD|TOKEN", rest, re.I), rest
    text = DOCKERFILE.read_text()
    assert not re.search(r"KEY[0-9A-Za-z]{20,}", text)  # no Telnyx API key shape


def test_its_build_context_leaves_out_local_state():
    ignored = _dockerignore_patterns()
    for must_ignore in (".git", ".venv", ".env", "var", "staticfiles", "*.sqlite3", "tests"):
        assert must_ignore in ignored, must_ignore
    context = _build_context_files()
    assert "manage.py" in context
    assert "gunicorn.conf.py" in context
    assert "requirements.txt" in context
    assert not any(path.startswith((".venv/", ".git/", "var/", "tests/", "deploy/")) for path in context)
    assert not any(path.endswith((".sqlite3", ".pyc")) for path in context)


@pytest.mark.slow
def test_collectstatic_step_succeeds_on_the_build_context_alone(tmp_path):
    context = tmp_path / "context"
    for relative in _build_context_files():
        target = context / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / relative, target)
    (collect,) = [rest for keyword, rest in _final_stage() if keyword == "RUN" and "collectstatic" in rest]
    first_command = collect.split("&&")[0].strip()
    # As in the image: only the variables the step sets itself, no test-run or developer settings.
    env = {"PATH": f"{Path(PYTHON).parent}:/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "telnyx_admin.settings"}

    result = subprocess.run(
        ["/bin/sh", "-c", first_command],
        cwd=context,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    manifest = context / "staticfiles" / "staticfiles.json"
    assert manifest.is_file()
    assert "css/site.css" in manifest.read_text()


@pytest.mark.slow
def test_healthcheck_passes_on_a_container_like_server_and_fails_without_one(tmp_path, collected_static):
    # As in a container: the real host name only, HTTPS redirects on, secure cookies on.
    env = production_env(
        ALLOWED_HOSTS="admin.example.test,.example.test",
        SECURE_SSL_REDIRECT="1",
        SECURE_COOKIES="1",
        STATIC_ROOT=str(collected_static),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    migrate(env)
    probe_env = {
        "PATH": f"{Path(PYTHON).parent}:{os.environ['PATH']}",
        "ALLOWED_HOSTS": env["ALLOWED_HOSTS"],
    }
    command = _healthcheck_command()

    with running_dashboard(env=env) as server:
        # The plain probe a load balancer without the right Host would make is refused...
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 400
        passed = subprocess.run(
            ["/bin/sh", "-c", command],
            env={**probe_env, "PORT": str(server.port)},
            capture_output=True,
            timeout=30,
            check=False,
        )
    failed = subprocess.run(
        ["/bin/sh", "-c", command],
        env={**probe_env, "PORT": str(server.port)},
        capture_output=True,
        timeout=30,
        check=False,
    )

    assert passed.returncode == 0, passed.stderr
    assert failed.returncode != 0


def _dockerignore_patterns() -> list[str]:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _build_context_files() -> list[str]:
    """Committed files `docker build .` would send, approximating .dockerignore (no `!` rules)."""
    patterns = _dockerignore_patterns()
    assert not any(pattern.startswith("!") for pattern in patterns)
    tracked = subprocess.run(
        ["git", "ls-files", "--cached"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    kept = []
    for path in tracked:
        parts = Path(path).parts
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(_ignored(prefix, pattern) for prefix in prefixes for pattern in patterns):
            continue
        if (REPO / path).is_file():
            kept.append(path)
    return kept


def _ignored(path: str, pattern: str) -> bool:
    if pattern.startswith("**/"):
        return fnmatch.fnmatch(Path(path).name, pattern[3:])
    return fnmatch.fnmatch(path, pattern)


def test_dockerfile_healthcheck_is_a_python_one_liner():
    command = _healthcheck_command()
    assert shlex.split(command)[:2] == ["python", "-c"]
    assert "/healthz" in command
    assert "curl" not in command
