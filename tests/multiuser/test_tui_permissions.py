"""The permission rules through the TUI (Pilot): a refusal is shown on the form, typed text is kept and
nothing is written; the allowed user saves the same thing."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Select, Static, TextArea

from tests.multiuser.conftest import ADMIN, LEAD_STAFF, LEADER, OUTSIDER, SUPPORT_STAFF, TODAY, Office
from tests.tui.conftest import async_test, settle
from tests.tui.test_workbench import open_task
from tracker.services import tasks
from tracker.tui.app import make_app
from tracker.tui.screens.assign import AssignScreen
from tracker.tui.screens.detail import DetailScreen
from tracker.tui.screens.progress import ProgressScreen

LEAD_TITLE = "健全行政复议"


def history(office: Office) -> list[str]:
    detail = office.ws(ADMIN).run(lambda s, _a: tasks.get_task_detail(s, task_id=office.lead_task, today=TODAY))
    return [u.update.note for u in detail.updates]


async def fill_and_save(pilot: Any, *, status: str | None, note: str) -> ProgressScreen:
    await pilot.press("u")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ProgressScreen)
    if status:
        form.query_one("#status", Select).value = status
    form.query_one("#note", TextArea).insert(note)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return form


def form_error(form: ProgressScreen) -> str:
    return " ".join(str(w.render()) for w in form.query(".error").results(Static) if w.display)


# (user, status to set, allowed?, refusal words)
CASES = [
    (SUPPORT_STAFF, "done", False, "只有牵头单位"),
    (SUPPORT_STAFF, None, True, ""),
    (LEAD_STAFF, "done", True, ""),
    (LEADER, None, False, "领导账号只能查阅和批示"),
    (OUTSIDER, None, False, "不由您所在的部门"),
]


@pytest.mark.parametrize(("login", "status", "allowed", "words"), CASES)
@async_test
async def test_tui_obeys_the_rules(office: Office, login: str, status: str | None, allowed: bool, words: str) -> None:
    app = make_app(office.url, today=TODAY, login=login, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        if login == LEADER:
            await pilot.press("escape")  # a leader lands on the dashboard; the task list is behind it
            await settle(pilot)
        if login == OUTSIDER:
            await pilot.press("m")  # scope: all departments, so the other department's task can be opened
            await settle(pilot)
            await pilot.press("home")  # the cursor stayed on their own task, further down
        await open_task(pilot, LEAD_TITLE)
        note = f"{login} 填写的进展"
        form = await fill_and_save(pilot, status=status, note=note)
        if allowed:
            assert isinstance(app.screen, DetailScreen), form_error(form)
            assert history(office)[0] == note
        else:
            assert app.screen is form
            assert words in form_error(form)
            assert form.query_one("#note", TextArea).text == note  # typed text kept
            assert history(office) == []


@async_test
async def test_assigning_is_offered_to_admins_only(office: Office) -> None:
    for login, opens in ((LEAD_STAFF, False), (ADMIN, True)):
        app = make_app(office.url, today=TODAY, login=login, dept="区司法局", poll=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await open_task(pilot, LEAD_TITLE)
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, AssignScreen) is opens
