"""Pages of the members app: accepting an invitation, the directory, inviting delegates."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dtforum.core import permissions
from dtforum.members import selectors, services
from dtforum.members.adapters import SESSION_KEY
from dtforum.members.models import Economy, ObserverInstitution, Role


def _context(request, **extra):
    from dtforum.forum.views import page_context

    return page_context(request, **extra)


def invitation(request, token: str):
    """Open an invitation link: remember it in the session and go to the sign-up form, or explain why not."""
    if request.user.is_authenticated:
        return render(request, "members/invitation_invalid.html",
                      _context(request, reason=_("You are already signed in; sign out to accept an invitation.")),
                      status=400)
    try:
        invited = services.invitation_from_token(token)
    except ValidationError as error:
        return render(request, "members/invitation_invalid.html", _context(request, reason=error.messages[0]),
                      status=400)
    request.session[SESSION_KEY] = token
    messages.info(request, _("Create your account with the invited address %(email)s.") % {"email": invited.email})
    return redirect("account_signup")


def directory(request):
    """Member states with their competent authorities, focal points and delegates; observer institutions.

    Contact details (e-mail, telephone) and people are shown to signed-in members only.
    """
    member = permissions.is_member(request.user)
    return render(request, "members/directory.html", _context(
        request, states=selectors.directory(with_people=member), observers=selectors.observer_institutions(),
        show_contacts=member))


@login_required
def invite(request):
    """Invite a person: focal points invite delegates of their own member state, the secretariat anyone."""
    secretariat = permissions.is_secretariat(request.user)
    own = permissions.country_of(request.user)
    if not secretariat and permissions.role_of(request.user) != Role.FOCAL_POINT:
        raise PermissionDenied(_("Only the secretariat and focal points may invite."))
    if request.method == "POST":
        economy = observer = None
        if request.POST.get("economy"):
            economy = get_object_or_404(Economy, iso3=request.POST["economy"])
        if request.POST.get("observer"):
            observer = get_object_or_404(ObserverInstitution, pk=request.POST["observer"])
        try:
            _invitation, _path = services.create_invitation(
                request.user, email=request.POST.get("email", ""), role=request.POST.get("role", Role.DELEGATE),
                economy=economy, observer=observer, language=request.POST.get("language", "en"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("members:invite")
    roles = Role.choices if secretariat else [(Role.DELEGATE.value, Role.DELEGATE.label)]
    states = Economy.objects.filter(kind=Economy.Kind.MEMBER) if secretariat else [own]
    return render(request, "members/invite.html", _context(
        request, roles=roles, states=states, observers=ObserverInstitution.objects.filter(is_active=True)
        if secretariat else []))
