"""What the two forms (记录进展, 分配) share: an error slot per field, a dirty check against what was
loaded, and closing that asks before it throws typed text away."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape
from textual import on
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Select, Static

from tracker.errors import TrackerError, ValidationError
from tracker.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp


class FormScreen(Screen[bool]):
    """Dismisses True when something was saved, False when closed without saving."""

    DISCARD_QUESTION: ClassVar[tuple[str, str, str]] = ("修改尚未保存，确定放弃吗？", "放弃", "继续修改")

    class Rejected(Message):
        """The service refused the values: ``field`` names the slot to show the message in."""

        def __init__(self, field: str | None, message: str) -> None:
            super().__init__()
            self.field = field
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.initial: Any = None  # the values as loaded: what "unsaved" is measured against

    @property
    def tracker_app(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def reject(self, err: TrackerError, *, default_field: str | None = None) -> None:
        """Show a refusal from the services beside the field it names (posted: called from workers)."""
        field = err.field if isinstance(err, ValidationError) else default_field
        self.post_message(self.Rejected(field, err.message))

    def values(self) -> Any:
        raise NotImplementedError

    @property
    def dirty(self) -> bool:
        return self.initial is not None and self.values() != self.initial

    def show_error(self, slot: str, message: str | None) -> None:
        widget = self.query_one(f"#err-{slot}", Static)
        widget.update(escape(message or ""))
        widget.display = bool(message)

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        if isinstance(self.focused, Select) and self.focused.expanded:
            self.focused.expanded = False
            return
        if not self.dirty:
            self.dismiss(False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        question, yes, no = self.DISCARD_QUESTION
        self.app.push_screen(ConfirmScreen(question, yes=yes, no=no), answered)
