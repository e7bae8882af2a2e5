"""The one helper through which every change of record is written to the audit trail."""
from __future__ import annotations

from typing import Any

from dtforum.core.models import AuditEvent


def record_change(
    *,
    action: str,
    object_type: str,
    object_id: str = "",
    before: Any = None,
    after: Any = None,
    actor=None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the audit trail.

    Parameters
    ----------
    action : str
        Verb of the change, e.g. ``"ingest.source"`` or ``"edition.compute"``.
    object_type, object_id : str
        What was changed (model label and primary key or natural key).
    before, after : JSON-serialisable, optional
        State of the record before and after the change (``None`` for creation / summary events).
    actor : User, optional
        The signed-in user; ``None`` for system jobs, which pass ``actor_label`` instead.

    Returns
    -------
    AuditEvent
        The stored event. Call it inside the same transaction as the change so both commit or neither.
    """
    return AuditEvent.objects.create(
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        actor=actor,
        actor_label=actor_label,
    )
