"""Security settings: the CSP holds on every template, deploy checks pass, the API key stays secret."""

import io
import logging
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from devservers import environment
from telnyx_admin.log_redaction import SecretRedactionFilter

ROOT = Path(settings.BASE_DIR)


def _template_files() -> list[Path]:
    roots = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html") if ".venv" not in path.parts)


# What a strict CSP (script-src 'self' 'nonce-…'; style-src 'self') would block in the browser.
INLINE = {
    "inline <script> without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "on*= event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on (evaluates code)": re.compile(r"\shx-on", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_there_are_templates_to_check():
    names = {path.name for path in _template_files()}
    assert {"base.html", "pager.html", "403.html", "500.html"} <= names


@pytest.mark.parametrize("path", _template_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(path):
    text = path.read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(ROOT)}: {found}"


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_nonced_scripts(auditor_client):
    response = auditor_client.get("/audit/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts, "htmx is loaded"
    for tag in scripts:
        assert 'src="/static/' in tag
        assert f'nonce="{nonce}"' in tag
    assert '"includeIndicatorStyles": false' in response.content.decode()


@pytest.mark.parametrize("cache_url", [None, "redis://127.0.0.1:6379/1"])
def test_deploy_checks_pass_under_production_settings(cache_url, tmp_path):
    env = environment.inherited(without=("TESTING", "DEBUG", "DEMO_MODE"))
    env.update(
        DJANGO_SETTINGS_MODULE="telnyx_admin.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = environment.inherited(without=("TESTING", "DEBUG", "DEMO_MODE", "SECRET_KEY"))
    env.update(DJANGO_SETTINGS_MODULE="telnyx_admin.settings", DEBUG="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


# --- the API key never reaches a page or a log ------------------------------------------------------

REAL_LOOKING_KEY = "KEY0123456789ABCDEF_secretpart"


def test_the_log_filter_redacts_the_key_from_messages_arguments_and_tracebacks(settings):
    settings.TELNYX_API_KEY = REAL_LOOKING_KEY
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "calling with %s", (f"Bearer {REAL_LOOKING_KEY}",), None
    )
    try:
        raise RuntimeError(f"header Authorization: Bearer {REAL_LOOKING_KEY}")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    assert SecretRedactionFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert REAL_LOOKING_KEY not in formatted
    assert "Bearer [redacted]" in formatted


def test_the_console_handler_redacts_what_any_logger_writes(settings):
    settings.TELNYX_API_KEY = REAL_LOOKING_KEY
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(item, SecretRedactionFilter) for item in handler.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("some.library").warning("sent %s", REAL_LOOKING_KEY)
    finally:
        handler.setStream(previous)
    assert "[redacted]" in stream.getvalue()
    assert REAL_LOOKING_KEY not in stream.getvalue()


@pytest.mark.django_db
def test_an_auth_failure_page_does_not_show_the_key(support_client, telnyx_settings, settings):
    settings.TELNYX_API_KEY = REAL_LOOKING_KEY  # the sandbox rejects it: 401
    response = support_client.get("/profiles/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "Telnyx refused our credentials" in body
    assert REAL_LOOKING_KEY not in body
    assert "TELNYX_API_KEY" in body  # names the setting to check, never its value
