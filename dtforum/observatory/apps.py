from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "dtforum.observatory"
    label = "observatory"
    verbose_name = "Observatory"
