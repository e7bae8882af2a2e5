"""Read side of the members app."""
from __future__ import annotations

import pandas as pd
from django.db.models import QuerySet

from dtforum.members.models import Economy


def member_states() -> QuerySet[Economy]:
    """The OIC member states stored by :func:`dtforum.members.services.sync_economies`, by English name.

    Returns
    -------
    QuerySet of Economy
        57 rows once the table is synced.
    """
    return Economy.objects.filter(kind=Economy.Kind.MEMBER).order_by("name_en")


def economy_groups() -> pd.DataFrame:
    """Grouping variables of every stored economy, for peer groups and group-mean imputation.

    Returns
    -------
    DataFrame
        Indexed by ``iso3`` (sorted), columns ``oic_group``, ``income_group``, ``wb_region``, ``kind``. A blank
        group is ``NaN`` (not ``""``) so that group-wise operations leave such units out of every group
        rather than pooling them into a group named "".
    """
    columns = ["iso3", "oic_group", "income_group", "wb_region", "kind"]
    frame = pd.DataFrame.from_records(Economy.objects.values_list(*columns), columns=columns)
    frame = frame.set_index("iso3").sort_index()
    return frame.where(frame != "")


def directory(*, with_people: bool) -> list[dict]:
    """The member states with their competent authorities and (for members) focal points and delegates.

    Parameters
    ----------
    with_people : bool
        Include the people (focal points, delegates); only signed-in members may see them.

    Returns
    -------
    list of dict
        One ``{"economy", "authorities", "focal_points", "delegates"}`` per member state, by English name.
    """
    from dtforum.members.models import CompetentAuthority, Membership, Role

    authorities: dict[int, list] = {}
    for authority in CompetentAuthority.objects.filter(is_active=True):
        authorities.setdefault(authority.economy_id, []).append(authority)
    people: dict[tuple[int, str], list] = {}
    if with_people:
        for m in Membership.objects.filter(ended_at__isnull=True, economy__isnull=False).select_related("user"):
            people.setdefault((m.economy_id, m.role), []).append(m)
    return [{"economy": e, "authorities": authorities.get(e.pk, []),
             "focal_points": people.get((e.pk, Role.FOCAL_POINT), []),
             "delegates": people.get((e.pk, Role.DELEGATE), [])} for e in member_states()]


def observer_institutions():
    """Active observer institutions, by acronym."""
    from dtforum.members.models import ObserverInstitution

    return ObserverInstitution.objects.filter(is_active=True)
