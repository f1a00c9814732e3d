"""The app administrator's groups and system notices (S3), from ``messenger-server admin`` through
a running server's admin API and directly on a data folder no server uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from messenger.protocol import errors, frames
from messenger.protocol.ids import SYSTEM_CONVERSATION_ID
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess, shared_server
from tests.integration.server.test_admin_cli import admin


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with shared_server(tmp_path_factory.mktemp("admin-groups")) as proc:
        yield proc


async def _signed_in(url: str, *names: str) -> list[RawDevice]:
    return [await RawDevice(url, uid(n)).sign_in() for n in names]


def _group_id(stdout: str) -> str:
    found = re.search(r"created group (\S+)", stdout)
    assert found, stdout
    return found.group(1)


async def test_admin_creates_a_group_adds_members_and_everyone_sees_it(
    server: ServerProcess,
) -> None:
    owner, first, later = await _signed_in(server.url, "owner", "first", "later")
    try:
        await later.connect()
        done = admin(server.data_dir, "create-group", owner.user_id, "Ops team", first.user_id)
        assert done.returncode == 0, done.stderr
        group_id = _group_id(done.stdout)
        mine = (await owner.call("my_groups")).groups
        assert [(g.group_id, g.owner, g.name) for g in mine] == [
            (group_id, owner.user_id, "Ops team")
        ]
        assert [g.group_id for g in (await first.call("my_groups")).groups] == [group_id]
        assert (await later.call("my_groups")).groups == []

        done = admin(server.data_dir, "add-members", group_id, later.user_id)
        assert done.returncode == 0, done.stderr
        assert f"{group_id} has 3 members" in done.stdout
        change = await later.wait_for(
            lambda f: (
                isinstance(f, frames.Changes)
                and any(isinstance(c, frames.GroupChange) for c in f.changes)
            )
        )
        assert isinstance(change, frames.Changes)
        page = await owner.call("list_members", group_id=group_id, query={"limit": 10})
        assert {m.user_id for m in page.members} == {owner.user_id, first.user_id, later.user_id}
        tips = (await later.history("GROUP" + group_id)).messages
        assert tips[-1].body["operator"] == "administrator"  # the app admin, not a member
    finally:
        for d in (owner, first, later):
            await d.aclose()


async def test_a_system_notice_reaches_each_users_system_conversation(
    server: ServerProcess,
) -> None:
    online, offline = await _signed_in(server.url, "online", "offline")
    try:
        await online.connect()
        done = admin(
            server.data_dir, "notice", "Maintenance at 22:00 UTC", online.user_id, offline.user_id
        )
        assert done.returncode == 0, done.stderr
        assert "sent 2 notices" in done.stdout
        (change,) = await online.changes(1)
        pushed = change.message
        assert pushed.conv_type == "system" and pushed.sender == "administrator"
        assert pushed.body["notice"] == "admin_notice"
        assert pushed.body["detail"] == {"text": "Maintenance at 22:00 UTC"}
        kept = (await offline.history(SYSTEM_CONVERSATION_ID)).messages
        assert [m.body["detail"]["text"] for m in kept] == ["Maintenance at 22:00 UTC"]
    finally:
        for d in (online, offline):
            await d.aclose()


async def test_bad_admin_requests_are_refused_and_store_nothing(server: ServerProcess) -> None:
    (user,) = await _signed_in(server.url, "user")
    try:
        stranger = uid("nobody")
        done = admin(server.data_dir, "notice", "hello", user.user_id, stranger)
        assert done.returncode == 1
        assert stranger in done.stderr
        done = admin(server.data_dir, "notice", "   ", user.user_id)
        assert done.returncode == 1 and "text" in done.stderr
        assert (await user.history(SYSTEM_CONVERSATION_ID)).messages == []
        done = admin(server.data_dir, "create-group", stranger, "Nobody's")
        assert done.returncode == 1 and stranger in done.stderr
        done = admin(server.data_dir, "add-members", "grp_missing", user.user_id)
        assert done.returncode == 1 and "group" in done.stderr
        assert (await user.call("my_groups")).groups == []
    finally:
        await user.aclose()


async def test_without_a_server_admin_groups_and_notices_write_the_data_folder(
    tmp_path: Path,
) -> None:
    proc = ServerProcess(tmp_path / "offline")
    proc.start()
    owner, member = await _signed_in(proc.url, "owner", "member")
    await owner.aclose()
    await member.aclose()
    proc.stop()
    db = proc.database  # (when the servers keep their data in PostgreSQL)
    done = admin(
        proc.data_dir, "create-group", owner.user_id, "Offline", "--type", "Public", database=db
    )
    assert done.returncode == 0, done.stderr
    group_id = _group_id(done.stdout)
    assert (
        admin(proc.data_dir, "add-members", group_id, member.user_id, database=db).returncode == 0
    )
    assert admin(proc.data_dir, "notice", "Welcome", member.user_id, database=db).returncode == 0
    proc.start()
    again = await RawDevice(proc.url, member.user_id).sign_in()
    try:
        (group,) = (await again.call("my_groups")).groups
        assert (group.group_id, group.type.value, group.member_count) == (group_id, "Public", 2)
        notices = (await again.history(SYSTEM_CONVERSATION_ID)).messages
        assert [
            m.body["detail"].get("text") for m in notices if m.body["notice"] == "admin_notice"
        ] == ["Welcome"]
        with pytest.raises(errors.PermissionDenied):
            await again.send(SYSTEM_CONVERSATION_ID, "replying to the admin")
    finally:
        await again.aclose()
        proc.stop()
