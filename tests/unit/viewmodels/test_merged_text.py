"""A merged forward reads as its title and preview lines, senders named as the viewer knows
them."""

from __future__ import annotations

from messenger.core.models import LocalMessage
from messenger.protocol.bodies import MergedBody
from messenger.protocol.kinds import body_fields
from messenger.viewmodels.texts import message_text


def test_the_card_names_the_senders() -> None:
    _, body = body_fields(
        MergedBody(
            title="Plans",
            bundle_id="ab" * 16,
            count=2,
            preview=["bob42: see you at 8", "odd line without a sender"],
        )
    )
    card = LocalMessage(
        conversation_id="C2Cbob42",
        message_id="m1",
        conv_type="c2c",
        target="alice",
        sender="bob42",
        seq=1,
        client_msg_id="c1",
        time=1,
        kind="merged",
        body=body,
    )
    names = {"bob42": "Bob"}.get
    text = message_text(card, "alice", lambda u: names(u) or u)
    assert text.splitlines() == [
        "[Chat history] Plans",
        "Bob: see you at 8",
        "odd line without a sender",
    ]
