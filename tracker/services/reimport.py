"""Re-import: apply an edited version of a plan's source to the plan already in the database.

The old side of the comparison is built from the database itself (items and tasks as stored), so what is
matched is exactly what people have been recording against. Matched tasks keep their id and with it every
ProgressUpdate; added items and points become new tasks; a removed task is deleted only when nothing was
ever recorded on it, otherwise it stays, and the summary says so. Progress is never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from tracker.errors import NotFoundError
from tracker.importer.diff import PlanDiff, diff_plans
from tracker.importer.model import ParsedPlan, ParsedTask
from tracker.models import Plan, PlanItem, ProgressUpdate, Target, TargetFigure, Task, now
from tracker.services import audit
from tracker.services.auth import Actor, require_admin
from tracker.services.departments import DepartmentIndex, DirectoryEntryLike, seed_directory
from tracker.services.plans import ImportResult, _add_task


@dataclass
class ReimportResult:
    plan_id: int
    diff: PlanDiff
    added: int = 0
    updated: int = 0
    deleted: int = 0
    kept: list[str] = field(default_factory=list)  # removed from the text, kept for their progress


def find_previous_version(session: Session, *, parsed: ParsedPlan) -> Plan | None:
    """The plan an edited file is a version of: same year, same issuers, and same title or heading."""
    for plan in session.exec(select(Plan).where(Plan.year == parsed.year).order_by(col(Plan.id).desc())).all():
        same_issuers = list(plan.issuers or []) == list(parsed.issuers)
        same_name = plan.title == parsed.title or (
            plan.section_heading is not None and plan.section_heading == parsed.section_heading
        )
        if same_issuers and same_name:
            return plan
    return None


def _stored_plan(session: Session, plan: Plan) -> tuple[ParsedPlan, dict[int, PlanItem], dict[int, Task]]:
    """The plan as stored, in the importer's shape; maps id(ParsedTask) → the row it stands for."""
    items = session.exec(select(PlanItem).where(PlanItem.plan_id == plan.id).order_by(col(PlanItem.position))).all()
    tasks = session.exec(
        select(Task).where(Task.plan_id == plan.id).order_by(col(Task.item_id), col(Task.position))
    ).all()
    by_item: dict[int, list[Task]] = {}
    for task in tasks:
        by_item.setdefault(task.item_id, []).append(task)
    item_rows: dict[int, PlanItem] = {}
    task_rows: dict[int, Task] = {}
    parsed_items = []
    for item in items:
        assert item.id is not None
        own = by_item.get(item.id, [])
        node = ParsedTask(label=item.label, title=item.title, text=item.text)
        item_rows[id(node)] = item
        if len(own) == 1 and own[0].label == item.label:
            task_rows[id(node)] = own[0]  # the item is itself the task
        else:
            for task in own:
                child = ParsedTask(label=task.label, title=task.title, text=task.text)
                node.children.append(child)
                task_rows[id(child)] = task
        parsed_items.append(node)
    stored = ParsedPlan(
        year=plan.year,
        title=plan.title,
        issuers=list(plan.issuers or []),
        addressee=plan.addressee,
        report_date=plan.report_date,
        section_heading=plan.section_heading,
        section_start_line=plan.section_start_line,
        section_end_line=plan.section_end_line,
        items=parsed_items,
    )
    return stored, item_rows, task_rows


def preview_reimport(session: Session, *, plan: Plan, parsed: ParsedPlan) -> PlanDiff:
    stored, _items, _tasks = _stored_plan(session, plan)
    return diff_plans(stored, parsed)


def apply_reimport(
    session: Session,
    *,
    actor: Actor,
    plan_id: int,
    parsed: ParsedPlan,
    directory: Iterable[DirectoryEntryLike] = (),
) -> ReimportResult:
    """Bring plan ``plan_id`` to the edited version ``parsed``, keeping every recorded update."""
    require_admin(actor, "更新计划")
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFoundError(f"没有编号为 {plan_id} 的计划")
    assert plan.id is not None
    stored, item_rows, task_rows = _stored_plan(session, plan)
    diff = diff_plans(stored, parsed)
    result = ReimportResult(plan_id=plan.id, diff=diff)
    entries = list(directory)
    seed_directory(session, entries=entries)
    by_name = {e.name: e for e in entries}
    departments = DepartmentIndex(session)
    counter = ImportResult(plan_id=plan.id, year=plan.year, title=plan.title, items=0, tasks=0, baseline=0)

    # New side: which old row each new node continues.
    continues: dict[int, ParsedTask] = {id(new): old for old, new in diff.matches()}
    recorded = set(
        session.exec(select(ProgressUpdate.task_id).where(col(ProgressUpdate.task_id).in_(
            [t.id for t in task_rows.values()]
        )).group_by(col(ProgressUpdate.task_id))).all()
    )
    kept_tasks: set[int] = set()

    for item_pos, new_item in enumerate(parsed.items, start=1):
        old_item = continues.get(id(new_item))
        item = item_rows.get(id(old_item)) if old_item is not None else None
        if item is None:
            item = PlanItem(plan_id=plan.id, label=new_item.label, position=item_pos, title=new_item.title,
                            text=new_item.text)
        else:
            item.label, item.position, item.title, item.text = (
                new_item.label, item_pos, new_item.title, new_item.text
            )
        session.add(item)
        session.flush()
        assert item.id is not None
        for task_pos, new_task in enumerate(new_item.children or [new_item], start=1):
            old_task = continues.get(id(new_task))
            row = task_rows.get(id(old_task)) if old_task is not None else None
            if row is None:
                _add_task(session, departments, by_name, plan, item.id, task_pos, new_task, counter)
                result.added += 1
                continue
            assert row.id is not None
            kept_tasks.add(row.id)
            if (row.label, row.title, row.text, row.position, row.item_id) != (
                new_task.label, new_task.title, new_task.text, task_pos, item.id
            ):
                row.label, row.title, row.text, row.position, row.item_id = (
                    new_task.label, new_task.title, new_task.text, task_pos, item.id
                )
                row.documents = list(new_task.documents)
                _follow_the_text(session, row, new_task)
                row.version += 1
                row.updated_at = now()
                session.add(row)
                result.updated += 1

    # Removed from the text: deleted when nothing was recorded, else kept (at the end of its old item).
    for row in task_rows.values():
        assert row.id is not None
        if row.id in kept_tasks:
            continue
        if row.id in recorded:
            result.kept.append(f"{row.label} {row.title}")
            continue
        session.delete(row)
        result.deleted += 1
    session.flush()
    for item in item_rows.values():
        remaining = session.exec(select(func.count()).select_from(Task).where(Task.item_id == item.id)).one()
        if remaining == 0:
            session.delete(item)

    old_meta = {"source": plan.source_name, "hash": plan.source_hash, "title": plan.title}
    plan.title = parsed.title
    plan.source_name = parsed.source_name
    plan.source_hash = parsed.source_hash
    plan.source_text = parsed.source_text
    plan.section_heading = parsed.section_heading
    plan.section_start_line = parsed.section_start_line
    plan.section_end_line = parsed.section_end_line
    session.add(plan)
    audit.record(
        session,
        actor=actor,
        action="reimport",
        entity="plan",
        entity_id=plan.id,
        old=old_meta,
        new={"source": parsed.source_name, "hash": parsed.source_hash, "added": result.added,
             "updated": result.updated, "deleted": result.deleted, "kept": len(result.kept)},
        detail=f"按新版本更新计划：{parsed.source_name}",
    )
    session.flush()
    return result


def _follow_the_text(session: Session, row: Task, new: ParsedTask) -> None:
    """A reworded task takes what its new words say, except what a person set: its deadline unless someone
    assigned one, and its targets, matched by name (a target with recorded figures is never deleted)."""
    if row.deadline_source != "assigned" and new.deadline is not None:
        row.deadline, row.deadline_source = new.deadline.date, new.deadline.source
        row.deadline_text, row.deadline_vague = new.deadline.text, new.deadline.vague
    assert row.id is not None
    old = {t.name: t for t in session.exec(select(Target).where(Target.task_id == row.id)).all()}
    figured = set(
        session.exec(
            select(TargetFigure.target_id).where(col(TargetFigure.target_id).in_([t.id for t in old.values()]))
        ).all()
    )
    for pos, parsed in enumerate(new.targets, start=1):
        target = old.pop(parsed.name, None) or Target(task_id=row.id, name=parsed.name, value=parsed.value)
        target.position, target.value, target.unit = pos, parsed.value, parsed.unit
        target.text, target.at_most = parsed.text, parsed.at_most
        session.add(target)
    for gone in old.values():
        if gone.id not in figured:
            session.delete(gone)
