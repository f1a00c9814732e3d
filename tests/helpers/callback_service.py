"""A small real HTTP service on loopback that receives the server's callbacks (aiohttp).

It records every call (event, document, whether its signature verified) and answers "before"
callbacks with ``decide(document)``: ``None`` allows, a string refuses with that reason.
``delay`` makes it slow, ``status`` makes it fail with that HTTP status.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from messenger.server.services.callbacks import EVENT_HEADER, verify_signature

CALLBACK_SECRET = "callback-secret-0123456789abcdef"


@dataclass
class Call:
    event: str
    document: dict[str, Any]
    signed: bool  # the signature and timestamp verified with CALLBACK_SECRET


@dataclass
class CallbackService:
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    decide: Callable[[dict[str, Any]], str | None] = lambda _: None
    delay: float = 0.0
    status: int = 200
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def of(self, event: str) -> list[Call]:
        return [c for c in self.calls if c.event == event]

    async def wait_for(self, event: str, count: int = 1, within: float = 10.0) -> list[Call]:
        async with asyncio.timeout(within):
            while len(self.of(event)) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.of(event)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        signed = verify_signature(CALLBACK_SECRET, request.headers, body)
        document = json.loads(body)
        self.calls.append(Call(request.headers.get(EVENT_HEADER, ""), document, signed))
        self.arrived.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.Response(status=self.status, text="service failing")
        reason = self.decide(document) if document["event"].startswith("before_") else None
        answer = {"allow": True} if reason is None else {"allow": False, "reason": reason}
        return web.json_response(answer)


@asynccontextmanager
async def callback_service() -> AsyncIterator[CallbackService]:
    service = CallbackService()
    app = web.Application()
    app.router.add_post("/callback", service._handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    service.url = f"http://127.0.0.1:{port}/callback"
    try:
        yield service
    finally:
        await runner.cleanup()


def callback_env(service: CallbackService, **settings: str) -> dict[str, str]:
    """The server's environment for calling ``service`` (``settings``: more ``callback_*``)."""
    env = {
        "MESSENGER_CALLBACK_URL": service.url,
        "MESSENGER_CALLBACK_SECRET": CALLBACK_SECRET,
    }
    env.update({f"MESSENGER_CALLBACK_{k.upper()}": v for k, v in settings.items()})
    return env
