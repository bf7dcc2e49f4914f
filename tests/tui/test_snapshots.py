"""Snapshots of the main screens at 80×24 (the smallest terminal staff use) and 120×40.

Update after an intended change of layout with ``pytest tests/tui --snapshot-update`` and look at the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import DEPT, TODAY, no_blink, settle
from tracker.services.tasks import list_tasks, record_progress
from tracker.services.workspace import Workspace
from tracker.tui.app import make_app
from tracker.tui.widgets.task_tree import TaskNode, TaskTree

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def history_db(sample_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sample plan with progress recorded at fixed times, so the screens never change between runs."""
    import tracker.services.audit

    # The audit trail stamps real time; the detail screen shows it, so the clock is fixed here.
    monkeypatch.setattr(tracker.services.audit, "now", lambda: datetime(2022, 6, 15, 2, 5, tzinfo=UTC))
    ws = Workspace(sample_db, today=TODAY, login="sfj")
    rows = ws.run(lambda s, _a: list_tasks(s, today=TODAY))
    fuyi = next(r for r in rows if "行政复议" in r.title)
    first = rows[0]
    ws.run(
        lambda s, a: record_progress(
            s,
            actor=a,
            task_id=fuyi.id,
            today=TODAY,
            percent=30,
            note="梳理行政复议应诉案件，建立交办单制度",
            problems="专业人员不足",
            next_steps="组织负责人旁听庭审",
            figures={"出庭应诉率": 90},
            at=datetime(2022, 4, 20, 1, 30, tzinfo=UTC),
        )
    )
    ws.run(
        lambda s, a: record_progress(
            s,
            actor=a,
            task_id=fuyi.id,
            today=TODAY,
            percent=55,
            note="负责人出庭应诉 12 次",
            evidence="高新法〔2022〕3号",
            figures={"出庭应诉率": 100},
            at=datetime(2022, 6, 15, 2, 0, tzinfo=UTC),
        )
    )
    ws.run(
        lambda s, a: record_progress(
            s,
            actor=a,
            task_id=first.id,
            today=TODAY,
            status="done",
            note="纲要已印发",
            at=datetime(2022, 5, 30, 8, 0, tzinfo=UTC),
        )
    )
    return sample_db


async def _to_task(pilot: Pilot[None], title_part: str) -> None:
    tree = pilot.app.screen.query_one(TaskTree)
    for _ in range(40):
        node = tree.cursor_node
        if node is not None and isinstance(node.data, TaskNode) and title_part in node.data.row.title:
            return
        await pilot.press("down")
    raise AssertionError(title_part)


def _steps(*keys: str, task: str | None = None) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        if task:
            await _to_task(pilot, task)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        no_blink(pilot.app)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_my_tasks(snap_compare, history_db: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(history_db, dept=DEPT, today=TODAY, poll=False)
    assert snap_compare(app, terminal_size=size, run_before=_steps())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_task_detail(snap_compare, history_db: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(history_db, dept=DEPT, today=TODAY, poll=False)
    assert snap_compare(app, terminal_size=size, run_before=_steps("enter", task="行政复议"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_progress_form(snap_compare, history_db: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(history_db, dept=DEPT, today=TODAY, poll=False)
    assert snap_compare(app, terminal_size=size, run_before=_steps("u", task="行政复议"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, history_db: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(history_db, dept=DEPT, today=TODAY, poll=False)
    assert snap_compare(app, terminal_size=size, run_before=_steps("question_mark"))


def test_all_tasks_search_and_picker(snap_compare, history_db: str) -> None:  # type: ignore[no-untyped-def]
    """The department picker at start (single-user mode), then all tasks filtered by a search."""
    app = make_app(history_db, today=TODAY, poll=False)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("escape", "slash", *"执法")
        await settle(pilot)
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_light_theme(snap_compare, history_db: str) -> None:  # type: ignore[no-untyped-def]
    """Lights and errors use theme colours, so a light terminal theme stays readable."""
    app = make_app(history_db, dept=DEPT, today=TODAY, poll=False)

    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)
        no_blink(pilot.app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_assign(snap_compare, history_db: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(history_db, dept=DEPT, today=TODAY, poll=False)
    assert snap_compare(app, terminal_size=size, run_before=_steps("enter", "a", task="行政复议"))
