from django.apps import AppConfig


class WritesConfig(AppConfig):
    name = "writes"
    verbose_name = "write path"
