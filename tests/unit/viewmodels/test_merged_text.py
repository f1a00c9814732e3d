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


def test_the_row_is_a_card_with_its_lines_and_names_the_previewed_senders() -> None:
    from messenger.viewmodels.message_rows import RowContext, message_row, people_in

    _, body = body_fields(
        MergedBody(
            title="Plans",
            bundle_id="ab" * 16,
            count=7,
            preview=["bob42: see you at 8", "carol7: ok", "odd line", "bob42: 4", "bob42: 5"],
        )
    )
    card = LocalMessage(
        conversation_id="C2Cbob42",
        message_id="m1",
        conv_type="c2c",
        target="alice",
        sender="dave",
        seq=1,
        client_msg_id="c1",
        time=1,
        kind="merged",
        body=body,
    )
    names = {"bob42": "Bob", "carol7": "Carol"}
    row = message_row(card, None, RowContext("alice", name_of=lambda u: names.get(u, u)))
    assert row.card == "merged" and row.text == ""
    title, *previews, footer = row.card_lines
    assert title == "Plans"
    assert previews == ["Bob: see you at 8", "Carol: ok", "odd line", "Bob: 4"]  # four at most
    assert "7" in footer
    assert people_in([card]) == ["dave", "bob42", "carol7"]
