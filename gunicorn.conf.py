"""gunicorn settings for the dashboard: the container's CMD and `make serve` both run with this file.

Every page waits on Telnyx over the network, so workers are threaded (gthread): a thread blocked on
Telnyx costs a little memory, not a process. Capacity is WEB_CONCURRENCY processes x GUNICORN_THREADS
threads; with Telnyx as the bottleneck, throughput is about that many pages per Telnyx round trip.

Environment:
    GUNICORN_BIND      address to listen on (default 0.0.0.0:$PORT; `make serve` uses 127.0.0.1:$PORT)
    PORT               port when GUNICORN_BIND is unset (default 8000)
    WEB_CONCURRENCY    worker processes (default 2)
    GUNICORN_THREADS   threads per worker (default 8)
    GUNICORN_TIMEOUT   seconds before a silent worker is killed and replaced (default 30)
    GUNICORN_REQUEST_TIMEOUT  seconds a request may run before its worker counts as hung (default 120)
    GUNICORN_GRACEFUL_TIMEOUT  seconds in-flight requests get to finish on shutdown (default 30)
    GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket for gunicornc (default: none)
    FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers gunicorn trusts (default loopback)
    LOG_FORMAT, LOG_LEVEL  as for Django (telnyx_admin.logging)
"""

import os
import threading
import time


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# In a container the app listens on every interface; `make serve` binds loopback only.
bind = [os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_int('PORT', 8000)}"]
wsgi_app = "telnyx_admin.wsgi:application"

worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 8)
# gthread workers heartbeat from their main loop, so this only fires for a wedged worker, not a slow
# page: a page gives up on Telnyx after TELNYX_RETRY_BUDGET (8 s) on its own.
timeout = _int("GUNICORN_TIMEOUT", 30)
# ...which also means a thread stuck for good would never be noticed, and each one would take a
# thread away until none serve, /healthz included. So a worker with a request running longer than
# this stops its heartbeat, and the master replaces it `timeout` seconds later. It is the last resort:
# every dependency has its own shorter limit (Telnyx 8 s; the database 3 s to connect and a 4 s
# deadline per call, even on a frozen link, telnyx_admin.database_guard; Redis under 1 s), and only
# a long CSV export may legitimately come near this.
request_timeout = _int("GUNICORN_REQUEST_TIMEOUT", 120)
# On SIGTERM (deploy, scale-in), requests in flight get this long to finish: a write that has
# reached Telnyx gets to record its audit entry.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections wait in gthread's poller, not in a thread. Behind a load balancer set
# this above the balancer's idle timeout (e.g. 65 for 60 s), or it may reuse a connection gunicorn
# has just closed and answer 502.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Workers are forked before the app loads, so no database connection or HTTP pool is shared
# between processes.
preload_app = False
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's runtime control socket (gunicornc) defaults to one path per user, which several
# instances on one machine would fight over: off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# The heartbeat file lives in memory: a container's overlay filesystem can stall on it.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn only creates an unlinked temp file there
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM

# Both logs go to the standard streams (the container runtime collects them): access to stdout,
# errors to stderr. JSON by default in production; see telnyx_admin/logging.py.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = "telnyx_admin.logging.GunicornLogger"
# Used when LOG_FORMAT=plain; the JSON access line carries the same fields.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({telnyx_admin.request_id}e)s "%(a)s"'


# --- hung-request watchdog (see request_timeout) -------------------------------------------------


def post_worker_init(worker):
    _keep_a_thread_for_probes(worker)
    running = {}  # thread id -> time.monotonic() its request started
    worker.running_requests = running
    heartbeat = worker.notify

    def notify():
        if request_timeout > 0:
            now = time.monotonic()
            if any(now - started > request_timeout for started in list(running.values())):
                if not getattr(worker, "hung", False):
                    worker.hung = True
                    worker.log.error(
                        "A request has run for over %s s: this worker stops its heartbeat and is replaced",
                        request_timeout,
                    )
                return
        heartbeat()

    worker.notify = notify


def _keep_a_thread_for_probes(worker):
    """Tell the app's database guard (telnyx_admin.database_guard) how many threads this worker has, so
    that one of them stays out of slow database calls and /healthz always finds it. The app is loaded
    by now (post_worker_init), and the count is the one gunicorn runs with, command line included."""
    from django.conf import settings

    from telnyx_admin import database_guard

    guard = database_guard.process_guard()
    if guard is not None:
        guard.keep_a_thread(threads=worker.cfg.threads, slow_after=settings.DATABASE_SLOW_CALL_SECONDS)


def pre_request(worker, req):
    worker.running_requests[threading.get_ident()] = time.monotonic()


def post_request(worker, req, environ, resp):
    worker.running_requests.pop(threading.get_ident(), None)
