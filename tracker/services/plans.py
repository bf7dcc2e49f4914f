"""Plans: writing a parsed plan in one transaction, finding and listing plans."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from tracker.errors import DuplicateError, ValidationError
from tracker.importer.model import ParsedPlan, ParsedTask
from tracker.models import Baseline, Plan, PlanItem, Target, Task, TaskOwner
from tracker.services import audit
from tracker.services.auth import Actor, require_admin

# PlanRow and list_plans live with the lean read path; re-exported for callers of this module.
from tracker.services.catalog import PlanRow as PlanRow
from tracker.services.catalog import list_plans as list_plans
from tracker.services.catalog import plan_ref
from tracker.services.departments import DepartmentIndex, DirectoryEntryLike, seed_directory


@dataclass
class ImportResult:
    plan_id: int
    year: int
    title: str
    items: int
    tasks: int
    baseline: int
    unassigned: list[str] = field(default_factory=list)
    suggested: int = 0
    warnings: list[str] = field(default_factory=list)


def find_plan_by_hash(session: Session, *, source_hash: str) -> Plan | None:
    return session.exec(select(Plan).where(Plan.source_hash == source_hash)).first()


def import_plan(
    session: Session,
    *,
    actor: Actor,
    parsed: ParsedPlan,
    directory: Iterable[DirectoryEntryLike] = (),
    is_demo: bool = False,
) -> ImportResult:
    """Write ``parsed`` as a new plan. The caller's transaction makes it all-or-nothing."""
    require_admin(actor, "导入计划")
    existing = find_plan_by_hash(session, source_hash=parsed.source_hash)
    if existing is not None:
        raise DuplicateError(
            f"该报告已导入过：{existing.year}年计划（编号 {existing.id}，来自 {existing.source_name}），未重复导入"
        )
    if not parsed.items:
        raise ValidationError("计划中没有任何工作事项，未导入")
    entries = list(directory)
    seed_directory(session, entries=entries)
    by_name = {e.name: e for e in entries}
    departments = DepartmentIndex(session)

    plan = Plan(
        year=parsed.year,
        title=parsed.title,
        issuers=list(parsed.issuers),
        addressee=parsed.addressee,
        report_date=parsed.report_date,
        source_name=parsed.source_name,
        source_hash=parsed.source_hash,
        source_text=parsed.source_text,
        section_heading=parsed.section_heading,
        section_start_line=parsed.section_start_line,
        section_end_line=parsed.section_end_line,
        kind=parsed.kind,
        is_demo=is_demo,
        imported_by=actor.login,
    )
    session.add(plan)
    session.flush()
    assert plan.id is not None
    result = ImportResult(
        plan_id=plan.id,
        year=plan.year,
        title=plan.title,
        items=len(parsed.items),
        tasks=0,
        baseline=len(parsed.baseline),
        unassigned=parsed.unassigned_labels(),
        warnings=list(parsed.warnings),
    )
    spans = source_spans(parsed)
    for item_pos, parsed_item in enumerate(parsed.items, start=1):
        start, end = spans.get(id(parsed_item), (None, None))
        item = PlanItem(
            plan_id=plan.id,
            label=parsed_item.label,
            position=item_pos,
            title=parsed_item.title,
            text=parsed_item.text,
            source_label=parsed_item.label,
            source_start_line=start,
            source_end_line=end,
        )
        session.add(item)
        session.flush()
        assert item.id is not None
        for task_pos, parsed_task in enumerate(parsed_item.children or [parsed_item], start=1):
            _add_task(
                session, departments, by_name, plan, item.id, task_pos, parsed_task, result,
                span=spans.get(id(parsed_task)),
            )
    for pos, figure in enumerate(parsed.baseline, start=1):
        session.add(
            Baseline(
                plan_id=plan.id,
                position=pos,
                name=figure.name,
                value=figure.value,
                unit=figure.unit,
                sentence=figure.sentence,
            )
        )
    audit.record(
        session,
        actor=actor,
        action="import",
        entity="plan",
        entity_id=plan.id,
        new={"year": plan.year, "title": plan.title, "source": plan.source_name, "tasks": result.tasks},
        detail=f"导入 {plan.source_name}",
    )
    session.flush()
    return result


def _add_task(
    session: Session,
    departments: DepartmentIndex,
    directory: dict[str, DirectoryEntryLike],
    plan: Plan,
    item_id: int,
    position: int,
    parsed: ParsedTask,
    result: ImportResult,
    *,
    span: tuple[int | None, int | None] | None = None,
) -> Task:
    assert plan.id is not None
    start, end = span or (None, None)
    deadline = parsed.deadline
    collective = next((o.department for o in parsed.owners if o.collective), None)
    task = Task(
        plan_id=plan.id,
        item_id=item_id,
        label=parsed.label,
        position=position,
        title=parsed.title,
        text=parsed.text,
        documents=list(parsed.documents),
        start_date=date(plan.year, 1, 1),
        deadline=deadline.date if deadline else date(plan.year, 12, 31),
        deadline_source=deadline.source if deadline else "default",
        deadline_text=deadline.text if deadline else None,
        deadline_vague=deadline.vague if deadline else False,
        recurrence=parsed.recurrence.rrule if parsed.recurrence else None,
        recurrence_text=_cadence_words(parsed),
        recurrence_flagged=parsed.recurrence.flagged if parsed.recurrence else False,
        collective_owner=collective,
        source_label=parsed.label,
        source_start_line=start,
        source_end_line=end,
    )
    session.add(task)
    session.flush()
    assert task.id is not None
    owner_names: list[str] = []
    seen: set[int] = set()
    for owner in parsed.owners:
        if owner.collective:
            continue
        dept = departments.ensure(
            owner.department,
            source="text" if owner.source == "text" else "directory",
            entry=directory.get(owner.department),
        )
        assert dept.id is not None
        if dept.id in seen:
            continue
        seen.add(dept.id)
        owner_names.append(dept.name)
        session.add(TaskOwner(task_id=task.id, department_id=dept.id, role=owner.role, source=owner.source))
        if owner.source == "suggested":
            result.suggested += 1
    for pos, target in enumerate(parsed.targets, start=1):
        session.add(
            Target(
                task_id=task.id,
                position=pos,
                name=target.name,
                value=target.value,
                unit=target.unit,
                text=target.text,
                at_most=target.at_most,
            )
        )
    task.search_text = build_search_text(task.title, task.text, owner_names, collective)
    result.tasks += 1
    return task


def source_spans(parsed: ParsedPlan) -> dict[int, tuple[int, int]]:
    """id(ParsedTask) → its line span in ``parsed.source_text`` (1-based, inclusive), for items and points.

    A node starts on the line the parser saw it on (or, without one, the line its first words are found on
    within the section); it ends on the line its last words are found on before the next sibling starts, else
    just before that sibling (the last one: the end of the section, or of its item).
    """
    lines = parsed.source_text.split("\n")
    total = max(1, len(lines))
    first = parsed.section_start_line or 1
    last = max(first, parsed.section_end_line or total)
    out: dict[int, tuple[int, int]] = {}

    def place(nodes: list[ParsedTask], low: int, high: int) -> None:
        starts = [_start_line(lines, n, low, high) for n in nodes]
        for k, node in enumerate(nodes):
            start = starts[k]
            if k + 1 < len(nodes):
                bound = max(start, starts[k + 1] - 1)
            else:
                bound = high if start <= high else len(lines)  # an appendix list after the section
            end = _end_line(lines, node.text, start, min(bound, total))
            out[id(node)] = (start, end)
            if node.children:
                place(node.children, start, end)

    place(parsed.items, first, last)
    return out


def _start_line(lines: list[str], node: ParsedTask, low: int, high: int) -> int:
    if node.line:
        return node.line
    head = re.sub(r"\s+", "", node.text)[:12]
    for n in range(max(1, low), min(len(lines), high) + 1):
        if head and head in re.sub(r"\s+", "", lines[n - 1]):
            return n
    return max(1, low)


def _end_line(lines: list[str], text: str, start: int, bound: int) -> int:
    tail = re.sub(r"\s+", "", text)[-12:]
    if tail:
        for n in range(start, max(start, bound) + 1):
            if n <= len(lines) and tail in re.sub(r"\s+", "", lines[n - 1]):
                return n
    return max(start, bound)


def build_search_text(title: str, text: str, owners: Iterable[str], *extra: str | None) -> str:
    """What search looks in: title, text, owners and notes; kept on the task so search is one query."""
    parts = [title, text, *owners, *(e for e in extra if e)]
    return "\n".join(p for p in parts if p)


def resolve_plan(session: Session, *, ref: str | int | None) -> Plan:
    """A plan from what a user types: a year (2022), a plan id (#3 or 3), or nothing (the newest plan)."""
    found = session.get(Plan, plan_ref(session, ref=ref).id)
    assert found is not None
    return found


def _cadence_words(parsed: ParsedTask) -> str | None:
    """The cadence as written: the chosen one, or all of them ("周调度、月通报、季观摩"); the RRULE is the first."""
    if parsed.recurrence is None:
        return None
    words = list(dict.fromkeys([parsed.recurrence.text, *(r.text for r in parsed.recurrences)]))
    return "、".join(words)[:100]
