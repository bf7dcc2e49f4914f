"""Task status: what a person decided. Stored as an English code, shown in Chinese."""

from __future__ import annotations

from enum import StrEnum

from tracker.errors import ValidationError


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.NOT_STARTED: "未开始",
    Status.IN_PROGRESS: "推进中",
    Status.DONE: "已完成",
    Status.SUSPENDED: "暂缓",
}

# Words offices write in ledgers for the same four states.
_ALIASES: dict[str, Status] = {
    "未开始": Status.NOT_STARTED,
    "未启动": Status.NOT_STARTED,
    "推进中": Status.IN_PROGRESS,
    "进行中": Status.IN_PROGRESS,
    "正在推进": Status.IN_PROGRESS,
    "已完成": Status.DONE,
    "完成": Status.DONE,
    "已办结": Status.DONE,
    "办结": Status.DONE,
    "暂缓": Status.SUSPENDED,
    "暂缓推进": Status.SUSPENDED,
}


def parse_status(value: str) -> Status:
    """Accept the Chinese word or the English code; anything else is a user error."""
    word = value.strip()
    if word in _ALIASES:
        return _ALIASES[word]
    try:
        return Status(word.lower())
    except ValueError:
        choices = "、".join(STATUS_LABELS.values())
        raise ValidationError(f"未知的状态“{value}”，可用：{choices}", field="status") from None


def status_label(code: str) -> str:
    try:
        return Status(code).label
    except ValueError:
        return code
