"""Friends, friend requests, friend groups and the block list, with the rules that need the
database to decide (who may add whom, duplicates, limits), each write in one transaction."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any

import msgspec

from messenger.protocol.errors import (
    AlreadyExists,
    AlreadyFriends,
    BlockedByPeer,
    DuplicateFriendRequest,
    FriendAddForbidden,
    FriendGroupNotFound,
    FriendRequestNotFound,
    InvalidParameter,
    LimitReached,
    NotFriend,
    PeerBlockedByMe,
    UserNotFound,
)
from messenger.protocol.frames import (
    AnyChange,
    BlockChange,
    FriendChange,
    FriendGroupChange,
    FriendRequestChange,
    ProfileChange,
)
from messenger.protocol.models import AllowType, NoticeBody
from messenger.protocol.social import (
    AcceptRequest,
    AddFriendRequest,
    Contacts,
    Friend,
    FriendGroup,
    FriendGroupEdit,
    FriendRequest,
    FriendUpdate,
    Relation,
)
from messenger.server.storage.people import PeopleLimits, PeopleOutcome
from messenger.server.storage.sqlite.database import WriteTxn
from messenger.server.storage.sqlite.notices import post_notice
from messenger.server.storage.sqlite.profiles import (
    PROFILE_SELECT,
    get_profile,
    get_profiles,
    profile_from_row,
)
from messenger.server.storage.sqlite.states import head_version

_decode_groups = msgspec.json.Decoder(list[str]).decode
_FRIEND_COLUMNS = "friend, remark, groups, source, add_time, deleted, version"
_REQUEST_COLUMNS = "sender, receiver, note, source, remark, grp, time, unread, state, version"


def _now() -> int:
    return int(time.time() * 1000)


def _groups_json(groups: Sequence[str]) -> str:
    return msgspec.json.encode(list(dict.fromkeys(groups))).decode()


def _friend(r: Any) -> Friend:
    return Friend(
        user_id=r[0], remark=r[1], groups=_decode_groups(r[2]), source=r[3], add_time=r[4]
    )


def _request(r: Any) -> FriendRequest:
    return FriendRequest(
        sender=r[0],
        receiver=r[1],
        note=r[2],
        source=r[3],
        remark=r[4],
        group=r[5],
        time=r[6],
        unread=bool(r[7]),
    )


# -- reads -----------------------------------------------------------------------------------------
def friend_row(conn: sqlite3.Connection, owner: str, friend: str) -> Any:
    return conn.execute(
        f"SELECT {_FRIEND_COLUMNS} FROM friends WHERE owner=? AND friend=? AND deleted=0",
        (owner, friend),
    ).fetchone()


def relation(conn: sqlite3.Connection, user_id: str, other: str) -> Relation:
    mine = friend_row(conn, user_id, other) is not None
    theirs = friend_row(conn, other, user_id) is not None
    if mine and theirs:
        return Relation.BOTH
    return Relation.MINE if mine else Relation.THEIRS if theirs else Relation.NONE


def is_blocked(conn: sqlite3.Connection, owner: str, target: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM blocks WHERE owner=? AND target=? AND blocked=1", (owner, target)
    ).fetchone()
    return row is not None


def blocked_by(conn: sqlite3.Connection, owner: str) -> frozenset[str]:
    rows = conn.execute("SELECT target FROM blocks WHERE owner=? AND blocked=1", (owner,))
    return frozenset(r[0] for r in rows)


def _pending(conn: sqlite3.Connection, sender: str, receiver: str) -> Any:
    return conn.execute(
        f"SELECT {_REQUEST_COLUMNS} FROM friend_requests "
        "WHERE sender=? AND receiver=? AND state='pending'",
        (sender, receiver),
    ).fetchone()


def _group_names(conn: sqlite3.Connection, owner: str) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM friend_groups WHERE owner=? AND deleted=0 ORDER BY name", (owner,)
    )
    return [r[0] for r in rows]


def contacts(conn: sqlite3.Connection, user_id: str) -> Contacts:
    version = head_version(conn)
    me = get_profile(conn, user_id)
    if me is None:
        raise UserNotFound(f"no user {user_id!r}", user_id=user_id)
    friends = [
        _friend(r)
        for r in conn.execute(
            f"SELECT {_FRIEND_COLUMNS} FROM friends WHERE owner=? AND deleted=0", (user_id,)
        )
    ]
    requests = [
        _request(r)
        for r in conn.execute(
            f"SELECT {_REQUEST_COLUMNS} FROM friend_requests WHERE state='pending' AND sender=? "
            f"UNION ALL SELECT {_REQUEST_COLUMNS} FROM friend_requests "
            "WHERE state='pending' AND receiver=?",
            (user_id, user_id),
        )
    ]
    blocked = sorted(blocked_by(conn, user_id))
    others = [f.user_id for f in friends]
    others += [r.receiver if r.sender == user_id else r.sender for r in requests]
    others += blocked
    return Contacts(
        me=me,
        friends=friends,
        requests=requests,
        groups=[FriendGroup(name=n) for n in _group_names(conn, user_id)],
        blocked=blocked,
        profiles=get_profiles(conn, others),
        version=version,
    )


# -- the feed ----------------------------------------------------------------------------------------
def feed_sources(
    conn: sqlite3.Connection, user_id: str, since: int, limit: int
) -> list[list[AnyChange]]:
    """The people side of a user's change feed, each list in version order."""
    friends: list[AnyChange] = [
        FriendChange(v=r[6], friend=_friend(r), removed=bool(r[5]))
        for r in conn.execute(
            f"SELECT {_FRIEND_COLUMNS} FROM friends WHERE owner=? AND version>? "
            "ORDER BY version LIMIT ?",
            (user_id, since, limit),
        )
    ]
    requests: list[AnyChange] = [
        FriendRequestChange(v=r[9], request=_request(r), removed=r[8] != "pending")
        for r in conn.execute(
            f"SELECT * FROM (SELECT {_REQUEST_COLUMNS} FROM friend_requests "
            "WHERE sender=? AND version>? UNION ALL "
            f"SELECT {_REQUEST_COLUMNS} FROM friend_requests WHERE receiver=? AND version>?) AS r "
            "ORDER BY version LIMIT ?",
            (user_id, since, user_id, since, limit),
        )
    ]
    groups: list[AnyChange] = [
        FriendGroupChange(v=r[2], name=r[0], removed=bool(r[1]))
        for r in conn.execute(
            "SELECT name, deleted, version FROM friend_groups WHERE owner=? AND version>? "
            "ORDER BY version LIMIT ?",
            (user_id, since, limit),
        )
    ]
    blocks: list[AnyChange] = [
        BlockChange(v=r[2], user_id=r[0], blocked=bool(r[1]))
        for r in conn.execute(
            "SELECT target, blocked, version FROM blocks WHERE owner=? AND version>? "
            "ORDER BY version LIMIT ?",
            (user_id, since, limit),
        )
    ]
    # Mine, my friends', and those of the members of my groups (live rooms aside: thousands of
    # viewers who see each other's names in passing). Users are read by version (an index), each
    # checked for a group shared with me through its memberships.
    profiles: list[AnyChange] = []
    for r in conn.execute(
        f"SELECT * FROM ({PROFILE_SELECT} WHERE u.user_id=? AND u.version>? UNION "
        f"{PROFILE_SELECT} JOIN friends f ON f.friend = u.user_id "
        "WHERE f.owner=? AND f.deleted=0 AND u.version>? AND u.user_id!=? UNION "
        f"{PROFILE_SELECT} WHERE u.version>? AND u.user_id!=? AND EXISTS ("
        "SELECT 1 FROM participants peer "
        "JOIN participants me ON me.conv_id = peer.conv_id AND me.user_id=? "
        "JOIN groups g ON g.conv_id = peer.conv_id "
        "WHERE peer.user_id = u.user_id AND peer.kind='group' AND g.type != 'AVChatRoom')"
        ") AS p ORDER BY 3 LIMIT ?",
        (user_id, since, user_id, since, user_id, since, user_id, user_id, limit),
    ):
        profile = profile_from_row(r)
        profiles.append(ProfileChange(v=profile.version, profile=profile))
    return [friends, requests, groups, blocks, profiles]


# -- friend writes ---------------------------------------------------------------------------------
def _require_user(conn: sqlite3.Connection, user_id: str) -> AllowType:
    row = conn.execute(
        "SELECT coalesce(p.allow_type, 'approval') FROM users u "
        "LEFT JOIN profiles p ON p.user_id = u.user_id WHERE u.user_id=?",
        (user_id,),
    ).fetchone()
    if row is None:
        raise UserNotFound(f"no user {user_id!r}", user_id=user_id)
    return AllowType(row[0])


def _count_friends(conn: sqlite3.Connection, owner: str) -> int:
    (n,) = conn.execute(
        "SELECT count(*) FROM friends WHERE owner=? AND deleted=0", (owner,)
    ).fetchone()
    return int(n)


def _ensure_group(txn: WriteTxn, owner: str, name: str, out: PeopleOutcome, limit: int) -> None:
    row = txn.conn.execute(
        "SELECT deleted FROM friend_groups WHERE owner=? AND name=?", (owner, name)
    ).fetchone()
    if row is not None and not row[0]:
        return
    if len(_group_names(txn.conn, owner)) >= limit:
        raise LimitReached(f"at most {limit} friend groups", limit=limit)
    v = txn.next_version()
    txn.conn.execute(
        "INSERT INTO friend_groups(owner, name, deleted, version) VALUES (?,?,0,?) "
        "ON CONFLICT(owner, name) DO UPDATE SET deleted=0, version=excluded.version",
        (owner, name, v),
    )
    out.push(owner, FriendGroupChange(v=v, name=name))


def _put_friend(
    txn: WriteTxn,
    out: PeopleOutcome,
    owner: str,
    friend: str,
    *,
    remark: str,
    groups: list[str],
    source: str,
    limits: PeopleLimits,
) -> None:
    """Add ``friend`` to ``owner``'s list (nothing if already there)."""
    if friend_row(txn.conn, owner, friend) is not None:
        return
    if _count_friends(txn.conn, owner) >= limits.friends:
        raise LimitReached(f"at most {limits.friends} friends", limit=limits.friends)
    for name in groups:
        _ensure_group(txn, owner, name, out, limits.friend_groups)
    v = txn.next_version()
    now = _now()
    txn.conn.execute(
        "INSERT INTO friends(owner, friend, remark, groups, source, add_time, deleted, version) "
        "VALUES (?,?,?,?,?,?,0,?) ON CONFLICT(owner, friend) DO UPDATE SET "
        "remark=excluded.remark, groups=excluded.groups, source=excluded.source, "
        "add_time=excluded.add_time, deleted=0, version=excluded.version",
        (owner, friend, remark, _groups_json(groups), source, now, v),
    )
    entry = Friend(user_id=friend, remark=remark, groups=groups, source=source, add_time=now)
    out.push(owner, FriendChange(v=v, friend=entry))


def _close_request(txn: WriteTxn, out: PeopleOutcome, row: Any) -> None:
    v = txn.next_version()
    txn.conn.execute(
        "UPDATE friend_requests SET state='closed', unread=0, version=? "
        "WHERE sender=? AND receiver=?",
        (v, row[0], row[1]),
    )
    change = FriendRequestChange(v=v, request=_request(row), removed=True)
    out.push(row[0], change)
    out.push(row[1], change)


def _notice(
    txn: WriteTxn, out: PeopleOutcome, to: str, kind: str, operator: str, notice_id: str, **d: Any
) -> None:
    message = post_notice(txn, to, NoticeBody(notice=kind, operator=operator, detail=d), notice_id)
    if message is not None:
        out.notices.append(message)


def _accept(
    txn: WriteTxn,
    out: PeopleOutcome,
    row: Any,
    remark: str,
    group: str,
    both: bool,
    limits: PeopleLimits,
) -> None:
    sender, receiver = row[0], row[1]
    _close_request(txn, out, row)
    groups = [row[5]] if row[5] else []
    _put_friend(
        txn, out, sender, receiver, remark=row[4], groups=groups, source=row[3], limits=limits
    )
    if both:
        mine = [group] if group else []
        _put_friend(
            txn, out, receiver, sender, remark=remark, groups=mine, source=row[3], limits=limits
        )


def add_friend(
    txn: WriteTxn, user_id: str, req: AddFriendRequest, limits: PeopleLimits, notice_id: str
) -> PeopleOutcome:
    conn = txn.conn
    other = req.user_id
    if other == user_id:
        raise InvalidParameter("you cannot add yourself as a friend", field="user_id")
    allow = _require_user(conn, other)
    if is_blocked(conn, other, user_id):
        raise BlockedByPeer("this user does not accept your requests", user_id=other)
    if is_blocked(conn, user_id, other):
        raise PeerBlockedByMe("you have blocked this user; unblock them first", user_id=other)
    if friend_row(conn, user_id, other) is not None:
        raise AlreadyFriends(f"{other} is already in your friend list", user_id=other)
    out = PeopleOutcome()
    groups = [req.group] if req.group else []
    theirs = _pending(conn, other, user_id)
    if theirs is not None:  # they asked me first: adding them accepts it, both ways
        _accept(txn, out, theirs, req.remark, req.group, True, limits)
        _notice(txn, out, other, "friend_request_accepted", user_id, notice_id)
        out.result = "added"
        return out
    if allow is AllowType.NOBODY:
        raise FriendAddForbidden(f"{other} accepts no friend requests", user_id=other)
    if allow is AllowType.ANYONE:
        _put_friend(
            txn,
            out,
            user_id,
            other,
            remark=req.remark,
            groups=groups,
            source=req.source,
            limits=limits,
        )
        if req.both:
            _put_friend(
                txn, out, other, user_id, remark="", groups=[], source=req.source, limits=limits
            )
        _notice(txn, out, other, "friend_added", user_id, notice_id, both=req.both)
        out.result = "added"
        return out
    if _pending(conn, user_id, other) is not None:
        raise DuplicateFriendRequest(f"your request to {other} is still waiting", user_id=other)
    (waiting,) = conn.execute(
        "SELECT count(*) FROM friend_requests WHERE receiver=? AND state='pending'", (other,)
    ).fetchone()
    if waiting >= limits.pending_requests:
        raise LimitReached(f"{other} has too many requests waiting", limit=limits.pending_requests)
    v = txn.next_version()
    now = _now()
    conn.execute(
        "INSERT INTO friend_requests(sender, receiver, note, source, remark, grp, time, state, "
        "unread, version) VALUES (?,?,?,?,?,?,?,'pending',1,?) ON CONFLICT(sender, receiver) "
        "DO UPDATE SET note=excluded.note, source=excluded.source, remark=excluded.remark, "
        "grp=excluded.grp, time=excluded.time, state='pending', unread=1, version=excluded.version",
        (user_id, other, req.note, req.source, req.remark, req.group, now, v),
    )
    request = FriendRequest(
        sender=user_id,
        receiver=other,
        note=req.note,
        source=req.source,
        remark=req.remark,
        group=req.group,
        time=now,
        unread=True,
    )
    change = FriendRequestChange(v=v, request=request)
    out.push(user_id, change)
    out.push(other, change)
    _notice(txn, out, other, "friend_request", user_id, notice_id, note=req.note)
    out.result = "pending"
    return out


def accept_request(
    txn: WriteTxn,
    user_id: str,
    sender: str,
    req: AcceptRequest,
    limits: PeopleLimits,
    notice_id: str,
) -> PeopleOutcome:
    row = _pending(txn.conn, sender, user_id)
    if row is None:
        raise FriendRequestNotFound(f"no request from {sender} is waiting", user_id=sender)
    out = PeopleOutcome()
    _accept(txn, out, row, req.remark, req.group, req.both, limits)
    _notice(txn, out, sender, "friend_request_accepted", user_id, notice_id)
    out.result = relation(txn.conn, user_id, sender)
    return out


def refuse_request(txn: WriteTxn, user_id: str, sender: str, notice_id: str) -> PeopleOutcome:
    row = _pending(txn.conn, sender, user_id)
    if row is None:
        raise FriendRequestNotFound(f"no request from {sender} is waiting", user_id=sender)
    out = PeopleOutcome()
    _close_request(txn, out, row)
    _notice(txn, out, sender, "friend_request_refused", user_id, notice_id)
    return out


def delete_request(txn: WriteTxn, user_id: str, other: str) -> PeopleOutcome:
    row = _pending(txn.conn, user_id, other) or _pending(txn.conn, other, user_id)
    if row is None:
        raise FriendRequestNotFound(f"no request with {other} is waiting", user_id=other)
    out = PeopleOutcome()
    _close_request(txn, out, row)
    return out


def read_requests(txn: WriteTxn, user_id: str) -> PeopleOutcome:
    out = PeopleOutcome()
    rows = txn.conn.execute(
        f"SELECT {_REQUEST_COLUMNS} FROM friend_requests "
        "WHERE receiver=? AND state='pending' AND unread=1",
        (user_id,),
    ).fetchall()
    for row in rows:
        v = txn.next_version()
        txn.conn.execute(
            "UPDATE friend_requests SET unread=0, version=? WHERE sender=? AND receiver=?",
            (v, row[0], row[1]),
        )
        request = _request(row)
        request.unread = False
        change = FriendRequestChange(v=v, request=request)
        out.push(row[0], change)
        out.push(user_id, change)
    return out


def _rewrite_friend(
    txn: WriteTxn, out: PeopleOutcome, owner: str, row: Any, **changes: Any
) -> None:
    entry = _friend(row)
    for key, value in changes.items():
        setattr(entry, key, value)
    v = txn.next_version()
    txn.conn.execute(
        "UPDATE friends SET remark=?, groups=?, version=? WHERE owner=? AND friend=?",
        (entry.remark, _groups_json(entry.groups), v, owner, entry.user_id),
    )
    out.push(owner, FriendChange(v=v, friend=entry))


def update_friend(txn: WriteTxn, user_id: str, other: str, update: FriendUpdate) -> PeopleOutcome:
    row = friend_row(txn.conn, user_id, other)
    if row is None:
        raise NotFriend(f"{other} is not in your friend list", user_id=other)
    out = PeopleOutcome()
    changes: dict[str, Any] = {}
    if update.remark is not None:
        changes["remark"] = update.remark
    if update.groups is not None:
        existing = set(_group_names(txn.conn, user_id))
        missing = [g for g in update.groups if g not in existing]
        if missing:
            raise FriendGroupNotFound(f"no friend group {missing[0]!r}", name=missing[0])
        changes["groups"] = list(dict.fromkeys(update.groups))
    _rewrite_friend(txn, out, user_id, row, **changes)
    out.result = out.pushes[-1][1].friend  # type: ignore[union-attr]
    return out


def _remove_friend(txn: WriteTxn, out: PeopleOutcome, owner: str, row: Any) -> None:
    v = txn.next_version()
    txn.conn.execute(
        "UPDATE friends SET deleted=1, groups='[]', remark='', version=? "
        "WHERE owner=? AND friend=?",
        (v, owner, row[0]),
    )
    out.push(owner, FriendChange(v=v, friend=Friend(user_id=row[0]), removed=True))


def delete_friend(txn: WriteTxn, user_id: str, other: str, both: bool) -> PeopleOutcome:
    mine = friend_row(txn.conn, user_id, other)
    theirs = friend_row(txn.conn, other, user_id) if both else None
    if mine is None and theirs is None:
        raise NotFriend(f"{other} is not in your friend list", user_id=other)
    out = PeopleOutcome()
    if mine is not None:
        _remove_friend(txn, out, user_id, mine)
    if theirs is not None:
        _remove_friend(txn, out, other, theirs)
    return out


# -- friend groups -----------------------------------------------------------------------------------
def _friends_in(conn: sqlite3.Connection, owner: str, name: str) -> list[Any]:
    rows = conn.execute(
        f"SELECT {_FRIEND_COLUMNS} FROM friends WHERE owner=? AND deleted=0 AND groups!='[]'",
        (owner,),
    ).fetchall()
    return [r for r in rows if name in _decode_groups(r[2])]


def _require_friends(conn: sqlite3.Connection, owner: str, user_ids: Sequence[str]) -> list[Any]:
    rows = []
    for other in dict.fromkeys(user_ids):
        row = friend_row(conn, owner, other)
        if row is None:
            raise NotFriend(f"{other} is not in your friend list", user_id=other)
        rows.append(row)
    return rows


def create_friend_group(
    txn: WriteTxn, user_id: str, name: str, members: Sequence[str], limits: PeopleLimits
) -> PeopleOutcome:
    if name in _group_names(txn.conn, user_id):
        raise AlreadyExists(f"you already have a friend group {name!r}", name=name)
    rows = _require_friends(txn.conn, user_id, members)
    out = PeopleOutcome()
    _ensure_group(txn, user_id, name, out, limits.friend_groups)
    for row in rows:
        _rewrite_friend(txn, out, user_id, row, groups=[*_decode_groups(row[2]), name])
    out.result = FriendGroup(name=name)
    return out


def edit_friend_group(
    txn: WriteTxn, user_id: str, name: str, edit: FriendGroupEdit
) -> PeopleOutcome:
    conn = txn.conn
    names = _group_names(conn, user_id)
    if name not in names:
        raise FriendGroupNotFound(f"no friend group {name!r}", name=name)
    out = PeopleOutcome()
    current = name
    if edit.new_name is not None and edit.new_name != name:
        new = edit.new_name
        if new in names:
            raise AlreadyExists(f"you already have a friend group {new!r}", name=new)
        v = txn.next_version()
        conn.execute(
            "UPDATE friend_groups SET deleted=1, version=? WHERE owner=? AND name=?",
            (v, user_id, name),
        )
        out.push(user_id, FriendGroupChange(v=v, name=name, removed=True))
        v = txn.next_version()
        conn.execute(
            "INSERT INTO friend_groups(owner, name, deleted, version) VALUES (?,?,0,?) "
            "ON CONFLICT(owner, name) DO UPDATE SET deleted=0, version=excluded.version",
            (user_id, new, v),
        )
        out.push(user_id, FriendGroupChange(v=v, name=new))
        for row in _friends_in(conn, user_id, name):
            groups = [new if g == name else g for g in _decode_groups(row[2])]
            _rewrite_friend(txn, out, user_id, row, groups=groups)
        current = new
    for row in _require_friends(conn, user_id, edit.add):
        groups = _decode_groups(row[2])
        if current not in groups:
            _rewrite_friend(txn, out, user_id, row, groups=[*groups, current])
    for row in _require_friends(conn, user_id, edit.remove):
        groups = _decode_groups(row[2])
        if current in groups:
            _rewrite_friend(txn, out, user_id, row, groups=[g for g in groups if g != current])
    out.result = FriendGroup(name=current)
    return out


def delete_friend_group(txn: WriteTxn, user_id: str, name: str) -> PeopleOutcome:
    conn = txn.conn
    if name not in _group_names(conn, user_id):
        raise FriendGroupNotFound(f"no friend group {name!r}", name=name)
    out = PeopleOutcome()
    for row in _friends_in(conn, user_id, name):
        _rewrite_friend(
            txn, out, user_id, row, groups=[g for g in _decode_groups(row[2]) if g != name]
        )
    v = txn.next_version()
    conn.execute(
        "UPDATE friend_groups SET deleted=1, version=? WHERE owner=? AND name=?",
        (v, user_id, name),
    )
    out.push(user_id, FriendGroupChange(v=v, name=name, removed=True))
    return out


# -- blocks -------------------------------------------------------------------------------------------
def set_blocked(
    txn: WriteTxn, user_id: str, other: str, blocked: bool, limits: PeopleLimits
) -> PeopleOutcome:
    conn = txn.conn
    if other == user_id:
        raise InvalidParameter("you cannot block yourself", field="user_id")
    _require_user(conn, other)
    out = PeopleOutcome()
    if is_blocked(conn, user_id, other) == blocked:
        return out  # already so: nothing changes
    if blocked:
        (n,) = conn.execute(
            "SELECT count(*) FROM blocks WHERE owner=? AND blocked=1", (user_id,)
        ).fetchone()
        if n >= limits.blocks:
            raise LimitReached(f"at most {limits.blocks} blocked users", limit=limits.blocks)
        theirs = _pending(conn, other, user_id)
        if theirs is not None:  # their waiting request goes with the block
            _close_request(txn, out, theirs)
    v = txn.next_version()
    conn.execute(
        "INSERT INTO blocks(owner, target, blocked, time, version) VALUES (?,?,?,?,?) "
        "ON CONFLICT(owner, target) DO UPDATE SET blocked=excluded.blocked, time=excluded.time, "
        "version=excluded.version",
        (user_id, other, int(blocked), _now(), v),
    )
    out.push(user_id, BlockChange(v=v, user_id=other, blocked=blocked))
    out.blocks.append((user_id, other, blocked))
    return out
