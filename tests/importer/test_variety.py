"""Shapes of documents offices really have, written here as small fictional texts: a 工作要点 sent with a
covering notice, a 实施方案 with frame chapters, a report that ends with 下一步，…, a level-two plan heading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.errors import ImportFailed
from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan, ParsedTask
from tracker.importer.parse import parse_report

NOTICE_AND_POINTS = """示范区管理委员会办公室
关于印发《示范区2026年法治政府建设工作要点》的通知
各街道，区直各部门：
现将《示范区2026年法治政府建设工作要点》印发给你们，请结合实际认真贯彻落实。
示范区管理委员会办公室
2026年2月10日
示范区2026年法治政府建设工作要点
2026年是“十五五”开局之年。做好今年法治政府建设工作，要坚持以习近平法治思想为指导，重点抓好以下工作。
一、加强党对法治政府建设的领导
（一）深入学习贯彻习近平法治思想，纳入理论中心组年度学习计划。（责任单位：党政办公室，完成时限：长期坚持）
（二）召开全面依法治区委员会会议，研究部署年度重点工作。（牵头单位：区司法局；配合单位：各有关单位；完成时限：6月底前）
二、深化政务服务改革
（三）推进“一网通办”，政务服务事项办理时限压缩50%。（行政审批服务局负责）
（四）2026年10月底前完成“无证明城市”建设评估。（行政审批服务局牵头，区司法局配合）
三、严格规范公正文明执法
（五）每季度开展行政执法案卷评查，通报评查结果。
责任处室：法规科
配合处室（单位）：办公室、执法大队
（六）健全行政裁量权基准制度，开展执法人员培训，实行周分析、月调度、季通报。
各处室按职责分工负责。
"""

SCHEME = """示范区法治政府建设实施方案（2026年）
为深入推进法治政府建设，结合本区实际，制定本方案。
一、指导思想
以习近平新时代中国特色社会主义思想为指导，全面贯彻习近平法治思想。
二、工作目标
到2026年底，法治政府建设取得新进展，行政机关负责人出庭应诉率达到100%。
三、主要任务
（一）完善依法决策机制。严格执行重大行政决策程序，3月底前公布决策事项目录。（责任单位：党政办公室）
（二）深化行政执法体制改革。重点在深化综合执法改革、深化执法协作机制、深化执法数字化应用等方面取得突破。
（三）强化行政复议应诉。力争行政复议案件纠错率达到15%。（区司法局负责）
四、组织保障
（一）加强组织领导。成立工作专班，定期调度。
（二）强化督促检查。将实施情况纳入年度考核。
"""

NEXT_STEP = """示范区司法局关于2025年度法治政府建设情况的报告
区委、区政府：
2025年，我局在区委、区政府的坚强领导下，扎实推进法治政府建设各项工作，现将有关情况报告如下。
一、主要做法
（一）加强行政复议。全年办理行政复议案件48件，纠错率12%。
（二）推进普法宣传。开展普法活动120场。
二、存在问题
一是基层执法力量不足；二是普法针对性不强。
下一步，我局将重点做好以下工作：一是持续推进行政复议规范化建设，年底前制定办案规程；二是每季度开展一次普法宣传主题活动；三是加强法律顾问队伍建设。
特此报告。
示范区司法局
2026年1月8日
"""

LEVEL_TWO = """示范区市场监管局2025年度法治政府建设情况报告
一、2025年法治政府建设情况
（一）主要工作。全年办理案件260件。
（二）第一责任人履职情况。主要负责人专题研究法治工作4次。
（三）下一步工作打算
1.深化“双随机、一公开”监管，第三季度前完成年度抽查计划。
2.推行包容审慎监管，扩大“首违不罚”清单。
3.加强执法人员培训，全年不少于200人次。
二、其他需要报告的情况
无。
"""


def parse(text: str, directory: DepartmentDirectory) -> ParsedPlan:
    return parse_report(text, directory=directory)


def owners(task: ParsedTask) -> list[tuple[str, str, str]]:
    return [(o.department, o.role, o.source) for o in task.owners]


def test_work_points_with_covering_notice(directory: DepartmentDirectory) -> None:
    plan = parse(NOTICE_AND_POINTS, directory)
    assert plan.kind == "plan"
    assert plan.title == "示范区2026年法治政府建设工作要点"
    assert plan.year == 2026
    # the notice (addressees, 现将…印发给你们, date) is not a task; the chapters are items
    assert [i.label for i in plan.items] == ["一、", "二、", "三、"]
    assert [len(i.children) for i in plan.items] == [2, 2, 2]
    assert all("印发" not in t.text for t in plan.tasks())
    first, second = plan.items[0].children
    assert owners(first) == [("党政办公室", "lead", "text")]
    assert first.deadline is not None and first.deadline.vague and first.deadline.text == "长期坚持"
    assert owners(second) == [("司法局", "lead", "text"), ("各有关单位", "support", "text")]
    assert second.owners[1].collective
    assert second.deadline is not None and second.deadline.date == date(2026, 6, 30)
    assert "牵头单位" not in second.title and "完成时限" not in second.title
    third, fourth = plan.items[1].children
    assert owners(third) == [("行政审批服务局", "lead", "text")]
    assert owners(fourth) == [("行政审批服务局", "lead", "text"), ("司法局", "support", "text")]
    assert fourth.deadline is not None and fourth.deadline.date == date(2026, 10, 31)
    fifth, sixth = plan.items[2].children
    # 责任处室 / 配合处室（单位） on their own lines after the entry
    assert [(o.written or o.department, o.role) for o in fifth.owners] == [
        ("法规科", "lead"),
        ("办公室", "support"),
        ("执法大队", "support"),
    ]
    assert fifth.recurrence is not None and fifth.recurrence.rrule == "FREQ=MONTHLY;INTERVAL=3"
    assert [r.rrule for r in sixth.recurrences] == ["FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=3"]
    assert sixth.owners[0].collective and sixth.owners[0].department == "各处室"


def test_scheme_uses_its_task_chapter(directory: DepartmentDirectory) -> None:
    plan = parse(SCHEME, directory)
    assert plan.kind == "plan" and plan.year == 2026
    assert plan.section_heading == "三、主要任务"
    assert [i.title for i in plan.items] == ["完善依法决策机制", "深化行政执法体制改革", "强化行政复议应诉"]
    parallel = plan.items[1].children
    assert [c.title for c in parallel] == ["深化综合执法改革", "深化执法协作机制", "深化执法数字化应用"]
    assert ("行政复议案件纠错率", 15, "%") in [(t.name, t.value, t.unit) for t in plan.items[2].targets]


def test_report_ending_with_next_steps(directory: DepartmentDirectory) -> None:
    plan = parse(NEXT_STEP, directory)
    assert plan.year == 2026 and plan.kind == "report"
    assert plan.section_heading == "下一步"
    assert [i.label for i in plan.items] == ["一是", "二是", "三是"]
    assert plan.items[0].title == "持续推进行政复议规范化建设，年底前制定办案规程"
    assert plan.items[0].deadline is not None and plan.items[0].deadline.source == "text"
    assert (
        plan.items[1].recurrence is not None and plan.items[1].recurrence.rrule == "FREQ=MONTHLY;INTERVAL=3"
    )
    assert plan.report_date == date(2026, 1, 8) and plan.issuers == ["示范区司法局"]
    assert any("下一步" in w for w in plan.warnings)
    # 存在问题's 一是/二是 are not tasks
    assert all("执法力量" not in t.text for t in plan.tasks())


def test_level_two_heading(directory: DepartmentDirectory) -> None:
    plan = parse(LEVEL_TWO, directory)
    assert plan.section_heading == "（三）下一步工作打算"
    assert plan.year == 2026
    assert [i.label for i in plan.items] == ["1.", "2.", "3."]
    assert plan.items[0].deadline is not None and plan.items[0].deadline.date == date(2026, 9, 30)
    # the bureau's own report: what it names no unit for is suggested to the bureau itself
    assert plan.unassigned_labels() == []
    assert [(o.department, o.source) for o in plan.items[2].owners] == [("示范区市场监管局", "suggested")]


@pytest.mark.parametrize("text", [NOTICE_AND_POINTS, SCHEME, NEXT_STEP, LEVEL_TWO])
def test_run_together_versions_agree(text: str, directory: DepartmentDirectory) -> None:
    a = parse(text, directory)
    b = parse(text.replace("\n", ""), directory)
    assert [(i.label, [c.label for c in i.children]) for i in a.items] == [
        (i.label, [c.label for c in i.children]) for i in b.items
    ]


DEPARTMENT_REPORT = """XX市司法局关于2023年度法治政府建设情况的报告

市委依法治市办：

2023年，我局深入学习贯彻习近平法治思想，现将有关情况报告如下。

一、2023年推进法治政府建设的主要举措和成效
（一）加强组织领导。全年召开专题会议5次，出台文件3件。
二、存在的不足和原因
一是执法监督力量不足；二是基层法治建设不平衡。
{heading}
{body}
特此报告。

XX市司法局
2024年2月1日
"""


@pytest.mark.parametrize(
    ("heading", "body", "labels"),
    [
        ("三、下一步工作打算", "（一）深化示范创建。6月底前完成评估。\n（二）加强执法监督。", ["（一）", "（二）"]),
        ("三、2024年重点工作", "（一）深化示范创建。\n（二）加强执法监督。", ["（一）", "（二）"]),
        ("四、下一步工作安排", "1.深化示范创建。\n2.加强执法监督。\n3.推进公共法律服务。", ["1.", "2.", "3."]),
        # one paragraph of inline points: three tasks, not one item titled with the whole paragraph
        ("三、2024年工作思路", "一是深化示范创建；二是加强执法监督，每季度开展案卷评查；三是推进公共法律服务。",
         ["一是", "二是", "三是"]),
    ],
    ids=["工作打算", "重点工作", "arabic", "inline-points-only"],
)
def test_a_department_report_with_other_next_year_headings(heading: str, body: str, labels: list[str]) -> None:
    plan = parse_report(DEPARTMENT_REPORT.format(heading=heading, body=body), source_name="dept.txt")
    assert plan.year == 2024
    assert plan.section_heading == heading
    assert [i.label for i in plan.items] == labels
    assert plan.items[1].title.startswith("加强执法监督")
    assert plan.issuers == ["XX市司法局"]


def test_a_task_table_in_word_becomes_tasks_with_owners_and_deadlines(tmp_path: Path) -> None:
    """A 任务分工方案 whose tasks are a table (序号, 工作任务, 责任单位, 完成时限), as offices write them."""
    import docx

    from tracker.importer.reading import read_document

    document = docx.Document()
    document.add_paragraph("示范区2025年法治政府建设重点任务分工方案")
    document.add_paragraph("为扎实推进法治政府建设，制定本方案。")
    document.add_paragraph("一、主要任务")
    rows = [
        ("序号", "工作任务", "责任单位", "完成时限"),
        ("1", "修订行政规范性文件管理办法", "区司法局", "2025年6月底前"),
        ("2", "开展行政执法案卷评查，评查案卷不少于200件", "区司法局、区市场监管局", "每季度"),
        ("3", "推进“无证明城市”建设", "行政审批服务局", "年底前"),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for cells, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("二、组织保障")
    document.add_paragraph("各单位要加强领导，确保任务落实。")
    path = tmp_path / "分工方案.docx"
    document.save(str(path))

    plan = parse_report(read_document(path), source_name=path.name)
    assert plan.kind == "plan" and plan.year == 2025
    assert [t.title for t in plan.tasks()] == [
        "修订行政规范性文件管理办法",
        "开展行政执法案卷评查，评查案卷不少于200件",
        "推进“无证明城市”建设",
    ]
    first, second, third = plan.tasks()
    assert first.deadline is not None and first.deadline.date == date(2025, 6, 30)
    assert [(o.department, o.source) for o in second.owners] == [("司法局", "text"), ("市场监管局", "text")]
    assert second.recurrence is not None and second.recurrence.rrule == "FREQ=MONTHLY;INTERVAL=3"
    assert [(t.value, t.unit) for t in second.targets] == [(200, "件")]
    assert third.deadline is not None and third.deadline.date == date(2025, 12, 31)


SHARED_WITH_SUBHEADINGS = """沙河县人民政府关于2025年法治政府建设工作情况的报告
市人民政府：
　　2025年，我县深入推进法治政府建设，现将有关情况报告如下。
　　一、主要工作
　　（一）依法履职。办理行政复议案件42件。
　　二、党政主要负责人履职情况
　　县长带头出庭应诉2次。
　　三、存在的问题和下一步工作打算
　　（一）存在的问题
　　一是法治政府建设发展还不平衡；二是行政执法人员素质参差不齐；三是法治宣传形式较为单一。
　　（二）下一步工作打算
　　2026年，我县将重点做好以下几个方面工作：
　　1.持续深化法治政府示范创建。力争通过省级验收。（县司法局牵头，县直各单位配合）
　　2.全面提升行政执法规范化水平。全年开展行政执法人员培训不少于3次。（县司法局负责）
　　3.深入开展普法宣传。每季度开展一次“法律进乡村”活动。
　　特此报告。
　　沙河县人民政府
　　2026年1月26日
"""

SHARED_WITH_NEXT_STEP_PARAGRAPH = """示范区市场监管局关于2025年度法治政府建设情况的报告
　　一、主要做法
　　（一）推进执法规范化。全年办理案件260件。
　　二、存在问题及下一步打算
　　一是基层执法力量不足，二是普法针对性不强。
　　下一步，我局将重点做好以下工作：一是深化“双随机、一公开”监管，第三季度前完成年度抽查计划；二是推行包容审慎监管，扩大“首违不罚”清单；三是加强执法人员培训，全年不少于200人次。
　　特此报告。
"""


@pytest.mark.parametrize(
    ("text", "heading", "labels"),
    [
        (SHARED_WITH_SUBHEADINGS, "（二）下一步工作打算", ["1.", "2.", "3."]),
        (SHARED_WITH_NEXT_STEP_PARAGRAPH, "二、存在问题及下一步打算", ["一是", "二是", "三是"]),
    ],
)
def test_problems_sharing_the_section_are_not_tasks(
    directory: DepartmentDirectory, text: str, heading: str, labels: list[str]
) -> None:
    """ "存在的问题和下一步工作打算" in one section: the problems come first and are not tasks."""
    plan = parse(text, directory)
    assert plan.section_heading == heading and plan.year == 2026
    assert [t.label for t in plan.tasks()] == labels
    assert not any("不平衡" in t.text or "力量不足" in t.text for t in plan.tasks())


SCHEME_WITHOUT_YEAR = """汝阳县创建省级法治政府建设示范县实施方案
　　为深入贯彻落实《法治政府建设实施纲要（2021—2025年）》，结合我县实际，制定本方案。
　　一、工作目标
　　2024年，全县法治政府建设取得明显成效，力争2024年底前通过省级示范县评估。
　　二、重点任务
　　1.全面实行政府权责清单制度。6月底前完成权责清单动态调整。（责任单位：县委编办）
　　2.开展规范性文件清理。2024年11月30日前完成全面清理。（责任单位：县司法局）
　　三、保障措施
　　各单位要高度重视，确保各项任务落到实处。
"""


def test_plan_without_a_year_in_its_title_takes_the_year_its_text_names(directory: DepartmentDirectory) -> None:
    plan = parse(SCHEME_WITHOUT_YEAR, directory)
    assert plan.kind == "plan" and plan.year == 2024
    assert not any("没有写明年份" in w for w in plan.warnings)
    first, second = plan.tasks()
    assert first.deadline is not None and first.deadline.date == date(2024, 6, 30)
    assert second.deadline is not None and second.deadline.date == date(2024, 11, 30)


def test_plan_naming_no_year_at_all_takes_the_year_of_today(directory: DepartmentDirectory) -> None:
    text = SCHEME_WITHOUT_YEAR.replace("2024年，", "").replace("力争2024年底前", "力争年底前").replace(
        "2024年11月30日前", "11月30日前"
    ).replace("（2021—2025年）", "")
    plan = parse_report(text, directory=directory, today_year=2031)
    assert plan.year == 2031 and any("没有写明年份" in w for w in plan.warnings)


CHAPTERS_INSIDE_THE_SECTION = """示范区司法局关于2025年度法治政府建设情况的报告
一、2025年主要工作
（一）依法履职。办理行政复议案件48件。
二、存在的不足
基层执法力量不足。
三、2026年工作安排
一、提升行政复议质效
1.年底前制定行政复议办案规程。
2.每季度开展一次案件质量评查。
二、深化普法宣传
1.全年开展普法活动不少于120场。
四、其他需要报告的情况
无。
"""


def test_chapters_numbered_like_the_section_heading_are_its_items(directory: DepartmentDirectory) -> None:
    """ "三、2026年工作安排" whose plan restarts at 一、: those chapters are the items, their 1. 2. the tasks."""
    plan = parse(CHAPTERS_INSIDE_THE_SECTION, directory)
    assert plan.section_heading == "三、2026年工作安排"
    assert [(i.label, [c.label for c in i.children]) for i in plan.items] == [
        ("一、", ["1.", "2."]),
        ("二、", ["1."]),
    ]
    assert plan.items[0].children[1].recurrence is not None


def test_no_section_message_names_the_year_to_look_for(directory: DepartmentDirectory) -> None:
    text = "示范区司法局关于2025年度法治政府建设情况的报告\n一、2025年主要工作\n（一）依法履职。办理案件48件。\n"
    with pytest.raises(ImportFailed) as err:
        parse(text, directory)
    assert "四、2026年推进法治政府建设的主要安排" in err.value.message


def test_a_bureaus_own_plan_is_suggested_to_the_bureau(directory: DepartmentDirectory) -> None:
    """A 市场监管局 work plan: its tasks are the bureau's own work, not the departments their words recall
    (商事制度 → 经济发展局, 药品 → 卫生健康局); a task that names its unit keeps it."""
    text = (
        "松林区市场监督管理局2026年工作计划\n"
        "一、持续优化营商环境\n（1）深化商事制度改革。全程电子化登记率达到95%。\n"
        "（2）加强药品医疗器械监管。上半年完成零售药店全覆盖检查。（责任科室：药品安全监管科）\n"
        "二、筑牢食品安全防线\n（1）开展食品安全抽检。全年完成食品抽检4500批次。\n"
    )
    plan = parse(text, directory)
    owners = [[(o.written or o.department, o.source) for o in t.owners] for t in plan.tasks()]
    assert owners == [
        [("松林区市场监督管理局", "suggested")],
        [("药品安全监管科", "text")],
        [("松林区市场监督管理局", "suggested")],
    ]
    # an item tracked through its points gets no owner of its own
    assert plan.items[0].owners == []


def test_red_header_and_issuer_on_the_title_line(directory: DepartmentDirectory) -> None:
    """The red header "示范县人民政府文件" and "示范县人民政府关于…的报告" name one issuer, once."""
    text = (
        "示范县人民政府文件\n示政报〔2026〕3号\n示范县人民政府关于2025年度法治政府建设情况的报告\n市人民政府：\n"
        "2025年，我县扎实推进法治政府建设。现将有关情况报告如下。\n一、2025年工作情况\n（一）依法履职。审结案件54件。\n"
        "二、2026年工作安排\n（一）加强依法决策。年底前公布重大行政决策目录。（县司法局负责）\n"
        "（二）规范行政执法。每季度开展一次案卷评查。（县司法局负责）\n特此报告。\n示范县人民政府\n2026年2月27日\n"
    )
    plan = parse(text, directory)
    assert plan.issuers == ["示范县人民政府"]
    assert plan.title == "关于2025年度法治政府建设情况的报告"
    assert plan.addressee == "市人民政府" and plan.report_date == date(2026, 2, 27)


HEADED = """长宁区司法局2025年度法治政府建设工作报告
一、2025年主要工作
统筹推进法治政府建设。全年审核规范性文件14件。
二、2026年工作计划
2026年，区司法局将重点做好以下三个方面工作。
加强党的领导
坚持把党的领导贯彻到司法行政工作全过程，局党组每季度专题研究法治建设工作。（责任科室：办公室）
提升合法性审核质效
规范性文件合法性审核率保持100%，年底前建立合法性审核专家库。（责任科室：立法审核科）
同时，推行重大行政决策合法性审查提前介入机制。
深化行政执法监督
每半年开展一次案卷评查，全年评查案卷不少于400卷。（责任科室：执法监督科）
三、其他需要报告的情况
无。
"""


@pytest.mark.parametrize("as_word", [False, True])
def test_unnumbered_heading_lines_are_the_items(directory: DepartmentDirectory, tmp_path: Path, as_word: bool) -> None:
    """Items that are heading lines without numbers (Word headings, or short lines of their own), each with its
    paragraphs; the sentence before the first heading introduces them and is no task."""
    text = HEADED
    if as_word:
        import docx

        from tracker.importer.reading import read_document

        document = docx.Document()
        for line in HEADED.strip().split("\n"):
            if line in ("加强党的领导", "提升合法性审核质效", "深化行政执法监督"):
                document.add_heading(line, level=2)
            else:
                document.add_paragraph(line)
        document.save(str(tmp_path / "报告.docx"))
        text = read_document(tmp_path / "报告.docx")
    plan = parse(text, directory)
    assert [i.title for i in plan.items] == ["加强党的领导", "提升合法性审核质效", "深化行政执法监督"]
    assert [[o.department for o in i.owners] for i in plan.items] == [["办公室"], ["立法审核科"], ["执法监督科"]]
    assert "提前介入机制" in plan.items[1].text  # a follow-on paragraph stays with its item
    assert plan.items[2].recurrence is not None and plan.items[2].recurrence.rrule == "FREQ=MONTHLY;INTERVAL=6"


@pytest.mark.parametrize("joiner", ["\n", ""])
def test_yi_yao_points(directory: DepartmentDirectory, joiner: str) -> None:
    """ "一要…二要…三要…" as paragraphs or in one paragraph: labelled points, none lost."""
    points = [
        "一要持续深化习近平法治思想学习宣传贯彻，3月底前制定年度学法计划。",
        "二要加快推进政府职能转变，6月底前完成权责清单调整。",
        "三要健全依法行政制度体系，每半年开展一次规范性文件清理。",
    ]
    text = (
        "青城市人民政府关于2025年度法治政府建设情况的报告\n一、2025年工作情况\n（一）依法履职。办理案件48件。\n"
        "二、2026年推进法治政府建设的主要安排\n2026年，我市将重点做好以下工作：" + joiner + joiner.join(points) + "\n特此报告。\n"
    )
    plan = parse(text, directory)
    assert [(t.label, t.title) for t in plan.tasks()] == [
        ("一要", "持续深化习近平法治思想学习宣传贯彻，3月底前制定年度学法计划"),
        ("二要", "加快推进政府职能转变，6月底前完成权责清单调整"),
        ("三要", "健全依法行政制度体系，每半年开展一次规范性文件清理"),
    ]


def test_third_level_points_take_their_points_owner(directory: DepartmentDirectory) -> None:
    """ "1.规范重大行政决策。" with （1）（2）（3） below and its 责任单位 after them: the sub-points are what gets
    tracked (labelled 1.（1）…), and each is the units' written for point 1."""
    text = (
        "松河区人民政府关于2025年度法治政府建设情况的报告\n一、2025年工作情况\n（一）依法履职。办理案件48件。\n"
        "二、2026年工作安排\n（一）健全依法行政制度体系\n1.规范重大行政决策。\n"
        "（1）3月底前编制公布重大行政决策事项目录；\n（2）决策程序执行率达到100%；\n（3）每半年开展一次决策后评估。\n"
        "（责任单位：区政府办公室、区司法局）\n2.加强行政规范性文件管理。\n（1）9月底前完成规范性文件全面清理。\n"
        "（2）严格落实合法性审核机制。\n（牵头单位：区司法局；配合单位：区政府各部门）\n"
        "（二）推进严格规范公正文明执法\n1.上半年完成综合行政执法事项目录调整。（区综合执法局负责）\n特此报告。\n"
    )
    plan = parse(text, directory)
    tasks = plan.tasks()[:5]
    assert [t.label for t in tasks] == ["1.（1）", "1.（2）", "1.（3）", "2.（1）", "2.（2）"]
    assert [[o.written or o.department for o in t.owners if o.role == "lead"] for t in tasks[:3]] == [
        ["区政府办公室", "区司法局"]
    ] * 3
    assert all(o.source == "text" for t in tasks for o in t.owners)
    assert [t.deadline.date for t in tasks if t.deadline] == [
        date(2026, 3, 31), date(2026, 12, 31), date(2026, 12, 31), date(2026, 9, 30), date(2026, 12, 31)
    ]


def test_another_districts_units_keep_their_names(directory: DepartmentDirectory) -> None:
    """The default directory is 淄博高新区's, where 综合执法 and 应急管理 are one merged bureau and 区财政局 is
    财政金融局: a report from another district keeps its own units apart (区司法局 still reads as 司法局)."""
    text = (
        "江北区人民政府关于2025年度法治政府建设情况的报告\n一、2025年工作情况\n（一）依法履职。办理案件48件。\n"
        "二、2026年工作安排\n（一）深化综合执法。年底前完成执法事项目录调整。（区综合执法局负责）\n"
        "（二）强化安全监管。每季度开展一次联合检查。（区应急管理局牵头，区财政局、区司法局配合）\n特此报告。\n"
    )
    plan = parse(text, directory)
    owners = [[(o.department, o.role) for o in t.owners] for t in plan.tasks()]
    assert owners == [
        [("区综合执法局", "lead")],
        [("区应急管理局", "lead"), ("区财政局", "support"), ("司法局", "support")],
    ]


def test_the_directorys_own_district_uses_its_aliases(directory: DepartmentDirectory) -> None:
    assert directory.covers("中共淄博市委淄博高新区工作委员会")
    assert directory.find("区综合执法局") is not None
    assert directory.find("区综合执法局", aliases=False) is None
    assert directory.find("区市场监管局", aliases=False) is not None


def test_first_listed_unit_leads_when_the_document_says_so(directory: DepartmentDirectory) -> None:
    text = (
        "西岭县2026年法治政府建设重点任务台账\n说明：责任单位排在首位的为牵头单位。\n一、重点任务\n"
        "1.修订重大行政决策程序规定。（责任单位：县政府办公室、县司法局；完成时限：6月底前）\n"
        "2.开展执法案卷评查。（责任单位：县司法局、各执法部门；完成时限：每季度）\n"
    )
    plan = parse(text, directory)
    assert [[(o.written or o.department, o.role) for o in t.owners] for t in plan.tasks()] == [
        [("县政府办公室", "lead"), ("县司法局", "support")],
        [("县司法局", "lead"), ("各执法部门", "support")],
    ]


def test_spaced_out_figures_of_a_pdf_copy(directory: DepartmentDirectory) -> None:
    """A justified PDF layout copied as text: spaces inside dates and around figures."""
    text = (
        "关于 2025 年度法治政府建设情况的报告\n一、2025年工作情况\n（一）依法履职。办理案件 48 件。\n"
        "二、2026年工作安排\n（一）规范执法。２０２６年 ３ 月 底 前完成执法事项清单调整，办结率达到 ９８ ％。\n"
        "（二）加强普法。全年新增普法志愿者 ５００ 名。\n"
    )
    plan = parse(text, directory)
    assert plan.title == "关于2025年度法治政府建设情况的报告"
    first, second = plan.items
    assert first.deadline is not None and first.deadline.date == date(2026, 3, 31)
    assert [(t.value, t.unit) for t in first.targets] == [(98, "%")]
    assert [(t.value, t.unit) for t in second.targets] == [(500, "名")]


def test_yi_yao_run_that_goes_on_without_numbers(directory: DepartmentDirectory) -> None:
    text = (
        "青城市人民政府关于2025年度法治政府建设情况的报告\n一、2025年工作情况\n（一）依法履职。办理案件48件。\n"
        "二、2026年推进法治政府建设的主要安排\n一要深化法治思想学习。3月底前制定学法计划。\n"
        "二要推进职能转变。6月底前完成权责清单调整。\n要强化行政权力制约和监督。按期办结率100%。\n"
        "要加强法治政府建设保障。将法治建设纳入年度考核。\n特此报告。\n"
    )
    plan = parse(text, directory)
    assert [(i.label, i.title) for i in plan.items] == [
        ("一要", "深化法治思想学习"),
        ("二要", "推进职能转变"),
        ("第3段", "要强化行政权力制约和监督"),
        ("第4段", "要加强法治政府建设保障"),
    ]
    assert plan.items[2].deadline is not None and plan.items[2].deadline.source == "default"


RECTIFICATION = """石门县巡察反馈问题整改方案
一、整改目标
全面完成巡察反馈问题整改。
二、整改任务
（一）落实意识形态工作责任制不到位的问题
整改措施：每半年专题研究一次意识形态工作，年底前完成意识形态阵地排查。
责任单位：县委宣传部牵头，县委网信办、县文旅局配合
（二）干部队伍建设存在短板的问题
整改措施：制定年轻干部培养计划，每季度开展一次干部谈心谈话。
责任单位：县委组织部负责，县人社局配合
三、整改要求
各单位要高度重视，确保按期完成。
"""


@pytest.mark.parametrize("joiner", ["\n", ""])
def test_rectification_plan_owner_clauses_in_lines_and_run_together(
    directory: DepartmentDirectory, joiner: str
) -> None:
    plan = parse(RECTIFICATION.replace("\n", joiner), directory)
    assert plan.kind == "plan"
    assert [i.title for i in plan.items] == ["落实意识形态工作责任制不到位的问题", "干部队伍建设存在短板的问题"]
    assert [[(o.written or o.department, o.role) for o in i.owners] for i in plan.items] == [
        [("县委宣传部", "lead"), ("县委网信办", "support"), ("县文旅局", "support")],
        [("县委组织部", "lead"), ("县人社局", "support")],
    ]


def test_parallel_phrases_with_other_work_beside_them_stay_one_task(directory: DepartmentDirectory) -> None:
    text = (
        "东陵镇2026年政府工作报告\n一、2025年工作回顾\n（一）项目建设。完成投资8.5亿元。\n二、2026年重点工作\n"
        "（一）持续用力推进乡村振兴。深化农村集体产权制度改革、深化农业经营体系改革、深化宅基地管理改革等方面，"
        "6月底前完成农民工工资清欠，汛期前完成水毁设施修复。\n（二）保障改善民生。新增学位300个。\n"
    )
    plan = parse(text, directory)
    assert plan.items[0].children == []
    assert "工资清欠" in plan.items[0].text and plan.items[0].deadline is not None
    assert plan.items[0].deadline.date == date(2026, 6, 30)
