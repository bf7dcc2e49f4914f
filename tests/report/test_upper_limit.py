"""An upper limit (行政诉讼败诉率控制在10%以内) end to end on a real database: imported as ``at_most``, a figure under
it is 已完成 and one over it 未完成 (flagged for the office, stated under 三), shown with its bound, kept by
dump/load, and old databases whose names carry the importer's former （上限） mark are brought to the flag."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import Cli
from tracker.db import downgrade, open_database
from tracker.importer.parse import parse_report
from tracker.report.compose import compose_draft
from tracker.services import backup, plans
from tracker.services.drafting import gather_draft_data
from tracker.services.tasks import get_task_detail, list_tasks, record_progress
from tracker.services.workspace import Workspace

REPORT = """示范区司法局关于2022年度法治政府建设情况的报告
区委、区政府：
2022年，我局认真贯彻落实上级部署，扎实推进法治政府建设，现将有关情况报告如下。
一、2022年度推进法治政府建设的主要举措和成效
（一）加强行政应诉工作。全年行政机关负责人出庭应诉率100%。
二、2023年度推进法治政府建设的主要安排
（一）提升行政应诉质效（区司法局负责）。行政诉讼败诉率控制在10%以内，行政机关负责人出庭应诉率保持100%。
（二）规范涉企行政检查（区司法局负责）。涉企检查频次同比下降20%以上。
示范区司法局
2023年1月20日
"""
AS_OF = date(2024, 1, 10)
LIMIT_REVISION_PARENT = "799e77d3dd35"  # the revision before target.at_most


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    space = Workspace(db_url, login="tester", today=date(2023, 1, 25))
    parsed = parse_report(REPORT, source_name="示范区报告.txt")
    space.run(lambda s, a: plans.import_plan(s, actor=a, parsed=parsed))
    yield space
    space.dispose()


def _task_id(ws: Workspace, code: str) -> int:
    return next(r.id for r in ws.run(lambda s, _a: list_tasks(s, today=AS_OF, plan=2023)) if r.code == code)


def _record(ws: Workspace, figures: dict[str, float], **fields: object) -> None:
    task = _task_id(ws, "（一）")
    ws.run(
        lambda s, a: record_progress(
            s,
            actor=a,
            task_id=task,
            today=date(2023, 12, 20),
            at=datetime(2023, 12, 20, 2, tzinfo=UTC),
            figures=figures,
            **fields,  # type: ignore[arg-type]
        )
    )


def _draft_text(ws: Workspace) -> dict[str, str]:
    data = ws.run(lambda s, _a: gather_draft_data(s, plan=2023, as_of=AS_OF))
    draft = compose_draft(data)
    return {section.key: "\n".join(p.text for p in section.paragraphs) for section in draft.sections}


def test_import_keeps_the_limit_as_a_flag_not_in_the_name(ws: Workspace) -> None:
    detail = ws.run(lambda s, _a: get_task_detail(s, task_id=_task_id(ws, "（一）"), today=AS_OF))
    assert [(t.name, t.value, t.unit, t.at_most) for t in detail.targets] == [
        ("行政诉讼败诉率", 10, "%", True),
        ("出庭应诉率", 100, "%", False),
    ]
    reduction = ws.run(lambda s, _a: get_task_detail(s, task_id=_task_id(ws, "（二）"), today=AS_OF))
    assert [(t.value, t.at_most) for t in reduction.targets] == [(20, False)]  # 下降20%以上: the reduction itself


def test_a_figure_under_the_limit_is_met(ws: Workspace) -> None:
    _record(ws, {"行政诉讼败诉率": 8, "出庭应诉率": 100}, status="done", note="全年行政诉讼案件40件，败诉3件")
    text = _draft_text(ws)
    assert "行政诉讼败诉率目标为不超过10%，实际为8%，已完成" in text["measures"]
    assert "出庭应诉率目标为100%，实际为100%，已完成" in text["measures"]
    assert "目标未完成" not in text["measures"]
    assert "行政诉讼败诉率" not in text["problems"]


def test_a_figure_over_the_limit_is_missed_and_flagged(ws: Workspace) -> None:
    _record(ws, {"行政诉讼败诉率": 15}, percent=90, note="全年行政诉讼案件40件，败诉6件", problems="部分行政行为程序不规范")
    text = _draft_text(ws)
    assert (
        "行政诉讼败诉率目标为不超过10%，实际为15%，未完成【待补充：目标未完成，请说明原因并斟酌表述】"
        in text["measures"]
    )
    assert "行政诉讼败诉率实际为15%，未实现不超过10%的目标，主要原因是部分行政行为程序不规范" in text["problems"]


def test_show_and_json_give_the_bound(ws: Workspace, db_url: str) -> None:
    _record(ws, {"行政诉讼败诉率": 8}, percent=50, note="上半年败诉2件")
    cli = Cli(db_url, today=AS_OF)
    task = str(_task_id(ws, "（一）"))
    shown = cli("show", task)
    assert shown.exit_code == 0, shown.stderr
    assert "指标：行政诉讼败诉率 不超过10%，最新 8%（未超过）" in shown.stdout
    assert "指标：出庭应诉率 100%，无数据" in shown.stdout
    targets = cli("show", task, "--json").json()["targets"]
    assert [(t["name"], t["at_most"], t["latest"], t["met"]) for t in targets] == [
        ("行政诉讼败诉率", True, 8, True),
        ("出庭应诉率", False, None, None),
    ]


def test_import_json_has_at_most_only_for_limits(tmp_path: Path, cli: Cli) -> None:
    source = tmp_path / "示范区报告.txt"
    source.write_text(REPORT, encoding="utf-8")
    result = cli("import", str(source), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    targets = result.json()["items"][0]["targets"]
    assert [t.get("at_most") for t in targets] == [True, None]
    assert set(targets[1]) == {"name", "value", "unit", "text"}  # a goal's keys are as before
    shown = cli("import", str(source), "--dry-run")
    assert "指标：行政诉讼败诉率 不超过10%；出庭应诉率 100%" in shown.stdout


def test_dump_and_load_keep_the_limit(ws: Workspace, tmp_path: Path) -> None:
    dumped = tmp_path / "dump.json"
    ws.run(lambda s, a: backup.dump(s, actor=a, target=dumped))
    other = Workspace(f"sqlite:///{tmp_path / 'loaded.db'}", login="tester", today=AS_OF)
    try:
        other.run(lambda s, a: backup.load(s, actor=a, source=dumped))
        task = next(r.id for r in other.run(lambda s, _a: list_tasks(s, today=AS_OF)) if r.code == "（一）")
        detail = other.run(lambda s, _a: get_task_detail(s, task_id=task, today=AS_OF))
    finally:
        other.dispose()
    assert [(t.name, t.at_most) for t in detail.targets] == [("行政诉讼败诉率", True), ("出庭应诉率", False)]


def test_migration_turns_the_old_name_mark_into_the_flag_and_back(ws: Workspace, db_url: str) -> None:
    engine = open_database(db_url)
    query = sa.text("SELECT name FROM target ORDER BY id")
    downgrade(engine, LIMIT_REVISION_PARENT)
    with engine.connect() as conn:
        # what the importer wrote before the flag existed
        assert [r[0] for r in conn.execute(query)] == ["行政诉讼败诉率（上限）", "出庭应诉率", "涉企检查频次同比下降"]
    open_database(db_url)  # back to head, as every command does on start
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT name, at_most FROM target ORDER BY id")).all()
    assert [(name, bool(flag)) for name, flag in rows] == [
        ("行政诉讼败诉率", True),
        ("出庭应诉率", False),
        ("涉企检查频次同比下降", False),
    ]
    engine.dispose()
