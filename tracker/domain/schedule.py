"""序时进度: is a task's progress keeping pace with the time that has passed?

Rule (shown in the TUI help and in ``tracker summary``):
- 已完成 → green; 暂缓 → grey.
- past its deadline and not done → red (overdue).
- expected = share of the time from start to deadline that has passed, in percent;
  behind = expected − recorded percent. More than 30 points behind → red; 10–30 → yellow.
- otherwise: grey when not started (nothing expected yet), green when under way.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from tracker.domain.status import Status

DUE_SOON_DAYS = 15
YELLOW_FROM = 10
RED_ABOVE = 30

RULE_TEXT = (
    "序时进度灯：已完成为绿；暂缓为灰；超过完成时限未完成为红；"
    "否则按已过时间占比计算应达进度，落后 10–30 个百分点为黄，落后超过 30 个百分点为红；"
    "未开始且未落后为灰，其余为绿。"
)


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"

    @property
    def label(self) -> str:
        return {"green": "正常", "yellow": "滞后", "red": "严重滞后", "grey": "未启动"}[self.value]

    @property
    def colour_name(self) -> str:
        """The colour as offices name it (绿/黄/红/灰): written beside every light, so print in grey reads too."""
        return {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰"}[self.value]


def expected_percent(start: date, deadline: date, today: date) -> float:
    """Share of the task's time that has passed, 0–100."""
    if today <= start:
        return 0.0
    if today >= deadline:
        return 100.0
    total = (deadline - start).days
    return 100.0 * (today - start).days / total if total > 0 else 100.0


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    return deadline is not None and today > deadline and status not in (Status.DONE, Status.SUSPENDED)


def is_due_soon(status: str, deadline: date | None, today: date, days: int = DUE_SOON_DAYS) -> bool:
    if deadline is None or status in (Status.DONE, Status.SUSPENDED):
        return False
    return 0 <= (deadline - today).days <= days


def points_behind(percent: int, start: date, deadline: date, today: date) -> float:
    return expected_percent(start, deadline, today) - percent


def light(status: str, percent: int, start: date | None, deadline: date | None, today: date) -> Light:
    if status == Status.DONE:
        return Light.GREEN
    if status == Status.SUSPENDED:
        return Light.GREY
    if deadline is None:
        return Light.GREY if status == Status.NOT_STARTED else Light.GREEN
    if today > deadline:
        return Light.RED
    begin = start or date(deadline.year, 1, 1)
    behind = points_behind(percent, begin, deadline, today)
    if behind > RED_ABOVE:
        return Light.RED
    if behind >= YELLOW_FROM:
        return Light.YELLOW
    return Light.GREY if status == Status.NOT_STARTED else Light.GREEN
