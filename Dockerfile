# syntax=docker/dockerfile:1
# The dashboard's production image: gunicorn (gunicorn.conf.py) serving Django, static files served by
# WhiteNoise from the image. Settings come from the environment at run time (README "Deploying"):
# at least SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), CACHE_URL (Redis), TELNYX_API_KEY.
# Migrations are a separate step before the new version serves (compose.yaml's `migrate` service;
# elsewhere `docker run --rm --env-file ... IMAGE python manage.py migrate --noinput`).
ARG PYTHON_IMAGE=python:3.13-slim

# --- build: dependencies into a virtualenv; pip and its caches stay behind in this stage -------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
# Runtime dependencies only: the test, lint and benchmark tools never enter the image.
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

# --- messages: the translations compiled by gettext's msgfmt, so the runtime image needs no gettext ----
FROM ${PYTHON_IMAGE} AS messages
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY locale /locale
RUN find /locale -name django.po -exec sh -c 'msgfmt --check -o "${1%.po}.mo" "$1"' sh {} \;

# --- runtime -------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=telnyx_admin.settings \
    PORT=8000

# An unprivileged user with a fixed uid, so volume permissions and Kubernetes runAsNonRoot work.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY . /app
COPY --from=messages /locale /app/locale

# Hashed, compressed static files are built into the image, so every instance serves the same names.
# collectstatic needs settings, not secrets: the key below signs nothing and exists only in this step.
# Bytecode is compiled now because the app user cannot write next to the (root-owned) code.
RUN SECRET_KEY=collectstatic-only-not-a-secret DEBUG=0 python manage.py collectstatic --noinput --verbosity 0 \
    && python -m compileall -q /app \
    && mkdir -p /app/var && chown app:app /app/var

USER app
EXPOSE 8000

# Liveness over plain HTTP from inside the container, with a Host that ALLOWED_HOSTS accepts (the
# first entry); /healthz is exempt from the HTTPS redirect. Python's urllib, so the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r.urlopen(r.Request('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), headers={'Host': h}), timeout=4)"

CMD ["gunicorn", "-c", "gunicorn.conf.py", "telnyx_admin.wsgi"]
