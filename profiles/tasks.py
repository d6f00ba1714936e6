"""Background tasks of the profiles app (run by `manage.py jobs_worker`)."""

from __future__ import annotations

from django.tasks import task

from profiles import catalog


@task()
def rebuild_profile_catalog(key: str) -> int:
    """Reload every profile into the catalog under `key` (a stale catalog is served meanwhile)."""
    return catalog.rebuild(key)
