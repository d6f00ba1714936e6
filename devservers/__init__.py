"""Real processes and services for tests, benchmarks and load runs, with no pytest in them.

- sandbox_process: the Telnyx API sandbox (`manage.py runsandbox`) on a free port.
- dashboard: the dashboard as production runs it (gunicorn, DEBUG off, JSON logs).
- fault_proxy: an HTTP proxy between the dashboard and the sandbox that loses answers on purpose.
- services: a throwaway PostgreSQL database and a private Redis key prefix.
- html_forms: the login form and other forms, posted as a browser without JavaScript would.
- ports: a free loopback port.

tests/fixtures/ turns them into pytest fixtures; bench/ and loadtests/ use them as they are.
"""
