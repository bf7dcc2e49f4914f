"""Opening the database: engine settings per backend, schema brought to head, sessions.

Every command calls ``open_database`` first, so a database is always at the newest schema before use,
and a database written by a newer tracker is refused instead of damaged.
"""

from __future__ import annotations

import random
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

# SQLITE_BUSY_TIMEOUT_MS: how long a writer waits for another writer's lock (env for tests and tuning).
from tracker.rawdb import SQLITE_BUSY_TIMEOUT_MS, database_error, head_revision_fast, migrations_dir

T = TypeVar("T")

# Execution option naming how the next SQLite transaction begins: "DEFERRED" (default) or "IMMEDIATE".
SQLITE_BEGIN = "tracker_sqlite_begin"


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite on its own opens a transaction only before the first INSERT/UPDATE, so the reads a service
    # does before writing would see a different state than the write: we issue BEGIN ourselves instead.
    dbapi_conn.isolation_level = None
    # WAL lets readers work while one writer writes; busy_timeout waits instead of failing at once.
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_on_begin(conn: sa.Connection) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


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
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    try:
        # Repeatable read: a transaction that read a task and then writes it fails (and is retried by
        # run_in_transaction) if someone else changed the task meanwhile, instead of overwriting their change.
        return sa.create_engine(url, pool_pre_ping=True, isolation_level="REPEATABLE READ")
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


def is_known_revision(revision: str) -> bool:
    """A revision this program's migrations know (older or equal to head), as opposed to a newer one."""
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(_alembic_config()).get_revision(revision)
    except Exception:
        return False
    return True


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
    if current is not None and current == head_revision_fast():
        return
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
        with _migration_connection(engine) as conn:
            command.upgrade(_alembic_config(conn), "head")
    except OperationalError as exc:
        raise _as_database_error(exc) from None


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with _migration_connection(engine) as conn:
        command.downgrade(_alembic_config(conn), revision)


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[sa.Connection]:
    """A connection in one transaction for Alembic.

    On SQLite, batch mode rebuilds a table (copy, drop, rename) to change a column; with foreign keys on,
    dropping the old ``task`` would cascade-delete every target and record that points at it. Foreign keys
    are switched off for the migration (the pragma only takes effect outside a transaction), checked
    before the commit, and switched on again before the connection goes back to the pool.
    """
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise DatabaseError(f"数据库升级后外键不一致（表 {broken[0]}），已撤销升级")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


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
    return database_error(exc)


def is_locked_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


# PostgreSQL SQLSTATEs meaning "this transaction lost a race, run it again": serialization failure, deadlock.
_PG_RETRY_STATES = frozenset({"40001", "40P01"})


def is_retryable(exc: BaseException) -> bool:
    """Contention, not a fault: SQLite busy/locked, PostgreSQL serialization failure or deadlock."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    return getattr(exc.orig, "sqlstate", None) in _PG_RETRY_STATES or is_locked_error(exc)


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


# Key of the PostgreSQL advisory lock a retried transaction waits for (any constant unique to tracker).
_PG_RETRY_LOCK = 0x7472_6B72


@contextmanager
def _retry_turn(engine: Engine, attempt: int) -> Iterator[Engine | sa.Connection]:
    """What a transaction runs on: first attempts race freely; a retry waits for its turn.

    SQLite: the retry begins IMMEDIATE, taking the write lock first (busy_timeout waits for it).
    PostgreSQL: the retry first takes a session advisory lock shared by all retries, so writers that lost
    a race queue up one after the other instead of racing (and losing) again; the repeatable-read
    snapshot is taken after the wait, in a transaction of its own.
    """
    if attempt == 0 or engine.dialect.name not in ("sqlite", "postgresql"):
        yield engine
    elif engine.dialect.name == "sqlite":
        yield engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({_PG_RETRY_LOCK})")
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_RETRY_LOCK})")
                conn.commit()


def run_in_transaction(engine: Engine, work: Callable[[Session], T], *, attempts: int = 20) -> T:
    """Run ``work`` in its own transaction; when it loses a race with another writer, run it again whole.

    The work re-reads everything on each attempt, so a retried save is computed from what the other
    writer left, never from a stale read (no lost update). Losing a race shows as SQLite "database is
    locked" (a transaction that read first and then finds the write lock taken is refused at once) or a
    PostgreSQL serialization failure (repeatable read) or deadlock; retries wait their turn (see
    ``_retry_turn``), so ordinary contention never reaches a user.
    """
    for attempt in range(attempts):
        with _retry_turn(engine, attempt) as bind:
            session = Session(bind, expire_on_commit=False)
            try:
                result = work(session)
                session.commit()
                return result
            except sa.exc.DBAPIError as exc:
                session.rollback()
                if is_retryable(exc) and attempt < attempts - 1:
                    time.sleep(random.uniform(0, 0.01))  # so collided writers do not collide again in step
                    continue
                if isinstance(exc, OperationalError):
                    raise _as_database_error(exc) from None
                raise
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()
    raise DatabaseError("数据库繁忙，请稍后再试")
