"""分配 (admin): confirm or change the owners the importer suggested, set the deadline and the cadence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, Select, Static

from tracker.errors import NotFoundError, TrackerError, ValidationError
from tracker.services.departments import list_departments
from tracker.services.tasks import (
    OWNER_SOURCE_LABELS,
    RECURRENCE_CHOICES,
    ROLE_LABELS,
    TaskDetail,
    assign_owners,
    confirm_owners,
    set_deadline,
    set_recurrence,
)
from tracker.services.workspace import parse_date
from tracker.tui.screens.form import FormScreen
from tracker.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    pass

NO_CHANGE = "__keep__"
CLEAR = "__clear__"


def split_names(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", " "):
        text = text.replace(sep, "、")
    return [name.strip() for name in text.split("、") if name.strip()]


@dataclass(frozen=True)
class AssignValues:
    lead: str
    support: str
    deadline: str
    reason: str
    recurrence: str


class AssignScreen(FormScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", tooltip="一并保存责任单位、时限和周期"),
        Binding("ctrl+o", "confirm_suggested", "确认建议", tooltip="采纳系统建议的责任单位"),
        Binding("escape", "close", "返回", tooltip="关闭（有未保存的修改时先询问）"),
    ]

    class Done(Message):
        def __init__(self, what: str) -> None:
            super().__init__()
            self.what = what

    class Departments(Message):
        def __init__(self, names: list[str]) -> None:
            super().__init__()
            self.names = names

    def __init__(self, detail: TaskDetail) -> None:
        super().__init__()
        self.detail = detail
        self.initial: AssignValues | None = None

    def compose(self) -> ComposeResult:
        row = self.detail.row
        owners = "、".join(
            f"{escape(o.name)}（{ROLE_LABELS.get(o.role, o.role)}，{OWNER_SOURCE_LABELS.get(o.source, o.source)}）"
            for o in row.owners
        )
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="form"):
            yield Static(f"[b]#{row.id} {escape(row.code)} {escape(row.title)}[/b]", id="form-title")
            yield Static("", id="err-form", classes="error")
            yield Static(f"现责任单位：{owners or '未指定'}", id="assign-owners")
            yield Label("牵头单位（多个用“、”分隔）")
            yield Input("、".join(row.leads), id="lead", compact=True)
            yield Static("", id="err-lead", classes="error")
            yield Label("配合单位")
            yield Input("、".join(row.supports), id="support", compact=True)
            yield Static("", id="departments", classes="hint")
            yield Label(
                f"完成时限（现为 {row.deadline.isoformat() if row.deadline else '无'}，"
                f"{'原文“' + escape(self.detail.deadline_text) + '”' if self.detail.deadline_text else '原文未写'}）"
            )
            yield Input(row.deadline.isoformat() if row.deadline else "", id="deadline", placeholder="YYYY-MM-DD", compact=True)
            yield Static("", id="err-deadline", classes="error")
            yield Label("调整时限的说明（可选）")
            yield Input("", id="reason", compact=True)
            current = self.detail.recurrence_text or row.recurrence or "无"
            flagged = "，原文写“定期”，待设定" if self.detail.recurrence_flagged else ""
            yield Label(f"周期（现为 {escape(current)}{flagged}）")
            yield Select(
                [("不变", NO_CHANGE), *((word, word) for word in RECURRENCE_CHOICES), ("不重复（清除）", CLEAR)],
                value=NO_CHANGE,
                allow_blank=False,
                id="recurrence",
                compact=True,
            )
            yield Static("", id="err-recurrence", classes="error")
            with Horizontal(id="form-buttons"):
                yield Button("保存 Ctrl+S", id="save", variant="primary", compact=True)
                if any(not o.confirmed for o in row.owners):
                    yield Button("确认系统建议 Ctrl+O", id="confirm", compact=True)
                yield Button("取消 Esc", id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "分配责任单位与时限"
        for slot in self.query(".error"):
            slot.display = False
        self.initial = self.values()
        self.query_one("#lead", Input).focus()
        self.load_departments()

    @work(thread=True, group="assign-depts")
    def load_departments(self) -> None:
        ws = self.tracker_app.workspace
        rows = ws.run(lambda s, _a: list_departments(s))
        self.post_message(self.Departments([r.name for r in rows]))

    @on(Departments)
    def _departments(self, message: Departments) -> None:
        self.query_one("#departments", Static).update("可选部门：" + escape("、".join(message.names)))

    def values(self) -> AssignValues:
        return AssignValues(
            lead=self.query_one("#lead", Input).value,
            support=self.query_one("#support", Input).value,
            deadline=self.query_one("#deadline", Input).value,
            reason=self.query_one("#reason", Input).value,
            recurrence=str(self.query_one("#recurrence", Select).value),
        )

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        assert self.initial is not None
        values = self.values()
        for slot in self.query(".error"):
            slot.display = False
        if values == self.initial:
            self.dismiss(False)
            return
        deadline: date | None = None
        if values.deadline != self.initial.deadline:
            try:
                deadline = parse_date(values.deadline, field="deadline")
            except ValidationError as err:
                self.show_error("deadline", err.message)
                return
        owners_changed = (values.lead, values.support) != (self.initial.lead, self.initial.support)
        self.save(values, owners_changed, deadline)

    @work(thread=True, exclusive=True, group="assign-save")
    def save(self, values: AssignValues, owners_changed: bool, deadline: date | None) -> None:
        ws = self.tracker_app.workspace
        task_id = self.detail.row.id

        def work_(session: Any, actor: Any) -> None:
            # One transaction: owners, deadline and cadence are saved together or not at all.
            if owners_changed:
                assign_owners(
                    session,
                    actor=actor,
                    task_id=task_id,
                    lead=split_names(values.lead),
                    support=split_names(values.support),
                )
            if deadline is not None:
                set_deadline(session, actor=actor, task_id=task_id, deadline=deadline, reason=values.reason.strip())
            if values.recurrence != NO_CHANGE:
                rule = None if values.recurrence == CLEAR else values.recurrence
                set_recurrence(session, actor=actor, task_id=task_id, rule=rule)

        try:
            ws.run(work_)
        except NotFoundError as err:  # an unknown department name
            self.reject(err, default_field="lead")
            return
        except TrackerError as err:
            self.reject(err)
            return
        self.post_message(self.Done("已保存分配"))

    @on(Button.Pressed, "#confirm")
    def action_confirm_suggested(self) -> None:
        if not any(not o.confirmed for o in self.detail.row.owners):
            self.notify("没有待确认的系统建议", severity="warning")
            return
        self.confirm_suggested()

    @work(thread=True, exclusive=True, group="assign-save")
    def confirm_suggested(self) -> None:
        ws = self.tracker_app.workspace
        try:
            ws.run(lambda s, actor: confirm_owners(s, actor=actor, task_id=self.detail.row.id))
        except TrackerError as err:
            self.reject(err)
            return
        self.post_message(self.Done("已确认系统建议的责任单位"))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.notify(message.what, timeout=2)
        self.tracker_app.request_poll()
        self.dismiss(True)

    @on(FormScreen.Rejected)
    def _rejected(self, message: FormScreen.Rejected) -> None:
        slot = message.field if message.field in ("lead", "deadline", "recurrence") else "form"
        self.show_error(slot, message.message)
