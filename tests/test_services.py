"""Services on a real database with a small hand-built plan: writing, progress, conflicts, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tracker.errors import ConflictError, DuplicateError, PermissionDenied, ValidationError
from tracker.importer.model import ParsedDeadline, ParsedOwner, ParsedPlan, ParsedTarget, ParsedTask
from tracker.models import AuditEntry, ProgressUpdate, Task
from tracker.services import plans, tasks
from tracker.services.auth import Actor
from tracker.services.departments import list_departments
from tracker.services.workspace import Workspace

ADMIN = Actor(login="admin", role="admin", single_user=True)
TODAY = date(2022, 6, 30)


def small_plan() -> ParsedPlan:
    return ParsedPlan(
        year=2022,
        title="关于2021年度法治政府建设工作的报告",
        issuers=["示范区管委会"],
        addressee="市委、市政府",
        report_date=date(2022, 1, 20),
        section_heading="四、2022年推进法治政府建设的主要安排",
        section_start_line=10,
        section_end_line=20,
        source_name="small.txt",
        source_hash="h-small",
        items=[
            ParsedTask(
                label="（一）",
                title="健全行政复议应诉制度体系",
                text="健全行政复议应诉制度体系。继续保持行政机关负责人出庭应诉率100%。",
                owners=[ParsedOwner("区司法局", "lead", "text"), ParsedOwner("区市场监管局", "support", "text")],
                deadline=ParsedDeadline(date(2022, 6, 30), "text", "6月底前"),
                targets=[ParsedTarget("出庭应诉率", 100, "%")],
            ),
            ParsedTask(
                label="（二）",
                title="加大行政执法监督力度",
                text="加大行政执法监督力度。一是…二是…",
                children=[
                    ParsedTask(label="一是", title="落实三项制度", text="落实三项制度。",
                               owners=[ParsedOwner("区司法局", "lead", "suggested")]),
                    ParsedTask(label="二是", title="推行行政指导", text="推行行政指导。",
                               owners=[ParsedOwner("各有关单位", "lead", "text", collective=True)]),
                ],
            ),
        ],
    )


@pytest.fixture
def ws(db_url: str) -> Workspace:
    ws = Workspace(db_url, login="admin", today=TODAY)
    ws.run(lambda s, _a: plans.import_plan(s, actor=ADMIN, parsed=small_plan()))
    return ws


def _task_ids(ws: Workspace) -> list[int]:
    return [r.id for r in ws.run(lambda s, _a: tasks.list_tasks(s, today=TODAY))]


def test_import_writes_items_tasks_owners_and_audit(ws: Workspace) -> None:
    rows = ws.run(lambda s, _a: tasks.list_tasks(s, today=TODAY))
    assert [r.code for r in rows] == ["（一）", "（二）一是", "（二）二是"]
    assert rows[0].leads == ["区司法局"] and rows[0].supports == ["区市场监管局"]
    assert rows[1].owners[0].source == "suggested"
    assert rows[2].owners == [] and rows[2].collective_owner == "各有关单位"
    assert rows[0].deadline == date(2022, 6, 30) and rows[1].deadline == date(2022, 12, 31)
    audit = ws.run(lambda s, _a: s.exec(select(AuditEntry)).all())
    assert [a.action for a in audit] == ["import"]
    with pytest.raises(DuplicateError):
        ws.run(lambda s, _a: plans.import_plan(s, actor=ADMIN, parsed=small_plan()))


def test_staff_may_record_only_for_their_department(ws: Workspace) -> None:
    first, _second, third = _task_ids(ws)
    dept_ids = ws.run(lambda s, _a: {r.name: r.id for r in list_departments(s)})
    staff = Actor(login="zhang", role="staff", department_ids=frozenset({dept_ids["区市场监管局"]}))
    ws.run(lambda s, _a: tasks.record_progress(s, actor=staff, task_id=first, today=TODAY, percent=40, note="已起草"))
    with pytest.raises(PermissionDenied, match="只有牵头单位"):
        ws.run(lambda s, _a: tasks.record_progress(s, actor=staff, task_id=first, today=TODAY, status="已完成", note="完成"))
    with pytest.raises(PermissionDenied, match="不由您所在的部门"):
        ws.run(lambda s, _a: tasks.record_progress(s, actor=staff, task_id=third, today=TODAY, percent=10, note="x"))
    leader = Actor(login="li", role="leader")
    with pytest.raises(PermissionDenied, match="领导"):
        ws.run(lambda s, _a: tasks.record_progress(s, actor=leader, task_id=first, today=TODAY, percent=10, note="x"))
    updates = ws.run(lambda s, _a: s.exec(select(ProgressUpdate)).all())
    assert len(updates) == 1


def test_validation_leaves_nothing_written(ws: Workspace) -> None:
    first = _task_ids(ws)[0]
    bad = [
        ({"percent": 120}, "percent"),
        ({"status": "已完成"}, "note"),
        ({"status": "暂缓"}, "reason"),
        ({"new_deadline": date(2022, 9, 30), "note": "x"}, "reason"),
        ({"figures": {"出庭应诉率": "很高"}}, "figures"),
        ({"figures": {"满意率": 90}}, "figures"),
    ]
    for kwargs, field in bad:
        with pytest.raises(ValidationError) as err:
            ws.run(lambda s, _a, kw=kwargs: tasks.record_progress(s, actor=ADMIN, task_id=first, today=TODAY, **kw))
        assert err.value.field == field, kwargs
    assert ws.run(lambda s, _a: s.exec(select(ProgressUpdate)).all()) == []
    task = ws.run(lambda s, _a: s.get(Task, first))
    assert task is not None and task.version == 1


def test_second_save_of_same_version_is_refused_and_retry_succeeds(ws: Workspace) -> None:
    first = _task_ids(ws)[0]
    version = ws.run(lambda s, _a: tasks.get_task(s, task_id=first).version)
    ws.run(lambda s, _a: tasks.record_progress(
        s, actor=ADMIN, task_id=first, today=TODAY, percent=30, note="甲的记录", expected_version=version))
    with pytest.raises(ConflictError) as err:
        ws.run(lambda s, _a: tasks.record_progress(
            s, actor=ADMIN, task_id=first, today=TODAY, percent=35, note="乙的记录", expected_version=version))
    assert any("甲的记录" in line for line in err.value.changes)
    retry = ws.run(lambda s, _a: tasks.record_progress(
        s, actor=ADMIN, task_id=first, today=TODAY, percent=35, note="乙的记录",
        expected_version=err.value.current_version))
    assert retry.note == "乙的记录"
    detail = ws.run(lambda s, _a: tasks.get_task_detail(s, task_id=first, today=TODAY))
    assert [u.update.note for u in detail.updates] == ["乙的记录", "甲的记录"]
    assert detail.row.percent == 35


def test_deferral_moves_deadline_with_reason_and_audit(ws: Workspace) -> None:
    first = _task_ids(ws)[0]
    ws.run(lambda s, _a: tasks.record_progress(
        s, actor=ADMIN, task_id=first, today=TODAY, new_deadline=date(2022, 9, 30), reason="等待上级文件"))
    detail = ws.run(lambda s, _a: tasks.get_task_detail(s, task_id=first, today=TODAY))
    assert detail.row.deadline == date(2022, 9, 30) and detail.row.deadline_source == "assigned"
    actions = [e.action for e in ws.run(lambda s, _a: s.exec(select(AuditEntry).order_by(AuditEntry.id)).all())]
    assert actions == ["import", "progress", "deadline"]
