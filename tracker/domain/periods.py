"""Reporting periods of a 进展通报: a month (2022-06) or a quarter (2022Q2), and the one before it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from dateutil.relativedelta import relativedelta

from tracker.domain.numerals import cn_number
from tracker.errors import ValidationError

PeriodKind = Literal["month", "quarter"]

_MONTH = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?(?:份)?")
_QUARTER = re.compile(r"(\d{4})\s*(?:-|年)?\s*(?:[Qq]\s*([1-4])|第?\s*([一二三四1-4])\s*季度)")
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    number: int  # month 1–12, or quarter 1–4

    @property
    def start(self) -> date:
        month = self.number if self.kind == "month" else 3 * self.number - 2
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        months = 1 if self.kind == "month" else 3
        return self.start + relativedelta(months=months, days=-1)

    @property
    def code(self) -> str:
        """As typed on the command line: 2022-06, 2022Q2."""
        return f"{self.year}-{self.number:02d}" if self.kind == "month" else f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """As a document writes it: 2022年6月, 2022年第二季度."""
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        return f"{self.year}年第{cn_number(self.number)}季度"

    @property
    def noun(self) -> str:
        return "月" if self.kind == "month" else "季度"

    def previous(self) -> Period:
        return period_of(self.start - relativedelta(days=1), self.kind)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def period_of(day: date, kind: PeriodKind = "month") -> Period:
    """The month or quarter a day falls in."""
    if kind == "month":
        return Period("month", day.year, day.month)
    return Period("quarter", day.year, (day.month - 1) // 3 + 1)


def parse_month(text: str) -> Period:
    """2022-06, 2022-6, 2022/06, 2022年6月; anything else is one clear error."""
    m = _MONTH.fullmatch(text.strip())
    if m and 1 <= int(m.group(2)) <= 12:
        return Period("month", int(m.group(1)), int(m.group(2)))
    raise ValidationError(f"月份格式不正确：“{text}”，应为 YYYY-MM，例如 2022-06", field="period")


def parse_quarter(text: str) -> Period:
    """2022Q2, 2022-Q2, 2022年第二季度, 2022年2季度; anything else is one clear error."""
    m = _QUARTER.fullmatch(text.strip())
    if m:
        raw = m.group(2) or m.group(3)
        number = _CN_QUARTER.get(raw) or int(raw)
        return Period("quarter", int(m.group(1)), number)
    raise ValidationError(f"季度格式不正确：“{text}”，应为 YYYYQn，例如 2022Q2", field="quarter")
