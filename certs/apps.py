from django.apps import AppConfig


class CertsConfig(AppConfig):
    name = "certs"
    verbose_name = "Certifications"

    def ready(self):
        from .caching import connect_signals

        connect_signals()
