from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dtforum.members"
    label = "members"
    verbose_name = "Member states"
