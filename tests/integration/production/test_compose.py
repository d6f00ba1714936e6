"""compose.yaml, read: nginx in front is the only way in, and the dashboard trusts exactly it.

There is no Docker engine here; what the proxy does is run for real (Debian's nginx with the same
template) in test_reverse_proxy.py. This checks that compose.yaml wires that template as tested.
"""

from __future__ import annotations

import re

import yaml

from devservers.dashboard import REPO
from tests.fixtures.nginx import TEMPLATE

COMPOSE = yaml.safe_load((REPO / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]


def test_only_the_proxy_publishes_ports():
    published = {name for name, service in SERVICES.items() if service.get("ports")}

    assert published == {"proxy"}


def test_the_proxy_is_the_official_nginx_image_with_the_tested_template():
    proxy = SERVICES["proxy"]
    assert re.fullmatch(r"nginx:[\w.-]+", proxy["image"])  # Docker Hub's official image, no namespace
    mounts = {target: source for source, target, _mode in (v.rsplit(":", 2) for v in proxy["volumes"])}
    assert (REPO / mounts["/etc/nginx/templates"]).resolve() == TEMPLATE.parent.resolve()
    # The image's envsubst fills exactly the variables the template uses (test_reverse_proxy fills
    # the same ones).
    used = set(re.findall(r"\$\{([A-Z_]+)\}", TEMPLATE.read_text()))
    assert used == set(proxy["environment"])
    assert mounts["/etc/nginx/tls"] == "${TLS_DIR:-./deploy/tls}"
    assert (REPO / "deploy" / "tls" / ".gitignore").read_text().splitlines()[1:] == ["*", "!.gitignore"]


def test_the_proxy_reaches_the_web_instances_on_their_port():
    upstream = SERVICES["proxy"]["environment"]["DASHBOARD_UPSTREAM"]

    assert upstream == f"web:{SERVICES['web']['expose'][0]}"


def test_the_dashboard_trusts_exactly_one_proxy():
    environment = SERVICES["web"]["environment"]
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    # ...because nginx appends exactly one address to X-Forwarded-For and sets the request id.
    template = TEMPLATE.read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in template
    assert "proxy_set_header X-Request-ID $request_id;" in template


def test_migrations_run_without_the_statement_timeout_pages_have():
    assert SERVICES["migrate"]["environment"]["DATABASE_STATEMENT_TIMEOUT"] == "0"
    assert "DATABASE_STATEMENT_TIMEOUT" not in SERVICES["web"]["environment"]


def test_redis_is_not_waited_for():
    # The dashboard serves (degraded) without Redis: its health must not hold the site back.
    assert SERVICES["web"]["depends_on"]["redis"]["condition"] == "service_started"
