"""Second factor (TOTP) required for the secretariat roles."""
from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from dtforum.core.permissions import is_secretariat

#: Pages a secretariat member without a second factor may still open: setting it up, and leaving.
_ALLOWED = ("mfa_", "account_logout", "account_reauthenticate", "set_language")


class SecondFactorRequiredMiddleware:
    """Send secretariat members who have not activated TOTP to the activation page of django-allauth.

    Once TOTP is active, allauth itself asks for the code at every sign-in, so the activation is what has to
    be enforced here. Other roles may activate it but are not required to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_secretariat(user) \
                and not is_mfa_enabled(user, ["totp"]):
            try:
                name = resolve(request.path_info).url_name or ""
            except Resolver404:
                name = ""
            if not name.startswith(_ALLOWED):
                return redirect("mfa_activate_totp")
        return self.get_response(request)
