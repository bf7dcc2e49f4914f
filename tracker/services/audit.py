"""The audit trail: every write appends who, when, what, old → new. Nothing here edits or deletes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from tracker.models import AuditEntry
from tracker.services.auth import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    task_id: int | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    detail: str = "",
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor.login,
        action=action,
        entity=entity,
        entity_id=entity_id,
        task_id=task_id,
        old=_plain(old) if old is not None else None,
        new=_plain(new) if new is not None else None,
        detail=detail[:500],
    )
    session.add(entry)
    return entry


def list_entries(
    session: Session,
    *,
    task_id: int | None = None,
    actor_login: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    query = select(AuditEntry)
    if task_id is not None:
        query = query.where(AuditEntry.task_id == task_id)
    if actor_login:
        query = query.where(AuditEntry.actor == actor_login)
    if since is not None:
        query = query.where(col(AuditEntry.at) >= since)
    query = query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    if limit:
        query = query.limit(limit)
    return list(session.exec(query).all())
