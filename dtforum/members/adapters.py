"""django-allauth adapter: sign-up only through a valid invitation (allauth has no invitation flow of its own)."""
from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dtforum.members import services

#: Session key holding the signed token of the invitation being accepted.
SESSION_KEY = "dtforum.invitation_token"


def pending_invitation(request):
    """The open invitation whose token the visitor opened in this session, or ``None``."""
    token = request.session.get(SESSION_KEY) if request is not None else None
    if not token:
        return None
    try:
        return services.invitation_from_token(token)
    except ValidationError:
        return None


class InvitationAccountAdapter(DefaultAccountAdapter):
    """Open for sign-up only with a valid invitation; the account takes the invited address and role."""

    def is_open_for_signup(self, request) -> bool:
        """True only while the session holds a valid, unused, unexpired invitation."""
        return pending_invitation(request) is not None

    def clean_email(self, email: str) -> str:
        """Refuse any address other than the invited one.

        Raises
        ------
        ValidationError
            Naming the invited address.
        """
        invitation = pending_invitation(self.request)
        if invitation is not None and email.strip().lower() != invitation.email:
            raise ValidationError(_("This invitation is for %(email)s.") % {"email": invitation.email})
        return super().clean_email(email)

    def save_user(self, request, user, form, commit=True):
        """Create the account, then give it the invited role and close the invitation (one transaction)."""
        from django.db import transaction

        invitation = pending_invitation(request)
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid."))
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=True)
            services.accept_invitation(invitation, user)
        request.session.pop(SESSION_KEY, None)
        return user
