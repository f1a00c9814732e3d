"""Demo data for the embedded server: accounts, a group and some history, made once.

Everything goes through the real client core against the real server, as a user would.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from messenger.core.events import MessageUpdated
from messenger.core.models import MessageState
from messenger.demo.users import DEMO_GROUP, DEMO_PASSWORD, DEMO_USERS
from messenger.protocol.errors import AlreadyExists, Conflict

if TYPE_CHECKING:  # imported when seeding: the command line needs only the names
    from messenger.core.client import Client

log = logging.getLogger(__name__)

DEMO_FRIEND_GROUP = "Work"
# Who is whose friend (asked by the first, accepted by the second), and who still waits for an
# answer: the Contacts page shows both a friend list and a request in the inbox.
DEMO_FRIENDS = (("bob", "alice"), ("carol", "alice"), ("carol", "bob"))
DEMO_PENDING = (("dave", "alice", "Hi Alice, it's Dave from the design team"),)
_MARKER = "demo-seeded"


async def _say(client: Client, conversation_id: str, text: str, **kw: Any) -> None:
    """Send and wait until the server has it, so the history reads in the order written."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    sent_id = ""

    def on_event(event: object) -> None:
        if (
            isinstance(event, MessageUpdated)
            and event.message.client_msg_id == sent_id
            and event.message.state is MessageState.SENT
            and not done.done()
        ):
            done.set_result(None)

    unsubscribe = client.subscribe(on_event)
    try:
        sent_id = (await client.send_text(conversation_id, text, **kw)).client_msg_id
        async with asyncio.timeout(30):
            await done
    finally:
        unsubscribe()


async def _befriend(asker: Client, answerer: Client, answerer_id: str, asker_id: str) -> None:
    try:
        outcome = await asker.add_friend(answerer_id, group=DEMO_FRIEND_GROUP)
        if outcome == "pending":
            await answerer.accept_friend_request(asker_id, group=DEMO_FRIEND_GROUP)
    except Conflict:  # an earlier, interrupted seeding got this far
        pass


async def seed_demo(server_url: str, data_dir: Path) -> None:
    """Create the demo accounts and history unless this data folder already has them."""
    marker = data_dir / _MARKER
    if marker.exists():
        return
    from messenger.core.client import Client

    clients: dict[str, Client] = {}
    try:
        for user_id, nickname in DEMO_USERS.items():
            client = Client(server_url, data_dir / "seed" / user_id, device_name="demo seeder")
            await client.start()
            clients[user_id] = client
            try:
                await client.register(user_id, DEMO_PASSWORD, nickname)
            except AlreadyExists:
                pass
            await client.login_with_password(user_id, DEMO_PASSWORD)
        alice, bob, carol = clients["alice"], clients["bob"], clients["carol"]
        for asker, answerer in DEMO_FRIENDS:
            await _befriend(clients[asker], clients[answerer], answerer, asker)
        for asker, answerer, note in DEMO_PENDING:
            try:
                await clients[asker].add_friend(answerer, note=note)
            except Conflict:
                pass
        await _say(bob, "C2Calice", "Hi Alice! Did you see the release notes?")
        await _say(alice, "C2Cbob", "Yes, looks great. 发布说明写得很好！")
        await _say(bob, "C2Calice", "Let's demo it to the team tomorrow 👍")
        await _say(carol, "C2Calice", "Lunch at noon?")
        try:
            await alice.create_group("Team", list(DEMO_USERS), group_id=DEMO_GROUP)
        except AlreadyExists:
            pass
        team = "GROUP" + DEMO_GROUP
        await _say(alice, team, "Welcome to the team chat, everyone!")
        await _say(bob, team, "你好大家 👋")
        await _say(carol, team, "@Alice Chen can you share the slides?", mentions=["alice"])
        for client in clients.values():
            await client.logout()
        marker.write_text("1", "utf-8")
        log.info("demo data created")
    finally:
        for client in clients.values():
            await client.aclose()
