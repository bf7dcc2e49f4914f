"""Opening the database: engine settings per backend, schema brought to head, sessions.

Every command calls ``open_database`` first, so a database is always at the newest schema before use,
and a database written by a newer tracker is refused instead of damaged.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from tracker.errors import DatabaseError

T = TypeVar("T")

# How long a writer waits for another writer's lock before giving up (seconds; env for tests and tuning).
SQLITE_BUSY_TIMEOUT_MS = int(float(os.environ.get("TRACKER_SQLITE_TIMEOUT", "10")) * 1000)


def migrations_dir() -> Path:
    """The Alembic scripts: beside the package in a checkout, inside it in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "migrations", here / "_migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise DatabaseError("找不到数据库迁移脚本（migrations），安装可能不完整")


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers work while one writer writes; busy_timeout waits instead of failing at once.
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine with our settings; does not touch the schema."""
    if url.startswith("sqlite"):
        if url not in ("sqlite://", "sqlite:///:memory:"):
            path = Path(sa.engine.make_url(url).database or "")
            if path.parent and not path.parent.exists():
                raise DatabaseError(f"数据库所在目录不存在：{path.parent}")
        engine = sa.create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"无法识别的数据库地址：{url}（{exc}）") from None


def _alembic_config(connection: sa.Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a database from a newer tracker."""
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise _as_database_error(exc) from None
    head = head_revision()
    if current == head:
        return
    if current is not None:
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(_alembic_config())
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseError(
                f"数据库的结构版本（{current}）比本程序新，请升级 tracker 后再使用"
            ) from None
    from alembic import command

    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    except OperationalError as exc:
        raise _as_database_error(exc) from None


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), revision)


def open_database(url: str) -> Engine:
    """The engine for ``url`` with the schema at head. Raises DatabaseError with a Chinese message."""
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
    except sa.exc.OperationalError as exc:
        raise _as_database_error(exc) from None
    except sa.exc.DatabaseError as exc:
        raise _as_database_error(exc) from None
    return engine


def _as_database_error(exc: Exception) -> DatabaseError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseError("数据库正被其他程序占用（已锁定），请稍后再试")
    if "not a database" in text or "file is encrypted" in text:
        return DatabaseError("该文件不是 tracker 可用的 SQLite 数据库")
    if "unable to open" in text:
        return DatabaseError("无法打开数据库文件，请检查路径和权限")
    if "connection" in text or "could not connect" in text or "password" in text:
        return DatabaseError(f"无法连接数据库：{str(exc).splitlines()[0]}")
    return DatabaseError(f"数据库错误：{str(exc).splitlines()[0]}")


def is_locked_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed at the end, rolled back whole on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise _as_database_error(exc) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def run_in_transaction(engine: Engine, work: Callable[[Session], T], *, attempts: int = 8) -> T:
    """Run ``work`` in its own transaction, retrying when SQLite reports contention.

    busy_timeout already waits for a lock; this covers the cases SQLite refuses at once (a read
    transaction upgraded to write), so ordinary contention never reaches a user as "database is locked".
    """
    delay = 0.05
    for attempt in range(attempts):
        session = Session(engine, expire_on_commit=False)
        try:
            result = work(session)
            session.commit()
            return result
        except OperationalError as exc:
            session.rollback()
            if is_locked_error(exc) and attempt < attempts - 1:
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            raise _as_database_error(exc) from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
    raise DatabaseError("数据库正被其他程序占用（已锁定），请稍后再试")
