"""Refused cases for the group-management and people endpoints: a plain member doing an admin
action, an outsider acting on a group, another user's friends, requests and friend groups, an
avatar that is not one. Each checks that nothing changed (see ``tests/helpers/authz.py``)."""

from __future__ import annotations

import httpx
import pytest

from messenger.protocol import api, errors
from tests.helpers.authz import nothing_changes, refuses
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice


async def _raw(
    device: RawDevice, route: str, body: object = None, /, **path: object
) -> httpx.Response:
    """A call by route name (a path parameter may be called ``name``)."""
    endpoint = api.BY_NAME[route]
    return await device.http.request(
        endpoint.method,
        endpoint.url(**path),
        json=body if body is not None else ({} if endpoint.body is not None else None),
        headers={"Authorization": f"Bearer {device.token}"},
    )


def _refused(
    response: httpx.Response,
    family: type[errors.MessengerError] | tuple[type[errors.MessengerError], ...],
) -> None:
    error = errors.error_from_wire(response.json())
    assert isinstance(error, family), (response.status_code, response.text)


async def _public_group(make: Make) -> tuple[RawDevice, RawDevice, RawDevice, str, str]:
    owner = await make(uid("owner"))
    member = await make(uid("member"))
    outsider = await make(uid("outsider"))
    group = await owner.call(
        "create_group", body={"name": "club", "type": "Public", "members": [member.user_id]}
    )
    sent = await owner.send("GROUP" + group.group_id, "hello club")
    return owner, member, outsider, group.group_id, sent.message_id


@refuses(
    "update_group",
    "kick_members",
    "set_member_role",
    "mute_member",
    "dismiss_group",
    "transfer_owner",
    "pin_message",
    "unpin_message",
    "group_applications",
    "handle_application",
    "update_member",
)
async def test_a_plain_member_cannot_manage_a_public_group(make: Make) -> None:
    owner, member, outsider, gid, message_id = await _public_group(make)
    o = owner.user_id
    attempts: list[tuple[str, object, dict[str, object]]] = [
        ("update_group", {"name": "taken over"}, {}),
        ("kick_members", {"user_ids": [o]}, {}),
        ("set_member_role", {"role": "admin"}, {"user_id": member.user_id}),
        ("mute_member", {"seconds": 600}, {"user_id": o}),
        ("dismiss_group", None, {}),
        ("transfer_owner", {"new_owner": member.user_id}, {}),
        ("pin_message", {"message_id": message_id}, {}),
        ("unpin_message", None, {"message_id": message_id}),
        ("group_applications", None, {}),
        ("handle_application", {"approve": True}, {"application_id": 1}),
        ("update_member", {"name_card": "boss"}, {"user_id": o}),
    ]
    async with nothing_changes(owner, member, outsider):
        for name, body, path in attempts:
            response = await _raw(member, name, body, group_id=gid, **path)
            _refused(response, (errors.PermissionDenied, errors.NotFound))
    info = await owner.call("get_group", group_id=gid)
    assert (info.name, info.owner) == ("club", o)


@refuses("quit_group", "group_online", "update_member", "join_group", "list_members")
async def test_an_outsider_cannot_act_on_a_group(make: Make) -> None:
    owner, member, outsider, gid, _ = await _public_group(make)
    work = await owner.call("create_group", body={"name": "work", "members": [member.user_id]})
    async with nothing_changes(owner, member, outsider):
        for name, body, path in [
            ("quit_group", None, {}),
            ("group_online", None, {}),
            ("update_member", {"name_card": "me"}, {"user_id": outsider.user_id}),
            ("list_members", None, {}),
        ]:
            response = await _raw(outsider, name, body, group_id=gid, **path)
            _refused(response, errors.PermissionDenied)
        # a Work group takes invitations only
        _refused(
            await _raw(outsider, "join_group", {}, group_id=work.group_id), errors.PermissionDenied
        )


@refuses("update_friend", "delete_friend", "accept_request", "refuse_request", "delete_request")
async def test_nobody_edits_friends_or_requests_they_do_not_have(make: Make) -> None:
    a = await make(uid("alice"))
    b = await make(uid("bob"))
    c = await make(uid("carol"))
    await a.call("add_friend", body={"user_id": b.user_id})  # alice → bob: a request or a friend
    async with nothing_changes(a, b, c):
        _refused(
            await _raw(c, "update_friend", {"remark": "x"}, user_id=b.user_id), errors.NotFound
        )
        _refused(await _raw(c, "accept_request", {}, user_id=a.user_id), errors.NotFound)
        _refused(await _raw(c, "refuse_request", {}, user_id=a.user_id), errors.NotFound)
        response = await _raw(c, "delete_friend", None, user_id=b.user_id)
        assert response.status_code >= 400 or response.json() == {}
        response = await _raw(c, "delete_request", None, user_id=b.user_id)
        assert response.status_code >= 400 or response.json() == {}
    contacts = await b.call("contacts")
    assert [r.sender for r in contacts.requests] in ([a.user_id], [])


@refuses("edit_friend_group", "delete_friend_group", "create_friend_group")
async def test_friend_groups_are_ones_own(make: Make) -> None:
    a = await make(uid("alice"))
    b = await make(uid("bob"))
    await _raw(a, "create_friend_group", {"name": "close"})
    async with nothing_changes(a, b):
        _refused(
            await _raw(b, "edit_friend_group", {"new_name": "mine"}, name="close"), errors.NotFound
        )
        _refused(await _raw(b, "delete_friend_group", None, name="close"), errors.NotFound)
        _refused(
            await _raw(b, "create_friend_group", {"name": "x", "user_ids": [a.user_id]}),
            errors.MessengerError,  # alice is not bob's friend
        )
    names = [g.name for g in (await a.call("contacts")).groups]
    assert names == ["close"]


@refuses("upload_avatar", "get_avatar", "update_me")
async def test_avatars_must_be_images_and_profiles_refer_to_real_ones(make: Make) -> None:
    a = await make(uid("alice"))
    async with nothing_changes(a):
        response = await a.http.post(
            "/v1/avatars",
            content=b"<svg onload=alert(1)>",
            headers={"Authorization": f"Bearer {a.token}"},
        )
        _refused(response, errors.InvalidRequest)
        _refused(await _raw(a, "get_avatar", avatar_id="0" * 32), errors.NotFound)
        _refused(await _raw(a, "update_me", {"avatar": "f" * 32}), errors.MessengerError)
    assert (await a.call("me")).avatar == ""


@refuses("block", "unblock", "add_friend", "relation", "presence", "search_users", "contacts")
@pytest.mark.parametrize("case", ["block_nobody", "blocked_cannot_add"])
async def test_blocks_and_friend_requests_respect_the_other_side(make: Make, case: str) -> None:
    a = await make(uid("alice"))
    b = await make(uid("bob"))
    if case == "block_nobody":
        async with nothing_changes(a, b):
            _refused(await _raw(a, "block", None, user_id=uid("nobody")), errors.NotFound)
        return
    await _raw(b, "block", None, user_id=a.user_id)
    async with nothing_changes(a, b):
        _refused(await _raw(a, "add_friend", {"user_id": b.user_id}), errors.PermissionDenied)
    relation = await _raw(a, "relation", user_id=b.user_id)
    assert relation.json()["relation"] == "none"


@refuses("create_topic", "topics")
async def test_only_managers_make_topics_and_only_members_list_them(make: Make) -> None:
    owner = await make(uid("owner"))
    member = await make(uid("member"))
    outsider = await make(uid("outsider"))
    group = await owner.call(
        "create_group", body={"name": "town", "type": "Community", "members": [member.user_id]}
    )
    gid = group.group_id
    async with nothing_changes(owner, member, outsider):
        _refused(
            await _raw(member, "create_topic", {"name": "mine"}, group_id=gid),
            errors.PermissionDenied,
        )
        _refused(
            await _raw(outsider, "create_topic", {"name": "x"}, group_id=gid),
            errors.PermissionDenied,
        )
        _refused(await _raw(outsider, "topics", group_id=gid), errors.PermissionDenied)
    listed = await _raw(owner, "topics", group_id=gid)
    assert listed.status_code == 200
    assert all(t["name"] != "mine" for t in listed.json().get("groups", []))
