"""One place where callers (CLI, TUI, report) get a database, an acting user, today's date and a
transaction, without touching SQL themselves.

    ws = Workspace(url)
    rows = ws.run(lambda s, actor: tasks.list_tasks(s, today=ws.today()))
    rows = ws.read(lambda r, actor: tasks.list_tasks(r, today=ws.today()))   # the lean read path
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from tracker.errors import ValidationError
from tracker.rawdb import Rows, StaleSchema, connect
from tracker.services.auth import Actor, resolve_actor
from tracker.settings import resolve_db_url

if TYPE_CHECKING:  # SQLAlchemy is imported only by work that writes (see ``read``)
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

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
            from tracker.db import open_database

            self._engine = open_database(self.url)
        return self._engine

    def today(self) -> date:
        if self._today is None:
            env = os.environ.get(ENV_TODAY)
            self._today = parse_date(env, field="today") if env else date.today()
        return self._today

    def actor(self) -> Actor:
        if self._actor is None:
            from tracker.db import run_in_transaction

            self._actor = run_in_transaction(
                self.engine, lambda s: resolve_actor(s, login=self.login, as_user=self.as_user)
            )
        return self._actor

    def forget_actor(self) -> None:
        """Users or their departments changed: resolve again on next use."""
        self._actor = None

    def run(self, work: Callable[[Session, Actor], T]) -> T:
        """``work`` in one transaction (committed, or rolled back whole), retried on SQLite contention."""
        from tracker.db import run_in_transaction

        actor = self.actor()
        return run_in_transaction(self.engine, lambda s: work(s, actor))

    def read(self, work: Callable[[Rows, Actor], T]) -> T:
        """Read-only ``work`` on the lean path: a plain DB-API connection, no SQLAlchemy (``tracker.rawdb``).

        The everyday read commands start in a fraction of the time this way. A database that is not at
        this program's schema (or does not exist yet) is first opened the full way, which migrates it.
        """
        try:
            with connect(self.url) as rows:
                return work(rows, self._read_actor(rows))
        except StaleSchema:
            pass
        # Not at head, new, or in memory: the full path (which migrates), the same SQL over its session.
        from tracker.db import run_in_transaction
        from tracker.rawdb import SessionRows

        def on_session(session: Session) -> T:
            rows = SessionRows(session)
            return work(rows, self._read_actor(rows))

        return run_in_transaction(self.engine, on_session)

    def read_existing(self, work: Callable[[Rows], T], default: T) -> T:
        """Read-only ``work`` when the database exists at this program's schema, else ``default``: for a dry
        run, which must not create or migrate a database."""
        try:
            with connect(self.url) as rows:
                return work(rows)
        except StaleSchema:
            return default

    def _read_actor(self, rows: Rows) -> Actor:
        if self._actor is None:
            self._actor = resolve_actor(rows, login=self.login, as_user=self.as_user)
        return self._actor

    def run_anonymous(self, work: Callable[[Session], T]) -> T:
        """For work that needs no acting user (resolving who one is, checking the schema)."""
        from tracker.db import run_in_transaction

        return run_in_transaction(self.engine, work)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
