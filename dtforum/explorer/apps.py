from django.apps import AppConfig


class ExplorerConfig(AppConfig):
    """The explorer app: interactive pages over the stored editions and observations."""

    name = "dtforum.explorer"
    label = "explorer"
    default_auto_field = "django.db.models.BigAutoField"
