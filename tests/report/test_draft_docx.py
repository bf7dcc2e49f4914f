"""tracker draft on the plan imported from the real sample report, with a year of progress recorded: the .docx
read back with python-docx (content, sources as comments, GB/T 9704 layout), and nothing invented."""

from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from tests.report.conftest import RECORDS, Recorded
from tracker.report.compose import result_heading

L1 = re.compile(r"^[一二三四五六七八九十]+、")
L2 = re.compile(r"^（[一二三四五六七八九十]+）")
TODO = "【待补充"


@pytest.fixture
def draft_path(recorded: Recorded, tmp_path: Path) -> Path:
    out = tmp_path / "draft.docx"
    result = recorded.cli("draft", "--plan", "2022", "--as-of", recorded.as_of.isoformat(), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "已起草" in result.stdout
    return out


@pytest.fixture
def document(draft_path: Path) -> Any:
    return docx.Document(str(draft_path))


def texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def section_of(document: Any, number: str) -> list[str]:
    """The paragraphs under the level-1 heading 一、/二、… up to the next one (or 特此报告)."""
    out: list[str] = []
    inside = False
    for text in texts(document):
        if L1.match(text):
            inside = text.startswith(number + "、")
            continue
        if text.startswith("特此报告"):
            break
        if inside:
            out.append(text)
    return out


def comments_by_id(document: Any) -> dict[str, str]:
    return {str(c.comment_id): c.text for c in document.comments}


def comment_of(paragraph: Any, comments: dict[str, str]) -> str:
    ids = paragraph._p.xpath(".//w:commentReference/@w:id")
    return "\n".join(comments[i] for i in ids)


def plan_items(recorded: Recorded) -> list[tuple[str, str]]:
    """(label, title) of the 2022 plan's items in plan order, from `tracker tasks --json`."""
    seen: dict[str, str] = {}
    for row in recorded.cli("tasks", "--plan", "2022", "--json").json():
        seen.setdefault(row["item"]["label"], row["item"]["title"])
    return list(seen.items())


def test_title_header_and_four_sections_in_order(document: Any) -> None:
    lines = texts(document)
    assert lines[:2] == ["中共淄博市委淄博高新区工作委员会", "淄博高新技术产业开发区管理委员会"]
    assert lines[2] == "关于2022年度法治政府建设工作的报告"
    assert lines[3] == "市委、市政府："
    assert lines[4].startswith("2022年，高新区坚持") and TODO in lines[4]  # the source's opening, for review
    headings = [t for t in lines if L1.match(t)]
    assert headings == [
        "一、2022年推进法治政府建设的主要举措和成效",
        "二、2022年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
        "三、存在的不足和原因",
        "四、2023年推进法治政府建设的主要安排",
    ]
    assert lines[-4:] == [
        "特此报告。",
        "中共淄博市委淄博高新区工作委员会",
        "淄博高新技术产业开发区管理委员会",
        "2023年1月10日",
    ]


def test_section_one_has_every_plan_item_in_order_as_results(document: Any, recorded: Recorded) -> None:
    items = plan_items(recorded)
    assert len(items) == 6
    headings = [t for t in section_of(document, "一") if L2.match(t)]
    # A result-style heading only where every task is done (（一）（三）（四）); （二） is in progress, （五） has a
    # 暂缓 task and （六） no record: the plan's own heading stays.
    supported = {"（一）", "（三）", "（四）"}
    expected = [
        f"（{n}）{result_heading(title) if label in supported else title}"
        for n, (label, title) in zip("一二三四五六", items, strict=True)
    ]
    assert headings == expected
    assert "（三）行政复议应诉制度体系不断健全" in headings
    assert "（四）依法行政宣传培训力度持续加强" in headings
    assert "（二）完善规范性文件评估清理流程" in headings
    assert "（六）加强对法律顾问团的管理" in headings
    # The original title stays in the trace (the heading's comment).
    comments = comments_by_id(document)
    for paragraph in document.paragraphs:
        if paragraph.text in headings:
            index = headings.index(paragraph.text)
            assert f"原标题：{items[index][0]}{items[index][1]}" in comment_of(paragraph, comments)


def test_section_one_states_facts_in_date_order_with_verdicts(document: Any) -> None:
    body = "\n".join(section_of(document, "一"))
    # Item （一）: both tasks done; one 一是/二是 per task from its latest record; an earlier note with a figure
    # (学习2次) is not added to the later one.
    assert (
        "本项2项任务已全部完成。一是召开工委全面依法治区委员会会议，部署年度工作，出台《淄博高新区法治政府建设"
        in body
    )
    assert "二是在高新区通讯开设习近平法治思想解读专栏，刊发文章12篇" in body
    assert "2次" not in body
    assert body.index("出台《淄博高新区法治政府建设实施纲要（2021-2025年）》") < body.index(
        "开设习近平法治思想解读专栏"
    )
    # The same 进展情况 recorded twice appears once.
    assert body.count("评查案卷120份") == 1
    # An item with nothing recorded says what is missing, and no status.
    assert "加强对法律顾问团的管理【待补充：本项无进展记录】" in body
    assert "尚未启动" not in body and "超过完成时限" not in body


def test_target_figure_marked_against_target(document: Any) -> None:
    body = "\n".join(section_of(document, "一"))
    # The newest figure (100, recorded 12-28) counts, not the earlier 96.
    assert re.search(r"出庭应诉率目标为100%，实际为100%，已完成", body)
    assert "实际为96%" not in body


def test_overdue_task_under_three_with_reason_and_measure_under_four(document: Any) -> None:
    problems = "\n".join(section_of(document, "三"))
    # The sample's time limits are the importer's year-end default: no 原定, no 已超过完成时限; the recorded
    # problem is stated.
    assert (
        "在规范性文件评估清理流程方面，“完善规范性文件评估清理流程”推进中存在的问题：专业评估力量不足，后评估工作尚未开展"
        in problems
    )
    assert "原定" not in problems and "超过完成时限" not in problems
    # 暂缓 with its reason; a task with no record is no shortfall stated.
    assert "“持续推进行政指导工作”已暂缓，主要原因是市级不罚清单调整" in problems
    assert "法律顾问团" not in problems
    # Done tasks are no shortfall.
    assert "深入学习宣传贯彻习近平法治思想" not in problems

    arrangements = section_of(document, "四")
    assert all(L2.match(p) for p in arrangements), arrangements
    first = arrangements[0]
    assert first.startswith("（一）完善规范性文件评估清理流程。")
    assert "引入第三方机构开展规范性文件后评估" in first  # the measure answering the problem of 三
    unfinished = next(p for p in arrangements if "加大行政执法监督力度" in p)
    assert "一是持续抓好行政执法“三项制度”落实。" in unfinished
    assert "年底前完成重点领域专项监督检查" in unfinished  # its 下一步措施
    assert "二是持续推进行政指导工作" in unfinished
    # The recurring task continues although done; done one-off tasks do not return.
    assert any(p.startswith("（二）加强依法行政宣传培训力度。") for p in arrangements)
    whole = "\n".join(arrangements)
    assert "严格执行企业免检免扰制度" not in whole
    assert "健全行政复议应诉制度体系" not in whole


def test_leadership_section_uses_leadership_records_and_keeps_a_slot(document: Any) -> None:
    leadership = section_of(document, "二")
    # Section 一 tells the records once; 二 does not repeat them.
    assert not any("召开工委全面依法治区委员会会议" in p for p in leadership)
    assert any(
        p.startswith("【待补充：党政主要负责人履行推进法治建设第一责任人职责的情况") for p in leadership
    )


def test_every_paragraph_has_a_comment_naming_its_sources(document: Any, recorded: Recorded) -> None:
    comments = comments_by_id(document)
    assert comments and all(author == "tracker" for author in (c.author for c in document.comments))
    update_ids = set()
    for paragraph in document.paragraphs:
        if not paragraph.text.strip():
            continue
        note = comment_of(paragraph, comments)
        assert note.startswith("来源："), paragraph.text
        named = re.search(r"任务#\d+|进展#\d+|原报告《|计划事项#\d+|指标#\d+|上年基线#\d+|--as-of", note)
        # No paragraph without a source or a 【待补充】 mark.
        assert named or TODO in paragraph.text, paragraph.text
        update_ids.update(int(i) for i in re.findall(r"进展#(\d+)", note))
    # Every recorded task's latest record is traceable to its update.
    assert len(update_ids) >= len({code for code, _m, _d, _f in RECORDS})


def test_fact_paragraph_comment_names_its_tasks_and_updates(document: Any, recorded: Recorded) -> None:
    comments = comments_by_id(document)
    paragraph = next(p for p in document.paragraphs if "完成规范性文件制发前评估2件" in p.text)
    note = comment_of(paragraph, comments)
    assert f"任务#{recorded.ids['（二）']}（（二））" in note
    assert re.search(r"进展#\d+（2022-05-10，", note)


def _numbers(text: str) -> set[str]:
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+(?:\.\d+)?", text)}


def test_no_figure_in_the_draft_that_is_not_in_the_records_or_the_source(
    document: Any, recorded: Recorded
) -> None:
    from tracker.services.workspace import Workspace

    allowed: set[str] = set()
    ws = Workspace(recorded.db_url, login="tester")
    try:
        from tracker.services.drafting import gather_draft_data

        data = ws.run(lambda s, _a: gather_draft_data(s, plan=2022, as_of=recorded.as_of))
    finally:
        ws.dispose()
    allowed |= _numbers(data.plan.source_text)
    for task in data.tasks():
        allowed |= _numbers(f"{task.title} {task.text} {task.deadline} {task.percent}")
        for update in task.updates:
            allowed |= _numbers(
                f"{update.note} {update.problems} {update.next_steps} {update.reason} {update.percent}"
            )
            allowed |= {f"{v:g}" for v in update.figures.values()}
        allowed |= {f"{t.value:g}" for t in task.targets}
    allowed |= _numbers(f"{recorded.as_of} 2022 2023")  # the years reported on and planned, the date given
    # Task counts in the verdict sentences (本项共3项任务，已完成1项…) are counts of the plan's own tasks.
    allowed |= {str(n) for n in range(len(data.tasks()) + 1)}
    body = "\n".join(texts(document))
    invented = _numbers(body) - allowed
    assert not invented, f"草稿中出现记录和原报告中都没有的数字：{sorted(invented)}"


def _rpr_fonts(run: Any) -> dict[str, str]:
    rpr = run._element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return {k.split("}")[1]: v for k, v in (fonts.attrib.items() if fonts is not None else [])}


def test_gbt9704_page_and_fonts_in_the_xml(document: Any) -> None:
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.1), side
    # 22 lines × 28 characters a page, as Word counts them: floor(text height / line pitch) lines and
    # floor(text width / (font size + charSpace/4096 pt)) characters of 3号.
    pitch_pt = 225 / 25.4 * 72 / 22
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    text_height = Emu(section.page_height - section.top_margin - section.bottom_margin)
    text_width = Emu(section.page_width - section.left_margin - section.right_margin)
    assert int(text_height.twips // int(grid.get(qn("w:linePitch")))) == 22
    char_pitch_twips = (16 + int(grid.get(qn("w:charSpace"))) / 4096) * 20
    assert int(text_width.twips // char_pitch_twips) == 28
    spacing = document.styles["Normal"].element.pPr.find(qn("w:spacing"))
    assert (
        spacing.get(qn("w:lineRule")) == "exact" and abs(int(spacing.get(qn("w:line"))) - pitch_pt * 20) <= 1
    )
    assert _rpr_fonts_style(document.styles["Normal"]) == "仿宋_GB2312"

    lines = [p for p in document.paragraphs if p.text.strip()]
    title = next(p for p in lines if p.text == "关于2022年度法治政府建设工作的报告")
    assert title.alignment == 1  # centred
    for run in title.runs:
        assert _rpr_fonts(run)["eastAsia"] == "方正小标宋简体" and run.font.size == Pt(22)
    for paragraph in lines:
        for run in paragraph.runs:
            fonts = _rpr_fonts(run)
            assert fonts.get("eastAsia"), f"未设置中文字体：{run.text}"
        if L1.match(paragraph.text):
            assert {_rpr_fonts(r)["eastAsia"] for r in paragraph.runs} == {"黑体"}
            assert {r.font.size for r in paragraph.runs} == {Pt(16)}
        elif L2.match(paragraph.text) and paragraph.text in [t for t in section_of(document, "一")]:
            assert {_rpr_fonts(r)["eastAsia"] for r in paragraph.runs} == {"楷体_GB2312"}
        elif paragraph.text.startswith(("一是", "该项", "本项")):
            assert {_rpr_fonts(r)["eastAsia"] for r in paragraph.runs} == {"仿宋_GB2312"}
            assert {r.font.size for r in paragraph.runs} == {Pt(16)}
            ind = paragraph._p.pPr.find(qn("w:ind"))
            assert ind.get(qn("w:firstLineChars")) == "200"  # two characters
    # Run-in （一） of section 四 in 楷体, its text in 仿宋.
    arrangement = next(p for p in lines if p.text.startswith("（一）完善规范性文件评估清理流程。"))
    assert _rpr_fonts(arrangement.runs[0])["eastAsia"] == "楷体_GB2312"
    assert _rpr_fonts(arrangement.runs[1])["eastAsia"] == "仿宋_GB2312"


def test_core_properties_of_today(document: Any) -> None:
    from datetime import datetime, timedelta

    props = document.core_properties
    now = datetime.now(UTC)
    for moment in (props.created, props.modified):
        assert moment is not None and abs(moment.replace(tzinfo=UTC) - now) < timedelta(minutes=10)
    assert props.author == "中共淄博市委淄博高新区工作委员会、淄博高新技术产业开发区管理委员会"  # the issuers
    assert props.title == "关于2022年度法治政府建设工作的报告"


def _rpr_fonts_style(style: Any) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_page_numbers_in_the_footer(document: Any) -> None:
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer  # outer side: right on odd, left on even pages
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert "PAGE" in "".join(paragraph._p.xpath(".//w:instrText/text()"))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == align
        for run in paragraph.runs:
            assert _rpr_fonts(run)["eastAsia"] == "宋体" and run.font.size == Pt(14)
