"""``messenger-server admin``: accounts, UserSigs, imports and bans, on a running server and on a
data folder no server is using."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from messenger.protocol import errors, frames
from messenger.protocol.usersig import generate_usersig
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice, usersig
from tests.helpers.server import SDK_APP_ID, SECRET_KEY, ServerProcess, shared_server


def admin(
    data_dir: Path, *args: str, database: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``messenger-server admin`` on ``data_dir`` (and on ``database`` when the server keeps its
    data in PostgreSQL)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "messenger.server.cli",
            "admin",
            "--data-dir",
            str(data_dir),
            "--sdk-app-id",
            str(SDK_APP_ID),
            "--secret-key",
            SECRET_KEY,
            *(["--database", database] if database else []),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with shared_server(tmp_path_factory.mktemp("admin")) as proc:
        yield proc


async def password_sign_in(url: str, user_id: str, password: str) -> RawDevice:
    device = RawDevice(url, user_id)
    try:
        issued = await device.call(
            "password_login", body={"user_id": user_id, "password": password}
        )
        return await device.sign_in(issued.user_sig)
    except BaseException:
        await device.aclose()
        raise


async def test_add_user_with_a_password_signs_in(server: ServerProcess) -> None:
    user = uid("added")
    done = admin(
        server.data_dir, "add-user", user, "--password", "s3cret pass", "--nickname", "艾达"
    )
    assert done.returncode == 0, done.stderr
    assert f"created {user}" in done.stdout
    device = await password_sign_in(server.url, user, "s3cret pass")
    try:
        assert (await device.call("me")).nickname == "艾达"
        with pytest.raises(errors.BadCredentials):
            await device.call("password_login", body={"user_id": user, "password": "wrong pass"})
    finally:
        await device.aclose()
    again = admin(server.data_dir, "add-user", user)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    bad = admin(server.data_dir, "add-user", "not valid!")
    assert bad.returncode == 1 and "invalid user ID" in bad.stderr


async def test_usersig_prints_a_sig_the_server_accepts(server: ServerProcess) -> None:
    user = uid("sig")
    done = admin(server.data_dir, "usersig", user, "--expire", "3600")
    assert done.returncode == 0, done.stderr
    sig = done.stdout.strip()
    device = await RawDevice(server.url, user).sign_in(sig)
    try:
        assert device.login is not None
        assert device.login.user_id == user
    finally:
        await device.aclose()


async def test_import_users_from_json_and_csv(server: ServerProcess, tmp_path: Path) -> None:
    one, two, three, four = (uid("imp") for _ in range(4))
    as_json = tmp_path / "users.json"
    as_json.write_text(
        json.dumps(
            [
                {"user_id": one, "nickname": "One", "password": "password one"},
                {"user_id": two},
            ]
        ),
        "utf-8",
    )
    as_csv = tmp_path / "users.csv"
    as_csv.write_text(
        f"user_id,nickname,password\n{three},Three,password three\n{four},Four,\n{one},,\n",
        "utf-8",
    )
    done = admin(server.data_dir, "import-users", str(as_json))
    assert done.returncode == 0, done.stderr
    assert "created 2 users, 0 already existed" in done.stdout
    done = admin(server.data_dir, "import-users", str(as_csv))
    assert done.returncode == 0, done.stderr
    assert "created 2 users, 1 already existed" in done.stdout

    a = await password_sign_in(server.url, one, "password one")
    c = await password_sign_in(server.url, three, "password three")
    try:
        assert (await a.call("get_user", user_id=three)).nickname == "Three"
        assert (await a.call("get_user", user_id=four)).nickname == "Four"
        assert (await a.call("get_user", user_id=two)).user_id == two
        assert (await c.call("me")).nickname == "Three"
        with pytest.raises(errors.BadCredentials):  # no password: UserSigs only
            await a.call("password_login", body={"user_id": four, "password": "anything at all"})
    finally:
        await a.aclose()
        await c.aclose()

    broken = tmp_path / "broken.json"
    broken.write_text('{"user_id": "x"}', "utf-8")
    failed = admin(server.data_dir, "import-users", str(broken))
    assert failed.returncode == 1 and "list" in failed.stderr


async def test_a_ban_reaches_the_running_server_at_once(server: ServerProcess) -> None:
    user, friend = uid("banned"), uid("friend")
    device = await RawDevice(server.url, user).sign_in()
    other = await RawDevice(server.url, user).sign_in()
    f = await RawDevice(server.url, friend).sign_in()
    try:
        await device.connect()
        await f.send("C2C" + user, "hi")
        await device.changes(1)

        done = admin(server.data_dir, "ban", user)
        assert done.returncode == 0, done.stderr
        kicked = await device.next_of(frames.Kicked)
        assert kicked.reason == "banned"
        assert device.closed is not None
        assert await asyncio.wait_for(device.closed, 5) == frames.CLOSE_KICKED
        for d in (device, other):  # every session ended, connected or not
            with pytest.raises(errors.SessionRevoked):
                await d.call("me")
        fresh = RawDevice(server.url, user)
        with pytest.raises(errors.AccountBanned):
            await fresh.sign_in()
        await fresh.aclose()
        assert (await f.send("C2C" + user, "still a user")).seq == 2

        done = admin(server.data_dir, "unban", user)
        assert done.returncode == 0, done.stderr
        back = await RawDevice(server.url, user).sign_in()
        assert (await back.history("C2C" + friend)).messages[-1].seq == 2
        await back.aclose()
        assert admin(server.data_dir, "ban", uid("nobody")).returncode == 1
    finally:
        for d in (device, other, f):
            await d.aclose()


async def test_the_admin_api_needs_an_administrators_usersig(server: ServerProcess) -> None:
    user = uid("target")
    body = {"user_id": user, "password": "long enough"}
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:

        async def add(authorization: str | None) -> errors.MessengerError | None:
            headers = {"Authorization": authorization} if authorization else {}
            response = await http.post("/v1/admin/users", json=body, headers=headers)
            if response.status_code == 200:
                return None
            return errors.error_from_wire(response.json())

        assert isinstance(await add(None), errors.SessionInvalid)
        assert isinstance(await add("Bearer nope"), errors.SessionInvalid)
        someone = uid("someone")
        assert isinstance(
            await add(f"UserSig {someone}:{usersig(someone)}"), errors.PermissionDenied
        )
        forged = generate_usersig(SDK_APP_ID, "not-the-key-0123456789", "administrator")
        assert isinstance(await add(f"UserSig administrator:{forged}"), errors.UserSigForged)
        assert await add(f"UserSig administrator:{usersig('administrator')}") is None
    # the administrator's ID cannot become a password account
    device = RawDevice(server.url, "administrator")
    try:
        with pytest.raises(errors.PermissionDenied):
            await device.call(
                "register", body={"user_id": "administrator", "password": "long enough"}
            )
        with pytest.raises(errors.BadCredentials):
            await device.call(
                "password_login", body={"user_id": "administrator", "password": "long enough"}
            )
    finally:
        await device.aclose()
    signed = await password_sign_in(server.url, user, "long enough")
    await signed.aclose()


async def test_without_a_running_server_admin_writes_the_data_folder(tmp_path: Path) -> None:
    proc = ServerProcess(tmp_path / "offline")
    proc.start()
    proc.stop()
    user, banned = uid("offline"), uid("banned")
    db = proc.database
    added = admin(proc.data_dir, "add-user", user, "--password", "offline pass", database=db)
    assert added.returncode == 0
    assert admin(proc.data_dir, "add-user", banned, database=db).returncode == 0
    done = admin(proc.data_dir, "ban", banned, database=db)
    assert done.returncode == 0, done.stderr
    proc.start()
    try:
        device = await password_sign_in(proc.url, user, "offline pass")
        await device.aclose()
        other = RawDevice(proc.url, banned)
        with pytest.raises(errors.AccountBanned):
            await other.sign_in()
        await other.aclose()
    finally:
        proc.stop()


def test_a_second_server_on_the_same_data_folder_refuses_to_start(server: ServerProcess) -> None:
    second = ServerProcess(server.data_dir)
    second.log_path = server.data_dir / "second.log"
    with pytest.raises(RuntimeError, match="in use"):
        second.start(timeout=20)
    assert httpx.get(server.url + "/health", timeout=5).status_code == 200
