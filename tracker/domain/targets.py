"""A quantitative target's direction: a goal to reach (出庭应诉率100%, 新增学位3330个) or an upper limit not to
pass (行政诉讼败诉率控制在10%以内, 检查次数不超过2次). Pure; shared by the services, the draft and the screens."""

from __future__ import annotations

AT_MOST_WORD = "不超过"  # how a limit is written before its figure: 不超过10%


def is_met(actual: float, value: float, *, at_most: bool) -> bool:
    """A goal is met at or above its value; an upper limit at or below it."""
    return actual <= value if at_most else actual >= value


def goal_text(figure: str, *, at_most: bool) -> str:
    """The goal as the report would say it: "10%" for a goal, "不超过10%" for an upper limit."""
    return f"{AT_MOST_WORD}{figure}" if at_most else figure


def met_label(met: bool, *, at_most: bool) -> str:
    """The verdict beside a figure: 已达到/未达到 a goal; 未超过/已超过 an upper limit."""
    if at_most:
        return "未超过" if met else "已超过"
    return "已达到" if met else "未达到"
