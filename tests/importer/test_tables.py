"""Task tables in Word files (任务分工方案, 重点任务台账, a report's 主要安排 as a table) as a user writes them:
title rows above the header, measures and notes columns, merged chapter rows, header synonyms, placeholder cells;
and ordinary tables, whose repeated values must survive."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.document import Document

from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan, ParsedTask
from tracker.importer.parse import parse_report
from tracker.importer.reading import read_document

Row = Sequence[str]


def add_table(document: Document, rows: Sequence[Row]) -> None:
    """A grid table; a row of one value is a chapter or title row merged across the whole width."""
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        if len(values) == 1:
            row.cells[0].merge(row.cells[width - 1]).text = values[0]
        else:
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value


def save(document: Document, tmp_path: Path, name: str = "方案.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def plan_document(heading: str, rows: Sequence[Row]) -> Document:
    """A 分工方案 sent out with its notice, the tasks in a table."""
    document = docx.Document()
    document.add_paragraph("东湖县人民政府办公室")
    document.add_paragraph(f"关于印发《{heading}》的通知")
    document.add_paragraph("各乡镇人民政府，县政府各部门：")
    document.add_paragraph("经县政府同意，现将《方案》印发给你们，请认真抓好落实。")
    document.add_paragraph("东湖县人民政府办公室")
    document.add_paragraph("2024年2月20日")
    document.add_paragraph(heading)
    document.add_paragraph("为确保各项目标任务落到实处，现将重点任务分解如下。")
    add_table(document, rows)
    document.add_paragraph("各牵头单位要切实履行牵头职责，县政府督查室将跟踪督办。")
    return document


def report_document(rows: Sequence[Row]) -> Document:
    """A department's annual report whose 2024 arrangements are a table."""
    document = docx.Document()
    document.add_paragraph("平川县教育局2023年度法治政府建设工作报告")
    document.add_paragraph("县委全面依法治县委员会办公室：")
    document.add_paragraph("2023年，县教育局全面推进依法治教、依法治校。现将有关情况报告如下。")
    document.add_paragraph("一、2023年度推进法治政府建设的主要举措和成效")
    document.add_paragraph("（一）健全依法治教工作机制。局党组会议专题研究法治工作4次。")
    document.add_paragraph("（二）加强青少年法治教育。开展“法治进校园”活动320场次。")
    document.add_paragraph("二、2023年度推进法治政府建设存在的不足和原因")
    document.add_paragraph("一是部分学校依法治校意识不够强；二是执法人员专业化水平不高。")
    document.add_paragraph("三、2024年度推进法治政府建设的主要安排")
    document.add_paragraph("2024年，县教育局将重点抓好以下工作：")
    add_table(document, rows)
    document.add_paragraph("特此报告。")
    document.add_paragraph("平川县教育局")
    document.add_paragraph("2024年2月18日")
    return document


def owners(task: ParsedTask, role: str) -> list[str]:
    return [o.written or o.department for o in task.owners if o.role == role and o.source == "text"]


def targets(task: ParsedTask) -> list[tuple[float, str]]:
    return [(t.value, t.unit) for t in task.targets]


def due(task: ParsedTask) -> date | None:
    """The deadline written in the text, None when there is none (a default or a flagged vague one)."""
    return task.deadline.date if task.deadline is not None and task.deadline.source == "text" else None


def parse(path: Path, directory: DepartmentDirectory) -> ParsedPlan:
    return parse_report(read_document(path), source_name=path.name, directory=directory)


def test_header_below_a_title_row_and_target_columns_kept(
    tmp_path: Path, directory: DepartmentDirectory
) -> None:
    """A 台账 whose first row is a merged title: the header is found in row 2, the title stays one plain line,
    and the 工作目标 and 备注 columns stay with their task, so their targets and cadences are found."""
    rows = [
        ("西岭县2024年法治政府建设重点任务台账（共4项）",),
        ("序号", "任务内容", "工作目标", "责任单位", "完成时限", "备注"),
        ("1", "编制并公布年度重大行政决策事项目录", "合法性审查率100%", "县政府办公室", "3月底前", ""),
        ("2", "开展行政规范性文件清理", "完成现行有效规范性文件全面清理", "县司法局", "2024年11月30日前", ""),
        (
            "3",
            "开展行政执法案卷评查",
            "评查案卷不少于200卷，优良率提高到85%以上",
            "县司法局",
            "第三季度",
            "每半年一次",
        ),
        ("4", "培育农村“法律明白人”", "新增“法律明白人”800名", "县司法局、县农业农村局", "年底前", ""),
    ]
    path = save(plan_document("西岭县2024年法治政府建设重点任务分工方案", rows), tmp_path)
    lines = read_document(path).split("\n")
    assert "西岭县2024年法治政府建设重点任务台账（共4项）" in lines
    assert not {"序号", "任务内容", "工作目标", "责任单位"} & set(lines)  # header cells are not text

    plan = parse(path, directory)
    tasks = plan.tasks()
    assert [t.title for t in tasks] == [r[1] for r in rows[2:]]
    assert [owners(t, "lead") for t in tasks] == [
        ["县政府办公室"],
        ["县司法局"],
        ["县司法局"],
        ["县司法局", "县农业农村局"],
    ]
    assert [due(t) for t in tasks] == [
        date(2024, 3, 31),
        date(2024, 11, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]
    assert targets(tasks[0]) == [(100, "%")]
    assert targets(tasks[2]) == [(200, "卷"), (85, "%")]
    assert targets(tasks[3]) == [(800, "名")]
    assert tasks[2].recurrence is not None and tasks[2].recurrence.rrule == "FREQ=MONTHLY;INTERVAL=6"  # 备注
    assert plan.report_date == date(2024, 2, 20)  # the notice's date, never a 完成时限 cell


def test_measures_column_and_merged_chapter_rows(tmp_path: Path, directory: DepartmentDirectory) -> None:
    """A 分工方案 table: 重点任务 is the title, 具体措施 follows it in the task's text, and chapter rows (merged
    across the table, or written only in the first cell, or numbered in the 序号 column) become the items."""
    rows: list[Row] = [
        ("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"),
        ("一、推动工业经济提质增效",),
        (
            "1",
            "壮大主导产业集群",
            "实施工业技改项目40个，规上工业增加值增长8%以上",
            "县工业和信息化局",
            "县发展和改革局、县财政局",
            "年底前",
        ),
        (
            "2",
            "加快园区扩容提质",
            "新建标准厂房20万平方米",
            "东湖经开区管委会",
            "县自然资源局",
            "2024年11月30日前",
        ),
        ("二、持续扩大有效投资", "", "", "", "", ""),
        (
            "3",
            "抓好重点项目建设",
            "实施县级重点项目150个，实行每月调度",
            "县发展和改革局",
            "县财政局\n各项目单位",
            "2024年12月底前",
        ),
        ("三", "全面推进乡村振兴", "", "", "", ""),
        ("4", "稳定粮食生产", "新建高标准农田4万亩", "县农业农村局", "县水利局", "上半年"),
    ]
    path = save(plan_document("东湖县2024年政府工作报告重点任务分工方案", rows), tmp_path)
    plan = parse(path, directory)
    assert [(i.label, i.title, [c.title for c in i.children]) for i in plan.items] == [
        ("一、", "推动工业经济提质增效", ["壮大主导产业集群", "加快园区扩容提质"]),
        ("二、", "持续扩大有效投资", ["抓好重点项目建设"]),
        ("三、", "全面推进乡村振兴", ["稳定粮食生产"]),
    ]
    first, second, third, fourth = plan.tasks()
    assert targets(first) == [(40, "个"), (8, "%")]
    assert owners(first, "lead") == ["县工业和信息化局"]
    assert owners(first, "support") == ["县发展和改革局", "县财政局"]
    assert targets(second) == [(20, "万平方米")]
    assert due(second) == date(2024, 11, 30)
    assert owners(third, "support") == ["县财政局", "各项目单位"]  # one a paragraph in the cell
    assert third.recurrence is not None and third.recurrence.rrule == "FREQ=MONTHLY"
    assert due(third) == date(2024, 12, 31)
    assert targets(fourth) == [(4, "万亩")] and due(fourth) == date(2024, 6, 30)


def test_unnumbered_full_width_rows_are_numbered_chapters(
    tmp_path: Path, directory: DepartmentDirectory
) -> None:
    rows = [
        ("序号", "工作任务", "牵头单位", "完成时限"),
        ("深化法治化营商环境建设",),
        ("1", "开展涉企政策文件公平竞争审查", "县市场监督管理局", "6月底前"),
        ("提升乡镇综合执法能力",),
        ("2", "开展乡镇执法人员业务培训", "县司法局", "10月底前"),
        ("注：牵头单位对任务落实负总责。",),
    ]
    path = save(plan_document("东湖县2024年法治政府建设重点任务分工方案", rows), tmp_path)
    plan = parse(path, directory)
    assert [(i.label, i.title, [c.title for c in i.children]) for i in plan.items] == [
        ("一、", "深化法治化营商环境建设", ["开展涉企政策文件公平竞争审查"]),
        ("二、", "提升乡镇综合执法能力", ["开展乡镇执法人员业务培训"]),
    ]


@pytest.mark.parametrize(
    ("task_head", "lead_head", "support_head", "deadline_head"),
    [
        ("任务内容", "责任主体", "协同单位", "时限要求"),
        ("重点任务", "责任科室", "协办单位", "完成时间"),
        ("工作任务", "责任股室", "配合部门", "时间安排"),
        ("工作事项", "主责单位", "协同单位", "进度安排"),
        ("任务名称", "牵头部门", "协办单位", "时限要求"),
    ],
)
def test_header_synonyms(
    task_head: str,
    lead_head: str,
    support_head: str,
    deadline_head: str,
    tmp_path: Path,
    directory: DepartmentDirectory,
) -> None:
    """The 2024 arrangements of a report as a table whose headers use other words for 任务/牵头/配合/时限."""
    rows = [
        ("序号", task_head, lead_head, support_head, deadline_head),
        ("1", "修订完善《平川县教育局重大行政决策程序规定》", "政策法规股", "办公室", "2024年6月底前"),
        ("2", "新创建县级依法治校示范校10所", "基础教育股", "各中小学校", "2024年底前"),
    ]
    plan = parse(save(report_document(rows), tmp_path, "报告.docx"), directory)
    tasks = plan.tasks()
    assert [t.title for t in tasks] == [r[1] for r in rows[1:]]
    assert [owners(t, "lead") for t in tasks] == [["政策法规股"], ["基础教育股"]]
    assert [owners(t, "support") for t in tasks] == [["办公室"], ["各中小学校"]]
    assert [due(t) for t in tasks] == [date(2024, 6, 30), date(2024, 12, 31)]
    assert targets(tasks[1]) == [(10, "所")]


def test_deadline_only_table_keeps_the_annotation_out_of_the_title(
    tmp_path: Path, directory: DepartmentDirectory
) -> None:
    rows = [
        ("序号", "任务内容", "时限要求"),
        ("1", "修订完善《平川县教育局重大行政决策程序规定》", "2024年6月底前"),
        ("2", "组织中小学法治副校长开展法治讲座", "每学期"),
    ]
    tasks = parse(save(report_document(rows), tmp_path, "报告.docx"), directory).tasks()
    assert [t.title for t in tasks] == [r[1] for r in rows[1:]]
    assert due(tasks[0]) == date(2024, 6, 30)


def test_header_roles_are_told_apart(tmp_path: Path, directory: DepartmentDirectory) -> None:
    """责任领导 (a person) is neither task nor owner; 具体措施 is measures though it would fit 任务; 责任单位 is
    the lead; of 开始时间 and 完成时间 the task is due at the second."""
    rows = [
        ("序号", "工作任务", "具体措施", "责任领导", "责任单位", "开始时间", "完成时间"),
        ("1", "开展行政执法案卷评查", "评查案卷不少于200卷", "李明", "县司法局", "3月", "2024年9月底前"),
    ]
    (task,) = parse(
        save(plan_document("东湖县2024年法治政府建设重点任务分工方案", rows), tmp_path), directory
    ).tasks()
    assert task.title == "开展行政执法案卷评查"
    assert owners(task, "lead") == ["县司法局"]
    assert targets(task) == [(200, "卷")]
    assert due(task) == date(2024, 9, 30)
    assert "李明" not in task.text


def test_two_row_header(tmp_path: Path, directory: DepartmentDirectory) -> None:
    """ "责任单位" merged over "牵头单位 | 配合单位" in the row below, the other header cells merged down."""
    document = plan_document("东湖县2024年法治政府建设重点任务分工方案", [("说明",)])
    table = document.add_table(rows=5, cols=5)
    heads = ["序号", "重点任务", "责任单位", "", "完成时限"]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
    for col in (0, 1, 4):
        table.cell(0, col).merge(table.cell(1, col))
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(1, 2).text, table.cell(1, 3).text = "牵头单位", "配合单位"
    for r, values in enumerate(
        [
            ("1", "推进乡镇合法性审查全覆盖", "县司法局", "各乡镇", "上半年"),
            ("2", "建设县级行政复议规范化窗口", "县司法局", "县财政局", "年底前"),
        ],
        start=2,
    ):
        for col, value in enumerate(values):
            table.cell(r, col).text = value
    tasks = parse(save(document, tmp_path), directory).tasks()
    assert [t.title for t in tasks] == ["推进乡镇合法性审查全覆盖", "建设县级行政复议规范化窗口"]
    assert [(owners(t, "lead"), owners(t, "support")) for t in tasks] == [
        (["县司法局"], ["各乡镇"]),
        (["县司法局"], ["县财政局"]),
    ]
    assert [due(t) for t in tasks] == [date(2024, 6, 30), date(2024, 12, 31)]


def test_cells_that_are_not_dates_give_no_date(tmp_path: Path, directory: DepartmentDirectory) -> None:
    """长期坚持 / 持续推进 are flagged for a person, 每季度 is a cadence, and "—", "/" or an empty cell say
    nothing: none of them becomes a deadline, and the dash never reaches the text."""
    rows = [
        ("序号", "重点任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "落实行政机关负责人出庭应诉", "县司法局", "—", "长期坚持"),
        ("2", "推进“互联网+监管”", "县市场监督管理局", "/", "持续推进"),
        ("3", "组织县政府常务会议会前学法", "县政府办公室", "县司法局", "每季度"),
        ("4", "开展政务诚信建设", "县发展和改革局", "", "—"),
        ("5", "落实法治政府建设年度报告制度", "县司法局", "无", ""),
    ]
    path = save(plan_document("西岭县2024年法治政府建设重点任务分工方案", rows), tmp_path)
    text = read_document(path)
    assert "—" not in text and "：/" not in text and "配合单位：无" not in text
    tasks = parse_report(text, directory=directory).tasks()
    assert [t.title for t in tasks] == [r[1] for r in rows[1:]]
    assert [due(t) for t in tasks] == [None] * 5
    assert [t.deadline.vague if t.deadline else None for t in tasks] == [True, True, False, False, False]
    assert [owners(t, "support") for t in tasks] == [[], [], ["县司法局"], [], []]
    assert tasks[2].recurrence is not None and tasks[2].recurrence.rrule == "FREQ=MONTHLY;INTERVAL=3"


def test_plain_table_keeps_repeated_values_and_gives_merged_cells_once(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("附件：2023年度法治政府建设重点指标完成情况")
    table = document.add_table(rows=5, cols=4)
    for r, values in enumerate(
        [
            ("序号", "指标", "目标值", "完成值"),
            ("1", "行政机关负责人出庭应诉率", "100%", "100%"),
            ("2", "规范性文件合法性审核率", "100%", "100%"),
            ("3", "执法人员培训", "1200人次", "1350人次"),
        ]
    ):
        for col, value in enumerate(values):
            table.cell(r, col).text = value
    table.cell(4, 0).merge(table.cell(4, 1)).text = "合计"
    table.cell(3, 3).merge(table.cell(4, 3))  # merged down: still one cell
    lines = read_document(save(document, tmp_path, "指标.docx")).split("\n")
    # the bare row numbers are dropped later by normalise_text, which takes a lone number for a page number
    assert lines == [
        "附件：2023年度法治政府建设重点指标完成情况",
        "序号",
        "指标",
        "目标值",
        "完成值",
        "行政机关负责人出庭应诉率",
        "100%",
        "100%",
        "规范性文件合法性审核率",
        "100%",
        "100%",
        "执法人员培训",
        "1200人次",
        "1350人次",
        "合计",
    ]




def test_signature_above_an_annex_table(tmp_path: Path, directory: DepartmentDirectory) -> None:
    document = report_document(
        [
            ("序号", "任务内容", "责任主体", "时限要求"),
            ("1", "修订完善重大行政决策程序规定", "政策法规股", "6月底前"),
        ]
    )
    document.add_paragraph("附件：2023年度法治政府建设重点指标完成情况")
    table = document.add_table(rows=4, cols=3)
    for r, values in enumerate(
        [
            ("指标", "目标值", "完成值"),
            ("出庭应诉率", "100%", "100%"),
            ("审核率", "100%", "100%"),
            ("培训", "12次", "14次"),
        ]
    ):
        for col, value in enumerate(values):
            table.cell(r, col).text = value
    plan = parse(save(document, tmp_path, "报告.docx"), directory)
    assert plan.issuers == ["平川县教育局"]
    assert plan.report_date == date(2024, 2, 18)


def test_report_date_is_not_a_deadline_cell(tmp_path: Path, directory: DepartmentDirectory) -> None:
    document = docx.Document()
    document.add_paragraph("西岭县2024年法治政府建设重点任务清单")
    add_table(
        document,
        [
            ("序号", "任务内容", "责任单位", "完成时限"),
            ("1", "开展规范性文件清理", "县司法局", "2024年11月30日前"),
            ("2", "编制重大行政决策事项目录", "县政府办公室", "3月底前"),
        ],
    )
    plan = parse(save(document, tmp_path, "清单.docx"), directory)
    assert plan.report_date is None


def test_task_cell_merged_down_over_its_measures(tmp_path: Path, directory: DepartmentDirectory) -> None:
    """序号 and 重点任务 merged down over three rows of 具体措施: one task, its measures the points, each with its
    own units and time limit."""
    document = docx.Document()
    document.add_paragraph("青峰县2026年优化营商环境重点任务分工方案")
    table = document.add_table(rows=5, cols=5)
    header = ["序号", "重点任务", "具体措施", "牵头单位", "完成时限"]
    rows = [
        ("企业开办全流程压缩至1个工作日内", "县市场监管局", "3月底前"),
        ("推行电子营业执照“一照通行”", "县行政审批局", "6月底前"),
        ("推行经营主体登记全程电子化", "县市场监管局", "年底前"),
    ]
    for col, text in enumerate(header):
        table.cell(0, col).text = text
    for r, (measure, lead, due) in enumerate(rows, start=1):
        table.cell(r, 2).text, table.cell(r, 3).text, table.cell(r, 4).text = measure, lead, due
    number = table.cell(1, 0).merge(table.cell(3, 0))
    number.text = "1"
    task = table.cell(1, 1).merge(table.cell(3, 1))
    task.text = "提升开办企业便利度"
    for col, text in enumerate(["2", "优化工程建设项目审批", "推行联合验收", "县住房城乡建设局", "年底前"]):
        table.cell(4, col).text = text
    plan = parse(save(document, tmp_path), directory)
    assert [(i.label, i.title) for i in plan.items] == [("1.", "提升开办企业便利度"), ("2.", "优化工程建设项目审批")]
    points = plan.items[0].children
    assert [(c.label, c.title) for c in points] == [("（1）", rows[0][0]), ("（2）", rows[1][0]), ("（3）", rows[2][0])]
    assert [[o.written or o.department for o in c.owners] for c in points] == [
        ["县市场监管局"], ["县行政审批局"], ["县市场监管局"]
    ]
    assert [c.deadline.date.month for c in points if c.deadline] == [3, 6, 12]
