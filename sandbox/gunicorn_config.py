"""gunicorn settings of the sandbox, passed explicitly by `runsandbox` (`--config python:...`).

Explicit so that gunicorn never picks up the dashboard's ./gunicorn.conf.py (its workers, logger and
access log) just because the sandbox was started from the repository root. The bind address and the
thread count come from runsandbox's command line.
"""

import os

wsgi_app = "sandbox.wsgi:application"
# One process: injected faults, rate-limit windows and statistics live in its memory.
workers = 1
worker_class = "gthread"
threads = 16
# Clients (the dashboard's pooled session, benchmarks) keep connections open between requests.
keepalive = 30
# gthread heartbeats from its main loop; a long injected latency is not a wedged worker.
timeout = 300
graceful_timeout = 5
preload_app = False
# gunicorn's control socket defaults to one path per user: two sandboxes would fight over it.
control_socket_disable = True
accesslog = None
errorlog = "-"
loglevel = os.environ.get("SANDBOX_LOG_LEVEL", "warning").lower()
# Long query strings reach Django and get a JSON 422 instead of gunicorn's plain 414 page
# (0 means gunicorn's ceiling of 1 MiB).
limit_request_line = 0
