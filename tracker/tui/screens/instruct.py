"""领导批示: a leader (or an admin on a leader's behalf) writes an instruction on one task.

Opened with ``i`` from the task detail and from the dashboard's red list. Saved through the instruction
service in a thread worker; the screen closes with True once it is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tracker.errors import TrackerError
from tracker.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from tracker.services.workspace import Workspace

DENIED = "只有领导或管理员可以作出批示"


class InstructScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存批示", tooltip="保存并回到上一屏"),
        Binding("escape", "cancel", "取消", tooltip="不保存，回到上一屏"),
    ]

    class Saved(Message):
        pass

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, workspace: Workspace, *, task_id: int, heading: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.task_id = task_id
        self.heading = heading
        self.saving = False

    @property
    def dirty(self) -> bool:
        """Typed text not yet saved (the app asks before quitting)."""
        return bool(self.query_one("#instruct-text", TextArea).text.strip())

    def compose(self) -> ComposeResult:
        with Vertical(id="instruct-box"):
            yield Static(f"[b]领导批示[/b]　{escape(self.heading)}", id="instruct-heading")
            yield TextArea(id="instruct-text", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="instruct-error", classes="error")
            yield Static("Ctrl+S 保存　Esc 取消", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#instruct-text", TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one("#instruct-text", TextArea).text
        if not text.strip():
            self.query_one("#instruct-error", Static).update("批示内容不能为空")
            return
        if not self.saving:
            self.saving = True
            self.save(text)

    @work(thread=True, exclusive=True, group="instruct-save")
    def save(self, text: str) -> None:
        from tracker.services.tasks import add_instruction

        try:
            self.workspace.run(lambda s, a: add_instruction(s, actor=a, task_id=self.task_id, text=text))
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.Saved())

    @on(Saved)
    def _saved(self) -> None:
        self.dismiss(True)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.saving = False
        self.query_one("#instruct-error", Static).update(escape(message.message))

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(False)
            return
        from tracker.tui.screens.confirm import ConfirmScreen

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(False)

        self.app.push_screen(ConfirmScreen("批示尚未保存，确定放弃吗？", yes="放弃", no="继续填写"), answered)
