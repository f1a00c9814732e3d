"""Groups: reading profiles and members, create, add members. The other group writes (join,
quit, kick, roles, mute, profile edits, dismiss) are in ``group_ops``."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from messenger.protocol.errors import AlreadyExists, GroupFull, GroupNotFound, UserNotFound
from messenger.protocol.models import (
    GroupInfo,
    GroupMember,
    GroupRole,
    GroupType,
    JoinOption,
    MemberPage,
    Message,
    NoticeBody,
    RemindType,
    TipBody,
)
from messenger.server.storage.records import (
    ConversationMembers,
    GroupOutcome,
    MemberInfo,
    NewGroup,
    NewMembers,
    NewMessage,
)
from messenger.server.storage.sqlite.database import WriteTxn
from messenger.server.storage.sqlite.messages import insert_message
from messenger.server.storage.sqlite.notices import post_notice
from messenger.server.storage.sqlite.states import participant_row, state_of_row

_GROUP_COLUMNS = (
    "g.conv_id, g.group_id, g.name, g.type, g.owner, g.create_time, g.member_count, "
    "g.introduction, g.notification, g.version, g.avatar, g.join_option, g.mute_all, "
    "g.max_members, g.custom, g.pinned, g.parent"
)

# a group's members are read by the thousand: a dict lookup, not an enum call, per row
_REMIND = {r.value: r for r in RemindType}


def loads(text: str) -> Any:
    """A JSON column ('' when empty)."""
    return json.loads(text) if text else None


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""


def _info(row: Any) -> GroupInfo:
    return GroupInfo(
        group_id=row[1],
        name=row[2],
        type=GroupType(row[3]),
        owner=row[4],
        create_time=row[5],
        member_count=row[6],
        introduction=row[7],
        notification=row[8],
        version=row[9],
        avatar=row[10],
        join_option=JoinOption(row[11]),
        mute_all=bool(row[12]),
        max_members=row[13],
        custom=loads(row[14]) or {},
        pinned=loads(row[15]) or [],
        parent=row[16],
    )


def group_row(conn: sqlite3.Connection, conv_id: int) -> GroupInfo:
    row = conn.execute(
        f"SELECT {_GROUP_COLUMNS} FROM groups g WHERE g.conv_id=?", (conv_id,)
    ).fetchone()
    return _info(row)


def group_by_id(conn: sqlite3.Connection, group_id: str) -> tuple[int, GroupInfo]:
    row = conn.execute(
        f"SELECT {_GROUP_COLUMNS} FROM groups g WHERE g.group_id=? AND g.dismissed=0", (group_id,)
    ).fetchone()
    if row is None:
        raise GroupNotFound(f"no group {group_id!r}")
    return int(row[0]), _info(row)


def groups_of(conn: sqlite3.Connection, user_id: str) -> list[GroupInfo]:
    rows = conn.execute(
        f"SELECT {_GROUP_COLUMNS} FROM participants p JOIN groups g ON g.conv_id = p.conv_id "
        "WHERE p.user_id=? AND p.kind='group' ORDER BY g.create_time",
        (user_id,),
    ).fetchall()
    return [_info(r) for r in rows]


def members_of(conn: sqlite3.Connection, conv_id: int) -> ConversationMembers:
    conv = conn.execute("SELECT kind, key FROM conversations WHERE id=?", (conv_id,)).fetchone()
    if conv is None:
        raise GroupNotFound("no such conversation")
    found = ConversationMembers(conv_id, conv[0], conv[1])
    if conv[0] == "group":
        row = conn.execute(
            "SELECT mute_all, dismissed FROM groups WHERE conv_id=?", (conv_id,)
        ).fetchone()
        if row is None or row[1]:
            raise GroupNotFound(f"group {conv[1]!r} was dismissed")
        found.mute_all = bool(row[0])
    for user_id, role, remind, mute_until in conn.execute(
        "SELECT user_id, role, remind, mute_until FROM participants WHERE conv_id=?", (conv_id,)
    ):
        found.members[user_id] = MemberInfo(role, _REMIND[remind], mute_until)
    return found


def list_members(conn: sqlite3.Connection, conv_id: int, offset: int, limit: int) -> MemberPage:
    (total,) = conn.execute(
        "SELECT COUNT(*) FROM participants WHERE conv_id=?", (conv_id,)
    ).fetchone()
    rows = conn.execute(
        "SELECT user_id, role, join_time, name_card, mute_until, custom FROM participants "
        "WHERE conv_id=? "
        "ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, join_time, user_id "
        "LIMIT ? OFFSET ?",
        (conv_id, limit, offset),
    ).fetchall()
    members = [
        GroupMember(
            user_id=u,
            role=GroupRole(r),
            join_time=t,
            name_card=c,
            mute_until=mu,
            custom=loads(cf) or {},
        )
        for u, r, t, c, mu, cf in rows
    ]
    return MemberPage(members=members, total=total, has_more=offset + len(members) < total)


def _check_users_exist(conn: sqlite3.Connection, user_ids: list[str]) -> None:
    if not user_ids:
        return
    marks = ",".join("?" * len(user_ids))
    found = {
        r[0]
        for r in conn.execute(f"SELECT user_id FROM users WHERE user_id IN ({marks})", user_ids)
    }
    missing = [u for u in user_ids if u not in found]
    if missing:
        raise UserNotFound(f"no such user: {', '.join(missing[:5])}", user_ids=missing)


def add_participants(
    txn: WriteTxn,
    conv_id: int,
    group_id: str,
    members: list[tuple[str, str]],
    joined_seq: int,
    custom: dict[str, dict[str, str]] | None = None,
) -> None:
    version = txn.next_version()
    now = int(time.time() * 1000)
    custom = custom or {}
    txn.conn.executemany(
        "INSERT INTO participants(conv_id, user_id, conversation_id, kind, role, join_time, "
        "joined_seq, read_seq, version, custom) VALUES (?, ?, ?, 'group', ?, ?, ?, ?, ?, ?)",
        [
            (
                conv_id,
                u,
                "GROUP" + group_id,
                role,
                now,
                joined_seq,
                joined_seq,
                version,
                dumps(custom.get(u)),
            )
            for u, role in members
        ],
    )
    txn.conn.executemany(
        "DELETE FROM group_departures WHERE user_id=? AND conv_id=?",
        [(u, conv_id) for u, _ in members],
    )
    for topic_conv, topic_id in topics_of(txn.conn, group_id):  # a community's topics follow it
        (last,) = txn.conn.execute(
            "SELECT last_seq FROM conversations WHERE id=?", (topic_conv,)
        ).fetchone()
        add_participants(txn, topic_conv, topic_id, members, last)


def topics_of(conn: sqlite3.Connection, group_id: str) -> list[tuple[int, str]]:
    """A community's topics: (conversation, topic ID)."""
    return [
        (int(r[0]), str(r[1]))
        for r in conn.execute(
            "SELECT conv_id, group_id FROM groups WHERE parent=? AND dismissed=0 "
            "ORDER BY create_time",
            (group_id,),
        )
    ]


def post_tip(
    txn: WriteTxn, conv_id: int, group_id: str, operator: str, tip: TipBody, message_id: str
) -> Any:
    new = NewMessage(
        conv_id=conv_id,
        kind_of_conv="group",
        key=group_id,
        sender=operator,
        client_msg_id="tip-" + message_id,
        kind="tip",
        body={
            "tip": tip.tip,
            "operator": tip.operator,
            "targets": tip.targets,
            "detail": tip.detail,
        },
        mentions=[],
        mention_all=False,
        reply_to=None,
        message_id=message_id,
    )
    return insert_message(txn, new).message


def bump_group(txn: WriteTxn, conv_id: int) -> GroupInfo:
    conn = txn.conn
    (count,) = conn.execute(
        "SELECT COUNT(*) FROM participants WHERE conv_id=?", (conv_id,)
    ).fetchone()
    version = txn.next_version()
    conn.execute(
        "UPDATE groups SET member_count=?, version=? WHERE conv_id=?", (count, version, conv_id)
    )
    return group_row(conn, conv_id)


def reminds(conn: sqlite3.Connection, conv_id: int) -> dict[str, RemindType]:
    return {
        u: _REMIND[r]
        for u, r in conn.execute(
            "SELECT user_id, remind FROM participants WHERE conv_id=?", (conv_id,)
        )
    }


def states_of(txn: WriteTxn, conv_id: int, users: list[str]) -> dict[str, Any]:
    conn = txn.conn
    (last,) = conn.execute("SELECT last_seq FROM conversations WHERE id=?", (conv_id,)).fetchone()
    return {
        u: state_of_row(conn, participant_row(conn, conv_id, u), last, txn.version) for u in users
    }


def _notify_added(
    txn: WriteTxn, group: GroupInfo, operator: str, users: list[str], id_prefix: str
) -> list[Message]:
    """A system notice to each user added by someone else ("bob added you to Team")."""
    notice = NoticeBody(
        notice="added_to_group", operator=operator, group_id=group.group_id, group_name=group.name
    )
    posted = [
        post_notice(txn, user, notice, f"{id_prefix}n{i}")
        for i, user in enumerate(users)
        if user != operator
    ]
    return [m for m in posted if m is not None]


def create_group(txn: WriteTxn, group: NewGroup) -> GroupOutcome:
    conn = txn.conn
    group_id, name, owner, members = group.group_id, group.name, group.owner, group.members
    max_members, tip_message_id = group.max_members, group.tip_message_id
    if conn.execute(
        "SELECT 1 FROM conversations WHERE key=? AND kind='group'", (group_id,)
    ).fetchone():
        raise AlreadyExists(f"group ID {group_id!r} is taken", group_id=group_id)
    others = [u for u in dict.fromkeys(members) if u != owner]
    _check_users_exist(conn, others)
    if len(others) + 1 > max_members:
        raise GroupFull(f"a group holds at most {max_members} members", limit=max_members)
    now = int(time.time() * 1000)
    cur = conn.execute(
        "INSERT INTO conversations(kind, key) VALUES ('group', ?) RETURNING id", (group_id,)
    )
    conv_id = int(cur.fetchone()[0])
    conn.execute(
        "INSERT INTO groups(conv_id, group_id, name, type, owner, create_time, introduction, "
        "notification, max_members, avatar, join_option, custom) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            conv_id,
            group_id,
            name,
            group.type.value,
            owner,
            now,
            group.introduction,
            group.notification,
            max_members,
            group.avatar,
            group.join_option.value,
            dumps(group.custom),
        ),
    )
    roles = group.roles
    add_participants(
        txn,
        conv_id,
        group_id,
        [(owner, "owner"), *[(u, roles.get(u, "member")) for u in others]],
        0,
        group.member_custom,
    )
    info = bump_group(txn, conv_id)
    tip = post_tip(
        txn,
        conv_id,
        group_id,
        owner,
        TipBody(tip="group_created", operator=owner, targets=others, detail={"name": name}),
        tip_message_id,
    )
    added = {owner: "owner", **{u: roles.get(u, "member") for u in others}}
    notices = _notify_added(txn, info, owner, others, tip_message_id)
    return GroupOutcome(
        conv_id,
        info,
        added,
        tip,
        states_of(txn, conv_id, list(added)),
        reminds(conn, conv_id),
        notices,
    )


def add_members(txn: WriteTxn, request: NewMembers) -> GroupOutcome:
    conn = txn.conn
    conv_id, group_id, operator = request.conv_id, request.group_id, request.operator
    user_ids, max_members, tip_message_id = (
        request.user_ids,
        request.max_members,
        request.tip_message_id,
    )
    existing = {
        r[0] for r in conn.execute("SELECT user_id FROM participants WHERE conv_id=?", (conv_id,))
    }
    new = [u for u in dict.fromkeys(user_ids) if u not in existing]
    _check_users_exist(conn, new)
    (max_allowed,) = conn.execute(
        "SELECT max_members FROM groups WHERE conv_id=?", (conv_id,)
    ).fetchone()
    limit = min(max_allowed, max_members)
    if len(existing) + len(new) > limit:
        raise GroupFull(f"a group holds at most {limit} members", limit=limit)
    if not new:
        return GroupOutcome(conv_id, group_row(conn, conv_id), {}, None, {}, reminds(conn, conv_id))
    (last,) = conn.execute("SELECT last_seq FROM conversations WHERE id=?", (conv_id,)).fetchone()
    add_participants(txn, conv_id, group_id, [(u, "member") for u in new], last)
    group = bump_group(txn, conv_id)
    tip = post_tip(
        txn,
        conv_id,
        group_id,
        operator,
        TipBody(tip="members_added", operator=operator, targets=new),
        tip_message_id,
    )
    notices = _notify_added(txn, group, operator, new, tip_message_id)
    return GroupOutcome(
        conv_id,
        group,
        dict.fromkeys(new, "member"),
        tip,
        states_of(txn, conv_id, new),
        reminds(conn, conv_id),
        notices,
    )
