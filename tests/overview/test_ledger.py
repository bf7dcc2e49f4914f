"""The Excel ledger both ways: export, a department edits cells, ingest records the edits, export shows them."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.overview.conftest import Scenario

HEADERS = [
    "序号",
    "工作任务",
    "具体措施",
    "牵头单位",
    "配合单位",
    "完成时限",
    "完成情况/进展",
    "存在问题",
    "下一步措施",
    "状态",
    "填报日期",
    "任务编号",
]


def _export(scenario: Scenario, out: Path) -> Any:
    result = scenario.cli("export", "--plan", "2022", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "已导出台账" in result.stdout
    return load_workbook(out)


def _rows_by_id(sheet: Any) -> dict[int, int]:
    """Task id → Excel row number, read from the hidden column."""
    id_col = HEADERS.index("任务编号") + 1
    return {
        int(sheet.cell(row=r, column=id_col).value): r
        for r in range(3, sheet.max_row + 1)
        if sheet.cell(row=r, column=id_col).value is not None
    }


def _set(sheet: Any, row: int, header: str, value: Any) -> None:
    # Assigned, not passed to cell(): openpyxl ignores value=None there, and clearing is an edit too.
    sheet.cell(row=row, column=HEADERS.index(header) + 1).value = value


def _get(sheet: Any, row: int, header: str) -> Any:
    return sheet.cell(row=row, column=HEADERS.index(header) + 1).value


def _updates(scenario: Scenario, task_id: int) -> list[dict[str, Any]]:
    result = scenario.cli("show", str(task_id), "--json")
    assert result.exit_code == 0, result.stderr
    return list(result.json()["updates"])


def test_export_layout(scenario: Scenario, tmp_path: Path) -> None:
    book = _export(scenario, tmp_path / "台账.xlsx")
    assert book.sheetnames == ["2022年"]
    sheet = book["2022年"]
    assert [c.value for c in sheet[2]] == HEADERS
    assert "工作台账" in sheet["A1"].value
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["L"].hidden is True  # 任务编号
    assert sheet.max_row == 2 + 9
    rows = _rows_by_id(sheet)
    assert sorted(rows) == sorted(scenario.ids)
    t2, t4, t7 = scenario.ids[1], scenario.ids[3], scenario.ids[6]
    assert _get(sheet, rows[t2], "完成情况/进展") == "举办专题讲座两场"
    assert _get(sheet, rows[t2], "存在问题") == "基层参与不够"
    assert _get(sheet, rows[t4], "下一步措施") == "6月底前印发"
    assert _get(sheet, rows[t4], "完成时限") == "2022年6月25日"
    assert (_get(sheet, rows[t7], "牵头单位"), _get(sheet, rows[t7], "配合单位")) == ("市场监管局", "司法局")
    assert _get(sheet, rows[t7], "状态") == "推进中"
    assert _get(sheet, rows[t2], "具体措施").startswith("二是")
    assert sheet.cell(row=rows[t2], column=3).alignment.wrap_text is True
    # Widths fit Chinese: the long text columns are wide, 序号 narrow, none wider than its cap.
    widths = {col: sheet.column_dimensions[col].width for col in "ABCDEFGHIJK"}
    assert widths["C"] >= 40 and widths["A"] <= 6 and widths["D"] >= 8


def test_round_trip_records_edited_cells_as_progress(scenario: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    book = _export(scenario, path)
    sheet = book["2022年"]
    rows = _rows_by_id(sheet)
    t5, t6, t7, t9 = scenario.ids[4], scenario.ids[5], scenario.ids[6], scenario.ids[8]
    before = {t: len(_updates(scenario, t)) for t in (t5, t6, t7, t9)}

    # What a department does in Excel: type into the progress columns, pick a status, date the report.
    _set(sheet, rows[t5], "完成情况/进展", "举办依法行政培训班一期，参训120人")
    _set(sheet, rows[t5], "存在问题", "部分单位参训率不高")
    _set(sheet, rows[t5], "下一步措施", "下半年再办一期")
    _set(sheet, rows[t5], "状态", "进行中")
    _set(sheet, rows[t6], "完成情况/进展", "评查案卷86卷，整改问题12个")
    _set(sheet, rows[t6], "填报日期", "2022年6月14日")
    _set(sheet, rows[t7], "完成情况/进展", "免检免扰清单已公布实施")
    _set(sheet, rows[t7], "状态", "已完成")
    book.save(path)

    preview = scenario.cli("ingest", str(path), "--dry-run")
    assert preview.exit_code == 0, preview.stderr
    assert "有变化 3 行，有误 0 行" in preview.stdout
    assert f"第 {rows[t5]} 行 · 任务 {t5}" in preview.stdout
    assert "完成情况/进展：（空） → 举办依法行政培训班一期，参训120人" in preview.stdout
    assert "状态：推进中 → 已完成" in preview.stdout
    assert "试运行：未写入任何内容" in preview.stdout
    assert {t: len(_updates(scenario, t)) for t in before} == before

    result = scenario.cli("ingest", str(path))
    assert result.exit_code == 0, result.stderr
    assert "已导入 3 条进展记录" in result.stdout
    assert {t: len(_updates(scenario, t)) for t in before} == {t5: 1, t6: 2, t7: 2, t9: 1}

    [new5] = _updates(scenario, t5)
    assert (new5["note"], new5["problems"], new5["next_steps"]) == (
        "举办依法行政培训班一期，参训120人",
        "部分单位参训率不高",
        "下半年再办一期",
    )
    assert (new5["status"], new5["source"], new5["author"]) == ("in_progress", "ledger", "tester")
    new6 = _updates(scenario, t6)[0]
    assert new6["note"] == "评查案卷86卷，整改问题12个" and new6["recorded_at"].startswith("2022-06-14")
    new7 = _updates(scenario, t7)[0]
    assert (new7["status"], new7["percent"], new7["note"]) == ("done", 100, "免检免扰清单已公布实施")

    again = scenario.cli("ingest", str(path))
    assert "有变化 0 行" in again.stdout  # the same file twice records nothing twice

    sheet2 = _export(scenario, tmp_path / "台账2.xlsx")["2022年"]
    rows2 = _rows_by_id(sheet2)
    assert _get(sheet2, rows2[t5], "完成情况/进展") == "举办依法行政培训班一期，参训120人"
    assert _get(sheet2, rows2[t5], "存在问题") == "部分单位参训率不高"
    assert _get(sheet2, rows2[t6], "完成情况/进展") == "评查案卷86卷，整改问题12个"
    assert _get(sheet2, rows2[t7], "状态") == "已完成"


def test_bad_rows_are_reported_by_row_number_and_nothing_is_applied(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = tmp_path / "台账.xlsx"
    book = _export(scenario, path)
    sheet = book["2022年"]
    rows = _rows_by_id(sheet)
    t2, t5, t6, t9 = scenario.ids[1], scenario.ids[4], scenario.ids[5], scenario.ids[8]
    _set(sheet, rows[t9], "完成情况/进展", "新进展：完成年度考核")  # a good row
    _set(sheet, rows[t2], "任务编号", 9999)
    _set(sheet, rows[t2], "完成情况/进展", "改了")
    _set(sheet, rows[t5], "状态", "搞定了")
    _set(sheet, rows[t6], "完成情况/进展", "有新进展")
    _set(sheet, rows[t6], "填报日期", "2022-13-45")
    book.save(path)
    counts = {t: len(_updates(scenario, t)) for t in scenario.ids}

    result = scenario.cli("ingest", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("错误：台账中有 3 行有误，未作任何更改")
    assert f"第 {rows[t2]} 行：没有编号为 9999 的任务" in result.stdout
    assert f"第 {rows[t5]} 行：未知的状态“搞定了”" in result.stdout
    assert f"第 {rows[t6]} 行：填报日期“2022-13-45”格式不正确" in result.stdout
    assert {t: len(_updates(scenario, t)) for t in scenario.ids} == counts  # the good row waited too

    skipped = scenario.cli("ingest", str(path), "--skip-bad")
    assert skipped.exit_code == 0, skipped.stderr
    assert "已导入 1 条进展记录，跳过有误的 3 行" in skipped.stdout
    assert _updates(scenario, t9)[0]["note"] == "新进展：完成年度考核"
    assert len(_updates(scenario, t6)) == counts[t6]


def test_row_the_rules_refuse_is_a_bad_row(scenario: Scenario, tmp_path: Path) -> None:
    """Marking done needs a note (as in the CLI): an emptied note with 已完成 is refused by its row."""
    path = tmp_path / "台账.xlsx"
    book = _export(scenario, path)
    sheet = book["2022年"]
    rows = _rows_by_id(sheet)
    t5 = scenario.ids[4]
    _set(sheet, rows[t5], "状态", "已完成")
    book.save(path)
    result = scenario.cli("ingest", str(path))
    assert result.exit_code == 1
    assert f"第 {rows[t5]} 行：任务 {t5}：标记为“已完成”需要填写完成情况（进展情况）" in result.stdout


def test_not_a_ledger_is_one_line(scenario: Scenario, tmp_path: Path) -> None:
    junk = tmp_path / "x.xlsx"
    junk.write_text("not excel", encoding="utf-8")
    result = scenario.cli("ingest", str(junk))
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：无法读取 Excel 文件 x.xlsx")
    assert len(result.stderr.strip().splitlines()) == 1


def test_xlsx_opens_in_libreoffice(scenario: Scenario, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice 未安装（CI 会安装 libreoffice-calc）")
    path = tmp_path / "ledger.xlsx"
    _export(scenario, path)
    out = tmp_path / "csv"
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: parallel runs do not collide
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, double quote, UTF-8
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with (out / "ledger.csv").open(encoding="utf-8") as f:
        table = list(csv.reader(f))
    assert table[1] == HEADERS
    body = table[2:]
    assert len(body) == 9
    by_id = {int(r[-1]): r for r in body}
    t2, t4 = scenario.ids[1], scenario.ids[3]
    assert by_id[t2][HEADERS.index("完成情况/进展")] == "举办专题讲座两场"
    assert by_id[t4][HEADERS.index("工作任务")].startswith("（三）健全行政复议应诉制度体系")
    assert by_id[t4][HEADERS.index("完成时限")] == "2022年6月25日"


def test_ingest_is_attributed_to_the_acting_user_and_obeys_permissions(
    scenario: Scenario, tmp_path: Path
) -> None:
    """An admin ingests a department's ledger --as that department's clerk: rows are theirs, and rows
    for tasks their department does not own are refused by row number."""
    cli = scenario.cli
    assert cli("user", "add", "tester", "--role", "admin").exit_code == 0
    added = cli("user", "add", "zhang", "--role", "staff", "--dept", "市场监管局", "--name", "张三")
    assert added.exit_code == 0, added.stderr
    t5, t7 = scenario.ids[4], scenario.ids[6]
    path = tmp_path / "市场监管局台账.xlsx"
    book = _export(scenario, path)
    sheet = book["2022年"]
    rows = _rows_by_id(sheet)
    _set(sheet, rows[t7], "完成情况/进展", "清单已公布，企业检查次数下降三成")
    _set(sheet, rows[t5], "完成情况/进展", "不是本部门的任务")
    book.save(path)

    refused = cli("ingest", str(path), "--as", "zhang")
    assert refused.exit_code == 1
    assert f"第 {rows[t5]} 行：任务 {t5}：该任务不由您所在的部门牵头或配合" in refused.stdout

    _set(sheet, rows[t5], "完成情况/进展", None)
    book.save(path)
    result = cli("--as", "zhang", "ingest", str(path))  # the global --as works the same
    assert result.exit_code == 0, result.stderr
    update = _updates(scenario, t7)[0]
    assert (update["author"], update["source"], update["note"]) == (
        "zhang",
        "ledger",
        "清单已公布，企业检查次数下降三成",
    )
    log = cli("log", str(t7), "--json").json()
    assert any(entry["actor"] == "zhang" for entry in log)


def test_one_sheet_per_plan_and_bad_rows_name_their_sheet(scenario: Scenario, tmp_path: Path) -> None:
    cli = scenario.cli
    assert cli("demo").exit_code == 0
    plans = {p["id"]: p for p in cli("plans", "--json").json()}
    assert len(plans) == 2
    path = tmp_path / "两个计划.xlsx"
    result = cli(
        "export", *[arg for pid in sorted(plans) for arg in ("--plan", f"#{pid}")], "--out", str(path)
    )
    assert result.exit_code == 0, result.stderr
    book = load_workbook(path)
    assert len(book.sheetnames) == 2
    counts = [book[name].max_row - 2 for name in book.sheetnames]
    assert sorted(counts) == sorted(len(cli("tasks", "--plan", f"#{pid}", "--json").json()) for pid in plans)
    second = book[book.sheetnames[1]]
    _set(second, 3, "状态", "差不多了")
    book.save(path)
    bad = cli("ingest", str(path))
    assert bad.exit_code == 1
    assert f"工作表“{book.sheetnames[1]}”第 3 行：未知的状态“差不多了”" in bad.stdout


def test_deferral_takes_its_reason_from_the_problems_column(scenario: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    book = _export(scenario, path)
    sheet = book["2022年"]
    rows = _rows_by_id(sheet)
    t2, t6 = scenario.ids[1], scenario.ids[5]
    _set(sheet, rows[t6], "状态", "暂缓")
    _set(sheet, rows[t2], "状态", "暂缓")
    _set(sheet, rows[t2], "存在问题", None)
    book.save(path)
    refused = scenario.cli("ingest", str(path))
    assert (
        f"第 {rows[t2]} 行：任务 {t2}：暂缓或调整完成时限需要说明原因（请在“存在问题”一栏写明原因）"
        in refused.stdout
    )
    assert (
        refused.exit_code == 1
        and f"第 {rows[t6]} 行：任务 {t6}：暂缓或调整完成时限需要说明原因" in refused.stdout
    )

    _set(sheet, rows[t6], "存在问题", "上级政策调整，待新规出台")
    _set(sheet, rows[t2], "状态", "推进中")
    book.save(path)
    result = scenario.cli("ingest", str(path), "--skip-bad")
    assert result.exit_code == 0, result.stdout + result.stderr
    latest = _updates(scenario, t6)[0]
    assert (latest["status"], latest["reason"]) == ("suspended", "上级政策调整，待新规出台")
