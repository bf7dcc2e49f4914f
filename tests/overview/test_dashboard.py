"""The dashboard screen: figures, burn-up and red list on the sample plan; drill into a task; snapshot.

Pilot tests run under asyncio.run: no async pytest plugin is needed.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Sparkline, Static

from tests.conftest import Cli
from tests.overview.conftest import Scenario
from tracker.services.workspace import Workspace
from tracker.tui.screens.dashboard import DashboardScreen, TaskBrief

# Mid-year: every task of the sample (deadline 2022-12-31, nothing recorded) is 50 points behind: all red.
ALL_RED_DAY = date(2022, 7, 1)


class Host(App[None]):
    """A bare app holding a Workspace, as the dashboard finds it in any app: ``app.workspace``."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())


async def _settle(pilot: Pilot[Any]) -> None:
    """Workers done, their messages handled, bars and footer laid out: the screen as a person sees it.

    On a busy machine a worker's message can still be in flight after the worker ends, so this waits
    for the screen to have shown its data (or its error) before the last layout pass.
    """
    await pilot.pause()
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if not isinstance(screen, DashboardScreen) or screen.data is not None or screen.failed:
            break
        await pilot.pause(0.05)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)


def _host(scenario: Scenario) -> Host:
    return Host(Workspace(scenario.db_url, today=scenario.today))


def screen_lines(app: App[Any]) -> list[str]:
    """The terminal as a person sees it: every line of the screen on top, as plain text."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def line_with(lines: list[str], *words: str) -> str:
    found = [line for line in lines if all(w in line for w in words)]
    assert found, f"no line holds {words}:\n" + "\n".join(lines)
    return found[0]


def test_dashboard_shows_figures_burn_up_and_red_list(scenario: Scenario) -> None:
    asyncio.run(_figures_burn_up_and_red_list(scenario))


async def _figures_burn_up_and_red_list(scenario: Scenario) -> None:
    t3, t5 = scenario.ids[2], scenario.ids[4]
    app = _host(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        title = str(screen.query_one("#dash-figures", Static).render())
        assert "共 9 项任务　已完成 1 项（11.1%）　平均进度 39.6%" in title
        groups = screen.query_one("#dash-groups", DataTable)
        assert groups.row_count == 7  # six items and the total
        assert str(groups.get_row_at(6)[0]) == "合计"
        spark = screen.query_one("#dash-sparkline", Sparkline)
        data = list(spark.data or [])
        assert data[0] == 0 and data[-1] == 1 and data == sorted(data)  # t1 done on 10 March
        red = screen.query_one("#dash-red", DataTable)
        # Only red tasks: t3 overdue, t5 45 points behind; the yellow t4, t6 and t7 are not on it.
        assert [red.get_row_at(i)[0] for i in range(red.row_count)] == [str(t) for t in (t3, t5)]
        assert "逾期 15 天" in str(red.get_row_at(0)[-1])
        silent = str(screen.query_one("#dash-silent", Static).render())
        assert "未报送进展（1个部门）：市场监管局（2022-05-05）" in silent

        await pilot.press("g")
        await _settle(pilot)
        names = [str(groups.get_row_at(i)[0]) for i in range(groups.row_count)]
        assert names == ["党政办公室", "司法局", "市场监管局", "合计"]

        red.focus()
        await pilot.press("down", "enter")
        await _settle(pilot)
        assert isinstance(app.screen, TaskBrief)  # the bare app has no task screen of its own
        brief = str(app.screen.query_one("#dash-brief-text", Static).render())
        assert "加强依法行政宣传培训力度" in brief and "进展记录：暂无" in brief
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


def test_tracker_app_opens_dashboard_with_d_and_red_list_into_its_task_screen(scenario: Scenario) -> None:
    asyncio.run(_in_tracker_app(scenario))


async def _in_tracker_app(scenario: Scenario) -> None:
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.detail import DetailScreen

    t3 = scenario.ids[2]
    app = TrackerApp(Workspace(scenario.db_url, today=scenario.today), dept="司法局", poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("d")
        await _settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.data is not None and app.screen.data.summary.total.total == 9
        await pilot.press("enter")  # the first row of the red list: t3, overdue
        await _settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert not any(isinstance(s, TaskBrief) for s in app.screen_stack)
        assert app.screen.task_id == t3


def test_dashboard_without_plans_says_what_to_do(db_url: str) -> None:
    asyncio.run(_without_plans(db_url))


async def _without_plans(db_url: str) -> None:
    app = Host(Workspace(db_url))
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        text = str(app.screen.query_one("#dash-figures", Static).render())
        assert "还没有计划" in text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard_snapshot(scenario: Scenario, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(_host(scenario), terminal_size=size, run_before=_settle)


def test_dashboard_at_80x24_shows_every_column_and_the_not_reported_line(scenario: Scenario) -> None:
    asyncio.run(_at_80x24(scenario))


async def _at_80x24(scenario: Scenario) -> None:
    app = _host(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        lines = screen_lines(app)
        assert all(cell_len(line) <= 80 for line in lines)
        # Every column of the table per item, and the total row in full.
        line_with(lines, "事项", "任务", "完成率", "平均", "逾期", "15天内", "黄", "红", "最近更新")
        total = line_with(lines, "合计").split()
        assert total == ["合计", "9", "11%", "40%", "1", "1", "3", "2", "06-12"]
        # The red list with its state, deadline and why, on one line per task.
        line_with(lines, "编号", "任务", "牵头单位", "状态", "时限", "情况")
        line_with(lines, "（二）", "司法局", "推进中 50%", "2022-05-31", "逾期 15 天")
        line_with(lines, "（四）", "未开始 0%", "2022-12-31", "落后45个百分点")
        # The not-reported line, and the footer's keys in full.
        line_with(lines, "本月（6月1日起）未报送进展", "市场监管局（2022-05-05）")
        assert "切换分组" in lines[-1] and "批示" in lines[-1] and "返回" in lines[-1]
        # The figures at the top, as numbers.
        line_with(lines, "共 9 项任务", "已完成 1 项（11.1%）", "平均进度 39.6%")
        line_with(lines, "逾期 1", "15天内到期 1", "黄灯 3", "红灯 2")


def test_red_list_at_80x24_scrolls_with_its_cursor_and_opens_the_task_under_it(sample_cli: Cli) -> None:
    asyncio.run(_red_list_scrolls(sample_cli.db_url))


async def _red_list_scrolls(db_url: str) -> None:
    app = Host(Workspace(db_url, today=ALL_RED_DAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.data is not None
        red = screen.query_one("#dash-red", DataTable)
        assert red.row_count == 9  # all nine sample tasks are red
        assert red.has_focus
        for _ in range(8):
            await pilot.press("down")
        await _settle(pilot)
        last = screen.data.red[-1]
        # The highlighted row is on screen: the list scrolled with the cursor.
        lines = screen_lines(app)
        row_line = line_with(lines, f"{last.code} ")
        assert row_line.split()[0] == str(last.id)
        assert red.cursor_row == 8 and red.scroll_offset.y > 0
        assert red.region.bottom <= screen.query_one("#dash-silent").region.y  # the red list ends above it
        line_with(lines, "未报送进展")
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, TaskBrief)
        assert app.screen.detail.row.id == last.id


def test_not_reported_line_is_cut_to_fit_and_says_how_many() -> None:
    from tracker.services.overview import GroupSummary, SilentDepartment, Summary
    from tracker.tui.screens.dashboard import silent_text

    silent = [SilentDepartment(i, f"第{i}个部门", 1, None) for i in range(1, 31)]
    summary = Summary(1, 2022, "计划", date(2022, 6, 15), "item", [], GroupSummary(key="合计"), silent)
    text = silent_text(summary, 2 * 78)  # two lines of an 80-column screen
    assert cell_len(text) <= 2 * 78
    assert text.startswith("本月（6月1日起）未报送进展（30个部门）：第1个部门（从未报送）、")
    assert text.endswith("等") and " " not in text
    assert silent_text(summary, 10_000).endswith("第30个部门（从未报送）")


def test_dashboard_footer_at_80x24_shows_every_key_in_full(scenario: Scenario) -> None:
    asyncio.run(_footer_at_80x24(scenario))


async def _footer_at_80x24(scenario: Scenario) -> None:
    from tracker.tui.app import TrackerApp

    app = TrackerApp(Workspace(scenario.db_url, today=scenario.today), dept="司法局", poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("d")
        await _settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        footer = screen_lines(app)[-1]
        for key in ("esc 返回", "i 批示", "g 切换分组", "r 刷新", "? 帮助", "q 退出"):
            assert key in footer, footer
        assert "总览" not in footer  # d on the dashboard goes back instead of opening another
        await pilot.press("d")
        await _settle(pilot)
        assert not isinstance(app.screen, DashboardScreen)
