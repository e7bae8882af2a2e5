"""Role helpers of the Forum workspace: who a user is, and what they may do.

Roles (design brief §2): secretariat administrator, secretariat staff, focal point (one member state),
delegate or expert (one member state), observer institution, and the public (no account or no active
membership). A user holds at most one active :class:`~dtforum.members.models.Membership`. Superusers count as
secretariat administrators, so that the first account made with ``createsuperuser`` can run the workspace.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

PUBLIC = "public"
_CACHE = "_dtforum_membership"


def membership_of(user):
    """The active membership of ``user``, or ``None`` (anonymous users, users without a role).

    Parameters
    ----------
    user : User or AnonymousUser

    Returns
    -------
    Membership or None
        Cached on the user object for the rest of the request.
    """
    from dtforum.members.models import Membership

    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, _CACHE):
        setattr(user, _CACHE, Membership.objects.select_related("economy", "observer", "authority")
                .filter(user=user, ended_at__isnull=True).first())
    return getattr(user, _CACHE)


def role_of(user) -> str:
    """The role code of ``user``: one of :class:`~dtforum.members.models.Role` or ``"public"``."""
    from dtforum.members.models import Role

    if user is not None and user.is_authenticated and user.is_superuser:
        return Role.SECRETARIAT_ADMIN
    membership = membership_of(user)
    return membership.role if membership else PUBLIC


def is_secretariat(user) -> bool:
    """True for secretariat administrators and staff (and superusers)."""
    from dtforum.members.models import SECRETARIAT_ROLES

    return role_of(user) in SECRETARIAT_ROLES


def is_secretariat_admin(user) -> bool:
    """True for secretariat administrators (and superusers)."""
    from dtforum.members.models import Role

    return role_of(user) == Role.SECRETARIAT_ADMIN


def is_member(user) -> bool:
    """True for every signed-in user with an active role: they may see contact details and member documents."""
    return role_of(user) != PUBLIC


def country_of(user):
    """The member state of a focal point or delegate, else ``None``."""
    from dtforum.members.models import COUNTRY_ROLES

    membership = membership_of(user)
    return membership.economy if membership and membership.role in COUNTRY_ROLES else None


def is_focal_point_of(user, economy) -> bool:
    """True when ``user`` is a focal point of ``economy`` (an :class:`Economy` or its primary key)."""
    from dtforum.members.models import Role

    own = country_of(user)
    economy_id = getattr(economy, "pk", economy)
    return role_of(user) == Role.FOCAL_POINT and own is not None and own.pk == economy_id


def require_secretariat(user) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` belongs to the secretariat.

    Raises
    ------
    PermissionDenied
        With a message in the active language.
    """
    if not is_secretariat(user):
        raise PermissionDenied(_("Only the Forum secretariat may do this."))


def require_acts_for(user, economy) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may act for ``economy``.

    The secretariat acts for every member state; a focal point only for its own. Everyone else acts for none.

    Parameters
    ----------
    user : User
    economy : Economy
        The member state concerned by the change.

    Raises
    ------
    PermissionDenied
        Naming the user's own member state and the one asked for, in the active language.
    """
    if is_secretariat(user) or is_focal_point_of(user, economy):
        return
    own = country_of(user)
    if own is not None:
        raise PermissionDenied(
            _("You act for %(own)s only; %(other)s is another member state.") % {"own": own.name, "other": economy.name}
        )
    raise PermissionDenied(_("Only the secretariat or a focal point of %(country)s may do this.")
                           % {"country": economy.name})
