"""The monthly 进展通报 (tracker bulletin) on the real sample plan with records over several months:
its figures are summary's figures, the silent department and the 批示 are there, the .docx reads back with
pictures, tables and the official fonts, and the charts' labels are drawn in a CJK font."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn

from tests.conftest import ROOT, Cli

AS_OF = date(2022, 6, 30)

# (day the record speaks for, index of the task in plan order, status, percent)
RECORDS = [
    (date(2022, 3, 20), 0, "推进中", 30),
    (date(2022, 3, 25), 1, "推进中", 20),
    (date(2022, 4, 10), 2, "推进中", 40),
    (date(2022, 5, 12), 0, "已完成", 100),
    (date(2022, 5, 20), 3, "推进中", 50),
    (date(2022, 6, 8), 1, "已完成", 100),
    (date(2022, 6, 18), 4, "推进中", 60),
    (date(2022, 7, 2), 5, "推进中", 90),  # after the bulletin's day: not counted
]
INSTRUCTION = "请司法局抓紧推进，确保按期完成。"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict[str, Any]:
    """The sample plan, records dated March to July, one 批示 in June (module-scoped: imported once)."""
    from tests.conftest import require_shared

    shared = require_shared()
    tmp = tmp_path_factory.mktemp("bulletin")
    url = f"sqlite:///{tmp / 'tracker.db'}"
    cli = Cli(url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACKER_USER", "tester")
        mp.setenv("XDG_DATA_HOME", str(tmp / "xdg"))
        assert cli("import", str(shared / "reports" / "2021-zibo-gaoxin-fazhi-report.txt")).exit_code == 0
        tasks = cli("tasks", "--json").json()
        for day, index, status, percent in RECORDS:
            result = cli(
                "update", str(tasks[index]["id"]), "--status", status, "--percent", str(percent),
                "--note", f"{day.month}月进展", today=day,
            )
            assert result.exit_code == 0, result.stderr
        from tracker.services.tasks import add_instruction
        from tracker.services.workspace import Workspace

        ws = Workspace(url)
        ws.run(
            lambda s, actor: add_instruction(
                s, actor=actor, task_id=tasks[2]["id"], text=INSTRUCTION, at=datetime(2022, 6, 20, 2, tzinfo=UTC)
            )
        )
        ws.dispose()
    return {"url": url, "cli": cli, "tasks": tasks, "tmp": tmp, "mp": None}


def _run(recorded: dict[str, Any], *args: str) -> Any:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACKER_USER", "tester")
        return recorded["cli"](*args, today=date(2022, 7, 5))


@pytest.fixture(scope="module")
def bulletin_md(recorded: dict[str, Any]) -> str:
    out = recorded["tmp"] / "通报.md"
    result = _run(recorded, "bulletin", "--plan", "2022", "--period", "2022-06", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bulletin_docx(recorded: dict[str, Any]) -> Any:
    import docx

    out = recorded["tmp"] / "通报.docx"
    result = _run(recorded, "bulletin", "--plan", "2022", "--period", "2022-06", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return docx.Document(str(out))


def test_every_figure_is_the_summary_of_the_same_day(recorded: dict[str, Any], bulletin_md: str) -> None:
    summary = _run(
        recorded, "summary", "--plan", "2022", "--by", "department", "--as-of", AS_OF.isoformat(),
        "--since", "2022-06-01", "--json",
    ).json()
    total = summary["total"]
    assert total["done"] == 2  # the two tasks recorded 已完成 by June 30, the July record not yet counted
    overall = bulletin_md.split("## 二、")[0]
    assert f"共{total['total']}项任务，已完成{total['done']}项，完成率{total['done_rate']:.1f}%" in overall
    assert f"各项任务平均进度{total['average_percent']:.1f}%" in overall
    lights = total["lights"]
    assert f"绿灯{lights['green']}项、黄灯{lights['yellow']}项、红灯{lights['red']}项" in overall
    # The ranking table: one row per lead department, its figures as summary has them.
    for group in summary["groups"]:
        if group["department_id"] is None or not group["total"]:
            continue
        row = f"| {group['key']} | {group['total']} | {group['done']} | {group['done_rate']:.1f}% |"
        assert row in bulletin_md, row


def test_departments_without_a_record_in_the_period_are_listed(recorded: dict[str, Any], bulletin_md: str) -> None:
    summary = _run(
        recorded, "summary", "--plan", "2022", "--by", "department", "--as-of", AS_OF.isoformat(),
        "--since", "2022-06-01", "--json",
    ).json()
    silent = [d["name"] for d in summary["not_reported_this_month"]["departments"]]
    assert silent, "most lead departments recorded nothing in June"
    section = bulletin_md[bulletin_md.index("未按时报送") :]
    for name in silent:
        assert name in section


def test_the_instruction_of_the_period_is_quoted(bulletin_md: str) -> None:
    assert INSTRUCTION in bulletin_md
    assert "【待补充" in bulletin_md.split("下一步")[-1]  # 下一步要求 left for the office to write


def _east_asian(run: Any) -> str | None:
    rpr = run._element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_docx_has_the_pictures_tables_and_official_fonts(bulletin_docx: Any) -> None:
    assert len(bulletin_docx.inline_shapes) == 2  # the department chart and the burn-up
    assert len(bulletin_docx.tables) >= 3  # overall figures, ranking, red/yellow lists
    texts = [p.text for p in bulletin_docx.paragraphs]
    title = next(p for p in bulletin_docx.paragraphs if p.text.startswith("关于") and p.text.endswith("通报"))
    assert {_east_asian(r) for r in title.runs} == {"方正小标宋简体"}
    assert any(re.match(r"^一、总体情况", t) for t in texts)
    heading = next(p for p in bulletin_docx.paragraphs if p.text.startswith("一、"))
    assert {_east_asian(r) for r in heading.runs} == {"黑体"}
    section = bulletin_docx.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37
    assert bulletin_docx.core_properties.title == title.text


def test_chart_labels_are_drawn_in_a_cjk_font() -> None:
    from matplotlib import font_manager

    from tracker.report.charts import burn_up_chart, covers, find_cjk_font, texts_of
    from tracker.services.history import ProgressPoint

    font = find_cjk_font(text="司法局")
    if font is None:
        pytest.skip("本机没有中文字体（apt-get install fonts-noto-cjk）")
    series = [ProgressPoint(date(2022, m, 28), 10, m // 2, 10.0 * m, 8.0 * m) for m in range(1, 7)]
    figure = burn_up_chart(series, font)
    labels = [t for t in texts_of(figure) if re.search(r"[\u4e00-\u9fff]", t.get_text())]
    assert labels
    for label in labels:
        path = font_manager.findfont(label.get_fontproperties(), fallback_to_default=False)
        assert covers(path, set(label.get_text()) - set(" ()（）%,，0123456789.")), label.get_text()


def test_without_a_cjk_font_the_bulletin_says_which_package_and_gives_tables(
    recorded: dict[str, Any], tmp_path: Path
) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    out = tmp_path / "通报.docx"
    env = {"TRACKER_FONT_DIRS": str(empty), "TRACKER_USER": "tester", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", recorded["url"], "--today", "2022-07-05", "bulletin",
         "--plan", "2022", "--period", "2022-06", "--out", str(out)],
        capture_output=True, text=True, env={**__import__("os").environ, **env}, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "fonts-noto-cjk" in done.stderr and "Traceback" not in done.stderr
    import docx

    document = docx.Document(str(out))
    assert len(document.inline_shapes) == 0  # no picture with boxes for glyphs
    assert len(document.tables) >= 5  # the charts' figures as tables instead


def test_bad_period_is_one_line_and_writes_nothing(recorded: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    result = _run(recorded, "bulletin", "--plan", "2022", "--period", "2022-13", "--out", str(out))
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) <= 3 and "Traceback" not in result.stderr
    assert not out.exists()


def test_bulletin_of_the_demo_on_this_backend_matches_summary(cli: Cli, tmp_path: Path) -> None:
    """Both backends: the figures as of a day (a window over each task's records) agree with summary."""
    assert cli("demo", today=date(2026, 9, 30)).exit_code == 0
    out = tmp_path / "通报.md"
    result = cli("bulletin", "--quarter", "2026Q2", "--out", str(out), today=date(2026, 9, 30))
    assert result.exit_code == 0, result.stderr
    summary = cli(
        "summary", "--by", "department", "--as-of", "2026-06-30", "--since", "2026-04-01", "--json",
        today=date(2026, 9, 30),
    ).json()
    total = summary["total"]
    text = out.read_text(encoding="utf-8")
    assert f"共{total['total']}项任务，已完成{total['done']}项，完成率{total['done_rate']:.1f}%" in text
    now = cli("summary", "--json", today=date(2026, 9, 30)).json()["total"]
    assert (total["done"], total["average_percent"]) != (now["done"], now["average_percent"])
