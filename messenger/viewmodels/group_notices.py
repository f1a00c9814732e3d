"""Actions on group notices in ``@TIM#SYSTEM``: a join application can be approved or refused
right from its notice (the first owner or admin to do so wins; the others are told it was
already handled)."""

from __future__ import annotations

from messenger.core.models import LocalMessage
from messenger.protocol.errors import MessengerError
from messenger.protocol.models import MessageKind
from messenger.viewmodels.client_api import ClientApi
from messenger.viewmodels.refusals import refusal_text


def application_of(message: LocalMessage | None) -> tuple[str, int] | None:
    """(group ID, application ID) of a join-application notice, else None."""
    if message is None or message.kind != MessageKind.NOTICE or message.recalled:
        return None
    body = message.body
    if body.get("notice") != "join_application":
        return None
    detail = body.get("detail")
    group_id = body.get("group_id")
    if not isinstance(detail, dict) or not isinstance(group_id, str) or not group_id:
        return None
    application_id = detail.get("application_id")
    if not isinstance(application_id, int) or isinstance(application_id, bool):
        return None
    return group_id, application_id


async def handle_application(client: ClientApi, message: LocalMessage, approve: bool) -> str:
    """Approve or refuse the notice's application; "" when done, else the reason in words."""
    found = application_of(message)
    if found is None:
        return ""
    group_id, application_id = found
    try:
        await client.handle_application(group_id, application_id, approve=approve)
    except MessengerError as exc:
        return refusal_text(exc)
    return ""
