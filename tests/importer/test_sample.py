"""The real sample report (../shared/reports/2021-zibo-gaoxin-fazhi-report.txt) parsed as issue 2 requires."""

from __future__ import annotations

import hashlib
import re
import statistics
import time
from datetime import date

import pytest
from dateutil.rrule import rrulestr

from tracker.errors import ImportFailed
from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan, ParsedTask
from tracker.importer.normalize import normalise_text
from tracker.importer.parse import MISSING_OWNER, parse_report

TITLES = [
    "抓好工委全面依法治区工作推进落实",
    "完善规范性文件评估清理流程",
    "健全行政复议应诉制度体系",
    "加强依法行政宣传培训力度",
    "加大行政执法监督力度",
    "加强对法律顾问团的管理",
]


def item(plan: ParsedPlan, label: str) -> ParsedTask:
    return next(i for i in plan.items if i.label == label)


def test_plan_metadata(sample_plan: ParsedPlan) -> None:
    assert sample_plan.year == 2022
    assert sample_plan.report_year == 2021
    assert sample_plan.title == "关于2021年度法治政府建设工作的报告"
    assert sample_plan.issuers == ["中共淄博市委淄博高新区工作委员会", "淄博高新技术产业开发区管理委员会"]
    assert sample_plan.addressee == "市委、市政府"
    assert sample_plan.report_date == date(2022, 1, 29)
    assert sample_plan.section_heading == "四、2022年推进法治政府建设的主要安排"
    assert sample_plan.kind == "report"
    assert sample_plan.opening is not None and sample_plan.opening.startswith("2021年，高新区坚持")
    lines = sample_plan.source_text.split("\n")
    assert sample_plan.section_start_line is not None and sample_plan.section_end_line is not None
    assert lines[sample_plan.section_start_line - 1] == sample_plan.section_heading
    # the span is inclusive: its last line is item （六）, the sign-off follows
    assert lines[sample_plan.section_end_line - 1].startswith("（六）")
    assert lines[sample_plan.section_end_line].startswith("特此报告")


def test_six_items_in_order(sample_plan: ParsedPlan) -> None:
    assert [i.label for i in sample_plan.items] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
    ]
    assert [i.title for i in sample_plan.items] == TITLES


def test_points(sample_plan: ParsedPlan) -> None:
    counts = {i.label: len(i.children) for i in sample_plan.items}
    assert counts == {"（一）": 2, "（二）": 0, "（三）": 0, "（四）": 0, "（五）": 3, "（六）": 0}
    one = item(sample_plan, "（一）")
    assert [c.label for c in one.children] == ["一是", "二是"]
    assert one.children[1].title == "深入学习宣传贯彻习近平法治思想"
    five = item(sample_plan, "（五）")
    assert [c.title for c in five.children] == [
        "持续抓好行政执法“三项制度”落实",
        "严格执行企业免检免扰制度和涉企执法检查制度",
        "持续推进行政指导工作",
    ]
    assert len(sample_plan.tasks()) == 2 + 4 + 3


def test_target_in_item_three(sample_plan: ParsedPlan) -> None:
    targets = [(t.name, t.value, t.unit) for t in item(sample_plan, "（三）").targets]
    assert ("出庭应诉率", 100, "%") in targets


def test_recurrence_in_item_four(sample_plan: ParsedPlan) -> None:
    four = item(sample_plan, "（四）")
    assert four.recurrence is not None and four.recurrence.rrule == "FREQ=YEARLY"
    assert four.recurrence.text == "每年"
    assert any(r.flagged and r.text == "定期" and r.rrule is None for r in four.recurrences)
    assert any("定期" in m for m in four.missing)
    rule = rrulestr("RRULE:" + four.recurrence.rrule, dtstart=date(2022, 1, 1))
    assert rule[0].year == 2022  # type: ignore[index]


def test_every_task_has_a_default_deadline(sample_plan: ParsedPlan) -> None:
    for task in sample_plan.tasks():
        assert task.deadline is not None
        assert task.deadline.date == date(2022, 12, 31)
        assert task.deadline.source == "default"
        assert not task.deadline.vague


def test_every_task_has_a_suggested_lead_or_is_unassigned(sample_plan: ParsedPlan) -> None:
    unassigned = set(sample_plan.unassigned_labels())
    for parent in sample_plan.items:
        for task in parent.children or [parent]:
            leads = [o for o in task.owners if o.role == "lead"]
            label = f"{parent.label}{task.label}" if task is not parent else parent.label
            if leads:
                assert all(o.source == "suggested" for o in leads)  # the sample names no owner in section 四
            else:
                assert label in unassigned and MISSING_OWNER in task.missing


def test_suggestions_come_from_keywords_in_the_text(
    sample_plan: ParsedPlan, directory: DepartmentDirectory
) -> None:
    """Nothing invented: each suggestion names keywords of that department that occur in the task's words."""
    for parent in sample_plan.items:
        for task in [parent, *parent.children]:
            for owner in task.owners:
                if owner.source != "suggested":
                    continue
                entry = directory.find(owner.department)
                assert entry is not None, owner.department
                assert owner.keywords, task.label
                context = task.text + (parent.title if task is not parent else "")
                for kw in owner.keywords:
                    assert kw in entry.keywords and kw in context, (task.label, kw)


def test_expected_suggestions(sample_plan: ParsedPlan) -> None:
    def lead(task: ParsedTask) -> str:
        return next(o.department for o in task.owners if o.role == "lead")

    assert lead(item(sample_plan, "（三）")) == "司法局"  # 行政复议、应诉
    assert lead(item(sample_plan, "（六）")) == "司法局"  # 法律顾问
    assert lead(item(sample_plan, "（五）").children[1]) == "市场监管局"  # 免检免扰、涉企执法检查


def test_documents(sample_plan: ParsedPlan) -> None:
    docs = item(sample_plan, "（一）").children[0].documents
    assert docs == [
        "淄博高新区法治社会建设实施纲要（2021-2025年）",
        "淄博高新区法治政府建设实施纲要（2021-2025年）",
    ]
    # followed, not produced: 按照《山东省行政规范性文件评估暂行办法》的要求
    assert item(sample_plan, "（二）").documents == []


def test_baseline_figures(sample_plan: ParsedPlan) -> None:
    figures = {(b.value, b.unit) for b in sample_plan.baseline}
    assert len(sample_plan.baseline) >= 10
    assert {(1268, "件"), (1157, "项"), (3330, "个")} <= figures
    b1268 = next(b for b in sample_plan.baseline if b.value == 1268)
    assert "1268件" in b1268.sentence and "行政审批服务局" in b1268.sentence
    # only section 一: nothing from 四 (出庭应诉率100% of the plan) nor from 二 (3项, 5次)
    lines = sample_plan.source_text.split("\n")
    section_one = "\n".join(lines[5:26])
    assert all(b.sentence in section_one for b in sample_plan.baseline)


def test_hash_is_of_the_normalised_text(sample_plan: ParsedPlan, sample_text: str) -> None:
    assert sample_plan.source_hash == hashlib.sha256(normalise_text(sample_text).encode()).hexdigest()
    assert normalise_text(sample_text) == sample_text  # read_document already normalised; idempotent


def test_json_shape(sample_plan: ParsedPlan) -> None:
    data = sample_plan.to_json()
    assert set(data) >= {"plan", "items", "baseline", "unassigned"}
    assert set(data["plan"]) >= {"year", "title", "issuers", "addressee", "report_date", "section_heading"}
    first = data["items"][0]
    assert set(first) >= {"label", "title", "text", "owners", "deadline", "recurrence", "targets", "children"}
    assert first["deadline"] == {"date": "2022-12-31", "source": "default", "text": None, "vague": False}
    assert data["plan"]["report_date"] == "2022-01-29"


def test_run_together_text_gives_the_same_plan(
    sample_plan: ParsedPlan, sample_text: str, directory: DepartmentDirectory
) -> None:
    flat = parse_report(sample_text.replace("\n", ""), directory=directory)
    assert [(i.label, i.title, [c.title for c in i.children]) for i in flat.items] == [
        (i.label, i.title, [c.title for c in i.children]) for i in sample_plan.items
    ]
    assert flat.section_heading == sample_plan.section_heading
    assert flat.issuers == sample_plan.issuers
    assert flat.title == sample_plan.title
    assert flat.addressee == sample_plan.addressee
    assert flat.report_date == sample_plan.report_date
    assert {(b.value, b.unit) for b in flat.baseline} == {(b.value, b.unit) for b in sample_plan.baseline}


def test_user_can_name_the_section(sample_text: str, directory: DepartmentDirectory) -> None:
    plan = parse_report(sample_text, section="2022年推进法治政府建设的主要安排", directory=directory)
    assert [i.title for i in plan.items] == TITLES
    with pytest.raises(ImportFailed) as err:
        parse_report(sample_text, section="五、不存在的标题", directory=directory)
    assert "一、2021年推进法治政府建设的主要举措和成效" in err.value.headings
    assert "\n" not in str(err.value)


def test_no_section_lists_the_headings(sample_text: str, directory: DepartmentDirectory) -> None:
    cut = sample_text.split("四、2022年推进法治政府建设的主要安排")[0] + "特此报告。"
    with pytest.raises(ImportFailed) as err:
        parse_report(cut, directory=directory)
    message = str(err.value)
    assert "未找到" in message and "三、存在的不足和原因" in message and "\n" not in message
    assert err.value.headings[:1] == ["一、2021年推进法治政府建设的主要举措和成效"]


def test_parse_is_fast(sample_text: str, directory: DepartmentDirectory) -> None:
    parse_report(sample_text, directory=directory)  # warm: jieba dictionary and regexes
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        parse_report(sample_text, directory=directory)
        times.append(time.perf_counter() - t0)
    assert statistics.median(times) < 0.2


def test_lines_point_into_the_text(sample_plan: ParsedPlan) -> None:
    lines = sample_plan.source_text.split("\n")
    for it in sample_plan.items:
        assert it.line is not None
        assert lines[it.line - 1].startswith(it.label)
        assert re.sub(r"\s", "", it.title) in lines[it.line - 1]


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("深入学习贯彻习近平法治思想", "司法局"),  # 深入|学习 is not 入学
        ("做好义务教育入学工作", "教育局"),
        ("推进入学服务便利化", "教育局"),  # 推进|入学: the keyword wins over 进入
    ],
)
def test_suggestions_do_not_read_a_keyword_across_two_words(
    directory: DepartmentDirectory, text: str, department: str
) -> None:
    best = directory.best(text)
    assert best is not None and best.department == department, best
