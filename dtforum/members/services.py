"""Write side of the members app: keep the ``Economy`` table in step with the reference data."""
from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from datetime import timedelta

import pandas as pd
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dtforum.core import permissions
from dtforum.core.audit import record_change
from dtforum.core.tasks import enqueue_templated
from dtforum.members.countries import OIC_MEMBERS, CountryResolver, UnresolvedCountry
from dtforum.members.models import (
    COUNTRY_ROLES,
    SECRETARIAT_ROLES,
    Economy,
    Invitation,
    Membership,
    Role,
)

_METADATA_COLUMNS = ("Country Code", "Region", "IncomeGroup")


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def sync_economies(
    wdi_metadata: pd.DataFrame | None = None, *, seen_codes: Iterable[str] = (), actor_label: str = "sync_economies"
) -> dict:
    """Create or update one ``Economy`` row per member, comparison economy and aggregate.

    Rows written: the 57 OIC members (kind ``member``, OIC group, names from ``oic_members.csv``), every code
    of the WDI country metadata frame and every code in ``seen_codes`` (kind ``aggregate`` when the resolver
    knows it as an aggregate or the metadata Region is empty, the World Bank convention; otherwise
    ``comparison``). World Bank region and income group come from the metadata when it is given; without it
    the stored values are left as they are. Display names come from :meth:`CountryResolver.names`.
    Idempotent: a second run with the same input changes nothing and records no audit event.

    Parameters
    ----------
    wdi_metadata : DataFrame, optional
        The WDI ``Metadata_Country_*.csv`` file as read, with columns ``Country Code``, ``Region`` and
        ``IncomeGroup`` (blank Region = aggregate).
    seen_codes : iterable of str
        Platform codes found by ingestion (output of :meth:`CountryResolver.resolve`).
    actor_label : str
        Label of the system job in the audit trail.

    Returns
    -------
    dict
        ``{"created": [iso3...], "updated": [iso3...], "unchanged": int}``.

    Raises
    ------
    KeyError
        If ``wdi_metadata`` lacks one of the columns above (named in the message).
    UnresolvedCountry
        If a metadata code or a seen code is not a platform code (all listed at once).
    """
    resolver = CountryResolver.default()
    region: dict[str, tuple[str, str]] = {}
    if wdi_metadata is not None:
        missing = [c for c in _METADATA_COLUMNS if c not in wdi_metadata.columns]
        if missing:
            raise KeyError(f"WDI country metadata frame lacks column(s) {missing}; has {list(wdi_metadata.columns)}")
        codes = resolver.resolve_many(
            ((code, None) for code in wdi_metadata["Country Code"]), where="WDI country metadata"
        )
        for code, reg, income in zip(codes, wdi_metadata["Region"], wdi_metadata["IncomeGroup"]):
            region[code] = (_text(reg), _text(income))
    seen = list(seen_codes)
    unknown = [(code, None, "seen_codes") for code in seen if not resolver.is_known(code)]
    if unknown:
        raise UnresolvedCountry(unknown)

    wanted: dict[str, dict] = {}
    for code in [*OIC_MEMBERS, *region, *seen]:
        names = resolver.names(code)
        if code in OIC_MEMBERS:
            kind = Economy.Kind.MEMBER
        elif resolver.is_aggregate(code) or (code in region and not region[code][0]):
            kind = Economy.Kind.AGGREGATE
        else:
            kind = Economy.Kind.COMPARISON
        fields = {
            "kind": kind,
            "iso2": "" if kind == Economy.Kind.AGGREGATE else resolver.iso2(code),
            "m49": resolver.m49(code),
            "name_en": names["en"],
            "name_fr": names["fr"],
            "name_ar": names["ar"],
            "oic_group": OIC_MEMBERS.get(code, ""),
        }
        if code in region:
            fields["wb_region"], fields["income_group"] = region[code]
        wanted[code] = fields

    created: list[str] = []
    updated: list[str] = []
    with transaction.atomic():
        existing = {e.iso3: e for e in Economy.objects.select_for_update(of=("self",)).filter(iso3__in=wanted)}
        for code, fields in wanted.items():
            economy = existing.get(code)
            if economy is None:
                Economy.objects.create(iso3=code, **fields)
                created.append(code)
                continue
            changed = [name for name, value in fields.items() if getattr(economy, name) != value]
            if changed:
                for name in changed:
                    setattr(economy, name, fields[name])
                economy.save(update_fields=changed)
                updated.append(code)
        result = {"created": created, "updated": updated, "unchanged": len(wanted) - len(created) - len(updated)}
        if created or updated:
            record_change(
                action="members.sync_economies",
                object_type="members.Economy",
                after={"created": created, "updated": updated},
                actor_label=actor_label,
            )
    return result


# --- Roles and invitations (Forum workspace) ------------------------------------------------------------

INVITATION_SALT = "dtforum.members.invitation"


def snapshot(instance, fields: Iterable[str] | None = None) -> dict:
    """JSON-safe state of a model instance for the audit trail (``before`` / ``after``).

    Parameters
    ----------
    instance : Model
    fields : iterable of str, optional
        Concrete field names to keep (default: every concrete field). Foreign keys are stored as their primary
        key, dates as ISO 8601, files as their stored name.

    Returns
    -------
    dict
    """

    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = field.value_from_object(instance)
        data[field.name] = value.name if field.get_internal_type() == "FileField" else value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _check_role_scope(role: str, economy, observer) -> None:

    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)r.") % {"role": role}})
    if role in COUNTRY_ROLES and (economy is None or economy.kind != Economy.Kind.MEMBER):
        raise ValidationError({"economy": _("A focal point or delegate belongs to one OIC member state.")})
    if role not in COUNTRY_ROLES and economy is not None:
        raise ValidationError({"economy": _("Only focal points and delegates belong to a member state.")})
    if (role == Role.OBSERVER) != (observer is not None):
        raise ValidationError({"observer": _("The observer institution is required for the observer role, "
                                             "and only for it.")})


def check_invitation(actor, *, email: str, role: str, economy=None, observer=None) -> str:
    """Validate an invitation without storing it (used by :func:`create_invitation` and the admin form).

    Returns
    -------
    str
        The normalised (lower-case) address.

    Raises
    ------
    PermissionDenied, ValidationError
        As :func:`create_invitation`.
    """

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("%(email)r is not an e-mail address.") % {"email": email}}) from None
    _check_role_scope(role, economy, observer)
    if role in SECRETARIAT_ROLES and not permissions.is_secretariat_admin(actor):
        raise PermissionDenied(_("Only a secretariat administrator may invite secretariat members."))
    if not permissions.is_secretariat(actor):
        if role != Role.DELEGATE:
            raise PermissionDenied(_("A focal point may invite delegates and experts only."))
        permissions.require_acts_for(actor, economy)
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s already has an account.") % {"email": email}})
    return email


@transaction.atomic
def create_invitation(actor, *, email: str, role: str, economy=None, observer=None, language: str = "en",
                      valid_days: int = 14, send: bool = True):
    """Invite one person to sign up with ``role``; e-mail them the single-use link.

    The secretariat invites anyone (only a secretariat administrator invites secretariat members); a focal
    point invites delegates of its own member state only.

    Parameters
    ----------
    actor : User
        Who invites.
    email : str
        Address of the invited person; it must not belong to an account yet.
    role : str
        A :class:`~dtforum.members.models.Role` value.
    economy : Economy, optional
        Member state, required for focal points and delegates.
    observer : ObserverInstitution, optional
        Required for the observer role.
    language : str
        Language of the e-mail and of the future account (``en``, ``fr``, ``ar``).
    valid_days : int
        Days before the link expires.
    send : bool
        Send the e-mail: rendered here in ``language``, sent by the task
        :func:`dtforum.core.tasks.send_email` (at once in-process, or by a worker with the database queue, where
        the queued task commits or rolls back together with the invitation).

    Returns
    -------
    tuple of (Invitation, str)
        The stored invitation and the path of its sign-up link (``/<lang>/accounts/invitation/<token>/``).

    Raises
    ------
    PermissionDenied
        When ``actor`` may not invite this role for this member state.
    ValidationError
        Role and member state or institution do not fit, or the address already has an account.
    """

    email = check_invitation(actor, email=email, role=role, economy=economy, observer=observer)
    invitation = Invitation.objects.create(
        key=secrets.token_hex(32), email=email, role=role, economy=economy, observer=observer,
        language=language if language in {"en", "fr", "ar"} else "en", invited_by=actor,
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    record_change(action="invitation.create", object_type="members.Invitation", object_id=invitation.pk,
                  after=snapshot(invitation, ["email", "role", "economy", "observer", "expires_at"]), actor=actor)
    path = invitation_path(invitation)
    if send:
        with translation.override(invitation.language):
            context = {"role": invitation.get_role_display(), "country": economy.name if economy else "",
                       "path": path, "expires_at": invitation.expires_at}
        enqueue_templated("members/email/invitation", [email], context, invitation.language)
    return invitation, path


def invitation_path(invitation) -> str:
    """Path of the sign-up link of ``invitation``, in its language."""

    token = signing.dumps(invitation.key, salt=INVITATION_SALT)
    with translation.override(invitation.language):
        return reverse("members:invitation", kwargs={"token": token})


def invitation_from_token(token: str):
    """The open invitation a signed token stands for.

    Parameters
    ----------
    token : str
        The token of the e-mailed link.

    Returns
    -------
    Invitation

    Raises
    ------
    ValidationError
        Token altered or unknown, invitation already used, revoked or expired (message in the active language).
    """

    try:
        key = signing.loads(token, salt=INVITATION_SALT)
        invitation = Invitation.objects.select_related("economy", "observer").get(key=key)
    except (signing.BadSignature, Invitation.DoesNotExist):
        raise ValidationError(_("This invitation link is not valid.")) from None
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation has been withdrawn by the secretariat."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation expired on %(date)s.") % {"date": f"{invitation.expires_at:%Y-%m-%d}"})
    return invitation


@transaction.atomic
def accept_invitation(invitation, user):
    """Give ``user`` the role of ``invitation`` and close the invitation (single use).

    Parameters
    ----------
    invitation : Invitation
        Open invitation (see :func:`invitation_from_token`).
    user : User
        The account just created with the invited address.

    Returns
    -------
    Membership

    Raises
    ------
    ValidationError
        The invitation was used meanwhile, or the account's address is not the invited one.
    """

    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if user.email.strip().lower() != invitation.email:
        raise ValidationError({"email": _("This invitation is for %(email)s.") % {"email": invitation.email}})
    membership = grant_role(invitation.invited_by, user, invitation.role, economy=invitation.economy,
                            observer=invitation.observer, language=invitation.language, _checked=True)
    before = snapshot(invitation, ["accepted_at", "accepted_by"])
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_change(action="invitation.accept", object_type="members.Invitation", object_id=invitation.pk,
                  before=before, after=snapshot(invitation, ["accepted_at", "accepted_by"]), actor=user)
    return membership


@transaction.atomic
def grant_role(actor, user, role: str, *, economy=None, observer=None, authority=None, language: str = "en",
               title: str = "", _checked: bool = False):
    """Give ``user`` a role, ending their previous membership (kept for the record).

    Secretariat roles also make the user ``is_staff`` so that they reach the administration; the second factor
    is then required (:class:`~dtforum.members.middleware.SecondFactorRequiredMiddleware`).

    Parameters
    ----------
    actor : User or None
        Who grants (``None`` for system jobs such as ``load_demo``); must be a secretariat administrator
        unless the call comes from an accepted invitation.
    user : User
    role : str
    economy, observer, authority : optional
        As for :func:`create_invitation`; ``authority`` must belong to ``economy``.
    language, title : str

    Returns
    -------
    Membership

    Raises
    ------
    PermissionDenied, ValidationError
    """

    if not _checked and actor is not None and not permissions.is_secretariat_admin(actor):
        raise PermissionDenied(_("Only a secretariat administrator may change roles."))
    _check_role_scope(role, economy, observer)
    if authority is not None and authority.economy_id != getattr(economy, "pk", None):
        raise ValidationError({"authority": _("The competent authority belongs to another member state.")})
    for old in Membership.objects.select_for_update(of=("self",)).filter(user=user, ended_at__isnull=True):
        before = snapshot(old)
        old.ended_at = timezone.now()
        old.save(update_fields=["ended_at"])
        record_change(action="membership.end", object_type="members.Membership", object_id=old.pk,
                      before=before, after=snapshot(old), actor=actor, actor_label="" if actor else "system")
    membership = Membership.objects.create(user=user, role=role, economy=economy, observer=observer,
                                           authority=authority, language=language, title=title)
    staff = role in SECRETARIAT_ROLES
    if user.is_staff != staff and not user.is_superuser:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_dtforum_membership", None)
    record_change(action="membership.create", object_type="members.Membership", object_id=membership.pk,
                  after=snapshot(membership), actor=actor, actor_label="" if actor else "system")
    return membership
