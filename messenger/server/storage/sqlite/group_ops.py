"""Group writes after creation: join and apply, handle an application, quit, kick, roles, mute,
profile and member edits, transfer, dismiss, pins.

Each runs in one write transaction and checks the caller's permission there, against the rows
it is about to change, with the capability table of ``protocol.group_rules``: a refused write
raises its typed error and changes nothing.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from messenger.protocol.errors import (
    ApplicationHandled,
    GroupActionForbidden,
    GroupFull,
    InvalidParameter,
    MessageNotFound,
    NotFound,
    NotMember,
    OwnerCannotQuit,
    PermissionDenied,
    TooManyPinned,
)
from messenger.protocol.group_rules import (
    FIXED_JOIN_OPTION,
    PINNED_MAX,
    Actor,
    GroupAction,
    actor_of,
    check,
    outranks,
)
from messenger.protocol.models import (
    GroupInfo,
    GroupRole,
    GroupType,
    JoinOption,
    JoinStatus,
    Message,
    NoticeBody,
    RemindType,
    TipBody,
)
from messenger.server.storage.records import GroupEdit, GroupOp
from messenger.server.storage.sqlite.database import WriteTxn
from messenger.server.storage.sqlite.groups import (
    add_participants,
    bump_group,
    dumps,
    group_by_id,
    group_row,
    loads,
    post_tip,
    reminds,
    states_of,
    topics_of,
)
from messenger.server.storage.sqlite.notices import post_notice


class _Ctx:
    """The group being changed and who is changing it."""

    def __init__(self, txn: WriteTxn, op: GroupOp) -> None:
        self.txn = txn
        self.conn = txn.conn
        self.op = op
        self.conv_id, self.group = group_by_id(txn.conn, op.group_id)
        if self.group.parent and op.kind != "pin":
            raise GroupActionForbidden(
                "a topic follows its community: manage the community", action=op.kind
            )
        self.role = role_of(txn.conn, self.conv_id, op.operator)
        self.actor = actor_of(self.role, app_admin=op.app_admin)
        self._notices = 0
        self.topics_left: list[GroupInfo] = []

    @property
    def type(self) -> GroupType:
        return self.group.type

    def check(self, action: GroupAction, target: str | None = None) -> None:
        check(self.type, action, self.actor, target)

    def target_role(self, user_id: str) -> str:
        role = role_of(self.conn, self.conv_id, user_id)
        if role is None:
            raise NotMember(f"{user_id} is not a member of this group", user_id=user_id)
        return role

    def tip(self, tip: str, targets: list[str], **detail: Any) -> Message:
        body = TipBody(tip=tip, operator=self.op.operator, targets=targets, detail=detail)
        posted: Message = post_tip(
            self.txn, self.conv_id, self.group.group_id, self.op.operator, body, self.op.message_id
        )
        return posted

    def notice(self, user_id: str, notice: str, **detail: Any) -> Message | None:
        self._notices += 1
        body = NoticeBody(
            notice=notice,
            operator=self.op.operator,
            group_id=self.group.group_id,
            group_name=self.group.name,
            detail=detail,
        )
        return post_notice(self.txn, user_id, body, f"{self.op.message_id}n{self._notices}")

    def last_seq(self) -> int:
        (last,) = self.conn.execute(
            "SELECT last_seq FROM conversations WHERE id=?", (self.conv_id,)
        ).fetchone()
        return int(last)

    def remove(self, users: list[str]) -> GroupInfo:
        """Take users out (their conversation state goes) and record the departure to sync;
        a community's topics lose them too."""
        for topic_conv, _ in topics_of(self.conn, self.group.group_id):
            self._remove_from(topic_conv, users)
            self.topics_left.append(group_row(self.conn, topic_conv))
        return self._remove_from(self.conv_id, users)

    def _remove_from(self, conv_id: int, users: list[str]) -> GroupInfo:
        self.conn.executemany(
            "DELETE FROM participants WHERE conv_id=? AND user_id=?",
            [(conv_id, u) for u in users],
        )
        group = bump_group(self.txn, conv_id)
        self.conn.executemany(
            "INSERT INTO group_departures(conv_id, user_id, version) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id, conv_id) DO UPDATE SET version=excluded.version",
            [(conv_id, u, group.version) for u in users],
        )
        return group

    def edit(
        self,
        group: GroupInfo,
        tip: Message | None = None,
        *,
        joined: dict[str, str] | None = None,
        departed: list[str] | None = None,
        notices: list[Message | None] | None = None,
        audience: list[str] | None = None,
        **result: Any,
    ) -> GroupEdit:
        """``audience``: who hears of the change (default: every member; a live room's joins
        and quits are told to the joiner alone, not to thousands of viewers)."""
        joined = joined or {}
        if audience is None:
            members = reminds(self.conn, self.conv_id)
        else:
            members = {u: RemindType.NOTIFY for u in audience}
        topics = [c for c, _ in topics_of(self.conn, self.group.group_id)]
        topic_states = [
            (user, state)
            for topic_conv in topics
            if joined
            for user, state in states_of(self.txn, topic_conv, list(joined)).items()
        ]
        return GroupEdit(
            conv_id=self.conv_id,
            group=group,
            members=members,
            tip=tip,
            joined=joined,
            states=states_of(self.txn, self.conv_id, list(joined)) if joined else {},
            departed=departed or [],
            notices=[n for n in notices or [] if n is not None],
            result=result,
            topic_states=topic_states,
            topics_left=self.topics_left,
            topic_convs=topics,
        )


def role_of(conn: sqlite3.Connection, conv_id: int, user_id: str) -> str | None:
    row = conn.execute(
        "SELECT role FROM participants WHERE conv_id=? AND user_id=?", (conv_id, user_id)
    ).fetchone()
    return str(row[0]) if row else None


def _managers(conn: sqlite3.Connection, conv_id: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT user_id FROM participants WHERE conv_id=? AND role IN ('owner', 'admin')",
            (conv_id,),
        )
    ]


def _check_room(ctx: _Ctx, extra: int) -> None:
    (count,) = ctx.conn.execute(
        "SELECT COUNT(*) FROM participants WHERE conv_id=?", (ctx.conv_id,)
    ).fetchone()
    limit = ctx.group.max_members
    if limit and count + extra > limit:
        raise GroupFull(f"a group holds at most {limit} members", limit=limit)


def _admit(ctx: _Ctx, user_id: str, live_history: int) -> None:
    last = ctx.last_seq()
    joined_seq = max(0, last - live_history) if ctx.type is GroupType.AVCHATROOM else last
    add_participants(ctx.txn, ctx.conv_id, ctx.group.group_id, [(user_id, "member")], joined_seq)


# -- the operations -------------------------------------------------------------------------------
def _join(ctx: _Ctx) -> GroupEdit:
    user = ctx.op.operator
    if ctx.role is not None:
        return ctx.edit(ctx.group, status=JoinStatus.ALREADY_MEMBER)
    check(ctx.type, GroupAction.JOIN, Actor.NON_MEMBER)
    option = ctx.group.join_option
    if option is JoinOption.FORBIDDEN:
        raise GroupActionForbidden("this group accepts no join requests", action="join")
    if option is JoinOption.FREE:
        _check_room(ctx, 1)
        _admit(ctx, user, int(ctx.op.args.get("live_history", 0)))
        group = bump_group(ctx.txn, ctx.conv_id)
        if ctx.type is GroupType.AVCHATROOM:
            return ctx.edit(
                group, joined={user: "member"}, audience=[user], status=JoinStatus.JOINED
            )
        tip = ctx.tip("member_joined", [user])
        return ctx.edit(group, tip, joined={user: "member"}, status=JoinStatus.JOINED)
    note = str(ctx.op.args.get("note", ""))
    pending = ctx.conn.execute(
        "SELECT id FROM group_applications WHERE conv_id=? AND applicant=? AND status='pending'",
        (ctx.conv_id, user),
    ).fetchone()
    if pending is not None:
        return ctx.edit(ctx.group, status=JoinStatus.WAITING, application_id=int(pending[0]))
    cur = ctx.conn.execute(
        "INSERT INTO group_applications(conv_id, applicant, note, time) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        (ctx.conv_id, user, note, int(time.time() * 1000)),
    )
    app_id = int(cur.fetchone()[0])
    notices = [
        ctx.notice(m, "join_application", application_id=app_id, applicant=user, note=note)
        for m in _managers(ctx.conn, ctx.conv_id)
    ]
    return ctx.edit(ctx.group, notices=notices, status=JoinStatus.WAITING, application_id=app_id)


def _handle(ctx: _Ctx) -> GroupEdit:
    ctx.check(GroupAction.HANDLE_APPLICATION)
    app_id, approve = int(ctx.op.args["application_id"]), bool(ctx.op.args["approve"])
    note = str(ctx.op.args.get("note", ""))
    row = ctx.conn.execute(
        "SELECT applicant, status, handled_by FROM group_applications WHERE id=? AND conv_id=?",
        (app_id, ctx.conv_id),
    ).fetchone()
    if row is None:
        raise NotFound("no such join application", application_id=app_id)
    applicant, status, handled_by = row
    if status != "pending":
        raise ApplicationHandled(
            f"{handled_by} already {status} this application",
            status=status,
            handled_by=handled_by,
        )
    status = "approved" if approve else "refused"
    ctx.conn.execute(
        "UPDATE group_applications SET status=?, handled_by=?, handle_note=? WHERE id=?",
        (status, ctx.op.operator, note, app_id),
    )
    notices = [ctx.notice(applicant, "application_" + status, application_id=app_id, note=note)]
    if not approve or role_of(ctx.conn, ctx.conv_id, applicant) is not None:
        return ctx.edit(ctx.group, notices=notices, status=status)
    _check_room(ctx, 1)
    _admit(ctx, applicant, 0)
    group = bump_group(ctx.txn, ctx.conv_id)
    tip = ctx.tip("member_joined", [applicant], approved_by=ctx.op.operator)
    return ctx.edit(group, tip, joined={applicant: "member"}, notices=notices, status=status)


def _quit(ctx: _Ctx) -> GroupEdit:
    if ctx.actor is Actor.OWNER:
        raise OwnerCannotQuit("the owner must transfer ownership before leaving the group")
    ctx.check(GroupAction.QUIT)
    user = ctx.op.operator
    group = ctx.remove([user])
    if ctx.type is GroupType.AVCHATROOM:
        return ctx.edit(group, departed=[user], audience=[])
    tip = ctx.tip("member_quit", [user])
    return ctx.edit(group, tip, departed=[user], notices=[ctx.notice(user, "quit_group")])


def _kick(ctx: _Ctx) -> GroupEdit:
    users = list(dict.fromkeys(ctx.op.args["user_ids"]))
    reason = str(ctx.op.args.get("reason", ""))
    if ctx.op.operator in users:
        raise InvalidParameter("you cannot remove yourself (quit instead)", field="user_ids")
    ctx.check(GroupAction.KICK)
    for user in users:
        ctx.check(GroupAction.KICK, ctx.target_role(user))
    group = ctx.remove(users)
    tip = ctx.tip("member_kicked", users, reason=reason)
    notices = [ctx.notice(u, "kicked_from_group", reason=reason) for u in users]
    return ctx.edit(group, tip, departed=users, notices=notices)


def _set_role(ctx: _Ctx) -> GroupEdit:
    user, role = str(ctx.op.args["user_id"]), GroupRole(ctx.op.args["role"])
    ctx.check(GroupAction.SET_ADMIN)
    if role is GroupRole.OWNER:
        raise InvalidParameter("make someone the owner by transferring ownership", field="role")
    if user == ctx.op.operator:
        raise InvalidParameter("you cannot change your own role", field="user_id")
    current = ctx.target_role(user)
    ctx.check(GroupAction.SET_ADMIN, current)
    if current == role.value:
        return ctx.edit(ctx.group)
    ctx.conn.execute(
        "UPDATE participants SET role=? WHERE conv_id=? AND user_id=?",
        (role.value, ctx.conv_id, user),
    )
    group = bump_group(ctx.txn, ctx.conv_id)
    kind = "admin_set" if role is GroupRole.ADMIN else "admin_unset"
    tip = ctx.tip(kind, [user])
    return ctx.edit(group, tip, notices=[ctx.notice(user, kind)])


def _mute(ctx: _Ctx) -> GroupEdit:
    user, seconds = str(ctx.op.args["user_id"]), int(ctx.op.args["seconds"])
    ctx.check(GroupAction.MUTE)
    if user == ctx.op.operator:
        raise InvalidParameter("you cannot mute yourself", field="user_id")
    ctx.check(GroupAction.MUTE, ctx.target_role(user))
    until = int(time.time() * 1000) + seconds * 1000 if seconds else 0
    ctx.conn.execute(
        "UPDATE participants SET mute_until=? WHERE conv_id=? AND user_id=?",
        (until, ctx.conv_id, user),
    )
    group = bump_group(ctx.txn, ctx.conv_id)
    tip = ctx.tip("member_info_changed", [user], mute_until=until)
    return ctx.edit(group, tip, mute_until=until)


def _update(ctx: _Ctx) -> GroupEdit:
    fields: dict[str, Any] = dict(ctx.op.args["fields"])
    ctx.check(GroupAction.EDIT_PROFILE)
    if "mute_all" in fields:
        ctx.check(GroupAction.MUTE_ALL)
    if "join_option" in fields and ctx.type in FIXED_JOIN_OPTION:
        raise GroupActionForbidden(
            f"the join option of a {ctx.type.value} group is fixed", action="join_option"
        )
    if "custom" in fields:
        fields["custom"] = dumps({**ctx.group.custom, **fields["custom"]})
    if not fields:
        return ctx.edit(ctx.group)
    columns = ", ".join(f"{name}=?" for name in fields)
    ctx.conn.execute(
        f"UPDATE groups SET {columns} WHERE conv_id=?", (*fields.values(), ctx.conv_id)
    )
    group = bump_group(ctx.txn, ctx.conv_id)
    changed = dict(ctx.op.args["fields"])
    return ctx.edit(group, ctx.tip("profile_changed", [], changed=changed))


def _update_member(ctx: _Ctx) -> GroupEdit:
    user = str(ctx.op.args.get("user_id") or ctx.op.operator)
    target = ctx.target_role(user)
    if ctx.actor is Actor.NON_MEMBER:
        raise NotMember("you are not a member of this group")
    if user != ctx.op.operator and not outranks(ctx.actor, target):
        raise PermissionDenied(f"a {ctx.actor.value} may not edit a {target}'s card")
    fields: dict[str, Any] = dict(ctx.op.args["fields"])
    if "custom" in fields:
        row = ctx.conn.execute(
            "SELECT custom FROM participants WHERE conv_id=? AND user_id=?", (ctx.conv_id, user)
        ).fetchone()
        fields["custom"] = dumps({**(loads(row[0]) or {}), **fields["custom"]})
    if not fields:
        return ctx.edit(ctx.group)
    columns = ", ".join(f"{name}=?" for name in fields)
    ctx.conn.execute(
        f"UPDATE participants SET {columns} WHERE conv_id=? AND user_id=?",
        (*fields.values(), ctx.conv_id, user),
    )
    group = bump_group(ctx.txn, ctx.conv_id)
    tip = ctx.tip("member_info_changed", [user], **dict(ctx.op.args["fields"]))
    return ctx.edit(group, tip)


def _transfer(ctx: _Ctx) -> GroupEdit:
    new_owner = str(ctx.op.args["new_owner"])
    ctx.check(GroupAction.TRANSFER)
    if new_owner == ctx.group.owner:
        raise InvalidParameter("that member already owns the group", field="new_owner")
    ctx.target_role(new_owner)
    conn = ctx.conn
    conn.execute(
        "UPDATE participants SET role='member' WHERE conv_id=? AND role='owner'", (ctx.conv_id,)
    )
    conn.execute(
        "UPDATE participants SET role='owner', mute_until=0 WHERE conv_id=? AND user_id=?",
        (ctx.conv_id, new_owner),
    )
    conn.execute("UPDATE groups SET owner=? WHERE conv_id=?", (new_owner, ctx.conv_id))
    group = bump_group(ctx.txn, ctx.conv_id)
    tip = ctx.tip("owner_changed", [new_owner], old_owner=ctx.group.owner)
    return ctx.edit(group, tip)


def _dismiss(ctx: _Ctx) -> GroupEdit:
    ctx.check(GroupAction.DISMISS)
    members = list(reminds(ctx.conn, ctx.conv_id))
    ctx.conn.execute("UPDATE groups SET dismissed=1 WHERE conv_id=?", (ctx.conv_id,))
    ctx.conn.execute(
        "UPDATE group_applications SET status='refused', handled_by=? "
        "WHERE conv_id=? AND status='pending'",
        (ctx.op.operator, ctx.conv_id),
    )
    group = ctx.remove(members)
    ctx.conn.execute("UPDATE groups SET dismissed=1 WHERE parent=?", (ctx.group.group_id,))
    notices = [ctx.notice(u, "group_dismissed") for u in members]
    return ctx.edit(group, departed=members, notices=notices)


def _pin(ctx: _Ctx) -> GroupEdit:
    message_id, pin = str(ctx.op.args["message_id"]), bool(ctx.op.args["pin"])
    ctx.check(GroupAction.PIN)
    pinned = list(ctx.group.pinned)
    if pin:
        found = ctx.conn.execute(
            "SELECT recalled FROM messages WHERE conv_id=? AND message_id=?",
            (ctx.conv_id, message_id),
        ).fetchone()
        if found is None or found[0]:
            raise MessageNotFound("no such message in this group", message_id=message_id)
        if message_id in pinned:
            return ctx.edit(ctx.group)
        if len(pinned) >= PINNED_MAX:
            raise TooManyPinned(f"at most {PINNED_MAX} pinned messages", limit=PINNED_MAX)
        pinned.append(message_id)
    elif message_id in pinned:
        pinned.remove(message_id)
    else:
        return ctx.edit(ctx.group)
    ctx.conn.execute("UPDATE groups SET pinned=? WHERE conv_id=?", (dumps(pinned), ctx.conv_id))
    return ctx.edit(bump_group(ctx.txn, ctx.conv_id))


def _create_topic(ctx: _Ctx) -> GroupEdit:
    """A community topic: its own conversation (unread, mentions, read state of its own),
    with the community's members in the community's roles."""
    ctx.check(GroupAction.MANAGE_TOPICS)
    topic_id, name = str(ctx.op.args["topic_id"]), str(ctx.op.args["name"])
    conn, community = ctx.conn, ctx.group
    if conn.execute("SELECT 1 FROM conversations WHERE key=?", (topic_id,)).fetchone():
        raise InvalidParameter("that topic ID is taken", field="topic_id")
    cur = conn.execute(
        "INSERT INTO conversations(kind, key) VALUES ('group', ?) RETURNING id", (topic_id,)
    )
    topic_conv = int(cur.fetchone()[0])
    conn.execute(
        "INSERT INTO groups(conv_id, group_id, name, type, owner, create_time, max_members, "
        "join_option, parent) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            topic_conv,
            topic_id,
            name,
            community.type.value,
            community.owner,
            int(time.time() * 1000),
            community.max_members,
            JoinOption.FORBIDDEN.value,
            community.group_id,
        ),
    )
    members = [
        (str(u), str(r))
        for u, r in conn.execute(
            "SELECT user_id, role FROM participants WHERE conv_id=?", (ctx.conv_id,)
        )
    ]
    add_participants(ctx.txn, topic_conv, topic_id, members, 0)
    topic = bump_group(ctx.txn, topic_conv)
    body = TipBody(tip="topic_created", operator=ctx.op.operator, detail={"name": name})
    tip = post_tip(ctx.txn, topic_conv, topic_id, ctx.op.operator, body, ctx.op.message_id)
    return GroupEdit(
        conv_id=topic_conv,
        group=topic,
        members=reminds(conn, topic_conv),
        tip=tip,
        joined=dict(members),
        states=states_of(ctx.txn, topic_conv, [u for u, _ in members]),
    )


_OPS: dict[str, Callable[[_Ctx], GroupEdit]] = {
    "create_topic": _create_topic,
    "join": _join,
    "handle_application": _handle,
    "quit": _quit,
    "kick": _kick,
    "set_role": _set_role,
    "mute": _mute,
    "update": _update,
    "update_member": _update_member,
    "transfer": _transfer,
    "dismiss": _dismiss,
    "pin": _pin,
}


def run_group_op(txn: WriteTxn, op: GroupOp) -> GroupEdit:
    return _OPS[op.kind](_Ctx(txn, op))


def live_room_of(conn: sqlite3.Connection, user_id: str) -> list[str]:
    """The live rooms (AVChatRoom) the user is in as a plain member."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT g.group_id FROM participants p JOIN groups g ON g.conv_id = p.conv_id "
            "WHERE p.user_id=? AND p.kind='group' AND g.type=? AND p.role='member' "
            "AND g.dismissed=0",
            (user_id, GroupType.AVCHATROOM.value),
        )
    ]


def applications_of(
    conn: sqlite3.Connection, conv_id: int, group_id: str
) -> list[tuple[int, str, str, int, str, str]]:
    return [
        (int(r[0]), r[1], r[2], int(r[3]), r[4], r[5])
        for r in conn.execute(
            "SELECT id, applicant, note, time, status, handled_by FROM group_applications "
            "WHERE conv_id=? AND status='pending' ORDER BY id",
            (conv_id,),
        )
    ]
