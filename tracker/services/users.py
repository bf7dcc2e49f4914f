"""Users: who may use tracker, in which role and for which departments; optional passwords.

Identity is the OS login name mapped to a user (see ``auth.resolve_actor``). A password is only for
shared terminals where several people use one OS account; it is stored as a salted scrypt hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from tracker.errors import DuplicateError, NotFoundError, PermissionDenied, ValidationError
from tracker.models import Department, User, UserDepartment
from tracker.services import audit
from tracker.services.auth import ADMIN, LEADER, ROLE_LABELS, STAFF, Actor, require_admin

# whoami answers on the lean read path; re-exported for callers of this module.
from tracker.services.auth import WhoAmI as WhoAmI
from tracker.services.auth import whoami as whoami
from tracker.services.departments import find_department

# scrypt cost: 2**14 × 8 × 1 needs 16 MiB and ~50 ms, the interactive-login setting from the scrypt paper.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _SCRYPT_LEN = 2**14, 8, 1, 32
_ROLE_WORDS = {
    "admin": ADMIN, "管理员": ADMIN,
    "leader": LEADER, "领导": LEADER,
    "staff": STAFF, "工作人员": STAFF, "职员": STAFF,
}  # fmt: skip


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    display_name: str
    role: str
    departments: list[str]
    active: bool
    has_password: bool

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "login": self.login,
            "display_name": self.display_name,
            "role": self.role,
            "role_label": self.role_label,
            "departments": self.departments,
            "active": self.active,
            "has_password": self.has_password,
        }


def parse_role(value: str) -> str:
    role = _ROLE_WORDS.get(value.strip().lower()) or _ROLE_WORDS.get(value.strip())
    if role is None:
        raise ValidationError(f"未知的角色“{value}”，可用：管理员（admin）、领导（leader）、工作人员（staff）", field="role")
    return role


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex): a fresh random salt every time, never the password itself."""
    if len(password) < 6:
        raise ValidationError("密码至少需要 6 个字符", field="password")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=_SCRYPT_LEN
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(stored: str, password: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _departments_by_user(session: Session, user_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(user_ids)
    out: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return out
    for user_id, name in session.exec(
        select(UserDepartment.user_id, Department.name)
        .join(Department, col(Department.id) == UserDepartment.department_id)
        .where(col(UserDepartment.user_id).in_(ids))
        .order_by(col(Department.id))
    ).all():
        out[user_id].append(name)
    return out


def _row(user: User, departments: list[str]) -> UserRow:
    assert user.id is not None
    return UserRow(
        id=user.id,
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        departments=departments,
        active=user.active,
        has_password=user.password_hash is not None,
    )


def get_user(session: Session, *, login: str) -> User:
    user = session.exec(select(User).where(User.login == login.strip())).first()
    if user is None:
        raise NotFoundError(f"没有用户“{login}”（用 tracker user list 查看全部用户）")
    return user


def add_user(
    session: Session,
    *,
    actor: Actor,
    login: str,
    role: str,
    departments: Iterable[str] = (),
    display_name: str = "",
    password: str | None = None,
) -> UserRow:
    """Add a user. The first user ends single-user mode, so it must be an admin."""
    require_admin(actor, "管理用户")
    login = login.strip()
    if not login or any(ch.isspace() for ch in login) or len(login) > 100:
        raise ValidationError("登录名不能为空、不能含空格，且不超过 100 个字符", field="login")
    role = parse_role(role)
    depts = [find_department(session, name=name) for name in departments]
    if role == STAFF and not depts:
        raise ValidationError("工作人员至少要属于一个部门（--dept 部门，可多次使用）", field="departments")
    if session.exec(select(User.id).where(User.login == login)).first() is not None:
        raise DuplicateError(f"用户“{login}”已存在")
    if session.exec(select(func.count()).select_from(User)).one() == 0 and role != ADMIN:
        raise ValidationError(
            f"数据库还没有用户：第一个用户必须是管理员（例如 tracker user add {actor.login} --role admin），"
            "否则将无人能管理用户",
            field="role",
        )
    user = User(
        login=login,
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    names: list[str] = []
    for dept in depts:
        assert dept.id is not None
        if dept.name in names:
            continue
        names.append(dept.name)
        session.add(UserDepartment(user_id=user.id, department_id=dept.id))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.add",
        entity="user",
        entity_id=user.id,
        new={
            "login": login,
            "role": role,
            "departments": names,
            "display_name": user.display_name,
            "password": "已设置" if password else "未设置",
        },
        detail=f"添加用户 {login}（{ROLE_LABELS[role]}）",
    )
    return _row(user, names)


def disable_user(session: Session, *, actor: Actor, login: str) -> UserRow:
    """Stop a user from acting; their records and audit rows stay."""
    require_admin(actor, "管理用户")
    user = get_user(session, login=login)
    if not user.active:
        raise ValidationError(f"用户“{user.login}”已经是停用状态", field="login")
    if user.role == ADMIN:
        others = session.exec(
            select(func.count()).select_from(User).where(User.role == ADMIN, col(User.active), User.id != user.id)
        ).one()
        if others == 0:
            raise ValidationError("不能停用唯一的管理员，请先添加另一名管理员", field="login")
    user.active = False
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.disable",
        entity="user",
        entity_id=user.id,
        old={"active": True},
        new={"active": False},
        detail=f"停用用户 {user.login}",
    )
    assert user.id is not None
    return _row(user, _departments_by_user(session, [user.id])[user.id])


def set_password(session: Session, *, actor: Actor, login: str, password: str | None) -> UserRow:
    """Set (or with None, remove) a password: admins for anyone, a user for themself."""
    user = get_user(session, login=login)
    if user.login != actor.login:
        require_admin(actor, "修改他人的密码")
    had = user.password_hash is not None
    user.password_hash = hash_password(password) if password else None
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.password",
        entity="user",
        entity_id=user.id,
        old={"password": "已设置" if had else "未设置"},
        new={"password": "已设置" if password else "未设置"},
        detail=f"{'设置' if password else '清除'}用户 {user.login} 的密码",
    )
    assert user.id is not None
    return _row(user, _departments_by_user(session, [user.id])[user.id])


def authenticate(session: Session, *, login: str, password: str) -> UserRow:
    """Password login on a shared terminal. The same message for every failure, so it reveals nothing."""
    user = session.exec(select(User).where(User.login == login.strip())).first()
    ok = user is not None and user.active and user.password_hash and verify_password(user.password_hash, password)
    if not ok or user is None:
        raise PermissionDenied("用户名或密码不正确，或该用户未设置密码")
    assert user.id is not None
    return _row(user, _departments_by_user(session, [user.id])[user.id])


def list_users(session: Session, *, include_disabled: bool = True) -> list[UserRow]:
    query = select(User).order_by(col(User.id))
    if not include_disabled:
        query = query.where(col(User.active))
    users = list(session.exec(query).all())
    depts = _departments_by_user(session, [u.id for u in users if u.id is not None])
    return [_row(u, depts.get(u.id or 0, [])) for u in users]


