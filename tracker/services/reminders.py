"""催办: for each lead department, what is overdue, what falls due soon and what has gone quiet.

A task appears once, under the first heading that fits (overdue, then due soon, then quiet); every
line also says when progress was last recorded, so nothing is hidden by that choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from tracker.domain.status import Status
from tracker.errors import ValidationError
from tracker.services.overview import NO_LEAD, as_local_date
from tracker.services.plans import resolve_plan
from tracker.services.tasks import TaskRow, list_tasks

QUIET_DAYS = 30
DEFAULT_DUE_DAYS = 15


@dataclass(frozen=True)
class ReminderLine:
    task_id: int
    code: str
    title: str
    deadline: date | None
    status_label: str
    percent: int
    last_update: date | None
    supports: tuple[str, ...]

    def text(self, today: date) -> str:
        deadline = self.deadline.isoformat() if self.deadline else "未设定"
        if self.last_update is None:
            last = "从未记录进展"
        else:
            last = f"最近进展 {self.last_update.isoformat()}（{(today - self.last_update).days} 天前）"
        late = ""
        if self.deadline and today > self.deadline:
            late = f"，已逾期 {(today - self.deadline).days} 天"
        elif self.deadline:
            late = f"，还剩 {(self.deadline - today).days} 天"
        support = f"；配合单位：{'、'.join(self.supports)}" if self.supports else ""
        return (
            f"[{self.task_id}] {self.code} {self.title}（完成时限 {deadline}{late}；"
            f"{self.status_label} {self.percent}%；{last}{support}）"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "code": self.code,
            "title": self.title,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "status_label": self.status_label,
            "percent": self.percent,
            "last_update": self.last_update.isoformat() if self.last_update else None,
            "supports": list(self.supports),
        }


@dataclass
class Reminder:
    department: str
    department_id: int | None
    overdue: list[ReminderLine] = field(default_factory=list)
    due_soon: list[ReminderLine] = field(default_factory=list)
    quiet: list[ReminderLine] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.quiet)

    def to_markdown(self, *, plan_year: int, plan_title: str, today: date, days: int) -> str:
        """The 催办单 for one department, ready to send."""
        lines = [
            f"# 催办单：{self.department}",
            "",
            f"{plan_year}年《{plan_title}》工作任务，截至 {today.year}年{today.month}月{today.day}日，"
            f"请贵单位对以下 {self.count} 项任务抓紧推进，并及时填报进展情况、存在问题和下一步措施。",
        ]
        sections = (
            ("已逾期未完成", self.overdue),
            (f"{days} 天内到期", self.due_soon),
            (f"超过 {QUIET_DAYS} 天没有进展记录", self.quiet),
        )
        for heading, entries in sections:
            if not entries:
                continue
            lines += ["", f"## {heading}（{len(entries)} 项）", ""]
            lines += [f"{n}. {entry.text(today)}" for n, entry in enumerate(entries, start=1)]
        lines.append("")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "department_id": self.department_id,
            "overdue": [e.to_json() for e in self.overdue],
            "due_soon": [e.to_json() for e in self.due_soon],
            "quiet": [e.to_json() for e in self.quiet],
        }


@dataclass
class Reminders:
    plan_year: int
    plan_title: str
    today: date
    days: int
    departments: list[Reminder]

    def markdown(self, reminder: Reminder) -> str:
        return reminder.to_markdown(
            plan_year=self.plan_year, plan_title=self.plan_title, today=self.today, days=self.days
        )


def _line(row: TaskRow) -> ReminderLine:
    return ReminderLine(
        task_id=row.id,
        code=row.code,
        title=row.title,
        deadline=row.deadline,
        status_label=row.status_label,
        percent=row.percent,
        last_update=as_local_date(row.last_update_at),
        supports=tuple(row.supports),
    )


def _is_quiet(row: TaskRow, today: date) -> bool:
    """No update for 30 days, counting from the task's start for a task never reported on."""
    since = as_local_date(row.last_update_at) or row.start_date
    if since is None and row.deadline is not None:
        since = date(row.deadline.year, 1, 1)
    return since is not None and (today - since).days >= QUIET_DAYS


def build_reminders(
    session: Session, *, today: date, plan: str | int | None = None, days: int = DEFAULT_DUE_DAYS
) -> Reminders:
    """One 催办 list per lead department with something to chase, in department name order."""
    if days < 0:
        raise ValidationError("天数不能为负数", field="days")
    the_plan = resolve_plan(session, ref=plan)
    rows = list_tasks(session, today=today, plan=the_plan.id)
    by_dept: dict[str, Reminder] = {}
    for row in rows:
        if row.status in (Status.DONE, Status.SUSPENDED):
            continue
        if row.overdue:
            heading = "overdue"
        elif row.deadline is not None and 0 <= (row.deadline - today).days <= days:
            heading = "due_soon"
        elif _is_quiet(row, today):
            heading = "quiet"
        else:
            continue
        leads: list[tuple[int | None, str]] = [
            (o.department_id, o.name) for o in row.owners if o.role == "lead"
        ] or [(None, NO_LEAD)]
        for dept_id, name in leads:
            reminder = by_dept.setdefault(name, Reminder(department=name, department_id=dept_id))
            getattr(reminder, heading).append(_line(row))
    ordered = sorted(by_dept.values(), key=lambda r: (r.department_id is None, r.department))
    return Reminders(the_plan.year, the_plan.title, today, days, ordered)


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def reminder_filename(department: str, today: date) -> str:
    """A file name that survives Windows and mail attachments: 催办单-区司法局-2022-06-15.md."""
    return f"催办单-{_UNSAFE.sub('_', department).strip('_') or '未命名'}-{today.isoformat()}.md"


def write_reminders(reminders: Reminders, *, out_dir: Path) -> list[Path]:
    """One Markdown file per department into ``out_dir`` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for reminder in reminders.departments:
        path = out_dir / reminder_filename(reminder.department, reminders.today)
        path.write_text(reminders.markdown(reminder), encoding="utf-8")
        written.append(path)
    return written
