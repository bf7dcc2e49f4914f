"""The lean read path: a plain DB-API connection (stdlib ``sqlite3`` or ``psycopg``) for the everyday read
commands, without importing SQLAlchemy, SQLModel or Alembic.

Importing SQLAlchemy and SQLModel costs a command about 0.35 s before it reads a row, more than a city
summary's whole work. Read services therefore run their SQL through ``Rows``: either this module's
connection (``connect``), or an open SQLAlchemy session wrapped by ``as_rows`` (the TUI, the writers,
the tests), so each query is written once for both.

SQL is written with ``:name`` parameters (sqlite3's named style); for psycopg they become ``%(name)s``.
Values come back as the driver gives them: SQLite hands dates and times back as ISO text, PostgreSQL as
``date``/``datetime``; ``as_date`` and ``as_datetime`` take either.

The schema is checked with one query: the database's Alembic revision against the head read from the
revision files (``head_revision_fast``). A database that is not at head is not read here: the caller
opens it the full way (``tracker.db.open_database`` migrates it), then reads.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tracker.errors import DatabaseError

Params = Mapping[str, Any]

# How long a reader waits for a lock (seconds), the same setting the full path uses.
SQLITE_BUSY_TIMEOUT_MS = int(float(os.environ.get("TRACKER_SQLITE_TIMEOUT", "10")) * 1000)


def migrations_dir() -> Path:
    """The Alembic scripts: beside the package in a checkout, inside it in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "migrations", here / "_migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise DatabaseError("找不到数据库迁移脚本（migrations），安装可能不完整")


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*['\"]?([0-9a-f]+|None)['\"]?", re.M)


def head_revision_fast() -> str | None:
    """The head read straight from the revision files, without importing Alembic (~0.25 s).

    Every command checks the schema on start; when the database is already at head this is all it costs.
    Returns None when the files cannot be read this way, and the caller asks Alembic instead.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations_dir() / "versions").glob("*.py"):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(path.read_text(encoding="utf-8"))}
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision") not in (None, "None"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def database_error(exc: BaseException) -> DatabaseError:
    """A driver's error as the one Chinese line a user reads (both paths, both backends)."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseError("数据库正被其他程序占用（已锁定），请稍后再试")
    if "could not serialize" in text or "deadlock" in text:
        return DatabaseError("数据库繁忙，多人同时修改同一记录，请稍后再试")
    if "not a database" in text or "file is encrypted" in text:
        return DatabaseError("该文件不是 tracker 可用的 SQLite 数据库")
    if "unable to open" in text:
        return DatabaseError("无法打开数据库文件，请检查路径和权限")
    if "connection" in text or "could not connect" in text or "password" in text:
        return DatabaseError(f"无法连接数据库：{str(exc).splitlines()[0]}")
    return DatabaseError(f"数据库错误：{str(exc).splitlines()[0]}")


# ---- values as drivers hand them over ----


def as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def as_json(value: Any) -> Any:
    """JSON columns: text on SQLite, already decoded by psycopg."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def in_list(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``(:name_0, :name_1, …)`` and its parameters, for ``IN`` over a list (never empty: callers check)."""
    keys = [f"{name}_{n}" for n in range(len(values))]
    return "(" + ", ".join(f":{k}" for k in keys) + ")", dict(zip(keys, values, strict=True))


# ---- Rows: one interface over a DB-API connection or a SQLAlchemy session ----

_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def _pyformat(sql: str) -> str:
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


class Rows:
    """Runs read SQL and returns plain tuples. ``dialect`` is "sqlite" or "postgresql"."""

    dialect: str

    def all(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def first(self, sql: str, params: Params | None = None) -> tuple[Any, ...] | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        row = self.first(sql, params)
        return None if row is None else row[0]


class DbapiRows(Rows):
    def __init__(self, connection: Any, dialect: str) -> None:
        self.connection = connection
        self.dialect = dialect

    def all(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        if self.dialect == "postgresql":
            sql = _pyformat(sql)
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, dict(params or {}))
            return [tuple(row) for row in cursor.fetchall()]
        except Exception as exc:
            if _is_driver_error(exc):
                raise database_error(exc) from None
            raise
        finally:
            cursor.close()


class SessionRows(Rows):
    """A SQLAlchemy session's connection, read raw (``exec_driver_sql``: no type processing, as above)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    def all(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        if self.dialect == "postgresql":
            sql = _pyformat(sql)
        result = self.session.connection().exec_driver_sql(sql, dict(params or {}))
        return [tuple(row) for row in result.all()]


def as_rows(db: Any) -> Rows:
    """``db`` as Rows: itself, or a SQLAlchemy/SQLModel session wrapped."""
    return db if isinstance(db, Rows) else SessionRows(db)


def _is_driver_error(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return True
    module = type(exc).__module__
    return module.startswith("psycopg")


# ---- connecting ----


def sqlite_path(url: str) -> str | None:
    """The file of a ``sqlite:///…`` URL (None for an in-memory database)."""
    rest = url.split("://", 1)[1] if "://" in url else url
    rest = rest.split("?", 1)[0]
    path = rest[1:] if rest.startswith("/") else rest
    return unquote(path) if path and path != ":memory:" else None


class StaleSchema(Exception):
    """The database is not at this program's head (or is new): open it the full way first."""


@contextmanager
def connect(url: str) -> Iterator[DbapiRows]:
    """A read-only transaction on the database at ``url``, at head; raises StaleSchema otherwise."""
    if url.startswith("sqlite"):
        connection = _sqlite(url)
        dialect = "sqlite"
    elif url.startswith("postgresql"):
        connection = _postgres(url)
        dialect = "postgresql"
    else:
        raise StaleSchema(url)
    rows = DbapiRows(connection, dialect)
    try:
        _check_head(rows)
        yield rows
    finally:
        try:
            connection.rollback()
        finally:
            connection.close()


def _sqlite(url: str) -> Any:
    import sqlite3

    path = sqlite_path(url)
    if path is None or not Path(path).is_file():
        raise StaleSchema(url)  # a new file is created (and migrated) by the full path
    try:
        connection = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        connection.execute("BEGIN")  # every query of one command sees the same state
    except sqlite3.Error as exc:
        raise database_error(exc) from None
    return connection


def _postgres(url: str) -> Any:
    import psycopg

    conninfo = re.sub(r"^postgresql\+\w+://", "postgresql://", url)
    try:
        connection = psycopg.connect(conninfo, connect_timeout=10)
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    except psycopg.Error as exc:
        raise database_error(exc) from None
    return connection


def _check_head(rows: DbapiRows) -> None:
    try:
        current = rows.scalar("SELECT version_num FROM alembic_version")
    except DatabaseError as err:
        if "no such table" in err.message or "does not exist" in err.message:
            raise StaleSchema("no alembic_version") from None
        raise
    if current is None or current != head_revision_fast():
        raise StaleSchema(str(current))
