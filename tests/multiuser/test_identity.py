"""Who is acting: the OS account, TRACKER_USER only for root, and password login on shared terminals."""

from __future__ import annotations

import pytest

from tests.conftest import Cli
from tracker.errors import PermissionDenied
from tracker.services import auth


def test_tracker_user_may_not_name_someone_else_for_an_ordinary_account(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_real_login", lambda: "zhang")
    monkeypatch.setattr(auth.os, "getuid", lambda: 1000)
    monkeypatch.setenv("TRACKER_USER", "admin")
    with pytest.raises(PermissionDenied, match="只能是本人的系统账号"):
        auth.os_login()
    monkeypatch.setenv("TRACKER_USER", "zhang")
    assert auth.os_login() == "zhang"
    monkeypatch.delenv("TRACKER_USER")
    assert auth.os_login() == "zhang"


def test_root_may_name_the_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_real_login", lambda: "root")
    monkeypatch.setattr(auth.os, "getuid", lambda: 0)
    monkeypatch.setenv("TRACKER_USER", "wang")
    assert auth.os_login() == "wang"


def test_password_login_on_a_shared_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("user", "add", "tester", "--role", "admin").exit_code == 0
    added = cli("user", "add", "li", "--role", "leader", "--password", input="s3cret-Pw\ns3cret-Pw\n")
    assert added.exit_code == 0, added.stderr
    ok = cli("--user", "li", "whoami", input="s3cret-Pw\n")
    assert ok.exit_code == 0, ok.stderr
    assert "li" in ok.stdout and "领导" in ok.stdout
    bad = cli("--user", "li", "whoami", input="wrong\n")
    assert bad.exit_code == 1
    assert "用户名或密码不正确" in bad.stderr
    monkeypatch.setenv("TRACKER_PASSWORD", "s3cret-Pw")
    assert cli("--user", "li", "whoami").exit_code == 0
