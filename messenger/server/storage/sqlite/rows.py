"""Row ↔ model conversions for the SQLite storage."""

from __future__ import annotations

import sqlite3
from typing import Any

import msgspec

from messenger.protocol.models import ConversationState, Message, Reaction, RemindType, ReplyRef

_json_encode = msgspec.json.Encoder().encode
_dict_decoder = msgspec.json.Decoder(dict[str, Any])
_list_decoder = msgspec.json.Decoder(list[str])
_reply_decoder = msgspec.json.Decoder(ReplyRef)
_reactions_decoder = msgspec.json.Decoder(list[Reaction])

MESSAGE_COLUMNS = (
    "m.seq, m.message_id, m.sender, m.client_msg_id, m.time, m.kind, m.body, m.mentions, "
    "m.mention_all, m.reply_to, m.recalled, m.recalled_by, m.recall_time, m.version, "
    "m.edit_time, m.reactions, m.forwarded"
)
MESSAGE_COLUMN_COUNT = 17  # columns after these (in a query's own select list) start here


def encode_json(value: Any) -> str:
    return _json_encode(value).decode("utf-8")


def encode_mentions(mentions: list[str]) -> str:
    return encode_json(sorted(set(mentions))) if mentions else ""


def message_from_row(row: sqlite3.Row | tuple[Any, ...], conv_type: str, target: str) -> Message:
    """Build a Message from the ``MESSAGE_COLUMNS`` of a row."""
    (
        seq,
        message_id,
        sender,
        client_msg_id,
        time,
        kind,
        body,
        mentions,
        mention_all,
        reply_to,
        recalled,
        recalled_by,
        recall_time,
        version,
        edit_time,
        reactions,
        forwarded,
    ) = row[:MESSAGE_COLUMN_COUNT]
    return Message(
        message_id=message_id,
        conv_type=conv_type,
        target=target,
        sender=sender,
        seq=seq,
        client_msg_id=client_msg_id,
        time=time,
        kind=kind,
        body=_dict_decoder.decode(body) if body else {},
        mentions=_list_decoder.decode(mentions) if mentions else [],
        mention_all=bool(mention_all),
        reply_to=_reply_decoder.decode(reply_to) if reply_to else None,
        recalled=bool(recalled),
        recalled_by=recalled_by,
        recall_time=recall_time,
        version=version,
        edit_time=edit_time,
        reactions=_reactions_decoder.decode(reactions) if reactions else [],
        forwarded=bool(forwarded),
    )


def target_of(kind: str, key: str, sender: str) -> str:
    """The ``target`` of a message: the group ID, or for C2C the one of the pair who is not the
    sender (a note to self targets its sender)."""
    if kind == "group":
        return key
    if kind == "system":  # '@TIM#SYSTEM|<user>': the user whose notices these are
        return key.partition("|")[2]
    a, _, b = key.partition("|")
    return b if sender == a else a


PARTICIPANT_COLUMNS = (
    "p.conv_id, p.user_id, p.conversation_id, p.kind, p.read_seq, p.pinned, p.pin_time, "
    "p.remind, p.hidden_seq, p.cleared_seq, p.marked_unread, p.draft_text, p.draft_time, "
    "p.version, p.joined_seq"
)


def state_from_row(
    row: sqlite3.Row | tuple[Any, ...],
    *,
    unread_count: int,
    unread_at_seq: int,
    mention_seqs: list[int],
    unread_version: int,
) -> ConversationState:
    (
        _conv_id,
        _user_id,
        conversation_id,
        kind,
        read_seq,
        pinned,
        pin_time,
        remind,
        hidden_seq,
        cleared_seq,
        marked_unread,
        draft_text,
        draft_time,
        version,
        _joined,
    ) = row[:15]
    return ConversationState(
        conversation_id=conversation_id,
        conv_type=kind,
        read_seq=read_seq,
        pinned=bool(pinned),
        pin_time=pin_time,
        remind=RemindType(remind),
        hidden_seq=hidden_seq,
        cleared_seq=cleared_seq,
        marked_unread=bool(marked_unread),
        draft_text=draft_text,
        draft_time=draft_time,
        unread_count=unread_count,
        unread_at_seq=unread_at_seq,
        mention_seqs=mention_seqs,
        unread_version=unread_version,
        joined_seq=_joined,
        version=version,
    )
