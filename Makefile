# The two commands: `make demo` (run it) and `make test` (prove it). Everything else supports them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SANDBOX_PORT ?= 8100
DASHBOARD_PORT ?= 8000
PYTEST_ARGS ?=
# Python writes compiled modules (__pycache__, ignored by git) even where the environment says not to:
# a test leg starts some 170 Python processes, and each one that compiles the project from source
# instead of reading it spends about 0.1 s of CPU, a test worker about 2.4 s (pytest's rewritten
# test modules are cached the same way).
unexport PYTHONDONTWRITEBYTECODE

# Test workers in parallel (pytest-xdist): the tests mostly wait on subprocesses and sockets, so more
# workers than cores pay. PYTEST_WORKERS=0 runs the suite in this one process.
PYTEST_WORKERS ?= 4

.PHONY: venv install messages demo sandbox worker serve test lint bench soak load screenshots clean

venv: $(PY)

$(PY):
	@interpreter=$$(scripts/find-python) && echo "Using $$interpreter" && "$$interpreter" -m venv $(VENV)

$(STAMP): requirements.txt requirements-test.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

# Translations are compiled here from locale/*/LC_MESSAGES/django.po (gettext's msgfmt); the .mo files
# are build output, not committed. --check refuses a catalogue whose placeholders do not match.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<

# axe-core (package.json), which the browser tests inject into pages to check accessibility: test-only
# JavaScript from npm, installed exactly as package-lock.json pins it into node_modules/ (never served).
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: apt-get install nodejs npm (axe-core for the browser tests)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(MO_FILES) $(AXE)

# After changing user-facing text: refresh the Chinese catalogue from the dashboard's code and templates
# (not the sandbox's API texts, tests or tools), then translate every new or fuzzy entry it marks.
# tests/unit/test_translations.py fails until none is left.
messages: install
	TESTING=1 $(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=sandbox \
		--ignore=tests --ignore=bench --ignore=loadtests --ignore=staticfiles --ignore=var --ignore=scripts \
		--ignore=node_modules

# Sandbox on :$(SANDBOX_PORT) and dashboard on :$(DASHBOARD_PORT), demo data and one user per role.
# DEBUG stays off: the demo shows the site's own error pages and serves static files through WhiteNoise.
demo: install
	@mkdir -p var
	DEMO_MODE=1 DEBUG=0 $(PY) manage.py migrate --noinput
	DEMO_MODE=1 DEBUG=0 $(PY) manage.py seed_demo
	DEMO_MODE=1 DEBUG=0 SANDBOX_PORT=$(SANDBOX_PORT) DASHBOARD_PORT=$(DASHBOARD_PORT) scripts/demo

# The sandbox alone, in the foreground.
sandbox: install
	$(PY) manage.py runsandbox --port $(SANDBOX_PORT)

# A background-job worker in the foreground (run several for more throughput; settings from the environment).
worker: install
	$(PY) manage.py jobs_worker --no-reload

# The dashboard as production runs it (gunicorn.conf.py, DEBUG off, JSON logs) on 127.0.0.1:$(DASHBOARD_PORT),
# after collectstatic and migrate. Settings from the environment; see README "Deploying".
serve: install
	PORT=$(DASHBOARD_PORT) PYTHON=$(PY) scripts/serve

# --dist loadgroup: tests marked xdist_group(name) share one worker (tests/fixtures/workers.py).
test: install
	TESTING=1 $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# ruff, then mypy with django-stubs: strict on the dashboard, devservers and the sandbox (each with its own
# settings, so the plugin sees its models), looser on tests, benchmarks and load runs (pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=telnyx_admin.settings TESTING=1 $(VENV)/bin/mypy profiles shortcodes audit writes jobs phone_numbers telnyx_admin devservers tests bench loadtests \
		scripts/screenshots.py
	DJANGO_SETTINGS_MODULE=sandbox.settings TESTING=1 $(VENV)/bin/mypy sandbox

bench: install
	TESTING=1 $(PY) -m bench $(BENCH)

# Fault soak (bounded): staff sessions through gunicorn while the sandbox injects 5xx, 429 bursts,
# dropped connections and latency, a proxy loses answers of applied writes, and (PostgreSQL) database
# connections are ended; exits non-zero on any 500, duplicate, applied write not audited success, or mismatch.
SOAK_ARGS ?= --duration 90
soak: install
	$(PY) -m loadtests.soak $(SOAK_ARGS)

# Load run (bounded): pages per second, p50/p95 and thread scaling under gunicorn with 50 ms Telnyx latency.
LOAD_ARGS ?=
load: install
	$(PY) -m loadtests.load $(LOAD_ARGS)

# The README's pictures (docs/screenshots/*-en|zh-hans-1280|390.png): a sandbox and the dashboard as
# production runs it, driven by Debian's Chromium; Chinese needs a CJK font (apt-get install fonts-noto-cjk).
screenshots: install
	$(PY) -m scripts.screenshots

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache .ruff_cache .mypy_cache .hypothesis
