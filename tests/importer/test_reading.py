"""Reading files: encodings detected from the bytes, .docx (paragraphs and tables), .md, bad files, clean-up."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from tracker.errors import ImportFailed
from tracker.importer.normalize import normalise_text
from tracker.importer.reading import decode_document, read_document

TEXT = (
    "关于2025年度法治政府建设工作的报告\n"
    "市委、市政府：\n"
    "　　一、2025年主要工作\n"
    "　　（一）依法履职。办理事项1268件。\n"
    "　　二、2026年工作安排\n"
    "　　（一）加强学习。一是学习法律；二是培训干部。\n"
)


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "gb18030", "gbk", "utf-32"]
)
def test_encodings_are_detected_from_bytes(encoding: str) -> None:
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + TEXT.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + TEXT.encode("utf-16-be")
    else:
        data = TEXT.encode(encoding)
    # the name says nothing about the encoding
    assert decode_document(data, "报告.txt") == normalise_text(TEXT)


def test_utf16_without_bom() -> None:
    assert decode_document(TEXT.encode("utf-16-le"), "x.txt") == normalise_text(TEXT)


def test_read_document_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "old-windows.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("gb18030"))
    assert read_document(path) == normalise_text(TEXT)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("x.txt", b"", "文件为空：x.txt"),
        ("x.txt", b"  \r\n\n ", "文件为空：x.txt"),
        ("x.txt", b"\xef\xbb\xbf", "文件为空：x.txt"),
        ("x.bin", bytes(range(256)) * 8, "无法识别文件编码或不是文本文件：x.bin"),
        ("x.txt", png_bytes(), "这是图片，不是文字文件：x.txt"),
        ("x.docx", png_bytes(), "这是图片，不是文字文件：x.docx"),
        ("x.docx", TEXT.encode(), "不是有效的 Word 文档（.docx）：x.docx"),
        ("x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Word 或 WPS 文档"),  # LibreOffice cannot open it, or is missing
        ("x.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\x00\x01" * 50, "PDF"),
    ],
)
def test_bad_files_give_one_clear_line(name: str, data: bytes, words: str) -> None:
    with pytest.raises(ImportFailed) as err:
        decode_document(data, name)
    assert words in str(err.value)
    assert "\n" not in str(err.value)


def test_zip_that_is_not_a_word_file(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "你好")
    with pytest.raises(ImportFailed, match=r"不是有效的 Office 文档（\.docx），或文件已损坏：fake\.docx"):
        read_document(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="文件不存在"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(ImportFailed, match="文件夹"):
        read_document(tmp_path)


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("2026年法治政府建设工作要点")
    document.add_paragraph("一、重点任务")
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(
        table.rows,
        [
            ["序号", "工作任务", "牵头单位", "完成时限"],
            ["1", "制定年度重大行政决策事项目录", "区司法局", "3月底前"],
            ["2", "开展行政执法案卷评查", "区司法局、区市场监管局", "每季度"],
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("二、保障措施")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    lines = read_document(path).split("\n")
    assert lines == [
        "2026年法治政府建设工作要点",
        "一、重点任务",
        "1.制定年度重大行政决策事项目录（牵头单位：区司法局；完成时限：3月底前）",
        "2.开展行政执法案卷评查（牵头单位：区司法局、区市场监管局；完成时限：每季度）",
        "二、保障措施",
    ]


def test_docx_plain_table_cells_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并的标题"
    table.cell(1, 0).text = "左"
    table.cell(1, 1).text = "右"
    path = tmp_path / "t.docx"
    document.save(str(path))
    assert read_document(path).split("\n") == ["合并的标题", "左", "右"]


def test_markdown_markers_are_stripped() -> None:
    md = "# 关于2025年度工作的报告\n\n## 二、2026年工作安排\n\n> **（一）加强学习。** 一是学法；二是用法。\n\n- 注：*演示*\n"
    text = decode_document(md.encode(), "report.md")
    assert text.split("\n") == [
        "关于2025年度工作的报告",
        "二、2026年工作安排",
        "（一）加强学习。一是学法；二是用法。",
        "注：演示",
    ]


def test_normalisation() -> None:
    raw = (
        "\ufeff　　１２、（ 一 ）测试\n"
        "4 . 新增学位３３３０个，提升１００％\n"
        "(二)半角括号\n"
        "一 、标题\n"
        "【我要纠错】责任编辑：王洋\n"
        "扫一扫在手机打开当前页\n"
        "【打印】【关闭】\n"
        "— 3 —\n"
        "正文,后文;结束\n"
    )
    assert normalise_text(raw).split("\n") == [
        "12、（一）测试",
        "4. 新增学位3330个，提升100%",
        "（二）半角括号",
        "一、标题",
        "正文，后文；结束",
    ]


def test_residue_glued_to_run_together_text() -> None:
    raw = "中国的发展从来都是在应对挑战中前进的。【我要纠错】责任编辑：王洋扫一扫在手机打开当前页"
    assert normalise_text(raw) == "中国的发展从来都是在应对挑战中前进的。"


def test_normalisation_is_idempotent(sample_text: str) -> None:
    flat = normalise_text(sample_text.replace("\n", ""))
    assert normalise_text(flat) == flat


def test_markdown_bullet_lists_are_points() -> None:
    """Bullets under a numbered item are its points (①②); a lone bullet is plain text."""
    from tracker.importer.parse import parse_report

    md = (
        "# 云山区教育局2025年度法治政府建设工作报告\n\n## 一、2025年主要工作\n\n1. **加强组织领导。** 研究法治工作4次。\n\n"
        "## 二、2026年工作计划\n\n1. **深入学习宣传习近平法治思想**\n   - 全年专题学法不少于4次（责任科室：办公室）；\n"
        "   - 3月底前组织校长法治专题培训。\n2. **规范教育行政执法**\n   - 第三季度完成执法事项清单调整；\n"
        "   - 每学期开展一次检查。\n\n- 注：以上为重点工作\n"
    )
    text = decode_document(md.encode(), "report.md")
    assert "①全年专题学法不少于4次（责任科室：办公室）；" in text.split("\n")
    assert "注：以上为重点工作" in text.split("\n")
    plan = parse_report(text)
    assert [(i.title, [c.label for c in i.children]) for i in plan.items] == [
        ("深入学习宣传习近平法治思想", ["①", "②"]),
        ("规范教育行政执法", ["①", "②"]),
    ]
    assert plan.items[0].children[1].deadline is not None and plan.items[0].children[1].deadline.text == "3月底前"
