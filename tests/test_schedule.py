"""序时进度 and the derived states: computed from dates, never stored."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.schedule import Light, expected_percent, is_due_soon, is_overdue, light
from tracker.domain.status import Status, parse_status
from tracker.errors import ValidationError

START, END = date(2022, 1, 1), date(2022, 12, 31)
MID = date(2022, 7, 2)  # 182 of 364 days: expected 50%


def test_expected_percent_is_share_of_time_passed() -> None:
    assert expected_percent(START, END, START) == 0
    assert expected_percent(START, END, MID) == pytest.approx(50.0)
    assert expected_percent(START, END, date(2023, 3, 1)) == 100


@pytest.mark.parametrize(
    ("behind", "colour"),
    [(0, Light.GREEN), (9, Light.GREEN), (10, Light.YELLOW), (20, Light.YELLOW), (30, Light.YELLOW), (31, Light.RED), (40, Light.RED)],
)
def test_light_by_points_behind(behind: int, colour: Light) -> None:
    assert light(Status.IN_PROGRESS, 50 - behind, START, END, MID) == colour


def test_overdue_is_red_and_done_is_green() -> None:
    late = date(2023, 1, 5)
    assert light(Status.IN_PROGRESS, 95, START, END, late) == Light.RED
    assert is_overdue(Status.IN_PROGRESS, END, late)
    assert not is_overdue(Status.DONE, END, late)
    assert light(Status.DONE, 100, START, END, late) == Light.GREEN


def test_not_started_and_not_behind_is_grey_but_a_slipping_one_is_not() -> None:
    assert light(Status.NOT_STARTED, 0, START, END, date(2022, 1, 10)) == Light.GREY
    assert light(Status.NOT_STARTED, 0, START, END, MID) == Light.RED
    assert light(Status.SUSPENDED, 10, START, END, MID) == Light.GREY


def test_due_soon_window() -> None:
    assert is_due_soon(Status.IN_PROGRESS, date(2022, 6, 30), date(2022, 6, 20))
    assert not is_due_soon(Status.IN_PROGRESS, date(2022, 6, 30), date(2022, 6, 1))
    assert not is_due_soon(Status.DONE, date(2022, 6, 30), date(2022, 6, 20))


def test_status_words() -> None:
    assert parse_status("已完成") == Status.DONE
    assert parse_status("in_progress") == Status.IN_PROGRESS
    with pytest.raises(ValidationError, match="未知的状态"):
        parse_status("差不多了")
