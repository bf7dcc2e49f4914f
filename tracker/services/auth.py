"""Who is acting, and what they may do. Enforced here so the CLI, TUI and ledger ingest all obey it."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from tracker.errors import NotFoundError, PermissionDenied
from tracker.rawdb import as_rows, in_list

ADMIN, LEADER, STAFF = "admin", "leader", "staff"
ROLE_LABELS = {ADMIN: "管理员", LEADER: "领导", STAFF: "工作人员"}


@dataclass(frozen=True)
class Actor:
    login: str
    role: str
    department_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None
    single_user: bool = False  # no users yet: the local user acts as admin
    via: str | None = None  # the admin who acts as this user with --as, named in the audit trail

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def _real_login() -> str:
    """The account the process runs as, from the password database: not spoofable by LOGNAME/USER."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # Windows, or a uid with no passwd entry (containers)
        try:
            return getpass.getuser()
        except Exception:
            return "local"


def os_login() -> str:
    """The OS login name: identity in an office where everyone has their own account on the server.

    TRACKER_USER names another tracker user only for root (who can become anyone with su anyway, and
    runs scripts and tests); for anyone else it must be their own name. Shared terminals use a password
    login instead (``tracker --user NAME``).
    """
    real = _real_login()
    wanted = os.environ.get("TRACKER_USER", "").strip()
    if wanted and wanted != real:
        if real != "root" and os.getuid() != 0:
            raise PermissionDenied(f"TRACKER_USER 只能是本人的系统账号（{real}）；在共用终端上请用 tracker --user 用户名 登录")
        return wanted
    return real


def system_actor(login: str = "system") -> Actor:
    """For maintenance tasks run by the program itself (demo data, benchmarks)."""
    return Actor(login=login, role=ADMIN, single_user=True)


def resolve_actor(db: Any, *, login: str | None = None, as_user: str | None = None) -> Actor:
    """The actor for this run: the OS login mapped to a tracker user; ``as_user`` only for admins.

    ``db`` is a session or the lean path's Rows (read commands resolve who is asking without the ORM).
    """
    login = login or os_login()
    rows = as_rows(db)
    has_users = rows.first('SELECT 1 FROM "user" LIMIT 1') is not None
    me = _actor_for(rows, login) if has_users else Actor(login=login, role=ADMIN, single_user=True)
    if as_user and as_user != me.login:
        if not me.is_admin:
            raise PermissionDenied("只有管理员可以使用 --as 代他人操作")
        if not has_users:
            raise NotFoundError(f"用户“{as_user}”不存在（尚未添加任何用户）")
        return replace(_actor_for(rows, as_user), via=me.login)
    return me


def _actor_for(rows: Any, login: str) -> Actor:
    user = rows.first('SELECT id, login, role, active FROM "user" WHERE login = :login', {"login": login})
    if user is None:
        raise PermissionDenied(f"系统用户“{login}”不是 tracker 用户，请联系管理员添加（tracker user add）")
    user_id, user_login, role, active = user
    if not active:
        raise PermissionDenied(f"用户“{login}”已停用")
    dept_ids = rows.all("SELECT department_id FROM userdepartment WHERE user_id = :id", {"id": user_id})
    return Actor(login=user_login, role=role, department_ids=frozenset(d for (d,) in dept_ids), user_id=user_id)


def require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied(f"只有管理员可以{what}")


def require_owner(actor: Actor, owner_ids: Iterable[int], what: str) -> None:
    """Staff act only on tasks their department leads or supports; admins act on any."""
    if actor.is_admin:
        return
    if actor.role == LEADER:
        raise PermissionDenied(f"领导账号只能查阅和批示，不能{what}")
    if not actor.department_ids & set(owner_ids):
        raise PermissionDenied(f"该任务不由您所在的部门牵头或配合，不能{what}")


def require_lead(actor: Actor, lead_ids: Iterable[int], what: str) -> None:
    """Only the lead department closes a task or asks to defer it."""
    if actor.is_admin:
        return
    if actor.role == LEADER:
        raise PermissionDenied(f"领导账号只能查阅和批示，不能{what}")
    if not actor.department_ids & set(lead_ids):
        raise PermissionDenied(f"只有牵头单位可以{what}")


def department_names(db: Any, ids: Iterable[int]) -> list[str]:
    """Names of the departments ``ids`` (session or Rows), by name."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    clause, params = in_list("d", wanted)
    return [name for (name,) in as_rows(db).all(f"SELECT name FROM department WHERE id IN {clause} ORDER BY name", params)]


@dataclass(frozen=True)
class WhoAmI:
    login: str
    role: str
    departments: list[str] = field(default_factory=list)
    single_user: bool = False
    via: str | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def to_json(self) -> dict[str, Any]:
        return {
            "login": self.login,
            "role": self.role,
            "role_label": self.role_label,
            "departments": self.departments,
            "single_user": self.single_user,
            "via": self.via,
        }


def whoami(db: Any, *, actor: Actor) -> WhoAmI:
    """Who the command runs as (``tracker whoami``); ``db`` a session or the lean path's Rows."""
    return WhoAmI(
        login=actor.login,
        role=actor.role,
        departments=department_names(db, actor.department_ids),
        single_user=actor.single_user,
        via=actor.via,
    )
