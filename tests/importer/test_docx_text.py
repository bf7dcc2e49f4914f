"""Word files whose headings and items are numbered by Word or WPS ("四、", "（一）" drawn from numbering.xml, not
typed): the importer reads the numbers a reader sees and finds the same plan as in the typed text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from tracker.importer import numbering as nb
from tracker.importer.directory import DepartmentDirectory
from tracker.importer.formats.docx_text import format_number
from tracker.importer.model import ParsedPlan
from tracker.importer.parse import parse_report
from tracker.importer.reading import read_document

# How WPS and Word number a Chinese official document: 一、 → （一） → 1. → （1）
CHINESE_LIST = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/>'
    '<w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/></w:lvl>'
    "</w:abstractNum>"
)
LEVELS = {nb.L1: 0, nb.L2: 1, nb.L3: 2, nb.L4: 3}


def chinese_list(document: docx.document.Document) -> str:
    """Add the Chinese multilevel list to the document's numbering part; returns its numId."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    # abstract definitions come before the instances that use them (the schema's order)
    if first_num is not None:
        first_num.addprevious(parse_xml(CHINESE_LIST))
    else:
        numbering.append(parse_xml(CHINESE_LIST))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def numbered_paragraph(document: docx.document.Document, text: str, num_id: str, level: int) -> None:
    p = document.add_paragraph(text)
    num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(num_id)


def word_numbered_copy(text: str, path: Path) -> Path:
    """The report as Word would hold it had its author let Word number the headings and items: each typed
    marker of the levels 一、（一）1.（1） is removed from the text and drawn by the list instead."""
    document = docx.Document()
    num_id = chinese_list(document)
    for line in text.split("\n"):
        marker = nb.start_marker(line)
        if marker is not None and marker.kind in LEVELS:
            numbered_paragraph(document, line[marker.end :], num_id, LEVELS[marker.kind])
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def tree(plan: ParsedPlan) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(i.label, i.title, [(c.label, c.title) for c in i.children]) for i in plan.items]


def test_sample_numbered_by_word_gives_the_same_plan(
    sample_text: str, sample_plan: ParsedPlan, directory: DepartmentDirectory, tmp_path: Path
) -> None:
    path = word_numbered_copy(sample_text, tmp_path / "报告.docx")
    # the numbers really are gone from the paragraphs' own text
    assert not any(p.text.startswith("四、") for p in docx.Document(str(path)).paragraphs)
    plan = parse_report(read_document(path), directory=directory)
    assert plan.section_heading == "四、2022年推进法治政府建设的主要安排"
    assert tree(plan) == tree(sample_plan)
    assert [i.label for i in plan.items] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]


def test_corpus_report_with_sixteen_items_and_arabic_points(
    corpus_dir: Path, directory: DepartmentDirectory, tmp_path: Path
) -> None:
    name = "14_shenzhen_baoan_gwr_2019.txt"
    typed = read_document(corpus_dir / name)
    plan = parse_report(read_document(word_numbered_copy(typed, tmp_path / "宝安.docx")), directory=directory)
    original = parse_report(typed, directory=directory)
    assert plan.section_heading == "二、2019年主要工作任务"
    assert [i.label for i in plan.items][-1] == "（十六）"
    assert tree(plan) == tree(original)


def test_numbering_restarts_and_styles(directory: DepartmentDirectory, tmp_path: Path) -> None:
    """Items restart at （一） under each chapter; an entry numbered by the built-in "List Number" style counts
    too; a bulleted paragraph gets no number."""
    document = docx.Document()
    num_id = chinese_list(document)
    document.add_paragraph("示范区2026年法治政府建设工作要点")
    numbered_paragraph(document, "加强党的领导", num_id, 0)
    numbered_paragraph(document, "深入学习习近平法治思想。（责任单位：党政办公室）", num_id, 1)
    numbered_paragraph(document, "召开依法治区委员会会议。（牵头单位：区司法局）", num_id, 1)
    numbered_paragraph(document, "规范行政执法", num_id, 0)
    numbered_paragraph(document, "开展案卷评查，每季度通报一次。（区司法局负责）", num_id, 1)
    document.add_paragraph("要点说明", style="List Bullet")
    path = tmp_path / "要点.docx"
    document.save(str(path))
    text = read_document(path)
    assert text.split("\n")[1:6] == [
        "一、加强党的领导",
        "（一）深入学习习近平法治思想。（责任单位：党政办公室）",
        "（二）召开依法治区委员会会议。（牵头单位：区司法局）",
        "二、规范行政执法",
        "（一）开展案卷评查，每季度通报一次。（区司法局负责）",
    ]
    assert text.split("\n")[6] == "要点说明"
    plan = parse_report(text, directory=directory)
    assert [(i.label, [c.label for c in i.children]) for i in plan.items] == [
        ("一、", ["（一）", "（二）"]),
        ("二、", ["（一）"]),
    ]
    assert plan.items[1].children[0].recurrence is not None


def test_task_table_numbered_by_word(directory: DepartmentDirectory, tmp_path: Path) -> None:
    """A 任务分工 table whose 序号 column Word numbers itself ("List Number" style): one task a row, in order."""
    document = docx.Document()
    document.add_paragraph("示范区2026年法治政府建设重点任务分工方案")
    table = document.add_table(rows=1, cols=4)
    for cell, head in zip(table.rows[0].cells, ["序号", "工作任务", "牵头单位", "完成时限"], strict=True):
        cell.text = head
    rows = [
        ("修订行政规范性文件管理办法", "区司法局", "2026年6月底前"),
        ("推行行政执法“三项制度”全覆盖", "区综合执法局", "2026年9月底前"),
        ("开展行政复议案件质量评查", "区司法局", "每季度"),
    ]
    for task, lead, due in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].style = document.styles["List Number"]
        cells[1].text, cells[2].text, cells[3].text = task, lead, due
    path = tmp_path / "分工方案.docx"
    document.save(str(path))
    plan = parse_report(read_document(path), directory=directory)
    tasks = plan.tasks()
    assert [t.label for t in tasks] == ["1.", "2.", "3."]
    assert [t.title for t in tasks] == [r[0] for r in rows]
    assert [o.written or o.department for o in tasks[1].owners if o.role == "lead"] == ["区综合执法局"]
    assert tasks[0].deadline is not None and tasks[0].deadline.date.isoformat() == "2026-06-30"


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (4, "chineseCounting", "四"),
        (16, "chineseCountingThousand", "十六"),
        (23, "ideographDigital", "二十三"),
        (3, "decimalEnclosedCircle", "③"),
        (2, "ideographTraditional", "乙"),
        (12, "decimal", "12"),
        (28, "upperLetter", "BB"),
        (9, "lowerRoman", "ix"),
        (7, "someFormatWordAddsLater", "7"),
    ],
)
def test_number_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_tracked_changes_content_controls_and_smart_tags(directory: DepartmentDirectory, tmp_path: Path) -> None:
    """A file that went round the office: an accepted-looking insertion, a deletion, a content control from a
    template and a smart tag. The reader sees the inserted words and not the deleted ones."""
    document = docx.Document()
    document.add_paragraph("示范区司法局关于2025年度法治政府建设情况的报告")
    document.add_paragraph("三、2026年工作安排")
    p = document.add_paragraph("（一）加强")
    w = nsdecls("w")
    p._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="王"><w:r><w:t>行政复议</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="王"><w:r><w:delText>普法</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f"<w:smartTag {w}><w:r><w:t>规范化</w:t></w:r></w:smartTag>"))
    p._p.append(parse_xml(f"<w:sdt {w}><w:sdtContent><w:r><w:t>建设。</w:t></w:r></w:sdtContent></w:sdt>"))
    p.add_run("年底前出台办案规程。")
    document.add_paragraph("（二）开展普法宣传，每季度一次。")
    path = tmp_path / "修订稿.docx"
    document.save(str(path))
    assert docx.Document(str(path)).paragraphs[2].text == "（一）加强年底前出台办案规程。"  # python-docx alone
    plan = parse_report(read_document(path), directory=directory)
    assert [i.title for i in plan.items] == ["加强行政复议规范化建设", "开展普法宣传，每季度一次"]
    assert plan.items[0].deadline is not None and plan.items[0].deadline.text == "年底前"


def text_box_run(lines: list[str]) -> str:
    """A run holding a text box the way Word saves one: the drawing, and a VML copy as the fallback."""
    paras = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in lines)
    return (
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
        f"<w:txbxContent>{paras}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def test_signature_in_a_text_box_over_the_seal(directory: DepartmentDirectory, tmp_path: Path) -> None:
    """The issuer and date set in a text box (to sit over the seal) are read once, where the box stands."""
    document = docx.Document()
    document.add_paragraph("云溪县人民政府关于2025年度法治政府建设情况的报告")
    document.add_paragraph("市人民政府：")
    document.add_paragraph("2025年，我县扎实推进法治政府建设。现将有关情况报告如下。")
    document.add_paragraph("一、2025年工作情况")
    document.add_paragraph("（一）依法履职。审结行政复议案件54件。")
    document.add_paragraph("二、2026年工作安排")
    document.add_paragraph("（一）加强依法决策。年底前完成重大行政决策目录公布。（县司法局负责）")
    document.add_paragraph("（二）规范行政执法。每季度开展一次案卷评查。（县司法局负责）")
    document.add_paragraph("特此报告。")
    anchor = document.add_paragraph()
    anchor._p.append(parse_xml(text_box_run(["云溪县人民政府", "2026年2月27日"])))
    path = tmp_path / "报告.docx"
    document.save(str(path))
    text = read_document(path)
    assert text.count("2026年2月27日") == 1  # the fallback copy is not read twice
    plan = parse_report(text, directory=directory)
    assert plan.issuers == ["云溪县人民政府"] and plan.report_date == date(2026, 2, 27)
    assert [i.label for i in plan.items] == ["（一）", "（二）"]
