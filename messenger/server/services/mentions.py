"""Who may be @mentioned in a group message (sent or edited): @all only by the owner and admins,
and every mentioned user a member of the group."""

from __future__ import annotations

from collections.abc import Sequence

from messenger.protocol.errors import InvalidParameter, PermissionDenied
from messenger.server.services.directory import ConvRef, Directory
from messenger.server.services.receipts import MANAGERS
from messenger.server.storage.records import MemberInfo


async def check_group_mentions(
    directory: Directory,
    conv: ConvRef,
    author: MemberInfo,
    mentions: Sequence[str],
    mention_all: bool,
) -> None:
    if mention_all and author.role not in MANAGERS:
        raise PermissionDenied("only the owner and admins may @all")
    if mentions:
        assert conv.conv_id is not None
        members = (await directory.members(conv.conv_id)).members
        strangers = [u for u in mentions if u not in members]
        if strangers:
            raise InvalidParameter(
                f"not members of this group: {', '.join(strangers[:5])}", field="mentions"
            )
