"""System notices from the app's administrator: a text in each addressee's ``@TIM#SYSTEM``
conversation (``kind: "notice"``, ``notice: "admin_notice"``, the text in ``detail.text``).

Every addressee is checked before anything is stored, so a list with an unknown user stores no
notice at all. Users who blocked their system conversation keep the notice in history and are
not pushed it, as with every other notice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence

from messenger.protocol.errors import InvalidParameter
from messenger.protocol.ids import check_user_id
from messenger.protocol.models import Limits, MessageKind
from messenger.protocol.validation import utf8_len
from messenger.server.services.directory import Directory
from messenger.server.services.fanout import Fanout
from messenger.server.services.messaging import new_message_id
from messenger.server.storage.base import Storage
from messenger.server.storage.records import NewMessage, StoredMessage, system_key

ADMIN_NOTICE = "admin_notice"
MAX_ADDRESSEES = 500


class SystemNotices:
    def __init__(
        self, *, storage: Storage, directory: Directory, fanout: Fanout, limits: Limits
    ) -> None:
        self._storage = storage
        self._directory = directory
        self._fanout = fanout
        self._limits = limits

    async def send(self, operator: str, user_ids: Sequence[str], text: str) -> int:
        """Store the notice for each of ``user_ids`` and push it; returns how many were stored."""
        if not text.strip() or utf8_len(text) > self._limits.text_bytes:
            raise InvalidParameter(f"text has 1–{self._limits.text_bytes} bytes", field="text")
        users = list(dict.fromkeys(check_user_id(u) for u in user_ids))
        if not 1 <= len(users) <= MAX_ADDRESSEES:
            raise InvalidParameter(f"send to 1–{MAX_ADDRESSEES} users at once", field="user_ids")
        for user_id in users:
            await self._directory.require_user(user_id)
        pending: list[Awaitable[StoredMessage]] = []
        for user_id in users:
            conv_id = await self._storage.ensure_system(user_id)
            self._directory.remember_system(user_id, conv_id)
            await self._directory.members(conv_id)  # (cached: the push knows who blocked it)
            message_id = new_message_id()
            new = NewMessage(
                conv_id=conv_id,
                kind_of_conv="system",
                key=system_key(user_id),
                sender=operator,
                client_msg_id="notice-" + message_id,
                kind=MessageKind.NOTICE,
                body={
                    "notice": ADMIN_NOTICE,
                    "operator": operator,
                    "group_id": "",
                    "group_name": "",
                    "detail": {"text": text},
                },
                mentions=[],
                mention_all=False,
                reply_to=None,
                message_id=message_id,
            )
            pending.append(self._storage.insert_message(new, on_commit=self._stored))
        stored = await asyncio.gather(*pending)
        return sum(1 for s in stored if not s.duplicate)

    def _stored(self, stored: StoredMessage) -> None:
        """On commit: to the addressee's devices, unless they blocked the conversation."""
        audience = self._directory.audience_now(stored.conv_id)
        if audience is None:
            audience = [stored.message.target]
        self._fanout.message(stored.message, audience)
