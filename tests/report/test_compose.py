"""The drafting rules as pure functions: result-style headings, numbering, target verdicts, comparisons with last
year's baseline, and how a missed target flows into 三 and 四. Data are built directly as the plain dataclasses
the drafting service returns (no database needed for the rules)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker.domain.schedule import Light
from tracker.report.compose import (
    advance_years,
    cn_number,
    comparison,
    compose_draft,
    points,
    result_heading,
)
from tracker.report.model import Kind
from tracker.services.drafting import (
    DraftBaseline,
    DraftData,
    DraftItem,
    DraftPlan,
    DraftTarget,
    DraftTask,
    DraftUpdate,
)


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("完善规范性文件评估清理流程", "规范性文件评估清理流程进一步完善"),
        ("加强依法行政宣传培训力度", "依法行政宣传培训力度持续加强"),
        ("推进科学民主决策", "科学民主决策深入推进"),
        ("健全行政复议应诉制度体系", "行政复议应诉制度体系不断健全"),
        ("加强对法律顾问团的管理", "法律顾问团的管理持续加强"),  # the preposition goes
        ("全面提升法治思维和依法行政能力", "法治思维和依法行政能力全面提升"),  # its own adverbial kept
        ("依法有效化解社会矛盾纠纷", "社会矛盾纠纷依法有效化解"),
        ("组织开展行政执法案卷评查", "行政执法案卷评查深入开展"),  # the second verb is the result
        ("建立健全行政裁量权基准制度", "行政裁量权基准制度不断健全"),
        ("抓好工委全面依法治区工作推进落实", "工委全面依法治区工作推进落实取得实效"),
        ("优质教育资源", "优质教育资源"),  # no verb: kept as written
    ],
)
def test_result_heading(title: str, heading: str) -> None:
    assert result_heading(title) == heading


def test_numbers_points_and_years() -> None:
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 23, 100, 105, 116)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
        "一百",
        "一百零五",
        "一百一十六",
    ]
    assert points(["召开会议", "印发方案"]) == "一是召开会议；二是印发方案。"
    assert points(["召开会议"]) == "召开会议。"
    assert advance_years("关于2021年度法治政府建设工作的报告", 2022) == "关于2022年度法治政府建设工作的报告"
    # Both years move together; a programme's period (2021－2025年) is not a report year and stays.
    assert advance_years("2021年…2022年推进…（2021－2025年）", 2022) == "2022年…2023年推进…（2021－2025年）"


def test_comparison_with_last_year() -> None:
    assert comparison(28, 34, "件") == "由上年的28件增至34件，增长21.4%"
    assert comparison(40, 30, "件") == "由上年的40件降至30件，下降25%"
    assert comparison(95, 100, "%") == "由上年的95%增至100%"  # rates: no percentage of a percentage
    assert comparison(100, 100, "%") == "与上年持平（100%）"


def _task(task_id: int, item_id: int, title: str, **kw: object) -> DraftTask:
    values: dict[str, object] = {
        "id": task_id,
        "item_id": item_id,
        "label": "（一）",
        "code": "（一）",
        "position": 1,
        "title": title,
        "text": title + "。",
        "documents": [],
        "status": "in_progress",
        "percent": 50,
        "start_date": date(2022, 1, 1),
        "deadline": date(2022, 12, 31),
        "deadline_text": None,
        "deadline_source": "text",
        "recurrence": None,
        "recurrence_text": None,
        "collective_owner": None,
        "leads": ["司法局"],
        "supports": [],
        "light": Light.GREEN,
        "overdue": False,
        "behind": False,
    }
    values.update(kw)
    return DraftTask(**values)  # type: ignore[arg-type]


def _update(update_id: int, task_id: int, day: date, **kw: object) -> DraftUpdate:
    values: dict[str, object] = {
        "id": update_id,
        "task_id": task_id,
        "recorded_at": datetime(day.year, day.month, day.day, 2, tzinfo=UTC),
        "recorded_on": day,
        "author": "tester",
        "department": "司法局",
        "status": "in_progress",
        "percent": 50,
        "note": "",
        "problems": "",
        "next_steps": "",
        "reason": "",
        "new_deadline": None,
    }
    values.update(kw)
    return DraftUpdate(**values)  # type: ignore[arg-type]


def _data(tasks: list[DraftTask], baselines: list[DraftBaseline]) -> DraftData:
    plan = DraftPlan(
        1,
        2022,
        "关于2021年度法治政府建设工作的报告",
        ["某区人民政府"],
        "市政府",
        None,
        "样本.txt",
        "",
        None,
        "report",
    )
    item = DraftItem(1, "（一）", 1, "健全行政复议应诉制度体系", "", tasks)
    return DraftData(plan, date(2023, 1, 10), True, [item], baselines)


def test_missed_target_is_stated_with_its_figure_flagged_in_three_and_answered_in_four() -> None:
    update = _update(
        7,
        1,
        date(2022, 11, 30),
        note="负责人出庭应诉23件",
        figures={3: 92.0},
        problems="部分负责人因公务冲突未能出庭",
        next_steps="建立出庭应诉提醒和备案制度",
    )
    target = DraftTarget(3, 1, "出庭应诉率", 100.0, "%", "出庭应诉率100%", 92.0, 7)
    cases = DraftTarget(4, 1, "行政复议案件", 30.0, "件", "", None, None)
    task = _task(1, 1, "完善行政机关负责人参与应诉机制", targets=[target, cases], updates=[update])
    baseline = DraftBaseline(9, "出庭率", 100.0, "%", "需要出庭的28个，出庭率100%")
    draft = compose_draft(_data([task], [baseline]))
    by_key = {s.key: s for s in draft.sections}

    one = "\n".join(p.text for p in by_key["measures"].paragraphs)
    assert "出庭应诉率目标为100%，实际为92%，未完成，由上年的100%降至92%" in one
    assert "未完成，由上年的100%降至92%【待补充：目标未完成，请说明原因并斟酌表述】；" in one
    assert "行政复议案件目标为30件，无数据【待补充：行政复议案件的实际数值】。" in one
    target_para = next(p for p in by_key["measures"].paragraphs if "出庭应诉率目标" in p.text)
    assert {s.label.split("（")[0] for s in target_para.sources} >= {
        "任务#1",
        "指标#3",
        "进展#7",
        "上年基线#9",
    }

    three = "\n".join(p.text for p in by_key["problems"].paragraphs)
    assert "出庭应诉率实际为92%，未达到100%的目标，主要原因是部分负责人因公务冲突未能出庭" in three
    four = "\n".join(p.text for p in by_key["next"].paragraphs)
    assert four.startswith("（一）健全行政复议应诉制度体系。")
    assert "建立出庭应诉提醒和备案制度" in four  # the measure for the problem of 三


def test_nothing_recorded_gives_marked_slots_not_prose() -> None:
    draft = compose_draft(
        _data([_task(1, 1, "完善行政机关负责人参与应诉机制", status="not_started", percent=0)], [])
    )
    measures = next(s for s in draft.sections if s.key == "measures")
    body = [p for p in measures.paragraphs if p.kind == Kind.BODY]
    assert "【待补充：本项无进展记录】" in body[0].text and "尚未启动" not in body[0].text
    for paragraph in draft.paragraphs():
        assert paragraph.sources or paragraph.has_todo, paragraph.text


def test_an_upper_limit_is_met_at_or_below_its_value() -> None:
    limit = DraftTarget(5, 1, "行政诉讼败诉率", 10.0, "%", "行政诉讼败诉率控制在10%以内", 10.0, 8, at_most=True)
    update = _update(8, 1, date(2022, 12, 1), note="全年败诉4件", figures={5: 10.0})
    draft = compose_draft(_data([_task(1, 1, "提升行政应诉质效", targets=[limit], updates=[update])], []))
    one = "\n".join(p.text for s in draft.sections if s.key == "measures" for p in s.paragraphs)
    assert "行政诉讼败诉率目标为不超过10%，实际为10%，已完成。" in one
