"""Issue 18 shapes, from documents written here for fictional places (tests/importer/shapes/): a work summary
with a next-year plan, skipped and glued numbering, mid-sentence mentions of 年度计划, owner conventions,
national and provincial documents, run-together text, a 指导意见 without a next-year section."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tracker.importer.model import ParsedPlan, ParsedTask
from tracker.importer.parse import parse_report

SHAPES = Path(__file__).parent / "shapes"


def parse(name: str, *, run_together: bool = False) -> ParsedPlan:
    text = (SHAPES / f"{name}.txt").read_text(encoding="utf-8")
    if run_together:  # a web copy that lost its paragraphs
        text = text.replace("\n", "")
    return parse_report(text, source_name=f"{name}.txt")


def tree(plan: ParsedPlan) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(i.label, i.title, [(c.label, c.title) for c in i.children]) for i in plan.items]


def owners(task: ParsedTask) -> list[tuple[str, str]]:
    return [(o.department, o.role) for o in task.owners]


def test_summary_and_plan_title_imports_only_the_next_year_section() -> None:
    plan = parse("summary_and_plan_town")
    assert plan.title == "白沙镇2023年工作总结及2024年工作计划"
    assert plan.year == 2024 and plan.kind == "report"
    assert plan.section_heading == "三、2024年工作计划"
    texts = " ".join(t.text for t in plan.tasks())
    assert "18.6亿元" not in texts  # the 2023 summary's figures are not next year's targets
    assert [i.title for i in plan.items] == ["聚力产业发展", "深化乡村振兴", "强化基层治理", "增进民生福祉"]


def test_summary_title_over_two_lines_with_doc_number_and_addressee() -> None:
    plan = parse("summary_and_plan_bureau")
    assert plan.title == "云溪县市场监督管理局2023年工作总结及2024年工作思路"
    assert plan.addressee == "县人民政府"
    labels = [i.label for i in plan.items]
    assert labels == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]  # the entries under （三）重点工作
    assert all(len(i.children) == 5 for i in plan.items)  # each with its own 一是…五是
    assert not any("〔2024〕" in t.text or "县人民政府：" in t.text for t in plan.tasks())
    assert any("指导思想" in w and "主要目标" in w for w in plan.warnings)
    assert ("三、2024年工作思路", 7, 7) in plan.entry_counts


def test_skipped_number_warned_and_glued_heading_split() -> None:
    plan = parse("skipped_and_glued")
    assert [i.label for i in plan.items] == ["（一）", "（二）", "（四）", "（五）"]
    assert any("编号不连续" in w and "（四）" in w for w in plan.warnings)
    first = plan.items[0]
    assert first.title == "深化法治政府示范创建"  # the heading glued to its first point "1.对标…"
    assert [c.label for c in first.children] == ["1.", "2."]
    assert owners(first.children[1])[0] == ("县依法治县办", "lead")
    # the opening's "落实年度计划" and the summary's "按照年度工作任务安排" are not the section
    assert plan.section_heading == "三、2024年工作计划"


def test_mid_sentence_mention_never_the_section_heading() -> None:
    plan = parse("mid_sentence_mention")
    assert plan.section_heading == "下一步工作打算"
    assert [i.title for i in plan.items] == ["加强法治学习", "规范执法行为", "优化政务服务"]


def test_first_listed_leads_convention_in_a_bracket() -> None:
    plan = parse("council_opinion")
    one, two, three, four = plan.items
    assert owners(one) == [("商务部", "lead"), ("发展改革委", "support"), ("财政部", "support")]
    assert owners(two)[0] == ("交通运输部", "lead") and {r for _, r in owners(two)[1:]} == {"support"}
    assert owners(three)[0] == ("商务部", "lead")
    assert three.owners[1].collective and any("有关部门" in m for m in three.missing)
    assert owners(four) == [("市场监管总局", "lead"), ("商务部", "support")]
    assert "列第一位" not in one.title and "下同" not in one.title


def test_first_listed_department_leads_in_work_points() -> None:
    plan = parse("work_points_chapters")
    first = plan.items[0].children[0]
    assert owners(first) == [("司法局", "lead"), ("区委宣传部", "support")]


@pytest.mark.parametrize("name", ["council_opinion", "provincial_opinion"])
def test_national_and_provincial_documents_get_no_county_suggestions(name: str) -> None:
    plan = parse(name)
    assert all(o.source == "text" for t in plan.tasks() for o in t.owners)
    if name == "provincial_opinion":  # a province's bureau is not renamed to the county's
        assert any(o.department == "省市场监管局" for t in plan.tasks() for o in t.owners)


def test_guidance_opinion_with_main_tasks_imports_as_whole_plan() -> None:
    plan = parse("council_opinion")
    assert plan.section_heading == "二、主要任务"
    assert plan.year == 2019
    assert len(plan.items) == 4


@pytest.mark.parametrize(
    "name", ["council_opinion", "summary_and_plan_town", "work_points_chapters"]
)
def test_run_together_text_gives_the_same_tree_and_year(name: str) -> None:
    paragraphed, run_together = parse(name), parse(name, run_together=True)
    assert run_together.year == paragraphed.year
    assert tree(run_together) == tree(paragraphed)


def test_dry_run_prints_entries_seen_and_tasks_made(cli: Any) -> None:
    result = cli("import", str(SHAPES / "skipped_and_glued.txt"), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"条目统计：三、2024年工作计划：编号条目 4 个，生成任务 4 个", result.stdout)
    assert "（一）深化法治政府示范创建：编号条目 2 个，生成任务 2 个" in result.stdout


# ---- issue 12, point 2: shapes that failed, in documents written here ---------------------------------------


@pytest.mark.parametrize("run_together", [False, True])
def test_notice_whose_plan_is_the_annex(run_together: bool) -> None:
    """A short covering notice, then 附件 with the plan's own title, chapters 一、… and entries 1. 2. each followed
    by its own 责任单位：… line: the annex is the plan, its chapters the items, its entries the tasks."""
    plan = parse("notice_with_annex", run_together=run_together)
    assert plan.title == "平源县2024年普法依法治理工作责任清单"
    assert plan.year == 2024
    assert [(i.label, i.title) for i in plan.items] == [
        ("一、", "深入学习宣传习近平法治思想"),
        ("二、", "突出宣传宪法和民法典"),
        ("三、", "加强重点法律法规宣传"),
        ("四、", "推进普法责任制落实"),
    ]
    assert [[c.label for c in i.children] for i in plan.items] == [["1.", "2."], ["3.", "4."], ["5.", "6."], ["7.", "8."]]
    tasks = list(plan.tasks())
    assert [o.department for o in tasks[0].owners] == ["县委宣传部", "司法局"]
    assert [o.department for o in tasks[1].owners] == ["司法局", "各乡镇人民政府"]
    assert [o.department for o in tasks[7].owners] == ["县直各执法单位"]
    assert all(o.source == "text" for t in tasks for o in t.owners)  # written under each entry, not guessed
    assert not any("责任单位" in t.title for t in tasks)
    assert tasks[2].deadline is not None and tasks[2].deadline.date.isoformat() == "2024-12-04"


def test_work_points_with_many_chapters_and_some_owners_written() -> None:
    """Seven chapters of numbered entries; some end with （X负责）, others do not: the written owners are read as
    written (first listed leads), the others are suggestions a person confirms, and no entry is lost."""
    plan = parse("work_points_chapters")
    assert len(plan.items) == 7
    assert [c.label for i in plan.items for c in i.children] == [f"{n}." for n in range(1, 18)]
    by_label = {c.label: c for i in plan.items for c in i.children}
    assert owners(by_label["3."]) == [("区委编办", "lead"), ("司法局", "support")]
    assert [o.source for o in by_label["3."].owners] == ["text", "text"]
    assert [o.source for o in by_label["2."].owners] == ["suggested"]  # no （…负责）: a suggestion only
    assert [o.source for o in by_label["4."].owners] == ["suggested"]


@pytest.mark.parametrize("run_together", [False, True])
def test_items_written_as_sentences_with_three_points_each(run_together: bool) -> None:
    """ "在…上持续发力。一是…；二是…；三是…。" three times: three items of three points, the last one kept although
    it runs into 特此报告 on the same line."""
    plan = parse("sentence_items_report", run_together=run_together)
    assert plan.year == 2024
    assert plan.section_heading == "三、2024年推进法治政府建设的主要安排"
    assert [i.title for i in plan.items] == [
        "在提升依法决策水平上持续发力",
        "在规范行政执法上持续发力",
        "在优化公共法律服务上持续发力",
    ]
    assert [[c.label for c in i.children] for i in plan.items] == [["一是", "二是", "三是"]] * 3
    last = plan.items[2].children[2]
    assert last.title == "年底前建成“15分钟公共法律服务圈”"
    assert "特此报告" not in last.text
    assert "二是" not in plan.items[1].children[0].text  # no point swallows the next
    assert "全年培训不少于500人次" in plan.items[1].children[2].text


@pytest.mark.parametrize("run_together", [False, True])
def test_implementation_opinion_measures_each_a_task(run_together: bool) -> None:
    """A 实施意见 whose numbered measures end with （牵头单位：…；配合单位：…）, one measure over two paragraphs: every
    measure a task with its lead and support units, none merged into the one before, frame chapters left out."""
    plan = parse("implementation_opinion", run_together=run_together)
    assert plan.section_heading == "二、主要任务"
    assert plan.year == 2025
    assert [i.title for i in plan.items] == ["提升政务服务效能", "规范涉企行政执法", "强化权益保护"]
    tasks = list(plan.tasks())
    assert [t.label for t in tasks] == [f"{n}." for n in range(1, 9)]
    assert owners(tasks[0]) == [("行政审批服务局", "lead"), ("市大数据中心", "support"), ("各区县人民政府", "support")]
    assert owners(tasks[4]) == [("司法局", "lead"), ("市场监管局", "support"), ("市生态环境局", "support")]
    assert "坚持教育与处罚相结合" in tasks[4].text and "综合查一次" not in tasks[4].text
    assert owners(tasks[6])[0] == ("市中级人民法院", "lead")
    assert [t.deadline.date.isoformat() for t in tasks if t.deadline][:2] == ["2025-06-30", "2025-12-31"]
    assert not any("加强组织领导" in t.text for t in tasks)


# ---- issue 18: run-together text keeps skipped numbers and the year ----------------------------------------


def test_run_together_text_keeps_the_entries_after_a_skipped_number() -> None:
    """（一）（二）（四）（五） with the paragraph breaks lost: （四） and （五） are still items, and the gap is warned."""
    paragraphed, run_together = parse("skipped_and_glued"), parse("skipped_and_glued", run_together=True)
    assert tree(run_together) == tree(paragraphed)
    assert [i.label for i in run_together.items] == ["（一）", "（二）", "（四）", "（五）"]
    assert any("（四）" in w and "不连续" in w for w in run_together.warnings)


@pytest.mark.parametrize("run_together", [False, True])
def test_plan_year_from_dates_in_the_text(run_together: bool) -> None:
    """No year in the title: "从2019年起" and "2019年1月12日前" give the plan year, and the month-only deadlines
    (3月底前, 6月底前, 年底前) fall in it, with or without newlines."""
    plan = parse("dated_plan_without_year", run_together=run_together)
    assert plan.year == 2019
    assert plan.section_heading == "一、工作任务"
    assert [i.title for i in plan.items] == ["开展执法人员培训", "统一执法文书和流程", "开展案卷评查"]
    assert [i.deadline.date.isoformat() for i in plan.items if i.deadline] == ["2019-03-31", "2019-06-30", "2019-12-31"]
    assert [o.department for o in plan.items[1].owners][:1] == ["司法局"] and len(plan.items[1].owners) == 2
