"""Builders of protocol values for core tests: short calls, realistic defaults."""

from __future__ import annotations

import itertools
from typing import Any

import msgspec

from messenger.protocol.frames import MessageChange, StateChange
from messenger.protocol.models import ConversationState, Message, MessageKind, RemindType

_ids = itertools.count(1)


def message(
    *,
    sender: str = "bob",
    target: str = "alice",
    conv_type: str = "c2c",
    seq: int,
    text: str | None = None,
    kind: str = MessageKind.TEXT,
    client_msg_id: str | None = None,
    message_id: str | None = None,
    time: int | None = None,
    mentions: list[str] | None = None,
    mention_all: bool = False,
    recalled: bool = False,
    version: int = 0,
    body: dict[str, Any] | None = None,
) -> Message:
    """A stored message; by default Bob → Alice (``C2Cbob`` for Alice)."""
    n = next(_ids)
    if body is None:
        body = {"text": text if text is not None else f"message {seq}"}
        if kind == MessageKind.TIP:
            body = {"tip": "members_added", "operator": sender}
    if recalled:
        body = {}
    return Message(
        message_id=message_id or f"m-{conv_type}-{target}-{sender}-{seq}-{n}",
        conv_type=conv_type,
        target=target,
        sender=sender,
        seq=seq,
        client_msg_id=client_msg_id or f"c{n}",
        time=time if time is not None else 1_700_000_000_000 + seq * 1000,
        kind=kind,
        body=body,
        mentions=mentions or [],
        mention_all=mention_all,
        recalled=recalled,
        recalled_by=sender if recalled else None,
        recall_time=1_700_000_500_000 if recalled else None,
        version=version,
    )


def group_message(group: str, *, sender: str = "bob", seq: int, **kw: Any) -> Message:
    return message(sender=sender, target=group, conv_type="group", seq=seq, **kw)


def state(
    conversation_id: str,
    *,
    version: int,
    read_seq: int = 0,
    unread_count: int = 0,
    unread_at_seq: int = 0,
    mention_seqs: list[int] | None = None,
    **kw: Any,
) -> ConversationState:
    conv_type = "group" if conversation_id.startswith("GROUP") else "c2c"
    return ConversationState(
        conversation_id=conversation_id,
        conv_type=conv_type,
        read_seq=read_seq,
        unread_count=unread_count,
        unread_at_seq=unread_at_seq,
        mention_seqs=mention_seqs or [],
        version=version,
        **kw,
    )


def message_change(msg: Message, v: int) -> MessageChange:
    """As the server sends it: the message carries the version of its latest change."""
    if msg.version == 0:
        msg = msgspec.structs.replace(msg, version=v)
    return MessageChange(v=v, message=msg)


def state_change(st: ConversationState) -> StateChange:
    return StateChange(v=st.version, state=st)


__all__ = [
    "RemindType",
    "group_message",
    "message",
    "message_change",
    "state",
    "state_change",
]
