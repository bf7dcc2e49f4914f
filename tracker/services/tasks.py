"""Tasks: listing with filters, the detail view, recording progress, assigning owners and deadlines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.domain import schedule
from tracker.domain import targets as target_rules
from tracker.domain.status import Status, parse_status, status_label
from tracker.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from tracker.models import (
    AuditEntry,
    Instruction,
    Plan,
    ProgressUpdate,
    Target,
    TargetFigure,
    Task,
    TaskOwner,
    User,
    now,
)
from tracker.services import audit
from tracker.services.auth import Actor, require_admin, require_lead, require_owner
from tracker.services.departments import find_department
from tracker.services.plans import build_search_text

# Task lists live with the lean read path; re-exported for callers of this module.
from tracker.services.task_list import OwnerView as OwnerView
from tracker.services.task_list import TaskRow as TaskRow
from tracker.services.task_list import list_tasks as list_tasks
from tracker.services.task_list import owners_of as owners_of

ROLE_LABELS = {"lead": "牵头", "support": "配合"}
AUDIT_SHOWN = 30  # the detail view shows the newest changes; tracker log TASK shows them all
OWNER_SOURCE_LABELS = {"text": "原文明确", "suggested": "系统建议", "assigned": "人工指定", "carried": "沿用上年"}
DEADLINE_SOURCE_LABELS = {"text": "原文", "default": "默认年底", "assigned": "人工设定"}


@dataclass
class TargetView:
    id: int
    name: str
    value: float
    unit: str
    text: str
    latest: float | None = None
    latest_at: datetime | None = None
    at_most: bool = False  # an upper limit (控制在10%以内) rather than a goal to reach

    @property
    def met(self) -> bool | None:
        """None when nothing was reported; a goal is met at or above its value, an upper limit at or below."""
        if self.latest is None:
            return None
        return target_rules.is_met(self.latest, self.value, at_most=self.at_most)

    @property
    def goal(self) -> str:
        """不超过10% for an upper limit, 100% for a goal."""
        return target_rules.goal_text(f"{self.value:g}{self.unit}", at_most=self.at_most)

    @property
    def met_label(self) -> str | None:
        """已达到/未达到 a goal, 未超过/已超过 an upper limit; None when nothing was reported."""
        met = self.met
        return None if met is None else target_rules.met_label(met, at_most=self.at_most)


@dataclass
class UpdateView:
    update: ProgressUpdate
    figures: dict[str, float] = field(default_factory=dict)


@dataclass
class TaskDetail:
    row: TaskRow
    text: str
    documents: list[str]
    deadline_text: str | None
    deadline_vague: bool
    recurrence_text: str | None
    recurrence_flagged: bool
    plan_title: str
    targets: list[TargetView]
    updates: list[UpdateView]  # newest first
    instructions: list[Instruction]
    expected_percent: float
    audit: list[str] = field(default_factory=list)  # who changed what, newest first (tracker log TASK)
    names: dict[str, str] = field(default_factory=dict)  # login → display name, for the authors shown here

    def name_of(self, login: str) -> str:
        """What a person reads for who wrote a record: the user's display name, else the login."""
        return self.names.get(login) or login

    def to_json(self) -> dict[str, Any]:
        out = self.row.to_json()
        out.update(
            text=self.text,
            documents=self.documents,
            deadline_text=self.deadline_text,
            deadline_vague=self.deadline_vague,
            recurrence_text=self.recurrence_text,
            recurrence_flagged=self.recurrence_flagged,
            plan_title=self.plan_title,
            expected_percent=round(self.expected_percent, 1),
            targets=[
                {
                    "name": t.name,
                    "value": t.value,
                    "unit": t.unit,
                    "at_most": t.at_most,
                    "latest": t.latest,
                    "met": t.met,
                }
                for t in self.targets
            ],
            updates=[
                {
                    "id": u.update.id,
                    "as_of": u.update.as_of.isoformat(),
                    "recorded_at": u.update.recorded_at.isoformat(),
                    "author": u.update.author,
                    "author_name": self.name_of(u.update.author),
                    "status": u.update.status,
                    "percent": u.update.percent,
                    "note": u.update.note,
                    "problems": u.update.problems,
                    "next_steps": u.update.next_steps,
                    "evidence": u.update.evidence,
                    "reason": u.update.reason,
                    "new_deadline": u.update.new_deadline.isoformat() if u.update.new_deadline else None,
                    "figures": u.figures,
                    "source": u.update.source,
                }
                for u in self.updates
            ],
            instructions=[
                {
                    "author": i.author,
                    "author_name": self.name_of(i.author),
                    "text": i.text,
                    "created_at": i.created_at.isoformat(),
                }
                for i in self.instructions
            ],
            audit=self.audit,
        )
        return out


def get_task(session: Session, *, task_id: int | str) -> Task:
    try:
        number = int(str(task_id).strip().lstrip("#"))
    except ValueError:
        raise ValidationError(f"任务编号应为数字，而不是“{task_id}”", field="task") from None
    task = session.get(Task, number)
    if task is None:
        raise NotFoundError(f"没有编号为 {number} 的任务（用 tracker tasks 查看任务编号）")
    return task


def get_task_detail(session: Session, *, task_id: int | str, today: date) -> TaskDetail:
    task = get_task(session, task_id=task_id)
    [row] = list_tasks(session, today=today, task_ids=[task.id or 0], all_plans=True)
    plan = session.get(Plan, task.plan_id)
    assert plan is not None
    targets = [
        TargetView(t.id or 0, t.name, t.value, t.unit, t.text, at_most=t.at_most)
        for t in session.exec(select(Target).where(Target.task_id == task.id).order_by(col(Target.position))).all()
    ]
    updates = [
        UpdateView(u)
        for u in session.exec(
            select(ProgressUpdate)
            .where(ProgressUpdate.task_id == task.id)
            .order_by(col(ProgressUpdate.recorded_at).desc(), col(ProgressUpdate.id).desc())
        ).all()
    ]
    by_update = {u.update.id: u for u in updates}
    target_by_id = {t.id: t for t in targets}
    if updates:
        figure_rows = session.exec(
            select(TargetFigure).where(col(TargetFigure.update_id).in_(list(by_update)))
        ).all()
        for fig in figure_rows:
            target = target_by_id.get(fig.target_id)
            if target is None:
                continue
            view = by_update[fig.update_id]
            view.figures[target.name] = fig.value
            if target.latest_at is None or view.update.recorded_at > target.latest_at:
                target.latest, target.latest_at = fig.value, view.update.recorded_at
    instructions = list(
        session.exec(
            select(Instruction).where(Instruction.task_id == task.id).order_by(col(Instruction.created_at).desc())
        ).all()
    )
    start = task.start_date or (task.deadline.replace(month=1, day=1) if task.deadline else today)
    entries = audit.list_entries(session, task_id=task.id, limit=AUDIT_SHOWN)
    logins = {u.update.author for u in updates} | {i.author for i in instructions} | {e.actor for e in entries}
    names = (
        {
            login: name
            for login, name in session.exec(
                select(User.login, User.display_name).where(col(User.login).in_(sorted(logins)))
            ).all()
            if name
        }
        if logins
        else {}
    )
    return TaskDetail(
        row=row,
        text=task.text,
        documents=list(task.documents or []),
        deadline_text=task.deadline_text,
        deadline_vague=task.deadline_vague,
        recurrence_text=task.recurrence_text,
        recurrence_flagged=task.recurrence_flagged,
        plan_title=plan.title,
        targets=targets,
        updates=updates,
        instructions=instructions,
        expected_percent=schedule.expected_percent(start, task.deadline, today) if task.deadline else 0.0,
        audit=[audit.describe(e, names) for e in entries],
        names=names,
    )


def _owner_ids(session: Session, task_id: int) -> tuple[set[int], set[int]]:
    leads: set[int] = set()
    supports: set[int] = set()
    for dept_id, role in session.exec(
        select(TaskOwner.department_id, TaskOwner.role).where(TaskOwner.task_id == task_id)
    ).all():
        (leads if role == "lead" else supports).add(dept_id)
    return leads, supports


def _bump_version(session: Session, task: Task, expected_version: int | None, values: dict[str, Any]) -> int:
    """Compare-and-swap on the task's version, so two saves of the same task cannot both win."""
    assert task.id is not None
    stmt = sa.update(Task).where(col(Task.id) == task.id)
    if expected_version is not None:
        stmt = stmt.where(col(Task.version) == expected_version)
    stmt = stmt.values(version=col(Task.version) + 1, updated_at=now(), **values)
    result = session.execute(stmt)
    if result.rowcount == 0:  # type: ignore[attr-defined]
        current = session.exec(select(Task.version).where(Task.id == task.id)).one()
        raise ConflictError(
            "保存失败：在您编辑期间，其他人已更新了该任务。您填写的内容已保留，请查看以下变化后重新保存。",
            changes=changes_since(session, task_id=task.id, version=expected_version or 0),
            current_version=current,
        )
    session.refresh(task)
    return task.version


def changes_since(session: Session, *, task_id: int, version: int) -> list[str]:
    """What others changed on a task after the given version, for the conflict message.

    Walks the task's audit rows newest first and stops at the user's version, so a long history costs
    nothing more.
    """
    lines = []
    query = (
        select(AuditEntry)
        .where(AuditEntry.task_id == task_id)
        .order_by(col(AuditEntry.id).desc())
        .execution_options(yield_per=50)
    )
    for entry in session.exec(query):
        new = entry.new or {}
        if "version" not in new:
            continue
        if int(new["version"]) <= version:
            break
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
        parts = [f"{entry.actor} 于 {when}"]
        if "status" in new:
            parts.append(f"状态 {status_label(str(new['status']))}")
        if "percent" in new:
            parts.append(f"进度 {new['percent']}%")
        if new.get("note"):
            parts.append(f"进展：{new['note']}")
        if entry.detail and len(parts) == 1:
            parts.append(entry.detail)
        lines.append("，".join(parts))
    return lines[::-1]


def record_progress(
    session: Session,
    *,
    actor: Actor,
    task_id: int | str,
    today: date,
    status: str | None = None,
    percent: int | None = None,
    note: str = "",
    problems: str = "",
    next_steps: str = "",
    evidence: str = "",
    figures: Mapping[str, float | str] | None = None,
    reason: str = "",
    new_deadline: date | None = None,
    expected_version: int | None = None,
    source: str = "cli",
    at: datetime | None = None,
    as_of: date | None = None,
) -> ProgressUpdate:
    """Append one ProgressUpdate and move the task's status; all checks first, nothing half-written.

    ``as_of`` is the day the record speaks for (default ``today``); ``at`` when it was typed (default now).
    """
    task = get_task(session, task_id=task_id)
    assert task.id is not None
    if as_of is not None and as_of > today:
        raise ValidationError(
            f"填报日期 {as_of.isoformat()} 晚于今天（{today.isoformat()}），进展只能记在已经过去的日子", field="as_of"
        )
    new_status = parse_status(status) if status else Status(task.status)
    if percent is not None and (not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100):
        raise ValidationError(f"完成进度应为 0–100 之间的整数，收到 {percent}", field="percent")
    if new_status == Status.DONE and percent is None:
        percent = 100
    if percent is None:
        percent = task.percent
    if status is None and percent > 0 and new_status == Status.NOT_STARTED:
        new_status = Status.IN_PROGRESS  # a figure above zero means the work has started
    note, problems, next_steps, reason = (s.strip() for s in (note, problems, next_steps, reason))
    if new_status == Status.DONE and not note:
        raise ValidationError("标记为“已完成”需要填写完成情况（进展情况）", field="note")
    deferring = (new_status == Status.SUSPENDED and task.status != Status.SUSPENDED) or (
        new_deadline is not None and new_deadline != task.deadline
    )
    if deferring and not reason:
        raise ValidationError("暂缓或调整完成时限需要说明原因", field="reason")
    if not any([status, note, problems, next_steps, evidence, figures, new_deadline]) and percent == task.percent:
        raise ValidationError("没有要记录的内容：请至少填写状态、进度、进展情况或指标数值之一")
    parsed_figures = _match_figures(session, task.id, figures or {})

    leads, supports = _owner_ids(session, task.id)
    require_owner(actor, leads | supports, "记录该任务的进展")
    closing = new_status in (Status.DONE, Status.SUSPENDED) and new_status != task.status
    reopening = task.status in (Status.DONE, Status.SUSPENDED) and new_status != task.status
    if closing or reopening or new_deadline:
        what = {Status.DONE: "将任务标记为已完成", Status.SUSPENDED: "申请暂缓"}.get(new_status, "调整完成时限")
        if reopening:
            what = "重新开启已完成或暂缓的任务"
        elif new_deadline and not closing:
            what = "调整完成时限"
        require_lead(actor, leads, what)

    old = {"status": task.status, "percent": task.percent, "version": task.version}
    previous_deadline = task.deadline
    recorded_at = at or now()
    values: dict[str, Any] = {
        "status": new_status.value,
        "percent": percent,
        "last_update_at": recorded_at,
        "search_text": "\n".join(p for p in (task.search_text, note, problems) if p),
    }
    if new_deadline is not None and new_deadline != task.deadline:
        values.update(deadline=new_deadline, deadline_source="assigned")
    version = _bump_version(session, task, expected_version, values)
    dept_id = next(iter(sorted(actor.department_ids & (leads | supports))), None)
    update = ProgressUpdate(
        task_id=task.id,
        as_of=as_of or today,
        recorded_at=recorded_at,
        author=actor.login,
        department_id=dept_id,
        status=new_status.value,
        percent=percent,
        note=note,
        problems=problems,
        next_steps=next_steps,
        evidence=evidence.strip(),
        reason=reason,
        new_deadline=new_deadline,
        source=source,
    )
    session.add(update)
    session.flush()
    assert update.id is not None
    for target_id, value in parsed_figures.items():
        session.add(TargetFigure(update_id=update.id, target_id=target_id, value=value))
    audit.record(
        session,
        actor=actor,
        action="progress",
        entity="task",
        entity_id=task.id,
        task_id=task.id,
        old=old,
        new={
            "status": new_status.value,
            "percent": percent,
            "version": version,
            "note": note[:200],
            "update_id": update.id,
            "figures": {str(k): v for k, v in parsed_figures.items()},
        },
        detail=f"记录进展（{status_label(new_status.value)} {percent}%）",
    )
    if "deadline" in values:
        audit.record(
            session,
            actor=actor,
            action="deadline",
            entity="task",
            entity_id=task.id,
            task_id=task.id,
            old={"deadline": previous_deadline},
            new={"deadline": new_deadline, "version": version},
            detail=f"调整完成时限：{reason}",
        )
    session.flush()
    return update


def _match_figures(session: Session, task_id: int, figures: Mapping[str, float | str]) -> dict[int, float]:
    if not figures:
        return {}
    targets = session.exec(select(Target).where(Target.task_id == task_id)).all()
    if not targets:
        raise ValidationError("该任务没有量化指标，不能填写指标数值", field="figures")
    out: dict[int, float] = {}
    for name, raw in figures.items():
        try:
            value = float(str(raw).strip().rstrip("%"))
        except ValueError:
            raise ValidationError(f"指标“{name}”的数值应为数字，收到“{raw}”", field="figures") from None
        key = name.strip()
        match = [t for t in targets if t.name == key] or [t for t in targets if key and (key in t.name or t.name in key)]
        if not match and len(targets) == 1 and not key:
            match = list(targets)
        if len(match) != 1:
            names = "、".join(t.name for t in targets)
            raise ValidationError(f"未知的指标“{name}”，该任务的指标有：{names}", field="figures")
        assert match[0].id is not None
        out[match[0].id] = value
    return out


def assign_owners(
    session: Session,
    *,
    actor: Actor,
    task_id: int | str,
    lead: Iterable[str],
    support: Iterable[str] = (),
) -> list[OwnerView]:
    """Replace a task's owners with the given departments, marked as assigned by a person."""
    require_admin(actor, "指定或调整责任单位")
    task = get_task(session, task_id=task_id)
    assert task.id is not None
    leads = [find_department(session, name=n) for n in lead]
    supports = [find_department(session, name=n) for n in support]
    if not leads:
        raise ValidationError("至少需要指定一个牵头单位", field="lead")
    before = owners_of(session, task_ids=[task.id]).get(task.id, [])
    for owner in session.exec(select(TaskOwner).where(TaskOwner.task_id == task.id)).all():
        session.delete(owner)
    session.flush()
    seen: set[int] = set()
    for role, depts in (("lead", leads), ("support", supports)):
        for dept in depts:
            assert dept.id is not None
            if dept.id in seen:
                continue
            seen.add(dept.id)
            session.add(TaskOwner(task_id=task.id, department_id=dept.id, role=role, source="assigned"))
    session.flush()
    names = [d.name for d in leads + supports]
    version = _bump_version(
        session, task, None, {"search_text": build_search_text(task.title, task.text, names, task.collective_owner)}
    )
    after = owners_of(session, task_ids=[task.id]).get(task.id, [])
    audit.record(
        session,
        actor=actor,
        action="assign",
        entity="task",
        entity_id=task.id,
        task_id=task.id,
        old={"owners": [f"{o.name}（{ROLE_LABELS[o.role]}）" for o in before]},
        new={"owners": [f"{o.name}（{ROLE_LABELS[o.role]}）" for o in after], "version": version},
        detail="调整责任单位",
    )
    return after


def confirm_owners(session: Session, *, actor: Actor, task_id: int | str) -> list[OwnerView]:
    """Accept the importer's suggested owners as they are."""
    require_admin(actor, "确认责任单位")
    task = get_task(session, task_id=task_id)
    assert task.id is not None
    owners = session.exec(select(TaskOwner).where(TaskOwner.task_id == task.id)).all()
    if not owners:
        raise ValidationError("该任务还没有责任单位，请先指定", field="lead")
    changed = [o for o in owners if o.source == "suggested"]
    for owner in changed:
        owner.source = "assigned"
        session.add(owner)
    session.flush()
    version = _bump_version(session, task, None, {})
    audit.record(
        session,
        actor=actor,
        action="assign",
        entity="task",
        entity_id=task.id,
        task_id=task.id,
        old={"source": "suggested"},
        new={"source": "assigned", "version": version},
        detail="确认系统建议的责任单位",
    )
    return owners_of(session, task_ids=[task.id]).get(task.id, [])


def set_deadline(
    session: Session, *, actor: Actor, task_id: int | str, deadline: date, reason: str = ""
) -> Task:
    require_admin(actor, "设定完成时限")
    task = get_task(session, task_id=task_id)
    old = task.deadline
    version = _bump_version(
        session, task, None, {"deadline": deadline, "deadline_source": "assigned", "deadline_vague": False}
    )
    audit.record(
        session,
        actor=actor,
        action="deadline",
        entity="task",
        entity_id=task.id,
        task_id=task.id,
        old={"deadline": old},
        new={"deadline": deadline, "version": version},
        detail=reason or "设定完成时限",
    )
    return task


RECURRENCE_CHOICES = {
    "每年": "FREQ=YEARLY",
    "每半年": "FREQ=MONTHLY;INTERVAL=6",
    "每季度": "FREQ=MONTHLY;INTERVAL=3",
    "每月": "FREQ=MONTHLY",
    "每周": "FREQ=WEEKLY",
}


def set_recurrence(session: Session, *, actor: Actor, task_id: int | str, rule: str | None) -> Task:
    """Set the cadence: a word from RECURRENCE_CHOICES, an RRULE, or None to clear."""
    require_admin(actor, "设定周期")
    task = get_task(session, task_id=task_id)
    text = None
    if rule:
        text = rule if rule in RECURRENCE_CHOICES else None
        rule = RECURRENCE_CHOICES.get(rule, rule)
        from dateutil.rrule import rrulestr

        try:
            rrulestr(rule, dtstart=datetime(2000, 1, 1))
        except (ValueError, TypeError):
            choices = "、".join(RECURRENCE_CHOICES)
            raise ValidationError(f"无法识别的周期“{rule}”，可用：{choices}，或 RRULE", field="recurrence") from None
    old = task.recurrence
    version = _bump_version(
        session,
        task,
        None,
        {"recurrence": rule, "recurrence_text": text or task.recurrence_text, "recurrence_flagged": False},
    )
    audit.record(
        session,
        actor=actor,
        action="recurrence",
        entity="task",
        entity_id=task.id,
        task_id=task.id,
        old={"recurrence": old},
        new={"recurrence": rule, "version": version},
        detail="设定周期",
    )
    return task


def may_instruct(actor: Actor) -> bool:
    """Leaders write 批示; admins may record one on a leader's behalf. Staff only read them."""
    return actor.role in ("leader", "admin")


def add_instruction(
    session: Session, *, actor: Actor, task_id: int | str, text: str, at: datetime | None = None
) -> Instruction:
    """A leader's 批示 (admins may record one on a leader's behalf); ``at`` when it was written (default now)."""
    if not may_instruct(actor):
        raise PermissionDenied("只有领导可以作出批示")
    if not text.strip():
        raise ValidationError("批示内容不能为空", field="text")
    task = get_task(session, task_id=task_id)
    entry = Instruction(task_id=task.id or 0, author=actor.login, text=text.strip(), created_at=at or now())
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="instruction",
        entity="task",
        entity_id=task.id,
        task_id=task.id,
        new={"text": text.strip()[:200]},
        detail="领导批示",
    )
    return entry
