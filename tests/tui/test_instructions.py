"""领导批示 (``i``) from the task detail and from the dashboard's red list, and the names people know.

An office on the real sample plan: tester (admin, 张管理), lingdao (leader, 王局长), sfj (staff of 司法局,
李明). sfj has reported on the 行政复议 task and 王局长 has written one 批示 on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TextArea

from tests.tui.conftest import DEPT, TODAY, async_test, no_blink, settle
from tests.tui.test_snapshots import SIZES
from tracker.services import users
from tracker.services.tasks import (
    TaskDetail,
    add_instruction,
    get_task_detail,
    list_tasks,
    record_progress,
)
from tracker.services.workspace import Workspace
from tracker.tui.app import make_app
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.detail import DetailScreen
from tracker.tui.screens.instruct import DENIED, InstructScreen

PEOPLE = [
    ("tester", "admin", [], "张管理"),
    ("lingdao", "leader", [], "王局长"),
    ("sfj", "staff", ["司法局"], "李明"),
]


@dataclass
class Office:
    url: str
    fuyi: int  # the 行政复议 task: 李明's report and 王局长's 批示 on it

    def detail(self, task_id: int) -> TaskDetail:
        ws = Workspace(self.url, today=TODAY, login="tester")
        try:
            return ws.run(lambda s, _a: get_task_detail(s, task_id=task_id, today=TODAY))
        finally:
            ws.dispose()


@pytest.fixture
def office(sample_db: str, monkeypatch: pytest.MonkeyPatch) -> Office:
    import tracker.services.audit

    # The audit trail stamps real time and the detail shows it: fixed here so the screens never change.
    monkeypatch.setattr(tracker.services.audit, "now", lambda: datetime(2022, 6, 15, 2, 5, tzinfo=UTC))
    admin = Workspace(sample_db, today=TODAY, login="tester")
    for login, role, depts, name in PEOPLE:
        admin.run(
            lambda s, a, who=login, r=role, d=depts, n=name: users.add_user(
                s, actor=a, login=who, role=r, departments=d, display_name=n
            )
        )
        admin.forget_actor()
    fuyi = next(r for r in admin.run(lambda s, _a: list_tasks(s, today=TODAY)) if "行政复议" in r.title).id
    admin.dispose()
    staff = Workspace(sample_db, today=TODAY, login="sfj")
    staff.run(
        lambda s, a: record_progress(
            s,
            actor=a,
            task_id=fuyi,
            today=TODAY,
            percent=30,
            note="梳理行政复议应诉案件，建立交办单制度",
            at=datetime(2022, 6, 10, 1, 30, tzinfo=UTC),
        )
    )
    staff.dispose()
    leader = Workspace(sample_db, today=TODAY, login="lingdao")
    leader.run(
        lambda s, a: add_instruction(
            s,
            actor=a,
            task_id=fuyi,
            text="请司法局月底前报送应诉情况",
            at=datetime(2022, 6, 12, 2, 0, tzinfo=UTC),
        )
    )
    leader.dispose()
    return Office(sample_db, fuyi)


def notes(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def write_instruction(pilot: Pilot[None], text: str) -> None:
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, InstructScreen)
    screen.query_one("#instruct-text", TextArea).insert(text)
    await pilot.press("ctrl+s")
    await settle(pilot)


@async_test
async def test_leader_writes_instruction_on_the_detail_and_sees_it_there(office: Office) -> None:
    app = make_app(office.url, today=TODAY, login="lingdao", poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_task(office.fuyi)
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.active_bindings["i"].enabled
        await write_instruction(pilot, "请于7月15日前完成")
        assert isinstance(app.screen, DetailScreen)
        shown = str(app.screen.query_one("#detail-instructions", Static).render())
        assert "王局长：请于7月15日前完成" in shown
        assert "王局长：请司法局月底前报送应诉情况" in shown  # the earlier one stays, below
        assert shown.index("7月15日") < shown.index("月底前")
        assert "批示已保存" in notes(pilot)
    stored = office.detail(office.fuyi).instructions
    assert [(i.author, i.text) for i in stored] == [
        ("lingdao", "请于7月15日前完成"),
        ("lingdao", "请司法局月底前报送应诉情况"),
    ]


@async_test
async def test_leader_writes_instruction_from_the_red_list(office: Office) -> None:
    app = make_app(office.url, today=TODAY, login="lingdao", poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)  # a leader lands on the dashboard
        assert screen.data is not None and screen.data.can_instruct
        red = screen.query_one("#dash-red", DataTable)
        await pilot.press("down")
        await settle(pilot)
        chosen = screen.red_task_id
        assert chosen == screen.data.red[1].id
        await write_instruction(pilot, "抓紧推进，月底前见成效")
        assert app.screen is screen and red.cursor_row == 1  # back on the list, on the same task
        assert f"已保存对 #{chosen} 的批示" in notes(pilot)
    assert chosen is not None
    assert [(i.author, i.text) for i in office.detail(chosen).instructions] == [
        ("lingdao", "抓紧推进，月底前见成效")
    ]


@async_test
async def test_empty_instruction_is_refused_and_nothing_is_stored(office: Office) -> None:
    app = make_app(office.url, today=TODAY, login="lingdao", poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_task(office.fuyi)
        await settle(pilot)
        await write_instruction(pilot, "   ")
        assert isinstance(app.screen, InstructScreen)
        assert "批示内容不能为空" in str(app.screen.query_one("#instruct-error", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
    assert len(office.detail(office.fuyi).instructions) == 1


@async_test
async def test_staff_see_the_instruction_key_disabled_and_are_told_why(office: Office) -> None:
    app = make_app(office.url, today=TODAY, login="sfj", poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_task(office.fuyi)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        key = detail.active_bindings["i"]
        assert key.binding.description == "批示" and not key.enabled  # in the footer, dimmed
        assert "仅领导和管理员" in (key.tooltip or "")
        await pilot.press("i")
        await settle(pilot)
        assert app.screen is detail  # no form opened
        assert DENIED in notes(pilot)

        await pilot.press("d")
        await settle(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert not dashboard.active_bindings["i"].enabled
        await pilot.press("i")
        await settle(pilot)
        assert app.screen is dashboard
        assert notes(pilot).count(DENIED) == 2
    assert len(office.detail(office.fuyi).instructions) == 1


@async_test
async def test_detail_names_people_by_their_display_names(office: Office) -> None:
    app = make_app(office.url, today=TODAY, login="tester", dept=DEPT, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_task(office.fuyi)
        await settle(pilot)
        screen = app.screen
        history = str(screen.query_one("#detail-history", Static).render())
        assert "李明　推进中 30%" in history and "sfj" not in history
        audit = str(screen.query_one("#detail-audit", Static).render())
        assert "李明 记录进展" in audit and "王局长 领导批示" in audit and "sfj" not in audit
        instructions = str(screen.query_one("#detail-instructions", Static).render())
        assert "2022-06-12　王局长：请司法局月底前报送应诉情况" in instructions


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail_with_instruction_snapshot(snap_compare, office: Office, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(office.url, dept=DEPT, today=TODAY, login="lingdao", poll=False)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.open_task(office.fuyi)  # type: ignore[attr-defined]
        await settle(pilot)
        no_blink(pilot.app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_instruction_form_snapshot(snap_compare, office: Office, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(office.url, dept=DEPT, today=TODAY, login="lingdao", poll=False)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.open_task(office.fuyi)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        pilot.app.screen.query_one("#instruct-text", TextArea).insert("请于7月15日前完成")
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
