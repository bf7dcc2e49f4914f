"""记录进展: the form staff fill in. It never loses typed text: a validation error or a conflict with
someone else's save is shown beside the field, and closing with unsaved text asks first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, Select, Static, TextArea

from tracker.domain.status import STATUS_LABELS
from tracker.errors import ConflictError, TrackerError, ValidationError
from tracker.services.tasks import TaskDetail, record_progress
from tracker.services.workspace import parse_date
from tracker.tui.screens.form import FormScreen
from tracker.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    pass

TEXT_FIELDS = ("note", "problems", "next_steps")
# Where the service's ValidationError.field is shown; anything else goes to the top of the form.
ERROR_SLOTS = {"percent", "note", "reason", "figures", "status", "new_deadline", "evidence"}


def check_percent(text: str) -> str | None:
    value = text.strip().rstrip("%")
    if not value:
        return None
    if not value.isdigit() or not 0 <= int(value) <= 100:
        return f"完成进度应为 0–100 之间的整数，收到“{text.strip()}”"
    return None


def check_figure(text: str) -> str | None:
    value = text.strip().rstrip("%")
    if not value:
        return None
    try:
        float(value)
    except ValueError:
        return f"应填写数字，收到“{text.strip()}”"
    return None


@dataclass(frozen=True)
class FormValues:
    status: str
    percent: str
    note: str
    problems: str
    next_steps: str
    figures: tuple[str, ...]
    evidence: str
    new_deadline: str
    reason: str


class ProgressScreen(FormScreen):
    DISCARD_QUESTION = ("填写的进展尚未保存，确定放弃吗？", "放弃", "继续填写")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", tooltip="保存为一条进展记录"),
        Binding("escape", "close", "返回", tooltip="关闭表单（有未保存的内容时先询问）"),
    ]

    class Saved(Message):
        pass

    class Conflict(Message):
        def __init__(self, error: ConflictError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, detail: TaskDetail) -> None:
        super().__init__()
        self.detail = detail
        self.expected_version = detail.row.version
        self.initial: FormValues | None = None
        self.saving = False

    # -- layout ----------------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        row = self.detail.row
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="form"):
            yield Static(f"[b]#{row.id} {escape(row.code)} {escape(row.title)}[/b]", id="form-title")
            yield Static("", id="err-form", classes="error")
            yield Static("", id="conflict", classes="conflict")
            with Horizontal(classes="form-row"):
                with Vertical(classes="form-cell"):
                    yield Label("状态")
                    yield Select(
                        [(label, status.value) for status, label in STATUS_LABELS.items()],
                        value=row.status,
                        allow_blank=False,
                        id="status",
                        compact=True,
                    )
                    yield Static("", id="err-status", classes="error")
                with Vertical(classes="form-cell"):
                    yield Label(f"完成进度 %（现为 {row.percent}，0–100）")
                    yield Input(str(row.percent), id="percent", compact=True)
                    yield Static("", id="err-percent", classes="error")
            yield Label("进展情况（已完成的工作；标为已完成时必填）")
            yield TextArea("", id="note", classes="text-field")
            yield Static("", id="err-note", classes="error")
            yield Label("存在问题")
            yield TextArea("", id="problems", classes="text-field")
            yield Label("下一步措施")
            yield TextArea("", id="next_steps", classes="text-field")
            for n, target in enumerate(self.detail.targets):
                latest = f"，最新 {target.latest:g}" if target.latest is not None else ""
                yield Label(f"指标：{escape(target.name)}（目标 {escape(target.goal)}{latest}）")
                yield Input("", id=f"figure-{n}", placeholder="数值，不填则不报", compact=True)
                yield Static("", id=f"err-figure-{n}", classes="error")
            yield Static("", id="err-figures", classes="error")
            yield Label("佐证材料（文件路径或文号）")
            yield Input("", id="evidence", compact=True)
            yield Static("", id="err-evidence", classes="error")
            yield Label(f"调整完成时限（现为 {row.deadline.isoformat() if row.deadline else '无'}，不调整请留空）")
            yield Input("", id="new_deadline", placeholder="YYYY-MM-DD", compact=True)
            yield Static("", id="err-new_deadline", classes="error")
            yield Label("原因（暂缓或调整时限时必填）")
            yield Input("", id="reason", compact=True)
            yield Static("", id="err-reason", classes="error")
            with Horizontal(id="form-buttons"):
                yield Button("保存 Ctrl+S", id="save", variant="primary", compact=True)
                yield Button("取消 Esc", id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "记录进展"
        self.sub_title = f"#{self.detail.row.id}"
        for slot in self.query(".error, .conflict"):
            slot.display = False
        self.initial = self.values()
        self.query_one("#note", TextArea).focus()

    # -- values and checks -----------------------------------------------------------------------------------------
    def values(self) -> FormValues:
        def text(field: str) -> str:
            return self.query_one(f"#{field}", TextArea).text

        def line(field: str) -> str:
            return self.query_one(f"#{field}", Input).value

        return FormValues(
            status=str(self.query_one("#status", Select).value),
            percent=line("percent"),
            note=text("note"),
            problems=text("problems"),
            next_steps=text("next_steps"),
            figures=tuple(line(f"figure-{n}") for n in range(len(self.detail.targets))),
            evidence=line("evidence"),
            new_deadline=line("new_deadline"),
            reason=line("reason"),
        )

    def clear_errors(self) -> None:
        for widget in self.query(".error"):
            widget.display = False

    @on(Input.Changed, "#percent")
    def _percent_changed(self, event: Input.Changed) -> None:
        self.show_error("percent", check_percent(event.value))

    @on(Input.Changed)
    def _figure_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("figure-"):
            self.show_error(event.input.id, check_figure(event.value))

    def local_errors(self, values: FormValues) -> dict[str, str]:
        """Checks that need no database, so the user hears at once; the service checks everything again."""
        errors: dict[str, str] = {}
        if message := check_percent(values.percent):
            errors["percent"] = message
        for n, value in enumerate(values.figures):
            if message := check_figure(value):
                errors[f"figure-{n}"] = f"指标“{self.detail.targets[n].name}”的数值{message}"
        if values.new_deadline.strip():
            try:
                parse_date(values.new_deadline, field="new_deadline")
            except ValidationError as err:
                errors["new_deadline"] = err.message
        return errors

    # -- saving ----------------------------------------------------------------------------------------------------
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving:
            return
        values = self.values()
        self.clear_errors()
        errors = self.local_errors(values)
        if errors:
            for slot, message in errors.items():
                self.show_error(slot, message)
            self._focus_field(next(iter(errors)))
            return
        self.saving = True
        self.save(values, self.expected_version)

    @work(thread=True, exclusive=True, group="progress-save")
    def save(self, values: FormValues, expected_version: int) -> None:
        ws = self.tracker_app.workspace
        row = self.detail.row
        percent_text = values.percent.strip().rstrip("%")
        percent = int(percent_text) if percent_text and int(percent_text) != row.percent else None
        figures = {
            target.name: value.strip()
            for target, value in zip(self.detail.targets, values.figures, strict=True)
            if value.strip()
        }
        new_deadline: date | None = (
            parse_date(values.new_deadline, field="new_deadline") if values.new_deadline.strip() else None
        )
        try:
            ws.run(
                lambda s, actor: record_progress(
                    s,
                    actor=actor,
                    task_id=row.id,
                    today=ws.today(),
                    status=values.status if values.status != row.status else None,
                    percent=percent,
                    note=values.note,
                    problems=values.problems,
                    next_steps=values.next_steps,
                    evidence=values.evidence,
                    figures=figures,
                    reason=values.reason,
                    new_deadline=new_deadline,
                    expected_version=expected_version,
                    source="tui",
                )
            )
        except ConflictError as err:
            self.post_message(self.Conflict(err))
            return
        except TrackerError as err:
            self.reject(err)
            return
        self.post_message(self.Saved())

    @on(Saved)
    def _saved(self) -> None:
        self.saving = False
        self.notify("已保存进展记录", timeout=2)
        self.tracker_app.request_poll()
        self.dismiss(True)

    @on(FormScreen.Rejected)
    def _rejected(self, message: FormScreen.Rejected) -> None:
        self.saving = False
        slot = message.field if message.field in ERROR_SLOTS else "form"
        self.show_error(slot, message.message)
        self._focus_field(slot)

    @on(Conflict)
    def _conflict(self, message: Conflict) -> None:
        self.saving = False
        err = message.error
        lines = [f"[b]{escape(err.message)}[/b]"]
        lines += [f"· {escape(change)}" for change in err.changes] or ["· （无法列出具体变化）"]
        lines.append("再按 Ctrl+S 将以您填写的内容保存；按 Esc 放弃。")
        box = self.query_one("#conflict", Static)
        box.update("\n".join(lines))
        box.display = True
        # The user has now seen what changed; the next save is made over that version.
        self.expected_version = err.current_version
        self.query_one("#form", VerticalScroll).scroll_home(animate=False)

    def _focus_field(self, slot: str) -> None:
        target = {"figures": "figure-0", "form": ""}.get(slot, slot)
        if target:
            try:
                widget = self.query_one(f"#{target}")
            except Exception:  # a slot without its own input (figures on a task without targets)
                return
            widget.focus()
            self.query_one("#form", VerticalScroll).scroll_to_widget(widget, animate=False)

