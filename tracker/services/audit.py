"""The audit trail: every write appends who, when, what, old → new. Nothing here edits or deletes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from tracker.domain.status import status_label
from tracker.models import AuditEntry, now
from tracker.services.auth import ROLE_LABELS, Actor


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
    if actor.via:
        # --as: the row names the user acted for and the admin who really did it.
        detail = f"{detail[:400]}（由 {actor.via} 代为操作）" if detail else f"由 {actor.via} 代为操作"
    entry = AuditEntry(
        at=now(),  # the module's clock: tests that compare screens fix it
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


# How a row reads to a person (tracker log, the TUI task detail).
ACTION_LABELS = {
    "progress": "记录进展",
    "status": "变更状态",
    "deadline": "调整时限",
    "assign": "责任单位",
    "recurrence": "设定周期",
    "instruction": "领导批示",
    "import": "导入计划",
    "user.add": "添加用户",
    "user.disable": "停用用户",
    "user.password": "修改密码",
    "restore": "恢复数据库",
    "load": "载入数据库",
}
FIELD_LABELS = {
    "status": "状态",
    "percent": "进度",
    "deadline": "时限",
    "owners": "责任单位",
    "recurrence": "周期",
    "active": "启用",
    "role": "角色",
    "departments": "部门",
    "text": "内容",
    "note": "进展",
    "password": "密码",
    "source": "来源",
    "login": "登录名",
    "display_name": "姓名",
    "title": "标题",
    "year": "年度",
    "tasks": "任务数",
    "rows": "行数",
    "from": "原数据库",
}
ENTITY_LABELS = {"user": "用户", "plan": "计划", "task": "任务", "database": "数据库", "department": "部门"}
_HIDDEN = {"version", "update_id", "figures"}


def _value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "空"
    if key == "status":
        return status_label(str(value))
    if key == "percent":
        return f"{value}%"
    if key == "role":
        return ROLE_LABELS.get(str(value), str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "空"
    return str(value)


def describe_change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> str:
    """old → new for the keys a person cares about: 状态 推进中 → 已完成；进度 40% → 100%."""
    old, new = old or {}, new or {}
    parts = []
    for key in [k for k in new if k not in _HIDDEN] + [k for k in old if k not in new and k not in _HIDDEN]:
        label = FIELD_LABELS.get(key, key)
        if key in old and key in new:
            if old[key] == new[key]:
                continue
            parts.append(f"{label} {_value(key, old[key])} → {_value(key, new[key])}")
        elif key in new:
            parts.append(f"{label} {_value(key, new[key])}")
        else:
            parts.append(f"{label} {_value(key, old[key])} → 空")
    return "；".join(parts)


def describe(entry: AuditEntry, names: Mapping[str, str] | None = None) -> str:
    """One line for a person: 2022-06-30 10:05 sfj 记录进展：状态 未开始 → 推进中；进度 0% → 30%.

    ``names``: login → display name, to name the actor as people know them (the login when absent)."""
    when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
    change = describe_change(entry.old, entry.new)
    who = (names or {}).get(entry.actor) or entry.actor
    text = f"{when} {who} {ACTION_LABELS.get(entry.action, entry.action)}"
    if change:
        text += f"：{change}"
    if entry.detail and "代为操作" in entry.detail:
        text += f"（{entry.detail.rsplit('（', 1)[-1]}"
    return text
