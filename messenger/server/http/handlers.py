"""One handler per REST endpoint of ``protocol.api``: unpack the request, call a service."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from messenger import __version__
from messenger.protocol import api, bounds
from messenger.protocol import models as m
from messenger.protocol import social as s
from messenger.protocol.errors import InvalidParameter
from messenger.protocol.frames import SyncPage
from messenger.protocol.ids import check_user_id
from messenger.server.context import ServerContext
from messenger.server.hub import Connection
from messenger.server.services.auth import Session

SYNC_PAGE_MAX = 1000


@dataclass(frozen=True, slots=True)
class Call:
    """Everything a handler gets: the app's services, the caller, and the decoded request."""

    ctx: ServerContext
    session: Session | None
    path: dict[str, Any]  # each as its type in api.PATH_PARAMS
    body: Any
    query: Any
    started: float
    raw: bytes = b""  # the body of a binary endpoint

    @property
    def user_id(self) -> str:
        assert self.session is not None
        return self.session.user_id

    @property
    def origin(self) -> Connection | None:
        """The caller's own socket: it learns the result from the response, not as a change."""
        assert self.session is not None
        return self.ctx.hub.session_connection(self.session.user_id, self.session.token_hash)


Handler = Callable[[Call], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        assert name in api.BY_NAME, name
        HANDLERS[name] = fn
        return fn

    return register


def _seqs(text: str) -> list[int]:
    """Comma-separated sequence numbers, each within ``bounds.Count``."""
    seqs: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isascii() or not part.isdigit() or int(part) > bounds.MAX_INT:
            raise InvalidParameter(
                f"seqs: {part[:20]!r} is not a sequence number", field="seqs", reason="schema"
            )
        seqs.append(int(part))
    return seqs


@handles("health")
async def health(c: Call) -> m.Health:
    return m.Health(
        status="ok",
        version=__version__,
        uptime_ms=int((time.monotonic() - c.ctx.started) * 1000),
        connections=c.ctx.hub.connection_count,
    )


# -- accounts ----------------------------------------------------------------------------------------
@handles("register")
async def register(c: Call) -> m.Profile:
    return await c.ctx.auth.register(c.body)


@handles("password_login")
async def password_login(c: Call) -> m.UserSigResponse:
    return await c.ctx.auth.password_usersig(c.body)


@handles("login")
async def login(c: Call) -> m.LoginResponse:
    return await c.ctx.auth.login(c.body)


@handles("refresh")
async def refresh(c: Call) -> m.RefreshResponse:
    assert c.session is not None
    return await c.ctx.auth.refresh(c.session, c.body.user_sig)


@handles("logout")
async def logout(c: Call) -> m.Empty:
    assert c.session is not None
    await c.ctx.auth.logout(c.session)
    return m.Empty()


@handles("me")
async def me(c: Call) -> m.Profile:
    return await c.ctx.profiles.get(c.user_id)


@handles("get_user")
async def get_user(c: Call) -> m.Profile:
    return await c.ctx.profiles.get(check_user_id(c.path["user_id"]))


# -- conversations -------------------------------------------------------------------------------------
@handles("conversations")
async def conversations(c: Call) -> m.ConversationList:
    return await c.ctx.conversations.list(c.user_id)


@handles("conversation")
async def conversation(c: Call) -> m.ConversationSummary:
    return await c.ctx.conversations.get(c.user_id, c.path["conversation_id"])


@handles("read")
async def read(c: Call) -> m.ConversationState:
    return await c.ctx.conversations.read(
        c.user_id, c.path["conversation_id"], c.body.seq, origin=c.origin
    )


@handles("update_state")
async def update_state(c: Call) -> m.ConversationState:
    return await c.ctx.conversations.update_state(
        c.user_id, c.path["conversation_id"], c.body, c.origin
    )


@handles("hide")
async def hide(c: Call) -> m.ConversationState:
    return await c.ctx.conversations.hide(c.user_id, c.path["conversation_id"], c.origin)


@handles("clear")
async def clear(c: Call) -> m.ConversationState:
    return await c.ctx.conversations.clear(c.user_id, c.path["conversation_id"], c.origin)


@handles("set_draft")
async def set_draft(c: Call) -> m.ConversationState:
    return await c.ctx.conversations.set_draft(
        c.user_id, c.path["conversation_id"], c.body, c.origin
    )


# -- messages ----------------------------------------------------------------------------------------------
@handles("history")
async def history(c: Call) -> m.MessagePage:
    q: api.HistoryQuery = c.query
    return await c.ctx.messaging.history(
        c.user_id,
        c.path["conversation_id"],
        before_seq=q.before_seq,
        after_seq=q.after_seq,
        limit=q.limit,
        since_time=q.since_time,
        only_kind=q.kind,
    )


@handles("search_messages")
async def search_messages(c: Call) -> m.SearchPage:
    return await c.ctx.messaging.search(c.user_id, c.query)


@handles("send")
async def send(c: Call) -> m.Message:
    return await c.ctx.messaging.send(c.user_id, c.path["conversation_id"], c.body, c.origin)


@handles("recall")
async def recall(c: Call) -> m.Message:
    return await c.ctx.messaging.recall(c.user_id, c.path["conversation_id"], c.path["message_id"])


@handles("receipts")
async def receipts(c: Call) -> m.Receipts:
    q: api.ReceiptsQuery = c.query
    return await c.ctx.receipts.receipts(c.user_id, c.path["conversation_id"], _seqs(q.seqs))


@handles("readers")
async def readers(c: Call) -> m.ReaderList:
    return await c.ctx.receipts.readers(c.user_id, c.path["conversation_id"], c.path["seq"])


@handles("typing")
async def typing(c: Call) -> m.Empty:
    await c.ctx.messaging.typing(c.user_id, c.path["conversation_id"], c.body.typing)
    return m.Empty()


@handles("sync")
async def sync(c: Call) -> SyncPage:
    q: api.SyncQuery = c.query
    if q.since < 0 or not 1 <= q.limit <= SYNC_PAGE_MAX:
        raise InvalidParameter(f"since ≥ 0 and limit 1–{SYNC_PAGE_MAX}", field="limit")
    page = await c.ctx.storage.feed(c.user_id, q.since, q.limit)
    return SyncPage(changes=page.changes, next_version=page.next_version, has_more=page.has_more)


# -- groups --------------------------------------------------------------------------------------------------
@handles("create_group")
async def create_group(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.create(c.user_id, c.body)


@handles("my_groups")
async def my_groups(c: Call) -> m.GroupList:
    return m.GroupList(groups=await c.ctx.groups.mine(c.user_id))


@handles("get_group")
async def get_group(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.get(c.user_id, c.path["group_id"])


@handles("add_members")
async def add_members(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.add_members(c.user_id, c.path["group_id"], c.body.user_ids)


@handles("list_members")
async def list_members(c: Call) -> m.MemberPage:
    q: api.MembersQuery = c.query
    return await c.ctx.groups.members(c.user_id, c.path["group_id"], q.offset, q.limit)


# -- people --------------------------------------------------------------------------------------------------
@handles("update_me")
async def update_me(c: Call) -> m.Profile:
    return await c.ctx.profiles.update(c.user_id, c.body)


@handles("set_status")
async def set_status(c: Call) -> m.Empty:
    await c.ctx.presence.set_text(c.user_id, c.body.text)
    return m.Empty()


@handles("upload_avatar")
async def upload_avatar(c: Call) -> s.AvatarRef:
    return await c.ctx.avatars.upload(c.raw)


@handles("get_avatar")
async def get_avatar(c: Call) -> Response:
    data = await c.ctx.avatars.read(c.path["avatar_id"])
    headers = {"Cache-Control": "private, max-age=31536000, immutable"}
    return Response(data, media_type="image/png", headers=headers)


@handles("get_users")
async def get_users(c: Call) -> s.ProfileList:
    request: s.ProfilesRequest = c.body
    return s.ProfileList(profiles=await c.ctx.profiles.get_many(request.user_ids))


@handles("search_users")
async def search_users(c: Call) -> s.UserPage:
    q: s.UserSearchQuery = c.query
    return await c.ctx.profiles.search(q.q, q.offset, q.limit)


@handles("contacts")
async def contacts(c: Call) -> s.Contacts:
    return await c.ctx.friends.contacts(c.user_id)


@handles("add_friend")
async def add_friend(c: Call) -> s.AddFriendResult:
    return await c.ctx.friends.add(c.user_id, c.body)


@handles("update_friend")
async def update_friend(c: Call) -> s.Friend:
    return await c.ctx.friends.update(c.user_id, c.path["user_id"], c.body)


@handles("delete_friend")
async def delete_friend(c: Call) -> m.Empty:
    await c.ctx.friends.delete(c.user_id, c.path["user_id"], c.query.both)
    return m.Empty()


@handles("relation")
async def relation(c: Call) -> s.RelationAnswer:
    other = c.path["user_id"]
    return s.RelationAnswer(user_id=other, relation=await c.ctx.friends.relation(c.user_id, other))


@handles("accept_request")
async def accept_request(c: Call) -> s.RelationAnswer:
    other = c.path["user_id"]
    relation = await c.ctx.friends.accept(c.user_id, other, c.body)
    return s.RelationAnswer(user_id=other, relation=relation)


@handles("refuse_request")
async def refuse_request(c: Call) -> m.Empty:
    await c.ctx.friends.refuse(c.user_id, c.path["user_id"])
    return m.Empty()


@handles("delete_request")
async def delete_request(c: Call) -> m.Empty:
    await c.ctx.friends.delete_request(c.user_id, c.path["user_id"])
    return m.Empty()


@handles("read_requests")
async def read_requests(c: Call) -> m.Empty:
    await c.ctx.friends.read_requests(c.user_id)
    return m.Empty()


@handles("create_friend_group")
async def create_friend_group(c: Call) -> s.FriendGroup:
    return await c.ctx.friends.create_group(c.user_id, c.body.name, c.body.user_ids)


@handles("edit_friend_group")
async def edit_friend_group(c: Call) -> s.FriendGroup:
    return await c.ctx.friends.edit_group(c.user_id, c.path["name"], c.body)


@handles("delete_friend_group")
async def delete_friend_group(c: Call) -> m.Empty:
    await c.ctx.friends.delete_group(c.user_id, c.path["name"])
    return m.Empty()


@handles("block")
async def block(c: Call) -> m.Empty:
    await c.ctx.friends.set_blocked(c.user_id, c.path["user_id"], True)
    return m.Empty()


@handles("unblock")
async def unblock(c: Call) -> m.Empty:
    await c.ctx.friends.set_blocked(c.user_id, c.path["user_id"], False)
    return m.Empty()


@handles("presence")
async def presence(c: Call) -> s.StatusList:
    q: s.StatusQuery = c.query
    user_ids = [u.strip() for u in q.user_ids.split(",") if u.strip()]
    return s.StatusList(statuses=await c.ctx.presence.statuses(c.user_id, user_ids))


@handles("update_group")
async def update_group(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.update(c.user_id, c.path["group_id"], c.body)


@handles("join_group")
async def join_group(c: Call) -> m.JoinResult:
    return await c.ctx.groups.join(c.user_id, c.path["group_id"], c.body.note)


@handles("group_applications")
async def group_applications(c: Call) -> m.ApplicationList:
    found = await c.ctx.groups.applications(c.user_id, c.path["group_id"])
    return m.ApplicationList(applications=found)


@handles("handle_application")
async def handle_application(c: Call) -> m.GroupInfo:
    req: m.HandleApplicationRequest = c.body
    application_id: int = c.path["application_id"]
    return await c.ctx.groups.handle_application(
        c.user_id, c.path["group_id"], application_id, req.approve, req.note
    )


@handles("quit_group")
async def quit_group(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.quit(c.user_id, c.path["group_id"])


@handles("dismiss_group")
async def dismiss_group(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.dismiss(c.user_id, c.path["group_id"])


@handles("transfer_owner")
async def transfer_owner(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.transfer(c.user_id, c.path["group_id"], c.body.new_owner)


@handles("kick_members")
async def kick_members(c: Call) -> m.GroupInfo:
    req: m.KickRequest = c.body
    return await c.ctx.groups.kick(c.user_id, c.path["group_id"], req.user_ids, req.reason)


@handles("set_member_role")
async def set_member_role(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.set_role(
        c.user_id, c.path["group_id"], c.path["user_id"], c.body.role
    )


@handles("mute_member")
async def mute_member(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.mute(c.user_id, c.path["group_id"], c.path["user_id"], c.body.seconds)


@handles("update_member")
async def update_member(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.update_member(
        c.user_id, c.path["group_id"], c.path["user_id"], c.body
    )


@handles("pin_message")
async def pin_message(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.pin(c.user_id, c.path["group_id"], c.body.message_id, True)


@handles("unpin_message")
async def unpin_message(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.pin(c.user_id, c.path["group_id"], c.path["message_id"], False)


@handles("group_online")
async def group_online(c: Call) -> api.OnlineCount:
    return api.OnlineCount(online=await c.ctx.groups.online_count(c.user_id, c.path["group_id"]))


@handles("create_topic")
async def create_topic(c: Call) -> m.GroupInfo:
    return await c.ctx.groups.create_topic(c.user_id, c.path["group_id"], c.body.name)


@handles("topics")
async def topics(c: Call) -> m.GroupList:
    return m.GroupList(groups=await c.ctx.groups.topics(c.user_id, c.path["group_id"]))


# -- media (the bytes themselves go through ``http/media.py``) -------------------------------------------
@handles("begin_upload")
async def begin_upload(c: Call) -> m.UploadStatus:
    return await c.ctx.media.begin(c.user_id, c.body)


@handles("upload_status")
async def upload_status(c: Call) -> m.UploadStatus:
    return await c.ctx.media.status(c.user_id, c.path["upload_id"])


@handles("media_link")
async def media_link(c: Call) -> m.MediaLink:
    req: m.MediaLinkRequest = c.body
    media_id = c.path["media_id"]
    # Only a file the caller could download now gets a link.
    await c.ctx.media.download(
        c.user_id, media_id, req.conversation_id, req.message_id, req.variant
    )
    return c.ctx.media.link(c.user_id, media_id, req)
