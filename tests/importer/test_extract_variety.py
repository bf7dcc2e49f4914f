"""Ways offices write owners, time limits, cadences and targets that the first probes of real reports found read
wrongly: each case as one sentence for the extract functions, and small fictional reports through parse_report."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil.rrule import rrulestr

from tracker.importer import extract as ex
from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedOwner, ParsedPlan, ParsedTask
from tracker.importer.parse import parse_report

PLAN_YEAR = 2024


def owners(text: str) -> list[tuple[str, str, bool]]:
    return [(o.department, o.role, o.collective) for o in ex.find_owners(text).owners]


def title_without_owners(text: str) -> str:
    return ex.make_title(ex.cut_spans(text, ex.find_owners(text).spans))


# ---------------------------------------------------------------------------------------------------------------
# Owners


@pytest.mark.parametrize(
    ("text", "expected", "title"),
    [
        # with a 牵头单位, the 责任单位 carry the work out under it
        (
            "实现全覆盖（牵头单位：区司法局；责任单位：各镇街、区级各部门）",
            [("区司法局", "lead", False), ("各镇街", "support", True), ("区级各部门", "support", True)],
            "实现全覆盖",
        ),
        (
            "实现全覆盖。\n牵头单位：区司法局\n责任单位：区财政局",
            [("区司法局", "lead", False), ("区财政局", "support", False)],
            "实现全覆盖",
        ),
        # without one, 责任单位 are the leads
        (
            "开展评查（责任单位：区司法局、区财政局）",
            [("区司法局", "lead", False), ("区财政局", "lead", False)],
            "开展评查",
        ),
        # running text, with and without 由
        (
            "深化体系建设，由区司法局牵头，区委编办、区财政局配合，9月底前实现全覆盖",
            [("区司法局", "lead", False), ("区委编办", "support", False), ("区财政局", "support", False)],
            "深化体系建设，9月底前实现全覆盖",
        ),
        (
            "深化体系建设，区司法局牵头，区委编办配合。",
            [("区司法局", "lead", False), ("区委编办", "support", False)],
            "深化体系建设",
        ),
        (
            "三是由区司法局牵头，区委编办配合，9月底前实现全覆盖",
            [("区司法局", "lead", False), ("区委编办", "support", False)],
            "三是9月底前实现全覆盖",
        ),
        (
            "合格率达到95%以上。由教育执法支队牵头，区市场监管局、区公安分局配合。",
            [
                ("教育执法支队", "lead", False),
                ("区市场监管局", "support", False),
                ("区公安分局", "support", False),
            ],
            "合格率达到95%以上",
        ),
        (
            "出台若干措施（区发改局牵头，区司法局、区市场监管局配合）。",
            [("区发改局", "lead", False), ("区司法局", "support", False), ("区市场监管局", "support", False)],
            "出台若干措施",
        ),
        # an owner annotation that also carries the time limit, and a unit that is a school
        (
            "组织开展自查评估（市司法局负责，2024年6月底前完成）",
            [("市司法局", "lead", False)],
            "组织开展自查评估",
        ),
        ("举办专题培训班（区委党校负责）。", [("区委党校", "lead", False)], "举办专题培训班"),
        # collective names end in a label word: kept whole
        (
            "办理建议提案（责任单位：区政府办公室、各承办单位）",
            [("区政府办公室", "lead", False), ("各承办单位", "lead", True)],
            "办理建议提案",
        ),
        ("落实普法责任制。配合单位：各普法责任单位", [("各普法责任单位", "support", True)], "落实普法责任制"),
        (
            "推进法治医院建设（责任单位：局属各医疗机构）",
            [("局属各医疗机构", "lead", True)],
            "推进法治医院建设",
        ),
        (
            "开展督察（牵头单位：区委依法治区办；配合单位：各有关单位按职责分工负责）",
            [("区委依法治区办", "lead", False), ("各有关单位", "support", True)],
            "开展督察",
        ),
        # "由X负责" inside a longer clause: the owner is read, the words stay
        ("由区司法局负责组织实施", [("区司法局", "lead", False)], "由区司法局负责组织实施"),
        # not owners
        ("持续推进依法行政，全面负责。", [], "持续推进依法行政，全面负责"),
        ("党政主要负责人履行第一责任人职责", [], "党政主要负责人履行第一责任人职责"),
        ("组织评估（6月底前完成）", [], "组织评估（6月底前完成）"),
    ],
)
def test_owners(text: str, expected: list[tuple[str, str, bool]], title: str) -> None:
    assert owners(text) == expected
    assert all(o.source == "text" for o in ex.find_owners(text).owners)
    assert title_without_owners(text) == title


# ---------------------------------------------------------------------------------------------------------------
# Deadlines


@pytest.mark.parametrize(
    ("text", "when", "words", "vague"),
    [
        ("力争2024年底前通过省级验收", date(2024, 12, 31), "2024年底前", False),
        ("2024年底前", date(2024, 12, 31), "2024年底前", False),
        ("2024年12月底前完成", date(2024, 12, 31), "2024年12月底前", False),
        ("2024年年底前完成", date(2024, 12, 31), "2024年年底前", False),
        ("今年底前完成", date(2024, 12, 31), "今年底前", False),
        ("年内完成", date(2024, 12, 31), "年内", False),
        ("本年度内完成", date(2024, 12, 31), "本年度内", False),
        # a fixed solar holiday, read like "10月1日前"
        ("国庆节前举办法治文化节", date(2024, 10, 1), "国庆节前", False),
        ("五一前夕开展安全检查", date(2024, 5, 1), "五一前夕", False),
        # a lunar holiday or a season moves: kept as written for a person
        ("春节前开展送法下乡", date(2024, 12, 31), "春节前", True),
        ("汛期前完成除险加固", date(2024, 12, 31), "汛期前", True),
        ("中秋节前完成走访", date(2024, 12, 31), "中秋节前", True),
        # a standing task written as a sentence of its own
        ("覆盖率达到100%。长期坚持。", date(2024, 12, 31), "长期坚持", True),
        ("覆盖率达到100%。持续推进。", date(2024, 12, 31), "持续推进", True),
        ("推广经验，持续推进。", date(2024, 12, 31), "持续推进", True),
        ("长期坚持开展法律服务进企业活动", date(2024, 12, 31), "长期坚持", True),
        ("完成时限：持续推进", date(2024, 12, 31), "持续推进", True),
        ("（常态化推进）", date(2024, 12, 31), "常态化推进", True),
        ("国庆节前完成，长期坚持", date(2024, 10, 1), "国庆节前", False),  # a date wins over a standing word
    ],
)
def test_deadlines(text: str, when: date, words: str, vague: bool) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.date, chosen.text, chosen.vague) == (when, words, vague)
    assert chosen.source == ("default" if vague else "text")


@pytest.mark.parametrize(
    "text",
    [
        "持续推进依法行政，建设法治政府",  # an ordinary verb, not a time limit
        "生态文明建设持续推进。",
        "到2025年底建成",  # another year
        "2023年底前已完成",
        "2025年春节前",
        "做好防汛前期准备",
        "彻底解决历史遗留问题",
    ],
)
def test_not_deadlines(text: str) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.date, chosen.source, chosen.vague, chosen.text) == (
        date(2024, 12, 31),
        "default",
        False,
        None,
    )


# ---------------------------------------------------------------------------------------------------------------
# Cadences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每两个月通报一次进展", [("FREQ=MONTHLY;INTERVAL=2", "每两个月")]),
        ("每三个月开展一次评估", [("FREQ=MONTHLY;INTERVAL=3", "每三个月")]),
        ("每2周召开一次例会", [("FREQ=WEEKLY;INTERVAL=2", "每2周")]),
        ("每半月开展一次隐患排查", [("FREQ=WEEKLY;INTERVAL=2", "每半月")]),
        ("每学期至少开展一次法治讲座", [(None, "每学期")]),
        ("每年6月、12月各开展一次", [("FREQ=YEARLY;BYMONTH=6,12", "每年6月、12月")]),
        ("每年3月开展普法宣传月活动", [("FREQ=YEARLY;BYMONTH=3", "每年3月")]),
        ("每年3月至5月开展专项行动", [("FREQ=YEARLY", "每年")]),  # a span of months, not the months to meet
        (
            "实行周调度、月通报、季观摩",
            [("FREQ=WEEKLY", "周调度"), ("FREQ=MONTHLY", "月通报"), ("FREQ=MONTHLY;INTERVAL=3", "季观摩")],
        ),
        ("开展季点评", [("FREQ=MONTHLY;INTERVAL=3", "季点评")]),
        ("每两年开展一次评估", [("FREQ=YEARLY;INTERVAL=2", "每两年")]),
        # rates inside amounts are not cadences
        ("低保标准提高到每人每月1100元", []),
        ("每月每人补助500元", []),
        ("执法人员每人每年培训不少于40学时", []),
        ("春季观摩、第一季度", []),
    ],
)
def test_recurrences(text: str, expected: list[tuple[str | None, str]]) -> None:
    found = ex.find_recurrences(text)
    assert [(r.rrule, r.text) for r in found] == expected
    assert [r.flagged for r in found] == [rule is None for rule, _ in expected]


def test_written_months_are_the_months_scheduled() -> None:
    (found,) = ex.find_recurrences("每年6月、12月各开展一次")
    assert found.rrule is not None
    rule = rrulestr("RRULE:" + found.rrule, dtstart=datetime(2024, 1, 15))
    assert [d.date() for d in rule[:3]] == [date(2024, 6, 15), date(2024, 12, 15), date(2025, 6, 15)]


def test_every_two_months_is_scheduled_every_two_months() -> None:
    (found,) = ex.find_recurrences("每两个月通报一次")
    assert found.rrule is not None
    rule = rrulestr("RRULE:" + found.rrule, dtstart=datetime(2024, 1, 31))
    assert [d.date() for d in rule[:3]] == [date(2024, 1, 31), date(2024, 3, 31), date(2024, 5, 31)]


# ---------------------------------------------------------------------------------------------------------------
# Targets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出庭应诉率保持100%", [("出庭应诉率", 100, "%")]),
        ("区政府规范性文件合法性审核率保持100%", [("区政府规范性文件合法性审核率", 100, "%")]),
        ("全年新增共享数据目录50个", [("共享数据目录", 50, "个")]),
        ("电子证照共享应用率达到80%", [("电子证照共享应用率", 80, "%")]),
        ("评查案卷不少于300卷", [("评查案卷", 300, "卷")]),
        ("完成食品安全抽检4.5批次/千人", [("食品安全抽检", 4.5, "批次/千人")]),
        ("低保标准提高到每人每月1100元", [("低保标准", 1100, "元")]),
        ("区政府常务会议会前学法每年4次", [("区政府常务会议会前学法", 4, "次")]),
        ("涉企检查频次同比下降20%以上", [("涉企检查频次同比下降", 20, "%")]),
        ("部门联合抽查比例不低于30%", [("抽查比例", 30, "%")]),
        ("全年为经营主体减税降费不少于1.2亿元", [("经营主体减税降费", 1.2, "亿元")]),
    ],
)
def test_targets(text: str, expected: list[tuple[str, float, str]]) -> None:
    found = ex.find_targets(text)
    assert [(t.name, t.value, t.unit) for t in found] == expected
    assert not any(t.at_most for t in found)  # goals to reach or pass


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # upper limits: the name is the measure, the direction is at_most
        ("行政诉讼败诉率控制在10%以内", ("行政诉讼败诉率", 10, "%")),
        ("行政复议纠错率不超过5%", ("行政复议纠错率", 5, "%")),
        ("城镇调查失业率5.5%以下", ("城镇调查失业率", 5.5, "%")),
        ("城镇调查失业率控制在5.5%以下", ("城镇调查失业率", 5.5, "%")),
        ("行政诉讼败诉率降至3%以下", ("行政诉讼败诉率", 3, "%")),
        ("行政诉讼败诉率降至3%", ("行政诉讼败诉率", 3, "%")),
        ("行政复议案件超期率低于2%", ("行政复议案件超期率", 2, "%")),
        ("执法案卷不合格率不高于5%", ("执法案卷不合格率", 5, "%")),
        ("开办时间压缩至0.5个工作日", ("开办时间", 0.5, "个工作日")),
        ("涉企行政处罚案件数量减少到20件", ("涉企行政处罚案件数量", 20, "件")),
        ("检查次数不超过2次", ("检查次数", 2, "次")),
        ("涉企检查每年最多1次", ("涉企检查", 1, "次")),
    ],
)
def test_upper_limits(text: str, expected: tuple[str, float, str]) -> None:
    (target,) = ex.find_targets(text)
    assert (target.name, target.value, target.unit, target.at_most) == (*expected, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a reduction by an amount reports the reduction itself: a goal to reach
        ("涉企检查频次同比下降20%以上", ("涉企检查频次同比下降", 20, "%")),
        ("行政审批时限减少30%", ("行政审批时限减少", 30, "%")),
        ("证明事项压减50%", ("证明事项压减", 50, "%")),
        ("部门联合抽查比例不低于30%", ("抽查比例", 30, "%")),
        ("出庭应诉率保持100%以上", ("出庭应诉率", 100, "%")),
    ],
)
def test_reductions_and_floors_are_at_least(text: str, expected: tuple[str, float, str]) -> None:
    (target,) = ex.find_targets(text)
    assert (target.name, target.value, target.unit, target.at_most) == (*expected, False)


def test_an_upper_limit_keeps_its_words_in_the_text() -> None:
    (target,) = ex.find_targets("严格依法行政，行政诉讼败诉率控制在10%以内。")
    assert target.text == "严格依法行政，行政诉讼败诉率控制在10%以内"
    assert (target.name, target.at_most) == ("行政诉讼败诉率", True)
    assert target.to_json() == {
        "name": "行政诉讼败诉率",
        "value": 10,
        "unit": "%",
        "text": "严格依法行政，行政诉讼败诉率控制在10%以内",
        "at_most": True,
    }
    # a goal's JSON is as it always was: no at_most key
    (goal,) = ex.find_targets("出庭应诉率保持100%")
    assert goal.to_json() == {"name": "出庭应诉率", "value": 100, "unit": "%", "text": "出庭应诉率保持100%"}


# ---------------------------------------------------------------------------------------------------------------
# Whole reports

REPORT = """青石区司法局关于2023年度法治政府建设情况的报告
区委、区政府：
2023年，我局认真贯彻落实上级部署，扎实推进法治政府建设，现将有关情况报告如下。
一、2023年度推进法治政府建设的主要举措和成效
（一）加强组织领导。全年召开专题会议5次，行政机关负责人出庭应诉率100%。
二、2024年度推进法治政府建设的主要安排
（一）组织开展示范创建自查评估（区司法局负责，2024年6月底前完成）。力争2024年底前通过省级验收。
（二）深化行政执法协调监督工作体系建设，由区司法局牵头，区委编办、区财政局配合，9月底前实现区、镇两级全覆盖。
（三）规范涉企检查。涉企检查频次同比下降20%以上，行政诉讼败诉率控制在10%以内，出庭应诉率保持100%。（牵头单位：区司法局；责任单位：各镇街、区级各部门）
（四）第二季度举办全区领导干部法治专题培训班（区委党校负责）。国庆节前举办法治文化节，春节前开展送法下乡活动。
（五）落实普法责任制。每学期至少开展一次法治讲座，每两个月通报一次普法进展。长期坚持。（配合单位：各普法责任单位）
（六）推进数据共享。全年新增共享数据目录50个，电子证照共享应用率达到80%，评查案卷不少于300卷。（责任单位：区政府办公室、各承办单位）
特此报告。
青石区司法局
2024年1月8日
"""

SPEECH = """青石县2024年政府工作报告
各位代表：
现在，我代表县人民政府，向大会报告工作，请予审议。
一、2023年工作回顾
过去一年，全县地区生产总值增长6%。
二、2024年工作安排
（一）抓实项目建设。建立项目推进机制，实行周调度、月通报、季观摩，全年实施重点项目120个。
（二）兜牢民生底线。城乡低保标准提高到每人每月1100元，每年6月、12月各开展一次困难群众走访。持续推进。
（三）守牢安全底线。汛期前完成全部病险水库除险加固，每半月开展一次隐患排查。
各位代表，使命在肩，奋斗有我！
"""


def written(o: ParsedOwner) -> tuple[str, str, bool]:
    """The owner as the report wrote it (the directory may know 区司法局 as 司法局)."""
    return (o.written or o.department, o.role, o.collective)


@pytest.fixture(scope="module")
def report(directory: DepartmentDirectory) -> ParsedPlan:
    return parse_report(REPORT, source_name="青石区2023年法治政府建设报告.txt", directory=directory)


@pytest.fixture(scope="module")
def speech(directory: DepartmentDirectory) -> ParsedPlan:
    return parse_report(SPEECH, source_name="青石县2024年政府工作报告.txt", directory=directory)


def task(plan: ParsedPlan, label: str) -> ParsedTask:
    (found,) = [t for t in plan.tasks() if t.label == label]
    return found


def test_report_plan_year(report: ParsedPlan) -> None:
    assert report.year == PLAN_YEAR
    assert [t.label for t in report.tasks()] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]


def test_owner_with_time_limit_in_one_bracket(report: ParsedPlan) -> None:
    first = task(report, "（一）")
    assert first.title == "组织开展示范创建自查评估"
    assert [(*written(o), o.source) for o in first.owners] == [("区司法局", "lead", False, "text")]
    assert [(d.date, d.text) for d in first.deadlines] == [
        (date(2024, 6, 30), "2024年6月底前"),
        (date(2024, 12, 31), "2024年底前"),
    ]
    assert first.deadline is not None and first.deadline.source == "text"


def test_running_text_lead_and_support(report: ParsedPlan) -> None:
    second = task(report, "（二）")
    assert second.title == "深化行政执法协调监督工作体系建设，9月底前实现区、镇两级全覆盖"
    assert [written(o) for o in second.owners] == [
        ("区司法局", "lead", False),
        ("区委编办", "support", False),
        ("区财政局", "support", False),
    ]
    assert all(o.source == "text" for o in second.owners)
    assert second.deadline is not None and second.deadline.date == date(2024, 9, 30)


def test_responsible_units_under_a_lead_support_it(report: ParsedPlan) -> None:
    third = task(report, "（三）")
    assert [written(o) for o in third.owners] == [
        ("区司法局", "lead", False),
        ("各镇街", "support", True),
        ("区级各部门", "support", True),
    ]
    assert [(t.name, t.value, t.unit, t.at_most) for t in third.targets] == [
        ("涉企检查频次同比下降", 20, "%", False),
        ("行政诉讼败诉率", 10, "%", True),
        ("出庭应诉率", 100, "%", False),
    ]
    assert "责任单位为泛指（各镇街），需指定具体单位" in third.missing


def test_school_owner_and_holidays(report: ParsedPlan) -> None:
    fourth = task(report, "（四）")
    assert fourth.title == "第二季度举办全区领导干部法治专题培训班"
    assert [(*written(o), o.source) for o in fourth.owners] == [("区委党校", "lead", False, "text")]
    # 国庆节前 is a date; 春节前 is kept, flagged, and does not beat it
    assert fourth.deadline is not None
    assert (fourth.deadline.date, fourth.deadline.text) == (date(2024, 10, 1), "国庆节前")
    assert ("春节前", True) in [(d.text, d.vague) for d in fourth.deadlines]


def test_standing_task_with_term_cadence(report: ParsedPlan) -> None:
    fifth = task(report, "（五）")
    assert fifth.deadline is not None
    assert (fifth.deadline.text, fifth.deadline.vague) == ("长期坚持", True)
    assert "完成时限不明确（长期坚持），请设定日期" in fifth.missing
    assert [(r.rrule, r.text) for r in fifth.recurrences] == [
        (None, "每学期"),
        ("FREQ=MONTHLY;INTERVAL=2", "每两个月"),
    ]
    assert fifth.recurrence is not None and fifth.recurrence.rrule == "FREQ=MONTHLY;INTERVAL=2"
    assert [written(o) for o in fifth.owners] == [("各普法责任单位", "support", True)]
    assert "只写明了配合单位，未写明牵头单位" in fifth.missing


def test_collective_responsible_unit_kept_whole(report: ParsedPlan) -> None:
    sixth = task(report, "（六）")
    assert [written(o) for o in sixth.owners] == [
        ("区政府办公室", "lead", False),
        ("各承办单位", "lead", True),
    ]
    assert [(t.name, t.value, t.unit) for t in sixth.targets] == [
        ("共享数据目录", 50, "个"),
        ("电子证照共享应用率", 80, "%"),
        ("评查案卷", 300, "卷"),
    ]


def test_speech_cadences_rates_and_seasons(speech: ParsedPlan) -> None:
    assert speech.year == PLAN_YEAR
    projects, livelihood, safety = speech.tasks()
    assert [(r.rrule, r.text) for r in projects.recurrences] == [
        ("FREQ=WEEKLY", "周调度"),
        ("FREQ=MONTHLY", "月通报"),
        ("FREQ=MONTHLY;INTERVAL=3", "季观摩"),
    ]
    # 每人每月 is part of the amount; the visits are in June and December
    assert [(r.rrule, r.text) for r in livelihood.recurrences] == [
        ("FREQ=YEARLY;BYMONTH=6,12", "每年6月、12月")
    ]
    assert [(t.name, t.value, t.unit) for t in livelihood.targets] == [("城乡低保标准", 1100, "元")]
    assert livelihood.deadline is not None
    assert (livelihood.deadline.text, livelihood.deadline.vague) == ("持续推进", True)
    assert safety.deadline is not None
    assert (safety.deadline.text, safety.deadline.vague, safety.deadline.source) == (
        "汛期前",
        True,
        "default",
    )
    assert "完成时限不明确（汛期前），请设定日期" in safety.missing
    assert [(r.rrule, r.text) for r in safety.recurrences] == [("FREQ=WEEKLY;INTERVAL=2", "每半月")]


# ---------------------------------------------------------------------------------------------------------------
# Third probe: month-only time limits, owner clauses inside a label, time words, written days, listed measures


@pytest.mark.parametrize(
    ("text", "expected", "title"),
    [
        # a clause of a labelled list that writes its own role
        (
            "配齐法治副校长，配备率100%（责任科室：安全稳定科，区公安分局、区司法局配合）",
            [("安全稳定科", "lead", False), ("区公安分局", "support", False), ("区司法局", "support", False)],
            "配齐法治副校长，配备率100%",
        ),
        (
            "开展专项整治（责任单位：区市场监管局，区公安分局协助）",
            [("区市场监管局", "lead", False), ("区公安分局", "support", False)],
            "开展专项整治",
        ),
        # labels without 单位
        (
            "开展法治教育（牵头：区教育局；配合：区司法局）",
            [("区教育局", "lead", False), ("区司法局", "support", False)],
            "开展法治教育",
        ),
        (
            "开展法治教育（牵头：区教育局；责任：各中小学）",
            [("区教育局", "lead", False), ("各中小学", "support", True)],
            "开展法治教育",
        ),
        ("开展法治教育（责任：区教育局）", [("区教育局", "lead", False)], "开展法治教育"),
        ("开展法治教育（主责：区教育局）", [("区教育局", "lead", False)], "开展法治教育"),
        # "主体责任：" ends in 责任 but is no label
        ("压实主体责任：各校长为第一责任人", [], "压实主体责任：各校长为第一责任人"),
        # a run-together list: the next entry "2.3月底前…" ends the owner list
        (
            "开展清理。责任单位：区综合行政执法局、区司法局2.3月底前完成目录调整",
            [("区综合行政执法局", "lead", False), ("区司法局", "lead", False)],
            "开展清理",
        ),
    ],
)
def test_owner_clauses_and_bare_labels(text: str, expected: list[tuple[str, str, bool]], title: str) -> None:
    assert owners(text) == expected
    assert title_without_owners(text) == title


@pytest.mark.parametrize(
    ("text", "when", "words"),
    [
        # a month without 底/前 as a time limit: the whole month
        ("完成时限：2024年9月", date(2024, 9, 30), "2024年9月"),
        ("开展整治（责任单位：综合行政执法队，完成时限：2024年12月）", date(2024, 12, 31), "2024年12月"),
        ("整改时限：2024年6月", date(2024, 6, 30), "2024年6月"),
        ("2024年9月", date(2024, 9, 30), "2024年9月"),  # a table cell
        ("修订管理办法（2024年9月）", date(2024, 9, 30), "2024年9月"),
        ("完成时限：2024年3月至6月", date(2024, 6, 30), "2024年3月至6月"),
        ("完成时限：全年", date(2024, 12, 31), "全年"),
        # a written time limit beats vague words elsewhere in the text
        ("春节前开展专项整治（完成时限：2024年12月）", date(2024, 12, 31), "2024年12月"),
        # 年中 and the 旬 of a month
        ("力争年中完成", date(2024, 6, 30), "年中"),
        ("2024年年中前完成", date(2024, 6, 30), "2024年年中前"),
        ("5月中下旬完成", date(2024, 5, 31), "5月中下旬"),
        ("5月上中旬完成", date(2024, 5, 20), "5月上中旬"),
        ("9月上旬完成", date(2024, 9, 10), "9月上旬"),
        ("11月中旬前完成自查", date(2024, 11, 20), "11月中旬前"),
        ("9月下旬完成", date(2024, 9, 30), "9月下旬"),
        ("9月初步建成", date(2024, 9, 30), "9月"),  # 初步 is not 月初
    ],
)
def test_month_limits_and_parts_of_months(text: str, when: date, words: str) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.date, chosen.text, chosen.source, chosen.vague) == (when, words, "text", False)


@pytest.mark.parametrize(
    ("text", "when", "words"),
    [
        # around a date: the date is kept with the words, marked for a person to confirm; never "12月4日前"
        ("12月4日前后组织宪法晨读活动", date(2024, 12, 4), "12月4日前后"),
        ("12月4日左右组织宪法晨读活动", date(2024, 12, 4), "12月4日左右"),
        ("9月前后完成", date(2024, 9, 30), "9月前后"),
        ("国庆前后开展", date(2024, 10, 1), "国庆前后"),
    ],
)
def test_around_a_date_is_kept_and_flagged(text: str, when: date, words: str) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.date, chosen.text, chosen.source, chosen.vague) == (when, words, "text", True)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # seasons, harvests and school terms: no fixed date, the words are kept
        ("秋收前完成沿河片区农田水利设施改造", "秋收前"),
        ("秋季学期前完成县第三中学新校区建设", "秋季学期前"),
        ("暑期开展“青少年法治夏令营”活动", "暑期"),
        ("暑假前开展防溺水安全教育", "暑假前"),
        ("寒暑假期间开展专项巡查", "寒暑假期间"),
        ("入冬前完成供暖设施检修", "入冬前"),
        ("①夏季开展防溺水宣传", "夏季"),
        ("春节前后走访困难群众", "春节前后"),
    ],
)
def test_seasons_are_vague(text: str, words: str) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.date, chosen.text, chosen.source, chosen.vague) == (
        date(2024, 12, 31),
        words,
        "default",
        True,
    )


@pytest.mark.parametrize(
    "text",
    ["2024年中央部署", "年中考核", "一年中开展两次", "完成时限：2023年9月", "开展冬季攻坚", "秋季攻势"],
)
def test_not_mid_year_or_season(text: str) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.source, chosen.text) == ("default", None)


def test_a_point_number_before_a_month_is_not_a_figure() -> None:
    assert ex.find_targets("1.3月底前完成清理") == []
    assert [(d.text, d.date) for d in ex.find_deadlines("1.3月底前完成清理", PLAN_YEAR)] == [
        ("3月底前", date(2024, 3, 31))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每周五开展一次燃气安全巡查", [("FREQ=WEEKLY;BYDAY=FR", "每周五")]),
        ("每星期三下午开放", [("FREQ=WEEKLY;BYDAY=WE", "每星期三")]),
        ("每周一至周五安排值班", [("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "每周一至周五")]),
        ("每周一、三、五开放", [("FREQ=WEEKLY;BYDAY=MO,WE,FR", "每周一、三、五")]),
        # a count, not Monday
        ("每周一次", [("FREQ=WEEKLY", "每周")]),
        ("每周一至两次", [("FREQ=WEEKLY", "每周")]),
        ("每月15日前报送进展", [("FREQ=MONTHLY;BYMONTHDAY=15", "每月15日")]),
        ("每月5日、20日通报", [("FREQ=MONTHLY;BYMONTHDAY=5,20", "每月5日、20日")]),
        ("每月底前报送", [("FREQ=MONTHLY;BYMONTHDAY=-1", "每月底")]),
        ("每月上旬报送", [("FREQ=MONTHLY;BYMONTHDAY=10", "每月上旬")]),
        ("每月32日", [("FREQ=MONTHLY", "每月")]),  # no such day: the plain cadence
        ("每季度末报送", [("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1", "每季度末")]),
        (
            "于每季度末月25日前将工作进展情况报区委依法治区办",
            [("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=25", "每季度末月25日")],
        ),
        ("每季度开展一次", [("FREQ=MONTHLY;INTERVAL=3", "每季度")]),
        # 每旬: by the end of each 旬 (10th, 20th, last day), not every ten days from the start
        ("每旬报送一次", [("FREQ=MONTHLY;BYMONTHDAY=10,20,-1", "每旬")]),
        ("实行旬调度", [("FREQ=MONTHLY;BYMONTHDAY=10,20,-1", "旬调度")]),
        ("11月中旬调度", []),
    ],
)
def test_written_days_go_into_the_rule(text: str, expected: list[tuple[str | None, str]]) -> None:
    found = ex.find_recurrences(text)
    assert [(r.rrule, r.text) for r in found] == expected
    assert not any(r.flagged for r in found)


@pytest.mark.parametrize(
    ("words", "start", "dates"),
    [
        ("每周五", date(2024, 1, 1), [date(2024, 1, 5), date(2024, 1, 12), date(2024, 1, 19)]),
        ("每季度末", date(2024, 1, 15), [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30)]),
        ("每旬", date(2024, 2, 1), [date(2024, 2, 10), date(2024, 2, 20), date(2024, 2, 29)]),
        ("每月15日", date(2024, 1, 20), [date(2024, 2, 15), date(2024, 3, 15), date(2024, 4, 15)]),
    ],
)
def test_written_days_are_the_days_scheduled(words: str, start: date, dates: list[date]) -> None:
    (found,) = ex.find_recurrences(words)
    assert found.rrule is not None
    rule = rrulestr("RRULE:" + found.rrule, dtstart=datetime(start.year, start.month, start.day))
    assert [d.date() for d in rule[:3]] == dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # measures listed with 、 share the figure (均) or take one each (分别)
        ("组织法律知识考试，参考率、合格率均达到100%", [("参考率", 100, "%"), ("合格率", 100, "%")]),
        (
            "报备率、及时率、规范率均达到100%",
            [("报备率", 100, "%"), ("及时率", 100, "%"), ("规范率", 100, "%")],
        ),
        (
            "全年保税燃油、LNG加注量分别突破40万吨、10万吨",
            [("保税燃油", 40, "万吨"), ("LNG加注量", 10, "万吨")],
        ),
        # a figure joined to the one before has its name
        (
            "城乡低保标准分别提高到每人每月800元和620元",
            [("城乡低保标准", 800, "元"), ("城乡低保标准", 620, "元")],
        ),
        ("全年组织执法人员培训不少于3期、480人次", [("培训", 3, "期"), ("培训", 480, "人次")]),
        # the subject kept whole, not clipped inside a word
        (
            "严格落实合法性审核制度，管委会常务会议审议议题合法性审核率达到100%",
            [("管委会常务会议审议议题合法性审核率", 100, "%")],
        ),
        # a long name starts after a word boundary
        (
            "开发区党政办公室行政规范性文件合法性审核备案登记及时率达到100%",
            [("行政规范性文件合法性审核备案登记及时率", 100, "%")],
        ),
        # 以上 qualifies a short word
        ("全年招引亿元以上项目5个以上", [("亿元以上项目", 5, "个")]),
        ("新开工亿元以上项目37个", [("亿元以上项目", 37, "个")]),
        ("培育市级以上专精特新企业10家", [("专精特新企业", 10, "家")]),
        ("区政府常务会议会前学法全年不少于12次", [("区政府常务会议会前学法", 12, "次")]),
        # a scope is not the thing counted
        ("汛期前完成辖区12处低洼易涝点排查整治", [("低洼易涝点排查整治", 12, "处")]),
        ("覆盖全区120所中小学", [("中小学", 120, "所")]),
        ("及时率达到95%", [("及时率", 95, "%")]),
    ],
)
def test_listed_and_long_target_names(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(t.name, t.value, t.unit) for t in ex.find_targets(text)] == expected


PROBE_PLAN = """青石区教育局2024年依法治校工作要点
一、健全依法治校制度
1.3月底前完成学校章程修订（责任单位：区教育局）。
2.12月4日前后组织“宪法晨读”活动（牵头：区教育局；配合：区司法局）。
3.配齐法治副校长，参考率、合格率均达到100%（责任科室：安全稳定科，区公安分局、区司法局配合）。
二、加强校园安全
1.每周五开展一次校园安全巡查（责任单位：区应急管理局，完成时限：2024年9月）。
2.秋收前完成农村学校校舍维修，暑期开展“青少年法治夏令营”活动（责任单位：区农业农村局）。
"""

PROBE_STREET = """凤凰街道办事处2023年度法治政府建设情况报告
一、2023年法治政府建设工作开展情况
（一）推进综合执法。全年办理行政处罚案件286件。
二、2024年工作计划
（一）规范综合行政执法。①春节前开展一次占道经营专项整治；②每半月开展一次执法案卷自查；③存量违法建设拆除率达到30%。（责任单位：综合行政执法队，完成时限：2024年12月）
（二）深化矛盾纠纷化解。年内打造调解工作室3个。（责任科室：司法所；配合：各社区居委会）
特此报告。
凤凰街道办事处
2024年2月2日
"""


@pytest.fixture(scope="module")
def probe_plan(directory: DepartmentDirectory) -> ParsedPlan:
    return parse_report(PROBE_PLAN, source_name="青石区教育局2024年依法治校工作要点.txt", directory=directory)


def test_probe_plan_points(probe_plan: ParsedPlan) -> None:
    first, second, third, patrol, summer = probe_plan.tasks()
    # "1.3月底前": the number is the point's, the month its deadline
    assert (first.label, first.title) == ("1.", "3月底前完成学校章程修订")
    assert first.targets == []
    assert first.deadline is not None and (first.deadline.date, first.deadline.text) == (
        date(2024, 3, 31),
        "3月底前",
    )
    assert second.deadline is not None
    assert (second.deadline.date, second.deadline.text, second.deadline.vague) == (
        date(2024, 12, 4),
        "12月4日前后",
        True,
    )
    assert [written(o) for o in second.owners] == [
        ("区教育局", "lead", False),
        ("区司法局", "support", False),
    ]
    assert [written(o) for o in third.owners] == [
        ("安全稳定科", "lead", False),
        ("区公安分局", "support", False),
        ("区司法局", "support", False),
    ]
    assert [(t.name, t.value) for t in third.targets] == [("参考率", 100), ("合格率", 100)]
    assert patrol.recurrence is not None and patrol.recurrence.rrule == "FREQ=WEEKLY;BYDAY=FR"
    assert patrol.deadline is not None
    assert (patrol.deadline.date, patrol.deadline.text, patrol.deadline.source) == (
        date(2024, 9, 30),
        "2024年9月",
        "text",
    )
    assert summer.deadline is not None and (summer.deadline.text, summer.deadline.vague) == ("秋收前", True)
    assert [(d.text, d.vague) for d in summer.deadlines] == [("秋收前", True), ("暑期", True)]


def test_item_time_limit_written_after_its_points(directory: DepartmentDirectory) -> None:
    plan = parse_report(
        PROBE_STREET, source_name="凤凰街道2023年度法治政府建设情况报告.txt", directory=directory
    )
    item, mediation = plan.items
    assert item.deadline is not None
    assert (item.deadline.date, item.deadline.text, item.deadline.source) == (
        date(2024, 12, 31),
        "2024年12月",
        "text",
    )
    # a point without a date of its own has the item's
    _, review, demolition = item.children
    for point in (review, demolition):
        assert point.deadline is not None and (point.deadline.date, point.deadline.source) == (
            date(2024, 12, 31),
            "text",
        )
    # 司法所 with 配合：, a label without 单位
    assert [written(o) for o in mediation.owners] == [
        ("司法所", "lead", False),
        ("各社区居委会", "support", True),
    ]


def test_item_time_limit_beats_a_points_vague_words(directory: DepartmentDirectory) -> None:
    plan = parse_report(
        PROBE_STREET, source_name="凤凰街道2023年度法治政府建设情况报告.txt", directory=directory
    )
    spring = plan.items[0].children[0]
    assert spring.deadline is not None
    assert (spring.deadline.date, spring.deadline.text, spring.deadline.vague) == (
        date(2024, 12, 31),
        "2024年12月",
        False,
    )
    assert ("春节前", True) in [(d.text, d.vague) for d in spring.deadlines]  # the words are kept


# ---------------------------------------------------------------------------------------------------------------
# Fourth probe: people in owner labels, （牵头） marks, units a full-width space kept apart, sections (股, 大队),
# dates in figures, 6月份, the next year's first months, holidays as times, and names of figures


@pytest.mark.parametrize(
    ("text", "expected", "title"),
    [
        # a 牵头领导 is a person: skipped, and the 责任单位 after it are no longer under a lead unit
        (
            "开展考核。牵头领导：张建华 责任单位：县委组织部、县考核办 完成时限：年底前",
            [("县委组织部", "lead", False), ("县考核办", "lead", False)],
            "开展考核",
        ),
        (
            "开展考核。牵头领导：张建华责任单位：县委组织部、县考核办完成时限：年底前",  # as normalised
            [("县委组织部", "lead", False), ("县考核办", "lead", False)],
            "开展考核",
        ),
        ("接受监督（分管领导：李明　责任单位：县政府办公室）", [("县政府办公室", "lead", False)], "接受监督"),
        (
            "开展督察（牵头单位：县司法局；责任领导：王芳；责任单位：各乡镇）",
            [("县司法局", "lead", False), ("各乡镇", "support", True)],
            "开展督察",
        ),
        # （牵头） marks the lead of a list; the others support
        (
            "开展述法（责任单位：县司法局（牵头）、县委组织部）",
            [("县司法局", "lead", False), ("县委组织部", "support", False)],
            "开展述法",
        ),
        (
            "开展检查。\n责任单位：县市场监管局（牵头）、县生态环境分局、县应急管理局\n完成时限：2024年10月底前",
            [
                ("县市场监管局", "lead", False),
                ("县生态环境分局", "support", False),
                ("县应急管理局", "support", False),
            ],
            "开展检查",
        ),
        (
            "开展检查（牵头单位：县司法局、县财政局（配合））",
            [("县司法局", "lead", False), ("县财政局", "support", False)],
            "开展检查",
        ),
        # two units a full-width space kept apart, with the space and as normalisation joins them
        (
            "开展普法（责任单位：县委宣传部　县司法局）",
            [("县委宣传部", "lead", False), ("县司法局", "lead", False)],
            "开展普法",
        ),
        (
            "开展普法（责任单位：县委宣传部县司法局）",
            [("县委宣传部", "lead", False), ("县司法局", "lead", False)],
            "开展普法",
        ),
        (
            "开展整治（责任单位：市场监督管理局市场规范管理科）",
            [("市场监督管理局市场规范管理科", "lead", False)],
            "开展整治",
        ),
        ("开展督查（责任单位：区委区政府督查室）", [("区委区政府督查室", "lead", False)], "开展督查"),
        # 〔〕 inside a unit's name does not split it
        (
            "开展督察（市委依法治市办牵头，各县〔市、区〕政府配合）。",
            [("市委依法治市办", "lead", False), ("各县〔市、区〕政府", "support", True)],
            "开展督察",
        ),
        # sections of a bureau: 股, 股室, 大队, 中队, 所, like 科
        ("出台实施细则（登记注册股负责）。", [("登记注册股", "lead", False)], "出台实施细则"),
        (
            "开展评查（劳动保障监察大队、政策法规股负责）。",
            [("劳动保障监察大队", "lead", False), ("政策法规股", "lead", False)],
            "开展评查",
        ),
        ("出台实施细则（责任股室：登记注册股）。", [("登记注册股", "lead", False)], "出台实施细则"),
        (
            "开展评查（牵头股室：法规股；配合股室：各监管股室）",
            [("法规股", "lead", False), ("各监管股室", "support", True)],
            "开展评查",
        ),
        ("开展巡查（执法一中队负责）", [("执法一中队", "lead", False)], "开展巡查"),
        ("开展调解（城关司法所负责）", [("城关司法所", "lead", False)], "开展调解"),
        (
            "全年新增50户，由个私经济服务股牵头，登记注册股和法规股配合。",
            [
                ("个私经济服务股", "lead", False),
                ("登记注册股", "support", False),
                ("法规股", "support", False),
            ],
            "全年新增50户",
        ),
    ],
)
def test_people_marks_glued_units_and_sections(
    text: str, expected: list[tuple[str, str, bool]], title: str
) -> None:
    assert owners(text) == expected
    assert title_without_owners(text) == title


def test_first_listed_unit_leads_by_the_documents_convention() -> None:
    note = "说明：责任单位排在首位的为牵头单位。"
    assert ex.first_listed_leads(note)
    assert ex.first_listed_leads("注：牵头单位排第一位的为牵头单位")
    assert not ex.first_listed_leads("坚持把党的政治建设摆在首位")
    text = "组织会前学法（牵头单位：县政府办公室、县司法局；完成时限：每季度）"
    assert owners(text) == [("县政府办公室", "lead", False), ("县司法局", "lead", False)]
    found = ex.find_owners(text, first_listed_leads=True)
    assert [(o.department, o.role) for o in found.owners] == [
        ("县政府办公室", "lead"),
        ("县司法局", "support"),
    ]
    # a role written in the list still wins over the convention
    marked = ex.find_owners("开展检查（责任单位：县司法局、县财政局（牵头））", first_listed_leads=True)
    assert [(o.department, o.role) for o in marked.owners] == [("县司法局", "support"), ("县财政局", "lead")]


@pytest.mark.parametrize(
    ("text", "when", "words"),
    [
        ("2024.6.30前完成清理", date(2024, 6, 30), "2024.6.30前"),
        ("2024-06-30前公布目录", date(2024, 6, 30), "2024-06-30前"),
        ("2024/6/30前公布目录", date(2024, 6, 30), "2024/6/30前"),
        ("完成时限：2024.6.30", date(2024, 6, 30), "2024.6.30"),
        ("公布目录（2024-06-30）", date(2024, 6, 30), "2024-06-30"),
        ("2024-06-30", date(2024, 6, 30), "2024-06-30"),  # a table cell
        ("完成时限：2024年6月30日", date(2024, 6, 30), "2024年6月30日"),
        # 6月份: the time of the work, so by the month's end
        ("6月份组织开展一次专项检查", date(2024, 6, 30), "6月份"),
        ("2024年9月份开展评查", date(2024, 9, 30), "2024年9月份"),
        # the next year's first quarter: kept as written, the latest date wins
        ("2025年1月底前完成年度履职评价", date(2025, 1, 31), "2025年1月底前"),
        ("6月底前完成初稿，2025年1月底前完成评价", date(2025, 1, 31), "2025年1月底前"),
        ("2025年第一季度完成验收", date(2025, 3, 31), "2025年第一季度"),
    ],
)
def test_dates_in_figures_months_and_the_next_year(text: str, when: date, words: str) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.date, chosen.text, chosen.source, chosen.vague) == (when, words, "text", False)


@pytest.mark.parametrize(
    "text",
    [
        "每年6月份开展普法宣传月活动",  # a cadence
        "6月份以来累计办理案件",
        "2024年6月份起施行",  # a start, not a limit
        "1-6月份累计受理120件",
        "2025年4月底前完成",  # later in the next year: a longer plan's goal
        "文号2024.6.30版",
        "发布时间2024-06-30 09:30",
    ],
)
def test_not_deadlines_in_figures_or_months(text: str) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.source, chosen.text, chosen.vague) == ("default", None, False)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("在春节、国庆等重要节点开展矛盾纠纷集中排查", "春节、国庆等重要节点"),
        ("元旦、春节期间走访困难群众", "元旦、春节期间"),
        ("端午节等传统节日开展文化活动", "端午节等传统节日"),
    ],
)
def test_holidays_as_times_are_vague(text: str, words: str) -> None:
    chosen = ex.choose_deadline(ex.find_deadlines(text, PLAN_YEAR), PLAN_YEAR)
    assert (chosen.date, chosen.text, chosen.source, chosen.vague) == (
        date(2024, 12, 31),
        words,
        "default",
        True,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quoted name is kept whole, not cut after a word inside the quotes
        ("开展“法治交通进企业”活动不少于12场", [("“法治交通进企业”活动", 12, "场")]),
        (
            "开展“人社法律进企业”“根治欠薪宣传月”活动36场",
            [("“人社法律进企业”“根治欠薪宣传月”活动", 36, "场")],
        ),
        # examples before the figure: the counted thing is after it
        ("在G205等3个重点路段建成超限检测点", [("重点路段", 3, "个")]),
        ("年内覆盖市场监管、生态环境、交通运输等10个领域", [("领域", 10, "个")]),
        ("完成溪园路等10条道路开工", [("道路", 10, "条")]),
        ("改造G205等3个", [("G205", 3, "个")]),  # nothing after: the words before, without 等
        # a bracket right before the figure belongs to the name
        ("新创建市级以上民主法治示范村（社区）5个", [("民主法治示范村（社区）", 5, "个")]),
        ("新建5G基站200个", [("5G基站", 200, "个")]),
    ],
)
def test_figure_names_are_measures(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(t.name, t.value, t.unit) for t in ex.find_targets(text)] == expected


PROBE_OWNERS = """东山县2024年法治政府建设工作要点
一、加强党对法治政府建设的领导
1.落实第一责任人职责。3月底前组织县政府部门主要负责人开展年度述法。（责任单位：县司法局（牵头）、县委组织部）
2.开展法治政府建设考核。权重不低于5%。牵头领导：张建华　责任单位：县委组织部、县考核办　完成时限：年底前
3.深入实施“八五”普法规划。开展以案释法活动不少于40场。（责任单位：县委宣传部　县司法局）
4.加强执法督察。年底前对各县（市、区）开展督察（市委依法治市办牵头，各县〔市、区〕政府配合）。
二、优化营商环境
5.推行申报承诺制。6月底前出台实施细则（登记注册股负责）。
6.规范行政执法。执法案卷优良率达到90%（劳动保障监察大队、政策法规股负责）。
"""

PROBE_DATES = """江北区人民政府关于2023年度法治政府建设情况的报告
一、2023年工作情况
全年办理行政复议案件302件。
二、2024年工作安排
（一）完善依法行政制度体系。一是2024.6.30前完成现行有效行政规范性文件清理（区司法局负责）；二是2024-06-30前公布区政府年度重大行政决策事项目录（区政府办公室负责）；三是6月份组织开展一次规范性文件备案审查专项检查（区司法局负责）。
（二）加强法治社会建设。一是在春节、国庆等重要节点开展矛盾纠纷集中排查（区委政法委负责）；二是2025年1月底前完成年度“法律明白人”履职评价（区司法局负责）；三是开展“法治江北进企业”活动不少于12场（区司法局负责）。
特此报告。
江北区人民政府
2024年1月30日
"""


def test_probe_owners_document(directory: DepartmentDirectory) -> None:
    plan = parse_report(PROBE_OWNERS, source_name="东山县2024年法治政府建设工作要点.txt", directory=directory)
    by_label = {t.label: t for t in plan.tasks()}
    assert [written(o) for o in by_label["1."].owners] == [
        ("县司法局", "lead", False),
        ("县委组织部", "support", False),
    ]
    assert [written(o) for o in by_label["2."].owners] == [
        ("县委组织部", "lead", False),
        ("县考核办", "lead", False),
    ]
    assert "张建华" not in by_label["2."].title
    assert [written(o) for o in by_label["3."].owners] == [
        ("县委宣传部", "lead", False),
        ("县司法局", "lead", False),
    ]
    assert [written(o) for o in by_label["4."].owners] == [
        ("市委依法治市办", "lead", False),
        ("各县〔市、区〕政府", "support", True),
    ]
    assert [written(o) for o in by_label["5."].owners] == [("登记注册股", "lead", False)]
    assert by_label["5."].title == "推行申报承诺制"
    assert [written(o) for o in by_label["6."].owners] == [
        ("劳动保障监察大队", "lead", False),
        ("政策法规股", "lead", False),
    ]
    assert all(o.source == "text" for t in plan.tasks() for o in t.owners)


def test_probe_dates_document(directory: DepartmentDirectory) -> None:
    plan = parse_report(PROBE_DATES, source_name="江北区2023年法治政府建设报告.txt", directory=directory)
    assert plan.year == PLAN_YEAR
    points = [c for item in plan.items for c in item.children]
    assert [
        (p.deadline.date, p.deadline.text, p.deadline.source, p.deadline.vague) for p in points if p.deadline
    ] == [
        (date(2024, 6, 30), "2024.6.30前", "text", False),
        (date(2024, 6, 30), "2024-06-30前", "text", False),
        (date(2024, 6, 30), "6月份", "text", False),
        (date(2024, 12, 31), "春节、国庆等重要节点", "default", True),
        (date(2025, 1, 31), "2025年1月底前", "text", False),
        (date(2024, 12, 31), None, "default", False),
    ]
    assert "完成时限不明确（春节、国庆等重要节点），请设定日期" in points[3].missing
    assert [(t.name, t.value, t.unit) for t in points[5].targets] == [("“法治江北进企业”活动", 12, "场")]


def test_a_labelled_time_limit_of_the_next_year_is_kept() -> None:
    """ "整改时限：2025年6月底前" in a 2024 plan is that task's limit; "到2025年底建成" is a longer plan's goal."""
    kept = ex.find_deadlines("修订决策事项清单。整改时限：2025年6月底前", 2024)
    assert [(d.date, d.source) for d in kept] == [(date(2025, 6, 30), "text")]
    assert ex.find_deadlines("到2025年底建成法治政府建设示范区", 2024) == []
