"""The dashboard screen: figures, burn-up and red list on the sample plan; drill into a task; snapshot.

Pilot tests run under asyncio.run: no async pytest plugin is needed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Sparkline, Static

from tests.overview.conftest import Scenario
from tracker.services.workspace import Workspace
from tracker.tui.screens.dashboard import DashboardScreen, TaskBrief


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


def test_dashboard_shows_figures_burn_up_and_red_list(scenario: Scenario) -> None:
    asyncio.run(_figures_burn_up_and_red_list(scenario))


async def _figures_burn_up_and_red_list(scenario: Scenario) -> None:
    t3, t5 = scenario.ids[2], scenario.ids[4]
    app = _host(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        title = str(screen.query_one("#dash-title", Static).render())
        assert "共 9 项任务，已完成 1 项（完成率 11.1%），平均进度 39.6%" in title
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
        assert "未报送进展：市场监管局（2022-05-05）" in silent

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
        text = str(app.screen.query_one("#dash-title", Static).render())
        assert "还没有计划" in text


def test_dashboard_snapshot(scenario: Scenario, snap_compare: Any) -> None:
    assert snap_compare(_host(scenario), terminal_size=(120, 40), run_before=_settle)
