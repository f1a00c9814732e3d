"""Handlers of the message operations (``protocol.api.OPERATION_ENDPOINTS``)."""

from __future__ import annotations

from messenger.protocol import models as m
from messenger.protocol import operations as o
from messenger.server.http.handlers import Call, handles


@handles("edit_message")
async def edit_message(c: Call) -> m.Message:
    return await c.ctx.operations.edit(
        c.user_id, c.path["conversation_id"], c.path["message_id"], c.body
    )


@handles("delete_for_me")
async def delete_for_me(c: Call) -> o.DeleteResult:
    req: o.DeleteRequest = c.body
    return await c.ctx.operations.delete_for_me(
        c.user_id, c.path["conversation_id"], req.message_ids
    )


@handles("react")
async def react(c: Call) -> m.Message:
    return await c.ctx.operations.react(
        c.user_id, c.path["conversation_id"], c.path["message_id"], c.body
    )


@handles("create_bundle")
async def create_bundle(c: Call) -> o.BundleInfo:
    req: o.BundleRequest = c.body
    return await c.ctx.bundles.create(c.user_id, req.messages)


@handles("get_bundle")
async def get_bundle(c: Call) -> o.Bundle:
    query: o.BundleQuery = c.query
    return await c.ctx.bundles.open(
        c.user_id, c.path["conversation_id"], c.path["message_id"], query.bundle_id
    )


@handles("conversation_pins")
async def conversation_pins(c: Call) -> o.PinList:
    return await c.ctx.operations.pins(c.user_id, c.path["conversation_id"])


@handles("pin_in_conversation")
async def pin_in_conversation(c: Call) -> o.PinList:
    req: m.PinRequest = c.body
    return await c.ctx.operations.pin(c.user_id, c.path["conversation_id"], req.message_id, True)


@handles("unpin_in_conversation")
async def unpin_in_conversation(c: Call) -> o.PinList:
    return await c.ctx.operations.pin(
        c.user_id, c.path["conversation_id"], c.path["message_id"], False
    )
