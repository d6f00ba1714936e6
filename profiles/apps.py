from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"

    def ready(self) -> None:
        from profiles.readback import PROFILE
        from writes.kinds import register

        register(PROFILE)

        from profiles import audit_fields

        audit_fields.register()
