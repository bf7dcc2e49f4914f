"""The leader's 进展通报 on the sample plan with records from March to June (see conftest): its figures are
``tracker summary --json`` for the same day, it names who did not report and quotes the period's 批示, and the
.docx reads back with its pictures, tables and the official styles. The charts' labels are set in a CJK face."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.overview.conftest import Scenario, at

JUNE_INSTRUCTION = "请司法局加快推进行政复议规则修订，6月底前报送进展"
MAY_INSTRUCTION = "五月批示，不属于六月通报"


def _official_fonts(document: Any) -> set[str]:
    from docx.oxml.ns import qn

    fonts = set()
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            rpr = run._r.rPr
            found = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if found is not None and found.get(qn("w:eastAsia")):
                fonts.add(found.get(qn("w:eastAsia")))
    return fonts


def _table(document: Any, first_header: str) -> list[list[str]]:
    for table in document.tables:
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            return rows
    raise AssertionError(f"通报中没有以“{first_header}”开头的表格")


@pytest.fixture
def june(scenario: Scenario) -> Scenario:
    """The scenario plus a leader's 批示 in May and one in June."""
    from tracker.services.tasks import add_instruction

    t4 = scenario.ids[3]

    def instruct(session: Any, actor: Any) -> None:
        add_instruction(session, actor=actor, task_id=t4, text=MAY_INSTRUCTION, at=at(date(2022, 5, 20)))
        add_instruction(session, actor=actor, task_id=t4, text=JUNE_INSTRUCTION, at=at(date(2022, 6, 8)))

    scenario.run(instruct)
    return scenario


def _bulletin(cli: Cli, out: Path, *extra: str) -> Any:
    import docx

    result = cli("bulletin", "--plan", "2022", "--period", "2022-06", "--out", str(out), *extra)
    assert result.exit_code == 0, result.stderr
    return result, docx.Document(str(out))


def test_every_figure_equals_summary_json(june: Scenario, tmp_path: Path) -> None:
    _, document = _bulletin(june.cli, tmp_path / "通报.docx")
    now = june.cli("summary", "--plan", "2022", "--by", "department", "--as-of", "2022-06-15", "--json").json()
    before = june.cli("summary", "--plan", "2022", "--by", "department", "--as-of", "2022-05-31", "--json").json()

    overall = {row[0]: row[1:] for row in _table(document, "指标")[1:]}
    for data, column in ((now, 0), (before, 1)):
        t = data["total"]
        expected = {
            "任务总数": f"{t['total']}项",
            "已完成": f"{t['by_status']['done']}项",
            "推进中": f"{t['by_status']['in_progress']}项",
            "未开始": f"{t['by_status']['not_started']}项",
            "暂缓": f"{t['by_status']['suspended']}项",
            "完成率": f"{t['done_rate']:.1f}%",
            "平均进度": f"{t['average_percent']:.1f}%",
            "绿灯": f"{t['lights']['green']}项",
            "黄灯": f"{t['lights']['yellow']}项",
            "红灯": f"{t['lights']['red']}项",
            "灰灯": f"{t['lights']['grey']}项",
            "落后于序时进度": f"{t['behind']}项",
            "已逾期": f"{t['overdue']}项",
        }
        for name, value in expected.items():
            assert overall[name][column] == value, name

    ranking = _table(document, "排名")
    header = ranking[0]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in ranking[1:]}
    groups = {g["key"]: g for g in now["groups"] if g["total"]}
    assert set(rows) == set(groups) == {"司法局", "市场监管局", "党政办公室"}
    for name, g in groups.items():
        row = rows[name]
        assert row["牵头任务"] == str(g["total"])
        assert row["已完成"] == str(g["done"])
        assert row["完成率"] == f"{g['done_rate']:.1f}%"
        assert row["平均进度"] == f"{g['average_percent']:.1f}%"
        for light, head in (("green", "绿灯"), ("yellow", "黄灯"), ("red", "红灯"), ("grey", "灰灯")):
            assert row[head] == str(g["lights"][light])
        assert row["逾期"] == str(g["overdue"])
    # Best done rate first: 司法局 (14.3%) leads; 党政办公室 (36%) above 市场监管局 (20%) on average percent.
    assert [row[1] for row in ranking[1:]] == ["司法局", "党政办公室", "市场监管局"]

    # The red and yellow lists are the tasks behind those lights, as many as the summary counts.
    text = "\n".join(p.text for p in document.paragraphs)
    assert "红色清单" in text and "黄色清单" in text
    red = _table_after_caption(document, "红色清单")
    yellow = _table_after_caption(document, "黄色清单")
    assert len(red) - 1 == now["total"]["lights"]["red"]
    assert len(yellow) - 1 == now["total"]["lights"]["yellow"]
    assert any("完善规范性文件评估清理流程" in row[1] for row in red[1:])  # t3, overdue


def _table_after_caption(document: Any, word: str) -> list[list[str]]:
    """The table whose caption (the paragraph just before it) names ``word``."""
    body = document.element.body
    caption = ""
    from docx.table import Table as DocxTable

    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            caption = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")) or caption
        elif tag == "tbl" and word in caption:
            table = DocxTable(child, document)
            return [[cell.text.strip() for cell in row.cells] for row in table.rows]
    raise AssertionError(f"通报中没有“{word}”表格")


def test_silent_department_and_period_instruction_are_in_the_bulletin(june: Scenario, tmp_path: Path) -> None:
    result, document = _bulletin(june.cli, tmp_path / "通报.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    silent = _table_after_caption(document, "未按时报送")
    # 市场监管局's only led task was last updated on 5 May: nothing in June.
    assert [row[1] for row in silent[1:]] == ["市场监管局"]
    assert "2022-05-05" in " ".join(silent[1]) or "5月5日" in " ".join(silent[1])
    assert JUNE_INSTRUCTION in text
    assert MAY_INSTRUCTION not in text  # written before the period
    assert "下一步要求" in text and "【待补充" in text
    assert "未报送单位 1 个，领导批示 1 条" in result.stdout


def test_docx_reads_back_with_pictures_tables_and_official_styles(june: Scenario, tmp_path: Path) -> None:
    from tracker.report.charts import find_cjk_font

    if find_cjk_font() is None:
        pytest.skip("本机没有中文字体（安装 fonts-noto-cjk）：图表改为表格，见 test_no_cjk_font_gives_tables")
    _, document = _bulletin(june.cli, tmp_path / "通报.docx")
    assert len(document.inline_shapes) == 2  # the department chart and the burn-up
    for shape in document.inline_shapes:
        assert shape.width > 0 and shape.height > 0
    assert len(document.tables) >= 5  # 总体情况, 排名, 红色清单, 黄色清单, 未按时报送
    assert {"方正小标宋简体", "黑体", "仿宋_GB2312"} <= _official_fonts(document)
    title = next(p for p in document.paragraphs if "通报" in p.text and p.text.startswith("关于"))
    assert title.text == "关于2022年6月推进法治政府建设的主要安排落实情况的通报"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_chart_labels_are_set_in_a_cjk_font() -> None:
    from matplotlib import font_manager

    from tracker.domain.schedule import Light
    from tracker.report.charts import burn_up_chart, covers, department_chart, find_cjk_font, texts_of
    from tracker.services.bulletin import RankedDepartment
    from tracker.services.history import ProgressPoint
    from tracker.services.overview import GroupSummary

    font = find_cjk_font(text="市场监管局党政办公室")
    if font is None:
        pytest.skip("本机没有中文字体（安装 fonts-noto-cjk）")
    group = GroupSummary(key="市场监管局")
    group.total = 4
    group.by_status["done"] = 1
    group.lights = {Light.GREEN.value: 2, Light.YELLOW.value: 1, Light.RED.value: 1, Light.GREY.value: 0}
    ranking = [RankedDepartment(1, group)]
    series = [ProgressPoint(date(2022, m, 28), total=4, done=m // 3, average_percent=10.0 * m, expected_percent=8.3 * m)
              for m in range(1, 7)]
    for figure in (department_chart(ranking, font), burn_up_chart(series, font)):
        texts = texts_of(figure)
        assert any(any("\u4e00" <= c <= "\u9fff" for c in t.get_text()) for t in texts)
        for text in texts:
            used = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
            assert os.path.realpath(str(used)) == os.path.realpath(font.path), text.get_text()
            assert covers(used, text.get_text()), f"缺字：{text.get_text()}"


def test_no_cjk_font_gives_tables_and_names_the_package(
    june: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv("TRACKER_FONT_DIRS", str(empty))
    result, document = _bulletin(june.cli, tmp_path / "通报.docx")
    notes = [line for line in result.stderr.splitlines() if "字体" in line]
    assert len(notes) == 1 and "fonts-noto-cjk" in notes[0]
    assert len(document.inline_shapes) == 0
    captions = " ".join(p.text for p in document.paragraphs)
    assert "图1" in captions and "图2" in captions
    burn_up = _table(document, "月份")
    assert [row[0] for row in burn_up[1:]][:3] == ["2022年1月", "2022年2月", "2022年3月"]
    assert burn_up[-1][2] == "1"  # t1 done in March; nothing else done by 15 June


def test_markdown_bulletin_writes_its_charts_beside_it(june: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "通报.md"
    result = june.cli("bulletin", "--plan", "2022", "--quarter", "2022Q2", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("\n# ") + text.startswith("# ") == 1
    assert "第二季度" in text and JUNE_INSTRUCTION in text and MAY_INSTRUCTION in text  # both in Q2
    for line in result.stdout.splitlines():
        if line.startswith("图表："):
            picture = Path(line.removeprefix("图表：").strip())
            picture = picture if picture.is_absolute() else out.parent / picture.name
            assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert f"]({picture.name})" in text


def test_pdf_without_libreoffice_writes_docx(june: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-office"))
    result = june.cli("bulletin", "--plan", "2022", "--period", "2022-06", "--out", str(tmp_path / "通报.pdf"))
    assert result.exit_code == 0, result.stderr
    assert "LibreOffice" in result.stderr and "libreoffice-writer-nogui" in result.stderr
    assert (tmp_path / "通报.docx").exists() and not (tmp_path / "通报.pdf").exists()


@pytest.mark.slow
def test_pdf_through_libreoffice(june: Scenario, tmp_path: Path) -> None:
    import shutil

    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("本机没有 LibreOffice（soffice）")
    out = tmp_path / "通报.pdf"
    result = june.cli("bulletin", "--plan", "2022", "--period", "2022-06", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2022-13"), "2022-13"),
        (("--period", "2022-06", "--quarter", "2022Q2"), "只能指定一个"),
        (("--period", "2022-06", "--as-of", "2022-07-02"), "不在通报期"),
        (("--period", "2022-06", "--out", "x.txt"), ".docx"),
    ],
)
def test_bad_input_is_one_chinese_line(june: Scenario, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = june.cli("bulletin", "--plan", "2022", *args)
    assert result.exit_code != 0
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.docx"))


def test_summary_chart_draws_blocks_names_lights_and_matches_json(june: Scenario) -> None:
    chart = june.cli("summary", "--plan", "2022", "--chart").stdout
    data = june.cli("summary", "--plan", "2022", "--by", "department", "--json").json()
    assert "█" in chart and "图例" in chart
    for name in ("绿", "黄", "红", "灰"):
        assert name in chart
    for g in (g for g in data["groups"] if g["total"]):
        [line] = [line for line in chart.splitlines() if line.startswith(g["key"])]
        assert f"{g['total']}项" in line and f"{g['done_rate']:.1f}%" in line
        for light, word in (("green", "绿"), ("yellow", "黄"), ("red", "红"), ("grey", "灰")):
            assert f"{word}{g['lights'][light]}" in line


def test_summary_as_of_counts_only_records_speaking_for_that_day_or_before(june: Scenario) -> None:
    """On 31 May the June records (t2 40%, t4 80%, t9 36%) had not been made: those tasks had not started."""
    data = june.cli("summary", "--plan", "2022", "--as-of", "2022-05-31", "--json").json()
    total = data["total"]
    assert data["records_as_of"] is True
    assert total["by_status"] == {"not_started": 4, "in_progress": 3, "done": 1, "suspended": 1}
    assert total["average_percent"] == pytest.approx(200 / 9, abs=0.05)  # t1 100 + t3 50 + t6 30 + t7 20
    assert total["overdue"] == 0  # t3 is due on 31 May itself: overdue only from 1 June
    june_1 = june.cli("summary", "--plan", "2022", "--as-of", "2022-06-01", "--json").json()["total"]
    assert june_1["overdue"] == 1 and june_1["by_status"]["in_progress"] == 4  # t2 recorded on 1 June


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
