from django.apps import AppConfig


class ShortcodesConfig(AppConfig):
    name = "shortcodes"

    def ready(self) -> None:
        from shortcodes.readback import SHORT_CODE
        from writes.kinds import register

        register(SHORT_CODE)

        from shortcodes import audit_fields

        audit_fields.register()
