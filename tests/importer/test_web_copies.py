"""Documents as offices find them on web pages: a 工作要点 with its covering notice, a county 政府工作报告 with
appendices, a bureau's work plan, a rule-of-law report with the page's byline. Each is written here with its line
breaks, and each must give the same plan when a web copy lost every line break (with or without the paragraph
indents)."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan
from tracker.importer.parse import parse_report

POINTS = """南屿区人民政府办公室
关于印发《南屿区2026年法治政府建设工作要点》的通知
南屿府办〔2026〕6号
各镇人民政府、街道办事处，区政府各部门：
　　《南屿区2026年法治政府建设工作要点》已经区政府同意，现印发给你们，请认真组织实施。
南屿区人民政府办公室
2026年3月5日
（此件公开发布）
南屿区2026年法治政府建设工作要点
　　为扎实推进法治政府建设，制定本要点。
　　一、加强党对法治政府建设的领导
　　1.深入学习贯彻习近平法治思想。将习近平法治思想纳入区政府常务会议会前学法内容，全年学法不少于12次。（责任单位：区司法局）
　　2.压实第一责任人职责。将履行推进法治建设第一责任人职责情况列入年终述职内容。（责任单位：区委组织部）
　　二、深化“放管服”改革
　　3.持续优化法治化营商环境。3月底前公布涉企行政检查事项清单，涉企检查频次下降20%。（牵头单位：区司法局；配合单位：区市场监管局）
　　4.推进政务服务标准化。政务服务事项网上可办率达到98%。（责任单位：区政务服务中心）
　　三、严格规范公正文明执法
　　5.深化综合行政执法改革。第三季度完成镇街执法队伍规范化建设。（责任单位：区综合执法局）
　　6.开展执法案卷评查。每季度开展一次行政执法案卷评查。（责任单位：区司法局）
　　各镇街、各部门要按照本要点要求，细化工作措施，于12月15日前将年度工作落实情况报送区司法局。
"""

GWR = """2026年清河区政府工作报告
——2026年1月16日在清河区第七届人民代表大会第四次会议上
清河区人民政府区长　周晓峰
各位代表：
　　现在，我代表区人民政府，向大会报告工作，请予审议。
　　一、2025年工作回顾
　　过去的一年，全区地区生产总值增长6.1%，新增学位4860个。
　　二、2026年重点工作
　　（一）全力以赴稳增长，推动经济质的有效提升
　　坚持把稳增长摆在突出位置。一是扩大有效投资，全年安排区级重点项目120个；二是促进消费提质扩容，举办“清河购物节”；三是稳住外贸基本盘，进出口总额增长5%。
　　（二）持之以恒优环境，打造一流营商环境
　　一是深化政务服务改革，3月底前公布首批“高效办成一件事”清单；二是加强涉企服务，涉企检查次数减少30%；三是规范涉企执法，全面推行“综合查一次”。
　　（三）用心用情惠民生，不断增强群众获得感
　　一是办好教育，新增学位3000个。
　　二是办好医疗，区人民医院改扩建工程第三季度完工。
　　三是兜牢民生底线，低保标准提高到每人每月1100元。
　　各位代表！让我们更加紧密地团结在以习近平同志为核心的党中央周围，为建设现代化新清河而努力奋斗！
附件1
2026年清河区十件民生实事
　　1.新建改扩建城区学校3所，新增学位3000个。牵头单位：区教育局
　　2.完成老旧小区改造26个，惠及居民4300户。牵头单位：区住房和城乡建设局
　　3.新建社区嵌入式养老服务中心8个。牵头单位：区民政局
附件2
名词解释
　　1.高效办成一件事：将企业和群众眼中的“一件事”涉及的多个事项集成办理。
　　2.综合查一次：对同一检查对象的多个检查事项，由多个部门联合实施一次检查。
"""

BUREAU_PLAN = """松林区市场监督管理局2026年工作计划
　　2026年，我局将围绕优化营商环境、守牢安全底线，重点抓好以下工作。
　　一、持续优化营商环境
　　（1）深化商事制度改革。推行经营主体登记“一网通办”，全程电子化登记率达到95%。
　　（2）实施信用分级分类监管。每季度更新一次企业信用风险分类结果。
　　二、筑牢食品药品安全防线
　　（1）落实食品安全“两个责任”。包保干部督导覆盖率达到100%。
　　（2）开展食品安全抽检。全年完成食品抽检4500批次。
　　（3）加强药品医疗器械监管。上半年完成零售药店全覆盖检查。
　　三、提升执法效能
　　（1）推行“双随机、一公开”监管全覆盖。年底前部门联合抽查占比达到30%。
　　（2）规范行政处罚裁量。6月底前修订行政处罚裁量基准。
"""

WEB_REPORT = """古浪县2025年度法治政府建设情况报告
发布时间：2026-03-15 09:30:12　来源：古浪县人民政府办公室　阅读次数：
　　2025年，古浪县坚持以习近平新时代中国特色社会主义思想为指导，统筹推进法治政府建设各项工作。现将有关情况报告如下。
　　一、主要工作开展情况
　　1、依法全面履行政府职能。梳理县级行政权力事项3862项，网上可办率达到98%。
　　2、规范行政执法行为。组织行政执法人员培训2期，培训920人次。
　　二、存在的问题
　　一是部分部门对法治政府建设重视不够；二是乡镇执法力量薄弱。
　　三、2026年工作计划
　　1、强化法治政府建设统筹推进。3月底前印发《古浪县2026年法治政府建设工作要点》。（牵头单位：县司法局；配合单位：县政府办）
　　2、提升行政执法规范化水平。（1）全面落实行政执法“三项制度”，执法信息公示率达到100%。（2）每半年开展一次行政执法案卷评查。（县司法局负责）
　　3、深化乡镇法治建设。年底前每个乡镇配备法律顾问1名以上。（责任单位：各乡镇人民政府）
　　4、加强法治宣传教育。全年开展“法律进乡村”活动不少于150场。
　　特此报告。
　　古浪县人民政府
　　2026年2月2日
【打印本页】【关闭窗口】
"""

PARTS = """澜山市卫生健康委员会2025年度法治政府建设工作报告
　　2025年，市卫生健康委坚持以习近平法治思想为指导，推动卫生健康事业在法治轨道上发展。现将有关情况报告如下：
第一部分　2025年法治政府建设工作情况
　　一、加强组织领导。委党组专题研究法治建设工作3次。
　　二、规范行政执法行为。办理行政处罚案件318件。
第二部分　存在的问题
　　一是卫生监督执法力量不足；二是信用监管手段不够丰富。
第三部分　2026年工作安排
　　一、健全依法决策机制。①一季度完成法律顾问续聘；②每两周召开一次主任办公会议，重大事项集体决策率100%；③11月中旬前完成合同合法性审查自查。（责任处室：办公室）
　　二、严格规范执法。
　　1.3月底前修订卫生健康行政处罚裁量基准。（责任单位：市卫生健康综合监督执法局）
　　2.10月底前完成医疗美容专项整治。（责任处室：医政医管处）
　　三、加强普法宣传。每季度开展一次“健康与法同行”进社区活动。（责任处室：政策法规处）
第四部分　其他需要报告的情况
　　无。
　　澜山市卫生健康委员会
　　2026年2月6日
"""

DOCS = {"points": POINTS, "gwr": GWR, "bureau_plan": BUREAU_PLAN, "web_report": WEB_REPORT, "parts": PARTS}


def tree(plan: ParsedPlan) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(i.label, i.title, [(c.label, c.title) for c in i.children]) for i in plan.items]


def test_points_with_covering_notice(directory: DepartmentDirectory) -> None:
    plan = parse_report(POINTS, directory=directory)
    assert plan.kind == "plan" and plan.year == 2026
    assert plan.title == "南屿区2026年法治政府建设工作要点"
    assert plan.report_date == date(2026, 3, 5)  # the notice's date: the day the plan was issued
    # entries are numbered on across chapters (3. follows 2. of the chapter before)
    assert [(i.label, [c.label for c in i.children]) for i in plan.items] == [
        ("一、", ["1.", "2."]),
        ("二、", ["3.", "4."]),
        ("三、", ["5.", "6."]),
    ]
    # the closing requirement is not part of the last entry: its 12月15日前 is no deadline of that task
    last = plan.items[-1].children[-1]
    assert "落实情况报送" not in last.text and not any(d.text == "12月15日前" for d in last.deadlines)
    entry = plan.items[1].children[0]
    assert entry.title == "持续优化法治化营商环境"
    assert entry.deadline is not None and entry.deadline.date == date(2026, 3, 31)


def test_county_work_report_with_appendices(directory: DepartmentDirectory) -> None:
    plan = parse_report(GWR, directory=directory)
    assert plan.title == "2026年清河区政府工作报告" and plan.report_date == date(2026, 1, 16)
    items = [i for i in plan.items if not i.appendix]
    # the points 一是…二是… of the paragraph under a heading line, of a paragraph that starts with them, and of
    # paragraphs of their own
    assert [(i.label, [c.label for c in i.children]) for i in items] == [
        ("（一）", ["一是", "二是", "三是"]),
        ("（二）", ["一是", "二是", "三是"]),
        ("（三）", ["一是", "二是", "三是"]),
    ]
    assert items[0].children[0].title == "扩大有效投资，全年安排区级重点项目120个"
    assert items[1].children[0].deadline is not None
    assert items[1].children[0].deadline.date == date(2026, 3, 31)
    annex = [i for i in plan.items if i.appendix]
    assert len(annex) == 1 and annex[0].label == "附件1"
    assert [c.label for c in annex[0].children] == ["1.", "2.", "3."]  # 名词解释 is not a task list
    assert [o.written or o.department for o in annex[0].children[0].owners] == ["区教育局"]


def test_bureau_plan_with_bracketed_entries(directory: DepartmentDirectory) -> None:
    plan = parse_report(BUREAU_PLAN, directory=directory)
    assert plan.kind == "plan" and plan.year == 2026
    assert [len(i.children) for i in plan.items] == [2, 3, 2]
    assert plan.items[2].children[1].deadline is not None
    assert plan.items[2].children[1].deadline.date == date(2026, 6, 30)


def test_web_report_with_byline(directory: DepartmentDirectory) -> None:
    plan = parse_report(WEB_REPORT, directory=directory)
    assert plan.title == "古浪县2025年度法治政府建设情况报告"
    assert plan.section_heading == "三、2026年工作计划"
    assert [i.label for i in plan.items] == ["1.", "2.", "3.", "4."]
    assert [c.label for c in plan.items[1].children] == ["（1）", "（2）"]
    assert plan.issuers == ["古浪县人民政府"] and plan.report_date == date(2026, 2, 2)
    assert not any("来源" in t.text or "打印" in t.text for t in plan.tasks())


def test_report_in_parts_with_circled_points_and_dated_entries(directory: DepartmentDirectory) -> None:
    plan = parse_report(PARTS, directory=directory)
    assert plan.section_heading == "第三部分 2026年工作安排" and plan.year == 2026
    assert [(i.label, [c.label for c in i.children]) for i in plan.items] == [
        ("一、", ["①", "②", "③"]),
        ("二、", ["1.", "2."]),
        ("三、", []),
    ]
    circled = plan.items[0].children
    # the annotation after the last point's full stop is the whole item's: every point is the office's
    assert [[o.department for o in c.owners] for c in circled] == [["办公室"]] * 3
    assert circled[0].deadline is not None and circled[0].deadline.date == date(2026, 3, 31)
    # "1.3月底前…" is point 1 due at the end of March, not a figure 1.3
    dated = plan.items[1].children
    assert dated[0].title == "3月底前修订卫生健康行政处罚裁量基准"
    assert [t.deadline.date for t in dated if t.deadline] == [date(2026, 3, 31), date(2026, 10, 31)]
    assert not any(t.value == 1.3 for t in dated[0].targets)


@pytest.mark.parametrize("layout", ["indented", "bare"])
@pytest.mark.parametrize("name", sorted(DOCS))
def test_run_together_copy_gives_the_same_plan(directory: DepartmentDirectory, name: str, layout: str) -> None:
    text = DOCS[name]
    flat = text.replace("\n", "")
    if layout == "bare":
        flat = flat.replace("\u3000", "")
    original = parse_report(text, directory=directory)
    copy = parse_report(flat, directory=directory)
    if (name, layout) == ("gwr", "bare"):
        # "（一）…有效提升" has no full stop and nothing marks where it ends: it runs into its first sentence
        assert copy.items[0].title == "全力以赴稳增长，推动经济质的有效提升坚持把稳增长摆在突出位置"
        copy.items[0].title = original.items[0].title
    assert tree(copy) == tree(original)
    assert (copy.title, copy.year, copy.report_date) == (original.title, original.year, original.report_date)
    # "第三部分　2026年工作安排" loses its space with the indents
    assert (copy.section_heading or "").replace(" ", "") == (original.section_heading or "").replace(" ", "")
    assert [[(o.department, o.role) for o in t.owners] for t in copy.tasks()] == [
        [(o.department, o.role) for o in t.owners] for t in original.tasks()
    ]


def test_run_together_notice_label_and_glued_plan_heading(directory: DepartmentDirectory) -> None:
    """A web copy of a notice whose "附件" label stands above the plan, and of a work report whose plan heading
    runs into its first sentence ("二、2026年重点工作2026年是…")."""
    points = (
        "河西区教育局2026年依法治校工作要点河西教发〔2026〕5号附件2026年，全区教育系统依法治校工作要以习近平法治思想为指导。"
        "一、加强党对依法治校工作的领导1.压实依法治校主体责任。3月底前印发责任清单。（责任科室：组织人事科）"
        "2.深入学习宣传习近平法治思想。全年专题学法不少于4次。（责任科室：办公室）"
        "二、完善学校治理体系3.推进章程建设。年底前完成章程修订。（责任科室：政策法规科）"
    )
    plan = parse_report(points, directory=directory)
    assert plan.kind == "plan" and plan.title == "河西区教育局2026年依法治校工作要点"
    assert [(i.label, [c.label for c in i.children]) for i in plan.items] == [("一、", ["1.", "2."]), ("二、", ["3."])]
    report = (
        "东陵镇2026年政府工作报告各位代表：现在，我代表镇人民政府向大会报告工作。一、2025年工作回顾"
        "过去一年，全镇完成投资8.5亿元。二、2026年重点工作2026年是“十五五”开局之年，我们将重点抓好以下工作："
        "（一）全力以赴抓项目促发展。全年实施重点项目12个。（二）用心用情保障改善民生。新增学位300个。"
        "各位代表！让我们团结一心，再创佳绩！"
    )
    plan = parse_report(report, directory=directory)
    assert plan.section_heading == "二、2026年重点工作"
    assert [i.title for i in plan.items] == ["全力以赴抓项目促发展", "用心用情保障改善民生"]
