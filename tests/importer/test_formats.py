"""The files offices really receive give the plan the .txt gives: the sample and every corpus report written as an
official-layout Word file and converted to PDF and .doc by LibreOffice, and the sample's plan as an .xlsx
任务分工表 with merged chapter cells. Unreadable files (a scan, a locked or broken PDF, the ledger tracker exports)
get one clear Chinese line and leave the database as it was."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.importer.documents import INDENT, convert_all, official_docx, soffice
from tests.importer.test_corpus import NAMES, full_tree
from tracker.importer.directory import DepartmentDirectory
from tracker.importer.model import ParsedPlan
from tracker.importer.parse import parse_report
from tracker.importer.reading import read_document

SAMPLE = "2021-zibo-gaoxin-fazhi-report.txt"
ALL = [SAMPLE, *NAMES]


def _source(shared: Path, name: str) -> Path:
    return shared / "reports" / name if name == SAMPLE else shared / "corpus" / name


def _owners(plan: ParsedPlan) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(t.title, [(o.department, o.role) for o in t.owners]) for t in plan.tasks()]


def _same_plan(got: ParsedPlan, want: ParsedPlan) -> None:
    assert got.section_heading == want.section_heading
    assert got.year == want.year
    assert full_tree(got) == full_tree(want)
    assert _owners(got) == _owners(want)


@pytest.fixture(scope="module")
def office_files(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Each report as a Word file in the GB/T 9704 layout (title centred, paragraphs indented, page numbers
    — 1 — in the footer), then PDF and .doc of all of them in one LibreOffice run each."""
    if soffice() is None:
        pytest.skip("本机没有 LibreOffice（soffice）：无法把报告转换为 PDF 和 .doc")
    base = tmp_path_factory.mktemp("office")
    docx_files = [
        official_docx(_source(shared, n).read_text(encoding="utf-8").split("\n"), base / f"{Path(n).stem}.docx",
                      title_lines=1, header="淄博高新区管委会文件" if n == SAMPLE else None)
        for n in ALL
    ]  # fmt: skip
    profile = base / "profile"
    pdfs = convert_all(docx_files, "pdf", base / "pdf", profile)
    docs = convert_all(docx_files, "doc", base / "doc", profile)
    return {n: {"pdf": p, "doc": d} for n, p, d in zip(ALL, pdfs, docs, strict=True)}


@pytest.fixture(scope="module")
def txt_plans(shared: Path, directory: DepartmentDirectory) -> dict[str, ParsedPlan]:
    return {n: parse_report(read_document(_source(shared, n)), source_name=n, directory=directory) for n in ALL}


@pytest.mark.parametrize("kind", ["pdf", "doc"])
@pytest.mark.parametrize("name", ALL)
def test_pdf_and_doc_give_the_tree_of_the_txt(
    office_files: dict[str, dict[str, Path]],
    txt_plans: dict[str, ParsedPlan],
    directory: DepartmentDirectory,
    name: str,
    kind: str,
) -> None:
    path = office_files[name][kind]
    text = read_document(path)
    assert "— 1 —" not in text and "— 2 —" not in text  # page numbers dropped
    plan = parse_report(text, source_name=path.name, directory=directory)
    _same_plan(plan, txt_plans[name])


def test_pdf_drops_running_header(office_files: dict[str, dict[str, Path]]) -> None:
    text = read_document(office_files[SAMPLE]["pdf"])
    assert text.count("淄博高新区管委会文件") <= 1  # a header on every page is not text of the report


def test_dry_run_of_the_sample_pdf_prints_the_tree_of_the_txt(
    office_files: dict[str, dict[str, Path]], cli: Cli, sample_report: Path
) -> None:
    from_txt = cli("import", str(sample_report), "--dry-run")
    from_pdf = cli("import", str(office_files[SAMPLE]["pdf"]), "--dry-run")
    assert from_txt.exit_code == 0 and from_pdf.exit_code == 0, from_pdf.stderr

    def tree(out: str) -> list[str]:
        return [ln for ln in out.splitlines() if ln.strip().startswith(("（", "一是", "二是", "三是"))]

    assert tree(from_pdf.stdout) == tree(from_txt.stdout) and len(tree(from_txt.stdout)) == 11  # 6 items, 5 points
    assert cli("plans", "--json").json() == []  # a dry run writes nothing


# ---- the sample's plan as an Excel 任务分工表 -------------------------------------------------------------


def _task_table(plan: ParsedPlan, path: Path, *, chapter_first: bool = True) -> Path:
    """The way an office lays out a 分工表: a title row and the header, each item with points as a chapter row
    merged across the table followed by one row a point, an item without points one row of its own."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "任务分工"
    sheet.append([f"淄博高新区{plan.year}年法治政府建设重点任务分工表"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"])

    def lead(task: object) -> str:
        return "、".join(o.department for o in task.owners if o.role == "lead")  # type: ignore[attr-defined]

    for item in plan.items:
        if item.children:
            sheet.append([f"{item.label}{item.title}"])
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
            for point in item.children:
                sheet.append(["", f"{point.label}{point.text}", "", lead(point), "", "2022年12月底前"])
        else:
            rest = item.text.removeprefix(item.title).lstrip("。；")
            sheet.append([item.label, item.title, rest, lead(item), "", "2022年12月底前"])
    book.save(path)
    return path


def test_xlsx_task_table_gives_the_tree_of_the_txt(
    sample_plan: ParsedPlan, directory: DepartmentDirectory, tmp_path: Path
) -> None:
    path = _task_table(sample_plan, tmp_path / "分工表.xlsx")
    plan = parse_report(read_document(path), source_name=path.name, directory=directory)
    assert full_tree(plan) == full_tree(sample_plan)
    assert [(t.title, [o.department for o in t.owners]) for t in plan.tasks()] == [
        (t.title, [o.department for o in t.owners]) for t in sample_plan.tasks()
    ]
    assert all(o.source == "text" for t in plan.tasks() for o in t.owners)  # read from the table, not guessed
    assert all(t.deadline is not None and t.deadline.source != "default" for t in plan.tasks())


def test_xlsx_chapter_merged_cells_and_vertical_task_cells(
    directory: DepartmentDirectory, tmp_path: Path
) -> None:
    """序号 and 重点任务 merged down over the rows of their measures: one task, each measure a point."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["示范区2027年重点工作任务台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "工作任务", "具体措施", "责任单位", "完成时限"])
    sheet.append(["一、深化依法行政"])
    sheet.merge_cells("A3:E3")
    sheet.append([1, "完善行政复议工作机制", "开展复议案件评查", "司法局", "6月底前"])
    sheet.append([None, None, "建立复议意见书跟踪制度", "司法局", "12月底前"])
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("B4:B5")
    sheet.append([2, "规范涉企行政检查", "—", "市场监管局", "全年"])
    sheet.append(["二、加强法治宣传"])
    sheet.merge_cells("A7:E7")
    sheet.append([3, "开展宪法宣传周活动", "", "司法局、教育局", "12月4日前"])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    plan = parse_report(read_document(path), source_name=path.name, directory=directory)
    assert [(i.label, i.title) for i in plan.items] == [("一、", "深化依法行政"), ("二、", "加强法治宣传")]
    # two levels are tracked: the measures of task 1 are its tasks, each knowing what it is part of
    tasks = plan.items[0].children
    assert [(t.label, t.title) for t in tasks] == [
        ("1.（1）", "开展复议案件评查"),
        ("1.（2）", "建立复议意见书跟踪制度"),
        ("2.", "规范涉企行政检查"),
    ]
    assert all(t.text.startswith("完善行政复议工作机制") for t in tasks[:2])
    assert [(t.deadline.date.month, t.deadline.date.day) for t in tasks if t.deadline] == [(6, 30), (12, 31), (12, 31)]
    assert [o.department for o in tasks[2].owners] == ["市场监管局"]
    (third,) = plan.items[1].children
    assert [o.department for o in third.owners] == ["司法局", "教育局"]


# ---- files that cannot be read: one clear line, exit 1, nothing written ----------------------------------


def _refused(cli: Cli, path: Path, *words: str) -> str:
    result = cli("import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert cli("plans", "--json").json() == []
    return lines[0]


def test_scanned_pdf_says_there_is_no_text(cli: Cli, tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(image).rectangle((60, 80, 530, 120), fill="black")  # a scan: pixels, no text layer
    path = tmp_path / "扫描件.pdf"
    image.save(path, "PDF", resolution=72)
    _refused(cli, path, "扫描件.pdf", "文字")


def test_broken_pdf(cli: Cli, tmp_path: Path, sample_report: Path) -> None:
    path = tmp_path / "下载不完整.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00" * 200)
    _refused(cli, path, "下载不完整.pdf")


def test_password_protected_pdf(cli: Cli, tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("本机没有 LibreOffice（soffice）：无法生成加密的 PDF")
    source = official_docx([f"{INDENT}（一）加强依法行政。"], tmp_path / "locked.docx")
    options = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"1234"}}'
    )
    subprocess.run(
        [str(soffice()), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", options, "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    path = tmp_path / "out" / "locked.pdf"
    assert b"/Encrypt" in path.read_bytes()
    _refused(cli, path, "locked.pdf", "密码")


def test_broken_xlsx_names_excel(cli: Cli, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "分工表.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<not a workbook")
    line = _refused(cli, path, "分工表.xlsx")
    assert "Excel" in line and "Word" not in line


def test_the_exported_ledger_is_not_a_plan(sample_cli: Cli, tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    assert sample_cli("export", "--plan", "2022", "--out", str(ledger)).exit_code == 0
    plans_before = sample_cli("plans", "--json").json()
    result = sample_cli("import", str(ledger))
    assert result.exit_code == 1
    assert "ingest" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sample_cli("plans", "--json").json() == plans_before


def test_doc_that_is_really_docx_and_txt_that_is_html(directory: DepartmentDirectory, tmp_path: Path) -> None:
    import docx

    lines = ["示范区2027年法治政府建设工作要点", "一、深化依法行政", "1.完善行政复议机制。（司法局负责）"]
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    fake_doc = tmp_path / "要点.doc"
    fake_doc.write_bytes(buffer.getvalue())
    page = tmp_path / "要点.txt"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>要点</title></head><body>"
        + "".join(f"<p>{ln}</p>" for ln in lines)
        + "</body></html>",
        encoding="utf-8",
    )
    for path in (fake_doc, page):
        plan = parse_report(read_document(path), source_name=path.name, directory=directory)
        assert [(i.label, i.title) for i in plan.items] == [("一、", "深化依法行政")], path.name
        assert [c.title for c in plan.items[0].children] == ["完善行政复议机制"]
        assert "<p>" not in plan.source_text


def test_doc_and_wps_without_libreoffice_say_how_to_convert(
    office_files: dict[str, dict[str, Path]], cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_SOFFICE", "")  # as on a machine without LibreOffice
    for name in ("报告.doc", "报告.wps"):
        path = tmp_path / name
        path.write_bytes(office_files[SAMPLE]["doc"].read_bytes())  # WPS writes the same OLE2 format
        line = _refused(cli, path, name, "LibreOffice", "另存为 .docx")
        assert "旧版 Word 或 WPS 文档" in line


def test_wps_file_through_libreoffice(
    office_files: dict[str, dict[str, Path]], txt_plans: dict[str, ParsedPlan], directory: DepartmentDirectory,
    tmp_path: Path,
) -> None:  # fmt: skip
    path = tmp_path / "报告.wps"
    path.write_bytes(office_files[SAMPLE]["doc"].read_bytes())
    _same_plan(parse_report(read_document(path), source_name=path.name, directory=directory), txt_plans[SAMPLE])
