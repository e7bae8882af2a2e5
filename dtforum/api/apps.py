"""Application configuration of the read-only API."""
from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The ``dtforum.api`` application: no models, only read-only views over the observatory's."""

    name = "dtforum.api"
    label = "dtforum_api"
    verbose_name = "API"
