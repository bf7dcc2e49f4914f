"""Records carry the date they speak for (ProgressUpdate.as_of) apart from when they were typed: update --date
and --today date them, show and the history JSON give both, the ledger exports 填报日期, and draft --as-of picks
records by that date, reporting the ones dated later."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import openpyxl

from tests.conftest import Cli
from tests.report.conftest import AS_OF, RECORDS
from tracker.services.tasks import list_tasks, record_progress
from tracker.services.workspace import Workspace


def _task_id(cli: Cli) -> str:
    tasks = json.loads(cli("tasks", "--json").stdout)
    return str(next(t["id"] for t in tasks if t["title"] == "完善规范性文件评估清理流程"))


def test_update_date_dates_the_record_and_both_dates_are_shown(sample_cli: Cli) -> None:
    task = _task_id(sample_cli)
    ok = sample_cli("update", task, "--percent", "40", "--note", "完成评估2件", "--date", "2022-06-30")
    assert ok.exit_code == 0, ok.stderr
    assert "2022-06-30" in ok.stdout
    later = sample_cli("update", task, "--percent", "50", "--note", "完成评估3件", today=date(2022, 9, 1))
    assert later.exit_code == 0, later.stderr
    detail = json.loads(sample_cli("show", task, "--json").stdout)
    dates = sorted(u["as_of"] for u in detail["updates"])
    assert dates == ["2022-06-30", "2022-09-01"]  # --today dates the record too
    assert all(u["recorded_at"][:10] != "2022-06-30" for u in detail["updates"])  # typed now, not then
    text = sample_cli("show", task).stdout
    assert "2022-06-30（" in text and "填写）" in text
    bad = sample_cli("update", task, "--note", "x", "--date", "2022/13/45")
    assert bad.exit_code != 0 and "日期格式不正确" in bad.stderr
    assert len(json.loads(sample_cli("show", task, "--json").stdout)["updates"]) == 2


def test_ledger_export_writes_the_latest_records_date(sample_cli: Cli, tmp_path: Path) -> None:
    task = _task_id(sample_cli)
    assert (
        sample_cli(
            "update", task, "--percent", "40", "--note", "完成评估2件", "--date", "2022-06-30"
        ).exit_code
        == 0
    )
    out = tmp_path / "台账.xlsx"
    assert sample_cli("export", "--plan", "2022", "--out", str(out)).exit_code == 0, "export"
    sheet = openpyxl.load_workbook(out).active
    header_row = next(r for r in sheet.iter_rows(values_only=True) if r and "填报日期" in r)
    column = header_row.index("填报日期")
    values = [r[column] for r in sheet.iter_rows(values_only=True) if r and "完成评估2件" in r]
    assert values == ["2022-06-30"]


def test_ledger_shows_the_record_for_the_latest_date_not_the_last_typed(sample_cli: Cli, tmp_path: Path) -> None:
    """July's record typed first, then June's typed late: the ledger's row is July's."""
    task = _task_id(sample_cli)
    for note, day in (("七月完成评估4件", "2022-07-31"), ("六月完成评估2件", "2022-06-30")):
        result = sample_cli("update", task, "--note", note, "--date", day)
        assert result.exit_code == 0, result.stderr
    out = tmp_path / "台账.xlsx"
    assert sample_cli("export", "--plan", "2022", "--out", str(out)).exit_code == 0
    cells = [c for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True) for c in r if c]
    assert "七月完成评估4件" in cells and "六月完成评估2件" not in cells
    assert "2022-07-31" in cells


def test_draft_as_of_uses_records_by_their_date_not_typing_time(
    sample_cli: Cli, db_url: str, tmp_path: Path
) -> None:
    typed = datetime(2023, 2, 1, 2, 0, tzinfo=UTC)  # every record typed after the as-of date
    ws = Workspace(db_url, login="tester", today=date(2023, 2, 1))
    try:
        ids = {r.code: r.id for r in ws.run(lambda s, _a: list_tasks(s, today=AS_OF, plan=2022))}
        for code, month, day, fields in RECORDS:
            ws.run(
                lambda s, a, code=code, month=month, day=day, fields=fields: record_progress(
                    s,
                    actor=a,
                    task_id=ids[code],
                    today=date(2023, 2, 1),
                    at=typed,
                    as_of=date(2022, month, day),
                    **fields,  # type: ignore[arg-type]
                )
            )
        ws.run(
            lambda s, a: record_progress(
                s,
                actor=a,
                task_id=ids["（二）"],
                today=date(2023, 2, 1),
                at=typed,
                as_of=date(2023, 1, 20),
                percent=90,
                note="完成后评估5件",
            )
        )
    finally:
        ws.dispose()
    out = tmp_path / "draft.docx"
    result = sample_cli("draft", "--plan", "2022", "--as-of", "2023-01-10", "--trace", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "另有1条进展记录的填报日期晚于2023年1月10日，未计入本稿" in result.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    for _code, _m, _d, fields in (RECORDS[1], RECORDS[3]):
        assert str(fields["note"]) in text  # typed in 2023, dated 2022: used
    assert "完成后评估5件" not in text
    assert "全年需出庭案件28件" in text and "尚未启动" not in text
    trace = text[text.index("附：来源追溯") :]
    assert "另有1条进展记录的填报日期晚于2023年1月10日" in trace
