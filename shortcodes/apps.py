from django.apps import AppConfig


class ShortcodesConfig(AppConfig):
    name = "shortcodes"
