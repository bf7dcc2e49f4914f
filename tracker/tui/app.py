"""The staff workbench app: who is using it, which screen is open, and noticing others' changes.

All database work goes through ``Workspace`` in thread workers that post Messages back, so the screen never
freezes on a query; the TUI itself holds no SQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from tracker.errors import TrackerError
from tracker.services.auth import Actor
from tracker.services.catalog import DepartmentRow, list_departments
from tracker.services.views import ChangeMarker, change_marker
from tracker.services.workspace import Workspace

if TYPE_CHECKING:  # the detail and its services (SQLAlchemy) load when a task is opened, not at start
    from tracker.services.tasks import TaskDetail


class TrackerApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "法治任务台账"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "帮助", key_display="?", tooltip="列出全部按键和序时进度规则"),
        Binding("d", "dashboard", "总览", tooltip="各部门、各事项的进度一览（领导用）"),
        Binding("q", "quit", "退出", tooltip="退出程序（有未保存的内容时先询问）"),
    ]
    POLL_SECONDS = 5.0

    class Identified(Message):
        def __init__(self, actor: Actor, departments: list[DepartmentRow]) -> None:
            super().__init__()
            self.actor = actor
            self.departments = departments

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class Changed(Message):
        def __init__(self, marker: ChangeMarker) -> None:
            super().__init__()
            self.marker = marker

    class DepartmentsLoaded(Message):
        def __init__(self, departments: list[DepartmentRow]) -> None:
            super().__init__()
            self.departments = departments

    def __init__(self, workspace: Workspace, *, dept: str | None = None, poll: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.dept_name = dept
        self.actor: Actor | None = None
        self.department_ids: frozenset[int] = frozenset()
        self.department_label = ""
        self.marker: ChangeMarker | None = None
        self.poll_enabled = poll
        self.started_at = time.perf_counter()
        self.first_screen_seconds: float | None = None
        self.first_screen_at: float | None = None

    # -- start-up: who is this? ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("正在打开数据库…", id="startup")

    def on_mount(self) -> None:
        self.identify()
        if self.poll_enabled:
            self.set_interval(self.POLL_SECONDS, self.request_poll)

    @work(thread=True, exclusive=True, group="identify")
    def identify(self) -> None:
        ws = self.workspace
        try:
            # The lean read path (no SQLAlchemy) until the first screen is up; see Workspace.read.
            actor, departments = ws.read(lambda r, me: (me, list_departments(r)))
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.Identified(actor, departments))

    @on(Identified)
    def _identified(self, message: Identified) -> None:
        from tracker.tui.screens.main import MainScreen

        self.actor = actor = message.actor
        departments = message.departments
        if self.dept_name:
            wanted = self.dept_name.strip()
            found = next((d for d in departments if wanted == d.name or wanted in d.aliases), None)
            if found is None:
                self.notify(f"未知的部门“{wanted}”，显示全部任务", severity="error")
            else:
                self.set_departments([found])
        elif actor.department_ids:
            self.set_departments([d for d in departments if d.id in actor.department_ids])
        self.push_screen(MainScreen())
        if actor.role == "leader":
            self.action_dashboard()  # leaders read summaries: they land on the overview, Esc shows the tasks
        elif not self.department_ids and not self.dept_name and actor.is_admin and departments:
            self.pick_department(departments)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#startup", Static).update(f"错误：{message.message}\n\n按 q 退出")
        self.notify(message.message, title="错误", severity="error", timeout=10)

    def set_departments(self, departments: list[DepartmentRow]) -> None:
        self.department_ids = frozenset(d.id for d in departments)
        self.department_label = "、".join(d.name for d in departments)

    @property
    def actor_is_admin(self) -> bool:
        return self.actor is not None and self.actor.is_admin

    def first_screen_shown(self) -> None:
        """The first task list is built: note when it is on screen (after the next paint), for the benchmark."""

        def painted() -> None:
            if self.first_screen_seconds is None:
                self.first_screen_seconds = time.perf_counter() - self.started_at
                self.first_screen_at = time.perf_counter()

        self.call_after_refresh(painted)

    # -- choosing a department -------------------------------------------------------------------------------------
    def pick_department(self, departments: list[DepartmentRow] | None = None) -> None:
        if departments is None:
            self.load_departments()
            return
        from tracker.tui.screens.department import DepartmentScreen

        by_id = {d.id: d for d in departments}

        def chosen(dept_id: int | None) -> None:
            self.set_departments([by_id[dept_id]] if dept_id in by_id else [])
            self._tell_screens("department_changed")

        self.push_screen(DepartmentScreen(departments), chosen)

    @work(thread=True, exclusive=True, group="departments")
    def load_departments(self) -> None:
        try:
            departments = self.workspace.read(lambda r, _a: list_departments(r))
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.DepartmentsLoaded(departments))

    @on(DepartmentsLoaded)
    def _departments_loaded(self, message: DepartmentsLoaded) -> None:
        self.pick_department(message.departments)

    # -- others' changes -------------------------------------------------------------------------------------------
    def request_poll(self) -> None:
        if self.actor is not None:
            self.poll()

    @work(thread=True, exclusive=True, group="poll")
    def poll(self) -> None:
        try:
            marker = self.workspace.read(lambda r, _a: change_marker(r))
        except TrackerError:
            return  # a busy database at poll time is not worth a message; the next poll will see it
        if marker != self.marker:
            self.post_message(self.Changed(marker))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.marker = message.marker
        self._tell_screens("refresh_data")

    def _tell_screens(self, method: str) -> None:
        for screen in self.screen_stack:
            handler: Callable[[], None] | None = getattr(screen, method, None)
            if handler is not None:
                handler()

    # -- navigation ------------------------------------------------------------------------------------------------
    def open_task(self, task_id: int) -> None:
        from tracker.tui.screens.detail import DetailScreen

        self.push_screen(DetailScreen(task_id))

    def open_progress_form(self, detail: TaskDetail, *, on_saved: Callable[[], object] | None = None) -> None:
        from tracker.tui.screens.progress import ProgressScreen

        def closed(saved: bool | None) -> None:
            if saved and on_saved is not None:
                on_saved()

        self.push_screen(ProgressScreen(detail), closed)

    def open_assign(self, detail: TaskDetail, *, on_saved: Callable[[], object] | None = None) -> None:
        from tracker.tui.screens.assign import AssignScreen

        def closed(saved: bool | None) -> None:
            if saved and on_saved is not None:
                on_saved()

        self.push_screen(AssignScreen(detail), closed)

    def action_help(self) -> None:
        from tracker.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_dashboard(self) -> None:
        from tracker.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen(self.workspace))

    def on_dashboard_screen_task_chosen(self, message: Message) -> None:
        """A task picked on the leader's dashboard opens in the task detail."""
        task_id = getattr(message, "task_id", None)
        if isinstance(task_id, int):
            self.open_task(task_id)

    async def action_quit(self) -> None:
        from tracker.tui.screens.confirm import ConfirmScreen

        if any(getattr(screen, "dirty", False) for screen in self.screen_stack):

            def answered(leave: bool | None) -> None:
                if leave:
                    self.exit()

            self.push_screen(ConfirmScreen("有填写的内容尚未保存，确定退出吗？", yes="退出", no="继续填写"), answered)
            return
        self.exit()


def make_app(
    db_url: str,
    *,
    dept: str | None = None,
    today: date | None = None,
    login: str | None = None,
    as_user: str | None = None,
    workspace: Workspace | None = None,
    poll: bool = True,
) -> TrackerApp:
    """The app on ``db_url``; tests inject ``today`` and ``login``, the CLI passes its Workspace."""
    ws = workspace or Workspace(db_url, login=login, as_user=as_user, today=today)
    return TrackerApp(ws, dept=dept, poll=poll)
