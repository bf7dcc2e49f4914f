"""One place where callers (CLI, TUI, report) get a database, an acting user, today's date and a
transaction, without touching SQL themselves.

    ws = Workspace(url)
    rows = ws.run(lambda s, actor: tasks.list_tasks(s, today=ws.today()))
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.db import open_database, run_in_transaction
from tracker.errors import ValidationError
from tracker.services.auth import Actor, resolve_actor
from tracker.settings import resolve_db_url

T = TypeVar("T")

ENV_TODAY = "TRACKER_TODAY"


def parse_date(value: str, *, field: str = "date") -> date:
    """YYYY-MM-DD (also 2022/6/30, 2022.6.30, 2022年6月30日); anything else is a clear user error."""
    import re

    text = value.strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValidationError(f"日期格式不正确：“{value}”，应为 YYYY-MM-DD，例如 2022-06-30", field=field)


class Workspace:
    def __init__(
        self,
        url: str | None = None,
        *,
        as_user: str | None = None,
        login: str | None = None,
        today: date | None = None,
    ) -> None:
        self.url = resolve_db_url(url)
        self.as_user = as_user
        self.login = login
        self._today = today
        self._engine: Engine | None = None
        self._actor: Actor | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = open_database(self.url)
        return self._engine

    def today(self) -> date:
        if self._today is None:
            env = os.environ.get(ENV_TODAY)
            self._today = parse_date(env, field="today") if env else date.today()
        return self._today

    def actor(self) -> Actor:
        if self._actor is None:
            self._actor = run_in_transaction(
                self.engine, lambda s: resolve_actor(s, login=self.login, as_user=self.as_user)
            )
        return self._actor

    def forget_actor(self) -> None:
        """Users or their departments changed: resolve again on next use."""
        self._actor = None

    def run(self, work: Callable[[Session, Actor], T]) -> T:
        """``work`` in one transaction (committed, or rolled back whole), retried on SQLite contention."""
        actor = self.actor()
        return run_in_transaction(self.engine, lambda s: work(s, actor))

    def run_anonymous(self, work: Callable[[Session], T]) -> T:
        """For work that needs no acting user (resolving who one is, checking the schema)."""
        return run_in_transaction(self.engine, work)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
