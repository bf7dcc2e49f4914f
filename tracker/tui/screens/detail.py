"""任务详情: the full text, owners, deadline and how it was set, targets, and the progress history."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from tracker.domain.status import status_label
from tracker.errors import TrackerError
from tracker.services.tasks import (
    DEADLINE_SOURCE_LABELS,
    OWNER_SOURCE_LABELS,
    RECURRENCE_CHOICES,
    ROLE_LABELS,
    TaskDetail,
    get_task_detail,
    may_instruct,
)
from tracker.tui.widgets.footer import KeyFooter
from tracker.tui.widgets.task_tree import LIGHT_THEME_COLORS, LIGHT_WORDS

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp

RULE_NAMES = {rule: word for word, rule in RECURRENCE_CHOICES.items()}


def light_markup(light: str, label: str) -> str:
    return f"[b ${LIGHT_THEME_COLORS[light]}]●{LIGHT_WORDS[light]}[/]（{label}）"


def detail_markup(detail: TaskDetail) -> dict[str, str]:
    """The sections of the detail view as Rich markup (user text escaped)."""
    row = detail.row
    heading = f"[b]#{row.id}　{row.plan_year}年　{escape(row.item_label + row.item_title)}[/b]"
    if row.label != row.item_label:
        heading += f"\n[b]{escape(row.label)}　{escape(row.title)}[/b]"

    state = (
        f"状态 [b]{status_label(row.status)}[/b]　进度 [b]{row.percent}%[/b]　"
        f"序时进度应达 {detail.expected_percent:.0f}%　{light_markup(row.light.value, row.light.label)}"
    )
    if row.overdue:
        state += "　[b $error]已逾期[/]"
    elif row.due_soon:
        state += "　[b $warning]即将到期[/]"

    owners = [
        f"{escape(o.name)}（{ROLE_LABELS.get(o.role, o.role)}，"
        f"{OWNER_SOURCE_LABELS.get(o.source, o.source)}{'，待确认' if not o.confirmed else ''}）"
        for o in row.owners
    ]
    if row.collective_owner:
        owners.append(f"{escape(row.collective_owner)}（集体责任）")
    lines = [f"责任单位：{'、'.join(owners) or '未指定（待管理员分配）'}"]
    how = DEADLINE_SOURCE_LABELS.get(row.deadline_source, row.deadline_source)
    words = f"，原文“{escape(detail.deadline_text)}”" if detail.deadline_text else ""
    vague = "，表述不具体，待设定" if detail.deadline_vague else ""
    lines.append(f"完成时限：{row.deadline.isoformat() if row.deadline else '无'}（{how}{words}{vague}）")
    if row.recurrence or detail.recurrence_text:
        rule = RULE_NAMES.get(row.recurrence or "", row.recurrence or "")
        flagged = "（周期待设定）" if detail.recurrence_flagged else ""
        lines.append(
            f"周期：{escape(detail.recurrence_text or '')} {escape(rule)}{flagged}".replace("： ", "：")
        )
    for t in detail.targets:
        latest = "暂无数据" if t.latest is None else f"最新 {t.latest:g}{escape(t.unit)}（{t.met_label}）"
        lines.append(f"指标：{escape(t.name)} 目标 {escape(t.goal)}，{latest}")
    if detail.documents:
        lines.append("文件：" + "".join(f"《{escape(d.strip('《》'))}》" for d in detail.documents))
    instructions = [
        f"[b]{ins.created_at.astimezone():%Y-%m-%d}[/b]　{escape(detail.name_of(ins.author))}：{escape(ins.text)}"
        for ins in detail.instructions
    ]

    history: list[str] = []
    for view in detail.updates:
        u = view.update
        history.append(
            f"[b]{u.recorded_at.astimezone():%Y-%m-%d %H:%M}[/b]　{escape(detail.name_of(u.author))}　"
            f"{status_label(u.status)} {u.percent}%"
        )
        for label, value in (
            ("进展情况", u.note),
            ("存在问题", u.problems),
            ("下一步措施", u.next_steps),
            ("佐证材料", u.evidence),
            ("原因", u.reason),
        ):
            if value:
                history.append(f"　{label}：{escape(value)}")
        if u.new_deadline:
            history.append(f"　调整完成时限至 {u.new_deadline.isoformat()}")
        if view.figures:
            history.append("　指标：" + "，".join(f"{escape(k)} {v:g}" for k, v in view.figures.items()))
    return {
        "heading": heading,
        "state": state,
        "text": escape(detail.text),
        "facts": "\n".join(lines),
        "instructions": "\n".join(instructions) or "暂无批示",
        "history": "\n".join(history) or "暂无进展记录（按 u 记录第一条）",
        "audit": "\n".join(escape(line) for line in detail.audit) or "暂无",
    }


class DetailScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", tooltip="回到任务列表"),
        Binding("u", "record", "记录进展", tooltip="填写本任务的进展、问题、下一步和指标"),
        Binding("i", "instruct", "批示", tooltip="领导对本任务作出批示（仅领导和管理员可用）"),
        # Staff: the key above shows disabled; pressing it says why instead of doing nothing.
        Binding("i", "instruct_denied", "批示", show=False),
        Binding("a", "assign", "分配", tooltip="责任单位、时限和周期（管理员）"),
        Binding("r", "refresh", "刷新", tooltip="重新读取本任务"),
    ]

    class Loaded(Message):
        def __init__(self, detail: TaskDetail) -> None:
            super().__init__()
            self.detail = detail

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, task_id: int) -> None:
        super().__init__()
        self.task_id = task_id
        self.detail: TaskDetail | None = None

    @property
    def tracker_app(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="detail"):
            yield Static("正在读取…", id="detail-heading")
            yield Static("", id="detail-state")
            yield Static("", id="detail-text", classes="section")
            yield Static("", id="detail-facts", classes="section")
            yield Static("领导批示（最新在前）", classes="section-title")
            yield Static("", id="detail-instructions")
            yield Static("进展记录（最新在前）", classes="section-title")
            yield Static("", id="detail-history")
            yield Static("修改记录（审计，最新在前）", classes="section-title")
            yield Static("", id="detail-audit")
        with Horizontal(id="detail-buttons"):
            yield Button("记录进展 u", id="record", variant="primary", compact=True)
            yield Button("返回 Esc", id="back", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "任务详情"
        self.query_one("#detail").focus()
        self.load()

    @work(thread=True, exclusive=True, group="detail-load")
    def load(self) -> None:
        ws = self.tracker_app.workspace
        try:
            detail = ws.run(lambda s, _a: get_task_detail(s, task_id=self.task_id, today=ws.today()))
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.Loaded(detail))

    def refresh_data(self) -> None:
        self.load()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.detail = message.detail
        self.sub_title = f"#{message.detail.row.id} {message.detail.row.code}"
        for key, markup in detail_markup(message.detail).items():
            self.query_one(f"#detail-{key}", Static).update(markup)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#detail-heading", Static).update(escape(message.message))
        self.notify(message.message, title="错误", severity="error")

    @on(Button.Pressed, "#record")
    def action_record(self) -> None:
        if self.detail is not None:
            self.tracker_app.open_progress_form(self.detail, on_saved=self.load)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()

    def action_assign(self) -> None:
        if not self.tracker_app.actor_is_admin:
            self.notify("只有管理员可以分配责任单位和时限", severity="warning")
            return
        if self.detail is not None:
            self.tracker_app.open_assign(self.detail, on_saved=self.load)

    def action_refresh(self) -> None:
        self.load()

    # -- 批示 ---------------------------------------------------------------------------------------------------
    @property
    def may_instruct(self) -> bool:
        actor = self.tracker_app.actor
        return actor is not None and may_instruct(actor)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "instruct":
            return True if self.may_instruct else None  # None: shown, but disabled
        if action == "instruct_denied":
            return not self.may_instruct
        return True

    def action_instruct(self) -> None:
        if self.detail is None:
            return
        from tracker.tui.screens.instruct import InstructScreen

        row = self.detail.row
        heading = f"#{row.id} {row.code} {row.title}"

        def closed(saved: bool | None) -> None:
            if saved:
                self.notify("批示已保存", title="领导批示")
                self.load()

        self.app.push_screen(
            InstructScreen(self.tracker_app.workspace, task_id=row.id, heading=heading), closed
        )

    def action_instruct_denied(self) -> None:
        from tracker.tui.screens.instruct import DENIED

        self.notify(DENIED, severity="warning")
