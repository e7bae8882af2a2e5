from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dtforum.core"
    label = "core"
    verbose_name = "Core"
