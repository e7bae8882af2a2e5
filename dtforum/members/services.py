"""Write side of the members app: keep the ``Economy`` table in step with the reference data."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from django.db import transaction

from dtforum.core.audit import record_change
from dtforum.members.countries import OIC_MEMBERS, CountryResolver, UnresolvedCountry
from dtforum.members.models import Economy

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
        existing = {e.iso3: e for e in Economy.objects.select_for_update().filter(iso3__in=wanted)}
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
