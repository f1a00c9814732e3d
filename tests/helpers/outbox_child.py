"""A client process for crash tests: it resumes a session, queues messages and reports acks.

    python -m tests.helpers.outbox_child URL DATA_DIR USER_ID TOKEN CONVERSATION_ID COUNT

Prints ``queued`` once all COUNT messages (texts ``m0``, ``m1``, …) are in its outbox, then
``sent N`` each time one more is acknowledged, and runs until it is killed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from messenger.core import Client, MessageState
from messenger.core.events import Event, MessageUpdated
from tests.helpers.clients import fast_backoff


async def main(url: str, data_dir: str, user_id: str, token: str, chat: str, count: str) -> None:
    client = Client(url, Path(data_dir), backoff=fast_backoff)
    await client.start()
    sent = 0

    def report(event: Event) -> None:
        nonlocal sent
        if isinstance(event, MessageUpdated) and event.message.state is MessageState.SENT:
            sent += 1
            print(f"sent {sent}", flush=True)

    client.subscribe(report)
    await client.resume(user_id, token)  # offline-ready at once; connects in the background
    for i in range(int(count)):
        await client.send_text(chat, f"m{i}")
    print("queued", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:7]))
