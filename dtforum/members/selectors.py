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
