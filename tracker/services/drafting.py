"""Everything a draft of next year's report needs, read from the database for one plan.

Returns plain dataclasses (no ORM objects), so ``tracker.report`` composes the draft with pure functions.
The state of each task is taken *as of* a date: only updates recorded on or before it count, and the status,
percent, overdue flag and 序时进度 light are those of that day. A handful of queries whatever the plan's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from tracker.domain import schedule
from tracker.domain.schedule import Light
from tracker.domain.status import Status
from tracker.models import (
    Baseline,
    Department,
    PlanItem,
    ProgressUpdate,
    Target,
    TargetFigure,
    Task,
    TaskOwner,
)
from tracker.services.plans import resolve_plan

_CHUNK = 5000  # SQLite caps bound parameters per statement


@dataclass(frozen=True)
class DraftPlan:
    id: int
    year: int
    title: str
    issuers: list[str]
    addressee: str | None
    report_date: date | None
    source_name: str
    source_text: str
    section_heading: str | None
    kind: str


@dataclass(frozen=True)
class DraftUpdate:
    """One progress report (进展情况 / 存在问题 / 下一步措施 / reason) as recorded."""

    id: int
    task_id: int
    recorded_at: datetime  # when it was typed
    recorded_on: date  # the date the record speaks for (ProgressUpdate.as_of)
    author: str
    department: str | None
    status: str
    percent: int
    note: str
    problems: str
    next_steps: str
    reason: str
    new_deadline: date | None
    figures: dict[int, float] = field(default_factory=dict)  # target id → value


@dataclass(frozen=True)
class DraftTarget:
    id: int
    task_id: int
    name: str
    value: float
    unit: str
    text: str
    actual: float | None  # newest figure recorded as of the date
    actual_update_id: int | None
    at_most: bool = False  # an upper limit (控制在10%以内): met at or below the value


@dataclass
class DraftTask:
    id: int
    item_id: int
    label: str
    code: str  # （三）二是, or （三） when the item is the task
    position: int
    title: str
    text: str
    documents: list[str]
    status: str  # as of the date
    percent: int
    start_date: date | None
    deadline: date | None
    deadline_text: str | None
    deadline_source: str  # text | assigned | default (the importer's year-end default, not the plan's word)
    recurrence: str | None
    recurrence_text: str | None
    collective_owner: str | None
    leads: list[str]
    supports: list[str]
    light: Light
    overdue: bool
    behind: bool  # yellow or red by 序时进度 while not past its deadline
    targets: list[DraftTarget] = field(default_factory=list)
    updates: list[DraftUpdate] = field(default_factory=list)  # oldest first

    @property
    def recurring(self) -> bool:
        return bool(self.recurrence or self.recurrence_text)

    @property
    def unfinished(self) -> bool:
        return self.status != Status.DONE


@dataclass
class DraftItem:
    id: int
    label: str
    position: int
    title: str
    text: str
    tasks: list[DraftTask] = field(default_factory=list)


@dataclass(frozen=True)
class DraftBaseline:
    id: int
    name: str
    value: float
    unit: str
    sentence: str


@dataclass
class DraftData:
    plan: DraftPlan
    as_of: date
    date_given: bool  # --as-of was given: the draft may carry it as its date
    items: list[DraftItem]
    baselines: list[DraftBaseline]
    later_records: int = 0  # records dated after as_of, left out of the draft

    def tasks(self) -> list[DraftTask]:
        return [t for item in self.items for t in item.tasks]



def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def gather_draft_data(
    session: Session, *, plan: str | int | None, as_of: date, date_given: bool = True
) -> DraftData:
    """The plan (a year, #id or None for the newest), its items, tasks, owners, targets, updates and baselines."""
    the_plan = resolve_plan(session, ref=plan)
    assert the_plan.id is not None
    plan_data = DraftPlan(
        id=the_plan.id,
        year=the_plan.year,
        title=the_plan.title,
        issuers=list(the_plan.issuers or []),
        addressee=the_plan.addressee,
        report_date=the_plan.report_date,
        source_name=the_plan.source_name,
        source_text=the_plan.source_text or "",
        section_heading=the_plan.section_heading,
        kind=the_plan.kind,
    )
    items = {
        i.id: DraftItem(i.id or 0, i.label, i.position, i.title, i.text)
        for i in session.exec(
            select(PlanItem).where(PlanItem.plan_id == the_plan.id).order_by(col(PlanItem.position))
        ).all()
    }
    task_rows = session.exec(
        select(Task).where(Task.plan_id == the_plan.id).order_by(col(Task.item_id), col(Task.position))
    ).all()
    task_ids = [t.id for t in task_rows if t.id is not None]

    owners: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    departments: dict[int, str] = dict(session.exec(select(Department.id, Department.name)).all())  # type: ignore[arg-type]
    targets: dict[int, list[Target]] = defaultdict(list)
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    later = 0
    figures: dict[int, dict[int, float]] = defaultdict(dict)
    for chunk in _chunks(task_ids):
        for task_id, dept_id, role in session.exec(
            select(TaskOwner.task_id, TaskOwner.department_id, TaskOwner.role)
            .where(col(TaskOwner.task_id).in_(chunk))
            .order_by(col(TaskOwner.task_id), col(TaskOwner.department_id))
        ).all():
            owners[task_id][0 if role == "lead" else 1].append(departments.get(dept_id, ""))
        for target in session.exec(
            select(Target)
            .where(col(Target.task_id).in_(chunk))
            .order_by(col(Target.task_id), col(Target.position))
        ).all():
            targets[target.task_id].append(target)
        for update in session.exec(
            select(ProgressUpdate)
            .where(col(ProgressUpdate.task_id).in_(chunk))
            .order_by(
                col(ProgressUpdate.task_id),
                col(ProgressUpdate.as_of),
                col(ProgressUpdate.recorded_at),
                col(ProgressUpdate.id),
            )
        ).all():
            # The date a record speaks for decides, not when it was typed: a 2022 record typed in 2023 counts.
            if update.as_of <= as_of:
                updates[update.task_id].append(update)
            else:
                later += 1
        for update_id, target_id, value in session.exec(
            select(TargetFigure.update_id, TargetFigure.target_id, TargetFigure.value)
            .join(ProgressUpdate, col(ProgressUpdate.id) == TargetFigure.update_id)
            .where(col(ProgressUpdate.task_id).in_(chunk))
        ).all():
            figures[update_id][target_id] = value

    for task in task_rows:
        assert task.id is not None
        item = items.get(task.item_id)
        if item is None:
            continue
        item.tasks.append(
            _draft_task(
                task, item, owners[task.id], targets[task.id], updates[task.id], figures, departments, as_of
            )
        )

    baselines = [
        DraftBaseline(b.id or 0, b.name, b.value, b.unit, b.sentence)
        for b in session.exec(
            select(Baseline).where(Baseline.plan_id == the_plan.id).order_by(col(Baseline.position))
        ).all()
    ]
    return DraftData(
        plan=plan_data,
        as_of=as_of,
        date_given=date_given,
        items=sorted(items.values(), key=lambda i: i.position),
        baselines=baselines,
        later_records=later,
    )


def _draft_task(
    task: Task,
    item: DraftItem,
    owners: tuple[list[str], list[str]],
    targets: list[Target],
    updates: list[ProgressUpdate],
    figures: dict[int, dict[int, float]],
    departments: dict[int, str],
    as_of: date,
) -> DraftTask:
    assert task.id is not None
    views = [
        DraftUpdate(
            id=u.id or 0,
            task_id=task.id,
            recorded_at=u.recorded_at,
            recorded_on=u.as_of,
            author=u.author,
            department=departments.get(u.department_id) if u.department_id else None,
            status=u.status,
            percent=u.percent,
            note=u.note,
            problems=u.problems,
            next_steps=u.next_steps,
            reason=u.reason,
            new_deadline=u.new_deadline,
            figures=dict(figures.get(u.id or 0, {})),
        )
        for u in updates
    ]
    # Status changes only through progress updates, so the newest one on or before the date is the state then.
    status, percent = (views[-1].status, views[-1].percent) if views else (Status.NOT_STARTED.value, 0)
    deadline = task.deadline
    start = task.start_date or (deadline.replace(month=1, day=1) if deadline else None)
    light = schedule.light(status, percent, start, deadline, as_of)
    overdue = schedule.is_overdue(status, deadline, as_of)
    draft_targets = []
    for target in targets:
        actual, source = None, None
        for view in views:  # oldest first: the last one seen is the newest
            if target.id in view.figures:
                actual, source = view.figures[target.id], view.id
        draft_targets.append(
            DraftTarget(
                target.id or 0,
                task.id,
                target.name,
                target.value,
                target.unit,
                target.text,
                actual,
                source,
                at_most=target.at_most,
            )
        )
    return DraftTask(
        id=task.id,
        item_id=item.id,
        label=task.label,
        code=item.label if task.label == item.label else f"{item.label}{task.label}",
        position=task.position,
        title=task.title,
        text=task.text,
        documents=list(task.documents or []),
        status=status,
        percent=percent,
        start_date=start,
        deadline=deadline,
        deadline_text=task.deadline_text,
        deadline_source=task.deadline_source,
        recurrence=task.recurrence,
        recurrence_text=task.recurrence_text,
        collective_owner=task.collective_owner,
        leads=list(owners[0]),
        supports=list(owners[1]),
        light=light,
        overdue=overdue,
        behind=not overdue and light in (Light.YELLOW, Light.RED) and status != Status.SUSPENDED,
        targets=draft_targets,
        updates=views,
    )
