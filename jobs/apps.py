from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs: the job model, its pages, the runner and the worker command."""

    name = "jobs"
    verbose_name = "Background jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every app's job kinds, registered in the web process and in each worker alike.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("job_kinds")
