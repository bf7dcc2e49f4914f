"""A year of records on the plan imported from the real sample report, for drafting next year's report.

Dates are chosen so that, as of 2023-01-10, the plan has done tasks with figures, an overdue task with a recorded
reason, an overdue task with none, a 暂缓 task, a recurring task and one with nothing recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from tests.conftest import Cli
from tracker.services.tasks import list_tasks, record_progress
from tracker.services.workspace import Workspace

AS_OF = date(2023, 1, 10)


def at(month: int, day: int) -> datetime:
    return datetime(
        2022, month, day, 2, 0, tzinfo=UTC
    )  # 10:00 in China: the same local date everywhere east of UTC


# (task code, month, day, fields for record_progress)
RECORDS: list[tuple[str, int, int, dict[str, object]]] = [
    ("（一）一是", 3, 15, {"percent": 30, "note": "召开工委全面依法治区委员会会议，部署年度工作"}),
    (
        "（一）一是",
        9,
        30,
        {"status": "done", "note": "出台《淄博高新区法治政府建设实施纲要（2021-2025年）》"},
    ),
    ("（一）二是", 4, 20, {"percent": 50, "note": "组织工委理论中心组专题学习习近平法治思想2次"}),
    (
        "（一）二是",
        12,
        20,
        {"status": "done", "note": "在高新区通讯开设习近平法治思想解读专栏，刊发文章12篇"},
    ),
    (
        "（二）",
        5,
        10,
        {
            "percent": 20,
            "note": "完成规范性文件制发前评估2件",
            "problems": "专业评估力量不足，后评估工作尚未开展",
            "next_steps": "引入第三方机构开展规范性文件后评估",
        },
    ),
    ("（三）", 6, 30, {"percent": 50, "note": "行政机关负责人出庭应诉15件", "figures": {"出庭应诉率": 96}}),
    (
        "（三）",
        12,
        28,
        {
            "status": "done",
            "note": "全年需出庭案件28件，行政机关负责人全部出庭",
            "figures": {"出庭应诉率": 100},
        },
    ),
    (
        "（四）",
        8,
        15,
        {"status": "done", "note": "举办领导干部和行政执法人员法治专题培训讲座2期，参训300余人次"},
    ),
    (
        "（五）一是",
        7,
        1,
        {
            "percent": 60,
            "note": "开展行政执法案卷评查，评查案卷120份",
            "next_steps": "年底前完成重点领域专项监督检查",
        },
    ),
    ("（五）二是", 3, 1, {"status": "done", "note": "公布2022年度免检免扰企业名单，涉及企业52家"}),
    ("（五）三是", 9, 1, {"status": "suspended", "reason": "市级不罚清单调整，待上级新清单印发后推进"}),
    # 也记录一条与（五）一是重复的进展：起草时应合并
    ("（五）一是", 7, 2, {"percent": 60, "note": "开展行政执法案卷评查，评查案卷120份。"}),
]


@dataclass
class Recorded:
    cli: Cli
    db_url: str
    ids: dict[str, int]  # task code → id
    as_of: date = AS_OF


def record_year(db_url: str) -> dict[str, int]:
    ws = Workspace(db_url, login="tester", today=date(2022, 1, 1))
    try:
        rows = ws.run(lambda s, _a: list_tasks(s, today=AS_OF, plan=2022))
        ids = {row.code: row.id for row in rows}
        for code, month, day, fields in RECORDS:
            ws.run(
                lambda s, a, code=code, month=month, day=day, fields=fields: record_progress(
                    s,
                    actor=a,
                    task_id=ids[code],
                    today=date(2022, month, day),
                    at=at(month, day),
                    **fields,  # type: ignore[arg-type]
                )
            )
    finally:
        ws.dispose()
    return ids


@pytest.fixture
def recorded(sample_cli: Cli, db_url: str) -> Recorded:
    """The sample plan (2022) with a year of progress recorded."""
    return Recorded(sample_cli, db_url, record_year(db_url))
