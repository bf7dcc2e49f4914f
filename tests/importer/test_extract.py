"""What one task's words say: owners, deadlines, cadences, targets, documents."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.rrule import rrulestr

from tracker.importer import extract as ex


def owners(text: str) -> list[tuple[str, str, bool]]:
    return [(o.department, o.role, o.collective) for o in ex.find_owners(text).owners]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "完成事项。牵头单位：区教育局、区建筑工务局",
            [("区教育局", "lead", False), ("区建筑工务局", "lead", False)],
        ),
        (
            "开展评查（牵头单位：区司法局，配合单位：区财政局、区审计局）。",
            [("区司法局", "lead", False), ("区财政局", "support", False), ("区审计局", "support", False)],
        ),
        (
            "修订制度（责任处室：办公室、法规安全处）",
            [("办公室", "lead", False), ("法规安全处", "lead", False)],
        ),
        ("推进改革（区司法局牵头，各部门配合）", [("区司法局", "lead", False), ("各部门", "support", True)]),
        ("建设道路（交通与建设处负责）", [("交通与建设处", "lead", False)]),
        (
            "完善机制。\n责任处室：法规处\n配合处室（单位）：办公室",
            [("法规处", "lead", False), ("办公室", "support", False)],
        ),
        ("抓好落实，各处室按职责分工负责。", [("各处室", "lead", True)]),
        ("责任单位：各有关单位", [("各有关单位", "lead", True)]),
        ("由区司法局牵头，建立联席会议制度。", [("区司法局", "lead", False)]),
        ("牵头单位：市市场和质量监管委龙岗局（区食药安办）", [("市市场和质量监管委龙岗局", "lead", False)]),
        # brackets that are not owners
        ("贯彻《规划（2020-2025年）》，推进（试点）工作。", []),
        ("完成时限：6月底前（按季度报送进展）", []),
    ],
)
def test_owners(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert owners(text) == expected


def test_owner_annotations_leave_the_title() -> None:
    text = "推进改革，落实责任（区司法局牵头，各部门配合）。牵头单位：区教育局"
    found = ex.find_owners(text)
    assert ex.make_title(ex.cut_spans(text, found.spans)) == "推进改革，落实责任"


@pytest.mark.parametrize(
    ("text", "when", "source", "vague"),
    [
        ("3月底前完成", date(2022, 3, 31), "text", False),
        ("6月底前完成", date(2022, 6, 30), "text", False),
        ("2月底前完成", date(2022, 2, 28), "text", False),
        ("年底前完成", date(2022, 12, 31), "text", False),
        ("第三季度完成", date(2022, 9, 30), "text", False),
        ("上半年完成", date(2022, 6, 30), "text", False),
        ("2022年10月底完成", date(2022, 10, 31), "text", False),
        ("11月15日前报送", date(2022, 11, 15), "text", False),
        ("9月中旬召开", date(2022, 9, 20), "text", False),
        ("完成时限：长期坚持", date(2022, 12, 31), "default", True),
        ("确保按期完成", date(2022, 12, 31), "default", True),
        ("2018年6月出台的办法", date(2022, 12, 31), "default", False),  # a past year: a reference
        ("加强学习", date(2022, 12, 31), "default", False),
    ],
)
def test_deadlines(text: str, when: date, source: str, vague: bool) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, 2022), 2022)
    assert (chosen.date, chosen.source, chosen.vague) == (when, source, vague)


@pytest.mark.parametrize(
    ("text", "rule", "flagged"),
    [
        ("每年举办培训", "FREQ=YEARLY", False),
        ("每季度通报", "FREQ=MONTHLY;INTERVAL=3", False),
        ("季度有通报", "FREQ=MONTHLY;INTERVAL=3", False),
        ("每月调度", "FREQ=MONTHLY", False),
        ("实行周分析", "FREQ=WEEKLY", False),
        ("每半年评估一次", "FREQ=MONTHLY;INTERVAL=6", False),
        ("定期组织培训", None, True),
    ],
)
def test_recurrence(text: str, rule: str | None, flagged: bool) -> None:
    found = ex.choose_recurrence(ex.find_recurrences(text))
    assert found is not None and (found.rrule, found.flagged) == (rule, flagged)
    if rule:
        rrulestr("RRULE:" + rule, dtstart=date(2022, 1, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("继续保持行政机关负责人出庭应诉率100%的良好势头", ("出庭应诉率", 100, "%")),
        ("届时将新增学位3330个", ("新增学位", 3330, "个")),
        ("安排专项资金1.2亿元", ("专项资金", 1.2, "亿元")),
        ("力争专利授权量达到1.2万件", ("专利授权量", 1.2, "万件")),
        ("地区生产总值增长6.5%", ("地区生产总值增长", 6.5, "%")),
        ("对7家严重失信企业实施信用修复", ("严重失信企业", 7, "家")),
    ],
)
def test_targets(text: str, expected: tuple[str, float, str]) -> None:
    assert [(t.name, t.value, t.unit) for t in ex.find_targets(text)][:1] == [expected]


def test_not_figures() -> None:
    text = "贯彻《规划（2020-2025年）》，2022年起实施，深圳地铁3号线，5G基站，淄高新管办字〔2021〕12号，第3名"
    assert ex.find_targets(text) == []


def test_documents() -> None:
    text = "按照《评估办法》的要求，推动出台《实施纲要》《建设规划》，参照市司法局印发的《通知》要求，制定《工作规则》。"
    assert ex.find_documents(text) == ["实施纲要", "建设规划", "工作规则"]
