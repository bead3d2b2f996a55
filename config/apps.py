"""The project's own start-up: what every process (web server, task worker, command) needs once."""

from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "config"
    label = "pramen_project"
    verbose_name = "Pramen"

    def ready(self) -> None:
        from config import health

        # The queue's ages for /healthz are noted by huey signal handlers, in the web process
        # (enqueueing) and in the worker (starting tasks) alike.
        health.install_queue_probes()
