"""Plan documents and the reports around them, as small fictional texts: a report whose plan is its 附表, task
decomposition schemes (任务分解方案/分解表), rectification plans (整改方案), the frame chapters of a plan, joint
issuers, a web page's breadcrumb and the speaker of a government work report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan, ParsedTask
from tracker.importer.parse import parse_report
from tracker.importer.reading import read_document


def parse(text: str, directory: DepartmentDirectory) -> ParsedPlan:
    return parse_report(text, directory=directory)


def written_owners(task: ParsedTask) -> list[str]:
    return [o.written or o.department for o in task.owners if o.source == "text"]


def due(task: ParsedTask) -> date | None:
    return task.deadline.date if task.deadline is not None and task.deadline.source == "text" else None


# ---------------------------------------------------------------------------------------------------------------
# A report "…工作总结和2026年工作计划的报告" whose plan section points to the 附表 after the sign-off

APPENDIX_ROWS = [
    ("序号", "重点工作", "具体目标", "责任股室", "完成时限"),
    ("一", "推进法治政府建设示范创建", "对照指标体系完成自评，力争通过市级评估", "法治督察股", "2026年9月底前"),
    ("二", "做好规范性文件合法性审核", "规范性文件合法性审核率100%", "立法审核股", "全年"),
    ("三", "开展行政执法案卷评查", "评查案卷不少于300卷", "执法监督股", "2026年11月底前"),
    ("四", "培育农村“法律明白人”", "新培育“法律明白人”400名", "普法与依法治理股", "第三季度"),
]


def report_with_annexed_table(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("长宁县司法局关于2025年工作总结和2026年工作计划的报告")
    for text in [
        "县人民政府：",
        "　　2025年，县司法局在县委、县政府的坚强领导下，全面履行法治建设职能，现将有关情况报告如下。",
        "　　一、2025年工作总结",
        "　　（一）统筹推进法治建设。组织开展法治督察2次，督促整改问题23个。",
        "　　（二）规范行政执法监督。评查案卷280卷，新增持证执法人员112名。",
        "　　二、2026年工作计划",
        "　　2026年，我局将重点抓好以下四项工作，具体任务、目标、责任股室和完成时限详见附表。",
        "　　三、存在的困难",
        "　　一是基层司法所力量薄弱，全县15个司法所中有6个仅有1名工作人员；二是经费保障不足。",
        "　　特此报告。",
        "　　附表：长宁县司法局2026年重点工作任务清单",
        "长宁县司法局",
        "2026年1月20日",
    ]:
        document.add_paragraph(text)
    document.add_page_break()
    document.add_paragraph("附表")
    document.add_paragraph("长宁县司法局2026年重点工作任务清单")
    table = document.add_table(rows=len(APPENDIX_ROWS), cols=len(APPENDIX_ROWS[0]))
    for cells, values in zip(table.rows, APPENDIX_ROWS, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def test_report_whose_plan_is_the_table_it_points_to(tmp_path: Path, directory: DepartmentDirectory) -> None:
    path = report_with_annexed_table(tmp_path / "长宁司法局报告.docx")
    plan = parse_report(read_document(path), source_name=path.name, directory=directory)
    # a title 关于…的报告 is a report, whatever words (工作计划) precede 的报告
    assert plan.kind == "report"
    # the issuer written before 关于 on the title line stands apart, as when it has a line of its own
    assert plan.title == "关于2025年工作总结和2026年工作计划的报告"
    assert plan.year == 2026 and plan.report_year == 2025
    assert plan.issuers == ["长宁县司法局"] and plan.report_date == date(2026, 1, 20)
    assert plan.section_heading == "二、2026年工作计划"
    # the table's rows are the plan; the pointer sentence, the review and the difficulties are no task
    assert [t.label for t in plan.tasks()] == ["一、", "二、", "三、", "四、"]
    assert [t.title for t in plan.tasks()] == [row[1] for row in APPENDIX_ROWS[1:]]
    assert [written_owners(t) for t in plan.tasks()] == [["法治督察股"], ["立法审核股"], ["执法监督股"], ["普法与依法治理股"]]
    first, _, third, fourth = plan.tasks()
    assert due(first) == date(2026, 9, 30) and due(third) == date(2026, 11, 30) and due(fourth) == date(2026, 9, 30)
    assert [(g.value, g.unit) for g in third.targets] == [(300, "卷")]
    texts = " ".join(t.text for t in plan.tasks())
    assert "详见附表" not in texts and "持证执法人员" not in texts and "力量薄弱" not in texts
    assert not plan.unassigned_labels()
    assert any("附表" in w for w in plan.warnings)


def test_report_pointing_to_an_appendix_without_one_keeps_its_sentence(directory: DepartmentDirectory) -> None:
    text = """长宁县司法局关于2025年工作总结和2026年工作计划的报告
县人民政府：
一、2025年工作总结
（一）统筹推进法治建设。组织开展法治督察2次。
二、2026年工作计划
2026年，我局将持续深化法治督察，具体任务详见附表。
特此报告。
长宁县司法局
2026年1月20日
"""
    plan = parse(text, directory)
    assert plan.kind == "report" and plan.year == 2026
    assert plan.section_heading == "二、2026年工作计划"
    assert len(plan.tasks()) == 1 and "法治督察" in plan.tasks()[0].text


# ---------------------------------------------------------------------------------------------------------------
# 重点任务分解方案 / 分解表 / 任务分解: the title is no section, the body is the plan, 工作要求 no task

FENJIE = """青川区2026年法治政府建设{kind}
为确保2026年各项法治政府建设任务落到实处，结合我区实际，制定本方案。
一、加强党对法治政府建设的领导
1.区政府常务会议会前学法全年不少于12次。
责任领导：王志远
责任单位：区政府办公室、区司法局
完成时限：2026年12月底
2.将法治政府建设纳入全区高质量发展综合考核，考核权重不低于4%。
责任领导：陈海燕
责任单位：区委组织部
完成时限：2026年3月31日前
二、健全依法行政制度体系
3.开展行政规范性文件专项清理，对不符合上位法规定的文件及时修改或废止。
责任领导：李卫东
责任单位：区司法局
配合单位：区政府各部门
完成时限：2026年9月底前
三、工作要求
各责任单位要高度重视，对照任务分解逐项细化措施，于每季度末月25日前将工作进展情况报区委依法治区办，12月10日前报送全年工作总结。
"""


@pytest.mark.parametrize("kind", ["重点任务分解方案", "重点任务分解表", "任务分解", "重点任务分工方案", "责任分解方案"])
def test_task_decomposition_scheme_is_a_plan(directory: DepartmentDirectory, kind: str) -> None:
    plan = parse(FENJIE.format(kind=kind), directory)
    assert plan.kind == "plan" and plan.year == 2026
    assert plan.title == f"青川区2026年法治政府建设{kind}"
    assert plan.section_heading != plan.title
    assert [(i.label, [c.label for c in i.children]) for i in plan.items] == [
        ("一、", ["1.", "2."]),
        ("二、", ["3."]),
    ]
    first, second, third = plan.tasks()
    assert written_owners(first) == ["区政府办公室", "区司法局"] and due(first) == date(2026, 12, 31)
    assert written_owners(second) == ["区委组织部"] and due(second) == date(2026, 3, 31)
    assert (third.owners[0].written or third.owners[0].department, third.owners[0].role) == ("区司法局", "lead")
    assert due(third) == date(2026, 9, 30)
    # the closing chapter says how the plan is carried out: not a task, and its dates are nobody's deadline
    assert all("工作要求" not in i.title for i in plan.items)
    assert not any("12月10日前" in t.text or "每季度末月" in t.text for t in plan.tasks())


@pytest.mark.parametrize("heading", ["下一步工作计划", "2026年工作计划"])
def test_an_unnumbered_plan_heading_is_still_the_section(directory: DepartmentDirectory, heading: str) -> None:
    """The title is never the section; a report's own unnumbered heading still is."""
    text = f"""示范区司法局2025年度法治政府建设情况报告
2025年工作情况
全年办理行政复议案件48件。
{heading}
持续推进行政复议规范化建设，年底前制定办案规程。
每季度开展一次普法宣传主题活动。
"""
    plan = parse(text, directory)
    assert plan.kind == "report" and plan.section_heading == heading
    assert [t.title for t in plan.tasks()] == ["持续推进行政复议规范化建设，年底前制定办案规程", "每季度开展一次普法宣传主题活动"]


# ---------------------------------------------------------------------------------------------------------------
# 整改方案: the plan is the 问题清单及整改措施 chapter, its tasks the measures; problems are no targets

ZHENGGAI = """柳湾街道关于区法治督察反馈问题的整改方案
2025年11月，区委依法治区办对我街道开展了法治督察，反馈了2个方面的问题。为切实抓好整改，制定本方案。
一、整改目标
坚持问题导向，对反馈的问题逐项制定整改措施，确保2026年6月底前全部整改到位。
二、组织领导
成立整改工作领导小组，街道党工委书记任组长，领导小组办公室设在司法所。
三、问题清单及整改措施
（一）关于“重大行政决策程序执行不到位”的问题
问题表现：2025年街道未公布重大行政决策事项目录，抽查的8项决策中有3项未经风险评估。
整改措施：
1.3月底前编制公布街道2026年重大行政决策事项目录；
2.制定《柳湾街道重大行政决策程序规定》；
3.对2025年以来作出的决策事项开展一次全面自查。
责任领导：周建军
责任单位：党政办公室
整改时限：2026年4月30日前
（二）关于“综合行政执法不规范”的问题
问题表现：抽查的30卷执法案卷中，有9卷存在证据收集不全问题。
整改措施：
1.对全部执法案卷开展自查自纠，问题案卷整改率达到100%；
2.全年组织执法人员业务培训不少于4次。
责任领导：何志勇
责任单位：综合行政执法队
配合单位：司法所
整改时限：2026年6月30日前
四、整改要求
（一）提高思想认识。各责任单位要把整改作为重要政治任务，主要负责同志亲自抓。
（二）严格对账销号。整改结果于2026年7月15日前报区委依法治区办。
柳湾街道党工委
柳湾街道办事处
2026年1月26日
"""


def test_rectification_plan_uses_its_measures_chapter(directory: DepartmentDirectory) -> None:
    plan = parse(ZHENGGAI, directory)
    assert plan.kind == "plan" and plan.year == 2026
    assert plan.title == "柳湾街道关于区法治督察反馈问题的整改方案"
    assert plan.issuers == ["柳湾街道党工委", "柳湾街道办事处"] and plan.report_date == date(2026, 1, 26)
    assert plan.section_heading == "三、问题清单及整改措施"
    assert [(i.label, [c.label for c in i.children]) for i in plan.items] == [
        ("（一）", ["1.", "2.", "3."]),
        ("（二）", ["1.", "2."]),
    ]
    first, second = plan.items
    assert first.title == "关于“重大行政决策程序执行不到位”的问题"
    # the problem stays in the text; its figures and its year are no target, deadline or owner of anything
    assert "未经风险评估" in first.text and "证据收集不全" in second.text
    assert all(
        (g.value, g.unit) not in {(8, "项"), (3, "项"), (30, "卷"), (9, "卷")}
        for t in [*plan.items, *plan.tasks()]
        for g in t.targets
    )
    assert first.children[0].title == "3月底前编制公布街道2026年重大行政决策事项目录"
    assert due(first.children[0]) == date(2026, 3, 31)
    assert [(g.value, g.unit) for g in second.children[1].targets] == [(4, "次")]
    # the last measure of each problem carries the owner block written after it
    assert written_owners(first.children[-1]) == ["党政办公室"] and due(first.children[-1]) == date(2026, 4, 30)
    assert written_owners(second.children[-1])[0] == "综合行政执法队"
    # frame chapters are no tasks
    texts = " ".join(t.text for t in plan.tasks())
    assert "领导小组" not in texts and "对账销号" not in texts and "整改到位" not in texts


def test_owner_block_after_the_measures_applies_to_each_measure(directory: DepartmentDirectory) -> None:
    plan = parse(ZHENGGAI, directory)
    first, second = plan.items
    assert [written_owners(c) for c in first.children] == [["党政办公室"]] * 3
    assert [due(c) for c in first.children] == [date(2026, 3, 31), date(2026, 4, 30), date(2026, 4, 30)]
    assert [written_owners(c)[0] for c in second.children] == ["综合行政执法队"] * 2


def rectification_table(path: Path, rows: list[tuple[str, ...]]) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("中共白河县司法局党组关于县委巡察反馈意见的整改方案")
    for text in [
        "根据县委巡察工作统一部署，2025年10月县委第二巡察组对县司法局党组开展了常规巡察。为抓好整改落实，制定本方案。",
        "一、指导思想",
        "以习近平新时代中国特色社会主义思想为指导，坚持把巡察整改作为重大政治任务。",
        "二、整改目标",
        "对巡察反馈的3个具体问题逐项建立台账，确保2026年6月底前全部整改到位。",
        "三、整改任务",
        "巡察反馈问题整改任务清单如下：",
    ]:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for cells, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    for text in [
        "四、保障措施",
        "（一）加强组织领导。局党组对巡察整改工作负总责。",
        "（二）强化督促检查。领导小组办公室每月对整改进展情况进行调度。",
        "中共白河县司法局党组",
        "2026年2月5日",
    ]:
        document.add_paragraph(text)
    document.save(str(path))
    return path


RECTIFICATION_ROWS = [
    ("序号", "反馈问题", "整改措施", "责任领导", "责任股室", "整改时限"),
    ("1", "党组理论学习缺乏系统性", "制定党组理论学习中心组年度学习计划，全年专题研讨不少于4次", "张卫国", "办公室", "2026年3月底前"),
    ("2", "部分执法案卷存在程序瑕疵，抽查20卷中有5卷不规范", "开展行政执法案卷专项评查，评查案卷不少于200卷", "刘晓峰", "执法监督股", "2026年5月31日前"),
    ("3", "人民调解员队伍专业化程度不高", "组织全县人民调解员轮训，培训不少于600人次", "王丽", "基层工作股", "2026年第二季度"),
]


def test_rectification_table_in_word(tmp_path: Path, directory: DepartmentDirectory) -> None:
    path = rectification_table(tmp_path / "整改方案.docx", RECTIFICATION_ROWS)
    plan = parse_report(read_document(path), source_name=path.name, directory=directory)
    assert plan.kind == "plan" and plan.year == 2026
    assert plan.title == "中共白河县司法局党组关于县委巡察反馈意见的整改方案"
    assert plan.section_heading == "三、整改任务"
    assert [t.title for t in plan.tasks()] == [row[2] for row in RECTIFICATION_ROWS[1:]]
    assert [written_owners(t) for t in plan.tasks()] == [["办公室"], ["执法监督股"], ["基层工作股"]]
    assert [due(t) for t in plan.tasks()] == [date(2026, 3, 31), date(2026, 5, 31), date(2026, 6, 30)]
    assert [[(g.value, g.unit) for g in t.targets] for t in plan.tasks()] == [[(4, "次")], [(200, "卷")], [(600, "人次")]]
    assert not any("组织领导" in t.text or "督促检查" in t.text for t in plan.tasks())


def test_rectification_table_keeps_each_problem_in_its_task(tmp_path: Path, directory: DepartmentDirectory) -> None:
    path = rectification_table(tmp_path / "整改方案.docx", RECTIFICATION_ROWS)
    plan = parse_report(read_document(path), source_name=path.name, directory=directory)
    assert "程序瑕疵" in plan.tasks()[1].text
    assert [(g.value, g.unit) for g in plan.tasks()[1].targets] == [(200, "卷")]


# ---------------------------------------------------------------------------------------------------------------
# Frame chapters before and after the topical chapters of a 工作要点

POINTS = """河东区教育局2026年依法治校工作要点
一、总体要求
2026年，全区教育系统依法治校工作要以习近平法治思想为指导，推进教育治理体系现代化，确保各项任务落地见效。
二、完善学校治理体系
1.推进学校章程建设。年底前完成全区中小学章程修订（责任科室：政策法规科）
2.健全学校法律顾问制度。公办中小学法律顾问覆盖率达到100%（责任科室：政策法规科）
三、深化青少年法治教育
1.上好法治教育课。道德与法治课开课率100%（责任科室：基础教育科）
2.配齐法治副校长。9月底前法治副校长配备率100%（责任科室：安全稳定科）
四、{closing}
{closing_body}
河东区教育局
2026年2月18日
"""


def test_frame_chapters_of_work_points_are_not_tasks(directory: DepartmentDirectory) -> None:
    text = POINTS.format(
        closing="组织保障",
        closing_body="各科室、各学校要高度重视依法治校工作，于12月10日前将年度工作总结报送局政策法规科。",
    )
    plan = parse(text, directory)
    assert plan.kind == "plan" and plan.year == 2026
    assert [(i.label, i.title) for i in plan.items] == [("二、", "完善学校治理体系"), ("三、", "深化青少年法治教育")]
    assert [t.title for t in plan.tasks()] == ["推进学校章程建设", "健全学校法律顾问制度", "上好法治教育课", "配齐法治副校长"]
    assert not any("12月10日前" in t.text or "治理体系现代化" in t.text for t in plan.tasks())


def test_a_frame_chapter_that_names_owners_keeps_its_tasks(directory: DepartmentDirectory) -> None:
    text = POINTS.format(
        closing="加强组织保障",
        closing_body="1.建立依法治校工作联席会议制度，每季度召开一次（责任科室：办公室）\n"
        "2.将依法治校纳入学校年度办学绩效考核（责任科室：督导科）",
    )
    plan = parse(text, directory)
    assert [i.label for i in plan.items] == ["二、", "三、", "四、"]
    assert [written_owners(c) for c in plan.items[-1].children] == [["办公室"], ["督导科"]]


# ---------------------------------------------------------------------------------------------------------------
# Issuers: a joint report, a web page's breadcrumb, the speaker of a government work report

JOINT = """中共柳林县委　柳林县人民政府
关于2025年度法治政府建设情况的报告
市委、市政府：
2025年，柳林县深入贯彻习近平法治思想，法治政府建设取得新进展。现将有关情况报告如下。
一、2025年法治政府建设主要举措和成效
（一）压实法治建设责任。县委常委会专题研究法治政府建设工作6次。
二、2026年工作打算
（一）深化示范创建。6月底前完成自评，力争年内通过省级评估验收。（县司法局牵头，县委编办配合）
（二）提升执法质效。全年组织执法人员培训不少于3期。（县司法局负责）
特此报告。
{signature}2026年2月20日
"""


@pytest.mark.parametrize("signature", ["中共柳林县委\n柳林县人民政府\n", ""])
def test_joint_report_names_each_issuer_once(directory: DepartmentDirectory, signature: str) -> None:
    plan = parse(JOINT.format(signature=signature), directory)
    assert plan.title == "关于2025年度法治政府建设情况的报告"
    assert plan.issuers == ["中共柳林县委", "柳林县人民政府"]
    assert plan.year == 2026 and plan.section_heading == "二、2026年工作打算"
    assert [t.label for t in plan.tasks()] == ["（一）", "（二）"]


def test_a_party_working_committee_is_one_issuer(directory: DepartmentDirectory) -> None:
    text = JOINT.replace("中共柳林县委　柳林县人民政府", "中共柳林县委柳林经济开发区工作委员会").format(signature="")
    plan = parse(text, directory)
    assert plan.issuers == ["中共柳林县委柳林经济开发区工作委员会"]


@pytest.mark.parametrize("crumb", ["首页 > 政务公开 > 法治政府建设", "首页>信息公开>规划计划", "网站首页 » 通知公告"])
def test_breadcrumb_above_the_title_is_no_issuer(directory: DepartmentDirectory, crumb: str) -> None:
    text = f"""{crumb}
凤鸣街道办事处2025年度法治政府建设情况报告
2025年，凤鸣街道扎实推进法治政府建设各项工作。现将有关情况报告如下。
一、2025年法治政府建设工作开展情况
（一）规范依法决策。全年集体研究重大事项42项。
二、2026年工作计划
（一）提升依法决策水平。3月底前公布年度重大行政决策事项目录。（党政办公室负责）
凤鸣街道办事处
2026年2月2日
"""
    plan = parse(text, directory)
    assert plan.issuers == ["凤鸣街道办事处"]
    assert plan.title == "凤鸣街道办事处2025年度法治政府建设情况报告"


GWR = """政府工作报告
——2026年1月8日在{place}第十八届人民代表大会第五次会议上
{speaker}
各位代表：
现在，我代表{place}人民政府向大会报告工作，请予审议。
一、2025年工作回顾
过去一年，全{level}地区生产总值增长6.3%。
二、2026年工作安排
一是聚力项目攻坚，全年招引亿元以上项目5个以上。
二是聚力乡村振兴，新建高标准农田5000亩。
各位代表，新的征程催人奋进。让我们团结拼搏，为建设美好{place}而努力奋斗！
"""


@pytest.mark.parametrize(
    ("place", "speaker", "issuer"),
    [
        ("柳林县", "柳林县人民政府县长　周明", "柳林县人民政府"),
        ("石门镇", "石门镇人民政府代镇长 李华", "石门镇人民政府"),
    ],
)
def test_government_work_report_is_issued_by_the_speakers_government(
    directory: DepartmentDirectory, place: str, speaker: str, issuer: str
) -> None:
    text = GWR.format(place=place, speaker=speaker, level=place[-1])
    plan = parse(text, directory)
    assert plan.title == "政府工作报告" and plan.kind == "report"
    assert plan.issuers == [issuer]
    assert plan.report_date == date(2026, 1, 8) and plan.year == 2026
    assert plan.section_heading == "二、2026年工作安排"
    assert [t.label for t in plan.tasks()] == ["一是", "二是"]
