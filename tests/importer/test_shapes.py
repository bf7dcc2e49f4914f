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
