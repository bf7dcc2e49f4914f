"""The demo report shipped in the package (tracker/demo/demo_report.txt): a fictional district, same shape as
the sample, and everything the importer can find is in it."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan, ParsedTask
from tracker.importer.parse import parse_report


@pytest.fixture(scope="module")
def demo_text() -> str:
    return resources.files("tracker.demo").joinpath("demo_report.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(demo_text: str, directory: DepartmentDirectory) -> ParsedPlan:
    return parse_report(demo_text, source_name="demo_report.txt", directory=directory)


def task(plan: ParsedPlan, label: str, point: str | None = None) -> ParsedTask:
    it = next(i for i in plan.items if i.label == label)
    return it if point is None else next(c for c in it.children if c.label == point)


def test_fictional(demo_text: str) -> None:
    assert "示范区" in demo_text
    for real in ("淄博", "深圳", "广东", "山东", "光明区", "龙岗"):
        assert real not in demo_text


def test_metadata(demo: ParsedPlan) -> None:
    assert demo.year == 2026
    assert demo.title == "关于2025年度法治政府建设工作的报告"
    assert demo.issuers == ["中共示范市委示范区工作委员会", "示范区管理委员会"]
    assert demo.addressee == "市委、市政府"
    assert demo.report_date == date(2026, 1, 20)
    assert demo.section_heading == "四、2026年推进法治政府建设的主要安排"
    assert demo.warnings == []


def test_items_and_points(demo: ParsedPlan) -> None:
    assert [i.label for i in demo.items] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "（七）",
    ]
    assert {i.label: len(i.children) for i in demo.items} == {
        "（一）": 2,
        "（二）": 0,
        "（三）": 0,
        "（四）": 3,
        "（五）": 0,
        "（六）": 2,
        "（七）": 0,
    }
    assert task(demo, "（一）").title == "加强党对法治政府建设的领导"


def test_owners_written_in_the_text(demo: ParsedPlan) -> None:
    first = task(demo, "（一）", "一是").owners
    assert [(o.department, o.role, o.source, o.collective) for o in first] == [
        ("党政办公室", "lead", "text", False),
        ("各部门", "support", "text", True),
    ]
    second = task(demo, "（一）", "二是")
    assert [(o.department, o.written, o.role) for o in second.owners] == [("司法局", "区司法局", "lead")]
    assert "牵头" not in second.title
    assert [(o.department, o.role) for o in task(demo, "（四）", "二是").owners] == [
        ("市场监管局", "lead"),
        ("综合行政执法与应急管理局", "support"),
    ]
    assert [o.department for o in task(demo, "（二）").owners] == ["行政审批服务局"]
    assert "责任单位" not in task(demo, "（二）").title
    seventh = task(demo, "（七）")
    assert seventh.owners[0].collective and seventh.owners[0].department == "各有关单位"


def test_deadlines(demo: ParsedPlan) -> None:
    def deadline(t: ParsedTask) -> tuple[date, str, str | None]:
        assert t.deadline is not None
        return t.deadline.date, t.deadline.source, t.deadline.text

    assert deadline(task(demo, "（一）", "二是")) == (date(2026, 6, 30), "text", "6月底前")
    assert deadline(task(demo, "（二）")) == (date(2026, 9, 30), "text", "9月底前")
    # 3月底前 公布目录, 年底前 完成清理: the task is due at the last of its milestones
    assert deadline(task(demo, "（三）")) == (date(2026, 12, 31), "text", "年底前")
    assert [d.text for d in task(demo, "（三）").deadlines] == ["3月底前", "年底前"]
    assert deadline(task(demo, "（四）", "二是")) == (date(2026, 6, 30), "text", "上半年")
    assert deadline(task(demo, "（六）", "一是")) == (date(2026, 9, 30), "text", "第三季度")
    seventh = task(demo, "（七）").deadline
    assert (
        seventh is not None
        and seventh.vague
        and seventh.text == "长期坚持"
        and seventh.date == date(2026, 12, 31)
    )


def test_recurrence_and_targets(demo: ParsedPlan) -> None:
    def rule(t: ParsedTask) -> str | None:
        return t.recurrence.rrule if t.recurrence else None

    assert rule(task(demo, "（四）", "一是")) == "FREQ=MONTHLY;INTERVAL=3"
    assert rule(task(demo, "（五）")) == "FREQ=MONTHLY"
    assert rule(task(demo, "（七）")) == "FREQ=YEARLY"
    flagged = task(demo, "（六）", "二是").recurrence
    assert flagged is not None and flagged.flagged and flagged.rrule is None
    assert ("出庭应诉率", 100, "%") in [(t.name, t.value, t.unit) for t in task(demo, "（五）").targets]
    assert (98, "%") in [(t.value, t.unit) for t in task(demo, "（二）").targets]


def test_baseline(demo: ParsedPlan) -> None:
    assert len(demo.baseline) >= 10
    assert {(812, "项"), (1450, "件"), (100, "%")} <= {(b.value, b.unit) for b in demo.baseline}


def test_every_task_has_owner_or_is_listed(demo: ParsedPlan) -> None:
    unassigned = demo.unassigned_labels()
    for t in demo.tasks():
        assert t.deadline is not None
        assert t.owners or any(lbl.endswith(t.label) for lbl in unassigned)
