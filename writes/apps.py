from django.apps import AppConfig


class WritesConfig(AppConfig):
    name = "writes"
    verbose_name = "write path"

    def ready(self) -> None:
        from django.conf import settings

        from jobs.periodic import Periodic, register
        from writes.job_rows import settle_unknown_rows
        from writes.reconcile import reconcile_open

        # Every job worker reads back writes whose answer was lost (as `manage.py reconcile_writes`).
        register(
            Periodic(
                name="reconcile_writes",
                interval=lambda: float(settings.WRITES_RECONCILE_INTERVAL),
                run=reconcile_open,
            )
        )
        # ... and then gives job rows left "unknown" the outcome their entries were given.
        register(
            Periodic(
                name="settle_job_rows",
                interval=lambda: float(settings.WRITES_RECONCILE_INTERVAL),
                run=settle_unknown_rows,
            )
        )
