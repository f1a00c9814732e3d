"""Refused cases, one or more for every route (``tests/meta/test_authorization.py`` checks that
none is missing): another user's conversations, groups one is not in, a member doing an admin
action, a logged-out token, a user session on the admin API. Each also checks that nothing
changed for the users involved."""

from __future__ import annotations

import httpx
import msgspec
import pytest

from messenger.protocol import api, errors, frames
from messenger.protocol.usersig import generate_usersig
from tests.helpers.authz import nothing_changes, refuses
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice, usersig
from tests.helpers.server import SDK_APP_ID, ServerProcess

SESSION_ROUTES = (
    "refresh",
    "logout",
    "me",
    "get_user",
    "get_users",
    "conversations",
    "conversation",
    "history",
    "search_messages",
    "send",
    "recall",
    "read",
    "update_state",
    "hide",
    "clear",
    "set_draft",
    "receipts",
    "readers",
    "typing",
    "sync",
    "create_group",
    "my_groups",
    "get_group",
    "add_members",
    "list_members",
    "update_group",
    "join_group",
    "group_applications",
    "handle_application",
    "quit_group",
    "dismiss_group",
    "transfer_owner",
    "kick_members",
    "set_member_role",
    "mute_member",
    "update_member",
    "pin_message",
    "unpin_message",
    "group_online",
    "update_me",
    "set_status",
    "upload_avatar",
    "get_avatar",
    "search_users",
    "contacts",
    "add_friend",
    "update_friend",
    "delete_friend",
    "relation",
    "accept_request",
    "refuse_request",
    "delete_request",
    "read_requests",
    "create_friend_group",
    "edit_friend_group",
    "delete_friend_group",
    "block",
    "unblock",
    "presence",
)

_ARGS: dict[str, dict[str, object]] = {
    "refresh": {"body": {"user_sig": "x"}},
    "send": {"body": {"client_msg_id": "m1", "body": {"text": "hi"}}},
    "read": {"body": {}},
    "update_state": {"body": {"pinned": True}},
    "set_draft": {"body": {"text": "draft", "edit_time": 1}},
    "receipts": {"query": {"seqs": "1"}},
    "search_messages": {"query": {"q": "hello"}},
    "typing": {"body": {}},
    "create_group": {"body": {"name": "g"}},
    "add_members": {"body": {"user_ids": ["x"]}},
    "get_users": {"body": {"user_ids": ["x"]}},
}


async def _pair(make: Make) -> tuple[RawDevice, RawDevice, str]:
    """alice and bob with one message in their C2C chat; returns its conversation for alice."""
    alice, bob = uid("alice"), uid("bob")
    a = await make(alice)
    b = await make(bob)
    await a.send("C2C" + bob, "hello")
    return a, b, "C2C" + bob


async def _group(make: Make, type_: str = "Work") -> tuple[RawDevice, RawDevice, RawDevice, str]:
    """owner and member in a group with one message, and an outsider; returns the group ID."""
    owner = await make(uid("owner"))
    member = await make(uid("member"))
    outsider = await make(uid("outsider"))
    group = await owner.call(
        "create_group", body={"name": "team", "type": type_, "members": [member.user_id]}
    )
    await owner.send("GROUP" + group.group_id, "for members only")
    return owner, member, outsider, group.group_id


# -- sessions -----------------------------------------------------------------------------------------
@refuses(*SESSION_ROUTES)
@pytest.mark.parametrize("route", SESSION_ROUTES)
async def test_a_logged_out_token_is_refused_everywhere(make: Make, route: str) -> None:
    a, b, conv = await _pair(make)
    gone = RawDevice(a.url, a.user_id, "old-device")
    await gone.sign_in()
    await gone.call("logout")
    path: dict[str, object] = {"conversation_id": conv, "message_id": "x", "seq": 1}
    path |= {"user_id": b.user_id, "group_id": "g1", "application_id": 1, "avatar_id": "a"}
    path["name"] = "friends"
    endpoint = api.BY_NAME[route]
    args = _ARGS.get(route, {})
    async with nothing_changes(a, b):
        response = await gone.http.request(
            endpoint.method,
            endpoint.url(**{p: path[p] for p in endpoint.path_params}),
            json=args.get("body", {}),
            params=args.get("query"),  # type: ignore[arg-type]
            headers={"Authorization": f"Bearer {gone.token}"},
        )
        assert response.status_code == 401
        assert response.json()["name"] == "session_revoked"
    await gone.aclose()


@refuses("me", "sync", "conversations")
@pytest.mark.parametrize("token", ["", "Bearer", "Bearer nope", "Basic abc"])
async def test_calls_without_a_valid_session_are_refused(server: ServerProcess, token: str) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        for path in ("/v1/me", "/v1/sync", "/v1/conversations"):
            response = await http.get(path, headers={"Authorization": token} if token else {})
            assert response.status_code == 401
            assert response.json()["name"] == "session_invalid"


@refuses("websocket")
async def test_a_logged_out_session_cannot_open_the_websocket(make: Make) -> None:
    a, _b, _ = await _pair(make)
    gone = await make(a.user_id)
    await gone.call("logout")
    with pytest.raises(errors.SessionRevoked):
        await gone.connect()
    assert gone.closed is not None
    assert await gone.closed == frames.CLOSE_AUTH_FAILED


@refuses("logout")
async def test_logging_out_ends_only_this_device(make: Make) -> None:
    a, b, conv = await _pair(make)
    other = await make(a.user_id)
    async with nothing_changes(a, b):
        await other.call("logout")
        with pytest.raises(errors.SessionRevoked):
            await other.call("logout")
    assert len((await a.history(conv)).messages) == 1


@refuses("refresh")
async def test_refresh_with_another_users_usersig_is_refused(make: Make) -> None:
    a, b, _ = await _pair(make)
    before = a.login
    assert before is not None
    async with nothing_changes(a, b):
        with pytest.raises(errors.UserSigWrongUser):
            await a.call("refresh", body={"user_sig": usersig(b.user_id, expire=10**7)})
    assert (await a.call("me")).user_id == a.user_id


# -- accounts -------------------------------------------------------------------------------------------
@refuses("register")
async def test_register_cannot_take_an_existing_or_reserved_id(make: Make) -> None:
    a, b, _ = await _pair(make)
    anonymous = RawDevice(a.url, "")
    async with nothing_changes(a, b):
        with pytest.raises(errors.AlreadyExists):
            await anonymous.call(
                "register", body={"user_id": a.user_id, "password": "long enough password"}
            )
        with pytest.raises(errors.PermissionDenied):
            await anonymous.call(
                "register", body={"user_id": "administrator", "password": "long enough password"}
            )
    await anonymous.aclose()


@refuses("password_login")
async def test_a_wrong_password_gets_no_usersig(server: ServerProcess) -> None:
    user = uid("pw")
    anonymous = RawDevice(server.url, "")
    await anonymous.call("register", body={"user_id": user, "password": "the right password"})
    with pytest.raises(errors.BadCredentials):
        await anonymous.call("password_login", body={"user_id": user, "password": "wrong one!"})
    with pytest.raises(errors.BadCredentials):
        await anonymous.call(
            "password_login", body={"user_id": "administrator", "password": "anything at all"}
        )
    sig = await anonymous.call(
        "password_login", body={"user_id": user, "password": "the right password"}
    )
    assert sig.user_id == user
    await anonymous.aclose()


@refuses("login")
async def test_a_usersig_signs_in_only_its_own_user(make: Make) -> None:
    a, b, _ = await _pair(make)
    thief = RawDevice(a.url, b.user_id)
    async with nothing_changes(a, b):
        with pytest.raises(errors.UserSigWrongUser):
            await thief.sign_in(usersig(a.user_id))
        with pytest.raises(errors.UserSigForged):
            await thief.sign_in(generate_usersig(SDK_APP_ID, "not-the-key" * 4, b.user_id, 600))
    assert thief.token == ""
    await thief.aclose()


@refuses("get_user")
async def test_get_user_of_nobody_is_not_found(make: Make) -> None:
    a, b, _ = await _pair(make)
    async with nothing_changes(a, b):
        with pytest.raises(errors.UserNotFound):
            await a.call("get_user", user_id=uid("nobody"))


# -- another user's C2C chat ----------------------------------------------------------------------------
@refuses("history", "conversation", "receipts", "readers")
async def test_nobody_reads_another_users_c2c_chat(make: Make) -> None:
    a, b, _ = await _pair(make)
    carol = await make(uid("carol"))
    async with nothing_changes(a, b):
        # carol's "C2C<bob>" is her own chat with bob: alice's messages are not in it
        assert (await carol.history("C2C" + b.user_id)).messages == []
        summary = await carol.call("conversation", conversation_id="C2C" + b.user_id)
        assert summary.last_message is None
        receipts = await carol.call(
            "receipts", conversation_id="C2C" + b.user_id, query={"seqs": "1"}
        )
        assert all(r.read_count == 0 for r in receipts.receipts)
        with pytest.raises(errors.MessengerError):
            await carol.call("readers", conversation_id="C2C" + b.user_id, seq=1)


@refuses("recall")
async def test_nobody_recalls_another_users_message(make: Make) -> None:
    a, b, conv = await _pair(make)
    (message,) = (await a.history(conv)).messages
    async with nothing_changes(a, b):
        with pytest.raises(errors.PermissionDenied):
            await b.call("recall", conversation_id="C2C" + a.user_id, message_id=message.message_id)
    assert not (await a.history(conv)).messages[0].recalled


# -- groups one is not in ---------------------------------------------------------------------------------
@refuses(
    "conversation",
    "history",
    "send",
    "read",
    "receipts",
    "readers",
    "get_group",
    "list_members",
    "add_members",
    "typing",
)
async def test_an_outsider_can_do_nothing_in_a_group(make: Make) -> None:
    owner, member, outsider, group_id = await _group(make)
    conv = "GROUP" + group_id
    async with nothing_changes(owner, member, outsider):
        with pytest.raises(errors.NotMember):
            await outsider.history(conv)
        with pytest.raises(errors.NotMember):
            await outsider.call("conversation", conversation_id=conv)
        with pytest.raises(errors.NotMember):
            await outsider.send(conv, "let me in")
        with pytest.raises(errors.NotMember):
            await outsider.call("read", conversation_id=conv, body={})
        with pytest.raises(errors.NotMember):
            await outsider.call("receipts", conversation_id=conv, query={"seqs": "1,2"})
        with pytest.raises(errors.NotMember):
            await outsider.call("readers", conversation_id=conv, seq=2)
        with pytest.raises(errors.NotMember):
            await outsider.call("get_group", group_id=group_id)
        with pytest.raises(errors.NotMember):
            await outsider.call("list_members", group_id=group_id)
        with pytest.raises(errors.NotMember):
            await outsider.call(
                "add_members", group_id=group_id, body={"user_ids": [outsider.user_id]}
            )
        with pytest.raises(errors.NotMember):
            await outsider.call("typing", conversation_id=conv, body={})
    assert (await outsider.call("my_groups")).groups == []


@refuses("update_state", "hide", "clear", "set_draft")
async def test_an_outsider_keeps_no_state_in_a_group(make: Make) -> None:
    owner, member, outsider, group_id = await _group(make)
    conv = "GROUP" + group_id
    async with nothing_changes(owner, member, outsider):
        with pytest.raises(errors.NotMember):
            await outsider.call("update_state", conversation_id=conv, body={"pinned": True})
        with pytest.raises(errors.NotMember):
            await outsider.call("hide", conversation_id=conv)
        with pytest.raises(errors.NotMember):
            await outsider.call("clear", conversation_id=conv)
        with pytest.raises(errors.NotMember):
            await outsider.call(
                "set_draft", conversation_id=conv, body={"text": "x", "edit_time": 1}
            )


@refuses("add_members")
async def test_a_plain_member_cannot_add_members_to_a_public_group(make: Make) -> None:
    owner, member, outsider, group_id = await _group(make, "Public")
    async with nothing_changes(owner, member, outsider):
        with pytest.raises(errors.PermissionDenied):
            await member.call(
                "add_members", group_id=group_id, body={"user_ids": [outsider.user_id]}
            )
    page = await owner.call("list_members", group_id=group_id)
    assert outsider.user_id not in {m.user_id for m in page.members}


@refuses("create_group")
async def test_nobody_takes_over_another_groups_id(make: Make) -> None:
    owner, member, outsider, group_id = await _group(make)
    async with nothing_changes(owner, member, outsider):
        with pytest.raises(errors.AlreadyExists):
            await outsider.call(
                "create_group",
                body={"name": "mine now", "group_id": group_id, "members": [owner.user_id]},
            )
    assert (await owner.call("get_group", group_id=group_id)).name == "team"


@refuses("my_groups", "conversations", "sync")
async def test_lists_show_only_ones_own(make: Make) -> None:
    _owner, _member, outsider, group_id = await _group(make)
    assert (await outsider.call("my_groups")).groups == []
    listed = await outsider.call("conversations")
    assert all(s.state.conversation_id != "GROUP" + group_id for s in listed.conversations)
    changes, _ = await outsider.sync_all()
    assert "for members only" not in msgspec.json.encode(changes).decode()


# -- the admin API ---------------------------------------------------------------------------------------------
@refuses(
    "admin_add_user",
    "admin_ban",
    "admin_unban",
    "admin_create_group",
    "admin_add_members",
    "admin_notice",
)
async def test_the_admin_api_refuses_user_sessions_and_user_usersigs(make: Make) -> None:
    a, b, _ = await _pair(make)
    group = await b.call("create_group", body={"name": "b's own"})
    attempts = [
        ("POST", "/v1/admin/users", {"user_id": uid("new"), "nickname": "x"}),
        ("POST", f"/v1/admin/users/{b.user_id}/ban", None),
        ("POST", f"/v1/admin/users/{b.user_id}/unban", None),
        ("POST", "/v1/admin/groups", {"owner": a.user_id, "group": {"name": "a's by proxy"}}),
        ("POST", f"/v1/admin/groups/{group.group_id}/members", {"user_ids": [a.user_id]}),
        ("POST", "/v1/admin/notices", {"user_ids": [b.user_id], "text": "fake notice"}),
    ]
    headers = [
        ({"Authorization": f"Bearer {a.token}"}, 401),
        ({"Authorization": f"UserSig {a.user_id}:{usersig(a.user_id)}"}, 403),
        ({"Authorization": f"UserSig administrator:{usersig(a.user_id)}"}, 401),
        ({}, 401),
    ]
    async with nothing_changes(a, b):
        for method, path, body in attempts:
            for header, status in headers:
                response = await a.http.request(method, path, json=body, headers=header)
                assert response.status_code == status, (path, header)
    assert (await b.call("me")).user_id == b.user_id  # not banned
    assert (await a.call("my_groups")).groups == []  # no group made or joined for a
    with pytest.raises(errors.UserNotFound):
        await a.call("get_user", user_id=attempts[0][2]["user_id"])  # type: ignore[index]


# -- public documents -----------------------------------------------------------------------------------------
@refuses("health", "openapi", "metrics")
async def test_public_documents_are_read_only_and_tell_nothing_private(make: Make) -> None:
    a, b, _ = await _pair(make)
    async with nothing_changes(a, b):
        for path in ("/health", "/openapi.json", "/metrics"):
            for method in ("POST", "PUT", "DELETE"):
                response = await a.http.request(method, path)
                assert response.status_code == 405, (method, path)
        health = (await a.http.get("/health")).json()
        assert set(health) == {"status", "version", "uptime_ms", "connections"}
        text = (await a.http.get("/metrics")).text + (await a.http.get("/openapi.json")).text
        assert a.user_id not in text and a.token not in text
