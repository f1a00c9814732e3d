"""Read receipts: who read what, computed from members' read cursors (never stored per message).

After a read commits: my other devices get my new state, the C2C peer gets ``peer_read``, and in
groups up to ``receipts_max_members`` the online senders of the messages just read get their new
read counts. Read and unread member lists are for the sender of the message only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from messenger.protocol.errors import ConversationNotFound, InvalidParameter, PermissionDenied
from messenger.protocol.models import GroupRole, Limits, ReaderList, ReceiptCount, Receipts
from messenger.server.hub import Connection
from messenger.server.services.directory import Directory
from messenger.server.services.fanout import Fanout
from messenger.server.storage.base import Storage
from messenger.server.storage.records import ReadOutcome

MANAGERS = frozenset({GroupRole.OWNER, GroupRole.ADMIN})


class ReadReceipts:
    def __init__(
        self, *, storage: Storage, directory: Directory, fanout: Fanout, limits: Limits
    ) -> None:
        self._storage = storage
        self._directory = directory
        self._fanout = fanout
        self._limits = limits
        self._background: set[asyncio.Task[None]] = set()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def read_done(self, outcome: ReadOutcome, user_id: str, origin: Connection | None) -> None:
        """On commit of a read: my devices, the C2C peer, and (later) the group senders."""
        self._fanout.state(user_id, outcome.state, exclude=origin)
        if outcome.peer_read is not None:
            self._fanout.peer_read(outcome.peer_read)
        if outcome.kind == "group" and outcome.new_read_seq > outcome.old_read_seq:
            self._spawn(self._push_receipts(outcome, user_id))

    async def _push_receipts(self, outcome: ReadOutcome, reader: str) -> None:
        members = await self._directory.members(outcome.conv_id)
        if len(members.members) > self._limits.receipts_max_members:
            return
        senders = await self._storage.senders_between(
            outcome.conv_id, outcome.old_read_seq, outcome.new_read_seq
        )
        by_sender: dict[str, list[int]] = {}
        for seq, sender in senders.items():
            if sender != reader and sender in members.members:
                by_sender.setdefault(sender, []).append(seq)
        if not by_sender:
            return
        cursors = await self._storage.read_cursors(outcome.conv_id)
        for sender, seqs in by_sender.items():
            if not self._fanout.hub.is_online(sender):
                continue
            counts = [_group_count(cursors, sender, seq) for seq in sorted(seqs)]
            self._fanout.receipts(
                sender, Receipts(conversation_id="GROUP" + members.key, receipts=counts)
            )

    async def receipts(self, user_id: str, conversation_id: str, seqs: list[int]) -> Receipts:
        if len(seqs) > self._limits.history_page:
            raise InvalidParameter(f"at most {self._limits.history_page} seqs", field="seqs")
        conv = await self._directory.readable(user_id, conversation_id)
        if conv.conv_id is None or not seqs:
            return Receipts(conversation_id=conversation_id, receipts=[])
        senders = await self._senders_of(conv.conv_id, seqs)
        own = sorted(s for s in seqs if senders.get(s) == user_id)
        cursors = await self._storage.read_cursors(conv.conv_id)
        if conv.kind == "group":
            counts = [_group_count(cursors, user_id, seq) for seq in own]
        else:
            peer_read = max((c[0] for u, c in cursors.items() if u != user_id), default=0)
            counts = [
                ReceiptCount(
                    seq=seq, read_count=int(peer_read >= seq), unread_count=int(peer_read < seq)
                )
                for seq in own
            ]
        return Receipts(conversation_id=conversation_id, receipts=counts)

    async def _senders_of(self, conv_id: int, seqs: list[int]) -> dict[int, str]:
        lo, hi = min(seqs), max(seqs)
        if hi - lo < 500:
            return await self._storage.senders_between(conv_id, lo - 1, hi)
        found: dict[int, str] = {}
        for seq in seqs:
            found.update(await self._storage.senders_between(conv_id, seq - 1, seq))
        return found

    async def readers(self, user_id: str, conversation_id: str, seq: int) -> ReaderList:
        conv = await self._directory.readable(user_id, conversation_id)
        if conv.conv_id is None:
            raise ConversationNotFound("no such conversation")
        senders = await self._storage.senders_between(conv.conv_id, seq - 1, seq)
        if senders.get(seq) != user_id:
            raise PermissionDenied("only the sender sees who read a message")
        cursors = await self._storage.read_cursors(conv.conv_id)
        eligible = sorted(u for u, (_, joined) in cursors.items() if u != user_id and joined < seq)
        read = [u for u in eligible if cursors[u][0] >= seq]
        unread = [u for u in eligible if cursors[u][0] < seq]
        return ReaderList(seq=seq, read=read, unread=unread)


def _group_count(cursors: dict[str, tuple[int, int]], sender: str, seq: int) -> ReceiptCount:
    read = unread = 0
    for user_id, (read_seq, joined_seq) in cursors.items():
        if user_id == sender or joined_seq >= seq:
            continue
        if read_seq >= seq:
            read += 1
        else:
            unread += 1
    return ReceiptCount(seq=seq, read_count=read, unread_count=unread)
