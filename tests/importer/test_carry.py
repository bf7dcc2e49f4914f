"""Carrying last year's owners and targets to the tasks of a plan that continue them (pure, no database)."""

from __future__ import annotations

from tracker.importer.carry import PreviousTask, carry_over
from tracker.importer.model import ParsedTarget
from tracker.importer.parse import parse_report

TEXT = """示范区2027年法治政府建设工作要点
一、深化依法行政
1.继续保持行政机关负责人出庭应诉工作良好势头，推动旁听庭审常态化。
2.开展规范性文件集中清理，9月底前公布清理结果。（区司法局负责）
3.建设区级公共法律服务中心。
"""

PREVIOUS = [
    PreviousTask(
        11,
        "继续保持行政机关负责人出庭应诉率100%的良好势头",
        "继续保持行政机关负责人出庭应诉率100%的良好势头，推动旁听庭审常态化。",
        (("法院", "support"), ("司法局", "lead")),
        (ParsedTarget("出庭应诉率", 100.0, "%", "出庭应诉率100%"),),
    ),
    PreviousTask(12, "开展规范性文件集中清理", "开展规范性文件集中清理，6月底前公布清理结果。", (("党政办公室", "lead"),)),
]


def test_continuing_tasks_take_last_years_owners_and_targets() -> None:
    plan = parse_report(TEXT)
    carried = carry_over(plan, PREVIOUS)
    first, second, third = plan.tasks()
    assert [(o.department, o.role, o.source) for o in first.owners] == [
        ("法院", "support", "carried"),
        ("司法局", "lead", "carried"),
    ]
    assert [(t.name, t.value) for t in first.targets] == [("出庭应诉率", 100.0)]  # the new text names none
    # owners written in the new text win over last year's
    assert [(o.department, o.source) for o in second.owners] == [("司法局", "text")]
    # a new task continues nothing
    assert all(o.source != "carried" for o in third.owners) and not third.targets
    assert [(c.label, c.previous_id, c.owners, c.targets) for c in carried] == [("1.", 11, True, 1)]


def test_nothing_to_carry_from_an_empty_year() -> None:
    plan = parse_report(TEXT)
    before = plan.to_json()
    assert carry_over(plan, []) == []
    assert plan.to_json() == before
